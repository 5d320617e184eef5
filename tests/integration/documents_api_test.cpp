// A visit's documents after their first reading, through the REST API: read again as they are
// (corrections kept), as another kind chosen by the mediator (corrections dropped, the letters
// written before out of date, the choice kept for the next reading), with a page turned (an
// upside-down page read right after a half turn), refused while being read (409) or for an
// unknown kind (400), and removed with what came of them. The real server, plugins and OCR, on
// the demo's bill.
#include "comptoir/cases/desk.hpp"
#include "comptoir/image/image.hpp"

#include "desk_server.hpp"
#include "test_support.hpp"

#include <Poco/File.h>

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

using namespace comptoir::test;

namespace {

class DocumentsApi : public DeskServerTest {
protected:
    void SetUp() override {
        start("data.dir = data\nocr.engines = 2\n");
    }
    // Uploads `content`, waits for its reading, returns the document's id.
    int64_t read(int64_t case_id, const std::string& content) {
        const Reply sent = upload(port(), case_id, "facture.png", content);
        EXPECT_EQ(sent.status, 202) << sent.body;
        const int64_t id = sent.json()->getValue<int64_t>("id");
        EXPECT_EQ(follow(port(), case_id, id).state, "done");
        return id;
    }
    // Asks for a new reading and waits for it; the document as it then stands.
    Poco::JSON::Object::Ptr read_again(int64_t case_id, int64_t document, const std::string& body) {
        const Reply asked = send(port(), "POST", document_uri(case_id, document) + "/read", body);
        EXPECT_EQ(asked.status, 202) << asked.body;
        EXPECT_NE(asked.json()->getValue<std::string>("state"), "done");
        auto now = read_to_the_end(port(), document_uri(case_id, document));
        EXPECT_EQ(now->getValue<std::string>("state"), "done");
        return now;
    }
    // The case's one letter, as the case's JSON lists it.
    Poco::JSON::Object::Ptr letter_of(int64_t case_id) {
        const auto letters = send(port(), "GET", "/api/v1/cases/" + std::to_string(case_id)).json()->getArray("letters");
        EXPECT_EQ(letters->size(), 1u);
        return letters->getObject(0);
    }
    bool audited(int64_t case_id, const std::string& action) {
        for (const auto& line : server_->desk().store().audit_log(case_id, 100)) {
            if (line.action == action) return true;
        }
        return false;
    }

};

std::string kind_of(const Poco::JSON::Object::Ptr& document) {
    return document->has("document") && !document->isNull("document")
               ? document->getObject("document")->getValue<std::string>("kind")
               : "";
}

// The demo's bill turned upside down, as a PNG.
std::string upside_down(const std::string& png) {
    Pix* loaded = pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size());
    comptoir::PixPtr page(loaded);
    comptoir::PixPtr turned(pixRotateOrth(page.get(), 2));
    return comptoir::pix_to_png(turned.get());
}

}  // namespace

