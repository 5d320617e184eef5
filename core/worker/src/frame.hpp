// The frames of worker::Runner's protocol (runner.hpp), both sides: a 4-byte little-endian
// length, a flag byte (1: last), the bytes. Sockets are written with MSG_NOSIGNAL.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace comptoir::worker::frame {

using Clock = std::chrono::steady_clock;

enum class Io { done, closed, timed_out, failed };

// The largest frame either side accepts (a page of 200 Mpx in 32 bits, with room).
constexpr uint32_t kMaxFrame = 1'000'000'000u;

// `deadline` == Clock::time_point::max(): no deadline.
Io write(int fd, std::string_view bytes, bool last, Clock::time_point deadline);
// A frame announced longer than `max_bytes` is refused (failed) before anything is allocated.
Io read(int fd, std::string& bytes, bool& last, Clock::time_point deadline, uint32_t max_bytes = kMaxFrame);

}  // namespace comptoir::worker::frame
