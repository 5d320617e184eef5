// Work done in a child process, so that what a hostile file costs (memory, CPU time, a crash)
// is the child's and never the server's. The child is a small executable of the project
// (`comptoir-worker`, next to `comptoir`), started with posix_spawn — never a fork() of the
// multithreaded server — and spoken to on its own descriptor:
//
//   parent (Runner)                          child (worker::serve, child.hpp)
//   call(request) ── frame ──> fd 3 ──────>  handler(request, reply)
//                 <── frames ── fd 3 <──────  reply.send(part) … reply.send(last, true)
//
// fd 3 is one end of a socket pair (stdin, stdout and stderr are /dev/null). A frame is a
// 4-byte little-endian length, a flag byte (1: the last frame of the answer) and the bytes.
//
// Limits, set by the parent on the child (prlimit) before it is given any work: RLIMIT_AS
// (memory), RLIMIT_CPU, RLIMIT_CORE 0, RLIMIT_FSIZE 0; and a wall-clock timeout per call, after
// which the child is killed and reaped. RLIMIT_CPU is a budget of twice `cpu_seconds`, set at
// the start and renewed (prlimit) only when a call begins with less than `cpu_seconds` of it
// left — each call may use at least `cpu_seconds` and at most twice that, and a call costs one
// read of the child's CPU clock, not a file of /proc and a prlimit. A child that died is started
// again at the next call. Each call says how it ended:
//
//   Runner runner({.executable = "/usr/lib/comptoir/comptoir-worker", .memory_bytes = 1 << 30});
//   const auto outcome = runner.call("open …", [](std::string&& part) { … }, std::chrono::seconds(30));
//   if (outcome.status == worker::Status::out_of_memory) …   // the file, not the server
//
// In the sanitizer build (COMPTOIR_NO_MEMORY_LIMITS, set by CMake with COMPTOIR_SANITIZE or
// COMPTOIR_FUZZ) the memory limit is never set: AddressSanitizer reserves terabytes of address
// space. A Runner serves one call at a time; a Pool lends runners to several threads. Several
// children are asked at once with an Exchange per runner: every request sent, then every
// answer received.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::worker {

namespace frame {
enum class Io;  // frame.hpp, private to the runner
}

enum class Status {
    ok,             // the child answered
    out_of_memory,  // killed, or gave up, for want of memory (RLIMIT_AS, or the kernel's OOM killer)
    out_of_time,    // its CPU time or the call's wall-clock timeout ran out: killed
    crashed,        // died otherwise (a signal, an exit, an answer that is no frame)
    unavailable,    // could not be started (the executable is missing)
};

const char* to_string(Status status);

struct Outcome {
    Status status = Status::ok;
    std::string detail;  // for the log: the signal, the exit code, errno (never the work's data)
    bool wall_clock = false;  // out_of_time because the call's timeout passed (not the CPU limit)
    int signal = 0;           // crashed by a signal: its number (11 for SIGSEGV)
    bool ok() const { return status == Status::ok; }
};

// The exit code with which a child says it ran out of memory (worker::serve uses it).
constexpr int kExitOutOfMemory = 86;

// Whether memory limits are applied in this build (false in the sanitizer build).
bool memory_limits_enabled();

// Where a child's program `name` is: beside this process's program, one folder up (the build
// tree's tests), in ../libexec/comptoir/, then `installed` (its install path, may be empty); the
// first that can be run, else the first candidate (whose start then says what is missing).
std::string program_path(const std::string& name, const std::string& installed);

struct RunnerOptions {
    std::string executable;              // absolute path of the child's program
    std::vector<std::string> arguments;  // after argv[0]
    int64_t memory_bytes = 0;            // RLIMIT_AS; 0: none
    int cpu_seconds = 0;                 // CPU time each call may use at least (twice at most); 0: none
    std::chrono::milliseconds timeout{std::chrono::minutes(2)};  // per call, wall clock
    // A child's start (its program loaded, what it sets up before its first request) is not
    // counted in a call's timeout, but has its own.
    std::chrono::milliseconds start_timeout{std::chrono::seconds(30)};
    // The longest frame of an answer taken from the child (a longer one stops it, unread):
    // 1 GB at most, less for a child whose answers are small (a plugin's).
    uint32_t max_frame_bytes = 1'000'000'000u;
};

