#include "detente/regime/fold.h"

#include <algorithm>
#include <cstring>

#include "detente/base/bytes.h"
#include "detente/commission/messages.h"
#include "detente/inspection/messages.h"
#include "detente/registry/counting.h"
#include "fmt/format.h"

namespace detente::regime {
namespace {

using notification::Value;

// Field readers that borrow from the body: no copies on the fold's path.
const std::string& Str(const Value& body, std::string_view key) {
  static const std::string kEmpty;
  const Value* v = body.Find(key);
  return v != nullptr && v->is_str() ? v->str() : kEmpty;
}

std::optional<int64_t> Int(const Value& body, std::string_view key) {
  const Value* v = body.Find(key);
  if (v == nullptr || !v->is_int()) return std::nullopt;
  return v->integer();
}

// key == lit, with memcmp of a constant size (inlined, no call).
template <size_t N>
bool Is(std::string_view key, const char (&lit)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), lit, N - 1) == 0;
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

Effect EffectOf(std::string_view t) {
  auto has_suffix = [&](std::string_view suffix) {
    return t.size() >= suffix.size() &&
           t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (has_suffix("-DB-INIT") || has_suffix("-DB-UPDATE")) {
    return Effect::kDeclaration;
  }
  if (has_suffix("-ITEM-NEW")) return Effect::kItemNew;
  if (has_suffix("-TYPE-NEW")) return Effect::kTypeNew;
  if (has_suffix("-STATUS-CHANGE")) return Effect::kStatusChange;
  if (has_suffix("-RV-CHANGE")) return Effect::kRvChange;
  if (has_suffix("-ITEM-MOVE")) return Effect::kItemMove;
  if (has_suffix("-ITEM-ELIM")) return Effect::kItemElim;
  if (has_suffix("-ITEM-CONV")) return Effect::kItemConv;
  if (commission::KindOf(t) != commission::MessageKind::kNone) {
    return Effect::kCommission;
  }
  if (inspection::KindOf(t) != inspection::MessageKind::kNone) {
    return Effect::kInspection;
  }
  return Effect::kNone;
}

namespace {

bool IsMissileCategory(std::string_view category) {
  return category == "icbm" || category == "slbm";
}

}  // namespace

std::optional<int64_t> ItemDeclarations::DeclaredWarheads(
    std::string_view party, std::string_view item) const {
  const registry::Item* i = items_.FindItem(item);
  if (i == nullptr || i->party != party || i->status != "deployed" ||
      !IsMissileCategory(i->category)) {
    return std::nullopt;
  }
  return i->warheads;
}

std::vector<std::string> ItemDeclarations::DeployedMissilesAt(
    std::string_view party, std::string_view facility) const {
  std::vector<std::string> out;
  for (const auto& [id, i] : items_.items()) {
    if (i.party == party && i.facility == facility && i.status == "deployed" &&
        IsMissileCategory(i.category)) {
      out.push_back(id);
    }
  }
  return out;
}

uint64_t Applier::CodeHash(std::string_view code) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  uint64_t h = (code.size() + 1) * kMul;
  if (code.size() >= 8) {
    uint64_t first, last;
    std::memcpy(&first, code.data(), 8);
    std::memcpy(&last, code.data() + code.size() - 8, 8);
    h = (h ^ first) * kMul;
    h = (h ^ last) * kMul;
  } else {
    for (char c : code) h = (h ^ static_cast<uint8_t>(c)) * kMul;
  }
  return h ^ (h >> 29);
}

Applier::Applier(const treaty::Spec& spec) : spec_(spec) {
  size_t n = 16;
  while (n < 4 * spec.notifications.size()) n *= 2;
  types_.resize(n);
  for (const treaty::NotificationType& t : spec.notifications) {
    // The first entry of a code, as spec.FindNotification finds it.
    if (FindType(t.code) != nullptr) continue;
    TypeEntry e;
    e.effect = EffectOf(t.code);
    e.type = &t;
    if (e.effect == Effect::kCommission) {
      const commission::MessageKind kind = commission::KindOf(t.code);
      if (kind == commission::MessageKind::kNote ||
          kind == commission::MessageKind::kDemarche) {
        e.channel = kind;
      }
    }
    size_t i = static_cast<size_t>(CodeHash(t.code)) & (n - 1);
    while (types_[i].used) i = (i + 1) & (n - 1);
    types_[i] = {true, t.code, e};
  }
}

const Applier::TypeEntry* Applier::FindType(std::string_view code) const {
  const size_t mask = types_.size() - 1;
  for (size_t i = static_cast<size_t>(CodeHash(code)) & mask;;
       i = (i + 1) & mask) {
    const TypeSlot& slot = types_[i];
    if (!slot.used) return nullptr;
    if (SameBytes(slot.code, code)) return &slot.entry;
  }
}

Applier::Hint Applier::HintFor(const notification::RecordView& r) const {
  Hint h;
  const TypeEntry* entry = FindType(r.type);
  h.resolved = true;
  h.type = entry;
  if (entry != nullptr && entry->channel != commission::MessageKind::kNone) {
    h.channel_valid = notification::QuickValidate(spec_, entry->type, r);
    return h;
  }
  if (entry == nullptr || !IsItemStep(entry->effect) ||
      entry->effect == Effect::kTypeNew) {
    return h;
  }
  const std::string_view id = notification::StrField(r.body, "item");
  if (id.empty()) return h;
  h.item_hash = registry::ItemSet::HashId(id);
  h.item = true;
  return h;
}

Effect Applier::EffectOfType(std::string_view type) const {
  const TypeEntry* e = FindType(type);
  // A type outside the catalogue (never one that passed validation).
  return e != nullptr ? e->effect : EffectOf(type);
}

State Applier::NewState() const {
  State s;
  s.tally = registry::Tally(spec_);
  return s;
}

void Applier::Apply(const notification::Notification& n, const EntryRef& ref,
                    State& s) const {
  const Value& body = n.body;
  auto irregular = [&](std::string rule, std::string text) {
    s.irregularities.push_back(
        {std::move(rule), n.sender, n.event_time, std::move(text), {ref}});
  };
  s.at = n.event_time;
  ++s.applied;
  const std::string& t = n.type;
  const TypeEntry* entry = FindType(t);
  const Effect effect = entry != nullptr ? entry->effect : EffectOf(t);
  switch (effect) {
    case Effect::kDeclaration: {
      s.tally.RemoveParty(n.sender);
      s.items.RemovePartyItems(n.sender);
      Declaration d;
      d.party = n.sender;
      d.type = t;
      d.event_time = n.event_time;
      d.sent_time = n.sent_time;
      d.ref = ref;
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
          } else {
            s.tally.Add(*s.items.FindItem(id));
          }
        }
      }
      if (const Value* totals = body.Find("totals");
          totals && totals->is_map()) {
        for (const auto& [k, v] : totals->map()) {
          if (v.is_int()) d.declared_totals[k] = v.integer();
        }
      }
      // As registry::CountAll would give them (and, like it, none at all
      // when an item's weight cannot be computed).
      if (Result<std::vector<registry::Aggregate>> aggs = s.tally.All(s.items);
          aggs.ok()) {
        for (const registry::Aggregate& a : *aggs) {
          if (a.party == n.sender) d.computed_totals[a.limit_id] = a.value;
        }
      }
      s.declarations.push_back(std::move(d));
      break;
    }
    case Effect::kItemNew:
    case Effect::kTypeNew:
    case Effect::kStatusChange:
    case Effect::kRvChange:
    case Effect::kItemMove:
    case Effect::kItemElim:
    case Effect::kItemConv:
      ApplyItemStep(effect, n, FieldsOf(effect, body), ref, s);
      break;
    case Effect::kCommission: {
      // The commission and the dialogue (docs/commission.md): a step the
      // state machine refuses changes nothing and is an irregularity.
      if (const commission::MessageKind kind = commission::KindOf(t);
          kind != commission::MessageKind::kNote &&
          kind != commission::MessageKind::kDemarche) {
        s.message_index[{n.sender, n.sequence}] = ref.index;
      }
      commission::Commission c(spec_, std::move(s.commission));
      Status st = c.Apply(n);
      s.commission = c.TakeState();
      if (!st.ok())
        irregular("commission-step-refused", std::string(st.message()));
      break;
    }
    case Effect::kInspection: {
      // Inspections (docs/inspection.md), checked against the database as
      // it stands; what they show (a counted number of warheads that is not
      // the declared one, a reveal that does not open the commitment) is an
      // irregularity naming the notifications it rests on.
      s.message_index[{n.sender, n.sequence}] = ref.index;
      ItemDeclarations declared(s.items);
      const size_t seen = s.inspections.irregularities.size();
      inspection::Inspections insp(spec_, &declared, std::move(s.inspections));
      Status st = insp.Apply(n);
      s.inspections = insp.TakeState();
      for (size_t k = seen; k < s.inspections.irregularities.size(); ++k) {
        const inspection::Irregularity& i = s.inspections.irregularities[k];
        // What it rests on, and every message of its inspection: re-folded
        // with the inspected party's declaration, they show it again.
        std::vector<inspection::Source> sources = i.sources;
        if (auto it = s.inspections.inspections.find(i.inspection);
            it != s.inspections.inspections.end()) {
          const inspection::Inspection& one = it->second;
          sources.push_back(one.requested);
          if (one.arrived) sources.push_back(*one.arrived);
          if (one.completed) sources.push_back(*one.completed);
          if (one.rv) {
            sources.push_back(one.rv->committed);
            if (one.rv->random_given) sources.push_back(*one.rv->random_given);
            if (one.rv->revealed) sources.push_back(*one.rv->revealed);
          }
        }
        std::vector<EntryRef> refs;
        for (const inspection::Source& src : sources) {
          auto at = s.message_index.find({src.party, src.sequence});
          if (at != s.message_index.end())
            refs.push_back({src.party, at->second});
        }
        std::sort(refs.begin(), refs.end());
        refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
        s.irregularities.push_back({i.rule, i.party, i.time, i.text, refs});
      }
      if (!st.ok() && s.inspections.irregularities.size() == seen) {
        irregular("inspection-step-refused", std::string(st.message()));
      }
      break;
    }
    case Effect::kNone:
      // Launches, telemetry, notes: no change to the database.
      break;
  }
}

