// End-to-end tests of the detente executable: each test runs the real
// binary as a child process on the bundled data and checks its output and
// exit code, as a user or a script would see them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace detente::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct RunResult {
  int code = -1;
  std::string out;  // stdout and stderr, merged unless split
};

// Runs `detente ARGS` from the repository root; stderr is merged into the
// output unless `stderr_to` names a file.
RunResult Detente(const std::string& args, bool merge_stderr = true) {
  std::string cmd = std::string("cd '") + DETENTE_SOURCE_DIR + "' && '" +
                    DETENTE_BINARY_DIR + "/bin/detente' " + args +
                    (merge_stderr ? " 2>&1" : " 2>/dev/null");
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string TempFile(const std::string& name, const std::string& content) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("detente_cli_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::path p = dir / name;
  std::ofstream(p) << content;
  return p.string();
}

TEST(CliTest, VersionAndHelp) {
  RunResult v = Detente("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_THAT(v.out, HasSubstr("detente 0."));
  RunResult h = Detente("--help");
  EXPECT_EQ(h.code, 0);
  for (const char* cmd : {"treaty", "count", "history"}) {
    EXPECT_THAT(h.out, HasSubstr(cmd));
  }
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Detente("").code, 2);
  EXPECT_EQ(Detente("frobnicate").code, 2);
  EXPECT_EQ(Detente("count --treaty new-start").code, 2);  // --items missing
  RunResult bad_date = Detente(
      "count --treaty new-start --items data/examples/new-start-items.csv "
      "--at 2018-02-30");
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_THAT(bad_date.out, HasSubstr("not a day of the calendar"));
}

TEST(CliTest, TreatyListShowsEveryBundledSpec) {
  RunResult r = Detente("treaty list");
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* id :
       {"new-start", "start-1", "sort", "inf", "follow-on-3p"}) {
    EXPECT_THAT(r.out, HasSubstr(id));
  }
  EXPECT_THAT(r.out, HasSubstr("HYPOTHETICAL"));
  nlohmann::json j = nlohmann::json::parse(Detente("treaty list --json").out);
  EXPECT_EQ(j.size(), 5u);
}

TEST(CliTest, TreatyShowNewStartCentralLimits) {
  RunResult r = Detente("treaty show new-start");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("New START"));
  EXPECT_THAT(r.out, HasSubstr("≤ 700"));
  EXPECT_THAT(r.out, HasSubstr("≤ 1,550"));
  EXPECT_THAT(r.out, HasSubstr("≤ 800"));
  EXPECT_THAT(r.out, HasSubstr("2018-02-05"));
  EXPECT_THAT(r.out, HasSubstr("Bilateral Consultative Commission"));

  nlohmann::json j =
      nlohmann::json::parse(Detente("treaty show new-start --json", false).out);
  std::map<std::string, int64_t> max;
  for (const auto& l : j["limits"]) {
    max[l["id"]] = l["max"].get<int64_t>();
    EXPECT_EQ(l["effective"], "2018-02-05");
  }
  EXPECT_EQ(max["deployed_delivery_vehicles"], 700);
  EXPECT_EQ(max["deployed_warheads"], 1550);
  EXPECT_EQ(max["deployed_and_nondeployed_launchers"], 800);
  EXPECT_EQ(j["dates"]["entry_into_force"], "2011-02-05");
}

TEST(CliTest, TreatyShowUnknownNameListsAvailable) {
  RunResult r = Detente("treaty show new-stat");
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr("new-stat"));
  EXPECT_THAT(r.out, HasSubstr("new-start"));
}

TEST(CliTest, TreatyCheckNamesLineAndKeyAndExitsOne) {
  std::string good =
      std::string(DETENTE_SOURCE_DIR) + "/data/treaties/new-start.toml";
  RunResult ok = Detente("treaty check " + good);
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_THAT(ok.out, HasSubstr("ok"));

  // A copy of a real spec with one limit's value made negative.
  std::ifstream in(good);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  size_t pos = text.find("max = 1550");
  ASSERT_NE(pos, std::string::npos) << "new-start.toml has no 'max = 1550'";
  int line =
      1 + static_cast<int>(std::count(
              text.begin(), text.begin() + static_cast<long>(pos), '\n'));
  text.replace(pos, 10, "max = -1550");
  std::string bad = TempFile("new-start.toml", text);
  RunResult r = Detente("treaty check " + good + " " + bad);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr(bad + ":" + std::to_string(line) + ":"));
  EXPECT_THAT(r.out, HasSubstr(".max"));
  EXPECT_THAT(r.out, HasSubstr("negative"));

  nlohmann::json j =
      nlohmann::json::parse(Detente("treaty check --json " + bad, false).out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_FALSE(j[0]["ok"].get<bool>());
  EXPECT_EQ(j[0]["errors"][0]["line"], line);

  EXPECT_EQ(Detente("treaty check /nonexistent.toml").code, 1);
}

TEST(CliTest, CountExampleItemsAgainstNewStart) {
  RunResult r = Detente(
      "count --treaty new-start --items data/examples/new-start-items.csv "
      "--at 2019-01-01 --json",
      false);
  ASSERT_EQ(r.code, 0) << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["within_all_binding_limits"].get<bool>());
  EXPECT_EQ(j["at"], "2019-01-01");
  for (const auto& l : j["limits"]) {
    EXPECT_TRUE(l["binding"].get<bool>());
    EXPECT_EQ(l["state"], "within");
  }
}

