#include "detente/inspection/messages.h"

#include "fmt/format.h"

namespace detente::inspection {
namespace {

struct KindInfo {
  MessageKind kind;
  std::string_view suffix;
};

constexpr KindInfo kKinds[] = {
    {MessageKind::kRequest, "-INSP-REQUEST"},
    {MessageKind::kArrival, "-INSP-ARRIVAL"},
    {MessageKind::kComplete, "-INSP-COMPLETE"},
    {MessageKind::kRvCommit, "-INSP-RV-COMMIT"},
    {MessageKind::kRvRandom, "-INSP-RV-RANDOM"},
    {MessageKind::kRvReveal, "-INSP-RV-REVEAL"},
};

using treaty::ValueType;

// A field the fold reads: its name, its type and whether the fold needs it
// on every message (an optional one may be declared optional or required).
struct Need {
  std::string_view name;
  ValueType type;
  bool required;
};

std::vector<Need> NeedsOf(MessageKind kind) {
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

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

const std::vector<MessageKind>& AllMessageKinds() {
  static const std::vector<MessageKind> all = [] {
    std::vector<MessageKind> v;
    for (const KindInfo& k : kKinds) v.push_back(k.kind);
    return v;
  }();
  return all;
}

std::string_view SuffixOf(MessageKind kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k.suffix;
  }
  return "";
}

MessageKind KindOf(std::string_view type_code) {
  for (const KindInfo& k : kKinds) {
    if (EndsWith(type_code, k.suffix)) return k.kind;
  }
  return MessageKind::kNone;
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
    for (const Need& need : NeedsOf(kind)) {
      const treaty::Field* f = t.FindField(need.name);
      if (f == nullptr) {
        if (!need.required) continue;
        return Status::InvalidArgument(fmt::format(
            "{}: {} message has no field '{}' ({}), which the inspection "
            "fold reads",
            t.code, SuffixOf(kind), need.name, ValueTypeName(need.type)));
      }
      if (f->type != need.type) {
        return Status::InvalidArgument(fmt::format(
            "{}: field '{}' is {}, the inspection fold reads it as {}", t.code,
            need.name, ValueTypeName(f->type), ValueTypeName(need.type)));
      }
      if (need.required && !f->required) {
        return Status::InvalidArgument(
            fmt::format("{}: field '{}' must be required: the inspection "
                        "fold needs it on every message",
                        t.code, need.name));
      }
    }
  }
  return Status::Ok();
}

}  // namespace detente::inspection
