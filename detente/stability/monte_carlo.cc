#include "detente/stability/monte_carlo.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <latch>
#include <map>
#include <optional>
#include <span>
#include <thread>
#include <tuple>
#include <utility>

#include "detente/stability/random.h"
#include "fmt/format.h"

namespace detente::stability {

namespace {

using Outcome = TrialModel::Outcome;

// What makes two units' distributions the same: the kind of unit, the kill
// probabilities of the shots at it, its warheads, their arrival
// probability and the launch-under-attack fraction (0 when it does not
// apply).
using UnitKey = std::tuple<int, std::vector<double>, int64_t, double, double>;
enum UnitKind { kAimPoint = 0, kUntargetable = 1, kUnused = 2 };

// The distribution of one unit as weights and outcomes, value by value.
struct UnitDistribution {
  std::vector<double> weights;
  std::vector<Outcome> outcomes;
  void Add(double weight, const Outcome& o) {
    weights.push_back(weight);
    outcomes.push_back(o);
  }
};

// An aim point with `warheads`, shot at with kill probabilities `kills` in
// plan order (a shot is fired only while the aim point stands); a killed
// silo is saved with probability `saved` (0 without launch under attack);
// each surviving warhead arrives with probability `arrive`.
UnitDistribution AimPointDistribution(std::span<const double> kills,
                                      int64_t warheads, double arrive,
                                      double saved) {
  UnitDistribution d;
  const std::vector<double> binomial = BinomialProbabilities(warheads, arrive);
  const size_t values =
      kills.size() * (saved > 0.0 ? binomial.size() + 1 : 1) + binomial.size();
  d.weights.reserve(values);
  d.outcomes.reserve(values);
  double standing = 1.0;
  for (size_t j = 0; j < kills.size(); ++j) {
    const double killed_here = standing * kills[j];
    const auto fired = static_cast<int64_t>(j + 1);
    if (saved > 0.0) {
      for (size_t r = 0; r < binomial.size(); ++r) {
        d.Add(killed_here * saved * binomial[r],
              Outcome{fired + warheads, 0, static_cast<int64_t>(r), 0});
      }
    }
    d.Add(killed_here * (1.0 - saved), Outcome{fired, warheads, 0, 0});
    standing *= 1.0 - kills[j];
  }
  const auto fired = static_cast<int64_t>(kills.size());
  for (size_t r = 0; r < binomial.size(); ++r) {
    d.Add(standing * binomial[r],
          Outcome{fired + warheads, 0, static_cast<int64_t>(r), 0});
  }
  return d;
}

bool IsProbability(double p) { return p >= 0.0 && p <= 1.0; }  // not NaN

Outcome& operator+=(Outcome& a, const Outcome& b) {
  a.engagements += b.engagements;
  a.victim_destroyed += b.victim_destroyed;
  a.victim_arriving += b.victim_arriving;
  a.striker_arriving += b.striker_arriving;
  return a;
}

}  // namespace

Result<TrialModel> TrialModel::Make(const StrikePlan& plan, int64_t w) {
  if (w < 0 || w > static_cast<int64_t>(plan.assignments.size())) {
    return Status::InvalidArgument(
        fmt::format("monte carlo: counterforce_warheads: {} is not in 0..{}", w,
                    plan.assignments.size()));
  }
  const ExchangeOptions& o = plan.options;
  TrialModel m;
  m.victim_warheads_ = plan.victim_warheads;
  // What a unit key stands for: a table, or the one possible outcome.
  struct Known {
    bool fixed = false;
    uint32_t table = 0;
    Outcome outcome;
  };
  std::map<UnitKey, Known> known;
  // Identical units mostly come in runs (the silos of one force): the last
  // one is compared field by field before a key is made for the map.
  UnitKey last_key;
  Known last;
  bool have_last = false;
  // Adds one unit: a table shared with every identical unit, or, if only
  // one outcome is possible, that outcome to the fixed part.
  auto add_unit = [&](int kind, std::span<const double> shots, int64_t warheads,
                      double arrive, double saved, auto make) -> Status {
    const auto& [k0, k1, k2, k3, k4] = last_key;
    if (!have_last || kind != k0 || warheads != k2 || arrive != k3 ||
        saved != k4 || !std::ranges::equal(shots, k1)) {
      UnitKey key{kind, std::vector<double>(shots.begin(), shots.end()),
                  warheads, arrive, saved};
      auto it = known.find(key);
      if (it == known.end()) {
        UnitDistribution d = make();
        Known k;
        size_t possible = 0;
        for (size_t v = 0; v < d.weights.size(); ++v) {
          if (d.weights[v] > 0.0) {
            ++possible;
            k.outcome = d.outcomes[v];
          }
        }
        k.fixed = possible == 1;
        if (!k.fixed) {
          auto sampler = DiscreteSampler::Make(d.weights);
          if (!sampler.ok()) {
            return Status::InvalidArgument(
                fmt::format("monte carlo: {}", sampler.status().message()));
          }
          k.table = static_cast<uint32_t>(m.tables_.size());
          m.tables_.push_back(
              Table{std::move(sampler).value(), std::move(d.outcomes)});
        }
        it = known.emplace(key, k).first;
      }
      last_key = std::move(key);
      last = it->second;
      have_last = true;
    }
    if (last.fixed) {
      m.fixed_ += last.outcome;
    } else {
      m.units_.push_back(last.table);
    }
    return Status::Ok();
  };
  // The kill probability of each shot of the prefix, by aim point in plan
  // order: aim point i's are kills[first[i] .. first[i + 1]).
  std::vector<size_t> first(plan.aim_points.size() + 1, 0);
  std::vector<int64_t> unused(plan.types.size());
  for (size_t ti = 0; ti < plan.types.size(); ++ti)
    unused[ti] = plan.types[ti].count;
  for (int64_t k = 0; k < w; ++k) {
    const Assignment& a = plan.assignments[static_cast<size_t>(k)];
    if (a.aim_point >= plan.aim_points.size() || a.type >= plan.types.size()) {
      return Status::InvalidArgument(fmt::format(
          "monte carlo: assignment {}: no such aim point or type", k));
    }
    ++first[a.aim_point + 1];
    --unused[a.type];
  }
  for (size_t i = 0; i < plan.aim_points.size(); ++i) first[i + 1] += first[i];
  std::vector<double> kills(static_cast<size_t>(w));
  std::vector<size_t> next(first.begin(), first.end() - 1);
  for (int64_t k = 0; k < w; ++k) {
    const Assignment& a = plan.assignments[static_cast<size_t>(k)];
    // The factors in ExpectedOutcome's order (AimPointSurvival).
    const double q = a.clear * plan.types[a.type].arrive * a.sspk;
    if (!IsProbability(q)) {
      return Status::InvalidArgument(fmt::format(
          "monte carlo: assignment {}: kill probability {} is not in [0, 1]", k,
          q));
    }
    kills[next[a.aim_point]++] = q;
  }
  for (size_t ti = 0; ti < plan.types.size(); ++ti) {
    if (unused[ti] < 0 || !IsProbability(plan.types[ti].arrive)) {
      return Status::InvalidArgument(fmt::format(
          "monte carlo: type {}: more assignments than warheads, or an "
          "arrival probability not in [0, 1]",
          ti));
    }
  }
  if (!IsProbability(plan.victim_penetration) ||
      (o.victim_launch_under_attack &&
       !IsProbability(o.launch_under_attack_fraction))) {
    return Status::InvalidArgument(
        "monte carlo: victim penetration or launch-under-attack fraction "
        "not in [0, 1]");
  }
  for (const AimPoint& ap : plan.aim_points) {
    if (!IsProbability(ap.victim_reliability) || ap.warheads < 0) {
      return Status::InvalidArgument(
          "monte carlo: an aim point's reliability is not in [0, 1] or its "
          "warheads are negative");
    }
  }
  for (const UntargetableGroup& g : plan.untargetable) {
    if (!IsProbability(g.reliability) || g.warheads < 0) {
      return Status::InvalidArgument(
          "monte carlo: an untargetable group's reliability is not in "
          "[0, 1] or its warheads are negative");
    }
  }
  for (size_t i = 0; i < plan.aim_points.size(); ++i) {
    const AimPoint& ap = plan.aim_points[i];
    const double arrive = ap.victim_reliability * plan.victim_penetration;
    const double saved = ap.silo && o.victim_launch_under_attack
                             ? o.launch_under_attack_fraction
                             : 0.0;
    const std::span<const double> shots(kills.data() + first[i],
                                        first[i + 1] - first[i]);
    DETENTE_RETURN_IF_ERROR(
        add_unit(kAimPoint, shots, ap.warheads, arrive, saved, [&] {
          return AimPointDistribution(shots, ap.warheads, arrive, saved);
        }));
  }
  for (const UntargetableGroup& g : plan.untargetable) {
    const double arrive = g.reliability * plan.victim_penetration;
    DETENTE_RETURN_IF_ERROR(add_unit(
        kUntargetable, {}, g.warheads, arrive, 0.0,
        [&] { return AimPointDistribution({}, g.warheads, arrive, 0.0); }));
  }
  for (size_t ti = 0; ti < plan.types.size(); ++ti) {
    const int64_t n = unused[ti];
    const double arrive = plan.types[ti].arrive;
    DETENTE_RETURN_IF_ERROR(add_unit(kUnused, {}, n, arrive, 0.0, [&] {
      UnitDistribution d;
      std::vector<double> binomial = BinomialProbabilities(n, arrive);
      for (size_t r = 0; r < binomial.size(); ++r)
        d.Add(binomial[r], Outcome{n, 0, 0, static_cast<int64_t>(r)});
      return d;
    }));
  }
  return m;
}

TrialOutcome TrialModel::Simulate(uint64_t seed, uint64_t trial,
                                  int64_t* engagements) const {
  Pcg32 rng = TrialRng(seed, trial);
  Outcome sum = fixed_;
  for (uint32_t u : units_) {
    const Table& t = tables_[u];
    sum += t.outcomes[t.sampler.Sample(rng)];
  }
  TrialOutcome out;
  out.victim_destroyed = sum.victim_destroyed;
  out.victim_surviving = victim_warheads_ - sum.victim_destroyed;
  out.victim_arriving = sum.victim_arriving;
  out.striker_arriving = sum.striker_arriving;
  if (engagements != nullptr) *engagements += sum.engagements;
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
  // Each thread counts its engagements locally and stores the total once:
  // no shared counter in the trial loop. Trials are handed out in chunks
  // from one atomic counter, so a thread slowed by other processes on the
  // machine runs fewer of them; a trial's outcome goes to its own slot, so
  // which thread ran it changes nothing.
  std::vector<int64_t> engagements(static_cast<size_t>(threads), 0);
  std::atomic<int64_t> next_trial{0};
  std::optional<TrialModel> model;
  auto run_block = [&](int64_t th) {
    constexpr int64_t kChunk = 64;
    int64_t e = 0;
    for (;;) {
      const int64_t begin =
          next_trial.fetch_add(kChunk, std::memory_order_relaxed);
      if (begin >= options.trials) break;
      const int64_t end = std::min(begin + kChunk, options.trials);
      for (int64_t t = begin; t < end; ++t) {
        outcomes[static_cast<size_t>(t)] =
            model->Simulate(options.seed, static_cast<uint64_t>(t), &e);
      }
    }
    engagements[static_cast<size_t>(th)] = e;
  };
  Status made;
  {
    // Threads 1.. started before the tables are built, so that starting
    // them overlaps building; thread 0 is this one.
    std::latch ready(1);
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<size_t>(threads - 1));
    for (int64_t th = 1; th < threads; ++th) {
      pool.emplace_back([&, th] {
        ready.wait();
        if (model.has_value()) run_block(th);
      });
    }
    auto m = TrialModel::Make(plan, w);
    if (m.ok()) {
      model.emplace(std::move(m).value());
    } else {
      made = m.status();
    }
    ready.count_down();  // publishes `model` to the waiting threads
    if (model.has_value()) run_block(0);
  }  // jthreads join here
  if (!made.ok()) return made;
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
