// Reading a definition (definition.hpp): YAML walked with its marks, each mistake refused with
// its line.
#include "definition.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <sstream>

namespace rules {
namespace {

namespace layout = comptoir::sdk::layout;

std::string quote(const std::string& text) { return "« " + text + " »"; }

std::string base_name(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string folder_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// Walks a parsed file with the file's name for its refusals and a bound on the nodes visited
// (an alias repeated a thousand times is as many nodes).
class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& reason) const {
        throw Refusal{file_, node.Mark().is_null() ? 0 : node.Mark().line + 1, reason};
    }

    void visit(const YAML::Node& node) {
        if (++nodes_ > kMaxNodes) fail(node, "définition trop grande (plus de " + std::to_string(kMaxNodes) + " éléments)");
    }

    // A map's keys must all be known: a misspelt key is a mistake, not a default.
    void only(const YAML::Node& map, const std::set<std::string>& keys, const std::string& what) {
        if (!map.IsMap()) fail(map, what + " : une liste de clés « clé: valeur » est attendue");
        for (const auto& entry : map) {
            visit(entry.first);
            const std::string key = entry.first.Scalar();
            if (!keys.count(key)) {
                std::string known;
                for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
                fail(entry.first, what + " : clé inconnue " + quote(key) + " (clés possibles : " + known + ")");
            }
        }
    }

    std::string text(const YAML::Node& map, const std::string& key, bool required, const std::string& what) {
        const YAML::Node node = map[key];
        if (!node) {
            if (required) fail(map, what + " : la clé " + quote(key) + " manque");
            return {};
        }
        visit(node);
        if (!node.IsScalar() || node.Scalar().empty()) fail(node, what + " : " + quote(key) + " doit être un texte non vide");
        return node.Scalar();
    }

    float number(const YAML::Node& map, const std::string& key, float fallback, float low, float high, const std::string& what) {
        const YAML::Node node = map[key];
        if (!node) return fallback;
        visit(node);
        float value = 0;
        try {
            value = node.as<float>();
        } catch (const YAML::Exception&) {
            fail(node, what + " : " + quote(key) + " doit être un nombre");
        }
        if (!(value >= low && value <= high)) {
            fail(node, what + " : " + quote(key) + " doit être entre " + std::to_string(low).substr(0, 4) + " et " +
                           std::to_string(high).substr(0, 4));
        }
        return value;
    }

    std::vector<std::string> texts(const YAML::Node& node, const std::string& what) {
        std::vector<std::string> out;
        if (!node) return out;
        visit(node);
        if (node.IsScalar()) return {node.Scalar()};
        if (!node.IsSequence()) fail(node, what + " : une liste est attendue");
        for (const auto& item : node) {
            visit(item);
            if (!item.IsScalar() || item.Scalar().empty()) fail(item, what + " : chaque élément doit être un texte non vide");
            out.push_back(item.Scalar());
        }
        return out;
    }

    // Labels: "texte" or {text: "texte", weight: 0.5}.
    std::vector<x::Label> labels(const YAML::Node& node, const std::string& what) {
        std::vector<x::Label> out;
        if (!node) return out;
        if (!node.IsSequence()) fail(node, what + " : une liste de libellés est attendue");
        for (const auto& item : node) {
            visit(item);
            if (item.IsScalar() && !item.Scalar().empty()) {
                out.push_back({item.Scalar(), 1.0f});
                continue;
            }
            only(item, {"text", "weight"}, what);
            out.push_back({text(item, "text", true, what), number(item, "weight", 1.0f, 0.05f, 1.0f, what)});
        }
        return out;
    }

