#include "detente/notification/notification.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <vector>

#include "detente/crypto/encoding.h"
#include "detente/notification/record_view.h"
#include "fmt/format.h"

namespace detente::notification {
namespace {

using treaty::ValueType;

constexpr size_t kMaxIdentifierLength = 64;
constexpr size_t kMaxFacilityLength = 128;
constexpr uint64_t kMaxSequence =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// The envelope keys, in their canonical (bytewise) order.
constexpr std::array<std::string_view, 7> kEnvelopeKeys = {
    "body", "event_time", "sender", "sent_time", "sequence", "treaty", "type"};

constexpr std::array<std::string_view, 8> kItemKeys = {
    "id",   "party",    "category", "status",
    "type", "facility", "warheads", "attributes"};

Status Invalid(std::string_view path, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}: {}", path, what));
}

template <typename T, typename F>
std::string JoinNames(const std::vector<T>& v, F name) {
  std::string out;
  for (const T& x : v) {
    if (!out.empty()) out += ", ";
    out += name(x);
  }
  return out;
}

// "an integer (5)", "a string ("abc")", "a list", "a map": what was found,
// for messages. Strings are shown in full only when short.
std::string Describe(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kInteger:
      return fmt::format("an integer ({})", v.integer());
    case Value::Kind::kString:
      if (v.str().size() <= 40) {
        return fmt::format("a string ({})", v.DebugString());
      }
      return fmt::format("a string of {} bytes", v.str().size());
    case Value::Kind::kList:
      return fmt::format("a list of {} values", v.list().size());
    case Value::Kind::kMap:
      return fmt::format("a map of {} entries", v.map().size());
  }
  return "a value";
}

Status Expected(std::string_view path, std::string_view what, const Value& v) {
  return Invalid(path, fmt::format("expected {}, got {}", what, Describe(v)));
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdentifierLength) return false;
  const auto alnum = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
  };
  if (!alnum(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) {
    return alnum(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
  });
}

// Facilities are named as the parties name them ("F.E. Warren AFB"), so
// the rule is looser than for item identifiers: 1 to 128 bytes of UTF-8,
// no control characters, no space at either end.
bool IsFacility(std::string_view s) {
  const bool control = std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<uint8_t>(c) < 0x20 || c == 0x7f;
  });
  return !s.empty() && s.size() <= kMaxFacilityLength && IsValidUtf8(s) &&
         !control && s.front() != ' ' && s.back() != ' ';
}

// The instant `text` denotes when it is written exactly as
// Instant::ToString() writes it; the canonical form has one spelling.
Result<Instant> ParseCanonicalInstant(std::string_view text) {
  Result<Instant> t = Instant::Parse(text);
  if (!t.ok() || t->ToString() != text) {
    return Status::InvalidArgument(fmt::format(
        "'{}' is not a GMT instant written YYYY-MM-DDTHH:MM:SSZ", text));
  }
  return t;
}

// Instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the ones
// whose ToString() parses back.
bool IsRepresentable(Instant t) {
  static const Instant kFirst = Instant::StartOf(*Date::FromYmd(1, 1, 1));
  static const Instant kLast =
      Instant::StartOf(*Date::FromYmd(9999, 12, 31)).AddSeconds(86399);
  return kFirst <= t && t <= kLast;
}

Status CheckString(std::string_view path, const Value& v) {
  if (!v.is_str()) return Expected(path, "a string", v);
  if (!IsValidUtf8(v.str())) return Invalid(path, "not valid UTF-8");
  return Status::Ok();
}

Status CheckIdentifier(std::string_view path, const Value& v) {
  if (!v.is_str()) return Expected(path, "an identifier (a string)", v);
  if (!IsIdentifier(v.str())) {
    return Invalid(path,
                   fmt::format("{} is not a valid identifier: 1 to 64 "
                               "characters, letters, digits and . _ : / -, "
                               "starting with a letter or digit",
                               v.DebugString()));
  }
  return Status::Ok();
}

Status CheckFacility(std::string_view path, const Value& v) {
  if (!v.is_str()) return Expected(path, "a facility (a string)", v);
  if (!IsFacility(v.str())) {
    return Invalid(path,
                   fmt::format("{} is not a valid facility: 1 to {} bytes of "
                               "UTF-8, no control characters, no space at "
                               "either end",
                               v.DebugString(), kMaxFacilityLength));
  }
  return Status::Ok();
}

