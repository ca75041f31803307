#include "detente/commission/messages.h"

#include <algorithm>
#include <string>

#include "detente/treaty/message_fields.h"
#include "fmt/format.h"

namespace detente::commission {
namespace {

using treaty::FieldNeed;
using treaty::ValueType;

constexpr treaty::KindSuffix<MessageKind> kKinds[] = {
    {MessageKind::kCommissioner, "-COMMISSIONER"},
    {MessageKind::kIssueRaise, "-ISSUE-RAISE"},
    {MessageKind::kIssueWithdraw, "-ISSUE-WITHDRAW"},
    {MessageKind::kSessionPropose, "-SESSION-PROPOSE"},
    {MessageKind::kSessionAccept, "-SESSION-ACCEPT"},
    {MessageKind::kAgendaPropose, "-AGENDA-PROPOSE"},
    {MessageKind::kAgendaAccept, "-AGENDA-ACCEPT"},
    {MessageKind::kPostpone, "-POSTPONE"},
    {MessageKind::kSessionCancel, "-SESSION-CANCEL"},
    {MessageKind::kSessionConvene, "-SESSION-CONVENE"},
    {MessageKind::kSessionConclude, "-SESSION-CONCLUDE"},
    {MessageKind::kOutcome, "-OUTCOME"},
    {MessageKind::kDialogueStatus, "-DIALOGUE-STATUS"},
    {MessageKind::kNote, "-DIP-NOTE"},
    {MessageKind::kDemarche, "-DEMARCHE"},
    {MessageKind::kSeverance, "-SEVERANCE"},
};

// The fields the fold reads of each kind; an optional one may be declared
// optional or required.
std::vector<FieldNeed> NeedsOf(MessageKind kind) {
  switch (kind) {
    case MessageKind::kCommissioner:
      return {{"commissioner", ValueType::kString, true},
              {"key", ValueType::kString, true}};
    case MessageKind::kIssueRaise:
      return {{"issue", ValueType::kIdentifier, true},
              {"title", ValueType::kString, true},
              {"text", ValueType::kText, false},
              {"finding", ValueType::kString, false},
              {"confidential", ValueType::kBoolean, false}};
    case MessageKind::kIssueWithdraw:
      return {{"issue", ValueType::kIdentifier, true},
              {"reason", ValueType::kText, false}};
    case MessageKind::kSessionPropose:
    case MessageKind::kSessionAccept:
      return {{"session", ValueType::kString, true},
              {"start", ValueType::kDate, true},
              {"end", ValueType::kDate, true},
              {"venue", ValueType::kString, true}};
    case MessageKind::kAgendaPropose:
      return {{"session", ValueType::kString, true},
              {"issues", ValueType::kText, true}};
    case MessageKind::kAgendaAccept:
      return {{"session", ValueType::kString, true},
              {"agenda", ValueType::kString, true}};
    case MessageKind::kPostpone:
      return {{"session", ValueType::kString, true},
              {"reason", ValueType::kText, false},
              {"new_dates_to_follow", ValueType::kBoolean, true}};
    case MessageKind::kSessionCancel:
      return {{"session", ValueType::kString, true},
              {"reason", ValueType::kText, false}};
    case MessageKind::kSessionConvene:
    case MessageKind::kSessionConclude:
      return {{"session", ValueType::kString, true}};
    case MessageKind::kOutcome:
      return {{"session", ValueType::kString, true},
              {"kind", ValueType::kEnum, true},
              {"number", ValueType::kInteger, true},
              {"title", ValueType::kString, true},
              {"signed", ValueType::kDate, true},
              {"text", ValueType::kText, true},
              {"confidential", ValueType::kBoolean, true},
              {"issues", ValueType::kText, false},
              {"signatures", ValueType::kText, true}};
    case MessageKind::kDialogueStatus:
      return {{"dialogue", ValueType::kString, true},
              {"status", ValueType::kEnum, true},
              {"reason", ValueType::kText, false}};
    case MessageKind::kNote:
      return {{"subject", ValueType::kString, true},
              {"text", ValueType::kText, true},
              {"to", ValueType::kParty, false},
              {"level", ValueType::kEnum, false}};
    case MessageKind::kDemarche:
      return {{"to", ValueType::kParty, true},
              {"level", ValueType::kEnum, true},
              {"subject", ValueType::kString, true},
              {"text", ValueType::kText, true}};
    case MessageKind::kSeverance:
      return {{"to", ValueType::kParty, true},
              {"text", ValueType::kText, false}};
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
    std::vector<FieldNeed> needs = NeedsOf(kind);
    DETENTE_RETURN_IF_ERROR(treaty::CheckFieldNeeds(
        t, SuffixOf(kind), needs,
        {.reader = "commission fold", .optional_may_be_absent = false}));
    if (kind == MessageKind::kDialogueStatus) {
      const treaty::Field* f = t.FindField("status");
      for (std::string_view v : {"active", "paused", "resumed", "terminated"}) {
        if (std::find(f->values.begin(), f->values.end(), v) ==
            f->values.end()) {
          return Status::InvalidArgument(fmt::format(
              "{}: field 'status' lacks the value '{}'", t.code, v));
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace detente::commission
