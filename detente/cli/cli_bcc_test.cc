// detente bcc and detente dialogue end to end, with the real binary on real
// logs: the Cairo sequence of 2022 (dates agreed, agenda accepted by one
// side only, convening refused with nothing appended, postponed not
// cancelled, then new dates and an agreed agenda), the dialogue paused and
// terminated, and bad input of every kind refused with a clear error.
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

class CliBccTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("detente_cli_bcc_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const char* p : {"US", "RU"}) {
      std::string name = std::string(p) + ".example/nst";
      ASSERT_EQ(Run("key new --name " + name + " --out " + p + ".key").code, 0);
      ASSERT_EQ(
          Run(std::string("log init --db ") + p + ".db --key " + p + ".key")
              .code,
          0);
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  RunResult Run(const std::string& args, bool merge_stderr = true) {
    return RunDetente(dir_, args, merge_stderr);
  }

  // A step by `party` at `time`; expects success.
  void Step(const std::string& party, const std::string& time,
            const std::string& args) {
    RunResult r = Run(args + " --dir . --party " + party + " --time " + time);
    ASSERT_EQ(r.code, 0) << args << ": " << r.out;
  }

  uint64_t LogSize(const std::string& party) {
    RunResult r = Run("log verify --db " + party + ".db --json", false);
    return nlohmann::json::parse(r.out)["size"];
  }

  nlohmann::json Json(const std::string& args) {
    RunResult r = Run(args + " --dir . --json", false);
    EXPECT_EQ(r.code, 0) << args << ": " << r.out;
    return nlohmann::json::parse(r.out);
  }

  std::filesystem::path dir_;
};

