// The desk's documents after their first reading: read again (as they are, as another kind, a
// page turned), or removed with what came of them.
#include "comptoir/cases/desk.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }

const char* kBeingRead = "La page est en cours de lecture : attendez la fin.";

}  // namespace

ProcessOptions reading_options_of(const std::string& json) {
    ProcessOptions options;
    if (json.empty()) return options;
    try {
        const auto object = parse_object(json);
        options.kind = object->optValue<std::string>("kind", "");
        if (const auto turns = object->getObject("quarter_turns")) {
            for (const auto& [page, turn] : *turns) {
                unsigned number = 0;
                if (Poco::NumberParser::tryParseUnsigned(page, number) && number > 0) {
                    options.quarter_turns[number] = ((turn.convert<int>() % 4) + 4) % 4;
                }
            }
        }
    } catch (const std::exception&) {
        log().warning("options de lecture illisibles : le document est lu comme d'ordinaire");
    }
    return options;
}

namespace {

std::string reading_options_json(const ProcessOptions& options) {
    if (options.kind.empty() && options.quarter_turns.empty()) return "";
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!options.kind.empty()) out.set("kind", options.kind);
    if (!options.quarter_turns.empty()) {
        Poco::JSON::Object turns;
        for (const auto& [page, turn] : options.quarter_turns) turns.set(std::to_string(page), turn);
        out.set("quarter_turns", turns);
    }
    return stringify(out);
}

}  // namespace

DocumentRecord Desk::read_again(int64_t case_id, int64_t document_id, const ReadAgain& request, const std::string& actor) {
    require_open(case_id);
    const DocumentRecord document = document_of(case_id, document_id);
    if (document.state != "done" && document.state != "failed") throw ConflictError("being_read", kBeingRead);
    if (document.input_path.empty()) {
        throw ConflictError("no_file", "Ce document n'a pas de page à relire : numérisez-le ou déposez-le à nouveau.");
    }
    ProcessOptions options = reading_options_of(document.reading_options);
    const Reading read = document.result.empty() ? Reading{} : reading(document);
    const std::string kind_before = read.document ? read.document->kind : "";
    std::string detail = "document " + std::to_string(document_id);
    if (request.kind) {
        if (!request.kind->empty()) {
            bool known = false;
            for (const PluginInfo* plugin : plugins_.loaded()) known = known || plugin->has_kind(*request.kind);
            if (!known) throw BadRequestError("unknown_kind", "Ce type de document n'est pas connu sur ce site.");
        }
        options.kind = *request.kind;
        detail += ", type " + (request.kind->empty() ? std::string("reconnu") : *request.kind);
    }
    if (request.page != 0) {
        const int64_t pages = read.pages > 0 ? read.pages : document.pages;
        if (request.page < 1 || (pages > 0 && request.page > pages)) {
            throw BadRequestError("no_page", "Cette page n'existe pas dans ce document.");
        }
        const auto page = static_cast<uint32_t>(request.page);
        // Added to how the page was read: the mediator turns what the desk shows.
        int turns = 0;
        if (const auto asked = options.quarter_turns.find(page); asked != options.quarter_turns.end()) {
            turns = asked->second;
        } else {
            for (const PageInfo& info : read.page_info) {
                if (info.page == page) turns = info.rotation_deg / 90;
            }
        }
        options.quarter_turns[page] = (((turns + request.quarter_turns) % 4) + 4) % 4;
        detail += ", page " + std::to_string(page) + " tournée";
    }
    // Another kind has other fields: what was corrected for the former one goes.
    const bool kind_changed = request.kind && !request.kind->empty() && *request.kind != kind_before;
    if (!store_.requeue_document(case_id, document_id, reading_options_json(options), kind_changed,
                                 AuditEntry{actor, "document.read_again", detail})) {
        throw ConflictError("being_read", kBeingRead);
    }
    log().information("dossier " + std::to_string(case_id) + ", document " + std::to_string(document_id) + " : relu");
    events_.publish(case_id, "progress",
                    "{\"document\": " + std::to_string(document_id) + ", \"state\": \"queued\", \"stage\": \"\", "
                    "\"percent\": 0, \"page\": 0, \"pages\": 0}");
    jobs_.poke();
    return document_of(case_id, document_id);
}

void Desk::remove_document(int64_t case_id, int64_t document_id, const std::string& actor) {
    document_of(case_id, document_id);
    if (!store_.delete_document(case_id, document_id,
                                AuditEntry{actor, "document.remove", "document " + std::to_string(document_id)})) {
        throw ConflictError("being_read",
                            "Le document est en cours de numérisation ou de lecture : attendez la fin, puis retirez-le.");
    }
    spool_.remove_document(case_id, document_id);
    store_.checkpoint();  // nothing of the document left in SQLite's write-ahead log
    log().information("dossier " + std::to_string(case_id) + " : document " + std::to_string(document_id) + " retiré");
    events_.publish(case_id, "removed", "{\"document\": " + std::to_string(document_id) + "}");
}

}  // namespace comptoir
