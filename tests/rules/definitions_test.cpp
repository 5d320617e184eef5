// The rules module's definitions (plugins/rules/definition.hpp): the shipped ones read, and each
// mistake refused with its file, its line and what is wrong, in French, the others still read.
#include "definition.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

using comptoir::test::TempDir;

namespace {

const std::string kShipped = COMPTOIR_RULES_DEFINITIONS_DIR;

// A small valid definition; `field_type`, `pattern`, `kinds` and the template are changed one
// at a time by the tests.
std::string definition(const std::string& id = "essai", const std::string& field_type = "amount",
                       const std::string& pattern = "", const std::string& extra_kind = "") {
    return "id: " + id + "\n"                       // 1
           "partner: Essai\n"                        // 2
           "kinds:\n"                                // 3
           "  - id: " + id + ".facture\n"            // 4
           "    label: Facture d'essai\n"            // 5
           "    words:\n"                            // 6
           "      - {text: [Facture d'essai], weight: 0.6}\n" +  // 7
           extra_kind +
           "fields:\n"
           "  - key: montant_ttc\n"
           "    label: Montant TTC\n"
           "    type: " + field_type + "\n" +
           (pattern.empty() ? std::string() : "    pattern: '" + pattern + "'\n") +
           "    labels: [Montant TTC]\n"
           "letters:\n"
           "  - id: " + id + ".lettre\n"
           "    kind: " + id + ".facture\n"
           "    title: Une lettre\n"
           "    template: " + id + ".lettre.lettre\n";
}

std::string letter(const std::string& id, const std::string& body) {
    return "id = " + id + ".lettre\ntitle = Une lettre\nrequired_fields = montant_ttc\n---\n" + body + "\n";
}

rules::Refusal refusal_of(const TempDir& dir, const std::string& file) {
    try {
        rules::read_definition(dir.file(file));
    } catch (const rules::Refusal& refusal) {
        return refusal;
    }
    ADD_FAILURE() << file << " was not refused";
    return {};
}

}  // namespace

TEST(RulesDefinitions, TheShippedOnesRead) {
    const auto loaded = rules::load_definitions(kShipped);
    for (const auto& refusal : loaded.refusals) ADD_FAILURE() << refusal.message();
    ASSERT_EQ(loaded.definitions.size(), 2u);
    EXPECT_EQ(loaded.definitions[0].id, "bailleur");
    EXPECT_EQ(loaded.definitions[1].id, "eau");
    std::set<std::string> eau;
    for (const auto& field : loaded.definitions[1].declared) eau.insert(field.key);
    for (const char* key : {"numero_facture", "reference_client", "numero_compteur", "consommation_m3", "periode_debut",
                            "periode_fin", "montant_ttc", "date_limite_paiement"}) {
        EXPECT_TRUE(eau.count(key)) << key;
    }
    std::set<std::string> bailleur;
    for (const auto& field : loaded.definitions[0].declared) bailleur.insert(field.key);
    for (const char* key : {"reference_locataire", "periode_debut", "periode_fin", "loyer", "charges", "aide_logement",
                            "montant_a_payer", "date_limite_paiement"}) {
        EXPECT_TRUE(bailleur.count(key)) << key;
    }
    EXPECT_EQ(loaded.definitions[1].letters.at(0).id, "eau.echeancier");
    EXPECT_EQ(loaded.definitions[0].letters.at(0).id, "bailleur.plan_apurement");
}

TEST(RulesDefinitions, AGoodOneReadsAndABadOneBesideItIsRefusedAlone) {
    TempDir dir;
    dir.write("a.yaml", definition("essai"));
    dir.write("essai.lettre.lettre", letter("essai", "Montant : {{montant_ttc_fr}}."));
    dir.write("b.yaml", definition("autre", "montant"));
    dir.write("autre.lettre.lettre", letter("autre", "Montant : {{montant_ttc_fr}}."));
    const auto loaded = rules::load_definitions(dir.path());
    ASSERT_EQ(loaded.definitions.size(), 1u);
    EXPECT_EQ(loaded.definitions[0].id, "essai");
    ASSERT_EQ(loaded.refusals.size(), 1u);
    EXPECT_EQ(loaded.refusals[0].message().rfind("b.yaml, ligne 11 : champ « montant_ttc » : type de champ inconnu « montant »", 0), 0u)
        << loaded.refusals[0].message();
}

