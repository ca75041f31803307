// Crash safety and corruption, with real processes and real files: a child
// process appends from several threads and reports each acknowledged index;
// the test kills it with SIGKILL at random moments, then reopens and
// verifies the log and checks that every acknowledged entry is there. And a
// damaged file is reported as corruption, never served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>
#include <tuple>

#include "detente/ledger/log_store.h"
#include "fmt/format.h"

namespace detente::ledger {
namespace {

using ::testing::HasSubstr;

class LogCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format(
               "detente_crash_{}_{}", getpid(),
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "log.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

// The child: opens the log and appends forever from `threads` threads,
// writing "index<TAB>content\n" to `fd` after each acknowledgement. Each
// line is shorter than PIPE_BUF, so concurrent writes do not interleave.
[[noreturn]] void Child(const std::string& path, int fd, int round,
                        int threads) {
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path);
  if (!log.ok()) {
    std::string msg = "ERROR " + log.status().ToString() + "\n";
    (void)!write(fd, msg.data(), msg.size());
    _exit(2);
  }
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (uint64_t i = 0;; ++i) {
        std::string content =
            fmt::format("round {} thread {} entry {}", round, t, i);
        Result<uint64_t> idx = (*log)->Append(content);
        if (!idx.ok()) _exit(3);
        std::string line = fmt::format("{}\t{}\n", *idx, content);
        if (write(fd, line.data(), line.size()) < 0) _exit(4);
      }
    });
  }
  for (;;) pause();
}

TEST_F(LogCrashTest, KillNineLosesNoAcknowledgedEntry) {
  ASSERT_TRUE(LogStore::Create(path_, "crash.example/log", "vkey").ok());
  // Fixed seed: a failure names its round and can be replayed.
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> delay_ms(5, 150);
  std::map<uint64_t, std::string> acked;
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      Child(path_, fds[1], round, /*threads=*/round % 2 == 0 ? 1 : 4);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    // Everything the child acknowledged before it died is in the pipe.
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
      out.append(buf, static_cast<size_t>(n));
    }
    close(fds[0]);
    ASSERT_EQ(out.find("ERROR"), std::string::npos) << out;
    size_t pos = 0, this_round = 0;
    while (true) {
      size_t nl = out.find('\n', pos);
      if (nl == std::string::npos) break;  // a torn last line is not an ack
      std::string line = out.substr(pos, nl - pos);
      size_t tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << line;
      acked[std::stoull(line.substr(0, tab))] = line.substr(tab + 1);
      ++this_round;
      pos = nl + 1;
    }
    Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
    ASSERT_TRUE(log.ok()) << "round " << round << ": " << log.status();
    Status v = (*log)->Verify();
    ASSERT_TRUE(v.ok()) << "round " << round << ": " << v;
    for (const auto& [idx, content] : acked) {
      Result<std::string> e = (*log)->Entry(idx);
      ASSERT_TRUE(e.ok()) << "round " << round << ": acknowledged entry " << idx
                          << " lost: " << e.status();
      ASSERT_EQ(*e, content) << "round " << round << " index " << idx;
    }
    RecordProperty(fmt::format("round_{}_acked", round),
                   static_cast<int>(this_round));
  }
  EXPECT_GT(acked.size(), static_cast<size_t>(kRounds));
}

// Builds a closed log of `n` entries with a checkpoint at `n`.
void MakeLog(const std::string& path, int n) {
  auto log = std::move(LogStore::Create(path, "c.example/log", "vkey")).value();
  std::vector<std::string> entries;
  for (int i = 0; i < n; ++i) entries.push_back(fmt::format("entry {:05d}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  ASSERT_TRUE(log->SaveCheckpoint({"c.example/log", static_cast<uint64_t>(n),
                                   log->root(), "note"})
                  .ok());
}

void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(LogCrashTest, AlteredEntryIsCorruptionAtItsIndex) {
  MakeLog(path_, 1000);
  Sql(path_, "UPDATE entries SET data = x'00' WHERE idx = 500");
  // The tree and the checkpoint still agree, so the log opens; but the
  // altered entry is never served, and verify names its index.
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  ASSERT_TRUE(log.ok()) << log.status();
  Result<std::string> e = (*log)->Entry(500);
  EXPECT_EQ(e.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(e.status().message()),
              HasSubstr("entry 500 does not hash to the stored leaf hash"));
  EXPECT_TRUE((*log)->Entry(499).ok());
  Status v = (*log)->Verify();
  EXPECT_EQ(v.code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(v.message()), HasSubstr("first bad index 500"));
}

