#include "detente/commission/outcome.h"

#include <set>

#include "detente/commission/agenda.h"
#include "detente/crypto/encoding.h"
#include "detente/notification/value.h"
#include "fmt/format.h"

namespace detente::commission {
namespace {

using notification::Value;

std::string Message(const OutcomeRecord& record) {
  std::string m(kOutcomeSignatureContext);
  m += OutcomeCanonicalBytes(record);
  return m;
}

std::string Label(const OutcomeRecord& r) {
  return fmt::format("{} {} (session {})", r.kind, r.number, r.session);
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

const std::string* StrField(const Value& body, std::string_view key) {
  const Value* v = body.Find(key);
  return v != nullptr && v->is_str() ? &v->str() : nullptr;
}

}  // namespace

std::string OutcomeCanonicalBytes(const OutcomeRecord& r) {
  Value::List issues;
  for (const std::string& id : r.issues) issues.push_back(Value::Str(id));
  return notification::Encode(Value::OfMap({
      {"confidential", Value::Int(r.confidential ? 1 : 0)},
      {"issues", Value::OfList(std::move(issues))},
      {"kind", Value::Str(r.kind)},
      {"number", Value::Int(r.number)},
      {"session", Value::Str(r.session)},
      {"signed", Value::Str(r.signed_on.ToString())},
      {"text", Value::Str(r.text)},
      {"title", Value::Str(r.title)},
      {"treaty", Value::Str(r.treaty)},
  }));
}

OutcomeSignature SignOutcome(const OutcomeRecord& record,
                             std::string_view party,
                             const crypto::SignerKey& key) {
  OutcomeSignature s;
  s.party = std::string(party);
  s.key_id = key.key_id();
  s.signature = key.key_pair().Sign(crypto::AsBytes(Message(record)));
  return s;
}

std::string FormatSignatures(const std::vector<OutcomeSignature>& signatures) {
  std::string out;
  for (const OutcomeSignature& s : signatures) {
    out += fmt::format("{} {} {}\n", s.party, crypto::FormatKeyId(s.key_id),
                       crypto::Base64Encode(s.signature));
  }
  return out;
}

Result<std::vector<OutcomeSignature>> ParseSignatures(std::string_view text) {
  std::vector<OutcomeSignature> out;
  std::set<std::string, std::less<>> parties;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format(
          "signatures line {}: does not end in a line feed", line_number));
    }
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    auto bad = [&](std::string_view what) {
      return Status::InvalidArgument(
          fmt::format("signatures line {}: {}", line_number, what));
    };
    size_t sp1 = line.find(' ');
    size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos ||
        line.find(' ', sp2 + 1) != std::string_view::npos) {
      return bad(
          "expected '<party> <key id> <base64 signature>', three fields "
          "separated by single spaces");
    }
    std::string_view party = line.substr(0, sp1);
    std::string_view key_id = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view sig = line.substr(sp2 + 1);
    if (party.empty()) return bad("the party is empty");
    if (key_id.size() != 8 || !IsLowerHex(key_id)) {
      return bad(
          fmt::format("key id '{}' is not 8 lower-case hex digits", key_id));
    }
    Result<std::vector<uint8_t>> bytes = crypto::Base64Decode(sig);
    if (!bytes.ok()) return bad(bytes.status().message());
    if (bytes->size() != crypto::kEd25519SignatureSize) {
      return bad(
          fmt::format("the signature is {} bytes, not 64", bytes->size()));
    }
    if (!parties.emplace(party).second) {
      return bad(fmt::format("a second signature by {}", party));
    }
    OutcomeSignature s;
    s.party = std::string(party);
    for (char c : key_id) {
      s.key_id = (s.key_id << 4) |
                 static_cast<uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    std::copy(bytes->begin(), bytes->end(), s.signature.begin());
    out.push_back(std::move(s));
  }
  return out;
}

