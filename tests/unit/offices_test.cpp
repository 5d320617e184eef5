// The directory of offices (comptoir/offices.hpp) on its own, without a configuration file:
// entries, the former one-string addresses, what is said about them, the choice of an office.
#include "comptoir/letters/offices.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using comptoir::Office;
using comptoir::OfficeNotes;

namespace {

bool any_holds(const std::vector<std::string>& texts, const std::string& part) {
    return std::any_of(texts.begin(), texts.end(), [&](const std::string& text) { return text.find(part) != std::string::npos; });
}

}  // namespace

TEST(ConfigOffices, ReadsEntriesInTheOrderOfTheirIds) {
    OfficeNotes notes;
    const auto offices = comptoir::read_offices({{"offices.sip-lorient.kind", "SIP"},
                                                 {"offices.sip-lorient.name", "Service des impôts des particuliers"},
                                                 {"offices.sip-lorient.lines", "Cité administrative | 1 rue du Lycée |"},
                                                 {"offices.sip-lorient.postcode", "56100"},
                                                 {"offices.sip-lorient.city", "Lorient Cedex"},
                                                 {"offices.sip-lorient.departement", "56"},
                                                 {"offices.ccas.kind", "ccas"},
                                                 {"offices.ccas.name", "CCAS de Lorient"},
                                                 {"offices.ccas.postcode", "56100"},
                                                 {"offices.ccas.city", "Lorient"},
                                                 {"server.port", "8080"}},
                                                notes);
    EXPECT_TRUE(notes.errors.empty()) << notes.errors.front();
    EXPECT_TRUE(notes.warnings.empty()) << notes.warnings.front();
    ASSERT_EQ(offices.size(), 2u);
    EXPECT_EQ(offices[0].id, "ccas");
    EXPECT_TRUE(offices[0].lines.empty());
    EXPECT_EQ(offices[0].address(), "CCAS de Lorient, 56100 Lorient");
    const Office& sip = offices[1];
    EXPECT_EQ(sip.kind, "sip");
    EXPECT_EQ(sip.lines, (std::vector<std::string>{"Cité administrative", "1 rue du Lycée"}));
    EXPECT_EQ(sip.departement, "56");
    EXPECT_TRUE(sip.complete());
    EXPECT_EQ(sip.address(), "Service des impôts des particuliers, Cité administrative, 1 rue du Lycée, 56100 Lorient Cedex");
}

TEST(ConfigOffices, BadEntriesAreErrorsNamingTheKey) {
    OfficeNotes notes;
    comptoir::read_offices({{"offices.caf.name", "Caf"},  // no kind
                            {"offices.fsl.kind", "fsl"},
                            {"offices.fsl.postcode", "5600"},
                            {"offices.fsl.departement", "Morbihan"},
                            {"offices.fsl.ville", "Vannes"},
                            {"offices.Mairie Principale.kind", "mairie"},
                            {"offices.sip.kind", "impôts!"}},
                           notes);
    EXPECT_TRUE(any_holds(notes.errors, "« offices.caf » n'a pas de type")) << notes.errors.front();
    EXPECT_TRUE(any_holds(notes.errors, "« offices.fsl.postcode » : « 5600 » (attendu : un code postal de 5 chiffres)"));
    EXPECT_TRUE(any_holds(notes.errors, "« offices.fsl.departement » : « Morbihan »"));
    EXPECT_TRUE(any_holds(notes.errors, "clé inconnue « offices.fsl.ville » (attributs d'un organisme"));
    EXPECT_TRUE(any_holds(notes.errors, "clé inconnue « offices.Mairie Principale.kind »"));
    EXPECT_TRUE(any_holds(notes.errors, "« offices.sip.kind » : « impôts! »"));
    EXPECT_EQ(notes.errors.size(), 6u);
}

TEST(ConfigOffices, AnEntryWithoutPostcodeIsAWarningNotAnError) {
    OfficeNotes notes;
    const auto offices = comptoir::read_offices(
        {{"offices.mediateur.kind", "mediateur"}, {"offices.mediateur.name", "Médiateur national de l'énergie"}}, notes);
    EXPECT_TRUE(notes.errors.empty());
    ASSERT_EQ(offices.size(), 1u);
    EXPECT_FALSE(offices[0].complete());
    ASSERT_EQ(notes.warnings.size(), 1u);
    EXPECT_NE(notes.warnings[0].find("le code postal (offices.mediateur.postcode), la ville (offices.mediateur.city)"),
              std::string::npos) << notes.warnings[0];
    EXPECT_NE(notes.warnings[0].find("demanderont l'adresse au médiateur"), std::string::npos);
}

TEST(ConfigOffices, TheFormerOneStringFormGivesNamePostcodeCityAndLines) {
    Office caf = comptoir::office_from_text("Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes");
    EXPECT_EQ(caf.name, "Caf du Morbihan");
    EXPECT_EQ(caf.lines, std::vector<std::string>{"2 rue de Tivoli"});
    EXPECT_EQ(caf.postcode, "56000");
    EXPECT_EQ(caf.city, "Vannes");
    EXPECT_EQ(caf.address(), "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes");
    // A sorting number is not the postcode; what follows the postcode is the city, whole.
    const Office sorted = comptoir::office_from_text(" Caf du Morbihan,TSA 21941 , 56085 Vannes Cedex 9, France");
    EXPECT_EQ(sorted.lines, std::vector<std::string>{"TSA 21941"});
    EXPECT_EQ(sorted.postcode, "56085");
    EXPECT_EQ(sorted.city, "Vannes Cedex 9, France");
    EXPECT_EQ(comptoir::office_from_text("Caf, CS 56000").postcode, "");
    // No postcode: a name and lines, incomplete.
    const Office bare = comptoir::office_from_text("Conseil départemental du Morbihan, FSL, Vannes");
    EXPECT_EQ(bare.name, "Conseil départemental du Morbihan");
    EXPECT_EQ(bare.lines, (std::vector<std::string>{"FSL", "Vannes"}));
    EXPECT_TRUE(bare.postcode.empty());
    EXPECT_FALSE(bare.complete());
    // The postcode in the first part: the name is what comes before it.
    const Office one_part = comptoir::office_from_text("Mairie 56100 Lorient");
    EXPECT_EQ(one_part.name, "Mairie");
    EXPECT_EQ(one_part.city, "Lorient");
}

