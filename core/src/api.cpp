#include "comptoir/api.hpp"

#include "api_cases.hpp"

#include "comptoir/config.hpp"
#include "comptoir/desk.hpp"
#include "comptoir/ocr.hpp"
#include "comptoir/plugin_host.hpp"
#include "plugin_json.hpp"
#include "comptoir/version.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

namespace comptoir {
namespace {

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

}  // namespace

std::string health_json(const ApiContext& context) {
    Poco::JSON::Object body;
    body.set("status", "ok");
    body.set("version", version());
    const auto uptime = std::chrono::steady_clock::now() - context.started;
    body.set("uptime_s", std::chrono::duration_cast<std::chrono::seconds>(uptime).count());
    Poco::JSON::Object plugins;
    Poco::JSON::Array loaded;
    for (const PluginInfo* info : context.plugins.loaded()) loaded.add(info->id);
    plugins.set("loaded", loaded);
    plugins.set("rejected", rejections_json(context.plugins.rejected()));
    plugins.set("disabled", rejections_json(context.plugins.disabled()));
    body.set("plugins", plugins);
    Poco::JSON::Object ocr;
    ocr.set("languages", context.config.ocr_languages());
    ocr.set("engines", context.config.ocr_engines());
    ocr.set("omp_thread_limit", omp_thread_limit());
    ocr.set("tesseract", tesseract_version());
    body.set("ocr", ocr);
    if (context.desk) {
        const auto [queued, running] = context.desk->jobs();
        Poco::JSON::Object jobs;
        jobs.set("queued", queued);
        jobs.set("running", running);
        body.set("jobs", jobs);
    }
    return stringify(body);
}

std::shared_ptr<Router> make_api_router(const ApiContext& context) {
    auto router = std::make_shared<Router>();
    router->add("GET", "/api/v1/health", [&context](Request&, Poco::Net::HTTPServerResponse& response) {
        send_json(response, 200, health_json(context));
    });
    router->add("GET", "/api/v1/plugins", [&context](Request&, Poco::Net::HTTPServerResponse& response) {
        send_json(response, 200, stringify(*plugins_json(context.plugins)));
    });
    if (context.desk) add_case_routes(*router, context);
    return router;
}

}  // namespace comptoir
