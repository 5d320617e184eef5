// The administrator's routes (docs/api.md, "Administration"): what the site administrator's
// page (web/admin.html) shows and does. Every route here needs the admin role, but the
// account list's own changes are in api.cpp with the other account routes.
#include "api_cases.hpp"
#include "comptoir/base/json.hpp"

#include "comptoir/cases/desk.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/letters/letter_desk.hpp"
#include "comptoir/letters/letters.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/reading/twoddoc.hpp"
#include "comptoir/scanners.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/LocalDateTime.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

namespace comptoir {
namespace {

using Response = Poco::Net::HTTPServerResponse;

std::map<std::string, std::string> query(const Request& request) {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : Poco::URI(request.http.getURI()).getQueryParameters()) out[key] = value;
    return out;
}

std::string day_of(const Poco::Timestamp& at) {
    return Poco::DateTimeFormatter::format(Poco::LocalDateTime(Poco::DateTime(at)), "%Y-%m-%d");
}

// The days asked for (from, to: YYYY-MM-DD), by default the last 30 days.
std::pair<std::string, std::string> period(const Desk& desk, const std::map<std::string, std::string>& params) {
    const Poco::Timestamp now = desk.now();
    std::string to = params.count("to") ? params.at("to") : day_of(now);
    std::string from = params.count("from") ? params.at("from") : day_of(now - Poco::Timespan(29, 0, 0, 0, 0));
    const std::regex day("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    for (const auto* value : {&from, &to}) {
        int tz = 0;
        Poco::DateTime parsed;
        if (!std::regex_match(*value, day) || !Poco::DateTimeParser::tryParse("%Y-%m-%d", *value, parsed, tz)) {
            throw BadRequestError("bad_period", "Période invalide : dates attendues comme 2026-11-23.");
        }
    }
    if (from > to) throw BadRequestError("bad_period", "Période invalide : le début est après la fin.");
    return {from, to};
}

const char* event_label(const std::string& event) {
    if (event == "case") return "dossier ouvert";
    if (event == "document") return "document lu";
    if (event == "unread") return "document illisible";
    if (event == "letter") return "courrier écrit";
    return "autre";
}

// What the administrator's page shows in place of ids: the kinds' French labels and the
// partners (the plugins' declarations), the fields' labels (the first plugin's that declares the
// key), the letters' titles (their templates), the stations' labels, and « Dépôt » for an upload. The ids stay in the API's rows and the CSV export.
Poco::JSON::Object labels_json(Desk& desk) {
    Poco::JSON::Object kinds, letters, stations, partners, fields;
    for (const PluginInfo* plugin : desk.plugins().loaded()) {
        partners.set(plugin->id, plugin->partner.empty() ? plugin->id : plugin->partner);
        for (const auto& kind : plugin->kinds) kinds.set(kind.id, kind.label_fr.empty() ? kind.id : kind.label_fr);
        for (const auto& field : plugin->fields) {
            if (!fields.has(field.key) && !field.label_fr.empty()) fields.set(field.key, field.label_fr);
        }
        for (const auto& letter : plugin->letters) {
            try {
                letters.set(letter.id, desk.letters().letter(plugin->id, letter.id).title);
            } catch (const std::exception&) {
                // A template that cannot be read: the id stays, the letters' check names the fault.
            }
        }
    }
    stations.set("dépôt", "Dépôt");
    if (desk.stations()) {
        for (const auto& state : desk.stations()->list()) {
            stations.set(state.settings.id, state.settings.label.empty() ? state.settings.id : state.settings.label);
        }
    }
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("kinds", kinds);
    out.set("letters", letters);
    out.set("stations", stations);
    out.set("partners", partners);
    out.set("fields", fields);
    return out;
}

// One CSV field (RFC 4180 quoting, and a leading apostrophe for what a spreadsheet would take
// for a formula).
std::string csv_field(std::string value) {
    if (!value.empty() && std::string("=+-@").find(value[0]) != std::string::npos) value = "'" + value;
    if (value.find_first_of(";\"\n\r") == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

Poco::JSON::Object retention_json(const Desk& desk) {
    const RetentionRules& retention = desk.options().retention;
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object rules(Poco::JSON_PRESERVE_KEY_ORDER);
    rules.set("after_close_hours", retention.after_close_hours);
    rules.set("max_days", retention.max_days);
    rules.set("check_minutes", retention.check_minutes);
    out.set("rules", rules);
    const CaseCounts counts = desk.store().case_counts();
    Poco::JSON::Object cases(Poco::JSON_PRESERVE_KEY_ORDER);
    cases.set("open", counts.open);
    cases.set("closed", counts.closed);
    cases.set("oldest_created_at", counts.oldest_created_at);
    out.set("cases", cases);
    const auto state = desk.purge_state();
    Poco::JSON::Object purge(Poco::JSON_PRESERVE_KEY_ORDER);
    purge.set("last_run", state.last_run);
    purge.set("last_count", state.last_count);
    purge.set("total_since_start", state.total);
    purge.set("next_run", state.next_run);
    out.set("purge", purge);
    Poco::JSON::Object encryption(Poco::JSON_PRESERVE_KEY_ORDER);
    encryption.set("enabled", desk.crypto().enabled());
    encryption.set("algorithm", desk.crypto().enabled() ? "AES-256-GCM" : "");
    encryption.set("key_id", desk.crypto().key_id());
    out.set("encryption", encryption);
    return out;
}

// The site's 2D-Doc certificates, what the trust list says of each, and the certificates codes
// read since the server started needed and the site lacks (ids and counts: no document data),
// with where to fetch them.
Poco::JSON::Object certificates_json(const Desk& desk) {
    const twoddoc::Reader& reader = desk.twoddoc();
    const twoddoc::TrustList* trust = reader.trust_list();
    constexpr const char* kAnts = "https://ants.gouv.fr/";
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("folder", reader.folder());
    out.set("import_command", "comptoir admin certificates import FICHIER");
    Poco::JSON::Object list(Poco::JSON_PRESERVE_KEY_ORDER);
    list.set("issued", trust ? trust->issued() : "");
    list.set("information_uri", trust && !trust->information_uri().empty() ? trust->information_uri() : kAnts);
    out.set("trust_list", list);
    Poco::JSON::Array certificates;
    for (const auto& certificate : reader.certificates()->list()) {
        Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
        item.set("authority", certificate.authority);
        item.set("id", certificate.id);
        item.set("subject", certificate.subject);
        item.set("not_after", certificate.not_after);
        item.set("expired", certificate.expired);
        item.set("vouched", certificate.vouched);
        item.set("problem", certificate.problem);
        item.set("test", certificate.authority == "FR00");
        certificates.add(item);
    }
    out.set("certificates", certificates);
    Poco::JSON::Array missing;
    for (const auto& needed : reader.missing()) {
        Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
        item.set("authority", needed.authority);
        item.set("certificate", needed.certificate);
        item.set("codes", needed.codes);
        item.set("last_seen", needed.last_seen);
        const twoddoc::Authority* authority = trust ? trust->find(needed.authority) : nullptr;
        item.set("authority_name", authority ? authority->name : "");
        item.set("listed", authority != nullptr && authority->active);
        Poco::JSON::Array where;
        if (authority) {
            for (const auto& uri : authority->uris) where.add(uri);
        }
        where.add(list.getValue<std::string>("information_uri"));
        item.set("where", where);
        missing.add(item);
    }
    out.set("missing", missing);
    return out;
}

}  // namespace

void add_admin_routes(Router& router, const ApiContext& context) {
    Desk& desk = *context.desk;
    const ApiOptions& options = context.options;

    // The stations, what SANE sees, and why a station's device is not found.
    router.add("GET", "/api/v1/admin/stations", [&desk, &options](Request& request, Response& response) {
        const bool refresh = query(request).count("refresh") > 0;
        Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
        Poco::JSON::Array stations;
        Poco::JSON::Array devices;
        if (desk.stations()) {
            for (const auto& state : desk.stations()->list(refresh)) {
                Poco::JSON::Object station(Poco::JSON_PRESERVE_KEY_ORDER);
                station.set("id", state.settings.id);
                station.set("label", state.settings.label.empty() ? state.settings.id : state.settings.label);
                station.set("configured_device", state.settings.device);
                station.set("match", state.settings.match);
                station.set("resolution", state.settings.resolution_dpi);
                station.set("mode", state.settings.mode);
                station.set("ready", state.device.has_value());
                if (state.device) station.set("device", state.device->name);
                station.set("problem", state.problem);
                station.set("busy", state.busy || desk.station_busy(state.settings.id));
                stations.add(station);
            }
            for (const auto& device : desk.stations()->devices(false)) {
                Poco::JSON::Object d(Poco::JSON_PRESERVE_KEY_ORDER);
                d.set("name", device.name);
                d.set("vendor", device.vendor);
                d.set("model", device.model);
                d.set("type", device.type);
                devices.add(d);
            }
        }
        out.set("stations", stations);
        Poco::JSON::Object sane(Poco::JSON_PRESERVE_KEY_ORDER);
        sane.set("available", desk.stations() != nullptr);
        sane.set("config_dir", options.scanners_config_dir.empty() ? "/etc/sane.d" : options.scanners_config_dir);
        sane.set("devices", devices);
        out.set("sane", sane);
        send_json(response, 200, stringify(out));
    }, Access::admin);

    // The instances sharing the base, and the readings waiting or under way across them.
    router.add("GET", "/api/v1/admin/instances", [&desk](Request&, Response& response) {
        Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
        out.set("engine", desk.options().database_engine);
        out.set("self", desk.instance_id());
        const int64_t now = now_ms();
        const int64_t lease = int64_t{1000} * desk.options().cluster_lease_seconds;
        Poco::JSON::Array list;
        for (const auto& instance : desk.store().instances()) {
            Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
            item.set("id", instance.id);
            item.set("host", instance.host);
            item.set("pid", instance.pid);
            item.set("started_at", instance.started_at);
            item.set("seen_s_ago", (now - instance.seen_ms) / 1000);
            item.set("alive", now - instance.seen_ms <= lease);
            item.set("running", instance.running);
            list.add(item);
        }
        out.set("instances", list);
        const auto counts = desk.store().job_counts();
        Poco::JSON::Object jobs;
        jobs.set("held", counts.held);
        jobs.set("queued", counts.queued);
        jobs.set("running", counts.running);
        out.set("jobs", jobs);
        send_json(response, 200, stringify(out));
    }, Access::admin);

    router.add("GET", "/api/v1/admin/retention", [&desk](Request&, Response& response) {
        send_json(response, 200, stringify(retention_json(desk)));
    }, Access::admin);
    router.add("POST", "/api/v1/admin/purge", [&desk](Request& request, Response& response) {
        const int purged = desk.purge_now(request.login);
        Poco::JSON::Object out = retention_json(desk);
        out.set("purged", purged);
        send_json(response, 200, stringify(out));
    }, Access::admin);

    router.add("GET", "/api/v1/admin/labels", [&desk](Request&, Response& response) {
        send_json(response, 200, stringify(labels_json(desk)));
    }, Access::admin);
    router.add("GET", "/api/v1/admin/stats", [&desk](Request& request, Response& response) {
        const auto [from, to] = period(desk, query(request));
        Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
        out.set("from", from);
        out.set("to", to);
        Poco::JSON::Array rows;
        std::map<std::string, int64_t> totals;
        for (const auto& count : desk.store().activity(from, to)) {
            Poco::JSON::Object row(Poco::JSON_PRESERVE_KEY_ORDER);
            row.set("day", count.activity.day);
            row.set("event", count.activity.event);
            row.set("station", count.activity.station);
            row.set("partner", count.activity.partner);
            row.set("kind", count.activity.kind);
            row.set("letter", count.activity.letter);
            row.set("count", count.count);
            rows.add(row);
            totals[count.activity.event] += count.count;
        }
        Poco::JSON::Object total;
        for (const char* event : {"case", "document", "unread", "letter"}) total.set(event, totals[event]);
        out.set("totals", total);
        out.set("rows", rows);
        send_json(response, 200, stringify(out));
    }, Access::admin);
    router.add("GET", "/api/v1/admin/stats.csv", [&desk](Request& request, Response& response) {
        const auto [from, to] = period(desk, query(request));
        // Semicolons and a byte-order mark: what a French spreadsheet opens as columns, with
        // its accents right.
        std::string csv = "\xEF\xBB\xBFjour;événement;poste;partenaire;type de document;courrier;nombre\r\n";
        for (const auto& count : desk.store().activity(from, to)) {
            const auto& a = count.activity;
            csv += csv_field(a.day) + ";" + csv_field(event_label(a.event)) + ";" + csv_field(a.station) + ";" +
                   csv_field(a.partner) + ";" + csv_field(a.kind) + ";" + csv_field(a.letter) + ";" +
                   std::to_string(count.count) + "\r\n";
        }
        desk.audit(request.login, "stats.export", 0, from + " – " + to);
        send_bytes(response, "text/csv; charset=utf-8", csv,
                   "attachment; filename=\"comptoir-activite-" + from + "-" + to + ".csv\"");
    }, Access::admin);

    router.add("GET", "/api/v1/admin/certificates", [&desk](Request&, Response& response) {
        send_json(response, 200, stringify(certificates_json(desk)));
    }, Access::admin);

    router.add("GET", "/api/v1/admin/audit", [&desk](Request& request, Response& response) {
        const auto params = query(request);
        int64_t case_id = 0, before = 0, limit = 100;
        if (params.count("case") && !Poco::NumberParser::tryParse64(params.at("case"), case_id)) {
            throw BadRequestError("bad_case", "Numéro de dossier invalide.");
        }
        if (params.count("before")) Poco::NumberParser::tryParse64(params.at("before"), before);
        if (params.count("limit")) Poco::NumberParser::tryParse64(params.at("limit"), limit);
        limit = std::clamp<int64_t>(limit, 1, 1000);
        Poco::JSON::Array entries;
        for (const auto& entry : desk.store().audit_log(case_id, static_cast<int>(limit), before)) {
            Poco::JSON::Object e(Poco::JSON_PRESERVE_KEY_ORDER);
            e.set("id", entry.id);
            e.set("at", entry.at);
            e.set("login", entry.login);
            e.set("action", entry.action);
            e.set("case", entry.case_id);
            e.set("detail", entry.detail);
            entries.add(e);
        }
        Poco::JSON::Object out;
        out.set("entries", entries);
        send_json(response, 200, stringify(out));
    }, Access::admin);
}

}  // namespace comptoir
