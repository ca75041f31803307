#include "detente/commission/dialogue.h"

#include "fmt/format.h"

namespace detente::commission {

std::string_view DialogueStatusName(DialogueStatus s) {
  switch (s) {
    case DialogueStatus::kActive:
      return "active";
    case DialogueStatus::kPaused:
      return "paused";
    case DialogueStatus::kResumed:
      return "resumed";
    case DialogueStatus::kTerminated:
      return "terminated";
  }
  return "?";
}

std::optional<DialogueStatus> ParseDialogueStatus(std::string_view name) {
  for (DialogueStatus s :
       {DialogueStatus::kActive, DialogueStatus::kPaused,
        DialogueStatus::kResumed, DialogueStatus::kTerminated}) {
    if (DialogueStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Status CheckDialogueTransition(std::optional<DialogueStatus> from,
                               DialogueStatus to) {
  using S = DialogueStatus;
  if (!from) {
    if (to == S::kActive) return Status::Ok();
    return Status::FailedPrecondition(fmt::format(
        "the dialogue has not started: it can only become active, not {}",
        DialogueStatusName(to)));
  }
  if (*from == S::kTerminated) {
    return Status::FailedPrecondition(fmt::format(
        "the dialogue is terminated, which is final: it cannot become {}",
        DialogueStatusName(to)));
  }
  if (*from == to) {
    return Status::FailedPrecondition(
        fmt::format("the dialogue is already {}", DialogueStatusName(to)));
  }
  switch (to) {
    case S::kActive:
      return Status::FailedPrecondition(
          fmt::format("a {} dialogue does not become active again: it is "
                      "paused and then resumed",
                      DialogueStatusName(*from)));
    case S::kPaused:
      return Status::Ok();  // from active or resumed
    case S::kResumed:
      if (*from == S::kPaused) return Status::Ok();
      return Status::FailedPrecondition(
          fmt::format("only a paused dialogue can be resumed; it is {}",
                      DialogueStatusName(*from)));
    case S::kTerminated:
      return Status::Ok();
  }
  return Status::Internal("unknown dialogue status");
}

}  // namespace detente::commission
