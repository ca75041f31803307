// Checkpoint: a log's signed tree head in C2SP tlog-checkpoint form — a
// signed note (c2sp.org/signed-note) whose text is
//
//   <origin>\n
//   <tree size, decimal>\n
//   <base64 of the RFC 9162 root hash>\n
//   [<extension line>\n ...]
//
// signed by the log's Ed25519 key, whose name is the origin. A receiving
// party acknowledges it by adding a C2SP tlog-cosignature: that cosignature
// is the receipt. docs/log-format.md describes every byte that is signed.
//
// Also the two proof texts exchanged between logs:
//  - an inclusion proof bundle in C2SP tlog-proof form (offline-verifiable:
//    index, inclusion proof, the checkpoint with its cosignatures);
//  - a consistency proof in the form of a C2SP tlog-witness add-checkpoint
//    request ("old <size>", proof hashes, blank line, checkpoint).
//
// Values and free functions; thread-safe.
#ifndef DETENTE_LEDGER_CHECKPOINT_H_
#define DETENTE_LEDGER_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/keys.h"
#include "detente/crypto/note.h"
#include "detente/ledger/merkle_hash.h"

namespace detente::ledger {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // opaque, non-empty lines

  // The note text, byte for byte as signed.
  std::string Body() const;
  // Strict: origin non-empty; size decimal without leading zeros; root
  // base64 of exactly 32 bytes; every line newline-terminated; no empty
  // extension line.
  static Result<Checkpoint> ParseBody(std::string_view text);
};

// Signs the checkpoint's body with the log key (name must equal origin).
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                   const crypto::SignerKey& log_key);

struct OpenedCheckpoint {
  Checkpoint checkpoint;
  std::string note;  // as given
  crypto::VerifiedNote verified;
  // Cosignatures by `witnesses` that verified, with their timestamps.
  std::vector<crypto::VerifiedSignature> cosignatures;
};

// Verifies a checkpoint note: it must carry a valid signature by `log_key`
// and its origin must be the key's name. Signatures by `witnesses` are
// verified and returned; signatures by other keys are ignored (C2SP
// signed-note). Errors name what is wrong: malformed note, no signature by
// the log key, bad signature, checkpoint of another origin.
Result<OpenedCheckpoint> OpenCheckpoint(
    std::string_view note, const crypto::VerifierKey& log_key,
    std::span<const crypto::VerifierKey> witnesses = {});

// C2SP tlog-proof v1: an offline-verifiable proof that `entry` is at
// `index` in the checkpointed tree.
struct ProofBundle {
  std::optional<std::vector<uint8_t>> extra;
  uint64_t index = 0;
  std::vector<Hash> proof;
  std::string checkpoint;  // the signed (and maybe cosigned) note
};
std::string FormatProofBundle(const ProofBundle& bundle);
Result<ProofBundle> ParseProofBundle(std::string_view text);

// Checks a bundle offline: the checkpoint verifies under `log_key`, at least
// `min_cosignatures` of `witnesses` cosigned it, and the inclusion proof of
// `entry` at the bundle's index verifies against its root.
Result<OpenedCheckpoint> VerifyProofBundle(
    const ProofBundle& bundle, std::span<const uint8_t> entry,
    const crypto::VerifierKey& log_key,
    std::span<const crypto::VerifierKey> witnesses = {},
    size_t min_cosignatures = 0);

// A consistency proof from `old_size` to the size of `checkpoint`, in the
// body format of a C2SP tlog-witness add-checkpoint request.
struct ConsistencyRequest {
  uint64_t old_size = 0;
  std::vector<Hash> proof;
  std::string checkpoint;
};
std::string FormatConsistencyRequest(const ConsistencyRequest& request);
Result<ConsistencyRequest> ParseConsistencyRequest(std::string_view text);

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_CHECKPOINT_H_
