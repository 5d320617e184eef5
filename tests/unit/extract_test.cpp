// The SDK's extraction engine (comptoir/extract.hpp) on pages of words laid out by hand, as OCR
// gives them (text, box, line, block): its relations, its guard rails and its constraints. No
// Tesseract.
#include "extract_page_builder.hpp"

#include <comptoir/extract.hpp>

#include <gtest/gtest.h>

using namespace extract_tests;

TEST(Extract, ValueRightOfItsLabelDespiteAnOcrSlipWithItsEvidence) {
    PageBuilder page;
    page.line(200, 300, "Votre référence c1ient : 6002 345 678");
    x::Schema schema;
    schema.fields = {digits("reference_client", 8, 14, {"Votre référence client"})};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("reference_client"), 1u);
    EXPECT_EQ(found["reference_client"].value, "6002345678");
    EXPECT_EQ(found["reference_client"].relation, x::Relation::right);
    EXPECT_EQ(found["reference_client"].label, "Votre référence c1ient");
    EXPECT_STREQ(x::relation_name(found["reference_client"].relation), "right");
}

TEST(Extract, ErrorsAllowedInALabelGrowWithItsLength) {
    // "PDI" is not "PDL" (a three-letter label must be read exactly); "Point de llvraison" is
    // "Point de livraison".
    PageBuilder page;
    page.line(200, 300, "PDI 12345678901234");
    page.line(200, 400, "Point de llvraison 98765432109876");
    x::Schema schema;
    schema.fields = {digits("pdl", 14, 14, {"PDL", "Point de livraison"})};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("pdl"), 1u);
    EXPECT_EQ(found["pdl"].value, "98765432109876");
}

TEST(Extract, ValueBelowItsLabelAndLargeInTheBoxItTitles) {
    PageBuilder page;
    page.line(200, 300, "Date de facture", 1, 30);
    page.line(200, 340, "15/05/2024", 1, 40);
    page.line(1200, 300, "Reste à payer", 2, 30);
    page.line(1180, 345, "1 479,85 €", 2, 80);
    x::Schema schema;
    schema.fields = {field("date_facture", x::Type::date, {"Date de facture"}),
                     field("reste_a_payer", x::Type::amount, {"Reste à payer"})};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("date_facture"), 1u);
    EXPECT_EQ(found["date_facture"].value, "2024-05-15");
    EXPECT_EQ(found["date_facture"].relation, x::Relation::below);
    ASSERT_EQ(found.count("reste_a_payer"), 1u);
    EXPECT_EQ(found["reste_a_payer"].value, "1479.85");
    EXPECT_EQ(found["reste_a_payer"].relation, x::Relation::box_title);
}

TEST(Extract, TheLastRowOfATableWithItsAmountAtTheFarRight) {
    PageBuilder page;
    page.line(200, 300, "Impôt brut", 1);
    page.same_line(1800, 300, "1 200,00 €", 2);
    page.line(200, 360, "Reste à payer", 1);
    page.same_line(1800, 360, "845,00 €", 3);
    x::Schema schema;
    schema.fields = {field("reste_a_payer", x::Type::amount, {"Reste à payer"})};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("reste_a_payer"), 1u);
    EXPECT_EQ(found["reste_a_payer"].value, "845.00");
    EXPECT_EQ(found["reste_a_payer"].relation, x::Relation::right);
}

TEST(Extract, AColumnHeaderAboveTheRowThatHoldsTheValue) {
    // The header, a first row of words that are not a period, then the period.
    PageBuilder page;
    page.line(200, 300, "Période", 1);
    page.line(200, 350, "Abonnement mensuel", 1);
    page.line(200, 400, "du 01/02/2024 au 31/03/2024", 1);
    x::Schema schema;
    auto period = field("periode", x::Type::period, {"Période"});
    period.relations = x::bit(x::Relation::column);
    period.start_key = "periode_debut";
    period.end_key = "periode_fin";
    schema.fields = {period};
    const auto found = x::run(schema, page.words());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].relation, x::Relation::column);
    const auto fields = x::to_fields(schema, found);
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0].key, "periode_debut");
    EXPECT_EQ(fields[0].value, "2024-02-01");
    EXPECT_EQ(fields[1].key, "periode_fin");
    EXPECT_EQ(fields[1].value, "2024-03-31");
}

