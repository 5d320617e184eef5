#include "connections.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>

namespace comptoir {

void allow_framing_by_the_site(Poco::Net::HTTPServerResponse& response) {
    response.set("X-Frame-Options", "SAMEORIGIN");
    std::string policy = response.get("Content-Security-Policy", "");
    const std::string none = "frame-ancestors 'none'";
    if (const auto at = policy.find(none); at != std::string::npos) {
        policy.replace(at, none.size(), "frame-ancestors 'self'");
        response.set("Content-Security-Policy", policy);
    }
}

namespace web_detail {

using Clock = std::chrono::steady_clock;

void security_headers(Poco::Net::HTTPServerResponse& response, bool tls) {
    // No inline script nor style attribute in HTML; blob: for the images and the letter's
    // preview the pages make from an answer; nothing framed from, or framing us from, elsewhere.
    response.set("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                 "frame-src 'self' blob:; object-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
                 "form-action 'self'");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    if (tls) response.set("Strict-Transport-Security", "max-age=31536000");
}

Reaper::Reaper(std::chrono::milliseconds head_limit, std::chrono::milliseconds window, int64_t min_rate)
    : head_limit_(head_limit), window_(window), min_rate_(min_rate), thread_([this] { run(); }) {}

Reaper::~Reaper() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Reaper::head(const Poco::Net::StreamSocket& socket) {
    std::lock_guard<std::mutex> lock(mutex_);
    watched_[socket.impl()] = Entry{socket, Clock::now(), nullptr, {}};
}

void Reaper::body(const Poco::Net::StreamSocket& socket, std::shared_ptr<Progress> progress) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    Entry entry{socket, now, std::move(progress), {}};
    entry.samples.emplace_back(now, entry.progress->bytes.load());
    watched_[socket.impl()] = std::move(entry);
}

void Reaper::arrived(const Poco::Net::StreamSocket& socket) {
    std::lock_guard<std::mutex> lock(mutex_);
    watched_.erase(socket.impl());
}

void Reaper::release_idle() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = watched_.begin(); it != watched_.end();) {
        if (it->second.progress) {
            ++it;
            continue;
        }
        try {
            it->second.socket.shutdownReceive();
        } catch (const Poco::Exception&) {
        }
        it = watched_.erase(it);
    }
}

// A body is too slow when, over the last window, fewer than min_rate × window bytes came.
bool Reaper::too_slow(Entry& entry, Clock::time_point now) const {
    const int64_t bytes = entry.progress->bytes.load();
    entry.samples.emplace_back(now, bytes);
    if (now - entry.since < window_) return false;
    // Keep one sample at least a window old: the start of the window measured.
    while (entry.samples.size() > 2 && now - entry.samples[1].first >= window_) entry.samples.pop_front();
    const auto& [then, bytes_then] = entry.samples.front();
    const double seconds = std::chrono::duration<double>(now - then).count();
    return static_cast<double>(bytes - bytes_then) < static_cast<double>(min_rate_) * seconds;
}

void Reaper::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_; })) {
        const auto now = Clock::now();
        for (auto it = watched_.begin(); it != watched_.end();) {
            Entry& entry = it->second;
            const bool late = entry.progress ? too_slow(entry, now) : now - entry.since >= head_limit_;
            if (!late) {
                ++it;
                continue;
            }
            try {
                entry.socket.shutdown();  // the thread's read returns: the connection ends
            } catch (const Poco::Exception&) {
            }
            ++reaped_;
            it = watched_.erase(it);
        }
    }
}

std::string address_key(const Poco::Net::IPAddress& address) {
    if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
        const std::string text = address.toString();
        const auto colon = text.rfind(':');
        if (colon != std::string::npos) return text.substr(colon + 1);
    }
    return address.toString();
}

