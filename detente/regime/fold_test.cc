#include "detente/regime/fold.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/notification/record_view.h"
#include "detente/regime/log_reader.h"
#include "detente/registry/counting.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::regime {
namespace {

using notification::Notification;
using notification::Value;
using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

Instant T(const char* s) { return *Instant::Parse(s); }

Value ItemRec(const std::string& id, const std::string& party,
              const std::string& cat, const std::string& status,
              int64_t warheads = -1, const std::string& type = "T",
              const std::string& facility = "F1") {
  Value::Map m = {
      {"id", Value::Str(id)},        {"party", Value::Str(party)},
      {"category", Value::Str(cat)}, {"status", Value::Str(status)},
      {"type", Value::Str(type)},    {"facility", Value::Str(facility)}};
  if (warheads >= 0) m["warheads"] = Value::Int(warheads);
  return Value::OfMap(std::move(m));
}

class Builder {
 public:
  explicit Builder(std::string party) : party_(std::move(party)) {}
  LoggedNotification Make(const std::string& type, const char* event,
                          Value::Map body) {
    Notification n;
    n.treaty = "new-start";
    n.sender = party_;
    n.sequence = ++seq_;
    n.type = type;
    n.event_time = T(event);
    n.sent_time = T(event);
    n.body = Value::OfMap(std::move(body));
    Status v = notification::Validate(NewStart(), n);
    EXPECT_TRUE(v.ok()) << type << ": " << v;
    return {n, {party_, seq_ - 1}};
  }
  LoggedNotification Init(const char* event, Value::List items) {
    return Make("NST-DB-INIT", event,
                {{"as_of", Value::Str(T(event).date().ToString())},
                 {"items", Value::OfList(std::move(items))},
                 {"totals", Value::OfMap({})}});
  }
  LoggedNotification StatusChange(const char* event, const std::string& item,
                                  const std::string& from,
                                  const std::string& to) {
    return Make("NST-STATUS-CHANGE", event,
                {{"item", Value::Str(item)},
                 {"category", Value::Str("icbm")},
                 {"from_status", Value::Str(from)},
                 {"to_status", Value::Str(to)},
                 {"occurred", Value::Str(T(event).date().ToString())}});
  }

