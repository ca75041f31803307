// End to end: two parties' logs cosigning each other's checkpoints through
// the real detente binary, and every kind of bad input refused with a clear
// error and nothing stored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

class CliLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("detente_cli_log_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs detente in the test's directory; stderr merged unless `quiet`.
  RunResult Run(const std::string& args, bool merge_stderr = true) {
    return RunDetente(dir_, args, merge_stderr);
  }
  std::string Read(const std::string& name) {
    std::ifstream f(dir_ / name);
    return std::string((std::istreambuf_iterator<char>(f)), {});
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  void Party(const std::string& p) {
    ASSERT_EQ(
        Run("key new --name " + p + ".example/nst --out " + p + ".key").code,
        0);
    ASSERT_EQ(Run("log init --db " + p + ".db --key " + p + ".key").code, 0);
  }

  std::filesystem::path dir_;
};

TEST_F(CliLogTest, TwoLogsCosignEachOthersCheckpoints) {
  Party("us");
  Party("ru");
  struct stat st;
  ASSERT_EQ(stat((dir_ / "us.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Each party appends and checkpoints; the other cosigns.
  for (const auto& [self, other] :
       {std::pair{"us", "ru"}, std::pair{"ru", "us"}}) {
    std::string s(self), o(other);
    Write(s + "-1.txt", "a\nb\nc\n");
    RunResult a = Run("log append --db " + s + ".db " + s + "-1.txt");
    ASSERT_EQ(a.code, 0) << a.out;
    EXPECT_EQ(a.out, "0\n1\n2\n");
    ASSERT_EQ(Run("log checkpoint --db " + s + ".db --key " + s +
                  ".key --out " + s + "-3.ckpt")
                  .code,
              0);
    RunResult c =
        Run("log cosign --db " + o + ".db --key " + o + ".key --log-vkey " + s +
                ".key.vkey --checkpoint " + s + "-3.ckpt",
            false);
    ASSERT_EQ(c.code, 0) << c.out;
    Write(s + "-3.cosigned", c.out);
    // Grow, prove consistency from the cosigned size, cosign again.
    Write(s + "-2.txt", "d\ne\n");
    ASSERT_EQ(Run("log append --db " + s + ".db " + s + "-2.txt").code, 0);
    ASSERT_EQ(Run("log checkpoint --db " + s + ".db --key " + s + ".key").code,
              0);
    RunResult p =
        Run("log prove consistency --db " + s + ".db --from 3", false);
    ASSERT_EQ(p.code, 0) << p.out;
    Write(s + "-3-5.proof", p.out);
    RunResult c2 =
        Run("log cosign --db " + o + ".db --key " + o + ".key --log-vkey " + s +
                ".key.vkey --proof " + s + "-3-5.proof",
            false);
    ASSERT_EQ(c2.code, 0) << c2.out;
    Write(s + "-5.cosigned", c2.out);
    // The receipt goes back to the log; proofs now carry it.
    RunResult rec = Run("log receipt --db " + s + ".db --witness " + o +
                        ".key.cosigner.vkey " + s + "-5.cosigned");
    ASSERT_EQ(rec.code, 0) << rec.out;
    RunResult bundle =
        Run("log prove inclusion --db " + s + ".db --index 3", false);
    ASSERT_EQ(bundle.code, 0);
    Write(s + "-3.proof", bundle.out);
    RunResult v = Run("proof verify " + s + "-3.proof --vkey " + s +
                      ".key.vkey --witness " + o +
                      ".key.cosigner.vkey --min-cosignatures 1");
    EXPECT_EQ(v.code, 0) << v.out;
    EXPECT_THAT(v.out,
                HasSubstr("ok: entry 3 is in " + s + ".example/nst at size 5"));
    EXPECT_THAT(v.out, HasSubstr("1 witness cosignature(s)"));
    EXPECT_EQ(Run("log verify --db " + s + ".db").code, 0);
  }

  // A proof does not verify for another entry, or under another log's key.
  Write("other-entry", "x");
  EXPECT_EQ(
      Run("proof verify us-3.proof --vkey us.key.vkey --entry other-entry")
          .code,
      1);
  EXPECT_EQ(Run("proof verify us-3.proof --vkey ru.key.vkey").code, 1);
  // Requiring a cosignature from a witness that did not cosign.
  RunResult need =
      Run("proof verify us-3.proof --vkey us.key.vkey --witness "
          "us.key.cosigner.vkey --min-cosignatures 1");
  EXPECT_EQ(need.code, 1);
  EXPECT_THAT(need.out, HasSubstr("0 valid cosignatures"));
}

TEST_F(CliLogTest, WitnessRefusesBadCheckpointsAndProofs) {
  Party("us");
  Party("ru");
  Write("e.txt", "a\nb\nc\nd\n");
  ASSERT_EQ(Run("log append --db us.db e.txt").code, 0);
  ASSERT_EQ(Run("log checkpoint --db us.db --key us.key --out us-4.ckpt").code,
            0);
  std::string ckpt = Read("us-4.ckpt");

  // Wrong log key given to the witness: signature by an unknown key.
  RunResult unknown =
      Run("log cosign --db ru.db --key ru.key --log-vkey ru.key.vkey "
          "--checkpoint us-4.ckpt");
  EXPECT_NE(unknown.code, 0);
  EXPECT_THAT(unknown.out, HasSubstr("checkpoint"));

  // Bad signature: the size changed after signing.
  std::string forged = ckpt;
  forged.replace(forged.find("\n4\n"), 3, "\n9\n");
  Write("forged.ckpt", forged);
  RunResult bad =
      Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
          "--checkpoint forged.ckpt");
  EXPECT_NE(bad.code, 0);

  // Malformed note.
  Write("junk.ckpt", "this is not a note\n");
  EXPECT_NE(Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
                "--checkpoint junk.ckpt")
                .code,
            0);

  // The first cosignature, then growth with a proof of the wrong length.
  ASSERT_EQ(Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
                "--checkpoint us-4.ckpt")
                .code,
            0);
  Write("f.txt", "e\nf\ng\n");
  ASSERT_EQ(Run("log append --db us.db f.txt").code, 0);
  ASSERT_EQ(Run("log checkpoint --db us.db --key us.key").code, 0);
  std::string proof =
      Run("log prove consistency --db us.db --from 4", false).out;
  std::string shortened = proof;
  size_t second_line = shortened.find('\n') + 1;
  shortened.erase(second_line,
                  shortened.find('\n', second_line) + 1 - second_line);
  Write("short.proof", shortened);
  RunResult len =
      Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
          "--proof short.proof");
  EXPECT_EQ(len.code, 1);
  EXPECT_THAT(len.out, HasSubstr("consistency proof"));
  // A proof from the wrong old size.
  Write("from3.proof",
        Run("log prove consistency --db us.db --from 3", false).out);
  RunResult from3 =
      Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
          "--proof from3.proof");
  EXPECT_NE(from3.code, 0);
  EXPECT_THAT(from3.out, HasSubstr("last size cosigned"));
  // A hash that is not 32 bytes.
  std::string truncated_hash = proof;
  truncated_hash.replace(second_line, 8, "AAAA");
  Write("hash.proof", truncated_hash);
  EXPECT_NE(Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
                "--proof hash.proof")
                .code,
            0);
  // The right proof is accepted; then the old checkpoint is "going back".
  Write("good.proof", proof);
  ASSERT_EQ(Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
                "--proof good.proof")
                .code,
            0);
  RunResult back =
      Run("log cosign --db ru.db --key ru.key --log-vkey us.key.vkey "
          "--checkpoint us-4.ckpt");
  EXPECT_EQ(back.code, 1);
  EXPECT_THAT(back.out, HasSubstr("went backwards"));
}

