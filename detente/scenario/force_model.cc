#include "detente/scenario/force_model.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <utility>

#include "fmt/format.h"

namespace detente::scenario::internal {
namespace {

using notification::Value;

constexpr std::string_view kDeployed = "deployed";
constexpr std::string_view kNonDeployed = "non_deployed";
constexpr std::string_view kTest = "test";
constexpr std::string_view kEliminated = "eliminated";
constexpr std::string_view kConverted = "converted";

// Seconds between the starts of two planned changes, and the span of one
// change's notifications (a missile's status, its launcher's status, its
// reentry vehicles): count-changing notifications of different changes
// never interleave, so the order the planner chose is the fold's order.
constexpr int64_t kChangeSpacing = 3600;
constexpr int64_t kStepGap = 120;
constexpr int64_t kChangeSpan = 600;
// Declarations of a type or facility used for the first time precede the
// change that uses it by this much.
constexpr int64_t kDeclarationLead = 1800;

bool IsBomber(const TypeMix& t) { return t.category == "heavy_bomber"; }
bool IsSlbm(const TypeMix& t) { return t.category == "slbm"; }
std::string LauncherCategory(const TypeMix& t) {
  return t.category + "_launcher";
}
bool Accountable(std::string_view status) {
  return status == kDeployed || status == kNonDeployed;
}

Result<std::vector<int64_t>> Apportion(int64_t total,
                                       const std::vector<int64_t>& weights,
                                       const std::vector<int64_t>* caps) {
  const size_t n = weights.size();
  std::vector<int64_t> out(n, 0);
  std::vector<bool> fixed(n, false);
  int64_t remaining = total;
  for (;;) {
    std::vector<int64_t> w(n, 0);
    int64_t sum = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!fixed[i]) sum += (w[i] = weights[i]);
    }
    if (sum == 0 && caps != nullptr) {
      for (size_t i = 0; i < n; ++i) {
        if (!fixed[i]) sum += (w[i] = (*caps)[i]);
      }
    }
    if (sum == 0) {
      if (remaining == 0) return out;
      return Status::FailedPrecondition(
          fmt::format("cannot share {} among types of zero weight", remaining));
    }
    std::vector<std::pair<int64_t, size_t>> rems;
    int64_t assigned = 0;
    for (size_t i = 0; i < n; ++i) {
      if (fixed[i]) continue;
      out[i] = remaining * w[i] / sum;
      assigned += out[i];
      rems.emplace_back(-(remaining * w[i] % sum), i);
    }
    std::sort(rems.begin(), rems.end());
    for (int64_t k = 0; k < remaining - assigned; ++k) {
      ++out[rems[static_cast<size_t>(k)].second];
    }
    if (caps == nullptr) return out;
    bool over = false;
    for (size_t i = 0; i < n; ++i) {
      if (!fixed[i] && out[i] > (*caps)[i]) {
        fixed[i] = true;
        out[i] = (*caps)[i];
        remaining -= out[i];
        over = true;
      }
    }
    if (!over) return out;
    bool any_free = false;
    for (size_t i = 0; i < n; ++i) any_free = any_free || !fixed[i];
    if (!any_free || remaining < 0) {
      return Status::FailedPrecondition(
          fmt::format("{} exceeds what the types can hold", total));
    }
  }
}

// The index maximising `score` among those `ok` accepts; -1 if none. Ties
// go to the lower index, so every choice is reproducible.
template <typename Ok, typename Score>
int ArgMax(size_t n, Ok ok, Score score) {
  int best = -1;
  int64_t best_score = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    int64_t s = score(i);
    if (best < 0 || s > best_score) {
      best = static_cast<int>(i);
      best_score = s;
    }
  }
  return best;
}

int64_t Sum(const std::vector<int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), int64_t{0});
}

// Raises or lowers `loads` (each in [1, max]) at random until they sum to
// `total`. REQUIRES: loads.size() <= total <= loads.size() * max.
void AdjustLoads(std::vector<int64_t>& loads, int64_t total, int64_t max,
                 Rng& rng) {
  if (loads.empty()) return;
  int64_t sum = Sum(loads);
  const uint64_t n = loads.size();
  while (sum < total) {
    int64_t& l = loads[rng.Below(n)];
    if (l >= max) continue;
    int64_t step = rng.Range(1, std::min(max - l, total - sum));
    l += step;
    sum += step;
  }
  while (sum > total) {
    int64_t& l = loads[rng.Below(n)];
    if (l <= 1) continue;
    int64_t step = rng.Range(1, std::min(l - 1, sum - total));
    l -= step;
    sum -= step;
  }
}

// floor(x) plus one with probability frac(x), for x = num / den.
int64_t RoundChance(int64_t num, int64_t den, Rng& rng) {
  int64_t q = num / den;
  int64_t r = num % den;
  if (r > 0 && static_cast<int64_t>(rng.Below(static_cast<uint64_t>(den))) < r)
    ++q;
  return q;
}

}  // namespace

int64_t InterpolateMilli(const std::vector<Knot>& knots, Date at) {
  if (knots.empty()) return 0;
  if (at <= knots.front().date) return knots.front().value * 1000;
  if (at >= knots.back().date) return knots.back().value * 1000;
  for (size_t i = 1; i < knots.size(); ++i) {
    const Knot& a = knots[i - 1];
    const Knot& b = knots[i];
    if (at > b.date) continue;
    int64_t span = b.date.DaysSince(a.date);
    if (span <= 0) return b.value * 1000;
    int64_t num = a.value * 1000 * span +
                  (b.value - a.value) * 1000 * at.DaysSince(a.date);
    return (num + span / 2) / span;
  }
  return knots.back().value * 1000;
}

