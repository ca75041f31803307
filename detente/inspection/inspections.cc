#include "detente/inspection/inspections.h"

#include <algorithm>

#include "detente/crypto/encoding.h"
#include "detente/inspection/selection.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace detente::inspection {
namespace {

using notification::Notification;
using notification::Value;

std::string Str(const Value& body, std::string_view key) {
  const Value* v = body.Find(key);
  return v != nullptr && v->is_str() ? v->str() : std::string();
}

std::optional<int64_t> Int(const Value& body, std::string_view key) {
  const Value* v = body.Find(key);
  if (v == nullptr || !v->is_int()) return std::nullopt;
  return v->integer();
}

Status Refuse(std::string text) { return Status::FailedPrecondition(text); }

std::string ShortHex(const crypto::Sha256Digest& d) {
  return crypto::HexEncode(d).substr(0, 16) + "…";
}

}  // namespace

std::string QuotaPeriod::ToString() const {
  if (kind == treaty::QuotaYear::kCalendarYear) {
    return fmt::format("calendar year {}", year);
  }
  return fmt::format("treaty year {} ({} to {})", year, range.start.ToString(),
                     range.end.AddDays(-1).ToString());
}

Result<QuotaPeriod> QuotaPeriodOf(const treaty::Spec& spec,
                                  const treaty::InspectionType& type, Date d) {
  const Date eif = spec.dates.entry_into_force;
  if (d < eif) {
    return Status::OutOfRange(fmt::format("{} is before entry into force ({})",
                                          d.ToString(), eif.ToString()));
  }
  if (type.quota_year == treaty::QuotaYear::kCalendarYear) {
    return NamedQuotaPeriod(spec, type, d.year());
  }
  Result<TreatyYear> ty = TreatyYearOf(eif, d);
  if (!ty.ok()) return ty.status();
  return QuotaPeriod{ty->range.start.year(), ty->range,
                     treaty::QuotaYear::kTreatyYear};
}

Result<QuotaPeriod> NamedQuotaPeriod(const treaty::Spec& spec,
                                     const treaty::InspectionType& type,
                                     int year) {
  const Date eif = spec.dates.entry_into_force;
  if (year < eif.year() || year > 9998) {
    return Status::OutOfRange(
        fmt::format("year {} is outside the treaty (entry into force {})", year,
                    eif.ToString()));
  }
  if (type.quota_year == treaty::QuotaYear::kCalendarYear) {
    Result<Date> start = Date::FromYmd(year, 1, 1);
    Result<Date> end = Date::FromYmd(year + 1, 1, 1);
    if (!start.ok()) return start.status();
    if (!end.ok()) return end.status();
    return QuotaPeriod{year, {*start, *end}, treaty::QuotaYear::kCalendarYear};
  }
  TreatyYear ty = NthTreatyYear(eif, year - eif.year() + 1);
  return QuotaPeriod{year, ty.range, treaty::QuotaYear::kTreatyYear};
}

std::string_view InspectionStatusName(InspectionStatus s) {
  switch (s) {
    case InspectionStatus::kRequested:
      return "requested";
    case InspectionStatus::kArrived:
      return "arrived";
    case InspectionStatus::kCompleted:
      return "completed";
  }
  return "?";
}

int64_t State::Used(std::string_view party, std::string_view type,
                    int year) const {
  auto it = used.find({std::string(party), std::string(type), year});
  return it == used.end() ? 0 : static_cast<int64_t>(it->second.size());
}

void MapDeclarations::Declare(std::string party, std::string item,
                              std::string facility, int64_t warheads) {
  missiles_.insert_or_assign({std::move(party), std::move(item)},
                             Missile{std::move(facility), warheads});
}

void MapDeclarations::Remove(std::string_view party, std::string_view item) {
  missiles_.erase({std::string(party), std::string(item)});
}

std::optional<int64_t> MapDeclarations::DeclaredWarheads(
    std::string_view party, std::string_view item) const {
  auto it = missiles_.find(std::pair(std::string(party), std::string(item)));
  if (it == missiles_.end()) return std::nullopt;
  return it->second.warheads;
}

std::vector<std::string> MapDeclarations::DeployedMissilesAt(
    std::string_view party, std::string_view facility) const {
  std::vector<std::string> out;
  for (const auto& [key, m] : missiles_) {
    if (key.first == party && m.facility == facility) out.push_back(key.second);
  }
  return out;
}

Inspections::Inspections(const treaty::Spec& spec, const Declarations* declared)
    : spec_(spec), declared_(declared) {
  for (const treaty::Party& p : spec.parties) parties_.push_back(p.code);
}

