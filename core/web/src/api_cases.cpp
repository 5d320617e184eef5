// The routes of cases, documents, fields, letters and stations (docs/api.md), over the Desk.
#include "api_cases.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/plugin_host/reading_json.hpp"

#include "comptoir/cases/desk.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/letters/letters.hpp"
#include "comptoir/scanners.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace comptoir {
namespace {

using Response = Poco::Net::HTTPServerResponse;

}  // namespace

int64_t id_param(const Request& request, const std::string& name) {
    int64_t id = 0;
    const auto found = request.params.find(name);
    if (found == request.params.end() || found->second.empty() || found->second.size() > 18 ||
        found->second.find_first_not_of("0123456789") != std::string::npos ||
        !Poco::NumberParser::tryParse64(found->second, id) || id <= 0) {
        throw NotFoundError("not_found", "Cette adresse n'existe pas.");
    }
    return id;
}

// The JSON body of a request: 415 when it is not JSON, 400 when it does not parse.
Poco::JSON::Object::Ptr json_body(Request& request) {
    const std::string type = request.http.getContentType();
    if (type.rfind("application/json", 0) != 0) {
        throw StatusError(415, "not_json", "Le corps de la requête doit être du JSON (Content-Type: application/json).");
    }
    if (request.http.getContentLength64() > 1024 * 1024) throw StatusError(413, "too_large", "Requête trop volumineuse.");
    // Read up to the limit and one byte more, never the whole of what a client sends: a body
    // without a length (chunked) may be endless.
    constexpr size_t kLimit = 1024 * 1024;
    std::string body(kLimit + 1, '\0');
    request.http.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<size_t>(request.http.stream().gcount()));
    if (body.size() > kLimit) throw StatusError(413, "too_large", "Requête trop volumineuse.");
    return parse_json_object(body);
}

Poco::JSON::Object::Ptr parse_json_object(const std::string& body) {
    try {
        auto parsed = Poco::JSON::Parser().parse(body);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
            if (auto object = parsed.extract<Poco::JSON::Object::Ptr>()) return object;
        }
    } catch (const Poco::Exception&) {
    }
    throw BadRequestError("bad_json", "Le corps de la requête n'est pas un objet JSON valide.");
}

namespace {

Poco::JSON::Object case_json(const CaseRecord& record) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("id", record.id);
    out.set("created_at", record.created_at);
    out.set("state", record.closed_at.empty() ? "open" : "closed");
    if (!record.closed_at.empty()) out.set("closed_at", record.closed_at);
    return out;
}

// "opened_by", "held_by" and "held_since" of a case (absent when its opening is not in the log).
void add_hands(Poco::JSON::Object& out, const std::map<int64_t, CaseHands>& hands, int64_t id) {
    const auto found = hands.find(id);
    if (found == hands.end()) return;
    out.set("opened_by", found->second.opened_by);
    out.set("held_by", found->second.held_by);
    out.set("held_since", found->second.held_since);
}

// {"<key>": value}: the form of the API's answers that hold one list or one map.
Poco::JSON::Object wrapped(const std::string& key, const Poco::Dynamic::Var& value) {
    Poco::JSON::Object out;
    out.set(key, value);
    return out;
}

// The plugin that read a document, when it is still loaded.
const PluginInfo* plugin_of(const Desk& desk, const Reading& reading) {
    return reading.document ? desk.plugins().find(reading.document->plugin) : nullptr;
}