Result<Composition> SolveComposition(const PartyProfile& profile, Date at,
                                     const Figures& target,
                                     const Previous* previous) {
  const Composition* current =
      previous == nullptr ? nullptr : &previous->composition;
  const std::vector<TypeMix>& types = profile.types;
  const size_t n = types.size();
  const auto fail = [&](std::string_view what) {
    return Status::FailedPrecondition(fmt::format(
        "synthetic {} as of {}: {} (targets: {} deployed delivery vehicles, "
        "{} warheads, {} launchers); adjust the profile's type mix",
        profile.party, at.ToString(), what, target.delivery_vehicles,
        target.warheads, target.launchers));
  };
  if (target.delivery_vehicles > target.launchers) {
    return fail("more deployed delivery vehicles than launchers");
  }
  if (target.warheads < target.delivery_vehicles) {
    return fail("fewer warheads than deployed delivery vehicles");
  }

  std::vector<int64_t> weights(n), change(n, 0);
  int64_t sum = 0, total_change = 0;
  for (size_t x = 0; x < n; ++x) {
    weights[x] = InterpolateMilli(types[x].launchers, at);
    sum += weights[x];
    if (previous != nullptr) {
      change[x] = std::abs(weights[x] -
                           InterpolateMilli(types[x].launchers, previous->at));
      total_change += change[x];
    }
  }
  if (total_change > 0) {
    // weights + gap shared by change, all scaled by total_change to stay
    // in integers; a type cannot go below zero.
    const int64_t gap = target.launchers * 1000 - sum;
    for (size_t x = 0; x < n; ++x) {
      weights[x] =
          std::max<int64_t>(0, weights[x] * total_change + gap * change[x]);
    }
  }
  DETENTE_ASSIGN_OR_RETURN(std::vector<int64_t> ideal_launchers,
                           Apportion(target.launchers, weights, nullptr));

  // Launchers.
  std::vector<int64_t> t(n);
  const auto excess = [&](size_t x) { return t[x] - ideal_launchers[x]; };
  const auto deficit = [&](size_t x) { return ideal_launchers[x] - t[x]; };
  if (current == nullptr) {
    // Whole submarines at the start; the other types take up the rest.
    const auto lumpy = [&](size_t x) {
      return IsSlbm(types[x]) && types[x].tubes_per_submarine > 1;
    };
    for (size_t x = 0; x < n; ++x) {
      t[x] = ideal_launchers[x];
      if (lumpy(x)) {
        int64_t u = types[x].tubes_per_submarine;
        t[x] = (t[x] + u / 2) / u * u;
      }
    }
    while (Sum(t) > target.launchers) {
      int x = ArgMax(
          n, [&](size_t i) { return !lumpy(i) && t[i] > 0; }, excess);
      if (x < 0) return fail("too many launchers in whole submarines");
      --t[static_cast<size_t>(x)];
    }
    while (Sum(t) < target.launchers) {
      int x = ArgMax(
          n, [&](size_t i) { return !lumpy(i); }, deficit);
      if (x < 0) return fail("no type can take the remaining launchers");
      ++t[static_cast<size_t>(x)];
    }
  } else {
    t = current->launchers;
    const std::vector<int64_t>& before = current->launchers;
    // Unless nothing else can give, a type is not cut below the lowest
    // count its mix still holds ahead (a silo eliminated now could not
    // come back when the mix wants it), and a type in production whose mix
    // does not shrink is not cut at all (no building then eliminating).
    std::vector<int64_t> keep(n, 0);
    for (size_t x = 0; x < n; ++x) {
      const std::vector<Knot>& knots = types[x].launchers;
      const int64_t now = InterpolateMilli(knots, at);
      if (types[x].in_production && knots.back().value * 1000 >= now) {
        keep[x] = before[x];
        continue;
      }
      int64_t lowest = now;
      for (const Knot& k : knots) {
        if (k.date > at) lowest = std::min(lowest, k.value * 1000);
      }
      keep[x] = lowest / 1000;
    }
    for (size_t x = 0; x < n; ++x) {
      const TypeMix& m = types[x];
      if (m.remove_unit > 1) {
        while (t[x] >= m.remove_unit && excess(x) >= (m.remove_unit + 1) / 2) {
          t[x] -= m.remove_unit;
        }
      }
      if (m.add_unit > 1 && m.in_production) {
        while (deficit(x) >= (m.add_unit + 1) / 2) t[x] += m.add_unit;
      }
    }
    for (int guard = 0; Sum(t) != target.launchers; ++guard) {
      if (guard > 100000) return fail("launcher counts do not converge");
      if (Sum(t) > target.launchers) {
        int x = ArgMax(
            n,
            [&](size_t i) {
              return types[i].remove_unit == 1 && t[i] > keep[i];
            },
            excess);
        if (x < 0) {
          x = ArgMax(
              n,
              [&](size_t i) { return types[i].remove_unit == 1 && t[i] > 0; },
              excess);
        }
        if (x >= 0) {
          --t[static_cast<size_t>(x)];
          continue;
        }
        x = ArgMax(
            n, [&](size_t i) { return t[i] >= types[i].remove_unit; }, excess);
        if (x < 0) return fail("no launcher can be removed");
        t[static_cast<size_t>(x)] -= types[static_cast<size_t>(x)].remove_unit;
      } else {
        int x = ArgMax(
            n,
            [&](size_t i) {
              // Built, or not yet removed (a whole submarine is not kept
              // in part).
              return types[i].add_unit == 1 &&
                     (types[i].in_production ||
                      (t[i] < before[i] && types[i].remove_unit == 1));
            },
            deficit);
        if (x >= 0) {
          ++t[static_cast<size_t>(x)];
          continue;
        }
        x = ArgMax(
            n, [&](size_t i) { return types[i].in_production; }, deficit);
        if (x < 0) {
          return fail(
              "launchers must increase but no type of the profile is in "
              "production");
        }
        t[static_cast<size_t>(x)] += types[static_cast<size_t>(x)].add_unit;
      }
    }
    // Modernisation: retire what the mix no longer wants, build what it
    // wants more of.
    for (;;) {
      int from = ArgMax(
          n,
          [&](size_t i) {
            return types[i].remove_unit == 1 && t[i] > keep[i] && excess(i) > 0;
          },
          excess);
      int to = ArgMax(
          n,
          [&](size_t i) {
            return types[i].add_unit == 1 && types[i].in_production &&
                   deficit(i) > 0;
          },
          deficit);
      if (from < 0 || to < 0) break;
      --t[static_cast<size_t>(from)];
      ++t[static_cast<size_t>(to)];
    }
  }

  // Deployed: in proportion to launchers x deploy share, within launchers.
  std::vector<int64_t> dweights(n);
  for (size_t x = 0; x < n; ++x) dweights[x] = t[x] * types[x].deploy_per_mille;
  DETENTE_ASSIGN_OR_RETURN(std::vector<int64_t> ideal,
                           Apportion(target.delivery_vehicles, dweights, &t));
  std::vector<int64_t> d(n);
  if (current == nullptr) {
    d = ideal;
  } else {
    // Change as little as the figure needs, then drift towards the mix.
    for (size_t x = 0; x < n; ++x) {
      d[x] = std::min(current->deployed[x], t[x]);
    }
    while (Sum(d) > target.delivery_vehicles) {
      int x = ArgMax(
          n, [&](size_t i) { return d[i] > 0; },
          [&](size_t i) { return d[i] - ideal[i]; });
      --d[static_cast<size_t>(x)];
    }
    while (Sum(d) < target.delivery_vehicles) {
      int x = ArgMax(
          n, [&](size_t i) { return d[i] < t[i]; },
          [&](size_t i) { return ideal[i] - d[i]; });
      ++d[static_cast<size_t>(x)];
    }
    for (;;) {
      int from = ArgMax(
          n, [&](size_t i) { return d[i] - ideal[i] >= 2; },
          [&](size_t i) { return d[i] - ideal[i]; });
      int to = ArgMax(
          n, [&](size_t i) { return ideal[i] - d[i] >= 2 && d[i] < t[i]; },
          [&](size_t i) { return ideal[i] - d[i]; });
      if (from < 0 || to < 0) break;
      --d[static_cast<size_t>(from)];
      ++d[static_cast<size_t>(to)];
    }
  }

  // Enough reentry vehicles on the deployed missiles: move deployments from
  // bombers (one warhead each) and small missiles to larger ones.
  const auto eff_max = [&](size_t x) {
    return IsBomber(types[x]) ? int64_t{1} : types[x].max_warheads;
  };
  for (int guard = 0;; ++guard) {
    int64_t on_bombers = 0, floor = 0, cap = 0;
    for (size_t x = 0; x < n; ++x) {
      if (IsBomber(types[x])) {
        on_bombers += d[x];
      } else {
        floor += d[x];
        cap += d[x] * types[x].max_warheads;
      }
    }
    const int64_t on_missiles = target.warheads - on_bombers;
    if (on_missiles < floor) return fail("too few warheads for the missiles");
    if (on_missiles <= cap) break;
    int to = ArgMax(
        n,
        [&](size_t i) {
          return !IsBomber(types[i]) && types[i].deploy_per_mille > 0 &&
                 d[i] < t[i];
        },
        [&](size_t i) { return types[i].max_warheads; });
    int from = ArgMax(
        n, [&](size_t i) { return d[i] > 0; },
        [&](size_t i) { return -eff_max(i); });
    if (to < 0 || from < 0 || guard > 100000 ||
        eff_max(static_cast<size_t>(from)) >=
            types[static_cast<size_t>(to)].max_warheads) {
      return fail(fmt::format(
          "the deployed missiles cannot carry {} warheads (at most {}); raise "
          "max_warheads or the deploy share of larger types",
          on_missiles, cap));
    }
    --d[static_cast<size_t>(from)];
    ++d[static_cast<size_t>(to)];
  }

  // Warheads: each deployed missile carries at least one; the rest are
  // shared in proportion to the types' typical loads above one.
  std::vector<int64_t> w(n, 0), extra_w(n, 0), extra_cap(n, 0);
  int64_t on_missiles = target.warheads;
  for (size_t x = 0; x < n; ++x) {
    if (IsBomber(types[x])) {
      on_missiles -= d[x];
      continue;
    }
    w[x] = d[x];
    extra_w[x] =
        d[x] * std::max<int64_t>(types[x].typical_warheads_milli - 1000, 0);
    extra_cap[x] = d[x] * (types[x].max_warheads - 1);
  }
  DETENTE_ASSIGN_OR_RETURN(
      std::vector<int64_t> extra,
      Apportion(on_missiles - Sum(w), extra_w, &extra_cap));
  for (size_t x = 0; x < n; ++x) w[x] += extra[x];

  return Composition{std::move(t), std::move(d), std::move(w)};
}

