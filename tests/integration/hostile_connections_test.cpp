// Connections a few clients cannot exhaust, and no desync (issue 31, items 2 and 5): a cap on
// connections per client address, a body's minimum rate, an unread body never parsed as the
// next request, Transfer-Encoding with Content-Length refused, the security headers, and an
// event stream that ends with its session. The "other client" comes from another loopback
// address (127.0.0.2), which the cap sees as another peer.
#include "desk_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <thread>

using comptoir::test::Reply;
using comptoir::test::send;
using comptoir::test::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

class HostileConnections : public ::testing::Test {
protected:
    void start(const std::string& extra = "") {
        config_ = dir_.write("comptoir.properties", "data.dir = data\nserver.threads = 4\nserver.request_timeout_s = 2\n" + extra);
        server_ = std::make_unique<comptoir::test::Server>(config_);
    }
    void TearDown() override {
        server_.reset();
        comptoir::test::credentials = {};
    }
    uint16_t port() const { return server_->port(); }

    // A connection to the server from `source` (a loopback address of its own).
    Poco::Net::StreamSocket connect(const std::string& source = "127.0.0.1") const {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
        socket.impl()->bind(Poco::Net::SocketAddress(source, 0), false);
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", port()));
        socket.setReceiveTimeout(Poco::Timespan(10, 0));
        return socket;
    }
    static void put(Poco::Net::StreamSocket& socket, const std::string& bytes) {
        socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    }
    // Everything the server sends until it closes the connection (or 10 s of silence).
    static std::string read_all(Poco::Net::StreamSocket& socket) {
        std::string answer;
        char buffer[4096];
        try {
            for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<size_t>(n));
        } catch (const Poco::Exception&) {
        }
        return answer;
    }
    static int answers_in(const std::string& text) {
        int count = 0;
        for (size_t at = text.find("HTTP/1.1 "); at != std::string::npos; at = text.find("HTTP/1.1 ", at + 1)) ++count;
        return count;
    }
    // GET /api/v1/health from `source`: its status (0: no answer, the connection refused or cut).
    int health_from(const std::string& source) const {
        try {
            Poco::Net::HTTPClientSession session(connect(source));
            session.setTimeout(Poco::Timespan(10, 0));
            Poco::Net::HTTPRequest request("GET", "/api/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            return response.getStatus();
        } catch (const Poco::Exception&) {
            return 0;
        }
    }

    TempDir dir_;
    std::string config_;
    std::unique_ptr<comptoir::test::Server> server_;
};

const std::string kSlowHead = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n";  // and no end: held

}  // namespace

// One address holds at most its cap of connections; the next one from it is refused at once
// with a 503, another address is served, and a place freed is taken again.
TEST_F(HostileConnections, ConnectionsPerAddressAreCapped) {
    start("server.max_connections_per_address = 3\n");
    std::vector<Poco::Net::StreamSocket> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(connect());
        put(held.back(), kSlowHead);
    }
    auto over = connect();
    put(over, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string refused = read_all(over);
    EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
    EXPECT_NE(refused.find("too_many_connections"), std::string::npos) << refused;
    EXPECT_EQ(health_from("127.0.0.2"), 200) << "another address is served";
    for (auto& socket : held) socket.close();
    // The places are free once the server has seen them closed.
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    int status = 0;
    while ((status = health_from("127.0.0.1")) != 200 && Clock::now() < deadline) std::this_thread::yield();
    EXPECT_EQ(status, 200);
}

// A trusted proxy (every client behind it has its address) is not capped.
TEST_F(HostileConnections, ATrustedProxyIsNotCapped) {
    start("server.max_connections_per_address = 2\nserver.trusted_proxies = 10.0.0.1, 127.0.0.1\n");
    std::vector<Poco::Net::StreamSocket> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(connect());
        put(held.back(), kSlowHead);
    }
    EXPECT_EQ(health_from("127.0.0.1"), 200);
}

