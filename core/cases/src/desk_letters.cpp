// The desk's letters: those offered for a document, writing one from the document's current
// values and the mediator's answers, reading one back.
#include "comptoir/cases/desk.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/letters/answers.hpp"
#include "comptoir/letters/letter_desk.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/File.h>
#include <Poco/Logger.h>

#include <set>
#include <sstream>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }

}  // namespace

std::vector<Desk::OfferedLetter> Desk::offered_letters(const DocumentRecord& document) const {
    std::vector<OfferedLetter> offered;
    for (const auto& id : reading(document).letters) {
        OfferedLetter entry;
        entry.id = id;
        try {
            entry.letter = letters_->letter(id.substr(0, id.find('.')), id);
        } catch (const Error& error) {
            entry.error = error.what();  // a broken template: said, the others still offered
        }
        offered.push_back(std::move(entry));
    }
    return offered;
}

LetterRequest Desk::letter_request(const DocumentRecord& document, const std::string& letter_id) const {
    if (document.state != "done") {
        throw ConflictError("not_ready", "Le document n'est pas encore lu : attendez la fin de la lecture.");
    }
    const Reading read = reading(document);
    if (!read.offers(letter_id)) throw BadRequestError("letter_not_offered", "Ce courrier n'est pas proposé pour ce document.");
    LetterRequest request;
    request.plugin_id = letter_id.substr(0, letter_id.find('.'));
    request.letter_id = letter_id;
    request.fields = values_of(fields(document, read));
    request.kind = read.document ? read.document->kind : "";
    return request;
}

LetterRecord Desk::write_letter(int64_t case_id, int64_t document_id, const std::string& letter_id,
                                const std::map<std::string, std::string>& answers, const std::string& actor, bool sheet) {
    require_open(case_id);
    const DocumentRecord document = document_of(case_id, document_id);
    LetterRequest request = letter_request(document, letter_id);
    // Only the letter's questions, typed: AnswerError names the question and the rule.
    request.answers = check_answers(letters_->letter(request.plugin_id, letter_id), answers);
    const std::string pdf = letters_->write(request);  // MissingValuesError: what is missing
    const std::string sheet_pdf = sheet ? letters_->write_sheet(request) : std::string();
    LetterRecord letter;
    letter.case_id = case_id;
    letter.document_id = document_id;
    letter.letter_id = letter_id;
    letter.plugin = request.plugin_id;
    letter.bytes = static_cast<int64_t>(pdf.size());
    letter.path = "";
    letter = store_.add_letter(letter);
    const std::string path = spool_.letter_path(case_id, document_id, letter.id);
    crypto_.write_file(path, pdf);
    // What it was written from, encrypted like it: a later correction makes it out of date.
    Poco::JSON::Object inputs;
    inputs.set("fields", object_of(request.fields));
    inputs.set("answers", object_of(request.answers));
    inputs.set("kind", request.kind);
    std::ostringstream json;
    inputs.stringify(json);
    crypto_.write_file(Spool::letter_inputs_path(path), json.str());
    if (sheet) crypto_.write_file(Spool::sheet_path(path), sheet_pdf);
    if (discard_if_forgotten(case_id)) throw NotFoundError("case_not_found", "Ce dossier vient d'être effacé.");
    letter.path = path;
    store_.set_letter_path(letter.id, path, case_id,
                           AuditEntry{actor, "letter.write", "courrier " + std::to_string(letter.id) + ", " + letter_id});
    store_.record_activity(ActivityRecord{"", "letter", document.source == "scan" ? document.station : "dépôt",
                                          request.plugin_id, request.kind, letter_id});
    log().information("dossier " + std::to_string(case_id) + " : courrier " + letter_id + " écrit");
    events_.publish(case_id, "letter", "{\"letter\": " + std::to_string(letter.id) + ", \"id\": \"" + letter_id + "\"}");
    return letter;
}

LetterPreview Desk::preview_letter(int64_t case_id, int64_t document_id, const std::string& letter_id,
                                   const std::map<std::string, std::string>& answers) const {
    LetterRequest request = letter_request(document_of(case_id, document_id), letter_id);
    request.answers = answers;
    return letters_->preview(request);
}