TEST(RulesDefinitions, ADuplicateKindIsRefusedAtItsLine) {
    TempDir dir;
    dir.write("d.yaml", definition("essai", "amount", "",
                                   "  - id: essai.facture\n    label: Encore\n    words: [{text: [Encore], weight: 0.5}]\n"));
    dir.write("essai.lettre.lettre", letter("essai", "{{montant_ttc}}"));
    const auto refusal = refusal_of(dir, "d.yaml");
    EXPECT_EQ(refusal.line, 8);
    EXPECT_NE(refusal.reason.find("type de document « essai.facture » déclaré deux fois"), std::string::npos) << refusal.message();
}

TEST(RulesDefinitions, ABacktrackingPatternIsRefusedByRe2) {
    TempDir dir;
    dir.write("p.yaml", definition("essai", "amount", "(a+)\\1"));
    dir.write("essai.lettre.lettre", letter("essai", "{{montant_ttc}}"));
    const auto refusal = refusal_of(dir, "p.yaml");
    EXPECT_EQ(refusal.line, 12);
    EXPECT_NE(refusal.reason.find("motif refusé par RE2"), std::string::npos) << refusal.message();
}

TEST(RulesDefinitions, ATooLongPatternIsRefused) {
    TempDir dir;
    dir.write("p.yaml", definition("essai", "amount", std::string(rules::kMaxPatternBytes + 1, 'a')));
    dir.write("essai.lettre.lettre", letter("essai", "{{montant_ttc}}"));
    const auto refusal = refusal_of(dir, "p.yaml");
    EXPECT_EQ(refusal.line, 12);
    EXPECT_NE(refusal.reason.find("motif trop long"), std::string::npos) << refusal.message();
}

TEST(RulesDefinitions, ATemplateNamingAnUnknownFieldIsRefused) {
    TempDir dir;
    dir.write("t.yaml", definition("essai"));
    dir.write("essai.lettre.lettre", letter("essai", "Montant : {{montant_ttc_fr}}, compteur {{numero_compteur}}."));
    const auto refusal = refusal_of(dir, "t.yaml");
    EXPECT_EQ(refusal.line, 17);
    EXPECT_NE(refusal.reason.find("nomme « numero_compteur »"), std::string::npos) << refusal.message();
}

TEST(RulesDefinitions, ATemplateNamingNoFieldIsRefused) {
    TempDir dir;
    dir.write("t.yaml", definition("essai"));
    dir.write("essai.lettre.lettre", "id = essai.lettre\ntitle = Une lettre\n---\nBonjour {{site_nom}}.\n");
    const auto refusal = refusal_of(dir, "t.yaml");
    EXPECT_EQ(refusal.line, 17);
    EXPECT_NE(refusal.reason.find("ne nomme aucun champ"), std::string::npos) << refusal.message();
}

TEST(RulesDefinitions, AYamlSyntaxErrorIsRefusedAtItsLine) {
    TempDir dir;
    dir.write("s.yaml", "id: essai\npartner: Essai\nkinds:\n  - id: [essai.facture\n    label: x\n");
    const auto refusal = refusal_of(dir, "s.yaml");
    EXPECT_GE(refusal.line, 4);
    EXPECT_NE(refusal.reason.find("YAML illisible"), std::string::npos) << refusal.message();
}

