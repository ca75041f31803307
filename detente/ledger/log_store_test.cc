#include "detente/ledger/log_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "detente/ledger/proof.h"
#include "fmt/format.h"

namespace detente::ledger {
namespace {

using ::testing::HasSubstr;

class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A parameterized test's name has a '/', which must not nest the dir.
    std::string test =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '_');
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("detente_store_{}_{}", getpid(), test);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "log.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<LogStore> NewLog(const LogStoreOptions& options = {}) {
    Result<std::unique_ptr<LogStore>> s = LogStore::Create(
        path_, "example.org/log", "example.org/log+00000000+AQ", options);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(LogStoreTest, AppendAssignsIndicesAndSurvivesReopen) {
  Hash root;
  {
    auto log = NewLog();
    for (int i = 0; i < 600; ++i) {
      Result<uint64_t> idx = log->Append(fmt::format("entry {}", i));
      ASSERT_TRUE(idx.ok()) << idx.status();
      EXPECT_EQ(*idx, static_cast<uint64_t>(i));
    }
    root = log->root();
  }
  Result<std::unique_ptr<LogStore>> reopened = LogStore::Open(path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  LogStore& log = **reopened;
  EXPECT_EQ(log.size(), 600u);
  EXPECT_EQ(log.root(), root);
  EXPECT_EQ(log.origin(), "example.org/log");
  EXPECT_EQ(*log.Entry(599), "entry 599");
  EXPECT_EQ(log.Entry(600).status().code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(log.Verify().ok());
}

TEST_F(LogStoreTest, RootAndProofsMatchAnIndependentComputation) {
  auto log = NewLog();
  std::vector<std::string> batch;
  for (int i = 0; i < 1000; ++i) batch.push_back(fmt::format("e{}", i));
  ASSERT_EQ(*log->AppendBatch(batch), 0u);
  // Reference: fold the leaf hashes in a compact range.
  CompactRange ref;
  for (const std::string& e : batch) ref.Append(HashLeaf(e));
  EXPECT_EQ(log->root(), ref.Root());
  Result<MerkleTreeView> view = log->View();
  ASSERT_TRUE(view.ok()) << view.status();
  for (uint64_t i : {0u, 1u, 255u, 256u, 511u, 999u}) {
    Result<std::vector<Hash>> p = view->InclusionProof(i);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(
        VerifyInclusion(i, 1000, HashLeaf(batch[i]), *p, view->root()).ok());
  }
  Result<MerkleTreeView> old = log->View(300);
  ASSERT_TRUE(old.ok());
  Result<std::vector<Hash>> c = view->ConsistencyProof(300);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(VerifyConsistency(300, 1000, *c, old->root(), view->root()).ok());
}

TEST_F(LogStoreTest, BadEntriesAreRefusedAndNothingIsStored) {
  auto log = NewLog();
  ASSERT_TRUE(log->Append("first").ok());
  Result<uint64_t> empty = log->Append(std::string_view());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("empty entry"));
  std::string big(kMaxEntryBytes + 1, 'x');
  Result<uint64_t> over = log->Append(big);
  EXPECT_THAT(std::string(over.status().message()),
              HasSubstr("exceeds the limit of 1048576 bytes"));
  std::vector<std::string> batch = {"ok", "", "ok too"};
  Result<uint64_t> b = log->AppendBatch(batch);
  EXPECT_THAT(std::string(b.status().message()),
              HasSubstr("entry 1 of the batch"));
  EXPECT_EQ(log->size(), 1u);
  EXPECT_TRUE(log->Append(std::string(kMaxEntryBytes, 'y')).ok());
  EXPECT_EQ(log->size(), 2u);
}

TEST_F(LogStoreTest, ConcurrentAppendsShareCommitsAndLoseNothing) {
  auto log = NewLog();
  constexpr int kThreads = 8, kEach = 100;
  std::vector<std::vector<uint64_t>> got(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          Result<uint64_t> idx = log->Append(fmt::format("t{} i{}", t, i));
          ASSERT_TRUE(idx.ok()) << idx.status();
          got[static_cast<size_t>(t)].push_back(*idx);
        }
      });
    }
  }
  EXPECT_EQ(log->size(), static_cast<uint64_t>(kThreads * kEach));
  std::vector<bool> seen(kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      uint64_t idx = got[static_cast<size_t>(t)][static_cast<size_t>(i)];
      EXPECT_FALSE(seen[idx]);
      seen[idx] = true;
      EXPECT_EQ(*log->Entry(idx), fmt::format("t{} i{}", t, i));
    }
  }
  EXPECT_TRUE(log->Verify().ok());
}