// A field as the mediator sees it: as read (reading_json.hpp's form), its declared "type" (for
// the desk to show a date or an amount in French), plus once corrected "corrected" {from,
// source, at, by} and "history" [{from, to, at, by}].
Poco::JSON::Object corrected_field_json(const CorrectedField& shown, const PluginInfo* plugin) {
    Poco::JSON::Object out = field_to_json(shown.field);
    const PluginField* declared = plugin ? plugin->field(shown.field.key) : nullptr;
    out.set("type", declared ? to_string(declared->type) : "text");
    if (!shown.corrected) return out;
    Poco::JSON::Object corrected(Poco::JSON_PRESERVE_KEY_ORDER);
    corrected.set("from", shown.read_value);
    corrected.set("source", to_string(shown.read_source));
    corrected.set("at", shown.corrected_at);
    corrected.set("by", shown.corrected_by);
    out.set("corrected", corrected);
    Poco::JSON::Array history;
    for (const auto& step : shown.history) {
        Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
        entry.set("from", step.old_value);
        entry.set("to", step.new_value);
        entry.set("at", step.at);
        entry.set("by", step.author);
        history.add(entry);
    }
    out.set("history", history);
    return out;
}

Poco::JSON::Object fields_json(const std::map<std::string, CorrectedField>& fields, const PluginInfo* plugin) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, shown] : fields) out.set(key, corrected_field_json(shown, plugin));
    return out;
}

// Pages that look wrong (docs/api.md): read upside down or sideways (turned for the reading,
// unless the mediator turned it so), or hardly made out (few sure words, or a mean confidence of
// its words under 60 %). Each {"page", "rotation", "confidence", "upside_down", "sideways",
// "hard_to_read"}.
Poco::JSON::Array pages_to_check(const DocumentRecord& document, const Reading& reading, const ProcessOptions& asked) {
    std::map<uint32_t, std::pair<double, int>> confidence;  // page -> sum, words
    if (!document.reading.empty()) {
        try {
            const Document read = Document::from_json(document.reading);
            for (const Word& word : read.words()) {
                auto& [sum, count] = confidence[word.page];
                sum += word.confidence;
                ++count;
            }
        } catch (const std::exception&) {
            // An OCR result that does not load: the pages' own flags still count.
        }
    }
    Poco::JSON::Array out;
    for (const PageInfo& info : reading.page_info) {
        const auto found = confidence.find(info.page);
        const double mean = found == confidence.end() ? -1.0 : found->second.first / found->second.second;
        const int rotation = ((info.rotation_deg % 360) + 360) % 360;
        const bool turned = rotation != 0 && !asked.quarter_turns.count(info.page);
        const bool hard = info.illegible || (mean >= 0 && mean < 0.6);
        if (!turned && !hard) continue;
        Poco::JSON::Object page(Poco::JSON_PRESERVE_KEY_ORDER);
        page.set("page", info.page);
        page.set("rotation", rotation);
        if (mean >= 0) page.set("confidence", std::round(mean * 100) / 100);
        page.set("upside_down", turned && rotation == 180);
        page.set("sideways", turned && rotation != 180);
        page.set("hard_to_read", hard);
        out.add(page);
    }
    return out;
}

}  // namespace

// A document's state, and once read its kind; `whole` adds the reading (fields with the
// mediator's corrections, candidates, codes, pages, warnings, letters offered).

