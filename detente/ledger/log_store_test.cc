#include "detente/ledger/log_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "detente/ledger/proof.h"
#include "fmt/format.h"

namespace detente::ledger {
namespace {

using ::testing::HasSubstr;

class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format(
               "detente_store_{}_{}", getpid(),
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "log.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<LogStore> NewLog() {
    Result<std::unique_ptr<LogStore>> s = LogStore::Create(
        path_, "example.org/log", "example.org/log+00000000+AQ");
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

}  // namespace
}  // namespace detente::ledger
