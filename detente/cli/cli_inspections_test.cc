// detente inspections end to end, with the real binary on real logs: a
// Type One inspection with the reentry-vehicle choice (committed, random,
// revealed, the missile designated and recomputed here with our own code),
// a count that is not the declared one becoming an irregularity and a
// finding, the quota refusing an eleventh Type One request in a treaty
// year, one inspection at a time, and bad input refused with a clear error
// and nothing appended. Missile and facility ids are SYNTHETIC.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "detente/cli/cli_testing.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/sha256.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class CliInspectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("detente_cli_insp_" + std::to_string(getpid()) + "_" +
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
    // RU declares three deployed ICBMs with four warheads each at the site
    // (SYNTHETIC), in its initial database.
    std::ofstream(dir_ / "db.json") << R"({"sender": "RU",
      "type": "NST-DB-INIT", "event_time": "2011-02-05T00:00:00Z",
      "sent_time": "2011-02-05T00:00:00Z",
      "body": {"as_of": "2011-02-05", "totals": {}, "items": [
        {"id": "RS24-0001", "party": "RU", "category": "icbm", "status": "deployed",
         "type": "RS-24", "facility": "RU-KOZELSK", "warheads": 4},
        {"id": "RS24-0002", "party": "RU", "category": "icbm", "status": "deployed",
         "type": "RS-24", "facility": "RU-KOZELSK", "warheads": 4},
        {"id": "RS24-0003", "party": "RU", "category": "icbm", "status": "deployed",
         "type": "RS-24", "facility": "RU-KOZELSK", "warheads": 4}]}})";
    RunResult db = Run("notify --db RU.db --key RU.key db.json");
    ASSERT_EQ(db.code, 0) << db.out;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  RunResult Run(const std::string& args, bool merge_stderr = true) {
    return RunDetente(dir_, args, merge_stderr);
  }

  // `detente inspections <verb> ...` by `party` at `time`; expects success.
  nlohmann::json Step(const std::string& verb, const std::string& party,
                      const std::string& time, const std::string& args) {
    RunResult r = Run("inspections " + verb + " --dir . --party " + party +
                          " --time " + time + " " + args + " --json",
                      false);
    EXPECT_EQ(r.code, 0) << verb << " " << args << ": "
                         << Run("inspections " + verb + " --dir . --party " +
                                party + " --time " + time + " " + args)
                                .out;
    if (r.code != 0) return nlohmann::json();
    return nlohmann::json::parse(r.out);
  }

  // A step that must be refused with `code`, naming `want`, nothing
  // appended to any log.
  void Refused(const std::string& verb, const std::string& party,
               const std::string& time, const std::string& args, int code,
               const std::string& want) {
    const uint64_t before = LogSize("US") + LogSize("RU");
    RunResult r = Run("inspections " + verb + " --dir . --party " + party +
                      " --time " + time + " " + args);
    EXPECT_EQ(r.code, code) << verb << " " << args << ": " << r.out;
    EXPECT_THAT(r.out, HasSubstr(want)) << verb << " " << args;
    EXPECT_EQ(LogSize("US") + LogSize("RU"), before) << verb << " " << args;
  }

  uint64_t LogSize(const std::string& party) {
    RunResult r = Run("log verify --db " + party + ".db --json", false);
    return nlohmann::json::parse(r.out)["size"];
  }

  nlohmann::json View(const std::string& args) {
    RunResult r = Run("inspections --dir . --json " + args, false);
    EXPECT_EQ(r.code, 0) << args << ": " << r.out;
    return nlohmann::json::parse(r.out);
  }

  // An inspection of RU by US (Type One by default), requested the same day
  // (late: a note, not a refusal), arrived and completed on the day, without
  // the reentry-vehicle choice.
  void Inspect(const std::string& id, const std::string& day,
               const std::string& type = "type_one") {
    Step("request", "US", day + "T00:00:00Z",
         "--inspection " + id + " --type " + type +
             " --point-of-entry Moscow " + "--arrival " + day + "T08:00:00Z");
    Step("arrive", "US", day + "T09:00:00Z",
         "--inspection " + id + " --facility RU-KOZELSK");
    Step("complete", "US", day + "T20:00:00Z", "--inspection " + id);
  }

  std::filesystem::path dir_;
};

