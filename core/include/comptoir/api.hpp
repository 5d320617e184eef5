// The JSON API under /api/v1/. Handlers get their context explicitly (no globals).
#pragma once

#include "comptoir/http_server.hpp"

#include <chrono>
#include <memory>

namespace comptoir {

class Config;
class Desk;
class PluginRegistry;

struct ApiContext {
    const Config& config;
    const PluginRegistry& plugins;
    Desk* desk = nullptr;  // cases, scans, letters; null: only health and plugins are served
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// The routes of the API, bound to `context` (which must outlive the router).
std::shared_ptr<Router> make_api_router(const ApiContext& context);

// The body of GET /api/v1/health.
std::string health_json(const ApiContext& context);

}  // namespace comptoir
