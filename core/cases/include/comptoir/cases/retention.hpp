// Retention: every `check_minutes` a thread of its own runs the purge of the cases the rules
// say are due (the desk's), with a clock the tests can move. Explicit start and stop.
#pragma once

#include <Poco/Timestamp.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace comptoir {

class Retention {
public:
    struct State {
        std::string last_run;  // ISO 8601, "" before the first
        int last_count = 0;
        int64_t total = 0;  // since the start
        std::string next_run;
    };

    // `purge(now)`: forgets what is due as of `now`, returns how many cases; `check_minutes`
    // apart. `also`: run after each purge (the idle sessions' end).
    Retention(int check_minutes, std::function<int(const Poco::Timestamp&)> purge, std::function<void()> also);
    ~Retention();  // stop()
    Retention(const Retention&) = delete;
    Retention& operator=(const Retention&) = delete;

    void start();
    void stop();

    // One purge now, as of the clock's now; its state kept. Returns how many cases went.
    int run_now();
    State state() const;

    // What "now" is for the rules (tests move it).
    void set_clock(std::function<Poco::Timestamp()> clock);
    Poco::Timestamp now() const;

private:
    void run();

    const int check_minutes_;
    std::function<int(const Poco::Timestamp&)> purge_;
    std::function<void()> also_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::function<Poco::Timestamp()> clock_;
    State state_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace comptoir
