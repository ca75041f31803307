// Worker: one long-lived background thread that runs the jobs handed to it,
// one at a time, so that a loop which overlaps each step with the next
// (reading a chunk ahead, decoding one ahead) does not start and join a
// thread per step. On the 2-vCPU machine the benchmarks run on, starting
// and joining a thread costs about 0.1-0.2 ms, and a pass over ten million
// log entries in chunks of 4,096 would otherwise start thousands of them.
//
// Usage: Run(job) hands a job to the thread and returns at once; Wait()
// returns once it has finished, after which everything the job wrote is
// visible to the caller. At most one job is in flight: Run while one is
// REQUIRES a Wait first. The thread starts with the first job.
//
// The Worker owns its thread; the destructor waits for a job in flight and
// then stops it. Run and Wait are for one owning thread (not thread-safe
// among callers); the job runs on the worker's thread, and must not call
// back into the Worker.
#ifndef DETENTE_BASE_WORKER_H_
#define DETENTE_BASE_WORKER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace detente {

class Worker {
 public:
  Worker() = default;
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Hands `job` to the thread. REQUIRES: !busy().
  void Run(std::function<void()> job);
  // Blocks until the job handed by the last Run has finished; returns at
  // once when there is none.
  void Wait();
  // Whether a job was handed to the thread and not yet waited for.
  bool busy() const { return busy_; }

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> job_;  // guarded by mu_; empty once taken
  bool done_ = true;           // guarded by mu_: the last job finished
  bool stop_ = false;          // guarded by mu_
  bool busy_ = false;          // the owner's view: a Run not yet waited for
  std::thread thread_;         // started by the first Run
};

}  // namespace detente

#endif  // DETENTE_BASE_WORKER_H_
