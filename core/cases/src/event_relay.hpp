// Several instances on one PostgreSQL: what happens in a case on one (a reading's progress,
// its end) reaches the pages connected to the others, through PostgreSQL's LISTEN/NOTIFY
// (libpq, one connection to listen and one to tell). Each instance keeps its own EventHub;
// the relay feeds it what the others publish.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

typedef struct pg_conn PGconn;

namespace comptoir {

class EventHub;

class EventRelay {
public:
    // `origin`: this instance, whose own notifications are skipped (its hub has them already).
    EventRelay(std::string connection, std::string origin, EventHub& hub);
    ~EventRelay();
    EventRelay(const EventRelay&) = delete;
    EventRelay& operator=(const EventRelay&) = delete;

    // Tells the other instances; a lost connection is opened again at the next event (an
    // event lost meanwhile: the page's next look at the case catches up).
    void send(int64_t case_id, const std::string& type, const std::string& json);
    // Notifications received from the others so far (tests, health).
    uint64_t received() const { return received_; }

private:
    void listen();

    std::string connection_;
    std::string origin_;
    EventHub& hub_;
    std::mutex send_mutex_;
    PGconn* sender_ = nullptr;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> received_{0};
    std::thread listener_;
};

}  // namespace comptoir
