#include "comptoir/letters/letters.hpp"

#include "comptoir/base/properties.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace comptoir {
namespace {

namespace mustache = kainjow::mustache;

const char* const kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                               "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

std::string quote(const std::string& text) { return "« " + text + " »"; }

std::vector<std::string> list_of(const std::string& text) {
    std::vector<std::string> items;
    for (const auto& item : Poco::StringTokenizer(text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        items.push_back(item);
    }
    return items;
}

// The line (1-based) of `offset` in `text`, counted from `first_line`.
int line_at(const std::string& text, size_t offset, int first_line) {
    return first_line + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(std::min(offset, text.size())), '\n'));
}

// Checks Mustache syntax; the error names the file and the line.
void check_syntax(const std::string& text, const std::string& file, int first_line, const std::string& what) {
    mustache::mustache tmpl(text);
    if (tmpl.is_valid()) return;
    std::smatch match;
    const std::string error = tmpl.error_message();
    int line = first_line;
    if (std::regex_search(error, match, std::regex(R"( at (\d+))"))) line = line_at(text, std::stoul(match[1]), first_line);
    throw TemplateError(file + ":" + std::to_string(line) + " : modèle invalide (" + what + ") : " + error);
}

// Plain variables used outside any section: they must have a value, or the letter would
// carry a blank. Variables inside {{#x}}…{{/x}} or {{^x}}…{{/x}} are conditional.
std::vector<std::string> unconditional_variables(const std::string& text) {
    std::vector<std::string> names;
    int depth = 0;
    static const std::regex tag(R"(\{\{\{?\s*([#^/&]?)\s*([A-Za-z0-9_.]+)\s*\}?\}\})");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator(); ++it) {
        const std::string kind = (*it)[1];
        if (kind == "#" || kind == "^") {
            ++depth;
        } else if (kind == "/") {
            --depth;
        } else if (depth == 0) {
            names.push_back((*it)[2]);
        }
    }
    return names;
}

// A value as it may appear in a letter: one line (several for `multiline` answers), no control
// characters, no bidirectional overrides (which could reorder what the visitor signs).
std::string clean_value(const std::string& value, bool multiline = false) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (multiline && c == '\n') {
            out.push_back('\n');
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            continue;
        }
        // U+202A–U+202E and U+2066–U+2069 are E2 80 AA–AE and E2 81 A6–A9 in UTF-8.
        if (c == 0xE2 && i + 2 < value.size()) {
            const auto b1 = static_cast<unsigned char>(value[i + 1]);
            const auto b2 = static_cast<unsigned char>(value[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
                i += 2;
                continue;
            }
        }
        out.push_back(static_cast<char>(c));
    }
    return Poco::trim(out);
}

// {{site_caf}}, {{site_fsl}}, {{site_ccas}}…: the template variable of an office's kind.
std::string office_variable(const std::string& kind) {
    std::string name = "site_" + kind;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

}  // namespace

MissingValuesError::MissingValuesError(std::vector<std::string> missing)
    : Error("missing_values", [&] {
          std::string message = "Il manque pour ce courrier : ";
          for (size_t i = 0; i < missing.size(); ++i) message += (i ? ", " : "") + missing[i];
          return message + ".";
      }()),
      missing_(std::move(missing)) {}

LetterTemplate parse_letter_template(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TemplateError(path + " : modèle de courrier illisible");
    std::stringstream whole;
    whole << in.rdbuf();
    return parse_letter_template_text(whole.str(), path);
}

