// The compliance pass end to end on real signed logs: a small New START
// history for two parties with checkpoints cosigned by the other party, into
// which a limit breach, a late notification and a sequence gap are injected.
// Each must produce a finding whose evidence verifies offline — and stops
// verifying when any byte of the evidence changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "detente/commission/agenda.h"
#include "detente/compliance/checker.h"
#include "detente/compliance/verify.h"
#include "detente/crypto/cosignature.h"
#include "detente/ledger/checkpoint.h"
#include "detente/notification/notification.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::compliance {
namespace {

using notification::Notification;
using notification::Value;
using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

Instant T(const std::string& s) { return *Instant::Parse(s); }

crypto::SignerKey Key(const std::string& name, uint8_t b) {
  crypto::Ed25519Seed seed{};
  seed.fill(b);
  return *crypto::SignerKey::FromSeed(name, crypto::KeyType::kEd25519, seed);
}

struct Party {
  std::string code;
  crypto::SignerKey key;
  std::unique_ptr<ledger::LogStore> log;
  uint64_t seq = 0;
};

class ComplianceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format(
               "detente_compliance_{}_{}", getpid(),
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    us_ = MakeParty("US", "us.test/nst", 1);
    ru_ = MakeParty("RU", "ru.test/nst", 2);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Party> MakeParty(const std::string& code,
                                   const std::string& origin, uint8_t b) {
    auto p = std::make_unique<Party>(Party{code, Key(origin, b), nullptr, 0});
    p->log = std::move(
                 ledger::LogStore::Create((dir_ / (code + ".db")).string(),
                                          origin, p->key.verifier().ToString()))
                 .value();
    return p;
  }

  // Signs and appends; `skip` bumps the sequence first (a gap).
  void Send(Party& p, const std::string& type, const std::string& event,
            Value::Map body, const std::string& sent = "", int skip = 0) {
    Notification n;
    n.treaty = "new-start";
    n.sender = p.code;
    p.seq += 1 + static_cast<uint64_t>(skip);
    n.sequence = p.seq;
    n.type = type;
    n.event_time = T(event);
    n.sent_time = T(sent.empty() ? event : sent);
    n.body = Value::OfMap(std::move(body));
    Status v = notification::Validate(NewStart(), n);
    ASSERT_TRUE(v.ok()) << v;
    ASSERT_TRUE(p.log->Append(notification::Sign(n, p.key).Entry()).ok());
  }

  static Value Item(const std::string& id, const std::string& party,
                    const std::string& cat, const std::string& status,
                    int64_t warheads) {
    Value::Map m = {
        {"id", Value::Str(id)},        {"party", Value::Str(party)},
        {"category", Value::Str(cat)}, {"status", Value::Str(status)},
        {"type", Value::Str("T")},     {"facility", Value::Str("F")}};
    if (cat == "icbm") m["warheads"] = Value::Int(warheads);
    return Value::OfMap(std::move(m));
  }

  // A declaration with `n` deployed ICBMs of `w` warheads each, in launchers.
  void Declare(Party& p, const std::string& type, const std::string& as_of,
               int n, int w, const std::string& sent = "") {
    Value::List items;
    for (int i = 0; i < n; ++i) {
      items.push_back(Item(fmt::format("{}-M{}", p.code, i), p.code, "icbm",
                           "deployed", w));
      items.push_back(Item(fmt::format("{}-L{}", p.code, i), p.code,
                           "icbm_launcher", "deployed", 0));
    }
    Value::Map totals = {
        {"deployed_delivery_vehicles", Value::Int(n)},
        {"deployed_warheads", Value::Int(static_cast<int64_t>(n) * w)},
        {"deployed_and_nondeployed_launchers", Value::Int(n)}};
    Send(p, type, as_of + "T00:00:00Z",
         {{"as_of", Value::Str(as_of)},
          {"items", Value::OfList(std::move(items))},
          {"totals", Value::OfMap(std::move(totals))}},
         sent);
  }

  // Checkpoints `p`'s log and has `witness` cosign it, recording the receipt.
  void Receipt(Party& p, Party& witness, uint64_t timestamp) {
    ledger::Checkpoint cp{p.log->origin(), p.log->size(), p.log->root(), {}};
    std::string note = *ledger::SignCheckpoint(cp, p.key);
    ASSERT_TRUE(
        p.log->SaveCheckpoint({cp.origin, cp.size, cp.root, note}).ok());
    crypto::SignerKey cosigner = *crypto::SignerKey::FromSeed(
        witness.key.name(), crypto::KeyType::kCosignatureV1,
        witness.key.key_pair().seed());
    crypto::NoteSignature sig = *crypto::Cosign(cp.Body(), cosigner, timestamp);
    std::string cosigned = *crypto::AddSignatures(
        note, std::span<const crypto::NoteSignature>(&sig, 1));
    ASSERT_TRUE(
        p.log->UpdateCheckpointNote({cp.origin, cp.size, cp.root, cosigned})
            .ok());
  }

  // `witness` looks at `p`'s log at `timestamp` and records in its own log
  // that it cosigned the checkpoint as it then stood (no receipt on `p`'s
  // side: the periodic check a ministry makes when nothing arrives).
  void WitnessCheck(Party& p, Party& witness, uint64_t timestamp) {
    ledger::Checkpoint cp{p.log->origin(), p.log->size(), p.log->root(), {}};
    std::string note = *ledger::SignCheckpoint(cp, p.key);
    crypto::SignerKey cosigner = *crypto::SignerKey::FromSeed(
        witness.key.name(), crypto::KeyType::kCosignatureV1,
        witness.key.key_pair().seed());
    crypto::NoteSignature sig = *crypto::Cosign(cp.Body(), cosigner, timestamp);
    std::string cosigned = *crypto::AddSignatures(
        note, std::span<const crypto::NoteSignature>(&sig, 1));
    ASSERT_TRUE(
        witness.log->SaveCosigned({cp.origin, cp.size, cp.root, cosigned})
            .ok());
  }

  static uint64_t Unix(const std::string& t) {
    return static_cast<uint64_t>(T(t).unix_seconds());
  }

  Result<ComplianceResult> Run(const std::string& until) {
    return Check(NewStart(),
                 {{"US", us_->log.get(), us_->key.verifier()},
                  {"RU", ru_->log.get(), ru_->key.verifier()}},
                 {T(until)});
  }

  std::vector<crypto::VerifierKey> Keys() {
    return {us_->key.verifier(), ru_->key.verifier()};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Party> us_, ru_;
};

TEST_F(ComplianceTest, InjectedBreachLateNoticeAndGapAreFoundAndProven) {
  // 2018-03-01: both within the limits (on time, received an hour later).
  Declare(*us_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-03-01T01:00:00Z"));
  Declare(*ru_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2011-03-01T01:00:00Z"));
  // US: a breach — 1,551 warheads on deployed missiles — from 2019-03-01.
  Declare(*us_, "NST-DB-UPDATE", "2019-03-01", 517, 3, "2019-03-20T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2019-03-20T01:00:00Z"));
  // RU: a status change reported late (day 9, rule: 5 days).
  Send(*ru_, "NST-STATUS-CHANGE", "2019-04-01T00:00:00Z",
       {{"item", Value::Str("RU-M0")},
        {"category", Value::Str("icbm")},
        {"from_status", Value::Str("deployed")},
        {"to_status", Value::Str("non_deployed")},
        {"occurred", Value::Str("2019-04-01")}},
       "2019-04-10T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2019-04-10T01:00:00Z"));
  // RU: then a notification that skips two sequence numbers.
  Send(*ru_, "NST-STATUS-CHANGE", "2019-05-01T00:00:00Z",
       {{"item", Value::Str("RU-M0")},
        {"category", Value::Str("icbm")},
        {"from_status", Value::Str("non_deployed")},
        {"to_status", Value::Str("deployed")},
        {"occurred", Value::Str("2019-05-01")}},
       "", /*skip=*/2);
  Receipt(*ru_, *us_, Unix("2019-05-01T01:00:00Z"));

  Result<ComplianceResult> r = Run("2019-06-01T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::string, const Finding*> by_rule;
  for (const Finding& f : r->findings) {
    if (f.rule != "missing-update") by_rule[f.rule] = &f;
  }
  ASSERT_TRUE(by_rule.count("limit-exceeded"));
  ASSERT_TRUE(by_rule.count("late-notification"));
  ASSERT_TRUE(by_rule.count("sequence-gap"));
  const Finding& breach = *by_rule["limit-exceeded"];
  EXPECT_EQ(breach.party, "US");
  EXPECT_EQ(breach.claim.at("limit"), "deployed_warheads");
  EXPECT_EQ(breach.claim.at("value"), "1551");
  EXPECT_EQ(by_rule["late-notification"]->party, "RU");
  EXPECT_EQ(by_rule["sequence-gap"]->party, "RU");
  // Nothing else is wrong in this history (missing updates aside).
  for (const Finding& f : r->findings) {
    EXPECT_THAT(f.rule, ::testing::AnyOf("limit-exceeded", "late-notification",
                                         "sequence-gap", "missing-update"))
        << f.text;
  }

  for (const auto& [rule, f] : by_rule) {
    // Offline, from the JSON alone.
    Result<Finding> back = FindingFromJson(FindingToJson(*f));
    ASSERT_TRUE(back.ok()) << back.status();
    Status v = VerifyFinding(*back, NewStart(), Keys());
    EXPECT_TRUE(v.ok()) << rule << ": " << v;

    // Any changed byte of the evidence breaks it.
    for (size_t e = 0; e < back->evidence.size(); ++e) {
      for (int which = 0; which < 2; ++which) {
        std::string& bytes =
            which == 0 ? back->evidence[e].entry : back->evidence[e].proof;
        for (size_t pos : {size_t{0}, bytes.size() / 3, bytes.size() / 2,
                           bytes.size() - 2}) {
          Finding tampered = *back;
          std::string& t = which == 0 ? tampered.evidence[e].entry
                                      : tampered.evidence[e].proof;
          t[pos] = static_cast<char>(t[pos] ^ 0x01);
          EXPECT_FALSE(VerifyFinding(tampered, NewStart(), Keys()).ok())
              << rule << " evidence " << e << (which ? " proof" : " entry")
              << " byte " << pos;
        }
      }
    }
    // Without the other party's key the receipt cannot be checked.
    std::vector<crypto::VerifierKey> only_one = {
        f->party == "US" ? us_->key.verifier() : ru_->key.verifier()};
    EXPECT_FALSE(VerifyFinding(*back, NewStart(), only_one).ok());
  }
}

TEST_F(ComplianceTest, WithinLimitsNoBreachAndMissingUpdatesFound) {
  Declare(*us_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Declare(*ru_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Declare(*us_, "NST-DB-UPDATE", "2011-09-01", 10, 1, "2011-09-20T00:00:00Z");
  Receipt(*us_, *ru_, 1320000000);  // 2011-10-30
  Receipt(*ru_, *us_, 1320000000);
  Result<ComplianceResult> r = Run("2011-10-15T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.size(), 1u);
  const Finding& f = r->findings[0];
  EXPECT_EQ(f.rule, "missing-update");
  EXPECT_EQ(f.party, "RU");
  EXPECT_EQ(f.claim.at("as_of"), "2011-09-01");
  Status v = VerifyFinding(f, NewStart(), Keys());
  EXPECT_TRUE(v.ok()) << v;
}

// The deadline is judged against the receipt too: a notification sent in
// time but first acknowledged by the other party after its deadline is late,
// and the finding proves it with the checkpoint carrying that receipt.
TEST_F(ComplianceTest, ReceivedAfterTheDeadlineIsLateAndProven) {
  Declare(*us_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-03-01T01:00:00Z"));
  Declare(*ru_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2011-03-01T01:00:00Z"));
  // Sent on day 2 of 5, on time; received on day 9.
  Send(*ru_, "NST-STATUS-CHANGE", "2011-04-01T00:00:00Z",
       {{"item", Value::Str("RU-M0")},
        {"category", Value::Str("icbm")},
        {"from_status", Value::Str("deployed")},
        {"to_status", Value::Str("non_deployed")},
        {"occurred", Value::Str("2011-04-01")}},
       "2011-04-03T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2011-04-10T00:00:00Z"));
  // Sent and received in time: no finding.
  Send(*us_, "NST-STATUS-CHANGE", "2011-04-01T00:00:00Z",
       {{"item", Value::Str("US-M0")},
        {"category", Value::Str("icbm")},
        {"from_status", Value::Str("deployed")},
        {"to_status", Value::Str("non_deployed")},
        {"occurred", Value::Str("2011-04-01")}},
       "2011-04-03T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-04-03T02:00:00Z"));

  Result<ComplianceResult> r = Run("2011-05-01T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.size(), 1u);
  const Finding& f = r->findings[0];
  EXPECT_EQ(f.rule, "late-notification");
  EXPECT_EQ(f.party, "RU");
  EXPECT_EQ(f.time, T("2011-04-10T00:00:00Z"));
  EXPECT_EQ(f.claim.at("received"), "2011-04-10T00:00:00Z");
  EXPECT_EQ(f.claim.at("due_by"), "2011-04-06T23:59:59Z");
  EXPECT_THAT(f.text, HasSubstr("was received at 2011-04-10"));
  Status v = VerifyFinding(f, NewStart(), Keys());
  EXPECT_TRUE(v.ok()) << v;

  // The same entry proven against a checkpoint received in time (the
  // sender's refutation) does not show lateness.
  Send(*ru_, "NST-STATUS-CHANGE", "2011-04-20T00:00:00Z",
       {{"item", Value::Str("RU-M0")},
        {"category", Value::Str("icbm")},
        {"from_status", Value::Str("non_deployed")},
        {"to_status", Value::Str("deployed")},
        {"occurred", Value::Str("2011-04-20")}});
  Receipt(*ru_, *us_, Unix("2011-04-05T00:00:00Z"));  // a later checkpoint
  Finding early = f;
  ledger::ProofBundle b;
  b.index = f.evidence[0].index;
  Result<ledger::MerkleTreeView> view = ru_->log->View();
  ASSERT_TRUE(view.ok()) << view.status();
  b.proof = *view->InclusionProof(b.index);
  b.extra = std::vector<uint8_t>(f.evidence[0].entry.begin(),
                                 f.evidence[0].entry.end());
  b.checkpoint = (*ru_->log->LatestCheckpoint())->note;
  early.evidence[0].proof = ledger::FormatProofBundle(b);
  early.id = ComputeFindingId(early);
  Status refuted = VerifyFinding(early, NewStart(), Keys());
  EXPECT_EQ(refuted.code(), StatusCode::kFailedPrecondition) << refuted;
  EXPECT_THAT(std::string(refuted.message()),
              HasSubstr("received at 2011-04-05T00:00:00Z"));
}

// A missing update is proven by a witness's look at the log after the due
// date: the run of entries since the last declaration, up to the checkpoint
// the witness cosigned then, holds no update.
TEST_F(ComplianceTest, MissingUpdateIsProvenByTheWitnessCheckAfterTheDueDate) {
  Declare(*us_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-03-01T01:00:00Z"));
  Declare(*ru_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2011-03-01T01:00:00Z"));
  Declare(*us_, "NST-DB-UPDATE", "2011-09-01", 10, 1, "2011-09-20T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-09-20T01:00:00Z"));

  // Before the US looks again, RU's log as last acknowledged predates the
  // due date (1 October): the finding is made but cannot be proven yet.
  Result<ComplianceResult> r = Run("2011-10-15T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].rule, "missing-update");
  Status unproven = VerifyFinding(r->findings[0], NewStart(), Keys());
  EXPECT_THAT(std::string(unproven.message()),
              HasSubstr("no cosignature shows the log as it stood after"));

  // The US re-cosigns RU's unchanged log on 2 October.
  WitnessCheck(*ru_, *us_, Unix("2011-10-02T00:00:00Z"));
  r = Run("2011-10-15T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.size(), 1u);
  const Finding& f = r->findings[0];
  EXPECT_EQ(f.rule, "missing-update");
  EXPECT_EQ(f.party, "RU");
  EXPECT_EQ(f.claim.at("as_of"), "2011-09-01");
  EXPECT_EQ(f.claim.at("due_by"), "2011-10-01T23:59:59Z");
  Status v = VerifyFinding(f, NewStart(), Keys());
  EXPECT_TRUE(v.ok()) << v;
}

// The update sent after the witness check does not undo the finding, and
// a run that starts after the last declaration is refused.
TEST_F(ComplianceTest, MissingUpdateRunMustStartAtTheLastDeclaration) {
  Declare(*us_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-03-01T01:00:00Z"));
  Declare(*ru_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2011-03-01T01:00:00Z"));
  Send(*ru_, "NST-STATUS-CHANGE", "2011-04-01T00:00:00Z",
       {{"item", Value::Str("RU-M0")},
        {"category", Value::Str("icbm")},
        {"from_status", Value::Str("deployed")},
        {"to_status", Value::Str("non_deployed")},
        {"occurred", Value::Str("2011-04-01")}},
       "2011-04-01T00:00:00Z");
  Receipt(*ru_, *us_, Unix("2011-04-01T01:00:00Z"));
  Declare(*us_, "NST-DB-UPDATE", "2011-09-01", 10, 1, "2011-09-20T00:00:00Z");
  Receipt(*us_, *ru_, Unix("2011-09-20T01:00:00Z"));
  WitnessCheck(*ru_, *us_, Unix("2011-10-02T00:00:00Z"));

  Result<ComplianceResult> r = Run("2011-10-15T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.size(), 1u);
  const Finding& f = r->findings[0];
  ASSERT_EQ(f.rule, "missing-update");
  ASSERT_EQ(f.evidence.size(), 2u);  // RU's declaration and status change
  EXPECT_TRUE(VerifyFinding(f, NewStart(), Keys()).ok());
  Finding cut = f;
  cut.evidence.erase(cut.evidence.begin());
  cut.id = ComputeFindingId(cut);
  Status v = VerifyFinding(cut, NewStart(), Keys());
  EXPECT_EQ(v.code(), StatusCode::kFailedPrecondition) << v;
  EXPECT_THAT(std::string(v.message()),
              HasSubstr("neither the log's first entry nor a declaration"));
}

// Sessions below the yearly minimum: treaty year 1 (5 Feb 2011 – 4 Feb
// 2012) saw one session of the two New START requires. The evidence is both
// whole logs up to checkpoints the other party cosigned after the year's
// end; the verifier recomputes both roots and counts the sessions itself.
TEST_F(ComplianceTest, SessionsBelowTheYearlyMinimumAreFoundAndProven) {
  Declare(*us_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  Declare(*ru_, "NST-DB-INIT", "2011-02-05", 10, 1, "2011-03-01T00:00:00Z");
  auto session = [&](const std::string& id, const std::string& start,
                     const std::string& end) {
    const std::string issue = id + "-I";
    Send(*us_, "NST-BCC-ISSUE-RAISE", start + "T00:00:00Z",
         {{"issue", Value::Str(issue)}, {"title", Value::Str("Telemetry")}});
    Send(*us_, "NST-BCC-SESSION-PROPOSE", start + "T00:10:00Z",
         {{"session", Value::Str(id)},
          {"start", Value::Str(start)},
          {"end", Value::Str(end)},
          {"venue", Value::Str("Geneva")}});
    Send(*us_, "NST-BCC-AGENDA-PROPOSE", start + "T00:20:00Z",
         {{"session", Value::Str(id)}, {"issues", Value::Str(issue)}});
    Send(*ru_, "NST-BCC-SESSION-ACCEPT", start + "T00:30:00Z",
         {{"session", Value::Str(id)},
          {"start", Value::Str(start)},
          {"end", Value::Str(end)},
          {"venue", Value::Str("Geneva")}});
    Send(*ru_, "NST-BCC-AGENDA-ACCEPT", start + "T00:40:00Z",
         {{"session", Value::Str(id)},
          {"agenda", Value::Str(commission::AgendaHashHex("new-start", id, 1,
                                                          {issue}))}});
    Send(*us_, "NST-BCC-SESSION-CONVENE", start + "T09:00:00Z",
         {{"session", Value::Str(id)}});
  };
  session("S1", "2011-03-28", "2011-04-08");
  Receipt(*us_, *ru_, Unix("2011-04-08T00:00:00Z"));
  Receipt(*ru_, *us_, Unix("2011-04-08T00:00:00Z"));
  // Both look at each other's logs after the year's end.
  WitnessCheck(*us_, *ru_, Unix("2012-02-10T00:00:00Z"));
  WitnessCheck(*ru_, *us_, Unix("2012-02-10T00:00:00Z"));

  Result<ComplianceResult> r = Run("2012-02-20T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  const Finding* cadence = nullptr;
  for (const Finding& f : r->findings) {
    if (f.rule == "sessions-below-minimum") cadence = &f;
  }
  ASSERT_NE(cadence, nullptr);
  EXPECT_EQ(cadence->party, "all");
  EXPECT_EQ(cadence->claim.at("year"), "1");
  EXPECT_EQ(cadence->claim.at("convened"), "1");
  EXPECT_EQ(cadence->claim.at("required"), "2");
  EXPECT_EQ(cadence->severity, Severity::kViolation);
  EXPECT_EQ(cadence->evidence.size(), us_->log->size() + ru_->log->size());
  Result<Finding> back = FindingFromJson(FindingToJson(*cadence));
  ASSERT_TRUE(back.ok()) << back.status();
  Status v = VerifyFinding(*back, NewStart(), Keys());
  EXPECT_TRUE(v.ok()) << v;

  // Leaving out an entry, or changing any of them, breaks it.
  for (size_t e = 0; e < back->evidence.size(); ++e) {
    Finding cut = *back;
    cut.evidence.erase(cut.evidence.begin() + static_cast<ptrdiff_t>(e));
    cut.id = ComputeFindingId(cut);
    EXPECT_FALSE(VerifyFinding(cut, NewStart(), Keys()).ok())
        << "without " << e;
    Finding flipped = *back;
    std::string& bytes = flipped.evidence[e].entry;
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    flipped.id = ComputeFindingId(flipped);
    EXPECT_FALSE(VerifyFinding(flipped, NewStart(), Keys()).ok())
        << "entry " << e;
  }

  // A second session in the year: no finding.
  session("S2", "2011-09-12", "2011-09-21");
  Receipt(*us_, *ru_, Unix("2011-09-22T00:00:00Z"));
  Receipt(*ru_, *us_, Unix("2011-09-22T00:00:00Z"));
  r = Run("2012-02-20T00:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  for (const Finding& f : r->findings) {
    EXPECT_NE(f.rule, "sessions-below-minimum") << f.text;
  }
  // The old finding no longer holds against the logs as they are: the
  // verifier, shown the longer logs, counts two sessions.
}

}  // namespace
}  // namespace detente::compliance
