// Test-only helpers for the ledger tests: a naive RFC 9162 reference tree
// (the recursive definitions of §2.1, transcribed literally), hex and base64
// decoding, and a tiled tree built from test leaves. Never include from
// library code.
#ifndef DETENTE_LEDGER_MERKLE_TESTING_H_
#define DETENTE_LEDGER_MERKLE_TESTING_H_

#include <gtest/gtest.h>
#include <sodium.h>

#include <bit>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detente/ledger/merkle_hash.h"
#include "detente/ledger/tile.h"
#include "detente/ledger/tile_memory_store.h"

namespace detente::ledger::testutil {

inline std::vector<uint8_t> FromHex(std::string_view hex) {
  std::vector<uint8_t> out(hex.size() / 2 + 1);
  size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr,
                     &len, nullptr) != 0 ||
      len * 2 != hex.size()) {
    throw std::invalid_argument("bad hex: " + std::string(hex));
  }
  out.resize(len);
  return out;
}

inline std::vector<uint8_t> FromBase64(std::string_view b64) {
  std::vector<uint8_t> out(b64.size() + 1);
  size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), b64.data(), b64.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    throw std::invalid_argument("bad base64: " + std::string(b64));
  }
  out.resize(len);
  return out;
}

inline Hash HashFromHex(std::string_view hex) {
  return HashFromBytes(FromHex(hex), "hex hash").value();
}

// The leaf hashes the property tests use.
inline std::vector<Hash> TestLeaves(uint64_t n) {
  std::vector<Hash> leaves;
  leaves.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    leaves.push_back(HashLeaf("leaf " + std::to_string(i)));
  }
  return leaves;
}

// RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1 PROOF over a fixed list of
// leaf hashes, by the recursive definitions, memoising MTH of sub-ranges so
// that whole sweeps stay fast. The oracle the tiled code is checked against.
class NaiveTree {
 public:
  explicit NaiveTree(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {}

  // MTH(D[lo:hi]).
  Hash Mth(uint64_t lo, uint64_t hi) {
    if (hi == lo) return EmptyRoot();
    if (hi - lo == 1) return leaves_[lo];
    auto it = memo_.find({lo, hi});
    if (it != memo_.end()) return it->second;
    const uint64_t k = Split(hi - lo);
    Hash h = HashChildren(Mth(lo, lo + k), Mth(lo + k, hi));
    memo_.emplace(std::make_pair(lo, hi), h);
    return h;
  }
  Hash Root(uint64_t n) { return Mth(0, n); }

  // PATH(m, D[0:n]).
  std::vector<Hash> Path(uint64_t m, uint64_t n) {
    std::vector<Hash> out;
    PathOf(m, 0, n, &out);
    return out;
  }

  // PROOF(m, D[0:n]).
  std::vector<Hash> Proof(uint64_t m, uint64_t n) {
    std::vector<Hash> out;
    if (m > 0 && m < n) SubProof(m, 0, n, true, &out);
    return out;
  }

 private:
  // The largest power of two smaller than n (n >= 2).
  static uint64_t Split(uint64_t n) { return std::bit_floor(n - 1); }

  void PathOf(uint64_t m, uint64_t lo, uint64_t hi, std::vector<Hash>* out) {
    if (hi - lo <= 1) return;
    const uint64_t k = Split(hi - lo);
    if (m < k) {
      PathOf(m, lo, lo + k, out);
      out->push_back(Mth(lo + k, hi));
    } else {
      PathOf(m - k, lo + k, hi, out);
      out->push_back(Mth(lo, lo + k));
    }
  }

  void SubProof(uint64_t m, uint64_t lo, uint64_t hi, bool b,
                std::vector<Hash>* out) {
    const uint64_t n = hi - lo;
    if (m == n) {
      if (!b) out->push_back(Mth(lo, hi));
      return;
    }
    const uint64_t k = Split(n);
    if (m <= k) {
      SubProof(m, lo, lo + k, b, out);
      out->push_back(Mth(lo + k, hi));
    } else {
      SubProof(m - k, lo + k, hi, false, out);
      out->push_back(Mth(lo, lo + k));
    }
  }

  std::vector<Hash> leaves_;
  std::map<std::pair<uint64_t, uint64_t>, Hash> memo_;
};

// A tree built the way a log builds it: leaves appended to a TileBuilder,
// rows written to a MemoryTileStore every `batch` leaves.
struct TiledTree {
  explicit TiledTree(TileLayout layout = {}) : builder(layout) {}

  void Append(std::span<const Hash> leaves, size_t batch = 1) {
    size_t pending = 0;
    for (const Hash& leaf : leaves) {
      builder.Append(leaf);
      if (++pending == batch) {
        Flush();
        pending = 0;
      }
    }
    Flush();
  }

  void Flush() { ASSERT_TRUE(store.Write(builder.TakeRows()).ok()); }

  MemoryTileStore store;
  TileBuilder builder;
};

}  // namespace detente::ledger::testutil

#endif  // DETENTE_LEDGER_MERKLE_TESTING_H_