Poco::JSON::Object document_json(const Desk& desk, const DocumentRecord& document, bool whole) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("id", document.id);
    out.set("case", document.case_id);
    out.set("source", document.source);
    if (!document.station.empty()) out.set("station", document.station);
    if (!document.filename.empty()) out.set("filename", document.filename);
    out.set("created_at", document.created_at);
    out.set("state", document.state);
    Poco::JSON::Object progress(Poco::JSON_PRESERVE_KEY_ORDER);
    progress.set("stage", document.stage);
    progress.set("percent", document.percent);
    progress.set("page", document.page);
    progress.set("pages", document.pages);
    out.set("progress", progress);
    out.set("pages", document.pages);
    // What the mediator asked of its reading: the kind chosen, the pages turned.
    const ProcessOptions asked = reading_options_of(document.reading_options);
    if (!asked.kind.empty()) out.set("chosen_kind", asked.kind);
    if (document.state == "failed") {
        Poco::JSON::Object error;
        error.set("code", document.error_code);
        error.set("message", document.error_message);
        out.set("error", error);
    }
    if (document.state == "done" && !document.result.empty()) {
        const Reading reading = desk.reading(document);
        const Poco::JSON::Object stored = reading_to_json(reading);
        const PluginInfo* plugin = plugin_of(desk, reading);
        // The kind's French label, as its plugin declares it, for the desk to show.
        if (reading.document) {
            Poco::JSON::Object found = candidate_to_json(*reading.document);
            std::string label = reading.document->kind;
            if (plugin) {
                for (const auto& declared : plugin->kinds) {
                    if (declared.id == reading.document->kind && !declared.label_fr.empty()) label = declared.label_fr;
                }
            }
            found.set("kind_label", label);
            out.set("document", found);
        } else {
            out.set("document", stored.get("document"));
        }
        if (whole) {
            for (const char* key : {"candidates", "barcodes", "page_info", "warnings", "letters"}) {
                if (stored.has(key)) out.set(key, stored.get(key));
            }
            out.set("fields", fields_json(desk.fields(document, reading), plugin));
            out.set("pages_to_check", pages_to_check(document, reading, asked));
        }
    }
    return out;
}

// Keeps the "file" part of a multipart upload, refusing it past `limit` bytes.
class UploadPart : public Poco::Net::PartHandler {
public:
    explicit UploadPart(int64_t limit) : limit_(limit) {}
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        if (params.get("name", "") != "file" || found_) {
            char skip[8192];
            while (stream.read(skip, sizeof skip) || stream.gcount() > 0) {
            }
            return;
        }
        found_ = true;
        filename_ = params.get("filename", "");
        char buffer[65536];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
            content_.append(buffer, static_cast<size_t>(stream.gcount()));
            if (static_cast<int64_t>(content_.size()) > limit_) {
                throw StatusError(413, "too_large", "Le fichier est trop volumineux (" + std::to_string(limit_ / (1024 * 1024)) +
                                                        " Mo au plus).");
            }
        }
    }
    bool found() const { return found_; }
    const std::string& filename() const { return filename_; }
    const std::string& content() const { return content_; }

private:
    int64_t limit_;
    bool found_ = false;
    std::string filename_;
    std::string content_;
};

UploadedFile parse_upload(const Poco::Net::HTTPRequest& request, std::istream& body, int64_t limit) {
    UploadPart part(limit);
    try {
        Poco::Net::HTMLForm form(request, body, part);
    } catch (const StatusError&) {
        throw;
    } catch (const Poco::Exception&) {
        throw BadRequestError("bad_multipart", "L'envoi du fichier est incomplet ou mal formé : recommencez.");
    }
    if (!part.found()) throw BadRequestError("no_file", "Aucun fichier reçu (champ « file » attendu).");
    return UploadedFile{part.filename(), part.content()};
}

