// worker::Runner: a child that answers, one that allocates past its memory limit, one that
// loops past its CPU time, one that sleeps past the call's timeout, one that crashes; the
// parent survives each, and the next call starts another child that answers.
#include "comptoir/worker/runner.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using comptoir::worker::Outcome;
using comptoir::worker::Pool;
using comptoir::worker::Runner;
using comptoir::worker::RunnerOptions;
using comptoir::worker::Status;
using namespace std::chrono_literals;

namespace {

RunnerOptions child_options(int cpu_seconds = 1) {
    RunnerOptions options;
    options.executable = COMPTOIR_WORKER_TEST_CHILD;
    options.memory_bytes = 128LL << 20;
    options.cpu_seconds = cpu_seconds;
    options.timeout = 10s;
    return options;
}

// The answer's parts, joined by '|'.
std::pair<Outcome, std::string> ask(Runner& runner, const std::string& request,
                                    std::chrono::milliseconds timeout = 0ms) {
    std::string parts;
    const Outcome outcome = runner.call(request, [&parts](std::string&& part) {
        if (!parts.empty()) parts += "|";
        parts += part;
    }, timeout);
    return {outcome, parts};
}

// After a failure: no child left, and the next call is answered by a new one.
void expect_recovers(Runner& runner, pid_t before) {
    EXPECT_EQ(runner.pid(), 0);
    if (before > 0) {
        EXPECT_NE(::kill(before, 0), 0) << "the child is reaped";
    }
    const auto [outcome, answer] = ask(runner, "echo encore");
    EXPECT_EQ(outcome.status, Status::ok) << outcome.detail;
    EXPECT_EQ(answer, "encore");
}

TEST(WorkerRunner, AnswersInPartsAndKeepsItsChild) {
    Runner runner(child_options());
    const auto [first, answer] = ask(runner, "parts 3");
    ASSERT_EQ(first.status, Status::ok) << first.detail;
    EXPECT_EQ(answer, "1|2|3");
    const pid_t pid = runner.pid();
    EXPECT_GT(pid, 0);
    EXPECT_EQ(ask(runner, "echo bonjour").second, "bonjour");
    EXPECT_EQ(runner.pid(), pid) << "one child serves call after call";
    EXPECT_NE(ask(runner, "pid").second, std::to_string(::getpid()));
}

// An idle child runs its idle work once (the decoding child hands its freed memory back), not
// between requests that follow each other: here "idle" is a minute, then a millisecond.
TEST(WorkerRunner, AChildIdleLongEnoughSaysSoOnce) {
    RunnerOptions busy = child_options();
    busy.arguments = {"idle-after", "60000"};
    Runner patient(busy);
    EXPECT_EQ(ask(patient, "echo a").second, "a");
    EXPECT_EQ(ask(patient, "idles").second, "0") << "no minute without a request";

    RunnerOptions quick = child_options();
    quick.arguments = {"idle-after", "1"};
    Runner runner(quick);
    EXPECT_EQ(ask(runner, "idles").second, "0") << "idle before any answer: nothing to hand back";
    std::string idles = "0";
    for (const auto until = std::chrono::steady_clock::now() + 30s; idles == "0" && std::chrono::steady_clock::now() < until;) {
        std::this_thread::sleep_for(5ms);  // the idleness under test, between two asks
        idles = ask(runner, "idles").second;
    }
    EXPECT_EQ(idles, "1") << "once after an answer, then once after each later answer and a pause";
}

// A client's connection open in the server (Poco's sockets are not close-on-exec) must not stay
// open in a child: the server's close would not end it, and the client's next request on it
// would wait for nobody. The child has its standard streams and its channel, nothing else.
TEST(WorkerRunner, TheChildHoldsNoneOfTheServersDescriptors) {
    int pair[2] = {-1, -1};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);  // inheritable, as a client's socket
    Runner runner(child_options());
    const auto [outcome, open] = ask(runner, "fds");
    ::close(pair[0]);
    ::close(pair[1]);
    ASSERT_EQ(outcome.status, Status::ok) << outcome.detail;
    EXPECT_EQ(open, "0 1 2 3");
}

// A child's start is not a call's time: a program slow to load still has the whole timeout for
// its first request; one that dies while it starts is said so.
TEST(WorkerRunner, AStartIsNotCountedInTheCallsTimeAndAFailedOneIsSaid) {
    RunnerOptions slow = child_options();
    slow.arguments = {"slow-start"};
    Runner runner(slow);
    const auto [outcome, answer] = ask(runner, "echo vite", 200ms);
    EXPECT_EQ(outcome.status, Status::ok) << outcome.detail;
    EXPECT_EQ(answer, "vite");

    RunnerOptions broken = child_options();
    broken.arguments = {"crash-at-start"};
    Runner dead(broken);
    const auto [failed, nothing] = ask(dead, "echo vite");
    EXPECT_EQ(failed.status, Status::crashed);
    EXPECT_EQ(failed.signal, SIGSEGV);
    EXPECT_NE(failed.detail.find("n'a pas démarré"), std::string::npos) << failed.detail;
    EXPECT_EQ(dead.pid(), 0);
}

