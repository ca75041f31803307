// End-to-end tests of detente stability ... and detente sweep: the real
// binary as a child process, on the bundled data and on bad inputs, as a
// user or a script sees it; and the same sweep under mpirun, byte for byte.
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

namespace detente::cli {
namespace {

using ::testing::HasSubstr;

struct RunResult {
  int code = -1;
  std::string out;
};

RunResult Shell(const std::string& cmd) {
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

const std::string kBin = std::string(DETENTE_BINARY_DIR) + "/bin/detente";

// `detente ARGS` from the repository root, stderr merged unless `quiet`.
RunResult Detente(const std::string& args, bool merge_stderr = true) {
  return Shell(std::string("cd '") + DETENTE_SOURCE_DIR + "' && '" + kBin +
               "' " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null"));
}

std::filesystem::path TempDir() {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("detente_cli_stability_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string TempFile(const std::string& name, const std::string& content) {
  std::filesystem::path p = TempDir() / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << content;
  return p.string();
}

TEST(CliStabilityTest, PkReproducesThePublishedOracle) {
  // SSPK(750 kt, 700 psi, CEP 900 m) = 0.19019 (reference §1.6).
  RunResult r =
      Detente("stability pk --yield 750 --cep 900 --hardness 700 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["sspk"].get<double>(), 0.19019, 1e-5);
  EXPECT_EQ(j["inputs"]["yield_kt"], 750.0);
  // Two warheads at reliability 0.8: 1 - (1 - 0.19019 * 0.8)^2.
  RunResult two = Detente(
      "stability pk --yield 750 --cep 900 --hardness 700 --reliability 0.8 "
      "--warheads 2 --csv");
  ASSERT_EQ(two.code, 0) << two.out;
  EXPECT_THAT(two.out, HasSubstr("750,900,700,0.8,2,2.62,"));
  double tkp = 0.152152;
  RunResult table = Detente(
      "stability pk --yield 750 --cep 900 --hardness 700 --reliability 0.8 "
      "--warheads 2");
  EXPECT_THAT(
      table.out,
      HasSubstr(std::to_string(1 - (1 - tkp) * (1 - tkp)).substr(0, 6)));
}

TEST(CliStabilityTest, PkFlagsOutOfRangeNameTheFlag) {
  struct Case {
    const char* args;
    const char* flag;
  } cases[] = {
      {"--yield -5 --cep 100 --hardness 2000", "--yield: must be > 0"},
      {"--yield 300 --cep 0 --hardness 2000", "--cep: must be > 0"},
      {"--yield 300 --cep -1 --hardness 2000", "--cep: must be > 0"},
      {"--yield 300 --cep 100 --hardness 0", "--hardness: must be > 0"},
      {"--yield 300 --cep 100 --hardness 2000 --reliability 1.2",
       "--reliability: must be in [0, 1]"},
      {"--yield 300 --cep 100 --hardness 2000 --reliability -0.1",
       "--reliability: must be in [0, 1]"},
      {"--yield 300 --cep 100 --hardness 2000 --warheads 0",
       "--warheads: must be >= 1"},
  };
  for (const Case& c : cases) {
    RunResult r = Detente(std::string("stability pk ") + c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr(c.flag)) << c.args;
  }
}

TEST(CliStabilityTest, IndexRecordsItsInputsAndIsInRange) {
  RunResult r = Detente("stability index --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  double index = j["kent_thaler"]["index"].get<double>();
  EXPECT_GT(index, 0.0);
  EXPECT_LE(index, 1.0);
  EXPECT_NEAR(index,
              j["kent_thaler"]["ratio_a"].get<double>() *
                  j["kent_thaler"]["ratio_b"].get<double>(),
              1e-12);
  EXPECT_EQ(j["inputs"]["a"]["id"], "us-new-start-2020");
  EXPECT_EQ(j["inputs"]["a"]["warheads"], 1457);
  EXPECT_EQ(j["inputs"]["b"]["forces"][0]["system"], "ru_icbm_silo");
  EXPECT_EQ(j["inputs"]["options"]["w80_a"], 300.0);
  // The balance fields are consistent: surviving <= warheads.
  EXPECT_LE(j["balance"]["b"]["surviving"].get<double>(), 1710.0);
  // Launch under attack saves silo warheads: B survives better.
  auto lua = nlohmann::json::parse(
      Detente("stability index --json --launch-under-attack").out);
  EXPECT_GT(lua["balance"]["b"]["surviving"].get<double>(),
            j["balance"]["b"]["surviving"].get<double>());
  RunResult table = Detente("stability index");
  EXPECT_THAT(table.out, HasSubstr("first-strike stability index"));
  EXPECT_THAT(table.out, HasSubstr("postures/russia-2024.toml"));
}

TEST(CliStabilityTest, ExchangeAndMonteCarloAgree) {
  auto ex = nlohmann::json::parse(Detente("stability exchange --json").out);
  RunResult r = Detente("stability mc --trials 400 --seed 3 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto mc = nlohmann::json::parse(r.out);
  EXPECT_EQ(mc["inputs"]["seed"], 3);
  EXPECT_EQ(mc["inputs"]["trials"], 400);
  for (const char* q : {"victim_surviving", "victim_arriving"}) {
    const auto& e = mc["estimates"][q];
    double expected = ex["outcome"][q].get<double>();
    EXPECT_EQ(e["expected_value"].get<double>(), expected) << q;
    // Within 4 standard errors (seed fixed: deterministic).
    EXPECT_NEAR(e["mean"].get<double>(), expected,
                4 * e["std_error"].get<double>())
        << q;
  }
  // Threads do not change a single byte of the estimates.
  RunResult t2 =
      Detente("stability mc --trials 400 --seed 3 --threads 2 --csv");
  RunResult t1 = Detente("stability mc --trials 400 --seed 3 --csv");
  ASSERT_EQ(t2.code, 0) << t2.out;
  EXPECT_EQ(t1.out, t2.out);
  RunResult no_seed = Detente("stability mc --trials 10");
  EXPECT_EQ(no_seed.code, 2);
  EXPECT_THAT(no_seed.out, HasSubstr("--seed is required"));
  RunResult bad_w = Detente("stability exchange --warheads 999999");
  EXPECT_EQ(bad_w.code, 2);
  EXPECT_THAT(bad_w.out, HasSubstr("--warheads: must be in 0.."));
}

// A data directory whose weapons or postures are broken in one way.
std::string BadDataDir(const std::string& name, const std::string& weapons,
                       const std::string& posture) {
  std::filesystem::path src =
      std::filesystem::path(DETENTE_SOURCE_DIR) / "data";
  std::filesystem::path dir = TempDir() / name;
  std::filesystem::create_directories(dir / "weapons");
  std::filesystem::create_directories(dir / "postures");
  const auto opts = std::filesystem::copy_options::overwrite_existing |
                    std::filesystem::copy_options::recursive;
  std::filesystem::copy(src / "weapons", dir / "weapons", opts);
  std::filesystem::copy(src / "postures", dir / "postures", opts);
  if (!weapons.empty()) std::ofstream(dir / "weapons" / "zz.toml") << weapons;
  if (!posture.empty()) std::ofstream(dir / "postures" / "p.toml") << posture;
  return dir.string();
}

TEST(CliStabilityTest, BadPosturesAndWeaponsNameFileLineAndField) {
  std::string weapon = R"([[system]]
id = "bad_icbm"
name = "x"
side = "X"
basing = "silo"
warheads_per_missile = { value = 1, notional = true }
yield_kt = { value = -5, notional = true }
cep_m = { value = 100, notional = true }
reliability = { value = 0.8, notional = true }
hardness_psi = { value = 1000, notional = true }
alert_day_to_day = { value = 0, notional = true }
alert_generated = { value = 0, notional = true }
launchers_per_aim_point = { value = 1, notional = true }
)";
  std::string dir = BadDataDir("negyield", weapon, "");
  RunResult r = Detente("--data-dir " + dir + " stability index");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr("zz.toml:7:"));
  EXPECT_THAT(r.out, HasSubstr("system[0].yield_kt"));

  std::string unknown = BadDataDir("unknown", "", R"(name = "p"
side = "X"
alert = "day_to_day"
notional = true
note = "test"

[[force]]
system = "no_such_system"
launchers = { value = 10, notional = true }
warheads = { value = 10, notional = true }
)");
  r = Detente("--data-dir " + unknown + " stability index --b p");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr("--b: "));
  EXPECT_THAT(r.out, HasSubstr("p.toml:8:"));
  EXPECT_THAT(r.out, HasSubstr("no_such_system"));

  std::string empty = BadDataDir("empty", "", R"(name = "p"
side = "X"
alert = "day_to_day"
notional = true
note = "test"
)");
  r = Detente("--data-dir " + empty + " stability exchange --a p");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr("--a: "));
  EXPECT_THAT(r.out, HasSubstr("p.toml"));
  EXPECT_THAT(r.out, HasSubstr("force"));

  r = Detente("stability index --a nowhere");
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr("nowhere.toml: no such file"));
}

TEST(StabilitySweepCliTest, SweepOutputsAgreeAndRecordInputs) {
  RunResult csv = Detente("sweep data/sweeps/small.toml --csv", false);
  ASSERT_EQ(csv.code, 0) << csv.out;
  EXPECT_THAT(csv.out, HasSubstr("# inputs: {"));
  EXPECT_THAT(csv.out, HasSubstr("\"seed\":7"));
  EXPECT_THAT(csv.out, HasSubstr("point,silo_hardness_b,cep_m_a."
                                 "us_trident2_w76,warhead_limit,"));
  // 1 comment + 1 header + 8 points.
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 10);
  RunResult json = Detente("sweep data/sweeps/small.toml --json", false);
  ASSERT_EQ(json.code, 0);
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["rows"].size(), 8u);
  EXPECT_THAT(j["inputs"]["sweep_toml"].get<std::string>(),
              HasSubstr("mc_trials = 50"));
  // Threads change nothing.
  RunResult two =
      Detente("sweep data/sweeps/small.toml --csv --threads 2", false);
  EXPECT_EQ(two.out, csv.out);
  // The table is the default and names the sweep.
  RunResult table = Detente("sweep data/sweeps/small.toml", false);
  EXPECT_THAT(table.out, HasSubstr("8 points; seed 7"));
}

TEST(StabilitySweepCliTest, BadSweepFilesNameFileLineAndField) {
  std::string head = R"([sweep]
a = "us-new-start-2020"
b = "russia-2024"
)";
  std::string no_values =
      TempFile("s/no-values.toml", head +
                                       "[[axis]]\nparameter = "
                                       "\"cep_m\"\nvalues = []\n");
  RunResult r = Detente("sweep " + no_values);
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr(no_values + ":6:10: axis[0].values: no values"));
  std::string no_axis = TempFile("s/no-axis.toml", head);
  r = Detente("sweep " + no_axis);
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr("axis: missing"));
  std::string bad = TempFile(
      "s/bad.toml", head +
                        "[[axis]]\nparameter = \"reliability\"\nvalues = "
                        "[1.5]\n[[axis]]\nparameter = \"mirv_loading\"\n"
                        "system = \"ru_nope\"\nvalues = [2]\n");
  r = Detente("sweep " + bad);
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr(":6:11: axis[0].values[0]: must be in [0, 1]"));
  EXPECT_THAT(r.out, HasSubstr(":9:10: axis[1].system: unknown system"));
  r = Detente("sweep /nonexistent/x.toml");
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr("/nonexistent/x.toml: no such file"));
  r = Detente("sweep data/sweeps/small.toml --threads 0");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.out, HasSubstr("--threads: must be >= 1"));
}

