// Filling a letter: its values (fields, answers checked, the site), its recipient, its text.
#include "comptoir/letters/answers.hpp"
#include "comptoir/letters/letters.hpp"
#include "comptoir/letters/recipient.hpp"
#include "template_text.hpp"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <sstream>

namespace comptoir {
namespace {

namespace mustache = kainjow::mustache;
using namespace letter_text;

// What the template may use: fields and answers by key, "<key>_fr" in French form for
// amounts and dates, "oui_non" answers as booleans for sections, the site, the helpers.
// `available` gets the keys that have a value.
struct Values {
    mustache::data values;
    std::map<std::string, std::string> available;

    std::string render(const std::string& text) const {
        mustache::mustache tmpl(text);
        tmpl.set_custom_escape([](const std::string& s) { return s; });  // a PDF, not HTML
        return tmpl.render(values);
    }
};

Values values_of(const LetterTemplate& letter, const LetterData& data, const std::map<std::string, std::string>& answers,
                 const SiteIdentity& site) {
    Values out;
    mustache::data& values = out.values;
    std::map<std::string, std::string>& available = out.available;
    const auto put = [&](const std::string& key, const std::string& raw, const std::string& type) {
        const std::string value = clean_value(raw, type == "paragraphes");
        if (value.empty()) return;
        available[key] = value;
        values.set(key, value);
        if (type == "amount" || type == "montant") {
            values.set(key + "_fr", french_amount(value));
            available[key + "_fr"] = value;
        } else if (type == "date") {
            values.set(key + "_fr", french_date_from_iso(value));
            available[key + "_fr"] = value;
        } else if (type == "oui_non") {
            const bool yes = value == "oui";
            values.set(key, yes ? mustache::data(mustache::data::type::bool_true) : mustache::data(mustache::data::type::bool_false));
            if (!yes) available.erase(key);
        }
    };
    for (const auto& [key, value] : data.fields) {
        const auto type = data.field_types.find(key);
        put(key, value, type == data.field_types.end() ? "" : type->second);
    }
    // A question answered overrides nothing of the document: answers only fill the letter's
    // own questions (check_answers refused any other key).
    for (const auto& [key, value] : answers) {
        const LetterQuestion* question = letter.question(key);
        put(key, value, question ? question->type : letter.recipient_question.type);
    }
    // The offices first: a kind that happens to be named like the site's own values does not
    // hide them.
    for (const auto& office : site.offices) {
        const Office* chosen = choose_office(site.offices, office.kind, site.departement);
        if (chosen == &office && office.complete()) put(office_variable(office.kind), office.address(), "");
    }
    put("site_nom", site.name, "");
    put("site_adresse", site.address, "");
    put("site_ville", site.city, "");
    put("site_telephone", site.phone, "");
    values.set("phrase", mustache::lambda2{[](const std::string& text, const mustache::renderer& render) { return as_sentence(render(text)); }});
    values.set("minuscule", mustache::lambda2{[](const std::string& text, const mustache::renderer& render) { return lower_first(render(text)); }});
    values.set("pluriel", mustache::lambda2{[](const std::string& text, const mustache::renderer& render) { return plural(render(text)); }});
    return out;
}

}  // namespace

Recipient recipient_of(const LetterTemplate& letter, const LetterData& data, const SiteIdentity& site) {
    const std::map<std::string, std::string> answers = check_answers(letter, data.answers);
    const Values values = values_of(letter, data, answers, site);
    return resolve_recipient(letter, data.fields, answers, site, [&values](const std::string& text) { return values.render(text); });
}

ComposedLetter compose_letter(const LetterTemplate& letter, const LetterData& data, const SiteIdentity& site, int year,
                              int month, int day) {
    const std::map<std::string, std::string> answers = check_answers(letter, data.answers);
    Values all = values_of(letter, data, answers, site);
    std::map<std::string, std::string>& available = all.available;

    // Everything required, and every value the letter prints unconditionally, must be there.
    std::vector<std::string> missing;
    const auto label_of = [&](const std::string& key) {
        if (const LetterQuestion* question = letter.question(key)) return question->label;
        if (const auto label = data.field_labels.find(key); label != data.field_labels.end()) return label->second;
        std::string base = key;
        if (base.size() > 3 && base.compare(base.size() - 3, 3, "_fr") == 0) base.resize(base.size() - 3);
        if (const auto label = data.field_labels.find(base); label != data.field_labels.end()) return label->second;
        if (const LetterQuestion* question = letter.question(base)) return question->label;
        static const std::map<std::string, std::string> site_keys = {
            {"site_nom", "name"}, {"site_adresse", "address"}, {"site_ville", "city"}, {"site_telephone", "phone"}};
        if (const auto site_key = site_keys.find(base); site_key != site_keys.end()) {
            return "site." + site_key->second + " (configuration du site)";
        }
        if (base.rfind("site_", 0) == 0) {
            return "adresse de l'organisme de type " + base.substr(5) + " (offices.<id>.kind = " + base.substr(5) +
                   ", configuration du site)";
        }
        return base;
    };
    const auto require = [&](const std::string& key) {
        if (available.count(key)) return;
        const std::string label = label_of(key);
        if (std::find(missing.begin(), missing.end(), label) == missing.end()) missing.push_back(label);
    };
    for (const auto& key : letter.required_fields) require(key);
    for (const auto& question : letter.questions) {
        if (question.required) require(question.key);
    }
    for (const std::string* text : {&letter.body, &letter.subject}) {
        for (const auto& key : unconditional_variables(*text)) require(key);
    }
    if (letter.recipient_rule.sources.empty()) {
        for (const auto& key : unconditional_variables(letter.recipient)) require(key);
    }
    for (const auto& attachment : letter.attachments) {
        for (const auto& key : unconditional_variables(attachment)) require(key);
    }
    const auto render = [&all](const std::string& text) { return all.render(text); };
    // A complete address, or no letter: the mediator is asked for it.
    const Recipient recipient = resolve_recipient(letter, data.fields, answers, site, render);
    if (!recipient.complete()) {
        const std::string label = "Adresse complète du destinataire (" + recipient.problem + ")";
        missing.push_back(label);
    }
    if (!missing.empty()) throw MissingValuesError(missing);

    ComposedLetter out;
    out.title = letter.title;
    out.sender_name = available.count("expediteur_nom") ? available["expediteur_nom"] : "";
    if (available.count("expediteur_adresse")) out.sender_address = postal_lines(available["expediteur_adresse"]);
    if (!site.name.empty()) out.helped_by = "Courrier préparé avec l'aide de : " + clean_value(site.name);
    out.recipient = recipient.lines;
    out.recipient_source = recipient.source;
    if (letter.registered_offered && answers.count("recommande") && answers.at("recommande") == "oui") {
        out.mention = "Lettre recommandée avec accusé de réception";
    }
    const std::string date = french_date(year, month, day);
    out.place_and_date = site.city.empty() ? "Le " + date : clean_value(site.city) + ", le " + date;
    out.subject = Poco::trim(render(letter.subject));
    for (const auto& key : letter.references) {
        if (const auto value = available.find(key); value != available.end()) out.references.emplace_back(label_of(key), value->second);
    }
    for (const auto& attachment : letter.attachments) {
        const std::string text = Poco::trim(render(attachment));
        if (!text.empty()) out.attachments.push_back(text);
    }

    // Paragraphs are separated by blank lines; "- " starts a bullet.
    std::istringstream lines(render(letter.body));
    std::string line;
    std::string paragraph;
    const auto flush = [&] {
        if (!Poco::trim(paragraph).empty()) out.body.push_back({false, tidy_sentences(paragraph)});
        paragraph.clear();
    };
    while (std::getline(lines, line)) {
        const std::string trimmed = Poco::trim(line);
        if (trimmed.empty()) {
            flush();
        } else if (trimmed.rfind("- ", 0) == 0) {
            flush();
            out.body.push_back({true, Poco::trim(trimmed.substr(2))});
        } else if (!out.body.empty() && out.body.back().bullet && paragraph.empty() && (line[0] == ' ' || line[0] == '\t')) {
            out.body.back().text += " " + trimmed;  // a bullet continued on an indented line
        } else {
            paragraph += (paragraph.empty() ? "" : " ") + trimmed;
        }
    }
    flush();
    for (auto& block : out.body) {
        if (block.bullet) block.text = tidy_sentences(block.text, false);
    }
    return out;
}

}  // namespace comptoir