Status CheckParty(const treaty::Spec& spec, std::string_view path,
                  const Value& v) {
  if (!v.is_str()) return Expected(path, "a party code (a string)", v);
  if (spec.FindParty(v.str()) == nullptr) {
    return Invalid(
        path, fmt::format("unknown party '{}' (declared: {})", v.str(),
                          JoinNames(spec.parties,
                                    [](const auto& p) { return p.code; })));
  }
  return Status::Ok();
}

Status CheckCategory(const treaty::Spec& spec, std::string_view path,
                     const Value& v) {
  if (!v.is_str()) return Expected(path, "a category id (a string)", v);
  if (spec.FindCategory(v.str()) == nullptr) {
    return Invalid(path,
                   fmt::format("unknown category '{}' (declared: {})", v.str(),
                               JoinNames(spec.categories,
                                         [](const auto& c) { return c.id; })));
  }
  return Status::Ok();
}

Status CheckStatus(const treaty::Spec& spec, std::string_view path,
                   const Value& v) {
  if (!v.is_str()) return Expected(path, "a status id (a string)", v);
  if (spec.FindStatus(v.str()) == nullptr) {
    return Invalid(path,
                   fmt::format("unknown status '{}' (declared: {})", v.str(),
                               JoinNames(spec.statuses,
                                         [](const auto& s) { return s.id; })));
  }
  return Status::Ok();
}

Status CheckDate(std::string_view path, const Value& v) {
  if (!v.is_str()) return Expected(path, "a date \"YYYY-MM-DD\"", v);
  Result<Date> d = Date::Parse(v.str());
  if (!d.ok()) return Invalid(path, d.status().message());
  return Status::Ok();
}

Status CheckInstant(std::string_view path, const Value& v) {
  if (!v.is_str()) {
    return Expected(path, "a GMT instant \"YYYY-MM-DDTHH:MM:SSZ\"", v);
  }
  Result<Instant> t = ParseCanonicalInstant(v.str());
  if (!t.ok()) return Invalid(path, t.status().message());
  return Status::Ok();
}