TEST_F(CliLogTest, BadInputIsRefusedAndNothingStored) {
  Party("us");
  // A key file readable by others is refused.
  chmod((dir_ / "us.key").c_str(), 0644);
  RunResult loose = Run("log checkpoint --db us.db --key us.key");
  EXPECT_NE(loose.code, 0);
  EXPECT_THAT(loose.out, HasSubstr("chmod 600"));
  chmod((dir_ / "us.key").c_str(), 0600);

  // An empty entry anywhere in the input: nothing appended.
  Write("e.txt", "a\n\nc\n");
  RunResult empty = Run("log append --db us.db e.txt");
  EXPECT_EQ(empty.code, 3);
  EXPECT_THAT(empty.out,
              HasSubstr("line 2: empty entry; nothing was appended"));
  // Oversized.
  Write("big.txt", std::string((1 << 20) + 1, 'x'));
  RunResult big = Run("log append --db us.db --whole big.txt");
  EXPECT_THAT(big.out, HasSubstr("over the limit of 1048576"));
  RunResult v = Run("log verify --db us.db");
  EXPECT_THAT(v.out, HasSubstr("ok: 0 entries"));

  // Index beyond the size of the checkpoint.
  Write("a.txt", "a\n");
  ASSERT_EQ(Run("log append --db us.db a.txt").code, 0);
  ASSERT_EQ(Run("log checkpoint --db us.db --key us.key").code, 0);
  RunResult beyond = Run("log prove inclusion --db us.db --index 1");
  EXPECT_EQ(beyond.code, 3);
  EXPECT_THAT(beyond.out, HasSubstr("index 1 is beyond the checkpoint"));
  // Another party's key cannot sign this log's checkpoints.
  ASSERT_EQ(Run("key new --name other.example/nst --out other.key").code, 0);
  RunResult wrong_key = Run("log checkpoint --db us.db --key other.key");
  EXPECT_NE(wrong_key.code, 0);
  EXPECT_THAT(wrong_key.out, HasSubstr("is not the key of log"));
  // Keys are never overwritten by accident.
  EXPECT_NE(Run("key new --name us.example/nst --out us.key").code, 0);
  // A missing log.
  EXPECT_EQ(Run("log verify --db nowhere.db").code, 1);
}

TEST_F(CliLogTest, VerifyReportsCorruption) {
  Party("us");
  Write("e.txt", "a\nb\nc\n");
  ASSERT_EQ(Run("log append --db us.db e.txt").code, 0);
  // Scribble over the middle of the file.
  auto size = std::filesystem::file_size(dir_ / "us.db");
  {
    std::fstream f(dir_ / "us.db",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    std::string junk(static_cast<size_t>(size / 2), '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  RunResult v = Run("log verify --db us.db");
  EXPECT_EQ(v.code, 1) << v.out;
}

}  // namespace
}  // namespace detente::cli
