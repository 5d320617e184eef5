// The child's side of worker::Runner (runner.hpp): a program started by a Runner calls
// serve() from main() and answers each request with one or more frames.
//
//   int main() {
//       return comptoir::worker::serve([](std::string&& request, comptoir::worker::Reply& reply) {
//           reply.send("first part");
//           reply.send("the end", true);
//       });
//   }
//
// serve() returns 0 when the parent closes its end. A std::bad_alloc (or an abort() of a library
// that found no memory) ends the child with kExitOutOfMemory, which the parent reports as
// out_of_memory; any other exception escaping the handler ends it as a crash.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace comptoir::worker {

class Reply {
public:
    explicit Reply(int fd) : fd_(fd) {}
    // One frame; `last` ends the answer. Throws std::runtime_error when the parent is gone.
    void send(std::string_view bytes, bool last = false);
    bool finished() const { return finished_; }

private:
    int fd_;
    bool finished_ = false;
};

// The descriptor the parent speaks on.
constexpr int kChannelFd = 3;

// Serves requests on kChannelFd until the parent closes it. When the handler returns without
// the last frame, an empty last frame is sent. `when_idle`, if given, runs once when no request
// has come for `idle_after` since the last answer (the decoding child hands its freed memory
// back there: not after every answer, when the next page would fault it all in again).
int serve(const std::function<void(std::string&& request, Reply& reply)>& handler,
          const std::function<void()>& when_idle = nullptr,
          std::chrono::milliseconds idle_after = std::chrono::seconds(1));

}  // namespace comptoir::worker
