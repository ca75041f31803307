#include "detente/stability/monte_carlo.h"

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "detente/stability/damage.h"
#include "detente/stability/random.h"
#include "detente/stability/stability_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace detente::stability {
namespace {

using testing::MakePosture;
using testing::System;

// A mixed exchange: MIRVed silos, a road-mobile force partly on alert,
// SSBNs in port; the striker has two warhead types.
struct Mixed {
  Posture a = MakePosture(
      "a",
      {{System("w87", Basing::kSilo, 1, 300, 120, 0.8, 2000), {60, 60}},
       {System("w76", Basing::kSubmarine, 4, 100, 90, 0.8, 315, 0.6, 0.9, 20),
        {40, 150}}});
  Posture b = MakePosture(
      "b",
      {{System("silo", Basing::kSilo, 4, 500, 150, 0.8, 3000), {30, 100}},
       {System("mob", Basing::kRoadMobile, 1, 800, 150, 0.75, 30, 0.3, 0.8, 7),
        {35, 35}},
       {System("ssbn", Basing::kSubmarine, 6, 100, 300, 0.8, 315, 0.2, 0.7, 16),
        {32, 120}}});
};

// The tolerance of the convergence tests: |MC mean - analytic| <= 4
// standard errors of the mean. With the seeds fixed the test is
// deterministic; a model mismatch (e.g. sigma = CEP / 0.675, the pitfall of
// reference §1.2) moves the mean by many standard errors.
void ExpectConverges(const Estimate& e, double analytic, const char* what) {
  EXPECT_NEAR(e.mean, analytic, 4.0 * e.std_error)
      << what << ": mean " << e.mean << " se " << e.std_error;
  EXPECT_LT(e.std_error, 0.05 * std::max(1.0, analytic)) << what;
}

TEST(StabilityMonteCarlo, MeanConvergesToTheAnalyticModel) {
  Mixed m;
  ExchangeOptions o;
  auto plan = PlanCounterforce(m.a, m.b, o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_GT(plan->assignments.size(), 50u);
  MonteCarloOptions mc;
  mc.seed = 20260205;
  mc.trials = 4000;
  auto r = RunMonteCarlo(*plan, mc);
  ASSERT_TRUE(r.ok()) << r.status();
  ExchangeOutcome ev =
      ExpectedOutcome(*plan, static_cast<int64_t>(plan->assignments.size()));
  ExpectConverges(r->victim_destroyed, ev.victim_destroyed, "destroyed");
  ExpectConverges(r->victim_surviving, ev.victim_surviving, "surviving");
  ExpectConverges(r->victim_arriving, ev.victim_arriving, "victim arriving");
  ExpectConverges(r->striker_arriving, ev.striker_arriving, "striker arriving");
  // The analytic value lies in the 95% interval.
  EXPECT_LE(r->victim_destroyed.ci_low, ev.victim_destroyed);
  EXPECT_GE(r->victim_destroyed.ci_high, ev.victim_destroyed);
}

TEST(StabilityMonteCarlo, ConvergesWithFratricideDefencesAndLaunchUnderAttack) {
  Mixed m;
  ExchangeOptions o;
  o.max_warheads_per_aim_point = 3;
  o.fratricide = Fratricide{true, 1, 0.75};
  o.victim_defences = {{2, 0.5, 0.65}};
  o.striker_defences = {{1, 0.9, 0.3}};
  o.victim_launch_under_attack = true;
  o.launch_under_attack_fraction = 0.4;
  auto plan = PlanCounterforce(m.a, m.b, o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  MonteCarloOptions mc;
  mc.seed = 7;
  mc.trials = 4000;
  mc.counterforce_warheads = 80;
  auto r = RunMonteCarlo(*plan, mc);
  ASSERT_TRUE(r.ok()) << r.status();
  ExchangeOutcome ev = ExpectedOutcome(*plan, 80);
  ExpectConverges(r->victim_destroyed, ev.victim_destroyed, "destroyed");
  ExpectConverges(r->victim_arriving, ev.victim_arriving, "victim arriving");
  ExpectConverges(r->striker_arriving, ev.striker_arriving, "striker arriving");
}

// One silo, one shot, SSPK 0.19019 (the §1.6 oracle): the kill frequency
// over 40,000 trials is within 4 standard errors (0.0078) of it.
TEST(StabilityMonteCarlo, SingleShotKillFrequencyMatchesTheOracle) {
  Posture a = MakePosture(
      "a", {{System("att", Basing::kSilo, 1, 750, 900, 1.0, 700), {1, 1}}});
  Posture b = MakePosture(
      "b", {{System("silo", Basing::kSilo, 1, 300, 120, 1.0, 700), {1, 1}}});
  auto plan = PlanCounterforce(a, b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  MonteCarloOptions mc;
  mc.seed = 1;
  mc.trials = 40000;
  auto r = RunMonteCarlo(*plan, mc);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->victim_destroyed.mean, 0.19019,
              4 * std::sqrt(0.19019 * 0.80981 / 40000));
}

// The collapse of a shot's three draws into one: the circular normal miss
// with sigma = CEP / sqrt(ln 4) falls within the lethal radius with the
// plan's SSPK (the engine draws the kill with probability arrive x clear x
// SSPK). Sampled geometrically for every distinct (type, hardness) of a
// plan; a wrong sigma (e.g. CEP / 0.675, the pitfall of reference §1.2)
// misses by many standard errors.
TEST(StabilityMonteCarlo, TheCollapsedKillIsTheCircularNormalOne) {
  Mixed m;
  auto plan = PlanCounterforce(m.a, m.b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  std::map<std::pair<size_t, double>, double> cases;
  for (const Assignment& a : plan->assignments) {
    cases[{a.type, plan->aim_points[a.aim_point].hardness_psi}] = a.sspk;
  }
  ASSERT_GE(cases.size(), 2u);
  Pcg32 rng = TrialRng(12, 0);
  for (const auto& [key, sspk] : cases) {
    const WarheadType& t = plan->types[key.first];
    const double sigma = SigmaFromCep(t.cep_m);
    const double lr = LethalRadiusMetres(t.yield_kt, key.second,
                                         plan->options.lethal_radius_constant);
    const int n = 100000;
    int hits = 0;
    for (int i = 0; i < n; ++i) {
      auto [x, y] = StandardNormalPair(rng);
      if ((x * sigma) * (x * sigma) + (y * sigma) * (y * sigma) <= lr * lr)
        ++hits;
    }
    EXPECT_NEAR(static_cast<double>(hits) / n, sspk,
                4 * std::sqrt(sspk * (1 - sspk) / n))
        << t.system << " at " << key.second << " psi";
  }
}

// The model drawn the long way, as documented warhead by warhead: arrival,
// clear skies and a circular normal miss for every shot at a standing aim
// point, launch under attack per killed silo, a Bernoulli for every
// surviving, untargetable and unused warhead. (The engine before it drew
// one table value per aim point.)
TrialOutcome WarheadByWarhead(const StrikePlan& plan, int64_t w, Pcg32& rng,
                              int64_t* engagements) {
  const ExchangeOptions& o = plan.options;
  std::vector<char> killed(plan.aim_points.size(), 0);
  std::vector<int64_t> left(plan.types.size());
  for (size_t ti = 0; ti < plan.types.size(); ++ti)
    left[ti] = plan.types[ti].count;
  for (int64_t k = 0; k < w; ++k) {
    const Assignment& a = plan.assignments[static_cast<size_t>(k)];
    --left[a.type];
    if (killed[a.aim_point]) continue;
    const WarheadType& t = plan.types[a.type];
    ++*engagements;
    bool arrived = Bernoulli(rng, t.arrive);
    bool clear = Bernoulli(rng, a.clear);
    auto [x, y] = StandardNormalPair(rng);
    double sigma = SigmaFromCep(t.cep_m);
    double lr = LethalRadiusMetres(t.yield_kt,
                                   plan.aim_points[a.aim_point].hardness_psi,
                                   o.lethal_radius_constant);
    if (arrived && clear &&
        (x * sigma) * (x * sigma) + (y * sigma) * (y * sigma) <= lr * lr) {
      killed[a.aim_point] = 1;
    }
  }
  TrialOutcome out;
  auto arrivals = [&](int64_t n, double p) {
    int64_t r = 0;
    for (int64_t h = 0; h < n; ++h) r += Bernoulli(rng, p) ? 1 : 0;
    *engagements += n;
    return r;
  };
  for (size_t i = 0; i < plan.aim_points.size(); ++i) {
    const AimPoint& ap = plan.aim_points[i];
    int64_t surviving = ap.warheads;
    if (killed[i] && !(ap.silo && o.victim_launch_under_attack &&
                       Bernoulli(rng, o.launch_under_attack_fraction))) {
      surviving = 0;
    }
    out.victim_destroyed += ap.warheads - surviving;
    out.victim_arriving +=
        arrivals(surviving, ap.victim_reliability * plan.victim_penetration);
  }
  for (const UntargetableGroup& g : plan.untargetable) {
    out.victim_arriving +=
        arrivals(g.warheads, g.reliability * plan.victim_penetration);
  }
  out.victim_surviving = plan.victim_warheads - out.victim_destroyed;
  for (size_t ti = 0; ti < plan.types.size(); ++ti)
    out.striker_arriving += arrivals(left[ti], plan.types[ti].arrive);
  return out;
}

// Two samples of equal size drawn from the same distribution? Pearson's
// two-sample chi-square over the values, values with fewer than 10 draws
// in both samples together pooled; true if below the 0.999 quantile
// (Wilson-Hilferty).
bool SameDistribution(const std::vector<int64_t>& x,
                      const std::vector<int64_t>& y, std::string* why) {
  std::map<int64_t, std::pair<double, double>> counts;
  for (int64_t v : x) counts[v].first += 1;
  for (int64_t v : y) counts[v].second += 1;
  double stat = 0;
  int bins = 0;
  double a = 0, b = 0;
  for (const auto& [v, c] : counts) {
    a += c.first;
    b += c.second;
    if (a + b >= 10) {
      stat += (a - b) * (a - b) / (a + b);
      ++bins;
      a = b = 0;
    }
  }
  if (a + b > 0) {
    stat += (a - b) * (a - b) / (a + b);
    ++bins;
  }
  const int df = bins - 1;
  if (df < 1) return true;  // one value only: identical if both have it
  const double v = 2.0 / (9.0 * df);
  const double q = df * std::pow(1.0 - v + 3.0902 * std::sqrt(v), 3);
  *why = "chi2 " + std::to_string(stat) + " df " + std::to_string(df) +
         " quantile " + std::to_string(q);
  return stat < q;
}

// The engine's draws have the distribution of the warhead-by-warhead
// model: every quantity of a trial, and the engagements, compared value
// by value over 20,000 trials each, for an exchange with fratricide,
// defences, launch under attack, untargetable and unused warheads.
TEST(StabilityMonteCarlo, SameDistributionAsWarheadByWarhead) {
  Posture a = MakePosture(
      "a",
      {{System("w87", Basing::kSilo, 1, 300, 300, 0.8, 2000), {9, 9}},
       {System("w76", Basing::kSubmarine, 4, 100, 90, 0.8, 315, 0.6, 0.9, 20),
        {2, 8}}});
  Posture b = MakePosture(
      "b",
      {{System("silo", Basing::kSilo, 3, 500, 150, 0.8, 1500), {3, 9}},
       {System("ssbn", Basing::kSubmarine, 4, 100, 300, 0.8, 315, 0.5, 0.7, 2),
        {4, 16}}});
  for (bool lua : {false, true}) {
    ExchangeOptions o;
    o.max_warheads_per_aim_point = 3;
    o.fratricide = Fratricide{true, 1, 0.75};
    o.victim_defences = {{1, 0.5, 0.3}};
    o.victim_launch_under_attack = lua;
    o.launch_under_attack_fraction = 0.4;
    auto plan = PlanCounterforce(a, b, o);
    ASSERT_TRUE(plan.ok()) << plan.status();
    ASSERT_GE(plan->assignments.size(), 8u);
    ASSERT_FALSE(plan->untargetable.empty());
    // Fratricide matters here: some shots fly through clouds often.
    double least_clear = 1;
    for (const Assignment& x : plan->assignments)
      least_clear = std::min(least_clear, x.clear);
    ASSERT_LT(least_clear, 0.8);
    const auto w = static_cast<int64_t>(plan->assignments.size()) - 1;
    auto model = TrialModel::Make(*plan, w);
    ASSERT_TRUE(model.ok()) << model.status();
    const int trials = 20000;
    std::vector<int64_t> ex[5], ey[5];
    for (int t = 0; t < trials; ++t) {
      int64_t e1 = 0, e2 = 0;
      TrialOutcome x = model->Simulate(3, static_cast<uint64_t>(t), &e1);
      Pcg32 rng = TrialRng(4, static_cast<uint64_t>(t));
      TrialOutcome y = WarheadByWarhead(*plan, w, rng, &e2);
      for (auto [v, d] : {std::pair{&x, &ex}, std::pair{&y, &ey}}) {
        (*d)[0].push_back(v->victim_destroyed);
        (*d)[1].push_back(v->victim_surviving);
        (*d)[2].push_back(v->victim_arriving);
        (*d)[3].push_back(v->striker_arriving);
      }
      ex[4].push_back(e1);
      ey[4].push_back(e2);
    }
    const char* names[] = {"destroyed", "surviving", "victim arriving",
                           "striker arriving", "engagements"};
    for (int q = 0; q < 5; ++q) {
      std::string why;
      EXPECT_TRUE(SameDistribution(ex[q], ey[q], &why))
          << names[q] << (lua ? " (launch under attack): " : ": ") << why;
    }
  }
}

bool SameBits(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; }

void ExpectIdentical(const MonteCarloResult& x, const MonteCarloResult& y) {
  ASSERT_EQ(x.trial_outcomes.size(), y.trial_outcomes.size());
  for (size_t i = 0; i < x.trial_outcomes.size(); ++i) {
    EXPECT_EQ(x.trial_outcomes[i].victim_destroyed,
              y.trial_outcomes[i].victim_destroyed);
    EXPECT_EQ(x.trial_outcomes[i].victim_arriving,
              y.trial_outcomes[i].victim_arriving);
    EXPECT_EQ(x.trial_outcomes[i].striker_arriving,
              y.trial_outcomes[i].striker_arriving);
  }
  for (auto f :
       {&MonteCarloResult::victim_destroyed,
        &MonteCarloResult::victim_surviving, &MonteCarloResult::victim_arriving,
        &MonteCarloResult::striker_arriving}) {
    EXPECT_TRUE(SameBits((x.*f).mean, (y.*f).mean));
    EXPECT_TRUE(SameBits((x.*f).std_dev, (y.*f).std_dev));
    EXPECT_TRUE(SameBits((x.*f).ci_low, (y.*f).ci_low));
  }
  EXPECT_EQ(x.engagements, y.engagements);
}

TEST(StabilityMonteCarlo, BitwiseIdenticalForOneTwoAndThreeThreads) {
  Mixed m;
  auto plan = PlanCounterforce(m.a, m.b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  MonteCarloOptions mc;
  mc.seed = 99;
  mc.trials = 301;  // not divisible by 2 or 3
  mc.keep_trials = true;
  mc.threads = 1;
  auto one = RunMonteCarlo(*plan, mc);
  mc.threads = 2;
  auto two = RunMonteCarlo(*plan, mc);
  mc.threads = 3;
  auto three = RunMonteCarlo(*plan, mc);
  ASSERT_TRUE(one.ok() && two.ok() && three.ok());
  ExpectIdentical(*one, *two);
  ExpectIdentical(*one, *three);
  // A trial is the same whichever run it belongs to.
  auto model = TrialModel::Make(*plan, one->counterforce_warheads);
  ASSERT_TRUE(model.ok()) << model.status();
  TrialOutcome t = model->Simulate(99, 150);
  EXPECT_EQ(t.victim_destroyed, one->trial_outcomes[150].victim_destroyed);
  EXPECT_EQ(t.victim_arriving, one->trial_outcomes[150].victim_arriving);
}

TEST(StabilityMonteCarlo, TheSeedMatters) {
  Mixed m;
  auto plan = PlanCounterforce(m.a, m.b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  MonteCarloOptions mc;
  mc.trials = 50;
  mc.seed = 1;
  auto x = RunMonteCarlo(*plan, mc);
  mc.seed = 2;
  auto y = RunMonteCarlo(*plan, mc);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_NE(x->victim_arriving.mean, y->victim_arriving.mean);
}

TEST(StabilityMonteCarlo, BadOptionsAreRefused) {
  Mixed m;
  auto plan = PlanCounterforce(m.a, m.b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  MonteCarloOptions mc;
  mc.trials = 1;
  EXPECT_THAT(std::string(RunMonteCarlo(*plan, mc).status().message()),
              ::testing::HasSubstr("trials: must be >= 2 (got 1)"));
  mc.trials = 10;
  mc.threads = 0;
  EXPECT_THAT(std::string(RunMonteCarlo(*plan, mc).status().message()),
              ::testing::HasSubstr("threads: must be >= 1"));
  mc.threads = 1;
  mc.counterforce_warheads = 100000;
  EXPECT_THAT(std::string(RunMonteCarlo(*plan, mc).status().message()),
              ::testing::HasSubstr("counterforce_warheads: 100000 exceeds"));
}

// A plan whose probabilities are not probabilities is refused, with any
// number of threads (the workers started before the tables were built
// stop without running).
TEST(StabilityMonteCarlo, APlanWithoutProbabilitiesIsRefused) {
  Mixed m;
  auto plan = PlanCounterforce(m.a, m.b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  plan->assignments[0].sspk = std::nan("");
  for (int threads : {1, 2}) {
    MonteCarloOptions mc;
    mc.seed = 1;
    mc.trials = 10;
    mc.threads = threads;
    auto r = RunMonteCarlo(*plan, mc);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(std::string(r.status().message()),
                ::testing::HasSubstr(
                    "assignment 0: kill probability nan is not in [0, 1]"));
  }
  // Only the shots used count: without the bad one the model is made.
  EXPECT_TRUE(TrialModel::Make(*plan, 0).ok());
  EXPECT_FALSE(TrialModel::Make(*plan, 1).ok());
  EXPECT_FALSE(TrialModel::Make(*plan, -1).ok());
}

}  // namespace
}  // namespace detente::stability
