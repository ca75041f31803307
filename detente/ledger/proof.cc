#include "detente/ledger/proof.h"

#include <fmt/format.h>

#include <bit>
#include <string>
#include <string_view>

#include "detente/base/result.h"

namespace detente::ledger {
namespace {

// Enough of a hash to tell two apart in an error message.
std::string Abbrev(const Hash& h) { return HashToHex(h).substr(0, 16) + "..."; }

Result<std::vector<Hash>> CheckProofHashes(
    std::span<const std::vector<uint8_t>> proof, std::string_view kind) {
  std::vector<Hash> hashes;
  hashes.reserve(proof.size());
  for (size_t i = 0; i < proof.size(); ++i) {
    DETENTE_ASSIGN_OR_RETURN(
        Hash h,
        HashFromBytes(proof[i], fmt::format("{} proof hash {}", kind, i)));
    hashes.push_back(h);
  }
  return hashes;
}

// RFC 9162 step "right-shift fn and sn equally until either LSB(fn) is set
// or fn is 0".
void SkipToLeftChild(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

int InclusionProofSize(uint64_t index, uint64_t size) {
  // Below the level where the paths to `index` and to the last leaf meet,
  // every level has a sibling; above it, only the levels where the path
  // comes from the right (a 1 bit of the index) do.
  const int inner = static_cast<int>(std::bit_width(index ^ (size - 1)));
  const int border = inner >= 64 ? 0 : std::popcount(index >> inner);
  return inner + border;
}

int ConsistencyProofSize(uint64_t size1, uint64_t size2) {
  if (size1 == 0 || size1 == size2) return 0;
  // The path of leaf size1 - 1 from the largest perfect subtree ending at
  // size1, plus that subtree itself unless it is the whole old tree.
  const int shift = std::countr_zero(size1);
  const int inner = static_cast<int>(std::bit_width((size1 - 1) ^ (size2 - 1)));
  const int border = inner >= 64 ? 0 : std::popcount((size1 - 1) >> inner);
  const int seed = std::has_single_bit(size1) ? 0 : 1;
  return seed + (inner - shift) + border;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return Status::InvalidArgument(fmt::format(
        "inclusion proof for leaf index {} in a tree of size {}: the index "
        "must be below the size",
        index, size));
  }
  const int want = InclusionProofSize(index, size);
  if (proof.size() != static_cast<size_t>(want)) {
    return Status::InvalidArgument(fmt::format(
        "inclusion proof has {} hashes, expected {} for index {} in a tree "
        "of size {}",
        proof.size(), want, index, size));
  }
  // RFC 9162 §2.1.3.2, step for step.
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return Status::InvalidArgument(
          "inclusion proof is longer than the tree is high");
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) SkipToLeftChild(fn, sn);
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Status::InvalidArgument(
        "inclusion proof is shorter than the tree is high");
  }
  if (r != root) {
    return Status::InvalidArgument(fmt::format(
        "inclusion proof does not verify: computed root {} but expected {} "
        "for index {} in a tree of size {}",
        Abbrev(r), Abbrev(root), index, size));
  }
  return Status::Ok();
}

Status VerifyInclusion(uint64_t index, uint64_t size,
                       std::span<const uint8_t> leaf_hash,
                       std::span<const std::vector<uint8_t>> proof,
                       std::span<const uint8_t> root) {
  DETENTE_ASSIGN_OR_RETURN(Hash leaf, HashFromBytes(leaf_hash, "leaf hash"));
  DETENTE_ASSIGN_OR_RETURN(Hash want_root, HashFromBytes(root, "root"));
  DETENTE_ASSIGN_OR_RETURN(std::vector<Hash> path,
                           CheckProofHashes(proof, "inclusion"));
  return VerifyInclusion(index, size, leaf, path, want_root);
}

Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const Hash> proof, const Hash& root1,
                         const Hash& root2) {
  if (size1 > size2) {
    return Status::InvalidArgument(fmt::format(
        "consistency proof from size {} to the smaller size {}: a log never "
        "shrinks",
        size1, size2));
  }
  if (size1 == 0) {
    // Our size-0 policy (docs/merkle.md): nothing to prove, but the old root
    // must really be the empty tree's.
    if (!proof.empty()) {
      return Status::InvalidArgument(fmt::format(
          "consistency proof from size 0 has {} hashes, expected none (the "
          "empty tree is a prefix of every tree)",
          proof.size()));
    }
    if (root1 != EmptyRoot()) {
      return Status::InvalidArgument(
          fmt::format("old root {} for size 0 is not the empty tree's root {}",
                      Abbrev(root1), Abbrev(EmptyRoot())));
    }
    if (size2 == 0 && root2 != root1) {
      return Status::InvalidArgument(
          fmt::format("new root {} for size 0 is not the empty tree's root {}",
                      Abbrev(root2), Abbrev(EmptyRoot())));
    }
    return Status::Ok();
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return Status::InvalidArgument(fmt::format(
          "consistency proof between equal sizes {} has {} hashes, expected "
          "none",
          size1, proof.size()));
    }
    if (root1 != root2) {
      return Status::InvalidArgument(
          fmt::format("roots {} and {} differ for the same size {}",
                      Abbrev(root1), Abbrev(root2), size1));
    }
    return Status::Ok();
  }
  const int want = ConsistencyProofSize(size1, size2);
  if (proof.size() != static_cast<size_t>(want)) {
    return Status::InvalidArgument(fmt::format(
        "consistency proof has {} hashes, expected {} from size {} to size {}",
        proof.size(), want, size1, size2));
  }
  // RFC 9162 §2.1.4.2, step for step. When size1 is a power of two the
  // proof omits the old root, which is the first node of the path.
  const bool seeded = std::has_single_bit(size1);
  size_t next = 0;
  const Hash& first = seeded ? root1 : proof[next++];
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = first;
  Hash sr = first;
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) {
      return Status::InvalidArgument(
          "consistency proof is longer than the new tree is high");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if ((fn & 1) == 0) SkipToLeftChild(fn, sn);
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Status::InvalidArgument(
        "consistency proof is shorter than the new tree is high");
  }
  if (fr != root1) {
    return Status::InvalidArgument(fmt::format(
        "consistency proof does not verify: it gives old root {} but expected "
        "{} for size {}",
        Abbrev(fr), Abbrev(root1), size1));
  }
  if (sr != root2) {
    return Status::InvalidArgument(fmt::format(
        "consistency proof does not verify: it gives new root {} but expected "
        "{} for size {}",
        Abbrev(sr), Abbrev(root2), size2));
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const std::vector<uint8_t>> proof,
                         std::span<const uint8_t> root1,
                         std::span<const uint8_t> root2) {
  DETENTE_ASSIGN_OR_RETURN(Hash old_root, HashFromBytes(root1, "old root"));
  DETENTE_ASSIGN_OR_RETURN(Hash new_root, HashFromBytes(root2, "new root"));
  DETENTE_ASSIGN_OR_RETURN(std::vector<Hash> path,
                           CheckProofHashes(proof, "consistency"));
  return VerifyConsistency(size1, size2, path, old_root, new_root);
}

}  // namespace detente::ledger
