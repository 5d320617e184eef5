// A desk served for real for the API's tests, and the client helpers they share: sign in, send
// a request, upload a file, follow a case's events until a document is read.
#pragma once

#include "comptoir/app/options.hpp"
#include "comptoir/web/api.hpp"
#include "comptoir/app/config.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/web/http_server.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/scanners.hpp"

#include "test_support.hpp"

#include <chrono>
#include <memory>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace comptoir::test {

inline const std::string kBill = COMPTOIR_DEMO_BILL;  // build/demo/edf-facture.pgm
inline const std::string kBillPng = std::string(COMPTOIR_SOURCE_DIR) + "/demo/edf-facture-demo.png";

// The session the helpers send: the cookie, and the CSRF token for state-changing requests.
struct Credentials {
    std::string cookie;
    std::string csrf;
};
inline Credentials credentials;

inline void authenticate(Poco::Net::HTTPRequest& request) {
    if (!credentials.cookie.empty()) {
        Poco::Net::NameValueCollection cookies;
        cookies.add("comptoir_session", credentials.cookie);
        request.setCookies(cookies);
    }
    if (request.getMethod() != "GET" && !credentials.csrf.empty()) request.set("X-CSRF-Token", credentials.csrf);
}

struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
    Poco::Net::NameValueCollection headers;  // the answer's (send() fills them)
    Poco::JSON::Object::Ptr json() const { return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>(); }
    std::string error() const {
        try {
            return json()->getObject("error")->getValue<std::string>("code");
        } catch (const std::exception&) {
            return "(pas une erreur JSON) " + body.substr(0, 200);
        }
    }
};

// A desk served for real: what `comptoir serve` builds, in-process, so that a test can stop it
// and start it again on the same data.
class Server {
public:
    explicit Server(const std::string& config_path, const std::string& tls_certificate = "", const std::string& tls_key = "")
        : config_(comptoir::Config::load(config_path)),
          sane_(std::string(COMPTOIR_SOURCE_DIR) + "/demo/sane"),
          stations_(sane_, config_.stations(), 20000) {
        registry_.load_directory(COMPTOIR_BUILD_PLUGINS_DIR);
        desk_ = std::make_unique<comptoir::Desk>(comptoir::desk_options(config_), registry_, &stations_);
        context_ = std::make_unique<comptoir::ApiContext>(comptoir::ApiContext{comptoir::api_options(config_), registry_, desk_.get()});
        comptoir::ServerOptions options = comptoir::server_options(config_);
        options.port = 0;
        options.web_dir.clear();  // the API alone
        options.tls_certificate = tls_certificate;
        options.tls_key = tls_key;
        server_ = std::make_unique<comptoir::HttpServer>(comptoir::make_api_router(*context_), options);
        server_->start();
    }
    ~Server() {
        desk_->events().shutdown();
        server_->stop();
        server_.reset();
        desk_.reset();
    }
    uint16_t port() const { return server_->port(); }
    comptoir::Desk& desk() { return *desk_; }

private:
    comptoir::Config config_;
    comptoir::PluginRegistry registry_;
    comptoir::scanners::Sane sane_;
    comptoir::scanners::Stations stations_;
    std::unique_ptr<comptoir::Desk> desk_;
    std::unique_ptr<comptoir::ApiContext> context_;
    std::unique_ptr<comptoir::HttpServer> server_;
};

