// The layout helpers' frictions of issue 32, on words and boxes: label matching bounded by the
// label's length, row_of along a skewed page, labelled_value not falling to the next line
// unless asked, split amounts rejoined, quantities in kWh, m³ and kVA, table borders ignored.
#include <comptoir/layout.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace layout = comptoir::sdk::layout;
using comptoir::sdk::Word;

namespace {

Word word(const std::string& text, int32_t x, int32_t y, int32_t width, uint32_t line, float confidence = 0.95f,
          int32_t height = 40) {
    return Word{text, confidence, 1, comptoir_box{x, y, width, height}, 1, line};
}

// A line of words from x = 200, each as wide as 25 px a character and 15 px apart.
std::vector<Word> line_of(const std::vector<std::string>& texts, int32_t y, uint32_t line, int32_t x = 200) {
    std::vector<Word> out;
    for (const auto& text : texts) {
        const auto width = static_cast<int32_t>(text.size() * 25);
        out.push_back(word(text, x, y, width, line));
        x += width + 15;
    }
    return out;
}

std::vector<Word> joined(std::initializer_list<std::vector<Word>> parts) {
    std::vector<Word> out;
    for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
    return out;
}

}  // namespace

TEST(LayoutFrictions, LabelErrorsAreBoundedByTheLabelsLength) {
    const auto words = joined({line_of({"Montant", "HT", "12,00", "€"}, 300, 1), line_of({"Facture", "du", "12/03/2024"}, 400, 2),
                               line_of({"Référence", "c1ient", "6002345678"}, 500, 3)});
    // One slip tolerated up to 11 letters: "Montant TTC" is not "Montant HT", nor "Facture
    // d'eau" "Facture du"; "Référence c1ient" (15 letters) still is "Référence client".
    EXPECT_FALSE(layout::find_label(words, {"Montant TTC"}));
    EXPECT_FALSE(layout::find_label(words, {"Facture d'eau"}));
    ASSERT_TRUE(layout::find_label(words, {"Référence client"}));
    EXPECT_EQ(layout::find_label(words, {"Référence client"})->errors, 1u);
    // A maximum given by the caller replaces the bound.
    EXPECT_TRUE(layout::find_label(words, {"Montant TTC"}, 2));
    EXPECT_FALSE(layout::find_label(words, {"Référence client"}, 0));
    EXPECT_TRUE(layout::find_labels(words, {"Facture d'eau"}).empty());
    EXPECT_EQ(layout::find_labels(words, {"Facture d'eau"}, 2).size(), 1u);
    // The recognition score with the same bound: a water bill's keyword is not on this page.
    const std::vector<layout::Keyword> water{{{"Facture d'eau"}, 0.6f}, {{"Montant TTC"}, 0.3f}};
    EXPECT_FLOAT_EQ(layout::keyword_score(words, water), 0.0f);
    EXPECT_FLOAT_EQ(layout::keyword_score(words, water, 2), 0.9f);
    // One rule with the extraction engine's.
    EXPECT_EQ(comptoir::text::tolerated_errors(4), 0u);
    EXPECT_EQ(comptoir::text::tolerated_errors(10), 1u);
    EXPECT_EQ(comptoir::text::tolerated_errors(15), 2u);
}

TEST(LayoutFrictions, RowOfFollowsTheSkewOfThePage) {
    // A scan turned by 1.78°: every line goes down 31 px per 1000 to the right.
    const double slope = std::tan(1.78 * 3.14159265358979 / 180.0);
    std::vector<Word> words;
    const auto skewed = [&](const std::string& text, int32_t x, int32_t y, uint32_t line) {
        const auto width = static_cast<int32_t>(text.size() * 25);
        words.push_back(word(text, x, y + static_cast<int32_t>(std::lround(slope * (x + width / 2.0 - 200))), width, line));
    };
    for (uint32_t line = 1; line <= 4; ++line) {
        int32_t x = 200;
        for (const char* text : {"Votre", "consommation", "du", "trimestre", "écoulé"}) {
            skewed(text, x, 200 + 60 * static_cast<int32_t>(line), line);
            x += static_cast<int32_t>(std::string(text).size() * 25 + 15);
        }
    }
    skewed("Total", 200, 600, 5);
    skewed("87,43", 1400, 600, 6);  // the last column, a block of its own, 37 px lower
    skewed("€", 1540, 600, 6);
    skewed("12,00", 1400, 650, 7);  // the next row's amount
    const auto label = layout::find_label(words, {"Total"});
    ASSERT_TRUE(label);
    EXPECT_NEAR(layout::text_slope(words, 1), slope, 0.004);
    const auto row = layout::row_of(words, *label);
    ASSERT_FALSE(row.empty());
    EXPECT_EQ(row.front().text, "87,43");
    // Level rows, as before: the total is off its row.
    const auto level = layout::row_of(words, *label, 0.0);
    EXPECT_TRUE(level.empty() || level.front().text != "87,43");
    const auto total = layout::labelled_value(words, {"Total"}, layout::amount());
    ASSERT_TRUE(total);
    EXPECT_EQ(total->value.value, "87.43");
}