TEST_F(LogCrashTest, AlteredLeafHashesAreNeverServed) {
  MakeLog(path_, 1000);
  // Replace the first row of leaf hashes with zeros. The root at the
  // checkpoint comes from higher rows, so the log opens; but no entry of
  // that row is served, and verify names the first bad index.
  Sql(path_, "UPDATE tile_rows SET hashes = zeroblob(8192) WHERE id = 0");
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ((*log)->Entry(3).status().code(), StatusCode::kCorruption);
  EXPECT_TRUE((*log)->Entry(256).ok());
  Status v = (*log)->Verify();
  EXPECT_EQ(v.code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(v.message()), HasSubstr("first bad index 0"));
}

// An entry altered together with its stored leaf hash is served by reads
// that check entries against the stored leaves (the rows above are only
// checked by Verify), but not by a scan bound to the signed root: it
// hashes the entries up to the root itself.
TEST_F(LogCrashTest, AlteredEntryWithItsLeafHashFailsAScanUnderTheRoot) {
  MakeLog(path_, 1000);
  std::string row_hex;
  for (int i = 0; i < 256; ++i) {
    const Hash h = HashLeaf(i == 7 ? std::string("entry forged")
                                   : fmt::format("entry {:05d}", i));
    for (uint8_t b : h) row_hex += fmt::format("{:02x}", b);
  }
  Sql(path_,
      "UPDATE entries SET data = CAST('entry forged' AS BLOB) WHERE "
      "idx = 7");
  Sql(path_,
      fmt::format("UPDATE tile_rows SET hashes = x'{}' WHERE id = 0", row_hex));
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  ASSERT_TRUE(log.ok()) << log.status();
  Result<std::string> e = (*log)->Entry(7);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(*e, "entry forged");
  const std::optional<StoredCheckpoint> cp = *(*log)->LatestCheckpoint();
  ASSERT_TRUE(cp.has_value());
  auto count = [](uint64_t* n) {
    return [n](uint64_t, std::string_view) {
      ++*n;
      return Status::Ok();
    };
  };
  uint64_t plain = 0;
  EXPECT_TRUE((*log)->ScanEntries(0, 1000, count(&plain)).ok());
  EXPECT_EQ(plain, 1000u);
  for (auto [end, root_size] :
       {std::pair<uint64_t, uint64_t>{1000, 1000}, {1000, 500}, {300, 1000}}) {
    uint64_t visited = 0;
    Status s =
        (*log)->ScanEntriesUnderRoot(end, root_size, cp->root, count(&visited));
    EXPECT_EQ(s.code(), StatusCode::kCorruption)
        << end << " " << root_size << ": " << s;
  }
  Status v = (*log)->Verify();
  EXPECT_EQ(v.code(), StatusCode::kCorruption);
}

// Unaltered, a scan under the root visits every entry, whether the root
// is at the end of the scan, before it (the rest is not bound) or after
// it (bound by a consistency proof).
TEST_F(LogCrashTest, ScanUnderTheRootAcceptsTheLogAsWritten) {
  MakeLog(path_, 1000);
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  ASSERT_TRUE(log.ok()) << log.status();
  const Hash root = (*log)->root();
  Result<MerkleTreeView> at500 = (*log)->View(500);
  ASSERT_TRUE(at500.ok());
  for (auto [end, root_size, r] :
       {std::tuple<uint64_t, uint64_t, Hash>{1000, 1000, root},
        {1000, 500, at500->root()},
        {300, 1000, root},
        {0, 1000, root}}) {
    uint64_t visited = 0;
    Status s = (*log)->ScanEntriesUnderRoot(end, root_size, r,
                                            [&](uint64_t i, std::string_view) {
                                              EXPECT_EQ(i, visited);
                                              ++visited;
                                              return Status::Ok();
                                            });
    EXPECT_TRUE(s.ok()) << end << " " << root_size << ": " << s;
    EXPECT_EQ(visited, end);
  }
  // The wrong root: refused, at the root's size.
  Hash wrong = root;
  wrong[0] ^= 1;
  uint64_t visited = 0;
  Status s = (*log)->ScanEntriesUnderRoot(1000, 1000, wrong,
                                          [&](uint64_t, std::string_view) {
                                            ++visited;
                                            return Status::Ok();
                                          });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(s.message()), HasSubstr("do not hash to the root"));
}