// ---------------------------------------------------------------------------

struct PlannedStep {
  int64_t offset = 0;  // seconds after the change's time
  std::string type;    // catalogue code
  std::string item;
  Value::Map fields;    // without the time fields, added when emitted
  int64_t transit = 0;  // NST-ITEM-MOVE: seconds on the way
};

struct PlannedChange {
  // Lowers figures, raises them, or neither: what the ordering needs.
  enum class Kind { kDown, kUp, kNeutral };
  Kind kind = Kind::kNeutral;
  Figures delta;
  std::vector<PlannedStep> steps;
  std::vector<size_t> deps;  // changes that must come first
};

namespace {

using Change = PlannedChange;
using Step = PlannedStep;

Value::Map ItemFields(const std::string& item, const std::string& category) {
  Value::Map f;
  f.emplace("item", Value::Str(item));
  f.emplace("category", Value::Str(category));
  return f;
}

Step StatusStep(int64_t offset, const std::string& item,
                const std::string& category, std::string_view from,
                std::string_view to, const std::string& facility = "") {
  Value::Map f = ItemFields(item, category);
  f.emplace("from_status", Value::Str(std::string(from)));
  f.emplace("to_status", Value::Str(std::string(to)));
  if (!facility.empty()) f.emplace("facility", Value::Str(facility));
  return {offset, "NST-STATUS-CHANGE", item, std::move(f), 0};
}

Step RvStep(int64_t offset, const std::string& item,
            const std::string& category, int64_t from, int64_t to) {
  Value::Map f = ItemFields(item, category);
  f.emplace("from_warheads", Value::Int(from));
  f.emplace("to_warheads", Value::Int(to));
  return {offset, "NST-RV-CHANGE", item, std::move(f), 0};
}

Step MoveStep(int64_t offset, const std::string& item,
              const std::string& category, const std::string& from,
              const std::string& to, int64_t transit) {
  Value::Map f = ItemFields(item, category);
  f.emplace("from_facility", Value::Str(from));
  f.emplace("to_facility", Value::Str(to));
  return {offset, "NST-ITEM-MOVE", item, std::move(f), transit};
}

// NST-ITEM-NEW, non-deployed; missiles declare their (zero) warheads.
Step NewItemStep(const std::string& item, const std::string& category,
                 const std::string& type, const std::string& facility,
                 bool missile) {
  Value::Map f = ItemFields(item, category);
  f.emplace("type", Value::Str(type));
  f.emplace("status", Value::Str(std::string(kNonDeployed)));
  f.emplace("facility", Value::Str(facility));
  if (missile) f.emplace("warheads", Value::Int(0));
  return {0, "NST-ITEM-NEW", item, std::move(f), 0};
}

// NST-ITEM-ELIM, or NST-ITEM-CONV when `conversion` says what it became.
Step EndStep(int64_t offset, const std::string& item,
             const std::string& category, const std::string& facility,
             const std::string& conversion = "") {
  Value::Map f = ItemFields(item, category);
  f.emplace("facility", Value::Str(facility));
  if (!conversion.empty()) f.emplace("result", Value::Str(conversion));
  return {offset, conversion.empty() ? "NST-ITEM-ELIM" : "NST-ITEM-CONV", item,
          std::move(f), 0};
}

size_t Add(std::vector<Change>* changes, Change c) {
  changes->push_back(std::move(c));
  return changes->size() - 1;
}

}  // namespace

PartyForce::PartyForce(const treaty::Spec& spec, const PartyProfile& profile,
                       uint64_t seed, const SynthOptions& opts)
    : spec_(spec),
      profile_(profile),
      opts_(opts),
      rng_(seed, "force/" + profile.party),
      hulls_(profile.types.size(), 0),
      base_cursor_(profile.types.size(), 0) {
  for (size_t x = 0; x < profile.types.size(); ++x) {
    const TypeMix& t = profile.types[x];
    type_index_[t.type] = static_cast<int>(x);
    if (!IsBomber(t)) type_index_[t.launcher_type] = static_cast<int>(x);
    launcher_category_.push_back(IsBomber(t) ? std::string()
                                             : LauncherCategory(t));
  }
}

int PartyForce::TypeOf(const registry::Item& item) const {
  auto it = type_index_.find(item.type);
  if (it == type_index_.end()) return -1;
  const size_t x = static_cast<size_t>(it->second);
  const TypeMix& t = profile_.types[x];
  if (item.category == t.category || item.category == launcher_category_[x]) {
    return it->second;
  }
  return -1;
}

