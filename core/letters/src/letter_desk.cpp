#include "comptoir/letters/letter_desk.hpp"

#include "comptoir/letters/answers.hpp"
#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/visitor_sheet.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "template_text.hpp"

#include <Poco/String.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <set>

namespace comptoir {
namespace {

// The names a template may use besides its questions and the plugins' fields.
bool is_site_value(const std::string& name) {
    static const std::set<std::string> site = {"site_nom", "site_adresse", "site_ville", "site_telephone"};
    // {{site_<kind>}}: an office of the site's directory, whichever kinds the site declares.
    return site.count(name) || (name.rfind("site_", 0) == 0 && name.size() > 5);
}

void check_variables(const LetterTemplate& letter, const std::vector<const PluginInfo*>& plugins) {
    std::set<std::string> known;
    for (const PluginInfo* plugin : plugins) {
        for (const auto& field : plugin->fields) {
            known.insert(field.key);
            const std::string type = to_string(field.type);
            if (type == "amount" || type == "date") known.insert(field.key + "_fr");
        }
    }
    for (const auto& question : letter.questions) {
        known.insert(question.key);
        if (question.type == "montant" || question.type == "date") known.insert(question.key + "_fr");
    }
    known.insert(letter.recipient_question.key);
    std::vector<const std::string*> texts = {&letter.body, &letter.subject, &letter.recipient};
    for (const auto& attachment : letter.attachments) texts.push_back(&attachment);
    for (const std::string* text : texts) {
        for (const auto& name : letter_text::all_variables(*text)) {
            if (known.count(name) || is_site_value(name) || letter_text::is_helper(name)) continue;
            throw TemplateError(letter.file + " : le modèle utilise {{" + name +
                                "}}, qu'aucun champ des greffons chargés ni aucune question du courrier ne donne");
        }
    }
    for (const auto& key : letter.required_fields) {
        if (!known.count(key)) {
            throw TemplateError(letter.file + " : required_fields nomme « " + key + " », qu'aucun greffon chargé ne déclare");
        }
    }
}

// The letter's date: the request's, today when it gives none.
struct Day {
    int year, month, day;
};
Day day_of(const LetterRequest& request) {
    if (request.year != 0) return {request.year, request.month, request.day};
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

LetterData data_of(const LetterRequest& request, const PluginRegistry& plugins) {
    LetterData data;
    data.fields = request.fields;
    data.answers = request.answers;
    // Labels and types of every loaded plugin's fields: a free letter may quote any of them.
    for (const PluginInfo* plugin : plugins.loaded()) {
        for (const auto& field : plugin->fields) {
            data.field_labels.emplace(field.key, field.label_fr);
            data.field_types.emplace(field.key, to_string(field.type));
        }
    }
    return data;
}

}  // namespace

LetterDesk::LetterDesk(LetterOptions options, const PluginRegistry& plugins)
    : options_(std::move(options)), plugins_(plugins), catalog_(options_.template_folders) {}

LetterTemplate LetterDesk::letter(const std::string& plugin_id, const std::string& letter_id) const {
    const PluginInfo* plugin = plugins_.find(plugin_id);
    if (!plugin) throw NotFoundError("plugin_not_found", "Le greffon « " + plugin_id + " » n'est pas chargé.");
    const bool offered = std::any_of(plugin->letters.begin(), plugin->letters.end(),
                                     [&](const PluginLetter& letter) { return letter.id == letter_id; });
    if (!offered) {
        throw BadRequestError("letter_not_offered", "Le greffon « " + plugin_id + " » ne propose pas le courrier « " + letter_id + " ».");
    }
    LetterTemplate found = catalog_.find(letter_id);
    check_variables(found, plugins_.loaded());
    return found;
}

TemplateNotes LetterDesk::check_templates() const {
    TemplateNotes notes;
    for (const PluginInfo* plugin : plugins_.loaded()) {
        for (const auto& offered : plugin->letters) {
            try {
                const LetterTemplate found = letter(plugin->id, offered.id);
                notes.warnings.insert(notes.warnings.end(), found.warnings.begin(), found.warnings.end());
            } catch (const NotFoundError& error) {
                // A letter the plugin declares and no template folder holds: never offered well.
                notes.errors.push_back("le greffon « " + plugin->id + " » propose le courrier « " + offered.id +
                                       " » sans modèle : " + error.what());
            } catch (const Error& error) {
                notes.errors.push_back(std::string(error.what()));
            }
        }
    }
    return notes;
}

LetterPreview LetterDesk::preview(const LetterRequest& request) const {
    const LetterTemplate found = letter(request.plugin_id, request.letter_id);
    const LetterData data = data_of(request, plugins_);
    LetterPreview out;
    out.recipient = recipient_of(found, data, options_.site);
    try {
        compose_letter(found, data, options_.site, 2000, 1, 1);
    } catch (const MissingValuesError& error) {
        out.missing = error.missing();
    }
    // The sender: the document's holder (its first name field) and their address (an address
    // field that is not where a letter goes).
    std::set<std::string> office_fields;
    if (const PluginInfo* plugin = plugins_.find(request.plugin_id)) {
        for (const auto& offered : plugin->letters) {
            try {
                office_fields.insert(catalog_.find(offered.id).recipient_rule.field);
            } catch (const Error&) {
            }
        }
        for (const auto& field : plugin->fields) {
            const auto value = request.fields.find(field.key);
            if (value == request.fields.end() || Poco::trim(value->second).empty()) continue;
            const std::string type = to_string(field.type);
            if (type == "name" && !out.prefill.count("expediteur_nom")) out.prefill["expediteur_nom"] = value->second;
            if (type == "address" && !office_fields.count(field.key) && !out.prefill.count("expediteur_adresse")) {
                std::string lines;
                for (const auto& line : postal_lines(value->second)) lines += (lines.empty() ? "" : "\n") + line;
                out.prefill["expediteur_adresse"] = lines;
            }
        }
    }
    return out;
}

std::string LetterDesk::write(const LetterRequest& request) const {
    const Day day = day_of(request);
    const ComposedLetter composed = compose_letter(this->letter(request.plugin_id, request.letter_id), data_of(request, plugins_),
                                                   options_.site, day.year, day.month, day.day);
    LetterPdfOptions options;
    options.annex_pages = request.annex_pages;
    return render_letter_pdf(composed, options);
}

std::string LetterDesk::write_sheet(const LetterRequest& request) const {
    const LetterTemplate letter = this->letter(request.plugin_id, request.letter_id);
    std::string letter_sheet = find_sheet_template(options_.template_folders, request.letter_id);
    if (letter_sheet.empty()) letter_sheet = find_sheet_template(options_.template_folders, "courrier");
    if (letter_sheet.empty()) {
        throw NotFoundError("sheet_not_found", "Aucune fiche pour la personne n'est prévue pour le courrier « " + request.letter_id + " ».");
    }
    // The letter as write() composes it: the sheet says only what the letter and the document say.
    const LetterData data = data_of(request, plugins_);
    const Day day = day_of(request);
    const ComposedLetter composed = compose_letter(letter, data, options_.site, day.year, day.month, day.day);
    const SheetTemplate letter_part = parse_sheet_template(letter_sheet);
    std::optional<SheetTemplate> kind_part;
    if (const std::string kind_sheet = find_sheet_template(options_.template_folders, request.kind); !request.kind.empty() && !kind_sheet.empty()) {
        kind_part = parse_sheet_template(kind_sheet);
    }
    SheetInput input;
    input.letter = &letter;
    input.composed = &composed;
    input.data = &data;
    input.site_name = options_.site.name;
    input.date_fr = french_date(day.year, day.month, day.day);
    return render_sheet_pdf(compose_sheet(kind_part ? &*kind_part : nullptr, letter_part, input));
}

}  // namespace comptoir