 private:
  std::string party_;
  uint64_t seq_ = 0;
};

std::vector<LoggedNotification> History() {
  Builder us("US"), ru("RU");
  std::vector<LoggedNotification> h;
  h.push_back(us.Make("NST-TYPE-NEW", "2011-02-05T00:00:00Z",
                      {{"type", Value::Str("MM3")},
                       {"category", Value::Str("icbm")},
                       {"max_warheads", Value::Int(3)}}));
  h.push_back(us.Init("2011-02-05T00:00:00Z",
                      {ItemRec("US-1", "US", "icbm", "deployed", 1, "MM3"),
                       ItemRec("US-2", "US", "icbm", "non_deployed", 0, "MM3"),
                       ItemRec("US-L1", "US", "icbm_launcher", "deployed")}));
  h.push_back(ru.Init("2011-02-05T00:00:00Z",
                      {ItemRec("RU-1", "RU", "icbm", "deployed", 4)}));
  h.push_back(us.StatusChange("2012-01-10T00:00:00Z", "US-2", "non_deployed",
                              "deployed"));
  h.push_back(us.Make("NST-RV-CHANGE", "2012-02-01T00:00:00Z",
                      {{"item", Value::Str("US-2")},
                       {"category", Value::Str("icbm")},
                       {"from_warheads", Value::Int(0)},
                       {"to_warheads", Value::Int(2)},
                       {"occurred", Value::Str("2012-02-01")}}));
  h.push_back(ru.Make("NST-ITEM-ELIM", "2012-03-01T00:00:00Z",
                      {{"item", Value::Str("RU-1")},
                       {"category", Value::Str("icbm")},
                       {"facility", Value::Str("F1")},
                       {"completed", Value::Str("2012-03-01")}}));
  return h;
}

int64_t Agg(const State& s, const std::string& limit,
            const std::string& party) {
  for (const auto& a : *registry::CountAll(NewStart(), s.items)) {
    if (a.limit_id == limit && a.party == party) return a.value;
  }
  return -1;
}

TEST(FoldTest, AppliesMessagesInEventOrder) {
  Fold fold(NewStart(), History());
  State s2011 = *fold.StateAt(T("2011-12-31T00:00:00Z"));
  EXPECT_EQ(Agg(s2011, "deployed_warheads", "US"), 1);
  EXPECT_EQ(Agg(s2011, "deployed_warheads", "RU"), 4);
  State s2012 = *fold.StateAt(T("2012-06-01T00:00:00Z"));
  EXPECT_EQ(Agg(s2012, "deployed_warheads", "US"), 3);
  EXPECT_EQ(Agg(s2012, "deployed_delivery_vehicles", "US"), 2);
  EXPECT_EQ(Agg(s2012, "deployed_warheads", "RU"), 0);
  EXPECT_EQ(s2012.items.FindItem("RU-1")->status, "eliminated");
  EXPECT_TRUE(s2012.irregularities.empty());
  EXPECT_EQ(s2012.declarations.size(), 2u);
  EXPECT_EQ(s2012.types.at("MM3").max_warheads, 3);
}

TEST(FoldTest, SameLogsSameStateWhateverTheReadingOrder) {
  std::vector<LoggedNotification> h = History();
  State want = *Fold(NewStart(), h).StateAt(T("2030-01-01T00:00:00Z"));
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    std::shuffle(h.begin(), h.end(), rng);
    State got = *Fold(NewStart(), h).StateAt(T("2030-01-01T00:00:00Z"));
    ASSERT_EQ(got.items.size(), want.items.size());
    for (const auto& [id, item] : want.items.items()) {
      const registry::Item* g = got.items.FindItem(id);
      ASSERT_NE(g, nullptr);
      EXPECT_EQ(g->status, item.status);
      EXPECT_EQ(g->warheads, item.warheads);
    }
  }
}

