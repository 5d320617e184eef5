// The départements by name ("Val-de-Marne" → "94"): a document names its Caf by its
// département's name ("Caf du Val-de-Marne"), and the directory of offices keys them by code.
#include "comptoir/letters/offices.hpp"

#include <Poco/String.h>
#include <Poco/UTF8String.h>

#include <array>
#include <utility>

namespace comptoir {
namespace {

// Lower case, without accents, hyphens and apostrophes as spaces, one space between words.
std::string simplified(const std::string& text) {
    std::string lowered = Poco::UTF8::toLower(text);
    // The accents of French names (Poco 1.11 has no removeAccents).
    static const std::pair<const char*, const char*> accents[] = {
        {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"î", "i"}, {"ï", "i"},
        {"ô", "o"}, {"ö", "o"}, {"û", "u"}, {"ü", "u"}, {"ù", "u"}, {"ç", "c"}, {"’", "'"}};
    for (const auto& [accented, plain] : accents) lowered = Poco::replace(lowered, std::string(accented), std::string(plain));
    std::string out;
    for (const char c : lowered) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (letter) {
            out.push_back(c);
        } else if (!out.empty() && out.back() != ' ') {
            out.push_back(' ');
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

const std::array<std::pair<const char*, const char*>, 101> kDepartements = {{
    {"01", "Ain"}, {"02", "Aisne"}, {"03", "Allier"}, {"04", "Alpes-de-Haute-Provence"}, {"05", "Hautes-Alpes"},
    {"06", "Alpes-Maritimes"}, {"07", "Ardèche"}, {"08", "Ardennes"}, {"09", "Ariège"}, {"10", "Aube"},
    {"11", "Aude"}, {"12", "Aveyron"}, {"13", "Bouches-du-Rhône"}, {"14", "Calvados"}, {"15", "Cantal"},
    {"16", "Charente"}, {"17", "Charente-Maritime"}, {"18", "Cher"}, {"19", "Corrèze"}, {"2A", "Corse-du-Sud"},
    {"2B", "Haute-Corse"}, {"21", "Côte-d'Or"}, {"22", "Côtes-d'Armor"}, {"23", "Creuse"}, {"24", "Dordogne"},
    {"25", "Doubs"}, {"26", "Drôme"}, {"27", "Eure"}, {"28", "Eure-et-Loir"}, {"29", "Finistère"},
    {"30", "Gard"}, {"31", "Haute-Garonne"}, {"32", "Gers"}, {"33", "Gironde"}, {"34", "Hérault"},
    {"35", "Ille-et-Vilaine"}, {"36", "Indre"}, {"37", "Indre-et-Loire"}, {"38", "Isère"}, {"39", "Jura"},
    {"40", "Landes"}, {"41", "Loir-et-Cher"}, {"42", "Loire"}, {"43", "Haute-Loire"}, {"44", "Loire-Atlantique"},
    {"45", "Loiret"}, {"46", "Lot"}, {"47", "Lot-et-Garonne"}, {"48", "Lozère"}, {"49", "Maine-et-Loire"},
    {"50", "Manche"}, {"51", "Marne"}, {"52", "Haute-Marne"}, {"53", "Mayenne"}, {"54", "Meurthe-et-Moselle"},
    {"55", "Meuse"}, {"56", "Morbihan"}, {"57", "Moselle"}, {"58", "Nièvre"}, {"59", "Nord"},
    {"60", "Oise"}, {"61", "Orne"}, {"62", "Pas-de-Calais"}, {"63", "Puy-de-Dôme"}, {"64", "Pyrénées-Atlantiques"},
    {"65", "Hautes-Pyrénées"}, {"66", "Pyrénées-Orientales"}, {"67", "Bas-Rhin"}, {"68", "Haut-Rhin"}, {"69", "Rhône"},
    {"70", "Haute-Saône"}, {"71", "Saône-et-Loire"}, {"72", "Sarthe"}, {"73", "Savoie"}, {"74", "Haute-Savoie"},
    {"75", "Paris"}, {"76", "Seine-Maritime"}, {"77", "Seine-et-Marne"}, {"78", "Yvelines"}, {"79", "Deux-Sèvres"},
    {"80", "Somme"}, {"81", "Tarn"}, {"82", "Tarn-et-Garonne"}, {"83", "Var"}, {"84", "Vaucluse"},
    {"85", "Vendée"}, {"86", "Vienne"}, {"87", "Haute-Vienne"}, {"88", "Vosges"}, {"89", "Yonne"},
    {"90", "Territoire de Belfort"}, {"91", "Essonne"}, {"92", "Hauts-de-Seine"}, {"93", "Seine-Saint-Denis"},
    {"94", "Val-de-Marne"}, {"95", "Val-d'Oise"}, {"971", "Guadeloupe"}, {"972", "Martinique"}, {"973", "Guyane"},
    {"974", "La Réunion"}, {"976", "Mayotte"},
}};

}  // namespace

std::string departement_of_name(const std::string& name) {
    std::string wanted = simplified(name);
    // "Caf du Val-de-Marne", "Caisse d'allocations familiales de la Gironde": the name ends it.
    for (const auto& [code, label] : kDepartements) {
        const std::string known = simplified(label);
        if (wanted == known) return code;
        if (wanted.size() > known.size() && wanted.compare(wanted.size() - known.size(), known.size(), known) == 0 &&
            wanted[wanted.size() - known.size() - 1] == ' ') {
            // "… de la Haute-Loire" ends with "loire" too: the longest name that ends it wins.
            std::string best = code;
            size_t best_size = known.size();
            for (const auto& [other_code, other_label] : kDepartements) {
                const std::string other = simplified(other_label);
                if (other.size() > best_size && wanted.size() >= other.size() &&
                    wanted.compare(wanted.size() - other.size(), other.size(), other) == 0 &&
                    (wanted.size() == other.size() || wanted[wanted.size() - other.size() - 1] == ' ')) {
                    best = other_code;
                    best_size = other.size();
                }
            }
            return best;
        }
    }
    if (wanted == "reunion") return "974";
    return {};
}

std::string departement_name(const std::string& code) {
    for (const auto& [known, label] : kDepartements) {
        if (code == known) return label;
    }
    return {};
}

std::string departement_of(const std::string& text) {
    // An address's postcode (not a TSA, CS or BP number), a code ("94", "2A"), or a name.
    if (const Office office = office_from_text(text); !office.postcode.empty()) {
        if (std::string code = departement_of_postcode(office.postcode); !code.empty()) return code;
    }
    if (std::string code = departement_code(text); !code.empty()) return code;
    return departement_of_name(text);
}

}  // namespace comptoir
