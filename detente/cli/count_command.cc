// detente count --treaty NAME --items FILE [--at DATE]
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/table.h"
#include "detente/registry/counting.h"
#include "detente/registry/items_io.h"
#include "fmt/format.h"

namespace detente::cli {

int RunCount(const CommonOptions& common, const CountOptions& opts,
             Streams io) {
  Date at = TodayGmt();
  if (!opts.at.empty()) {
    Result<Date> d = Date::Parse(opts.at);
    if (!d.ok()) {
      io.err << "detente: --at: " << d.status().message() << "\n";
      return kExitUsage;
    }
    at = *d;
  }
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.treaty, io);
  if (!spec) return kExitInput;
  Result<registry::ItemSet> items =
      registry::LoadItemsFile(opts.items_file, *spec);
  if (!items.ok()) {
    io.err << "detente: " << opts.items_file << ": items rejected:\n"
           << items.status().message() << "\n";
    return kExitInput;
  }
  Result<std::vector<registry::LimitCheck>> checks =
      registry::CheckAll(*spec, *items, at);
  if (!checks.ok()) {
    io.err << "detente: " << checks.status().message() << "\n";
    return kExitInput;
  }
  bool violated = false;
  for (const auto& c : *checks) {
    violated = violated || c.state == registry::LimitState::kOver ||
               c.state == registry::LimitState::kUnder;
  }

  if (common.format == OutputFormat::kJson) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& c : *checks) {
      const treaty::Limit* l = spec->FindLimit(c.aggregate.limit_id);
      nlohmann::json terms = nlohmann::json::array();
      for (const auto& t : c.aggregate.terms) {
        terms.push_back({{"term", l->terms[t.term_index].ToString()},
                         {"items", t.items},
                         {"value", t.value}});
      }
      rows.push_back(
          {{"limit", c.aggregate.limit_id},
           {"party", c.aggregate.party},
           {"aggregate", c.aggregate.value},
           {"max", l->max ? nlohmann::json(*l->max) : nlohmann::json(nullptr)},
           {"min", l->min ? nlohmann::json(*l->min) : nlohmann::json(nullptr)},
           {"binding", c.binding},
           {"state", registry::LimitStateName(c.state)},
           {"headroom",
            c.headroom ? nlohmann::json(*c.headroom) : nlohmann::json(nullptr)},
           {"terms", terms}});
    }
    io.out << nlohmann::json{{"treaty", spec->id},
                             {"items_file", opts.items_file},
                             {"items", items->size()},
                             {"at", at.ToString()},
                             {"within_all_binding_limits", !violated},
                             {"limits", rows}}
                  .dump(2)
           << "\n";
  } else if (common.format == OutputFormat::kCsv) {
    io.out << "limit,party,aggregate,max,min,binding,state,headroom\n";
    for (const auto& c : *checks) {
      const treaty::Limit* l = spec->FindLimit(c.aggregate.limit_id);
      io.out << fmt::format(
          "{},{},{},{},{},{},{},{}\n", c.aggregate.limit_id, c.aggregate.party,
          c.aggregate.value, l->max ? std::to_string(*l->max) : "",
          l->min ? std::to_string(*l->min) : "", c.binding ? "true" : "false",
          registry::LimitStateName(c.state),
          c.headroom ? std::to_string(*c.headroom) : "");
    }
  } else {
    io.out << fmt::format("{} — {} items from {} — at {}\n\n", spec->short_name,
                          items->size(), opts.items_file, at.ToString());
    using Align = TextTable::Align;
    TextTable table(
        {"limit", "party", "aggregate", "limit", "state", "headroom"},
        {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kLeft,
         Align::kRight});
    for (const auto& c : *checks) {
      const treaty::Limit* l = spec->FindLimit(c.aggregate.limit_id);
      table.AddRow({c.aggregate.limit_id, c.aggregate.party,
                    Thousands(c.aggregate.value), LimitText(*l),
                    std::string(registry::LimitStateName(c.state)),
                    c.headroom ? Thousands(*c.headroom) : ""});
    }
    io.out << table.Render();
    io.out << "\nBy term\n";
    TextTable terms({"limit", "party", "term", "items", "counted"},
                    {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight,
                     Align::kRight});
    for (const auto& c : *checks) {
      const treaty::Limit* l = spec->FindLimit(c.aggregate.limit_id);
      for (const auto& t : c.aggregate.terms) {
        terms.AddRow({c.aggregate.limit_id, c.aggregate.party,
                      l->terms[t.term_index].ToString(), Thousands(t.items),
                      Thousands(t.value)});
      }
    }
    io.out << terms.Render();
    io.out << "\n"
           << (violated ? "A binding limit is exceeded."
                        : "Within every binding limit.")
           << "\n";
  }
  return violated ? kExitCheckFailed : kExitOk;
}

}  // namespace detente::cli
