// detente replay: a scenario file (the record as it happened: BCC sessions,
// postponements, notes, suspension) merged into the SYNTHETIC database
// history, written as both parties' signed and cosigned logs.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/synth_inputs.h"
#include "detente/cli/table.h"
#include "detente/registry/published.h"
#include "detente/scenario/replay.h"
#include "detente/scenario/scenario.h"
#include "fmt/format.h"

namespace detente::cli {

int RunReplay(const CommonOptions& common, const ReplayOptions& opts,
              Streams io) {
  Result<std::string> treaty_id = scenario::ReadScenarioTreaty(opts.scenario);
  if (!treaty_id.ok()) return Fail(io, treaty_id.status());
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, *treaty_id, io);
  if (!spec) return kExitInput;
  Result<scenario::Scenario> sc =
      scenario::LoadScenarioFile(opts.scenario, *spec);
  if (!sc.ok()) return Fail(io, sc.status());
  SynthInputs in;
  if (int code = PrepareSynth(common, *spec, opts.aggregates, opts.seed,
                              opts.out_dir, opts.until, io, &in);
      code != kExitOk) {
    return code;
  }
  Result<scenario::ReplayReport> r =
      scenario::Replay(*spec, in.table, *sc, in.options);
  if (!r.ok()) return SynthFailed(r.status(), io);
  size_t illustrations = 0;
  for (const auto& e : r->events) illustrations += e.illustration ? 1 : 0;

  if (common.format == OutputFormat::kJson) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : r->events) {
      events.push_back({{"line", e.line},
                        {"party", e.party},
                        {"sequence", e.sequence},
                        {"type", e.type},
                        {"event_time", e.event_time.ToString()},
                        {"basis", e.illustration ? "illustration" : "sourced"},
                        {"source", e.source}});
    }
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : r->convene_checks) {
      checks.push_back({{"session", c.session},
                        {"postponed_by", c.postponed_by},
                        {"postponed_at", c.postponed_at.ToString()},
                        {"probe_time", c.probe_time.ToString()},
                        {"probe_sender", c.probe_sender},
                        {"would_convene", c.would_convene},
                        {"refusal", c.refusal}});
    }
    nlohmann::json refusals = nlohmann::json::array();
    for (const auto& f : r->refusals) {
      refusals.push_back({{"line", f.line}, {"text", f.text}});
    }
    io.out << nlohmann::json{{"synthetic", true},
                             {"scenario", r->scenario_id},
                             {"scenario_file", r->scenario_file},
                             {"treaty", r->written.treaty_id},
                             {"seed", r->written.seed},
                             {"out_dir", r->written.out_dir},
                             {"parties", PartiesJson(r->written)},
                             {"events", events},
                             {"illustrations", illustrations},
                             {"dropped_after_stop", r->dropped},
                             {"convene_checks", checks},
                             {"refusals", refusals}}
                  .dump(2)
           << "\n";
  } else {
    io.out << fmt::format(
        "Scenario {} ({} events: {} sourced, {} ILLUSTRATION) merged into "
        "the SYNTHETIC {} history, seed {}, written to {}\n(which parts are "
        "sourced, synthetic or illustration: {})\n\n",
        r->scenario_id, r->events.size(), r->events.size() - illustrations,
        illustrations, spec->short_name, r->written.seed, r->written.out_dir,
        r->written.readme_file);
    TextTable t(
        {"party", "notifications", "from the scenario", "checkpoints", "log"},
        {TextTable::Align::kLeft, TextTable::Align::kRight,
         TextTable::Align::kRight, TextTable::Align::kRight});
    for (const auto& p : r->written.parties) {
      const int64_t mine = std::count_if(
          r->events.begin(), r->events.end(),
          [&](const scenario::ReplayedEvent& e) { return e.party == p.party; });
      t.AddRow({p.party, Thousands(static_cast<int64_t>(p.notifications)),
                Thousands(mine), Thousands(static_cast<int64_t>(p.checkpoints)),
                p.db_file});
    }
    io.out << t.Render();
    for (const auto& [party, n] : r->dropped) {
      io.out << fmt::format(
          "\n{} stops sending (scenario); {} synthetic notifications after "
          "that dropped.\n",
          party, n);
    }
    for (const auto& c : r->convene_checks) {
      io.out << fmt::format(
          "\nSession {} postponed by {} at {}.\n  Convene on {} (by {}, the "
          "record just before): {}\n",
          c.session, c.postponed_by, c.postponed_at.ToString(),
          c.probe_time.ToString(), c.probe_sender,
          c.would_convene ? "would have convened" : "refused: " + c.refusal);
    }
    for (const auto& f : r->refusals) {
      io.out << fmt::format("\nRefused by the commission (line {}): {}\n",
                            f.line, f.text);
    }
  }
  return kExitOk;
}

}  // namespace detente::cli
