#include "detente/crypto/encoding.h"

#include <fmt/format.h>
#include <sodium.h>

#include "detente/crypto/internal/sodium_init.h"

namespace detente::crypto {
namespace {

bool IsBase64AlphabetChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// A printable rendering of one character for error messages.
std::string Describe(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Base64Encode(std::span<const uint8_t> data) {
  internal::EnsureSodium();
  // Includes the terminating NUL that sodium_bin2base64 writes.
  const size_t encoded_len =
      sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(encoded_len, '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(encoded_len - 1);
  return out;
}

Result<std::vector<uint8_t>> Base64Decode(std::string_view text) {
  // libsodium only reports failure, not where; these checks find the
  // offending character so that the message can point at it.
  if (text.size() % 4 != 0) {
    return Status::InvalidArgument(fmt::format(
        "invalid base64: length {} is not a multiple of 4", text.size()));
  }
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) {
      return Status::InvalidArgument(
          fmt::format("invalid base64: {} at offset {} follows '=' padding",
                      Describe(c), i));
    }
    if (!IsBase64AlphabetChar(c)) {
      return Status::InvalidArgument(
          fmt::format("invalid base64: {} at offset {} is not in the alphabet",
                      Describe(c), i));
    }
  }
  if (padding > 2) {
    return Status::InvalidArgument(fmt::format(
        "invalid base64: {} '=' padding characters (at most 2)", padding));
  }
  // libsodium requires a non-null output buffer even for no bytes.
  if (text.empty()) return std::vector<uint8_t>();
  internal::EnsureSodium();
  std::vector<uint8_t> out(text.size() / 4 * 3);
  size_t out_len = 0;
  const char* end = nullptr;
  // With a non-null `end`, libsodium stops at the first character it cannot
  // use instead of failing; anything left over is then an error of ours.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(),
                        /*ignore=*/nullptr, &out_len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    // The structural checks above passed, so what libsodium refuses is a
    // final character with bits set beyond the encoded bytes: a second,
    // non-canonical spelling of the same value.
    return Status::InvalidArgument(
        "invalid base64: non-zero bits after the last encoded byte "
        "(non-canonical encoding)");
  }
  out.resize(out_len);
  return out;
}

std::string HexEncode(std::span<const uint8_t> data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

Result<std::vector<uint8_t>> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return Status::InvalidArgument(
        fmt::format("invalid hex: odd length {}", text.size()));
  }
  std::vector<uint8_t> out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    const int hi = HexDigitValue(text[i]);
    const int lo = HexDigitValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      const size_t bad = hi < 0 ? i : i + 1;
      return Status::InvalidArgument(
          fmt::format("invalid hex: {} at offset {} is not a hex digit",
                      Describe(text[bad]), bad));
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace detente::crypto
