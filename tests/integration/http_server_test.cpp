// The real HTTP server on a free port, spoken to over a socket.
#include "comptoir/app/options.hpp"
#include "comptoir/web/api.hpp"
#include "comptoir/app/config.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/web/http_server.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include "test_support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <stdexcept>

using comptoir::test::TempDir;

namespace {

struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
    Poco::JSON::Object::Ptr json() const {
        return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    }
};

Reply request(uint16_t port, const std::string& method, const std::string& uri) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest http_request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(http_request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    reply.content_type = response.getContentType();
    Poco::StreamCopier::copyToString(body, reply.body);
    return reply;
}

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        comptoir::test::copy_file(std::string(COMPTOIR_BUILD_PLUGINS_DIR) + "/libre.so", plugins_.file("libre.so"));
        comptoir::test::copy_file(std::string(COMPTOIR_TEST_PLUGINS_DIR) + "/abi_major.so", plugins_.file("abi_major.so"));
        registry_.load_directory(plugins_.path());
        web_.write("index.html", "<!doctype html><title>Comptoir</title><p>Bonjour</p>");
        web_.write("app.js", "console.log('ok');");

        auto router = comptoir::make_api_router(context_);
        router->add("GET", "/api/v1/boom", [](comptoir::Request&, Poco::Net::HTTPServerResponse&) {
            throw std::runtime_error("secret interne : /var/lib/comptoir/base.sqlite");
        });
        router->add("GET", "/api/v1/cases/{id}", [](comptoir::Request& request, Poco::Net::HTTPServerResponse&) {
            throw comptoir::NotFoundError("case_not_found", "Le dossier " + request.params.at("id") + " n'existe pas.");
        });
        comptoir::ServerOptions options;
        options.port = 0;
        options.threads = 2;
        options.web_dir = web_.path();
        server_ = std::make_unique<comptoir::HttpServer>(router, options);
        server_->start();
    }

    TempDir plugins_;
    TempDir web_;
    comptoir::Config config_;
    comptoir::PluginRegistry registry_;
    comptoir::ApiContext context_{comptoir::api_options(config_), registry_};
    std::unique_ptr<comptoir::HttpServer> server_;
};

}  // namespace

TEST_F(HttpServerTest, HealthSaysWhatIsLoadedAndWhatWasRejected) {
    ASSERT_NE(server_->port(), 0);
    const Reply reply = request(server_->port(), "GET", "/api/v1/health");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "application/json; charset=utf-8");
    const auto json = reply.json();
    EXPECT_EQ(json->getValue<std::string>("status"), "ok");
    EXPECT_FALSE(json->getValue<std::string>("version").empty());
    EXPECT_GE(json->getValue<int>("uptime_s"), 0);
    const auto plugins = json->getObject("plugins");
    ASSERT_EQ(plugins->getArray("loaded")->size(), 1u);
    EXPECT_EQ(plugins->getArray("loaded")->getElement<std::string>(0), "libre");
    const auto rejected = plugins->getArray("rejected");
    ASSERT_EQ(rejected->size(), 1u);
    EXPECT_EQ(rejected->getObject(0)->getValue<std::string>("file"), "abi_major.so");
    EXPECT_NE(rejected->getObject(0)->getValue<std::string>("reason").find("incompatible"), std::string::npos);
}

TEST_F(HttpServerTest, HealthCountsEachPluginsCrashesAndSaysWhichIsSetAside) {
    ASSERT_TRUE(registry_.load_file(std::string(COMPTOIR_TEST_PLUGINS_DIR) + "/hostile_segv.so"));
    const auto panic = comptoir::Document::from_json(R"({"pages": [{"width": 1000, "height": 1400, "dpi": 300,
        "words": [{"text": "PANIQUE", "confidence": 0.9, "box": [10, 10, 100, 30], "block": 1, "line": 1}]}]})");
    registry_.recognise(panic, 0.5);
    auto health = request(server_->port(), "GET", "/api/v1/health").json()->getObject("plugins")->getArray("health");
    ASSERT_EQ(health->size(), 2u);
    EXPECT_EQ(health->getObject(0)->getValue<std::string>("id"), "libre");
    EXPECT_EQ(health->getObject(0)->getValue<int>("crashes"), 0);
    EXPECT_EQ(health->getObject(1)->getValue<std::string>("id"), "hostile_segv");
    EXPECT_EQ(health->getObject(1)->getValue<int>("crashes"), 1);
    EXPECT_FALSE(health->getObject(1)->getValue<bool>("set_aside"));
    registry_.recognise(panic, 0.5);
    registry_.recognise(panic, 0.5);
    health = request(server_->port(), "GET", "/api/v1/health").json()->getObject("plugins")->getArray("health");
    EXPECT_EQ(health->getObject(1)->getValue<int>("crashes"), 3);
    EXPECT_TRUE(health->getObject(1)->getValue<bool>("set_aside"));
    EXPECT_FALSE(health->getObject(0)->getValue<bool>("set_aside"));
    // The plugins' list (the administrator's page) says it too, with the last crash.
    const auto loaded = request(server_->port(), "GET", "/api/v1/plugins").json()->getArray("loaded");
    ASSERT_EQ(loaded->size(), 2u);
    EXPECT_TRUE(loaded->getObject(1)->getValue<bool>("set_aside"));
    EXPECT_NE(loaded->getObject(1)->getValue<std::string>("last_failure").find("(signal 11)"), std::string::npos);
}

