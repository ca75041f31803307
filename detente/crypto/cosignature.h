// Timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature, type 0x04):
// the receipt a party gives for another party's checkpoint.
//
// A cosignature is an ordinary signed-note signature line on the checkpoint
// note, by a kCosignatureV1 key (key id computed with type byte 0x04), whose
// signature bytes are
//
//   8-byte big-endian timestamp (POSIX seconds, at most 2^63 - 1)
//   || Ed25519 signature of:  "cosignature/v1\n"
//                             "time <timestamp in decimal>\n"
//                             <the checkpoint text, with its final newline>
//
// It states that, at that time, this was the largest consistent tree the
// cosigner had seen for the log. The Ed25519 message does not commit to the
// cosigner's name, so one key must serve one cosigner only.
//
// The caller supplies the timestamp (its clock, not ours), and verifies the
// checkpoint before cosigning it. All functions are pure and thread-safe.
#ifndef DETENTE_CRYPTO_COSIGNATURE_H_
#define DETENTE_CRYPTO_COSIGNATURE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "detente/base/result.h"
#include "detente/crypto/keys.h"
#include "detente/crypto/note.h"

namespace detente::crypto {

// Timestamp (8) || Ed25519 signature (64).
inline constexpr size_t kCosignatureV1Size = 72;
inline constexpr uint64_t kMaxCosignatureTimestamp = (uint64_t{1} << 63) - 1;

// The message an Ed25519 cosigner signs. InvalidArgument when `timestamp`
// exceeds 2^63 - 1 or `checkpoint_text` is not a note text of at least
// three lines (origin, tree size, root hash).
Result<std::string> CosignatureV1Message(std::string_view checkpoint_text,
                                         uint64_t timestamp);

// The cosignature line `cosigner` (a kCosignatureV1 key) makes for
// `checkpoint_text` at `timestamp`; add it to the checkpoint note with
// AddSignatures.
Result<NoteSignature> Cosign(std::string_view checkpoint_text,
                             const SignerKey& cosigner, uint64_t timestamp);

// Verifies `signature` (the bytes after the key id) by `cosigner` (a
// kCosignatureV1 key) over `checkpoint_text`; returns the timestamp it
// carries. InvalidArgument says why it is refused.
Result<uint64_t> VerifyCosignature(const VerifierKey& cosigner,
                                   std::string_view checkpoint_text,
                                   std::span<const uint8_t> signature);

// The timestamp in a cosignature's bytes, without verifying it.
// InvalidArgument unless `signature` is kCosignatureV1Size bytes with a
// timestamp of at most 2^63 - 1.
Result<uint64_t> CosignatureTimestamp(std::span<const uint8_t> signature);

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_COSIGNATURE_H_
