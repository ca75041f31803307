// detente synth: a SYNTHETIC item-level New START history, as both parties'
// signed and cosigned logs, that reproduces every published aggregate.
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/synth_inputs.h"
#include "detente/cli/table.h"
#include "detente/registry/published.h"
#include "detente/scenario/synth.h"
#include "fmt/format.h"

namespace detente::cli {

int RunSynth(const CommonOptions& common, const SynthOptions& opts,
             Streams io) {
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.treaty, io);
  if (!spec) return kExitInput;
  SynthInputs in;
  if (int code = PrepareSynth(common, *spec, opts.aggregates, opts.seed,
                              opts.out_dir, opts.until, io, &in);
      code != kExitOk) {
    return code;
  }
  Result<scenario::SynthReport> report =
      scenario::Synthesize(*spec, in.table, in.options);
  if (!report.ok()) return SynthFailed(report.status(), io);
  size_t mismatches = 0;
  for (const auto& x : report->exchanges) {
    for (const auto& f : x.figures) {
      if (f.published && f.produced != *f.published) ++mismatches;
    }
  }
  if (common.format == OutputFormat::kJson) {
    nlohmann::json ex = nlohmann::json::array();
    for (const auto& x : report->exchanges) {
      nlohmann::json figs = nlohmann::json::object();
      for (const auto& f : x.figures) {
        figs[f.limit_id] = {
            {"published", f.published ? nlohmann::json(*f.published)
                                      : nlohmann::json(nullptr)},
            {"produced", f.produced},
            {"basis", f.basis}};
      }
      ex.push_back({{"as_of", x.as_of.ToString()},
                    {"party", x.party},
                    {"declared_by", x.declared_by},
                    {"figures", figs}});
    }
    io.out << nlohmann::json{{"synthetic", true},
                             {"treaty", report->treaty_id},
                             {"seed", report->seed},
                             {"out_dir", report->out_dir},
                             {"source_csv", report->source_csv},
                             {"parties", PartiesJson(*report)},
                             {"exchanges", ex},
                             {"published_figures_reproduced", mismatches == 0}}
                  .dump(2)
           << "\n";
  } else {
    io.out << fmt::format(
        "SYNTHETIC {} history, seed {}, written to {}\n"
        "(item-level data made up to match the published aggregates; see "
        "{})\n\n",
        spec->short_name, report->seed, report->out_dir, report->readme_file);
    TextTable t({"party", "notifications", "log entries",
                 "cosigned checkpoints", "log"},
                {TextTable::Align::kLeft, TextTable::Align::kRight,
                 TextTable::Align::kRight, TextTable::Align::kRight});
    for (const auto& p : report->parties) {
      t.AddRow({p.party, Thousands(static_cast<int64_t>(p.notifications)),
                Thousands(static_cast<int64_t>(p.log_size)),
                Thousands(static_cast<int64_t>(p.checkpoints)), p.db_file});
    }
    io.out << t.Render();
    size_t published = 0;
    for (const auto& x : report->exchanges) {
      for (const auto& f : x.figures)
        if (f.published) ++published;
    }
    io.out << fmt::format(
        "\n{} published figures, {} reproduced exactly by the items on the "
        "logs.\n",
        published, published - mismatches);
  }
  return mismatches == 0 ? kExitOk : kExitCheckFailed;
}

}  // namespace detente::cli