TEST_F(HttpServerTest, UnknownApiRouteIsA404JsonError) {
    const Reply reply = request(server_->port(), "GET", "/api/v1/nimporte-quoi");
    EXPECT_EQ(reply.status, 404);
    const auto error = reply.json()->getObject("error");
    EXPECT_EQ(error->getValue<std::string>("code"), "not_found");
    EXPECT_FALSE(error->getValue<std::string>("message").empty());
}

TEST_F(HttpServerTest, HandlerExceptionIsA500WithoutInternals) {
    const Reply reply = request(server_->port(), "GET", "/api/v1/boom");
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.body.find("secret"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find("sqlite"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.json()->getObject("error")->getValue<std::string>("code"), "internal_error");
    // The server is still there.
    EXPECT_EQ(request(server_->port(), "GET", "/api/v1/health").status, 200);
}

TEST_F(HttpServerTest, CoreErrorsMapToTheirStatus) {
    const Reply reply = request(server_->port(), "GET", "/api/v1/cases/c-17");
    EXPECT_EQ(reply.status, 404);
    const auto error = reply.json()->getObject("error");
    EXPECT_EQ(error->getValue<std::string>("code"), "case_not_found");
    EXPECT_EQ(error->getValue<std::string>("message"), "Le dossier c-17 n'existe pas.");
}

TEST_F(HttpServerTest, WrongMethodIsA405) {
    const Reply reply = request(server_->port(), "DELETE", "/api/v1/health");
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.json()->getObject("error")->getValue<std::string>("code"), "method_not_allowed");
}

TEST_F(HttpServerTest, ServesTheWebPagesAndNothingOutsideThem) {
    const Reply index = request(server_->port(), "GET", "/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
    EXPECT_NE(index.body.find("Bonjour"), std::string::npos);
    const Reply script = request(server_->port(), "GET", "/app.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(request(server_->port(), "GET", "/../../../../etc/passwd").status, 404);
    EXPECT_EQ(request(server_->port(), "GET", "/%2e%2e/%2e%2e/etc/passwd").status, 404);
    EXPECT_EQ(request(server_->port(), "GET", "/absent.html").status, 404);
}

// The pages, their scripts and the API's answers say their policy (issue 31): no inline
// script, no framing by other sites, no referrer; no HSTS without TLS.
TEST_F(HttpServerTest, EveryAnswerCarriesTheSecurityHeaders) {
    for (const std::string& uri : {std::string("/"), std::string("/app.js"), std::string("/api/v1/health")}) {
        Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
        Poco::Net::HTTPRequest http_request("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(http_request);
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response);
        EXPECT_EQ(response.getStatus(), 200) << uri;
        const std::string policy = response.get("Content-Security-Policy", "");
        EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << uri << ": " << policy;
        EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << uri << ": " << policy;
        EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << uri << ": " << policy;
        EXPECT_EQ(response.get("X-Frame-Options", ""), "DENY") << uri;
        EXPECT_EQ(response.get("Referrer-Policy", ""), "no-referrer") << uri;
        EXPECT_FALSE(response.has("Strict-Transport-Security")) << uri;
    }
}

TEST_F(HttpServerTest, APortInUseIsAClearError) {
    comptoir::ServerOptions options;
    options.port = server_->port();
    comptoir::HttpServer second(std::make_shared<comptoir::Router>(), options);
    try {
        second.start();
        FAIL() << "a second server bound the same port";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "listen_failed");
        EXPECT_NE(std::string(error.what()).find("server.port"), std::string::npos);
    }
}
