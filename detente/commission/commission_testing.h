// Test-only helpers for the commission tests: the bundled specs, a builder
// of valid commission and dialogue notifications (per-party sequence
// numbers, catalogue codes looked up by kind), and deterministic
// Commissioner keys. Never include from library code.
#ifndef DETENTE_COMMISSION_COMMISSION_TESTING_H_
#define DETENTE_COMMISSION_COMMISSION_TESTING_H_

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "detente/commission/commission.h"
#include "detente/commission/messages.h"
#include "detente/crypto/keys.h"
#include "detente/notification/notification.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::commission::testutil {

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
    n.body = Value::OfMap(std::move(body));
    Status v = notification::Validate(spec_, n);
    EXPECT_TRUE(v.ok()) << n.type << ": " << v;
    return n;
  }

  Notification Raise(const std::string& p, const std::string& t,
                     const std::string& issue) {
    return Make(p, MessageKind::kIssueRaise, t,
                {{"issue", Value::Str(issue)},
                 {"title", Value::Str("about " + issue)}});
  }
  Notification Withdraw(const std::string& p, const std::string& t,
                        const std::string& issue) {
    return Make(p, MessageKind::kIssueWithdraw, t,
                {{"issue", Value::Str(issue)}});
  }
  Notification Propose(const std::string& p, const std::string& t,
                       const std::string& session, const std::string& start,
                       const std::string& end, const std::string& venue) {
    return Make(p, MessageKind::kSessionPropose, t,
                {{"session", Value::Str(session)},
                 {"start", Value::Str(start)},
                 {"end", Value::Str(end)},
                 {"venue", Value::Str(venue)}});
  }
  Notification AcceptDates(const std::string& p, const std::string& t,
                           const std::string& session, const std::string& start,
                           const std::string& end, const std::string& venue) {
    return Make(p, MessageKind::kSessionAccept, t,
                {{"session", Value::Str(session)},
                 {"start", Value::Str(start)},
                 {"end", Value::Str(end)},
                 {"venue", Value::Str(venue)}});
  }
  Notification Agenda(const std::string& p, const std::string& t,
                      const std::string& session, const std::string& issues) {
    return Make(
        p, MessageKind::kAgendaPropose, t,
        {{"session", Value::Str(session)}, {"issues", Value::Str(issues)}});
  }
  Notification AcceptAgenda(const std::string& p, const std::string& t,
                            const std::string& session,
                            const std::string& hash) {
    return Make(
        p, MessageKind::kAgendaAccept, t,
        {{"session", Value::Str(session)}, {"agenda", Value::Str(hash)}});
  }
  Notification Postpone(const std::string& p, const std::string& t,
                        const std::string& session) {
    return Make(p, MessageKind::kPostpone, t,
                {{"session", Value::Str(session)},
                 {"new_dates_to_follow", Value::Int(1)}});
  }
  Notification Cancel(const std::string& p, const std::string& t,
                      const std::string& session) {
    return Make(p, MessageKind::kSessionCancel, t,
                {{"session", Value::Str(session)}});
  }
  Notification Convene(const std::string& p, const std::string& t,
                       const std::string& session) {
    return Make(p, MessageKind::kSessionConvene, t,
                {{"session", Value::Str(session)}});
  }
  Notification Conclude(const std::string& p, const std::string& t,
                        const std::string& session) {
    return Make(p, MessageKind::kSessionConclude, t,
                {{"session", Value::Str(session)}});
  }
  Notification Appoint(const std::string& p, const std::string& t,
                       const crypto::VerifierKey& key) {
    return Make(p, MessageKind::kCommissioner, t,
                {{"commissioner", Value::Str(p + " Commissioner")},
                 {"key", Value::Str(key.ToString())}});
  }
  Notification Dialogue(const std::string& p, const std::string& t,
                        const std::string& status) {
    return Make(
        p, MessageKind::kDialogueStatus, t,
        {{"dialogue", Value::Str("SSD")}, {"status", Value::Str(status)}});
  }

 private:
  const treaty::Spec& spec_;
  std::map<std::string, uint64_t> seq_;
};

// A Commissioner's signer key, deterministic per party.
inline crypto::SignerKey CommissionerKey(const std::string& party,
                                         uint8_t fill = 0) {
  crypto::Ed25519Seed seed{};
  seed.fill(static_cast<uint8_t>(fill + party[0] + party[1]));
  return *crypto::SignerKey::FromSeed(party + "-commissioner",
                                      crypto::KeyType::kEd25519, seed);
}

}  // namespace detente::commission::testutil

#endif  // DETENTE_COMMISSION_COMMISSION_TESTING_H_
