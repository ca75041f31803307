#include "detente/commission/messages.h"

#include <algorithm>
#include <string>

#include "fmt/format.h"

namespace detente::commission {
namespace {

struct KindInfo {
  MessageKind kind;
  std::string_view suffix;
};

constexpr KindInfo kKinds[] = {
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
    for (const Need& need : NeedsOf(kind)) {
      const treaty::Field* f = t.FindField(need.name);
      if (f == nullptr) {
        return Status::InvalidArgument(fmt::format(
            "{}: {} message has no field '{}' ({}), which the commission "
            "fold reads",
            t.code, SuffixOf(kind), need.name, ValueTypeName(need.type)));
      }
      if (f->type != need.type) {
        return Status::InvalidArgument(fmt::format(
            "{}: field '{}' is {}, the commission fold reads it as {}", t.code,
            need.name, ValueTypeName(f->type), ValueTypeName(need.type)));
      }
      if (need.required && !f->required) {
        return Status::InvalidArgument(
            fmt::format("{}: field '{}' must be required: the commission "
                        "fold needs it on every message",
                        t.code, need.name));
      }
    }
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
