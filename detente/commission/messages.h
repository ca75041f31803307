// Which commission or dialogue message a catalogue entry is, and whether a
// spec's catalogue carries the fields the commission fold reads.
//
// A treaty names its messages itself (New START's "NST-BCC-AGENDA-PROPOSE",
// the trilateral follow-on's "TRI-TCC-AGENDA-PROPOSE"); the commission knows
// a message by the suffix of its code, as the regime fold knows
// "-ITEM-MOVE". The suffixes and the fields each message must declare are
// listed in docs/commission.md.
//
// Pure functions over the spec; thread-safe.
#ifndef DETENTE_COMMISSION_MESSAGES_H_
#define DETENTE_COMMISSION_MESSAGES_H_

#include <string_view>
#include <vector>

#include "detente/base/status.h"
#include "detente/treaty/spec.h"

namespace detente::commission {

enum class MessageKind {
  kNone,             // not a commission or dialogue message
  kCommissioner,     // -COMMISSIONER
  kIssueRaise,       // -ISSUE-RAISE
  kIssueWithdraw,    // -ISSUE-WITHDRAW
  kSessionPropose,   // -SESSION-PROPOSE
  kSessionAccept,    // -SESSION-ACCEPT
  kAgendaPropose,    // -AGENDA-PROPOSE
  kAgendaAccept,     // -AGENDA-ACCEPT
  kPostpone,         // -POSTPONE
  kSessionCancel,    // -SESSION-CANCEL
  kSessionConvene,   // -SESSION-CONVENE
  kSessionConclude,  // -SESSION-CONCLUDE
  kOutcome,          // -OUTCOME
  kDialogueStatus,   // -DIALOGUE-STATUS
  kNote,             // -DIP-NOTE
  kDemarche,         // -DEMARCHE
  kSeverance,        // -SEVERANCE
};

// Every kind but kNone, in the order above.
const std::vector<MessageKind>& AllMessageKinds();

// The code suffix of a kind, e.g. "-AGENDA-PROPOSE"; "" for kNone.
std::string_view SuffixOf(MessageKind kind);

// The kind of a catalogue code by its suffix; kNone when it has none of
// them.
MessageKind KindOf(std::string_view type_code);

// OK when every catalogue entry of `spec` that is a commission or dialogue
// message declares the fields the fold reads, with the types it expects
// (e.g. an -OUTCOME has "number" integer, "signatures" text, ...), and
// required where the fold needs them. A kind the catalogue lacks is not an
// error: that treaty does not have the message. InvalidArgument naming the
// code, the field and what is wrong.
Status CheckCatalogue(const treaty::Spec& spec);

}  // namespace detente::commission

#endif  // DETENTE_COMMISSION_MESSAGES_H_