bool Applier::IsItemStep(Effect e) {
  switch (e) {
    case Effect::kItemNew:
    case Effect::kTypeNew:
    case Effect::kStatusChange:
    case Effect::kRvChange:
    case Effect::kItemMove:
    case Effect::kItemElim:
    case Effect::kItemConv:
      return true;
    default:
      return false;
  }
}

void Applier::Apply(const notification::RecordView& r, const EntryRef& ref,
                    State& s) const {
  Apply(r, ref, s, Hint{});
}

void Applier::Apply(const notification::RecordView& r, const EntryRef& ref,
                    State& s, const Hint& hint) const {
  const TypeEntry* entry = hint.resolved ? hint.type : FindType(r.type);
  const Effect e = entry != nullptr ? entry->effect : EffectOf(r.type);
  if (IsItemStep(e)) {
    s.at = r.event_time;
    ++s.applied;
    ApplyItemStep(e, r, FieldsOf(e, r.body), ref, s);
  } else if (e == Effect::kNone) {
    // Launches, telemetry and others: nothing to read.
    s.at = r.event_time;
    ++s.applied;
  } else if (entry != nullptr &&
             entry->channel != commission::MessageKind::kNone &&
             commission::ApplyChannelRecord(
                 spec_, entry->type, entry->channel, r, s.commission,
                 hint.resolved && hint.channel_valid)) {
    // A note or demarche the channel takes, read in place (as the path
    // below would apply it: no message_index entry, no irregularity).
    s.at = r.event_time;
    ++s.applied;
  } else {
    // Declarations and every other effect: from the decoded notification.
    Apply(r.ToNotification(), ref, s);
  }
}