    const std::string& file() const { return file_; }

private:
    std::string file_;
    size_t nodes_ = 0;
};

// Bounds the file before yaml-cpp reads it (its parser recurses): its nesting by indentation
// and by brackets.
void check_shape(const std::string& file, const std::string& text) {
    if (text.size() > kMaxFileBytes) {
        throw Refusal{file, 0, "fichier trop grand (" + std::to_string(text.size() / 1024) + " Ko, " +
                                   std::to_string(kMaxFileBytes / 1024) + " Ko au plus)"};
    }
    int line = 1;
    size_t depth = 0;
    size_t indent = 0;
    bool line_start = true;
    for (char c : text) {
        if (c == '\n') {
            ++line;
            line_start = true;
            indent = 0;
            continue;
        }
        if (line_start && (c == ' ' || c == '-')) {
            if (++indent > 2 * kMaxDepth + 8) throw Refusal{file, line, "imbrication trop profonde (" + std::to_string(kMaxDepth) + " niveaux au plus)"};
            continue;
        }
        line_start = false;
        if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) throw Refusal{file, line, "imbrication trop profonde (" + std::to_string(kMaxDepth) + " niveaux au plus)"};
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

std::optional<x::Type> type_of(const std::string& name) {
    static const std::map<std::string, x::Type> types = {
        {"identifier", x::Type::identifier}, {"amount", x::Type::amount}, {"date", x::Type::date},
        {"period", x::Type::period},         {"count", x::Type::count},   {"decimal", x::Type::decimal},
        {"quantity", x::Type::decimal},     {"name", x::Type::name},     {"address", x::Type::address},
        {"text", x::Type::text}};
    const auto it = types.find(name);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

comptoir_field_type c_type_of(const std::string& name) {
    static const std::map<std::string, comptoir_field_type> types = {
        {"identifier", COMPTOIR_FIELD_IDENTIFIER}, {"amount", COMPTOIR_FIELD_AMOUNT}, {"date", COMPTOIR_FIELD_DATE},
        {"count", COMPTOIR_FIELD_COUNT},           {"decimal", COMPTOIR_FIELD_DECIMAL}, {"quantity", COMPTOIR_FIELD_DECIMAL},
        {"name", COMPTOIR_FIELD_NAME},             {"address", COMPTOIR_FIELD_ADDRESS}, {"text", COMPTOIR_FIELD_TEXT}};
    const auto it = types.find(name);
    return it == types.end() ? COMPTOIR_FIELD_TEXT : it->second;
}

// A kind's id: dotted lower-case parts ("eau.facture").
const RE2 kKindId(R"([a-z0-9_]+(\.[a-z0-9_]+)+)");

bool valid_key(const std::string& key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void read_field(Reader& r, const YAML::Node& node, Definition& d) {
    const std::string what = "champ";
    r.only(node, {"key", "label", "type", "labels", "relations", "length", "alphabet", "pattern", "unit", "cents",
                  "threshold", "stems", "heads", "forms", "may_share", "report", "start", "end", "start_label", "end_label", "month"},
           what);
    x::FieldSpec spec;
    spec.key = r.text(node, "key", true, what);
    const std::string where = "champ " + quote(spec.key);
    if (!valid_key(spec.key)) r.fail(node["key"], where + " : une clé s'écrit en minuscules, chiffres et _");
    for (const auto& other : d.schema.fields) {
        if (other.key == spec.key) r.fail(node["key"], where + " déclaré deux fois");
    }
    const std::string type = r.text(node, "type", true, where);
    const auto engine_type = type_of(type);
    if (!engine_type) {
        r.fail(node["type"], where + " : type de champ inconnu " + quote(type) +
                                 " (types possibles : identifier, amount, date, period, count, decimal, quantity, name, address, text)");
    }
    spec.type = *engine_type;
    spec.labels = r.labels(node["labels"], where);
    if (const YAML::Node relations = node["relations"]) {
        static const std::map<std::string, x::Relation> names = {
            {"right", x::Relation::right}, {"below", x::Relation::below}, {"column", x::Relation::column},
            {"box_title", x::Relation::box_title}, {"shape", x::Relation::shape}, {"address_window", x::Relation::address_window}};
        spec.relations = 0;
        for (const auto& name : r.texts(relations, where)) {
            const auto it = names.find(name);
            if (it == names.end()) {
                r.fail(relations, where + " : relation inconnue " + quote(name) +
                                      " (right, below, column, box_title, shape, address_window)");
            }
            spec.relations |= x::bit(it->second);
        }
    }
    if (spec.labels.empty() && (spec.relations & x::kLabelled)) r.fail(node, where + " : aucun libellé (labels) pour le trouver");
    Declared declared{spec.key, r.text(node, "label", spec.type != x::Type::period, where), c_type_of(type), 0, 0, COMPTOIR_ALPHABET_ANY};
    if (const YAML::Node length = node["length"]) {
        r.visit(length);
        if (!length.IsSequence() || length.size() != 2) r.fail(length, where + " : length s'écrit [minimum, maximum]");
        try {
            spec.min_length = length[0].as<size_t>();
            spec.max_length = length[1].as<size_t>();
        } catch (const YAML::Exception&) {
            r.fail(length, where + " : length s'écrit [minimum, maximum], deux nombres entiers");
        }
        if (spec.min_length > spec.max_length || spec.max_length > 64) r.fail(length, where + " : longueurs incohérentes (au plus 64)");
        declared.min_length = static_cast<uint32_t>(spec.min_length);
        declared.max_length = static_cast<uint32_t>(spec.max_length);
    }
    if (const std::string alphabet = r.text(node, "alphabet", false, where); !alphabet.empty()) {
        if (alphabet == "digits") spec.alphabet = x::Alphabet::digits, declared.alphabet = COMPTOIR_ALPHABET_DIGITS;
        else if (alphabet == "alnum") spec.alphabet = x::Alphabet::alnum, declared.alphabet = COMPTOIR_ALPHABET_ALNUM;
        else if (alphabet == "upper_alnum") spec.alphabet = x::Alphabet::upper_alnum, declared.alphabet = COMPTOIR_ALPHABET_UPPER_ALNUM;
        else r.fail(node["alphabet"], where + " : alphabet inconnu " + quote(alphabet) + " (digits, alnum, upper_alnum)");
    } else if (spec.type == x::Type::identifier) {
        spec.alphabet = x::Alphabet::upper_alnum;  // the engine's identifiers: capitals and digits
    }
    if (const std::string pattern = r.text(node, "pattern", false, where); !pattern.empty()) {
        if (pattern.size() > kMaxPatternBytes) {
            r.fail(node["pattern"], where + " : motif trop long (" + std::to_string(kMaxPatternBytes) + " caractères au plus)");
        }
        RE2::Options options;
        options.set_log_errors(false);
        options.set_max_mem(1 << 20);
        auto re = std::make_shared<RE2>(pattern, options);
        if (!re->ok()) {
            r.fail(node["pattern"], where + " : motif refusé par RE2 (" + re->error() +
                                        ") — les références arrière et autres constructions à retour arrière ne sont pas admises");
        }
        d.patterns[spec.key] = re;
        spec.check = [re](const std::string& value) { return RE2::FullMatch(value, *re); };
    }
    spec.unit = r.text(node, "unit", false, where);
    if (type == "quantity") spec.parse = quantity_parser(spec.unit.empty() ? "m3" : spec.unit);
    if (type == "quantity") spec.unit.clear();
    if (const YAML::Node cents = node["cents"]) spec.cents = cents.as<bool>(true);
    spec.threshold = r.number(node, "threshold", spec.threshold, 0.0f, 2.0f, where);
    if (const YAML::Node stems = node["stems"]) {
        if (!stems.IsMap()) r.fail(stems, where + " : stems s'écrit { mot: poids, … }");
        for (const auto& stem : stems) {
            r.visit(stem.first);
            spec.stems.emplace_back(comptoir::sdk::layout::fold(stem.first.Scalar()), r.number(stems, stem.first.Scalar(), 0.5f, 0.0f, 1.0f, where));
        }
    }
    for (const auto& head : r.texts(node["heads"], where)) spec.heads.push_back(comptoir::sdk::layout::fold(head));
    spec.forms = r.texts(node["forms"], where);
    if (!spec.forms.empty() && spec.type != x::Type::identifier) r.fail(node["forms"], where + " : forms ne vaut que pour un identifiant");
    for (const auto& form : spec.forms) {
        if (form.empty() || form.size() > 64) r.fail(node["forms"], where + " : une forme a de 1 à 64 caractères");
    }
    spec.may_share = r.texts(node["may_share"], where);
    if (const YAML::Node report = node["report"]) spec.report = report.as<bool>(true);
    if (spec.type == x::Type::period) {
        spec.start_key = r.text(node, "start", true, where);
        spec.end_key = r.text(node, "end", true, where);
        if (!valid_key(spec.start_key) || !valid_key(spec.end_key)) r.fail(node, where + " : start et end sont des clés de champ");
        d.declared.push_back({spec.start_key, r.text(node, "start_label", false, where), COMPTOIR_FIELD_DATE, 0, 0, COMPTOIR_ALPHABET_ANY});
        d.declared.push_back({spec.end_key, r.text(node, "end_label", false, where), COMPTOIR_FIELD_DATE, 0, 0, COMPTOIR_ALPHABET_ANY});
        if (d.declared[d.declared.size() - 2].label.empty()) d.declared[d.declared.size() - 2].label = "Début de la période";
        if (d.declared.back().label.empty()) d.declared.back().label = "Fin de la période";
        // month: true — a month alone ("mars 2025", "03/2025") is the whole month.
        if (const YAML::Node month = node["month"]; month && month.as<bool>(false)) spec.parse = month_period_parser();
    } else if (spec.report) {
        d.declared.push_back(declared);
    }
    d.schema.fields.push_back(std::move(spec));
}

bool declares(const Definition& d, const std::string& key) {
    return std::any_of(d.declared.begin(), d.declared.end(), [&](const Declared& f) { return f.key == key; }) ||
           std::any_of(d.schema.fields.begin(), d.schema.fields.end(), [&](const x::FieldSpec& f) { return f.key == key; });
}

// A letter's template, read to check what it names: every {{name}} a field of the definition,
// one of its own questions, or one the host gives (site_…, courrier_…, phrase…).
void check_template(Reader& r, const YAML::Node& node, const Definition& d, const LetterRule& letter, const std::string& path) {
    std::ifstream in(path);
    if (!in) r.fail(node["template"], "courrier " + quote(letter.id) + " : modèle introuvable " + quote(base_name(path)));
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text;  // its comment lines left out
    for (std::string line; std::getline(buffer, line);) {
        if (line.empty() || line[0] != '#') text += line + "\n";
    }
    std::set<std::string> questions;
    // The partner's file is scanned with RE2 like the definitions' patterns: linear time on any line.
    static const RE2 question(R"((?m)^question\.([a-z0-9_]+)\.)");
    re2::StringPiece rest(text);
    for (std::string key; RE2::FindAndConsume(&rest, question, &key);) questions.insert(key);
    static const std::set<std::string> host = {"phrase", "minuscule", "pluriel", "key", "key_fr", "texte", "recommande"};
    static const RE2 mustache_tag(R"(\{\{[#/^]?\s*([A-Za-z0-9_.]+)\s*\}\})");
    int fields_named = 0;
    rest = re2::StringPiece(text);
    for (std::string name; RE2::FindAndConsume(&rest, mustache_tag, &name);) {
        const std::string plain = name.size() > 3 && name.compare(name.size() - 3, 3, "_fr") == 0 ? name.substr(0, name.size() - 3) : name;
        if (declares(d, plain)) {
            ++fields_named;
            continue;
        }
        if (questions.count(plain) || host.count(name) || plain.rfind("site_", 0) == 0 || plain.rfind("courrier_", 0) == 0) continue;
        r.fail(node["template"], "courrier " + quote(letter.id) + " : le modèle " + quote(base_name(path)) + " nomme " +
                                     quote(name) + ", qui n'est ni un champ de la définition, ni une de ses questions");
    }
    if (fields_named == 0) {
        r.fail(node["template"], "courrier " + quote(letter.id) + " : le modèle " + quote(base_name(path)) +
                                     " ne nomme aucun champ de la définition");
    }
    static const RE2 listed(R"((?m)^(required_fields|references|recipient\.field)[ \t]*=[ \t]*([^\n]*))");
    rest = re2::StringPiece(text);
    for (std::string list_name, list; RE2::FindAndConsume(&rest, listed, &list_name, &list);) {
        std::stringstream keys(list);
        for (std::string key; std::getline(keys, key, ',');) {
            key.erase(0, key.find_first_not_of(" \t"));
            key.erase(key.find_last_not_of(" \t\r") + 1);
            if (!key.empty() && !declares(d, key)) {
                r.fail(node["template"], "courrier " + quote(letter.id) + " : le modèle " + quote(base_name(path)) + " (" +
                                             list_name + ") nomme " + quote(key) + ", qui n'est pas un champ de la définition");
            }
        }
    }
    static const RE2 id_line(R"((?m)^id[ \t]*=[ \t]*([^\s#]+))");
    std::string id;
    if (!RE2::PartialMatch(text, id_line, &id) || id != letter.id) {
        r.fail(node["template"], "courrier " + quote(letter.id) + " : le modèle " + quote(base_name(path)) +
                                     " doit commencer par « id = " + letter.id + " »");
    }
}

}  // namespace

std::string Refusal::message() const {
    return file + (line > 0 ? ", ligne " + std::to_string(line) : std::string()) + " : " + reason;
}

x::Parser month_period_parser() {
    return [](const x::Page& page, const std::vector<size_t>& span) -> std::optional<x::Reading> {
        if (auto reading = x::detail::from_value(layout::period()(x::detail::words_at(page, span)), span, page)) return reading;
        static const std::vector<std::string> months = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet",
                                                         "aout", "septembre", "octobre", "novembre", "decembre"};
        static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        for (size_t k = 0; k < span.size() && k < 6; ++k) {
            const std::string folded = layout::fold(page.word(span[k]).text);
            int month = 0;
            int year = 0;
            std::vector<size_t> words = {span[k]};
            if (const auto it = std::find(months.begin(), months.end(), folded); it != months.end() && k + 1 < span.size()) {
                const std::string next = page.word(span[k + 1]).text.substr(0, 4);
                if (next.size() != 4 || !std::all_of(next.begin(), next.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) continue;
                month = static_cast<int>(it - months.begin()) + 1;
                year = std::stoi(next);
                words.push_back(span[k + 1]);
            } else {
                static const RE2 numeric(R"((\d{2})[/.-](\d{4}))");  // "03/2025"
                if (!RE2::FullMatch(page.word(span[k]).text, numeric, &month, &year)) continue;
            }
            if (month < 1 || month > 12 || year < 1990 || year > 2100) continue;
            const int last = days[month - 1] + (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 1 : 0);
            char value[32];
            std::snprintf(value, sizeof value, "%04d-%02d-01|%04d-%02d-%02d", year, month, year, month, last);
            x::Reading reading;
            reading.value = value;
            reading.words = words;
            reading.text = x::detail::text_of(page, words);
            reading.quality = 0.9f;
            return reading;
        }
        return std::nullopt;
    };
}

x::Parser quantity_parser(const std::string& unit) {
    const std::string unit_letter = comptoir::sdk::layout::fold(unit).substr(0, 1);
    return [unit_letter](const x::Page& page, const std::vector<size_t>& span) -> std::optional<x::Reading> {
        for (size_t k = 0; k < span.size() && k < 3; ++k) {
            std::string t = page.word(span[k]).text;
            size_t digits = 0;
            while (digits < t.size() && (std::isdigit(static_cast<unsigned char>(t[digits])) || t[digits] == ',' || t[digits] == '.')) ++digits;
            if (digits == 0 || !std::isdigit(static_cast<unsigned char>(t[0]))) continue;
            std::string number = t.substr(0, digits);
            std::string rest = t.substr(digits);
            if (!rest.empty() && comptoir::sdk::layout::fold(rest).substr(0, 1) != unit_letter) continue;  // "57m³" yes, "57€" no
            std::replace(number.begin(), number.end(), ',', '.');
            if (number.back() == '.') number.pop_back();
            const size_t dot = number.find('.');
            if (dot != std::string::npos && (number.find('.', dot + 1) != std::string::npos || number.size() - dot > 3)) continue;
            std::string whole = number.substr(0, dot);
            std::string decimals = dot == std::string::npos ? "" : number.substr(dot + 1);
            if (whole.empty() || whole.size() > 6) continue;
            while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
            while (whole.size() > 1 && whole.front() == '0') whole.erase(0, 1);
            x::Reading reading;
            reading.value = decimals.empty() ? whole : whole + "." + decimals;
            reading.words = {span[k]};
            reading.text = page.word(span[k]).text;
            // A quantity printed with its unit is surer than a bare number.
            const bool unit_next = k + 1 < span.size() && comptoir::sdk::layout::fold(page.word(span[k + 1]).text).substr(0, 1) == unit_letter &&
                                   page.word(span[k + 1]).text.size() <= 4;
            if (unit_next) reading.words.push_back(span[k + 1]);
            reading.quality = (!rest.empty() || unit_next) ? 1.0f : 0.7f;
            return reading;
        }
        return std::nullopt;
    };
}

Definition read_definition(const std::string& path) {
    const std::string file = base_name(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Refusal{file, 0, "fichier illisible"};
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    check_shape(file, text);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& error) {
        throw Refusal{file, error.mark.is_null() ? 0 : error.mark.line + 1, "YAML illisible (" + error.msg + ")"};
    }
    Reader r(file);
    if (!root || !root.IsMap()) throw Refusal{file, 1, "une définition est une liste de clés (id, partner, kinds, fields, letters)"};
    r.only(root, {"id", "partner", "version", "kinds", "fields", "constraints", "others", "letters"}, "définition");
    Definition d;
    d.file = file;
    d.id = r.text(root, "id", true, "définition");
    if (!valid_key(d.id)) r.fail(root["id"], "identifiant " + quote(d.id) + " invalide (minuscules, chiffres et _)");
    d.partner = r.text(root, "partner", true, "définition");
    if (root["version"]) d.version = r.text(root, "version", true, "définition");

    const YAML::Node fields = root["fields"];
    if (!fields || !fields.IsSequence() || fields.size() == 0) r.fail(fields ? fields : root, "définition : la liste fields manque ou est vide");
    for (const auto& field : fields) {
        r.visit(field);
        read_field(r, field, d);
    }
    std::set<std::string> declared;
    for (const auto& f : d.declared) {
        if (!declared.insert(f.key).second) r.fail(fields, "champ " + quote(f.key) + " déclaré deux fois");
    }
    if (const YAML::Node others = root["others"]) d.schema.fields.push_back(x::others(r.labels(others, "others")));

    if (const YAML::Node constraints = root["constraints"]) {
        if (!constraints.IsSequence()) r.fail(constraints, "constraints : une liste est attendue");
        static const std::map<std::string, x::Constraint::Kind> kinds = {
            {"sum", x::Constraint::Kind::sum}, {"difference", x::Constraint::Kind::difference},
            {"before", x::Constraint::Kind::before}, {"at_most", x::Constraint::Kind::at_most}};
        for (const auto& item : constraints) {
            r.visit(item);
            if (!item.IsMap() || item.size() != 1) r.fail(item, "contrainte : une clé (sum, difference, before, at_most) et ses champs");
            const std::string name = item.begin()->first.Scalar();
            const auto kind = kinds.find(name);
            if (kind == kinds.end()) r.fail(item, "contrainte inconnue " + quote(name) + " (sum, difference, before, at_most)");
            x::Constraint c;
            c.kind = kind->second;
            c.keys = r.texts(item.begin()->second, "contrainte " + name);
            const size_t needed = c.kind == x::Constraint::Kind::sum ? 3 : c.kind == x::Constraint::Kind::difference ? 3 : 2;
            if (c.keys.size() < needed || (c.kind != x::Constraint::Kind::sum && c.kind != x::Constraint::Kind::difference && c.keys.size() != needed)) {
                r.fail(item, "contrainte " + name + " : " + std::to_string(needed) + " champs attendus");
            }
            for (const auto& key : c.keys) {
                if (!declares(d, key)) r.fail(item, "contrainte " + name + " : champ inconnu " + quote(key));
            }
            d.schema.constraints.push_back(c);
        }
    }

    const YAML::Node kinds = root["kinds"];
    if (!kinds || !kinds.IsSequence() || kinds.size() == 0) r.fail(kinds ? kinds : root, "définition : la liste kinds manque ou est vide");
    for (const auto& node : kinds) {
        r.visit(node);
        r.only(node, {"id", "label", "words", "unless", "labels_weight", "threshold", "min_words"}, "type de document");
        KindRule kind;
        kind.id = r.text(node, "id", true, "type de document");
        if (kind.id.rfind(d.id + ".", 0) != 0 || !RE2::FullMatch(kind.id, kKindId)) {
            r.fail(node["id"], "type de document " + quote(kind.id) + " : il doit commencer par " + quote(d.id + "."));
        }
        for (const auto& other : d.kinds) {
            if (other.id == kind.id) r.fail(node["id"], "type de document " + quote(kind.id) + " déclaré deux fois");
        }
        kind.label = r.text(node, "label", true, "type de document " + quote(kind.id));
        const YAML::Node words = node["words"];
        if (!words || !words.IsSequence() || words.size() == 0) r.fail(words ? words : node, "type de document " + quote(kind.id) + " : la liste words manque");
        for (const auto& word : words) {
            r.visit(word);
            r.only(word, {"text", "weight"}, "mot de reconnaissance");
            kind.words.push_back({r.texts(word["text"], "mot de reconnaissance"), r.number(word, "weight", 0.0f, 0.0f, 1.0f, "mot de reconnaissance")});
            if (kind.words.back().synonyms.empty()) r.fail(word, "mot de reconnaissance : text manque");
        }
        kind.unless = r.texts(node["unless"], "unless");
        kind.labels_weight = r.number(node, "labels_weight", 0.5f, 0.0f, 1.0f, "type de document");
        kind.threshold = r.number(node, "threshold", 0.5f, 0.0f, 1.0f, "type de document");
        kind.min_words = r.number(node, "min_words", 0.0f, 0.0f, 1.0f, "type de document");
        d.kinds.push_back(std::move(kind));
    }

    if (const YAML::Node letters = root["letters"]) {
        if (!letters.IsSequence()) r.fail(letters, "letters : une liste est attendue");
        for (const auto& node : letters) {
            r.visit(node);
            r.only(node, {"id", "kind", "title", "template", "fields"}, "courrier");
            LetterRule letter;
            letter.id = r.text(node, "id", true, "courrier");
            if (letter.id.rfind(d.id + ".", 0) != 0) r.fail(node["id"], "courrier " + quote(letter.id) + " : il doit commencer par " + quote(d.id + "."));
            letter.kind = r.text(node, "kind", false, "courrier");
            if (!letter.kind.empty() && std::none_of(d.kinds.begin(), d.kinds.end(), [&](const KindRule& k) { return k.id == letter.kind; })) {
                r.fail(node["kind"], "courrier " + quote(letter.id) + " : type de document inconnu " + quote(letter.kind));
            }
            letter.title = r.text(node, "title", true, "courrier");
            letter.template_file = r.text(node, "template", true, "courrier");
            if (letter.template_file.find('/') != std::string::npos) r.fail(node["template"], "courrier : le modèle est un fichier à côté de la définition");
            letter.fields = r.texts(node["fields"], "courrier");
            for (const auto& key : letter.fields) {
                if (!declares(d, key)) r.fail(node["fields"], "courrier " + quote(letter.id) + " : champ inconnu " + quote(key));
            }
            check_template(r, node, d, letter, folder_of(path) + "/" + letter.template_file);
            d.letters.push_back(std::move(letter));
        }
    }
    return d;
}

Loaded load_definitions(const std::string& dir) {
    Loaded out;
    std::vector<std::string> names;
    if (DIR* folder = opendir(dir.c_str())) {
        while (const dirent* entry = readdir(folder)) {
            const std::string name = entry->d_name;
            if (name.size() > 5 && name.compare(name.size() - 5, 5, ".yaml") == 0 && name[0] != '.') names.push_back(name);
        }
        closedir(folder);
    } else {
        out.refusals.push_back({dir, 0, "dossier des définitions introuvable"});
        return out;
    }
    std::sort(names.begin(), names.end());
    std::map<std::string, std::string> taken;
    for (const auto& name : names) {
        if (out.definitions.size() >= kMaxDefinitions) {
            out.refusals.push_back({name, 0, "trop de définitions (" + std::to_string(kMaxDefinitions) + " au plus)"});
            continue;
        }
        try {
            Definition d = read_definition(dir + "/" + name);
            if (const auto it = taken.find(d.id); it != taken.end()) {
                throw Refusal{name, 1, "identifiant " + quote(d.id) + " déjà pris par " + it->second};
            }
            taken[d.id] = name;
            out.definitions.push_back(std::move(d));
        } catch (const Refusal& refusal) {
            out.refusals.push_back(refusal);
        } catch (const std::exception& error) {  // yaml-cpp's conversions
            out.refusals.push_back({name, 0, std::string("définition illisible (") + error.what() + ")"});
        }
    }
    return out;
}

}  // namespace rules
