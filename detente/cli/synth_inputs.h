// What `detente synth` and `detente replay` share: the published aggregates
// they reproduce, the synthesis options from the command line, and the
// per-party summary they print. Stateless; each call owns what it returns.
#ifndef DETENTE_CLI_SYNTH_INPUTS_H_
#define DETENTE_CLI_SYNTH_INPUTS_H_

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "detente/cli/commands.h"
#include "detente/registry/published.h"
#include "detente/scenario/synth.h"
#include "detente/treaty/spec.h"

namespace detente::cli {

struct SynthInputs {
  registry::PublishedTable table;
  scenario::SynthOptions options;
};

// Loads `aggregates` (empty: <data>/public/<treaty id, '-' as '_'>
// _aggregates.csv) and fills the options from seed, out_dir and until (a
// date, or empty for the whole table). On an error prints "detente: ..." on
// io.err and returns the exit code (kExitUsage for a bad --until, else
// kExitInput); kExitOk when *out is filled.
int PrepareSynth(const CommonOptions& common, const treaty::Spec& spec,
                 const std::string& aggregates, uint64_t seed,
                 const std::string& out_dir, const std::string& until,
                 Streams io, SynthInputs* out);

// The exit code for a failed synthesis: kExitUsage when the output
// directory already holds logs, else kExitInput. Prints the error.
int SynthFailed(const Status& s, Streams io);

// One JSON object per party written: party, db, vkey, notifications,
// by_type, log_size, checkpoints.
nlohmann::json PartiesJson(const scenario::SynthReport& report);

}  // namespace detente::cli

#endif  // DETENTE_CLI_SYNTH_INPUTS_H_
