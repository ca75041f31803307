// Synthetic item-level history consistent with the public record: both
// parties' signed notification logs such that the regime fold
// (docs/regime.md) reproduces every published aggregate exactly at each
// as-of date of the aggregates table, and stays plausible between them.
//
// The public record gives three numbers per party and exchange; the items
// behind them (each missile, launcher and bomber, its status, base and
// warheads) are invented here from type mixes that are PARAMETERS
// (PartyProfile), seeded and reproducible: the same spec, table and options
// always give the same bytes. Everything written is labelled SYNTHETIC.
// docs/synth.md describes the model, the defaults and what rests on
// assumption.
//
// Synthesize() writes, into SynthOptions::out_dir, per party P:
//   P.key, P.key.vkey, P.key.cosigner.vkey  deterministic keys (from the seed)
//   P.db                                    P's log (ledger::LogStore): its
//                                           signed notifications, checkpoints
//                                           cosigned by the other party
// and manifest.json + SYNTHETIC.md saying what the data are and how they were
// made.
//
// Functions are pure apart from Synthesize's writes; they keep no state and
// are thread-safe. Options and reports are plain values.
#ifndef DETENTE_SCENARIO_SYNTH_H_
#define DETENTE_SCENARIO_SYNTH_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/notification/notification.h"
#include "detente/registry/published.h"
#include "detente/treaty/spec.h"

namespace detente::scenario {

// A point of a piecewise-linear schedule: `value` on `date`, linear in days
// between points, constant before the first point and after the last.
struct Knot {
  Date date;
  int64_t value = 0;
};

// One type of strategic delivery vehicle of a party: an ICBM or SLBM system
// (a missile type and its launcher type, items of categories icbm +
// icbm_launcher or slbm + slbm_launcher), or a heavy bomber type (category
// heavy_bomber). Counts are per accountable launcher (bomber): deployed or
// non-deployed; test and converted items are not accountable.
struct TypeMix {
  std::string code;      // item id prefix, [A-Z0-9]+, unique in the profile
  std::string category;  // "icbm", "slbm" or "heavy_bomber"
  std::string type;      // missile or bomber type, e.g. "Minuteman III"
  // Missiles: the launcher's type, e.g. "Minuteman III launcher".
  std::string launcher_type;
  std::string basing;  // icbm: "silo" or "mobile" (the category attribute)
  // slbm: launchers come in submarines of this class, named
  // "<class> hull <n>", `tubes_per_submarine` launchers each.
  std::string submarine_class;
  int64_t tubes_per_submarine = 0;

  // ASSUMPTION, not from the project's sourced facts: the most reentry
  // vehicles one missile of the type carries (NST-TYPE-NEW max_warheads).
  int64_t max_warheads = 0;
  // ASSUMPTION: the typical load, in thousandths of a warhead per deployed
  // missile; the party's warheads are shared among its systems in this
  // proportion (within [1, max_warheads] per missile).
  int64_t typical_warheads_milli = 1000;

  // Relative number of accountable launchers (bombers) over time; the
  // party's published launcher figure is shared among its types in this
  // proportion at each as-of date.
  std::vector<Knot> launchers;
  // Share of the type's accountable launchers that tend to be deployed
  // (loaded; bombers: deployed), per mille; the party's deployed figure is
  // shared in proportion to launchers x this.
  int64_t deploy_per_mille = 800;
  // Spare (non-deployed) missiles at entry into force, per mille of the
  // type's launchers; they are stored at `storage`.
  int64_t spare_missiles_per_mille = 0;
  // Items of status "test" (test launchers, test bombers), not accountable.
  int64_t test_items = 0;

  // New launchers (bombers) of this type may be built; otherwise its count
  // never grows. Missiles are produced whenever no spare is left.
  bool in_production = false;
  // Launchers are added and removed this many at a time (a submarine's
  // tubes); 1 for silos, mobile launchers and bombers.
  int64_t add_unit = 1;
  int64_t remove_unit = 1;
  // Reductions by conversion (NST-ITEM-CONV: bombers to non-nuclear
  // armaments, SLBM launchers converted) rather than by elimination.
  bool reduce_by_conversion = false;

  std::vector<std::string> bases;  // facility ids where deployed items are
  // Missiles: where spare missiles are kept; bombers: where non-deployed
  // bombers are (repair facility).
  std::string storage;
  std::string production;     // where new missiles (bombers) come from
  std::string test_facility;  // where test items are