Desk::LetterState Desk::letter_state(const LetterRecord& letter) const {
    LetterState state;
    if (letter.path.empty()) return state;
    std::map<std::string, std::string> written;
    std::optional<std::string> written_kind;  // absent from letters written before it was kept
    try {
        const auto inputs = Poco::JSON::Parser().parse(crypto_.read_file(Spool::letter_inputs_path(letter.path)))
                                .extract<Poco::JSON::Object::Ptr>();
        written = map_of(inputs->getObject("fields"));
        state.answers = map_of(inputs->getObject("answers"));
        if (inputs->has("kind")) written_kind = inputs->getValue<std::string>("kind");
    } catch (const std::exception&) {
        return state;  // a letter written before its inputs were kept: nothing to compare
    }
    state.registered = state.answers.count("recommande") && state.answers.at("recommande") == "oui";
    const auto document = store_.find_document(letter.case_id, letter.document_id);
    if (!document) return state;
    // Read again as another kind: the letter was written from a reading that is no more.
    if (written_kind && !document->result.empty()) {
        const Reading read = reading(*document);
        if ((read.document ? read.document->kind : std::string()) != *written_kind) {
            state.out_of_date = true;
            state.changed.push_back("type de document");
        }
    }
    const auto now = fields(*document);
    std::set<std::string> keys;
    for (const auto& [key, value] : written) keys.insert(key);
    for (const auto& [key, shown] : now) keys.insert(key);
    for (const auto& key : keys) {
        const auto before = written.find(key);
        const auto after = now.find(key);
        const std::string old_value = before == written.end() ? "" : before->second;
        const std::string new_value = after == now.end() ? "" : after->second.field.value;
        if (old_value == new_value) continue;
        state.out_of_date = true;
        state.changed.push_back(after != now.end() && !after->second.field.label.empty() ? after->second.field.label : key);
    }
    return state;
}

std::map<std::string, std::string> Desk::letter_answers(int64_t case_id, int64_t letter_id, const std::string& actor) {
    case_of(case_id);
    const auto letter = store_.find_letter(case_id, letter_id);
    if (!letter || letter->path.empty()) throw NotFoundError("letter_not_found", "Ce courrier n'existe pas dans ce dossier.");
    auto answers = letter_state(*letter).answers;
    store_.audit(actor, "letter.answers", case_id, "courrier " + std::to_string(letter->id));
    return answers;
}

std::pair<LetterRecord, std::string> Desk::letter_pdf(int64_t case_id, int64_t letter_id, const std::string& actor) {
    case_of(case_id);
    const auto letter = store_.find_letter(case_id, letter_id);
    if (!letter || letter->path.empty()) throw NotFoundError("letter_not_found", "Ce courrier n'existe pas dans ce dossier.");
    std::string pdf = crypto_.read_file(letter->path);
    store_.audit(actor, "letter.read", case_id, "courrier " + std::to_string(letter->id));
    return {*letter, std::move(pdf)};
}

std::pair<LetterRecord, std::string> Desk::letter_sheet(int64_t case_id, int64_t letter_id, const std::string& actor) {
    case_of(case_id);
    const auto letter = store_.find_letter(case_id, letter_id);
    if (!letter || letter->path.empty()) throw NotFoundError("letter_not_found", "Ce courrier n'existe pas dans ce dossier.");
    if (!has_sheet(*letter)) {
        throw NotFoundError("sheet_not_found", "Ce courrier a été écrit sans fiche pour la personne : écrivez-le à nouveau en cochant "
                                               "« Imprimer aussi la fiche pour la personne ».");
    }
    std::string pdf = crypto_.read_file(Spool::sheet_path(letter->path));
    store_.audit(actor, "letter.read", case_id, "fiche du courrier " + std::to_string(letter->id));
    return {*letter, std::move(pdf)};
}

bool Desk::has_sheet(const LetterRecord& letter) const {
    return !letter.path.empty() && Poco::File(Spool::sheet_path(letter.path)).exists();
}

}  // namespace comptoir
