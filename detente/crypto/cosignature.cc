#include "detente/crypto/cosignature.h"

#include <fmt/format.h>

#include <algorithm>

#include "detente/crypto/ed25519.h"
#include "detente/crypto/encoding.h"

namespace detente::crypto {
namespace {

constexpr std::string_view kHeader = "cosignature/v1\n";

}  // namespace

Result<std::string> CosignatureV1Message(std::string_view checkpoint_text,
                                         uint64_t timestamp) {
  if (timestamp > kMaxCosignatureTimestamp) {
    return Status::InvalidArgument(
        fmt::format("cosignature timestamp {} exceeds 2^63 - 1", timestamp));
  }
  DETENTE_RETURN_IF_ERROR(
      ValidateNoteText(checkpoint_text).WithContext("cosigned checkpoint"));
  if (std::count(checkpoint_text.begin(), checkpoint_text.end(), '\n') < 3) {
    return Status::InvalidArgument(
        "cosigned checkpoint: fewer than three lines (origin, tree size, "
        "root hash)");
  }
  return fmt::format("{}time {}\n{}", kHeader, timestamp, checkpoint_text);
}

Result<NoteSignature> Cosign(std::string_view checkpoint_text,
                             const SignerKey& cosigner, uint64_t timestamp) {
  if (cosigner.type() != KeyType::kCosignatureV1) {
    return Status::InvalidArgument(fmt::format(
        "key {}+{} has type {}, not cosignature/v1", cosigner.name(),
        FormatKeyId(cosigner.key_id()), KeyTypeName(cosigner.type())));
  }
  DETENTE_ASSIGN_OR_RETURN(std::string message,
                           CosignatureV1Message(checkpoint_text, timestamp));
  const Ed25519Signature sig = cosigner.key_pair().Sign(AsBytes(message));
  NoteSignature out;
  out.name = cosigner.name();
  out.key_id = cosigner.key_id();
  out.signature.reserve(kCosignatureV1Size);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.signature.push_back(static_cast<uint8_t>(timestamp >> shift));
  }
  out.signature.insert(out.signature.end(), sig.begin(), sig.end());
  return out;
}

Result<uint64_t> CosignatureTimestamp(std::span<const uint8_t> signature) {
  if (signature.size() != kCosignatureV1Size) {
    return Status::InvalidArgument(
        fmt::format("cosignature is {} bytes, want {} (timestamp || Ed25519)",
                    signature.size(), kCosignatureV1Size));
  }
  uint64_t t = 0;
  for (size_t i = 0; i < 8; ++i) t = t << 8 | signature[i];
  if (t > kMaxCosignatureTimestamp) {
    return Status::InvalidArgument(
        fmt::format("cosignature timestamp {} exceeds 2^63 - 1", t));
  }
  return t;
}

Result<uint64_t> VerifyCosignature(const VerifierKey& cosigner,
                                   std::string_view checkpoint_text,
                                   std::span<const uint8_t> signature) {
  if (cosigner.type() != KeyType::kCosignatureV1) {
    return Status::InvalidArgument(fmt::format(
        "key {}+{} has type {}, not cosignature/v1", cosigner.name(),
        FormatKeyId(cosigner.key_id()), KeyTypeName(cosigner.type())));
  }
  DETENTE_ASSIGN_OR_RETURN(uint64_t timestamp, CosignatureTimestamp(signature));
  DETENTE_ASSIGN_OR_RETURN(std::string message,
                           CosignatureV1Message(checkpoint_text, timestamp));
  Ed25519Signature sig;
  std::copy(signature.begin() + 8, signature.end(), sig.begin());
  DETENTE_RETURN_IF_ERROR(
      Ed25519Verify(cosigner.public_key(), AsBytes(message), sig));
  return timestamp;
}

}  // namespace detente::crypto
