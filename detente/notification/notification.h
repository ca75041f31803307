// Notification: one message from a party to the others over the
// government-to-government channel, as it is signed and put on the
// sender's log. {treaty, sender, sequence, type, event time, sent time,
// body} — the body's fields typed by the spec's catalogue — plus the
// sender's Ed25519 signature over the canonical bytes.
//
// Canonical bytes (docs/record-format.md): the magic "DTN1" followed by
// Encode() of the map
//   {"body": {...}, "event_time": "YYYY-MM-DDTHH:MM:SSZ", "sender": "US",
//    "sent_time": "...", "sequence": <int>, "treaty": "new-start",
//    "type": "NST-ITEM-MOVE"}
// A log entry is the canonical bytes followed by the 64-byte signature over
// "detente/notification/v1\n" || canonical bytes. Nothing is ever signed
// over JSON.
//
// Sequence numbers start at 1 for each sender and have no gaps.
//
// Values and free functions; thread-safe.
#ifndef DETENTE_NOTIFICATION_NOTIFICATION_H_
#define DETENTE_NOTIFICATION_NOTIFICATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/crypto/ed25519.h"
#include "detente/crypto/keys.h"
#include "detente/notification/value.h"
#include "detente/treaty/spec.h"

namespace detente::notification {

inline constexpr std::string_view kRecordMagic = "DTN1";
inline constexpr std::string_view kSignatureContext =
    "detente/notification/v1\n";
// The largest log entry (record and signature): the ledger's entry limit
// (ledger::kMaxEntryBytes), so that every valid notification can be logged.
inline constexpr size_t kMaxEntryBytes = size_t{1} << 20;

struct Notification {
  std::string treaty;             // spec id, e.g. "new-start"
  std::string sender;             // party code
  uint64_t sequence = 0;          // 1, 2, 3, ... per sender
  std::string type;               // catalogue code
  Instant event_time;             // when the notified event happened (or will)
  Instant sent_time;              // when the sender sent it
  Value body = Value::OfMap({});  // a map: field name -> value

  friend bool operator==(const Notification&, const Notification&) = default;
};

// "DTN1" || Encode(envelope map).
std::string CanonicalBytes(const Notification& n);
// Strict: refuses other magic, a non-canonical encoding, missing or unknown
// envelope keys, a body that is not a map, malformed times.
Result<Notification> ParseCanonical(std::string_view bytes);

struct SignedNotification {
  Notification notification;
  std::string canonical;  // the bytes that were signed (without context)
  crypto::Ed25519Signature signature{};
  // The log entry: canonical || signature.
  std::string Entry() const;
};

// Signs a notification that Validate() accepted; the key's name is not
// checked here (the caller maps sender codes to keys).
SignedNotification Sign(const Notification& n, const crypto::SignerKey& key);
// Splits a log entry into notification and signature; does not verify.
// The signature is the last 64 bytes; everything before it must be one
// canonical record (ParseCanonical), so the split is unambiguous. Refuses
// entries over kMaxEntryBytes.
Result<SignedNotification> ParseEntry(std::string_view entry);
// Verifies the signature under the sender's key (the project's single
// Ed25519 acceptance rule). Also refuses a SignedNotification whose
// `canonical` is not CanonicalBytes(notification), so that what a caller
// reads is what was signed.
Status VerifySignature(const SignedNotification& s,
                       const crypto::VerifierKey& sender_key);

// Checks a notification against the spec before anything is signed or
// appended: the treaty id is the spec's; the sender is a party; the
// sequence is in [1, 2^63 - 1]; the times are in the years 0001 to 9999;
// the signed entry fits in kMaxEntryBytes; the type is
// in the catalogue; every required field is present and no unknown field
// is; each value has its declared type (integer; date "YYYY-MM-DD"; instant
// GMT "YYYY-MM-DDTHH:MM:SSZ" exactly; identifier
// [A-Za-z0-9][A-Za-z0-9._:/-]{0,63}; facility 1 to 128 bytes of UTF-8
// without control characters or a space at either end; party, category and
// status declared in the spec; enum one of its values; item_list a list of
// item maps; totals a map from limit ids to non-negative integers; text and
// string any UTF-8; boolean the integer 0 or 1, as the record has no
// booleans). Messages name the path: "body.items[3].status: unknown
// status 'deployd' (declared: ...)". Sequence gaps and replays are not
// visible in one notification: the log and the regime check them.
Status Validate(const treaty::Spec& spec, const Notification& n);

// The item map inside an item_list field: keys "id", "party", "category",
// "status" (required strings), "type", "facility" (optional strings),
// "warheads" (optional integer >= 0; > 0 only for a category that carries
// warheads) and "attributes" (optional map of strings: each declared by the
// category, holding text of the declared type; required ones present).
// "id" is an identifier and "facility" a facility, as above.
Status ValidateItemRecord(const treaty::Spec& spec, const Value& item,
                          std::string_view path);

// When the notification was due under the catalogue's deadline rule:
// none when its type has no deadline. The anchor is the event time, the
// end of the data-exchange period in which the event falls (for an update
// "as of" a period end, that end itself), entry into force, or the start of
// the calendar year after the event. Precisely (docs/record-format.md): a
// period anchor is the first first_period_start + k * period_months, k >= 1,
// on or after the event's day, at 00:00:00Z. NotFound for a type not in the
// catalogue.
Result<std::optional<Instant>> DueBy(const treaty::Spec& spec,
                                     const Notification& n);
// The same, from the two fields it reads (for records read in place).
Result<std::optional<Instant>> DueBy(const treaty::Spec& spec,
                                     std::string_view type_code,
                                     Instant event_time);

// True for a full declaration of the sender's database, which replaces its
// items: the initial exchange or a periodic update (type codes ending in
// "-DB-INIT" or "-DB-UPDATE"; docs/record-format.md).
bool IsDeclaration(std::string_view type);
// True for the periodic update alone ("-DB-UPDATE").
bool IsPeriodicUpdate(std::string_view type);

// One periodic database update the treaty requires of each party.
struct UpdateDue {
  Date as_of;   // data as of this data-exchange period end
  Instant due;  // the catalogue's deadline for it
};

// Every periodic update due by `until`: one per data-exchange period end
// before the treaty's end, with its deadline under the catalogue's update
// type. Empty when the spec has no data exchange or no update type with a
// deadline.
std::vector<UpdateDue> PeriodicUpdatesDue(const treaty::Spec& spec,
                                          Instant until);

}  // namespace detente::notification

#endif  // DETENTE_NOTIFICATION_NOTIFICATION_H_
