// Sign-in abuse over HTTP (issue 31, item 1): failures slow down, never lock out the right
// password beyond the delay; 429 says how long (Retry-After); parallel guesses wait their turn;
// behind a trusted proxy each client is slowed by its own address; a mediator changes their own
// password (the current one required, a wrong one counted like a failed sign-in).
#include "desk_server.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <future>

using namespace comptoir::test;

namespace {

struct LoginReply {
    Reply reply;
    std::string retry_after;
};

// POST /api/v1/login, with an X-Forwarded-For header when `forwarded` is not empty.
LoginReply login_as(uint16_t port, const std::string& login, const std::string& password, const std::string& forwarded = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request("POST", "/api/v1/login", Poco::Net::HTTPMessage::HTTP_1_1);
    if (!forwarded.empty()) request.set("X-Forwarded-For", forwarded);
    const std::string body = "{\"login\": \"" + login + "\", \"password\": \"" + password + "\"}";
    request.setContentType("application/json");
    request.setContentLength64(body.size());
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    LoginReply out;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), out.reply.body);
    out.reply.status = response.getStatus();
    out.retry_after = response.get("Retry-After", "");
    return out;
}

class SignInApi : public DeskServerTest {
protected:
    void start_at(const std::string& extra = "") {
        start("data.dir = data\nocr.engines = 1\n" + extra);
        // The accounts' clock, moved by the test (shared: the desk may read it after the test's body).
        server_->desk().accounts().set_clock([clock = clock_] { return clock->load(); });
    }
    std::shared_ptr<std::atomic<int64_t>> clock_ = std::make_shared<std::atomic<int64_t>>(static_cast<int64_t>(std::time(nullptr)));
};

}  // namespace

TEST_F(SignInApi, FailuresSlowDownButTheRightPasswordWorksOnceTheDelayIsOver) {
    start_at();
    const std::string login = "mediatrice";
    for (int i = 0; i < 3; ++i) EXPECT_EQ(login_as(port(), login, "pas-le-bon").reply.error(), "bad_credentials");
    EXPECT_EQ(login_as(port(), "personne", "pas-le-bon").reply.error(), "bad_credentials");  // no login revealed
    // The fourth failure is answered, and sets a delay of a second before the next attempt.
    EXPECT_EQ(login_as(port(), login, "pas-le-bon").reply.status, 401);
    const LoginReply waiting = login_as(port(), login, kTestPassword);  // even the right one waits
    EXPECT_EQ(waiting.reply.status, 429);
    EXPECT_EQ(waiting.reply.error(), "too_many_attempts");
    EXPECT_EQ(waiting.retry_after, "1");
    EXPECT_NE(waiting.reply.body.find("Trop d'essais : réessayez dans 1 seconde."), std::string::npos) << waiting.reply.body;
    clock_->fetch_add(1);
    EXPECT_EQ(login_as(port(), login, kTestPassword).reply.status, 200);  // never a lock-out
}

TEST_F(SignInApi, ParallelGuessesCannotSlipPastTheDelay) {
    // Twelve connections at once from one address: past the cap per address without this.
    start_at("auth.free_failures_per_login = 1\nserver.max_connections_per_address = 0\n");
    std::vector<std::future<int>> guesses;
    for (int i = 0; i < 12; ++i) {
        guesses.push_back(std::async(std::launch::async, [&, i] {
            return login_as(port(), "mediatrice", "essai-" + std::to_string(i)).reply.status;
        }));
    }
    int checked = 0, delayed = 0;
    for (auto& guess : guesses) {
        const int status = guess.get();
        checked += status == 401;
        delayed += status == 429;
    }
    // Each attempt is counted before its password is checked: one free, the second sets the delay.
    EXPECT_EQ(checked, 2);
    EXPECT_EQ(delayed, 10);
}

