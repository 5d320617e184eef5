#include "comptoir/worker/runner.hpp"

#include "frame.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace comptoir::worker {
namespace {

using frame::Clock;

// A descriptor above the standard ones and the child's own (3), close-on-exec.
int high_fd(int fd) {
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return moved;
}

void set_limit(pid_t pid, int resource, rlim_t value) {
    const rlimit limit{value, value};
    ::prlimit(pid, static_cast<__rlimit_resource>(resource), &limit, nullptr);
}

}  // namespace

const char* to_string(Status status) {
    switch (status) {
    case Status::ok: return "ok";
    case Status::out_of_memory: return "out_of_memory";
    case Status::out_of_time: return "out_of_time";
    case Status::crashed: return "crashed";
    case Status::unavailable: return "unavailable";
    }
    return "?";
}

bool memory_limits_enabled() {
#if defined(COMPTOIR_NO_MEMORY_LIMITS) || defined(__SANITIZE_ADDRESS__)
    return false;
#else
    return true;
#endif
}

std::string program_path(const std::string& name, const std::string& installed) {
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    std::vector<std::filesystem::path> candidates;
    if (!error) {
        candidates.push_back(self.parent_path() / name);
        candidates.push_back(self.parent_path().parent_path() / name);
        candidates.push_back(self.parent_path().parent_path() / "libexec" / "comptoir" / name);
    }
    if (!installed.empty()) candidates.emplace_back(installed);
    for (const auto& candidate : candidates) {
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return candidates.empty() ? name : candidates.front().string();
}

Runner::Runner(RunnerOptions options) : options_(std::move(options)) {}

Runner::~Runner() { stop(); }

Outcome Runner::start() {
    if (::access(options_.executable.c_str(), X_OK) != 0) {
        return {Status::unavailable, options_.executable + ": " + std::strerror(errno)};
    }
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        return {Status::unavailable, std::string("socketpair: ") + std::strerror(errno)};
    }
    const int mine = high_fd(pair[0]);
    const int theirs = high_fd(pair[1]);
    if (mine < 0 || theirs < 0) {
        if (mine >= 0) ::close(mine);
        if (theirs >= 0) ::close(theirs);
        return {Status::unavailable, "descripteurs épuisés"};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, theirs, 3);  // theirs >= 10: dup2 clears close-on-exec
    // Nothing else of the server's goes to the child: Poco's sockets are not close-on-exec, and a
    // client's connection (or the listening socket) held open by a child outlives the server's
    // close of it — the client's next request on it would wait for nobody.
    posix_spawn_file_actions_addclosefrom_np(&actions, 4);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The server's signal mask and ignored signals (SIGPIPE…) are not the child's.
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (const int signal : {SIGPIPE, SIGXCPU, SIGXFSZ, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGABRT, SIGSEGV}) {
        sigaddset(&defaults, signal);
    }
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> words{options_.executable};
    words.insert(words.end(), options_.arguments.begin(), options_.arguments.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, options_.executable.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(theirs);
    if (spawned != 0) {
        ::close(mine);
        return {Status::unavailable, options_.executable + ": " + std::strerror(spawned)};
    }
    // Before the child is given anything to do.
    if (options_.memory_bytes > 0 && memory_limits_enabled()) {
        set_limit(pid, RLIMIT_AS, static_cast<rlim_t>(options_.memory_bytes));
    }
    if (nice_ > 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid), nice_);
    set_limit(pid, RLIMIT_CORE, 0);
    set_limit(pid, RLIMIT_FSIZE, 0);
    pid_ = pid;
    fd_ = mine;
    ++starts_;
    cpu_limit_ = 0;
    if (options_.cpu_seconds > 0) {
        // Its budget, set once: renewed by a call that finds less than cpu_seconds of it left.
        cpu_clock_known_ = ::clock_getcpuclockid(pid, &cpu_clock_) == 0;
        cpu_limit_ = 2L * options_.cpu_seconds;
        const rlimit limit{static_cast<rlim_t>(cpu_limit_), static_cast<rlim_t>(cpu_limit_ + 1)};
        ::prlimit(pid, RLIMIT_CPU, &limit, nullptr);
    }
    // Its ready frame (worker::serve's first): a child that dies or hangs while it starts is
    // reported as such, and a call's time counts from here.
    std::string ready;
    bool last = false;
    const frame::Io io = frame::read(fd_, ready, last, Clock::now() + options_.start_timeout);
    if (io == frame::Io::done) return {};
    ::kill(pid_, SIGKILL);
    Outcome outcome = reap(io == frame::Io::timed_out);
    outcome.detail = "le processus n'a pas démarré (" + outcome.detail + ")";
    return outcome;
}

Outcome Runner::reap(bool killed_for_time) {
    if (pid_ <= 0) return {Status::crashed, "pas de processus"};
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    int status = 0;
    rusage usage{};
    pid_t waited;
    do {
        waited = ::wait4(pid_, &status, 0, &usage);
    } while (waited < 0 && errno == EINTR);
    pid_ = 0;
    if (killed_for_time) return {Status::out_of_time, "délai dépassé", true};
    if (waited < 0) return {Status::crashed, std::string("wait: ") + std::strerror(errno)};
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (code == kExitOutOfMemory) return {Status::out_of_memory, "mémoire refusée"};
        return {Status::crashed, "sorti avec le code " + std::to_string(code)};
    }
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        if (signal == SIGXCPU) return {Status::out_of_time, "temps de calcul épuisé"};
        if (signal == SIGKILL) {
            // Not ours (we said killed_for_time): the CPU limit's hard stop, or the kernel's OOM killer.
            const long used = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec;
            if (cpu_limit_ > 0 && used >= cpu_limit_) return {Status::out_of_time, "temps de calcul épuisé"};
            return {Status::out_of_memory, "tué (mémoire)"};
        }
        Outcome crashed{Status::crashed, std::string("signal ") + ::strsignal(signal)};
        crashed.signal = signal;
        return crashed;
    }
    return {Status::crashed, "fin inconnue"};
}