class Runner {
public:
    explicit Runner(RunnerOptions options);
    ~Runner();  // kills and reaps the child
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    // Sends `request` and hands each frame of the answer to `on_part` (on this thread) until
    // the last one. Starts the child first when none is running. After anything but `ok` the
    // child is gone (killed and reaped); the next call starts another. `timeout` <= 0: the
    // options' timeout. `on_part` may throw: the child is then stopped and the exception passes.
    Outcome call(std::string_view request, const std::function<void(std::string&& part)>& on_part,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

    // Lowers the child's CPU priority (nice, 1..19), for it and the children started after it
    // by this runner: heavy work yields the processor to ordinary work. It cannot be raised
    // again (that needs privileges): a Pool stops such a child when it is given back.
    void lower_priority(int nice);
    bool lowered() const { return nice_ > 0; }

    // call() in two halves, to ask several children at once: an Exchange holds its runner (one
    // call or exchange at a time: made in the same order by every thread that holds several),
    // starts its child when none runs, sends, and receives what call() would.
    class Exchange {
    public:
        explicit Exchange(Runner& runner);
        Exchange(const Exchange&) = delete;
        Exchange& operator=(const Exchange&) = delete;
        // Which child the runner holds (a count of its starts; 0: none could be started). While
        // it stays the same, so does the process: what it was sent before, it still holds.
        uint64_t child() const { return runner_.starts_; }
        // The request; the call's timeout counts from here. Starts a child when none runs.
        Outcome send(std::string_view request, std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
        // The answer to what was sent, as call() gives it.
        Outcome receive(const std::function<void(std::string&& part)>& on_part);
        // Kills and reaps the child (an answer that is of no use: the next would be no better).
        void stop();

    private:
        Runner& runner_;
        std::unique_lock<std::mutex> lock_;
        Outcome started_;
        std::chrono::steady_clock::time_point deadline_;
    };

    // The child's process id, 0 when none is running.
    pid_t pid() const { return pid_; }
    // Kills and reaps the child, if any.
    void stop();
    const RunnerOptions& options() const { return options_; }

private:
    Outcome start();
    Outcome ensure_started();  // under mutex_
    Outcome reap(bool killed_for_time);
    Outcome ended(frame::Io io);  // a send or receive that failed: the child reaped, why said
    void renew_cpu_budget();

    RunnerOptions options_;
    pid_t pid_ = 0;
    int fd_ = -1;  // the parent's end of the socket pair
    int nice_ = 0;
    uint64_t starts_ = 0;       // children started (each one's number, for Exchange::child)
    clockid_t cpu_clock_{};     // the child's CPU-time clock
    bool cpu_clock_known_ = false;
    long cpu_limit_ = 0;        // its RLIMIT_CPU soft limit (seconds), 0: none set
    std::mutex mutex_;
};

// Runners lent to threads: at most `size` children at once; an idle one is kept for the next.
class Pool {
public:
    Pool(RunnerOptions options, int size);
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    class Lease {
    public:
        Lease(Pool* pool, std::unique_ptr<Runner> runner) : pool_(pool), runner_(std::move(runner)) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) noexcept = default;
        ~Lease();
        Runner& operator*() const { return *runner_; }
        Runner* operator->() const { return runner_.get(); }

    private:
        Pool* pool_;
        std::unique_ptr<Runner> runner_;
    };

    // Waits until `deadline` for a runner; false-y (null) lease when none came in time.
    std::unique_ptr<Lease> take(std::chrono::steady_clock::time_point deadline);
    const RunnerOptions& options() const { return options_; }

private:
    void give_back(std::unique_ptr<Runner> runner);

    const RunnerOptions options_;
    const int size_;
    int lent_ = 0;
    std::vector<std::unique_ptr<Runner>> idle_;
    std::mutex mutex_;
    std::condition_variable returned_;
};

}  // namespace comptoir::worker
