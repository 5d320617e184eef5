#include "comptoir/cases/retention.hpp"

#include "comptoir/base/time.hpp"

#include <Poco/Logger.h>

#include <Poco/Timespan.h>

#include <chrono>
#include <exception>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }

}  // namespace

Retention::Retention(int check_minutes, std::function<int(const Poco::Timestamp&)> purge, std::function<void()> also)
    : check_minutes_(check_minutes), purge_(std::move(purge)), also_(std::move(also)), clock_([] { return Poco::Timestamp(); }) {}

Retention::~Retention() { stop(); }

void Retention::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void Retention::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Retention::set_clock(std::function<Poco::Timestamp()> clock) {
    std::lock_guard<std::mutex> lock(mutex_);
    clock_ = std::move(clock);
}

Poco::Timestamp Retention::now() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return clock_();
}

int Retention::run_now() {
    const Poco::Timestamp at = now();
    const int count = purge_(at);
    std::lock_guard<std::mutex> lock(mutex_);
    state_.last_run = iso_utc(at);
    state_.last_count = count;
    state_.total += count;
    state_.next_run = iso_utc(at + Poco::Timespan(60 * static_cast<int64_t>(check_minutes_), 0));
    return count;
}

Retention::State Retention::state() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
}

void Retention::run() {
    for (;;) {
        try {
            run_now();
            if (also_) also_();
        } catch (const std::exception& error) {
            log().error(std::string("effacement des dossiers échus en échec : ") + error.what());
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (wake_.wait_for(lock, std::chrono::minutes(check_minutes_), [&] { return stop_; })) return;
    }
}

}  // namespace comptoir
