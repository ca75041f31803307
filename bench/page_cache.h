// ReadFileOnce: reads a whole file once, so that a benchmark measures work
// on a file held in the operating system's page cache (as the benchmarks'
// cached inputs are on the development machine, which has room for them)
// rather than the first disk read of each page, which depends on what ran
// before. Page cache is not the process's memory: it does not count in a
// benchmark's peak_rss_MiB.
//
// Stateless; thread-safe.
#ifndef DETENTE_BENCH_PAGE_CACHE_H_
#define DETENTE_BENCH_PAGE_CACHE_H_

#include <cstdio>
#include <filesystem>
#include <vector>

#include "detente/base/status.h"

namespace detente {

inline Status ReadFileOnce(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(path.string());
  std::vector<char> buf(size_t{1} << 20);
  while (std::fread(buf.data(), 1, buf.size(), f) == buf.size()) {
  }
  std::fclose(f);
  return Status::Ok();
}

}  // namespace detente

#endif  // DETENTE_BENCH_PAGE_CACHE_H_