namespace {

// The client closed its side (or the connection broke): a peek reads the end, not data.
bool peer_gone(const Poco::Net::StreamSocket& socket) {
    const auto fd = socket.impl()->sockfd();
    if (fd == POCO_INVALID_SOCKET) return true;
    char c = 0;
    const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace

AddressCap::AddressCap(int cap, const std::vector<std::string>& trusted, bool tls) : cap_(cap), tls_(tls) {
    for (const auto& address : trusted) {
        Poco::Net::IPAddress parsed;
        trusted_.insert(Poco::Net::IPAddress::tryParse(address, parsed) ? address_key(parsed) : address);
    }
}

bool AddressCap::accept(const Poco::Net::StreamSocket& socket) {
    std::string key;
    try {
        key = address_key(socket.peerAddress().host());
    } catch (const Poco::Exception&) {
        return false;  // gone already
    }
    const bool capped = cap_ > 0 && trusted_.count(key) == 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto& open = open_[key];
        for (auto it = open.begin(); it != open.end();) {
            it = it->second.impl()->referenceCount() <= 1 ? open.erase(it) : std::next(it);
        }
        // At the cap, a connection its client has already closed does not count: its thread
        // may not have noticed yet (a client's requests one after the other, a busy machine).
        const auto live = [&] {
            return std::count_if(open.begin(), open.end(), [](const auto& entry) { return !peer_gone(entry.second); });
        };
        if (!capped || static_cast<int>(open.size()) < cap_ || live() < cap_) {
            open.emplace(socket.impl(), socket);
            return true;
        }
    }
    ++refused_;
    // Refused: what the client already sent is read (closing on unread bytes would reset the
    // connection, and the answer with it), a 503 in plain words, and the connection closed.
    if (tls_) return false;
    try {
        Poco::Net::StreamSocket client(socket);
        client.setBlocking(false);
        char buffer[4096];
        for (int i = 0; i < 16 && client.available() > 0; ++i) client.receiveBytes(buffer, sizeof buffer);
        static const std::string body =
            "{\"error\": {\"code\": \"too_many_connections\", \"message\": \"Trop de connexions ouvertes depuis ce poste : "
            "fermez des onglets, puis réessayez.\"}}";
        const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                                   "Connection: close\r\nRetry-After: 1\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body;
        client.sendBytes(answer.data(), static_cast<int>(answer.size()));
        client.shutdownSend();
    } catch (const Poco::Exception&) {
    }
    return false;
}

void AddressCap::let_go(const Poco::Net::StreamSocket& socket) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = open_.begin(); it != open_.end(); ++it) {
        if (it->second.erase(socket.impl()) == 0) continue;
        if (it->second.empty()) open_.erase(it);
        return;
    }
}

namespace {

constexpr int64_t kDrainLimit = 64 * 1024;  // an unread body past this closes the connection

// Poco's session, counting the body's bytes the handler reads, and ending the body's watch once
// it is read whole or the answer begins.
class WatchedSession : public Poco::Net::HTTPServerSession {
public:
    WatchedSession(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params, Reaper& reaper)
        : HTTPServerSession(socket, params), reaper_(reaper) {}

    void watch_body(int64_t length) {
        progress_ = std::make_shared<Progress>();
        length_ = length;
        reaper_.body(socket(), progress_);
    }
    int64_t body_read() const { return progress_ ? progress_->bytes.load() : 0; }
    void unwatch() {
        if (!progress_) return;
        reaper_.arrived(socket());
        progress_.reset();
    }

protected:
    int read(char* buffer, std::streamsize length) override {
        const int n = HTTPServerSession::read(buffer, length);
        if (progress_ && n > 0) {
            progress_->bytes += n;
            if (length_ >= 0 && progress_->bytes >= length_) unwatch();
        }
        return n;
    }
    int write(const char* buffer, std::streamsize length) override {
        unwatch();
        return HTTPServerSession::write(buffer, length);
    }

private:
    Reaper& reaper_;
    std::shared_ptr<Progress> progress_;
    int64_t length_ = -1;
};

// Framing a proxy and this server could read differently (request smuggling): refused.
bool ambiguous_framing(const Poco::Net::HTTPServerRequest& request) {
    int lengths = 0;
    for (const auto& [name, value] : request) lengths += Poco::icompare(name, "Content-Length") == 0 ? 1 : 0;
    if (request.has("Transfer-Encoding")) {
        return lengths > 0 || Poco::icompare(Poco::trim(request.getTransferEncoding()), "chunked") != 0;
    }
    if (lengths > 1) return true;
    return lengths == 1 && request.getContentLength64() < 0;
}

class Connection : public Poco::Net::TCPServerConnection {
public:
    Connection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
               Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::shared_ptr<Reaper> reaper,
               Poco::AutoPtr<AddressCap> cap, bool tls)
        : TCPServerConnection(socket), params_(params), handlers_(handlers), reaper_(std::move(reaper)), cap_(cap), tls_(tls) {}
    ~Connection() override {
        reaper_->arrived(socket());
        if (!cap_.isNull()) cap_->let_go(socket());
    }