bool IsDecimalInteger(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// An item attribute: always a string in the record, holding text of the
// attribute's declared type (as in item files: "12", "true", "2011-02-05").
Status CheckAttribute(const treaty::Spec& spec, const treaty::Attribute& a,
                      std::string_view path, const Value& v) {
  DETENTE_RETURN_IF_ERROR(CheckString(path, v));
  const std::string& s = v.str();
  switch (a.type) {
    case ValueType::kInteger:
      if (!IsDecimalInteger(s)) {
        return Invalid(path, fmt::format("'{}' is not an integer", s));
      }
      break;
    case ValueType::kBoolean:
      if (s != "true" && s != "false") {
        return Invalid(path, fmt::format("'{}' is not true or false", s));
      }
      break;
    case ValueType::kDate:
      return CheckDate(path, v);
    case ValueType::kInstant:
      return CheckInstant(path, v);
    case ValueType::kParty:
      return CheckParty(spec, path, v);
    case ValueType::kCategory:
      return CheckCategory(spec, path, v);
    case ValueType::kStatus:
      return CheckStatus(spec, path, v);
    case ValueType::kIdentifier:
      return CheckIdentifier(path, v);
    case ValueType::kFacility:
      return CheckFacility(path, v);
    default:
      break;
  }
  return Status::Ok();
}

Status CheckTotals(const treaty::Spec& spec, std::string_view path,
                   const Value& v) {
  if (!v.is_map()) return Expected(path, "a map from limit ids to integers", v);
  for (const auto& [limit, total] : v.map()) {
    const std::string where = fmt::format("{}.{}", path, limit);
    if (spec.FindLimit(limit) == nullptr) {
      return Invalid(
          where, fmt::format("unknown limit '{}' (declared: {})", limit,
                             JoinNames(spec.limits,
                                       [](const auto& l) { return l.id; })));
    }
    if (!total.is_int()) return Expected(where, "an integer", total);
    if (total.integer() < 0) {
      return Invalid(where,
                     fmt::format("{} is negative: a total is a count of items "
                                 "or warheads",
                                 total.integer()));
    }
  }
  return Status::Ok();
}

Status CheckField(const treaty::Spec& spec, const treaty::Field& field,
                  std::string_view path, const Value& v) {
  switch (field.type) {
    case ValueType::kInteger:
      if (!v.is_int()) return Expected(path, "an integer", v);
      return Status::Ok();
    case ValueType::kBoolean:
      if (!v.is_int() || (v.integer() != 0 && v.integer() != 1)) {
        return Expected(path, "a boolean (the integer 0 or 1)", v);
      }
      return Status::Ok();
    case ValueType::kString:
    case ValueType::kText:
      return CheckString(path, v);
    case ValueType::kDate:
      return CheckDate(path, v);
    case ValueType::kInstant:
      return CheckInstant(path, v);
    case ValueType::kIdentifier:
      return CheckIdentifier(path, v);
    case ValueType::kFacility:
      return CheckFacility(path, v);
    case ValueType::kParty:
      return CheckParty(spec, path, v);
    case ValueType::kCategory:
      return CheckCategory(spec, path, v);
    case ValueType::kStatus:
      return CheckStatus(spec, path, v);
    case ValueType::kEnum:
      if (!v.is_str()) return Expected(path, "a string", v);
      if (std::find(field.values.begin(), field.values.end(), v.str()) ==
          field.values.end()) {
        return Invalid(
            path, fmt::format("'{}' is not one of: {}", v.str(),
                              JoinNames(field.values, [](const std::string& s) {
                                return s;
                              })));
      }
      return Status::Ok();
    case ValueType::kItemList: {
      if (!v.is_list()) return Expected(path, "a list of items", v);
      const Value::List& items = v.list();
      for (size_t i = 0; i < items.size(); ++i) {
        DETENTE_RETURN_IF_ERROR(
            ValidateItemRecord(spec, items[i], fmt::format("{}[{}]", path, i)));
      }
      return Status::Ok();
    }
    case ValueType::kTotals:
      return CheckTotals(spec, path, v);
  }
  return Status::Internal(fmt::format("{}: unhandled field type", path));
}

Status CheckEnvelopeTime(std::string_view name, Instant t) {
  if (!IsRepresentable(t)) {
    return Invalid(name, fmt::format("{} seconds since 1970 is outside the "
                                     "years 0001 to 9999",
                                     t.unix_seconds()));
  }
  return Status::Ok();
}

// The end of the data-exchange period that `d` falls in, or `d` itself
// when it is a period end: the smallest first_start + k * months (k >= 1)
// on or after `d`.
Result<Date> PeriodEndOnOrAfter(const treaty::DataExchange& dx, Date d) {
  const Date first_end = dx.first_period_start.AddMonths(dx.period_months);
  if (d <= first_end) return first_end;
  DETENTE_ASSIGN_OR_RETURN(
      Period p, PeriodContaining(dx.first_period_start, dx.period_months, d));
  return p.range.start == d ? d : p.range.end;
}

}  // namespace

std::string CanonicalBytes(const Notification& n) {
  Value::Map env;
  env.emplace("body", n.body);
  env.emplace("event_time", Value::Str(n.event_time.ToString()));
  env.emplace("sender", Value::Str(n.sender));
  env.emplace("sent_time", Value::Str(n.sent_time.ToString()));
  env.emplace("sequence", Value::Int(static_cast<int64_t>(n.sequence)));
  env.emplace("treaty", Value::Str(n.treaty));
  env.emplace("type", Value::Str(n.type));
  std::string out(kRecordMagic);
  out += Encode(Value::OfMap(std::move(env)));
  return out;
}