bool PartyForce::IsMissile(int x) const {
  return !IsBomber(profile_.types[static_cast<size_t>(x)]);
}

std::string PartyForce::NewId(const TypeMix& t, std::string_view kind) {
  std::string prefix = fmt::format("{}-{}-{}", profile_.party, t.code, kind);
  int64_t n = ++serial_[prefix];
  return fmt::format("{}{:05d}", prefix, n);
}

std::string PartyForce::HullFor(int x) {
  const TypeMix& t = profile_.types[static_cast<size_t>(x)];
  const size_t xi = static_cast<size_t>(x);
  if (hulls_[xi] > 0) {
    std::string last = fmt::format("{} hull {}", t.submarine_class, hulls_[xi]);
    if (hull_fill_[last] < t.tubes_per_submarine) {
      ++hull_fill_[last];
      return last;
    }
  }
  int64_t h = ++hulls_[xi];
  std::string hull = fmt::format("{} hull {}", t.submarine_class, h);
  hull_base_[hull] = t.bases[static_cast<size_t>(h - 1) % t.bases.size()];
  hull_fill_[hull] = 1;
  return hull;
}

std::string PartyForce::BaseFor(int x) {
  const TypeMix& t = profile_.types[static_cast<size_t>(x)];
  int64_t& c = base_cursor_[static_cast<size_t>(x)];
  return t.bases[static_cast<size_t>(c++) % t.bases.size()];
}

Value PartyForce::ItemRecord(const registry::Item& item) const {
  Value::Map m;
  m.emplace("id", Value::Str(item.id));
  m.emplace("party", Value::Str(item.party));
  m.emplace("category", Value::Str(item.category));
  m.emplace("status", Value::Str(item.status));
  if (!item.type.empty()) m.emplace("type", Value::Str(item.type));
  if (!item.facility.empty()) m.emplace("facility", Value::Str(item.facility));
  const treaty::Category* c = spec_.FindCategory(item.category);
  if (c != nullptr && c->carries_warheads) {
    m.emplace("warheads", Value::Int(item.warheads));
  }
  if (!item.attributes.empty()) {
    Value::Map a;
    for (const auto& [k, v] : item.attributes) a.emplace(k, Value::Str(v));
    m.emplace("attributes", Value::OfMap(std::move(a)));
  }
  return Value::OfMap(std::move(m));
}

Status PartyForce::Apply(const Pending& p) {
  const Value& b = p.body;
  const auto str = [&](std::string_view key) -> std::string {
    const Value* v = b.Find(key);
    return v != nullptr && v->is_str() ? v->str() : std::string();
  };
  const auto num = [&](std::string_view key) -> int64_t {
    const Value* v = b.Find(key);
    return v != nullptr && v->is_int() ? v->integer() : 0;
  };
  const std::string id = str("item");
  const auto bad = [&](std::string_view what) {
    return Status::Internal(fmt::format("synthetic {} {} at {} on '{}': {}",
                                        profile_.party, p.type,
                                        p.event.ToString(), id, what));
  };
  const auto find = [&]() -> registry::Item* {
    auto it = items_.find(id);
    return it == items_.end() ? nullptr : &it->second;
  };
  if (!id.empty()) last_event_[id] = p.event;

  if (p.type == "NST-TYPE-NEW") {
    declared_types_.insert(str("type"));
    if (b.Find("max_warheads") != nullptr) {
      max_warheads_[str("type")] = num("max_warheads");
    }
    return Status::Ok();
  }
  if (p.type == "NST-FACILITY-NEW") {
    declared_facilities_.insert(str("facility"));
    return Status::Ok();
  }
  if (p.type == "NST-ITEM-NEW") {
    if (find() != nullptr) return bad("the identifier already exists");
    registry::Item item;
    item.id = id;
    item.party = profile_.party;
    item.category = str("category");
    item.type = str("type");
    item.status = str("status");
    item.facility = str("facility");
    item.warheads = num("warheads");
    if (auto a = attributes_.find(id); a != attributes_.end()) {
      item.attributes = a->second;
    }
    items_.emplace(id, std::move(item));
    return Status::Ok();
  }
  registry::Item* item = find();
  if (item == nullptr) return bad("unknown identifier");
  if (item->status == kEliminated) return bad("the item is eliminated");
  if (p.type == "NST-STATUS-CHANGE") {
    if (item->status != str("from_status")) return bad("status differs");
    item->status = str("to_status");
    if (b.Find("facility") != nullptr) item->facility = str("facility");
  } else if (p.type == "NST-RV-CHANGE") {
    if (item->warheads != num("from_warheads")) return bad("warheads differ");
    if (item->status != kDeployed) return bad("not a deployed missile");
    auto mw = max_warheads_.find(item->type);
    if (mw == max_warheads_.end() || num("to_warheads") > mw->second) {
      return bad("more warheads than the type's max_warheads");
    }
    item->warheads = num("to_warheads");
  } else if (p.type == "NST-ITEM-MOVE") {
    if (item->facility != str("from_facility")) return bad("not there");
    item->facility = str("to_facility");
  } else if (p.type == "NST-ITEM-ELIM") {
    item->status = std::string(kEliminated);
  } else if (p.type == "NST-ITEM-CONV") {
    item->status = std::string(kConverted);
  } else {
    return bad("not a message the synthetic history sends");
  }
  return Status::Ok();
}

void PartyForce::DeclareIfNeeded(std::string_view type_name,
                                 std::string_view category,
                                 std::string_view facility, Instant event,
                                 std::vector<Pending>* out) {
  if (!type_name.empty() && declared_types_.count(type_name) == 0) {
    Value::Map f;
    f.emplace("type", Value::Str(std::string(type_name)));
    f.emplace("category", Value::Str(std::string(category)));
    for (const TypeMix& t : profile_.types) {
      if (t.type == type_name && !IsBomber(t)) {
        f.emplace("max_warheads", Value::Int(t.max_warheads));
      }
    }
    f.emplace("description",
              Value::Str(fmt::format(
                  "SYNTHETIC: type of the synthetic {} force (detente synth); "
                  "any max_warheads is an assumption, not a sourced figure",
                  profile_.party)));
    Pending p{"NST-TYPE-NEW", event, Value::OfMap(std::move(f))};
    Apply(p).IgnoreError();  // declarations cannot fail
    out->push_back(std::move(p));
  }
  if (!facility.empty() && declared_facilities_.count(facility) == 0) {
    const FacilityDef* def = nullptr;
    for (const FacilityDef& fd : profile_.facilities) {
      if (fd.id == facility) def = &fd;
    }
    Value::Map f;
    f.emplace("facility", Value::Str(std::string(facility)));
    f.emplace("name",
              Value::Str(def != nullptr ? def->name : std::string(facility)));
    f.emplace("kind", Value::Str(def != nullptr ? def->kind : "other"));
    if (def != nullptr && !def->location.empty()) {
      f.emplace("location", Value::Str(def->location));
    }
    Pending p{"NST-FACILITY-NEW", event, Value::OfMap(std::move(f))};
    Apply(p).IgnoreError();
    out->push_back(std::move(p));
  }
}