TEST(Extract, ALabelWordIsNeverAValue) {
    // The holder's label followed by another label (a grid of references read as one line):
    // no holder, rather than "Référence client".
    PageBuilder page;
    page.line(200, 300, "Titulaire Référence client");
    page.line(200, 350, "0123456789");
    x::Schema schema;
    schema.fields = {field("titulaire", x::Type::name, {"Titulaire"}), digits("reference_client", 8, 14, {"Référence client"})};
    schema.fields[0].relations = x::bit(x::Relation::right);
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found.count("titulaire"), 0u);
    ASSERT_EQ(found.count("reference_client"), 1u);
    EXPECT_EQ(found["reference_client"].value, "0123456789");
}

TEST(Extract, ANameLooksLikeOne) {
    // Digits, or lowercase words, are not a name.
    PageBuilder page;
    page.line(200, 300, "Titulaire : 0123456789");
    page.line(200, 400, "Bénéficiaire : Mme Awa DIALLO a perçu les sommes suivantes");
    x::Schema schema;
    schema.fields = {field("titulaire", x::Type::name, {"Titulaire"}), field("allocataire", x::Type::name, {"Bénéficiaire"})};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found.count("titulaire"), 0u);
    ASSERT_EQ(found.count("allocataire"), 1u);
    EXPECT_EQ(found["allocataire"].value, "Mme Awa DIALLO");
}

TEST(Extract, AHolderPrintedWithoutALabelInTheAddressWindow) {
    PageBuilder page;
    page.line(200, 200, "EDF Service Clients", 1);
    page.line(1300, 600, "M. Karim BENALI", 2);
    page.line(1300, 650, "12 rue des Lilas", 2);
    page.line(1300, 700, "69003 LYON", 2);
    page.line(200, 1000, "Montant à payer 87,43 €", 3);
    page.line(200, 3000, "M. Jean DUPONT, directeur", 4);  // a signature, low on the page
    x::Schema schema;
    auto holder = field("titulaire", x::Type::name, {"Titulaire du contrat"});
    holder.relations = x::kLabelled | x::bit(x::Relation::address_window);
    schema.fields = {holder};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("titulaire"), 1u);
    EXPECT_EQ(found["titulaire"].value, "M. Karim BENALI");
    EXPECT_EQ(found["titulaire"].relation, x::Relation::address_window);
    EXPECT_EQ(found["titulaire"].label, "");
}

TEST(Extract, AnIdentifierHasItsLengthAndAlphabet) {
    // A 12-digit contract number under the delivery point's label is not a 14-digit PDL; the
    // PDL found by its shape elsewhere is.
    PageBuilder page;
    page.line(200, 300, "Point de livraison : 123456789012");
    page.line(200, 400, "Compteur 09 87 65 43 21 09 87");
    x::Schema schema;
    auto pdl = digits("pdl", 14, 14, {"Point de livraison"});
    pdl.relations = x::kLabelled | x::bit(x::Relation::shape);
    schema.fields = {pdl};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("pdl"), 1u);
    EXPECT_EQ(found["pdl"].value, "09876543210987");
    EXPECT_EQ(found["pdl"].relation, x::Relation::shape);
    EXPECT_LT(found["pdl"].confidence, 0.9f);  // a value without a label is never sure
}

TEST(Extract, TheLongerOfTwoOverlappingLabelsWins) {
    PageBuilder page;
    page.line(200, 300, "Date limite de paiement : 02/06/2024");
    page.line(200, 400, "Date : 15/05/2024");
    x::Schema schema;
    auto date = field("date_facture", x::Type::date, {});
    date.labels = x::lexicon({"Date"}, 0.5f);
    schema.fields = {date, field("date_limite_paiement", x::Type::date, {"Date limite de paiement"})};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found["date_limite_paiement"].value, "2024-06-02");
    EXPECT_EQ(found["date_facture"].value, "2024-05-15");
}

