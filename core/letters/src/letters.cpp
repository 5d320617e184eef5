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

    static const std::set<std::string> known = {"id",          "title",           "partner",          "recipient",
                                                "subject",     "references",      "required_fields",  "attachments",
                                                "recipient.sources", "recipient.field", "recipient.office",
                                                "recipient.departement", "recipient.service", "registered_mail"};
    const std::vector<std::string> keys = all_keys(*properties);
    std::map<std::string, LetterQuestion> questions;
    std::vector<std::string> question_order;
    static const std::regex question_key(R"(question\.([a-z0-9_]+)\.(label|type|required|choices|example))");
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
        if (attribute == "example") questions[name].example = value;
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
    // The questions in the order the template asks them (the properties come back sorted).
    const auto position = [&header](const std::string& name) { return header.find("question." + name + "."); };
    std::stable_sort(question_order.begin(), question_order.end(),
                     [&](const std::string& a, const std::string& b) { return position(a) < position(b); });
    // Every letter is signed by the visitor: who and where, asked first unless the template
    // words these questions itself.
    for (const auto& [key, label, type, example] :
         {std::tuple{"expediteur_nom", "Nom et prénom de la personne, comme elle signe", "texte", "Awa Diallo"},
          std::tuple{"expediteur_adresse", "Son adresse (une ligne par ligne de l'enveloppe)", "paragraphes",
                     "12 rue des Lilas\n56100 Lorient"}}) {
        if (!questions.count(key)) letter.questions.push_back({key, label, type, true, {}, example});
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

    // Lettre recommandée avec accusé de réception: a question of its own, asked last.
    const std::string registered = Poco::trim(properties->getRawString("registered_mail", ""));
    if (!registered.empty() && registered != "offered" && registered != "non") {
        throw TemplateError(path + ":" + std::to_string(line_of_key("registered_mail")) + " : valeur inconnue " + quote(registered) +
                            " pour registered_mail (offered ou non)");
    }
    letter.registered_offered = registered == "offered";
    if (letter.registered_offered && !questions.count("recommande")) {
        letter.questions.push_back({"recommande", "L'envoyer en recommandé avec accusé de réception ?", "oui_non", false, {},
                                    "oui pour une contestation : l'accusé de réception prouve la date d'envoi"});
    }

    // The recipient's sources (templates/README.md, "The recipient").
    RecipientRule& rule = letter.recipient_rule;
    rule.sources = list_of(properties->getRawString("recipient.sources", ""));
    for (const auto& source : rule.sources) {
        if (source != "mediator" && source != "document" && source != "offices" && source != "template") {
            throw TemplateError(path + ":" + std::to_string(line_of_key("recipient.sources")) + " : source de destinataire inconnue " +
                                quote(source) + " (mediator, document, offices, template)");
        }
    }
    rule.field = Poco::trim(properties->getRawString("recipient.field", ""));
    rule.office = Poco::toLower(Poco::trim(properties->getRawString("recipient.office", "")));
    rule.departement = Poco::trim(properties->getRawString("recipient.departement", ""));
    rule.service = Poco::trim(properties->getRawString("recipient.service", ""));
    const auto needs = [&](const char* source, const std::string& value, const char* key) {
        if (std::find(rule.sources.begin(), rule.sources.end(), source) != rule.sources.end() && value.empty()) {
            throw TemplateError(path + ":" + std::to_string(line_of_key("recipient.sources")) + " : la source " + quote(source) +
                                " du destinataire demande " + key);
        }
    };
    needs("document", rule.field, "recipient.field (le champ qui porte l'adresse lue sur le document)");
    needs("offices", rule.office, "recipient.office (le type d'organisme de l'annuaire du site)");
    needs("template", Poco::trim(properties->getRawString("recipient", "")), "recipient (l'adresse écrite dans le modèle)");

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
    if (const LetterQuestion* own = letter.question("destinataire")) letter.recipient_question = *own;
    if (rule.sources.empty() && letter.recipient.find("{{") != std::string::npos) {
        letter.warnings.push_back(path + " : le destinataire de ce modèle (ancien format) peut sortir incomplet ; "
                                         "déclarez ses sources (recipient.sources, voir templates/README.md) — un courrier "
                                         "sans adresse complète est refusé et l'adresse demandée au médiateur");
    }
    for (const auto& attachment : letter.attachments) check_syntax(attachment, path, line_of_key("attachments"), "pièces jointes");
    return letter;
}

const LetterQuestion* LetterTemplate::question(const std::string& key) const {
    for (const auto& question : questions) {
        if (question.key == key) return &question;
    }
    return nullptr;
}

LetterCatalog::LetterCatalog(std::vector<std::string> folders) : folders_(std::move(folders)) {}

std::string find_in_template_folders(const std::vector<std::string>& folders, const std::string& id, const std::string& extension) {
    const std::string file_name = id + "." + extension;
    for (const auto& folder : folders) {
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

std::string LetterCatalog::path_of(const std::string& letter_id) const {
    if (!std::regex_match(letter_id, std::regex("[a-z0-9_]+(\\.[a-z0-9_]+)+"))) return {};
    return find_in_template_folders(folders_, letter_id, "lettre");
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

}  // namespace comptoir