Status PartyForce::Emit(const PlannedStep& step, Instant event,
                        std::vector<Pending>* out) {
  Value::Map fields = step.fields;
  const std::string date = event.date().ToString();
  if (step.type == "NST-STATUS-CHANGE" || step.type == "NST-RV-CHANGE") {
    fields.emplace("occurred", Value::Str(date));
  } else if (step.type == "NST-ITEM-ELIM" || step.type == "NST-ITEM-CONV") {
    fields.emplace("completed", Value::Str(date));
  } else if (step.type == "NST-ITEM-MOVE") {
    Instant departed = event.AddSeconds(-step.transit);
    if (auto last = last_event_.find(step.item); last != last_event_.end()) {
      departed = std::max(departed, last->second.AddSeconds(60));
    }
    if (departed >= event) departed = event.AddSeconds(-1);
    fields.emplace("departed", Value::Str(departed.ToString()));
    fields.emplace("arrived", Value::Str(event.ToString()));
  }
  const auto field = [&](std::string_view k) -> std::string {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second.str();
  };
  Instant lead = event.AddSeconds(-kDeclarationLead);
  if (step.type == "NST-ITEM-NEW") {
    DeclareIfNeeded(field("type"), field("category"), "", lead, out);
  }
  std::string facility =
      step.type == "NST-ITEM-MOVE" ? field("to_facility") : field("facility");
  DeclareIfNeeded("", "", facility, lead.AddSeconds(1), out);
  Pending p{step.type, event, Value::OfMap(std::move(fields))};
  DETENTE_RETURN_IF_ERROR(Apply(p));
  out->push_back(std::move(p));
  return Status::Ok();
}

std::vector<int64_t> PartyForce::DistributeLoads(size_t n, int64_t total,
                                                 int64_t max_warheads,
                                                 int64_t typical_milli) {
  int64_t base =
      std::clamp<int64_t>((typical_milli + 500) / 1000, 1, max_warheads);
  std::vector<int64_t> loads(n, base);
  AdjustLoads(loads, total, max_warheads, rng_);
  return loads;
}

Result<std::vector<Pending>> PartyForce::Initialize(const Composition& c,
                                                    Instant at) {
  for (size_t xi = 0; xi < profile_.types.size(); ++xi) {
    const TypeMix& t = profile_.types[xi];
    const int x = static_cast<int>(xi);
    const int64_t total = c.launchers[xi];
    const int64_t deployed = c.deployed[xi];
    std::vector<uint8_t> is_deployed(static_cast<size_t>(total), 0);
    for (int64_t i = 0; i < deployed; ++i) {
      is_deployed[static_cast<size_t>(i)] = 1;
    }
    rng_.Shuffle(is_deployed);
    const auto add = [&](registry::Item item) {
      item.party = profile_.party;
      std::string key = item.id;
      items_.emplace(std::move(key), std::move(item));
    };
    if (IsBomber(t)) {
      for (int64_t i = 0; i < total; ++i) {
        registry::Item b;
        b.id = NewId(t, "");
        b.category = t.category;
        b.type = t.type;
        bool dep = is_deployed[static_cast<size_t>(i)] != 0;
        b.status = std::string(dep ? kDeployed : kNonDeployed);
        b.facility = dep || t.storage.empty() ? BaseFor(x) : t.storage;
        add(std::move(b));
      }
    } else {
      std::vector<int64_t> loads =
          DistributeLoads(static_cast<size_t>(deployed), c.warheads[xi],
                          t.max_warheads, t.typical_warheads_milli);
      size_t next_load = 0;
      for (int64_t i = 0; i < total; ++i) {
        registry::Item l;
        l.id = NewId(t, "L");
        l.category = LauncherCategory(t);
        l.type = t.launcher_type;
        if (IsSlbm(t)) {
          std::string hull = HullFor(x);
          l.facility = hull_base_[hull];
          l.attributes["submarine"] = hull;
        } else {
          l.facility = BaseFor(x);
          if (!t.basing.empty()) l.attributes["basing"] = t.basing;
        }
        bool dep = is_deployed[static_cast<size_t>(i)] != 0;
        l.status = std::string(dep ? kDeployed : kNonDeployed);
        if (dep) {
          registry::Item m;
          m.id = NewId(t, "M");
          m.category = t.category;
          m.type = t.type;
          m.status = std::string(kDeployed);
          m.facility = l.facility;
          m.warheads = loads[next_load++];
          if (!IsSlbm(t) && !t.basing.empty()) {
            m.attributes["basing"] = t.basing;
          }
          loaded_[l.id] = m.id;
          add(std::move(m));
        }
        add(std::move(l));
      }
      int64_t spares = (total * t.spare_missiles_per_mille + 500) / 1000;
      for (int64_t i = 0; i < spares; ++i) {
        registry::Item m;
        m.id = NewId(t, "M");
        m.category = t.category;
        m.type = t.type;
        m.status = std::string(kNonDeployed);
        m.facility = t.storage.empty() ? t.bases.front() : t.storage;
        if (!IsSlbm(t) && !t.basing.empty()) m.attributes["basing"] = t.basing;
        add(std::move(m));
      }
    }
    for (int64_t i = 0; i < t.test_items; ++i) {
      registry::Item item;
      item.id = NewId(t, IsBomber(t) ? "T" : "TL");
      item.category = IsBomber(t) ? t.category : LauncherCategory(t);
      item.type = IsBomber(t) ? t.type : t.launcher_type;
      item.status = std::string(kTest);
      item.facility =
          t.test_facility.empty() ? t.bases.front() : t.test_facility;
      add(std::move(item));
    }
  }
  std::vector<Pending> declarations;
  for (const auto& [id, item] : items_) {
    DeclareIfNeeded(item.type, item.category, item.facility, at, &declarations);
  }
  return declarations;
}

Result<Pending> PartyForce::Declare(std::string_view code, Date as_of,
                                    const Value& totals) {
  Value::List list;
  for (const auto& [id, item] : items_) {
    if (item.status != kEliminated) list.push_back(ItemRecord(item));
  }
  Value::Map body;
  body.emplace("as_of", Value::Str(as_of.ToString()));
  body.emplace("items", Value::OfList(std::move(list)));
  body.emplace("totals", totals);
  Pending p{std::string(code), Instant::StartOf(as_of),
            Value::OfMap(std::move(body))};
  // What Apply() would do with the declaration, without decoding the list
  // that was just made from these items: the eliminated ones leave.
  std::erase_if(items_,
                [](const auto& kv) { return kv.second.status == kEliminated; });

  return p;
}

registry::ItemSet PartyForce::Snapshot() const {
  registry::ItemSet set;
  for (const auto& [id, item] : items_) set.AddItem(item).IgnoreError();
  return set;
}

