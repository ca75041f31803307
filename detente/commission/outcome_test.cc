#include "detente/commission/outcome.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/commission/agenda.h"
#include "detente/commission/commission.h"
#include "detente/commission/commission_testing.h"
#include "detente/crypto/encoding.h"

namespace detente::commission {
namespace {

using ::testing::HasSubstr;
using testutil::CommissionerKey;

OutcomeRecord Agreement1() {
  OutcomeRecord r;
  r.treaty = "new-start";
  r.session = "S3";
  r.kind = "agreement";
  r.number = 1;
  r.title = "Telemetry recording media demonstrations";
  r.signed_on = *Date::Parse("2012-02-07");
  r.text = "Agreement Number 1 ...";
  r.confidential = false;
  r.issues = {"TLM-1"};
  return r;
}

struct Keys {
  crypto::SignerKey us = CommissionerKey("US");
  crypto::SignerKey ru = CommissionerKey("RU");
  std::map<std::string, crypto::VerifierKey> verifiers() const {
    return {{"US", us.verifier()}, {"RU", ru.verifier()}};
  }
};

TEST(OutcomeTest, SignedByEveryCommissionerVerifiesOffline) {
  Keys k;
  OutcomeRecord r = Agreement1();
  std::vector<OutcomeSignature> sigs = {SignOutcome(r, "US", k.us),
                                        SignOutcome(r, "RU", k.ru)};
  EXPECT_TRUE(VerifyOutcome(r, sigs, {"US", "RU"}, k.verifiers()).ok());
  // Through the text form, as it travels in the notification.
  Result<std::vector<OutcomeSignature>> parsed =
      ParseSignatures(FormatSignatures(sigs));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, sigs);
}

TEST(OutcomeTest, SignatureIsOverTheDocumentedMessage) {
  Keys k;
  OutcomeRecord r = Agreement1();
  OutcomeSignature s = SignOutcome(r, "US", k.us);
  std::string message =
      "detente/commission/outcome/v1\n" + OutcomeCanonicalBytes(r);
  EXPECT_TRUE(crypto::Ed25519Verify(k.us.verifier().public_key(),
                                    crypto::AsBytes(message), s.signature)
                  .ok());
  // The canonical bytes are a DTN1 value map of exactly the documented keys.
  Result<notification::Value> v =
      notification::Decode(OutcomeCanonicalBytes(r));
  ASSERT_TRUE(v.ok());
  std::vector<std::string> keys;
  for (const auto& [key, value] : v->map()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"confidential", "issues", "kind",
                                            "number", "session", "signed",
                                            "text", "title", "treaty"}));
  EXPECT_EQ(v->Find("signed")->str(), "2012-02-07");
}

TEST(OutcomeTest, EveryTamperedByteIsCaught) {
  Keys k;
  OutcomeRecord r = Agreement1();
  std::vector<OutcomeSignature> sigs = {SignOutcome(r, "US", k.us),
                                        SignOutcome(r, "RU", k.ru)};
  // A changed field of the record.
  OutcomeRecord t = r;
  t.text[3] ^= 0x01;
  Status s = VerifyOutcome(t, sigs, {"US", "RU"}, k.verifiers());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("agreement 1 (session S3): signature by US does not "
                        "verify under key US-commissioner+"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("signature by RU does not"));
  t = r;
  t.confidential = true;
  EXPECT_FALSE(VerifyOutcome(t, sigs, {"US", "RU"}, k.verifiers()).ok());
  t = r;
  t.number = 2;
  EXPECT_FALSE(VerifyOutcome(t, sigs, {"US", "RU"}, k.verifiers()).ok());
  // Each byte of one signature.
  for (size_t i = 0; i < crypto::kEd25519SignatureSize; ++i) {
    std::vector<OutcomeSignature> bad = sigs;
    bad[1].signature[i] ^= 0x40;
    Status b = VerifyOutcome(r, bad, {"US", "RU"}, k.verifiers());
    ASSERT_FALSE(b.ok()) << i;
    EXPECT_THAT(std::string(b.message()), HasSubstr("signature by RU"));
  }
}

TEST(OutcomeTest, MissingForeignAndMisattributedSigners) {
  Keys k;
  OutcomeRecord r = Agreement1();
  OutcomeSignature us = SignOutcome(r, "US", k.us);
  OutcomeSignature ru = SignOutcome(r, "RU", k.ru);
  Status s = VerifyOutcome(r, {us}, {"US", "RU"}, k.verifiers());
  EXPECT_EQ(s.message(),
            "agreement 1 (session S3): no signature by RU's commissioner");
  // RU's signature presented as CN's: not a party here, and RU missing.
  OutcomeSignature cn = ru;
  cn.party = "CN";
  s = VerifyOutcome(r, {us, cn}, {"US", "RU"}, k.verifiers());
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("a signature by CN, which is not a party; no "
                        "signature by RU's commissioner"));
  // US signing twice (once as RU) names the key mismatch.
  OutcomeSignature fake = SignOutcome(r, "RU", k.us);
  s = VerifyOutcome(r, {us, fake}, {"US", "RU"}, k.verifiers());
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("signature by RU names key id " +
                        crypto::FormatKeyId(k.us.key_id())));
  // No key for a party.
  s = VerifyOutcome(r, {us, ru}, {"US", "RU"}, {{"US", k.us.verifier()}});
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("no commissioner key for RU"));
}