Result<Notification> ParseCanonical(std::string_view bytes) {
  const auto bad = [](std::string_view what) {
    return Status::InvalidArgument(
        fmt::format("notification record: {}", what));
  };
  if (bytes.size() < kRecordMagic.size() ||
      bytes.substr(0, kRecordMagic.size()) != kRecordMagic) {
    return bad(fmt::format(
        "does not start with the magic \"{}\" (found {})", kRecordMagic,
        crypto::HexEncode(crypto::AsBytes(
            bytes.substr(0, std::min(bytes.size(), kRecordMagic.size()))))));
  }
  Result<Value> decoded =
      Decode(bytes.substr(kRecordMagic.size()), kRecordMagic.size());
  if (!decoded.ok()) return bad(decoded.status().message());
  Value env = std::move(decoded).value();
  if (!env.is_map())
    return bad(fmt::format("expected a map, got {}", Describe(env)));
  for (const auto& [key, unused] : env.map()) {
    if (std::find(kEnvelopeKeys.begin(), kEnvelopeKeys.end(), key) ==
        kEnvelopeKeys.end()) {
      return bad(fmt::format("unknown envelope key '{}'", key));
    }
  }
  for (std::string_view key : kEnvelopeKeys) {
    if (env.Find(key) == nullptr) {
      return bad(fmt::format("missing envelope key '{}'", key));
    }
  }

  Notification n;
  Value::Map& m = env.mutable_map();
  const auto str = [&](std::string_view key, std::string* out) -> Status {
    Value& v = m.find(key)->second;
    if (!v.is_str()) {
      return bad(
          fmt::format("{}: expected a string, got {}", key, Describe(v)));
    }
    *out = v.str();
    return Status::Ok();
  };
  const auto time = [&](std::string_view key, Instant* out) -> Status {
    std::string text;
    DETENTE_RETURN_IF_ERROR(str(key, &text));
    Result<Instant> t = ParseCanonicalInstant(text);
    if (!t.ok()) return bad(fmt::format("{}: {}", key, t.status().message()));
    *out = *t;
    return Status::Ok();
  };
  DETENTE_RETURN_IF_ERROR(str("treaty", &n.treaty));
  DETENTE_RETURN_IF_ERROR(str("sender", &n.sender));
  DETENTE_RETURN_IF_ERROR(str("type", &n.type));
  DETENTE_RETURN_IF_ERROR(time("event_time", &n.event_time));
  DETENTE_RETURN_IF_ERROR(time("sent_time", &n.sent_time));
  const Value& seq = m.find("sequence")->second;
  if (!seq.is_int()) {
    return bad(
        fmt::format("sequence: expected an integer, got {}", Describe(seq)));
  }
  if (seq.integer() < 1) {
    return bad(
        fmt::format("sequence: {} is not a sequence number (they "
                    "start at 1)",
                    seq.integer()));
  }
  n.sequence = static_cast<uint64_t>(seq.integer());
  Value& body = m.find("body")->second;
  if (!body.is_map()) {
    return bad(fmt::format("body: expected a map, got {}", Describe(body)));
  }
  n.body = std::move(body);
  return n;
}

std::string SignedNotification::Entry() const {
  std::string out = canonical;
  out.append(crypto::AsString(signature));
  return out;
}

SignedNotification Sign(const Notification& n, const crypto::SignerKey& key) {
  SignedNotification s;
  s.notification = n;
  s.canonical = CanonicalBytes(n);
  std::string message(kSignatureContext);
  message += s.canonical;
  s.signature = key.key_pair().Sign(crypto::AsBytes(message));
  return s;
}

Result<SignedNotification> ParseEntry(std::string_view entry) {
  constexpr size_t kSig = crypto::kEd25519SignatureSize;
  if (entry.size() < kRecordMagic.size() + kSig) {
    return Status::InvalidArgument(fmt::format(
        "notification entry: {} bytes is too short for a record and its "
        "{}-byte signature",
        entry.size(), kSig));
  }
  if (entry.size() > kMaxEntryBytes) {
    return Status::InvalidArgument(
        fmt::format("notification entry: {} bytes, more than the {} a log "
                    "entry may be",
                    entry.size(), kMaxEntryBytes));
  }
  const std::string_view canonical = entry.substr(0, entry.size() - kSig);
  Result<Notification> n = ParseCanonical(canonical);
  if (!n.ok()) {
    return n.status().WithContext(
        "notification entry (record || 64-byte signature)");
  }
  SignedNotification s;
  s.notification = std::move(n).value();
  s.canonical = std::string(canonical);
  std::copy_n(entry.data() + canonical.size(), kSig, s.signature.begin());
  return s;
}

