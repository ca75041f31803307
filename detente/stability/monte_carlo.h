// Monte Carlo version of the exchange model (exchange.h): the same plan, the
// same probabilities, drawn trial by trial instead of multiplied out.
//
// The model of one trial: every assigned warhead arrives with probability
// reliability x penetration, flies through clear skies with the plan's
// fratricide probability, and lands at an offset drawn from a circular
// normal with per-axis sigma = CEP / sqrt(ln 4); it kills its aim point if
// the miss is within the lethal radius. A killed aim point loses all its
// warheads (unless launch under attack saved a silo's, per silo). Every
// surviving victim warhead then arrives on the striker with its reliability
// x penetration, and every striker pool warhead not used on counterforce
// arrives on the victim with its own.
//
// How it is drawn (docs/stability.md §3): the three draws of a shot are
// independent, so a shot kills with the single probability
// arrive x clear x SSPK (SSPK = 1 - 0.5^((LR/CEP)^2) is the circular
// normal's mass within LR). The shots at one aim point, launch under attack
// and the binomial number of its survivors that arrive make one discrete
// distribution per aim point, sampled with one draw (DiscreteSampler,
// random.h); each untargetable group and each unused striker warhead type
// is one binomial draw. This is the model's distribution exactly (to the
// 2^-63 the samplers hold probabilities to), not an approximation of it.
//
// Reproducibility: trial t draws only from TrialRng(seed, t) (random.h), and
// the totals are summed in trial order after all threads finish, so a run
// is bitwise identical for any number of threads.
//
// RunMonteCarlo is thread-safe (it reads the plan, owns its threads). A
// TrialModel is immutable once made and may be shared by threads.
#ifndef DETENTE_STABILITY_MONTE_CARLO_H_
#define DETENTE_STABILITY_MONTE_CARLO_H_

#include <cstdint>
#include <vector>

#include "detente/base/result.h"
#include "detente/stability/exchange.h"
#include "detente/stability/random.h"

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
  // Warheads simulated over all trials (the unit of the benchmark's rate):
  // each counterforce warhead fired at an aim point not yet killed, each
  // surviving (or saved) victim warhead, each untargetable victim warhead
  // and each unused striker pool warhead.
  int64_t engagements = 0;
  Estimate victim_destroyed;
  Estimate victim_surviving;
  Estimate victim_arriving;
  Estimate striker_arriving;
  std::vector<TrialOutcome> trial_outcomes;  // if keep_trials
};

// InvalidArgument for trials < 2, threads < 1, w out of range or a plan
// TrialModel::Make refuses.
Result<MonteCarloResult> RunMonteCarlo(const StrikePlan& plan,
                                       const MonteCarloOptions& options);

// The per-run tables of a plan's first `w` assignments: one discrete
// distribution per distinct aim point, untargetable group and unused
// warhead type (identical ones share a table), and the outcome each of its
// values stands for. Owns its tables (copied from the plan, which need not
// outlive it); immutable after Make, so Simulate may run on many threads.
class TrialModel {
 public:
  // InvalidArgument if w is out of range, an assignment names no aim point
  // or type, a type has more assignments than warheads, or a probability
  // of the plan (including NaN) is not in [0, 1].
  static Result<TrialModel> Make(const StrikePlan& plan, int64_t w);

  // The outcome of trial `trial` of a run seeded with `seed`; adds the
  // trial's engagements to `*engagements` if given.
  TrialOutcome Simulate(uint64_t seed, uint64_t trial,
                        int64_t* engagements = nullptr) const;

  struct Outcome {  // what one value of a unit's distribution stands for
    int64_t engagements = 0;
    int64_t victim_destroyed = 0;
    int64_t victim_arriving = 0;
    int64_t striker_arriving = 0;
  };
  struct Table {
    DiscreteSampler sampler;
    std::vector<Outcome> outcomes;  // by sampled value
  };

 private:
  TrialModel() = default;

  std::vector<Table> tables_;
  std::vector<uint32_t> units_;  // table of each random unit, in draw order
  Outcome fixed_;                // the sum over units with one outcome
  int64_t victim_warheads_ = 0;
};

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_MONTE_CARLO_H_