TEST(RulesDefinitions, AHugeOrDeeplyNestedFileIsRefusedBeforeItIsParsed) {
    TempDir dir;
    dir.write("big.yaml", "id: essai\nnote: \"" + std::string(rules::kMaxFileBytes, 'x') + "\"\n");
    EXPECT_NE(refusal_of(dir, "big.yaml").reason.find("fichier trop grand"), std::string::npos);
    dir.write("deep.yaml", "id: essai\nfields: " + std::string(100000, '[') + std::string(100000, ']') + "\n");
    const auto deep = refusal_of(dir, "deep.yaml");
    EXPECT_EQ(deep.line, 2);
    EXPECT_NE(deep.reason.find("imbrication trop profonde"), std::string::npos) << deep.message();
    // Aliases repeated: a few lines, a billion nodes once expanded — bounded by the walk.
    std::string laughs = "id: essai\npartner: Essai\na: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'h'; ++c) {
        const std::string previous(1, static_cast<char>(c - 1));
        laughs += std::string(1, c) + ": &" + c + " [*" + previous + ", *" + previous + ", *" + previous + ", *" + previous +
                  ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous + "]\n";
    }
    laughs += "fields:\n  - key: x\n    type: text\n    labels: *h\n";
    dir.write("laughs.yaml", laughs);
    EXPECT_FALSE(refusal_of(dir, "laughs.yaml").reason.empty());
}

TEST(RulesDefinitions, AnIdTakenByAnEarlierDefinitionIsRefused) {
    TempDir dir;
    dir.write("a.yaml", definition("essai"));
    dir.write("b.yaml", definition("essai"));
    dir.write("essai.lettre.lettre", letter("essai", "{{montant_ttc}}"));
    const auto loaded = rules::load_definitions(dir.path());
    ASSERT_EQ(loaded.definitions.size(), 1u);
    ASSERT_EQ(loaded.refusals.size(), 1u);
    EXPECT_EQ(loaded.refusals[0].message(), "b.yaml, ligne 1 : identifiant « essai » déjà pris par a.yaml");
}

TEST(RulesDefinitions, AQuantityAndAMonthAreRead) {
    using comptoir::sdk::Word;
    const std::vector<Word> words = {{"57,5", 0.9f, 1, {100, 100, 60, 20}, 1, 1}, {"m³", 0.9f, 1, {165, 100, 30, 20}, 1, 1},
                                     {"mars", 0.9f, 1, {100, 200, 60, 20}, 2, 2}, {"2025", 0.9f, 1, {165, 200, 50, 20}, 2, 2}};
    const rules::x::Page page(words);
    const auto quantity = rules::quantity_parser("m3")(page, {0, 1});
    ASSERT_TRUE(quantity);
    EXPECT_EQ(quantity->value, "57.5");
    const auto month = rules::month_period_parser()(page, {2, 3});
    ASSERT_TRUE(month);
    EXPECT_EQ(month->value, "2025-03-01|2025-03-31");
}

namespace {

// A rent notice's two lines, worded as no lexicon of the definition holds them.
std::vector<comptoir::sdk::Word> rent_lines() {
    using comptoir::sdk::Word;
    return {{"MONTANT", 0.9f, 1, {100, 100, 90, 20}, 1, 1},   {"DU", 0.9f, 1, {200, 100, 25, 20}, 1, 1},
            {"LOYER", 0.9f, 1, {235, 100, 60, 20}, 1, 1},     {"PRINCIPAL", 0.9f, 1, {305, 100, 110, 20}, 1, 1},
            {"450,00", 0.9f, 1, {430, 100, 70, 20}, 1, 1},    {"Provisions", 0.9f, 1, {100, 140, 110, 20}, 1, 2},
            {"sur", 0.9f, 1, {220, 140, 35, 20}, 1, 2},       {"charges", 0.9f, 1, {265, 140, 80, 20}, 1, 2},
            {"locatives", 0.9f, 1, {355, 140, 100, 20}, 1, 2}, {"35,20", 0.9f, 1, {470, 140, 60, 20}, 1, 2}};
}

std::string rent_definition(bool heads) {
    return std::string("id: loyer\npartner: Essai\nkinds:\n  - id: loyer.avis\n    label: Avis\n"
                       "    words:\n      - {text: [Avis d'échéance], weight: 0.6}\n"
                       "fields:\n"
                       "  - key: loyer\n    label: Loyer\n    type: amount\n    labels: [Loyer hors charges]\n") +
           (heads ? "    heads: [loyer]\n" : "") +
           "  - key: charges\n    label: Charges\n    type: amount\n    labels: [Charges récupérables]\n" +
           (heads ? "    heads: [charges, provision]\n" : "");
}

std::map<std::string, std::string> extracted(const rules::Definition& d, const std::vector<comptoir::sdk::Word>& words) {
    std::map<std::string, std::string> out;
    for (const auto& found : rules::x::run(d.schema, words)) out[found.key] = found.value;
    return out;
}

}  // namespace

