// The desk's workers: a few threads that run this process's own tasks (a scan: its station is
// this process's) and otherwise claim the readings queued in the base by any instance; and
// the heartbeat that tells the other instances this one is alive. Explicit start and stop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace comptoir {

struct JobsOptions {
    int workers = 2;
    int poll_ms = 1000;          // cluster.poll_ms: how often an idle worker looks at the base
    int heartbeat_seconds = 5;   // cluster.heartbeat_seconds
    // Run once by a worker when, after some work, nothing has run or waited here for
    // idle_after_ms (the desk hands the pages' freed memory back to the system there:
    // memory::return_free). Not after every job: a busy desk would fault it all in again.
    std::function<void()> when_idle;
    int idle_after_ms = 2000;
};

class Jobs {
public:
    // `claim`: claims one job queued in the base and runs it; false when none was waiting.
    // `heartbeat`: run every heartbeat_seconds on a thread of its own.
    // `base_counts`: the jobs queued and running in the base, every instance's.
    Jobs(JobsOptions options, std::function<bool()> claim, std::function<void()> heartbeat,
         std::function<std::pair<int, int>()> base_counts);
    ~Jobs();  // stop()
    Jobs(const Jobs&) = delete;
    Jobs& operator=(const Jobs&) = delete;

    void start();
    // Lets the running tasks end, then joins every thread; tasks still queued here are dropped
    // (a reading queued in the base stays there, for the next start or another instance).
    void stop();

    // A task of this process's own.
    void enqueue(std::function<void()> task);
    // A job was queued in the base: a worker looks now rather than at its next poll.
    void poke();
    // Until no task is queued or running here, and none waits in the base (tests, shutdown).
    void wait_idle();
    // Tasks waiting (here and in the base) and running now: for /api/v1/health.
    std::pair<int, int> counts() const;

private:
    void run();
    void beat();

    const JobsOptions options_;
    std::function<bool()> claim_;
    std::function<void()> heartbeat_;
    std::function<std::pair<int, int>()> base_counts_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    int running_ = 0;
    int pokes_ = 0;
    bool worked_since_idle_ = false;
    std::chrono::steady_clock::time_point last_work_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
    std::thread heartbeat_thread_;
};

}  // namespace comptoir
