#include "detente/crypto/sha256.h"

#include <sodium.h>

#include <new>

#include "detente/crypto/encoding.h"
#include "detente/crypto/internal/sodium_init.h"

namespace detente::crypto {
namespace {

static_assert(sizeof(crypto_hash_sha256_state) <= 104,
              "Sha256Hasher::state_ is too small for libsodium's state");
static_assert(alignof(crypto_hash_sha256_state) <= 8,
              "Sha256Hasher::state_ is not aligned enough");
static_assert(crypto_hash_sha256_BYTES == kSha256DigestSize);

crypto_hash_sha256_state* State(std::array<unsigned char, 104>& storage) {
  return std::launder(
      reinterpret_cast<crypto_hash_sha256_state*>(storage.data()));
}

}  // namespace

Sha256Digest Sha256(std::span<const uint8_t> data) {
  internal::EnsureSodium();
  Sha256Digest out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha256Digest Sha256(std::string_view data) { return Sha256(AsBytes(data)); }

Sha256Hasher::Sha256Hasher() {
  internal::EnsureSodium();
  ::new (static_cast<void*>(state_.data())) crypto_hash_sha256_state;
  crypto_hash_sha256_init(State(state_));
}

void Sha256Hasher::Update(std::span<const uint8_t> data) {
  crypto_hash_sha256_update(State(state_), data.data(), data.size());
}

void Sha256Hasher::Update(std::string_view data) { Update(AsBytes(data)); }

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  crypto_hash_sha256_final(State(state_), out.data());
  crypto_hash_sha256_init(State(state_));
  return out;
}

}  // namespace detente::crypto
