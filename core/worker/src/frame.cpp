#include "frame.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace comptoir::worker::frame {
namespace {

// Waits for `events` on `fd` until `deadline`.
Io wait(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        int timeout_ms = -1;
        if (deadline != Clock::time_point::max()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return Io::timed_out;
            timeout_ms = static_cast<int>(std::min<long long>(left, 60'000));
        }
        pollfd one{fd, events, 0};
        const int ready = ::poll(&one, 1, timeout_ms);
        if (ready > 0) return Io::done;  // readable, writable, or hung up: the call tells
        if (ready < 0 && errno != EINTR) return Io::failed;
    }
}

// Sends `parts` whole, in as few system calls as the socket takes: the frame's head and its bytes
// in one, so that the reader is woken once. The socket is tried before it is waited for.
Io write_all(int fd, iovec* parts, int count, Clock::time_point deadline) {
    while (count > 0) {
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = static_cast<size_t>(count);
        ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                const Io waited = wait(fd, POLLOUT, deadline);
                if (waited != Io::done) return waited;
                continue;
            }
            return errno == EPIPE || errno == ECONNRESET ? Io::closed : Io::failed;
        }
        while (count > 0 && static_cast<size_t>(sent) >= parts->iov_len) {
            sent -= static_cast<ssize_t>(parts->iov_len);
            ++parts;
            --count;
        }
        if (count > 0) {
            parts->iov_base = static_cast<char*>(parts->iov_base) + sent;
            parts->iov_len -= static_cast<size_t>(sent);
        }
    }
    return Io::done;
}

// The socket is tried before it is waited for: an answer already there costs no poll.
Io read_all(int fd, char* data, size_t size, Clock::time_point deadline) {
    while (size > 0) {
        const ssize_t got = ::recv(fd, data, size, MSG_DONTWAIT);
        if (got == 0) return Io::closed;
        if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                const Io waited = wait(fd, POLLIN, deadline);
                if (waited != Io::done) return waited;
                continue;
            }
            return errno == ECONNRESET ? Io::closed : Io::failed;
        }
        data += got;
        size -= static_cast<size_t>(got);
    }
    return Io::done;
}

}  // namespace

Io write(int fd, std::string_view bytes, bool last, Clock::time_point deadline) {
    if (bytes.size() > kMaxFrame) return Io::failed;
    char head[5];
    const auto size = static_cast<uint32_t>(bytes.size());
    for (int i = 0; i < 4; ++i) head[i] = static_cast<char>((size >> (8 * i)) & 0xFF);
    head[4] = last ? 1 : 0;
    iovec parts[2] = {{head, sizeof head}, {const_cast<char*>(bytes.data()), bytes.size()}};
    return write_all(fd, parts, bytes.empty() ? 1 : 2, deadline);
}

Io read(int fd, std::string& bytes, bool& last, Clock::time_point deadline, uint32_t max_bytes) {
    unsigned char head[5];
    const Io got = read_all(fd, reinterpret_cast<char*>(head), sizeof head, deadline);
    if (got != Io::done) return got;
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i) size |= static_cast<uint32_t>(head[i]) << (8 * i);
    if (size > kMaxFrame || size > max_bytes || head[4] > 1) return Io::failed;
    last = head[4] == 1;
    bytes.assign(size, '\0');
    return read_all(fd, bytes.data(), size, deadline);
}

}  // namespace comptoir::worker::frame
