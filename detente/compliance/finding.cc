#include "detente/compliance/finding.h"

#include <nlohmann/json.hpp>

#include "detente/crypto/encoding.h"
#include "detente/crypto/sha256.h"
#include "fmt/format.h"

namespace detente::compliance {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kViolation:
      return "violation";
  }
  return "unknown";
}

std::string ComputeFindingId(const Finding& f) {
  std::string material = fmt::format("{}\n{}\n{}\n{}\n", f.rule, f.party,
                                     f.time.ToString(), f.treaty);
  for (const Evidence& e : f.evidence) {
    material += fmt::format("{}:{}\n", e.party, e.index);
  }
  crypto::Sha256Digest d = crypto::Sha256(material);
  return crypto::HexEncode(std::span<const uint8_t>(d.data(), 8));
}

std::string FindingToJson(const Finding& f) {
  nlohmann::json ev = nlohmann::json::array();
  for (const Evidence& e : f.evidence) {
    ev.push_back({{"party", e.party},
                  {"index", e.index},
                  {"entry", crypto::Base64Encode(crypto::AsBytes(e.entry))},
                  {"proof", e.proof}});
  }
  nlohmann::json j = {{"format", "detente-finding-v1"},
                      {"id", f.id},
                      {"treaty", f.treaty},
                      {"rule", f.rule},
                      {"party", f.party},
                      {"time", f.time.ToString()},
                      {"severity", SeverityName(f.severity)},
                      {"text", f.text},
                      {"claim", f.claim},
                      {"evidence", ev}};
  return j.dump(2) + "\n";
}

Result<Finding> FindingFromJson(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidArgument(
        fmt::format("finding: not valid JSON: {}", e.what()));
  }
  auto str = [&](const char* key) -> Result<std::string> {
    if (!j.contains(key) || !j[key].is_string()) {
      return Status::InvalidArgument(
          fmt::format("finding: '{}' missing or not a string", key));
    }
    return j[key].get<std::string>();
  };
  if (!j.is_object()) return Status::InvalidArgument("finding: not an object");
  DETENTE_ASSIGN_OR_RETURN(std::string format, str("format"));
  if (format != "detente-finding-v1") {
    return Status::InvalidArgument(
        fmt::format("finding: unknown format '{}'", format));
  }
  Finding f;
  DETENTE_ASSIGN_OR_RETURN(f.id, str("id"));
  DETENTE_ASSIGN_OR_RETURN(f.treaty, str("treaty"));
  DETENTE_ASSIGN_OR_RETURN(f.rule, str("rule"));
  DETENTE_ASSIGN_OR_RETURN(f.party, str("party"));
  DETENTE_ASSIGN_OR_RETURN(f.text, str("text"));
  DETENTE_ASSIGN_OR_RETURN(std::string time, str("time"));
  DETENTE_ASSIGN_OR_RETURN(f.time, Instant::Parse(time));
  DETENTE_ASSIGN_OR_RETURN(std::string sev, str("severity"));
  if (sev == "info") {
    f.severity = Severity::kInfo;
  } else if (sev == "warning") {
    f.severity = Severity::kWarning;
  } else if (sev == "violation") {
    f.severity = Severity::kViolation;
  } else {
    return Status::InvalidArgument(
        fmt::format("finding: unknown severity '{}'", sev));
  }
  if (j.contains("claim")) {
    if (!j["claim"].is_object()) {
      return Status::InvalidArgument("finding: 'claim' is not an object");
    }
    for (auto it = j["claim"].begin(); it != j["claim"].end(); ++it) {
      if (!it.value().is_string()) {
        return Status::InvalidArgument(
            fmt::format("finding: claim '{}' is not a string", it.key()));
      }
      f.claim[it.key()] = it.value().get<std::string>();
    }
  }
  if (!j.contains("evidence") || !j["evidence"].is_array()) {
    return Status::InvalidArgument("finding: 'evidence' missing");
  }
  for (size_t i = 0; i < j["evidence"].size(); ++i) {
    const auto& e = j["evidence"][i];
    std::string where = fmt::format("finding: evidence[{}]", i);
    if (!e.is_object() || !e.contains("party") || !e["party"].is_string() ||
        !e.contains("index") || !e["index"].is_number_unsigned() ||
        !e.contains("entry") || !e["entry"].is_string() ||
        !e.contains("proof") || !e["proof"].is_string()) {
      return Status::InvalidArgument(
          where + ": needs party, index, entry (base64) and proof");
    }
    Evidence ev;
    ev.party = e["party"].get<std::string>();
    ev.index = e["index"].get<uint64_t>();
    Result<std::vector<uint8_t>> bytes =
        crypto::Base64Decode(e["entry"].get<std::string>());
    if (!bytes.ok()) {
      return Status::InvalidArgument(
          fmt::format("{}.entry: {}", where, bytes.status().message()));
    }
    ev.entry.assign(bytes->begin(), bytes->end());
    ev.proof = e["proof"].get<std::string>();
    f.evidence.push_back(std::move(ev));
  }
  return f;
}

}  // namespace detente::compliance