LetterTemplate parse_letter_template_text(const std::string& text, const std::string& path) {

    // Header (properties) and body, separated by a line "---".
    size_t separator = std::string::npos;
    int separator_line = 0;
    {
        std::istringstream lines(text);
        std::string line;
        size_t offset = 0;
        int number = 0;
        while (std::getline(lines, line)) {
            ++number;
            if (Poco::trim(line) == "---") {
                separator = offset;
                separator_line = number;
                break;
            }
            offset += line.size() + 1;
        }
    }
    if (separator == std::string::npos) {
        throw TemplateError(path + ":1 : la ligne « --- » qui sépare l'en-tête du texte du courrier est absente");
    }
    const std::string header = text.substr(0, separator);
    const size_t body_start = text.find('\n', separator);
    LetterTemplate letter;
    letter.file = path;
    letter.body_line = separator_line + 1;
    letter.body = body_start == std::string::npos ? std::string() : text.substr(body_start + 1);

    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> properties(new Poco::Util::PropertyFileConfiguration);
    std::istringstream header_stream(header);
    try {
        properties->load(header_stream);
    } catch (const Poco::Exception& error) {
        throw TemplateError(path + " : en-tête illisible : " + error.displayText());
    }
    const auto line_of_key = [&header](const std::string& key) {
        const size_t at = header.find(key);
        return at == std::string::npos ? 1 : line_at(header, at, 1);
    };

    static const std::set<std::string> known = {"id", "title", "partner", "recipient", "subject",
                                                "references", "required_fields", "attachments"};
    const std::vector<std::string> keys = all_keys(*properties);
    std::map<std::string, LetterQuestion> questions;
    std::vector<std::string> question_order;
    static const std::regex question_key(R"(question\.([a-z0-9_]+)\.(label|type|required|choices))");
    static const std::set<std::string> question_types = {"texte", "paragraphes", "date", "montant", "nombre", "oui_non", "choix"};
    for (const auto& key : keys) {
        const std::string value = Poco::trim(properties->getRawString(key, ""));
        std::smatch match;
        if (known.count(key)) continue;
        if (!std::regex_match(key, match, question_key)) {
            throw TemplateError(path + ":" + std::to_string(line_of_key(key)) + " : clé inconnue " + quote(key) +
                                " (voir templates/README.md)");
        }
        const std::string name = match[1];
        const std::string attribute = match[2];
        if (!questions.count(name)) question_order.push_back(name);
        LetterQuestion& question = questions[name];
        question.key = name;
        if (attribute == "label") question.label = value;
        if (attribute == "type") {
            if (!question_types.count(value)) {
                throw TemplateError(path + ":" + std::to_string(line_of_key(key)) + " : type de question inconnu " +
                                    quote(value) + " (texte, paragraphes, date, montant, nombre, oui_non, choix)");
            }
            question.type = value;
        }
        if (attribute == "required") question.required = Poco::icompare(value, "oui") == 0 || Poco::icompare(value, "true") == 0;
        if (attribute == "choices") question.choices = list_of(value);
    }
    // Every letter is signed by the visitor: who and where, asked first unless the template
    // words these questions itself.
    for (const auto& [key, label, type] : {std::tuple{"expediteur_nom", "Nom et prénom de la personne", "texte"},
                                           std::tuple{"expediteur_adresse", "Adresse de la personne", "paragraphes"}}) {
        if (!questions.count(key)) letter.questions.push_back({key, label, type, true, {}});
    }
    for (const auto& name : question_order) {
        LetterQuestion question = questions[name];
        if (question.label.empty()) {
            throw TemplateError(path + ":" + std::to_string(line_of_key("question." + name)) + " : la question " +
                                quote(name) + " n'a pas de libellé (question." + name + ".label)");
        }
        if (question.type.empty()) question.type = "texte";
        letter.questions.push_back(question);
    }

    letter.id = Poco::trim(properties->getRawString("id", ""));
    letter.title = Poco::trim(properties->getRawString("title", ""));
    letter.partner = Poco::trim(properties->getRawString("partner", ""));
    letter.recipient = properties->getRawString("recipient", "");
    letter.subject = properties->getRawString("subject", "");
    letter.references = list_of(properties->getRawString("references", ""));
    letter.required_fields = list_of(properties->getRawString("required_fields", ""));
    for (const auto& attachment : Poco::StringTokenizer(properties->getRawString("attachments", ""), ";",
                                                        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        letter.attachments.push_back(attachment);
    }
    const std::string expected_id = Poco::Path(path).getBaseName();
    if (letter.id.empty()) throw TemplateError(path + ":1 : l'identifiant (id) du courrier est absent");
    if (letter.id != expected_id) {
        throw TemplateError(path + ":" + std::to_string(line_of_key("id")) + " : l'identifiant " + quote(letter.id) +
                            " ne correspond pas au nom du fichier (" + expected_id + ".lettre)");
    }
    if (letter.title.empty()) throw TemplateError(path + ":1 : le titre (title) du courrier est absent");
    if (letter.subject.empty()) throw TemplateError(path + ":1 : l'objet (subject) du courrier est absent");
    if (Poco::trim(letter.body).empty()) throw TemplateError(path + ":" + std::to_string(letter.body_line) + " : le texte du courrier est vide");

    check_syntax(letter.body, path, letter.body_line, "texte");
    check_syntax(letter.subject, path, line_of_key("subject"), "objet");
    check_syntax(letter.recipient, path, line_of_key("recipient"), "destinataire");
    for (const auto& attachment : letter.attachments) check_syntax(attachment, path, line_of_key("attachments"), "pièces jointes");
    return letter;
}

LetterCatalog::LetterCatalog(std::vector<std::string> folders) : folders_(std::move(folders)) {}

std::string LetterCatalog::path_of(const std::string& letter_id) const {
    if (!std::regex_match(letter_id, std::regex("[a-z0-9_]+(\\.[a-z0-9_]+)+"))) return {};
    const std::string file_name = letter_id + ".lettre";
    for (const auto& folder : folders_) {
        if (folder.empty() || !Poco::File(folder).exists()) continue;
        const Poco::Path direct = Poco::Path(folder).makeDirectory().setFileName(file_name);
        if (Poco::File(direct).exists()) return direct.toString();
        for (Poco::DirectoryIterator it(folder), end; it != end; ++it) {
            if (!it->isDirectory()) continue;
            const Poco::Path nested = Poco::Path(it->path()).makeDirectory().setFileName(file_name);
            if (Poco::File(nested).exists()) return nested.toString();
        }
    }
    return {};
}

LetterTemplate LetterCatalog::find(const std::string& letter_id) const {
    const std::string path = path_of(letter_id);
    if (path.empty()) {
        std::string searched;
        for (const auto& folder : folders_) searched += (searched.empty() ? "" : ", ") + folder;
        throw NotFoundError("letter_not_found", "Le modèle de courrier " + quote(letter_id) + " est introuvable (dossiers : " +
                                                    searched + ").");
    }
    return parse_letter_template(path);
}

std::vector<std::string> LetterCatalog::ids() const {
    std::vector<std::string> ids;
    const auto add = [&ids](const Poco::Path& file) {
        if (file.getExtension() == "lettre" && std::find(ids.begin(), ids.end(), file.getBaseName()) == ids.end()) {
            ids.push_back(file.getBaseName());
        }
    };
    for (const auto& folder : folders_) {
        if (folder.empty() || !Poco::File(folder).exists()) continue;
        for (Poco::DirectoryIterator it(folder), end; it != end; ++it) {
            if (it->isDirectory()) {
                for (Poco::DirectoryIterator inner(it->path()), inner_end; inner != inner_end; ++inner) add(Poco::Path(inner->path()));
            } else {
                add(Poco::Path(it->path()));
            }
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string french_date(int year, int month, int day) {
    if (month < 1 || month > 12) return {};
    return (day == 1 ? std::string("1er") : std::to_string(day)) + " " + kMonths[month - 1] + " " + std::to_string(year);
}

std::string french_date_from_iso(const std::string& iso) {
    std::smatch match;
    if (!std::regex_match(iso, match, std::regex(R"((\d{4})-(\d{2})-(\d{2}))"))) return iso;
    const std::string date = french_date(std::stoi(match[1]), std::stoi(match[2]), std::stoi(match[3]));
    return date.empty() ? iso : date;
}

std::string french_amount(const std::string& amount) {
    std::smatch match;
    if (!std::regex_match(amount, match, std::regex(R"((-?)(\d+)(?:\.(\d{1,2}))?)"))) return amount;
    const std::string whole = match[2];
    std::string cents = match[3];
    while (cents.size() < 2) cents += "0";
    std::string grouped;
    for (size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += "\u202F";  // narrow no-break space
        grouped += whole[i];
    }
    return std::string(match[1]) + grouped + "," + cents + "\u00A0€";
}

ComposedLetter compose_letter(const LetterTemplate& letter, const LetterData& data, const SiteIdentity& site, int year,
                              int month, int day) {
    // What the template may use: fields and answers by key, "<key>_fr" in French form for
    // amounts and dates, "oui_non" answers as booleans for sections, the site.
    mustache::data values;
    std::map<std::string, std::string> available;
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
            const bool yes = Poco::icompare(value, "oui") == 0 || Poco::icompare(value, "true") == 0;
            values.set(key, yes ? mustache::data(mustache::data::type::bool_true) : mustache::data(mustache::data::type::bool_false));
        }
    };
    for (const auto& [key, value] : data.fields) {
        const auto type = data.field_types.find(key);
        put(key, value, type == data.field_types.end() ? "" : type->second);
    }
    std::map<std::string, const LetterQuestion*> questions;
    for (const auto& question : letter.questions) questions[question.key] = &question;
    for (const auto& [key, value] : data.answers) {
        const auto question = questions.find(key);
        put(key, value, question == questions.end() ? "" : question->second->type);
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

    // Everything required, and every value the letter prints unconditionally, must be there.
    std::vector<std::string> missing;
    const auto label_of = [&](const std::string& key) {
        if (const auto question = questions.find(key); question != questions.end()) return question->second->label;
        if (const auto label = data.field_labels.find(key); label != data.field_labels.end()) return label->second;
        std::string base = key;
        if (base.size() > 3 && base.compare(base.size() - 3, 3, "_fr") == 0) base.resize(base.size() - 3);
        if (const auto label = data.field_labels.find(base); label != data.field_labels.end()) return label->second;
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
    for (const std::string* text : {&letter.body, &letter.subject, &letter.recipient}) {
        for (const auto& key : unconditional_variables(*text)) require(key);
    }
    for (const auto& attachment : letter.attachments) {
        for (const auto& key : unconditional_variables(attachment)) require(key);
    }
    const auto render = [&values](const std::string& text) {
        mustache::mustache tmpl(text);
        tmpl.set_custom_escape([](const std::string& s) { return s; });  // a PDF, not HTML
        return tmpl.render(values);
    };
    // A recipient taken from the document, else from the site's configuration: when neither
    // gives one, the mediator is asked for it.
    if (Poco::trim(render(letter.recipient)).empty()) {
        // The question that gives the recipient: the one the recipient's text names.
        auto question = questions.end();
        for (auto it = questions.begin(); it != questions.end() && question == questions.end(); ++it) {
            if (letter.recipient.find("{{" + it->first + "}}") != std::string::npos) question = it;
        }
        const std::string label = question != questions.end() ? question->second->label : "Destinataire";
        if (std::find(missing.begin(), missing.end(), label) == missing.end()) missing.push_back(label);
    }
    if (!missing.empty()) throw MissingValuesError(missing);

    ComposedLetter out;
    out.title = letter.title;
    out.sender_name = available.count("expediteur_nom") ? available["expediteur_nom"] : "";
    if (available.count("expediteur_adresse")) {
        for (const auto& line : Poco::StringTokenizer(available["expediteur_adresse"], "\n", Poco::StringTokenizer::TOK_TRIM |
                                                                                            Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
            out.sender_address.push_back(line);
        }
    }
    if (!site.name.empty()) out.helped_by = "Courrier préparé avec l'aide de : " + clean_value(site.name);
    // A postal block has one part of the address per line and no commas (La Poste's norm): an
    // address field, one line joined with ", " (docs/formats.md), is set out line by line again.
    for (const auto& line : Poco::StringTokenizer(render(letter.recipient), "\n", Poco::StringTokenizer::TOK_TRIM |
                                                                                 Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        size_t start = 0;
        for (size_t comma = line.find(", "); ; comma = line.find(", ", start)) {
            const std::string part = Poco::trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (!part.empty()) out.recipient.push_back(part);
            if (comma == std::string::npos) break;
            start = comma + 2;
        }
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
        if (!Poco::trim(paragraph).empty()) out.body.push_back({false, Poco::trim(paragraph)});
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
    return out;
}

}  // namespace comptoir
