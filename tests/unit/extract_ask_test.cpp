// What the SDK's extraction engine asks the host to read again (extract::unread, plugin ABI 1.4):
// where a field's label stands with no value, and the whole page when amounts that should add
// up do not. Pages of words laid out by hand; no Tesseract.
#include "extract_page_builder.hpp"

#include <comptoir/extract.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using namespace extract_tests;

TEST(ExtractAsk, AFieldWhoseLabelStandsWithoutAValueIsAskedForWhereItsValueShouldBe) {
    // An 11-digit tax number read with a digit twice fits no field: its label is printed and
    // no value was taken, so the engine says where to read again (ABI 1.4, ask_again); a field
    // with its value, or with no label on the page, is not asked for.
    PageBuilder page;
    page.line(200, 300, "Numéro fiscal : 505559179577");
    page.line(200, 400, "Votre référence client : 6002345678");
    page.line(1900, 500, "fin");
    x::Schema schema;
    schema.fields = {digits("numero_fiscal", 11, 11, {"Numéro fiscal"}),
                     digits("reference_client", 8, 14, {"Votre référence client"}),
                     digits("pdl", 14, 14, {"Point de livraison"})};
    const auto found = x::run(schema, page.words());
    ASSERT_EQ(by_key(found).count("numero_fiscal"), 0u);
    ASSERT_EQ(by_key(found).count("reference_client"), 1u);
    const auto unread = x::unread(schema, page.words(), found);
    ASSERT_EQ(unread.size(), 1u);
    EXPECT_EQ(unread[0].key, "numero_fiscal");
    EXPECT_EQ(unread[0].page, 1u);
    // From the label to the page's right edge, over its line and those below it: the number
    // read wrong lies inside.
    const auto number = std::find_if(page.words().begin(), page.words().end(),
                                     [](const auto& w) { return w.text == "505559179577"; });
    ASSERT_NE(number, page.words().end());
    const comptoir_box& r = unread[0].region;
    EXPECT_EQ(r.x, 200);
    EXPECT_LE(r.y, number->box.y);
    EXPECT_GE(r.x + r.width, number->box.x + number->box.width);
    EXPECT_GE(r.x + r.width, 1900);  // the page's right edge, as its words say
    EXPECT_GE(r.y + r.height, number->box.y + number->box.height);
    EXPECT_LT(r.y + r.height, 400 + 40);  // not down to the page's end
}

TEST(ExtractAsk, AmountsThatShouldAddUpAndDoNotAskForTheWholePage) {
    // A rent notice: to pay = rent + charges − benefit. The benefit's row read as noise leaves
    // the rent and the total disagreeing: its label unread too, only the whole page can be
    // asked for. Read whole, the same amounts add up, and nothing is asked.
    x::Schema schema;
    schema.fields = {field("montant_a_payer", x::Type::amount, {"Montant à payer"}),
                     field("loyer", x::Type::amount, {"Loyer"}), field("charges", x::Type::amount, {"Charges"}),
                     field("aide_logement", x::Type::amount, {"Aide au logement"})};
    schema.constraints = {{x::Constraint::Kind::difference, {"montant_a_payer", "loyer", "charges", "aide_logement"}, 0.35f, false}};
    PageBuilder noisy;
    noisy.line(200, 300, "Loyer 500,00 €");
    noisy.line(200, 360, "a De 5O,0O");
    noisy.line(200, 420, "AR ob 2OO");
    noisy.line(200, 480, "Montant à payer 350,00 €");
    noisy.line(1800, 540, "fin");
    const auto found = x::run(schema, noisy.words());
    ASSERT_EQ(by_key(found).count("loyer"), 1u);
    ASSERT_EQ(by_key(found).count("montant_a_payer"), 1u);
    const auto asked = x::unread(schema, noisy.words(), found);
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0].page, 1u);
    EXPECT_EQ(asked[0].region.x, 0);
    EXPECT_EQ(asked[0].region.y, 0);
    EXPECT_GE(asked[0].region.width, 1800);
    EXPECT_GE(asked[0].region.height, 540);

    PageBuilder read;
    read.line(200, 300, "Loyer 500,00 €");
    read.line(200, 360, "Charges 50,00 €");
    read.line(200, 420, "Aide au logement 200,00 €");
    read.line(200, 480, "Montant à payer 350,00 €");
    const auto whole = x::run(schema, read.words());
    EXPECT_EQ(by_key(whole).count("aide_logement"), 1u);
    EXPECT_TRUE(x::unread(schema, read.words(), whole).empty());
}
