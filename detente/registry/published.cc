#include "detente/registry/published.h"

#include <charconv>
#include <map>
#include <set>
#include <utility>

#include "detente/base/csv.h"
#include "fmt/format.h"

namespace detente::registry {

Result<PublishedTable> ParsePublished(std::string_view text,
                                      std::string_view file,
                                      const treaty::Spec& spec) {
  DETENTE_ASSIGN_OR_RETURN(CsvTable csv, ParseCsv(text, file));
  std::vector<std::string> problems;
  std::optional<size_t> date_col = csv.Column("as_of_date");
  std::optional<size_t> party_col = csv.Column("party");
  std::optional<size_t> source_col = csv.Column("source");
  if (!date_col) {
    problems.push_back(fmt::format("{}:1: missing column 'as_of_date'", file));
  }
  if (!party_col) {
    problems.push_back(fmt::format("{}:1: missing column 'party'", file));
  }
  PublishedTable table;
  table.file = std::string(file);
  std::vector<size_t> figure_cols;
  for (size_t c = 0; c < csv.header.size(); ++c) {
    const std::string& name = csv.header[c];
    if (name == "as_of_date" || name == "party" || name == "source") continue;
    if (spec.FindLimit(name) == nullptr) {
      std::vector<std::string> ids;
      for (const auto& l : spec.limits) ids.push_back(l.id);
      problems.push_back(
          fmt::format("{}:1: column '{}' is not a limit of {} (limits: {})",
                      file, name, spec.id, fmt::join(ids, ", ")));
      continue;
    }
    table.limit_ids.push_back(name);
    figure_cols.push_back(c);
  }
  if (!problems.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}", fmt::join(problems, "\n")));
  }
  std::set<std::pair<Date, std::string>> seen;
  for (const CsvRecord& rec : csv.records) {
    PublishedRow row;
    row.line = rec.line;
    Result<Date> d = Date::Parse(rec.fields[*date_col]);
    if (!d.ok()) {
      problems.push_back(fmt::format("{}:{}: as_of_date: {}", file, rec.line,
                                     d.status().message()));
      continue;
    }
    row.as_of = *d;
    row.party = rec.fields[*party_col];
    if (spec.FindParty(row.party) == nullptr) {
      problems.push_back(fmt::format("{}:{}: party: '{}' is not a party to {}",
                                     file, rec.line, row.party, spec.id));
      continue;
    }
    if (!seen.emplace(row.as_of, row.party).second) {
      problems.push_back(fmt::format("{}:{}: {} {} appears twice", file,
                                     rec.line, row.as_of.ToString(),
                                     row.party));
      continue;
    }
    if (source_col) row.source = rec.fields[*source_col];
    bool ok = true;
    for (size_t i = 0; i < figure_cols.size(); ++i) {
      const std::string& v = rec.fields[figure_cols[i]];
      if (v.empty()) {
        row.figures.push_back(std::nullopt);
        continue;
      }
      int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n < 0) {
        problems.push_back(
            fmt::format("{}:{}: {}: '{}' is not a non-negative integer", file,
                        rec.line, table.limit_ids[i], v));
        ok = false;
        break;
      }
      row.figures.push_back(n);
    }
    if (ok) table.rows.push_back(std::move(row));
  }
  if (!problems.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}", fmt::join(problems, "\n")));
  }
  return table;
}

Result<PublishedTable> LoadPublished(const std::string& path,
                                     const treaty::Spec& spec) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParsePublished(text, path, spec);
}

std::vector<HistoryRow> CheckHistory(const treaty::Spec& spec,
                                     const PublishedTable& table,
                                     std::optional<Date> until) {
  std::map<std::pair<Date, std::string>, const PublishedRow*> by_key;
  std::set<Date> dates;
  for (const PublishedRow& row : table.rows) {
    by_key[{row.as_of, row.party}] = &row;
    dates.insert(row.as_of);
  }
  if (spec.data_exchange) {
    std::optional<Date> end = spec.End();
    if (until && (!end || *until < *end)) end = until;
    if (end) {
      const treaty::DataExchange& x = *spec.data_exchange;
      for (int i = 0;; ++i) {
        // Data are declared as of the end of each period.
        Date as_of =
            NthPeriod(x.first_period_start, x.period_months, i).range.end;
        if (as_of >= *end) break;
        dates.insert(as_of);
      }
    }
  }
  std::vector<HistoryRow> out;
  for (Date as_of : dates) {
    for (const treaty::Party& party : spec.parties) {
      auto it = by_key.find({as_of, party.code});
      const PublishedRow* row = it == by_key.end() ? nullptr : it->second;
      HistoryRow h;
      h.as_of = as_of;
      h.party = party.code;
      h.published = row != nullptr;
      if (row != nullptr) h.source = row->source;
      for (size_t i = 0; i < table.limit_ids.size(); ++i) {
        const treaty::Limit* limit = spec.FindLimit(table.limit_ids[i]);
        if (!limit->AppliesTo(party.code)) continue;
        HistoryCell cell;
        cell.limit_id = limit->id;
        cell.limit_max = limit->max;
        cell.limit_min = limit->min;
        if (row != nullptr) cell.value = row->figures[i];
        h.binding = h.binding || spec.Binds(*limit, as_of);
        cell.state = cell.value ? Evaluate(spec, *limit, *cell.value, as_of)
                                : LimitState::kNotPublished;
        h.cells.push_back(std::move(cell));
      }
      out.push_back(std::move(h));
    }
  }
  return out;
}

}  // namespace detente::registry
