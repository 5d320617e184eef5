// The JSON API under /api/v1/. Handlers get their context explicitly (no globals).
#pragma once

#include "comptoir/web/http_server.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace comptoir {

class Desk;
class PluginRegistry;

// What the API needs of the configuration besides the desk's own options (the app fills it).
struct ApiOptions {
    std::string ocr_languages = "fra";  // shown by /health
    int ocr_engines = 1;
    int server_threads = 8;              // event streams take at most half of them
    std::string scanners_config_dir;     // shown to the administrator; empty: /etc/sane.d
    // Reverse proxies (IP addresses) whose X-Forwarded-For names the client (server.trusted_proxies):
    // the address sign-ins are counted by. From any other peer the header is ignored.
    std::vector<std::string> trusted_proxies;
};

struct ApiContext {
    ApiOptions options;
    const PluginRegistry& plugins;
    Desk* desk = nullptr;  // cases, scans, letters; null: only health and plugins are served
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// The routes of the API, bound to `context` (which must outlive the router).
std::shared_ptr<Router> make_api_router(const ApiContext& context);

// The address sign-ins are counted by: the peer's, or, when the peer is one of
// `trusted_proxies`, the right-most address of X-Forwarded-For that is not itself one of them.
std::string client_address(const Poco::Net::HTTPServerRequest& request, const std::vector<std::string>& trusted_proxies);

// The body of GET /api/v1/health.
std::string health_json(const ApiContext& context);

}  // namespace comptoir
