// Monte Carlo warhead engagements per second (issue 6, part 9): the
// stability engine's RunMonteCarlo on one thread beside a straightforward
// vectorised NumPy version of the same model (bench/reference/
// stability_mc.py, run with Debian's /usr/bin/python3) on the same plan,
// timed in the same run; on two threads beside one; and, for readers, on
// one thread beside the NumPy version with the engine's collapse of a
// shot's three draws into one (stability_mc.py --collapsed). The target is
// judged against the straightforward version.
//
// The plan: the bundled US posture of 1 Sept 2020 striking the bundled
// Russian posture of 2024 (data/postures), the whole greedy counterforce
// plan, default options. An engagement is one warhead simulated as the
// engine counts them (MonteCarloResult::engagements: each counterforce
// warhead fired at an aim point not yet killed, each surviving,
// untargetable and unused warhead). Both sides are credited with the
// engine's engagements per trial, so the ratio is a ratio of trials per
// second. The NumPy script reports its means, which must agree with the
// analytic model (or the reference is marked an error), so both are known
// to compute the same thing.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/ratio_reporter.h"
#include "detente/stability/damage.h"
#include "detente/stability/exchange.h"
#include "detente/stability/monte_carlo.h"
#include "detente/stability/weapons.h"

namespace {

namespace st = detente::stability;

constexpr int64_t kTrials = 2000;
constexpr uint64_t kSeed = 20260205;

const st::StrikePlan& Plan() {
  static const st::StrikePlan plan = [] {
    std::string data = std::string(DETENTE_SOURCE_DIR) + "/data";
    auto catalog = st::LoadWeaponsDir(data + "/weapons");
    auto a = st::LoadPostureFile(data + "/postures/us-new-start-2020.toml",
                                 *catalog);
    auto b = st::LoadPostureFile(data + "/postures/russia-2024.toml", *catalog);
    auto p = st::PlanCounterforce(*a, *b, st::ExchangeOptions{});
    return std::move(p).value();
  }();
  return plan;
}

// Engagements per trial of the engine on this plan and seed.
double EngagementsPerTrial() {
  static const double e = [] {
    st::MonteCarloOptions o{.seed = kSeed, .trials = kTrials, .threads = 1};
    auto r = st::RunMonteCarlo(Plan(), o);
    return static_cast<double>(r->engagements) / static_cast<double>(kTrials);
  }();
  return e;
}

void RunEngine(benchmark::State& state, int threads, int64_t trials = kTrials) {
  st::MonteCarloOptions o{.seed = kSeed, .trials = trials, .threads = threads};
  int64_t engagements = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto r = st::RunMonteCarlo(Plan(), o);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    engagements += r->engagements;
    benchmark::DoNotOptimize(r->victim_arriving.mean);
  }
  state.SetItemsProcessed(engagements);
}

void BM_MonteCarlo(benchmark::State& state) { RunEngine(state, 1); }
BENCHMARK(BM_MonteCarlo)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The plan in the script's format (bench/reference/stability_mc.py).
std::string WritePlan() {
  const st::StrikePlan& plan = Plan();
  const st::ExchangeOptions& o = plan.options;
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / "detente_stability_plan.txt";
  std::ofstream out(path);
  out.precision(17);
  for (const st::AimPoint& ap : plan.aim_points) {
    out << "aim " << ap.warheads << " "
        << ap.victim_reliability * plan.victim_penetration << "\n";
  }
  for (const st::Assignment& a : plan.assignments) {
    const st::WarheadType& t = plan.types[a.type];
    double lr = st::LethalRadiusMetres(
        t.yield_kt, plan.aim_points[a.aim_point].hardness_psi,
        o.lethal_radius_constant);
    out << "shot " << a.aim_point << " " << t.arrive << " " << a.clear << " "
        << st::SigmaFromCep(t.cep_m) << " " << lr << "\n";
  }
  for (const st::UntargetableGroup& g : plan.untargetable) {
    out << "group " << g.warheads << " "
        << g.reliability * plan.victim_penetration << "\n";
  }
  std::vector<int64_t> left(plan.types.size());
  for (size_t i = 0; i < plan.types.size(); ++i) left[i] = plan.types[i].count;
  for (const st::Assignment& a : plan.assignments) --left[a.type];
  for (size_t i = 0; i < plan.types.size(); ++i) {
    out << "left " << left[i] << " " << plan.types[i].arrive << "\n";
  }
  return path.string();
}