TEST(Extract, ATotalThatIsTheSumOfItsPartsWinsOverACloserOne) {
    // Two readings of the total: the frame's (a monthly instalment sits beside its label) and
    // the table's foot; HT + TVA tells which.
    PageBuilder page;
    page.line(200, 300, "Montant TTC : 52,00 €");
    page.line(200, 600, "Montant HT : 100,00 €");
    page.line(200, 660, "TVA : 20,00 €");
    page.line(200, 720, "Montant TTC : 120,00 €");
    x::Schema schema;
    auto ht = field("montant_ht", x::Type::amount, {"Montant HT"});
    ht.report = false;
    auto tva = field("tva", x::Type::amount, {"TVA"});
    tva.report = false;
    schema.fields = {field("montant_ttc", x::Type::amount, {"Montant TTC"}), ht, tva};
    schema.constraints = {{x::Constraint::Kind::sum, {"montant_ttc", "montant_ht", "tva"}, 0.35f, false}};
    const auto found = x::run(schema, page.words());
    auto by = by_key(found);
    EXPECT_EQ(by["montant_ttc"].value, "120.00");
    EXPECT_TRUE(by["montant_ttc"].constrained);
    // Only reported fields become fields.
    const auto fields = x::to_fields(schema, found);
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].key, "montant_ttc");
}

TEST(Extract, WhatIsLeftToPayIsTheNetTaxMinusWhatWasPaid) {
    PageBuilder page;
    page.line(200, 300, "Impôt net 1 500,00 €");
    page.line(200, 360, "Prélèvement à la source déjà effectué 1 200,00 €");
    page.line(200, 420, "Montant à payer 980,00 €");  // a distractor under a weaker wording
    page.line(200, 480, "Reste à payer 300,00 €");
    x::Schema schema;
    auto paid = field("deja_paye", x::Type::amount, {"Prélèvement à la source déjà effectué"});
    paid.report = false;
    auto rest = field("reste_a_payer", x::Type::amount, {});
    rest.labels = x::lexicon({"Montant à payer"}, 1.0f) + x::lexicon({"Reste à payer"}, 0.9f);
    schema.fields = {field("impot_net", x::Type::amount, {"Impôt net"}), paid, rest};
    schema.constraints = {{x::Constraint::Kind::difference, {"reste_a_payer", "impot_net", "deja_paye"}, 0.35f, false}};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found["reste_a_payer"].value, "300.00");
    EXPECT_TRUE(found["reste_a_payer"].constrained);
}

TEST(Extract, AValueServesOneFieldUnlessBothMayShareIt) {
    PageBuilder page;
    page.line(200, 300, "Impôt net à payer 845,00 €");
    x::Schema schema;
    auto net = field("impot_net", x::Type::amount, {"Impôt net à payer"});
    auto rest = field("reste_a_payer", x::Type::amount, {"Impôt net à payer"});
    schema.fields = {net, rest};
    EXPECT_EQ(x::run(schema, page.words()).size(), 1u);
    schema.fields[0].may_share = {"reste_a_payer"};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found["impot_net"].value, "845.00");
    EXPECT_EQ(found["reste_a_payer"].value, "845.00");
}

TEST(Extract, DatesInOrderDecideBetweenCloseCandidates) {
    // Two dates under "Échéance"-like labels of equal weight: the due date is after the bill's.
    PageBuilder page;
    page.line(200, 300, "Date de facture : 15/05/2024");
    page.line(200, 400, "À payer le : 10/05/2024");
    page.line(200, 500, "À payer le : 02/06/2024");
    x::Schema schema;
    schema.fields = {field("date_facture", x::Type::date, {"Date de facture"}), field("date_limite_paiement", x::Type::date, {"À payer le"})};
    schema.constraints = {{x::Constraint::Kind::before, {"date_facture", "date_limite_paiement"}, 0.2f, true}};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found["date_limite_paiement"].value, "2024-06-02");
}

