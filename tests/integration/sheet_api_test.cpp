// The visitor's sheet through the REST API: written with the letter when asked ("sheet": true),
// sealed beside it in the spool, served at …/letters/{letter}/sheet, said in the letter's JSON;
// a letter written without one answers 404 in French; the spool's sweep keeps it; forgetting the
// case removes it. The real server, plugins, OCR and templates, on the demo's bill.
#include "comptoir/cases/desk.hpp"
#include "comptoir/cases/spool.hpp"
#include "comptoir/letters/visitor_sheet.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include "desk_server.hpp"
#include "test_support.hpp"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <gtest/gtest.h>

#include <regex>

using namespace comptoir::test;

namespace {

class SheetApi : public DeskServerTest {
protected:
    void SetUp() override {
        start("data.dir = data\nocr.engines = 2\nsite.name = PIMMS d'essai\nsite.city = Lorient\n");
    }
    std::string spool(int64_t id) const { return dir_.file("data") + "/spool/case-" + std::to_string(id); }

};

std::string pdf_text(const TempDir& dir, const std::string& pdf, int& pages) {
    const std::string path = dir.write("lu.pdf", pdf);
    std::smatch match;
    const auto info = run_process("/usr/bin/pdfinfo", {path});
    pages = std::regex_search(info.out, match, std::regex(R"(Pages:\s+(\d+))")) ? std::stoi(match[1]) : -1;
    const auto text = run_process("/usr/bin/pdftotext", {"-enc", "UTF-8", path, "-"});
    return std::regex_replace(std::regex_replace(text.out, std::regex("\xC2\xA0"), " "), std::regex(R"(\s+)"), " ");
}

}  // namespace