#ifdef DETENTE_MPIEXEC
TEST(StabilitySweepMpiTest, TwoRanksWriteTheSingleProcessBytes) {
  RunResult one = Detente("sweep data/sweeps/small.toml --csv", false);
  ASSERT_EQ(one.code, 0) << one.out;
  // As root mpirun needs both the flag and the variables; 2 ranks on a
  // 2-core machine may need --oversubscribe. Open MPI's own allocations
  // are not ours: leak checking is off for the ranks.
  std::string env =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "ASAN_OPTIONS=detect_leaks=0 OMPI_MCA_rmaps_base_oversubscribe=1 ";
  std::string cmd = std::string("cd '") + DETENTE_SOURCE_DIR + "' && " + env +
                    "'" + DETENTE_MPIEXEC +
                    "' --allow-run-as-root --oversubscribe -np 2 '" + kBin +
                    "' sweep data/sweeps/small.toml --csv --mpi";
  RunResult two = Shell(cmd + " 2>/dev/null");
  ASSERT_EQ(two.code, 0) << Shell(cmd + " 2>&1").out;
  EXPECT_EQ(two.out, one.out);
  RunResult json_one = Detente("sweep data/sweeps/small.toml --json", false);
  RunResult json_two =
      Shell(std::string("cd '") + DETENTE_SOURCE_DIR + "' && " + env + "'" +
            DETENTE_MPIEXEC + "' --allow-run-as-root --oversubscribe -np 2 '" +
            kBin + "' sweep data/sweeps/small.toml --json --mpi 2>/dev/null");
  EXPECT_EQ(json_two.code, 0);
  EXPECT_EQ(json_two.out, json_one.out);
  // An error is reported once, by rank 0, and every rank fails.
  RunResult bad =
      Shell(std::string("cd '") + DETENTE_SOURCE_DIR + "' && " + env + "'" +
            DETENTE_MPIEXEC + "' --allow-run-as-root --oversubscribe -np 2 '" +
            kBin + "' sweep /nonexistent/x.toml --mpi 2>&1");
  EXPECT_NE(bad.code, 0);
  EXPECT_THAT(bad.out, HasSubstr("/nonexistent/x.toml: no such file"));
}
#endif

TEST(StabilitySweepCliTest, MpiFlagWithoutMpiOrUnderItIsHonest) {
  // Open MPI refuses root without these, and leaks what LeakSanitizer
  // would report in a sanitizer build: neither is ours.
  RunResult r = Shell(std::string("cd '") + DETENTE_SOURCE_DIR +
                      "' && OMPI_ALLOW_RUN_AS_ROOT=1 "
                      "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                      "ASAN_OPTIONS=detect_leaks=0 '" +
                      kBin + "' sweep data/sweeps/small.toml --mpi --csv");
#ifdef DETENTE_MPIEXEC
  // A singleton MPI run (no mpirun) is one rank: the same rows.
  RunResult one = Detente("sweep data/sweeps/small.toml --csv", false);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, one.out);
#else
  EXPECT_EQ(r.code, 2);
#endif
}

}  // namespace
}  // namespace detente::cli
