// Hostile clients (issue 15): slow clients, thousands of idle connections, oversized and
// endless bodies, malformed multipart, wrong content types, header floods, path traversal in
// every path parameter. Each time the server answers with its status, stays up, and goes on
// answering the others. Raw sockets where an HTTP client library would refuse to misbehave.
#include "desk_server.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using comptoir::test::Reply;
using comptoir::test::send;
using comptoir::test::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

class HostileHttp : public ::testing::Test {
protected:
    void SetUp() override {
        // Four threads, two seconds for a request's head: what the attacks below must not exhaust.
        // Every client here is 127.0.0.1, the normal one too: no cap per address (tested on its
        // own in hostile_connections_test.cpp, with the other client at another address).
        config_ = dir_.write("comptoir.properties",
                             "data.dir = data\nserver.threads = 4\nserver.request_timeout_s = 2\n"
                             "server.max_connections_per_address = 0\nlimits.upload_bytes = 1048576\n");
        server_ = std::make_unique<comptoir::test::Server>(config_);
        comptoir::test::sign_in(port(), server_->desk(), "direction", "admin");
    }
    uint16_t port() const { return server_->port(); }

    Poco::Net::StreamSocket connect() {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port()));
        socket.setReceiveTimeout(Poco::Timespan(20, 0));
        return socket;
    }
    // Sends `raw` as is and reads the answer until the server closes or `limit` bytes.
    std::string exchange(const std::string& raw, size_t limit = 1 << 20) {
        auto socket = connect();
        try {
            socket.sendBytes(raw.data(), static_cast<int>(raw.size()));
        } catch (const Poco::Exception&) {
            // the server may close before reading everything: its answer is what counts
        }
        return read_answer(socket, limit);
    }
    static std::string read_answer(Poco::Net::StreamSocket& socket, size_t limit = 1 << 20) {
        std::string answer;
        char buffer[4096];
        try {
            while (answer.size() < limit) {
                const int n = socket.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) break;
                answer.append(buffer, static_cast<size_t>(n));
                if (answer.find("\r\n\r\n") != std::string::npos && answer.find("Connection: Keep-Alive") != std::string::npos &&
                    answer.find("Content-Length") != std::string::npos) {
                    const size_t head = answer.find("\r\n\r\n") + 4;
                    const size_t at = answer.find("Content-Length: ") + 16;
                    if (answer.size() >= head + std::stoul(answer.substr(at))) break;
                }
            }
        } catch (const Poco::Exception&) {
        }
        return answer;
    }
    static int status_of(const std::string& answer) {
        if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
        return std::stoi(answer.substr(9, 3));
    }
    void still_answers() {
        const Reply health = send(port(), "GET", "/api/v1/health");
        EXPECT_EQ(health.status, 200) << "the server no longer answers";
    }
    std::string cookie_header() const {
        return "Cookie: comptoir_session=" + comptoir::test::credentials.cookie +
               "\r\nX-CSRF-Token: " + comptoir::test::credentials.csrf + "\r\n";
    }

    TempDir dir_;
    std::string config_;
    std::unique_ptr<comptoir::test::Server> server_;
};

}  // namespace

