// The HTTP server: a router of JSON handlers under /api/v1/, the static pages of web/, and one
// place (HttpServer) that maps exceptions to HTTP statuses and JSON errors:
//   {"error": {"code": "<string>", "message": "<French a mediator can act on>"}}
#pragma once

#include "comptoir/base/error.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace comptoir {

// A refusal of HTTP's own, with no meaning in the domain: 403 for a request without its CSRF
// token or an account without the right, 413/415 for a body the API cannot take.
class StatusError : public Error {
public:
    StatusError(int status, std::string code, const std::string& message_fr)
        : Error(std::move(code), message_fr), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

// The one place where an error becomes an HTTP status: 400 invalid, 401 unauthenticated,
// 404 not found, 409 conflict, 413 too large, 415 unsupported, 422 unreadable input, 429 too
// many attempts, 502 a device, 503 unavailable (the database out of reach included: code
// "store"), 500 anything else.
int http_status(const Error& error);

struct Request {
    Poco::Net::HTTPServerRequest& http;
    std::map<std::string, std::string> params;  // from "{name}" segments of the route
    std::string login;  // who is signed in (set by the router's guard), empty otherwise
    std::string role;
};

// Who may call a route: anyone (health, login), a signed-in account, an administrator.
enum class Access { open, session, admin };

// A handler writes the response, or throws: comptoir::Error subclasses become their status,
// anything else a 500 without internals.
using Handler = std::function<void(Request&, Poco::Net::HTTPServerResponse&)>;

// Checks a request against a route's access before its handler runs: throws StatusError 401
// (not signed in), 403 (not allowed, or a state-changing request without its CSRF token).
using Guard = std::function<void(Request&, Access)>;

class Router {
public:
    // `pattern`: "/api/v1/cases/{id}/events"; segments in braces match one path segment.
    void add(const std::string& method, const std::string& pattern, Handler handler, Access access = Access::session);
    // Without a guard every route is open (the server's own tests); the API sets one.
    void set_guard(Guard guard) { guard_ = std::move(guard); }
    const Guard& guard() const { return guard_; }

    struct Match {
        const Handler* handler = nullptr;
        std::map<std::string, std::string> params;
        Access access = Access::session;
        bool path_known = false;  // the path matches a route, perhaps for another method
    };
    Match match(const std::string& method, const std::string& path) const;

    struct RouteInfo {
        std::string method;
        std::string pattern;
        Access access;
    };
    std::vector<RouteInfo> routes() const;  // the route table, for tests and docs

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        std::string pattern;
        Handler handler;
        Access access;
    };
    std::vector<Route> routes_;
    Guard guard_;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 0;     // 0: a free port
    int threads = 8;
    std::string web_dir;   // static pages; empty: none
    // TLS: a PEM certificate (chain) and its private key; both empty: plain HTTP.
    std::string tls_certificate;
    std::string tls_key;
    // Seconds a client has to send a request's head (from its connection, or the end of its
    // previous request), and the longest silence within a request: past them, it is let go.
    int request_timeout_s = 10;
    // At most this many connections at once from one client address (0: no cap); over it, a
    // connection is refused at once (503). The trusted proxies are not capped: behind one, every
    // client has its address, and the proxy limits them itself (docs/deploy.md, limit_conn).
    int max_connections_per_address = 8;
    // Addresses of the reverse proxies in front of the server (server.trusted_proxies): not
    // capped; the sign-in's counters take the client's address from their X-Forwarded-For.
    std::vector<std::string> trusted_proxies;
    // A body must come at this many bytes a second at least, on average over request_timeout_s
    // once it has had that long to start: a body trickled a byte at a time is let go.
    int64_t min_body_rate = 1024;
    // A kept-alive connection waits this long for its next request (at most request_timeout_s),
    // and serves this many requests at most before it is closed.
    int keep_alive_idle_s = 3;
    int max_keep_alive_requests = 100;
};

class HttpServer {
public:
    HttpServer(std::shared_ptr<const Router> router, ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts serving. Throws Error("port_in_use", …) when the address is taken.
    void start();
    // Stops accepting, lets running requests finish.
    void stop();
    uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// For an answer the site's own pages show in a frame (the letter's PDF): framed by the site's
// pages (frame-ancestors 'self', X-Frame-Options SAMEORIGIN) instead of by none.
void allow_framing_by_the_site(Poco::Net::HTTPServerResponse& response);

// Writes `json` (already serialised) with `status`.
void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json);
// Writes the JSON error object.
void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                const std::string& message_fr);

}  // namespace comptoir