Applier::StepFields Applier::FieldsOf(Effect effect, const Value& body) {
  StepFields f;
  f.item = Str(body, "item");
  switch (effect) {
    case Effect::kItemNew:
      f.category = Str(body, "category");
      f.type = Str(body, "type");
      f.status = Str(body, "status");
      f.facility = Str(body, "facility");
      f.warheads = Int(body, "warheads");
      break;
    case Effect::kTypeNew:
      f.type = Str(body, "type");
      f.category = Str(body, "category");
      f.max_warheads = Int(body, "max_warheads");
      break;
    case Effect::kStatusChange:
      f.from_status = Str(body, "from_status");
      f.to_status = Str(body, "to_status");
      f.facility = Str(body, "facility");
      break;
    case Effect::kRvChange:
      f.from_warheads = Int(body, "from_warheads");
      f.to_warheads = Int(body, "to_warheads");
      break;
    case Effect::kItemMove:
      f.from_facility = Str(body, "from_facility");
      f.to_facility = Str(body, "to_facility");
      break;
    default:
      break;
  }
  return f;
}

Applier::StepFields Applier::FieldsOf(Effect,
                                      const notification::MapView& body) {
  // Every field any step reads, in one walk (a step ignores the others).
  StepFields f;
  body.ForEach([&](std::string_view key, const notification::FieldView& v) {
    std::string_view* text = nullptr;
    std::optional<int64_t>* integer = nullptr;
    if (Is(key, "item")) {
      text = &f.item;
    } else if (Is(key, "category")) {
      text = &f.category;
    } else if (Is(key, "type")) {
      text = &f.type;
    } else if (Is(key, "status")) {
      text = &f.status;
    } else if (Is(key, "facility")) {
      text = &f.facility;
    } else if (Is(key, "from_status")) {
      text = &f.from_status;
    } else if (Is(key, "to_status")) {
      text = &f.to_status;
    } else if (Is(key, "from_facility")) {
      text = &f.from_facility;
    } else if (Is(key, "to_facility")) {
      text = &f.to_facility;
    } else if (Is(key, "warheads")) {
      integer = &f.warheads;
    } else if (Is(key, "max_warheads")) {
      integer = &f.max_warheads;
    } else if (Is(key, "from_warheads")) {
      integer = &f.from_warheads;
    } else if (Is(key, "to_warheads")) {
      integer = &f.to_warheads;
    }
    if (text != nullptr && v.is_str()) *text = v.str;
    if (integer != nullptr && v.is_int()) *integer = v.integer;
    return true;
  });
  return f;
}

