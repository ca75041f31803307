#include "detente/stability/monte_carlo.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "detente/stability/random.h"
#include "fmt/format.h"

namespace detente::stability {

TrialOutcome SimulateTrial(const StrikePlan& plan, int64_t w, uint64_t seed,
                           uint64_t trial, int64_t* engagements) {
  const ExchangeOptions& o = plan.options;
  Pcg32 rng = TrialRng(seed, trial);
  std::vector<char> killed(plan.aim_points.size(), 0);
  int64_t draws = 0;
  for (int64_t k = 0; k < w; ++k) {
    const Assignment& a = plan.assignments[static_cast<size_t>(k)];
    if (killed[a.aim_point]) continue;
    const WarheadType& t = plan.types[a.type];
    ++draws;
    bool arrived = Bernoulli(rng, t.arrive);
    bool clear = Bernoulli(rng, a.clear);
    auto [x, y] = StandardNormalPair(rng);
    double sigma = SigmaFromCep(t.cep_m);
    double lr = LethalRadiusMetres(t.yield_kt,
                                   plan.aim_points[a.aim_point].hardness_psi,
                                   o.lethal_radius_constant);
    double dx = x * sigma;
    double dy = y * sigma;
    if (arrived && clear && dx * dx + dy * dy <= lr * lr) {
      killed[a.aim_point] = 1;
    }
  }
  TrialOutcome out;
  for (size_t i = 0; i < plan.aim_points.size(); ++i) {
    const AimPoint& ap = plan.aim_points[i];
    int64_t surviving = ap.warheads;
    if (killed[i]) {
      bool saved = ap.silo && o.victim_launch_under_attack &&
                   Bernoulli(rng, o.launch_under_attack_fraction);
      if (!saved) surviving = 0;
    }
    out.victim_destroyed += ap.warheads - surviving;
    double p = ap.victim_reliability * plan.victim_penetration;
    for (int64_t h = 0; h < surviving; ++h)
      out.victim_arriving += Bernoulli(rng, p) ? 1 : 0;
    draws += surviving;
  }
  for (const UntargetableGroup& g : plan.untargetable) {
    double p = g.reliability * plan.victim_penetration;
    for (int64_t h = 0; h < g.warheads; ++h)
      out.victim_arriving += Bernoulli(rng, p) ? 1 : 0;
    draws += g.warheads;
  }
  out.victim_surviving = plan.victim_warheads - out.victim_destroyed;
  // Pool warheads not used on counterforce: the plan uses the types in
  // order, so type ti has count minus its assignments in the prefix left.
  std::vector<int64_t> left(plan.types.size());
  for (size_t ti = 0; ti < plan.types.size(); ++ti)
    left[ti] = plan.types[ti].count;
  for (int64_t k = 0; k < w; ++k)
    --left[plan.assignments[static_cast<size_t>(k)].type];
  for (size_t ti = 0; ti < plan.types.size(); ++ti) {
    for (int64_t h = 0; h < left[ti]; ++h)
      out.striker_arriving += Bernoulli(rng, plan.types[ti].arrive) ? 1 : 0;
    draws += left[ti];
  }
  if (engagements != nullptr) *engagements += draws;
  return out;
}

namespace {

Estimate Summarise(const std::vector<TrialOutcome>& v,
                   int64_t TrialOutcome::*field, double z) {
  Estimate e;
  const double n = static_cast<double>(v.size());
  double sum = 0.0;
  for (const TrialOutcome& t : v) sum += static_cast<double>(t.*field);
  e.mean = sum / n;
  double ss = 0.0;
  for (const TrialOutcome& t : v) {
    double d = static_cast<double>(t.*field) - e.mean;
    ss += d * d;
  }
  e.std_dev = std::sqrt(ss / (n - 1.0));
  e.std_error = e.std_dev / std::sqrt(n);
  e.ci_low = e.mean - z * e.std_error;
  e.ci_high = e.mean + z * e.std_error;
  return e;
}

}  // namespace

Result<MonteCarloResult> RunMonteCarlo(const StrikePlan& plan,
                                       const MonteCarloOptions& options) {
  if (options.trials < 2) {
    return Status::InvalidArgument(fmt::format(
        "monte carlo: trials: must be >= 2 (got {})", options.trials));
  }
  if (options.threads < 1) {
    return Status::InvalidArgument(fmt::format(
        "monte carlo: threads: must be >= 1 (got {})", options.threads));
  }
  const auto max_w = static_cast<int64_t>(plan.assignments.size());
  int64_t w =
      options.counterforce_warheads < 0 ? max_w : options.counterforce_warheads;
  if (w > max_w) {
    return Status::InvalidArgument(
        fmt::format("monte carlo: counterforce_warheads: {} exceeds the "
                    "plan's {} assignments",
                    w, max_w));
  }
  if (!(options.z > 0.0)) {
    return Status::InvalidArgument("monte carlo: z: must be > 0");
  }
  std::vector<TrialOutcome> outcomes(static_cast<size_t>(options.trials));
  const int64_t threads = std::min<int64_t>(options.threads, options.trials);
  std::vector<int64_t> engagements(static_cast<size_t>(threads), 0);
  {
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<size_t>(threads));
    for (int64_t th = 0; th < threads; ++th) {
      int64_t begin = options.trials * th / threads;
      int64_t end = options.trials * (th + 1) / threads;
      pool.emplace_back([&, th, begin, end] {
        for (int64_t t = begin; t < end; ++t) {
          outcomes[static_cast<size_t>(t)] =
              SimulateTrial(plan, w, options.seed, static_cast<uint64_t>(t),
                            &engagements[static_cast<size_t>(th)]);
        }
      });
    }
  }  // jthreads join here
  MonteCarloResult r;
  r.seed = options.seed;
  r.trials = options.trials;
  r.counterforce_warheads = w;
  for (int64_t e : engagements) r.engagements += e;
  r.victim_destroyed =
      Summarise(outcomes, &TrialOutcome::victim_destroyed, options.z);
  r.victim_surviving =
      Summarise(outcomes, &TrialOutcome::victim_surviving, options.z);
  r.victim_arriving =
      Summarise(outcomes, &TrialOutcome::victim_arriving, options.z);
  r.striker_arriving =
      Summarise(outcomes, &TrialOutcome::striker_arriving, options.z);
  if (options.keep_trials) r.trial_outcomes = std::move(outcomes);
  return r;
}

}  // namespace detente::stability
