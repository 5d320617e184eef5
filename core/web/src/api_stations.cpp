// The routes of the site's scanner stations (docs/api.md, "Stations"): their list, what a
// station's device offers (resolutions, modes, sources, duplex, paper, reach in mm, from its SANE
// options), and a preview scan.
#include "api_cases.hpp"

#include "comptoir/base/json.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/scanners.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace comptoir {
namespace {

using Response = Poco::Net::HTTPServerResponse;

template <typename T>
Poco::JSON::Array array_of(const std::vector<T>& items) {
    Poco::JSON::Array out;
    for (const auto& item : items) out.add(item);
    return out;
}

}  // namespace

void add_station_routes(Router& router, const ApiContext& context) {
    Desk& desk = *context.desk;
    router.add("GET", "/api/v1/stations", [&desk](Request&, Response& response) {
        Poco::JSON::Array stations;
        if (desk.stations()) {
            for (const auto& state : desk.stations()->list()) {
                Poco::JSON::Object station(Poco::JSON_PRESERVE_KEY_ORDER);
                station.set("id", state.settings.id);
                station.set("label", state.settings.label.empty() ? state.settings.id : state.settings.label);
                station.set("ready", state.device.has_value());
                if (state.device) station.set("device", state.device->name);
                if (!state.problem.empty()) station.set("problem", state.problem);
                station.set("busy", state.busy || desk.station_busy(state.settings.id));
                station.set("resolution", state.settings.resolution_dpi);
                stations.add(station);
            }
        }
        Poco::JSON::Object out;
        out.set("stations", stations);
        send_json(response, 200, stringify(out));
    });
    router.add("GET", "/api/v1/stations/{station}", [&desk](Request& request, Response& response) {
        const std::string id = request.params.at("station");
        const scanners::DeviceOffer offer = desk.station_offer(id);
        Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
        out.set("id", id);
        for (const auto& state : desk.stations()->list()) {
            if (state.settings.id != id) continue;
            out.set("label", state.settings.label.empty() ? id : state.settings.label);
            out.set("busy", state.busy || desk.station_busy(id));
            Poco::JSON::Object defaults(Poco::JSON_PRESERVE_KEY_ORDER);
            defaults.set("resolution", state.settings.resolution_dpi);
            defaults.set("mode", state.settings.mode);
            defaults.set("source", state.settings.source);
            out.set("defaults", defaults);
            out.set("preview_resolution", state.settings.preview_resolution_dpi);
        }
        out.set("resolutions", array_of(offer.resolutions));
        if (offer.resolution_range) {
            Poco::JSON::Object range(Poco::JSON_PRESERVE_KEY_ORDER);
            range.set("min", offer.resolution_range->first);
            range.set("max", offer.resolution_range->second);
            out.set("resolution_range", range);
        } else {
            out.set("resolution_range", Poco::Dynamic::Var());
        }
        out.set("modes", array_of(offer.modes));
        out.set("sources", array_of(offer.sources));
        out.set("duplex", offer.duplex);
        out.set("papers", array_of(offer.papers));
        if (offer.area_mm) {
            Poco::JSON::Object area(Poco::JSON_PRESERVE_KEY_ORDER);
            area.set("width", offer.area_mm->first);
            area.set("height", offer.area_mm->second);
            out.set("area_mm", area);
        } else {
            out.set("area_mm", Poco::Dynamic::Var());
        }
        send_json(response, 200, stringify(out));
    });
    router.add("GET", "/api/v1/stations/{station}/preview", [&desk](Request& request, Response& response) {
        const std::string png = desk.preview(request.params.at("station"), request.login);
        send_bytes(response, "image/png", png);
    });
}

}  // namespace comptoir