TEST_F(CliBccTest, CairoCannotConveneIsPostponedNotCancelledThenConvenes) {
  Step("US", "2022-11-01T00:00:00Z",
       "bcc raise --issue I1 --title 'Resumption of inspections' "
       "--confidential");
  Step("RU", "2022-11-02T00:00:00Z",
       "bcc raise --issue I2 --title 'Conversions of launchers'");
  Step("US", "2022-11-03T00:00:00Z",
       "bcc propose --session S1 --start 2022-11-29 --end 2022-12-06 "
       "--venue Cairo");
  Step("RU", "2022-11-04T00:00:00Z", "bcc accept --session S1 --dates");
  Step("US", "2022-11-05T00:00:00Z", "bcc propose --session S1 --issues I1,I2");

  nlohmann::json s = Json("bcc sessions");
  ASSERT_EQ(s["sessions"].size(), 1u);
  EXPECT_EQ(s["sessions"][0]["status"], "scheduled");
  EXPECT_EQ(s["sessions"][0]["agenda"]["agreed"], false);
  EXPECT_EQ(s["sessions"][0]["agenda"]["not_accepted_by"],
            nlohmann::json::array({"RU"}));

  // Convening without an agreed agenda is refused, naming who has not
  // accepted what, and nothing is appended.
  uint64_t before = LogSize("US");
  RunResult convene =
      Run("bcc convene --dir . --party US --time 2022-11-29T09:00:00Z "
          "--session S1");
  EXPECT_EQ(convene.code, 1) << convene.out;
  EXPECT_THAT(convene.out, HasSubstr("session S1 cannot convene"));
  EXPECT_THAT(convene.out, HasSubstr("not accepted by RU"));
  EXPECT_THAT(convene.out, HasSubstr("items I1, I2 accepted only by US"));
  EXPECT_THAT(convene.out, HasSubstr("nothing appended"));
  EXPECT_EQ(LogSize("US"), before);

  // --dry-run checks without appending, refused or accepted.
  RunResult dry =
      Run("bcc convene --dir . --party US --time 2022-11-29T09:00:00Z "
          "--session S1 --dry-run");
  EXPECT_EQ(dry.code, 1) << dry.out;
  EXPECT_THAT(dry.out, HasSubstr("not accepted by RU"));
  RunResult dry_ok = Run(
      "bcc accept --dir . --party RU --time 2022-11-06T00:00:00Z --session S1 "
      "--dry-run");
  EXPECT_EQ(dry_ok.code, 0) << dry_ok.out;
  EXPECT_THAT(dry_ok.out, HasSubstr("nothing appended (--dry-run)"));
  EXPECT_EQ(LogSize("US"), before);
  EXPECT_EQ(LogSize("RU"), 2u);

  // RU postpones: postponed, not cancelled; the agenda view says who.
  Step("RU", "2022-11-28T12:00:00Z",
       "bcc postpone --session S1 --reason 'no agreed list of issues'");
  s = Json("bcc sessions");
  EXPECT_EQ(s["sessions"][0]["status"], "postponed");
  EXPECT_EQ(s["sessions"][0]["postponements"][0]["party"], "RU");
  RunResult agenda = Run("bcc agenda --dir . --session S1");
  EXPECT_EQ(agenda.code, 0) << agenda.out;
  EXPECT_THAT(agenda.out, HasSubstr("not accepted by RU"));
  EXPECT_THAT(agenda.out, HasSubstr("Resumption of inspections  US\n"));

  // New dates, both accept the agenda: it convenes and concludes.
  Step("RU", "2023-01-10T00:00:00Z",
       "bcc propose --session S1 --start 2023-02-01 --end 2023-02-03 "
       "--venue Geneva");
  Step("US", "2023-01-11T00:00:00Z", "bcc accept --session S1 --dates");
  Step("RU", "2023-01-12T00:00:00Z", "bcc accept --session S1");
  Step("US", "2023-02-01T09:00:00Z", "bcc convene --session S1");
  Step("US", "2023-02-03T18:00:00Z", "bcc conclude --session S1");
  s = Json("bcc sessions");
  EXPECT_EQ(s["sessions"][0]["status"], "concluded");
  EXPECT_EQ(s["sessions"][0]["agenda"]["agreed"], true);
  // As the logs stood on 1 December 2022, it was postponed.
  s = Json("bcc sessions --at 2022-12-01");
  EXPECT_EQ(s["sessions"][0]["status"], "postponed");

  // Commissioners appointed; an Agreement signed by both and recorded; its
  // signatures checked from the logs. One signed over other words is
  // refused, naming whose signature does not verify.
  for (const char* p : {"US", "RU"}) {
    const std::string name = std::string(p) + "-commissioner.example/nst";
    ASSERT_EQ(Run("key new --name " + name + " --out " + p + "-com.key").code,
              0);
    std::ifstream vk(dir_ / (std::string(p) + "-com.key.vkey"));
    std::string vkey;
    std::getline(vk, vkey);
    Step(p, "2023-01-02T00:00:00Z",
         "bcc commissioner --name '" + std::string(p) +
             " Commissioner' --commissioner-key '" + vkey + "'");
  }
  const std::string record =
      " --session S1 --kind agreement --number 1 --title 'Telemetry' "
      "--signed 2023-02-03 --text 'Agreed procedures.'";
  std::string sigs;
  for (const char* p : {"US", "RU"}) {
    RunResult sig = Run(std::string("bcc sign-outcome --party ") + p +
                            " --commissioner-key " + p + "-com.key" + record,
                        false);
    ASSERT_EQ(sig.code, 0) << sig.out;
    sigs += sig.out;
  }
  std::ofstream(dir_ / "sigs.txt") << sigs;
  RunResult forged =
      Run("bcc record --dir . --party US --time 2023-02-03T19:00:00Z "
          "--session S1 --kind agreement --number 1 --title 'Telemetry' "
          "--signed 2023-02-03 --text 'Other words.' --signatures @sigs.txt");
  EXPECT_EQ(forged.code, 3) << forged.out;
  EXPECT_THAT(forged.out, HasSubstr("does not verify"));
  Step("US", "2023-02-03T19:00:00Z",
       "bcc record" + record + " --signatures @sigs.txt");
  nlohmann::json outcomes = Json("bcc outcomes");
  ASSERT_EQ(outcomes["outcomes"].size(), 1u);
  EXPECT_EQ(outcomes["outcomes"][0]["verified"], true);
  EXPECT_EQ(outcomes["outcomes"][0]["signed_by"], nlohmann::json({"US", "RU"}));

  nlohmann::json issues = Json("bcc issues");
  ASSERT_EQ(issues["issues"].size(), 2u);
  EXPECT_EQ(issues["issues"][0]["id"], "I1");
  EXPECT_EQ(issues["issues"][0]["confidential"], true);
}

