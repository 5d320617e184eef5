// The SDK's layout helpers on a saved OCR result (words with boxes as JSON): no Tesseract.
#include "comptoir/reading/document.hpp"

#include <comptoir/layout.hpp>

#include <gtest/gtest.h>

namespace layout = comptoir::sdk::layout;
using comptoir::sdk::Word;

namespace {

// A bill as OCR read it: a label with its value on the right, one with its value below, OCR
// noise ("c1ient"), a distractor amount.
const char* kBill = R"({"pages": [{"width": 2480, "height": 3508, "dpi": 300, "words": [
  {"text": "Votre", "confidence": 0.95, "box": [200, 300, 110, 40], "block": 1, "line": 1},
  {"text": "référence", "confidence": 0.93, "box": [320, 300, 200, 40], "block": 1, "line": 1},
  {"text": "c1ient", "confidence": 0.71, "box": [530, 300, 120, 40], "block": 1, "line": 1},
  {"text": ":", "confidence": 0.9, "box": [655, 300, 10, 40], "block": 1, "line": 1},
  {"text": "6002", "confidence": 0.94, "box": [700, 300, 90, 40], "block": 1, "line": 1},
  {"text": "345", "confidence": 0.94, "box": [800, 300, 70, 40], "block": 1, "line": 1},
  {"text": "678", "confidence": 0.94, "box": [880, 300, 70, 40], "block": 1, "line": 1},
  {"text": "Montant", "confidence": 0.96, "box": [200, 500, 160, 40], "block": 2, "line": 2},
  {"text": "hors", "confidence": 0.96, "box": [370, 500, 90, 40], "block": 2, "line": 2},
  {"text": "TVA", "confidence": 0.96, "box": [470, 500, 80, 40], "block": 2, "line": 2},
  {"text": "1", "confidence": 0.9, "box": [1500, 500, 20, 40], "block": 2, "line": 2},
  {"text": "233,21", "confidence": 0.9, "box": [1530, 500, 130, 40], "block": 2, "line": 2},
  {"text": "€", "confidence": 0.9, "box": [1670, 500, 20, 40], "block": 2, "line": 2},
  {"text": "Facture", "confidence": 0.96, "box": [200, 700, 150, 40], "block": 3, "line": 3},
  {"text": "TTC", "confidence": 0.96, "box": [360, 700, 80, 40], "block": 3, "line": 3},
  {"text": "Date", "confidence": 0.96, "box": [1200, 700, 100, 40], "block": 3, "line": 3},
  {"text": "1", "confidence": 0.9, "box": [200, 760, 20, 40], "block": 3, "line": 4},
  {"text": "479,85", "confidence": 0.9, "box": [230, 760, 130, 40], "block": 3, "line": 4},
  {"text": "€", "confidence": 0.9, "box": [370, 760, 20, 40], "block": 3, "line": 4},
  {"text": "29", "confidence": 0.9, "box": [1200, 760, 40, 40], "block": 3, "line": 4},
  {"text": "janvier", "confidence": 0.9, "box": [1250, 760, 140, 40], "block": 3, "line": 4},
  {"text": "2021", "confidence": 0.9, "box": [1400, 760, 90, 40], "block": 3, "line": 4}]}]})";

std::vector<Word> words_of(const char* json) {
    const comptoir::Document document = comptoir::Document::from_json(json);
    std::vector<Word> words;
    for (const auto& w : document.words()) {
        words.push_back(Word{w.text, w.confidence, w.page, comptoir_box{w.box.x, w.box.y, w.box.width, w.box.height},
                             w.block_id, w.line_id});
    }
    return words;
}

bool luhn(const std::string& digits) {
    int sum = 0;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(digits[digits.size() - 1 - i]))) return false;
        int d = digits[digits.size() - 1 - i] - '0';
        if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return !digits.empty() && sum % 10 == 0;
}

}  // namespace

TEST(Layout, FoldsAccentsCaseAndPunctuation) {
    EXPECT_EQ(layout::fold("Référence Client :"), "referenceclient");
    EXPECT_EQ(layout::fold("N° ALLOCATAIRE"), "noallocataire");
    EXPECT_EQ(layout::fold("Œuvre à Noël"), "oeuvreanoel");
}

TEST(Layout, FindsALabelDespiteOcrNoiseAndReadsTheValueOnItsRight) {
    const auto words = words_of(kBill);
    const auto label = layout::find_label(words, {"Référence client", "Votre référence client", "N° client"});
    ASSERT_TRUE(label);
    EXPECT_EQ(words[label->first].text, "Votre");
    EXPECT_EQ(words[label->last].text, "c1ient");
    EXPECT_EQ(label->errors, 1u);
    const auto value = layout::right_of(words, *label);
    EXPECT_EQ(layout::parse_digits(layout::joined_text(value)), "6002345678");
    EXPECT_FALSE(layout::find_label(words, {"Point de livraison", "PDL"}));
}

