// Receipts on checkpoints: which keys count as another party's
// acknowledgement of a log, and the times they carry. Shared by the
// compliance pass (checker.h) and offline verification (verify.h).
//
// Pure functions over borrowed inputs; thread-safe.
#ifndef DETENTE_COMPLIANCE_WITNESSES_H_
#define DETENTE_COMPLIANCE_WITNESSES_H_

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/checkpoint.h"

namespace detente::compliance {

// The cosigner keys whose signatures on checkpoints of log `origin` are
// receipts: every party's key in `log_keys` except the log's own, as a
// cosignature/v1 key of the same name and public key (the witness key a
// party derives from its seed; docs/compliance.md).
Result<std::vector<crypto::VerifierKey>> WitnessKeys(
    std::span<const crypto::VerifierKey> log_keys, std::string_view origin);

// The earliest and the latest receipt time (Unix seconds) on an opened
// checkpoint; none when no witness cosigned it with a timestamp.
std::optional<uint64_t> EarliestReceipt(const ledger::OpenedCheckpoint& cp);
std::optional<uint64_t> LatestReceipt(const ledger::OpenedCheckpoint& cp);

}  // namespace detente::compliance

#endif  // DETENTE_COMPLIANCE_WITNESSES_H_