  std::string source;  // where the numbers come from, or "assumption"
};

struct FacilityDef {
  std::string id;    // facility identifier, e.g. "US-MINOT"
  std::string name;  // e.g. "Minot AFB"
  std::string kind;  // NST-FACILITY-NEW kind: operating_base, storage, ...
  std::string location;
};

// A party's force model: its facilities and type mix.
struct PartyProfile {
  std::string party;  // party code of the spec, e.g. "US"
  std::vector<FacilityDef> facilities;
  std::vector<TypeMix> types;
};

// The default New START profiles (US, RU). The US mix is anchored on the
// sourced per-type table of 1 September 2020 (facts §2); everything else
// (RU types, earlier and later mixes, warheads per type, bases) is an
// assumption, labelled so in each TypeMix::source and in docs/synth.md.
std::vector<PartyProfile> NewStartProfiles();

struct SynthOptions {
  std::string treaty_id = "new-start";
  uint64_t seed = 1;
  std::string out_dir;  // must not hold a previous run's files

  std::vector<PartyProfile> profiles = NewStartProfiles();

  // The spec's limit ids playing the three roles of New START's Article II
  // (the published table's columns).
  std::string delivery_vehicles_limit = "deployed_delivery_vehicles";
  std::string warheads_limit = "deployed_warheads";
  std::string launchers_limit = "deployed_and_nondeployed_launchers";

  // Timing of notifications. A change is sent at the first dispatch
  // (every `dispatch_interval_hours`, at `dispatch_hour` GMT) after a delay
  // drawn from [1 hour, max_send_delay_hours] following its event; the
  // receiving party cosigns the sender's checkpoint `receipt_delay_seconds`
  // after each dispatch. Defaults keep every change within the 5-day rule.
  int64_t max_send_delay_hours = 48;
  int64_t dispatch_interval_hours = 24;
  int64_t dispatch_hour = 12;
  int64_t receipt_delay_seconds = 3600;
  // The initial database is sent this many days after entry into force
  // (due within 45), each six-month update this many days after its as-of
  // date (due within 30).
  int64_t init_send_days = 43;
  int64_t update_send_days = 28;

  // Plausible churn between exchanges, per mille of the deployed missiles
  // (bombers) of each type per interval: maintenance rotations (one item
  // taken off, another put on), and pairs of one upload and one download.
  int64_t rotations_per_mille = 20;
  int64_t rv_churn_per_mille = 10;
  // Chance, per mille, that a missile taken out of its launcher is then
  // moved to storage (NST-ITEM-MOVE).
  int64_t to_storage_per_mille = 300;

