// Replay of a scenario (scenario.h) over a synthetic history (synth.h): the
// record as it happened, on both parties' signed and cosigned logs.
//
// Replay = BuildHistory (the SYNTHETIC database history, as `detente synth`
// makes it), the scenario's events turned into notifications (the fields
// the file leaves to the replay filled in: SYNTHETIC Commissioner keys,
// their outcome signatures, agenda hashes), MergeNotifications (each
// sender's log in sent-time order, renumbered, validated; a party that
// stops sending sends nothing synthetic afterwards), then WriteHistory with
// a manifest and SYNTHETIC.md that say which notifications are sourced,
// which are illustrations and which are synthetic. docs/scenarios.md has
// the details.
//
// Functions are pure apart from Replay's writes; thread-safe. Reports are
// plain values.
#ifndef DETENTE_SCENARIO_REPLAY_H_
#define DETENTE_SCENARIO_REPLAY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/registry/published.h"
#include "detente/scenario/scenario.h"
#include "detente/scenario/synth.h"
#include "detente/treaty/spec.h"

namespace detente::scenario {

// One scenario event as written on its sender's log.
struct ReplayedEvent {
  int line = 0;  // in the scenario file
  std::string party;
  uint64_t sequence = 0;  // on the party's merged log
  std::string type;
  Instant event_time;
  Instant sent_time;
  bool illustration = false;
  std::string source;
  std::string note;
};

// Why a postponed session could not have convened: the commission's answer
// to a convene on the first day of its dates, asked of the state just
// before the postponement (nothing of the probe is written to any log).
struct ConveneCheck {
  std::string session;
  std::string postponed_by;
  Instant postponed_at;
  Instant probe_time;  // the first day of the session's dates then
  std::string probe_sender;
  bool would_convene = false;
  std::string refusal;  // the commission's message when it would not
};

// The commission's refusal of a scenario event (a scenario that the
// commission refuses is reported, not rejected: the refusal is the record).
struct ScenarioRefusal {
  int line = 0;
  std::string text;
};

struct ReplayReport {
  SynthReport written;
  std::string scenario_file;  // base name
  std::string scenario_id;
  std::vector<ReplayedEvent> events;  // in scenario order
  // Synthetic notifications dropped because their sender had stopped
  // sending (stops_sending), per party; 0 when the synthetic record had
  // already stopped.
  std::map<std::string, size_t> dropped;
  std::vector<ConveneCheck> convene_checks;
  std::vector<ScenarioRefusal> refusals;
  // Party -> verifier key of the last Commissioner the scenario appoints
  // (SYNTHETIC keys, derived from the seed).
  std::map<std::string, std::string> commissioner_keys;
};

// The history with the scenario merged, and what Replay reports about it,
// without writing anything.
struct ReplayHistory {
  SynthHistory history;
  ReplayReport report;  // `written` empty
};

// REQUIRES: scenario was loaded against `spec`. Uses opts.seed for the
// synthetic history and the Commissioner keys. Errors: BuildHistory's; an
// event the replay cannot complete (an outcome before a party appointed a
// Commissioner, an agenda acceptance with no agenda proposed) is
// InvalidArgument naming the file and line; MergeNotifications' errors.
Result<ReplayHistory> BuildReplay(const treaty::Spec& spec,
                                  const registry::PublishedTable& published,
                                  const Scenario& scenario,
                                  const SynthOptions& opts);

// BuildReplay, then WriteHistory into opts.out_dir (which must not hold a
// previous run's files: AlreadyExists).
Result<ReplayReport> Replay(const treaty::Spec& spec,
                            const registry::PublishedTable& published,
                            const Scenario& scenario, const SynthOptions& opts);

// The SYNTHETIC Commissioner key a replay with `seed` gives to `party`'s
// Commissioner `name`: Ed25519, key name
// "<party lower-case>-commissioner.synthetic.detente/<treaty>", seed
// SHA-256("detente/scenario/replay/commissioner/v1\n" || decimal seed ||
// "\n" || party || "\n" || name).
Result<crypto::SignerKey> SyntheticCommissionerKey(std::string_view treaty_id,
                                                   uint64_t seed,
                                                   std::string_view party,
                                                   std::string_view name);

}  // namespace detente::scenario

#endif  // DETENTE_SCENARIO_REPLAY_H_
