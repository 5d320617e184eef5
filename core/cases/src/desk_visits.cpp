// Visits shared by the office: a colleague taking one over, who saw which case (audit_view), and
// the drafts of the letter form (the answers typed, not yet written), sealed in the spool like
// the letters' inputs.
#include "comptoir/cases/desk.hpp"
#include "comptoir/letters/answers.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/base/time.hpp"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }


bool plain_key(const std::string& key) {
    return !key.empty() && key.size() <= 100 &&
           key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.-") == std::string::npos;
}

void check_entries(const std::map<std::string, std::string>& entries) {
    for (const auto& [key, value] : entries) {
        if (!plain_key(key)) throw BadRequestError("bad_draft", "Le brouillon est mal formé (une question inconnue).");
        if (character_count(value) > Desk::kDraftMaxChars) {
            throw BadRequestError("draft_answer_too_long", "Une réponse du brouillon dépasse " +
                                                               std::string("2 000 caractères : raccourcissez-la."));
        }
    }
}

}  // namespace

void Desk::take_case(int64_t case_id, const std::string& actor) {
    require_open(case_id);
    const auto hands = store_.case_hands({case_id});
    const auto found = hands.find(case_id);
    const std::string holder = found == hands.end() ? "" : found->second.held_by;
    if (holder == actor) return;
    store_.audit(actor, "case.take", case_id, holder.empty() ? "" : "reprise à " + holder);
    Poco::JSON::Object event;
    event.set("case", case_id);
    event.set("by", actor);
    events_.publish(case_id, "taken", stringify(event));
    log().information("dossier " + std::to_string(case_id) + " repris par un autre compte");
}

Desk::Draft Desk::save_draft(int64_t case_id, int64_t document_id, Draft draft, const std::string& actor) {
    require_open(case_id);
    document_of(case_id, document_id);
    if (draft.letter.size() > 100 || (!draft.letter.empty() && !plain_key(draft.letter))) {
        throw BadRequestError("bad_draft", "Le brouillon est mal formé (un courrier inconnu).");
    }
    if (draft.answers.size() + draft.recipients.size() > kDraftMaxEntries) {
        throw TooLargeError("draft_too_large", "Le brouillon a trop de réponses (" + std::to_string(kDraftMaxEntries) +
                                                   " au plus).");
    }
    check_entries(draft.answers);
    check_entries(draft.recipients);
    const std::string path = spool_.draft_path(case_id, document_id);
    if (draft.answers.empty() && draft.recipients.empty()) {
        try {
            Poco::File(path).remove();
        } catch (const Poco::FileNotFoundException&) {
            // none kept
        }
        return Draft{draft.letter, {}, {}, "", ""};
    }
    draft.saved_at = now_iso();
    draft.saved_by = actor;
    Poco::JSON::Object stored(Poco::JSON_PRESERVE_KEY_ORDER);
    stored.set("letter", draft.letter);
    stored.set("answers", object_of(draft.answers));
    stored.set("recipients", object_of(draft.recipients));
    stored.set("saved_at", draft.saved_at);
    stored.set("saved_by", draft.saved_by);
    const std::string json = stringify(stored);
    if (json.size() > kDraftMaxBytes) {
        throw TooLargeError("draft_too_large", "Le brouillon est trop long (" + std::to_string(kDraftMaxBytes / 1024) +
                                                   " Ko au plus) : raccourcissez les réponses.");
    }
    spool_.document_dir(case_id, document_id);
    crypto_.write_file(path, json);
    // Forgotten while it was written: the folder goes again, with the draft.
    if (discard_if_forgotten(case_id)) throw NotFoundError("case_not_found", "Ce dossier vient d'être effacé.");
    return draft;
}

std::optional<Desk::Draft> Desk::draft(int64_t case_id, int64_t document_id) const {
    document_of(case_id, document_id);
    const std::string path = spool_.draft_path(case_id, document_id);
    if (!Poco::File(path).exists()) return std::nullopt;
    Draft draft;
    try {
        const auto stored = Poco::JSON::Parser().parse(crypto_.read_file(path)).extract<Poco::JSON::Object::Ptr>();
        draft.letter = stored->optValue<std::string>("letter", "");
        draft.answers = map_of(stored->getObject("answers"));
        draft.recipients = map_of(stored->getObject("recipients"));
        draft.saved_at = stored->optValue<std::string>("saved_at", "");
        draft.saved_by = stored->optValue<std::string>("saved_by", "");
    } catch (const NotFoundError&) {
        return std::nullopt;  // removed meanwhile
    } catch (const Poco::Exception&) {
        log().error("dossier " + std::to_string(case_id) + " : brouillon illisible, ignoré");
        return std::nullopt;
    }
    return draft;
}

void Desk::audit_view(const std::string& login, const std::string& action, int64_t case_id, int64_t object_id) {
    const auto now = std::chrono::steady_clock::now();
    const auto window = std::chrono::seconds(kViewAuditSeconds);
    const std::string key = login + "\n" + action + "\n" + std::to_string(case_id) + "\n" + std::to_string(object_id);
    {
        std::lock_guard<std::mutex> lock(views_mutex_);
        const auto seen = views_.find(key);
        if (seen != views_.end() && now - seen->second < window) return;
        views_[key] = now;
        if (views_.size() > 4096) {  // the views past their window are forgotten
            for (auto it = views_.begin(); it != views_.end();) it = now - it->second >= window ? views_.erase(it) : std::next(it);
        }
    }
    store_.audit(login, action, case_id, object_id > 0 ? "document " + std::to_string(object_id) : "");
}

}  // namespace comptoir