TEST(ConfigOffices, TheFormerKeysAreReadWithAWarningNamingTheNewKeys) {
    OfficeNotes notes;
    const auto offices = comptoir::read_offices(
        {{"site.caf_address", "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes"},
         {"site.fsl_address", "Conseil départemental du Morbihan, Fonds de solidarité pour le logement, Vannes"}},
        notes);
    EXPECT_TRUE(notes.errors.empty());
    ASSERT_EQ(offices.size(), 2u);
    EXPECT_EQ(offices[0].id, "caf");
    EXPECT_EQ(offices[0].kind, "caf");
    EXPECT_EQ(offices[0].former_key, "site.caf_address");
    EXPECT_TRUE(offices[0].complete());
    EXPECT_EQ(offices[1].kind, "fsl");
    EXPECT_FALSE(offices[1].complete());
    ASSERT_EQ(notes.warnings.size(), 3u);
    EXPECT_NE(notes.warnings[0].find("« site.caf_address » est l'ancienne forme"), std::string::npos) << notes.warnings[0];
    EXPECT_NE(notes.warnings[0].find("offices.<id>.kind = caf"), std::string::npos) << notes.warnings[0];
    EXPECT_NE(notes.warnings[1].find("« site.fsl_address »"), std::string::npos) << notes.warnings[1];
    EXPECT_NE(notes.warnings[2].find("« site.fsl_address » n'est pas complète, il lui manque le code postal"),
              std::string::npos) << notes.warnings[2];
}

TEST(ConfigOffices, AFormerKeyGivesWayToTheDirectory) {
    OfficeNotes notes;
    const auto offices = comptoir::read_offices({{"offices.caf.kind", "caf"},
                                                 {"offices.caf.name", "Caf du Morbihan"},
                                                 {"offices.caf.postcode", "56000"},
                                                 {"offices.caf.city", "Vannes"},
                                                 {"offices.fsl.kind", "ccas"},
                                                 {"offices.fsl.name", "CCAS"},
                                                 {"offices.fsl.postcode", "56100"},
                                                 {"offices.fsl.city", "Lorient"},
                                                 {"site.caf_address", "Ancienne Caf, 56000 Vannes"},
                                                 {"site.fsl_address", "FSL, 56000 Vannes"}},
                                                notes);
    ASSERT_EQ(offices.size(), 3u);
    EXPECT_EQ(offices[0].name, "Caf du Morbihan");
    EXPECT_EQ(offices[2].kind, "fsl");
    EXPECT_EQ(offices[2].id, "fsl-2");  // "fsl" is taken by the CCAS
    EXPECT_TRUE(any_holds(notes.warnings, "« site.caf_address » est ignorée"));
}

TEST(ConfigOffices, TheOfficeOfTheSitesDepartementIsChosenElseTheFirst) {
    const auto make = [](const std::string& id, const std::string& kind, const std::string& departement) {
        Office office;
        office.id = id;
        office.kind = kind;
        office.departement = departement;
        return office;
    };
    const std::vector<Office> offices = {make("caf-35", "caf", "35"), make("caf-any", "caf", ""), make("caf-56", "caf", "56"),
                                         make("fsl", "fsl", "")};
    EXPECT_EQ(comptoir::choose_office(offices, "caf", "56")->id, "caf-56");
    EXPECT_EQ(comptoir::choose_office(offices, "caf", "29")->id, "caf-35");
    EXPECT_EQ(comptoir::choose_office(offices, "caf", "")->id, "caf-35");
    EXPECT_EQ(comptoir::choose_office(offices, "fsl", "56")->id, "fsl");
    EXPECT_EQ(comptoir::choose_office(offices, "sip", "56"), nullptr);
}

TEST(ConfigOffices, DepartementsOfPostcodesAndCodes) {
    EXPECT_EQ(comptoir::departement_of_postcode("56100"), "56");
    EXPECT_EQ(comptoir::departement_of_postcode("01000"), "01");
    EXPECT_EQ(comptoir::departement_of_postcode("20090"), "2A");
    EXPECT_EQ(comptoir::departement_of_postcode("20200"), "2B");
    EXPECT_EQ(comptoir::departement_of_postcode("97400"), "974");
    EXPECT_EQ(comptoir::departement_of_postcode("00100"), "");
    EXPECT_EQ(comptoir::departement_of_postcode("5610"), "");
    EXPECT_EQ(comptoir::departement_code(" 2a "), "2A");
    EXPECT_EQ(comptoir::departement_code("1"), "01");
    EXPECT_EQ(comptoir::departement_code("971"), "971");
    EXPECT_EQ(comptoir::departement_code("20"), "");
    EXPECT_EQ(comptoir::departement_code("96"), "");
    EXPECT_EQ(comptoir::departement_code("Morbihan"), "");
}
