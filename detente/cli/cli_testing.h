// What the CLI's end-to-end tests share: running the real `detente` binary
// from a directory, as a user would from a shell, and capturing its output
// and exit code. Test-only; each call starts one process; thread-safe.
#ifndef DETENTE_CLI_CLI_TESTING_H_
#define DETENTE_CLI_CLI_TESTING_H_

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace detente::cli {

struct RunResult {
  int code = -1;  // the exit code; -1 when the process did not exit
  std::string out;
};

// Runs `detente ARGS` (a shell command line: quote what needs quoting) in
// `dir`, with stderr merged into the output, or discarded.
inline RunResult RunDetente(const std::filesystem::path& dir,
                            const std::string& args, bool merge_stderr = true) {
  std::string cmd = "cd '" + dir.string() + "' && '" + DETENTE_BINARY_DIR +
                    "/bin/detente' " + args +
                    (merge_stderr ? " 2>&1" : " 2>/dev/null");
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) {
    r.out.append(buf.data(), n);
  }
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace detente::cli

#endif  // DETENTE_CLI_CLI_TESTING_H_
