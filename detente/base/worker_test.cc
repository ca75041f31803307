#include "detente/base/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace detente {
namespace {

// Each job's writes are visible after Wait, jobs run in the order handed,
// and all of them on one thread that is not the caller's: the point of a
// Worker is not to start a thread per job.
TEST(WorkerTest, RunsEachJobOnOneLongLivedThread) {
  Worker w;
  EXPECT_FALSE(w.busy());
  std::vector<int> seen;  // written by the jobs, read after each Wait
  std::set<std::thread::id> threads;
  for (int i = 0; i < 1000; ++i) {
    w.Run([&, i] {
      seen.push_back(i);
      threads.insert(std::this_thread::get_id());
    });
    EXPECT_TRUE(w.busy());
    w.Wait();
    EXPECT_FALSE(w.busy());
    ASSERT_EQ(seen.size(), static_cast<size_t>(i + 1));
    EXPECT_EQ(seen.back(), i);
  }
  ASSERT_EQ(threads.size(), 1u);
  EXPECT_NE(*threads.begin(), std::this_thread::get_id());
}

// Run returns while the job is still running; Wait blocks until it ends.
TEST(WorkerTest, RunReturnsBeforeTheJobEndsAndWaitWaitsForIt) {
  Worker w;
  std::atomic<bool> release{false};
  std::atomic<bool> finished{false};
  w.Run([&] {
    while (!release.load()) std::this_thread::yield();
    finished = true;
  });
  EXPECT_FALSE(finished.load());
  release = true;
  w.Wait();
  EXPECT_TRUE(finished.load());
}

TEST(WorkerTest, WaitWithoutAJobReturnsAtOnce) {
  Worker w;
  w.Wait();
  w.Run([] {});
  w.Wait();
  w.Wait();
  EXPECT_FALSE(w.busy());
}

// A job handed and never waited for still runs to its end before the
// Worker is gone (its captures may refer to the caller's frame).
TEST(WorkerTest, DestructorFinishesAJobInFlight) {
  std::atomic<bool> finished{false};
  {
    Worker w;
    w.Run([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      finished = true;
    });
  }
  EXPECT_TRUE(finished.load());
}

}  // namespace
}  // namespace detente