TEST(RulesDefinitions, AHeadWordMakesALabelOfTheWordsAroundIt) {
    TempDir dir;
    dir.write("avec.yaml", rent_definition(true));
    dir.write("sans.yaml", rent_definition(false));
    const auto with_heads = extracted(rules::read_definition(dir.file("avec.yaml")), rent_lines());
    EXPECT_EQ(with_heads.count("loyer") ? with_heads.at("loyer") : "", "450.00");
    EXPECT_EQ(with_heads.count("charges") ? with_heads.at("charges") : "", "35.20");
    // Without heads, no wording of the lexicons is printed.
    const auto without = extracted(rules::read_definition(dir.file("sans.yaml")), rent_lines());
    EXPECT_EQ(without.count("loyer") + without.count("charges"), 0u);
}

// One line of words, 12 px a character and 10 px apart, as OCR boxes them.
static std::vector<comptoir::sdk::Word> one_line(const std::vector<std::string>& texts) {
    std::vector<comptoir::sdk::Word> words;
    int x = 100;
    for (const auto& text : texts) {
        const int width = 12 * static_cast<int>(text.size());
        words.push_back({text, 0.9f, 1, {x, 100, width, 20}, 1, 1});
        x += width + 10;
    }
    return words;
}

TEST(RulesDefinitions, AnExactLabelBeforeTheValueSaysWhoseThePhraseIs) {
    TempDir dir;
    dir.write("eau.yaml",
              "id: eau\npartner: Essai\nkinds:\n  - id: eau.f\n    label: Facture\n"
              "    words:\n      - {text: [Facture d'eau], weight: 0.6}\n"
              "fields:\n"
              "  - key: reference_client\n    label: Référence client\n    type: identifier\n"
              "    length: [6, 12]\n    labels: [Référence client]\n    heads: [client]\n"
              "  - key: service\n    label: Service client\n    type: address\n    labels: [Service clients]\n");
    const auto d = rules::read_definition(dir.file("eau.yaml"));
    // The head word "client" heads a phrase no lexicon holds...
    const auto headed = extracted(d, one_line({"Portail", "-", "votre", "numéro", "client", "0974506507"}));
    EXPECT_EQ(headed.count("reference_client") ? headed.at("reference_client") : "", "0974506507");
    // ...but not one that another field's exact label ends: the contact line's telephone number.
    const auto contact = extracted(d, one_line({"eaudeparis.fr", "-", "Service", "clients", "0974506507"}));
    EXPECT_EQ(contact.count("reference_client"), 0u);
}

