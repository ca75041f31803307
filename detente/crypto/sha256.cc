#include "detente/crypto/sha256.h"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP,
// which allocates a context and dispatches per call: for the 65-byte
// messages of Merkle hashing that costs more than the hash. They remain in
// OpenSSL 3.0 (Debian 12) and use the same SHA-NI code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <new>

#include "detente/crypto/encoding.h"

namespace detente::crypto {
namespace {

using Storage = std::array<unsigned char, 112>;
static_assert(sizeof(SHA256_CTX) <= sizeof(Storage),
              "Sha256Hasher::state_ is too small for OpenSSL's SHA256_CTX");
static_assert(alignof(SHA256_CTX) <= 8,
              "Sha256Hasher::state_ is not aligned enough");
static_assert(SHA256_DIGEST_LENGTH == kSha256DigestSize);

SHA256_CTX* State(Storage& storage) {
  return std::launder(reinterpret_cast<SHA256_CTX*>(storage.data()));
}

}  // namespace

Sha256Digest Sha256(std::span<const uint8_t> data) {
  // The low-level calls, not SHA256(): the one-shot goes through EVP.
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  Sha256Digest out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

Sha256Digest Sha256(std::string_view data) { return Sha256(AsBytes(data)); }

Sha256Hasher::Sha256Hasher() {
  ::new (static_cast<void*>(state_.data())) SHA256_CTX;
  SHA256_Init(State(state_));
}

void Sha256Hasher::Update(std::span<const uint8_t> data) {
  SHA256_Update(State(state_), data.data(), data.size());
}

void Sha256Hasher::Update(std::string_view data) { Update(AsBytes(data)); }

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  SHA256_Final(out.data(), State(state_));
  SHA256_Init(State(state_));
  return out;
}

}  // namespace detente::crypto
