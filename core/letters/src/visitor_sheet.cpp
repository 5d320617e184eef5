// The visitor's sheet: its templates (.fiche files) and its composition. The PDF is in
// visitor_sheet_pdf.cpp.
#include "comptoir/letters/visitor_sheet.hpp"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace comptoir {
namespace {

namespace mustache = kainjow::mustache;

// Around each value in a rendered line, so that the layout draws values larger. Values never
// hold these bytes: control characters are removed from them first.
constexpr char kValueStart = '\x01';
constexpr char kValueEnd = '\x02';
// A value longer than this is cut at a word, with "…": the sheet says the gist, the letter the rest.
constexpr size_t kValueLimit = 140;

const std::map<std::string, Pictogram>& pictograms() {
    static const std::map<std::string, Pictogram> names = {
        {"papier", Pictogram::papier},   {"enveloppe", Pictogram::enveloppe}, {"euro", Pictogram::euro},
        {"calendrier", Pictogram::calendrier}, {"dossier", Pictogram::dossier}, {"horloge", Pictogram::horloge},
        {"recu", Pictogram::recu}};
    return names;
}

// One line, no control characters, no bidirectional overrides (which could reorder the text).
std::string clean(const std::string& value) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c == 0x7F) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            continue;
        }
        if (c == 0xE2 && i + 2 < value.size()) {  // U+202A–U+202E, U+2066–U+2069
            const auto b1 = static_cast<unsigned char>(value[i + 1]);
            const auto b2 = static_cast<unsigned char>(value[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
                i += 2;
                continue;
            }
        }
        out.push_back(static_cast<char>(c));
    }
    out = Poco::trim(out);
    if (out.size() > kValueLimit) {
        size_t cut = out.rfind(' ', kValueLimit);
        if (cut == std::string::npos || cut < kValueLimit / 2) {
            cut = kValueLimit;
            while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a whole character
        }
        out = Poco::trimRight(out.substr(0, cut)) + "\u2026";
    }
    return out;
}

bool yes(const std::string& value) { return Poco::icompare(value, "oui") == 0 || Poco::icompare(value, "true") == 0; }
bool yes_or_no(const std::string& value) { return yes(value) || Poco::icompare(value, "non") == 0 || Poco::icompare(value, "false") == 0; }

// The variables a line prints outside any section: without them the line is left out.
std::vector<std::string> plain_variables(const std::string& text) {
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

// What the sheet's templates may use.
class Values {
public:
    void put(const std::string& key, const std::string& raw, const std::string& type) {
        const std::string value = clean(raw);
        if (value.empty()) return;
        if (type == "oui_non" || (type.empty() && yes_or_no(value))) {
            // "non" must not open a {{#recommande}} section: a yes/no is a boolean.
            data_.set(key, yes(value) ? mustache::data(mustache::data::type::bool_true) : mustache::data(mustache::data::type::bool_false));
            if (yes(value)) available_.insert(key);
            return;
        }
        set(key, value);
        if (type == "amount" || type == "montant") set(key + "_fr", french_amount(value));
        if (type == "date") set(key + "_fr", french_date_from_iso(value));
    }
    void set(const std::string& key, const std::string& value) {
        data_.set(key, std::string(1, kValueStart) + value + kValueEnd);
        available_.insert(key);
    }
    bool has(const std::string& key) const { return available_.count(key) > 0; }
    const mustache::data& data() const { return data_; }

private:
    mustache::data data_;
    std::set<std::string> available_;
};

std::string render(const std::string& text, const Values& values) {
    mustache::mustache tmpl(text);
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // a PDF, not HTML
    return tmpl.render(values.data());
}

// A rendered line into its runs; blanks collapsed, none at either end.
std::vector<SheetRun> runs_of(const std::string& rendered) {
    std::vector<SheetRun> runs;
    SheetRun current;
    for (char c : rendered) {
        if (c == kValueStart || c == kValueEnd) {
            if (!current.text.empty()) runs.push_back(current);
            current = SheetRun{"", c == kValueStart};
            continue;
        }
        if (c == '\n' || c == '\t') c = ' ';
        if (c == ' ' && (current.text.empty() ? (runs.empty() || runs.back().text.back() == ' ') : current.text.back() == ' ')) continue;
        current.text.push_back(c);
    }
    if (!current.text.empty()) runs.push_back(current);
    // A value that ends a sentence itself takes the full stop after it: no "..".
    for (size_t i = 1; i < runs.size(); ++i) {
        const std::string& before = runs[i - 1].text;
        const bool ended = runs[i - 1].value && !before.empty() &&
                           (std::string(".!?").find(before.back()) != std::string::npos ||
                            (before.size() >= 3 && before.compare(before.size() - 3, 3, "\u2026") == 0));
        if (ended && !runs[i].value && runs[i].text[0] == '.') runs[i].text.erase(0, 1);
    }
    runs.erase(std::remove_if(runs.begin(), runs.end(), [](const SheetRun& run) { return run.text.empty(); }), runs.end());
    while (!runs.empty() && Poco::trim(runs.back().text).empty()) runs.pop_back();
    if (!runs.empty()) runs.back().text = Poco::trimRight(runs.back().text);
    return runs;
}

void add_blocks(const SheetTemplate& sheet, const Values& values, ComposedSheet& out) {
    for (const auto& block : sheet.blocks) {
        SheetBlock composed;
        composed.pictogram = block.pictogram;
        for (const auto& line : block.lines) {
            const auto names = plain_variables(line);
            if (!std::all_of(names.begin(), names.end(), [&](const std::string& name) { return values.has(name); })) continue;
            auto runs = runs_of(render(line, values));
            if (!runs.empty()) composed.lines.push_back(std::move(runs));
        }
        if (composed.lines.empty()) continue;  // nothing the document or the letter says
        std::string heading;
        for (const auto& run : runs_of(render(block.heading, values))) heading += run.text;
        composed.heading = heading;
        out.blocks.push_back(std::move(composed));
    }
}

}  // namespace

