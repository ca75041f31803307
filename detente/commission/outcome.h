// Commission outcomes: numbered Agreements and Decisions, each signed by
// every party's Commissioner, and the offline check of those signatures.
//
// An outcome's canonical bytes are the DTN1 value encoding
// (notification/value.h) of the map
//   {"confidential": 0|1, "issues": [id, ...], "kind": "agreement",
//    "number": 1, "session": "S3", "signed": "2012-02-07",
//    "text": "...", "title": "...", "treaty": "new-start"}
// and each Commissioner signs, with Ed25519,
//   "detente/commission/outcome/v1\n" || canonical bytes.
// The signatures travel in the outcome notification's `signatures` text,
// one line per party: "<party> <key id, 8 hex digits> <base64 signature>".
// Anyone holding the Commissioners' verifier keys can check an outcome
// without the logs (VerifyOutcome). docs/commission.md has the format.
//
// Values and pure functions; thread-safe.
#ifndef DETENTE_COMMISSION_OUTCOME_H_
#define DETENTE_COMMISSION_OUTCOME_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/crypto/ed25519.h"
#include "detente/crypto/keys.h"
#include "detente/notification/notification.h"
#include "detente/treaty/spec.h"

namespace detente::commission {

inline constexpr std::string_view kOutcomeSignatureContext =
    "detente/commission/outcome/v1\n";

// What the Commissioners sign.
struct OutcomeRecord {
  std::string treaty;   // spec id
  std::string session;  // the session the outcome came from
  std::string kind;     // one of the spec's outcome kinds, e.g. "agreement"
  int64_t number = 0;   // 1, 2, ... per kind
  std::string title;
  Date signed_on;
  std::string text;
  bool confidential = true;
  std::vector<std::string> issues;  // issues the outcome resolves
  friend bool operator==(const OutcomeRecord&, const OutcomeRecord&) = default;
};

// One Commissioner's signature.
struct OutcomeSignature {
  std::string party;
  uint32_t key_id = 0;  // of the Commissioner's verifier key
  crypto::Ed25519Signature signature{};
  friend bool operator==(const OutcomeSignature&,
                         const OutcomeSignature&) = default;
};

// The canonical bytes (without the context string).
std::string OutcomeCanonicalBytes(const OutcomeRecord& record);

// `key` signs the record on behalf of `party`. The key should be of type
// kEd25519 (the type is part of the key id).
OutcomeSignature SignOutcome(const OutcomeRecord& record,
                             std::string_view party,
                             const crypto::SignerKey& key);

// The `signatures` text: one "<party> <key id> <base64>" line per
// signature, each ending in '\n', in the order given.
std::string FormatSignatures(const std::vector<OutcomeSignature>& signatures);

// Strict inverse of FormatSignatures: every line three fields separated by
// single spaces, the key id 8 lower-case hex digits, the signature base64
// of 64 bytes, no party twice. Whether the parties are the spec's is
// VerifyOutcome's business. InvalidArgument naming the line.
Result<std::vector<OutcomeSignature>> ParseSignatures(std::string_view text);

// The record and signatures of an outcome notification (a -OUTCOME message
// that passed notification::Validate): the body's fields, "issues" parsed
// with ParseIdList, "signatures" with ParseSignatures.
struct OutcomeMessage {
  OutcomeRecord record;
  std::vector<OutcomeSignature> signatures;
};
Result<OutcomeMessage> OutcomeFromNotification(
    const notification::Notification& n);

// The body fields of an outcome notification carrying `record` and
// `signatures` (for building messages: the inverse of
// OutcomeFromNotification).
notification::Value::Map OutcomeBody(
    const OutcomeRecord& record,
    const std::vector<OutcomeSignature>& signatures);

// OK when `signatures` holds exactly one valid signature of `record` per
// party in `parties`, each by that party's key in `commissioner_keys`
// (party code -> verifier key) and no signature by anyone else. Otherwise
// InvalidArgument naming every problem, e.g. "agreement 1 (session S3):
// no signature by CN's commissioner; signature by RU does not verify under
// key RU-commissioner+1a2b3c4d: ...".
Status VerifyOutcome(
    const OutcomeRecord& record,
    const std::vector<OutcomeSignature>& signatures,
    const std::vector<std::string>& parties,
    const std::map<std::string, crypto::VerifierKey>& commissioner_keys);

// The parties of a spec, in spec order.
std::vector<std::string> PartyCodes(const treaty::Spec& spec);

}  // namespace detente::commission

#endif  // DETENTE_COMMISSION_OUTCOME_H_