TEST_F(LogStoreTest, CheckpointsMustMatchTheTreeAndNeverGoBack) {
  auto log = NewLog();
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(log->Append(fmt::format("{}", i)).ok());
  Hash r5 = log->View(5)->root();
  StoredCheckpoint cp{"example.org/log", 5, r5, "note5"};
  ASSERT_TRUE(log->SaveCheckpoint(cp).ok());
  StoredCheckpoint wrong{"example.org/log", 10, r5, "x"};
  EXPECT_THAT(std::string(log->SaveCheckpoint(wrong).message()),
              HasSubstr("is not the tree's root"));
  StoredCheckpoint back{"example.org/log", 4, log->View(4)->root(), "x"};
  EXPECT_THAT(std::string(log->SaveCheckpoint(back).message()),
              HasSubstr("size 5 was already signed"));
  StoredCheckpoint other{"other.org/log", 10, log->root(), "x"};
  EXPECT_THAT(std::string(log->SaveCheckpoint(other).message()),
              HasSubstr("origin 'other.org/log'"));
  StoredCheckpoint beyond{"example.org/log", 11, log->root(), "x"};
  EXPECT_EQ(log->SaveCheckpoint(beyond).code(), StatusCode::kOutOfRange);
  EXPECT_EQ((*log->LatestCheckpoint())->size, 5u);
}

TEST_F(LogStoreTest, CheckpointsListsEveryRecordedCheckpointSmallestFirst) {
  auto log = NewLog();
  EXPECT_TRUE(log->Checkpoints()->empty());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(log->Append(fmt::format("{}", i)).ok());
    if (i % 3 == 1) {
      uint64_t size = static_cast<uint64_t>(i) + 1;
      ASSERT_TRUE(log->SaveCheckpoint({"example.org/log", size, log->root(),
                                       fmt::format("note{}", size)})
                      .ok());
    }
  }
  Result<std::vector<StoredCheckpoint>> all = log->Checkpoints();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    uint64_t size = 3 * k + 2;
    EXPECT_EQ((*all)[k].size, size);
    EXPECT_EQ((*all)[k].root, log->View(size)->root());
    EXPECT_EQ((*all)[k].note, fmt::format("note{}", size));
    EXPECT_EQ((*all)[k].origin, "example.org/log");
  }
}

TEST_F(LogStoreTest, WitnessStateRefusesGoingBackwardsAndEquivocation) {
  auto log = NewLog();
  Hash a{}, b{};
  b[0] = 1;
  ASSERT_TRUE(log->SaveCosigned({"peer.org/log", 7, a, "n"}).ok());
  EXPECT_THAT(
      std::string(log->SaveCosigned({"peer.org/log", 6, a, "n"}).message()),
      HasSubstr("size 7 was already cosigned"));
  EXPECT_THAT(
      std::string(log->SaveCosigned({"peer.org/log", 7, b, "n"}).message()),
      HasSubstr("signed two roots for size 7"));
  EXPECT_EQ((*log->LastCosigned("peer.org/log"))->size, 7u);
  EXPECT_FALSE(log->LastCosigned("nobody")->has_value());
}

TEST_F(LogStoreTest, CreateRefusesExistingAndOpenRefusesMissing) {
  NewLog();
  EXPECT_EQ(LogStore::Create(path_, "x", "y").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(LogStore::Open((dir_ / "none.db").string()).status().code(),
            StatusCode::kNotFound);
  std::ofstream((dir_ / "junk.db").string()) << "this is not a database";
  Result<std::unique_ptr<LogStore>> junk =
      LogStore::Open((dir_ / "junk.db").string());
  EXPECT_EQ(junk.status().code(), StatusCode::kCorruption) << junk.status();
}

// The roots of every prefix of `entries`, computed without the store.
std::vector<Hash> PrefixRoots(const std::vector<std::string>& entries) {
  std::vector<Hash> roots = {EmptyRoot()};
  CompactRange range;
  for (const std::string& e : entries) {
    range.Append(HashLeaf(e));
    roots.push_back(range.Root());
  }
  return roots;
}

// Checks inclusion proofs of `indices` and a consistency proof from each of
// `old_sizes` in the tree of `n` leaves, against roots computed without the
// store.
void ExpectProofsVerify(LogStore& log, uint64_t n,
                        const std::vector<std::string>& entries,
                        const std::vector<Hash>& roots,
                        std::initializer_list<uint64_t> indices,
                        std::initializer_list<uint64_t> old_sizes) {
  Result<MerkleTreeView> view = log.View(n);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->root(), roots[n]) << "size " << n;
  for (uint64_t i : indices) {
    Result<std::vector<Hash>> p = view->InclusionProof(i);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(VerifyInclusion(i, n, HashLeaf(entries[i]), *p, roots[n]).ok())
        << "index " << i << " in size " << n;
  }
  for (uint64_t m : old_sizes) {
    Result<std::vector<Hash>> p = view->ConsistencyProof(m);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(VerifyConsistency(m, n, *p, roots[m], roots[n]).ok())
        << "from " << m << " to " << n;
  }
}

