// The site's directory of offices: the local bodies its letters go to when the document does
// not print their address — the département's Caf, its Fonds de solidarité pour le logement,
// the tax office (sip), the town's CCAS, a mediator… One entry per office in the configuration:
//   offices.<id>.kind         caf, fsl, sip, ccas, mediateur… (free, lower case)
//   offices.<id>.name         the first line of the address
//   offices.<id>.lines        the street lines, separated by |
//   offices.<id>.postcode     five digits
//   offices.<id>.city         what follows the postcode ("Vannes", "Vannes Cedex 9")
//   offices.<id>.departement  the département it serves (56, 2A, 974), if it matters
// The former one-string keys site.caf_address and site.fsl_address are still read into an entry
// of kind caf or fsl. A template's {{site_<kind>}} is the address of the office of that kind.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace comptoir {

struct Office {
    std::string id;                  // offices.<id>; for a former key, its kind ("caf", "fsl")
    std::string kind;                // lower case
    std::string name;
    std::vector<std::string> lines;  // between the name and the postcode
    std::string postcode;            // five digits, or empty
    std::string city;
    std::string departement;         // empty: serves any
    std::string former_key;          // "site.caf_address" when read from a former key, else empty

    // What a letter needs to reach it: a name, a postcode and a city.
    bool complete() const;
    // One part per line of the postal block, joined with ", " (the form of an address field,
    // which the letters set out line by line): "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes".
    std::string address() const;
};

// What reading the directory found: errors refuse the configuration, warnings are said at start.
// Both in French, naming the keys.
struct OfficeNotes {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};

// The attributes of an entry, with what each is for (French), in the order above.
const std::vector<std::pair<std::string, std::string>>& office_attributes();

// Builds the directory from the configuration's keys: every "offices.<id>.<attribute>", in the
// order of the ids, then the former site.caf_address / site.fsl_address when the directory has
// no office of that kind. Other keys are ignored.
std::vector<Office> read_offices(const std::map<std::string, std::string>& keys, OfficeNotes& notes);

// The former one-string form, parts separated by ",": the first part is the name; the part that
// holds a postcode (five digits that are not a TSA, CS or BP number) gives the postcode, and
// what follows it the city; the parts between are the lines. Without a postcode: the name and
// the lines only.
Office office_from_text(const std::string& text);

// The département of a postcode: "56000" → "56", "20090" → "2A", "97400" → "974"; "" when the
// text is not a French postcode.
std::string departement_of_postcode(const std::string& postcode);

// A département code as written in the configuration ("56", "2a", "974"), upper case; "" when
// it is not one.
std::string departement_code(const std::string& text);

// The département named by a text: an address's postcode, a code ("94", "2a"), or its name
// ("Val-de-Marne", "Caf du Val-de-Marne", "de la Haute-Loire"); "" when none.
std::string departement_of(const std::string& text);
// The code of a département's name ("Val-de-Marne" → "94"; accents, case and hyphens ignored;
// a longer text that ends with the name too); "" when none.
std::string departement_of_name(const std::string& name);
// The name of a département's code ("94" → "Val-de-Marne"); "" when unknown.
std::string departement_name(const std::string& code);

// The office of `kind` a letter goes to: among several of that kind, the one serving
// `departement` when there is one, else the first. nullptr when none is of that kind.
const Office* choose_office(const std::vector<Office>& offices, const std::string& kind, const std::string& departement);

}  // namespace comptoir
