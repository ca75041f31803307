#include "detente/base/worker.h"

#include <utility>

namespace detente {

Worker::~Worker() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();  // the loop finishes a job in flight before it stops
}

void Worker::Run(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> l(mu_);
    job_ = std::move(job);
    done_ = false;
  }
  busy_ = true;
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { Loop(); });
  } else {
    cv_.notify_all();
  }
}

void Worker::Wait() {
  if (!busy_) return;
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait(l, [this] { return done_; });
  busy_ = false;
}

void Worker::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [this] { return stop_ || job_; });
    if (job_) {
      std::function<void()> job = std::move(job_);
      job_ = nullptr;
      l.unlock();
      job();
      job = nullptr;  // what it holds is released before done_ is seen
      l.lock();
      done_ = true;
      cv_.notify_all();
      continue;
    }
    if (stop_) return;
  }
}

}  // namespace detente