Inspections::Inspections(const treaty::Spec& spec, const Declarations* declared,
                         State initial)
    : Inspections(spec, declared) {
  state_ = std::move(initial);
}

Status Inspections::Apply(const Notification& n) {
  MessageKind kind = KindOf(n.type);
  if (kind == MessageKind::kNone) return Status::Ok();
  Source src{n.sender, n.sequence, n.type, n.event_time, n.sent_time, {}};
  Status s = notification::Validate(spec_, n);
  if (s.ok()) {
    Result<std::optional<Instant>> due = notification::DueBy(spec_, n);
    if (due.ok()) {
      src.due = *due;
    } else {
      s = due.status();
    }
  }
  if (s.ok()) s = Step(n, kind, src);
  if (s.ok()) {
    ++state_.applied;
    return s;
  }
  Status refusal(s.code(), fmt::format("{} #{} ({}): {}", n.sender, n.sequence,
                                       n.type, s.message()));
  state_.refusals.push_back(
      {src, refusal.code(), std::string(refusal.message())});
  return refusal;
}

void Inspections::Irregular(std::string rule, const Inspection& insp,
                            std::string party, std::string text,
                            std::vector<Source> sources) {
  Instant time = sources.empty() ? insp.requested.time : sources.back().time;
  state_.irregularities.push_back({std::move(rule), std::move(party), insp.id,
                                   time, std::move(text), std::move(sources)});
}

Status Inspections::Step(const Notification& n, MessageKind kind,
                         const Source& src) {
  if (kind == MessageKind::kRequest) return Request(n, src);

  const std::string id = Str(n.body, "inspection");
  auto it = state_.inspections.find(id);
  if (it == state_.inspections.end()) {
    std::string what = kind == MessageKind::kArrival ? "arrival"
                       : kind == MessageKind::kComplete
                           ? "completion"
                           : "reentry-vehicle step";
    return Status::NotFound(fmt::format(
        "inspection {} has not been requested: {} without request", id, what));
  }
  Inspection& insp = it->second;
  const std::string& from = n.sender;

  // Who may send what: the inspecting party runs the inspection and
  // contributes the random value; the inspected party commits and reveals.
  const bool by_inspected =
      kind == MessageKind::kRvCommit || kind == MessageKind::kRvReveal;
  const std::string& expected = by_inspected ? insp.inspected : insp.inspecting;
  if (from != expected) {
    return Refuse(fmt::format(
        "inspection {} is {}'s inspection of {}: only the {} party ({}) sends "
        "{}",
        id, insp.inspecting, insp.inspected,
        by_inspected ? "inspected" : "inspecting", expected,
        SuffixOf(kind).substr(1)));
  }
  if (insp.status == InspectionStatus::kCompleted) {
    return Refuse(fmt::format("inspection {} was completed at {} (#{} of {})",
                              id, insp.completed->time.ToString(),
                              insp.completed->sequence, insp.completed->party));
  }

  switch (kind) {
    case MessageKind::kArrival:
      return Arrival(n, insp, src);
    case MessageKind::kComplete:
      return Complete(n, insp, src);
    case MessageKind::kRvCommit: {
      if (insp.status != InspectionStatus::kArrived) {
        return Refuse(fmt::format(
            "inspection {} has no designated site yet (it is {}): the "
            "commitment is to the missiles at the site",
            id, InspectionStatusName(insp.status)));
      }
      const treaty::InspectionType* type = spec_.inspections.Find(insp.type);
      if (type == nullptr || !type->reentry_vehicle_count) {
        return Refuse(
            fmt::format("inspection {} is a {} inspection, which does not "
                        "count reentry vehicles",
                        id, insp.type));
      }
      if (insp.rv) {
        return Status::AlreadyExists(fmt::format(
            "inspection {}: {} already committed (#{}, {})", id, from,
            insp.rv->committed.sequence, ShortHex(insp.rv->commitment)));
      }
      Result<crypto::Sha256Digest> c =
          ParseHex32(Str(n.body, "commitment"), "body.commitment");
      if (!c.ok()) return c.status();
      RvChoice rv;
      rv.commitment = *c;
      rv.committed = src;
      insp.rv = std::move(rv);
      return Status::Ok();
    }
    case MessageKind::kRvRandom: {
      if (!insp.rv) {
        return Refuse(fmt::format(
            "inspection {}: {} has not committed to its list of missiles; a "
            "random value given first would let it order the list against "
            "it",
            id, insp.inspected));
      }
      if (insp.rv->random) {
        return Status::AlreadyExists(
            fmt::format("inspection {}: {} already gave its random value (#{})",
                        id, from, insp.rv->random_given->sequence));
      }
      Result<crypto::Sha256Digest> r =
          ParseHex32(Str(n.body, "random"), "body.random");
      if (!r.ok()) return r.status();
      insp.rv->random = *r;
      insp.rv->random_given = src;
      return Status::Ok();
    }
    case MessageKind::kRvReveal:
      return Reveal(n, insp, src);
    case MessageKind::kRequest:
    case MessageKind::kNone:
      break;
  }
  return Status::Ok();
}

