// Issue 5's "done when", end to end with the real binary: the New START BCC
// record (data/scenarios/new-start-bcc.toml) replayed onto both parties'
// logs over the whole SYNTHETIC history; from the logs alone the Cairo
// session of 2022 is postponed, not cancelled, with its agenda not agreed
// (who has not accepted what); the dialogue is paused, not terminated; and
// the compliance pass finds the sessions below the yearly minimum and the
// missing six-month updates, each with evidence that verifies offline and
// stops verifying when a byte changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "detente/cli/cli_testing.h"

namespace detente::cli {
namespace {

using ::testing::HasSubstr;

class CliRecordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(
        std::filesystem::temp_directory_path() /
        ("detente_cli_record_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    replayed_ =
        Run(std::string("replay '") + DETENTE_SOURCE_DIR +
                "/data/scenarios/new-start-bcc.toml' --seed 2 --out rec",
            true)
            .code;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static RunResult Run(const std::string& args, bool merge_stderr = true) {
    return RunDetente(*dir_, args, merge_stderr);
  }

  static nlohmann::json Json(const std::string& args) {
    RunResult r = Run(args + " --json", false);
    EXPECT_EQ(r.code, 0) << args << ": " << r.out;
    return nlohmann::json::parse(r.out);
  }

  static std::filesystem::path* dir_;
  static int replayed_;
};
std::filesystem::path* CliRecordTest::dir_ = nullptr;
int CliRecordTest::replayed_ = -1;

TEST_F(CliRecordTest, CairoPostponedNotCancelledAndTheDialoguePaused) {
  ASSERT_EQ(replayed_, 0);
  const nlohmann::json s =
      Json("bcc sessions --dir rec --at 2022-12-01 --session BCC-CAIRO-2022");
  ASSERT_EQ(s["sessions"].size(), 1u);
  const nlohmann::json& cairo = s["sessions"][0];
  EXPECT_EQ(cairo["status"], "postponed");
  EXPECT_EQ(cairo["dates"]["venue"], "Cairo");
  EXPECT_EQ(cairo["dates"]["start"], "2022-11-29");
  EXPECT_EQ(cairo["postponements"][0]["party"], "RU");
  EXPECT_TRUE(cairo["cancel_requests"].empty());
  EXPECT_EQ(cairo["agenda"]["agreed"], false);
  EXPECT_EQ(cairo["agenda"]["not_accepted_by"], nlohmann::json({"RU"}));
  EXPECT_EQ(cairo["agenda"]["items_accepted_by"]["RESUME-INSPECTIONS"],
            nlohmann::json({"US"}));
  // Still pending at the treaty's end: postponed, never cancelled.
  const nlohmann::json end =
      Json("bcc sessions --dir rec --at 2026-02-05 --session BCC-CAIRO-2022");
  EXPECT_EQ(end["sessions"][0]["status"], "postponed");

  const nlohmann::json d = Json("dialogue --dir rec --at 2026-02-05");
  ASSERT_EQ(d["dialogues"].size(), 1u);
  EXPECT_EQ(d["dialogues"][0]["status"], "paused");
  for (const auto& c : d["dialogues"][0]["history"]) {
    EXPECT_NE(c["status"], "terminated") << c.dump();
  }
}

TEST_F(CliRecordTest, YearlyMinimumAndMissingUpdatesAreFoundAndProven) {
  ASSERT_EQ(replayed_, 0);
  RunResult r =
      Run("findings --dir rec --until 2026-02-05 --cadence-from 2022-02-05 "
          "--out found --json",
          false);
  ASSERT_EQ(r.code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::map<std::string, std::string> cadence;  // treaty year -> id
  std::string ru_march_2023;
  for (const auto& f : j["findings"]) {
    const std::string rule = f["rule"].get<std::string>();
    // The record's end, and nothing else: no breach, no late notice.
    EXPECT_THAT(rule,
                ::testing::AnyOf("sessions-below-minimum", "missing-update"))
        << f.dump();
    if (rule == "sessions-below-minimum") {
      cadence[f["claim"]["year"].get<std::string>()] =
          f["id"].get<std::string>();
      EXPECT_EQ(f["claim"]["required"], "2");
    }
    if (rule == "missing-update" && f["party"] == "RU" &&
        f["claim"]["as_of"] == "2023-03-01") {
      ru_march_2023 = f["id"].get<std::string>();
    }
  }
  // Treaty years 12 (from 5 Feb 2022) to 15 (to 4 Feb 2026).
  EXPECT_EQ(cadence.size(), 4u) << r.out;
  for (const char* y : {"12", "13", "14", "15"}) {
    EXPECT_TRUE(cadence.count(y)) << "treaty year " << y;
  }
  ASSERT_FALSE(ru_march_2023.empty()) << r.out;

  const std::string keys = " --vkeys rec/US.key.vkey rec/RU.key.vkey";
  for (const std::string& id : {cadence["12"], ru_march_2023}) {
    RunResult v = Run("finding verify found/" + id + ".json" + keys);
    EXPECT_EQ(v.code, 0) << v.out;
    EXPECT_THAT(v.out, HasSubstr("holds"));
  }
  // One changed byte in one entry of a whole-log proof breaks it.
  std::ifstream in(*dir_ / "found" / (cadence["12"] + ".json"));
  nlohmann::json fj = nlohmann::json::parse(in);
  std::string entry = fj["evidence"][100]["entry"];
  entry[entry.size() / 2] = entry[entry.size() / 2] == 'A' ? 'B' : 'A';
  fj["evidence"][100]["entry"] = entry;
  std::ofstream(*dir_ / "tampered.json") << fj.dump();
  RunResult bad = Run("finding verify tampered.json" + keys);
  EXPECT_EQ(bad.code, 1) << bad.out;
}

}  // namespace
}  // namespace detente::cli
