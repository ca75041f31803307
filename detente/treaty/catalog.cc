#include "detente/treaty/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "fmt/format.h"

#ifndef DETENTE_DATA_DIR
#error "DETENTE_DATA_DIR must be defined by the build (see CMakeLists.txt)"
#endif

namespace detente::treaty {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExtension = ".toml";

bool IsRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

}  // namespace

std::string DefaultDataDir() {
  const char* env = std::getenv("DETENTE_DATA_DIR");
  if (env != nullptr && env[0] != '\0') return env;
  return DETENTE_DATA_DIR;
}

Result<std::vector<std::string>> ListSpecFiles(const std::string& data_dir) {
  fs::path dir = fs::path(data_dir) / "treaties";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(
        fmt::format("no treaty directory '{}'", dir.string()));
  }
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == kExtension && IsRegularFile(p)) {
      paths.push_back(p.string());
    }
  }
  if (ec) {
    return Status::IOError(
        fmt::format("cannot list '{}': {}", dir.string(), ec.message()));
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

Result<std::string> ResolveSpecPath(std::string_view name_or_path,
                                    const std::string& data_dir) {
  std::string given(name_or_path);
  if (!given.empty() && IsRegularFile(given)) return given;

  std::string name = given;
  if (name.ends_with(kExtension)) name.resize(name.size() - kExtension.size());
  // A name is a bare file stem; anything with a directory in it was meant
  // as a path, and that path does not exist.
  bool is_name = !name.empty() && name.find('/') == std::string::npos &&
                 name != "." && name != "..";
  if (is_name) {
    fs::path candidate =
        fs::path(data_dir) / "treaties" / (name + std::string(kExtension));
    if (IsRegularFile(candidate)) return candidate.string();
  }

  std::vector<std::string> names;
  if (Result<std::vector<std::string>> files = ListSpecFiles(data_dir);
      files.ok()) {
    for (const std::string& f : *files) {
      names.push_back(fs::path(f).stem().string());
    }
  }
  std::string available;
  for (const std::string& n : names) {
    if (!available.empty()) available += ", ";
    available += n;
  }
  if (available.empty()) {
    available = fmt::format("none in {}/treaties", data_dir);
  }
  return Status::NotFound(fmt::format("no treaty spec '{}' (available: {})",
                                      name_or_path, available));
}

Result<Spec> LoadSpecByName(std::string_view name_or_path,
                            const std::string& data_dir,
                            std::vector<SpecError>* errors) {
  if (errors != nullptr) errors->clear();
  DETENTE_ASSIGN_OR_RETURN(std::string path,
                           ResolveSpecPath(name_or_path, data_dir));
  return LoadSpecFile(path, errors);
}

}  // namespace detente::treaty