Composition PartyForce::Current() const {
  const size_t n = profile_.types.size();
  Composition c{std::vector<int64_t>(n, 0), std::vector<int64_t>(n, 0),
                std::vector<int64_t>(n, 0)};
  for (const auto& [id, item] : items_) {
    int x = TypeOf(item);
    if (x < 0 || !Accountable(item.status)) continue;
    const size_t xi = static_cast<size_t>(x);
    const bool missile =
        IsMissile(x) && item.category != launcher_category_[xi];
    if (missile) {
      if (item.status == kDeployed) {
        ++c.deployed[xi];
        c.warheads[xi] += item.warheads;
      }
    } else {
      ++c.launchers[xi];
      if (!IsMissile(x) && item.status == kDeployed) ++c.deployed[xi];
    }
  }
  return c;
}

Figures PartyForce::CurrentFigures() const {
  return FiguresOf(profile_, Current());
}

Figures FiguresOf(const PartyProfile& profile, const Composition& c) {
  Figures f;
  for (size_t x = 0; x < profile.types.size(); ++x) {
    f.delivery_vehicles += c.deployed[x];
    f.launchers += c.launchers[x];
    f.warheads += IsBomber(profile.types[x]) ? c.deployed[x] : c.warheads[x];
  }
  return f;
}

void PartyForce::PlanSystem(int x, const ByType& by_type,
                            const Composition& target,
                            std::vector<PlannedChange>* changes) {
  const size_t xi = static_cast<size_t>(x);
  const TypeMix& t = profile_.types[xi];
  const std::string lcat = LauncherCategory(t);
  std::vector<std::string> dep, nd, spares;
  for (const registry::Item* item : by_type[xi]) {
    if (item->category == lcat) {
      if (item->status == kDeployed) dep.push_back(item->id);
      if (item->status == kNonDeployed) nd.push_back(item->id);
    } else if (item->status == kNonDeployed) {
      spares.push_back(item->id);
    }
  }
  const int64_t total = static_cast<int64_t>(dep.size() + nd.size());
  const auto is_dep = [&](const std::string& id) {
    return items_.at(id).status == kDeployed;
  };

  // Unload: the missile's reentry vehicles off, missile and launcher
  // non-deployed; the missile eliminated with its launcher when the
  // launcher leaves.
  const auto unload = [&](const std::string& l, bool eliminate_missile) {
    const std::string m = loaded_.at(l);
    const registry::Item& mi = items_.at(m);
    Change c;
    c.kind = Change::Kind::kDown;
    c.delta = {-1, -mi.warheads, 0};
    if (mi.warheads > 0) {
      c.steps.push_back(RvStep(0, m, t.category, mi.warheads, 0));
    }
    c.steps.push_back(
        StatusStep(kStepGap, m, t.category, kDeployed, kNonDeployed));
    c.steps.push_back(
        StatusStep(2 * kStepGap, l, lcat, kDeployed, kNonDeployed));
    if (eliminate_missile) {
      c.steps.push_back(EndStep(3 * kStepGap, m, t.category, mi.facility));
    }
    loaded_.erase(l);
    return Add(changes, std::move(c));
  };

  // Launchers that leave accountability, unloaded first if need be.
  std::vector<std::string> removed =
      ChooseRemovals(t, dep, nd, total - target.launchers[xi]);
  const std::set<std::string> removed_set(removed.begin(), removed.end());
  for (const std::string& l : removed) {
    Change c;
    if (is_dep(l)) c.deps.push_back(unload(l, /*eliminate_missile=*/true));
    c.kind = Change::Kind::kDown;
    c.delta = {0, 0, -1};
    c.steps.push_back(EndStep(
        0, l, lcat, items_.at(l).facility,
        t.reduce_by_conversion
            ? fmt::format("{} converted so that it can no longer launch an {} "
                          "(SYNTHETIC)",
                          t.launcher_type, IsSlbm(t) ? "SLBM" : "ICBM")
            : ""));
    Add(changes, std::move(c));
  }

  // New launchers, built at their base (a new submarine's tubes at its).
  std::map<std::string, size_t> built;  // launcher -> its change
  std::map<std::string, std::string> new_base;
  for (int64_t i = total; i < target.launchers[xi]; ++i) {
    std::string id = NewId(t, "L");
    std::string facility;
    if (IsSlbm(t)) {
      std::string hull = HullFor(x);
      facility = hull_base_[hull];
      attributes_[id]["submarine"] = hull;
    } else {
      facility = BaseFor(x);
      if (!t.basing.empty()) attributes_[id]["basing"] = t.basing;
    }
    Change c;
    c.kind = Change::Kind::kUp;
    c.delta = {0, 0, 1};
    c.steps.push_back(
        NewItemStep(id, lcat, t.launcher_type, facility, /*missile=*/false));
    built[id] = Add(changes, std::move(c));
    new_base[id] = facility;
  }

  // Which launchers are unloaded and loaded: as many as the deployed
  // figure needs, plus maintenance rotations.
  std::vector<std::string> staying, candidates;
  for (const std::string& l : dep) {
    if (removed_set.count(l) == 0) staying.push_back(l);
  }
  for (const std::string& l : nd) {
    if (removed_set.count(l) == 0) candidates.push_back(l);
  }
  for (const auto& [id, unused] : built) candidates.push_back(id);
  rng_.Shuffle(staying);
  rng_.Shuffle(candidates);
  const int64_t now = static_cast<int64_t>(staying.size());
  const int64_t want = target.deployed[xi];
  const int64_t rotations = std::max<int64_t>(
      0, std::min({RoundChance(std::min(now, want) * opts_.rotations_per_mille,
                               1000, rng_),
                   std::min(now, want),
                   static_cast<int64_t>(candidates.size()) -
                       std::max<int64_t>(0, want - now)}));
  const int64_t unload_n = std::max<int64_t>(0, now - want) + rotations;
  const int64_t load_n = std::max<int64_t>(0, want - now) + rotations;
  std::vector<std::string> unloads(staying.begin(), staying.begin() + unload_n);
  staying.erase(staying.begin(), staying.begin() + unload_n);
  std::vector<std::string> loads(candidates.begin(),
                                 candidates.begin() + load_n);

  // Warheads: the staying missiles keep theirs unless the figure needs
  // uploads or downloads; newly loaded ones start at the typical load.
  std::vector<int64_t> before;
  for (const std::string& l : staying) {
    before.push_back(items_.at(loaded_.at(l)).warheads);
  }
  std::vector<int64_t> after = before;
  after.resize(staying.size() + loads.size(),
               std::clamp<int64_t>((t.typical_warheads_milli + 500) / 1000, 1,
                                   t.max_warheads));
  AdjustLoads(after, target.warheads[xi], t.max_warheads, rng_);
  if (!staying.empty()) {
    const int64_t pairs = RoundChance(
        static_cast<int64_t>(staying.size()) * opts_.rv_churn_per_mille, 1000,
        rng_);
    for (int64_t k = 0; k < pairs; ++k) {
      size_t i = static_cast<size_t>(rng_.Below(staying.size()));
      size_t j = static_cast<size_t>(rng_.Below(staying.size()));
      if (i != j && after[i] < t.max_warheads && after[j] > 1) {
        ++after[i];
        --after[j];
      }
    }
  }

  for (const std::string& l : unloads) {
    const std::string m = loaded_.at(l);
    const std::string at = items_.at(m).facility;
    const size_t u = unload(l, /*eliminate_missile=*/false);
    if (!t.storage.empty() && t.storage != at &&
        rng_.Chance(opts_.to_storage_per_mille)) {
      Change c;
      c.deps.push_back(u);
      c.steps.push_back(
          MoveStep(0, m, t.category, at, t.storage, rng_.Range(6, 72) * 3600));
      Add(changes, std::move(c));
    }
  }
  for (size_t i = 0; i < staying.size(); ++i) {
    if (after[i] == before[i]) continue;
    Change c;
    c.kind = after[i] > before[i] ? Change::Kind::kUp : Change::Kind::kDown;
    c.delta = {0, after[i] - before[i], 0};
    c.steps.push_back(
        RvStep(0, loaded_.at(staying[i]), t.category, before[i], after[i]));
    Add(changes, std::move(c));
  }
  rng_.Shuffle(spares);
  size_t next_spare = 0;
  for (size_t k = 0; k < loads.size(); ++k) {
    const std::string& l = loads[k];
    const int64_t warheads = after[staying.size() + k];
    Change c;
    c.kind = Change::Kind::kUp;
    c.delta = {1, warheads, 0};
    if (auto it = built.find(l); it != built.end())
      c.deps.push_back(it->second);
    std::string m, from;
    if (next_spare < spares.size()) {
      m = spares[next_spare++];
      from = items_.at(m).facility;
    } else {
      // No spare left: a new missile from production.
      m = NewId(t, "M");
      from = !t.production.empty() ? t.production
             : !t.storage.empty()  ? t.storage
                                   : t.bases.front();
      if (!IsSlbm(t) && !t.basing.empty()) attributes_[m]["basing"] = t.basing;
      Change make;
      make.steps.push_back(
          NewItemStep(m, t.category, t.type, from, /*missile=*/true));
      c.deps.push_back(Add(changes, std::move(make)));
    }
    const std::string base =
        new_base.count(l) != 0 ? new_base[l] : items_.at(l).facility;
    if (from != base) {
      c.steps.push_back(
          MoveStep(0, m, t.category, from, base, rng_.Range(12, 96) * 3600));
    }
    c.steps.push_back(
        StatusStep(kStepGap, m, t.category, kNonDeployed, kDeployed, base));
    c.steps.push_back(
        StatusStep(2 * kStepGap, l, lcat, kNonDeployed, kDeployed));
    c.steps.push_back(RvStep(3 * kStepGap, m, t.category, 0, warheads));
    loaded_[l] = m;
    Add(changes, std::move(c));
  }
}

