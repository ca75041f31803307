#include "detente/inspection/selection.h"

#include <cstdint>
#include <set>

#include "detente/crypto/encoding.h"
#include "detente/notification/value.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace detente::inspection {
namespace {

using notification::Value;

bool IsIdChar(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return !first && (c == '.' || c == '_' || c == ':' || c == '/' || c == '-');
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsIdChar(s[i], i == 0)) return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string RvCommitmentBytes(const RvOpening& o) {
  Value::List list;
  for (const std::string& id : o.missiles) list.push_back(Value::Str(id));
  return notification::Encode(
      Value::OfMap({{"facility", Value::Str(o.facility)},
                    {"inspection", Value::Str(o.inspection)},
                    {"missiles", Value::OfList(std::move(list))},
                    {"party", Value::Str(o.party)},
                    {"salt", Value::Str(o.salt_hex)},
                    {"treaty", Value::Str(o.treaty)}}));
}

crypto::Sha256Digest RvCommitment(const RvOpening& opening) {
  crypto::Sha256Hasher h;
  h.Update(kRvCommitContext);
  h.Update(RvCommitmentBytes(opening));
  return h.Finish();
}

Result<crypto::Sha256Digest> ParseHex32(std::string_view hex,
                                        std::string_view what) {
  if (hex.size() != 64) {
    return Status::InvalidArgument(fmt::format(
        "{}: {} characters, expected 64 lower-case hex digits (32 bytes)", what,
        hex.size()));
  }
  crypto::Sha256Digest out{};
  for (size_t i = 0; i < 64; ++i) {
    char c = hex[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else {
      return Status::InvalidArgument(
          fmt::format("{}: character {} ('{}') is not a lower-case hex digit",
                      what, i + 1, c));
    }
    out[i / 2] = static_cast<uint8_t>(out[i / 2] | (v << (i % 2 == 0 ? 4 : 0)));
  }
  return out;
}

Result<size_t> SelectIndex(const crypto::Sha256Digest& commitment,
                           const crypto::Sha256Digest& random, size_t n) {
  if (n == 0) {
    return Status::InvalidArgument("cannot select from an empty list");
  }
  const uint64_t count = n;
  // 2^64 mod n, computed in 64-bit arithmetic: (2^64 - n) mod n.
  const uint64_t threshold = (uint64_t{0} - count) % count;
  crypto::Sha256Hasher prefix;
  prefix.Update(kRvSelectContext);
  prefix.Update(commitment);
  prefix.Update(random);
  for (uint32_t j = 0;; ++j) {
    crypto::Sha256Hasher h = prefix;
    const uint8_t counter[4] = {
        static_cast<uint8_t>(j >> 24), static_cast<uint8_t>(j >> 16),
        static_cast<uint8_t>(j >> 8), static_cast<uint8_t>(j)};
    h.Update(counter);
    const crypto::Sha256Digest d = h.Finish();
    for (size_t w = 0; w < 4; ++w) {
      uint64_t x = 0;
      for (size_t b = 0; b < 8; ++b) x = (x << 8) | d[w * 8 + b];
      if (x >= threshold) return static_cast<size_t>(x % count);
    }
  }
}

Result<std::vector<std::string>> ParseMissileList(std::string_view text,
                                                  std::string_view what) {
  std::vector<std::string> ids;
  if (Trim(text).empty()) return ids;
  std::set<std::string, std::less<>> seen;
  size_t index = 0;
  while (true) {
    size_t comma = text.find(',');
    std::string_view entry = Trim(text.substr(0, comma));
    if (entry.empty()) {
      return Status::InvalidArgument(
          fmt::format("{}: entry {} is empty", what, index + 1));
    }
    if (!IsIdentifier(entry)) {
      return Status::InvalidArgument(
          fmt::format("{}: '{}' is not a unique identifier "
                      "([A-Za-z0-9][A-Za-z0-9._:/-]{{0,63}})",
                      what, entry));
    }
    if (!seen.emplace(entry).second) {
      return Status::InvalidArgument(
          fmt::format("{}: missile '{}' is listed twice", what, entry));
    }
    ids.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    ++index;
  }
  return ids;
}

std::string JoinMissiles(const std::vector<std::string>& ids) {
  return fmt::format("{}", fmt::join(ids, ", "));
}

}  // namespace detente::inspection