// The row cache holds partial rows at the right edge, which every append
// rewrites. Proofs between appends put those rows in the cache; the next
// appends extend them; the proofs that follow must see the extended rows.
// Run with a cache that keeps every row, one that holds a single row (so
// rows are evicted and pass through the ring of recent rows), and none.
class LogStoreRowCacheTest : public LogStoreTest,
                             public ::testing::WithParamInterface<size_t> {};

TEST_P(LogStoreRowCacheTest, ProofsSeeAppendsThatExtendCachedPartialRows) {
  LogStoreOptions options;
  options.row_cache_bytes = GetParam();
  auto log = NewLog(options);
  std::vector<std::string> entries;
  for (int i = 0; i < 3000; ++i) entries.push_back(fmt::format("x{}", i));
  const std::vector<Hash> roots = PrefixRoots(entries);
  std::mt19937 rng(3);
  uint64_t n = 0;
  bool single = false;
  while (n < entries.size()) {
    const uint64_t prev = n;
    // 1 to 300 entries: batches end inside rows at every stored level, and
    // some cross a row boundary at level 0 (256 leaves) or level 2 (1024).
    n = std::min<uint64_t>(entries.size(), n + 1 + rng() % 300);
    if (single) {  // the group-commit path, for a few entries
      n = std::min<uint64_t>(n, prev + 3);
      for (uint64_t i = prev; i < n; ++i) {
        ASSERT_TRUE(log->Append(entries[i]).ok());
      }
    } else {
      std::span<const std::string> batch(entries.data() + prev, n - prev);
      ASSERT_EQ(*log->AppendBatch(batch), prev);
    }
    single = !single;
    ASSERT_EQ(log->root(), roots[n]);
    const uint64_t r = rng() % n;
    ExpectProofsVerify(*log, n, entries, roots, {n - 1, prev, r},
                       {prev, n - 1, 1 + r});
    // An older view reads the same rows, now longer than it needs.
    ExpectProofsVerify(*log, prev == 0 ? n : prev, entries, roots, {0}, {1});
  }
  if (GetParam() == 0) {
    EXPECT_EQ(log->CachedRowBytes(), 0u);
  }
  EXPECT_TRUE(log->Verify().ok());
}

INSTANTIATE_TEST_SUITE_P(Budgets, LogStoreRowCacheTest,
                         ::testing::Values(LogStoreOptions().row_cache_bytes,
                                           kTileWidth* kHashSize, 0),
                         [](const ::testing::TestParamInfo<size_t>& p) {
                           return p.param == 0 ? std::string("NoCache")
                                  : p.param == kTileWidth * kHashSize
                                      ? std::string("OneRow")
                                      : std::string("Default");
                         });

