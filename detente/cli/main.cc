// The detente executable: parses the command line with CLI11 and dispatches
// to the Run* functions of commands.h.
#include <CLI/CLI.hpp>
#include <deque>
#include <initializer_list>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detente/cli/commands.h"

namespace {

using detente::cli::CommonOptions;
using detente::cli::OutputFormat;

// Adds --json / --csv to a subcommand, writing into `common`.
void AddFormatFlags(CLI::App* cmd, CommonOptions* common, bool csv) {
  cmd->add_flag_callback(
      "--json", [common] { common->format = OutputFormat::kJson; },
      "Machine-readable JSON on stdout");
  if (csv) {
    cmd->add_flag_callback(
        "--csv", [common] { common->format = OutputFormat::kCsv; },
        "CSV on stdout");
  }
}

// Storage for the commission step commands: each subcommand writes its
// options here while parsing (addresses must stay put: a deque).
struct StepCommand {
  detente::cli::CommissionStepOptions opts;
  std::map<std::string, std::string> raw;  // flag -> text
  std::vector<std::string> sets;           // --set name=value
};

struct FieldFlag {
  const char* flag;   // without "--"
  const char* field;  // body field
  const char* help;
};

// bcc <verb> / dialogue <verb>: one signed notification.
void AddStep(CLI::App* parent, std::deque<StepCommand>& steps,
             CommonOptions& common, detente::cli::Streams& io, int& rc,
             const char* verb, const char* help,
             std::initializer_list<FieldFlag> flags,
             std::initializer_list<FieldFlag> bool_flags = {}) {
  StepCommand& sc = steps.emplace_back();
  sc.opts.verb = verb;
  CLI::App* cmd = parent->add_subcommand(verb, help);
  cmd->add_option("--treaty", sc.opts.regime.treaty, "Spec id or path")
      ->default_val("new-start");
  cmd->add_option("--dir", sc.opts.regime.dir,
                  "Directory with the parties' logs and keys")
      ->required();
  cmd->add_option("--party", sc.opts.party, "The sending party")->required();
  cmd->add_option("--key", sc.opts.key,
                  "The party's key file (default: <dir>/<PARTY>.key)");
  cmd->add_option("--time", sc.opts.time,
                  "Event time, YYYY-MM-DDTHH:MM:SSZ (default: now)");
  std::vector<std::pair<std::string, std::string>> opts;
  for (const FieldFlag& f : flags) {
    cmd->add_option(std::string("--") + f.flag, sc.raw[f.field], f.help);
    opts.emplace_back(std::string("--") + f.flag, f.field);
  }
  std::vector<std::pair<std::string, std::string>> bools;
  for (const FieldFlag& f : bool_flags) {
    cmd->add_flag(std::string("--") + f.flag, f.help);
    bools.emplace_back(std::string("--") + f.flag, f.field);
  }
  if (std::string_view(verb) == "accept") {
    cmd->add_flag("--dates", sc.opts.accept_dates,
                  "Accept the session's proposed dates (instead of its "
                  "agenda)");
  }
  cmd->add_option("--set", sc.sets,
                  "Any body field as name=value (repeatable; @FILE reads a "
                  "file)");
  cmd->add_option("--body", sc.opts.body_file,
                  "A JSON object of further body fields");
  cmd->add_flag("--dry-run", sc.opts.dry_run,
                "Check the step against the catalogue and the commission; "
                "append nothing");
  AddFormatFlags(cmd, &common, false);
  cmd->callback([&sc, &common, &io, &rc, cmd, opts, bools] {
    for (const auto& [flag, field] : opts) {
      if (cmd->count(flag) > 0) sc.opts.fields[field] = sc.raw[field];
    }
    for (const auto& [flag, field] : bools) {
      if (cmd->count(flag) > 0) sc.opts.fields[field] = "true";
    }
    for (const std::string& kv : sc.sets) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        io.err << "detente: --set " << kv << ": expected name=value\n";
        rc = detente::cli::kExitUsage;
        return;
      }
      sc.opts.fields[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    rc = detente::cli::RunCommissionStep(common, sc.opts, io);
  });
}

// detente inspections: the view (no subcommand) and one subcommand per
// step. Storage must stay put while CLI11 parses: a deque.
struct InspectionStep {
  detente::cli::InspectionStepOptions opts;
  std::map<std::string, std::string> raw;  // flag -> text
  std::vector<std::string> sets;           // --set name=value
};
struct InspectionCommands {
  detente::cli::InspectionViewOptions view;
  std::deque<InspectionStep> steps;
};

void AddInspectionStep(CLI::App* parent, InspectionCommands& ic,
                       CommonOptions& common, detente::cli::Streams& io,
                       int& rc, const char* verb, const char* help,
                       std::initializer_list<FieldFlag> flags) {
  InspectionStep& st = ic.steps.emplace_back();
  st.opts.verb = verb;
  CLI::App* cmd = parent->add_subcommand(verb, help);
  cmd->add_option("--treaty", st.opts.regime.treaty, "Spec id or path")
      ->default_val("new-start");
  cmd->add_option("--dir", st.opts.regime.dir,
                  "Directory with the parties' logs and keys")
      ->required();
  cmd->add_option("--party", st.opts.party, "The sending party")->required();
  cmd->add_option("--key", st.opts.key,
                  "The party's key file (default: <dir>/<PARTY>.key)");
  cmd->add_option("--time", st.opts.time,
                  std::string_view(verb) == "request"
                      ? "When the notice is sent (default: now)"
                      : "Event (and sent) time, YYYY-MM-DDTHH:MM:SSZ "
                        "(default: now)");
  cmd->add_option("--inspection", st.raw["inspection"],
                  "The inspection's id (chosen by the inspecting party)")
      ->required();
  std::vector<std::pair<std::string, std::string>> opts = {
      {"--inspection", "inspection"}};
  for (const FieldFlag& f : flags) {
    cmd->add_option(std::string("--") + f.flag, st.raw[f.field], f.help);
    opts.emplace_back(std::string("--") + f.flag, f.field);
  }
  const std::string_view v(verb);
  if (v == "rv-commit") {
    cmd->add_option("--missiles", st.opts.missiles,
                    "The missiles to commit to, comma-separated (default: "
                    "the declared deployed missiles at the site, in a "
                    "random order)");
  }
  if (v == "rv-commit" || v == "rv-reveal") {
    cmd->add_option("--opening", st.opts.opening,
                    v == "rv-commit"
                        ? "Where to save the list and salt, kept secret "
                          "until the reveal (default: "
                          "<dir>/<PARTY>.<inspection>.rv-opening.json)"
                        : "The opening rv-commit saved (default: "
                          "<dir>/<PARTY>.<inspection>.rv-opening.json)");
  }
  cmd->add_option("--set", st.sets,
                  "Any body field as name=value (repeatable; @FILE reads a "
                  "file)");
  cmd->add_option("--body", st.opts.body_file,
                  "A JSON object of further body fields");
  AddFormatFlags(cmd, &common, false);
  cmd->callback([&st, &common, &io, &rc, cmd, opts] {
    for (const auto& [flag, field] : opts) {
      if (cmd->count(flag) > 0) st.opts.fields[field] = st.raw[field];
    }
    for (const std::string& kv : st.sets) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        io.err << "detente: --set " << kv << ": expected name=value\n";
        rc = detente::cli::kExitUsage;
        return;
      }
      st.opts.fields[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    rc = detente::cli::RunInspectionStep(common, st.opts, io);
  });
}

void AddInspections(CLI::App& app, InspectionCommands& ic,
                    CommonOptions& common, detente::cli::Streams& io, int& rc) {
  CLI::App* cmd = app.add_subcommand(
      "inspections",
      "Type One and Type Two inspections on the parties' logs: quota use "
      "per treaty year, inspections, refusals and irregularities; and the "
      "steps that make them");
  detente::cli::InspectionViewOptions& v = ic.view;
  cmd->add_option("--treaty", v.regime.treaty, "Spec id or path")
      ->default_val("new-start");
  cmd->add_option("--dir", v.regime.dir,
                  "Directory with the parties' logs and keys");
  cmd->add_option("--at", v.at, "As the logs stand at this date or instant");
  cmd->add_option("--year", v.year,
                  "The quota year, named by the calendar year it starts in: "
                  "New START's treaty year 2019 is 2019-02-05 to 2020-02-04 "
                  "(default: the year --at falls in)");
  cmd->add_option("--inspection", v.inspection,
                  "Show one inspection in detail, with the choice of the "
                  "missile recomputed from the logs");
  AddFormatFlags(cmd, &common, false);
  cmd->require_subcommand(0, 1);
  const FieldFlag type{"type", "inspection_type", "type_one or type_two"};
  AddInspectionStep(
      cmd, ic, common, io, rc, "request",
      "Notify the intent to inspect (counts against the quota)",
      {type,
       {"inspected", "inspected_party",
        "The inspected party (default in a two-party treaty: the other)"},
       {"point-of-entry", "point_of_entry", "Point of entry"},
       {"arrival", "arrival",
        "Planned arrival at the point of entry, the event "
        "(YYYY-MM-DDTHH:MM:SSZ)"}});
  AddInspectionStep(cmd, ic, common, io, rc, "arrive",
                    "Arrival at the point of entry and the designated site",
                    {type, {"facility", "facility", "The designated site"}});
  AddInspectionStep(
      cmd, ic, common, io, rc, "complete",
      "Complete an inspection, with the warheads counted on the designated "
      "missile",
      {type,
       {"facility", "facility", "The site (default: the designated one)"},
       {"rv-item", "rv_inspected_item",
        "The missile counted (default with --rv-counted: the designated "
        "one)"},
       {"rv-counted", "rv_counted", "Warheads counted on it"},
       {"ambiguities", "ambiguities", "Ambiguities (@FILE reads a file)"},
       {"inspected", "inspected_party", "The inspected party"}});
  AddInspectionStep(
      cmd, ic, common, io, rc, "rv-commit",
      "As the inspected party: commit to the deployed missiles at the site",
      {{"commitment", "commitment",
        "A commitment computed elsewhere (default: computed here)"}});
  AddInspectionStep(
      cmd, ic, common, io, rc, "rv-random",
      "As the inspecting party: the random value, after the commitment",
      {{"random", "random", "64 hex digits (default: 32 random bytes)"}});
  AddInspectionStep(
      cmd, ic, common, io, rc, "rv-reveal",
      "As the inspected party: open the commitment; the missile is "
      "designated",
      {{"missiles", "missiles", "The committed list (default: the opening)"},
       {"salt", "salt", "The salt (default: the opening)"}});
  cmd->callback([cmd, &v, &common, &io, &rc] {
    if (!cmd->get_subcommands().empty()) return;
    if (v.regime.dir.empty()) {
      io.err << "detente: inspections: --dir is required\n";
      rc = detente::cli::kExitUsage;
      return;
    }
    rc = detente::cli::RunInspectionsView(common, v, io);
  });
}

// detente stability pk|index|exchange|mc and detente sweep. Storage must
// stay put while CLI11 parses.
struct StabilityCommands {
  detente::cli::StabilityPkOptions pk;
  detente::cli::StabilityModelOptions index;
  detente::cli::StabilityExchangeOptions exchange;
  detente::cli::StabilityMcOptions mc;
  detente::cli::SweepOptions sweep;
};

void AddModelFlags(CLI::App* cmd, detente::cli::StabilityModelOptions& m,
                   const char* a_help, const char* b_help) {
  cmd->add_option("--a", m.a, a_help)->default_val(m.a);
  cmd->add_option("--b", m.b, b_help)->default_val(m.b);
  cmd->add_option("--w80-a", m.w80_a,
                  "Arriving warheads destroying 80% of A's value (notional)")
      ->default_val(m.w80_a);
  cmd->add_option("--w80-b", m.w80_b,
                  "Arriving warheads destroying 80% of B's value (notional)")
      ->default_val(m.w80_b);
  cmd->add_option("--max-per-aim-point", m.max_warheads_per_aim_point,
                  "Cap on warheads per aim point (notional)")
      ->default_val(m.max_warheads_per_aim_point);
  cmd->add_flag("--launch-under-attack", m.launch_under_attack,
                "The victim launches its silo warheads under attack");
  cmd->add_flag("--bombers-in-counterforce", m.bombers_in_counterforce,
                "Bombers join the counterforce strike");
  cmd->add_option("--alert", m.alert,
                  "Victims' alert level: day_to_day or generated (default: "
                  "each posture's own)");
}

void AddStability(CLI::App& app, StabilityCommands& sc, CommonOptions& common,
                  detente::cli::Streams& io, int& rc) {
  CLI::App* stab = app.add_subcommand(
      "stability",
      "Strategic stability: kill probability, the Kent & Thaler index and "
      "balance measures, the counterforce exchange, Monte Carlo");
  stab->require_subcommand(1);
  const char* kPosture = "Posture id under <data-dir>/postures, or a path";

  CLI::App* pk = stab->add_subcommand(
      "pk", "Kill probability of warheads on one hardened target");
  pk->add_option("--yield", sc.pk.yield_kt, "Yield, kt")->required();
  pk->add_option("--cep", sc.pk.cep_m, "CEP, m")->required();
  pk->add_option("--hardness", sc.pk.hardness_psi, "Target hardness, psi")
      ->required();
  pk->add_option("--reliability", sc.pk.reliability,
                 "Launch-to-arrival reliability")
      ->default_val(1.0);
  pk->add_option("--warheads", sc.pk.warheads, "Warheads on the target")
      ->default_val(1);
  pk->add_option("--lr-constant", sc.pk.lethal_radius_constant,
                 "Lethal-radius constant c (nmi, Mt, psi)")
      ->default_val(2.62);
  AddFormatFlags(pk, &common, true);
  pk->callback([&] { rc = detente::cli::RunStabilityPk(common, sc.pk, io); });

  CLI::App* index = stab->add_subcommand(
      "index", "Kent & Thaler first-strike stability index and balance");
  AddModelFlags(index, sc.index, kPosture, kPosture);
  AddFormatFlags(index, &common, true);
  index->callback(
      [&] { rc = detente::cli::RunStabilityIndex(common, sc.index, io); });

  CLI::App* ex = stab->add_subcommand(
      "exchange", "A's counterforce first strike on B, expected value");
  AddModelFlags(ex, sc.exchange.model, "The striker's posture",
                "The victim's posture");
  ex->add_option("--warheads", sc.exchange.warheads,
                 "Counterforce warheads used (default: the whole plan)");
  AddFormatFlags(ex, &common, true);
  ex->callback([&] {
    rc = detente::cli::RunStabilityExchange(common, sc.exchange, io);
  });

  CLI::App* mc = stab->add_subcommand(
      "mc", "The same exchange by Monte Carlo, beside its expected value");
  AddModelFlags(mc, sc.mc.model, "The striker's posture",
                "The victim's posture");
  mc->add_option("--warheads", sc.mc.warheads,
                 "Counterforce warheads used (default: the whole plan)");
  mc->add_option("--trials", sc.mc.trials, "Trials")->default_val(10000);
  mc->add_option("--seed", sc.mc.seed, "Seed (required: runs reproduce)");
  mc->add_option("--threads", sc.mc.threads,
                 "Threads (the result does not depend on them)")
      ->default_val(1);
  AddFormatFlags(mc, &common, true);
  mc->callback([&, mc] {
    sc.mc.has_seed = mc->count("--seed") > 0;
    rc = detente::cli::RunStabilityMc(common, sc.mc, io);
  });

  CLI::App* sweep = app.add_subcommand(
      "sweep", "Every point of a sweep file's grid (data/sweeps/*.toml)");
  sweep->add_option("FILE", sc.sweep.file, "Sweep file (TOML)")->required();
  sweep->add_flag("--mpi", sc.sweep.mpi,
                  "Share the points among MPI ranks (mpirun -np N detente "
                  "sweep FILE --mpi); same output as one process");
  sweep
      ->add_option("--threads", sc.sweep.threads,
                   "Threads per process (the rows do not depend on them)")
      ->default_val(1);
  sweep->add_flag_callback(
      "--no-progress", [&sc] { sc.sweep.progress = false; },
      "No progress line on a terminal");
  AddFormatFlags(sweep, &common, true);
  sweep->callback([&] { rc = detente::cli::RunSweep(common, sc.sweep, io); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "detente: arms-control treaties as code — specs, counting, history,\n"
      "and each party's signed, append-only log.\n"
      "Exit codes: 0 ok, 1 a check failed, 2 usage error, 3 input error."};
  app.set_version_flag("--version", std::string("detente ") + DETENTE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  CommonOptions common;
  app.add_option("--data-dir", common.data_dir,
                 "Directory holding treaties/ and public/ (default: the "
                 "bundled data, or $DETENTE_DATA_DIR)");

  int rc = 0;
  detente::cli::Streams io{std::cout, std::cerr};

  // treaty ...
  CLI::App* treaty = app.add_subcommand("treaty", "Treaty specs");
  treaty->require_subcommand(1);

  CLI::App* list = treaty->add_subcommand("list", "List the bundled specs");
  AddFormatFlags(list, &common, false);
  list->callback([&] { rc = detente::cli::RunTreatyList(common, io); });

  detente::cli::TreatyShowOptions show_opts;
  CLI::App* show = treaty->add_subcommand(
      "show",
      "Show a spec: limits, counting terms, notifications, "
      "inspections, commission, parameters");
  show->add_option("NAME", show_opts.name, "Spec id (e.g. new-start) or path")
      ->required();
  AddFormatFlags(show, &common, false);
  show->callback(
      [&] { rc = detente::cli::RunTreatyShow(common, show_opts, io); });

  detente::cli::TreatyCheckOptions check_opts;
  CLI::App* check = treaty->add_subcommand(
      "check", "Validate spec files; exit 1 if any is invalid");
  check->add_option("FILE", check_opts.files, "Spec files")->required();
  AddFormatFlags(check, &common, false);
  check->callback(
      [&] { rc = detente::cli::RunTreatyCheck(common, check_opts, io); });

  // count
  detente::cli::CountOptions count_opts;
  CLI::App* count = app.add_subcommand(
      "count", "Count an item set (CSV or JSON) against a treaty's limits");
  count->add_option("--treaty", count_opts.treaty, "Spec id or path")
      ->required();
  count->add_option("--items", count_opts.items_file, "Items file (.csv/.json)")
      ->required();
  count->add_option("--at", count_opts.at,
                    "Date to check the limits at (YYYY-MM-DD; default today)");
  AddFormatFlags(count, &common, true);
  count->callback([&] { rc = detente::cli::RunCount(common, count_opts, io); });

  // history
  detente::cli::HistoryOptions history_opts;
  CLI::App* history = app.add_subcommand(
      "history", "Every published data exchange beside the treaty's limits");
  history->add_option("--treaty", history_opts.treaty, "Spec id or path")
      ->default_val("new-start");
  history->add_option("--data", history_opts.data_file,
                      "Published aggregates CSV (default: "
                      "data/public/<treaty>_aggregates.csv)");
  AddFormatFlags(history, &common, true);
  history->callback(
      [&] { rc = detente::cli::RunHistory(common, history_opts, io); });

  // key new
  CLI::App* key = app.add_subcommand("key", "Signing keys");
  key->require_subcommand(1);
  detente::cli::KeyNewOptions key_new_opts;
  CLI::App* key_new = key->add_subcommand(
      "new", "Generate an Ed25519 key (file mode 0600) and its verifier keys");
  key_new
      ->add_option("--name", key_new_opts.name,
                   "Key name: the log origin it signs for")
      ->required();
  key_new->add_option("--out", key_new_opts.out, "Private key file")
      ->required();
  key_new->add_flag("--force", key_new_opts.force,
                    "Overwrite an existing file");
  AddFormatFlags(key_new, &common, false);
  key_new->callback(
      [&] { rc = detente::cli::RunKeyNew(common, key_new_opts, io); });

  // log ...
  CLI::App* log = app.add_subcommand(
      "log", "A party's append-only signed log (docs/log-format.md)");
  log->require_subcommand(1);

  detente::cli::LogInitOptions init_opts;
  CLI::App* init = log->add_subcommand("init", "Create a log");
  init->add_option("--db", init_opts.db, "Log file (SQLite)")->required();
  init->add_option("--key", init_opts.key, "The log's key file")->required();
  AddFormatFlags(init, &common, false);
  init->callback([&] { rc = detente::cli::RunLogInit(common, init_opts, io); });

  detente::cli::LogAppendOptions append_opts;
  CLI::App* append = log->add_subcommand(
      "append",
      "Append entries (one per line, or --whole) and print each index "
      "once durable");
  append->add_option("--db", append_opts.db, "Log file")->required();
  append->add_option("INPUT", append_opts.input, "Entries file, or - for stdin")
      ->default_val("-");
  append->add_flag("--whole", append_opts.whole,
                   "The whole input is one entry");
  AddFormatFlags(append, &common, false);
  append->callback(
      [&] { rc = detente::cli::RunLogAppend(common, append_opts, io); });

  detente::cli::LogCheckpointOptions ckpt_opts;
  CLI::App* ckpt = log->add_subcommand(
      "checkpoint",
      "Sign a checkpoint of the log as it is (C2SP tlog-checkpoint)");
  ckpt->add_option("--db", ckpt_opts.db, "Log file")->required();
  ckpt->add_option("--key", ckpt_opts.key, "The log's key file")->required();
  ckpt->add_option("--out", ckpt_opts.out, "Also write the note to this file");
  AddFormatFlags(ckpt, &common, false);
  ckpt->callback(
      [&] { rc = detente::cli::RunLogCheckpoint(common, ckpt_opts, io); });

  detente::cli::LogProveOptions prove_opts;
  CLI::App* prove =
      log->add_subcommand("prove", "Inclusion and consistency proofs");
  prove->require_subcommand(1);
  CLI::App* incl = prove->add_subcommand(
      "inclusion", "C2SP tlog-proof bundle for one entry (offline-verifiable)");
  incl->add_option("--db", prove_opts.db, "Log file")->required();
  incl->add_option("--index", prove_opts.index, "Entry index")->required();
  incl->add_option_function<uint64_t>(
      "--size",
      [&](const uint64_t& v) {
        prove_opts.has_size = true;
        prove_opts.size = v;
      },
      "Size of a signed checkpoint (default: the latest)");
  incl->add_flag("--no-entry", prove_opts.no_entry,
                 "Leave the entry out of the bundle");
  AddFormatFlags(incl, &common, false);
  incl->callback([&] {
    prove_opts.kind = "inclusion";
    rc = detente::cli::RunLogProve(common, prove_opts, io);
  });
  CLI::App* cons = prove->add_subcommand(
      "consistency",
      "Consistency proof from an older size to a signed checkpoint");
  cons->add_option("--db", prove_opts.db, "Log file")->required();
  cons->add_option("--from", prove_opts.from, "Older size")->required();
  cons->add_option_function<uint64_t>(
      "--to",
      [&](const uint64_t& v) {
        prove_opts.has_size = true;
        prove_opts.size = v;
      },
      "Size of a signed checkpoint (default: the latest)");
  AddFormatFlags(cons, &common, false);
  cons->callback([&] {
    prove_opts.kind = "consistency";
    rc = detente::cli::RunLogProve(common, prove_opts, io);
  });

  detente::cli::LogVerifyOptions verify_opts;
  CLI::App* verify = log->add_subcommand(
      "verify", "Recompute every hash and checkpoint; exit 1 on corruption");
  verify->add_option("--db", verify_opts.db, "Log file")->required();
  AddFormatFlags(verify, &common, false);
  verify->callback(
      [&] { rc = detente::cli::RunLogVerify(common, verify_opts, io); });

  detente::cli::LogCosignOptions cosign_opts;
  CLI::App* cosign = log->add_subcommand(
      "cosign",
      "As a witness: check another log's checkpoint is consistent with "
      "the last one cosigned, then cosign it (the receipt)");
  cosign->add_option("--db", cosign_opts.db, "The witness's own log")
      ->required();
  cosign->add_option("--key", cosign_opts.key, "The witness's key file")
      ->required();
  cosign
      ->add_option("--log-vkey", cosign_opts.log_vkey,
                   "Verifier key of the cosigned log (text or file)")
      ->required();
  cosign->add_option("--checkpoint", cosign_opts.checkpoint,
                     "The checkpoint note");
  cosign->add_option("--proof", cosign_opts.proof,
                     "Consistency proof (detente log prove consistency)");
  cosign->add_option_function<uint64_t>(
      "--time",
      [&](const uint64_t& v) {
        cosign_opts.has_time = true;
        cosign_opts.time = v;
      },
      "Cosignature timestamp, Unix seconds (default: now)");
  AddFormatFlags(cosign, &common, false);
  cosign->callback(
      [&] { rc = detente::cli::RunLogCosign(common, cosign_opts, io); });

  detente::cli::LogReceiptOptions receipt_opts;
  CLI::App* receipt = log->add_subcommand(
      "receipt",
      "Record witnesses' cosignatures on a checkpoint this log signed");
  receipt->add_option("--db", receipt_opts.db, "Log file")->required();
  receipt
      ->add_option("--witness", receipt_opts.witness_vkeys,
                   "Witness cosigner verifier key (text or file)")
      ->required();
  receipt
      ->add_option("COSIGNED", receipt_opts.cosigned,
                   "The cosigned checkpoint note")
      ->required();
  AddFormatFlags(receipt, &common, false);
  receipt->callback(
      [&] { rc = detente::cli::RunLogReceipt(common, receipt_opts, io); });

  // proof verify
  CLI::App* proof = app.add_subcommand("proof", "Offline proof checks");
  proof->require_subcommand(1);
  detente::cli::ProofVerifyOptions pv_opts;
  CLI::App* pv = proof->add_subcommand(
      "verify", "Verify a tlog-proof bundle offline, with no database");
  pv->add_option("FILE", pv_opts.file, "Proof bundle")->required();
  pv->add_option("--vkey", pv_opts.vkey,
                 "The log's verifier key (text or file)")
      ->required();
  pv->add_option("--witness", pv_opts.witness_vkeys,
                 "Witness cosigner verifier keys (text or file)");
  pv->add_option("--min-cosignatures", pv_opts.min_cosignatures,
                 "Cosignatures required from the given witnesses");
  pv->add_option("--entry", pv_opts.entry_file,
                 "The entry (default: the bundle's extra line)");
  AddFormatFlags(pv, &common, false);
  pv->callback([&] { rc = detente::cli::RunProofVerify(common, pv_opts, io); });

  // state, findings, finding verify
  detente::cli::StateOptions state_opts;
  CLI::App* state = app.add_subcommand(
      "state", "The treaty database at a date: the fold of every party's log");
  state->add_option("--treaty", state_opts.regime.treaty, "Spec id or path")
      ->default_val("new-start");
  state
      ->add_option("--dir", state_opts.regime.dir,
                   "Directory with <party>.db and <party>.key.vkey")
      ->required();
  state->add_option("--at", state_opts.at,
                    "Date (end of that day) or GMT instant; default: now");
  state->add_option("--published", state_opts.published,
                    "Published aggregates CSV to show beside");
  AddFormatFlags(state, &common, false);
  state->callback([&] { rc = detente::cli::RunState(common, state_opts, io); });

  detente::cli::FindingsOptions findings_opts;
  CLI::App* findings = app.add_subcommand(
      "findings", "Compliance findings over the parties' logs, with evidence");
  findings
      ->add_option("--treaty", findings_opts.regime.treaty, "Spec id or path")
      ->default_val("new-start");
  findings
      ->add_option("--dir", findings_opts.regime.dir,
                   "Directory with <party>.db and <party>.key.vkey")
      ->required();
  findings->add_option("--until", findings_opts.until,
                       "Look at events up to this date; default: now");
  findings->add_option("--cadence-from", findings_opts.cadence_from,
                       "Check the commission's yearly minimum of sessions "
                       "for treaty years ending on or after this date "
                       "(default: every year)");
  findings->add_option("--out", findings_opts.out_dir,
                       "Write each finding with its evidence as <id>.json");
  findings
      ->add_option("--authenticate", findings_opts.authenticate,
                   "How entries are authenticated: 'signatures' (each "
                   "entry's own signature) or 'checkpoint' (the latest "
                   "signed checkpoint's root, recomputed from the entries: "
                   "for very large logs whose entries were checked at "
                   "receipt; no bad-signature finding under it)")
      ->default_val("signatures");
  AddFormatFlags(findings, &common, false);
  findings->callback(
      [&] { rc = detente::cli::RunFindings(common, findings_opts, io); });

  detente::cli::SynthOptions synth_opts;
  CLI::App* synth = app.add_subcommand(
      "synth",
      "Write a SYNTHETIC item-level history as both parties' signed, "
      "cosigned logs, reproducing every published aggregate");
  synth->add_option("--treaty", synth_opts.treaty, "Spec id or path")
      ->default_val("new-start");
  synth->add_option("--aggregates", synth_opts.aggregates,
                    "Published aggregates CSV (default: bundled)");
  synth->add_option("--seed", synth_opts.seed, "Seed; same seed, same bytes")
      ->default_val(1);
  synth->add_option("--out", synth_opts.out_dir, "Output directory")
      ->required();
  synth->add_option("--until", synth_opts.until,
                    "Stop after the last exchange on or before this date");
  AddFormatFlags(synth, &common, false);
  synth->callback([&] { rc = detente::cli::RunSynth(common, synth_opts, io); });

  detente::cli::ReplayOptions replay_opts;
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Merge a scenario (the record as it happened) into the SYNTHETIC "
      "history and write both logs");
  replay->add_option("SCENARIO", replay_opts.scenario, "Scenario file (TOML)")
      ->required();
  replay->add_option("--aggregates", replay_opts.aggregates,
                     "Published aggregates CSV");
  replay->add_option("--seed", replay_opts.seed, "Seed; same seed, same bytes");
  replay->add_option("--out", replay_opts.out_dir, "Output directory")
      ->required();
  replay->add_option("--until", replay_opts.until,
                     "Stop the synthetic history after this date");
  AddFormatFlags(replay, &common, false);
  replay->callback(
      [&] { rc = detente::cli::RunReplay(common, replay_opts, io); });

  detente::cli::NotifyOptions notify_opts;
  CLI::App* notify = app.add_subcommand(
      "notify",
      "Validate, sign and append one notification (JSON) to the "
      "sender's log");
  notify->add_option("--treaty", notify_opts.treaty, "Spec id or path")
      ->default_val("new-start");
  notify->add_option("--db", notify_opts.db, "The sender's log")->required();
  notify->add_option("--key", notify_opts.key, "The sender's key file")
      ->required();
  notify->add_option("INPUT", notify_opts.input, "Notification JSON, or -")
      ->default_val("-");
  notify->add_option_function<uint64_t>(
      "--sequence",
      [&](const uint64_t& v) {
        notify_opts.has_sequence = true;
        notify_opts.sequence = v;
      },
      "Sequence number (default: the last + 1)");
  notify->add_flag("--allow-gap", notify_opts.allow_gap,
                   "Exercises only: accept a sequence number that skips some");
  AddFormatFlags(notify, &common, false);
  notify->callback(
      [&] { rc = detente::cli::RunNotify(common, notify_opts, io); });

  // bcc and dialogue: the commission as folds of the logs, and its steps.
  std::deque<StepCommand> steps;
  std::deque<detente::cli::CommissionViewOptions> views;
  auto add_view = [&](CLI::App* parent, const char* name, const char* help,
                      const char* view) {
    detente::cli::CommissionViewOptions& v = views.emplace_back();
    v.view = view;
    CLI::App* cmd = parent->add_subcommand(name, help);
    cmd->add_option("--treaty", v.regime.treaty, "Spec id or path")
        ->default_val("new-start");
    cmd->add_option("--dir", v.regime.dir,
                    "Directory with the parties' logs and keys")
        ->required();
    cmd->add_option("--at", v.at, "As the logs stand at this date or instant");
    cmd->add_option("--session", v.session,
                    std::string_view(view) == "agenda"
                        ? "The session (required)"
                        : "Only this session");
    AddFormatFlags(cmd, &common, false);
    cmd->callback([&v, &common, &io, &rc] {
      rc = detente::cli::RunBccView(common, v, io);
    });
  };
  CLI::App* bcc = app.add_subcommand(
      "bcc",
      "The Bilateral Consultative Commission: issues, agendas, sessions and "
      "outcomes on the parties' logs");
  bcc->require_subcommand(1);
  add_view(bcc, "issues", "Issues raised, with their status", "issues");
  add_view(bcc, "sessions", "Sessions: dates, status, agenda, postponements",
           "sessions");
  add_view(bcc, "agenda",
           "One session's agenda: every version, who accepted what", "agenda");
  add_view(bcc, "outcomes",
           "Agreements and Decisions recorded, their signatures checked",
           "outcomes");
  detente::cli::SignOutcomeOptions sign_opts;
  CLI::App* sign = bcc->add_subcommand(
      "sign-outcome",
      "As a Commissioner: print your signature line over an outcome record, "
      "for bcc record --signatures");
  sign->add_option("--treaty", sign_opts.treaty, "Spec id or path")
      ->default_val("new-start");
  sign->add_option("--party", sign_opts.party, "The Commissioner's party")
      ->required();
  sign->add_option("--commissioner-key", sign_opts.key,
                   "The Commissioner's key file")
      ->required();
  sign->add_option("--session", sign_opts.session, "Session id")->required();
  sign->add_option("--kind", sign_opts.kind, "agreement or decision")
      ->required();
  sign->add_option("--number", sign_opts.number, "Its number")->required();
  sign->add_option("--title", sign_opts.title, "Title")->required();
  sign->add_option("--signed", sign_opts.signed_on, "Date signed, YYYY-MM-DD")
      ->required();
  sign->add_option("--text", sign_opts.text, "Text (@FILE reads a file)")
      ->required();
  sign->add_option("--issues", sign_opts.issues,
                   "Issues it resolves, comma-separated");
  sign->add_flag("--confidential", sign_opts.confidential,
                 "The record is confidential");
  sign->callback(
      [&] { rc = detente::cli::RunSignOutcome(common, sign_opts, io); });
  const FieldFlag session{"session", "session", "Session id"};
  AddStep(bcc, steps, common, io, rc, "raise", "Raise an issue",
          {{"issue", "issue", "Issue id"},
           {"title", "title", "Title"},
           {"text", "text", "Text (@FILE reads a file)"},
           {"finding", "finding", "A compliance finding's id"}},
          {{"confidential", "confidential", "Mark the issue confidential"}});
  AddStep(bcc, steps, common, io, rc, "withdraw", "Withdraw an issue raised",
          {{"issue", "issue", "Issue id"}, {"reason", "reason", "Reason"}});
  AddStep(bcc, steps, common, io, rc, "propose",
          "Propose session dates (--start --end --venue) or an agenda "
          "(--issues)",
          {session,
           {"start", "start", "First day, YYYY-MM-DD"},
           {"end", "end", "Last day, YYYY-MM-DD"},
           {"venue", "venue", "Venue"},
           {"issues", "issues", "Agenda: issue ids, comma-separated"}});
  AddStep(bcc, steps, common, io, rc, "accept",
          "Accept a session's current agenda (default) or its dates (--dates)",
          {session,
           {"agenda", "agenda",
            "The agenda version's hash (default: the current one)"}});
  AddStep(bcc, steps, common, io, rc, "postpone",
          "Postpone a session (postponed, not cancelled)",
          {session, {"reason", "reason", "Reason (optional)"}},
          {{"new-dates", "new_dates_to_follow", "New dates will follow"}});
  AddStep(bcc, steps, common, io, rc, "cancel",
          "Ask to cancel a session (cancelled when every party asks)",
          {session, {"reason", "reason", "Reason"}});
  AddStep(bcc, steps, common, io, rc, "convene",
          "Convene a scheduled session: refused without an agreed agenda",
          {session});
  AddStep(bcc, steps, common, io, rc, "conclude", "Conclude a session",
          {session});
  AddStep(bcc, steps, common, io, rc, "record",
          "Record an outcome (Agreement or Decision) signed by every "
          "Commissioner",
          {session,
           {"kind", "kind", "agreement or decision"},
           {"number", "number", "Its number"},
           {"title", "title", "Title"},
           {"signed", "signed", "Date signed, YYYY-MM-DD"},
           {"text", "text", "Text (@FILE reads a file)"},
           {"issues", "issues", "Issues it resolves, comma-separated"},
           {"signatures", "signatures",
            "The Commissioners' signature lines (@FILE reads a file)"}},
          {{"confidential", "confidential", "Mark the record confidential"}});
  AddStep(bcc, steps, common, io, rc, "commissioner",
          "Appoint the party's Commissioner and the key that signs outcomes",
          {{"name", "commissioner", "The Commissioner's name"},
           {"commissioner-key", "key", "The Commissioner's verifier key"}});

  detente::cli::CommissionViewOptions& dialogue_view = views.emplace_back();
  dialogue_view.view = "dialogue";
  CLI::App* dialogue = app.add_subcommand(
      "dialogue",
      "The strategic stability dialogue: its status and history, and the "
      "diplomatic channel");
  dialogue
      ->add_option("--treaty", dialogue_view.regime.treaty, "Spec id or path")
      ->default_val("new-start");
  dialogue->add_option("--dir", dialogue_view.regime.dir,
                       "Directory with the parties' logs and keys");
  dialogue->add_option("--at", dialogue_view.at,
                       "As the logs stand at this date or instant");
  AddFormatFlags(dialogue, &common, false);
  dialogue->require_subcommand(0, 1);
  AddStep(dialogue, steps, common, io, rc, "status",
          "Change the dialogue's status: active, paused, resumed, terminated",
          {{"dialogue", "dialogue", "Dialogue id"},
           {"status", "status", "active, paused, resumed or terminated"},
           {"reason", "reason", "Reason"}});
  AddStep(dialogue, steps, common, io, rc, "note", "Send a diplomatic note",
          {{"subject", "subject", "Subject"},
           {"text", "text", "Text (@FILE reads a file)"},
           {"to", "to", "Addressee party (default: every other)"},
           {"level", "level", "Level"},
           {"reply-to", "reply_to", "The note replied to"}});
  AddStep(dialogue, steps, common, io, rc, "demarche", "Deliver a demarche",
          {{"to", "to", "Addressee party"},
           {"level", "level", "Level"},
           {"subject", "subject", "Subject"},
           {"text", "text", "Text (@FILE reads a file)"}});
  AddStep(dialogue, steps, common, io, rc, "sever",
          "Sever relations with a party (final)",
          {{"to", "to", "The other party"}, {"text", "text", "Text"}});
  dialogue->callback([&] {
    if (!dialogue->get_subcommands().empty()) return;
    if (dialogue_view.regime.dir.empty()) {
      std::cerr << "detente: dialogue: --dir is required\n";
      rc = detente::cli::kExitUsage;
      return;
    }
    rc = detente::cli::RunBccView(common, dialogue_view, io);
  });

  InspectionCommands inspections;
  AddInspections(app, inspections, common, io, rc);

  CLI::App* finding = app.add_subcommand("finding", "One finding");
  finding->require_subcommand(1);
  detente::cli::FindingVerifyOptions fv_opts;
  CLI::App* fv = finding->add_subcommand(
      "verify", "Check a finding and its evidence offline, with no database");
  fv->add_option("FILE", fv_opts.file, "Finding file (JSON)")->required();
  fv->add_option("--vkeys", fv_opts.vkeys,
                 "Every party's log verifier key (text or file)")
      ->required();
  AddFormatFlags(fv, &common, false);
  fv->callback(
      [&] { rc = detente::cli::RunFindingVerify(common, fv_opts, io); });

  StabilityCommands stability;
  AddStability(app, stability, common, io, rc);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return detente::cli::kExitUsage;
  }
  return rc;
}
