#include "detente/stability/indices.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "fmt/format.h"

namespace detente::stability {

double ValueDamage(double arriving_warheads, double w80) {
  return 1.0 - std::exp(-arriving_warheads * std::log(5.0) / w80);
}

namespace {

Status ValidateKt(const KentThalerOptions& o) {
  if (!(o.w80_a > 0.0) || !(o.w80_b > 0.0)) {
    return Status::InvalidArgument(
        "kent-thaler options: w80_a, w80_b: must be > 0");
  }
  if (!(o.own_damage_exponent > 0.0) || !(o.enemy_damage_exponent > 0.0)) {
    return Status::InvalidArgument(
        "kent-thaler options: own_damage_exponent, enemy_damage_exponent: "
        "must be > 0");
  }
  if (!(o.enemy_damage_weight >= 0.0) || !(o.tie_tolerance >= 0.0)) {
    return Status::InvalidArgument(
        "kent-thaler options: enemy_damage_weight, tie_tolerance: must be "
        ">= 0");
  }
  return Status::Ok();
}

double Cost(double own_damage, double enemy_damage,
            const KentThalerOptions& o) {
  return std::pow(own_damage, o.own_damage_exponent) +
         o.enemy_damage_weight *
             (1.0 - std::pow(enemy_damage, o.enemy_damage_exponent));
}

double Ratio(double c1, double c2, bool cap) {
  if (c2 <= 0.0) return 1.0;
  double r = c1 / c2;
  return cap ? std::min(1.0, r) : r;
}

}  // namespace

Result<FirstStrike> StopRuleFirstStrike(const Posture& striker,
                                        const Posture& victim,
                                        double w80_striker, double w80_victim,
                                        const KentThalerOptions& options) {
  DETENTE_RETURN_IF_ERROR(ValidateKt(options));
  DETENTE_ASSIGN_OR_RETURN(StrikePlan plan,
                           PlanCounterforce(striker, victim, options.exchange));
  std::vector<ExchangeOutcome> curve = ExpectedCurve(plan);
  std::vector<FirstStrike> cases;
  cases.reserve(curve.size());
  double best = 0.0;
  for (const ExchangeOutcome& out : curve) {
    FirstStrike fs;
    fs.outcome = out;
    fs.stop_warheads = out.counterforce_warheads;
    fs.max_warheads = static_cast<int64_t>(plan.assignments.size());
    fs.damage_to_striker = ValueDamage(out.victim_arriving, w80_striker);
    fs.damage_to_victim = ValueDamage(out.striker_arriving, w80_victim);
    fs.striker_cost = Cost(fs.damage_to_striker, fs.damage_to_victim, options);
    fs.victim_cost = Cost(fs.damage_to_victim, fs.damage_to_striker, options);
    if (cases.empty() || fs.striker_cost < best) best = fs.striker_cost;
    cases.push_back(fs);
  }
  const FirstStrike* chosen = nullptr;
  for (const FirstStrike& fs : cases) {
    if (fs.striker_cost > best + options.tie_tolerance) continue;
    if (chosen == nullptr || fs.victim_cost > chosen->victim_cost) chosen = &fs;
  }
  return *chosen;
}

Result<KentThalerResult> KentThalerIndex(const Posture& a, const Posture& b,
                                         const KentThalerOptions& options) {
  KentThalerResult r;
  DETENTE_ASSIGN_OR_RETURN(
      r.a_strikes,
      StopRuleFirstStrike(a, b, options.w80_a, options.w80_b, options));
  DETENTE_ASSIGN_OR_RETURN(
      r.b_strikes,
      StopRuleFirstStrike(b, a, options.w80_b, options.w80_a, options));
  r.c1_a = r.a_strikes.striker_cost;
  r.c2_a = r.b_strikes.victim_cost;
  r.c1_b = r.b_strikes.striker_cost;
  r.c2_b = r.a_strikes.victim_cost;
  r.ratio_a = Ratio(r.c1_a, r.c2_a, options.cap_ratios);
  r.ratio_b = Ratio(r.c1_b, r.c2_b, options.cap_ratios);
  r.index = r.ratio_a * r.ratio_b;
  return r;
}

namespace {

struct OneWay {
  double victim_surviving = 0.0;
  double victim_arriving = 0.0;
  double striker_residual = 0.0;
  double striker_unstruck_arriving = 0.0;  // all-out on value, w = 0
};

Result<OneWay> FullStrike(const Posture& striker, const Posture& victim,
                          const ExchangeOptions& options) {
  DETENTE_ASSIGN_OR_RETURN(StrikePlan plan,
                           PlanCounterforce(striker, victim, options));
  ExchangeOutcome full =
      ExpectedOutcome(plan, static_cast<int64_t>(plan.assignments.size()));
  ExchangeOutcome none = ExpectedOutcome(plan, 0);
  OneWay w;
  w.victim_surviving = full.victim_surviving;
  w.victim_arriving = full.victim_arriving;
  w.striker_residual = full.striker_remaining + full.striker_withheld;
  w.striker_unstruck_arriving = none.striker_arriving;
  return w;
}

}  // namespace

Result<Balance> BalanceMeasures(const Posture& a, const Posture& b,
                                const ExchangeOptions& options) {
  DETENTE_ASSIGN_OR_RETURN(OneWay ab, FullStrike(a, b, options));
  DETENTE_ASSIGN_OR_RETURN(OneWay ba, FullStrike(b, a, options));
  Balance r;
  r.a.warheads = a.TotalWarheads();
  r.b.warheads = b.TotalWarheads();
  r.a.surviving = ba.victim_surviving;
  r.a.arriving = ba.victim_arriving;
  r.b.surviving = ab.victim_surviving;
  r.b.arriving = ab.victim_arriving;
  r.a.residual = ab.striker_residual;
  r.b.residual = ba.striker_residual;
  r.a.arriving_unstruck = ab.striker_unstruck_arriving;
  r.b.arriving_unstruck = ba.striker_unstruck_arriving;
  r.a.penalty_for_waiting = r.a.arriving_unstruck - r.a.arriving;
  r.b.penalty_for_waiting = r.b.arriving_unstruck - r.b.arriving;
  r.a.first_strike_advantage = r.a.residual - r.b.surviving;
  r.b.first_strike_advantage = r.b.residual - r.a.surviving;
  r.instability = r.a.penalty_for_waiting * r.b.penalty_for_waiting;
  return r;
}

}  // namespace detente::stability