TEST_F(LogStoreTest, RowCacheKeepsTheTopOfTheTreeWithinItsBudget) {
  LogStoreOptions options;
  options.row_cache_bytes = 4 * kTileWidth * kHashSize;  // four full rows
  auto log = NewLog(options);
  std::vector<std::string> entries;
  for (int i = 0; i < 70000; ++i) entries.push_back(fmt::format("y{}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  const std::vector<Hash> roots = PrefixRoots(entries);
  Result<MerkleTreeView> view = log->View();
  ASSERT_TRUE(view.ok());
  for (uint64_t i = 0; i < entries.size(); i += 97) {
    Result<std::vector<Hash>> p = view->InclusionProof(i);
    ASSERT_TRUE(p.ok()) << p.status();
    ASSERT_TRUE(VerifyInclusion(i, entries.size(), HashLeaf(entries[i]), *p,
                                roots.back())
                    .ok());
  }
  // Full rows never exceed the budget; of 70,000 leaves the cache keeps
  // rows from the top (levels 8 to 16: 275 + 1 + 1 + 1 + 1 hashes) and one
  // more row below.
  EXPECT_LE(log->CachedRowBytes(), options.row_cache_bytes);
  EXPECT_GT(log->CachedRowBytes(), 0u);
}

// Readers on other threads prove the newest entry while a writer appends:
// a row read on a reader connection just before a commit extends it must
// never be served in place of the longer one.
TEST_F(LogStoreTest, ProofsOnOtherThreadsFollowConcurrentAppends) {
  auto log = NewLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 1200; ++i) entries.push_back(fmt::format("z{}", i));
  const std::vector<Hash> roots = PrefixRoots(entries);
  std::atomic<bool> done{false};
  std::atomic<int> proofs{0}, failures{0};
  auto reader = [&](uint32_t seed) {
    std::mt19937 rng(seed);
    while (!done.load()) {
      const uint64_t n = log->size();
      if (n == 0) continue;
      Result<MerkleTreeView> view = log->View(n);
      if (!view.ok() || view->root() != roots[n]) {
        ++failures;
        continue;
      }
      for (uint64_t i : {n - 1, static_cast<uint64_t>(rng() % n)}) {
        Result<std::vector<Hash>> p = view->InclusionProof(i);
        if (!p.ok() ||
            !VerifyInclusion(i, n, HashLeaf(entries[i]), *p, roots[n]).ok()) {
          ++failures;
        }
        ++proofs;
      }
    }
  };
  {
    std::jthread r1(reader, 1u), r2(reader, 2u);
    std::mt19937 rng(9);
    for (uint64_t n = 0; n < entries.size();) {
      const uint64_t k = std::min<uint64_t>(entries.size() - n, 1 + rng() % 5);
      std::span<const std::string> batch(entries.data() + n, k);
      ASSERT_TRUE(log->AppendBatch(batch).ok());
      n += k;
    }
    done = true;
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(proofs.load(), 0);
}

TEST_F(LogStoreTest, VerifyReadsTheFileNotTheRowCache) {
  auto log = NewLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 1000; ++i) entries.push_back(fmt::format("w{}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  Result<MerkleTreeView> view = log->View();
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(view->InclusionProof(5).ok());  // caches the rows of leaf 5
  ASSERT_GT(log->CachedRowBytes(), 0u);
  // Another connection zeroes the first row of level 2 under the open log.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "UPDATE tile_rows SET hashes = zeroblob(length(hashes)) "
                   "WHERE id = (2 << 56)",
                   nullptr, nullptr, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  Status v = log->Verify();
  EXPECT_EQ(v.code(), StatusCode::kCorruption) << v;
  EXPECT_THAT(std::string(v.message()), HasSubstr("first bad index 0"));
}

TEST_F(LogStoreTest, ScanEntriesReadsRangesInOrder) {
  auto log = NewLog();
  std::vector<std::string> entries;
  // Over one scan chunk and several leaf rows; large entries that end a
  // chunk early on bytes.
  for (int i = 0; i < 9000; ++i) {
    entries.push_back(i >= 5000 && i < 5005 ? std::string(kMaxEntryBytes, 'b')
                                            : fmt::format("scan {}", i));
  }
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  for (auto [begin, end] : std::vector<std::pair<uint64_t, uint64_t>>{
           {0, 9000}, {255, 257}, {4000, 5003}, {8999, 9000}, {7, 7}}) {
    uint64_t expect = begin;
    Status s = log->ScanEntries(begin, end,
                                [&](uint64_t i, std::string_view e) -> Status {
                                  EXPECT_EQ(i, expect);
                                  EXPECT_EQ(e, entries[i]);
                                  ++expect;
                                  return Status::Ok();
                                });
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(expect, end);
  }
  EXPECT_EQ(
      log->ScanEntries(0, 9001,
                       [](uint64_t, std::string_view) { return Status::Ok(); })
          .code(),
      StatusCode::kOutOfRange);
  // The visitor's error stops the scan, and the visitor may read the store.
  int visited = 0;
  Status stop =
      log->ScanEntries(0, 9000, [&](uint64_t i, std::string_view) -> Status {
        ++visited;
        EXPECT_TRUE(log->Entry(i).ok());
        return i == 10 ? Status::FailedPrecondition("enough") : Status::Ok();
      });
  EXPECT_EQ(stop.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(visited, 11);
}

TEST_F(LogStoreTest, ScanEntriesRefusesAnAlteredEntry) {
  auto log = NewLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 600; ++i) entries.push_back(fmt::format("e{}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE entries SET data = X'00' WHERE idx = 300",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  uint64_t visited = 0;
  Status s = log->ScanEntries(0, 600, [&](uint64_t, std::string_view) {
    ++visited;
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("entry 300"));
  // Entries are checked before any of their chunk is visited.
  EXPECT_EQ(visited, 0u);
}

TEST_F(LogStoreTest, EntryChunkReaderReadsAheadInOrder) {
  auto log = NewLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 10000; ++i) entries.push_back(fmt::format("chunk {}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  // The chunks tile [begin, end) exactly, whatever the caller does with
  // the store meanwhile (here: appends while a chunk is read ahead).
  EntryChunkReader reader(*log, 3, 9500);
  EntryChunk chunk;
  uint64_t expect = 3;
  int chunks = 0;
  for (;;) {
    Result<bool> more = reader.Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ++chunks;
    EXPECT_EQ(chunk.first, expect);
    EXPECT_LE(chunk.size(), kScanChunkEntries);
    for (size_t k = 0; k < chunk.size(); ++k) {
      EXPECT_EQ(chunk.entry(k), entries[chunk.first + k]);
    }
    expect = chunk.end();
    ASSERT_TRUE(log->Append(fmt::format("appended after {}", expect)).ok());
  }
  EXPECT_EQ(expect, 9500u);
  EXPECT_EQ(chunks, 3);
  Result<bool> again = reader.Next(&chunk);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  // Smaller chunks on request.
  EntryChunkReader small(*log, 10, 260, 100);
  std::vector<uint64_t> firsts;
  for (;;) {
    Result<bool> more = small.Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    firsts.push_back(chunk.first);
    for (size_t k = 0; k < chunk.size(); ++k) {
      EXPECT_EQ(chunk.entry(k), entries[chunk.first + k]);
    }
  }
  EXPECT_EQ(firsts, (std::vector<uint64_t>{10, 110, 210}));
  EXPECT_EQ(chunk.end(), 260u);
  // Beyond the log: refused at the first call.
  EntryChunkReader beyond(*log, 0, log->size() + 1);
  EXPECT_EQ(beyond.Next(&chunk).status().code(), StatusCode::kOutOfRange);
}

TEST_F(LogStoreTest, EntryChunkReaderStopsAtAnAlteredEntryInALaterChunk) {
  auto log = NewLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 9000; ++i) entries.push_back(fmt::format("e{}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE entries SET data = X'00' WHERE idx = 5000",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  // The first chunk (read ahead of nothing) is served; the second, read
  // ahead while the first was in the caller's hands, is refused whole,
  // and so is every later call.
  EntryChunkReader reader(*log, 0, 9000);
  EntryChunk chunk;
  Result<bool> first = reader.Next(&chunk);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(chunk.end(), kScanChunkEntries);
  for (int call = 0; call < 2; ++call) {
    Result<bool> next = reader.Next(&chunk);
    EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(std::string(next.status().message()), HasSubstr("entry 5000"));
  }
  // A scan visits the first chunk and stops there.
  uint64_t visited = 0;
  Status s = log->ScanEntries(0, 9000, [&](uint64_t, std::string_view) {
    ++visited;
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(visited, kScanChunkEntries);
}

// LeafCheck::kSkip serves an altered entry as it reads (its caller checks
// the bytes by other means), but never a missing one.
TEST_F(LogStoreTest, EntryChunkReaderWithoutLeafCheckStillFindsMissingEntries) {
  auto log = NewLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 300; ++i) entries.push_back(fmt::format("e{}", i));
  ASSERT_TRUE(log->AppendBatch(entries).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE entries SET data = X'00' WHERE idx = 50; "
                         "DELETE FROM entries WHERE idx = 250",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  EntryChunk chunk;
  EntryChunkReader checked(*log, 0, 100, 100);
  EXPECT_EQ(checked.Next(&chunk).status().code(), StatusCode::kCorruption);
  EntryChunkReader unchecked(*log, 0, 300, 100,
                             EntryChunkReader::LeafCheck::kSkip);
  Result<bool> first = unchecked.Next(&chunk);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(chunk.entry(50), std::string_view("\0", 1));
  EXPECT_EQ(chunk.entry(49), "e49");
  ASSERT_TRUE(unchecked.Next(&chunk).ok());
  EXPECT_EQ(chunk.first, 100u);
  Result<bool> third = unchecked.Next(&chunk);
  EXPECT_EQ(third.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(std::string(third.status().message()),
              HasSubstr("entry 250 is missing"));
}

}  // namespace
}  // namespace detente::ledger