void Runner::lower_priority(int nice) {
    std::lock_guard<std::mutex> lock(mutex_);
    nice_ = std::clamp(nice, nice_, 19);
    if (pid_ > 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid_), nice_);
}

void Runner::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        reap(false);
    }
}

Outcome Runner::ensure_started() {
    if (pid_ > 0) {
        // A child that died while idle (killed from outside, or past its CPU budget while a
        // thread of it spun between calls) is replaced, not reported.
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            ::close(fd_);
            fd_ = -1;
            pid_ = 0;
        }
    }
    if (pid_ > 0) return {};
    return start();
}

void Runner::renew_cpu_budget() {
    if (cpu_limit_ <= 0 || !cpu_clock_known_) return;
    timespec used{};
    if (::clock_gettime(cpu_clock_, &used) != 0) return;
    if (used.tv_sec + options_.cpu_seconds <= cpu_limit_) return;
    cpu_limit_ = used.tv_sec + 2L * options_.cpu_seconds;
    const rlimit limit{static_cast<rlim_t>(cpu_limit_), static_cast<rlim_t>(cpu_limit_ + 1)};
    ::prlimit(pid_, RLIMIT_CPU, &limit, nullptr);
}

Runner::Exchange::Exchange(Runner& runner) : runner_(runner), lock_(runner.mutex_) { started_ = runner_.ensure_started(); }

void Runner::Exchange::stop() {
    if (runner_.pid_ > 0) {
        ::kill(runner_.pid_, SIGKILL);
        runner_.reap(false);
    }
}

Outcome Runner::Exchange::send(std::string_view request, std::chrono::milliseconds timeout) {
    if (!started_.ok()) return started_;
    if (runner_.pid_ <= 0 || runner_.fd_ < 0) {
        started_ = runner_.ensure_started();
        if (!started_.ok()) return started_;
    }
    if (timeout.count() <= 0) timeout = runner_.options_.timeout;
    // The call's time counts from a child ready to take it: starting one (a loaded machine may
    // take a while to load a program) is not the request's fault.
    deadline_ = Clock::now() + timeout;
    runner_.renew_cpu_budget();
    const frame::Io io = frame::write(runner_.fd_, request, true, deadline_);
    return io == frame::Io::done ? Outcome{} : runner_.ended(io);
}

Outcome Runner::Exchange::receive(const std::function<void(std::string&& part)>& on_part) {
    if (runner_.pid_ <= 0 || runner_.fd_ < 0) return {Status::crashed, "pas de processus"};
    for (;;) {
        std::string part;
        bool last = false;
        const frame::Io io = frame::read(runner_.fd_, part, last, deadline_, runner_.options_.max_frame_bytes);
        if (io != frame::Io::done) return runner_.ended(io);
        try {
            on_part(std::move(part));
        } catch (...) {
            // The rest of the answer is not wanted: the child is stopped rather than drained.
            stop();
            throw;
        }
        if (last) return {};
    }
}

Outcome Runner::ended(frame::Io io) {
    if (io == frame::Io::timed_out) {
        ::kill(pid_, SIGKILL);
        return reap(true);
    }
    // Closed or broken: the child died (or is dying: its answer is no frame). Reaped.
    if (io == frame::Io::failed) {
        // Alive and answering what is no frame (too long, malformed): stopped here, and said
        // so — our SIGKILL is not the memory killer's.
        siginfo_t info{};
        const bool exited = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                            info.si_pid == pid_;
        if (!exited) {
            ::kill(pid_, SIGKILL);
            reap(false);
            return Outcome{Status::crashed, "réponse illisible"};
        }
    }
    Outcome outcome = reap(false);
    if (io == frame::Io::failed && outcome.status == Status::crashed) outcome.detail = "réponse illisible";
    return outcome;
}

Outcome Runner::call(std::string_view request, const std::function<void(std::string&& part)>& on_part,
                     std::chrono::milliseconds timeout) {
    Exchange exchange(*this);
    const Outcome sent = exchange.send(request, timeout);
    if (!sent.ok()) return sent;
    return exchange.receive(on_part);
}

Pool::Pool(RunnerOptions options, int size) : options_(std::move(options)), size_(std::max(1, size)) {}

Pool::Lease::~Lease() {
    if (pool_ && runner_) pool_->give_back(std::move(runner_));
}

std::unique_ptr<Pool::Lease> Pool::take(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (idle_.empty() && lent_ >= size_) {
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && lent_ >= size_) {
            return nullptr;
        }
    }
    ++lent_;
    if (!idle_.empty()) {
        auto runner = std::move(idle_.back());
        idle_.pop_back();
        return std::make_unique<Lease>(this, std::move(runner));
    }
    return std::make_unique<Lease>(this, std::make_unique<Runner>(options_));
}

void Pool::give_back(std::unique_ptr<Runner> runner) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        --lent_;
        // A child whose priority was lowered cannot get it back: the next one starts anew.
        if (runner->lowered()) runner = std::make_unique<Runner>(options_);
        idle_.push_back(std::move(runner));
    }
    returned_.notify_one();
}

}  // namespace comptoir::worker
