// The detente command line: one Run* function per subcommand, each taking a
// plain options struct filled by main.cc (the only file that includes
// CLI11, to keep compile times down) and writing to the given streams.
//
// Exit codes (docs/cli.md):
//   0  success; for checks: everything checked is within the rules
//   1  a check failed: an invalid spec (treaty check), a binding limit
//      exceeded (count, history)
//   2  usage error: unknown command, missing or malformed argument
//   3  input error: a file that cannot be read or is not valid
//
// Functions are reentrant; they share no state.
#ifndef DETENTE_CLI_COMMANDS_H_
#define DETENTE_CLI_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace detente::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInput = 3;

enum class OutputFormat { kTable, kJson, kCsv };

struct CommonOptions {
  std::string data_dir;  // empty: treaty::DefaultDataDir()
  OutputFormat format = OutputFormat::kTable;
};

struct Streams {
  std::ostream& out;
  std::ostream& err;
};

int RunTreatyList(const CommonOptions& common, Streams io);

struct TreatyShowOptions {
  std::string name;  // a bundled spec's id or a path to a .toml file
};
int RunTreatyShow(const CommonOptions& common, const TreatyShowOptions& opts,
                  Streams io);

struct TreatyCheckOptions {
  std::vector<std::string> files;
};
int RunTreatyCheck(const CommonOptions& common, const TreatyCheckOptions& opts,
                   Streams io);

struct CountOptions {
  std::string treaty;
  std::string items_file;
  std::string at;  // YYYY-MM-DD; empty: today (GMT)
};
int RunCount(const CommonOptions& common, const CountOptions& opts, Streams io);

struct HistoryOptions {
  std::string treaty = "new-start";
  std::string data_file;  // empty: <data_dir>/public/<treaty>_aggregates.csv
};
int RunHistory(const CommonOptions& common, const HistoryOptions& opts,
               Streams io);

}  // namespace detente::cli

#endif  // DETENTE_CLI_COMMANDS_H_
