#include "detente/cli/synth_inputs.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/cli/cli_util.h"

namespace detente::cli {

int PrepareSynth(const CommonOptions& common, const treaty::Spec& spec,
                 const std::string& aggregates, uint64_t seed,
                 const std::string& out_dir, const std::string& until,
                 Streams io, SynthInputs* out) {
  std::string csv = aggregates;
  if (csv.empty()) {
    std::string stem = spec.id;
    std::replace(stem.begin(), stem.end(), '-', '_');
    csv = (std::filesystem::path(DataDir(common)) / "public" /
           (stem + "_aggregates.csv"))
              .string();
  }
  Result<registry::PublishedTable> table = registry::LoadPublished(csv, spec);
  if (!table.ok()) return Fail(io, table.status());
  out->table = *std::move(table);
  out->options = scenario::SynthOptions{};
  out->options.treaty_id = spec.id;
  out->options.seed = seed;
  out->options.out_dir = out_dir;
  if (!until.empty()) {
    Result<Date> d = Date::Parse(until);
    if (!d.ok()) {
      io.err << "detente: --until: " << d.status().message() << "\n";
      return kExitUsage;
    }
    out->options.until = *d;
  }
  return kExitOk;
}

int SynthFailed(const Status& s, Streams io) {
  return Fail(io, s,
              s.code() == StatusCode::kAlreadyExists ? kExitUsage : kExitInput);
}

nlohmann::json PartiesJson(const scenario::SynthReport& report) {
  nlohmann::json parties = nlohmann::json::array();
  for (const scenario::PartyReport& p : report.parties) {
    parties.push_back({{"party", p.party},
                       {"db", p.db_file},
                       {"vkey", p.vkey},
                       {"notifications", p.notifications},
                       {"by_type", p.by_type},
                       {"log_size", p.log_size},
                       {"checkpoints", p.checkpoints}});
  }
  return parties;
}

}  // namespace detente::cli