TEST(Layout, ReadsAValueBelowItsLabelAndNotTheDistractor) {
    const auto words = words_of(kBill);
    const auto ttc = layout::find_label(words, {"Facture TTC", "Montant TTC"});
    ASSERT_TRUE(ttc);
    EXPECT_EQ(layout::parse_amount(layout::joined_text(layout::below(words, *ttc))), "1479.85");
    const auto date = layout::find_label(words, {"Date"});
    ASSERT_TRUE(date);
    EXPECT_EQ(layout::parse_date(layout::joined_text(layout::below(words, *date))), "2021-01-29");
    const auto ht = layout::find_label(words, {"Montant hors TVA"});
    ASSERT_TRUE(ht);
    EXPECT_EQ(layout::parse_amount(layout::joined_text(layout::right_of(words, *ht))), "1233.21");
}

TEST(Layout, ParsesFrenchAmounts) {
    EXPECT_EQ(layout::parse_amount("1 479,85 €"), "1479.85");
    EXPECT_EQ(layout::parse_amount("1479.85"), "1479.85");
    EXPECT_EQ(layout::parse_amount("1.479,85"), "1479.85");
    EXPECT_EQ(layout::parse_amount("1\u202F479,85\u00A0€"), "1479.85");
    EXPECT_EQ(layout::parse_amount("182 €"), "182.00");
    EXPECT_EQ(layout::parse_amount("87,4"), "87.40");
    EXPECT_EQ(layout::parse_amount("Total : 12,00 EUR"), "12.00");
    EXPECT_FALSE(layout::parse_amount("néant"));
}

TEST(Layout, ParsesFrenchDates) {
    EXPECT_EQ(layout::parse_date("29/01/2021"), "2021-01-29");
    EXPECT_EQ(layout::parse_date("29.01.21"), "2021-01-29");
    EXPECT_EQ(layout::parse_date("29 janvier 2021"), "2021-01-29");
    EXPECT_EQ(layout::parse_date("1er février 2021"), "2021-02-01");
    EXPECT_EQ(layout::parse_date("le 3 fevrier 2021,"), "2021-02-03");
    EXPECT_EQ(layout::parse_date("15 aoüt 2024"), "2024-08-15");  // OCR's "ü" for "û"
    EXPECT_FALSE(layout::parse_date("32/01/2021"));
    EXPECT_FALSE(layout::parse_date("29 brumaire an II"));
    // Bold slashes read as ones or sevens, in a plausible century.
    EXPECT_EQ(layout::parse_date("2410712021"), "2021-07-24");
    EXPECT_EQ(layout::parse_date("24l07l2021"), "2021-07-24");
    EXPECT_FALSE(layout::parse_date("2357883188"));  // an invoice number
    EXPECT_FALSE(layout::parse_date("2410711821"));  // 1821: not a document of ours
    EXPECT_FALSE(layout::parse_date("2413712021"));  // no 13th month
}

TEST(Layout, ADateIsNotTakenFromTheNextLabelsWording) {
    // "Date de mise en recouvrement        à payer avant le : 15/09/2021", one OCR line over
    // two columns: the date right of the first label belongs to the second.
    const auto at = [](const char* text, int x) { return Word{text, 0.95f, 1, comptoir_box{x, 100, 60, 30}, 1, 1}; };
    const std::vector<Word> span = {at("à", 900), at("payer", 940), at("avant", 1010), at("le", 1080),
                                    at(":", 1110), at("15/09/2021", 1130)};
    EXPECT_FALSE(layout::date()(span));
    const std::vector<Word> period = {at("du", 900), at("5", 940), at("mars", 980), at("2022", 1050)};
    ASSERT_TRUE(layout::date()(period));
    EXPECT_EQ(layout::date()(period)->value, "2022-03-05");
    const std::vector<Word> after_colon = {at(":", 900), at("20/07/2021", 920)};
    EXPECT_EQ(layout::date()(after_colon)->value, "2021-07-20");
}

TEST(Layout, RepairsConfusionsOnlyWhereTheCheckPasses) {
    // A SIREN (Luhn): "732 829 320" read with an O for a 0 and an l for a 1.
    EXPECT_TRUE(luhn("732829320"));
    EXPECT_EQ(layout::repair_digits("732829O20", luhn), std::nullopt);  // 732829020 fails Luhn too
    EXPECT_EQ(layout::repair_digits("73282932O", luhn), "732829320");
    EXPECT_EQ(layout::repair_digits("732829320", luhn), std::nullopt);  // already right: nothing to suggest
    EXPECT_EQ(layout::repair_digits("7B2829320", luhn), std::nullopt);  // 782829320 fails
}

TEST(Layout, TextGoesOnPastADashReadAsAFlatBox) {
    // OCR boxes a dash one pixel high: the blank after it is measured by the words' height.
    std::vector<Word> words = {
        Word{"TSA", 0.9f, 1, comptoir_box{511, 247, 33, 15}, 2, 3},
        Word{"21941", 0.9f, 1, comptoir_box{549, 247, 46, 15}, 2, 3},
        Word{"\xe2\x80\x94", 0.9f, 1, comptoir_box{601, 256, 9, 1}, 2, 3},
        Word{"62978", 0.9f, 1, comptoir_box{616, 247, 46, 15}, 2, 3},
        Word{"Arras", 0.9f, 1, comptoir_box{667, 248, 40, 14}, 2, 3},
    };
    const auto value = layout::text()(words);
    ASSERT_TRUE(value.has_value());
    EXPECT_EQ(value->value, "TSA 21941 \xe2\x80\x94 62978 Arras");
}