// Slowloris: more clients than threads send their request's head a byte at a time. Each is
// let go once its time is up, and a normal request is answered meanwhile.
TEST_F(HostileHttp, SlowClientsAreLetGoAndTheOthersServed) {
    constexpr int kSlow = 10;
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;           // clients trickling (or already let go)
    int closed_by_server = 0;  // clients the server let go
    const auto count = [&](int& counter) {
        {
            const std::lock_guard lock(mutex);
            ++counter;
        }
        changed.notify_all();
    };
    std::vector<std::thread> slow;
    for (int i = 0; i < kSlow; ++i) {
        slow.emplace_back([&] {
            auto socket = connect();
            const std::string head = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Lent: ";
            socket.sendBytes(head.data(), static_cast<int>(head.size()));
            const auto until = Clock::now() + std::chrono::seconds(8);
            bool counted = false;
            const auto let_go = [&] {
                if (!counted) count(started);
                count(closed_by_server);
            };
            while (Clock::now() < until) {
                try {
                    if (socket.sendBytes("a", 1) <= 0) break;
                    if (!counted) {
                        count(started);
                        counted = true;
                    }
                    // A closed connection shows as a readable socket with nothing to read.
                    if (socket.poll(Poco::Timespan(0, 400000), Poco::Net::Socket::SELECT_READ)) {
                        char c;
                        if (socket.receiveBytes(&c, 1) <= 0) {
                            let_go();
                            return;
                        }
                    }
                } catch (const Poco::Exception&) {
                    let_go();  // reset by the server
                    return;
                }
            }
            if (!counted) count(started);
        });
    }
    // The normal request goes once every slow client is at it, and must be answered while some
    // still are (their head's deadline is 2 s).
    int still_trickling = 0;
    {
        std::unique_lock lock(mutex);
        EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return started == kSlow; }))
            << "only " << started << " slow clients started";
    }
    still_answers();
    {
        const std::lock_guard lock(mutex);
        still_trickling = kSlow - closed_by_server;
    }
    for (auto& thread : slow) thread.join();
    EXPECT_GT(still_trickling, 0) << "the normal request was answered only once every slow client had been let go";
    EXPECT_EQ(closed_by_server, kSlow) << "every slow client let go before its 8 s of trickling were over";
    still_answers();
}

// A body sent a byte at a time: the request is let go once its body comes too slowly (under
// server.min_body_rate over request_timeout_s), and the others are served meanwhile.
TEST_F(HostileHttp, ABodyTrickledAByteAtATimeIsLetGo) {
    const int64_t id = comptoir::test::new_case(port());
    auto socket = connect();
    const std::string head = "PUT /api/v1/cases/" + std::to_string(id) + "/documents/1/fields/montant_ttc HTTP/1.1\r\nHost: x\r\n" +
                             cookie_header() + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    const auto start = Clock::now();
    bool closed = false;
    bool others_served = false;  // a normal request answered while the body trickles
    while (!closed && Clock::now() - start < std::chrono::seconds(20)) {
        try {
            if (socket.sendBytes(" ", 1) <= 0) break;
            if (socket.poll(Poco::Timespan(0, 400000), Poco::Net::Socket::SELECT_READ)) {
                char c;
                closed = socket.receiveBytes(&c, 1) <= 0;
            }
        } catch (const Poco::Exception&) {
            closed = true;
        }
        if (!closed && !others_served && Clock::now() - start > std::chrono::seconds(1)) {
            still_answers();
            others_served = true;
        }
    }
    EXPECT_TRUE(closed) << "the trickled body was still being read after 20 s";
    EXPECT_TRUE(others_served) << "the trickled body was let go within its first second, before its deadline";
    still_answers();
}

// A legitimate body, sent at once, is not cut by that deadline.
TEST_F(HostileHttp, ABodySentAtOnceIsAnswered) {
    const int64_t id = comptoir::test::new_case(port());
    const Reply reply = send(port(), "PUT", "/api/v1/cases/" + std::to_string(id) + "/documents/1/fields/montant_ttc",
                             "{\"value\": \"12\"}");
    EXPECT_EQ(reply.status, 404) << reply.body;  // no such document: answered, not cut
}

// Thousands of connections opened and left silent: the server never gives them a thread, and
// goes on answering.
TEST_F(HostileHttp, ThousandsOfIdleConnectionsDoNotStopTheServer) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    const size_t wanted = std::min<size_t>(2000, static_cast<size_t>(limit.rlim_cur / 3));
    std::vector<Poco::Net::StreamSocket> idle;
    for (size_t i = 0; i < wanted; ++i) idle.push_back(connect());
    // Some say a little and then nothing.
    for (size_t i = 0; i < 20; ++i) idle[i].sendBytes("GET /", 5);
    still_answers();
    // The ones that had started a request are let go once their head's 2 s are up, counted from
    // when one of the 4 threads takes them: 20 take some 10 s. Waited for one by one, each within
    // what is left of a common deadline.
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    int closed = 0;
    for (size_t i = 0; i < 20; ++i) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
        char c;
        try {
            if (idle[i].poll(Poco::Timespan(std::max<int64_t>(left, 0)), Poco::Net::Socket::SELECT_READ) &&
                idle[i].receiveBytes(&c, 1) <= 0) {
                ++closed;
            }
        } catch (const Poco::Exception&) {
            ++closed;
        }
    }
    EXPECT_EQ(closed, 20);
    // Past that deadline, the silent thousands still open, the server answers.
    still_answers();
    const Reply cases = send(port(), "GET", "/api/v1/cases");
    EXPECT_EQ(cases.status, 200);
    for (auto& socket : idle) socket.close();
    still_answers();
}

