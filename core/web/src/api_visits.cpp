// The routes of visits shared by the office (docs/api.md): taking a visit over, and the drafts
// of the letter form.
#include "api_cases.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/cases/desk.hpp"

#include <Poco/JSON/Object.h>

namespace comptoir {
namespace {

using Response = Poco::Net::HTTPServerResponse;

std::map<std::string, std::string> strings_of(const Poco::JSON::Object::Ptr& body, const std::string& key) {
    std::map<std::string, std::string> out;
    if (!body->has(key)) return out;
    const auto object = body->getObject(key);
    if (!object) throw BadRequestError("bad_draft", "Le brouillon est mal formé (« " + key + " » doit être un objet).");
    for (const auto& [name, value] : *object) {
        if (!value.isString()) throw BadRequestError("bad_draft", "Le brouillon est mal formé (une réponse n'est pas un texte).");
        out[name] = value.toString();
    }
    return out;
}

Poco::JSON::Object draft_json(const Desk::Draft& draft) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("letter", draft.letter);
    out.set("answers", object_of(draft.answers));
    out.set("recipients", object_of(draft.recipients));
    if (!draft.saved_at.empty()) {
        out.set("saved_at", draft.saved_at);
        out.set("saved_by", draft.saved_by);
    }
    return out;
}

}  // namespace

void add_visit_routes(Router& router, const ApiContext& context) {
    Desk& desk = *context.desk;
    router.add("POST", "/api/v1/cases/{case}/take", [&desk](Request& request, Response& response) {
        const int64_t id = id_param(request, "case");
        desk.take_case(id, request.login);
        const auto hands = desk.store().case_hands({id});
        Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
        out.set("case", id);
        out.set("held_by", hands.count(id) ? hands.at(id).held_by : request.login);
        send_json(response, 200, stringify(out));
    });
    router.add("GET", "/api/v1/cases/{case}/documents/{document}/draft", [&desk](Request& request, Response& response) {
        const auto draft = desk.draft(id_param(request, "case"), id_param(request, "document"));
        send_json(response, 200, stringify(draft_json(draft ? *draft : Desk::Draft{})));
    });
    router.add("PUT", "/api/v1/cases/{case}/documents/{document}/draft", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        const auto body = json_body(request);
        Desk::Draft draft;
        if (body->has("letter") && !body->get("letter").isString()) {
            throw BadRequestError("bad_draft", "Le brouillon est mal formé (« letter » doit être un texte).");
        }
        draft.letter = body->optValue<std::string>("letter", "");
        draft.answers = strings_of(body, "answers");
        draft.recipients = strings_of(body, "recipients");
        send_json(response, 200, stringify(draft_json(desk.save_draft(case_id, document_id, draft, request.login))));
    });
    router.add("DELETE", "/api/v1/cases/{case}/documents/{document}/draft", [&desk](Request& request, Response& response) {
        const int64_t case_id = id_param(request, "case");
        const int64_t document_id = id_param(request, "document");
        desk.save_draft(case_id, document_id, Desk::Draft{}, request.login);
        send_json(response, 200, "{\"removed\": true}");
    });
}

}  // namespace comptoir
