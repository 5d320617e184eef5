// The server's connections, private to the web module: what a few hostile clients must not
// exhaust (issue 31). Each connection is watched while the server waits on its client — a
// request's head within its time, a body at a minimum rate —, each client address holds at most
// so many connections at once, and a body the handler left unread is discarded (or the
// connection closed) so that it is never parsed as the next request.
#pragma once

#include "comptoir/web/http_server.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServer.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

namespace comptoir::web_detail {

// What a connection's body has brought so far (bytes the handler read), shared between the
// connection's thread and the reaper.
struct Progress {
    std::atomic<int64_t> bytes{0};
};

// Shuts down the connections whose client keeps the server waiting: a request's head must
// arrive whole within `head_limit` of the connection's opening (or of the end of its previous
// request); a body must keep `min_rate` bytes a second on average over the last `window`, once
// it has had one window to start. A client that sends a byte at a time, or nothing at all,
// would otherwise hold one of the server's threads for as long as it likes (slowloris). The
// time a handler spends on its own work is not counted: a body is watched only until it has
// been read whole (or the answer begins).
class Reaper {
public:
    Reaper(std::chrono::milliseconds head_limit, std::chrono::milliseconds window, int64_t min_rate);
    ~Reaper();
    Reaper(const Reaper&) = delete;
    Reaper& operator=(const Reaper&) = delete;

    // The connection waits for a request's head: its deadline starts now.
    void head(const Poco::Net::StreamSocket& socket);
    // The head is in and a body follows: its rate is watched from now.
    void body(const Poco::Net::StreamSocket& socket, std::shared_ptr<Progress> progress);
    // Nothing is awaited from the client (the handler works, or the connection ended).
    void arrived(const Poco::Net::StreamSocket& socket);
    // The server stops: connections waiting for a head (kept alive, idle) are let go now.
    void release_idle();
    uint64_t reaped() const { return reaped_; }

private:
    struct Entry {
        Poco::Net::StreamSocket socket;
        std::chrono::steady_clock::time_point since;
        std::shared_ptr<Progress> progress;  // null: waiting for a head
        std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> samples;
    };
    void run();
    bool too_slow(Entry& entry, std::chrono::steady_clock::time_point now) const;

    std::chrono::milliseconds head_limit_;
    std::chrono::milliseconds window_;
    int64_t min_rate_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::unordered_map<const void*, Entry> watched_;
    std::atomic<uint64_t> reaped_{0};
    bool stop_ = false;
    std::thread thread_;
};

// At most `cap` connections at once from one client address (0: no cap), except from the
// trusted proxies (whose clients are many behind one address; the proxy limits them itself).
// Refused at accept: the client is told 503 in a line (plain HTTP) and the connection closed,
// before any thread is given to it.
class AddressCap : public Poco::Net::TCPServerConnectionFilter {
public:
    AddressCap(int cap, const std::vector<std::string>& trusted, bool tls);
    bool accept(const Poco::Net::StreamSocket& socket) override;
    // The connection's thread is done with it.
    void let_go(const Poco::Net::StreamSocket& socket);
    uint64_t refused() const { return refused_; }

private:
    int cap_;
    std::set<std::string> trusted_;
    bool tls_;
    std::mutex mutex_;
    // Per address, the connections accepted and not yet released. A copy of each socket is
    // kept so that one dropped before any thread took it (the server stopping, its queue
    // full) is noticed: only this copy is left of it.
    std::map<std::string, std::unordered_map<const void*, Poco::Net::StreamSocket>> open_;
    std::atomic<uint64_t> refused_{0};
};

// The address as the cap and the trusted-proxy list compare it: an IPv4 client seen through an
// IPv6 socket ("::ffff:192.0.2.1") is its IPv4 address.
std::string address_key(const Poco::Net::IPAddress& address);

// Poco's HTTP connection, rewritten for what its own does not do: the reaper's watch, the cap's
// count, framing checks (Transfer-Encoding with Content-Length refused), the security headers
// on every answer, and an unread body discarded or the connection closed (no desync).
class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                      std::shared_ptr<Reaper> reaper, Poco::AutoPtr<AddressCap> cap, bool tls);
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    std::shared_ptr<Reaper> reaper_;
    Poco::AutoPtr<AddressCap> cap_;
    bool tls_;
};

// The headers every answer carries (static pages, API, errors): a Content-Security-Policy
// without inline script, no framing by other pages, no referrer, and HSTS under TLS.
void security_headers(Poco::Net::HTTPServerResponse& response, bool tls);

}  // namespace comptoir::web_detail
