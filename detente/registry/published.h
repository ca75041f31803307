// Published aggregates: the figures the parties declared (and governments
// published) at each data exchange, one row per (as-of date, party), one
// column per limit id. Used to replay a treaty's history against its limits.
//
// The file is CSV with columns as_of_date, party, source and one column per
// limit id of the spec (e.g. New START's deployed_delivery_vehicles,
// deployed_warheads, deployed_and_nondeployed_launchers). An empty cell
// means the figure was not published; it is never filled in.
//
// Values own their data; functions are pure and thread-safe.
#ifndef DETENTE_REGISTRY_PUBLISHED_H_
#define DETENTE_REGISTRY_PUBLISHED_H_

#include <optional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/registry/counting.h"
#include "detente/treaty/spec.h"

namespace detente::registry {

struct PublishedRow {
  Date as_of;
  std::string party;
  std::vector<std::optional<int64_t>>
      figures;  // one per PublishedTable::limit_ids
  std::string source;
  int line = 0;
};

struct PublishedTable {
  std::string file;
  std::vector<std::string> limit_ids;  // column order
  std::vector<PublishedRow> rows;      // file order
};

// Parses and checks the file against the spec: every figure column must be
// a limit id, every party declared, dates valid, figures non-negative
// integers or empty, no (date, party) twice. All problems are reported.
Result<PublishedTable> LoadPublished(const std::string& path,
                                     const treaty::Spec& spec);
Result<PublishedTable> ParsePublished(std::string_view text,
                                      std::string_view file,
                                      const treaty::Spec& spec);

// One published figure checked against its limit.
struct HistoryCell {
  std::string limit_id;
  std::optional<int64_t> value;  // none: not published
  std::optional<int64_t> limit_max;
  std::optional<int64_t> limit_min;
  LimitState state = LimitState::kNotPublished;
};

struct HistoryRow {
  Date as_of;
  std::string party;
  bool binding = false;   // any limit binds on as_of
  bool published = true;  // false: no row for this party and date
  std::vector<HistoryCell> cells;
  std::string source;
};

// Every exchange checked against the spec's limits on its as-of date:
// within / over / under where the limit binds, informational before it
// binds, not published where there is no figure. Rows are ordered by date,
// then by party in spec order. Every party gets a row for every date in the
// table, and — when the spec has a data exchange — for the end of every
// period (the date its data are declared as of) up to the treaty's end (or
// `until`, if earlier), so an exchange that was due but never published shows
// as "not published" rather than disappearing.
std::vector<HistoryRow> CheckHistory(const treaty::Spec& spec,
                                     const PublishedTable& table,
                                     std::optional<Date> until = std::nullopt);

}  // namespace detente::registry

#endif  // DETENTE_REGISTRY_PUBLISHED_H_
