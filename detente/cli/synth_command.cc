// detente synth: a SYNTHETIC item-level New START history, as both parties'
// signed and cosigned logs, that reproduces every published aggregate.
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/table.h"
#include "detente/registry/published.h"
#include "detente/scenario/synth.h"
#include "fmt/format.h"

namespace detente::cli {

int RunSynth(const CommonOptions& common, const SynthOptions& opts,
             Streams io) {
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.treaty, io);
  if (!spec) return kExitInput;
  std::string csv = opts.aggregates;
  if (csv.empty()) {
    std::string stem = spec->id;
    std::replace(stem.begin(), stem.end(), '-', '_');
    csv = (std::filesystem::path(DataDir(common)) / "public" /
           (stem + "_aggregates.csv"))
              .string();
  }
  Result<registry::PublishedTable> table = registry::LoadPublished(csv, *spec);
  if (!table.ok()) {
    io.err << "detente: " << table.status().message() << "\n";
    return kExitInput;
  }
  scenario::SynthOptions so;
  so.treaty_id = spec->id;
  so.seed = opts.seed;
  so.out_dir = opts.out_dir;
  if (!opts.until.empty()) {
    Result<Date> d = Date::Parse(opts.until);
    if (!d.ok()) {
      io.err << "detente: --until: " << d.status().message() << "\n";
      return kExitUsage;
    }
    so.until = *d;
  }
  Result<scenario::SynthReport> report =
      scenario::Synthesize(*spec, *table, so);
  if (!report.ok()) {
    io.err << "detente: " << report.status().message() << "\n";
    return report.status().code() == StatusCode::kAlreadyExists ? kExitUsage
                                                                : kExitInput;
  }
  size_t mismatches = 0;
  for (const auto& x : report->exchanges) {
    for (const auto& f : x.figures) {
      if (f.published && f.produced != *f.published) ++mismatches;
    }
  }
  if (common.format == OutputFormat::kJson) {
    nlohmann::json parties = nlohmann::json::array();
    for (const auto& p : report->parties) {
      parties.push_back({{"party", p.party},
                         {"db", p.db_file},
                         {"vkey", p.vkey},
                         {"notifications", p.notifications},
                         {"by_type", p.by_type},
                         {"log_size", p.log_size},
                         {"checkpoints", p.checkpoints}});
    }
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
                             {"parties", parties},
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
