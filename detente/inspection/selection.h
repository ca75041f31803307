// The reentry-vehicle inspection's random choice of one deployed missile,
// which neither party controls and anyone can recompute from the logs.
//
//   1. The inspected party commits to the ordered list of deployed missiles
//      at the designated site, with a secret 32-byte salt:
//        C = SHA-256("detente/inspection/rv-commit/v1\n" ||
//                    Encode({"facility": f, "inspection": id,
//                            "missiles": [m0, m1, ...], "party": p,
//                            "salt": s, "treaty": t}))
//      (Encode: the DTN1 value encoding, docs/record-format.md §1; s is the
//      salt as 64 lower-case hex digits, the string the reveal carries.)
//   2. The inspecting party, having seen C, contributes a 32-byte value R.
//   3. The inspected party reveals the list and the salt; C is recomputed.
//   4. The index of the designated missile in the list of n is drawn from
//        D_j = SHA-256("detente/inspection/rv-select/v1\n" || C || R ||
//                      u32be(j)),   j = 0, 1, 2, ...
//      (C and R raw 32-byte digests), read as four 64-bit big-endian words
//      x each: the first x >= (2^64 mod n) gives index = x mod n. Rejecting
//      the lowest 2^64 mod n values leaves a range whose size is a multiple
//      of n, so every index is equally likely (no modulo bias); a word is
//      rejected with probability below n / 2^64.
//
// The inspected party fixes the list before R exists and cannot change it
// afterwards; the inspecting party knows C but not the order hidden by the
// salt, so it cannot aim R at a missile. docs/inspection.md has the worked
// bytes. Pure functions; thread-safe.
#ifndef DETENTE_INSPECTION_SELECTION_H_
#define DETENTE_INSPECTION_SELECTION_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/sha256.h"

namespace detente::inspection {

inline constexpr std::string_view kRvCommitContext =
    "detente/inspection/rv-commit/v1\n";
inline constexpr std::string_view kRvSelectContext =
    "detente/inspection/rv-select/v1\n";

// What a commitment binds.
struct RvOpening {
  std::string treaty;
  std::string inspection;
  std::string party;                  // the inspected party
  std::string facility;               // the designated site
  std::vector<std::string> missiles;  // in the committed order
  std::string salt_hex;               // 64 lower-case hex digits
};

// The bytes hashed after kRvCommitContext.
std::string RvCommitmentBytes(const RvOpening& opening);
crypto::Sha256Digest RvCommitment(const RvOpening& opening);

// Exactly 64 lower-case hex digits → 32 bytes; InvalidArgument naming
// `what` otherwise (one spelling per value, as in the record format).
Result<crypto::Sha256Digest> ParseHex32(std::string_view hex,
                                        std::string_view what);

// The designated index in [0, n), derived as above.
// InvalidArgument when n is 0.
Result<size_t> SelectIndex(const crypto::Sha256Digest& commitment,
                           const crypto::Sha256Digest& random, size_t n);

// Missile ids as a reveal writes them: separated by commas, spaces around
// each ignored ("MM3-1, MM3-2"). Each is an identifier
// ([A-Za-z0-9][A-Za-z0-9._:/-]{0,63}); an empty entry or a repeated id is
// refused; an empty text is the empty list. InvalidArgument names the entry,
// prefixed by `what`.
Result<std::vector<std::string>> ParseMissileList(std::string_view text,
                                                  std::string_view what);
// The ids joined as ParseMissileList reads them: "MM3-1, MM3-2".
std::string JoinMissiles(const std::vector<std::string>& ids);

}  // namespace detente::inspection

#endif  // DETENTE_INSPECTION_SELECTION_H_