void send_bytes(Response& response, const std::string& type, const std::string& bytes, const std::string& disposition) {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(type);
    response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    if (!disposition.empty()) response.set("Content-Disposition", disposition);
    if (type == "application/pdf") allow_framing_by_the_site(response);  // the letter's preview
    response.setContentLength64(static_cast<Poco::UInt64>(bytes.size()));
    response.send().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

namespace {

std::string station_of(const Poco::JSON::Object& body) {
    if (!body.has("station") || !body.get("station").isString() || body.getValue<std::string>("station").empty()) {
        throw BadRequestError("no_station", "Indiquez le poste de numérisation (\"station\").");
    }
    return body.getValue<std::string>("station");
}

// A scan's choices in its request (docs/api.md, "Scanning"): each optional, of its type.
scanners::ScanChoice scan_choice(const Poco::JSON::Object& body) {
    const auto bad = [](const std::string& message) { return BadRequestError("scan_option", message); };
    const auto text = [&](const char* name) -> std::string {
        if (!body.has(name) || body.get(name).isEmpty()) return "";
        if (!body.get(name).isString()) throw bad(std::string("« ") + name + " » doit être un texte.");
        return body.getValue<std::string>(name);
    };
    const auto number = [&](const Poco::JSON::Object& object, const char* name) {
        if (!object.has(name) || !object.get(name).isNumeric()) {
            throw bad(std::string("« ") + name + " » doit être un nombre (en millimètres pour la zone).");
        }
        return object.getValue<double>(name);
    };
    scanners::ScanChoice choice;
    if (body.has("resolution") && !body.get("resolution").isEmpty()) {
        const double dpi = number(body, "resolution");
        if (dpi < 1 || dpi > 100000 || dpi != static_cast<int>(dpi)) throw bad("La résolution doit être un nombre entier de points par pouce.");
        choice.resolution_dpi = static_cast<int>(dpi);
    }
    choice.mode = text("mode");
    choice.source = text("source");
    choice.paper = text("paper");
    if (body.has("duplex") && !body.get("duplex").isEmpty()) {
        if (!body.get("duplex").isBoolean()) throw bad("« duplex » doit valoir true ou false.");
        choice.duplex = body.getValue<bool>("duplex");
    }
    if (body.has("area") && !body.get("area").isEmpty()) {
        const auto area = body.getObject("area");
        if (!area) throw bad("« area » doit être un objet {x, y, width, height} en millimètres.");
        choice.area_mm = std::array<double, 4>{number(*area, "x"), number(*area, "y"), number(*area, "width"),
                                               number(*area, "height")};
    }
    return choice;
}

}  // namespace

void add_case_routes(Router& router, const ApiContext& context) {
    Desk& desk = *context.desk;

    router.add("POST", "/api/v1/cases", [&desk](Request& request, Response& response) {
        const CaseRecord record = desk.open_case(request.login);
        send_json(response, 201, stringify(case_json(record)));
    });
    router.add("GET", "/api/v1/cases", [&desk](Request& request, Response& response) {
        const bool open_only = Poco::URI(request.http.getURI()).getRawQuery().find("state=open") != std::string::npos;
        Poco::JSON::Array cases;
        const auto records = desk.store().list_cases(open_only, 200);
        // The open visits as the desk lists them ("Visites en cours"): who opened and who holds
        // each, and their documents (state and kind).
        std::vector<int64_t> ids;
        for (const auto& record : records) ids.push_back(record.id);
        const auto hands = open_only ? desk.store().case_hands(ids) : std::map<int64_t, CaseHands>{};
        for (const auto& record : records) {
            Poco::JSON::Object one = case_json(record);
            if (open_only) {
                add_hands(one, hands, record.id);
                Poco::JSON::Array documents;
                for (const auto& document : desk.store().documents_of(record.id)) documents.add(document_json(desk, document, false));
                one.set("documents", documents);
            }
            cases.add(one);
        }
        Poco::JSON::Object out;
        out.set("cases", cases);
        send_json(response, 200, stringify(out));
    });
    router.add("GET", "/api/v1/cases/{case}", [&desk](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        Poco::JSON::Object out = case_json(desk.case_of(id));
        desk.audit_view(request.login, "case.view", id);  // who opened the visit (once a minute)
        add_hands(out, desk.store().case_hands({id}), id);
        Poco::JSON::Array documents;
        for (const auto& document : desk.store().documents_of(id)) documents.add(document_json(desk, document, false));
        out.set("documents", documents);
        Poco::JSON::Array letters;
        for (const auto& letter : desk.store().letters_of(id)) letters.add(letter_json(desk, letter));
        out.set("letters", letters);
        send_json(response, 200, stringify(out));
    });
    router.add("POST", "/api/v1/cases/{case}/close", [&desk](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        desk.close_case(id, request.login);
        send_json(response, 200, stringify(case_json(desk.case_of(id))));
    });
    // The visitor asks to be forgotten: everything of the case goes now, open or closed.
    router.add("DELETE", "/api/v1/cases/{case}", [&desk](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        desk.forget_case(id, request.login);
        send_json(response, 200, "{\"case\": " + std::to_string(id) + ", \"forgotten\": true}");
    });
    // Half the server's threads at most follow cases; the others answer requests.
    const int stream_limit = std::max(1, context.options.server_threads / 2);
    router.add("GET", "/api/v1/cases/{case}/events", [&desk, stream_limit](Request& request, Response& response) {
        stream_events(desk, stream_limit, id_param(request, "case"), request, response);
    });

    router.add("POST", "/api/v1/cases/{case}/scans", [&desk](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        const auto body = json_body(request);
        const std::string station = station_of(*body);
        const DocumentRecord document = desk.scan(id, station, request.login, scan_choice(*body));
        send_json(response, 202, stringify(document_json(desk, document, false)));
    });
    // "Ajouter une page": one more page scanned into the document, which is read again.
    router.add("POST", "/api/v1/cases/{case}/documents/{document}/pages", [&desk](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        const auto body = json_body(request);
        const std::string station = station_of(*body);
        const DocumentRecord document = desk.add_page(id, document_id, station, request.login, scan_choice(*body));
        send_json(response, 202, stringify(document_json(desk, document, false)));
    });
    router.add("POST", "/api/v1/cases/{case}/uploads", [&desk, &context](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        desk.case_of(id);
        if (request.http.getContentType().rfind("multipart/form-data", 0) != 0) {
            throw StatusError(415, "not_multipart",
                              "Envoyez le fichier en multipart/form-data, dans un champ nommé « file ».");
        }
        const int64_t limit = context.desk->options().upload_max_bytes;
        if (request.http.hasContentLength() && request.http.getContentLength64() > limit + 64 * 1024) {
            throw StatusError(413, "too_large",
                              "Le fichier est trop volumineux (" + std::to_string(limit / (1024 * 1024)) + " Mo au plus).");
        }
        const UploadedFile file = parse_upload(request.http, request.http.stream(), limit);
        const DocumentRecord document = desk.upload(id, file.filename, file.content, request.login);
        send_json(response, 202, stringify(document_json(desk, document, false)));
    });

    router.add("GET", "/api/v1/cases/{case}/documents/{document}", [&desk](Request& request, Response& response) {
        const auto document = desk.document_of(id_param(request, "case"), id_param(request, "document"));
        if (document.state == "done") desk.audit_view(request.login, "document.view", document.case_id, document.id);  // not a poll
        send_json(response, 200, stringify(document_json(desk, document, true)));
    });
    // A document removed with what came of it (its file, corrections, letters): 409 while read.
    router.add("DELETE", "/api/v1/cases/{case}/documents/{document}", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        desk.remove_document(case_id, document_id, request.login);
        send_json(response, 200, "{\"document\": " + std::to_string(document_id) + ", \"removed\": true}");
    });
    // Read again: {} as it is, {"kind": "…"} as that kind ("" for recognition), {"rotate":
    // {"page": 1, "quarter_turns": 1}} with a page turned clockwise. 202, like an upload.
    router.add("POST", "/api/v1/cases/{case}/documents/{document}/read", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        const auto body = json_body(request);
        Desk::ReadAgain again;
        if (body->has("kind")) {
            if (!body->get("kind").isString()) throw BadRequestError("bad_kind", "Le type de document (\"kind\") est un texte.");
            again.kind = body->getValue<std::string>("kind");
        }
        if (body->has("rotate")) {
            const auto rotate = body->getObject("rotate");
            const auto number = [&](const char* key) -> int64_t {
                if (!rotate || !rotate->has(key) || !rotate->get(key).isInteger()) {
                    throw BadRequestError("bad_rotate", "Indiquez la page et le nombre de quarts de tour : "
                                                        "{\"rotate\": {\"page\": 1, \"quarter_turns\": 1}}.");
                }
                return rotate->getValue<int64_t>(key);
            };
            again.page = number("page");
            const int64_t turns = number("quarter_turns");
            if (again.page < 1 || turns < -3 || turns > 3 || turns == 0) {
                throw BadRequestError("bad_rotate", "Une page (1 ou plus) et de 1 à 3 quarts de tour (ou -1 à -3).");
            }
            again.quarter_turns = static_cast<int>(turns);
        }
        const DocumentRecord document = desk.read_again(case_id, document_id, again, request.login);
        send_json(response, 202, stringify(document_json(desk, document, false)));
    });
    // The kinds of document the site's plugins read, with their labels (the desk offers them).
    router.add("GET", "/api/v1/kinds", [&desk](Request&, Response& response) {
        Poco::JSON::Array kinds;
        for (const PluginInfo* plugin : desk.plugins().loaded()) {
            for (const auto& kind : plugin->kinds) {
                Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
                entry.set("id", kind.id);
                entry.set("label", kind.label_fr.empty() ? kind.id : kind.label_fr);
                entry.set("plugin", plugin->id);
                kinds.add(entry);
            }
        }
        send_json(response, 200, stringify(wrapped("kinds", kinds)));
    });
    // ?width=N: the page at display size (rounded up to one of Desk::kPageWidths, 160 to 2400).
    router.add("GET", "/api/v1/cases/{case}/documents/{document}/pages/{page}", [&desk](Request& request, Response& response) {
        int width = 0;
        for (const auto& [name, value] : Poco::URI(request.http.getURI()).getQueryParameters()) {
            if (name != "width") continue;
            if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos ||
                !Poco::NumberParser::tryParse(value, width) || width <= 0) {
                throw BadRequestError("bad_width", "La largeur demandée (« width ») doit être un nombre de pixels.");
            }
        }
        send_bytes(response, "image/png",
                   desk.page_png(id_param(request, "case"), id_param(request, "document"), id_param(request, "page"), width));
    });
    router.add("GET", "/api/v1/cases/{case}/documents/{document}/pages/{page}/text", [&desk](Request& request, Response& response) {
        const int64_t page = id_param(request, "page");
        Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
        out.set("page", page);
        out.set("text", desk.page_text(id_param(request, "case"), id_param(request, "document"), page));
        desk.audit_view(request.login, "document.view", id_param(request, "case"), id_param(request, "document"));
        send_json(response, 200, stringify(out));
    });
    router.add("GET", "/api/v1/cases/{case}/documents/{document}/fields", [&desk](Request& request, Response& response) {
        const auto document = desk.document_of(id_param(request, "case"), id_param(request, "document"));
        desk.audit_view(request.login, "document.view", document.case_id, document.id);
        const Reading reading = desk.reading(document);
        send_json(response, 200,
                  stringify(wrapped("fields", fields_json(desk.fields(document, reading), plugin_of(desk, reading)))));
    });
    router.add("PUT", "/api/v1/cases/{case}/documents/{document}/fields/{key}", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        const auto body = json_body(request);
        if (!body->has("value") || !body->get("value").isString()) {
            throw BadRequestError("no_value", "Indiquez la nouvelle valeur (\"value\", un texte).");
        }
        // The correction is signed by who is signed in (the guard set it), never by the body.
        const bool confirmed = body->has("confirm") && body->get("confirm").isBoolean() && body->getValue<bool>("confirm");
        desk.correct(case_id, document_id, request.params.at("key"), body->getValue<std::string>("value"), request.login,
                     confirmed);
        const auto document = desk.document_of(case_id, document_id);
        const Reading reading = desk.reading(document);
        const auto fields = desk.fields(document, reading);
        const auto field = fields.find(request.params.at("key"));
        if (field == fields.end()) throw NotFoundError("field_not_found", "Ce champ n'existe pas pour ce document.");
        send_json(response, 200, stringify(corrected_field_json(field->second, plugin_of(desk, reading))));
    });
    add_station_routes(router, context);
}

}  // namespace comptoir
