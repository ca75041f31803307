// The detente command line: one Run* function per subcommand, each taking a
// plain options struct filled by main.cc (the only file that includes
// CLI11, to keep compile times down) and writing to the given streams.
//
// Exit codes (docs/cli.md):
//   0  success; for checks: everything checked is within the rules
//   1  a check failed: an invalid spec (treaty check), a binding limit
//      exceeded (count, history)
//   2  usage error: unknown command, missing or malformed argument
//   3  input error: a file that cannot be read or is not valid
//
// Functions are reentrant; they share no state.
#ifndef DETENTE_CLI_COMMANDS_H_
#define DETENTE_CLI_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace detente::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInput = 3;

enum class OutputFormat { kTable, kJson, kCsv };

struct CommonOptions {
  std::string data_dir;  // empty: treaty::DefaultDataDir()
  OutputFormat format = OutputFormat::kTable;
};

struct Streams {
  std::ostream& out;
  std::ostream& err;
};

int RunTreatyList(const CommonOptions& common, Streams io);

struct TreatyShowOptions {
  std::string name;  // a bundled spec's id or a path to a .toml file
};
int RunTreatyShow(const CommonOptions& common, const TreatyShowOptions& opts,
                  Streams io);

struct TreatyCheckOptions {
  std::vector<std::string> files;
};
int RunTreatyCheck(const CommonOptions& common, const TreatyCheckOptions& opts,
                   Streams io);

struct CountOptions {
  std::string treaty;
  std::string items_file;
  std::string at;  // YYYY-MM-DD; empty: today (GMT)
};
int RunCount(const CommonOptions& common, const CountOptions& opts, Streams io);

struct HistoryOptions {
  std::string treaty = "new-start";
  std::string data_file;  // empty: <data_dir>/public/<treaty>_aggregates.csv
};
int RunHistory(const CommonOptions& common, const HistoryOptions& opts,
               Streams io);

// --- Keys and the verifiable log (docs/log-format.md) ---

struct KeyNewOptions {
  std::string name;  // the log origin the key signs for
  std::string out;   // private key file; FILE.vkey and FILE.cosigner.vkey too
  bool force = false;
};
int RunKeyNew(const CommonOptions& common, const KeyNewOptions& opts,
              Streams io);

struct LogInitOptions {
  std::string db;
  std::string key;
};
int RunLogInit(const CommonOptions& common, const LogInitOptions& opts,
               Streams io);

struct LogAppendOptions {
  std::string db;
  std::string input = "-";  // a file, or "-" for standard input
  bool whole = false;       // the whole input is one entry (else one per line)
};
int RunLogAppend(const CommonOptions& common, const LogAppendOptions& opts,
                 Streams io);

struct LogCheckpointOptions {
  std::string db;
  std::string key;
  std::string out;  // also write the note here
};
int RunLogCheckpoint(const CommonOptions& common,
                     const LogCheckpointOptions& opts, Streams io);

struct LogProveOptions {
  std::string db;
  std::string kind;  // "inclusion" or "consistency"
  uint64_t index = 0;
  bool has_size = false;
  uint64_t size = 0;  // --size (inclusion) or --to (consistency)
  uint64_t from = 0;
  bool no_entry = false;  // leave the entry out of the bundle's extra line
};
int RunLogProve(const CommonOptions& common, const LogProveOptions& opts,
                Streams io);

struct LogVerifyOptions {
  std::string db;
};
int RunLogVerify(const CommonOptions& common, const LogVerifyOptions& opts,
                 Streams io);

struct LogCosignOptions {
  std::string db;        // the witness's own log
  std::string key;       // the witness's key
  std::string log_vkey;  // the cosigned log's verifier key (text or file)
  std::string checkpoint;
  std::string proof;  // consistency proof (log prove consistency output)
  bool has_time = false;
  uint64_t time = 0;  // cosignature timestamp; default now
};
int RunLogCosign(const CommonOptions& common, const LogCosignOptions& opts,
                 Streams io);

struct LogReceiptOptions {
  std::string db;
  std::vector<std::string> witness_vkeys;
  std::string cosigned;  // the checkpoint note as returned by the witness
};
int RunLogReceipt(const CommonOptions& common, const LogReceiptOptions& opts,
                  Streams io);

struct ProofVerifyOptions {
  std::string file;
  std::string vkey;
  std::vector<std::string> witness_vkeys;
  size_t min_cosignatures = 0;
  std::string entry_file;  // default: the bundle's extra line
};
int RunProofVerify(const CommonOptions& common, const ProofVerifyOptions& opts,
                   Streams io);

