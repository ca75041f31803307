// Named Ed25519 keys in the text encodings of C2SP signed-note and
// golang.org/x/mod/sumdb/note, so that keys interoperate with Go tools
// (sumdb, transparency-dev witnesses) — and the private key file that holds
// a signer key.
//
//   verifier key (public): <name>+<key id>+<base64(type || 32-byte key)>
//   signer key (secret):   PRIVATE+KEY+<name>+<key id>+<base64(type || seed)>
//   key id = first 4 bytes, big-endian, of
//            SHA-256(name || 0x0A || type || 32-byte public key)
//
// The key id is always that of the PUBLIC key, in both encodings. `type` is
// the signed-note signature type: 0x01 for plain Ed25519 note signatures
// (checkpoints), 0x04 for timestamped tlog-cosignature/v1 cosignatures. A
// key file holds one signer key line, mode 0600. docs/signatures.md
// describes the formats byte by byte.
//
// VerifierKey and SignerKey are immutable values; SignerKey owns its secret
// seed and wipes it on destruction. All functions are thread-safe; the file
// functions are safe as long as no two writers race on one path.
#ifndef DETENTE_CRYPTO_KEYS_H_
#define DETENTE_CRYPTO_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "detente/base/result.h"
#include "detente/base/status.h"
#include "detente/crypto/ed25519.h"

namespace detente::crypto {

// A signed-note signature type identifier byte. Persistent (inside every
// key id and encoded key): do not change the values of existing entries.
enum class KeyType : uint8_t {
  kEd25519 = 0x01,        // Ed25519 over the note text (c2sp.org/signed-note)
  kCosignatureV1 = 0x04,  // timestamped Ed25519 (c2sp.org/tlog-cosignature)
};

// "Ed25519" or "cosignature/v1".
std::string_view KeyTypeName(KeyType type);

// OK when `name` is a valid signed-note key name: non-empty, valid UTF-8,
// no '+' and no Unicode space (Go's unicode.IsSpace). We also refuse ASCII
// control characters, which a note may not contain, so a key that could
// never appear in a valid note is refused when it is made, not when used.
// InvalidArgument says which character and where.
Status ValidateKeyName(std::string_view name);

// SHA-256(name || 0x0A || type || public_key)[:4], big-endian.
uint32_t ComputeKeyId(std::string_view name, KeyType type,
                      const Ed25519PublicKey& public_key);

// Eight lower-case hex digits, as key ids are written.
std::string FormatKeyId(uint32_t key_id);

// A public key with its name: what a party gives others so they can check
// its signatures.
class VerifierKey {
 public:
  // InvalidArgument for a bad name or a public key no signature by which
  // could ever be accepted (non-canonical or small-order, see ed25519.h).
  static Result<VerifierKey> Create(std::string_view name, KeyType type,
                                    const Ed25519PublicKey& public_key);
  // Parses "<name>+<key id>+<base64>". Errors say which part is wrong,
  // including a key id that does not match the name and key.
  static Result<VerifierKey> Parse(std::string_view text);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  KeyType type() const { return type_; }
  const Ed25519PublicKey& public_key() const { return public_key_; }

  // "<name>+<key id>+<base64(type || public key)>", no newline.
  std::string ToString() const;

  friend bool operator==(const VerifierKey& a, const VerifierKey& b) = default;

 private:
  VerifierKey() = default;

  std::string name_;
  uint32_t key_id_ = 0;
  KeyType type_ = KeyType::kEd25519;
  Ed25519PublicKey public_key_{};
};

// A private key with its name: signs notes (kEd25519) or cosigns
// checkpoints (kCosignatureV1; see cosignature.h).
class SignerKey {
 public:
  // A fresh key from the operating system's CSPRNG.
  static Result<SignerKey> Generate(std::string_view name, KeyType type);
  // Deterministic, for tests and for keys derived elsewhere.
  static Result<SignerKey> FromSeed(std::string_view name, KeyType type,
                                    const Ed25519Seed& seed);
  // Parses "PRIVATE+KEY+<name>+<key id>+<base64(type || seed)>". Error
  // messages never quote the text, which holds the secret.
  static Result<SignerKey> Parse(std::string_view text);

  const std::string& name() const { return verifier_.name(); }
  uint32_t key_id() const { return verifier_.key_id(); }
  KeyType type() const { return verifier_.type(); }
  const VerifierKey& verifier() const { return verifier_; }
  const Ed25519KeyPair& key_pair() const { return key_pair_; }

  // The secret encoding, "PRIVATE+KEY+...", no newline. Keep it secret.
  std::string ToString() const;

 private:
  SignerKey(VerifierKey verifier, Ed25519KeyPair key_pair)
      : verifier_(std::move(verifier)), key_pair_(std::move(key_pair)) {}

  VerifierKey verifier_;
  Ed25519KeyPair key_pair_;
};

struct WriteKeyFileOptions {
  // Replace an existing file (atomically, by rename). Default: refuse with
  // AlreadyExists, so that a key is never destroyed by a typo.
  bool overwrite = false;
};

// Writes `key.ToString()` and a newline to `path`, created with mode 0600
// (never readable by anyone else, whatever the umask), fsync'd, and its
// directory fsync'd, so the key survives a crash once this returns OK.
Status WriteSignerKeyFile(const std::string& path, const SignerKey& key,
                          const WriteKeyFileOptions& options = {});

// Reads a key file written by WriteSignerKeyFile (or by hand: one signer key
// line, optionally ending in a newline). PermissionDenied when the file is
// accessible by group or others, naming the path and its mode and saying
// `chmod 600 <path>`; NotFound or IOError naming the path; InvalidArgument
// naming the path and what is wrong with the content.
Result<SignerKey> ReadSignerKeyFile(const std::string& path);

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_KEYS_H_