TEST_F(DocumentsApi, ReadAgainAsItIsOrAsAnotherKindThenRemoved) {
    const int64_t id = new_case(port());
    const Reply sent = upload(port(), id, "facture.png", read_file(kBillPng));
    ASSERT_EQ(sent.status, 202) << sent.body;
    const int64_t document = sent.json()->getValue<int64_t>("id");
    // While it is read: neither read again nor removed, in French.
    const Reply early = send(port(), "POST", document_uri(id, document) + "/read", "{}");
    EXPECT_EQ(early.status, 409) << early.body;
    EXPECT_EQ(early.error(), "being_read");
    EXPECT_NE(early.body.find("La page est en cours de lecture : attendez la fin."), std::string::npos) << early.body;
    EXPECT_EQ(send(port(), "DELETE", document_uri(id, document)).status, 409);
    ASSERT_EQ(follow(port(), id, document).state, "done");
    ASSERT_EQ(kind_of(send(port(), "GET", document_uri(id, document)).json()), "edf.facture");

    const Reply unknown = send(port(), "POST", document_uri(id, document) + "/read", R"({"kind": "edf.inconnu"})");
    EXPECT_EQ(unknown.status, 400) << unknown.body;
    EXPECT_EQ(unknown.error(), "unknown_kind");
    EXPECT_EQ(send(port(), "POST", document_uri(id, document) + "/read", R"({"rotate": {"page": 9, "quarter_turns": 1}})").status,
              400);
    // The kinds the desk offers, by label.
    const auto kinds = send(port(), "GET", "/api/v1/kinds").json()->getArray("kinds");
    bool caf = false;
    for (size_t i = 0; i < kinds->size(); ++i) {
        const auto kind = kinds->getObject(static_cast<unsigned>(i));
        if (kind->getValue<std::string>("id") == "caf.attestation_paiement") caf = !kind->getValue<std::string>("label").empty();
    }
    EXPECT_TRUE(caf);

    // A correction and a letter, then read again as it is: the correction stays, the letter too.
    ASSERT_EQ(send(port(), "PUT", document_uri(id, document) + "/fields/montant_ttc", R"({"value": "12,34", "confirm": true})").status, 200);
    const Reply letter = send(port(), "POST", document_uri(id, document) + "/letters",
                              R"({"letter": "edf.delai_paiement", "answers": {"nombre_mois": "6", "expediteur_nom": "Marie Fontaine",
                                  "expediteur_adresse": "3 rue des Lilas\n56100 Lorient"}})");
    ASSERT_EQ(letter.status, 201) << letter.body;
    const std::string letter_uri = letter.json()->getValue<std::string>("url");
    auto again = read_again(id, document, "{}");
    EXPECT_EQ(kind_of(again), "edf.facture");
    EXPECT_EQ(again->getObject("fields")->getObject("montant_ttc")->getValue<std::string>("value"), "12.34");
    EXPECT_FALSE(letter_of(id)->getValue<bool>("out_of_date"));
    EXPECT_TRUE(audited(id, "document.read_again"));

    // As another kind: that plugin's fields, the correction gone, the letter out of date.
    again = read_again(id, document, R"({"kind": "caf.attestation_paiement"})");
    EXPECT_EQ(kind_of(again), "caf.attestation_paiement");
    EXPECT_EQ(again->getValue<std::string>("chosen_kind"), "caf.attestation_paiement");
    EXPECT_FALSE(again->getObject("fields")->has("montant_ttc"));
    EXPECT_TRUE(server_->desk().store().corrections_of(document).empty());
    const auto written = letter_of(id);
    EXPECT_TRUE(written->getValue<bool>("out_of_date"));
    EXPECT_EQ(written->getArray("changed")->getElement<std::string>(0), "type de document");
    // The choice is kept: read again without a kind, still the Caf's.
    EXPECT_EQ(kind_of(read_again(id, document, "{}")), "caf.attestation_paiement");

    // Removed: its row, its letter, its files; audited; a second time 404.
    const std::string folder = dir_.file("data") + "/spool/case-" + std::to_string(id) + "/document-" + std::to_string(document);
    ASSERT_TRUE(Poco::File(folder).exists());
    const Reply removed = send(port(), "DELETE", document_uri(id, document));
    EXPECT_EQ(removed.status, 200) << removed.body;
    EXPECT_EQ(send(port(), "GET", document_uri(id, document)).status, 404);
    EXPECT_EQ(send(port(), "GET", letter_uri).status, 404);
    EXPECT_FALSE(Poco::File(folder).exists());
    EXPECT_TRUE(server_->desk().store().letters_of(id).empty());
    EXPECT_TRUE(audited(id, "document.remove"));
    EXPECT_EQ(send(port(), "DELETE", document_uri(id, document)).status, 404);
}

TEST_F(DocumentsApi, AnUpsideDownPageTurnedByHalvesIsReadRightWhenUpright) {
    const int64_t id = new_case(port());
    const int64_t document = read(id, upside_down(read_file(kBillPng)));
    const auto first = send(port(), "GET", document_uri(id, document)).json();
    const int had = first->getArray("page_info")->getObject(0)->getValue<int>("rotation") / 90;
    // Turned by the pipeline: said as a page to check.
    if (had != 0) {
        EXPECT_EQ(first->getArray("pages_to_check")->size(), 1u) << had;
    }
    // Two half turns, added to what the page had: one of the two readings is the page upright
    // (turned by 180° from the upside-down file), the other the page as it came in.
    for (int turn = 1; turn <= 2; ++turn) {
        const auto read = read_again(id, document, R"({"rotate": {"page": 1, "quarter_turns": 2}})");
        const int rotation = read->getArray("page_info")->getObject(0)->getValue<int>("rotation");
        EXPECT_EQ(rotation, ((had + 2 * turn) % 4) * 90);
        const auto fields = read->getObject("fields");
        if (rotation == 180) {
            EXPECT_EQ(kind_of(read), "edf.facture");
            ASSERT_TRUE(fields->has("montant_ttc"));
            EXPECT_EQ(fields->getObject("montant_ttc")->getValue<std::string>("value"), "370.85");
            // Turned by the mediator, read right: nothing left to check.
            EXPECT_EQ(read->getArray("pages_to_check")->size(), 0u);
        } else {
            EXPECT_FALSE(fields->has("montant_ttc") && fields->getObject("montant_ttc")->getValue<std::string>("value") == "370.85");
            EXPECT_TRUE(read->getArray("pages_to_check")->getObject(0)->getValue<bool>("hard_to_read"));
        }
    }
}