TEST(Extract, APageOfNumbersInventsNothing) {
    // A bank statement: amounts, dates and long numbers, none under a label of the schema.
    PageBuilder page;
    page.line(200, 200, "RELEVÉ DE COMPTE");
    for (int row = 0; row < 30; ++row) {
        page.line(200, 300 + row * 50, "0" + std::to_string(row % 9 + 1) + "/03/2024 PRLV SEPA 1234567890123 " +
                                            std::to_string(10 + row) + ",45 €");
    }
    x::Schema schema;
    schema.fields = {field("montant_ttc", x::Type::amount, {"Montant TTC"}), field("date_facture", x::Type::date, {"Date de facture"}),
                     digits("reference_client", 8, 14, {"Référence client"}), field("titulaire", x::Type::name, {"Titulaire"})};
    EXPECT_TRUE(x::run(schema, page.words()).empty());
    EXPECT_TRUE(x::run(schema, {}).empty());  // a page with no text
}

TEST(Extract, AWeakCandidateIsMissingNotAConfidentGuess) {
    // Under its threshold, a field is missing; above it, a label read with errors and a value
    // read with a low OCR confidence give less confidence than a clean reading.
    PageBuilder clean;
    clean.line(200, 300, "Référence client 0123456789");
    PageBuilder noisy;
    noisy.line(200, 300, "Référence cliemt 0123456789", 1, 40, 0.4f);
    x::Schema schema;
    schema.fields = {digits("reference_client", 8, 14, {"Référence client"})};
    const auto a = x::run(schema, clean.words());
    const auto b = x::run(schema, noisy.words());
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_GT(a[0].confidence, b[0].confidence);
    schema.fields[0].threshold = 0.95f;
    EXPECT_TRUE(x::run(schema, noisy.words()).empty());
}

TEST(Extract, TwoTotalsThatNothingDecidesBetweenAreNotSure) {
    // A bill printing two different totals and no parts to add up: one is reported, and its
    // confidence says it may be the other.
    PageBuilder one;
    one.line(200, 300, "Montant TTC : 120,00 €");
    PageBuilder two;
    two.line(200, 300, "Montant TTC : 120,00 €");
    two.line(200, 900, "Montant TTC : 95,00 €");
    x::Schema schema;
    schema.fields = {field("montant_ttc", x::Type::amount, {"Montant TTC"})};
    const auto sure = x::run(schema, one.words());
    const auto unsure = x::run(schema, two.words());
    ASSERT_EQ(sure.size(), 1u);
    ASSERT_EQ(unsure.size(), 1u);
    EXPECT_GE(sure[0].confidence, 0.9f);
    EXPECT_LT(unsure[0].confidence, 0.9f);
}

TEST(Extract, AnAmountWhoseCommaOcrLostOrCutIsStillRead) {
    PageBuilder page;
    page.line(200, 300, "Montant TTC 699, 2 6 €");
    page.line(200, 400, "Total des sommes versées 2828 24 €");
    page.line(200, 500, "Mensualité 2 828 €");  // whole euros in groups of three: not cents
    x::Schema schema;
    schema.fields = {field("montant_ttc", x::Type::amount, {"Montant TTC"}), field("montant_total", x::Type::amount, {"Total des sommes versées"}),
                     field("mensualite", x::Type::amount, {"Mensualité"})};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found["montant_ttc"].value, "699.26");
    EXPECT_EQ(found["montant_total"].value, "2828.24");
    EXPECT_EQ(found.count("mensualite"), 0u);
}

// "25551€": OCR lost the comma of a total whose euro sign it glued to the digits. Read as
// 255.51, a weaker guess, which the sum of what is before tax and the VAT bears out.
TEST(Extract, AnAmountWithItsSignGluedAndItsCommaLostIsAGuessASumBearsOut) {
    PageBuilder page;
    page.line(200, 300, "Montant hors taxes 242,19 €");
    page.line(200, 360, "TVA 13,32 €");
    page.line(200, 420, "Net à payer TTC 25551€");
    x::Schema schema;
    auto ht = field("montant_ht", x::Type::amount, {"Montant hors taxes"});
    ht.report = false;
    auto tva = field("tva", x::Type::amount, {"TVA"});
    tva.report = false;
    schema.fields = {field("montant_ttc", x::Type::amount, {"Net à payer TTC"}), ht, tva};
    schema.constraints = {{x::Constraint::Kind::sum, {"montant_ttc", "montant_ht", "tva"}, 0.35f, false}};
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("montant_ttc"), 1u);
    EXPECT_EQ(found["montant_ttc"].value, "255.51");
    EXPECT_TRUE(found["montant_ttc"].constrained);
}

