// The strategic stability dialogue's status machine and the diplomatic
// channel's vocabulary (notes, demarches, severance).
//
//   (none) ──► active ──► paused ──► resumed ──► paused ...
//                 │          │          │
//                 └──────────┴──────────┴──► terminated (final)
//
// Changed only by signed -DIALOGUE-STATUS notifications (commission.h
// applies them); severance of relations terminates every dialogue and is
// itself final. Pure functions; thread-safe.
#ifndef DETENTE_COMMISSION_DIALOGUE_H_
#define DETENTE_COMMISSION_DIALOGUE_H_

#include <optional>
#include <string_view>

#include "detente/base/status.h"

namespace detente::commission {

// Persistent (the values of the catalogue's "status" enum): do not rename.
enum class DialogueStatus { kActive, kPaused, kResumed, kTerminated };

std::string_view DialogueStatusName(DialogueStatus s);
std::optional<DialogueStatus> ParseDialogueStatus(std::string_view name);

// OK when a dialogue in `from` (none: never started) may move to `to`;
// FailedPrecondition saying why not ("a paused dialogue is resumed, not made
// active again"). The table is in docs/commission.md.
Status CheckDialogueTransition(std::optional<DialogueStatus> from,
                               DialogueStatus to);

}  // namespace detente::commission

#endif  // DETENTE_COMMISSION_DIALOGUE_H_
