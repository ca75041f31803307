// Monte Carlo version of the exchange model (exchange.h): the same plan, the
// same probabilities, drawn warhead by warhead instead of multiplied out.
//
// One trial: every assigned warhead arrives with probability
// reliability x penetration, flies through clear skies with the plan's
// fratricide probability, and lands at an offset (x, y) drawn from a
// circular normal with per-axis sigma = CEP / sqrt(ln 4); it kills its aim
// point if x^2 + y^2 <= LR^2. A killed aim point loses all its warheads
// (unless launch under attack saved a silo's, drawn per silo). Every
// surviving victim warhead then arrives on the striker with its reliability
// x penetration, and every striker pool warhead not used on counterforce
// arrives on the victim with its own.
//
// Reproducibility: trial t draws only from TrialRng(seed, t) (random.h), and
// the totals are summed in trial order after all threads finish, so a run
// is bitwise identical for any number of threads.
//
// RunMonteCarlo is thread-safe (it reads the plan, owns its threads).
#ifndef DETENTE_STABILITY_MONTE_CARLO_H_
#define DETENTE_STABILITY_MONTE_CARLO_H_

#include <cstdint>
#include <vector>

#include "detente/base/result.h"
#include "detente/stability/exchange.h"

namespace detente::stability {

struct MonteCarloOptions {
  uint64_t seed = 0;   // explicit; there is no default entropy
  int64_t trials = 0;  // >= 2
  int threads = 1;     // >= 1; does not change the result
  // Assignments of the plan used (the first w); -1 uses the whole plan.
  int64_t counterforce_warheads = -1;
  // Two-sided normal quantile for the confidence interval of each mean;
  // 1.959963984540054 is 95%.
  double z = 1.959963984540054;
  // Keep every trial's outcome in MonteCarloResult::trials_outcomes.
  bool keep_trials = false;
};

// One trial's counts.
struct TrialOutcome {
  int64_t victim_destroyed = 0;
  int64_t victim_surviving = 0;
  int64_t victim_arriving = 0;
  int64_t striker_arriving = 0;
};

// The sample mean of one quantity over the trials, its sample standard
// deviation, the standard error of the mean and the confidence interval
// mean -/+ z * standard error.
struct Estimate {
  double mean = 0.0;
  double std_dev = 0.0;
  double std_error = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
};

struct MonteCarloResult {
  uint64_t seed = 0;
  int64_t trials = 0;
  int64_t counterforce_warheads = 0;
  int64_t engagements = 0;  // warhead draws made over all trials
  Estimate victim_destroyed;
  Estimate victim_surviving;
  Estimate victim_arriving;
  Estimate striker_arriving;
  std::vector<TrialOutcome> trial_outcomes;  // if keep_trials
};

// InvalidArgument for trials < 2, threads < 1 or w out of range.
Result<MonteCarloResult> RunMonteCarlo(const StrikePlan& plan,
                                       const MonteCarloOptions& options);

// One trial, for benchmarks and tests: the outcome of trial `trial` of a
// run seeded with `seed`, using the first `w` assignments. `engagements`,
// if given, is increased by the warhead draws made.
TrialOutcome SimulateTrial(const StrikePlan& plan, int64_t w, uint64_t seed,
                           uint64_t trial, int64_t* engagements = nullptr);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_MONTE_CARLO_H_