// --- The regime: state and findings over the parties' logs ---

// Where the parties' logs are: DIR/<PARTY>.db and DIR/<PARTY>.key.vkey for
// each party of the treaty (the layout `detente synth` writes; lower-case
// codes are accepted too).
struct RegimeOptions {
  std::string treaty = "new-start";
  std::string dir;
};

struct StateOptions {
  RegimeOptions regime;
  std::string at;         // YYYY-MM-DD or an instant; default: now
  std::string published;  // CSV to show beside (default: bundled, if any)
};
int RunState(const CommonOptions& common, const StateOptions& opts, Streams io);

struct FindingsOptions {
  RegimeOptions regime;
  std::string until;         // default: now
  std::string out_dir;       // write each finding as <id>.json here
  std::string cadence_from;  // check the sessions' yearly minimum from here
  // How entries are authenticated (compliance::CheckOptions::
  // authentication): "signatures" (each entry's own, the default) or
  // "checkpoint" (the latest signed checkpoint's root, recomputed from
  // the entries; for very large logs whose entries were checked at
  // receipt).
  std::string authenticate = "signatures";
};
int RunFindings(const CommonOptions& common, const FindingsOptions& opts,
                Streams io);

struct SynthOptions {
  std::string treaty = "new-start";
  std::string aggregates;  // default: data/public/<treaty>_aggregates.csv
  uint64_t seed = 1;
  std::string out_dir;
  std::string until;  // stop after the last exchange on or before this date
};
int RunSynth(const CommonOptions& common, const SynthOptions& opts, Streams io);

// detente replay: a scenario file (docs/scenarios.md) merged into the
// SYNTHETIC history and written as both parties' logs.
struct ReplayOptions {
  std::string scenario;    // the scenario file; its [scenario] names the spec
  std::string aggregates;  // default: data/public/<treaty>_aggregates.csv
  uint64_t seed = 1;
  std::string out_dir;
  std::string until;  // the synthetic history stops after this exchange
};
int RunReplay(const CommonOptions& common, const ReplayOptions& opts,
              Streams io);

struct NotifyOptions {
  std::string treaty = "new-start";
  std::string db;           // the sender's log
  std::string key;          // the sender's key (the log's key)
  std::string input = "-";  // the notification as JSON
  bool has_sequence = false;
  uint64_t sequence = 0;   // default: the log's last sequence + 1
  bool allow_gap = false;  // exercises only: inject a sequence gap
};
int RunNotify(const CommonOptions& common, const NotifyOptions& opts,
              Streams io);

struct FindingVerifyOptions {
  std::string file;
  std::vector<std::string> vkeys;  // every party's log verifier key
};
int RunFindingVerify(const CommonOptions& common,
                     const FindingVerifyOptions& opts, Streams io);

// detente bcc issues|sessions|agenda, detente dialogue: the commission and
// the dialogue as the logs in regime.dir stand at `at`.
struct CommissionViewOptions {
  RegimeOptions regime;
  std::string view;     // "issues", "sessions", "agenda" or "dialogue"
  std::string at;       // default: now
  std::string session;  // agenda (required), sessions (optional filter)
};
int RunBccView(const CommonOptions& common, const CommissionViewOptions& opts,
               Streams io);

// detente bcc raise|propose|accept|postpone|cancel|convene|conclude|record|
// commissioner|withdraw, detente dialogue status|note|demarche|sever: one
// signed notification on the party's log, refused (exit 1, nothing
// appended) when the commission would refuse it.
struct CommissionStepOptions {
  RegimeOptions regime;
  std::string verb;
  std::string party;
  std::string key;   // default: <dir>/<PARTY>.key
  std::string time;  // event (and sent) time; default: now
  std::map<std::string, std::string> fields;  // body fields by name
  bool accept_dates = false;  // accept: the session's proposed dates
  std::string body_file;      // JSON object of further body fields
  bool dry_run = false;       // check only: nothing appended
};
int RunCommissionStep(const CommonOptions& common,
                      const CommissionStepOptions& opts, Streams io);

// detente bcc sign-outcome: a Commissioner's signature line over an outcome
// record (commission/outcome.h), for `bcc record --signatures @FILE`.
struct SignOutcomeOptions {
  std::string treaty = "new-start";
  std::string party;
  std::string key;  // the Commissioner's signer key file
  std::string session;
  std::string kind;
  int64_t number = 0;
  std::string title;
  std::string signed_on;  // YYYY-MM-DD
  std::string text;       // @FILE reads a file
  std::string issues;     // comma-separated
  bool confidential = false;
};
int RunSignOutcome(const CommonOptions& common, const SignOutcomeOptions& opts,
                   Streams io);

