// EnsureSodium: initialises libsodium once per process before first use.
//
// sodium_init() must run before any other libsodium call (it picks the CPU
// specific implementations and seeds the random generator). Every function
// in detente/crypto that calls libsodium calls EnsureSodium() first, so that
// callers never have to remember to. Private to detente/crypto.
//
// Thread-safety: safe to call concurrently; the first call initialises, the
// others wait for it (a function-local static).
#ifndef DETENTE_CRYPTO_INTERNAL_SODIUM_INIT_H_
#define DETENTE_CRYPTO_INTERNAL_SODIUM_INIT_H_

namespace detente::crypto::internal {

// Aborts the process if libsodium cannot initialise: without it there is no
// secure random generator, and no key may be made or signature checked.
void EnsureSodium();

}  // namespace detente::crypto::internal

#endif  // DETENTE_CRYPTO_INTERNAL_SODIUM_INIT_H_
