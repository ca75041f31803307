// MemoryTileStore: a TileReader that keeps every stored row in memory, for
// tests, benchmarks and tools that build a tree without a database.
//
// Each stored tree level is one contiguous array of hashes (row N, position
// i at offset 256N + i), so a read is a bounds check and a memcpy, with no
// allocation and no per-row bookkeeping.
//
// Writes enforce what a log's store must: rows only grow, contiguously, and a
// hash once stored never changes (FailedPrecondition otherwise).
//
// Thread-safety: ReadHashes may run concurrently with itself; Write needs
// exclusive access (no concurrent reads or writes).
#ifndef DETENTE_LEDGER_TILE_MEMORY_STORE_H_
#define DETENTE_LEDGER_TILE_MEMORY_STORE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "detente/base/status.h"
#include "detente/ledger/merkle_hash.h"
#include "detente/ledger/tile.h"

namespace detente::ledger {

class MemoryTileStore final : public TileReader {
 public:
  MemoryTileStore() = default;

  // Stores `row`. InvalidArgument for a malformed row; FailedPrecondition
  // when it would leave a gap before it or change a stored hash.
  Status Write(const TileRow& row);
  Status Write(std::span<const TileRow> rows);

  Status ReadHashes(int tree_level, uint64_t row_index, int first,
                    std::span<Hash> out) override;

  // Hashes stored at `tree_level`.
  uint64_t HashesAt(int tree_level) const;
  // Hashes stored at all levels.
  uint64_t TotalHashes() const;

 private:
  std::vector<std::vector<Hash>> levels_;  // by tree level
};

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_TILE_MEMORY_STORE_H_