// One item step, from a Notification or from a RecordView, with the body
// fields it reads: one definition, so that both give the same state.
template <typename Record>
void Applier::ApplyItemStep(Effect effect, const Record& n,
                            const StepFields& body, const EntryRef& ref,
                            State& s) const {
  auto irregular = [&](std::string rule, std::string text) {
    s.irregularities.push_back({std::move(rule),
                                std::string(n.sender),
                                n.event_time,
                                std::move(text),
                                {ref}});
  };
  const std::string_view t = n.type;
  // The sender's own item named by "item", or nullptr with an irregularity.
  auto own_item = [&]() -> registry::Item* {
    const std::string_view id = body.item;
    registry::Item* item = s.items.FindMutableItem(id);
    if (item == nullptr || !SameBytes(item->party, n.sender)) {
      irregular("unknown-identifier",
                fmt::format("{} {} refers to item '{}', which {} has not "
                            "declared",
                            n.sender, t, id, n.sender));
      return nullptr;
    }
    return item;
  };

  switch (effect) {
    case Effect::kItemNew: {
      registry::Item item;
      item.id = body.item;
      item.party = n.sender;
      item.category = body.category;
      item.type = body.type;
      item.status = body.status;
      item.facility = body.facility;
      item.warheads = body.warheads.value_or(0);
      const std::string_view id = body.item;
      if (!s.items.AddItem(std::move(item)).ok()) {
        irregular("duplicate-identifier",
                  fmt::format("{} declares new item '{}', but that identifier "
                              "already exists",
                              n.sender, id));
      } else {
        s.tally.Add(*s.items.FindItem(id));
      }
      break;
    }
    case Effect::kTypeNew: {
      TypeInfo& info = s.types[std::string(body.type)];
      info.category = body.category;
      info.max_warheads = body.max_warheads;
      break;
    }
    case Effect::kStatusChange: {
      registry::Item* item = own_item();
      if (item == nullptr) return;
      const std::string_view from = body.from_status;
      const std::string_view to = body.to_status;
      if (SameBytes(item->status, "eliminated")) {
        irregular("eliminated-item-used",
                  fmt::format("{} gives eliminated item '{}' the status '{}'",
                              n.sender, item->id, to));
        return;
      }
      if (!SameBytes(item->status, from)) {
        irregular("status-mismatch",
                  fmt::format("{} moves item '{}' from '{}' to '{}', but its "
                              "status is '{}'",
                              n.sender, item->id, from, to, item->status));
      }
      s.tally.Remove(*item);
      item->status = to;
      if (const std::string_view f = body.facility; !f.empty()) {
        item->facility = f;
      }
      s.tally.Add(*item);
      break;
    }
    case Effect::kRvChange: {
      registry::Item* item = own_item();
      if (item == nullptr) return;
      int64_t from = body.from_warheads.value_or(-1);
      int64_t to = body.to_warheads.value_or(0);
      if (!IsMissile(item->category) || !SameBytes(item->status, "deployed")) {
        irregular(
            "warheads-on-non-deployed",
            fmt::format("{} changes the warheads of '{}', which is not "
                        "a deployed missile ({} {})",
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
      s.tally.Remove(*item);
      item->warheads = to;
      s.tally.Add(*item);
      break;
    }
    case Effect::kItemMove: {
      registry::Item* item = own_item();
      if (item == nullptr) return;
      const std::string_view from = body.from_facility;
      const std::string_view to = body.to_facility;
      if (SameBytes(item->status, "eliminated")) {
        irregular(
            "eliminated-item-used",
            fmt::format("{} moves eliminated item '{}'", n.sender, item->id));
        return;
      }
      if (!SameBytes(item->facility, from)) {
        irregular("facility-mismatch",
                  fmt::format("{} moves '{}' from '{}', but it is at '{}'",
                              n.sender, item->id, from, item->facility));
      }
      // A facility is not counted by any term, but attribute conditions
      // could be; keep the tally honest at the cost of two offers.
      s.tally.Remove(*item);
      item->facility = to;
      s.tally.Add(*item);
      break;
    }
    case Effect::kItemElim:
    case Effect::kItemConv: {
      const bool elim = effect == Effect::kItemElim;
      registry::Item* item = own_item();
      if (item == nullptr) return;
      if (SameBytes(item->status, "eliminated")) {
        irregular("eliminated-item-used",
                  elim ? fmt::format("{} eliminates '{}' a second time",
                                     n.sender, item->id)
                       : fmt::format("{} converts eliminated item '{}'",
                                     n.sender, item->id));
        return;
      }
      s.tally.Remove(*item);
      item->status = elim ? "eliminated" : "converted";
      item->warheads = 0;
      s.tally.Add(*item);
      break;
    }
    default:
      break;
  }
}

Fold::Fold(const treaty::Spec& spec,
           std::vector<LoggedNotification> notifications)
    : applier_(spec), sorted_(std::move(notifications)) {
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

Result<State> Fold::StateAt(Instant at) const {
  State s = applier_.NewState();
  for (const LoggedNotification& n : sorted_) {
    if (n.notification.event_time > at) break;
    applier_.Apply(n.notification, n.ref, s);
  }
  s.at = at;
  return s;
}

Status Fold::Replay(
    Instant until,
    const std::function<bool(const State&, const LoggedNotification&)>& visit)
    const {
  State s = applier_.NewState();
  for (const LoggedNotification& n : sorted_) {
    if (n.notification.event_time > until) break;
    applier_.Apply(n.notification, n.ref, s);
    if (!visit(s, n)) break;
  }
  return Status::Ok();
}

}  // namespace detente::regime
