// Signed notes (c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/
// note): a text signed by one or more named keys. Checkpoints and their
// cosignatures (detente/ledger) are signed notes.
//
//   <text, ending in a newline>
//   <blank line>
//   — <key name> <base64(4-byte big-endian key id || signature)>
//   — ...
//
// The text is separated from the signatures by the LAST blank line; the
// signature lines start with an em dash (U+2014) and a space. The whole note
// must be valid UTF-8 without ASCII control characters other than newline.
//
// Verification follows the spec: a signature whose (name, key id) matches
// no known key is ignored (reported as unverified); one that matches a known
// key must verify, or the whole note is rejected; and at least one signature
// by a known key must verify. Ed25519 signatures (type 0x01) are checked
// under the rule of ed25519.h; cosignature/v1 signatures (type 0x04) as
// cosignature.h describes. docs/signatures.md has the details.
//
// Stricter than Go's sumdb/note in two ways, both of which only refuse
// notes no conforming signer produces: base64 must be canonical (see
// encoding.h), and every signature by a known key is verified, including a
// repeated one (Go skips repeats unchecked).
//
// Notes, signatures and results are plain values. All functions are pure
// and thread-safe.
#ifndef DETENTE_CRYPTO_NOTE_H_
#define DETENTE_CRYPTO_NOTE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/status.h"
#include "detente/crypto/keys.h"

namespace detente::crypto {

// Verifiers must accept at least 16 (spec); Go refuses more than 100.
inline constexpr size_t kMaxNoteSignatures = 100;

// One signature line of a note.
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  // The bytes after the key id: 64 for Ed25519, 72 (timestamp || Ed25519)
  // for cosignature/v1; other types may appear from unknown keys.
  std::vector<uint8_t> signature;

  // "— <name> <base64(key id || signature)>\n".
  std::string Line() const;

  friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

// A note as written, verified or not.
struct Note {
  std::string text;  // includes its final newline
  std::vector<NoteSignature> signatures;
};

// OK when `text` can be the text of a note: it ends in a newline, is valid
// UTF-8 and holds no ASCII control character other than newline.
// InvalidArgument names the line and what is wrong.
Status ValidateNoteText(std::string_view text);

// Splits a note into text and signature lines and checks their syntax;
// verifies no signature. InvalidArgument names the line and what is wrong:
// no blank line, a line not starting with "— ", a bad key name, bad base64,
// a signature shorter than 5 bytes, more than kMaxNoteSignatures lines.
Result<Note> ParseNote(std::string_view note);

// The bytes of `note`: text, blank line, one line per signature in order.
// InvalidArgument when the result would not parse (bad text, no
// signatures, too many, a bad name, an empty signature).
Result<std::string> FormatNote(const Note& note);

// The signature line a kEd25519 key makes over `text`. A kCosignatureV1 key
// is refused: cosignatures carry a timestamp, see Cosign in cosignature.h.
Result<NoteSignature> SignNoteText(std::string_view text,
                                   const SignerKey& signer);

// `text` signed by each of `signers` (kEd25519 keys), in order, as a note.
Result<std::string> SignNote(std::string_view text,
                             const std::vector<const SignerKey*>& signers);
Result<std::string> SignNote(std::string_view text, const SignerKey& signer);

// `note` with `signatures` added after its own. A signature with the same
// name and key id as one already present replaces it (as Go's note.Sign
// does), so re-cosigning a checkpoint refreshes rather than duplicates.
// Verifies nothing.
Result<std::string> AddSignatures(std::string_view note,
                                  std::span<const NoteSignature> signatures);

// Checks one signature, made by `key` over note `text`. For a
// kCosignatureV1 key, stores the signed timestamp in *timestamp when that is
// non-null. InvalidArgument says why a signature is refused.
Status VerifyNoteSignature(const VerifierKey& key, std::string_view text,
                           std::span<const uint8_t> signature,
                           uint64_t* timestamp = nullptr);

struct VerifiedSignature {
  NoteSignature signature;
  KeyType type = KeyType::kEd25519;
  // The cosigner's timestamp (POSIX seconds), for kCosignatureV1 only.
  std::optional<uint64_t> timestamp;
};

struct VerifiedNote {
  std::string text;
  // One per known key whose signature verified, in note order.
  std::vector<VerifiedSignature> verified;
  // Signatures by unknown keys, ignored; identical lines kept once.
  std::vector<NoteSignature> unverified;

  // The verified signature by `key`, or null.
  const VerifiedSignature* Find(const VerifierKey& key) const;
};

// Parses `note` and verifies it against the known `verifiers`.
// InvalidArgument: malformed note, ambiguous verifiers (two different keys
// with one name and key id), or a signature by a known key that does not
// verify (naming the key and line). NotFound: no signature by any known
// key, naming the keys that did sign.
Result<VerifiedNote> VerifyNote(std::string_view note,
                                std::span<const VerifierKey> verifiers);

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_NOTE_H_
