// What every file of the scanners library shares to talk to SANE: one lock around its calls,
// the handle given up to a device that stopped answering, and two small text helpers.
// Internal to the library (scanners/src): not in its public header.
#pragma once

#include <sane/sane.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <string>

namespace comptoir::scanners {

inline std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

inline std::string quote(const std::string& text) { return "« " + text + " »"; }

// SANE backends are not thread-safe, and some share state between their devices (the test
// backend hung, one time in three under load, when test:0 and test:1 were opened and started
// from two threads at once). Every call but sane_read is made under this lock; the reads, where
// the time goes, still run in parallel on each device's thread.
inline std::recursive_mutex g_sane_calls;
#define SANE_LOCKED std::lock_guard<std::recursive_mutex> sane_lock_guard(g_sane_calls)

inline SANE_Status locked_start(SANE_Handle handle) {
    SANE_LOCKED;
    return sane_start(handle);
}
inline SANE_Status locked_get_parameters(SANE_Handle handle, SANE_Parameters* parameters) {
    SANE_LOCKED;
    return sane_get_parameters(handle, parameters);
}
inline void locked_cancel(SANE_Handle handle) {
    SANE_LOCKED;
    sane_cancel(handle);
}
inline SANE_Status locked_set_io_mode(SANE_Handle handle, SANE_Bool non_blocking) {
    SANE_LOCKED;
    return sane_set_io_mode(handle, non_blocking);
}
inline SANE_Status locked_get_select_fd(SANE_Handle handle, SANE_Int* fd) {
    SANE_LOCKED;
    return sane_get_select_fd(handle, fd);
}

// Set once a handle was abandoned to a device that stopped answering: SANE calls that talk to
// it (sane_cancel, sane_close, sane_exit over the net backend) would wait for it forever.
inline std::atomic<bool> g_abandoned_handle{false};

}  // namespace comptoir::scanners
