#include "detente/compliance/witnesses.h"

namespace detente::compliance {

Result<std::vector<crypto::VerifierKey>> WitnessKeys(
    std::span<const crypto::VerifierKey> log_keys, std::string_view origin) {
  std::vector<crypto::VerifierKey> out;
  for (const crypto::VerifierKey& k : log_keys) {
    if (k.name() == origin) continue;
    DETENTE_ASSIGN_OR_RETURN(
        crypto::VerifierKey w,
        crypto::VerifierKey::Create(k.name(), crypto::KeyType::kCosignatureV1,
                                    k.public_key()));
    out.push_back(std::move(w));
  }
  return out;
}

std::optional<uint64_t> EarliestReceipt(const ledger::OpenedCheckpoint& cp) {
  std::optional<uint64_t> t;
  for (const crypto::VerifiedSignature& s : cp.cosignatures) {
    if (s.timestamp && (!t || *s.timestamp < *t)) t = s.timestamp;
  }
  return t;
}

std::optional<uint64_t> LatestReceipt(const ledger::OpenedCheckpoint& cp) {
  std::optional<uint64_t> t;
  for (const crypto::VerifiedSignature& s : cp.cosignatures) {
    if (s.timestamp && (!t || *s.timestamp > *t)) t = s.timestamp;
  }
  return t;
}

}  // namespace detente::compliance