TEST(Extract, TheBoundedDistanceAgreesWithLevenshteinWithinItsBound) {
    const char* words[] = {"montantttc", "montantht", "referenceclient", "referencecliemt", "pdl", "pdi", "periode", "perlode", "", "a"};
    for (const char* a : words) {
        for (const char* b : words) {
            const size_t exact = comptoir::sdk::layout::distance(std::string_view(a), std::string_view(b));
            for (size_t bound = 0; bound <= 3; ++bound) {
                const size_t banded = x::detail::bounded_distance(a, b, bound);
                if (exact <= bound) {
                    EXPECT_EQ(banded, exact) << a << " / " << b << " bound " << bound;
                } else {
                    EXPECT_GT(banded, bound) << a << " / " << b << " bound " << bound;
                }
            }
        }
    }
}

TEST(Extract, AnAddressNeedsAPostcodeOfItsOwnNotFiveDigitsOfALongerNumber) {
    x::Schema schema;
    auto contact = field("adresse_service_client", x::Type::address, {"Service client"});
    contact.relations = x::bit(x::Relation::right) | x::bit(x::Relation::below);
    schema.fields = {contact};
    // Under a telephone number, the small print's company number is no address.
    PageBuilder small_print;
    small_print.line(130, 2500, "Service client 09 77 40 84 08");
    small_print.line(130, 2640, "RCS 90742220791198 - Prochaine échéance le 14/01/2027");
    EXPECT_EQ(by_key(x::run(schema, small_print.words())).count("adresse_service_client"), 0u);
    // A postal box and a postcode, each five digits alone: an address.
    PageBuilder letterhead;
    letterhead.line(130, 300, "Service client");
    letterhead.line(130, 345, "CS 20001 - 33027 Bordeaux Cedex");
    const auto found = by_key(x::run(schema, letterhead.words()));
    ASSERT_EQ(found.count("adresse_service_client"), 1u);
    EXPECT_NE(found.at("adresse_service_client").value.find("33027 Bordeaux"), std::string::npos);
}

// On a photo OCR cuts a compound name at its hyphen ("Saint-" "Denis"); the value puts no space
// there, but keeps the one a dash between two parts of a line has.
TEST(Extract, AWordCutAtItsHyphenIsJoinedAgain) {
    x::Schema schema;
    schema.fields = {field("adresse_consommation", x::Type::address, {"Lieu de consommation"})};
    PageBuilder page;
    page.line(130, 300, "Lieu de consommation : 4 rue Jean- Jaurès, 93200 Saint- Denis");
    const auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("adresse_consommation"), 1u);
    EXPECT_EQ(found.at("adresse_consommation").value, "4 rue Jean-Jaurès, 93200 Saint-Denis");
    PageBuilder dashed;
    dashed.line(130, 300, "Lieu de consommation : 4 rue de la Paix - 93200 Saint-Denis");
    const auto kept = by_key(x::run(schema, dashed.words()));
    ASSERT_EQ(kept.count("adresse_consommation"), 1u);
    EXPECT_EQ(kept.at("adresse_consommation").value, "4 rue de la Paix - 93200 Saint-Denis");
}

// "VOTRE N° DE COMPTE" over "6172 5227 86": the label found starts at "N°", the number's first
// group stands under "VOTRE"; it is the number's all the same. A column's neighbour, a column
// gap away, is not.
TEST(Extract, AValueUnderItsLabelStartsWhereItsWordsRunTogether) {
    x::Schema schema;
    auto reference = digits("reference_locataire", 6, 12, {"N° de compte"});
    reference.relations = x::bit(x::Relation::below);
    schema.fields = {reference};
    PageBuilder page;
    page.line(200, 300, "VOTRE N° DE COMPTE");
    page.line(200, 350, "6172 5227 86", 1, 30);  // digits narrower than the capitals above
    auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("reference_locataire"), 1u);
    EXPECT_EQ(found.at("reference_locataire").value, "6172522786");
    PageBuilder columns;
    columns.line(600, 300, "N° de compte");
    columns.line(100, 350, "12").same_line(600, 350, "6172 5227 86");
    found = by_key(x::run(schema, columns.words()));
    ASSERT_EQ(found.count("reference_locataire"), 1u);
    EXPECT_EQ(found.at("reference_locataire").value, "6172522786");
}