void RunReference(benchmark::State& state, bool collapsed) {
  const std::string plan_file = WritePlan();
  const st::ExchangeOutcome ev = st::ExpectedOutcome(
      Plan(), static_cast<int64_t>(Plan().assignments.size()));
  const std::string cmd =
      std::string("/usr/bin/python3 '") + DETENTE_SOURCE_DIR +
      "/bench/reference/stability_mc.py' '" + plan_file + "' " +
      std::to_string(kTrials) + " " + std::to_string(kSeed) +
      (collapsed ? " --collapsed" : "");
  double trials = 0;
  for (auto _ : state) {
    FILE* p = popen(cmd.c_str(), "r");
    std::string text;
    char buf[4096];
    size_t n;
    while (p != nullptr && (n = fread(buf, 1, sizeof buf, p)) > 0)
      text.append(buf, n);
    if (p == nullptr || pclose(p) != 0 || text.empty()) {
      state.SkipWithError("python3 reference failed (python3-numpy?)");
      return;
    }
    auto j = nlohmann::json::parse(text);
    // Same model: the means within 5% of the analytic values (2,000
    // trials put the standard error far below that).
    for (auto [key, want] :
         {std::pair{"victim_surviving_mean", ev.victim_surviving},
          std::pair{"victim_arriving_mean", ev.victim_arriving},
          std::pair{"striker_arriving_mean", ev.striker_arriving}}) {
      double got = j[key].get<double>();
      if (std::fabs(got - want) > 0.05 * want + 1.0) {
        state.SkipWithError((std::string("reference disagrees: ") + key + " " +
                             std::to_string(got) + " vs " +
                             std::to_string(want))
                                .c_str());
        return;
      }
    }
    state.SetIterationTime(j["seconds"].get<double>());
    trials += static_cast<double>(kTrials);
  }
  state.SetItemsProcessed(static_cast<int64_t>(trials * EngagementsPerTrial()));
}

void BM_MonteCarlo_Reference(benchmark::State& state) {
  RunReference(state, false);
}
BENCHMARK(BM_MonteCarlo_Reference)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The engine beside NumPy with the same collapse of a shot's draws: not a
// target, shown so that the straightforward ratio can be read fairly.
void BM_MonteCarloVsCollapsed(benchmark::State& state) { RunEngine(state, 1); }
BENCHMARK(BM_MonteCarloVsCollapsed)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
void BM_MonteCarloVsCollapsed_Reference(benchmark::State& state) {
  RunReference(state, true);
}
BENCHMARK(BM_MonteCarloVsCollapsed_Reference)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Two threads against one: the second thread's gain, at the 2,000 trials
// of the benchmarks above, at the CLI's default 10,000 and at 100,000 (a
// sweep point's or a convergence study's run; args: threads, trials). A run
// of 2,000 trials takes about 1.5 ms on one thread, so starting and joining
// a thread (0.1 to 0.2 ms on the development VM) is a visible part of it;
// at 100,000 it is not.
void BM_MonteCarloThreads(benchmark::State& state) {
  RunEngine(state, static_cast<int>(state.range(0)), state.range(1));
}
BENCHMARK(BM_MonteCarloThreads)
    ->Args({2, kTrials})
    ->Args({2, 10000})
    ->Args({2, 100000})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
void BM_MonteCarloThreads_Reference(benchmark::State& state) {
  RunEngine(state, 1, state.range(1));
}
BENCHMARK(BM_MonteCarloThreads_Reference)
    ->Args({2, kTrials})
    ->Args({2, 10000})
    ->Args({2, 100000})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

DETENTE_BENCHMARK_MAIN();