Result<OutcomeMessage> OutcomeFromNotification(
    const notification::Notification& n) {
  const Value& b = n.body;
  OutcomeMessage m;
  OutcomeRecord& r = m.record;
  r.treaty = n.treaty;
  const std::string* session = StrField(b, "session");
  const std::string* kind = StrField(b, "kind");
  const std::string* title = StrField(b, "title");
  const std::string* signed_on = StrField(b, "signed");
  const std::string* text = StrField(b, "text");
  const std::string* signatures = StrField(b, "signatures");
  const Value* number = b.Find("number");
  const Value* confidential = b.Find("confidential");
  if (!session || !kind || !title || !signed_on || !text || !signatures ||
      !number || !number->is_int() || !confidential ||
      !confidential->is_int()) {
    return Status::InvalidArgument(
        "outcome: missing one of session, kind, number, title, signed, text, "
        "confidential, signatures");
  }
  r.session = *session;
  r.kind = *kind;
  r.number = number->integer();
  r.title = *title;
  DETENTE_ASSIGN_OR_RETURN(r.signed_on, Date::Parse(*signed_on));
  r.text = *text;
  r.confidential = confidential->integer() != 0;
  if (const std::string* issues = StrField(b, "issues")) {
    DETENTE_ASSIGN_OR_RETURN(r.issues, ParseIdList(*issues, "body.issues"));
  }
  Result<std::vector<OutcomeSignature>> sigs = ParseSignatures(*signatures);
  if (!sigs.ok()) return sigs.status().WithContext("body.signatures");
  m.signatures = std::move(sigs).value();
  return m;
}

Value::Map OutcomeBody(const OutcomeRecord& r,
                       const std::vector<OutcomeSignature>& signatures) {
  Value::Map m = {
      {"session", Value::Str(r.session)},
      {"kind", Value::Str(r.kind)},
      {"number", Value::Int(r.number)},
      {"title", Value::Str(r.title)},
      {"signed", Value::Str(r.signed_on.ToString())},
      {"text", Value::Str(r.text)},
      {"confidential", Value::Int(r.confidential ? 1 : 0)},
      {"signatures", Value::Str(FormatSignatures(signatures))},
  };
  if (!r.issues.empty()) m["issues"] = Value::Str(JoinIds(r.issues));
  return m;
}

Status VerifyOutcome(
    const OutcomeRecord& record,
    const std::vector<OutcomeSignature>& signatures,
    const std::vector<std::string>& parties,
    const std::map<std::string, crypto::VerifierKey>& commissioner_keys) {
  std::vector<std::string> problems;
  const std::string message = Message(record);
  std::set<std::string, std::less<>> expected(parties.begin(), parties.end());
  for (const OutcomeSignature& s : signatures) {
    if (!expected.contains(s.party)) {
      problems.push_back(
          fmt::format("a signature by {}, which is not a party", s.party));
    }
  }
  for (const std::string& party : parties) {
    const OutcomeSignature* sig = nullptr;
    for (const OutcomeSignature& s : signatures) {
      if (s.party == party) sig = &s;
    }
    if (sig == nullptr) {
      problems.push_back(
          fmt::format("no signature by {}'s commissioner", party));
      continue;
    }
    auto key = commissioner_keys.find(party);
    if (key == commissioner_keys.end()) {
      problems.push_back(fmt::format(
          "no commissioner key for {}: its signature cannot be checked",
          party));
      continue;
    }
    if (key->second.key_id() != sig->key_id) {
      problems.push_back(fmt::format(
          "signature by {} names key id {}, but {}'s commissioner key is {}",
          party, crypto::FormatKeyId(sig->key_id), party,
          key->second.ToString()));
      continue;
    }
    Status v = crypto::Ed25519Verify(key->second.public_key(),
                                     crypto::AsBytes(message), sig->signature);
    if (!v.ok()) {
      problems.push_back(
          fmt::format("signature by {} does not verify under key {}: {}", party,
                      key->second.ToString(), v.message()));
    }
  }
  if (problems.empty()) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("{}: {}", Label(record), fmt::join(problems, "; ")));
}

std::vector<std::string> PartyCodes(const treaty::Spec& spec) {
  std::vector<std::string> out;
  for (const treaty::Party& p : spec.parties) out.push_back(p.code);
  return out;
}

}  // namespace detente::commission