Status VerifySignature(const SignedNotification& s,
                       const crypto::VerifierKey& sender_key) {
  const Notification& n = s.notification;
  // The signature covers `canonical`; the fields read by callers must be
  // the ones it covers.
  if (s.canonical != CanonicalBytes(n)) {
    return Status::InvalidArgument(fmt::format(
        "notification {} #{}: the signed bytes are not the canonical bytes of "
        "the notification",
        n.sender, n.sequence));
  }
  std::string message(kSignatureContext);
  message += s.canonical;
  Status st = crypto::Ed25519Verify(sender_key.public_key(),
                                    crypto::AsBytes(message), s.signature);
  if (!st.ok()) {
    return st.WithContext(fmt::format(
        "notification {} #{}: signature does not verify under key {}", n.sender,
        n.sequence, sender_key.ToString()));
  }
  return Status::Ok();
}

Status Validate(const treaty::Spec& spec, const Notification& n) {
  if (n.treaty != spec.id) {
    return Status::InvalidArgument(
        fmt::format("notification is for treaty '{}', this spec is '{}'",
                    n.treaty, spec.id));
  }
  DETENTE_RETURN_IF_ERROR(CheckParty(spec, "sender", Value::Str(n.sender)));
  if (n.sequence == 0) {
    return Invalid("sequence",
                   "0 is not a sequence number: each sender numbers "
                   "its notifications 1, 2, 3, ...");
  }
  if (n.sequence > kMaxSequence) {
    return Invalid("sequence", fmt::format("{} is larger than {}", n.sequence,
                                           kMaxSequence));
  }
  const treaty::NotificationType* type = spec.FindNotification(n.type);
  if (type == nullptr) {
    return Invalid("type", fmt::format("'{}' is not in the notification "
                                       "catalogue of '{}'",
                                       n.type, spec.id));
  }
  DETENTE_RETURN_IF_ERROR(CheckEnvelopeTime("event_time", n.event_time));
  DETENTE_RETURN_IF_ERROR(CheckEnvelopeTime("sent_time", n.sent_time));
  if (!n.body.is_map()) return Expected("body", "a map of fields", n.body);

  for (const auto& [name, value] : n.body.map()) {
    if (type->FindField(name) == nullptr) {
      return Invalid(
          fmt::format("body.{}", name),
          fmt::format("unknown field of {} (fields: {})", type->code,
                      JoinNames(type->fields, [](const treaty::Field& f) {
                        return f.name;
                      })));
    }
  }
  for (const treaty::Field& field : type->fields) {
    const std::string path = fmt::format("body.{}", field.name);
    const Value* v = n.body.Find(field.name);
    if (v == nullptr) {
      if (field.required) {
        return Invalid(
            path, fmt::format("required field of {} is missing", type->code));
      }
      continue;
    }
    DETENTE_RETURN_IF_ERROR(CheckField(spec, field, path, *v));
  }

  // The envelope map's encoding: header, keys, then each value.
  size_t size = 1 + 4;
  for (std::string_view key : kEnvelopeKeys) size += 4 + key.size();
  size += EncodedSize(n.body) + 2 * (1 + 4 + 20) + (1 + 8) +
          (1 + 4 + n.sender.size()) + (1 + 4 + n.treaty.size()) +
          (1 + 4 + n.type.size());
  size += kRecordMagic.size() + crypto::kEd25519SignatureSize;
  if (size > kMaxEntryBytes) {
    return Invalid("body", fmt::format("the signed entry would be {} bytes, "
                                       "more than the {} a log entry may be",
                                       size, kMaxEntryBytes));
  }
  return Status::Ok();
}

namespace {

// CheckField's verdict on a value read in place; false for the field types
// left to Validate.
bool QuickField(const treaty::Spec& spec, const treaty::Field& field,
                const FieldView& v) {
  switch (field.type) {
    case ValueType::kInteger:
      return v.is_int();
    case ValueType::kBoolean:
      return v.is_int() && (v.integer == 0 || v.integer == 1);
    case ValueType::kString:
    case ValueType::kText:
      return v.is_str();  // UTF-8: checked when the record was parsed
    case ValueType::kDate:
      return v.is_str() && Date::Parse(v.str).ok();
    case ValueType::kInstant:
      return v.is_str() && ParseCanonicalInstantText(v.str).has_value();
    case ValueType::kIdentifier:
      return v.is_str() && IsIdentifier(v.str);
    case ValueType::kFacility:
      return v.is_str() && IsFacility(v.str);
    case ValueType::kParty:
      return v.is_str() && spec.FindParty(v.str) != nullptr;
    case ValueType::kCategory:
      return v.is_str() && spec.FindCategory(v.str) != nullptr;
    case ValueType::kStatus:
      return v.is_str() && spec.FindStatus(v.str) != nullptr;
    case ValueType::kEnum:
      return v.is_str() && std::find(field.values.begin(), field.values.end(),
                                     v.str) != field.values.end();
    case ValueType::kItemList:
    case ValueType::kTotals:
      return false;
  }
  return false;
}

}  // namespace

