#include "detente/ledger/compact_range.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace detente::ledger {

Result<CompactRange> CompactRange::FromHashes(uint64_t size,
                                              std::vector<Hash> hashes) {
  const int want = std::popcount(size);
  if (hashes.size() != static_cast<size_t>(want)) {
    return Status::InvalidArgument(
        fmt::format("compact range of size {} needs {} subtree hashes, got {}",
                    size, want, hashes.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.hashes_ = std::move(hashes);
  return range;
}

Result<CompactRange> CompactRange::Deserialize(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) {
    return Status::InvalidArgument(
        fmt::format("compact range is {} bytes, shorter than its 8-byte size",
                    bytes.size()));
  }
  uint64_t size = 0;
  for (size_t i = 0; i < 8; ++i) size = (size << 8) | bytes[i];
  const size_t count = static_cast<size_t>(std::popcount(size));
  if (bytes.size() != 8 + count * kHashSize) {
    return Status::InvalidArgument(
        fmt::format("compact range of size {} must be {} bytes, got {}", size,
                    8 + count * kHashSize, bytes.size()));
  }
  std::vector<Hash> hashes(count);
  for (size_t i = 0; i < count; ++i) {
    std::memcpy(hashes[i].data(), bytes.data() + 8 + i * kHashSize, kHashSize);
  }
  return FromHashes(size, std::move(hashes));
}

std::vector<uint8_t> CompactRange::Serialize() const {
  std::vector<uint8_t> out(8 + hashes_.size() * kHashSize);
  for (size_t i = 0; i < 8; ++i) {
    out[i] = static_cast<uint8_t>(size_ >> (56 - 8 * i));
  }
  for (size_t i = 0; i < hashes_.size(); ++i) {
    std::memcpy(out.data() + 8 + i * kHashSize, hashes_[i].data(), kHashSize);
  }
  return out;
}

Hash CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  // RFC 9162 splits at the largest power of two below the size, so the
  // smaller subtrees on the right combine first.
  Hash root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) {
    root = HashChildren(hashes_[i], root);
  }
  return root;
}

}  // namespace detente::ledger
