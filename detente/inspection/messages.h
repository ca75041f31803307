// Which inspection message a catalogue entry is, and whether a spec's
// catalogue carries the fields the inspection fold reads.
//
// A treaty names its messages itself (New START's "NST-INSP-REQUEST", the
// trilateral follow-on's "TRI-INSP-REQUEST"); the inspection fold knows a
// message by the suffix of its code, as the regime fold knows "-ITEM-MOVE"
// and the commission "-AGENDA-PROPOSE". The suffixes and the fields each
// message must declare are listed in docs/inspection.md.
//
// Pure functions over the spec; thread-safe.
#ifndef DETENTE_INSPECTION_MESSAGES_H_
#define DETENTE_INSPECTION_MESSAGES_H_

#include <string_view>
#include <vector>

#include "detente/base/status.h"
#include "detente/treaty/spec.h"

namespace detente::inspection {

enum class MessageKind {
  kNone,      // not an inspection message the fold reads
  kRequest,   // -INSP-REQUEST: the inspecting party's notice of intent
  kArrival,   // -INSP-ARRIVAL: arrival and designation of the site
  kComplete,  // -INSP-COMPLETE: completion, with findings
  kRvCommit,  // -INSP-RV-COMMIT: the inspected party's commitment
  kRvRandom,  // -INSP-RV-RANDOM: the inspecting party's random value
  kRvReveal,  // -INSP-RV-REVEAL: the opened commitment
};

// Every kind but kNone, in the order above.
const std::vector<MessageKind>& AllMessageKinds();

// The code suffix of a kind, e.g. "-INSP-RV-COMMIT"; "" for kNone.
std::string_view SuffixOf(MessageKind kind);

// The kind of a catalogue code by its suffix; kNone when it has none of
// them (airplane information, clearances and flight plans are inspection
// activities the fold does not read).
MessageKind KindOf(std::string_view type_code);

// OK when every catalogue entry of `spec` that is an inspection message
// declares the fields the fold reads, with the types it expects, required
// where the fold needs them; and when a spec with inspection messages
// declares inspection types. A kind the catalogue lacks is not an error:
// that treaty does not have the message (no -INSP-RV-*: no reentry-vehicle
// choice). InvalidArgument naming the code, the field and what is wrong.
Status CheckCatalogue(const treaty::Spec& spec);

}  // namespace detente::inspection

#endif  // DETENTE_INSPECTION_MESSAGES_H_