// A label's short last word is read exactly: "Échéance au" over a date is no misread "Échéance
// du" (a period's label), so the date is the one a head word gives the payment's deadline.
TEST(Extract, ALabelsShortLastWordIsNeverAnOcrSlip) {
    x::Schema schema;
    auto period = field("periode", x::Type::period, {"Échéance du"});
    period.start_key = "periode_debut";
    period.end_key = "periode_fin";
    period.heads = {"échéance"};
    auto deadline = field("date_limite_paiement", x::Type::date, {"Date limite de paiement"});
    deadline.relations = x::bit(x::Relation::right) | x::bit(x::Relation::below);
    deadline.heads = {"échéance"};
    schema.fields = {period, deadline};
    PageBuilder page;
    page.line(200, 300, "Échéance au");
    page.line(200, 350, "05/05/2025");
    const auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("date_limite_paiement"), 1u);
    EXPECT_EQ(found.at("date_limite_paiement").value, "2025-05-05");
}

// A wording printed beside the fields ("Facture du", the bill's date) that ends a phrase after a
// field's head word qualifies it: "Période de la facture du … au …" is the period.
TEST(Extract, AnAsideEndingAPhraseAfterAHeadWordOnlyQualifiesIt) {
    x::Schema schema;
    auto period = field("periode", x::Type::period, {"Période du"});
    period.start_key = "periode_debut";
    period.end_key = "periode_fin";
    period.heads = {"période"};
    schema.fields = {period, x::others(x::lexicon({"Facture du"}))};
    PageBuilder page;
    page.line(200, 300, "Période de la facture du 21/02/2022 au 20/08/2022");
    const auto fields = x::to_fields(schema, x::run(schema, page.words()));
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0].value, "2022-02-21");
    // Alone, the aside keeps its phrase: no period is read from the bill's date.
    PageBuilder alone;
    alone.line(200, 300, "Facture du 21/02/2022 au 20/08/2022");
    EXPECT_TRUE(x::to_fields(schema, x::run(schema, alone.words())).empty());
}

// An identifier far off to the right of its label, on the same line, is more often another
// block's words (the address window's postcode and town) than the number printed under it.
TEST(Extract, AnIdentifierUnderItsLabelBeatsWordsFarOffToTheRight) {
    x::Schema schema;
    auto reference = field("reference_client", x::Type::identifier, {"N° client"});
    reference.min_length = 6;
    reference.max_length = 16;
    reference.alphabet = x::Alphabet::upper_alnum;
    reference.relations = x::bit(x::Relation::right) | x::bit(x::Relation::below);
    schema.fields = {reference};
    PageBuilder page;
    page.line(200, 300, "N° client").same_line(1300, 300, "29200 BREST", 2);
    page.line(200, 350, "892 996 260 4");
    const auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("reference_client"), 1u);
    EXPECT_EQ(found.at("reference_client").value, "8929962604");
}

// A rent notice without housing benefit: what is to pay is the rent and its charges, and the
// difference tells it all the same, from a weaker wording, over a closer distractor.
TEST(Extract, ADifferenceTellsWithoutTheTermTakenOffWhenNothingOffersIt) {
    PageBuilder page;
    page.line(200, 300, "Montant à payer 0,00 €");  // a distractor under a stronger wording
    page.line(200, 360, "Loyer 354,47 €");
    page.line(200, 420, "Charges 36,79 €");
    page.line(200, 480, "Reste à payer 391,26 €");
    x::Schema schema;
    auto rest = field("montant_a_payer", x::Type::amount, {});
    rest.labels = x::lexicon({"Montant à payer"}, 1.0f) + x::lexicon({"Reste à payer"}, 0.9f);
    schema.fields = {rest, field("loyer", x::Type::amount, {"Loyer"}), field("charges", x::Type::amount, {"Charges"}),
                     field("aide_logement", x::Type::amount, {"Aide au logement"})};
    schema.constraints = {{x::Constraint::Kind::difference, {"montant_a_payer", "loyer", "charges", "aide_logement"}, 0.35f, false}};
    auto found = by_key(x::run(schema, page.words()));
    EXPECT_EQ(found["montant_a_payer"].value, "391.26");
    EXPECT_TRUE(found["montant_a_payer"].constrained);
    EXPECT_EQ(found.count("aide_logement"), 0u);
}

