// What happens in a case, told to whoever listens: the pages' server-sent events, and through
// the relay (event_relay.hpp) the other instances sharing the base.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace comptoir {

// What happened in a case, for server-sent events: `type` progress, document, field, letter,
// closed, forgotten.
struct DeskEvent {
    // The SSE id: increasing, from the clock in microseconds, so that a page that reconnects
    // to another instance (behind a proxy) asks for what it missed in terms that one understands.
    uint64_t seq = 0;
    int64_t case_id = 0;
    std::string type;
    std::string json;  // the event's data
};

// The events of every case, kept a while so that a page that reconnects misses nothing.
class EventHub {
public:
    using Forwarder = std::function<void(int64_t, const std::string&, const std::string&)>;

    // `forward`: also told to the other instances (false for what came from them).
    void publish(int64_t case_id, const std::string& type, const std::string& json, bool forward = true);
    // Where this instance's events go besides its own pages (the relay between instances).
    void set_forwarder(Forwarder forwarder);
    // The events of `case_id` after `after_seq`; waits up to `timeout` for one when there is
    // none. Empty when the hub was shut down.
    std::vector<DeskEvent> wait(int64_t case_id, uint64_t after_seq, std::chrono::milliseconds timeout);
    void shutdown();
    bool closed() const;

    // An event stream holds one of the server's threads for as long as the page is open:
    // at most `limit` at once, so that streams never starve the other requests.
    bool open_stream(int limit);
    void close_stream();

private:
    int streams_ = 0;
    Forwarder forwarder_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<DeskEvent> events_;  // the last kKeep events of all cases
    uint64_t next_seq_ = 1;
    bool closed_ = false;
    static constexpr size_t kKeep = 2000;
};

}  // namespace comptoir