TEST(OutcomeTest, ParseSignaturesRefusesMalformedLines) {
  Keys k;
  std::string good = FormatSignatures({SignOutcome(Agreement1(), "US", k.us)});
  struct Case {
    std::string text;
    const char* error;
  };
  const std::string sig = good.substr(good.rfind(' ') + 1, 88);
  const Case cases[] = {
      {good.substr(0, good.size() - 1), "line 1: does not end in a line feed"},
      {"US  " + sig + "\n", "key id '' is not 8"},
      {"US 1234567 " + sig + "\n", "key id '1234567' is not 8"},
      {"US 1234567G " + sig + "\n", "is not 8 lower-case hex"},
      {"US ABCDEF01 " + sig + "\n", "is not 8 lower-case hex"},
      {"US 01234567 AAAA\n", "the signature is 3 bytes, not 64"},
      {"US 01234567 !!!!\n", "line 1: invalid base64"},
      {good + good, "line 2: a second signature by US"},
      {" 01234567 " + sig + "\n", "the party is empty"},
      {"US 01234567 " + sig + " x\n", "three fields"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<std::vector<OutcomeSignature>> r = ParseSignatures(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.error));
  }
  EXPECT_TRUE(ParseSignatures("").ok());
}

// In the fold: Commissioners' keys come from the logs; an outcome needs a
// convened session, the next number, open issues and every signature.
TEST(OutcomeFoldTest, RecordedOnlyWhenEverythingHolds) {
  const treaty::Spec& spec = testutil::NewStart();
  Keys k;
  Commission c(spec);
  testutil::Messages m(spec);
  auto ok = [&](const notification::Notification& n) {
    Status s = c.Apply(n);
    ASSERT_TRUE(s.ok()) << s;
  };
  ok(m.Raise("US", "2011-12-01T00:00:00Z", "TLM-1"));
  ok(m.Propose("US", "2011-12-02T00:00:00Z", "S3", "2012-01-24", "2012-02-07",
               "Geneva"));
  ok(m.AcceptDates("RU", "2011-12-03T00:00:00Z", "S3", "2012-01-24",
                   "2012-02-07", "Geneva"));
  ok(m.Agenda("RU", "2011-12-04T00:00:00Z", "S3", "TLM-1"));
  ok(m.AcceptAgenda("US", "2011-12-05T00:00:00Z", "S3",
                    AgendaHashHex("new-start", "S3", 1, {"TLM-1"})));

  OutcomeRecord r = Agreement1();
  std::vector<OutcomeSignature> both = {SignOutcome(r, "US", k.us),
                                        SignOutcome(r, "RU", k.ru)};
  auto outcome = [&](const OutcomeRecord& rec,
                     const std::vector<OutcomeSignature>& sigs) {
    return m.Make("US", MessageKind::kOutcome, "2012-02-07T12:00:00Z",
                  OutcomeBody(rec, sigs));
  };
  Status s = c.Apply(outcome(r, both));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("session S3 is scheduled: outcomes come from a "
                        "convened session"));
  ok(m.Convene("US", "2012-01-24T09:00:00Z", "S3"));
  s = c.Apply(outcome(r, both));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("no commissioner key for US"));
  ok(m.Appoint("US", "2012-01-24T10:00:00Z", k.us.verifier()));
  ok(m.Appoint("RU", "2012-01-24T10:00:00Z", k.ru.verifier()));
  s = c.Apply(outcome(r, {both[0]}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("no signature by RU's commissioner"));
  OutcomeRecord second = r;
  second.number = 2;
  s = c.Apply(outcome(second, {SignOutcome(second, "US", k.us),
                               SignOutcome(second, "RU", k.ru)}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("agreement 2 is out of sequence: the next agreement "
                        "is number 1"));
  EXPECT_TRUE(c.state().outcomes.empty());
  EXPECT_EQ(c.state().issues.at("TLM-1").status, IssueStatus::kOpen);

  ok(outcome(r, both));
  ASSERT_EQ(c.state().outcomes.size(), 1u);
  EXPECT_EQ(c.state().outcomes[0].record, r);
  EXPECT_EQ(c.state().issues.at("TLM-1").status, IssueStatus::kResolved);
  s = c.Apply(outcome(r, both));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);

  // A decision is numbered on its own; resolving a closed issue is refused.
  OutcomeRecord d = r;
  d.kind = "decision";
  d.title = "Number of launches for the 2012 telemetry exchange";
  s = c.Apply(
      outcome(d, {SignOutcome(d, "US", k.us), SignOutcome(d, "RU", k.ru)}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("decision 1 resolves issues that are not open: TLM-1"));
  d.issues.clear();
  ok(outcome(d, {SignOutcome(d, "US", k.us), SignOutcome(d, "RU", k.ru)}));
  // A kind the spec does not declare (the catalogue's enum refuses it).
  OutcomeRecord j = d;
  j.number = 2;
  notification::Notification n =
      outcome(j, {SignOutcome(j, "US", k.us), SignOutcome(j, "RU", k.ru)});
  n.body.mutable_map()["kind"] = notification::Value::Str("joint_statement");
  s = c.Apply(n);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("body.kind"));
  EXPECT_EQ(c.state().outcomes.size(), 2u);
  // A bad commissioner key is refused.
  notification::Notification bad =
      m.Make("RU", MessageKind::kCommissioner, "2012-02-08T00:00:00Z",
             {{"commissioner", notification::Value::Str("x")},
              {"key", notification::Value::Str("RU+00000000+AAAA")}});
  s = c.Apply(bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("body.key"));
  EXPECT_EQ(c.state().commissioners.at("RU").key, k.ru.verifier());
}

}  // namespace
}  // namespace detente::commission
