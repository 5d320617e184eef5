#include "event_relay.hpp"

#include "comptoir/cases/events.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <libpq-fe.h>
#include <poll.h>

#include <sstream>

namespace comptoir {
namespace {

constexpr const char* kChannel = "comptoir_events";

Poco::Logger& log() { return Poco::Logger::get("comptoir.relay"); }

PGconn* connect(const std::string& connection) {
    PGconn* conn = PQconnectdb(connection.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        return nullptr;
    }
    return conn;
}

}  // namespace

EventRelay::EventRelay(std::string connection, std::string origin, EventHub& hub)
    : connection_(std::move(connection)), origin_(std::move(origin)), hub_(hub) {
    listener_ = std::thread([this] { listen(); });
}

EventRelay::~EventRelay() {
    stop_ = true;
    if (listener_.joinable()) listener_.join();
    std::lock_guard<std::mutex> lock(send_mutex_);
    if (sender_) PQfinish(sender_);
}

void EventRelay::send(int64_t case_id, const std::string& type, const std::string& json) {
    Poco::JSON::Object message;
    message.set("origin", origin_);
    message.set("case", case_id);
    message.set("type", type);
    message.set("data", json);
    std::ostringstream payload;
    message.stringify(payload);
    const std::string text = payload.str();
    if (text.size() >= 8000) return;  // PostgreSQL's limit; the desk's events are a few hundred bytes
    std::lock_guard<std::mutex> lock(send_mutex_);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!sender_ || PQstatus(sender_) != CONNECTION_OK) {
            if (sender_) PQfinish(sender_);
            sender_ = connect(connection_);
            if (!sender_) return;
        }
        const char* values[] = {kChannel, text.c_str()};
        PGresult* result = PQexecParams(sender_, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
        const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
        PQclear(result);
        if (ok) return;
    }
    log().warning("événement non transmis aux autres instances (base injoignable)");
}

void EventRelay::listen() {
    PGconn* conn = nullptr;
    while (!stop_) {
        if (!conn || PQstatus(conn) != CONNECTION_OK) {
            if (conn) {
                PQfinish(conn);
                log().warning("écoute des autres instances interrompue : reprise");
            }
            conn = connect(connection_);
            PGresult* result = conn ? PQexec(conn, (std::string("LISTEN ") + kChannel).c_str()) : nullptr;
            const bool ok = result && PQresultStatus(result) == PGRES_COMMAND_OK;
            if (result) PQclear(result);
            if (!ok) {
                if (conn) PQfinish(conn);
                conn = nullptr;
                for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
        }
        pollfd fd{PQsocket(conn), POLLIN, 0};
        if (::poll(&fd, 1, 200) <= 0) continue;
        if (PQconsumeInput(conn) == 0) continue;  // the connection is gone: PQstatus says so at the next turn
        while (PGnotify* notify = PQnotifies(conn)) {
            try {
                const auto message =
                    Poco::JSON::Parser().parse(notify->extra).extract<Poco::JSON::Object::Ptr>();
                if (message->getValue<std::string>("origin") != origin_) {
                    hub_.publish(message->getValue<int64_t>("case"), message->getValue<std::string>("type"),
                                 message->getValue<std::string>("data"), false);
                    ++received_;
                }
            } catch (const Poco::Exception&) {
                log().warning("notification d'une autre instance illisible : ignorée");
            }
            PQfreemem(notify);
        }
    }
    if (conn) PQfinish(conn);
}

}  // namespace comptoir