TEST_F(LogCrashTest, AlteredUpperTreeIsCaughtAtOpen) {
  MakeLog(path_, 1000);
  // Zero every stored row above the leaves: the root at the checkpoint's
  // size can no longer be what was signed.
  Sql(path_,
      "UPDATE tile_rows SET hashes = zeroblob(length(hashes)) WHERE id >= "
      "(1 << 56)");
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(log.status().message()),
              HasSubstr("the tree at size 1000 has root"));
}

TEST_F(LogCrashTest, AlteredEntryAfterTheCheckpointIsCaughtAtOpen) {
  MakeLog(path_, 300);
  {
    auto log = std::move(LogStore::Open(path_)).value();
    ASSERT_TRUE(log->Append("after the checkpoint").ok());
  }
  Sql(path_, "UPDATE entries SET data = x'01' WHERE idx = 300");
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(log.status().message()),
              HasSubstr("entry 300 does not hash to the stored leaf hash"));
}

TEST_F(LogCrashTest, MissingEntryIsCorruption) {
  MakeLog(path_, 100);
  Sql(path_, "DELETE FROM entries WHERE idx = 42");
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_);
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(log.status().message()), HasSubstr("missing"));
}

TEST_F(LogCrashTest, MissingEntryIsCorruptionWhenReadIfNotCounted) {
  MakeLog(path_, 100);
  Sql(path_, "DELETE FROM entries WHERE idx = 42");
  LogStoreOptions options;
  options.count_entries_on_open = false;
  Result<std::unique_ptr<LogStore>> log = LogStore::Open(path_, options);
  ASSERT_TRUE(log.ok()) << log.status();
  // Sized by the highest index; the gap is found by every read of it.
  EXPECT_EQ((*log)->size(), 100u);
  Result<std::string> entry = (*log)->Entry(42);
  EXPECT_EQ(entry.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(entry.status().message()),
              HasSubstr("entry 42 is missing"));
  uint64_t seen = 0;
  Status scan = (*log)->ScanEntries(0, 100, [&](uint64_t i, std::string_view) {
    EXPECT_EQ(i, seen);
    ++seen;
    return Status::Ok();
  });
  EXPECT_EQ(scan.code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(scan.message()), HasSubstr("entry 42 is missing"));
  // Read by chunks: nothing at or past the gap is handed out (here, with
  // one chunk for the whole log, nothing at all).
  EXPECT_LE(seen, 42u);
}

TEST_F(LogCrashTest, UncountedOpenOfAnIntactLogHasItsSize) {
  MakeLog(path_, 300);
  LogStoreOptions options;
  options.count_entries_on_open = false;
  auto log = std::move(LogStore::Open(path_, options)).value();
  EXPECT_EQ(log->size(), 300u);
  auto counted = std::move(LogStore::Open(path_)).value();
  EXPECT_EQ(log->root(), counted->root());
}

TEST_F(LogCrashTest, TornOrScribbledFileIsNeverServed) {
  for (int variant = 0; variant < 4; ++variant) {
    std::string p = (dir_ / fmt::format("v{}.db", variant)).string();
    MakeLog(p, 2000);
    auto size = std::filesystem::file_size(p);
    if (variant == 0) {
      std::filesystem::resize_file(p, size / 2);  // torn
    } else {
      // Scribble over a stretch of pages at different depths.
      std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(size *
                                          static_cast<uint64_t>(variant) / 4));
      std::string junk(4096, '\x5a');
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    Result<std::unique_ptr<LogStore>> log = LogStore::Open(p);
    if (log.ok()) {
      Status v = (*log)->Verify();
      EXPECT_EQ(v.code(), StatusCode::kCorruption)
          << "variant " << variant << ": damaged file verified: " << v;
    } else {
      EXPECT_EQ(log.status().code(), StatusCode::kCorruption)
          << "variant " << variant << ": " << log.status();
    }
  }
}

}  // namespace
}  // namespace detente::ledger
