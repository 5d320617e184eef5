// The SDK's extraction engine on values that wrap onto the next line (a period in its table cell,
// a date begun on its label's line), on pages of words laid out by hand. No Tesseract.
#include "extract_page_builder.hpp"

#include <comptoir/extract.hpp>

#include <gtest/gtest.h>

using namespace extract_tests;

namespace {

x::FieldSpec consumption_period() {
    auto period = field("periode", x::Type::period, {"Période de consommation"});
    period.relations = x::bit(x::Relation::below);
    period.start_key = "periode_debut";
    period.end_key = "periode_fin";
    return period;
}

// The date a direct debit is made, the only field of these pages.
x::Schema debit_date() {
    x::Schema schema;
    schema.fields = {field("date_limite_paiement", x::Type::date, {"Prélevé sur votre compte le"})};
    return schema;
}

}  // namespace

// A period wrapped in its table cell: "du 06/02/2023 au" on the row, "04/02/2024" under it, in
// a block of its own as OCR often gives it.
TEST(Extract, APeriodWrappedInItsCellIsReadWhole) {
    PageBuilder page;
    page.line(200, 300, "Numéro de compteur", 1).same_line(900, 300, "Période de consommation", 1);
    page.line(200, 360, "B11FA476519", 1).same_line(900, 360, "du 06/02/2023 au", 1);
    page.line(900, 410, "04/02/2024", 2);
    x::Schema schema;
    schema.fields = {consumption_period()};
    const auto fields = x::to_fields(schema, x::run(schema, page.words()));
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0].value, "2023-02-06");
    EXPECT_EQ(fields[1].value, "2024-02-04");
}

// The period's row runs on into the next column ("au 31" then "77,5 m³", one word-space apart as
// OCR often sets them) and ends under it ("mars 2020"): the period is read without the other
// column's words.
TEST(Extract, APeriodWrappedPastAnotherColumnsWordsIsReadWithoutThem) {
    PageBuilder page;
    page.line(200, 300, "N° de compteur", 1).same_line(900, 300, "Période de consommation", 1);
    page.line(200, 360, "A08MC608933", 1).same_line(900, 360, "du 28 septembre 2019 au 31 77,5 m³", 1);
    page.line(900, 410, "mars 2020", 2);
    x::Schema schema;
    schema.fields = {consumption_period()};
    const auto fields = x::to_fields(schema, x::run(schema, page.words()));
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0].value, "2019-09-28");
    EXPECT_EQ(fields[1].value, "2020-03-31");
}

// A date begun at the end of its label's line ("Montant prélevé sur votre compte le 19") and
// ended on the next line of its block ("novembre 2021").
TEST(Extract, ADateBegunOnItsLabelsLineEndsOnTheNext) {
    PageBuilder page;
    page.line(200, 300, "Montant TTC", 1).same_line(1300, 300, "Montant prélevé sur votre compte le 19", 2);
    page.line(200, 360, "191,84 €", 1).same_line(1300, 360, "novembre 2021", 2);
    page.line(1300, 420, "Dont TVA : 13,08 €", 2);
    const x::Schema schema = debit_date();
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("date_limite_paiement"), 1u);
    EXPECT_EQ(found["date_limite_paiement"].value, "2021-11-19");
    EXPECT_EQ(found["date_limite_paiement"].relation, x::Relation::right);
}

// A date whose day alone stands on its label's line is no date: the next line of its block must
// finish it, and a line that does not leaves the field missing.
TEST(Extract, ADayAloneOnItsLabelsLineIsNoDate) {
    PageBuilder page;
    page.line(1300, 300, "Prélevé sur votre compte le 19", 2);
    page.line(1300, 360, "Dont TVA : 13,08 €", 2);
    const x::Schema schema = debit_date();
    EXPECT_EQ(by_key(x::run(schema, page.words())).count("date_limite_paiement"), 0u);
}

// The same, where OCR gave the date's last line a block of its own: the line that starts right
// under the label's, at its left edge, as a paragraph's next line does.
TEST(Extract, ADateEndedOnALineOfItsOwnBlockUnderItsLabel) {
    PageBuilder page;
    page.line(200, 300, "Total à payer", 1).same_line(1300, 300, "Montant prélevé sur votre compte le 5 avril", 2);
    page.line(200, 360, "61,49 €", 1, 90);
    page.line(1300, 355, "2025", 3);
    page.line(1300, 410, "Dont TVA : 3,84 €", 3);
    const x::Schema schema = debit_date();
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("date_limite_paiement"), 1u);
    EXPECT_EQ(found["date_limite_paiement"].value, "2025-04-05");
}