bool QuickValidate(const treaty::Spec& spec, const RecordView& r) {
  return QuickValidate(spec, spec.FindNotification(r.type), r);
}

bool QuickValidate(const treaty::Spec& spec,
                   const treaty::NotificationType* type, const RecordView& r) {
  // Validate's checks in its order (the sequence and the times are in range
  // for every parsed record, and the body is a map).
  if (r.treaty != spec.id || spec.FindParty(r.sender) == nullptr ||
      r.sequence == 0 || r.sequence > kMaxSequence) {
    return false;
  }
  if (type == nullptr || !IsRepresentable(r.event_time) ||
      !IsRepresentable(r.sent_time)) {
    return false;
  }
  // One walk of the body: every field known and well typed, and every
  // required field among them (a type's field names are distinct).
  bool ok = true;
  size_t required_seen = 0;
  r.body.ForEach([&](std::string_view name, const FieldView& v) {
    const treaty::Field* field = type->FindField(name);
    ok = field != nullptr && QuickField(spec, *field, v);
    if (ok && field->required) ++required_seen;
    return ok;
  });
  if (!ok) return false;
  size_t required = 0;
  for (const treaty::Field& field : type->fields) {
    if (field.required) ++required;
  }
  if (required_seen != required) return false;
  return r.record.size() + crypto::kEd25519SignatureSize <= kMaxEntryBytes;
}

Status ValidateItemRecord(const treaty::Spec& spec, const Value& item,
                          std::string_view path) {
  if (!item.is_map()) return Expected(path, "an item map", item);
  for (const auto& [key, unused] : item.map()) {
    if (std::find(kItemKeys.begin(), kItemKeys.end(), key) == kItemKeys.end()) {
      return Invalid(fmt::format("{}.{}", path, key),
                     "unknown item key (keys: id, party, category, status, "
                     "type, facility, warheads, attributes)");
    }
  }
  const auto at = [&](std::string_view key) {
    return fmt::format("{}.{}", path, key);
  };
  for (std::string_view key : {"id", "party", "category", "status"}) {
    if (item.Find(key) == nullptr) {
      return Invalid(at(key), "required item key is missing");
    }
  }
  DETENTE_RETURN_IF_ERROR(CheckIdentifier(at("id"), *item.Find("id")));
  DETENTE_RETURN_IF_ERROR(CheckParty(spec, at("party"), *item.Find("party")));
  DETENTE_RETURN_IF_ERROR(
      CheckCategory(spec, at("category"), *item.Find("category")));
  DETENTE_RETURN_IF_ERROR(
      CheckStatus(spec, at("status"), *item.Find("status")));
  const treaty::Category& category =
      *spec.FindCategory(item.Find("category")->str());
  if (const Value* v = item.Find("type")) {
    DETENTE_RETURN_IF_ERROR(CheckString(at("type"), *v));
  }
  if (const Value* v = item.Find("facility")) {
    DETENTE_RETURN_IF_ERROR(CheckFacility(at("facility"), *v));
  }
  if (const Value* v = item.Find("warheads")) {
    if (!v->is_int()) return Expected(at("warheads"), "an integer", *v);
    if (v->integer() < 0) {
      return Invalid(at("warheads"),
                     fmt::format("{} is negative", v->integer()));
    }
    if (v->integer() > 0 && !category.carries_warheads) {
      return Invalid(at("warheads"),
                     fmt::format("category '{}' does not carry warheads, but "
                                 "{} are declared",
                                 category.id, v->integer()));
    }
  }
  const Value* attributes = item.Find("attributes");
  if (attributes != nullptr) {
    if (!attributes->is_map()) {
      return Expected(at("attributes"), "a map of strings", *attributes);
    }
    for (const auto& [name, value] : attributes->map()) {
      const std::string where = fmt::format("{}.attributes.{}", path, name);
      const treaty::Attribute* a = category.FindAttribute(name);
      if (a == nullptr) {
        return Invalid(
            where,
            fmt::format("category '{}' has no attribute '{}' (declared: {})",
                        category.id, name,
                        category.attributes.empty()
                            ? std::string("none")
                            : JoinNames(category.attributes,
                                        [](const treaty::Attribute& x) {
                                          return x.name;
                                        })));
      }
      DETENTE_RETURN_IF_ERROR(CheckAttribute(spec, *a, where, value));
    }
  }
  for (const treaty::Attribute& a : category.attributes) {
    if (a.required &&
        (attributes == nullptr || attributes->Find(a.name) == nullptr)) {
      return Invalid(
          fmt::format("{}.attributes.{}", path, a.name),
          fmt::format("required by category '{}' but missing", category.id));
    }
  }
  return Status::Ok();
}

