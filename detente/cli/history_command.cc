// detente history --treaty NAME [--data FILE]
#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/table.h"
#include "detente/registry/published.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using registry::HistoryCell;
using registry::HistoryRow;
using registry::LimitState;

std::string CellText(const HistoryCell& c) {
  if (!c.value) return "not published";
  std::string mark;
  switch (c.state) {
    case LimitState::kWithin:
      mark = "within";
      break;
    case LimitState::kOver:
      mark = "OVER";
      break;
    case LimitState::kUnder:
      mark = "UNDER";
      break;
    case LimitState::kInformational:
      mark = "info";
      break;
    case LimitState::kNotPublished:
      break;
  }
  return Thousands(*c.value) + " " + mark;
}

std::string DefaultDataFile(const std::string& data_dir,
                            const std::string& treaty_id) {
  std::string stem = treaty_id;
  std::replace(stem.begin(), stem.end(), '-', '_');
  return (std::filesystem::path(data_dir) / "public" /
          (stem + "_aggregates.csv"))
      .string();
}

}  // namespace

int RunHistory(const CommonOptions& common, const HistoryOptions& opts,
               Streams io) {
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.treaty, io);
  if (!spec) return kExitInput;
  std::string file = opts.data_file.empty()
                         ? DefaultDataFile(DataDir(common), spec->id)
                         : opts.data_file;
  Result<registry::PublishedTable> table = registry::LoadPublished(file, *spec);
  if (!table.ok()) {
    io.err << "detente: " << table.status().message() << "\n";
    return kExitInput;
  }
  std::vector<HistoryRow> rows = registry::CheckHistory(*spec, *table);

  // Tally per party over binding exchanges.
  struct Tally {
    int checked = 0, within = 0, over = 0, missing = 0;
  };
  std::map<std::string, Tally> tally;
  for (const HistoryRow& r : rows) {
    if (!r.binding) continue;
    Tally& t = tally[r.party];
    for (const HistoryCell& c : r.cells) {
      if (c.state == LimitState::kNotPublished) {
        ++t.missing;
      } else if (c.state == LimitState::kWithin) {
        ++t.checked;
        ++t.within;
      } else if (c.state == LimitState::kOver ||
                 c.state == LimitState::kUnder) {
        ++t.checked;
        ++t.over;
      }
    }
  }
  bool violated = false;
  for (const auto& [party, t] : tally) violated = violated || t.over > 0;

  if (common.format == OutputFormat::kJson) {
    nlohmann::json limits = nlohmann::json::array();
    for (const std::string& id : table->limit_ids) {
      const treaty::Limit* l = spec->FindLimit(id);
      limits.push_back(
          {{"id", id},
           {"max", l->max ? nlohmann::json(*l->max) : nlohmann::json(nullptr)},
           {"min", l->min ? nlohmann::json(*l->min) : nlohmann::json(nullptr)},
           {"effective", l->effective.ToString()}});
    }
    nlohmann::json out_rows = nlohmann::json::array();
    for (const HistoryRow& r : rows) {
      nlohmann::json figures = nlohmann::json::object();
      for (const HistoryCell& c : r.cells) {
        figures[c.limit_id] = {{"value", c.value ? nlohmann::json(*c.value)
                                                 : nlohmann::json(nullptr)},
                               {"state", registry::LimitStateName(c.state)}};
      }
      out_rows.push_back({{"as_of", r.as_of.ToString()},
                          {"party", r.party},
                          {"binding", r.binding},
                          {"published", r.published},
                          {"figures", figures},
                          {"source", r.source}});
    }
    nlohmann::json summary = nlohmann::json::object();
    for (const auto& [party, t] : tally) {
      summary[party] = {{"binding_figures_checked", t.checked},
                        {"within", t.within},
                        {"over_or_under", t.over},
                        {"binding_figures_not_published", t.missing}};
    }
    io.out << nlohmann::json{{"treaty", spec->id},
                             {"data_file", file},
                             {"limits", limits},
                             {"exchanges", out_rows},
                             {"summary", summary},
                             {"within_all_binding_limits", !violated}}
                  .dump(2)
           << "\n";
    return violated ? kExitCheckFailed : kExitOk;
  }
  if (common.format == OutputFormat::kCsv) {
    io.out << "as_of_date,party,limit,value,max,min,binding,state,source\n";
    for (const HistoryRow& r : rows) {
      for (const HistoryCell& c : r.cells) {
        io.out << fmt::format(
            "{},{},{},{},{},{},{},{},{}\n", r.as_of.ToString(), r.party,
            c.limit_id, c.value ? std::to_string(*c.value) : "",
            c.limit_max ? std::to_string(*c.limit_max) : "",
            c.limit_min ? std::to_string(*c.limit_min) : "",
            r.binding ? "true" : "false", registry::LimitStateName(c.state),
            CsvEscape(r.source));
      }
    }
    return violated ? kExitCheckFailed : kExitOk;
  }

  io.out << spec->short_name
         << " — published aggregates at each data exchange\n"
         << "Data: " << file << "\n";
  for (const std::string& id : table->limit_ids) {
    const treaty::Limit* l = spec->FindLimit(id);
    io.out << fmt::format("  {:<36} {:>8}  {}, binding from {}\n", id,
                          LimitText(*l), l->article, l->effective.ToString());
  }
  io.out << "Before a limit binds, figures are informational (info).\n\n";
  std::vector<std::string> header = {"as of", "party"};
  std::vector<TextTable::Align> align = {TextTable::Align::kLeft,
                                         TextTable::Align::kLeft};
  for (const std::string& id : table->limit_ids) {
    header.push_back(id);
    align.push_back(TextTable::Align::kRight);
  }
  TextTable t(header, align);
  bool rule_done = false;
  Date prev;
  bool first = true;
  for (const HistoryRow& r : rows) {
    if (r.binding && !rule_done) {
      t.AddRule();
      rule_done = true;
    }
    std::vector<std::string> cells = {
        (first || r.as_of != prev) ? r.as_of.ToString() : "", r.party};
    for (const HistoryCell& c : r.cells) cells.push_back(CellText(c));
    t.AddRow(cells);
    prev = r.as_of;
    first = false;
  }
  io.out << t.Render() << "\n";
  for (const treaty::Party& p : spec->parties) {
    const Tally& tl = tally[p.code];
    const std::string& party = p.code;
    io.out << fmt::format(
        "{}: {} binding figures checked, {} within, {} over; {} not "
        "published\n",
        party, tl.checked, tl.within, tl.over, tl.missing);
  }
  io.out << (violated ? "A published figure exceeds a binding limit.\n"
                      : "Every published figure is within its binding "
                        "limit.\n");
  return violated ? kExitCheckFailed : kExitOk;
}

}  // namespace detente::cli
