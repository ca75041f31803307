// End to end through the real binary: `detente replay` of the bundled BCC
// scenario (one replay for the suite, over a synthetic history cut short),
// its summary and the refusal of a malformed scenario.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "detente/cli/cli_testing.h"

namespace detente::cli {
namespace {

using ::testing::HasSubstr;

class ReplayCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(
        std::filesystem::temp_directory_path() /
        ("detente_cli_replay_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    replay_ = new RunResult(
        Run(std::string("replay '") + DETENTE_SOURCE_DIR +
                "/data/scenarios/new-start-bcc.toml' --seed 1 --until "
                "2011-09-01 --out rep --json",
            false));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete replay_;
  }

  static RunResult Run(const std::string& args, bool merge_stderr = true) {
    return RunDetente(*dir_, args, merge_stderr);
  }

  static std::filesystem::path* dir_;
  static RunResult* replay_;
};
std::filesystem::path* ReplayCliTest::dir_ = nullptr;
RunResult* ReplayCliTest::replay_ = nullptr;

TEST_F(ReplayCliTest, SummaryNamesThePostponementAndWhoDidNotAccept) {
  ASSERT_EQ(replay_->code, 0) << replay_->out;
  nlohmann::json j = nlohmann::json::parse(replay_->out);
  EXPECT_EQ(j["synthetic"], true);
  EXPECT_EQ(j["scenario"], "new-start-bcc");
  EXPECT_EQ(j["treaty"], "new-start");
  EXPECT_TRUE(j["refusals"].empty()) << j["refusals"].dump();
  ASSERT_EQ(j["convene_checks"].size(), 1u);
  const auto& c = j["convene_checks"][0];
  EXPECT_EQ(c["session"], "BCC-CAIRO-2022");
  EXPECT_EQ(c["postponed_by"], "RU");
  EXPECT_EQ(c["postponed_at"], "2022-11-28T10:00:00Z");
  EXPECT_EQ(c["would_convene"], false);
  EXPECT_THAT(c["refusal"].get<std::string>(),
              HasSubstr("session BCC-CAIRO-2022 cannot convene: agenda v2"));
  EXPECT_THAT(c["refusal"].get<std::string>(),
              HasSubstr("not accepted by RU; item RESUME-INSPECTIONS accepted "
                        "only by US"));
  // Every event is on its sender's log, sourced or labelled.
  size_t illustrations = 0;
  for (const auto& e : j["events"]) {
    EXPECT_GE(e["sequence"].get<int>(), 1) << e.dump();
    EXPECT_FALSE(e["source"].get<std::string>().empty()) << e.dump();
    illustrations += e["basis"] == "illustration";
  }
  EXPECT_EQ(j["illustrations"], illustrations);
  EXPECT_EQ(j["dropped_after_stop"]["RU"], 0);
  for (const char* f : {"US.db", "RU.db", "manifest.json", "SYNTHETIC.md"}) {
    EXPECT_TRUE(std::filesystem::exists(*dir_ / "rep" / f)) << f;
  }
}

TEST_F(ReplayCliTest, MalformedScenarioNamesFileLineAndField) {
  std::ofstream(*dir_ / "bad.toml") << R"toml([scenario]
id = "bad"
treaty = "new-start"
title = "bad"

[[events]]
time = 2022-11-28T10:00:00Z
sender = "RU"
type = "NST-BCC-POSTPONE"
source = "facts §6"
[events.body]
session = "S1"
new_dates_to_follow = "yes"
)toml";
  RunResult r = Run("replay bad.toml --out never");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr("bad.toml:13:23: "
                               "events[0].body.new_dates_to_follow:"));
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "never"));
}

}  // namespace
}  // namespace detente::cli