Result<std::optional<Instant>> DueBy(const treaty::Spec& spec,
                                     const Notification& n) {
  return DueBy(spec, n.type, n.event_time);
}

Result<std::optional<Instant>> DueBy(const treaty::Spec& spec,
                                     std::string_view type_code,
                                     Instant event_time) {
  const treaty::NotificationType* type = spec.FindNotification(type_code);
  if (type == nullptr) {
    return Status::NotFound(
        fmt::format("type: '{}' is not in the notification catalogue of '{}'",
                    type_code, spec.id));
  }
  if (!type->deadline.has_value()) return std::optional<Instant>();
  const treaty::DeadlineRule& rule = *type->deadline;
  Instant anchor;
  switch (rule.anchor) {
    case treaty::DeadlineRule::Anchor::kEvent:
      anchor = event_time;
      break;
    case treaty::DeadlineRule::Anchor::kPeriodEnd: {
      if (!spec.data_exchange.has_value()) {
        return Status::FailedPrecondition(fmt::format(
            "{}: the deadline '{}' counts from the end of a data-exchange "
            "period, but treaty '{}' has no [data_exchange]",
            type->code, rule.text, spec.id));
      }
      DETENTE_ASSIGN_OR_RETURN(
          Date end, PeriodEndOnOrAfter(*spec.data_exchange, event_time.date()));
      anchor = Instant::StartOf(end);
      break;
    }
    case treaty::DeadlineRule::Anchor::kEntryIntoForce:
      anchor = Instant::StartOf(spec.dates.entry_into_force);
      break;
    case treaty::DeadlineRule::Anchor::kCalendarYearStart: {
      DETENTE_ASSIGN_OR_RETURN(
          Date jan1, Date::FromYmd(event_time.date().year() + 1, 1, 1));
      anchor = Instant::StartOf(jan1);
      break;
    }
  }
  return std::optional<Instant>(rule.DueBy(anchor));
}

bool IsDeclaration(std::string_view type) {
  return type.ends_with("-DB-INIT") || type.ends_with("-DB-UPDATE");
}

bool IsPeriodicUpdate(std::string_view type) {
  return type.ends_with("-DB-UPDATE");
}

std::vector<UpdateDue> PeriodicUpdatesDue(const treaty::Spec& spec,
                                          Instant until) {
  std::vector<UpdateDue> out;
  const treaty::NotificationType* update = nullptr;
  for (const treaty::NotificationType& t : spec.notifications) {
    if (IsPeriodicUpdate(t.code)) update = &t;
  }
  if (!spec.data_exchange || update == nullptr || !update->deadline) {
    return out;
  }
  const std::optional<Date> end = spec.End();
  for (int k = 0;; ++k) {
    Date as_of = NthPeriod(spec.data_exchange->first_period_start,
                           spec.data_exchange->period_months, k)
                     .range.end;
    if (end && as_of >= *end) break;
    Instant due = update->deadline->DueBy(Instant::StartOf(as_of));
    if (due > until) break;
    out.push_back({as_of, due});
  }
  return out;
}

}  // namespace detente::notification
