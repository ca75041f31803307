// Conversions of specs and counting results to JSON for `--json` output.
// Only the forward declaration of nlohmann::json is included here; the
// heavy header stays in the .cc files.
#ifndef DETENTE_CLI_SPEC_JSON_H_
#define DETENTE_CLI_SPEC_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "detente/treaty/spec.h"

namespace detente::cli {

// The whole spec: identity, dates, parties, statuses, categories, limits with
// terms, notifications with deadlines, inspections, commission, parameters.
nlohmann::json SpecToJson(const treaty::Spec& spec);
nlohmann::json LimitToJson(const treaty::Limit& limit);

}  // namespace detente::cli

#endif  // DETENTE_CLI_SPEC_JSON_H_