// docs/inspection.md step 4 written out again from the description, not
// with the library's SelectIndex: D_0 and its first word, for n small
// enough that 2^64 mod n is almost never reached.
size_t DesignatedIndex(const std::string& c_hex, const std::string& r_hex,
                       size_t n) {
  std::string bytes = "detente/inspection/rv-select/v1\n";
  for (const std::string& hex : {c_hex, r_hex}) {
    Result<std::vector<uint8_t>> raw = crypto::HexDecode(hex);
    EXPECT_TRUE(raw.ok());
    bytes.append(raw->begin(), raw->end());
  }
  bytes.append(4, '\0');  // u32be(0)
  crypto::Sha256Digest d = crypto::Sha256(bytes);
  uint64_t x = 0;
  for (size_t k = 0; k < 8; ++k) x = (x << 8) | d[k];
  EXPECT_GE(x, (0 - static_cast<uint64_t>(n)) % n);
  return static_cast<size_t>(x % n);
}

TEST_F(CliInspectionsTest, TypeOneWithTheMissileChosenByNeitherParty) {
  const std::string id = "--inspection US-2019-T1-01";
  nlohmann::json req = Step("request", "US", "2019-02-27T08:00:00Z",
                            id + " --type type_one --point-of-entry Moscow "
                                 "--arrival 2019-03-01T08:00:00Z");
  EXPECT_EQ(req["event_time"], "2019-03-01T08:00:00Z");
  EXPECT_EQ(req["late"], false);
  Step("arrive", "US", "2019-03-01T10:00:00Z", id + " --facility RU-KOZELSK");

  // The inspected party commits; the CLI computes the list from RU's
  // declaration and keeps the opening in a file only RU can read.
  nlohmann::json commit = Step("rv-commit", "RU", "2019-03-01T12:00:00Z", id);
  ASSERT_TRUE(commit.contains("opening")) << commit.dump();
  EXPECT_THAT(commit["committed"].get<std::vector<std::string>>(),
              UnorderedElementsAre("RS24-0001", "RS24-0002", "RS24-0003"));
  struct stat st {};
  ASSERT_EQ(stat((dir_ / "RU.US-2019-T1-01.rv-opening.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The inspecting party cannot reveal, nor the inspected give R.
  Refused("rv-reveal", "US", "2019-03-01T12:10:00Z",
          id + " --missiles RS24-0001 --salt " + std::string(64, '0'), 1,
          "only the inspected party (RU) sends INSP-RV-REVEAL");
  Refused("rv-random", "RU", "2019-03-01T12:10:00Z", id, 1,
          "only the inspecting party (US)");

  nlohmann::json random = Step("rv-random", "US", "2019-03-01T12:30:00Z", id);
  const std::string r_hex = random["body"]["random"];
  EXPECT_EQ(r_hex.size(), 64u);
  // A second random value is refused.
  Refused("rv-random", "US", "2019-03-01T12:40:00Z", id, 1, "already gave");

  // A reveal that does not open the commitment is refused, nothing
  // appended; the opening file opens it and the missile is designated.
  Refused("rv-reveal", "RU", "2019-03-01T12:50:00Z",
          id + " --missiles 'RS24-0001, RS24-0002, RS24-0003' --salt " +
              std::string(64, 'a'),
          1, "do not open its commitment");
  nlohmann::json reveal = Step("rv-reveal", "RU", "2019-03-01T13:00:00Z", id);
  const std::string designated = reveal["designated"];

  // The view shows it; recomputed here from C, R and the revealed list.
  nlohmann::json detail = View("--inspection US-2019-T1-01");
  const nlohmann::json& rv = detail["rv"];
  EXPECT_EQ(rv["designated"], designated);
  EXPECT_EQ(rv["commitment"], commit["body"]["commitment"]);
  EXPECT_EQ(rv["random"], r_hex);
  std::vector<std::string> list = rv["missiles"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list, commit["committed"].get<std::vector<std::string>>());
  const size_t index = DesignatedIndex(rv["commitment"], r_hex, list.size());
  EXPECT_EQ(rv["index"], index);
  EXPECT_EQ(list[index], designated);
  EXPECT_EQ(rv["recomputed"]["opens_commitment"], true);
  EXPECT_EQ(rv["recomputed"]["designated"], designated);
  RunResult text = Run("inspections --dir . --inspection US-2019-T1-01");
  EXPECT_THAT(text.out, HasSubstr("designated    " + designated));
  EXPECT_THAT(text.out, HasSubstr("agrees"));

  // Counting another missile is refused; the designated one with five
  // warheads where four are declared completes, and is an irregularity.
  std::string other = list[(index + 1) % list.size()];
  Refused("complete", "US", "2019-03-02T07:00:00Z",
          id + " --rv-item " + other + " --rv-counted 4", 1,
          "the designated missile is " + designated);
  nlohmann::json done =
      Step("complete", "US", "2019-03-02T08:00:00Z", id + " --rv-counted 5");
  EXPECT_EQ(done["body"]["rv_inspected_item"], designated);
  ASSERT_EQ(done["irregularities"].size(), 1u) << done.dump();
  EXPECT_EQ(done["irregularities"][0]["rule"], "warheads-count-mismatch");

  nlohmann::json year = View("--year 2019");
  ASSERT_EQ(year["inspections"].size(), 1u);
  EXPECT_EQ(year["inspections"][0]["status"], "completed");
  EXPECT_EQ(year["inspections"][0]["rv_counted"], 5);
  EXPECT_EQ(year["inspections"][0]["rv_declared"], 4);
  ASSERT_EQ(year["irregularities"].size(), 1u);
  EXPECT_EQ(year["irregularities"][0]["rule"], "warheads-count-mismatch");
  EXPECT_EQ(year["irregularities"][0]["party"], "RU");
  RunResult table = Run("inspections --dir . --year 2019");
  EXPECT_THAT(table.out, HasSubstr("treaty year 2019 (2019-02-05 to "
                                   "2020-02-04)"));
  EXPECT_THAT(table.out, HasSubstr(designated + " ("));
  EXPECT_THAT(table.out, HasSubstr("counted 5, declared 4"));
  EXPECT_THAT(table.out, HasSubstr("warheads-count-mismatch"));
  // The refused steps are on no log, so no view shows them.
  EXPECT_THAT(table.out, Not(HasSubstr("refused steps")));

  // The compliance pass finds it, and once each party has cosigned the
  // other's log, the finding verifies offline.
  for (const auto& [p, w] :
       {std::pair<std::string, std::string>{"US", "RU"}, {"RU", "US"}}) {
    ASSERT_EQ(Run("log checkpoint --db " + p + ".db --key " + p + ".key").code,
              0);
    Write("c.proof",
          Run("log prove consistency --db " + p + ".db --from 0", false).out);
    RunResult cos =
        Run("log cosign --db " + w + ".db --key " + w + ".key --log-vkey " + p +
                ".key.vkey --proof c.proof",
            false);
    ASSERT_EQ(cos.code, 0) << cos.out;
    Write("c.cosigned", cos.out);
    ASSERT_EQ(Run("log receipt --db " + p + ".db --witness " + w +
                  ".key.cosigner.vkey c.cosigned")
                  .code,
              0);
  }
  RunResult findings = Run("findings --dir . --json --out found", false);
  ASSERT_EQ(findings.code, 0) << findings.out;
  std::string finding;
  const nlohmann::json found = nlohmann::json::parse(findings.out);
  for (const auto& f : found["findings"]) {
    if (f["rule"] == "warheads-count-mismatch") {
      finding = f["id"].get<std::string>();
    }
  }
  ASSERT_FALSE(finding.empty()) << findings.out;
  RunResult verified = Run("finding verify found/" + finding +
                           ".json --vkeys US.key.vkey RU.key.vkey");
  EXPECT_EQ(verified.code, 0) << verified.out;
  EXPECT_THAT(verified.out, HasSubstr("holds"));
}

TEST_F(CliInspectionsTest, TheEleventhTypeOneRequestOfATreatyYearIsRefused) {
  for (int i = 1; i <= 10; ++i) {
    Inspect(fmt::format("US-2019-T1-{:02}", i),
            fmt::format("2019-{:02}-10", i + 1));
  }
  nlohmann::json y = View("--year 2019");
  bool seen = false;
  for (const auto& row : y["quota"]) {
    if (row["party"] == "US" && row["type"] == "type_one") {
      EXPECT_EQ(row["used"], 10);
      EXPECT_EQ(row["left"], 0);
      EXPECT_EQ(row["period"]["start"], "2019-02-05");
      EXPECT_EQ(row["period"]["end"], "2020-02-04");
      seen = true;
    } else {
      EXPECT_EQ(row["used"], 0) << row.dump();
    }
  }
  EXPECT_TRUE(seen);
  Refused("request", "US", "2019-12-01T00:00:00Z",
          "--inspection US-2019-T1-11 --type type_one --point-of-entry "
          "Moscow --arrival 2019-12-03T08:00:00Z",
          1,
          "type_one quota of US in treaty year 2019 (2019-02-05 to "
          "2020-02-04) exhausted: 10 of 10 used; nothing appended");
  // Type Two has its own quota; the next treaty year starts afresh on
  // 5 February (the calendar year would not).
  Inspect("US-2019-T2-01", "2019-12-10", "type_two");
  Refused("request", "US", "2020-02-01T00:00:00Z",
          "--inspection US-2019-T1-11 --type type_one --point-of-entry "
          "Moscow --arrival 2020-02-04T08:00:00Z",
          1, "exhausted: 10 of 10 used");
  Inspect("US-2020-T1-01", "2020-02-05");
  nlohmann::json y2020 = View("--year 2020");
  ASSERT_EQ(y2020["inspections"].size(), 1u);
  EXPECT_EQ(y2020["inspections"][0]["id"], "US-2020-T1-01");
  RunResult table = Run("inspections --dir . --year 2019");
  EXPECT_THAT(table.out, HasSubstr("US-2019-T1-10"));
  EXPECT_THAT(table.out, Not(HasSubstr("US-2020-T1-01")));
}

TEST_F(CliInspectionsTest, OneInspectionAtATimeOnATerritory) {
  Step("request", "US", "2019-03-01T00:00:00Z",
       "--inspection US-A --type type_one --point-of-entry Moscow "
       "--arrival 2019-03-03T08:00:00Z");
  Refused("request", "US", "2019-03-02T00:00:00Z",
          "--inspection US-B --type type_two --point-of-entry Moscow "
          "--arrival 2019-03-04T08:00:00Z",
          1,
          "another inspection is in progress on RU's territory: US-A "
          "(type_one by US, requested)");
  // Russia may inspect the United States meanwhile.
  Step("request", "RU", "2019-03-02T00:00:00Z",
       "--inspection RU-A --type type_one --point-of-entry Washington "
       "--arrival 2019-03-04T08:00:00Z");
  nlohmann::json y = View("--year 2019 --at 2019-03-05");
  EXPECT_EQ(y["inspections"].size(), 2u);
}

TEST_F(CliInspectionsTest, BadInputIsRefusedWithWhatIsMissingAndFromWhom) {
  Step("request", "US", "2019-03-01T00:00:00Z",
       "--inspection US-A --type type_one --point-of-entry Moscow "
       "--arrival 2019-03-03T08:00:00Z");
  // Usage (2): an unknown party, a field the type does not have, a
  // request without its planned arrival, a year before the treaty.
  Refused("arrive", "XX", "2019-03-03T09:00:00Z",
          "--inspection US-A --facility RU-KOZELSK", 2,
          "'XX' is not a party to new-start (parties: US, RU)");
  Refused("arrive", "US", "2019-03-03T09:00:00Z",
          "--inspection US-A --facility RU-KOZELSK --set rv_counted=3", 2,
          "NST-INSP-ARRIVAL has no field 'rv_counted'");
  Refused("request", "US", "2019-03-01T00:00:00Z",
          "--inspection US-B --type type_one --point-of-entry Moscow", 2,
          "--arrival is required");
  RunResult y = Run("inspections --dir . --year 2009");
  EXPECT_EQ(y.code, 2) << y.out;
  EXPECT_THAT(y.out, HasSubstr("named by the calendar year it starts in"));
  // Refused by the state machine (1): an unknown inspection, a completion
  // before arrival, a commitment before the site is designated, a random
  // value before the commitment.
  Refused("arrive", "US", "2019-03-03T09:00:00Z",
          "--inspection US-NOPE --facility RU-KOZELSK", 1,
          "no inspection 'US-NOPE' on the logs");
  Refused("complete", "US", "2019-03-03T09:00:00Z",
          "--inspection US-A --facility RU-KOZELSK", 1,
          "completion without arrival");
  Refused("rv-commit", "RU", "2019-03-03T09:00:00Z", "--inspection US-A", 1,
          "has no designated site yet");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "RU.US-A.rv-opening.json"));
  Step("arrive", "US", "2019-03-03T09:00:00Z",
       "--inspection US-A --facility RU-KOZELSK");
  Refused("rv-random", "US", "2019-03-03T10:00:00Z", "--inspection US-A", 1,
          "RU has not committed");
  Refused("rv-reveal", "RU", "2019-03-03T10:00:00Z", "--inspection US-A", 3,
          "RU.US-A.rv-opening.json");
  // Input (3): a value the catalogue or the fold cannot read.
  Step("rv-commit", "RU", "2019-03-03T10:30:00Z", "--inspection US-A");
  Refused("rv-random", "US", "2019-03-03T11:00:00Z",
          "--inspection US-A --random 12ab", 3, "body.random");
  Refused("arrive", "US", "2019-03-03T09:00:00Z",
          "--inspection US-A --type type_three --facility RU-KOZELSK", 3,
          "type_three");
  // The opening is never replaced: a second commitment is refused first
  // by the file, then (with another file) by the fold.
  Refused("rv-commit", "RU", "2019-03-03T11:00:00Z", "--inspection US-A", 3,
          "refusing to replace it");
  Refused("rv-commit", "RU", "2019-03-03T11:00:00Z",
          "--inspection US-A --opening other.json", 1, "already committed");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "other.json"));
  RunResult unknown = Run("inspections --dir . --inspection US-NOPE");
  EXPECT_EQ(unknown.code, 1) << unknown.out;
}

}  // namespace
}  // namespace detente::cli
