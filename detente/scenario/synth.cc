#include "detente/scenario/synth.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "detente/crypto/cosignature.h"
#include "detente/crypto/keys.h"
#include "detente/crypto/note.h"
#include "detente/crypto/sha256.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/log_store.h"
#include "detente/notification/notification.h"
#include "detente/registry/counting.h"
#include "detente/scenario/force_model.h"
#include "detente/scenario/rng.h"
#include "fmt/format.h"

namespace detente::scenario {
namespace {

using internal::Composition;
using internal::Figures;
using internal::Pending;
using notification::Notification;
using notification::Value;

constexpr size_t kRoles = 3;  // delivery vehicles, warheads, launchers

// One as-of date of a party's synthetic history.
struct Milestone {
  Date date;
  std::string declared_by;  // NST-DB-INIT, NST-DB-UPDATE or empty
  Figures target;
  std::array<std::optional<int64_t>, kRoles> published;
  std::array<std::string, kRoles> basis;
};

std::array<std::string, kRoles> RoleLimits(const SynthOptions& o) {
  return {o.delivery_vehicles_limit, o.warheads_limit, o.launchers_limit};
}

int64_t& Role(Figures& f, size_t r) {
  return r == 0 ? f.delivery_vehicles : r == 1 ? f.warheads : f.launchers;
}

bool IsCode(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isupper(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

Status CheckProfile(const treaty::Spec& spec, const PartyProfile& p) {
  const auto bad = [&](std::string_view what) {
    return Status::InvalidArgument(
        fmt::format("synth profile of {}: {}", p.party, what));
  };
  if (spec.FindParty(p.party) == nullptr) {
    return bad(fmt::format("'{}' is not a party of {}", p.party, spec.id));
  }
  std::set<std::string> facilities;
  for (const FacilityDef& f : p.facilities) {
    if (!facilities.insert(f.id).second) {
      return bad(fmt::format("facility '{}' listed twice", f.id));
    }
  }
  const auto known = [&](const std::string& id, std::string_view what,
                         const TypeMix& t) -> Status {
    if (!id.empty() && facilities.count(id) == 0) {
      return bad(fmt::format("type {}: {} '{}' is not in the facilities",
                             t.code, what, id));
    }
    return Status::Ok();
  };
  std::set<std::string> codes, type_names;
  for (const TypeMix& t : p.types) {
    if (!IsCode(t.code) || !codes.insert(t.code).second) {
      return bad(
          fmt::format("type code '{}' must be [A-Z0-9]+ and unique", t.code));
    }
    const bool bomber = t.category == "heavy_bomber";
    if (t.category != "icbm" && t.category != "slbm" && !bomber) {
      return bad(
          fmt::format("type {}: category '{}' is not icbm, slbm or "
                      "heavy_bomber",
                      t.code, t.category));
    }
    for (const std::string& c :
         {t.category, bomber ? t.category : t.category + "_launcher"}) {
      if (spec.FindCategory(c) == nullptr) {
        return bad(
            fmt::format("type {}: the spec has no category '{}'", t.code, c));
      }
    }
    if (t.type.empty() || !type_names.insert(t.type).second) {
      return bad(fmt::format("type {}: type name empty or used twice", t.code));
    }
    if (!bomber) {
      if (t.launcher_type.empty() || t.launcher_type == t.type ||
          !type_names.insert(t.launcher_type).second) {
        return bad(fmt::format(
            "type {}: launcher_type must be set, differ from the missile "
            "type and be unique",
            t.code));
      }
      if (t.max_warheads < 1) {
        return bad(
            fmt::format("type {}: max_warheads must be at least 1", t.code));
      }
    }
    if (t.category == "slbm" &&
        (t.submarine_class.empty() || t.tubes_per_submarine < 1)) {
      return bad(fmt::format(
          "type {}: an SLBM needs submarine_class and tubes_per_submarine",
          t.code));
    }
    if (t.launchers.empty()) {
      return bad(fmt::format("type {}: no launcher knots", t.code));
    }
    for (size_t i = 0; i < t.launchers.size(); ++i) {
      if (t.launchers[i].value < 0 ||
          (i > 0 && t.launchers[i].date <= t.launchers[i - 1].date)) {
        return bad(fmt::format(
            "type {}: launcher knots must be non-negative, in date order",
            t.code));
      }
    }
    if (t.deploy_per_mille < 0 || t.deploy_per_mille > 1000 ||
        t.spare_missiles_per_mille < 0 || t.test_items < 0 || t.add_unit < 1 ||
        t.remove_unit < 1 || t.typical_warheads_milli < 0) {
      return bad(fmt::format("type {}: a share, count or unit is out of range",
                             t.code));
    }
    if (t.bases.empty()) return bad(fmt::format("type {}: no bases", t.code));
    for (const std::string& b : t.bases) {
      DETENTE_RETURN_IF_ERROR(known(b, "base", t));
    }
    DETENTE_RETURN_IF_ERROR(known(t.storage, "storage", t));
    DETENTE_RETURN_IF_ERROR(known(t.production, "production", t));
    DETENTE_RETURN_IF_ERROR(known(t.test_facility, "test facility", t));
  }
  return Status::Ok();
}

Status CheckOptions(const treaty::Spec& spec, const SynthOptions& o) {
  if (o.treaty_id != spec.id) {
    return Status::InvalidArgument(
        fmt::format("synth: options are for treaty '{}' but the spec is '{}'",
                    o.treaty_id, spec.id));
  }
  if (!spec.data_exchange.has_value()) {
    return Status::InvalidArgument(fmt::format(
        "synth: treaty '{}' has no [data_exchange]; synthetic histories need "
        "periodic database updates",
        spec.id));
  }
  for (const std::string& l : RoleLimits(o)) {
    if (spec.FindLimit(l) == nullptr) {
      return Status::InvalidArgument(
          fmt::format("synth: treaty '{}' has no limit '{}'", spec.id, l));
    }
  }
  for (std::string_view s :
       {"deployed", "non_deployed", "test", "converted", "eliminated"}) {
    if (spec.FindStatus(s) == nullptr) {
      return Status::InvalidArgument(
          fmt::format("synth: treaty '{}' has no status '{}'", spec.id, s));
    }
  }
  for (std::string_view c :
       {"NST-DB-INIT", "NST-DB-UPDATE", "NST-ITEM-NEW", "NST-TYPE-NEW",
        "NST-FACILITY-NEW", "NST-STATUS-CHANGE", "NST-RV-CHANGE",
        "NST-ITEM-MOVE", "NST-ITEM-ELIM", "NST-ITEM-CONV"}) {
    if (spec.FindNotification(c) == nullptr) {
      return Status::InvalidArgument(
          fmt::format("synth: treaty '{}' has no notification {}", spec.id, c));
    }
  }
  if (o.max_send_delay_hours < 1 || o.dispatch_interval_hours < 1 ||
      o.dispatch_hour < 0 || o.dispatch_hour > 23 ||
      o.receipt_delay_seconds < 1 || o.init_send_days < 0 ||
      o.update_send_days < 0 || o.rotations_per_mille < 0 ||
      o.rv_churn_per_mille < 0 || o.to_storage_per_mille < 0) {
    return Status::InvalidArgument(
        "synth: a timing or churn option is out "
        "of range");
  }
  std::set<std::string> parties;
  for (const PartyProfile& p : o.profiles) {
    if (!parties.insert(p.party).second) {
      return Status::InvalidArgument(
          fmt::format("synth: two profiles for party {}", p.party));
    }
    DETENTE_RETURN_IF_ERROR(CheckProfile(spec, p));
  }
  return Status::Ok();
}

// The as-of dates of `party`: entry into force, every published date and
// every six-month as-of date, up to where its record stops — its last
// published row, extended over later exchange dates for which no party
// published anything (e.g. 1 September 2022), but not past a date on which
// another party published and it did not (Russia, 1 March 2023).
Result<std::vector<Milestone>> Milestones(const treaty::Spec& spec,
                                          const registry::PublishedTable& table,
                                          const SynthOptions& o,
                                          std::string_view party) {
  const Date eif = spec.dates.entry_into_force;
  const treaty::DataExchange& dx = *spec.data_exchange;
  std::array<int, kRoles> column{};
  const std::array<std::string, kRoles> roles = RoleLimits(o);
  for (size_t r = 0; r < kRoles; ++r) {
    auto it =
        std::find(table.limit_ids.begin(), table.limit_ids.end(), roles[r]);
    if (it == table.limit_ids.end()) {
      return Status::InvalidArgument(
          fmt::format("synth: {} has no column '{}'", table.file, roles[r]));
    }
    column[r] = static_cast<int>(it - table.limit_ids.begin());
  }
  std::map<Date, const registry::PublishedRow*> rows;
  std::set<Date> any_row;
  Date last_table = eif;
  for (const registry::PublishedRow& row : table.rows) {
    any_row.insert(row.as_of);
    last_table = std::max(last_table, row.as_of);
    if (row.party == party) rows[row.as_of] = &row;
  }
  if (rows.empty()) {
    return Status::InvalidArgument(fmt::format(
        "synth: {} has no figures for party {}", table.file, party));
  }
  std::vector<Date> exchanges;
  for (int k = 1;; ++k) {
    Date d = dx.first_period_start.AddMonths(dx.period_months * k);
    if (d > last_table) break;
    exchanges.push_back(d);
  }
  Date end = rows.rbegin()->first;
  for (Date d : exchanges) {
    if (d <= end) continue;
    if (any_row.count(d) != 0) break;  // others published; this party did not
    end = d;
  }
  if (o.until.has_value()) end = std::min(end, *o.until);

  std::set<Date> dates{eif};
  for (const auto& [d, unused] : rows) {
    if (d >= eif && d <= end) dates.insert(d);
  }
  for (Date d : exchanges) {
    if (d <= end) dates.insert(d);
  }
  std::vector<Milestone> out;
  for (Date d : dates) {
    Milestone m;
    m.date = d;
    if (d == eif) {
      m.declared_by = "NST-DB-INIT";
    } else if (std::find(exchanges.begin(), exchanges.end(), d) !=
               exchanges.end()) {
      m.declared_by = "NST-DB-UPDATE";
    }
    for (size_t r = 0; r < kRoles; ++r) {
      const size_t c = static_cast<size_t>(column[r]);
      const auto value = [&](const registry::PublishedRow* row) {
        return row->figures[c];
      };
      if (auto it = rows.find(d); it != rows.end() && value(it->second)) {
        m.published[r] = value(it->second);
        Role(m.target, r) = *m.published[r];
        m.basis[r] = "published";
        continue;
      }
      std::optional<std::pair<Date, int64_t>> before, after;
      for (const auto& [rd, row] : rows) {
        if (!value(row)) continue;
        if (rd < d) before = std::pair{rd, *value(row)};
        if (rd > d && !after) after = std::pair{rd, *value(row)};
      }
      if (before && after) {
        const int64_t span = after->first.DaysSince(before->first);
        const int64_t num =
            before->second * span +
            (after->second - before->second) * d.DaysSince(before->first);
        Role(m.target, r) = (2 * num + span) / (2 * span);
        m.basis[r] = "interpolated";
      } else if (before || after) {
        Role(m.target, r) = before ? before->second : after->second;
        m.basis[r] = "held";
      } else {
        return Status::InvalidArgument(
            fmt::format("synth: {} has no '{}' figure for party {}", table.file,
                        roles[r], party));
      }
    }
    // Keep made-up figures consistent: no more deployed vehicles than
    // launchers, at least one warhead per deployed vehicle.
    if (m.target.delivery_vehicles > m.target.launchers &&
        m.basis[0] != "published") {
      m.target.delivery_vehicles = m.target.launchers;
      m.basis[0] = "adjusted";
    }
    if (m.target.warheads < m.target.delivery_vehicles &&
        m.basis[1] != "published") {
      m.target.warheads = m.target.delivery_vehicles;
      m.basis[1] = "adjusted";
    }
    out.push_back(std::move(m));
  }
  return out;
}

// Every limit's aggregate for `party` over `items`, as declared totals, and
// the three role figures.
Result<std::pair<Value, Figures>> Count(const treaty::Spec& spec,
                                        const registry::ItemSet& items,
                                        std::string_view party,
                                        const SynthOptions& o) {
  DETENTE_ASSIGN_OR_RETURN(std::vector<registry::Aggregate> aggs,
                           registry::CountAll(spec, items));
  Value::Map totals;
  Figures f;
  const std::array<std::string, kRoles> roles = RoleLimits(o);
  for (const registry::Aggregate& a : aggs) {
    if (a.party != party) continue;
    totals.emplace(a.limit_id, Value::Int(a.value));
    for (size_t r = 0; r < kRoles; ++r) {
      if (a.limit_id == roles[r]) Role(f, r) = a.value;
    }
  }
  return std::pair{Value::OfMap(std::move(totals)), f};
}

// The first dispatch instant at or after `t`.
Instant DispatchAtOrAfter(Instant t, const SynthOptions& o) {
  const int64_t period = o.dispatch_interval_hours * 3600;
  const int64_t phase = o.dispatch_hour * 3600;
  int64_t s = t.unix_seconds() - phase;
  int64_t k = s >= 0 ? (s + period - 1) / period : -((-s) / period);
  return Instant::FromUnixSeconds(k * period + phase);
}

struct Queued {
  Pending pending;
  Instant slot;
};

Result<PartyHistory> BuildParty(const treaty::Spec& spec,
                                const PartyProfile& profile,
                                std::vector<Milestone>& milestones,
                                const SynthOptions& o,
                                std::vector<ExchangeReport>* reports) {
  const std::string& party = profile.party;
  internal::PartyForce force(spec, profile, o.seed, o);
  Rng send(o.seed, "send/" + party);
  std::vector<Queued> queue;
  const auto check = [&](const Milestone& m, const Figures& counted) -> Status {
    if (counted == m.target && force.CurrentFigures() == m.target) {
      return Status::Ok();
    }
    return Status::Internal(fmt::format(
        "synthetic {} as of {}: items count {}/{}/{}, target {}/{}/{}", party,
        m.date.ToString(), counted.delivery_vehicles, counted.warheads,
        counted.launchers, m.target.delivery_vehicles, m.target.warheads,
        m.target.launchers));
  };
  const auto report = [&](const Milestone& m, const Figures& counted) {
    ExchangeReport r;
    r.as_of = m.date;
    r.party = party;
    r.declared_by = m.declared_by;
    const std::array<std::string, kRoles> roles = RoleLimits(o);
    Figures target = m.target, produced = counted;
    for (size_t k = 0; k < kRoles; ++k) {
      r.figures.push_back({roles[k], m.published[k], Role(target, k),
                           Role(produced, k), m.basis[k]});
    }
    reports->push_back(std::move(r));
  };

  // Entry into force: declarations, then the initial database.
  const Milestone& first = milestones.front();
  DETENTE_ASSIGN_OR_RETURN(
      Composition c0,
      internal::SolveComposition(profile, first.date, first.target, nullptr));
  const Instant eif = Instant::StartOf(first.date);
  DETENTE_ASSIGN_OR_RETURN(std::vector<Pending> declarations,
                           force.Initialize(c0, eif));
  const Instant declared_slot = DispatchAtOrAfter(eif.AddDays(1), o);
  for (Pending& p : declarations)
    queue.push_back({std::move(p), declared_slot});
  DETENTE_ASSIGN_OR_RETURN(auto counted0,
                           Count(spec, force.Snapshot(), party, o));
  DETENTE_RETURN_IF_ERROR(check(first, counted0.second));
  DETENTE_ASSIGN_OR_RETURN(
      Pending init,
      force.Declare(first.declared_by, first.date, counted0.first));
  const Instant init_slot = DispatchAtOrAfter(eif.AddDays(o.init_send_days), o);
  queue.push_back({std::move(init), init_slot});
  report(first, counted0.second);

  Instant window_start = init_slot.AddDays(1);
  for (size_t k = 1; k < milestones.size(); ++k) {
    const Milestone& m = milestones[k];
    const internal::Previous now{milestones[k - 1].date, force.Current()};
    DETENTE_ASSIGN_OR_RETURN(
        Composition next,
        internal::SolveComposition(profile, m.date, m.target, &now));
    const Instant as_of = Instant::StartOf(m.date);
    DETENTE_ASSIGN_OR_RETURN(
        std::vector<Pending> changes,
        force.Transition(next, internal::FiguresOf(profile, now.composition),
                         m.target, window_start, as_of.AddHours(-3)));
    for (Pending& p : changes) {
      Instant slot = DispatchAtOrAfter(
          p.event.AddSeconds(send.Range(3600, o.max_send_delay_hours * 3600)),
          o);
      queue.push_back({std::move(p), slot});
    }
    DETENTE_ASSIGN_OR_RETURN(auto counted,
                             Count(spec, force.Snapshot(), party, o));
    DETENTE_RETURN_IF_ERROR(check(m, counted.second));
    if (!m.declared_by.empty()) {
      DETENTE_ASSIGN_OR_RETURN(
          Pending update, force.Declare(m.declared_by, m.date, counted.first));
      queue.push_back(
          {std::move(update),
           DispatchAtOrAfter(as_of.AddDays(o.update_send_days), o)});
    }
    report(m, counted.second);
    window_start = as_of.AddHours(30);
  }

  // Sequence: the order of sending.
  std::stable_sort(queue.begin(), queue.end(),
                   [](const Queued& a, const Queued& b) {
                     if (a.slot != b.slot) return a.slot < b.slot;
                     return a.pending.event < b.pending.event;
                   });
  PartyHistory h;
  h.party = party;
  h.notifications.reserve(queue.size());
  int64_t in_slot = 0;
  for (size_t i = 0; i < queue.size(); ++i) {
    Queued& q = queue[i];
    in_slot = (i > 0 && queue[i - 1].slot == q.slot) ? in_slot + 1 : 0;
    if (in_slot >= o.receipt_delay_seconds) {
      return Status::FailedPrecondition(
          "synth: more notifications in one dispatch than seconds before "
          "its receipt; raise receipt_delay_seconds");
    }
    Notification n;
    n.treaty = spec.id;
    n.sender = party;
    n.sequence = i + 1;
    n.type = q.pending.type;
    n.event_time = q.pending.event;
    n.sent_time = q.slot.AddSeconds(in_slot);
    n.body = std::move(q.pending.body);
    const auto context = [&] {
      return fmt::format("synthetic {} notification {} ({}, event {})", party,
                         n.sequence, n.type, n.event_time.ToString());
    };
    Status valid = notification::Validate(spec, n);
    if (!valid.ok()) return valid.WithContext(context());
    if (n.sent_time < n.event_time && n.type != "NST-DB-INIT" &&
        n.type != "NST-DB-UPDATE") {
      return Status::Internal(context() + ": sent before its event");
    }
    DETENTE_ASSIGN_OR_RETURN(std::optional<Instant> due,
                             notification::DueBy(spec, n));
    if (due.has_value() && n.sent_time > *due) {
      return Status::FailedPrecondition(fmt::format(
          "{}: would be sent at {}, after its deadline {}; shorten the "
          "send delays",
          context(), n.sent_time.ToString(), due->ToString()));
    }
    h.notifications.push_back(std::move(n));
    if (i + 1 == queue.size() || queue[i + 1].slot != q.slot) {
      h.dispatches.push_back(
          {h.notifications.size(), q.slot.AddSeconds(o.receipt_delay_seconds)});
    }
  }
  return h;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

crypto::Ed25519Seed KeySeed(uint64_t seed, std::string_view party) {
  std::string input = "detente/scenario/synth/key/v1\n";
  input += std::to_string(seed);
  input += '\n';
  input += party;
  return crypto::Sha256(input);
}

Status WriteText(const std::string& path, std::string_view text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.flush();
  if (!f) return Status::IOError(fmt::format("{}: cannot write", path));
  return Status::Ok();
}

nlohmann::json ProfileJson(const PartyProfile& p) {
  nlohmann::json types = nlohmann::json::array();
  for (const TypeMix& t : p.types) {
    nlohmann::json knots = nlohmann::json::array();
    for (const Knot& k : t.launchers) {
      knots.push_back({{"date", k.date.ToString()}, {"value", k.value}});
    }
    types.push_back({{"code", t.code},
                     {"category", t.category},
                     {"type", t.type},
                     {"launcher_type", t.launcher_type},
                     {"basing", t.basing},
                     {"submarine_class", t.submarine_class},
                     {"tubes_per_submarine", t.tubes_per_submarine},
                     {"max_warheads", t.max_warheads},
                     {"typical_warheads_milli", t.typical_warheads_milli},
                     {"launchers", knots},
                     {"deploy_per_mille", t.deploy_per_mille},
                     {"spare_missiles_per_mille", t.spare_missiles_per_mille},
                     {"test_items", t.test_items},
                     {"in_production", t.in_production},
                     {"add_unit", t.add_unit},
                     {"remove_unit", t.remove_unit},
                     {"reduce_by_conversion", t.reduce_by_conversion},
                     {"bases", t.bases},
                     {"storage", t.storage},
                     {"production", t.production},
                     {"test_facility", t.test_facility},
                     {"source", t.source}});
  }
  nlohmann::json facilities = nlohmann::json::array();
  for (const FacilityDef& f : p.facilities) {
    facilities.push_back({{"id", f.id},
                          {"name", f.name},
                          {"kind", f.kind},
                          {"location", f.location}});
  }
  return {{"party", p.party}, {"facilities", facilities}, {"types", types}};
}

// File names, not paths: the same inputs give the same bytes wherever they
// are read from.
std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// SHA-256 (hex) of the table's figures, one line "as_of,party,f1,f2,...\n"
// per row in file order, empty for a figure not published: which figures a
// run reproduced, independent of the file's other columns and location.
std::string FiguresDigest(const registry::PublishedTable& table) {
  std::string text;
  for (const registry::PublishedRow& row : table.rows) {
    text += row.as_of.ToString() + "," + row.party;
    for (const std::optional<int64_t>& f : row.figures) {
      text += ",";
      if (f.has_value()) text += std::to_string(*f);
    }
    text += "\n";
  }
  crypto::Sha256Digest d = crypto::Sha256(text);
  std::string hex;
  for (uint8_t b : d) hex += fmt::format("{:02x}", b);
  return hex;
}

constexpr const char* kWarning =
    "SYNTHETIC DATA. Every item, identifier, base assignment, warhead load, "
    "event and notification here is invented by detente synth. Only the "
    "aggregate figures marked 'published' come from the public record (the "
    "source CSV); the synthetic history was made to reproduce them exactly. "
    "Nothing here describes any party's real forces.";

constexpr const char* kMergedWarning =
    "Exception: the notifications merged from outside the model (\"merged\", "
    "and the sections at the end of SYNTHETIC.md) each cite their source or "
    "are labelled an illustration.";

std::string ManifestJson(const treaty::Spec& spec,
                         const registry::PublishedTable& table,
                         const SynthOptions& o, const SynthReport& r,
                         const std::vector<MergedProvenance>& merged) {
  nlohmann::json parties = nlohmann::json::array();
  for (const PartyReport& p : r.parties) {
    parties.push_back({{"party", p.party},
                       {"key_name", SyntheticKeyName(o.treaty_id, p.party)},
                       {"key_file", p.key_file},
                       {"vkey_file", p.vkey_file},
                       {"cosigner_vkey_file", p.cosigner_vkey_file},
                       {"db_file", p.db_file},
                       {"vkey", p.vkey},
                       {"cosigner_vkey", p.cosigner_vkey},
                       {"notifications", p.notifications},
                       {"by_type", p.by_type},
                       {"log_size", p.log_size},
                       {"checkpoints", p.checkpoints}});
  }
  nlohmann::json exchanges = nlohmann::json::array();
  for (const ExchangeReport& e : r.exchanges) {
    nlohmann::json figures = nlohmann::json::object();
    for (const FigureReport& f : e.figures) {
      figures[f.limit_id] = {
          {"published", f.published ? nlohmann::json(*f.published)
                                    : nlohmann::json(nullptr)},
          {"target", f.target},
          {"produced", f.produced},
          {"basis", f.basis}};
    }
    exchanges.push_back({{"as_of", e.as_of.ToString()},
                         {"party", e.party},
                         {"declared_by", e.declared_by},
                         {"figures", figures}});
  }
  nlohmann::json profiles = nlohmann::json::array();
  for (const PartyProfile& p : o.profiles) profiles.push_back(ProfileJson(p));
  nlohmann::json witness_checks = nlohmann::json::array();
  for (Instant t : r.witness_checks) witness_checks.push_back(t.ToString());
  nlohmann::json m = {
      {"synthetic", true},
      {"warning", kWarning},
      {"generator", "detente synth (detente/scenario, docs/synth.md)"},
      {"treaty", spec.id},
      {"seed", o.seed},
      {"spec_file", BaseName(spec.source_file)},
      {"source_csv", BaseName(table.file)},
      {"source_csv_figures_sha256", FiguresDigest(table)},
      {"parameters",
       {{"max_send_delay_hours", o.max_send_delay_hours},
        {"dispatch_interval_hours", o.dispatch_interval_hours},
        {"dispatch_hour", o.dispatch_hour},
        {"receipt_delay_seconds", o.receipt_delay_seconds},
        {"init_send_days", o.init_send_days},
        {"update_send_days", o.update_send_days},
        {"rotations_per_mille", o.rotations_per_mille},
        {"rv_churn_per_mille", o.rv_churn_per_mille},
        {"to_storage_per_mille", o.to_storage_per_mille},
        {"until", o.until ? nlohmann::json(o.until->ToString())
                          : nlohmann::json(nullptr)},
        {"profiles", profiles}}},
      {"figures_not_published",
       "Where the source CSV has no figure (an empty cell or a missing row), "
       "the target is 'interpolated' linearly in time between the published "
       "figures of that party, or 'held' at the nearest one; 'adjusted' "
       "means raised or lowered to stay consistent. These targets are "
       "SYNTHETIC."},
      {"parties", parties},
      {"exchanges", exchanges},
      {"witness_checks", witness_checks},
  };
  if (!merged.empty()) {
    m["warning"] = std::string(kWarning) + " " + kMergedWarning;
    nlohmann::json by_name = nlohmann::json::object();
    for (const MergedProvenance& p : merged) {
      by_name[p.name] = nlohmann::json::parse(p.manifest_json);
    }
    m["merged"] = by_name;
  }
  return m.dump(2) + "\n";
}

std::string ReadmeText(const treaty::Spec& spec,
                       const registry::PublishedTable& table,
                       const SynthOptions& o, const SynthReport& r,
                       const std::vector<MergedProvenance>& merged) {
  std::string s = fmt::format(
      "# SYNTHETIC data: {} history made by detente synth\n\n{}{}\n\n"
      "- treaty: `{}` (spec file `{}`)\n- seed: {}\n- source of the "
      "published figures: `{}` (SHA-256 of its figures: {})\n- parameters "
      "and type mixes: `manifest.json` (\"parameters\"); the model and its "
      "assumptions: docs/synth.md in the detente repository\n\n",
      spec.short_name.empty() ? spec.id : spec.short_name, kWarning,
      merged.empty() ? "" : std::string(" ") + kMergedWarning, spec.id,
      BaseName(spec.source_file), o.seed, BaseName(table.file),
      FiguresDigest(table));
  s += "## Files\n\n";
  for (const PartyReport& p : r.parties) {
    s += fmt::format(
        "- `{}`: {}'s log, {} notifications, {} checkpoints each cosigned by "
        "the other party; keys `{}` (secret, mode 0600), `{}`, `{}`\n",
        p.db_file, p.party, p.log_size, p.checkpoints, p.key_file, p.vkey_file,
        p.cosigner_vkey_file);
  }
  s += fmt::format(
      "\nEach party also re-cosigned the others' latest checkpoints {} times "
      "(the day after each six-month update's deadline, and at the end), "
      "recorded in its own log's witness table: how each log stood then, "
      "even when nothing was sent.\n",
      r.witness_checks.size());
  s += "\n## Figures: published, target, produced\n\n"
       "| as of | party | declared by | figure | published | target | "
       "produced | basis |\n|---|---|---|---|---|---|---|---|\n";
  for (const ExchangeReport& e : r.exchanges) {
    for (const FigureReport& f : e.figures) {
      s += fmt::format(
          "| {} | {} | {} | {} | {} | {} | {} | {} |\n", e.as_of.ToString(),
          e.party, e.declared_by.empty() ? "(changes)" : e.declared_by,
          f.limit_id, f.published ? std::to_string(*f.published) : "-",
          f.target, f.produced, f.basis);
    }
  }
  for (const MergedProvenance& p : merged) s += "\n" + p.readme;
  return s;
}

struct PartyLog {
  std::string party;
  std::optional<crypto::SignerKey> key;
  std::optional<crypto::SignerKey> cosigner;
  std::unique_ptr<ledger::LogStore> log;
  const PartyHistory* history = nullptr;
  uint64_t checkpoints = 0;
};

// Appends dispatch `d` of `p`, signs the checkpoint, has every other party
// verify and cosign it at the receipt time, and records the receipts.
Status Dispatch(PartyLog& p, size_t d, std::vector<PartyLog>& all,
                const std::vector<std::string>& entries) {
  const PartyHistory::Dispatch& dispatch = p.history->dispatches[d];
  const size_t begin = d == 0 ? 0 : p.history->dispatches[d - 1].end;
  for (size_t i = begin; i < dispatch.end; i += ledger::kMaxGroupEntries) {
    size_t n = std::min(ledger::kMaxGroupEntries, dispatch.end - i);
    DETENTE_ASSIGN_OR_RETURN(
        uint64_t first,
        p.log->AppendBatch(std::span<const std::string>(&entries[i], n)));
    if (first != i) {
      return Status::Internal(fmt::format(
          "{}: appended at index {}, expected {}", p.log->path(), first, i));
    }
  }
  ledger::Checkpoint cp{p.log->origin(), p.log->size(), p.log->root(), {}};
  DETENTE_ASSIGN_OR_RETURN(std::string note,
                           ledger::SignCheckpoint(cp, *p.key));
  std::vector<crypto::NoteSignature> receipts;
  for (PartyLog& w : all) {
    if (&w == &p) continue;
    // The receiving party verifies the note before it cosigns. (It would
    // also check consistency with the last checkpoint it cosigned; here
    // both logs are written by this process, and SaveCheckpoint refuses a
    // root that is not the tree's.)
    DETENTE_RETURN_IF_ERROR(
        ledger::OpenCheckpoint(note, p.key->verifier()).status());
    DETENTE_ASSIGN_OR_RETURN(
        crypto::NoteSignature sig,
        crypto::Cosign(cp.Body(), *w.cosigner,
                       static_cast<uint64_t>(dispatch.receipt.unix_seconds())));
    DETENTE_ASSIGN_OR_RETURN(
        std::string cosigned,
        crypto::AddSignatures(note,
                              std::span<const crypto::NoteSignature>(&sig, 1)));
    DETENTE_RETURN_IF_ERROR(
        w.log->SaveCosigned({cp.origin, cp.size, cp.root, cosigned}));
    receipts.push_back(std::move(sig));
  }
  // The sender records its checkpoint once, with the receipts: the same
  // note SaveCheckpoint followed by UpdateCheckpointNote would leave, in
  // one transaction instead of two.
  DETENTE_ASSIGN_OR_RETURN(std::string full,
                           crypto::AddSignatures(note, receipts));
  DETENTE_RETURN_IF_ERROR(
      p.log->SaveCheckpoint({cp.origin, cp.size, cp.root, full}));
  ++p.checkpoints;
  return Status::Ok();
}

// Every other party re-cosigns each party's latest checkpoint at `at`: the
// receiving ministry's periodic look at the log, which records how it stood
// then even when nothing new was sent (the evidence a missing-update
// finding rests on). The log key signs deterministically, so the note is
// the one the sender signed at its last dispatch.
Status WitnessCheck(Instant at, std::vector<PartyLog>& all) {
  for (PartyLog& p : all) {
    if (p.checkpoints == 0) continue;
    ledger::Checkpoint cp{p.log->origin(), p.log->size(), p.log->root(), {}};
    DETENTE_ASSIGN_OR_RETURN(std::string note,
                             ledger::SignCheckpoint(cp, *p.key));
    for (PartyLog& w : all) {
      if (&w == &p) continue;
      DETENTE_ASSIGN_OR_RETURN(
          crypto::NoteSignature sig,
          crypto::Cosign(cp.Body(), *w.cosigner,
                         static_cast<uint64_t>(at.unix_seconds())));
      DETENTE_ASSIGN_OR_RETURN(
          std::string cosigned,
          crypto::AddSignatures(
              note, std::span<const crypto::NoteSignature>(&sig, 1)));
      DETENTE_RETURN_IF_ERROR(
          w.log->SaveCosigned({cp.origin, cp.size, cp.root, cosigned}));
    }
  }
  return Status::Ok();
}

// When the parties look at each other's logs besides receipts: the day
// after each periodic update's deadline, and at the end of the history —
// the treaty's end, or `opts.until` when that is earlier, or the last
// receipt when the treaty has no end.
std::vector<Instant> WitnessCheckTimes(const treaty::Spec& spec,
                                       const SynthOptions& opts,
                                       Instant last_receipt) {
  const std::optional<Date> end = spec.End();
  Instant until = end ? Instant::StartOf(*end) : last_receipt;
  if (opts.until) until = std::min(until, Instant::StartOf(*opts.until));
  until = std::max(until, last_receipt);
  std::vector<Instant> out;
  for (const notification::UpdateDue& u :
       notification::PeriodicUpdatesDue(spec, until)) {
    Instant t = u.due.AddSeconds(86400);
    if (t < until) out.push_back(t);
  }
  out.push_back(until);
  return out;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kReadmeFile = "SYNTHETIC.md";

// AlreadyExists when out_dir holds any file a run writes.
Status CheckOutputFree(const treaty::Spec& spec, const SynthOptions& opts) {
  std::vector<std::string> files = {kManifestFile, kReadmeFile};
  for (const treaty::Party& party : spec.parties) {
    for (std::string_view suffix : {".key", ".key.vkey", ".key.cosigner.vkey",
                                    ".db", ".db-wal", ".db-shm"}) {
      files.push_back(party.code + std::string(suffix));
    }
  }
  for (const std::string& f : files) {
    const std::string path = opts.out_dir + "/" + f;
    if (Exists(path)) {
      return Status::AlreadyExists(fmt::format(
          "{}: already exists; synth writes into a directory without a "
          "previous run's files",
          path));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string SyntheticKeyName(std::string_view treaty_id,
                             std::string_view party) {
  return fmt::format("{}.synthetic.detente/{}", Lower(party), treaty_id);
}

Result<SynthHistory> BuildHistory(const treaty::Spec& spec,
                                  const registry::PublishedTable& published,
                                  const SynthOptions& opts) {
  DETENTE_RETURN_IF_ERROR(CheckOptions(spec, opts));
  SynthHistory out;
  for (const treaty::Party& party : spec.parties) {
    const PartyProfile* profile = nullptr;
    for (const PartyProfile& p : opts.profiles) {
      if (p.party == party.code) profile = &p;
    }
    if (profile == nullptr) {
      return Status::InvalidArgument(
          fmt::format("synth: no profile for party {}", party.code));
    }
    DETENTE_ASSIGN_OR_RETURN(std::vector<Milestone> milestones,
                             Milestones(spec, published, opts, party.code));
    DETENTE_ASSIGN_OR_RETURN(
        PartyHistory h,
        BuildParty(spec, *profile, milestones, opts, &out.exchanges));
    out.parties.push_back(std::move(h));
  }
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < spec.parties.size(); ++i) {
    order[spec.parties[i].code] = i;
  }
  std::stable_sort(out.exchanges.begin(), out.exchanges.end(),
                   [&](const ExchangeReport& a, const ExchangeReport& b) {
                     if (a.as_of != b.as_of) return a.as_of < b.as_of;
                     return order[a.party] < order[b.party];
                   });
  return out;
}

Result<std::map<std::string, size_t>> MergeNotifications(
    const treaty::Spec& spec, const SynthOptions& opts,
    const std::vector<ExtraNotifications>& extra, SynthHistory* history) {
  std::map<std::string, const ExtraNotifications*> by_party;
  for (const ExtraNotifications& e : extra) {
    bool known = false;
    for (const PartyHistory& h : history->parties) known |= h.party == e.party;
    if (!known || !by_party.emplace(e.party, &e).second) {
      return Status::InvalidArgument(fmt::format(
          "merge: extra notifications for '{}', which is not a party of the "
          "history or is listed twice",
          e.party));
    }
  }
  struct Entry {
    Notification n;
    Instant receipt;  // the receipt it had, or would have on its own
  };
  std::vector<PartyHistory> merged;
  std::map<std::string, size_t> dropped;
  for (const PartyHistory& h : history->parties) {
    const auto it = by_party.find(h.party);
    const ExtraNotifications* x = it == by_party.end() ? nullptr : it->second;
    const std::optional<Instant> stop = x ? x->stops_sending : std::nullopt;
    std::vector<Entry> entries;
    size_t begin = 0;
    for (const PartyHistory::Dispatch& d : h.dispatches) {
      for (size_t i = begin; i < d.end; ++i) {
        if (stop && h.notifications[i].sent_time > *stop) {
          ++dropped[h.party];
          continue;
        }
        entries.push_back({h.notifications[i], d.receipt});
      }
      begin = d.end;
    }
    if (x != nullptr) {
      for (const Notification& n : x->notifications) {
        if (n.sender != h.party || n.treaty != spec.id) {
          return Status::InvalidArgument(fmt::format(
              "merge: a {} notification from '{}' for treaty '{}' among {}'s",
              n.type, n.sender, n.treaty, h.party));
        }
        if (stop && n.sent_time > *stop) {
          return Status::FailedPrecondition(fmt::format(
              "merge: {} {} sent {} after {} stopped sending ({})", h.party,
              n.type, n.sent_time.ToString(), h.party, stop->ToString()));
        }
        entries.push_back(
            {n, n.sent_time.AddSeconds(opts.receipt_delay_seconds)});
      }
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) {
                       return a.n.sent_time < b.n.sent_time;
                     });
    PartyHistory out;
    out.party = h.party;
    out.notifications.reserve(entries.size());
    std::optional<Instant> open;  // the open dispatch's receipt
    for (size_t i = 0; i < entries.size(); ++i) {
      Entry& e = entries[i];
      e.n.sequence = i + 1;
      const auto context = [&] {
        return fmt::format("merged {} notification {} ({}, sent {})", h.party,
                           e.n.sequence, e.n.type, e.n.sent_time.ToString());
      };
      Status valid = notification::Validate(spec, e.n);
      if (!valid.ok()) return valid.WithContext(context());
      if (open && e.n.sent_time >= *open) {
        out.dispatches.push_back({i, *open});
        open.reset();
      }
      open = open ? std::max(*open, e.receipt) : e.receipt;
      out.notifications.push_back(std::move(e.n));
    }
    if (open) out.dispatches.push_back({out.notifications.size(), *open});
    begin = 0;
    for (const PartyHistory::Dispatch& d : out.dispatches) {
      for (size_t i = begin; i < d.end; ++i) {
        const Notification& n = out.notifications[i];
        DETENTE_ASSIGN_OR_RETURN(std::optional<Instant> due,
                                 notification::DueBy(spec, n));
        if (due && d.receipt > *due) {
          return Status::FailedPrecondition(fmt::format(
              "merge: {} notification {} ({}) would be received at {}, after "
              "its deadline {}",
              h.party, n.sequence, n.type, d.receipt.ToString(),
              due->ToString()));
        }
      }
      begin = d.end;
    }
    merged.push_back(std::move(out));
  }
  history->parties = std::move(merged);
  return dropped;
}

Result<SynthReport> Synthesize(const treaty::Spec& spec,
                               const registry::PublishedTable& published,
                               const SynthOptions& opts) {
  if (opts.out_dir.empty()) {
    return Status::InvalidArgument("synth: no output directory");
  }
  DETENTE_RETURN_IF_ERROR(CheckOptions(spec, opts));
  DETENTE_RETURN_IF_ERROR(CheckOutputFree(spec, opts));
  DETENTE_ASSIGN_OR_RETURN(SynthHistory history,
                           BuildHistory(spec, published, opts));
  return WriteHistory(spec, published, opts, history);
}

Result<SynthReport> WriteHistory(const treaty::Spec& spec,
                                 const registry::PublishedTable& published,
                                 const SynthOptions& opts,
                                 const SynthHistory& history) {
  if (opts.out_dir.empty()) {
    return Status::InvalidArgument("synth: no output directory");
  }
  DETENTE_RETURN_IF_ERROR(CheckOutputFree(spec, opts));
  SynthReport report;
  report.out_dir = opts.out_dir;
  report.treaty_id = spec.id;
  report.seed = opts.seed;
  report.source_csv = BaseName(published.file);
  report.manifest_file = kManifestFile;
  report.readme_file = kReadmeFile;
  const auto path = [&](const std::string& name) {
    return opts.out_dir + "/" + name;
  };
  report.exchanges = history.exchanges;
  std::error_code ec;
  std::filesystem::create_directories(opts.out_dir, ec);
  if (ec) {
    return Status::IOError(
        fmt::format("{}: cannot create: {}", opts.out_dir, ec.message()));
  }

  std::vector<PartyLog> logs;
  std::vector<std::vector<std::string>> entries;
  for (const PartyHistory& h : history.parties) {
    PartyLog pl;
    pl.party = h.party;
    pl.history = &h;
    const std::string name = SyntheticKeyName(spec.id, h.party);
    const crypto::Ed25519Seed seed = KeySeed(opts.seed, h.party);
    DETENTE_ASSIGN_OR_RETURN(
        crypto::SignerKey key,
        crypto::SignerKey::FromSeed(name, crypto::KeyType::kEd25519, seed));
    DETENTE_ASSIGN_OR_RETURN(crypto::SignerKey cosigner,
                             crypto::SignerKey::FromSeed(
                                 name, crypto::KeyType::kCosignatureV1, seed));
    PartyReport pr;
    pr.party = h.party;
    pr.key_file = h.party + ".key";
    pr.vkey_file = h.party + ".key.vkey";
    pr.cosigner_vkey_file = h.party + ".key.cosigner.vkey";
    pr.db_file = h.party + ".db";
    pr.vkey = key.verifier().ToString();
    pr.cosigner_vkey = cosigner.verifier().ToString();
    DETENTE_RETURN_IF_ERROR(crypto::WriteSignerKeyFile(path(pr.key_file), key));
    DETENTE_RETURN_IF_ERROR(WriteText(path(pr.vkey_file), pr.vkey + "\n"));
    DETENTE_RETURN_IF_ERROR(
        WriteText(path(pr.cosigner_vkey_file), pr.cosigner_vkey + "\n"));
    DETENTE_ASSIGN_OR_RETURN(
        pl.log, ledger::LogStore::Create(path(pr.db_file), name, pr.vkey));
    std::vector<std::string> e;
    e.reserve(h.notifications.size());
    for (const Notification& n : h.notifications) {
      e.push_back(notification::Sign(n, key).Entry());
      ++pr.by_type[n.type];
    }
    pr.notifications = h.notifications.size();
    entries.push_back(std::move(e));
    pl.key.emplace(std::move(key));
    pl.cosigner.emplace(std::move(cosigner));
    logs.push_back(std::move(pl));
    report.parties.push_back(std::move(pr));
  }

  // Dispatches of all parties in time order, so that each witness sees the
  // logs grow as the receiving ministry would.
  // Witness checks (party == npos) come after the dispatches of their time.
  struct Event {
    Instant time;
    size_t party;
    size_t dispatch;
  };
  constexpr size_t kWitnessCheck = static_cast<size_t>(-1);
  std::vector<Event> events;
  Instant last_receipt;
  for (size_t p = 0; p < logs.size(); ++p) {
    const auto& ds = logs[p].history->dispatches;
    for (size_t d = 0; d < ds.size(); ++d) {
      events.push_back({ds[d].receipt, p, d});
      last_receipt = std::max(last_receipt, ds[d].receipt);
    }
  }
  report.witness_checks = WitnessCheckTimes(spec, opts, last_receipt);
  for (Instant t : report.witness_checks) {
    events.push_back({t, kWitnessCheck, 0});
  }
  std::stable_sort(
      events.begin(), events.end(),
      [](const Event& a, const Event& b) { return a.time < b.time; });
  for (const Event& ev : events) {
    if (ev.party == kWitnessCheck) {
      DETENTE_RETURN_IF_ERROR(WitnessCheck(ev.time, logs));
      continue;
    }
    DETENTE_RETURN_IF_ERROR(
        Dispatch(logs[ev.party], ev.dispatch, logs, entries[ev.party]));
  }
  for (size_t p = 0; p < logs.size(); ++p) {
    report.parties[p].log_size = logs[p].log->size();
    report.parties[p].checkpoints = logs[p].checkpoints;
    logs[p].log.reset();  // closes the database, folding its WAL in
  }

  DETENTE_RETURN_IF_ERROR(
      WriteText(path(report.manifest_file),
                ManifestJson(spec, published, opts, report, history.merged)));
  DETENTE_RETURN_IF_ERROR(
      WriteText(path(report.readme_file),
                ReadmeText(spec, published, opts, report, history.merged)));
  return report;
}

}  // namespace detente::scenario