TEST(FoldTest, IllegalStepsBecomeIrregularities) {
  Builder us("US");
  std::vector<LoggedNotification> h;
  h.push_back(us.Make("NST-TYPE-NEW", "2011-02-05T00:00:00Z",
                      {{"type", Value::Str("MM3")},
                       {"category", Value::Str("icbm")},
                       {"max_warheads", Value::Int(3)}}));
  h.push_back(us.Init("2011-02-05T00:00:00Z",
                      {ItemRec("A", "US", "icbm", "deployed", 1, "MM3"),
                       ItemRec("B", "US", "icbm", "deployed", 1, "MM3")}));
  // Unknown identifier moved.
  h.push_back(us.Make("NST-ITEM-MOVE", "2011-03-01T00:00:00Z",
                      {{"item", Value::Str("ZZZ")},
                       {"category", Value::Str("icbm")},
                       {"from_facility", Value::Str("F1")},
                       {"to_facility", Value::Str("F2")},
                       {"departed", Value::Str("2011-03-01T00:00:00Z")}}));
  // Eliminated, then deployed.
  h.push_back(us.Make("NST-ITEM-ELIM", "2011-04-01T00:00:00Z",
                      {{"item", Value::Str("B")},
                       {"category", Value::Str("icbm")},
                       {"facility", Value::Str("F1")},
                       {"completed", Value::Str("2011-04-01")}}));
  h.push_back(
      us.StatusChange("2011-05-01T00:00:00Z", "B", "eliminated", "deployed"));
  // More reentry vehicles than the type allows.
  h.push_back(us.Make("NST-RV-CHANGE", "2011-06-01T00:00:00Z",
                      {{"item", Value::Str("A")},
                       {"category", Value::Str("icbm")},
                       {"from_warheads", Value::Int(1)},
                       {"to_warheads", Value::Int(4)},
                       {"occurred", Value::Str("2011-06-01")}}));
  // A duplicate identifier.
  h.push_back(us.Make("NST-ITEM-NEW", "2011-07-01T00:00:00Z",
                      {{"item", Value::Str("A")},
                       {"category", Value::Str("icbm")},
                       {"type", Value::Str("MM3")},
                       {"status", Value::Str("non_deployed")},
                       {"facility", Value::Str("F1")}}));
  State s = *Fold(NewStart(), h).StateAt(T("2012-01-01T00:00:00Z"));
  std::vector<std::string> rules;
  for (const Irregularity& i : s.irregularities) rules.push_back(i.rule);
  EXPECT_THAT(rules, ::testing::ElementsAre(
                         "unknown-identifier", "eliminated-item-used",
                         "warheads-over-type-maximum", "duplicate-identifier"));
  EXPECT_THAT(s.irregularities[0].text, HasSubstr("'ZZZ'"));
  EXPECT_EQ(s.irregularities[0].entries[0].index, 2u);
  // The illegal deployment was not applied.
  EXPECT_EQ(s.items.FindItem("B")->status, "eliminated");
}

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format(
               "detente_regime_{}_{}", getpid(),
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(LogReaderTest, BadEntriesAreLeftOutAndReported) {
  crypto::Ed25519Seed seed{};
  seed.fill(1);
  crypto::SignerKey us = *crypto::SignerKey::FromSeed(
      "us.test/log", crypto::KeyType::kEd25519, seed);
  seed.fill(2);
  crypto::SignerKey other = *crypto::SignerKey::FromSeed(
      "us.test/log", crypto::KeyType::kEd25519, seed);
  auto log = std::move(ledger::LogStore::Create((dir_ / "us.db").string(),
                                                "us.test/log",
                                                us.verifier().ToString()))
                 .value();
  Builder b("US");
  std::vector<LoggedNotification> h = History();
  std::vector<Notification> mine;
  for (const auto& ln : h) {
    if (ln.notification.sender == "US") mine.push_back(ln.notification);
  }
  ASSERT_EQ(mine.size(), 4u);  // sequences 1..4
  auto append = [&](const Notification& n, const crypto::SignerKey& k) {
    ASSERT_TRUE(log->Append(notification::Sign(n, k).Entry()).ok());
  };
  append(mine[0], us);     // 1
  append(mine[1], us);     // 2
  append(mine[1], us);     // 2 again: replay
  append(mine[2], other);  // 3, wrong key
  append(mine[3], us);     // 4: after the skipped 3, a gap
  ASSERT_TRUE(log->Append("not a notification").ok());
  PartyLog pl = *ReadPartyLog(*log, NewStart(), "US", us.verifier());
  EXPECT_EQ(pl.notifications.size(), 3u);
  std::vector<std::string> rules;
  for (const Irregularity& i : pl.irregularities) rules.push_back(i.rule);
  EXPECT_THAT(rules, ::testing::ElementsAre("sequence-replay", "bad-signature",
                                            "sequence-gap", "malformed-entry"));
  EXPECT_EQ(pl.irregularities[2].entries.back().index, 4u);
}

// The commission and the inspections are folded from the same
// notifications: their state is in the regime's State, and a step their
// state machines refuse is an irregularity naming the entry.
TEST(FoldTest, CommissionAndInspectionsAreProjectionsOfTheFold) {
  Builder us("US"), ru("RU");
  std::vector<LoggedNotification> ns;
  ns.push_back(us.Make("NST-BCC-ISSUE-RAISE", "2022-11-01T00:00:00Z",
                       {{"issue", Value::Str("I1")},
                        {"title", Value::Str("Resumption of inspections")}}));
  ns.push_back(us.Make("NST-BCC-SESSION-PROPOSE", "2022-11-03T00:00:00Z",
                       {{"session", Value::Str("S1")},
                        {"start", Value::Str("2022-11-29")},
                        {"end", Value::Str("2022-12-06")},
                        {"venue", Value::Str("Cairo")}}));
  ns.push_back(ru.Make("NST-BCC-SESSION-ACCEPT", "2022-11-04T00:00:00Z",
                       {{"session", Value::Str("S1")},
                        {"start", Value::Str("2022-11-29")},
                        {"end", Value::Str("2022-12-06")},
                        {"venue", Value::Str("Cairo")}}));
  ns.push_back(
      us.Make("NST-BCC-AGENDA-PROPOSE", "2022-11-05T00:00:00Z",
              {{"session", Value::Str("S1")}, {"issues", Value::Str("I1")}}));
  // Convening without RU's acceptance: refused by the commission.
  ns.push_back(us.Make("NST-BCC-SESSION-CONVENE", "2022-11-29T09:00:00Z",
                       {{"session", Value::Str("S1")}}));
  // An arrival with no request: refused by the inspections.
  ns.push_back(us.Make("NST-INSP-ARRIVAL", "2022-12-01T00:00:00Z",
                       {{"inspection", Value::Str("US-2022-1")},
                        {"inspection_type", Value::Str("type_one")},
                        {"arrived", Value::Str("2022-12-01T00:00:00Z")},
                        {"facility", Value::Str("F1")}}));
  Fold fold(NewStart(), ns);
  Result<State> s = fold.StateAt(T("2023-01-01T00:00:00Z"));
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->commission.sessions.count("S1"), 1u);
  EXPECT_EQ(s->commission.sessions.at("S1").status,
            commission::SessionStatus::kScheduled);
  EXPECT_EQ(s->commission.issues.size(), 1u);
  ASSERT_EQ(s->irregularities.size(), 2u);
  EXPECT_EQ(s->irregularities[0].rule, "commission-step-refused");
  EXPECT_EQ(s->irregularities[0].party, "US");
  EXPECT_THAT(s->irregularities[0].text, HasSubstr("not accepted by RU"));
  EXPECT_EQ(s->irregularities[0].entries, (std::vector<EntryRef>{{"US", 3}}));
  EXPECT_EQ(s->irregularities[1].rule, "inspection-step-refused");
  EXPECT_EQ(s->irregularities[1].entries, (std::vector<EntryRef>{{"US", 4}}));
  // Before the convene attempt, nothing is irregular.
  Result<State> before = fold.StateAt(T("2022-11-28T00:00:00Z"));
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->irregularities.empty());
}

