#include "comptoir/cases/jobs.hpp"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }

}  // namespace

Jobs::Jobs(JobsOptions options, std::function<bool()> claim, std::function<void()> heartbeat,
           std::function<std::pair<int, int>()> base_counts)
    : options_(options),
      claim_(std::move(claim)),
      heartbeat_(std::move(heartbeat)),
      base_counts_(std::move(base_counts)) {}

Jobs::~Jobs() { stop(); }

void Jobs::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!workers_.empty()) return;
    stopping_ = false;
    for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this] { run(); });
    heartbeat_thread_ = std::thread([this] { beat(); });
}

void Jobs::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    wake_.notify_all();
    for (auto& worker : workers_) {
        if (worker.joinable()) worker.join();
    }
    workers_.clear();
    if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.clear();
}

void Jobs::enqueue(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    changed_.notify_one();
}

void Jobs::poke() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++pokes_;
    }
    changed_.notify_one();
}

void Jobs::beat() {
    const auto period = std::chrono::seconds(options_.heartbeat_seconds);
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (wake_.wait_for(lock, period, [&] { return stopping_; })) return;
        }
        try {
            heartbeat_();
        } catch (const std::exception& error) {
            log().error(std::string("signe de vie dans la base en échec : ") + error.what());
        }
    }
}

// A worker runs this process's own tasks first, then the readings queued in the base by any
// instance; with nothing to do it waits for a poke or looks again after poll_ms.
void Jobs::run() {
    const auto poll = std::chrono::milliseconds(options_.poll_ms);
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (stopping_ && tasks_.empty()) return;  // readings left queued: for the next start or another instance
            if (!tasks_.empty()) {
                task = std::move(tasks_.front());
                tasks_.pop_front();
            }
            ++running_;
        }
        bool worked = true;
        if (task) {
            task();
        } else {
            try {
                worked = claim_();
            } catch (const std::exception& error) {
                worked = false;
                log().error(std::string("file des lectures inaccessible : ") + error.what());
            }
        }
        bool idle = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --running_;
            const auto now = std::chrono::steady_clock::now();
            if (worked) {
                worked_since_idle_ = true;
                last_work_ = now;
            } else if (worked_since_idle_ && running_ == 0 && tasks_.empty() &&
                       now - last_work_ >= std::chrono::milliseconds(options_.idle_after_ms)) {
                worked_since_idle_ = false;
                idle = true;
            }
        }
        changed_.notify_all();
        if (idle && options_.when_idle) options_.when_idle();
        if (!worked) {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait_for(lock, poll, [&] { return stopping_ || !tasks_.empty() || pokes_ > 0; });
            if (pokes_ > 0) --pokes_;
        }
    }
}

void Jobs::wait_idle() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] { return tasks_.empty() && running_ == 0; });
        }
        const auto [queued, running] = base_counts_();
        if (queued == 0 && running == 0) {
            std::unique_lock<std::mutex> lock(mutex_);
            if (tasks_.empty() && running_ == 0) return;
        }
        // A job is queued in the base but no worker holds it yet: wait for a worker to change
        // something (it claims it, then finishes), or look again shortly.
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return running_ > 0; });
    }
}

std::pair<int, int> Jobs::counts() const {
    int queued = 0;
    try {
        queued = base_counts_().first;
    } catch (const std::exception&) {
    }
    std::lock_guard<std::mutex> lock(mutex_);
    // Running: the workers at work, one looking at the queue in the base included.
    return {static_cast<int>(tasks_.size()) + queued, running_};
}

}  // namespace comptoir