TEST_F(CliBccTest, DialoguePausedNotTerminatedAndTerminatedIsFinal) {
  Step("US", "2021-07-28T00:00:00Z",
       "dialogue status --dialogue SSD --status active");
  Step("US", "2022-02-24T00:00:00Z",
       "dialogue status --dialogue SSD --status paused --reason 'the war'");
  nlohmann::json d = Json("dialogue");
  ASSERT_EQ(d["dialogues"].size(), 1u);
  EXPECT_EQ(d["dialogues"][0]["status"], "paused");
  EXPECT_EQ(d["dialogues"][0]["history"].size(), 2u);
  RunResult table = Run("dialogue --dir .");
  EXPECT_EQ(table.code, 0) << table.out;
  EXPECT_THAT(table.out, HasSubstr("SSD: paused"));

  Step("RU", "2023-02-21T00:00:00Z",
       "dialogue demarche --to US --level ambassador --subject Suspension "
       "--text 'New START suspended'");
  Step("US", "2030-01-01T00:00:00Z",
       "dialogue status --dialogue SSD --status terminated");
  uint64_t before = LogSize("RU");
  RunResult resume =
      Run("dialogue status --dir . --party RU --time 2030-02-01T00:00:00Z "
          "--dialogue SSD --status resumed");
  EXPECT_EQ(resume.code, 1) << resume.out;
  EXPECT_THAT(resume.out, HasSubstr("terminated"));
  EXPECT_THAT(resume.out, HasSubstr("nothing appended"));
  EXPECT_EQ(LogSize("RU"), before);
  d = Json("dialogue");
  EXPECT_EQ(d["channel"].size(), 1u);
  EXPECT_EQ(d["channel"][0]["kind"], "demarche");
}

TEST_F(CliBccTest, BadInputIsRefusedWithAClearErrorAndNothingAppended) {
  struct Case {
    std::string args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {"bcc raise --dir . --party XX --issue I1 --title T", 2,
       "'XX' is not a party to new-start"},
      {"bcc convene --dir . --party US --session NOPE", 1, "NOPE"},
      {"bcc accept --dir . --party US --session NOPE", 3,
       "no session 'NOPE' on the logs"},
      {"bcc raise --dir . --party US --issue I1 --title T --set colour=red", 2,
       "has no field 'colour'"},
      {"bcc propose --dir . --party US --session S1", 2,
       "give --start, --end and --venue"},
      {"bcc propose --dir . --party US --session S1 --start 2022-13-01 "
       "--end 2022-12-06 --venue Cairo",
       3, "start"},
      {"bcc raise --dir . --party US --title T", 3, "issue"},
      {"bcc raise --dir . --party US --issue I1 --title T --time yesterday", 2,
       "--time"},
      {"bcc raise --dir . --party US --issue I1 --title T --set x", 2,
       "expected name=value"},
      {"bcc raise --dir . --party US --issue I1 --title T --key RU.key", 3,
       "is not the key of log"},
      {"dialogue status --dir . --party US --dialogue SSD --status asleep", 3,
       "asleep"},
      {"bcc raise --dir nowhere --party US --issue I1 --title T", 3, "nowhere"},
  };
  for (const Case& c : cases) {
    RunResult r = Run(c.args);
    EXPECT_EQ(r.code, c.code) << c.args << ": " << r.out;
    EXPECT_THAT(r.out, HasSubstr(c.says)) << c.args;
  }
  EXPECT_EQ(LogSize("US"), 0u);
  EXPECT_EQ(LogSize("RU"), 0u);
}

}  // namespace
}  // namespace detente::cli