// A Caf letter about the housing benefit prints a rent, an APL and a landlord: the shipped rent
// notice's definition claims it not, while a rent notice naming the Caf stays its own.
TEST(RulesDefinitions, TheRentNoticeClaimsNoCafLetterButMayNameTheCaf) {
    const auto d = rules::read_definition(kShipped + "/bailleur.yaml");
    ASSERT_EQ(d.kinds.size(), 1u);
    const auto& unless = d.kinds.front().unless;
    namespace layout = comptoir::sdk::layout;
    EXPECT_TRUE(layout::find_label(one_line({"Attestation", "de", "paiement"}), unless));
    EXPECT_TRUE(layout::find_label(one_line({"N°", "allocataire", "1234567"}), unless));
    EXPECT_TRUE(layout::find_label(one_line({"Caisse", "d'allocations", "familiales", "du", "Rhône"}), unless));
    EXPECT_FALSE(layout::find_label(one_line({"APL", "versée", "par", "la", "CAF"}), unless));
    EXPECT_FALSE(layout::find_label(one_line({"Aide", "au", "logement", "(CAF)"}), unless));
    EXPECT_FALSE(layout::find_label(one_line({"Allocation", "logement", "versée"}), unless));
    EXPECT_FALSE(layout::find_label(one_line({"Loyer", "principal", "450,00", "€"}), unless));
    EXPECT_FALSE(layout::find_label(one_line({"N°", "locataire", "0674762"}), unless));
    EXPECT_FALSE(layout::find_label(one_line({"VOTRE", "NUMÉRO", "DE", "LOCATAIRE", ":", "067", "4762"}), unless));
}

TEST(RulesDefinitions, AFormMendsOcrsConfusionsOfAnIdentifier) {
    TempDir dir;
    const std::string head = "id: eau\npartner: Essai\nkinds:\n  - id: eau.f\n    label: Facture\n"
                             "    words:\n      - {text: [Facture d'eau], weight: 0.6}\nfields:\n";
    dir.write("eau.yaml", head +
                              "  - key: numero_compteur\n    label: Compteur\n    type: identifier\n    length: [5, 16]\n"
                              "    alphabet: upper_alnum\n    labels: [N° de compteur]\n    forms: [A99AA999999]\n");
    const auto d = rules::read_definition(dir.file("eau.yaml"));
    // An Itron meter's I read as a 1, a 0 where a letter stands: mended to the form.
    EXPECT_EQ(extracted(d, one_line({"N°", "de", "compteur", "120MC390867"})).at("numero_compteur"), "I20MC390867");
    EXPECT_EQ(extracted(d, one_line({"N°", "de", "compteur", "C19F0012345"})).at("numero_compteur"), "C19FO012345");
    // One that fits, or fits no form even mended (an older meter's digits), is kept as read.
    EXPECT_EQ(extracted(d, one_line({"N°", "de", "compteur", "A22SE547072"})).at("numero_compteur"), "A22SE547072");
    EXPECT_EQ(extracted(d, one_line({"N°", "de", "compteur", "85951347"})).at("numero_compteur"), "85951347");
    // A form is an identifier's: on an amount, the definition is refused at its place.
    dir.write("montant.yaml", head + "  - key: total\n    label: Total\n    type: amount\n    labels: [Total]\n    forms: [999]\n");
    const auto refused = refusal_of(dir, "montant.yaml");
    EXPECT_NE(refused.reason.find("forms"), std::string::npos) << refused.reason;
}

TEST(RulesDefinitions, ADifferenceTakesTheLastKeyFromTheOthers) {
    rules::x::Constraint rent;
    rent.kind = rules::x::Constraint::Kind::difference;
    rent.keys = {"montant_a_payer", "loyer", "charges", "aide_logement"};
    const std::string due = "749.86", rent_alone = "710.90", charges = "189.47", benefit = "150.51", wrong = "189.48";
    EXPECT_EQ(rules::x::detail::evaluate(rent, {&due, &rent_alone, &charges, &benefit}), 1);
    EXPECT_EQ(rules::x::detail::evaluate(rent, {&due, &rent_alone, &wrong, &benefit}), -1);
    EXPECT_EQ(rules::x::detail::evaluate(rent, {&due, &rent_alone, &charges, nullptr}), 0);
    // The shipped rent notice declares it with its four keys.
    const auto d = rules::read_definition(kShipped + "/bailleur.yaml");
    EXPECT_TRUE(std::any_of(d.schema.constraints.begin(), d.schema.constraints.end(),
                            [](const rules::x::Constraint& c) { return c.keys.size() == 4; }));
}
