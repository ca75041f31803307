// Byte encodings used by signed notes, key files and test vectors: standard
// padded base64 (RFC 4648 §4) and lower-case hexadecimal.
//
// Decoding is strict, so that one value has exactly one accepted text: a
// base64 string must be a multiple of four characters from the standard
// alphabet, padded with '=' only at the end, with zero bits after the last
// character, and nothing before or after it (no whitespace, no line
// breaks). Errors name the offending character and its offset.
//
// All functions are pure and thread-safe.
#ifndef DETENTE_CRYPTO_ENCODING_H_
#define DETENTE_CRYPTO_ENCODING_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"

namespace detente::crypto {

// The bytes of a string, without copying. The span borrows `s`.
inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// The characters of a byte span, without copying. Borrows `b`.
inline std::string_view AsString(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Standard base64 with '=' padding; the empty input encodes as "".
std::string Base64Encode(std::span<const uint8_t> data);

// Strict inverse of Base64Encode; InvalidArgument says what is wrong
// ("invalid base64: character '!' at offset 3 is not in the alphabet").
// The empty string decodes to no bytes.
Result<std::vector<uint8_t>> Base64Decode(std::string_view text);

// Lower-case hexadecimal, two digits per byte.
std::string HexEncode(std::span<const uint8_t> data);

// Accepts upper- and lower-case digits; InvalidArgument on an odd length or
// a non-hex character (with its offset).
Result<std::vector<uint8_t>> HexDecode(std::string_view text);

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_ENCODING_H_