TEST_F(SheetApi, WrittenWithTheLetterServedAndForgottenWithTheCase) {
    const int64_t id = new_case(port());
    const Reply sent = upload(port(), id, "facture.png", read_file(kBillPng));
    ASSERT_EQ(sent.status, 202) << sent.body;
    const int64_t document = sent.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const std::string letters_uri = case_uri(id) + "/documents/" + std::to_string(document) + "/letters";
    // The amount read, in French, is what the sheet must say.
    const std::string amount = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document))
                                   .json()->getObject("fields")->getObject("montant_ttc")->getValue<std::string>("value");
    const std::string answers = R"("answers": {"nombre_mois": "6", "expediteur_nom": "Marie Fontaine",
                                   "expediteur_adresse": "3 rue des Lilas\n56100 Lorient"})";

    EXPECT_EQ(send(port(), "POST", letters_uri, R"({"letter": "edf.delai_paiement", "sheet": "oui", )" + answers + "}").error(),
              "bad_sheet");
    const Reply with = send(port(), "POST", letters_uri, R"({"letter": "edf.delai_paiement", "sheet": true, )" + answers + "}");
    ASSERT_EQ(with.status, 201) << with.body;
    EXPECT_TRUE(with.json()->getValue<bool>("sheet"));
    const std::string sheet_url = with.json()->getValue<std::string>("sheet_url");
    EXPECT_EQ(sheet_url, with.json()->getValue<std::string>("url") + "/sheet");
    const Reply without = send(port(), "POST", letters_uri, R"({"letter": "edf.delai_paiement", )" + answers + "}");
    ASSERT_EQ(without.status, 201) << without.body;
    EXPECT_FALSE(without.json()->getValue<bool>("sheet"));
    EXPECT_FALSE(without.json()->has("sheet_url"));

    // Served: one page, the amount read on the bill, the letter's request.
    const Reply sheet = send(port(), "GET", sheet_url);
    ASSERT_EQ(sheet.status, 200) << sheet.body;
    EXPECT_EQ(sheet.content_type, "application/pdf");
    int pages = 0;
    const std::string text = pdf_text(dir_, sheet.body, pages);
    EXPECT_EQ(pages, 1);
    EXPECT_NE(text.find("Ce papier est une facture d'électricité."), std::string::npos) << text;
    const std::string french = std::regex_replace(comptoir::french_amount(amount), std::regex("\u00A0|\u202F"), " ");
    EXPECT_NE(text.find(french), std::string::npos) << french << "\n" << text;
    EXPECT_NE(text.find("Il demande à EDF de vous laisser payer en 6 fois."), std::string::npos) << text;
    EXPECT_NE(text.find("PIMMS d'essai"), std::string::npos) << text;

    // Without one: a French 404.
    const Reply none = send(port(), "GET", without.json()->getValue<std::string>("url") + "/sheet");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(none.error(), "sheet_not_found");
    EXPECT_NE(none.body.find("fiche pour la personne"), std::string::npos) << none.body;
    EXPECT_EQ(send(port(), "GET", case_uri(id) + "/letters/999/sheet").error(), "letter_not_found");

    // The case says which letter has one.
    const auto letters = send(port(), "GET", case_uri(id)).json()->getArray("letters");
    ASSERT_EQ(letters->size(), 2u);
    int with_sheet = 0;
    for (unsigned i = 0; i < letters->size(); ++i) with_sheet += letters->getObject(i)->getValue<bool>("sheet") ? 1 : 0;
    EXPECT_EQ(with_sheet, 1);

    // Sealed like the letter, beside it; the sweep of files no row owns leaves it.
    const auto record = server_->desk().store().find_letter(id, with.json()->getValue<int64_t>("id"));
    ASSERT_TRUE(record);
    const std::string sealed = read_file(comptoir::Spool::sheet_path(record->path));
    EXPECT_EQ(sealed.find("%PDF"), std::string::npos) << "the sheet is encrypted in the spool";
    EXPECT_EQ(Poco::Path(comptoir::Spool::sheet_path(record->path)).parent().toString(), Poco::Path(record->path).parent().toString());
    comptoir::Spool(dir_.file("data")).sweep(server_->desk().store(), 0);
    EXPECT_TRUE(Poco::File(comptoir::Spool::sheet_path(record->path)).exists()) << "its letter's row owns it";
    EXPECT_EQ(send(port(), "GET", sheet_url).status, 200);

    // Forgotten with the case.
    ASSERT_EQ(send(port(), "DELETE", case_uri(id)).status, 200);
    EXPECT_FALSE(Poco::File(comptoir::Spool::sheet_path(record->path)).exists());
    EXPECT_FALSE(Poco::File(spool(id)).exists());
    EXPECT_EQ(send(port(), "GET", sheet_url).status, 404);
}

// What the shipped plugins declare, as they declare it: every kind and every letter has its
// sheet's wording in the project's templates, and it reads.
TEST(SheetTemplates, EveryShippedKindAndLetterHasItsWording) {
    comptoir::PluginRegistry registry;
    registry.load_directory(COMPTOIR_BUILD_PLUGINS_DIR);
    const std::vector<std::string> folders = {std::string(COMPTOIR_SOURCE_DIR) + "/templates"};
    size_t kinds = 0, letters = 0;
    for (const comptoir::PluginInfo* plugin : registry.loaded()) {
        for (const auto& kind : plugin->kinds) {
            const std::string file = comptoir::find_sheet_template(folders, kind.id);
            ASSERT_FALSE(file.empty()) << "no " << kind.id << ".fiche";
            EXPECT_NO_THROW(comptoir::parse_sheet_template(file)) << file;
            ++kinds;
        }
        for (const auto& letter : plugin->letters) {
            const std::string file = comptoir::find_sheet_template(folders, letter.id);
            ASSERT_FALSE(file.empty()) << "no " << letter.id << ".fiche";
            EXPECT_NO_THROW(comptoir::parse_sheet_template(file)) << file;
            ++letters;
        }
    }
    EXPECT_GE(kinds, 7u) << "edf, caf, impots and libre declare seven kinds";
    EXPECT_GE(letters, 12u);
}
