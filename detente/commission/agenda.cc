#include "detente/commission/agenda.h"

#include <set>

#include "detente/crypto/encoding.h"
#include "detente/notification/value.h"
#include "fmt/format.h"

namespace detente::commission {
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

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                        s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<std::vector<std::string>> ParseIdList(std::string_view text,
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
      return Status::InvalidArgument(fmt::format(
          "{}: '{}' is not an issue id ([A-Za-z0-9][A-Za-z0-9._:/-]{{0,63}})",
          what, entry));
    }
    if (!seen.emplace(entry).second) {
      return Status::InvalidArgument(
          fmt::format("{}: issue '{}' is listed twice", what, entry));
    }
    ids.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    ++index;
  }
  return ids;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  return fmt::format("{}", fmt::join(ids, ", "));
}

std::string AgendaCanonicalBytes(std::string_view treaty,
                                 std::string_view session, int64_t version,
                                 const std::vector<std::string>& issues) {
  Value::List list;
  for (const std::string& id : issues) list.push_back(Value::Str(id));
  return notification::Encode(
      Value::OfMap({{"issues", Value::OfList(std::move(list))},
                    {"session", Value::Str(std::string(session))},
                    {"treaty", Value::Str(std::string(treaty))},
                    {"version", Value::Int(version)}}));
}

crypto::Sha256Digest AgendaHash(std::string_view treaty,
                                std::string_view session, int64_t version,
                                const std::vector<std::string>& issues) {
  crypto::Sha256Hasher h;
  h.Update(kAgendaHashContext);
  h.Update(AgendaCanonicalBytes(treaty, session, version, issues));
  return h.Finish();
}

std::string AgendaHashHex(std::string_view treaty, std::string_view session,
                          int64_t version,
                          const std::vector<std::string>& issues) {
  return crypto::HexEncode(AgendaHash(treaty, session, version, issues));
}

}  // namespace detente::commission
