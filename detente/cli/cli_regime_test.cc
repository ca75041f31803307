// End to end through the real binary: a SYNTHETIC New START history, its
// fold beside the published figures, and a breach, a late notification and
// a sequence gap injected with `detente notify` — each found, each proven
// offline by `detente finding verify`, and each failing verification once a
// byte of its evidence changes. Plus the refusals of `detente notify`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "detente/cli/cli_testing.h"

namespace detente::cli {
namespace {

using ::testing::HasSubstr;

class CliRegimeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(
        std::filesystem::temp_directory_path() /
        ("detente_cli_regime_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    // One synthetic history for the suite, through the first exchange at
    // which the limits bind.
    RunResult r = Run("synth --seed 3 --until 2018-03-01 --out syn");
    ASSERT_EQ(r.code, 0) << r.out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static RunResult Run(const std::string& args, bool merge_stderr = true) {
    return RunDetente(*dir_, args, merge_stderr);
  }
  static void Write(const std::string& name, const std::string& text) {
    std::ofstream(*dir_ / name) << text;
  }
  static std::string Read(const std::string& name) {
    std::ifstream f(*dir_ / name);
    return std::string((std::istreambuf_iterator<char>(f)), {});
  }

  static std::filesystem::path* dir_;
};
std::filesystem::path* CliRegimeTest::dir_ = nullptr;

TEST_F(CliRegimeTest, SynthReproducesThePublishedFigures) {
  RunResult s = Run("state --dir syn --at 2018-02-05 --json", false);
  ASSERT_EQ(s.code, 0) << s.out;
  nlohmann::json j = nlohmann::json::parse(s.out);
  int compared = 0;
  for (const auto& a : j["aggregates"]) {
    ASSERT_FALSE(a["published"].is_null()) << a.dump();
    EXPECT_EQ(a["value"], a["published"]) << a.dump();
    EXPECT_EQ(a["state"], "within");
    ++compared;
  }
  EXPECT_EQ(compared, 6);
  EXPECT_THAT(Read("syn/SYNTHETIC.md"), HasSubstr("SYNTHETIC"));
}

TEST_F(CliRegimeTest, NotifyRefusesBadInputAndAppendsNothing) {
  RunResult before = Run("log verify --db syn/US.db --json", false);
  ASSERT_EQ(before.code, 0);
  uint64_t size = nlohmann::json::parse(before.out)["size"];
  auto refused = [&](const std::string& json, const std::string& args,
                     const std::string& want) {
    Write("n.json", json);
    RunResult r =
        Run("notify --db syn/US.db --key syn/US.key " + args + " n.json");
    EXPECT_NE(r.code, 0) << json;
    EXPECT_THAT(r.out, HasSubstr(want)) << json;
  };
  std::string ok_body =
      R"("type": "NST-TYPE-NEW", "event_time": "2018-04-02T00:00:00Z",
         "sent_time": "2018-04-03T00:00:00Z",
         "body": {"type": "X", "category": "icbm"})";
  refused(
      R"({"sender": "US", "type": "NST-TYPE-NEW", "event_time": "2018-04-02T00:00:00Z", "body": {"category": "icbm"}})",
      "", "nothing appended");
  refused(
      R"({"sender": "US", "type": "NST-NOPE", "event_time": "2018-04-02T00:00:00Z", "body": {}})",
      "", "NST-NOPE");
  refused(R"({"treaty": "inf", "sender": "US", )" + ok_body + "}", "", "'inf'");
  refused(R"({"sender": "US", )" + ok_body + "}", "--sequence 1", "replays");
  refused(R"({"sender": "US", )" + ok_body + "}",
          "--sequence " + std::to_string(size + 50), "skips");
  refused(
      R"({"sender": "US", "type": "NST-TYPE-NEW", "event_time": "2018-04-02T00:00:00Z", "body": {"type": 1.5, "category": "icbm"}})",
      "", "integers and strings only");
  Write("n.json", R"({"sender": "US", )" + ok_body + "}");
  RunResult wrong_key = Run("notify --db syn/US.db --key syn/RU.key n.json");
  EXPECT_THAT(wrong_key.out, HasSubstr("is not the key of log"));
  RunResult after = Run("log verify --db syn/US.db --json", false);
  EXPECT_EQ(nlohmann::json::parse(after.out)["size"], size);
}

TEST_F(CliRegimeTest, InjectedBreachLateAndGapAreFoundAndProvenOffline) {
  RunResult v = Run("log verify --db syn/US.db --json", false);
  uint64_t old_size = nlohmann::json::parse(v.out)["size"];
  // A breach: a new deployed ICBM with 201 reentry vehicles.
  Write("breach.json", R"({"sender": "US", "type": "NST-ITEM-NEW",
    "event_time": "2018-04-01T00:00:00Z", "sent_time": "2018-04-02T00:00:00Z",
    "body": {"item": "US-INJECTED-1", "category": "icbm", "type": "Minuteman III",
             "status": "deployed", "facility": "INJECTED", "warheads": 201}})");
  ASSERT_EQ(Run("notify --db syn/US.db --key syn/US.key breach.json").code, 0);
  // A late notification: sent 18 days after its event (rule: 5 days).
  Write("late.json", R"({"sender": "US", "type": "NST-TYPE-NEW",
    "event_time": "2018-04-02T00:00:00Z", "sent_time": "2018-04-20T00:00:00Z",
    "body": {"type": "Injected type", "category": "icbm"}})");
  ASSERT_EQ(Run("notify --db syn/US.db --key syn/US.key late.json").code, 0);
  // A gap: two sequence numbers skipped.
  Write("gap.json", R"({"sender": "US", "type": "NST-TYPE-NEW",
    "event_time": "2018-04-21T00:00:00Z", "sent_time": "2018-04-21T00:00:00Z",
    "body": {"type": "Injected type 2", "category": "icbm"}})");
  RunResult gap =
      Run("notify --db syn/US.db --key syn/US.key --allow-gap "
          "--sequence 999999 gap.json");
  ASSERT_EQ(gap.code, 0) << gap.out;
  // US checkpoints; RU cosigns (consistency from what it cosigned); receipt.
  ASSERT_EQ(Run("log checkpoint --db syn/US.db --key syn/US.key").code, 0);
  Write("c.proof", Run("log prove consistency --db syn/US.db --from " +
                           std::to_string(old_size),
                       false)
                       .out);
  RunResult cos =
      Run("log cosign --db syn/RU.db --key syn/RU.key --log-vkey "
          "syn/US.key.vkey --proof c.proof",
          false);
  ASSERT_EQ(cos.code, 0) << cos.out;
  Write("c.cosigned", cos.out);
  ASSERT_EQ(Run("log receipt --db syn/US.db --witness syn/RU.key.cosigner.vkey "
                "c.cosigned")
                .code,
            0);

  RunResult f =
      Run("findings --dir syn --until 2018-06-01 --json --out found", false);
  ASSERT_EQ(f.code, 0) << f.out;
  nlohmann::json j = nlohmann::json::parse(f.out);
  std::map<std::string, std::string> ids;
  for (const auto& x : j["findings"]) {
    if (x["party"] == "US") ids[x["rule"]] = x["id"];
    if (x["rule"] == "limit-exceeded") {
      // The synthetic US figure at that date plus the 201 injected.
      EXPECT_GT(std::stoll(std::string(x["claim"]["value"])), 1550) << x.dump();
    }
  }
  for (const char* rule :
       {"limit-exceeded", "late-notification", "sequence-gap"}) {
    ASSERT_TRUE(ids.count(rule)) << rule << " not found in " << f.out;
    std::string file = "found/" + ids[rule] + ".json";
    RunResult ok = Run("finding verify " + file +
                       " --vkeys syn/US.key.vkey syn/RU.key.vkey");
    EXPECT_EQ(ok.code, 0) << rule << ": " << ok.out;
    EXPECT_THAT(ok.out, HasSubstr("holds"));
    // Change one byte of the first evidence entry (base64 in the file).
    nlohmann::json fj = nlohmann::json::parse(Read(file));
    std::string entry = fj["evidence"][0]["entry"];
    entry[entry.size() / 2] = entry[entry.size() / 2] == 'A' ? 'B' : 'A';
    fj["evidence"][0]["entry"] = entry;
    Write("tampered.json", fj.dump());
    RunResult bad =
        Run("finding verify tampered.json --vkeys syn/US.key.vkey "
            "syn/RU.key.vkey");
    EXPECT_EQ(bad.code, 1) << rule << ": " << bad.out;
  }
  // No breach before the injection.
  for (const auto& x : j["findings"]) {
    if (x["rule"] == "limit-exceeded") {
      EXPECT_GE(std::string(x["time"]), std::string("2018-04-01")) << x.dump();
    }
  }

  // Authenticated by the signed checkpoints instead (every entry is under
  // one, none is badly signed): the same findings, the same ids.
  RunResult by_checkpoint = Run(
      "findings --dir syn --until 2018-06-01 --json --authenticate checkpoint",
      false);
  ASSERT_EQ(by_checkpoint.code, 0) << by_checkpoint.out;
  std::set<std::string> want, got;
  for (const auto& x : j["findings"]) want.insert(x["id"]);
  const nlohmann::json cj = nlohmann::json::parse(by_checkpoint.out);
  for (const auto& x : cj["findings"]) got.insert(x["id"]);
  EXPECT_EQ(got, want);
  EXPECT_FALSE(want.empty());
  RunResult wrong =
      Run("findings --dir syn --until 2018-06-01 --authenticate nobody");
  EXPECT_EQ(wrong.code, 2) << wrong.out;
  EXPECT_THAT(wrong.out, HasSubstr("--authenticate: 'nobody'"));

  // A copy whose RU log has no signed checkpoint: each signature still
  // authenticates its entries; the checkpoint cannot.
  std::filesystem::copy(*dir_ / "syn", *dir_ / "nocp",
                        std::filesystem::copy_options::recursive);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((*dir_ / "nocp" / "RU.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "DELETE FROM checkpoints", nullptr, nullptr, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  EXPECT_EQ(Run("findings --dir nocp --until 2018-06-01").code, 0);
  RunResult none =
      Run("findings --dir nocp --until 2018-06-01 --authenticate checkpoint");
  EXPECT_NE(none.code, 0) << none.out;
  EXPECT_THAT(none.out, HasSubstr("no signed checkpoint"));
}

// The history stops on 1 March 2018. On 5 October, after the deadline of
// the update as of 1 September, RU looks at the US log again and cosigns it
// as it stands: the US missing update is then proven offline; the RU one,
// which the US has not looked at since, is found but not proven.
TEST_F(CliRegimeTest, MissingUpdateIsProvenOfflineByAWitnessCheck) {
  RunResult v = Run("log verify --db syn/US.db --json", false);
  ASSERT_EQ(v.code, 0) << v.out;
  uint64_t size = nlohmann::json::parse(v.out)["size"];
  Write("w.proof", Run("log prove consistency --db syn/US.db --from " +
                           std::to_string(size),
                       false)
                       .out);
  RunResult cos =
      Run("log cosign --db syn/RU.db --key syn/RU.key --log-vkey "
          "syn/US.key.vkey --proof w.proof --time 1538697600",  // 2018-10-05
          false);
  ASSERT_EQ(cos.code, 0) << cos.out;

  RunResult f =
      Run("findings --dir syn --until 2018-10-15 --json --out missing", false);
  ASSERT_EQ(f.code, 0) << f.out;
  nlohmann::json j = nlohmann::json::parse(f.out);
  std::map<std::string, std::string> ids;
  for (const auto& x : j["findings"]) {
    // (Run in one process, the suite's other tests have injected more.)
    if (x["rule"] != "missing-update") continue;
    EXPECT_EQ(x["claim"]["as_of"], "2018-09-01") << x.dump();
    ids[x["party"]] = x["id"];
  }
  ASSERT_EQ(ids.size(), 2u) << f.out;
  RunResult us = Run("finding verify missing/" + ids["US"] +
                     ".json --vkeys syn/US.key.vkey syn/RU.key.vkey");
  EXPECT_EQ(us.code, 0) << us.out;
  EXPECT_THAT(us.out, HasSubstr("holds"));
  RunResult ru = Run("finding verify missing/" + ids["RU"] +
                     ".json --vkeys syn/US.key.vkey syn/RU.key.vkey");
  EXPECT_EQ(ru.code, 1) << ru.out;
  EXPECT_THAT(ru.out, HasSubstr("no cosignature shows the log as it stood"));
}

}  // namespace
}  // namespace detente::cli
