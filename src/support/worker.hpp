// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <exception>
#include <thread>
#include <utility>

namespace assure::support {

/// A task on a thread of its own. `join` waits for it and rethrows what it threw (running out
/// of memory, above all: a `std::bad_alloc` escaping a `std::thread` would end the process
/// through `std::terminate`, with no message). The destructor joins too, so an exception on
/// the calling thread never meets a joinable thread.
class Worker {
  public:
    template <typename F>
    explicit Worker(F task)
        : thread_([this, task = std::move(task)]() mutable {
              try {
                  task();
              } catch (...) {
                  error_ = std::current_exception();
              }
          }) {}
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;
    ~Worker() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    void join() {
        thread_.join();
        if (error_) {
            std::rethrow_exception(std::exchange(error_, nullptr));
        }
    }

  private:
    std::exception_ptr error_; // before thread_: set up before the task can run
    std::thread thread_;
};

} // namespace assure::support
