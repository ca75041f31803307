// Strict UTF-8 decoding and the Unicode space test, as signed notes and key
// names need them (C2SP signed-note: notes "MUST be valid UTF-8"; key names
// "MUST NOT contain any Unicode spaces"). Private to detente/crypto.
//
// Pure functions; thread-safe.
#ifndef DETENTE_CRYPTO_INTERNAL_UTF8_H_
#define DETENTE_CRYPTO_INTERNAL_UTF8_H_

#include <cstddef>
#include <string_view>

namespace detente::crypto::internal {

// Decodes the character starting at s[i] (REQUIRES: i < s.size()). Returns
// its length in bytes (1 to 4) and stores it in *rune; returns 0 when the
// bytes there are not well-formed UTF-8: a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate (U+D800..U+DFFF) or a
// value above U+10FFFF. This is the set Go's utf8.DecodeRune refuses, so
// that detente and Go tools agree on which notes are valid.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* rune);

// Whether `r` is a space in Go's unicode.IsSpace sense (the Unicode
// White_Space property): TAB, LF, VT, FF, CR, SPACE, U+0085, U+00A0,
// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
bool IsUnicodeSpace(char32_t r);

}  // namespace detente::crypto::internal

#endif  // DETENTE_CRYPTO_INTERNAL_UTF8_H_