TEST_F(SignInApi, BehindATrustedProxyAFloodSlowsOnlyItsOwnAddress) {
    start_at("server.trusted_proxies = 10.9.9.9, 127.0.0.1\nauth.free_failures_per_address = 2\n");
    const std::string flooder = "203.0.113.7";
    // Two failures are free per address here (other logins each time: no account's delay).
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(login_as(port(), "inconnu" + std::to_string(i), "faux", flooder).reply.status, 401) << i;
    }
    const LoginReply slowed = login_as(port(), "mediatrice", kTestPassword, flooder);
    EXPECT_EQ(slowed.reply.status, 429);
    EXPECT_EQ(slowed.retry_after, "1");
    // What the flooder writes in the header is left of what the proxy saw: it changes nothing.
    EXPECT_EQ(login_as(port(), "mediatrice", kTestPassword, "198.51.100.1, " + flooder).reply.status, 429);
    // A trusted proxy's own hop is skipped: the client is the right-most other address.
    EXPECT_EQ(login_as(port(), "mediatrice", kTestPassword, flooder + ", 10.9.9.9").reply.status, 429);
    // The rest of the office, behind the same proxy, signs in.
    EXPECT_EQ(login_as(port(), "mediatrice", kTestPassword, "203.0.113.8").reply.status, 200);
    clock_->fetch_add(1);
    EXPECT_EQ(login_as(port(), "mediatrice", kTestPassword, flooder).reply.status, 200);
}

TEST_F(SignInApi, WithoutATrustedProxyXForwardedForIsIgnored) {
    start_at("server.trusted_proxies = 10.9.9.9\nauth.free_failures_per_address = 2\n");  // the peer is not one
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(login_as(port(), "inconnu" + std::to_string(i), "faux", "203.0.113." + std::to_string(i)).reply.status, 401);
    }
    // Every attempt came from 127.0.0.1, whatever the header said.
    EXPECT_EQ(login_as(port(), "mediatrice", kTestPassword, "203.0.113.99").reply.status, 429);
}

TEST_F(SignInApi, AMediatorChangesTheirOwnPasswordAndTheirOtherSessionsEnd) {
    start_at("auth.free_failures_per_login = 1\n");
    const Credentials other = credentials;  // a session on another desk
    sign_in(port(), server_->desk());
    const Credentials mine = credentials;
    const auto change = [&](const std::string& current, const std::string& fresh) {
        return send(port(), "POST", "/api/v1/me/password", "{\"current\": \"" + current + "\", \"new\": \"" + fresh + "\"}");
    };
    const Reply wrong = change("pas-le-bon", "velo-escalier-pomme");
    EXPECT_EQ(wrong.status, 403);
    EXPECT_EQ(wrong.error(), "wrong_password");
    EXPECT_NE(wrong.body.find("Le mot de passe actuel est incorrect."), std::string::npos);
    EXPECT_EQ(change("", "velo-escalier-pomme").status, 400);
    const Reply weak = change(kTestPassword, "motdepasse123");
    EXPECT_EQ(weak.error(), "weak_password");
    EXPECT_NE(weak.body.find("trop courant ou trop simple"), std::string::npos) << weak.body;
    EXPECT_EQ(change(kTestPassword, "Mediatrice-2026-bis").error(), "weak_password");  // the login in it
    // Wrong current passwords count as failed sign-ins: the second sets a delay.
    EXPECT_EQ(change("pas-le-bon", "velo-escalier-pomme").status, 403);
    const Reply waiting = change(kTestPassword, "velo-escalier-pomme");
    EXPECT_EQ(waiting.status, 429);
    EXPECT_EQ(waiting.error(), "too_many_attempts");
    clock_->fetch_add(1);
    const Reply changed = change(kTestPassword, "velo-escalier-pomme");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(send(port(), "GET", "/api/v1/me").status, 200);  // this session stays
    credentials = other;
    EXPECT_EQ(send(port(), "GET", "/api/v1/me").status, 401);  // the others end
    EXPECT_EQ(login_as(port(), "mediatrice", "velo-escalier-pomme").reply.status, 200);
    credentials = mine;
}
