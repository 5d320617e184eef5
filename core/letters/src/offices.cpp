#include "comptoir/letters/offices.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <tuple>

namespace comptoir {
namespace {

std::string trim(const std::string& text) {
    const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    const auto first = std::find_if_not(text.begin(), text.end(), blank);
    const auto last = std::find_if_not(text.rbegin(), text.rend(), blank).base();
    return first < last ? std::string(first, last) : std::string();
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t end = text.find(separator);; end = text.find(separator, start)) {
        const std::string part = trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!part.empty()) parts.push_back(part);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return parts;
}

bool is_postcode(const std::string& text) {
    return text.size() == 5 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string quote(const std::string& text) { return "« " + text + " »"; }

// Where the postcode of `part` starts, or npos: five digits standing alone, not a TSA, CS or BP
// number ("TSA 21941" sorts the mail; it is not where the letter goes).
size_t postcode_in(const std::string& part) {
    static const std::regex word(R"(\S+)");
    std::string previous;
    for (auto it = std::sregex_iterator(part.begin(), part.end(), word); it != std::sregex_iterator(); ++it) {
        const std::string token = it->str();
        if (is_postcode(token) && previous != "tsa" && previous != "cs" && previous != "bp") {
            return static_cast<size_t>(it->position());
        }
        previous = lower(token);
    }
    return std::string::npos;
}

// "le code postal (offices.caf.postcode), la ville (offices.caf.city)"; "" when complete.
std::string missing_parts(const Office& office, const std::string& prefix) {
    std::vector<std::string> missing;
    const auto key = [&](const char* attribute) { return prefix.empty() ? "" : " (" + prefix + attribute + ")"; };
    if (office.name.empty()) missing.push_back("le nom" + key("name"));
    if (office.postcode.empty()) missing.push_back("le code postal" + key("postcode"));
    if (office.city.empty()) missing.push_back("la ville" + key("city"));
    std::string text;
    for (const auto& part : missing) text += (text.empty() ? "" : ", ") + part;
    return text;
}

const char* const kIncompleteConsequence = " : les courriers qui lui sont adressés demanderont l'adresse au médiateur";

Office read_entry(const std::string& id, std::map<std::string, std::string> attributes, OfficeNotes& notes) {
    const std::string prefix = "offices." + id + ".";
    const auto bad = [&](const std::string& attribute, const std::string& expected) {
        notes.errors.push_back("valeur invalide pour " + quote(prefix + attribute) + " : " + quote(attributes[attribute]) +
                               " (attendu : " + expected + ")");
    };
    Office office;
    office.id = id;
    office.kind = lower(trim(attributes["kind"]));
    if (office.kind.empty()) {
        notes.errors.push_back("l'organisme " + quote("offices." + id) + " n'a pas de type : écrivez " + prefix +
                               "kind = caf, fsl, sip, ccas, mediateur…");
    } else if (!std::regex_match(office.kind, std::regex("[a-z0-9_-]+"))) {
        bad("kind", "un mot en minuscules, chiffres, - ou _, par exemple caf, fsl, sip, ccas, mediateur");
    }
    office.name = trim(attributes["name"]);
    office.lines = split(attributes["lines"], '|');
    office.postcode = trim(attributes["postcode"]);
    if (!office.postcode.empty() && !is_postcode(office.postcode)) bad("postcode", "un code postal de 5 chiffres");
    office.city = trim(attributes["city"]);
    if (const std::string departement = trim(attributes["departement"]); !departement.empty()) {
        office.departement = departement_code(departement);
        if (office.departement.empty()) bad("departement", "un numéro de département, par exemple 56, 2A ou 974");
    }
    if (const std::string missing = missing_parts(office, prefix); !missing.empty()) {
        notes.warnings.push_back("l'organisme " + quote("offices." + id) + " n'est pas complet, il lui manque " + missing +
                                 kIncompleteConsequence);
    }
    return office;
}

}  // namespace

bool Office::complete() const { return !name.empty() && !postcode.empty() && !city.empty(); }

std::string Office::address() const {
    std::vector<std::string> parts{name};
    parts.insert(parts.end(), lines.begin(), lines.end());
    parts.push_back(trim(postcode + " " + city));
    std::string text;
    for (const auto& part : parts) {
        if (!part.empty()) text += (text.empty() ? "" : ", ") + part;
    }
    return text;
}

const std::vector<std::pair<std::string, std::string>>& office_attributes() {
    static const std::vector<std::pair<std::string, std::string>> attributes = {
        {"kind", "type de l'organisme : caf, fsl, sip, ccas, mediateur… (un courrier désigne son destinataire par son type)"},
        {"name", "nom de l'organisme, première ligne de l'adresse"},
        {"lines", "lignes de l'adresse entre le nom et le code postal, séparées par « | »"},
        {"postcode", "code postal (5 chiffres) ; sans lui, les courriers demandent l'adresse au médiateur"},
        {"city", "ville, après le code postal (par exemple « Vannes Cedex 9 »)"},
        {"departement", "département servi (56, 2A, 974…) : entre plusieurs organismes d'un même type, celui du "
                        "département du site est choisi"},
    };
    return attributes;
}

std::vector<Office> read_offices(const std::map<std::string, std::string>& keys, OfficeNotes& notes) {
    static const std::regex entry_key(R"(offices\.([a-z0-9_-]+)\.([^.]+))");
    std::map<std::string, std::map<std::string, std::string>> entries;  // id -> attribute -> value
    for (const auto& [key, value] : keys) {
        if (key.rfind("offices.", 0) != 0) continue;
        std::smatch match;
        if (!std::regex_match(key, match, entry_key)) {
            notes.errors.push_back("clé inconnue " + quote(key) + " (un organisme s'écrit offices.<id>.<attribut>, id en "
                                   "minuscules, chiffres, - ou _)");
            continue;
        }
        const auto& attributes = office_attributes();
        const bool known = std::any_of(attributes.begin(), attributes.end(), [&](const auto& a) { return a.first == match[2]; });
        if (!known) {
            notes.errors.push_back("clé inconnue " + quote(key) + " (attributs d'un organisme : kind, name, lines, "
                                   "postcode, city, departement)");
            continue;
        }
        entries[match[1]][match[2]] = value;
    }
    std::vector<Office> offices;
    for (const auto& [id, attributes] : entries) offices.push_back(read_entry(id, attributes, notes));

    // The former keys, one string each: read while the directory has no office of their kind.
    for (const auto& [kind, key, what] : {std::tuple<std::string, std::string, std::string>{"caf", "site.caf_address", "de la Caf"},
                                          {"fsl", "site.fsl_address", "du Fonds de solidarité pour le logement"}}) {
        const auto it = keys.find(key);
        if (it == keys.end() || trim(it->second).empty()) continue;
        if (const Office* existing = choose_office(offices, kind, "")) {
            notes.warnings.push_back(quote(key) + " est ignorée : l'annuaire des organismes a déjà un organisme de type " + kind +
                                     " (offices." + existing->id + ") ; retirez-la");
            continue;
        }
        Office office = office_from_text(it->second);
        office.kind = kind;
        office.id = kind;
        office.former_key = key;
        for (int n = 2; std::any_of(offices.begin(), offices.end(), [&](const Office& o) { return o.id == office.id; }); ++n) {
            office.id = kind + "-" + std::to_string(n);
        }
        notes.warnings.push_back(quote(key) + " est l'ancienne forme de l'adresse " + what +
                                 " : elle est lue, mais écrivez-la dans l'annuaire des organismes, offices.<id>.kind = " +
                                 kind + " avec offices.<id>.name, .lines, .postcode, .city et .departement (« comptoir "
                                 "config » montre l'entrée lue)");
        if (const std::string missing = missing_parts(office, ""); !missing.empty()) {
            notes.warnings.push_back("l'adresse de " + quote(key) + " n'est pas complète, il lui manque " + missing +
                                     " (un code postal de 5 chiffres suivi de la ville)" + kIncompleteConsequence);
        }
        offices.push_back(std::move(office));
    }
    return offices;
}

Office office_from_text(const std::string& text) {
    const std::vector<std::string> parts = split(text, ',');
    Office office;
    for (size_t i = parts.size(); i-- > 0;) {
        const size_t at = postcode_in(parts[i]);
        if (at == std::string::npos) continue;
        const std::string before = trim(parts[i].substr(0, at));
        office.postcode = parts[i].substr(at, 5);
        office.city = trim(parts[i].substr(at + 5));
        for (size_t j = i + 1; j < parts.size(); ++j) office.city += (office.city.empty() ? "" : ", ") + parts[j];
        if (i == 0) {
            office.name = before;
        } else {
            office.name = parts[0];
            office.lines.assign(parts.begin() + 1, parts.begin() + static_cast<std::ptrdiff_t>(i));
            if (!before.empty()) office.lines.push_back(before);
        }
        return office;
    }
    if (!parts.empty()) {
        office.name = parts[0];
        office.lines.assign(parts.begin() + 1, parts.end());
    }
    return office;
}

std::string departement_of_postcode(const std::string& postcode) {
    if (!is_postcode(postcode) || postcode.compare(0, 2, "00") == 0) return {};
    if (postcode.compare(0, 2, "20") == 0) return postcode < "20200" ? "2A" : "2B";  // Corse-du-Sud, Haute-Corse
    if (postcode.compare(0, 2, "97") == 0 || postcode.compare(0, 2, "98") == 0) return postcode.substr(0, 3);
    return postcode.substr(0, 2);
}

std::string departement_code(const std::string& text) {
    std::string code = trim(text);
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (code.size() == 1) code = "0" + code;
    static const std::regex departement(R"(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-8]|98[4-9])");
    return std::regex_match(code, departement) ? code : std::string();
}

const Office* choose_office(const std::vector<Office>& offices, const std::string& kind, const std::string& departement) {
    const Office* first = nullptr;
    for (const auto& office : offices) {
        if (office.kind != kind) continue;
        if (!departement.empty() && office.departement == departement) return &office;
        if (!first) first = &office;
    }
    return first;
}

}  // namespace comptoir