    void run() override {
        // The listening socket defers accepting until the client sends (TCP_DEFER_ACCEPT): a
        // connection that reaches us with nothing to read was opened and left silent past that
        // delay. It is closed at once, without waiting on it.
        try {
            if (!socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) return;
        } catch (const Poco::Exception&) {
            return;
        }
        WatchedSession session(socket(), params_, *reaper_);
        reaper_->head(socket());
        bool linger = false;
        try {
            while (session.hasMoreRequests()) {
                if (!serve(session, linger)) break;
                reaper_->head(socket());  // kept alive: the next head has its deadline
            }
        } catch (const Poco::Exception&) {
            // the client went, or was let go: nothing more to say to it
        }
        reaper_->arrived(socket());
        if (linger) linger_close();
    }

private:
    // One request; false when the connection must end after it.
    bool serve(WatchedSession& session, bool& linger) {
        Poco::Net::HTTPServerResponseImpl response(session);
        std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request;
        try {
            request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(response, session, params_.get());
        } catch (const Poco::Net::NoMessageException&) {
            return false;  // closed, or silent past its time
        } catch (const Poco::Net::MessageException&) {
            return refuse_head(session, linger);  // not HTTP, too long, too many fields
        } catch (const Poco::SyntaxException&) {
            return refuse_head(session, linger);  // a length that is no number
        } catch (const Poco::Exception&) {
            return false;  // the client too slow (let go), or gone
        }
        response.setDate(Poco::Timestamp());
        response.setVersion(request->getVersion());
        response.setKeepAlive(params_->getKeepAlive() && request->getKeepAlive() && session.canKeepAlive());
        security_headers(response, tls_);
        if (ambiguous_framing(*request)) {
            refuse(response, "Requête refusée : longueur du corps ambiguë (Transfer-Encoding et Content-Length).");
            linger = true;
            return false;
        }
        const bool chunked = request->getChunkedTransferEncoding();
        const int64_t length = request->hasContentLength() ? request->getContentLength64() : 0;
        reaper_->arrived(socket());  // the head is in
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(*request));
        if (request->getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) response.sendContinue();
        if (chunked || length > 0) session.watch_body(chunked ? -1 : length);  // after the "100 Continue"
        handler->handleRequest(*request, response);
        if ((chunked || length > 0) && !drained(session, *request, chunked, length)) {
            response.setKeepAlive(false);
            linger = true;
        }
        session.unwatch();
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
        return session.getKeepAlive();
    }

    // The rest of a body the handler did not read (it answered 401, 404, 413… first) is read
    // and dropped, at the body's rate, so that it is not taken for the next request; true when
    // it is all gone. More than kDrainLimit left: false, the connection is closed instead.
    static bool drained(WatchedSession& session, Poco::Net::HTTPServerRequest& request, bool chunked, int64_t length) {
        const int64_t left = chunked ? -1 : length - session.body_read();
        if (left == 0) return true;
        if (left > kDrainLimit) return false;
        session.watch_body(left);
        std::istream& in = request.stream();
        in.clear();
        char buffer[8192];
        int64_t dropped = 0;
        while (dropped <= kDrainLimit && in) {
            in.read(buffer, sizeof buffer);
            dropped += in.gcount();
        }
        const bool all = in.eof() && dropped <= kDrainLimit;
        session.unwatch();
        return all;
    }

    // A head that could not be read is answered with a response of its own, as Poco does: the
    // first one points to the request that could not be made.
    bool refuse_head(WatchedSession& session, bool& linger) {
        Poco::Net::HTTPServerResponseImpl refusal(session);
        refuse(refusal, "Requête mal formée.");
        linger = true;
        return false;
    }

    void refuse(Poco::Net::HTTPServerResponseImpl& response, const std::string& message) {
        if (response.sent()) return;
        response.setKeepAlive(false);
        security_headers(response, tls_);
        send_error(response, 400, "bad_request", message);
    }

    // Closing on bytes not yet read makes the system reset the connection, and the client may
    // lose the answer with it: the sending side is closed first, and what still comes is read
    // for a moment (at most a second, 1 MiB).
    void linger_close() {
        try {
            socket().shutdownSend();
            char buffer[8192];
            int64_t read = 0;
            const auto until = Clock::now() + std::chrono::seconds(1);
            while (read < (1 << 20) && Clock::now() < until &&
                   socket().poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ)) {
                const int n = socket().receiveBytes(buffer, sizeof buffer);
                if (n <= 0) break;
                read += n;
            }
        } catch (const Poco::Exception&) {
        }
    }

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    // Shared: a connection still running when the server stops outlives the server's own hold.
    std::shared_ptr<Reaper> reaper_;
    Poco::AutoPtr<AddressCap> cap_;
    bool tls_;
};

}  // namespace

ConnectionFactory::ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                                     std::shared_ptr<Reaper> reaper, Poco::AutoPtr<AddressCap> cap, bool tls)
    : params_(params), handlers_(handlers), reaper_(std::move(reaper)), cap_(cap), tls_(tls) {}

Poco::Net::TCPServerConnection* ConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
    return new Connection(socket, params_, handlers_, reaper_, cap_, tls_);
}

}  // namespace web_detail
}  // namespace comptoir
