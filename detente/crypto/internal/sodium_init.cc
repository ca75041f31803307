#include "detente/crypto/internal/sodium_init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace detente::crypto::internal {

void EnsureSodium() {
  // C++11 guarantees one thread runs the initialiser and the rest wait.
  static const bool initialised = [] {
    // 0: initialised now; 1: already initialised (e.g. by another library
    // in the process); -1: failure.
    if (sodium_init() < 0) {
      std::fputs("detente: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

}  // namespace detente::crypto::internal