bool pictogram_of(const std::string& name, Pictogram& out) {
    const auto found = pictograms().find(name);
    if (found == pictograms().end()) return false;
    out = found->second;
    return true;
}

SheetTemplate parse_sheet_template_text(const std::string& text, const std::string& path) {
    SheetTemplate sheet;
    sheet.file = path;
    sheet.id = Poco::Path(path).getBaseName();
    std::istringstream in(text);
    std::string raw;
    int number = 0;
    static const std::regex block_line(R"(\[\s*([a-z]+)\s*\]\s*(.*))");
    const auto where = [&] { return path + ":" + std::to_string(number) + " : "; };
    const auto check = [&](const std::string& line) {
        mustache::mustache tmpl(line);
        if (!tmpl.is_valid()) {
            throw TemplateError(where() + "modèle invalide (chaque ligne de la fiche est complète : une section "
                                          "{{#…}} s'ouvre et se ferme sur la même ligne) : " + tmpl.error_message());
        }
    };
    while (std::getline(in, raw)) {
        ++number;
        const std::string line = Poco::trim(raw);
        if (line.empty() || line[0] == '#') continue;
        std::smatch match;
        if (std::regex_match(line, match, block_line)) {
            SheetBlockTemplate block;
            if (!pictogram_of(match[1], block.pictogram)) {
                std::string known;
                for (const auto& [name, picto] : pictograms()) known += (known.empty() ? "" : ", ") + name;
                throw TemplateError(where() + "pictogramme inconnu « " + std::string(match[1]) + " » (" + known + ")");
            }
            block.heading = Poco::trim(std::string(match[2]));
            block.line = number;
            check(block.heading);
            sheet.blocks.push_back(std::move(block));
            continue;
        }
        if (sheet.blocks.empty()) {
            throw TemplateError(where() + "une ligne avant le premier bloc : un bloc commence par « [pictogramme] Titre » "
                                          "(voir templates/README.md)");
        }
        check(line);
        sheet.blocks.back().lines.push_back(line);
    }
    if (sheet.blocks.empty()) throw TemplateError(path + ":1 : la fiche n'a aucun bloc");
    return sheet;
}

SheetTemplate parse_sheet_template(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TemplateError(path + " : fiche illisible");
    std::stringstream whole;
    whole << in.rdbuf();
    return parse_sheet_template_text(whole.str(), path);
}

std::string find_sheet_template(const std::vector<std::string>& folders, const std::string& id) {
    if (!std::regex_match(id, std::regex("[a-z0-9_]+(\\.[a-z0-9_]+)*"))) return {};
    return find_in_template_folders(folders, id, "fiche");
}

ComposedSheet compose_sheet(const SheetTemplate* kind, const SheetTemplate& letter, const SheetInput& input) {
    Values values;
    if (input.data) {
        for (const auto& [key, value] : input.data->fields) {
            const auto type = input.data->field_types.find(key);
            values.put(key, value, type == input.data->field_types.end() ? "" : type->second);
        }
        std::map<std::string, std::string> question_types;
        if (input.letter) {
            for (const auto& question : input.letter->questions) question_types[question.key] = question.type;
        }
        for (const auto& [key, value] : input.data->answers) {
            const auto type = question_types.find(key);
            values.put(key, value, type == question_types.end() ? "" : type->second);
        }
    }
    if (input.letter) values.put("courrier_titre", input.letter->title, "texte");
    if (input.composed) {
        values.put("courrier_objet", input.composed->subject, "texte");
        if (!input.composed->recipient.empty()) values.put("courrier_destinataire", input.composed->recipient.front(), "texte");
    }
    values.put("courrier_date_fr", input.date_fr, "texte");
    values.put("site_nom", input.site_name, "texte");

    ComposedSheet out;
    out.title = "Votre fiche";
    const std::string date = clean(input.date_fr);
    const std::string site = clean(input.site_name);
    if (!date.empty()) out.subtitle = "Courrier préparé le " + date;
    if (!site.empty()) out.subtitle += (out.subtitle.empty() ? "" : " \u2013 ") + site;
    if (kind) add_blocks(*kind, values, out);
    add_blocks(letter, values, out);
    return out;
}

}  // namespace comptoir