// detente inspections: quota use per inspecting party and type for one
// quota year, that year's inspections, refusals and irregularities, as the
// logs in regime.dir stand at `at` (docs/inspection.md).
struct InspectionViewOptions {
  RegimeOptions regime;
  std::string at;  // default: now
  // The quota year by the name docs/inspection.md gives it: a treaty year
  // is named by the calendar year it starts in (New START's 2019 is
  // 2019-02-05 to 2020-02-04), a calendar year by itself. 0: the year
  // `at` falls in.
  int year = 0;
  std::string inspection;  // show this inspection in detail instead
};
int RunInspectionsView(const CommonOptions& common,
                       const InspectionViewOptions& opts, Streams io);

// detente inspections request|arrive|complete|rv-commit|rv-random|
// rv-reveal: one signed notification on the party's log, refused (exit 1,
// nothing appended) when the inspections folded up to its event time
// would refuse it.
struct InspectionStepOptions {
  RegimeOptions regime;
  std::string verb;
  std::string party;
  std::string key;   // default: <dir>/<PARTY>.key
  std::string time;  // sent time (and event time but for a request, whose
                     // event is the planned arrival); default: now
  std::map<std::string, std::string> fields;  // body fields by name
  std::string body_file;  // JSON object of further body fields
  // rv-commit: the missiles to commit to (comma-separated; default: the
  // party's declared deployed missiles at the site, in a random order).
  std::string missiles;
  // rv-commit writes, rv-reveal reads the opening (list and salt) here;
  // default: <dir>/<PARTY>.<inspection>.rv-opening.json.
  std::string opening;
};
int RunInspectionStep(const CommonOptions& common,
                      const InspectionStepOptions& opts, Streams io);

// --- Strategic stability (docs/stability.md, stability_commands.cc) ---

// The model's inputs shared by stability index|exchange|mc. A posture is a
// file under <data_dir>/postures by id, or a path (with '/' or ".toml").
struct StabilityModelOptions {
  std::string a = "us-new-start-2020";  // side A (the striker, for exchange
  std::string b = "russia-2024";        // and mc); side B
  double w80_a = 300.0;                 // notional defaults (indices.h)
  double w80_b = 300.0;
  int max_warheads_per_aim_point = 2;
  bool launch_under_attack = false;
  bool bombers_in_counterforce = false;
  std::string alert;  // "", "day_to_day" or "generated" (victims' alert)
};

// detente stability pk: the kill probability of n warheads on one target.
struct StabilityPkOptions {
  double yield_kt = 0.0;
  double cep_m = 0.0;
  double hardness_psi = 0.0;
  double reliability = 1.0;
  int64_t warheads = 1;
  double lethal_radius_constant = 2.62;
};
int RunStabilityPk(const CommonOptions& common, const StabilityPkOptions& opts,
                   Streams io);

// detente stability index: Kent & Thaler index and balance measures.
int RunStabilityIndex(const CommonOptions& common,
                      const StabilityModelOptions& opts, Streams io);

// detente stability exchange: A's counterforce strike on B, expected value.
struct StabilityExchangeOptions {
  StabilityModelOptions model;
  int64_t warheads = -1;  // counterforce warheads used; -1: the whole plan
};
int RunStabilityExchange(const CommonOptions& common,
                         const StabilityExchangeOptions& opts, Streams io);

// detente stability mc: the same exchange by Monte Carlo, beside the
// expected value.
struct StabilityMcOptions {
  StabilityModelOptions model;
  int64_t warheads = -1;
  int64_t trials = 10000;
  uint64_t seed = 0;
  bool has_seed = false;  // --seed is required: no default entropy
  int threads = 1;
};
int RunStabilityMc(const CommonOptions& common, const StabilityMcOptions& opts,
                   Streams io);

// detente sweep FILE: every point of a sweep file's grid (sweep.h); with
// `mpi`, the points are shared among the MPI ranks and rank 0 writes the
// same bytes as one process would.
struct SweepOptions {
  std::string file;
  int threads = 1;
  bool mpi = false;
  bool progress = true;  // on stderr, only when it is a terminal
};
int RunSweep(const CommonOptions& common, const SweepOptions& opts, Streams io);

}  // namespace detente::cli

#endif  // DETENTE_CLI_COMMANDS_H_
