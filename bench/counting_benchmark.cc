// Counting engine throughput: items counted per second for New START's three
// central limits, beside a hand-written loop that counts the same items for
// the same limits (the reference: what the generic, spec-driven engine costs
// over code written for one treaty). Also spec loading beside a bare toml++
// parse of the same file.
#include <benchmark/benchmark.h>
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "bench/ratio_reporter.h"
#include "detente/base/csv.h"
#include "detente/registry/counting.h"
#include "detente/treaty/loader.h"

namespace detente {
namespace {

const std::string& SpecPath() {
  static const std::string p =
      std::string(DETENTE_SOURCE_DIR) + "/data/treaties/new-start.toml";
  return p;
}

const treaty::Spec& NewStart() {
  static const treaty::Spec s = *treaty::LoadSpecFile(SpecPath());
  return s;
}

// A SYNTHETIC item mix: categories and statuses in rotation, warheads 1-4.
registry::ItemSet MakeItems(int64_t n) {
  static const char* kCats[] = {"icbm", "slbm", "heavy_bomber", "icbm_launcher",
                                "slbm_launcher"};
  static const char* kStatus[] = {"deployed", "non_deployed", "deployed",
                                  "test"};
  registry::ItemSet set;
  for (int64_t i = 0; i < n; ++i) {
    registry::Item it;
    it.id = "ITEM-" + std::to_string(i);
    it.party = (i % 2 == 0) ? "US" : "RU";
    it.category = kCats[i % 5];
    it.status = kStatus[(i / 5) % 4];
    bool carries = it.category == "icbm" || it.category == "slbm";
    it.warheads = carries ? 1 + i % 4 : 0;
    (void)set.AddItem(std::move(it));
  }
  return set;
}

void BM_CountNewStart(benchmark::State& state) {
  registry::ItemSet set = MakeItems(state.range(0));
  const treaty::Spec& spec = NewStart();
  Date at = *Date::Parse("2019-01-01");
  for (auto _ : state) {
    auto checks = registry::CheckAll(spec, set, at);
    benchmark::DoNotOptimize(checks);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CountNewStart)->Arg(1000)->Arg(100000);

// The reference: the three limits hard-coded over the same items.
void BM_CountNewStart_Reference(benchmark::State& state) {
  registry::ItemSet set = MakeItems(state.range(0));
  for (auto _ : state) {
    int64_t dv[2] = {0, 0}, wh[2] = {0, 0}, ln[2] = {0, 0};
    for (const auto& [id, it] : set.items()) {
      int p = it.party == "US" ? 0 : 1;
      bool deployed = it.status == "deployed";
      bool nd = it.status == "non_deployed";
      if (it.category == "icbm" || it.category == "slbm") {
        if (deployed) {
          ++dv[p];
          wh[p] += it.warheads;
        }
      } else if (it.category == "heavy_bomber") {
        if (deployed) {
          ++dv[p];
          ++wh[p];
        }
        if (deployed || nd) ++ln[p];
      } else if (deployed || nd) {
        ++ln[p];
      }
    }
    benchmark::DoNotOptimize(dv);
    benchmark::DoNotOptimize(wh);
    benchmark::DoNotOptimize(ln);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CountNewStart_Reference)->Arg(1000)->Arg(100000);

void BM_LoadSpec(benchmark::State& state) {
  for (auto _ : state) {
    auto spec = treaty::LoadSpecFile(SpecPath());
    benchmark::DoNotOptimize(spec);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LoadSpec);

// The reference: toml++ parsing the same file, with no validation.
void BM_LoadSpec_Reference(benchmark::State& state) {
  for (auto _ : state) {
    toml::table t = toml::parse_file(SpecPath());
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LoadSpec_Reference);

}  // namespace
}  // namespace detente

DETENTE_BENCHMARK_MAIN();
