#include "detente/cli/cli_util.h"

#include <chrono>
#include <ostream>

#include "detente/cli/table.h"
#include "detente/treaty/catalog.h"
#include "detente/treaty/loader.h"

namespace detente::cli {

int Fail(Streams io, const Status& s, int code) {
  io.err << "detente: " << s.message() << "\n";
  return code;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += sep;
    s += v[i];
  }
  return s;
}

std::string DataDir(const CommonOptions& common) {
  return common.data_dir.empty() ? treaty::DefaultDataDir() : common.data_dir;
}

std::optional<treaty::Spec> LoadSpecOrReport(const CommonOptions& common,
                                             const std::string& name,
                                             Streams io) {
  Result<std::string> path = treaty::ResolveSpecPath(name, DataDir(common));
  if (!path.ok()) {
    io.err << "detente: " << path.status().message() << "\n";
    return std::nullopt;
  }
  Result<treaty::Spec> spec = treaty::LoadSpecFile(*path);
  if (!spec.ok()) {
    io.err << "detente: " << *path << " is not a valid spec:\n"
           << spec.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(spec).value();
}

std::string LimitText(const treaty::Limit& limit) {
  if (limit.max && limit.min) {
    return Thousands(*limit.min) + "–" + Thousands(*limit.max);
  }
  if (limit.max) {
    return *limit.max == 0 ? "0 (ban)" : "≤ " + Thousands(*limit.max);
  }
  if (limit.min) return "≥ " + Thousands(*limit.min);
  return "—";
}

Date TodayGmt() {
  auto now = std::chrono::system_clock::now();
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  return Instant::FromUnixSeconds(secs.count()).date();
}

}  // namespace detente::cli
