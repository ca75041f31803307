// Finding: a compliance finding — which rule, which party, when, how
// serious, in plain language — and its evidence: the log entries it rests
// on, each with a C2SP tlog-proof bundle proving its inclusion in a
// checkpoint that carries another party's cosignature, so that anyone can
// check the finding offline (verify.h) with nothing but the parties'
// verifier keys and the treaty spec.
//
// The finding file is JSON (docs/compliance.md): it is a container, never
// signed itself; everything that matters inside it is signed and proven.
//
// Values; thread-safe.
#ifndef DETENTE_COMPLIANCE_FINDING_H_
#define DETENTE_COMPLIANCE_FINDING_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"

namespace detente::compliance {

// Persistent (appears in finding files): do not rename entries.
enum class Severity { kInfo, kWarning, kViolation };
std::string_view SeverityName(Severity s);  // "info", "warning", "violation"

struct Evidence {
  std::string party;  // whose log
  uint64_t index = 0;
  std::string entry;  // the log entry's bytes (a signed notification)
  std::string proof;  // C2SP tlog-proof text; its checkpoint is cosigned
};

struct Finding {
  std::string id;  // stable: derived from rule, party, time and evidence
  std::string treaty;
  std::string rule;  // e.g. "limit-exceeded", "late-notification"
  std::string party;
  Instant time;
  Severity severity = Severity::kWarning;
  std::string text;
  // Rule-specific facts the verifier re-derives, e.g. limit, value, max.
  std::map<std::string, std::string> claim;
  std::vector<Evidence> evidence;
};

// Computes the id from the other fields (hex of the first 8 bytes of a
// SHA-256 over rule, party, time and the evidence references).
std::string ComputeFindingId(const Finding& f);

std::string FindingToJson(const Finding& f);  // pretty-printed
Result<Finding> FindingFromJson(std::string_view text);

}  // namespace detente::compliance

#endif  // DETENTE_COMPLIANCE_FINDING_H_
