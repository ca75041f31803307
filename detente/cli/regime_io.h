// What the regime commands (state, findings, bcc, dialogue, notify) share:
// opening every party's log in a directory as `detente synth` writes it,
// reading their notifications, parsing "--at"-style times, and appending
// one notification to a sender's log with every check `detente notify`
// makes. Each call owns what it returns; no shared state.
#ifndef DETENTE_CLI_REGIME_IO_H_
#define DETENTE_CLI_REGIME_IO_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/compliance/checker.h"
#include "detente/ledger/log_store.h"
#include "detente/notification/notification.h"
#include "detente/regime/fold.h"
#include "detente/treaty/spec.h"

namespace detente::cli {

// The parties' open logs and log keys; `inputs` borrow from `logs`.
struct OpenRegime {
  std::vector<std::unique_ptr<ledger::LogStore>> logs;
  std::vector<compliance::PartyLogInput> inputs;
};

// Opens <dir>/<CODE>.db (or <code>.db) with <CODE>.key.vkey for every party
// of `spec` that has one, with `options`. NotFound when none has.
Result<OpenRegime> OpenRegimeDir(const treaty::Spec& spec,
                                 const std::string& dir,
                                 const ledger::LogStoreOptions& options = {});

// The path of party `code`'s file with `suffix` in `dir` (".db", ".key"):
// upper-case as synth writes it, else lower-case when only that exists.
std::string PartyFile(const std::string& dir, const std::string& code,
                      const std::string& suffix);

// Every party's notifications, signatures checked (regime::ReadPartyLog);
// `irregular` (may be null) counts the entries that were not.
Result<std::vector<regime::LoggedNotification>> ReadNotifications(
    const treaty::Spec& spec, const OpenRegime& regime,
    size_t* irregular = nullptr);

// "--at" text: a date means its end (23:59:59Z), so that everything that
// happened that day counts; empty means the end of today (GMT); else an
// instant.
Result<Instant> WhenOrNow(const std::string& text);

// Now, to the second.
Instant NowInstant();

struct AppendOptions {
  std::optional<uint64_t> sequence;  // default: the log's last + 1
  bool allow_gap = false;            // exercises only: a sequence gap
  // Called with the complete notification (sequence set) after validation
  // and before signing: a non-OK status refuses it, nothing appended.
  std::function<Status(const notification::Notification&)> precheck;
  // Every check, nothing signed or appended: `index` is where it would go.
  bool dry_run = false;
};

struct Appended {
  uint64_t index = 0;
  uint64_t sequence = 0;
};

// Validates `n` against `spec`, numbers it, signs it with the key in
// `key_file` and appends it to the log at `db`. Refused, with nothing
// appended, when the key is not the log's (PermissionDenied), the sequence
// replays or skips one (FailedPrecondition), the notification does not
// validate (InvalidArgument), or the precheck refuses it. `input` names the
// notification's origin in messages.
Result<Appended> AppendNotification(const treaty::Spec& spec,
                                    const std::string& db,
                                    const std::string& key_file,
                                    notification::Notification n,
                                    const AppendOptions& opts,
                                    const std::string& input);

// The value of body field `name` of `type` from command-line text, typed
// by the catalogue: integers and booleans (true/false, yes/no, 1/0) become
// integers, everything else a string. InvalidArgument naming the type and
// the field (and the fields it has, for an unknown one).
Result<notification::Value> ParseFieldValue(
    const treaty::NotificationType& type, const std::string& name,
    const std::string& text);

// Completes a step's body fields: those of `body_file` (a JSON object of
// strings, integers and booleans; may be empty) that the command line did
// not give, then every "@FILE" value replaced by the file's text (its
// final line feed dropped, except for "signatures", whose lines each end
// in one). Errors name the file or the option.
Status ReadFieldFiles(const std::string& body_file,
                      std::map<std::string, std::string>& fields);

}  // namespace detente::cli

#endif  // DETENTE_CLI_REGIME_IO_H_
