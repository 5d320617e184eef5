// The plugin worker's seccomp filter (libseccomp): once its module is loaded, a plugin may
// compute, read files, make threads and answer on its channel — not open a socket, write,
// create or remove a file, start a program, fork, or signal another process. What it may not
// do fails with EACCES (clone3: ENOSYS, so that glibc falls back to clone, which is filtered
// on its flags). Off in the sanitizer build: LeakSanitizer forks a tracer at exit.
#include "plugin_sandbox.hpp"

#include "comptoir/plugin_host/plugin_worker.hpp"

#ifndef COMPTOIR_NO_SANDBOX
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#endif

namespace comptoir {

bool plugin_sandbox_enabled() {
#if defined(COMPTOIR_NO_SANDBOX) || defined(__SANITIZE_ADDRESS__)
    return false;
#else
    return true;
#endif
}

namespace plugin_sandbox {

#if defined(COMPTOIR_NO_SANDBOX) || defined(__SANITIZE_ADDRESS__)

std::string enter() { return {}; }

#else

namespace {

// SCMP_A0… are C compound literals: written out here for C++.
scmp_arg_cmp compare(unsigned int arg, scmp_compare op, scmp_datum_t a, scmp_datum_t b = 0) {
    scmp_arg_cmp out{};
    out.arg = arg;
    out.op = op;
    out.datum_a = a;
    out.datum_b = b;
    return out;
}

struct Release {
    void operator()(void* context) const { seccomp_release(static_cast<scmp_filter_ctx>(context)); }
};

}  // namespace

std::string enter() {
    std::unique_ptr<void, Release> filter(seccomp_init(SCMP_ACT_ALLOW));
    if (!filter) return "seccomp_init";
    scmp_filter_ctx context = filter.get();
    int failed = 0;
    const auto rule = [&](uint32_t action, const char* name, unsigned count = 0, const scmp_arg_cmp* args = nullptr) {
        const int number = seccomp_syscall_resolve_name(name);
        if (number == __NR_SCMP_ERROR) return;  // not on this architecture
        // A call this architecture lacks (a negative pseudo-number) may be refused: nothing to filter.
        if (seccomp_rule_add_array(context, action, number, count, args) != 0 && number >= 0) failed = number;
    };
    const uint32_t refuse = SCMP_ACT_ERRNO(EACCES);
    // No network, no other program, no other process.
    for (const char* name : {"socket", "execve", "execveat", "fork", "vfork", "ptrace", "process_vm_writev",
                             "process_vm_readv", "tkill", "pidfd_open", "pidfd_send_signal", "io_uring_setup",
                             "userfaultfd", "bpf", "perf_event_open", "personality"}) {
        rule(refuse, name);
    }
    rule(SCMP_ACT_ERRNO(ENOSYS), "clone3");  // its flags are in memory: glibc falls back to clone
    rule(SCMP_ACT_ERRNO(ENOSYS), "openat2");  // the same, for open's flags
    {
        // clone: threads only (CLONE_THREAD), not a new process.
        const scmp_arg_cmp not_thread[] = {compare(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)};
        rule(refuse, "clone", 1, not_thread);
    }
    {
        // Signals to itself only (abort and raise use tgkill on themselves).
        const auto self = static_cast<scmp_datum_t>(::getpid());
        const scmp_arg_cmp other_pid[] = {compare(0, SCMP_CMP_NE, self)};
        rule(refuse, "kill", 1, other_pid);
        rule(refuse, "tgkill", 1, other_pid);
    }
    // No file written, created or removed: open's flags, and the calls that change a folder.
    for (const int flag : {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND}) {
        const auto bits = static_cast<scmp_datum_t>(flag);
        const scmp_arg_cmp open_flags[] = {compare(1, SCMP_CMP_MASKED_EQ, bits, bits)};
        const scmp_arg_cmp openat_flags[] = {compare(2, SCMP_CMP_MASKED_EQ, bits, bits)};
        rule(refuse, "open", 1, open_flags);
        rule(refuse, "openat", 1, openat_flags);
    }
    for (const char* name : {"creat", "truncate", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir",
                             "mkdirat", "rmdir", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmod",
                             "fchmodat", "chown", "fchown", "lchown", "fchownat", "mknod", "mknodat", "utimensat",
                             "utimes", "utime", "futimesat", "setxattr", "lsetxattr", "fsetxattr", "removexattr",
                             "lremovexattr", "fremovexattr", "mount", "umount2", "chroot", "pivot_root",
                             "name_to_handle_at", "open_by_handle_at", "fanotify_init", "inotify_init",
                             "inotify_init1", "memfd_secret"}) {
        rule(refuse, name);
    }
    if (failed != 0) return std::string("règle refusée (appel ") + std::to_string(failed) + ")";
    if (const int loaded = seccomp_load(context); loaded != 0) return std::string("seccomp_load : ") + std::strerror(-loaded);
    return {};
}

#endif

}  // namespace plugin_sandbox
}  // namespace comptoir
