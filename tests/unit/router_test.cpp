#include "comptoir/web/http_server.hpp"

#include <gtest/gtest.h>

using comptoir::Router;

TEST(Router, MatchesLiteralAndParameterSegments) {
    Router router;
    int called = 0;
    router.add("GET", "/api/v1/health", [&](comptoir::Request&, Poco::Net::HTTPServerResponse&) { called = 1; });
    router.add("GET", "/api/v1/cases/{id}/events", [&](comptoir::Request&, Poco::Net::HTTPServerResponse&) { called = 2; });

    auto health = router.match("GET", "/api/v1/health");
    ASSERT_NE(health.handler, nullptr);
    auto events = router.match("GET", "/api/v1/cases/c-42/events");
    ASSERT_NE(events.handler, nullptr);
    EXPECT_EQ(events.params.at("id"), "c-42");
    EXPECT_EQ(router.match("GET", "/api/v1/cases/c-42").handler, nullptr);
    EXPECT_EQ(router.match("GET", "/api/v1/healthz").handler, nullptr);
    EXPECT_FALSE(router.match("GET", "/api/v1/healthz").path_known);
}

TEST(Router, KnowsAPathAskedWithTheWrongMethod) {
    Router router;
    router.add("GET", "/api/v1/health", [](comptoir::Request&, Poco::Net::HTTPServerResponse&) {});
    const auto match = router.match("DELETE", "/api/v1/health");
    EXPECT_EQ(match.handler, nullptr);
    EXPECT_TRUE(match.path_known);
    EXPECT_NE(router.match("HEAD", "/api/v1/health").handler, nullptr);
}