Status Inspections::Request(const Notification& n, const Source& src) {
  const Value& b = n.body;
  const std::string id = Str(b, "inspection");
  if (auto it = state_.inspections.find(id); it != state_.inspections.end()) {
    return Status::AlreadyExists(
        fmt::format("inspection {} was already requested by {} (#{})", id,
                    it->second.inspecting, it->second.requested.sequence));
  }
  const std::string type_id = Str(b, "inspection_type");
  const treaty::InspectionType* type = spec_.inspections.Find(type_id);
  if (type == nullptr) {
    std::vector<std::string> ids;
    for (const auto& t : spec_.inspections.types) ids.push_back(t.id);
    return Status::NotFound(
        fmt::format("inspection type '{}' is not in the spec (types: {})",
                    type_id, fmt::join(ids, ", ")));
  }

  // The inspected party: named, or in a two-party treaty the other one.
  std::string inspected = Str(b, "inspected_party");
  if (inspected.empty()) {
    if (parties_.size() != 2) {
      return Status::InvalidArgument(
          fmt::format("body.inspected_party is required: the treaty has {} "
                      "parties",
                      parties_.size()));
    }
    inspected = parties_[0] == n.sender ? parties_[1] : parties_[0];
  }
  if (inspected == n.sender) {
    return Refuse(fmt::format("{} cannot inspect itself", n.sender));
  }

  // The inspection applies at its event: the planned arrival.
  const Date day = n.event_time.date();
  const Date eif = spec_.dates.entry_into_force;
  const Date start = eif.AddDays(type->not_before_days_after_entry_into_force);
  if (day < start) {
    return Refuse(fmt::format(
        "{} inspections may begin on {} ({} days after entry into force, "
        "{}): planned arrival {} is before the start date",
        type_id, start.ToString(), type->not_before_days_after_entry_into_force,
        eif.ToString(), n.event_time.ToString()));
  }
  if (!spec_.InForce(day)) {
    return Refuse(fmt::format("the treaty is not in force on {} (it ended {})",
                              day.ToString(),
                              spec_.End() ? spec_.End()->ToString() : "?"));
  }

  Result<QuotaPeriod> period = QuotaPeriodOf(spec_, *type, day);
  if (!period.ok()) return period.status();
  const int64_t used = state_.Used(n.sender, type_id, period->year);
  if (used >= type->annual_quota) {
    return Refuse(fmt::format("{} quota of {} in {} exhausted: {} of {} used",
                              type_id, n.sender, period->ToString(), used,
                              type->annual_quota));
  }

  if (spec_.inspections.one_at_a_time) {
    auto ip = state_.in_progress.find(inspected);
    if (ip != state_.in_progress.end() && !ip->second.empty()) {
      const Inspection& other = state_.inspections.at(ip->second.front());
      return Refuse(fmt::format(
          "another inspection is in progress on {}'s territory: {} ({} by "
          "{}, {}) since {}; one inspection at a time",
          inspected, other.id, other.type, other.inspecting,
          InspectionStatusName(other.status), other.requested.time.ToString()));
    }
  }

  Inspection insp;
  insp.id = id;
  insp.inspecting = n.sender;
  insp.inspected = inspected;
  insp.type = type_id;
  insp.point_of_entry = Str(b, "point_of_entry");
  insp.period = *period;
  insp.requested = src;
  state_.used[{n.sender, type_id, period->year}].push_back(id);
  state_.in_progress[inspected].push_back(id);
  state_.inspections.emplace(id, std::move(insp));
  return Status::Ok();
}

