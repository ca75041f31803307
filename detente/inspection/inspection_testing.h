// Test-only helpers for the inspection tests: the bundled specs, a builder
// of valid inspection notifications (per-party sequence numbers, catalogue
// codes looked up by kind), and the inspected party's side of the
// reentry-vehicle commitment. Missile and facility ids are SYNTHETIC.
// Never include from library code.
#ifndef DETENTE_INSPECTION_INSPECTION_TESTING_H_
#define DETENTE_INSPECTION_INSPECTION_TESTING_H_

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "detente/crypto/encoding.h"
#include "detente/inspection/inspections.h"
#include "detente/inspection/messages.h"
#include "detente/inspection/selection.h"
#include "detente/notification/notification.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::inspection::testutil {

using notification::Notification;
using notification::Value;

inline const treaty::Spec& Bundled(const std::string& stem) {
  return treaty::testing::BundledSpec(stem);
}
inline const treaty::Spec& NewStart() { return Bundled("new-start"); }
inline const treaty::Spec& FollowOn3p() { return Bundled("follow-on-3p"); }

// The catalogue code of `kind` in `spec` ("" when the spec has none).
inline std::string CodeFor(const treaty::Spec& spec, MessageKind kind) {
  for (const treaty::NotificationType& t : spec.notifications) {
    if (KindOf(t.code) == kind) return t.code;
  }
  return "";
}

inline Instant T(const std::string& s) { return *Instant::Parse(s); }

// 32 bytes of `fill` as 64 hex digits.
inline std::string Hex32(uint8_t fill) {
  std::vector<uint8_t> b(32, fill);
  return crypto::HexEncode(b);
}

// Builds notifications that pass notification::Validate (checked).
class Messages {
 public:
  explicit Messages(const treaty::Spec& spec) : spec_(spec) {}

  Notification Make(const std::string& sender, MessageKind kind,
                    const std::string& event, Value::Map body) {
    Notification n;
    n.treaty = spec_.id;
    n.sender = sender;
    n.sequence = ++seq_[sender];
    n.type = CodeFor(spec_, kind);
    n.event_time = T(event);
    n.sent_time = T(event);
    const treaty::NotificationType* type = spec_.FindNotification(n.type);
    EXPECT_NE(type, nullptr) << SuffixOf(kind);
    // Fields every message of the kind carries in the catalogue but the
    // fold does not read.
    auto fill = [&](const char* name, Value v) {
      if (type != nullptr && type->FindField(name) != nullptr &&
          body.find(name) == body.end()) {
        body.emplace(name, std::move(v));
      }
    };
    if (kind == MessageKind::kRequest) {
      // Advance notice: sent two days before the planned arrival.
      n.sent_time = n.event_time.AddHours(-48);
      fill("point_of_entry", Value::Str("synthetic point of entry"));
      fill("arrival", Value::Str(event));
    }
    if (kind == MessageKind::kArrival) fill("arrived", Value::Str(event));
    if (kind == MessageKind::kComplete) fill("completed", Value::Str(event));
    n.body = Value::OfMap(std::move(body));
    Status v = notification::Validate(spec_, n);
    EXPECT_TRUE(v.ok()) << n.type << ": " << v;
    return n;
  }

  Notification Request(const std::string& p, const std::string& t,
                       const std::string& id, const std::string& type,
                       const std::string& inspected = "") {
    Value::Map b = {{"inspection", Value::Str(id)},
                    {"inspection_type", Value::Str(type)}};
    if (!inspected.empty()) b.emplace("inspected_party", Value::Str(inspected));
    return Make(p, MessageKind::kRequest, t, std::move(b));
  }
  Notification Arrive(const std::string& p, const std::string& t,
                      const std::string& id, const std::string& type,
                      const std::string& facility) {
    return Make(p, MessageKind::kArrival, t,
                {{"inspection", Value::Str(id)},
                 {"inspection_type", Value::Str(type)},
                 {"facility", Value::Str(facility)}});
  }
  Notification Complete(const std::string& p, const std::string& t,
                        const std::string& id, const std::string& type,
                        const std::string& facility,
                        const std::string& item = "",
                        std::optional<int64_t> counted = std::nullopt,
                        const std::string& inspected = "") {
    Value::Map b = {{"inspection", Value::Str(id)},
                    {"inspection_type", Value::Str(type)},
                    {"facility", Value::Str(facility)}};
    if (!item.empty()) b.emplace("rv_inspected_item", Value::Str(item));
    if (counted) b.emplace("rv_counted", Value::Int(*counted));
    if (!inspected.empty()) b.emplace("inspected_party", Value::Str(inspected));
    return Make(p, MessageKind::kComplete, t, std::move(b));
  }
  Notification Commit(const std::string& p, const std::string& t,
                      const std::string& id, const std::string& commitment) {
    return Make(p, MessageKind::kRvCommit, t,
                {{"inspection", Value::Str(id)},
                 {"commitment", Value::Str(commitment)}});
  }
  Notification Random(const std::string& p, const std::string& t,
                      const std::string& id, const std::string& random) {
    return Make(
        p, MessageKind::kRvRandom, t,
        {{"inspection", Value::Str(id)}, {"random", Value::Str(random)}});
  }
  Notification Reveal(const std::string& p, const std::string& t,
                      const std::string& id, const std::string& missiles,
                      const std::string& salt) {
    return Make(p, MessageKind::kRvReveal, t,
                {{"inspection", Value::Str(id)},
                 {"missiles", Value::Str(missiles)},
                 {"salt", Value::Str(salt)}});
  }

 private:
  const treaty::Spec& spec_;
  std::map<std::string, uint64_t> seq_;
};

// The inspected party's commitment, as it would compute it.
inline std::string CommitmentHex(const treaty::Spec& spec,
                                 const std::string& inspection,
                                 const std::string& party,
                                 const std::string& facility,
                                 const std::vector<std::string>& missiles,
                                 const std::string& salt) {
  return crypto::HexEncode(RvCommitment(
      RvOpening{spec.id, inspection, party, facility, missiles, salt}));
}

}  // namespace detente::inspection::testutil

#endif  // DETENTE_INSPECTION_INSPECTION_TESTING_H_