// A tall label wrapped over lines ("DATE DE" / "PRÉLÈVEMENT" / "PRÉVUE : 01/08/2022") beside a
// column whose own label has its value under it ("PROCHAIN PRÉLÈVEMENT LE :" / "31/08/2022"):
// that value is its label's, not along the tall label's row; the label's value is after the
// colon of its last line.
TEST(Extract, AValueUnderAnotherLabelIsNotAlongTheRowOfATallOneBeside) {
    x::Schema schema;
    auto deadline = field("date_limite_paiement", x::Type::date, {"Date de prélèvement"});
    schema.fields = {deadline, x::others(x::lexicon({"Prochain prélèvement"}))};
    PageBuilder page;
    page.line(260, 1020, "DATE DE", 1, 61);
    page.line(1320, 1075, "PROCHAIN PRÉLÈVEMENT LE :", 2, 37);
    page.line(260, 1107, "PRÉLÈVEMENT", 1, 77);
    page.line(1320, 1142, "31/08/2022", 2, 41);
    page.line(260, 1210, "PRÉVUE : 01/08/2022", 1, 70);
    const auto found = by_key(x::run(schema, page.words()));
    ASSERT_EQ(found.count("date_limite_paiement"), 1u);
    EXPECT_EQ(found.at("date_limite_paiement").value, "2022-08-01");
}

// A letterhead's line with the web address ("cdc-habitat.fr - Mon espace locataire") is no
// label, whatever head word it holds.
TEST(Extract, ALineWithAWebAddressHeadsNothing) {
    x::Schema schema;
    auto reference = digits("reference_locataire", 4, 12, {"Référence locataire"});
    reference.heads = {"locataire"};
    schema.fields = {reference};
    PageBuilder page;
    page.line(480, 360, "cdc-habitat.fr - Mon espace locataire");
    page.line(480, 420, "2022");
    EXPECT_EQ(by_key(x::run(schema, page.words())).count("reference_locataire"), 0u);
    PageBuilder labelled;
    labelled.line(480, 360, "Votre espace locataire");
    labelled.line(480, 420, "839020");
    EXPECT_EQ(by_key(x::run(schema, labelled.words())).count("reference_locataire"), 1u);
}

// A town after its postcode is no part of an identifier: "56100 LORIENT", the address window's
// line beside a reference's label, is not the reference "56100LORIENT"; a meter's short group
// of letters is ("C11 MC 616776").
TEST(Extract, AnIdentifierStopsAtAWordAfterItsDigits) {
    x::Schema schema;
    auto reference = field("reference_client", x::Type::identifier, {"Référence client"});
    reference.min_length = 6;
    reference.max_length = 16;
    reference.alphabet = x::Alphabet::upper_alnum;
    schema.fields = {reference};
    PageBuilder page;
    page.line(200, 300, "Référence client 56100 LORIENT");
    EXPECT_EQ(by_key(x::run(schema, page.words())).count("reference_client"), 0u);
    PageBuilder meter;
    meter.line(200, 300, "Référence client C11 MC 616776");
    const auto found = by_key(x::run(schema, meter.words()));
    ASSERT_EQ(found.count("reference_client"), 1u);
    EXPECT_EQ(found.at("reference_client").value, "C11MC616776");
}

// A label's last connector may be left out by OCR ("Avis d'échéance" for "Avis d'échéance de"):
// only an error, the label stands.
TEST(Extract, ALabelsLastConnectorLeftOutIsOnlyAnError) {
    x::Schema schema;
    auto period = field("periode", x::Type::period, {"Avis d'échéance de"});
    period.start_key = "periode_debut";
    period.end_key = "periode_fin";
    schema.fields = {period};
    PageBuilder left_out;
    left_out.line(200, 300, "Avis d'échéance 01/09/2024 - 30/09/2024");
    EXPECT_EQ(x::to_fields(schema, x::run(schema, left_out.words())).size(), 2u);
}