// Bodies past their limit, with or without a length: 413, read no further.
TEST_F(HostileHttp, OversizedAndEndlessBodiesAre413) {
    const int64_t id = comptoir::test::new_case(port());
    const std::string cases = "/api/v1/cases/" + std::to_string(id);
    // A declared length past the upload limit: refused before the body is read.
    std::string answer = exchange("POST " + cases + "/uploads HTTP/1.1\r\nHost: x\r\n" + cookie_header() +
                                  "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n\r\n--b\r\n");
    EXPECT_EQ(status_of(answer), 413) << answer.substr(0, 300);
    // A JSON body sent in chunks without end: cut at 1 MiB.
    {
        auto socket = connect();
        const std::string head = "PUT " + cases + "/documents/1/fields/montant_ttc HTTP/1.1\r\nHost: x\r\n" + cookie_header() +
                                 "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        socket.sendBytes(head.data(), static_cast<int>(head.size()));
        const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
        int sent = 0;
        try {
            for (; sent < 64; ++sent) socket.sendBytes(chunk.data(), static_cast<int>(chunk.size()));  // 4 MiB
        } catch (const Poco::Exception&) {
        }
        EXPECT_EQ(status_of(read_answer(socket)), 413);
    }
    // An upload without a length, past the limit.
    {
        auto socket = connect();
        const std::string head = "POST " + cases + "/uploads HTTP/1.1\r\nHost: x\r\n" + cookie_header() +
                                 "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n";
        socket.sendBytes(head.data(), static_cast<int>(head.size()));
        const std::string part = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n";
        std::string first = part + std::string(0x8000 - part.size(), 'x');
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", first.size());
        first = size + first + "\r\n";
        socket.sendBytes(first.data(), static_cast<int>(first.size()));
        const std::string chunk = "8000\r\n" + std::string(0x8000, 'x') + "\r\n";
        try {
            for (int i = 0; i < 64; ++i) socket.sendBytes(chunk.data(), static_cast<int>(chunk.size()));  // 2 MiB
        } catch (const Poco::Exception&) {
        }
        EXPECT_EQ(status_of(read_answer(socket)), 413);
    }
    still_answers();
}