inline Reply send(uint16_t port, const std::string& method, const std::string& uri, const std::string& body = "",
           const std::string& content_type = "application/json") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    authenticate(request);
    if (!body.empty() || method == "POST" || method == "PUT") {
        request.setContentType(content_type);
        request.setContentLength64(static_cast<Poco::UInt64>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    reply.content_type = response.getContentType();
    for (const auto& [name, value] : response) reply.headers.add(name, value);
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

inline Reply upload(uint16_t port, int64_t case_id, const std::string& filename, const std::string& content) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest request("POST", "/api/v1/cases/" + std::to_string(case_id) + "/uploads",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    authenticate(request);
    Poco::Net::HTMLForm form;
    form.setEncoding(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    form.addPart("file", new Poco::Net::StringPartSource(content, "application/octet-stream", filename));
    form.prepareSubmit(request);
    form.write(session.sendRequest(request));
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

// POST /api/v1/login on `session` (plain or TLS); the answer's body in `reply`.
inline Poco::Net::HTTPResponse post_login(Poco::Net::HTTPClientSession& session, const std::string& login,
                                   const std::string& password, std::string& reply) {
    Poco::Net::HTTPRequest request("POST", "/api/v1/login", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = "{\"login\": \"" + login + "\", \"password\": \"" + password + "\"}";
    request.setContentType("application/json");
    request.setContentLength64(body.size());
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), reply);
    return response;
}

// The tests' accounts' password: long enough, no login in it, in no dictionary.
inline const std::string kTestPassword = "cle-du-guichet-2026";

// Signs in (the account is made when missing) and keeps the session for the helpers.
inline void sign_in(uint16_t port, comptoir::Desk& desk, const std::string& login = "mediatrice", const std::string& role = "mediator") {
    if (!desk.accounts().find(login)) desk.accounts().create(login, role, kTestPassword);
    credentials = {};
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    std::string reply;
    const Poco::Net::HTTPResponse response = post_login(session, login, kTestPassword, reply);
    ASSERT_EQ(response.getStatus(), 200) << reply;
    std::vector<Poco::Net::HTTPCookie> cookies;
    response.getCookies(cookies);
    for (const auto& cookie : cookies) {
        if (cookie.getName() == "comptoir_session") credentials.cookie = cookie.getValue();
    }
    credentials.csrf = Poco::JSON::Parser().parse(reply).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("csrf");
}

inline int64_t new_case(uint16_t port) {
    const Reply reply = send(port, "POST", "/api/v1/cases");
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.json()->getValue<int64_t>("id");
}

// Reads the case's event stream until `document` is done or failed; returns its final state and
// the stages its progress went through. The stream, not sleeps, is what waits.
struct Followed {
    std::string state;
    std::vector<std::string> stages;
    int last_percent = -1;
    std::vector<int> ocr_percents;  // each "ocr" step's percent, in order
    bool time_left = false;         // a step said the time left
};
inline Followed follow(uint16_t port, int64_t case_id, int64_t document) {
    // The server frees a stream's place once it notices its page gone (within a second, later on
    // a loaded machine): a stream refused as one too many is asked again until that happens.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    Poco::Net::HTTPResponse response;
    std::istream* stream = nullptr;
    for (int attempt = 0;; ++attempt) {
        session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port);
        session->setTimeout(Poco::Timespan(120, 0));
        Poco::Net::HTTPRequest request("GET", "/api/v1/cases/" + std::to_string(case_id) + "/events",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        authenticate(request);
        session->sendRequest(request);
        response = Poco::Net::HTTPResponse();
        stream = &session->receiveResponse(response);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE || std::chrono::steady_clock::now() > deadline) break;
        std::string refused;
        Poco::StreamCopier::copyToString(*stream, refused);
        if (refused.find("too_many_streams") == std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1000, 100 * (attempt + 1))));
    }
    std::istream& in = *stream;
    Followed followed;
    if (response.getContentType().rfind("text/event-stream", 0) != 0) {
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        ADD_FAILURE() << "no event stream: " << response.getStatus() << " " << body;
        return followed;
    }
    std::string line, event;
    while (std::getline(in, line)) {
        if (line.rfind("event: ", 0) == 0) event = line.substr(7);
        if (line.rfind("data: ", 0) != 0) continue;
        const auto data = Poco::JSON::Parser().parse(line.substr(6));
        if (event == "state") {  // what each document is doing as the stream opens
            const auto documents = data.extract<Poco::JSON::Array::Ptr>();
            for (size_t i = 0; i < documents->size(); ++i) {
                const auto d = documents->getObject(static_cast<unsigned>(i));
                const auto state = d->getValue<std::string>("state");
                if (d->getValue<int64_t>("id") == document && (state == "done" || state == "failed")) {
                    followed.state = state;
                    return followed;
                }
            }
            continue;
        }
        const auto object = data.extract<Poco::JSON::Object::Ptr>();
        if (object->optValue<int64_t>("document", 0) != document) continue;
        if (event == "progress") {
            const auto stage = object->getValue<std::string>("stage");
            if (followed.stages.empty() || followed.stages.back() != stage) followed.stages.push_back(stage);
            EXPECT_GE(object->getValue<int>("percent"), followed.last_percent) << "progress goes forward";
            followed.last_percent = object->getValue<int>("percent");
            if (stage == "ocr") followed.ocr_percents.push_back(followed.last_percent);
            if (object->has("seconds_left")) followed.time_left = true;
        }
        if (event == "document") {
            followed.state = object->getValue<std::string>("state");
            return followed;
        }
    }
    return followed;
}

// Asks for a document (its URI under /api/v1) until its reading ends — done or failed — or
// 90 s pass; the document as it then stands. For a reading asked again: the case's event
// stream first replays the earlier reading's end, which follow() would take for this one.
inline Poco::JSON::Object::Ptr read_to_the_end(uint16_t port, const std::string& document_uri) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    for (;;) {
        auto now = send(port, "GET", document_uri).json();
        const std::string state = now->getValue<std::string>("state");
        if (state == "done" || state == "failed" || std::chrono::steady_clock::now() > deadline) return now;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// A test with a desk served for it: start() writes its configuration, starts the server and
// signs in a mediator; TearDown stops it.
class DeskServerTest : public ::testing::Test {
protected:
    void start(const std::string& config_text) {
        config_ = dir_.write("comptoir.properties", config_text);
        server_ = std::make_unique<Server>(config_);
        sign_in(port(), server_->desk());
    }
    void TearDown() override {
        server_.reset();
        credentials = {};
    }
    uint16_t port() const { return server_->port(); }
    static std::string case_uri(int64_t id) { return "/api/v1/cases/" + std::to_string(id); }
    static std::string document_uri(int64_t id, int64_t document) {
        return case_uri(id) + "/documents/" + std::to_string(document);
    }

    TempDir dir_;
    std::string config_;
    std::unique_ptr<Server> server_;
};

}  // namespace comptoir::test
