#include "detente/regime/fold.h"

#include <algorithm>

#include "detente/registry/counting.h"
#include "fmt/format.h"

namespace detente::regime {
namespace {

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

bool IsMissile(std::string_view category) {
  return category == "icbm" || category == "slbm";
}

}  // namespace

registry::Item ItemFromRecord(const Value& r) {
  registry::Item item;
  item.id = Str(r, "id");
  item.party = Str(r, "party");
  item.category = Str(r, "category");
  item.type = Str(r, "type");
  item.status = Str(r, "status");
  item.facility = Str(r, "facility");
  item.warheads = Int(r, "warheads").value_or(0);
  if (const Value* attrs = r.Find("attributes"); attrs && attrs->is_map()) {
    for (const auto& [k, v] : attrs->map()) {
      if (v.is_str()) item.attributes[k] = v.str();
    }
  }
  return item;
}

Fold::Fold(const treaty::Spec& spec,
           std::vector<LoggedNotification> notifications)
    : spec_(spec), sorted_(std::move(notifications)) {
  std::stable_sort(
      sorted_.begin(), sorted_.end(),
      [](const LoggedNotification& a, const LoggedNotification& b) {
        const auto& x = a.notification;
        const auto& y = b.notification;
        if (x.event_time != y.event_time) {
          return x.event_time < y.event_time;
        }
        if (x.sender != y.sender) return x.sender < y.sender;
        return x.sequence < y.sequence;
      });
}

void Fold::Apply(const LoggedNotification& ln, State& s) const {
  const notification::Notification& n = ln.notification;
  const Value& body = n.body;
  auto irregular = [&](std::string rule, std::string text) {
    s.irregularities.push_back(
        {std::move(rule), n.sender, n.event_time, std::move(text), {ln.ref}});
  };
  ++s.applied;
  const std::string& t = n.type;
  auto has_suffix = [&](std::string_view suffix) {
    return t.size() >= suffix.size() &&
           t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // The sender's own item named by "item", or nullptr with an irregularity.
  auto own_item = [&]() -> registry::Item* {
    std::string id = Str(body, "item");
    registry::Item* item = s.items.FindMutableItem(id);
    if (item == nullptr || item->party != n.sender) {
      irregular("unknown-identifier",
                fmt::format("{} {} refers to item '{}', which {} has not "
                            "declared",
                            n.sender, t, id, n.sender));
      return nullptr;
    }
    return item;
  };

  if (has_suffix("-DB-INIT") || has_suffix("-DB-UPDATE")) {
    s.items.RemovePartyItems(n.sender);
    Declaration d;
    d.party = n.sender;
    d.type = t;
    d.event_time = n.event_time;
    d.sent_time = n.sent_time;
    d.ref = ln.ref;
    if (Result<Date> as_of = Date::Parse(Str(body, "as_of")); as_of.ok()) {
      d.as_of = *as_of;
    } else {
      d.as_of = n.event_time.date();
    }
    if (const Value* items = body.Find("items"); items && items->is_list()) {
      for (const Value& r : items->list()) {
        registry::Item item = ItemFromRecord(r);
        item.party = n.sender;
        std::string id = item.id;
        Status st = s.items.AddItem(std::move(item));
        if (!st.ok()) {
          irregular("duplicate-identifier",
                    fmt::format("{} {} declares item '{}' twice or declares "
                                "another party's identifier",
                                n.sender, t, id));
        }
      }
    }
    if (const Value* totals = body.Find("totals"); totals && totals->is_map()) {
      for (const auto& [k, v] : totals->map()) {
        if (v.is_int()) d.declared_totals[k] = v.integer();
      }
    }
    if (Result<std::vector<registry::Aggregate>> aggs =
            registry::CountAll(spec_, s.items);
        aggs.ok()) {
      for (const registry::Aggregate& a : *aggs) {
        if (a.party == n.sender) d.computed_totals[a.limit_id] = a.value;
      }
    }
    s.declarations.push_back(std::move(d));
  } else if (has_suffix("-ITEM-NEW")) {
    registry::Item item;
    item.id = Str(body, "item");
    item.party = n.sender;
    item.category = Str(body, "category");
    item.type = Str(body, "type");
    item.status = Str(body, "status");
    item.facility = Str(body, "facility");
    item.warheads = Int(body, "warheads").value_or(0);
    std::string id = item.id;
    if (!s.items.AddItem(std::move(item)).ok()) {
      irregular("duplicate-identifier",
                fmt::format("{} declares new item '{}', but that identifier "
                            "already exists",
                            n.sender, id));
    }
  } else if (has_suffix("-TYPE-NEW")) {
    TypeInfo& info = s.types[Str(body, "type")];
    info.category = Str(body, "category");
    info.max_warheads = Int(body, "max_warheads");
  } else if (has_suffix("-STATUS-CHANGE")) {
    registry::Item* item = own_item();
    if (item == nullptr) return;
    std::string from = Str(body, "from_status"), to = Str(body, "to_status");
    if (item->status == "eliminated") {
      irregular("eliminated-item-used",
                fmt::format("{} gives eliminated item '{}' the status '{}'",
                            n.sender, item->id, to));
      return;
    }
    if (item->status != from) {
      irregular("status-mismatch",
                fmt::format("{} moves item '{}' from '{}' to '{}', but its "
                            "status is '{}'",
                            n.sender, item->id, from, to, item->status));
    }
    item->status = to;
    if (std::string f = Str(body, "facility"); !f.empty()) item->facility = f;
  } else if (has_suffix("-RV-CHANGE")) {
    registry::Item* item = own_item();
    if (item == nullptr) return;
    int64_t from = Int(body, "from_warheads").value_or(-1);
    int64_t to = Int(body, "to_warheads").value_or(0);
    if (!IsMissile(item->category) || item->status != "deployed") {
      irregular("warheads-on-non-deployed",
                fmt::format("{} changes the warheads of '{}', which is not a "
                            "deployed missile ({} {})",
                            n.sender, item->id, item->category, item->status));
    }
    if (item->warheads != from) {
      irregular("warheads-mismatch",
                fmt::format("{} changes '{}' from {} to {} warheads, but {} "
                            "were declared",
                            n.sender, item->id, from, to, item->warheads));
    }
    auto type = s.types.find(item->type);
    if (type != s.types.end() && type->second.max_warheads &&
        to > *type->second.max_warheads) {
      irregular("warheads-over-type-maximum",
                fmt::format("{} puts {} warheads on '{}', a {} whose type "
                            "carries at most {}",
                            n.sender, to, item->id, item->type,
                            *type->second.max_warheads));
    }
    item->warheads = to;
  } else if (has_suffix("-ITEM-MOVE")) {
    registry::Item* item = own_item();
    if (item == nullptr) return;
    std::string from = Str(body, "from_facility"),
                to = Str(body, "to_facility");
    if (item->status == "eliminated") {
      irregular(
          "eliminated-item-used",
          fmt::format("{} moves eliminated item '{}'", n.sender, item->id));
      return;
    }
    if (item->facility != from) {
      irregular("facility-mismatch",
                fmt::format("{} moves '{}' from '{}', but it is at '{}'",
                            n.sender, item->id, from, item->facility));
    }
    item->facility = to;
  } else if (has_suffix("-ITEM-ELIM")) {
    registry::Item* item = own_item();
    if (item == nullptr) return;
    if (item->status == "eliminated") {
      irregular(
          "eliminated-item-used",
          fmt::format("{} eliminates '{}' a second time", n.sender, item->id));
      return;
    }
    item->status = "eliminated";
    item->warheads = 0;
  } else if (has_suffix("-ITEM-CONV")) {
    registry::Item* item = own_item();
    if (item == nullptr) return;
    if (item->status == "eliminated") {
      irregular(
          "eliminated-item-used",
          fmt::format("{} converts eliminated item '{}'", n.sender, item->id));
      return;
    }
    item->status = "converted";
    item->warheads = 0;
  }
  // Other messages (launches, telemetry, inspections, BCC, notes) do not
  // change the database.
}

Result<State> Fold::StateAt(Instant at) const {
  State s;
  s.at = at;
  for (const LoggedNotification& n : sorted_) {
    if (n.notification.event_time > at) break;
    Apply(n, s);
  }
  return s;
}

Status Fold::Replay(
    Instant until,
    const std::function<bool(const State&, const LoggedNotification&)>& visit)
    const {
  State s;
  for (const LoggedNotification& n : sorted_) {
    if (n.notification.event_time > until) break;
    s.at = n.notification.event_time;
    Apply(n, s);
    if (!visit(s, n)) break;
  }
  return Status::Ok();
}

}  // namespace detente::regime
