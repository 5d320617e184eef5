// The HTTP server: a router of JSON handlers under /api/v1/, the static pages of web/, and one
// place (HttpServer) that maps exceptions to HTTP statuses and JSON errors:
//   {"error": {"code": "<string>", "message": "<French a mediator can act on>"}}
#pragma once

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

struct Request {
    Poco::Net::HTTPServerRequest& http;
    std::map<std::string, std::string> params;  // from "{name}" segments of the route
};

// A handler writes the response, or throws: comptoir::Error subclasses become their status,
// anything else a 500 without internals.
using Handler = std::function<void(Request&, Poco::Net::HTTPServerResponse&)>;

class Router {
public:
    // `pattern`: "/api/v1/cases/{id}/events"; segments in braces match one path segment.
    void add(const std::string& method, const std::string& pattern, Handler handler);

    struct Match {
        const Handler* handler = nullptr;
        std::map<std::string, std::string> params;
        bool path_known = false;  // the path matches a route, perhaps for another method
    };
    Match match(const std::string& method, const std::string& path) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 0;     // 0: a free port
    int threads = 8;
    std::string web_dir;   // static pages; empty: none
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

// Writes `json` (already serialised) with `status`.
void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json);
// Writes the JSON error object.
void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                const std::string& message_fr);

}  // namespace comptoir