Status Inspections::Arrival(const Notification& n, Inspection& insp,
                            const Source& src) {
  if (insp.status != InspectionStatus::kRequested) {
    return Refuse(fmt::format("inspection {} already arrived at {} ({})",
                              insp.id, insp.arrived->time.ToString(),
                              insp.facility));
  }
  const std::string type = Str(n.body, "inspection_type");
  if (type != insp.type) {
    return Refuse(fmt::format("inspection {} was requested as {}, not {}",
                              insp.id, insp.type, type));
  }
  insp.facility = Str(n.body, "facility");
  insp.arrived = src;
  insp.status = InspectionStatus::kArrived;
  return Status::Ok();
}

Status Inspections::Reveal(const Notification& n, Inspection& insp,
                           const Source& src) {
  if (!insp.rv) {
    return Refuse(
        fmt::format("inspection {}: nothing to reveal: {} has not "
                    "committed",
                    insp.id, insp.inspected));
  }
  RvChoice& rv = *insp.rv;
  if (rv.revealed) {
    return Status::AlreadyExists(
        fmt::format("inspection {}: the commitment was already revealed (#{})",
                    insp.id, rv.revealed->sequence));
  }
  if (!rv.random) {
    return Refuse(fmt::format(
        "inspection {}: {} has not given its random value: a reveal first "
        "would let it choose the value knowing the list",
        insp.id, insp.inspecting));
  }
  Result<std::vector<std::string>> missiles =
      ParseMissileList(Str(n.body, "missiles"), "body.missiles");
  if (!missiles.ok()) return missiles.status();
  const std::string salt = Str(n.body, "salt");
  if (Result<crypto::Sha256Digest> s = ParseHex32(salt, "body.salt"); !s.ok()) {
    return s.status();
  }
  RvOpening opening{spec_.id,      insp.id,   insp.inspected,
                    insp.facility, *missiles, salt};
  const crypto::Sha256Digest opened = RvCommitment(opening);
  if (opened != rv.commitment) {
    std::string text = fmt::format(
        "inspection {}: the list and salt revealed by {} do not open its "
        "commitment: they hash to {}, the commitment (#{}) is {}",
        insp.id, insp.inspected, ShortHex(opened), rv.committed.sequence,
        ShortHex(rv.commitment));
    Irregular("rv-reveal-mismatch", insp, insp.inspected, text,
              {rv.committed, *rv.random_given, src});
    return Refuse(text);
  }
  if (missiles->empty()) {
    return Refuse(fmt::format(
        "inspection {}: the committed list is empty: no missile can be "
        "designated",
        insp.id));
  }
  Result<size_t> index =
      SelectIndex(rv.commitment, *rv.random, missiles->size());
  if (!index.ok()) return index.status();
  rv.missiles = *missiles;
  rv.revealed = src;
  rv.index = *index;
  rv.designated = rv.missiles[*index];

  // The committed list must be the deployed missiles the inspected party
  // declares at the site: a missile left out cannot be chosen.
  if (declared_ != nullptr) {
    std::vector<std::string> want =
        declared_->DeployedMissilesAt(insp.inspected, insp.facility);
    std::vector<std::string> got = rv.missiles;
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    std::vector<std::string> left_out, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                        std::back_inserter(left_out));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                        std::back_inserter(extra));
    if (!left_out.empty() || !extra.empty()) {
      std::string text = fmt::format(
          "inspection {}: {}'s committed list at {} is not its declared "
          "deployed missiles there ({} declared, {} committed)",
          insp.id, insp.inspected, insp.facility, want.size(), got.size());
      if (!left_out.empty()) {
        text += fmt::format("; left out: {}", JoinMissiles(left_out));
      }
      if (!extra.empty()) {
        text += fmt::format("; not declared there: {}", JoinMissiles(extra));
      }
      Irregular("rv-list-mismatch", insp, insp.inspected, text,
                {rv.committed, src});
    }
  }
  return Status::Ok();
}