// Notes and demarches take the in-place path when the fold reads records
// (commission::ApplyChannelRecord): the channel, the refusals and the
// irregularities must be those of the decoded path, message for message,
// including the steps the channel refuses (a note to oneself, anything to
// a party relations with are severed, a note that does not validate).
// The channel's messages are not in message_index; the others are.
TEST(FoldTest, ChannelMessagesReadInPlaceAsDecoded) {
  Builder us("US"), ru("RU");
  std::vector<LoggedNotification> ns;
  ns.push_back(us.Make("NST-DIP-NOTE", "2022-01-01T00:00:00Z",
                       {{"subject", Value::Str("Data exchange")},
                        {"text", Value::Str("t")},
                        {"to", Value::Str("RU")},
                        {"level", Value::Str("ambassador")}}));
  ns.push_back(
      ru.Make("NST-DIP-NOTE", "2022-01-02T00:00:00Z",
              {{"subject", Value::Str("To all")}, {"text", Value::Str("t")}}));
  ns.push_back(us.Make("NST-DEMARCHE", "2022-01-03T00:00:00Z",
                       {{"to", Value::Str("RU")},
                        {"level", Value::Str("minister")},
                        {"subject", Value::Str("Inspections")},
                        {"text", Value::Str("t")}}));
  // To itself: refused.
  ns.push_back(us.Make("NST-DIP-NOTE", "2022-01-04T00:00:00Z",
                       {{"subject", Value::Str("Self")},
                        {"text", Value::Str("t")},
                        {"to", Value::Str("US")}}));
  ns.push_back(ru.Make("NST-SEVERANCE", "2022-01-05T00:00:00Z",
                       {{"to", Value::Str("US")}}));
  // Across the severance: refused either way; to every party: taken.
  ns.push_back(us.Make("NST-DIP-NOTE", "2022-01-06T00:00:00Z",
                       {{"subject", Value::Str("After")},
                        {"text", Value::Str("t")},
                        {"to", Value::Str("RU")}}));
  ns.push_back(ru.Make("NST-DEMARCHE", "2022-01-07T00:00:00Z",
                       {{"to", Value::Str("US")},
                        {"level", Value::Str("embassy")},
                        {"subject", Value::Str("After")},
                        {"text", Value::Str("t")}}));
  ns.push_back(us.Make(
      "NST-DIP-NOTE", "2022-01-08T00:00:00Z",
      {{"subject", Value::Str("Circular")}, {"text", Value::Str("t")}}));
  // A note without its required text: does not validate, refused.
  {
    LoggedNotification bad =
        us.Make("NST-DIP-NOTE", "2022-01-09T00:00:00Z",
                {{"subject", Value::Str("Bad")}, {"text", Value::Str("t")}});
    bad.notification.body = Value::OfMap({{"subject", Value::Str("Bad")}});
    ns.push_back(bad);
  }

  const Applier applier(NewStart());
  State decoded = applier.NewState();
  State in_place = applier.NewState();
  for (const LoggedNotification& ln : ns) {
    applier.Apply(ln.notification, ln.ref, decoded);
    const std::string record = notification::CanonicalBytes(ln.notification);
    Result<notification::RecordView> r = notification::ParseRecordView(record);
    ASSERT_TRUE(r.ok()) << r.status();
    applier.Apply(*r, ln.ref, in_place);
  }

  const commission::State& want = decoded.commission;
  const commission::State& got = in_place.commission;
  ASSERT_EQ(want.channel.size(), 4u);
  ASSERT_EQ(got.channel.size(), want.channel.size());
  for (size_t i = 0; i < want.channel.size(); ++i) {
    const commission::ChannelMessage& w = want.channel[i];
    const commission::ChannelMessage& g = got.channel[i];
    EXPECT_EQ(g.kind, w.kind) << i;
    EXPECT_EQ(g.from, w.from) << i;
    EXPECT_EQ(g.to, w.to) << i;
    EXPECT_EQ(g.level, w.level) << i;
    EXPECT_EQ(g.subject, w.subject) << i;
    EXPECT_EQ(g.source.party, w.source.party) << i;
    EXPECT_EQ(g.source.sequence, w.source.sequence) << i;
    EXPECT_EQ(g.source.type, w.source.type) << i;
    EXPECT_EQ(g.source.time, w.source.time) << i;
  }
  EXPECT_EQ(want.channel[0].level, "ambassador");
  EXPECT_EQ(want.channel[2].kind, commission::MessageKind::kDemarche);
  EXPECT_EQ(want.channel[3].subject, "Circular");
  ASSERT_EQ(want.refusals.size(), 4u);
  ASSERT_EQ(got.refusals.size(), want.refusals.size());
  for (size_t i = 0; i < want.refusals.size(); ++i) {
    EXPECT_EQ(got.refusals[i].code, want.refusals[i].code) << i;
    EXPECT_EQ(got.refusals[i].text, want.refusals[i].text) << i;
    EXPECT_EQ(got.refusals[i].source.sequence, want.refusals[i].source.sequence)
        << i;
  }
  EXPECT_EQ(got.applied, want.applied);
  EXPECT_EQ(got.severances.size(), 1u);
  ASSERT_EQ(in_place.irregularities.size(), decoded.irregularities.size());
  ASSERT_EQ(decoded.irregularities.size(), 4u);
  for (size_t i = 0; i < decoded.irregularities.size(); ++i) {
    EXPECT_EQ(in_place.irregularities[i].rule, "commission-step-refused");
    EXPECT_EQ(in_place.irregularities[i].text, decoded.irregularities[i].text);
    EXPECT_EQ(in_place.irregularities[i].entries,
              decoded.irregularities[i].entries);
  }
  EXPECT_EQ(in_place.applied, decoded.applied);
  EXPECT_EQ(in_place.at, decoded.at);
  // Only the severance is indexed.
  const std::map<std::pair<std::string, uint64_t>, uint64_t> index = {
      {{"RU", 2}, 1}};
  EXPECT_EQ(decoded.message_index, index);
  EXPECT_EQ(in_place.message_index, index);
}

}  // namespace
}  // namespace detente::regime
