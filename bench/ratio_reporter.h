// RatioReporter: Google Benchmark's console output, followed by a table that
// puts each figure beside its reference measured in the same run.
//
// Convention: a benchmark named "BM_X/args" is paired with its reference
// "BM_X_Reference/args"; both report items_per_second
// (state.SetItemsProcessed). The table prints both rates and figure /
// reference.
//
// Used by every benchmark binary's main(); not thread-safe (one per process).
#ifndef DETENTE_BENCH_RATIO_REPORTER_H_
#define DETENTE_BENCH_RATIO_REPORTER_H_

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace detente::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end() && r.run_type == Run::RT_Iteration) {
        rates_[r.benchmark_name()] = it->second.value;
        order_.push_back(r.benchmark_name());
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Prints "figure  rate/s  reference rate/s  ratio" for every pair.
  void PrintRatios() const {
    int width = 46;  // the first column fits the longest name
    for (const std::string& name : order_) {
      width = std::max(width, static_cast<int>(name.size()));
    }
    std::printf("\n%-*s %16s %16s %8s\n", width, "figure (items/s)", "measured",
                "reference", "ratio");
    for (const std::string& name : order_) {
      std::string ref = ReferenceName(name);
      if (ref.empty()) continue;
      auto it = rates_.find(ref);
      if (it == rates_.end()) continue;
      double v = rates_.at(name);
      std::printf("%-*s %16.0f %16.0f %7.2fx\n", width, name.c_str(), v,
                  it->second, it->second > 0 ? v / it->second : 0.0);
    }
  }

 private:
  // "BM_X/1000" -> "BM_X_Reference/1000"; "" for references themselves.
  static std::string ReferenceName(const std::string& name) {
    if (name.find("_Reference") != std::string::npos) return "";
    size_t slash = name.find('/');
    std::string base = name.substr(0, slash);
    std::string rest = slash == std::string::npos ? "" : name.substr(slash);
    return base + "_Reference" + rest;
  }

  std::map<std::string, double> rates_;
  std::vector<std::string> order_;
};

}  // namespace detente::bench

// Defines main() for a benchmark binary that prints the ratio table.
#define DETENTE_BENCHMARK_MAIN()                              \
  int main(int argc, char** argv) {                           \
    benchmark::Initialize(&argc, argv);                       \
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) { \
      return 1;                                               \
    }                                                         \
    detente::bench::RatioReporter reporter;                   \
    benchmark::RunSpecifiedBenchmarks(&reporter);             \
    reporter.PrintRatios();                                   \
    benchmark::Shutdown();                                    \
    return 0;                                                 \
  }

#endif  // DETENTE_BENCH_RATIO_REPORTER_H_
