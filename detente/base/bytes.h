// SameBytes: a == b for the short strings the fold compares at every step
// (record keys, categories, statuses, party codes), inline: overlapping
// word loads instead of a call to memcmp, which costs more than the
// comparison for strings of a few bytes.
//
// A pure function; thread-safe.
#ifndef DETENTE_BASE_BYTES_H_
#define DETENTE_BASE_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace detente {

inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      uint64_t u, v;
      std::memcpy(&u, x + i, 8);
      std::memcpy(&v, y + i, 8);
      if (u != v) return false;
    }
    uint64_t u, v;
    std::memcpy(&u, x + n - 8, 8);
    std::memcpy(&v, y + n - 8, 8);
    return u == v;
  }
  if (n >= 4) {
    uint32_t u0, v0, u1, v1;
    std::memcpy(&u0, x, 4);
    std::memcpy(&v0, y, 4);
    std::memcpy(&u1, x + n - 4, 4);
    std::memcpy(&v1, y + n - 4, 4);
    return u0 == v0 && u1 == v1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace detente

#endif  // DETENTE_BASE_BYTES_H_
