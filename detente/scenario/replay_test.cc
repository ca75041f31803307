#include "detente/scenario/replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "detente/commission/commission.h"
#include "detente/commission/outcome.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/regime/log_reader.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::scenario {
namespace {

namespace fs = std::filesystem;
using notification::Notification;
using notification::Value;
using ::testing::HasSubstr;

const treaty::Spec& Spec() { return treaty::testing::NewStartSpec(); }

const registry::PublishedTable& Table() {
  static const registry::PublishedTable* t = [] {
    auto p = registry::LoadPublished(
        DETENTE_SOURCE_DIR "/data/public/new_start_aggregates.csv", Spec());
    EXPECT_TRUE(p.ok()) << p.status();
    return new registry::PublishedTable(*p);
  }();
  return *t;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

Instant T(const char* s) { return Instant::Parse(s).value(); }

// The synthetic history is cut short (to 1 September 2011: the scenario's
// events run to 2023 regardless) so that the suite stays fast; the
// scenario is the bundled one. Written once with seed 1 and read back
// through the regime's reader; SameSeedSameBytes writes two more runs.
class ReplayFiles : public ::testing::Test {
 protected:
  static SynthOptions Options(const std::string& dir, uint64_t seed) {
    SynthOptions o;
    o.seed = seed;
    o.until = Date::Parse("2011-09-01").value();
    o.out_dir = *root_ + "/" + dir;
    return o;
  }
  static std::string Dir(const std::string& d) { return *root_ + "/" + d; }

  static void SetUpTestSuite() {
    const std::string base =
        fs::is_directory("/dev/shm") ? "/dev/shm" : DETENTE_BINARY_DIR;
    root_ = new std::string(base + "/detente_replay_test." +
                            std::to_string(::getpid()));
    fs::remove_all(*root_);
    auto s = LoadScenarioFile(
        DETENTE_SOURCE_DIR "/data/scenarios/new-start-bcc.toml", Spec());
    ASSERT_TRUE(s.ok()) << s.status();
    scenario_ = new Scenario(*std::move(s));
    Result<ReplayReport> r =
        Replay(Spec(), Table(), *scenario_, Options("a", 1));
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = new ReplayReport(*std::move(r));
    // Both logs of run "a", read as the regime reads them.
    for (const treaty::Party& p : Spec().parties) {
      auto log = ledger::LogStore::Open(Dir("a") + "/" + p.code + ".db");
      ASSERT_TRUE(log.ok()) << log.status();
      std::string vkey = ReadAll(Dir("a") + "/" + p.code + ".key.vkey");
      while (!vkey.empty() && vkey.back() == '\n') vkey.pop_back();
      auto key = crypto::VerifierKey::Parse(vkey);
      ASSERT_TRUE(key.ok()) << key.status();
      auto read = regime::ReadPartyLog(**log, Spec(), p.code, *key);
      ASSERT_TRUE(read.ok()) << read.status();
      EXPECT_TRUE(read->irregularities.empty())
          << p.code << ": " << read->irregularities.front().text;
      for (regime::LoggedNotification& n : read->notifications) {
        logged_->push_back(std::move(n.notification));
      }
    }
  }
  static void TearDownTestSuite() { fs::remove_all(*root_); }

  static commission::State FoldAt(const char* at) {
    return commission::FoldCommission(Spec(), *logged_, T(at));
  }

  static std::string* root_;
  static Scenario* scenario_;
  static ReplayReport* report_;
  static std::vector<Notification>* logged_;
};
std::string* ReplayFiles::root_ = nullptr;
Scenario* ReplayFiles::scenario_ = nullptr;
ReplayReport* ReplayFiles::report_ = nullptr;
std::vector<Notification>* ReplayFiles::logged_ =
    new std::vector<Notification>();

// The Cairo session, folded from the logs: postponed by Russia, not
// cancelled, with new dates to follow and no reason; its agenda not agreed.
TEST_F(ReplayFiles, CairoPostponedNotCancelledAgendaNotAgreed) {
  const commission::State s = FoldAt("2026-02-05T00:00:00Z");
  EXPECT_TRUE(s.refusals.empty()) << s.refusals.front().text;
  auto it = s.sessions.find("BCC-CAIRO-2022");
  ASSERT_NE(it, s.sessions.end());
  const commission::Session& cairo = it->second;
  EXPECT_EQ(cairo.status, commission::SessionStatus::kPostponed);
  EXPECT_TRUE(cairo.cancel_requests.empty());
  ASSERT_EQ(cairo.postponements.size(), 1u);
  EXPECT_EQ(cairo.postponements[0].party, "RU");
  EXPECT_TRUE(cairo.postponements[0].new_dates_to_follow);
  EXPECT_EQ(cairo.postponements[0].reason, "");
  EXPECT_EQ(cairo.postponements[0].source.time, T("2022-11-28T10:00:00Z"));
  ASSERT_NE(cairo.agenda.Current(), nullptr);
  EXPECT_EQ(cairo.agenda.Current()->version, 2);
  EXPECT_EQ(cairo.agenda.Current()->proposer, "US");
  EXPECT_FALSE(cairo.agenda.AgreedBy({"US", "RU"}));
  EXPECT_EQ(cairo.agenda.accepted.at("RU"), 1);
  EXPECT_EQ(cairo.agenda.accepted.at("US"), 2);
  // The dates had been accepted by both (scheduled) before the
  // postponement cleared them.
  const commission::State before = FoldAt("2022-11-28T09:59:59Z");
  EXPECT_EQ(before.sessions.at("BCC-CAIRO-2022").status,
            commission::SessionStatus::kScheduled);
}

// Why it could not convene: a convene on 29 November asked of the logs as
// they stood before the postponement names Russia and the item only the US
// accepted; after the postponement it cannot convene at all. The replay's
// own check says the same.
TEST_F(ReplayFiles, ConveneRefusalNamesRussia) {
  std::vector<Notification> upto;
  for (const Notification& n : *logged_) {
    if (n.event_time < T("2022-11-28T10:00:00Z")) upto.push_back(n);
  }
  std::stable_sort(upto.begin(), upto.end(), [](const auto& a, const auto& b) {
    if (a.event_time != b.event_time) return a.event_time < b.event_time;
    if (a.sender != b.sender) return a.sender < b.sender;
    return a.sequence < b.sequence;
  });
  commission::Commission c(Spec());
  for (const Notification& n : upto) ASSERT_TRUE(c.Apply(n).ok());
  Notification convene;
  convene.treaty = "new-start";
  convene.sender = "US";
  convene.sequence = 1000000;
  convene.type = "NST-BCC-SESSION-CONVENE";
  convene.event_time = convene.sent_time = T("2022-11-29T09:00:00Z");
  convene.body = Value::OfMap({{"session", Value::Str("BCC-CAIRO-2022")}});
  commission::Commission after_postponement = c;
  Status refused = c.Apply(convene);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("session BCC-CAIRO-2022 cannot convene: agenda v2"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("not accepted by RU"));
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("item RESUME-INSPECTIONS accepted only by US"));

  // With the postponement applied, the session is not scheduled any more.
  for (const Notification& n : *logged_) {
    if (n.type == "NST-BCC-POSTPONE") {
      ASSERT_TRUE(after_postponement.Apply(n).ok());
    }
  }
  Status postponed = after_postponement.Apply(convene);
  ASSERT_FALSE(postponed.ok());
  EXPECT_THAT(std::string(postponed.message()), HasSubstr("postponed"));

  ASSERT_EQ(report_->convene_checks.size(), 1u);
  const ConveneCheck& check = report_->convene_checks[0];
  EXPECT_EQ(check.session, "BCC-CAIRO-2022");
  EXPECT_EQ(check.postponed_by, "RU");
  EXPECT_EQ(check.probe_sender, "US");
  EXPECT_EQ(check.probe_time, T("2022-11-29T00:00:00Z"));
  EXPECT_FALSE(check.would_convene);
  EXPECT_THAT(check.refusal,
              ::testing::StartsWith("session BCC-CAIRO-2022 cannot convene"));
  EXPECT_THAT(check.refusal, HasSubstr("not accepted by RU"));
  EXPECT_THAT(check.refusal,
              HasSubstr("item RESUME-INSPECTIONS accepted only by US"));
}

TEST_F(ReplayFiles, DialoguePausedNotTerminated) {
  const commission::State s = FoldAt("2026-02-05T00:00:00Z");
  auto it = s.dialogues.find("SSD");
  ASSERT_NE(it, s.dialogues.end());
  EXPECT_EQ(it->second.status, commission::DialogueStatus::kPaused);
  ASSERT_EQ(it->second.history.size(), 2u);
  EXPECT_EQ(it->second.history.back().source.party, "RU");
  EXPECT_EQ(FoldAt("2022-01-01T00:00:00Z").dialogues.at("SSD").status,
            commission::DialogueStatus::kActive);
}

// Every session the scenario holds convened and concluded except Cairo;
// the three outcomes of 7 February 2012 verify offline under the
// Commissioners' keys on the logs.
TEST_F(ReplayFiles, SessionsAndSignedOutcomes) {
  const commission::State s = FoldAt("2026-02-05T00:00:00Z");
  int concluded = 0;
  for (const auto& [id, session] : s.sessions) {
    if (session.status == commission::SessionStatus::kConcluded) ++concluded;
  }
  EXPECT_EQ(concluded, 6);
  ASSERT_EQ(s.outcomes.size(), 3u);
  std::map<std::string, crypto::VerifierKey> keys;
  for (const auto& [party, c] : s.commissioners) keys.emplace(party, c.key);
  EXPECT_EQ(s.commissioners.at("US").name, "John M. Ordway");
  EXPECT_EQ(s.commissioners.at("RU").name, "Vladimir L. Leontyev");
  for (const commission::Outcome& o : s.outcomes) {
    EXPECT_TRUE(
        commission::VerifyOutcome(o.record, o.signatures, {"US", "RU"}, keys)
            .ok());
    EXPECT_FALSE(o.record.confidential);
    commission::OutcomeRecord changed = o.record;
    changed.text += ".";
    EXPECT_FALSE(
        commission::VerifyOutcome(changed, o.signatures, {"US", "RU"}, keys)
            .ok());
  }
  EXPECT_EQ(report_->commissioner_keys.at("US"),
            s.commissioners.at("US").key.ToString());
}

// The scenario's events are on the logs with the sequence numbers the
// report gives, each log gap-free (ReadPartyLog found no irregularity);
// Russia sends nothing after the halt of 29 March 2023.
TEST_F(ReplayFiles, EventsMergedInSentOrder) {
  ASSERT_EQ(report_->events.size(), scenario_->events.size());
  std::map<std::pair<std::string, uint64_t>, const Notification*> by_seq;
  for (const Notification& n : *logged_) by_seq[{n.sender, n.sequence}] = &n;
  for (size_t i = 0; i < report_->events.size(); ++i) {
    const ReplayedEvent& e = report_->events[i];
    auto it = by_seq.find({e.party, e.sequence});
    ASSERT_NE(it, by_seq.end()) << e.line;
    EXPECT_EQ(it->second->type, scenario_->events[i].notification.type);
    EXPECT_EQ(it->second->event_time,
              scenario_->events[i].notification.event_time);
  }
  for (const Notification& n : *logged_) {
    if (n.sender == "RU") {
      EXPECT_LE(n.sent_time, T("2023-03-29T10:00:00Z")) << n.sequence;
    }
  }
  // Reported for the party that stopped, even when nothing was dropped
  // (here the synthetic record is cut short; the full one stops Russia
  // after its 1 September 2022 update, which synth_test checks).
  EXPECT_EQ(report_->dropped.at("RU"), 0u);
  EXPECT_EQ(report_->dropped.count("US"), 0u);
}

TEST_F(ReplayFiles, ManifestSaysWhatIsSourcedAndWhatIsIllustration) {
  auto m = nlohmann::json::parse(ReadAll(Dir("a") + "/manifest.json"));
  EXPECT_EQ(m["synthetic"], true);
  const auto& merged = m["merged"]["new-start-bcc.toml"];
  ASSERT_EQ(merged["events"].size(), scenario_->events.size());
  size_t illustrations = 0;
  for (const auto& e : merged["events"]) {
    EXPECT_FALSE(e["source"].get<std::string>().empty());
    illustrations += e["basis"] == "illustration";
  }
  EXPECT_GT(illustrations, 0u);
  EXPECT_LT(illustrations, scenario_->events.size());
  const std::string readme = ReadAll(Dir("a") + "/SYNTHETIC.md");
  EXPECT_THAT(readme, HasSubstr("ILLUSTRATION"));
  EXPECT_THAT(readme, HasSubstr("BCC-CAIRO-2022 postponed by RU"));
}

TEST_F(ReplayFiles, SameSeedSameBytes) {
  for (const auto& [dir, seed] :
       {std::pair{"b", uint64_t{1}}, std::pair{"c", uint64_t{2}}}) {
    Result<ReplayReport> r =
        Replay(Spec(), Table(), *scenario_, Options(dir, seed));
    ASSERT_TRUE(r.ok()) << r.status();
  }
  size_t files = 0;
  for (const auto& f : fs::directory_iterator(Dir("a"))) {
    const std::string name = f.path().filename().string();
    EXPECT_EQ(ReadAll(f.path().string()), ReadAll(Dir("b") + "/" + name))
        << name;
    if (name.ends_with(".db") || name.ends_with(".key")) {
      EXPECT_NE(ReadAll(f.path().string()), ReadAll(Dir("c") + "/" + name))
          << name;
    }
    ++files;
  }
  EXPECT_GE(files, 8u);
}

TEST_F(ReplayFiles, RefusesAPreviousRun) {
  Result<ReplayReport> again =
      Replay(Spec(), Table(), *scenario_, Options("a", 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

// MergeNotifications on its own: a party that stops sending drops its later
// synthetic notifications and refuses a later extra one.
TEST(ReplayMergeTest, StopsSendingDropsLaterSyntheticNotifications) {
  SynthOptions o;
  o.until = Date::Parse("2011-09-01").value();
  Result<SynthHistory> h = BuildHistory(Spec(), Table(), o);
  ASSERT_TRUE(h.ok()) << h.status();
  const size_t before = h->parties[1].notifications.size();
  ExtraNotifications ru;
  ru.party = "RU";
  ru.stops_sending = T("2011-06-01T00:00:00Z");
  SynthHistory copy = *h;
  auto dropped = MergeNotifications(Spec(), o, {ru}, &copy);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_GT(dropped->at("RU"), 0u);
  EXPECT_EQ(copy.parties[1].notifications.size() + dropped->at("RU"), before);
  for (size_t i = 0; i < copy.parties[1].notifications.size(); ++i) {
    EXPECT_EQ(copy.parties[1].notifications[i].sequence, i + 1);
    EXPECT_LE(copy.parties[1].notifications[i].sent_time, *ru.stops_sending);
  }
  EXPECT_EQ(copy.parties[1].dispatches.back().end,
            copy.parties[1].notifications.size());

  Notification late;
  late.treaty = "new-start";
  late.sender = "RU";
  late.type = "NST-DIP-NOTE";
  late.event_time = late.sent_time = T("2011-07-01T00:00:00Z");
  late.body =
      Value::OfMap({{"subject", Value::Str("s")}, {"text", Value::Str("t")}});
  ru.notifications.push_back(late);
  copy = *h;
  auto refused = MergeNotifications(Spec(), o, {ru}, &copy);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(copy.parties[1].notifications.size(), before);  // unchanged

  // Without extras the dispatches stay as they were.
  copy = *h;
  ASSERT_TRUE(MergeNotifications(Spec(), o, {}, &copy).ok());
  ASSERT_EQ(copy.parties[0].dispatches.size(), h->parties[0].dispatches.size());
  for (size_t i = 0; i < copy.parties[0].dispatches.size(); ++i) {
    EXPECT_EQ(copy.parties[0].dispatches[i].end,
              h->parties[0].dispatches[i].end);
    EXPECT_EQ(copy.parties[0].dispatches[i].receipt,
              h->parties[0].dispatches[i].receipt);
  }
}

}  // namespace
}  // namespace detente::scenario
