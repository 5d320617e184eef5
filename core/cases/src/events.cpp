#include "comptoir/cases/events.hpp"

#include <Poco/Timestamp.h>

#include <algorithm>

namespace comptoir {

void EventHub::publish(int64_t case_id, const std::string& type, const std::string& json, bool forward) {
    Forwarder forwarder;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto clock = static_cast<uint64_t>(Poco::Timestamp().epochMicroseconds());
        next_seq_ = std::max(next_seq_, clock);
        events_.push_back(DeskEvent{next_seq_++, case_id, type, json});
        while (events_.size() > kKeep) events_.pop_front();
        if (forward) forwarder = forwarder_;
    }
    changed_.notify_all();
    if (forwarder) forwarder(case_id, type, json);
}

void EventHub::set_forwarder(Forwarder forwarder) {
    std::lock_guard<std::mutex> lock(mutex_);
    forwarder_ = std::move(forwarder);
}

std::vector<DeskEvent> EventHub::wait(int64_t case_id, uint64_t after_seq, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::vector<DeskEvent> found;
    const auto collect = [&] {
        found.clear();
        for (const auto& event : events_) {
            if (event.case_id == case_id && event.seq > after_seq) found.push_back(event);
        }
        return closed_ || !found.empty();
    };
    changed_.wait_for(lock, timeout, collect);
    if (closed_) found.clear();
    return found;
}

void EventHub::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

bool EventHub::open_stream(int limit) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || streams_ >= limit) return false;
    ++streams_;
    return true;
}

void EventHub::close_stream() {
    std::lock_guard<std::mutex> lock(mutex_);
    --streams_;
}

bool EventHub::closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
}

}  // namespace comptoir