// 20 hostile connections from one address — kept alive asking health now and then, heads and
// bodies a byte at a time — and another client's health answers within 2 s each time.
TEST_F(HostileConnections, HealthAnswersOthersUnderTwentyHostileConnections) {
    start();
    std::atomic<bool> stop{false};
    std::vector<std::thread> hostile;
    for (int i = 0; i < 20; ++i) {
        hostile.emplace_back([&, i] {
            while (!stop) {
                try {
                    auto socket = connect();
                    if (i % 3 == 0) {  // kept alive, a request now and then
                        while (!stop) {
                            put(socket, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
                            char buffer[4096];
                            if (socket.receiveBytes(buffer, sizeof buffer) <= 0) break;
                            socket.poll(Poco::Timespan(0, 500000), Poco::Net::Socket::SELECT_ERROR);
                        }
                    } else {  // a head, or a body, a byte at a time
                        put(socket, i % 3 == 1 ? kSlowHead
                                               : "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                 "Content-Length: 1048576\r\n\r\n");
                        while (!stop && socket.sendBytes("a", 1) > 0) {
                            if (socket.poll(Poco::Timespan(0, 300000), Poco::Net::Socket::SELECT_READ)) break;
                        }
                    }
                } catch (const Poco::Exception&) {
                }
                // Refused or let go: the attacker comes back, a little later (its pace, not a wait
                // of the test's).
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    // Asked again and again for 4 s (at least 20 times), while the hostile ones are at it.
    const auto until = Clock::now() + std::chrono::seconds(4);
    for (int i = 0; i < 20 || Clock::now() < until; ++i) {
        const auto asked = Clock::now();
        EXPECT_EQ(health_from("127.0.0.2"), 200);
        EXPECT_LT(Clock::now() - asked, std::chrono::seconds(2)) << "health answered late, request " << i;
        if (HasFailure()) break;  // once is enough: the run stays short
    }
    stop = true;
    for (auto& thread : hostile) thread.join();
}

// A declared megabyte trickled a byte at a time is let go by its rate, in seconds, not after
// the length's worth of a slow link (8 such POST /login were held 82 s each).
TEST_F(HostileConnections, ATrickledBodyIsLetGoByItsRate) {
    start();
    auto socket = connect();
    put(socket, "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n");
    const auto start = Clock::now();
    bool closed = false;
    while (!closed && Clock::now() - start < std::chrono::seconds(8)) {
        try {
            if (socket.sendBytes("a", 1) <= 0) break;
            if (socket.poll(Poco::Timespan(0, 300000), Poco::Net::Socket::SELECT_READ)) {
                char c;
                closed = socket.receiveBytes(&c, 1) <= 0;
            }
        } catch (const Poco::Exception&) {
            closed = true;
        }
    }
    EXPECT_TRUE(closed) << "the trickled body was still read after 8 s";
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(6));
}

// A body the server did not read (it answered 404, 401, 405 first) is never parsed as the next
// request: here it is itself a valid request, and only the two real ones are answered.
TEST_F(HostileConnections, AnUnreadBodyIsNotTheNextRequest) {
    start();
    const std::string smuggled = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
    for (const std::string& head : {std::string("POST /api/v1/nowhere"), std::string("POST /api/v1/cases"),
                                    std::string("DELETE /api/v1/health")}) {
        auto socket = connect();
        put(socket, head + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled +
                        "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const std::string answers = read_all(socket);
        EXPECT_EQ(answers_in(answers), 2) << head << "\n" << answers;
    }
    // More than 64 KiB left unread: the connection is closed after the answer.
    auto socket = connect();
    put(socket, "POST /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n" +
                    std::string(100000, ' ') + smuggled);
    const std::string answers = read_all(socket);
    EXPECT_EQ(answers_in(answers), 1) << answers.substr(0, 400);
    EXPECT_EQ(answers.rfind("HTTP/1.1 404", 0), 0u) << answers.substr(0, 400);
}

// Transfer-Encoding with Content-Length (or a Transfer-Encoding other than chunked): 400, and
// the connection closed — nothing after it is read as a request.
TEST_F(HostileConnections, TransferEncodingWithContentLengthIsRefused) {
    start();
    for (const std::string& framing : {std::string("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
                                       std::string("Transfer-Encoding: chunked, identity\r\n"),
                                       std::string("Content-Length: 5\r\nContent-Length: 50\r\n")}) {
        auto socket = connect();
        put(socket, "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + framing +
                        "\r\n0\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string answers = read_all(socket);
        EXPECT_EQ(answers.rfind("HTTP/1.1 400", 0), 0u) << framing << answers;
        EXPECT_EQ(answers_in(answers), 1) << framing << answers;
    }
    EXPECT_EQ(health_from("127.0.0.1"), 200);
}

// Every answer says its policy: no inline script, no framing by others, no referrer; HSTS
// only under TLS.
TEST_F(HostileConnections, SecurityHeadersAndHstsOnlyUnderTls) {
    start();
    const auto headers_of = [](const Poco::Net::HTTPResponse& response) {
        EXPECT_NE(response.get("Content-Security-Policy", "").find("script-src 'self'"), std::string::npos);
        EXPECT_NE(response.get("Content-Security-Policy", "").find("frame-ancestors 'none'"), std::string::npos);
        EXPECT_EQ(response.get("X-Frame-Options", ""), "DENY");
        EXPECT_EQ(response.get("Referrer-Policy", ""), "no-referrer");
    };
    for (const std::string& uri : {std::string("/api/v1/health"), std::string("/api/v1/nowhere")}) {
        Poco::Net::HTTPClientSession session("127.0.0.1", port());
        Poco::Net::HTTPRequest request("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response);
        headers_of(response);
        EXPECT_FALSE(response.has("Strict-Transport-Security")) << uri;
    }
    const auto made = comptoir::test::run_process(
        "/usr/bin/openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                             dir_.file("tls.key"), "-out", dir_.file("tls.crt"), "-days", "1", "-subj", "/CN=localhost"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    server_.reset();
    server_ = std::make_unique<comptoir::test::Server>(config_, dir_.file("tls.crt"), dir_.file("tls.key"));
    Poco::Net::Context::Ptr client = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", dir_.file("tls.crt"),
                                                            Poco::Net::Context::VERIFY_RELAXED);
    Poco::Net::HTTPSClientSession session("localhost", port(), client);
    Poco::Net::HTTPRequest request("GET", "/api/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    headers_of(response);
    EXPECT_EQ(response.get("Strict-Transport-Security", ""), "max-age=31536000");
}

// A case's event stream ends when its session signs out (it kept delivering).
TEST_F(HostileConnections, AnEventStreamEndsWhenItsSessionSignsOut) {
    start();
    comptoir::test::sign_in(port(), server_->desk());
    const int64_t id = comptoir::test::new_case(port());
    Poco::Net::HTTPClientSession stream("127.0.0.1", port());
    stream.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request("GET", "/api/v1/cases/" + std::to_string(id) + "/events", Poco::Net::HTTPMessage::HTTP_1_1);
    comptoir::test::authenticate(request);
    stream.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = stream.receiveResponse(response);
    ASSERT_EQ(response.getStatus(), 200);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(line, "event: state");
    EXPECT_EQ(send(port(), "POST", "/api/v1/logout").status, 200);
    const auto signed_out = Clock::now();
    // Read to its end: the server's, or the client's receive timeout (10 s) if it goes on.
    while (std::getline(in, line)) {
    }
    EXPECT_LT(Clock::now() - signed_out, std::chrono::seconds(5)) << "the stream went on after its session signed out";
}
