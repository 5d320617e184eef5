// The letters' routes (docs/api.md, "Letters"): the letters offered for a document with their
// questions and recipient, a preview (the recipient checked, what is missing), writing one,
// reading its PDF, the answers it was written with.
#include "api_cases.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/letters/answers.hpp"
#include "comptoir/letters/letters.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace comptoir {
namespace {

using Response = Poco::Net::HTTPServerResponse;

Poco::JSON::Array array_of(const std::vector<std::string>& items) {
    Poco::JSON::Array out;
    for (const auto& item : items) out.add(item);
    return out;
}

Poco::JSON::Object recipient_json(const Recipient& recipient) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("lines", array_of(recipient.lines));
    out.set("source", recipient.source);
    out.set("complete", recipient.complete());
    if (!recipient.problem.empty()) out.set("problem", recipient.problem);
    if (!recipient.note.empty()) out.set("note", recipient.note);
    return out;
}

Poco::JSON::Object question_json(const LetterQuestion& question) {
    Poco::JSON::Object q(Poco::JSON_PRESERVE_KEY_ORDER);
    q.set("key", question.key);
    q.set("label", question.label);
    q.set("type", question.type);
    q.set("required", question.required);
    q.set("choices", array_of(question.choices));
    if (!question.example.empty()) q.set("example", question.example);
    q.set("max_length", question.type == "paragraphes" ? kParagraphsAnswerMax : kTextAnswerMax);
    return q;
}

// The letters offered for a document: titles, questions in the template's order, the recipient
// as it would be, what the document prefills.
Poco::JSON::Array offered_letters_json(const Desk& desk, const DocumentRecord& document) {
    Poco::JSON::Array letters;
    for (const auto& offered : desk.offered_letters(document)) {
        Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
        entry.set("id", offered.id);
        if (!offered.letter) {
            entry.set("error", offered.error);
            letters.add(entry);
            continue;
        }
        const LetterTemplate& letter = *offered.letter;
        entry.set("title", letter.title);
        Poco::JSON::Array questions;
        for (const auto& question : letter.questions) {
            if (question.key != letter.recipient_question.key) questions.add(question_json(question));
        }
        entry.set("questions", questions);
        entry.set("recipient_question", question_json(letter.recipient_question));
        entry.set("registered_offered", letter.registered_offered);
        entry.set("required_fields", array_of(letter.required_fields));
        try {
            const LetterPreview preview = desk.preview_letter(document.case_id, document.id, offered.id, {});
            entry.set("recipient", recipient_json(preview.recipient));
            entry.set("prefill", object_of(preview.prefill));
        } catch (const Error& error) {
            entry.set("error", std::string(error.what()));
        }
        letters.add(entry);
    }
    return letters;
}

std::string letter_of(const Poco::JSON::Object::Ptr& body) {
    const std::string letter_id = body->optValue<std::string>("letter", "");
    if (letter_id.empty()) throw BadRequestError("no_letter", "Indiquez le courrier (\"letter\").");
    return letter_id;
}

std::map<std::string, std::string> answers_of(const Poco::JSON::Object::Ptr& body) {
    std::map<std::string, std::string> answers;
    if (const auto given = body->getObject("answers")) {
        for (const auto& [key, value] : *given) {
            if (!value.isString()) throw BadRequestError("bad_answer", "La réponse « " + key.substr(0, 60) + " » doit être un texte.");
            answers[key] = value.toString();
        }
    }
    return answers;
}

// A 400 that names the question refused, or a 422 that lists what is missing.
template <typename Action>
void answering(Response& response, Action action) {
    try {
        action();
    } catch (const AnswerError& error) {
        Poco::JSON::Object out;
        Poco::JSON::Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
        detail.set("code", error.code());
        detail.set("message", std::string(error.what()));
        detail.set("question", error.key().substr(0, 60));
        out.set("error", detail);
        send_json(response, 400, stringify(out));
    } catch (const MissingValuesError& error) {
        Poco::JSON::Object out;
        Poco::JSON::Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
        detail.set("code", error.code());
        detail.set("message", std::string(error.what()));
        detail.set("missing", array_of(error.missing()));
        out.set("error", detail);
        send_json(response, 422, stringify(out));
    }
}

}  // namespace