Status Inspections::Complete(const Notification& n, Inspection& insp,
                             const Source& src) {
  const Value& b = n.body;
  if (insp.status != InspectionStatus::kArrived) {
    return Refuse(fmt::format(
        "inspection {} has not arrived: completion without arrival", insp.id));
  }
  const std::string type = Str(b, "inspection_type");
  if (type != insp.type) {
    return Refuse(fmt::format("inspection {} is a {} inspection, not {}",
                              insp.id, insp.type, type));
  }
  const std::string facility = Str(b, "facility");
  if (facility != insp.facility) {
    return Refuse(fmt::format(
        "inspection {} was at {}, the site designated on arrival, not {}",
        insp.id, insp.facility, facility));
  }
  if (std::string ip = Str(b, "inspected_party");
      !ip.empty() && ip != insp.inspected) {
    return Refuse(fmt::format("inspection {} is of {}, not {}", insp.id,
                              insp.inspected, ip));
  }
  const std::string item = Str(b, "rv_inspected_item");
  const std::optional<int64_t> counted = Int(b, "rv_counted");
  if (counted && item.empty()) {
    return Status::InvalidArgument(
        "body.rv_counted needs body.rv_inspected_item: the missile counted");
  }
  if (counted && *counted < 0) {
    return Status::InvalidArgument(
        fmt::format("body.rv_counted: {} is negative", *counted));
  }
  const RvChoice* rv = insp.rv ? &*insp.rv : nullptr;
  if (!item.empty()) {
    if (rv == nullptr || !rv->revealed) {
      return Refuse(fmt::format(
          "inspection {}: no missile has been designated (the commitment "
          "was {}), so {} was not randomly selected",
          insp.id,
          rv == nullptr       ? "never made"
          : !rv->random_given ? "made, no random value given"
                              : "not revealed",
          item));
    }
    if (item != rv->designated) {
      bool listed = std::find(rv->missiles.begin(), rv->missiles.end(), item) !=
                    rv->missiles.end();
      return Refuse(fmt::format(
          "inspection {}: {} is {}; the designated missile is {} (index {} "
          "of {})",
          insp.id, item,
          listed ? "in the committed list but not designated"
                 : "not in the committed list",
          rv->designated, *rv->index, rv->missiles.size()));
    }
  }

  insp.completed = src;
  insp.status = InspectionStatus::kCompleted;
  insp.rv_inspected_item = item;
  insp.rv_counted = counted;
  insp.ambiguities = Str(b, "ambiguities");
  auto& ip = state_.in_progress[insp.inspected];
  ip.erase(std::remove(ip.begin(), ip.end(), insp.id), ip.end());

  // What the completion shows.
  if (rv != nullptr && rv->random_given && !rv->revealed) {
    Irregular("rv-not-revealed", insp, insp.inspected,
              fmt::format("inspection {} completed without {} opening its "
                          "commitment (#{}) after the random value (#{} of "
                          "{}): no missile could be designated",
                          insp.id, insp.inspected, rv->committed.sequence,
                          rv->random_given->sequence, insp.inspecting),
              {rv->committed, *rv->random_given, src});
  }
  if (counted && declared_ != nullptr) {
    std::vector<Source> sources = {rv->committed, *rv->random_given,
                                   *rv->revealed, src};
    insp.rv_declared = declared_->DeclaredWarheads(insp.inspected, item);
    if (!insp.rv_declared) {
      Irregular("rv-item-undeclared", insp, insp.inspected,
                fmt::format("inspection {}: {} declares no deployed missile "
                            "{}, the designated one; {} warheads counted",
                            insp.id, insp.inspected, item, *counted),
                std::move(sources));
    } else if (*insp.rv_declared != *counted) {
      Irregular("warheads-count-mismatch", insp, insp.inspected,
                fmt::format("inspection {}: {} counted {} warheads on {}'s "
                            "missile {} at {}; {} declared",
                            insp.id, insp.inspecting, *counted, insp.inspected,
                            item, insp.facility, *insp.rv_declared),
                std::move(sources));
    }
  }
  return Status::Ok();
}

State FoldInspections(const treaty::Spec& spec,
                      std::span<const Notification> notifications, Instant at,
                      const Declarations* declared) {
  std::vector<const Notification*> order;
  order.reserve(notifications.size());
  for (const Notification& n : notifications) {
    if (n.event_time <= at) order.push_back(&n);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Notification* a, const Notification* b) {
                     return std::tie(a->event_time, a->sender, a->sequence) <
                            std::tie(b->event_time, b->sender, b->sequence);
                   });
  Inspections fold(spec, declared);
  for (const Notification* n : order) (void)fold.Apply(*n);
  return fold.state();
}

Result<std::vector<QuotaRow>> QuotaUse(const treaty::Spec& spec,
                                       const State& state, int year) {
  std::vector<QuotaRow> rows;
  for (const treaty::Party& p : spec.parties) {
    for (const treaty::InspectionType& t : spec.inspections.types) {
      Result<QuotaPeriod> period = NamedQuotaPeriod(spec, t, year);
      if (!period.ok()) return period.status();
      QuotaRow row;
      row.party = p.code;
      row.type = t.id;
      row.period = *period;
      row.quota = t.annual_quota;
      auto it = state.used.find({p.code, t.id, year});
      if (it != state.used.end()) row.inspections = it->second;
      row.used = static_cast<int64_t>(row.inspections.size());
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace detente::inspection