TEST(LayoutFrictions, LabelledValueLooksBelowOnlyWhenAsked) {
    // A label with nothing on its line; under it, another field's value (a meter's index).
    const auto words = joined({line_of({"N°", "de", "compteur"}, 300, 1), line_of({"45", "678"}, 360, 2)});
    EXPECT_FALSE(layout::labelled_value(words, {"N° de compteur"}, layout::digits(5, 14)));
    EXPECT_FALSE(layout::labelled_field(words, "numero_compteur", {"N° de compteur"}, layout::digits(5, 14)));
    layout::ValueSearch below;
    below.below = true;
    const auto found = layout::labelled_value(words, {"N° de compteur"}, layout::digits(5, 14), below);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->value.value, "45678");
    EXPECT_EQ(layout::labelled_values(words, {"N° de compteur"}, layout::digits(5, 14), below).size(), 1u);
}

TEST(LayoutFrictions, AmountsSplitAfterTheirMarkAreRejoined) {
    const auto read = [](const std::vector<std::string>& texts) {
        const auto value = layout::amount()(line_of(texts, 300, 1));
        return value ? value->value : std::string("-");
    };
    EXPECT_EQ(read({"394,", "26"}), "394.26");
    EXPECT_EQ(read({"394,", "26", "€"}), "394.26");
    EXPECT_EQ(read({"1", "234,", "56"}), "1234.56");
    EXPECT_EQ(read({"1", "234,56"}), "1234.56");
    EXPECT_EQ(read({"394", ",", "26€"}), "394.26");
    EXPECT_EQ(read({"394,", "2026"}), "-");  // a year after a comma is not its cents
    const auto value = layout::amount()(line_of({"394,", "26", "€"}, 300, 1));
    ASSERT_TRUE(value);
    EXPECT_EQ(value->words.size(), 3u);
    EXPECT_EQ(value->text, "394, 26 €");
    // Another column two heights away is not the cents.
    std::vector<Word> far = line_of({"394,"}, 300, 1);
    far.push_back(word("26", 400, 300, 50, 1));
    EXPECT_FALSE(layout::amount()(far));
}

TEST(LayoutFrictions, QuantitiesAreReadWithTheirUnitsOcrVariants) {
    const auto read = [](const layout::ValueParser& parse, const std::vector<std::string>& texts) {
        const auto value = parse(line_of(texts, 300, 1));
        return value ? value->value : std::string("-");
    };
    EXPECT_EQ(read(layout::kwh(), {"1", "234", "kWh"}), "1234");
    EXPECT_EQ(read(layout::kwh(), {"soit", "4581kWh"}), "4581");
    EXPECT_EQ(read(layout::kwh(), {"87,43", "€"}), "-");  // no unit, no quantity
    for (const char* unit : {"m³", "m3", "m°", "m*", "m?"}) EXPECT_EQ(read(layout::cubic_metres(), {"36", unit}), "36") << unit;
    EXPECT_EQ(read(layout::cubic_metres(), {"12,5", "m3"}), "12.5");
    EXPECT_EQ(read(layout::cubic_metres(), {"1.234m3"}), "1234");
    EXPECT_EQ(read(layout::cubic_metres(), {"36", "mois"}), "-");
    EXPECT_EQ(read(layout::kva(), {"9", "kVA"}), "9");
    EXPECT_EQ(read(layout::kva(), {"9", "kWh"}), "-");
    const auto value = layout::kwh()(line_of({"1", "234", "kWh"}, 300, 1));
    ASSERT_TRUE(value);
    EXPECT_EQ(value->words.size(), 3u);
}

TEST(LayoutFrictions, TableBordersReadAsWordsDoNotMisleadBelow) {
    std::vector<Word> words = line_of({"Montant", "TTC"}, 500, 1);
    words.push_back(word("|", 210, 560, 12, 2, 0.21f, 420));  // a cell's border, 10 lines tall
    words.push_back(word("_______", 180, 548, 900, 3, 0.3f, 8));
    auto value = line_of({"87,43", "€"}, 620, 4);
    words.insert(words.end(), value.begin(), value.end());
    const auto label = layout::find_label(words, {"Montant TTC"});
    ASSERT_TRUE(label);
    const auto under = layout::below(words, *label);
    ASSERT_FALSE(under.empty());
    EXPECT_EQ(under.front().text, "87,43");
    EXPECT_TRUE(layout::is_debris(words[2], 40));
    EXPECT_FALSE(layout::is_debris(words[0], 40));
    // A long garbled word is not debris: a blurred value, which its confidence already flags.
    EXPECT_FALSE(layout::is_debris(word("efhachemspeten-", 200, 560, 262, 2, 0.0f, 120), 40));
    layout::ValueSearch search;
    search.below = true;
    const auto total = layout::labelled_value(words, {"Montant TTC"}, layout::amount(), search);
    ASSERT_TRUE(total);
    EXPECT_EQ(total->value.value, "87.43");
}