  // Stop after the last as-of date on or before this day (tests, demos);
  // none: where each party's record stops.
  std::optional<Date> until;
};

// One figure of one exchange: what was published, what the synthetic
// history was made to hold, and what it holds (counted from the items).
struct FigureReport {
  std::string limit_id;
  std::optional<int64_t> published;  // none: not published
  int64_t target = 0;
  int64_t produced = 0;
  // "published"; "interpolated" (linear in time between published figures);
  // "held" (the nearest published figure, none on one side); "adjusted"
  // (interpolated, then raised or lowered to stay consistent).
  std::string basis;
};

struct ExchangeReport {
  Date as_of;
  std::string party;
  // The notification declaring the database as of this date:
  // "NST-DB-INIT", "NST-DB-UPDATE", or empty when the date is only a
  // published as-of date (e.g. 2018-02-05) reached by the changes.
  std::string declared_by;
  std::vector<FigureReport> figures;
};

struct PartyHistory {
  std::string party;
  // Unsigned, validated, in sequence order (1, 2, 3, ...).
  std::vector<notification::Notification> notifications;
  // The instants at which the sender dispatches: each notification belongs
  // to the last dispatch at or before its sent time; the receiving party
  // cosigns the checkpoint after each at its receipt time.
  struct Dispatch {
    size_t end = 0;   // notifications [previous end, end)
    Instant receipt;  // the other party's cosignature time
  };
  std::vector<Dispatch> dispatches;
};

// What a history's manifest and SYNTHETIC.md say about notifications merged
// into it from outside the synthetic model (MergeNotifications): which
// are sourced, which are illustrations.
struct MergedProvenance {
  std::string name;           // e.g. "new-start-bcc.toml"
  std::string manifest_json;  // one JSON value: manifest "merged"[name]
  std::string readme;         // Markdown, appended to SYNTHETIC.md
};

struct SynthHistory {
  std::vector<PartyHistory> parties;      // in spec party order
  std::vector<ExchangeReport> exchanges;  // by date, then spec party order
  std::vector<MergedProvenance> merged;   // empty for a plain synth run
};

// The whole synthetic history in memory: validated (notification::Validate)
// and sent within each notification's deadline (notification::DueBy), with
// every target figure reproduced by the fold. InvalidArgument for bad
// options or a table that does not fit the spec; FailedPrecondition when
// the profiles cannot reproduce a figure (the message says which).
Result<SynthHistory> BuildHistory(const treaty::Spec& spec,
                                  const registry::PublishedTable& published,
                                  const SynthOptions& opts);

// Notifications of one party from outside the synthetic model (a
// scenario's events, scenario/replay.h) to merge into a built history.
struct ExtraNotifications {
  std::string party;
  // Sequence numbers are ignored (renumbered); sent_time must be set.
  std::vector<notification::Notification> notifications;
  // The party stops sending at this instant: its synthetic notifications
  // sent after it are dropped, and an extra one sent after it is an error.
  std::optional<Instant> stops_sending;
};

// Merges `extra` into `history` (what BuildHistory returned for the same
// spec and options): each party's notifications, synthetic and extra, in
// sent-time order (synthetic first at equal times), renumbered 1, 2, 3, ...
// and each validated (notification::Validate). Dispatches are regrouped: a
// notification joins the open dispatch when it is sent before that
// dispatch's receipt, which becomes the latest receipt of its members (an
// extra one's own receipt is sent + receipt_delay_seconds); so a history
// without extras keeps its dispatches. Every receipt is at most the
// deadline (notification::DueBy) of each notification it covers. Returns
// the number of synthetic notifications dropped per party (stops_sending).
// InvalidArgument naming the party, sequence and type of a notification
// that does not validate or is not the spec's; FailedPrecondition for an
// extra notification sent after its party stopped, or a receipt past a
// deadline. On error `history` is unchanged.
Result<std::map<std::string, size_t>> MergeNotifications(
    const treaty::Spec& spec, const SynthOptions& opts,
    const std::vector<ExtraNotifications>& extra, SynthHistory* history);

struct PartyReport {
  std::string party;
  std::string key_file;  // P.key (mode 0600)
  std::string vkey_file;
  std::string cosigner_vkey_file;
  std::string db_file;
  std::string vkey;  // the verifier key, C2SP form
  std::string cosigner_vkey;
  uint64_t notifications = 0;
  std::map<std::string, uint64_t> by_type;  // notification code -> count
  uint64_t log_size = 0;
  uint64_t checkpoints = 0;  // signed by the party, each cosigned
};

struct SynthReport {
  std::string out_dir;
  std::string treaty_id;
  uint64_t seed = 0;
  std::string source_csv;  // the aggregates file's name
  std::vector<PartyReport> parties;
  std::vector<ExchangeReport> exchanges;
  std::string manifest_file;
  std::string readme_file;
  // When every party re-cosigned every other party's latest checkpoint (the
  // day after each periodic update's deadline and at the treaty's end), so
  // that the logs show how they stood even when nothing was sent.
  std::vector<Instant> witness_checks;
};

// BuildHistory, then WriteHistory: nothing is written unless the whole
// history validated.
Result<SynthReport> Synthesize(const treaty::Spec& spec,
                               const registry::PublishedTable& published,
                               const SynthOptions& opts);

// Writes `history` (what BuildHistory returned for the same spec, table and
// options) into opts.out_dir, created if missing: the keys, each party's log
// with a checkpoint signed after each dispatch and cosigned by every other
// party at its receipt time, each party's periodic re-cosignature of the
// others' latest checkpoints (SynthReport::witness_checks), and the
// manifest. AlreadyExists when out_dir
// holds a key, log or manifest of a previous run (remove them first);
// IOError naming the path on a write failure.
Result<SynthReport> WriteHistory(const treaty::Spec& spec,
                                 const registry::PublishedTable& published,
                                 const SynthOptions& opts,
                                 const SynthHistory& history);

// The deterministic key name and signing-key seed of `party`'s synthetic
// log, e.g. "us.synthetic.detente/new-start"; the seed is
// SHA-256("detente/scenario/synth/key/v1\n" || decimal seed || "\n" ||
// party).
std::string SyntheticKeyName(std::string_view treaty_id,
                             std::string_view party);

}  // namespace detente::scenario

#endif  // DETENTE_SCENARIO_SYNTH_H_