std::vector<std::string> PartyForce::ChooseRemovals(
    const TypeMix& t, const std::vector<std::string>& dep,
    const std::vector<std::string>& nd, int64_t count) {
  std::vector<std::string> removed;
  if (count <= 0) return removed;
  if (!IsSlbm(t)) {
    // Empty launchers first, at random; then loaded ones.
    std::vector<std::string> a = nd, b = dep;
    rng_.Shuffle(a);
    rng_.Shuffle(b);
    a.insert(a.end(), b.begin(), b.end());
    a.resize(static_cast<size_t>(count));
    return a;
  }
  // SLBM launchers: whole submarines (most empty tubes first) when the type
  // is removed a submarine at a time; otherwise tube by tube from the
  // fullest submarine, so that conversions spread over the fleet.
  const auto is_dep = [&](const std::string& id) {
    return items_.at(id).status == kDeployed;
  };
  std::map<std::string, std::vector<std::string>> hulls;
  for (const auto* list : {&dep, &nd}) {
    for (const std::string& id : *list) {
      const auto& attrs = items_.at(id).attributes;
      auto hull = attrs.find("submarine");
      hulls[hull == attrs.end() ? std::string() : hull->second].push_back(id);
    }
  }
  for (auto& [hull, ids] : hulls) std::sort(ids.begin(), ids.end());
  std::set<std::string> taken;
  while (static_cast<int64_t>(removed.size()) < count) {
    std::string best;
    int64_t best_score = -1;
    for (const auto& [hull, ids] : hulls) {
      int64_t left = 0, left_empty = 0;
      for (const std::string& id : ids) {
        if (taken.count(id) != 0) continue;
        ++left;
        if (!is_dep(id)) ++left_empty;
      }
      if (left == 0) continue;
      int64_t score = t.remove_unit > 1 ? left_empty * 1000 + left
                                        : left * 1000 + left_empty;
      if (score > best_score) {
        best = hull;
        best_score = score;
      }
    }
    std::vector<std::string> pick;
    for (const std::string& id : hulls[best]) {
      if (taken.count(id) == 0) pick.push_back(id);
    }
    std::stable_sort(pick.begin(), pick.end(),
                     [&](const std::string& a, const std::string& b) {
                       return !is_dep(a) && is_dep(b);
                     });
    const size_t take = t.remove_unit > 1 ? pick.size() : 1;
    for (size_t i = 0; i < take && static_cast<int64_t>(removed.size()) < count;
         ++i) {
      removed.push_back(pick[i]);
      taken.insert(pick[i]);
    }
  }
  return removed;
}