TEST(CliTest, CountOverLimitExitsOne) {
  // 701 deployed ICBMs, each with one warhead.
  std::string csv = "id,party,category,type,status,warheads\n";
  for (int i = 0; i < 701; ++i) {
    csv += "US-" + std::to_string(i) + ",US,icbm,Minuteman III,deployed,1\n";
  }
  std::string f = TempFile("over.csv", csv);
  RunResult before =
      Detente("count --treaty new-start --items " + f + " --at 2017-12-31");
  EXPECT_EQ(before.code, 0) << before.out;
  EXPECT_THAT(before.out, HasSubstr("informational"));
  RunResult after =
      Detente("count --treaty new-start --items " + f + " --at 2018-02-05");
  EXPECT_EQ(after.code, 1) << after.out;
  EXPECT_THAT(after.out, HasSubstr("over"));
  EXPECT_THAT(after.out, HasSubstr("-1"));
  RunResult csv_out = Detente("count --treaty new-start --csv --items " + f +
                              " --at 2018-02-05");
  EXPECT_THAT(csv_out.out,
              HasSubstr("deployed_delivery_vehicles,US,701,700,,true,over,-1"));
}

TEST(CliTest, CountRejectsBadItemsWithFileAndLine) {
  std::string f = TempFile("bad.csv",
                           "id,party,category,status,warheads\n"
                           "A,US,icbm,deployed,1\n"
                           "B,XX,icbm,deployed,1\n"
                           "C,US,icbm,deployd,1\n"
                           "A,US,icbm,deployed,1\n"
                           "D,US,icbm,deployed,many\n");
  RunResult r = Detente("count --treaty new-start --items " + f);
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr(f + ":3: party: unknown party 'XX'"));
  EXPECT_THAT(r.out, HasSubstr(f + ":4: status: unknown status 'deployd'"));
  EXPECT_THAT(r.out, HasSubstr(f + ":5: duplicate identifier 'A'"));
  EXPECT_THAT(r.out, HasSubstr(f + ":6: warheads: 'many' is not an integer"));
}

TEST(CliTest, HistoryNewStartWithinFromFebruary2018) {
  RunResult r = Detente("history --treaty new-start");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("2018-02-05"));
  EXPECT_THAT(r.out, HasSubstr("not published"));
  EXPECT_THAT(r.out, HasSubstr("info"));
  EXPECT_THAT(r.out, Not(HasSubstr("OVER")));
  EXPECT_THAT(r.out, HasSubstr("Every published figure is within"));
}

TEST(CliTest, HistoryJsonMarksEveryExchange) {
  RunResult r = Detente("history --treaty new-start --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out);
  int binding_within = 0, informational = 0;
  bool saw_us_2011 = false, saw_ru_2023_missing = false;
  for (const auto& row : j["exchanges"]) {
    std::string as_of = row["as_of"];
    for (const auto& [id, fig] : row["figures"].items()) {
      std::string state = fig["state"];
      if (fig["value"].is_null()) {
        EXPECT_EQ(state, "not published") << as_of << " " << id;
        continue;
      }
      if (as_of >= "2018-02-05") {
        EXPECT_EQ(state, "within") << as_of << " " << row["party"] << " " << id;
        ++binding_within;
      } else {
        EXPECT_EQ(state, "informational") << as_of << " " << id;
        ++informational;
      }
    }
    if (as_of == "2011-02-05" && row["party"] == "US") {
      saw_us_2011 = true;
      EXPECT_EQ(row["figures"]["deployed_warheads"]["value"], 1800);
    }
    if (as_of == "2023-03-01" && row["party"] == "RU") {
      saw_ru_2023_missing = !row["published"].get<bool>();
    }
  }
  EXPECT_TRUE(saw_us_2011);
  EXPECT_TRUE(saw_ru_2023_missing);
  // 2018-02-05, 2018-09-01 and the seven exchanges 2019-03-01 .. 2022-03-01:
  // 9 exchanges x 2 parties x 3 figures, plus the US voluntary release of
  // 1 March 2023.
  EXPECT_EQ(binding_within, 9 * 2 * 3 + 3);
  EXPECT_GT(informational, 0);
}

TEST(CliTest, HistoryCsvAndBadDataFile) {
  RunResult r = Detente("history --csv", false);
  ASSERT_EQ(r.code, 0);
  EXPECT_THAT(
      r.out,
      HasSubstr("as_of_date,party,limit,value,max,min,binding,state,source\n"));
  EXPECT_THAT(
      r.out,
      HasSubstr("2018-02-05,US,deployed_warheads,1350,1550,,true,within,"));
  std::string f = TempFile("agg.csv",
                           "as_of_date,party,deployed_warheads,warheads_total\n"
                           "2019-03-01,US,1365,\n");
  RunResult bad = Detente("history --data " + f);
  EXPECT_EQ(bad.code, 3);
  EXPECT_THAT(bad.out, HasSubstr("column 'warheads_total' is not a limit"));
  std::string over = TempFile("over.csv",
                              "as_of_date,party,deployed_warheads\n"
                              "2019-03-01,US,1600\n");
  RunResult o = Detente("history --data " + over);
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.out, HasSubstr("1,600 OVER"));
}

}  // namespace
}  // namespace detente::cli