// A frame longer than the runner takes is refused from its head, nothing allocated nor awaited.
TEST(WorkerRunner, AFrameLongerThanAllowedStopsTheChildAtOnce) {
    RunnerOptions options = child_options();
    options.max_frame_bytes = 1 << 20;
    Runner runner(options);
    const auto [outcome, answer] = ask(runner, "huge-frame");
    EXPECT_EQ(outcome.status, Status::crashed) << outcome.detail;
    EXPECT_FALSE(outcome.wall_clock) << "refused from the head, not waited for";
    expect_recovers(runner, 0);
}

TEST(WorkerRunner, AChildPastItsMemoryIsStopped) {
    if (!comptoir::worker::memory_limits_enabled()) GTEST_SKIP() << "no memory limit in the sanitizer build";
    Runner runner(child_options(30));  // the memory runs out long before the CPU time
    ASSERT_TRUE(ask(runner, "echo prêt").first.ok());
    const pid_t pid = runner.pid();
    const auto [outcome, answer] = ask(runner, "alloc");
    EXPECT_EQ(outcome.status, Status::out_of_memory) << outcome.detail;
    expect_recovers(runner, pid);
}

TEST(WorkerRunner, AChildPastItsCpuTimeIsStopped) {
    // A wall clock far beyond the CPU second, so that a loaded machine (the child given a third
    // of a core) cannot make it the one that stops the child: the outcome says which did.
    RunnerOptions options = child_options();
    options.timeout = 60s;
    Runner runner(options);
    const auto [outcome, answer] = ask(runner, "spin");
    EXPECT_EQ(outcome.status, Status::out_of_time) << outcome.detail;
    EXPECT_FALSE(outcome.wall_clock) << "the CPU limit stops it, not the wall clock";
    expect_recovers(runner, 0);
}

TEST(WorkerRunner, AChildPastTheCallsTimeoutIsKilled) {
    Runner runner(child_options());
    ASSERT_TRUE(ask(runner, "echo prêt").first.ok());
    const pid_t pid = runner.pid();
    const auto start = std::chrono::steady_clock::now();
    const auto [outcome, answer] = ask(runner, "sleep", 300ms);
    EXPECT_EQ(outcome.status, Status::out_of_time) << outcome.detail;
    EXPECT_TRUE(outcome.wall_clock);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    expect_recovers(runner, pid);
}

TEST(WorkerRunner, AChildThatCrashesIsReportedAndReplaced) {
    Runner runner(child_options());
    ASSERT_TRUE(ask(runner, "echo prêt").first.ok());
    const pid_t pid = runner.pid();
    const auto [outcome, answer] = ask(runner, "crash");
    EXPECT_EQ(outcome.status, Status::crashed);
    EXPECT_NE(outcome.detail.find("signal"), std::string::npos) << outcome.detail;
    expect_recovers(runner, pid);
}

TEST(WorkerRunner, AnIdleChildKilledFromOutsideIsReplaced) {
    Runner runner(child_options());
    ASSERT_TRUE(ask(runner, "echo prêt").first.ok());
    const pid_t pid = runner.pid();
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    // Dead, not yet reaped: a zombie until the runner looks.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        std::getline(stat, line);
        if (line.find(") Z") != std::string::npos || std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(10ms);
    }
    const auto [outcome, answer] = ask(runner, "echo encore");
    EXPECT_EQ(outcome.status, Status::ok) << outcome.detail;
    EXPECT_EQ(answer, "encore");
    EXPECT_NE(runner.pid(), pid);
}

// The nice value of a process (/proc/PID/stat, field 19).
int nice_of(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int index = 3; index < 19 && fields >> field; ++index) {
    }
    fields >> field;
    return std::stoi(field);
}

TEST(WorkerRunner, HeavyWorkYieldsTheProcessorAndThePoolStartsAfresh) {
    Pool pool(child_options(), 1);
    pid_t lowered = 0;
    {
        auto lease = pool.take(std::chrono::steady_clock::now() + 1s);
        ASSERT_TRUE(ask(**lease, "echo prêt").first.ok());
        (*lease)->lower_priority(10);
        lowered = (*lease)->pid();
        EXPECT_EQ(nice_of(lowered), 10);
    }
    auto lease = pool.take(std::chrono::steady_clock::now() + 1s);
    ASSERT_TRUE(ask(**lease, "echo encore").first.ok());
    EXPECT_NE((*lease)->pid(), lowered);
    EXPECT_EQ(nice_of((*lease)->pid()), nice_of(::getpid()));
}

TEST(WorkerRunner, AMissingProgramIsUnavailable) {
    RunnerOptions options = child_options();
    options.executable = "/nonexistent/comptoir-worker";
    Runner runner(options);
    EXPECT_EQ(ask(runner, "echo x").first.status, Status::unavailable);
}

TEST(WorkerRunner, ARefusedAnswerStopsTheChild) {
    Runner runner(child_options());
    EXPECT_THROW(runner.call("parts 5", [](std::string&&) { throw std::runtime_error("assez"); }), std::runtime_error);
    expect_recovers(runner, 0);
}

TEST(WorkerPool, LendsAtMostItsSize) {
    Pool pool(child_options(), 1);
    auto first = pool.take(std::chrono::steady_clock::now() + 1s);
    ASSERT_TRUE(first);
    EXPECT_FALSE(pool.take(std::chrono::steady_clock::now() + 50ms)) << "the only runner is lent";
    std::thread giver([&first] { first.reset(); });
    auto second = pool.take(std::chrono::steady_clock::now() + 5s);
    giver.join();
    ASSERT_TRUE(second);
    EXPECT_EQ(ask(**second, "echo rendu").second, "rendu");
}

}  // namespace
