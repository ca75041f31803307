#include "detente/inspection/messages.h"

#include "detente/treaty/message_fields.h"
#include "fmt/format.h"

namespace detente::inspection {
namespace {

using treaty::FieldNeed;
using treaty::ValueType;

constexpr treaty::KindSuffix<MessageKind> kKinds[] = {
    {MessageKind::kRequest, "-INSP-REQUEST"},
    {MessageKind::kArrival, "-INSP-ARRIVAL"},
    {MessageKind::kComplete, "-INSP-COMPLETE"},
    {MessageKind::kRvCommit, "-INSP-RV-COMMIT"},
    {MessageKind::kRvRandom, "-INSP-RV-RANDOM"},
    {MessageKind::kRvReveal, "-INSP-RV-REVEAL"},
};

// The fields the fold reads of each kind; an optional one may be declared
// optional or required.
std::vector<FieldNeed> NeedsOf(MessageKind kind) {
  switch (kind) {
    case MessageKind::kRequest:
      return {{"inspection", ValueType::kIdentifier, true},
              {"inspection_type", ValueType::kEnum, true},
              {"inspected_party", ValueType::kParty, false},
              {"point_of_entry", ValueType::kString, false}};
    case MessageKind::kArrival:
      return {{"inspection", ValueType::kIdentifier, true},
              {"inspection_type", ValueType::kEnum, true},
              {"facility", ValueType::kFacility, true}};
    case MessageKind::kComplete:
      return {{"inspection", ValueType::kIdentifier, true},
              {"inspection_type", ValueType::kEnum, true},
              {"facility", ValueType::kFacility, true},
              {"inspected_party", ValueType::kParty, false},
              {"rv_inspected_item", ValueType::kIdentifier, false},
              {"rv_counted", ValueType::kInteger, false},
              {"ambiguities", ValueType::kText, false}};
    case MessageKind::kRvCommit:
      return {{"inspection", ValueType::kIdentifier, true},
              {"commitment", ValueType::kString, true}};
    case MessageKind::kRvRandom:
      return {{"inspection", ValueType::kIdentifier, true},
              {"random", ValueType::kString, true}};
    case MessageKind::kRvReveal:
      return {{"inspection", ValueType::kIdentifier, true},
              {"missiles", ValueType::kText, true},
              {"salt", ValueType::kString, true}};
    case MessageKind::kNone:
      break;
  }
  return {};
}

}  // namespace

const std::vector<MessageKind>& AllMessageKinds() {
  static const std::vector<MessageKind> all =
      treaty::KindsOf<MessageKind>(kKinds);
  return all;
}

std::string_view SuffixOf(MessageKind kind) {
  return treaty::SuffixByKind<MessageKind>(kKinds, kind);
}

MessageKind KindOf(std::string_view type_code) {
  return treaty::KindBySuffix<MessageKind>(kKinds, type_code,
                                           MessageKind::kNone);
}

Status CheckCatalogue(const treaty::Spec& spec) {
  for (const treaty::NotificationType& t : spec.notifications) {
    MessageKind kind = KindOf(t.code);
    if (kind != MessageKind::kNone && spec.inspections.types.empty()) {
      return Status::InvalidArgument(
          fmt::format("{}: an inspection message, but the spec declares no "
                      "[[inspections.types]]",
                      t.code));
    }
    std::vector<FieldNeed> needs = NeedsOf(kind);
    DETENTE_RETURN_IF_ERROR(treaty::CheckFieldNeeds(
        t, SuffixOf(kind), needs,
        {.reader = "inspection fold", .optional_may_be_absent = true}));
  }
  return Status::Ok();
}

}  // namespace detente::inspection
