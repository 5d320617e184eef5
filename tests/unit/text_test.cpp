// comptoir::text, built as C++17 against its own headers alone (the target comptoir::text, no
// Poco, no core): what a partner's compiler gets.
#include <comptoir/text.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

static_assert(__cplusplus == 201703L, "comptoir::text is tested as C++17, the standard partners build with");

namespace text = comptoir::text;

TEST(Text, FoldsAccentsCaseAndPunctuation) {
    EXPECT_EQ(text::fold("Référence Client :"), "referenceclient");
    EXPECT_EQ(text::fold("ŒUVRE À NOËL"), "oeuvreanoel");
    EXPECT_EQ(text::fold("N° 12"), "no12");
    EXPECT_EQ(text::fold("—"), "");
    EXPECT_TRUE(text::has_digit("a1"));
    EXPECT_FALSE(text::has_digit("abc"));
    EXPECT_TRUE(text::has_letter("12a"));
    EXPECT_FALSE(text::has_letter("12,50"));
    EXPECT_TRUE(text::all_digits("0123"));
    EXPECT_FALSE(text::all_digits(""));
    EXPECT_FALSE(text::all_digits("12 3"));
}

TEST(Text, MeasuresEditDistanceOverCharactersAndWords) {
    EXPECT_EQ(text::distance("kitten", "sitting"), 3u);
    EXPECT_EQ(text::distance("", "abc"), 3u);
    const std::vector<std::string> read = {"Montant", "TTC", "87,43"};
    const std::vector<std::string> printed = {"Montant", "87,43"};
    EXPECT_EQ(text::edit_distance(read, printed), 1u);
    // The bounded form agrees up to its bound and says bound + 1 beyond.
    EXPECT_EQ(text::bounded_distance("kitten", "sitting", 3), 3u);
    EXPECT_EQ(text::bounded_distance("kitten", "sitting", 1), 2u);
    EXPECT_EQ(text::bounded_distance("echeance", "echeance", 0), 0u);
}

TEST(Text, ReadsFrenchAmountsAsNormalisedValuesAndCents) {
    EXPECT_EQ(text::parse_amount("1 234,56 €"), "1234.56");
    EXPECT_EQ(text::parse_amount("1.479,85 EUR"), "1479.85");
    EXPECT_EQ(text::parse_amount("182 €"), "182.00");
    EXPECT_FALSE(text::parse_amount("néant"));
    EXPECT_EQ(text::amount_cents("1 234,56 €"), 123456);
    EXPECT_EQ(text::amount_cents("1\u202F479,85\u00A0€"), 147985);
    EXPECT_FALSE(text::amount_cents("sans montant"));
    EXPECT_FALSE(text::amount_cents("99999999999999999999999,00"));  // more than a long long
    EXPECT_EQ(text::cents_of("87.43"), 8743);
    EXPECT_TRUE(text::is_currency("EUR"));
    EXPECT_TRUE(text::is_currency("12€"));
    EXPECT_FALSE(text::is_currency("euros"));
}

TEST(Text, ReadsFrenchDatesAsIso) {
    EXPECT_EQ(text::parse_date("29/01/2021"), "2021-01-29");
    EXPECT_EQ(text::parse_date("1er février 2021"), "2021-02-01");
    EXPECT_EQ(text::parse_date("le 3 fevrier 21"), "2021-02-03");
    EXPECT_FALSE(text::parse_date("31/13/2021"));
    EXPECT_EQ(text::iso_date(2021, 1, 29), "2021-01-29");
    EXPECT_EQ(text::iso_date(987, 12, 3), "0987-12-03");
}

TEST(Text, ChecksLuhnAndIbanKeys) {
    EXPECT_TRUE(text::luhn("732829320"));         // a SIREN
    EXPECT_TRUE(text::luhn("73282932000074"));    // its head office's SIRET
    EXPECT_FALSE(text::luhn("732829321"));
    EXPECT_FALSE(text::luhn("7328293a0"));
    EXPECT_FALSE(text::luhn("7"));
    EXPECT_TRUE(text::iban("FR7630006000011234567890189"));
    EXPECT_TRUE(text::iban("GB82WEST12345698765432"));
    EXPECT_FALSE(text::iban("FR7630006000011234567890188"));   // one digit off
    EXPECT_FALSE(text::iban("FR76 3000 6000 0112 3456 7890 189"));  // not normalised
    EXPECT_FALSE(text::iban("fr7630006000011234567890189"));
    EXPECT_FALSE(text::iban("FR76"));
}