void PartyForce::PlanBombers(int x, const ByType& by_type,
                             const Composition& target,
                             std::vector<PlannedChange>* changes) {
  const size_t xi = static_cast<size_t>(x);
  const TypeMix& t = profile_.types[xi];
  std::vector<std::string> dep, nd;
  for (const registry::Item* item : by_type[xi]) {
    if (item->status == kDeployed) dep.push_back(item->id);
    if (item->status == kNonDeployed) nd.push_back(item->id);
  }
  rng_.Shuffle(dep);
  rng_.Shuffle(nd);
  const int64_t total = static_cast<int64_t>(dep.size() + nd.size());

  // Deployed at a base; non-deployed at the repair facility (`storage`).
  const auto set_deployed = [&](const std::string& b, bool deploy,
                                const std::string& facility) {
    Change c;
    c.kind = deploy ? Change::Kind::kUp : Change::Kind::kDown;
    c.delta = deploy ? Figures{1, 1, 0} : Figures{-1, -1, 0};
    c.steps.push_back(StatusStep(0, b, t.category,
                                 deploy ? kNonDeployed : kDeployed,
                                 deploy ? kDeployed : kNonDeployed, facility));
    return Add(changes, std::move(c));
  };

  // Removals: non-deployed bombers first, then deployed ones.
  std::set<std::string> removed;
  std::vector<std::string> order = nd;
  order.insert(order.end(), dep.begin(), dep.end());
  for (int64_t i = 0; i < total - target.launchers[xi]; ++i) {
    const std::string& b = order[static_cast<size_t>(i)];
    removed.insert(b);
    Change c;
    std::string facility = items_.at(b).facility;
    if (items_.at(b).status == kDeployed) {
      c.deps.push_back(set_deployed(b, false, t.storage));
      if (!t.storage.empty()) facility = t.storage;
    }
    c.kind = Change::Kind::kDown;
    c.delta = {0, 0, -1};
    c.steps.push_back(EndStep(0, b, t.category, facility,
                              t.reduce_by_conversion
                                  ? "heavy bomber equipped for "
                                    "non-nuclear armaments (SYNTHETIC)"
                                  : ""));
    Add(changes, std::move(c));
  }
  std::map<std::string, size_t> built;  // bomber -> its change
  for (int64_t i = total; i < target.launchers[xi]; ++i) {
    std::string id = NewId(t, "");
    std::string facility = !t.production.empty() ? t.production
                           : !t.storage.empty()  ? t.storage
                                                 : BaseFor(x);
    Change c;
    c.kind = Change::Kind::kUp;
    c.delta = {0, 0, 1};
    c.steps.push_back(
        NewItemStep(id, t.category, t.type, facility, /*missile=*/false));
    built[id] = Add(changes, std::move(c));
  }

  // Deployments: as many as the figure needs, plus rotations.
  std::vector<std::string> staying, candidates;
  for (const std::string& b : dep) {
    if (removed.count(b) == 0) staying.push_back(b);
  }
  for (const std::string& b : nd) {
    if (removed.count(b) == 0) candidates.push_back(b);
  }
  for (const auto& [id, unused] : built) candidates.push_back(id);
  rng_.Shuffle(candidates);
  const int64_t now = static_cast<int64_t>(staying.size());
  const int64_t want = target.deployed[xi];
  const int64_t rotations = std::max<int64_t>(
      0, std::min({RoundChance(std::min(now, want) * opts_.rotations_per_mille,
                               1000, rng_),
                   std::min(now, want),
                   static_cast<int64_t>(candidates.size()) -
                       std::max<int64_t>(0, want - now)}));
  const int64_t down = std::max<int64_t>(0, now - want) + rotations;
  const int64_t up = std::max<int64_t>(0, want - now) + rotations;
  for (int64_t i = 0; i < down; ++i) {
    set_deployed(staying[static_cast<size_t>(i)], false, t.storage);
  }
  for (int64_t i = 0; i < up; ++i) {
    const std::string& b = candidates[static_cast<size_t>(i)];
    const size_t k = set_deployed(b, true, BaseFor(x));
    if (auto it = built.find(b); it != built.end()) {
      (*changes)[k].deps.push_back(it->second);
    }
  }
}

Result<std::vector<Pending>> PartyForce::Transition(const Composition& target,
                                                    const Figures& from,
                                                    const Figures& to,
                                                    Instant start,
                                                    Instant end) {
  // Planning reads the items and changes none of them (they change as the
  // plan is emitted), so pointers into items_ stay valid throughout.
  ByType by_type(profile_.types.size());
  for (const auto& [id, item] : items_) {
    int x = TypeOf(item);
    if (x >= 0) by_type[static_cast<size_t>(x)].push_back(&item);
  }
  std::vector<Change> ops;
  for (size_t x = 0; x < profile_.types.size(); ++x) {
    if (IsBomber(profile_.types[x])) {
      PlanBombers(static_cast<int>(x), by_type, target, &ops);
    } else {
      PlanSystem(static_cast<int>(x), by_type, target, &ops);
    }
  }

  // Order: at random among the changes whose predecessors are done, taking
  // a change that raises a figure only while the figure stays within the
  // larger of its two ends.
  const Figures cap{std::max(from.delivery_vehicles, to.delivery_vehicles),
                    std::max(from.warheads, to.warheads),
                    std::max(from.launchers, to.launchers)};
  Figures cur = from;
  std::vector<bool> done(ops.size(), false);
  std::vector<size_t> order;
  order.reserve(ops.size());
  std::vector<size_t> ready;
  while (order.size() < ops.size()) {
    ready.clear();
    for (size_t i = 0; i < ops.size(); ++i) {
      if (done[i]) continue;
      bool deps_done = true;
      for (size_t d : ops[i].deps) deps_done = deps_done && done[d];
      if (!deps_done) continue;
      const Figures& dl = ops[i].delta;
      if (ops[i].kind == Change::Kind::kUp &&
          (cur.delivery_vehicles + dl.delivery_vehicles >
               cap.delivery_vehicles ||
           cur.warheads + dl.warheads > cap.warheads ||
           cur.launchers + dl.launchers > cap.launchers)) {
        continue;
      }
      ready.push_back(i);
    }
    if (ready.empty()) {
      return Status::Internal(fmt::format(
          "synthetic {}: no change can come next ({} of {} ordered)",
          profile_.party, order.size(), ops.size()));
    }
    size_t i = ready[rng_.Below(ready.size())];
    done[i] = true;
    cur.delivery_vehicles += ops[i].delta.delivery_vehicles;
    cur.warheads += ops[i].delta.warheads;
    cur.launchers += ops[i].delta.launchers;
    order.push_back(i);
  }
  if (!(cur == to)) {
    return Status::Internal(fmt::format(
        "synthetic {}: planned changes reach {}/{}/{}, not {}/{}/{}",
        profile_.party, cur.delivery_vehicles, cur.warheads, cur.launchers,
        to.delivery_vehicles, to.warheads, to.launchers));
  }

  // Times: spread at random over the window, a change at least an hour
  // after the one before.
  const int64_t n = static_cast<int64_t>(order.size());
  const int64_t window = end.unix_seconds() - start.unix_seconds();
  const int64_t need =
      n == 0 ? 0 : (n - 1) * kChangeSpacing + kChangeSpan + kDeclarationLead;
  if (need > window) {
    return Status::FailedPrecondition(fmt::format(
        "synthetic {}: {} changes do not fit between {} and {}; lower the "
        "churn options",
        profile_.party, n, start.ToString(), end.ToString()));
  }
  std::vector<int64_t> offsets(static_cast<size_t>(n));
  for (int64_t& o : offsets) o = rng_.Range(0, window - need);
  std::sort(offsets.begin(), offsets.end());
  std::vector<Pending> out;
  for (size_t k = 0; k < order.size(); ++k) {
    Instant base = start.AddSeconds(kDeclarationLead + offsets[k] +
                                    static_cast<int64_t>(k) * kChangeSpacing);
    for (const PlannedStep& step : ops[order[k]].steps) {
      DETENTE_RETURN_IF_ERROR(Emit(step, base.AddSeconds(step.offset), &out));
    }
  }
  if (!(CurrentFigures() == to)) {
    Figures f = CurrentFigures();
    return Status::Internal(fmt::format(
        "synthetic {}: the items hold {}/{}/{}, not {}/{}/{}", profile_.party,
        f.delivery_vehicles, f.warheads, f.launchers, to.delivery_vehicles,
        to.warheads, to.launchers));
  }
  return out;
}

}  // namespace detente::scenario::internal
