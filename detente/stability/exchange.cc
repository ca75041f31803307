#include "detente/stability/exchange.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <utility>

#include "fmt/format.h"

namespace detente::stability {

namespace {

bool InUnit(double p) { return p >= 0.0 && p <= 1.0; }

// Warheads on each of `launchers` launchers carrying `warheads` in all:
// the first (warheads mod launchers) carry one more.
int64_t LoadOf(int64_t launcher, int64_t launchers, int64_t warheads) {
  if (launchers <= 0) return 0;
  int64_t base = warheads / launchers;
  return base + (launcher < warheads % launchers ? 1 : 0);
}

double Lethality(const WarheadType& t) {
  return std::pow(t.yield_kt, 2.0 / 3.0) / (t.cep_m * t.cep_m);
}

}  // namespace

Status ValidateExchangeOptions(const ExchangeOptions& o) {
  auto bad = [](std::string_view field, std::string_view what) {
    return Status::InvalidArgument(
        fmt::format("exchange options: {}: {}", field, what));
  };
  if (!(o.lethal_radius_constant > 0.0))
    return bad("lethal_radius_constant", "must be > 0");
  if (o.max_warheads_per_aim_point < 1)
    return bad("max_warheads_per_aim_point", "must be >= 1");
  if (!(o.min_marginal_kill >= 0.0))
    return bad("min_marginal_kill", "must be >= 0");
  if (!InUnit(o.striker_survivable_use))
    return bad("striker_survivable_use", "must be in [0, 1]");
  if (!InUnit(o.launch_under_attack_fraction))
    return bad("launch_under_attack_fraction", "must be in [0, 1]");
  if (o.fratricide.free_warheads < 0)
    return bad("fratricide.free_warheads", "must be >= 0");
  if (!InUnit(o.fratricide.cloud_probability))
    return bad("fratricide.cloud_probability", "must be in [0, 1]");
  for (const auto* layers : {&o.victim_defences, &o.striker_defences}) {
    for (const DefenceLayer& l : *layers) {
      if (l.interceptors < 0 || !InUnit(l.tracking) ||
          !InUnit(l.interceptor_sspk)) {
        return bad(layers == &o.victim_defences ? "victim_defences"
                                                : "striker_defences",
                   "interceptors must be >= 0, tracking and "
                   "interceptor_sspk in [0, 1]");
      }
    }
  }
  return Status::Ok();
}

Result<StrikePlan> PlanCounterforce(const Posture& striker,
                                    const Posture& victim,
                                    const ExchangeOptions& options) {
  DETENTE_RETURN_IF_ERROR(ValidateExchangeOptions(options));
  DETENTE_RETURN_IF_ERROR(ValidatePosture(striker).WithContext("striker"));
  DETENTE_RETURN_IF_ERROR(ValidatePosture(victim).WithContext("victim"));
  StrikePlan plan;
  plan.options = options;
  const double victim_pen = Penetration(options.victim_defences);
  plan.victim_penetration = Penetration(options.striker_defences);
  const AlertLevel alert = options.victim_alert.value_or(victim.alert);

  // Victim aim points.
  for (size_t fi = 0; fi < victim.forces.size(); ++fi) {
    const Force& f = victim.forces[fi];
    plan.victim_warheads += f.warheads;
    const bool silo = f.system.basing == Basing::kSilo;
    int64_t on_alert = silo ? 0
                            : std::llround(static_cast<double>(f.launchers) *
                                           f.system.AlertRate(alert));
    on_alert = std::clamp<int64_t>(on_alert, 0, f.launchers);
    // Launchers [0, on_alert) are on alert; the rest are targetable.
    int64_t alert_warheads = 0;
    for (int64_t l = 0; l < on_alert; ++l)
      alert_warheads += LoadOf(l, f.launchers, f.warheads);
    plan.victim_untargetable += alert_warheads;
    if (alert_warheads > 0) {
      plan.untargetable.push_back(
          UntargetableGroup{fi, alert_warheads, f.system.reliability});
    }
    plan.victim_untargetable_arriving += static_cast<double>(alert_warheads) *
                                         f.system.reliability *
                                         plan.victim_penetration;
    const int64_t group = silo ? 1 : f.system.launchers_per_aim_point;
    for (int64_t l = on_alert; l < f.launchers; l += group) {
      AimPoint ap;
      ap.force = fi;
      ap.hardness_psi = f.system.hardness_psi;
      ap.silo = silo;
      ap.victim_reliability = f.system.reliability;
      for (int64_t k = l; k < std::min(l + group, f.launchers); ++k) {
        ++ap.launchers;
        ap.warheads += LoadOf(k, f.launchers, f.warheads);
      }
      plan.aim_points.push_back(ap);
    }
  }

  // Striker pool.
  for (size_t fi = 0; fi < striker.forces.size(); ++fi) {
    const Force& f = striker.forces[fi];
    const bool silo = f.system.basing == Basing::kSilo;
    int64_t committed = silo ? f.warheads
                             : static_cast<int64_t>(std::floor(
                                   static_cast<double>(f.warheads) *
                                       options.striker_survivable_use +
                                   1e-9));
    plan.striker_pool += committed;
    plan.striker_withheld += f.warheads - committed;
    if (committed == 0) continue;
    WarheadType t;
    t.force = fi;
    t.system = f.system.id;
    t.yield_kt = f.system.yield_kt;
    t.cep_m = f.system.cep_m;
    t.reliability = f.system.reliability;
    t.arrive = f.system.reliability * victim_pen;
    t.count = committed;
    t.counterforce =
        f.system.basing != Basing::kBomber || options.bombers_in_counterforce;
    plan.types.push_back(t);
  }
  std::stable_sort(plan.types.begin(), plan.types.end(),
                   [](const WarheadType& a, const WarheadType& b) {
                     if (a.counterforce != b.counterforce)
                       return a.counterforce;
                     return Lethality(a) > Lethality(b);
                   });

  // Greedy allocation. Each aim point keeps its shots (for fratricide) and
  // its survival probability.
  const size_t n = plan.aim_points.size();
  std::vector<std::vector<Shot>> shots(n);
  std::vector<double> survival(n, 1.0);
  for (size_t ti = 0; ti < plan.types.size(); ++ti) {
    const WarheadType& t = plan.types[ti];
    if (!t.counterforce) break;
    std::vector<double> sspk(n);
    // The marginal gain of one more warhead of this type at aim point i.
    auto gain = [&](size_t i, double* clear_out) {
      if (static_cast<int>(shots[i].size()) >=
          options.max_warheads_per_aim_point) {
        return -1.0;
      }
      shots[i].push_back(Shot{t.arrive, sspk[i]});
      double clear =
          ClearSkies(shots[i], shots[i].size() - 1, options.fratricide);
      shots[i].pop_back();
      if (clear_out != nullptr) *clear_out = clear;
      double after = survival[i] * (1.0 - clear * t.arrive * sspk[i]);
      return static_cast<double>(plan.aim_points[i].warheads) *
             (survival[i] - after);
    };
    using Entry = std::pair<double, size_t>;
    auto worse = [](const Entry& a, const Entry& b) {
      if (a.first != b.first) return a.first < b.first;
      return a.second > b.second;  // lower index first
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
    for (size_t i = 0; i < n; ++i) {
      sspk[i] = SingleShotKillFor(t.yield_kt, t.cep_m,
                                  plan.aim_points[i].hardness_psi,
                                  options.lethal_radius_constant);
      double g = gain(i, nullptr);
      if (g > options.min_marginal_kill) heap.emplace(g, i);
    }
    for (int64_t k = 0; k < t.count && !heap.empty(); ++k) {
      auto [g, i] = heap.top();
      heap.pop();
      double clear = 1.0;
      gain(i, &clear);
      Assignment a;
      a.aim_point = i;
      a.type = ti;
      a.sspk = sspk[i];
      a.clear = clear;
      a.destroyed = g;
      plan.assignments.push_back(a);
      shots[i].push_back(Shot{t.arrive, sspk[i]});
      survival[i] *= 1.0 - clear * t.arrive * sspk[i];
      double next = gain(i, nullptr);
      if (next > options.min_marginal_kill) heap.emplace(next, i);
    }
  }
  return plan;
}

std::vector<double> AimPointSurvival(const StrikePlan& plan, int64_t w) {
  std::vector<double> survival(plan.aim_points.size(), 1.0);
  for (int64_t k = 0; k < w; ++k) {
    const Assignment& a = plan.assignments[static_cast<size_t>(k)];
    survival[a.aim_point] *= 1.0 - a.clear * plan.types[a.type].arrive * a.sspk;
  }
  return survival;
}

ExchangeOutcome ExpectedOutcome(const StrikePlan& plan,
                                int64_t counterforce_warheads) {
  const ExchangeOptions& o = plan.options;
  std::vector<double> survival = AimPointSurvival(plan, counterforce_warheads);
  ExchangeOutcome out;
  out.counterforce_warheads = counterforce_warheads;
  out.victim_arriving = plan.victim_untargetable_arriving;
  for (size_t i = 0; i < plan.aim_points.size(); ++i) {
    const AimPoint& ap = plan.aim_points[i];
    double saved = ap.silo && o.victim_launch_under_attack
                       ? o.launch_under_attack_fraction
                       : 0.0;
    double lost =
        static_cast<double>(ap.warheads) * (1.0 - survival[i]) * (1.0 - saved);
    out.victim_destroyed += lost;
    out.victim_arriving += (static_cast<double>(ap.warheads) - lost) *
                           ap.victim_reliability * plan.victim_penetration;
  }
  out.victim_surviving =
      static_cast<double>(plan.victim_warheads) - out.victim_destroyed;
  double pool_arrive = 0.0;
  for (const WarheadType& t : plan.types)
    pool_arrive += static_cast<double>(t.count) * t.arrive;
  for (int64_t k = 0; k < counterforce_warheads; ++k)
    pool_arrive -=
        plan.types[plan.assignments[static_cast<size_t>(k)].type].arrive;
  out.striker_remaining =
      static_cast<double>(plan.striker_pool - counterforce_warheads);
  out.striker_arriving = std::max(0.0, pool_arrive);
  out.striker_withheld = static_cast<double>(plan.striker_withheld);
  return out;
}

std::vector<ExchangeOutcome> ExpectedCurve(const StrikePlan& plan) {
  const ExchangeOptions& o = plan.options;
  std::vector<ExchangeOutcome> curve;
  curve.reserve(plan.assignments.size() + 1);
  ExchangeOutcome cur = ExpectedOutcome(plan, 0);
  curve.push_back(cur);
  double pool_arrive = cur.striker_arriving;
  for (size_t k = 0; k < plan.assignments.size(); ++k) {
    const Assignment& a = plan.assignments[k];
    const AimPoint& ap = plan.aim_points[a.aim_point];
    double saved = ap.silo && o.victim_launch_under_attack
                       ? o.launch_under_attack_fraction
                       : 0.0;
    double lost = a.destroyed * (1.0 - saved);
    cur.counterforce_warheads = static_cast<int64_t>(k + 1);
    cur.victim_destroyed += lost;
    cur.victim_surviving =
        static_cast<double>(plan.victim_warheads) - cur.victim_destroyed;
    cur.victim_arriving -=
        lost * ap.victim_reliability * plan.victim_penetration;
    pool_arrive -= plan.types[a.type].arrive;
    cur.striker_arriving = std::max(0.0, pool_arrive);
    cur.striker_remaining -= 1.0;
    curve.push_back(cur);
  }
  return curve;
}

}  // namespace detente::stability
