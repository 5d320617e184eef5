#include "comptoir/worker/child.hpp"

#include "comptoir/worker/runner.hpp"
#include "frame.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <stdexcept>

namespace comptoir::worker {
namespace {

// A library that finds no memory often says so and abort()s (Poppler's gmalloc does): with
// errno still ENOMEM, that abort is reported as what it is.
void on_abort(int) {
    if (errno == ENOMEM) ::_exit(kExitOutOfMemory);
    ::signal(SIGABRT, SIG_DFL);
    ::raise(SIGABRT);
}

}  // namespace

void Reply::send(std::string_view bytes, bool last) {
    if (finished_) throw std::logic_error("réponse déjà terminée");
    if (frame::write(fd_, bytes, last, frame::Clock::time_point::max()) != frame::Io::done) {
        throw std::runtime_error("le serveur ne lit plus");
    }
    finished_ = last;
}

int serve(const std::function<void(std::string&& request, Reply& reply)>& handler,
          const std::function<void()>& when_idle, std::chrono::milliseconds idle_after) {
    // No PR_SET_PDEATHSIG: it follows the thread that started the child, and the server's
    // threads come and go. When the server goes, its end of fd 3 closes and serve() returns.
    ::signal(SIGABRT, on_abort);
    // Ready (loaded, set up): an empty frame, which the runner waits for before its first call.
    if (frame::write(kChannelFd, "", true, frame::Clock::time_point::max()) != frame::Io::done) return 0;
    bool answered = false;
    for (;;) {
        if (when_idle && answered) {
            pollfd channel{kChannelFd, POLLIN, 0};
            const int ready = ::poll(&channel, 1, static_cast<int>(idle_after.count()));
            if (ready == 0) {
                when_idle();
                answered = false;
            }
        }
        std::string request;
        bool last = false;
        if (frame::read(kChannelFd, request, last, frame::Clock::time_point::max()) != frame::Io::done) return 0;
        Reply reply(kChannelFd);
        try {
            handler(std::move(request), reply);
            if (!reply.finished()) reply.send("", true);
            answered = true;
        } catch (const std::bad_alloc&) {
            ::_exit(kExitOutOfMemory);
        } catch (const std::length_error&) {
            ::_exit(kExitOutOfMemory);  // a container asked for more than can be had
        }
    }
}

}  // namespace comptoir::worker