Poco::JSON::Object letter_json(const Desk& desk, const LetterRecord& letter) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("id", letter.id);
    out.set("letter", letter.letter_id);
    out.set("document", letter.document_id);
    out.set("bytes", letter.bytes);
    out.set("created_at", letter.created_at);
    out.set("url", "/api/v1/cases/" + std::to_string(letter.case_id) + "/letters/" + std::to_string(letter.id));
    const Desk::LetterState state = desk.letter_state(letter);
    out.set("out_of_date", state.out_of_date);
    if (state.out_of_date) out.set("changed", array_of(state.changed));
    out.set("registered", state.registered);
    const bool sheet = desk.has_sheet(letter);
    out.set("sheet", sheet);  // the visitor's sheet, at <url>/sheet
    if (sheet) out.set("sheet_url", out.getValue<std::string>("url") + "/sheet");
    return out;
}

void add_letter_routes(Router& router, const ApiContext& context) {
    Desk& desk = *context.desk;
    router.add("GET", "/api/v1/cases/{case}/documents/{document}/letters", [&desk](Request& request, Response& response) {
        const auto document = desk.document_of(id_param(request, "case"), id_param(request, "document"));
        Poco::JSON::Object out;
        out.set("letters", offered_letters_json(desk, document));
        send_json(response, 200, stringify(out));
    });
    // The letter as it would be written with these answers: nothing is written.
    router.add("POST", "/api/v1/cases/{case}/documents/{document}/letters/preview", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        const auto body = json_body(request);
        const std::string letter_id = letter_of(body);
        const auto answers = answers_of(body);
        answering(response, [&] {
            const LetterPreview preview = desk.preview_letter(case_id, document_id, letter_id, answers);
            Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
            out.set("recipient", recipient_json(preview.recipient));
            out.set("missing", array_of(preview.missing));
            out.set("prefill", object_of(preview.prefill));
            send_json(response, 200, stringify(out));
        });
    });
    router.add("POST", "/api/v1/cases/{case}/documents/{document}/letters", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        const auto body = json_body(request);
        const std::string letter_id = letter_of(body);
        const auto answers = answers_of(body);
        if (body->has("sheet") && !body->get("sheet").isBoolean()) {
            throw BadRequestError("bad_sheet", "« sheet » vaut true (écrire aussi la fiche pour la personne) ou false.");
        }
        const bool sheet = body->optValue<bool>("sheet", false);
        answering(response, [&] {
            const LetterRecord letter = desk.write_letter(case_id, document_id, letter_id, answers, request.login, sheet);
            send_json(response, 201, stringify(letter_json(desk, letter)));
        });
    });
    router.add("GET", "/api/v1/cases/{case}/letters/{letter}", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const auto [letter, pdf] = desk.letter_pdf(case_id, id_param(request, "letter"), request.login);
        send_bytes(response, "application/pdf", pdf,
                   "inline; filename=\"" + letter.letter_id + "-" + std::to_string(letter.id) + ".pdf\"");
    });
    router.add("GET", "/api/v1/cases/{case}/letters/{letter}/sheet", [&desk](Request& request, Response& response) {
        const auto [letter, pdf] = desk.letter_sheet(id_param(request, "case"), id_param(request, "letter"), request.login);
        send_bytes(response, "application/pdf", pdf,
                   "inline; filename=\"fiche-" + letter.letter_id + "-" + std::to_string(letter.id) + ".pdf\"");
    });
    // The answers a letter was written with: to write it again after a correction.
    router.add("GET", "/api/v1/cases/{case}/letters/{letter}/answers", [&desk](Request& request, Response& response) {
        const auto answers = desk.letter_answers(id_param(request, "case"), id_param(request, "letter"), request.login);
        Poco::JSON::Object out;
        out.set("answers", object_of(answers));
        send_json(response, 200, stringify(out));
    });
}

}  // namespace comptoir
