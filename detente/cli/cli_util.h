// Helpers shared by the CLI commands: loading a spec by name with errors
// printed the way every command prints them, and small formatters.
// Stateless; thread-safe.
#ifndef DETENTE_CLI_CLI_UTIL_H_
#define DETENTE_CLI_CLI_UTIL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/cli/commands.h"
#include "detente/treaty/spec.h"

namespace detente::cli {

// Prints "detente: <message of s>" on io.err and returns `code`: how a
// command reports the error that ends it.
int Fail(Streams io, const Status& s, int code = kExitInput);

// The strings of `v` with `sep` between them.
std::string Join(const std::vector<std::string>& v, std::string_view sep);

// The data directory to use: the option, else treaty::DefaultDataDir().
std::string DataDir(const CommonOptions& common);

// Resolves and loads a spec, printing "detente: <error>" on failure.
std::optional<treaty::Spec> LoadSpecOrReport(const CommonOptions& common,
                                             const std::string& name,
                                             Streams io);

// "≤ 700", "1,700–2,200", "≥ 10", "0 (ban)".
std::string LimitText(const treaty::Limit& limit);

// Today's date in GMT.
Date TodayGmt();

}  // namespace detente::cli

#endif  // DETENTE_CLI_CLI_UTIL_H_