// Malformed multipart and wrong content types: 400 and 415 with a French message, never a 500.
TEST_F(HostileHttp, MalformedMultipartAndWrongContentTypes) {
    const int64_t id = comptoir::test::new_case(port());
    const std::string uploads = "/api/v1/cases/" + std::to_string(id) + "/uploads";
    const auto post = [&](const std::string& type, const std::string& body) {
        return exchange("POST " + uploads + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + cookie_header() +
                        "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    };
    // No boundary; a boundary the body never uses; a part cut short; no "file" part; an empty body.
    for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
             {"multipart/form-data", "--b\r\n\r\nx\r\n--b--\r\n"},
             {"multipart/form-data; boundary=zzz", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n"},
             {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc"},
             {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"autre\"\r\n\r\nx\r\n--b--\r\n"},
             {"multipart/form-data; boundary=b", ""},
             {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n" +
                                                     std::string(20000, 'H') + "\r\n\r\nx\r\n--b--\r\n"}}) {
        const std::string answer = post(type, body);
        EXPECT_EQ(status_of(answer), 400) << type << " | " << body.substr(0, 80) << "\n" << answer.substr(0, 400);
        EXPECT_NE(answer.find("\"message\""), std::string::npos);
    }
    // Not multipart at all; JSON routes sent something else.
    EXPECT_EQ(status_of(post("application/json", "{}")), 415);
    EXPECT_EQ(status_of(post("text/plain", "bonjour")), 415);
    const std::string field = "/api/v1/cases/" + std::to_string(id) + "/documents/1/fields/montant_ttc";
    const std::string answer = exchange("PUT " + field + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + cookie_header() +
                                        "Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc");
    EXPECT_EQ(status_of(answer), 415) << answer.substr(0, 300);
    for (const std::string& body : std::vector<std::string>{"", "[1,2]", "\"texte\"", "{\"value\": ", std::string(100000, '['), "{\"value\": 12}"}) {
        const Reply reply = send(port(), "PUT", field, body, "application/json");
        EXPECT_GE(reply.status, 400) << body.substr(0, 40);
        EXPECT_LT(reply.status, 500) << body.substr(0, 40) << " " << reply.body.substr(0, 200);
    }
    still_answers();
}

// Header floods: too many headers, one endless header, an endless request line. 400 (or the
// connection closed), and the server goes on.
TEST_F(HostileHttp, HeaderFloodsAreRefused) {
    std::string many = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 5000; ++i) many += "X-En-Tete-" + std::to_string(i) + ": valeur\r\n";
    const std::string answer = exchange(many + "\r\n");
    EXPECT_TRUE(status_of(answer) == 400 || answer.empty()) << answer.substr(0, 200);
    const std::string long_header = exchange("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(1 << 20, 'a') + "\r\n\r\n");
    EXPECT_TRUE(status_of(long_header) == 400 || long_header.empty()) << long_header.substr(0, 200);
    const std::string long_uri = exchange("GET /" + std::string(1 << 20, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(status_of(long_uri) == 400 || status_of(long_uri) == 414 || long_uri.empty()) << long_uri.substr(0, 200);
    const std::string garbage = exchange(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(500, '\0'));
    EXPECT_TRUE(status_of(garbage) == 400 || garbage.empty()) << garbage.substr(0, 200);
    still_answers();
}

// Every path parameter of every route, given what climbs out of a folder or is no number:
// never a 500, never a file from outside web/, and the data folder untouched.
TEST_F(HostileHttp, PathTraversalInEveryParameterFindsNothing) {
    const int64_t id = comptoir::test::new_case(port());
    const std::vector<std::string> hostile = {"..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%2F", "..\\..\\windows",
                                              "1%00", "-1", "99999999999999999999", "1.5", "%252e%252e", "1;DROP TABLE cases"};
    // The route table as the server has it (listed only: the handlers are not called here).
    const comptoir::Config config = comptoir::Config::load(config_);
    const comptoir::PluginRegistry plugins;
    const comptoir::ApiContext context{comptoir::api_options(config), plugins, &server_->desk()};
    int sent = 0;
    for (const auto& route : comptoir::make_api_router(context)->routes()) {
        if (route.pattern.find('{') == std::string::npos) continue;
        for (const auto& value : hostile) {
            std::string uri = route.pattern;
            // The case's number stays a real one when the route has another parameter to attack
            // (so that the request reaches it); alone, it is the one attacked.
            const bool other = route.pattern.find('{', route.pattern.find('}')) != std::string::npos;
            for (size_t at = uri.find('{'); at != std::string::npos; at = uri.find('{')) {
                const std::string name = uri.substr(at + 1, uri.find('}', at) - at - 1);
                uri.replace(at, name.size() + 2, name == "case" && other ? std::to_string(id) : value);
            }
            if (uri == route.pattern) continue;
            const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
            const Reply reply = send(port(), route.method, uri, body);
            ++sent;
            EXPECT_LT(reply.status, 500) << route.method << " " << uri << " → " << reply.status << " " << reply.body.substr(0, 200);
            EXPECT_EQ(reply.body.find("root:"), std::string::npos) << uri;
            // Only the lists of cases and of stations may answer (an empty segment, "%2F", leaves
            // the list's path).
            if (reply.status < 300) {
                EXPECT_TRUE(route.method + uri == "GET/api/v1/cases/%2F" || route.method + uri == "GET/api/v1/stations/%2F")
                    << route.method << " " << uri << " → " << reply.status;
            }
        }
    }
    EXPECT_GT(sent, 100);
    // The static pages: nothing outside web/.
    for (const std::string& path : std::vector<std::string>{"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
                                   "/admin.html/../../../etc/passwd", "/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/%00"}) {
        const std::string answer = exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_TRUE(status_of(answer) == 404 || status_of(answer) == 400) << path << " → " << answer.substr(0, 200);
        EXPECT_EQ(answer.find("root:"), std::string::npos) << path;
    }
    EXPECT_EQ(send(port(), "GET", "/api/v1/cases/" + std::to_string(id)).status, 200) << "the case is still there";
    still_answers();
}
