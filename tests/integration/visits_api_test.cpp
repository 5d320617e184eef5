// Visits shared by the office, through the REST API: the open visits listed with who opened and
// who holds them and their documents, a colleague's take-over audited, the letter form's drafts
// sealed in the spool (never in clear on disk), bounded, kept to their own case, kept by the
// spool's sweep at a restart and gone with the case; and the progress of a reading that moves
// during OCR with the time left. The real server, plugins and OCR, on the demo's bill.
#include "comptoir/cases/desk.hpp"
#include "comptoir/cases/spool.hpp"
#include "comptoir/cases/spool_crypto.hpp"

#include "desk_server.hpp"
#include "test_support.hpp"

#include <Poco/File.h>

#include <gtest/gtest.h>

using namespace comptoir::test;

namespace {

class VisitsApi : public DeskServerTest {
protected:
    void SetUp() override {
        start("data.dir = data\nocr.engines = 2\nsite.name = PIMMS d'essai\nsite.city = Lorient\n");
    }
    std::string draft_uri(int64_t id, int64_t document) const {
        return "/api/v1/cases/" + std::to_string(id) + "/documents/" + std::to_string(document) + "/draft";
    }
    std::string draft_file(int64_t id, int64_t document) const {
        return dir_.file("data") + "/spool/case-" + std::to_string(id) + "/document-" + std::to_string(document) + "/draft";
    }
    // A document in the case without reading it (the list and the drafts need only its row).
    int64_t unread_document(int64_t id) {
        comptoir::DocumentRecord document;
        document.case_id = id;
        document.source = "upload";
        document.filename = "facture.png";
        return server_->desk().store().add_document(document).id;
    }

};

// The open visit in GET /api/v1/cases?state=open, or null.
Poco::JSON::Object::Ptr open_visit(uint16_t port, int64_t id) {
    const Reply listed = send(port, "GET", "/api/v1/cases?state=open");
    EXPECT_EQ(listed.status, 200) << listed.body;
    const auto cases = listed.json()->getArray("cases");
    for (size_t i = 0; i < cases->size(); ++i) {
        if (cases->getObject(static_cast<unsigned>(i))->getValue<int64_t>("id") == id) return cases->getObject(static_cast<unsigned>(i));
    }
    return nullptr;
}

const std::string kSecret = "Madame Brouillonne, 12 impasse des Tilleuls";

}  // namespace

TEST_F(VisitsApi, DraftsAreSealedBoundedKeptToTheirCaseAndGoWithIt) {
    const int64_t id = new_case(port());
    const Reply sent = upload(port(), id, "facture.png", read_file(kBillPng));
    ASSERT_EQ(sent.status, 202) << sent.body;
    const int64_t document = sent.json()->getValue<int64_t>("id");
    // The reading's progress moves during OCR, not only from page to page, and says the time left.
    const Followed followed = follow(port(), id, document);
    ASSERT_EQ(followed.state, "done");
    ASSERT_FALSE(followed.ocr_percents.empty());
    EXPECT_TRUE(std::any_of(followed.ocr_percents.begin(), followed.ocr_percents.end(), [](int p) { return p > 0 && p < 95; }))
        << "no step within the page's OCR";
    EXPECT_TRUE(followed.time_left);

    // None yet: an empty draft.
    Reply got = send(port(), "GET", draft_uri(id, document));
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json()->getObject("answers")->size(), 0u);
    EXPECT_FALSE(got.json()->has("saved_at"));

    const std::string body = "{\"letter\": \"edf.delai_paiement\", \"answers\": {\"motif\": \"" + kSecret +
                             "\", \"echeances\": \"3\"}, \"recipients\": {\"edf.delai_paiement\": \"EDF\\n56100 Lorient\"}}";
    const Reply saved = send(port(), "PUT", draft_uri(id, document), body);
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(saved.json()->getValue<std::string>("saved_by"), "mediatrice");
    got = send(port(), "GET", draft_uri(id, document));
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json()->getValue<std::string>("letter"), "edf.delai_paiement");
    EXPECT_EQ(got.json()->getObject("answers")->getValue<std::string>("motif"), kSecret);
    EXPECT_EQ(got.json()->getObject("recipients")->getValue<std::string>("edf.delai_paiement"), "EDF\n56100 Lorient");

    // On disk: sealed with the spool's key, nowhere in clear (the spool's file, the base).
    const std::string stored = read_file(draft_file(id, document));
    EXPECT_TRUE(comptoir::SpoolCrypto::is_sealed(stored));
    EXPECT_EQ(stored.find("Brouillonne"), std::string::npos);
    for (const char* base : {"data/comptoir.sqlite", "data/comptoir.sqlite-wal"}) {
        if (Poco::File(dir_.file(base)).exists()) {
            EXPECT_EQ(read_file(dir_.file(base)).find("Brouillonne"), std::string::npos) << base;
        }
    }

    // Bounded: an answer longer than any letter takes (400), a draft past 32 KiB (413), in French.
    const Reply long_answer = send(port(), "PUT", draft_uri(id, document),
                                   "{\"answers\": {\"motif\": \"" + std::string(2001, 'a') + "\"}}");
    EXPECT_EQ(long_answer.status, 400) << long_answer.body;
    EXPECT_EQ(long_answer.error(), "draft_answer_too_long");
    EXPECT_NE(long_answer.body.find("2 000 caractères"), std::string::npos) << long_answer.body;
    std::string many = "{\"answers\": {";
    for (int i = 0; i < 20; ++i) many += (i ? ", " : "") + std::string("\"q") + std::to_string(i) + "\": \"" + std::string(1900, 'b') + "\"";
    many += "}}";
    const Reply too_big = send(port(), "PUT", draft_uri(id, document), many);
    EXPECT_EQ(too_big.status, 413) << too_big.body;
    EXPECT_EQ(too_big.error(), "draft_too_large");
    EXPECT_EQ(send(port(), "PUT", draft_uri(id, document), "{\"answers\": {\"motif\": 3}}").status, 400);
    EXPECT_EQ(send(port(), "PUT", draft_uri(id, document), "{\"answers\": {\"Motif libre\": \"x\"}}").status, 400);
    // What was refused changed nothing.
    EXPECT_EQ(send(port(), "GET", draft_uri(id, document)).json()->getObject("answers")->getValue<std::string>("motif"), kSecret);

    // Another case's document through this case, or this document through another case: 404.
    const int64_t other = new_case(port());
    const Reply crossed = send(port(), "GET", draft_uri(other, document));
    EXPECT_EQ(crossed.status, 404) << crossed.body;
    EXPECT_EQ(send(port(), "PUT", draft_uri(other, document), body).status, 404);
    EXPECT_EQ(send(port(), "GET", draft_uri(id + 1000, document)).status, 404);

    // The spool's sweep at a restart keeps it: its document owns it.
    server_.reset();
    server_ = std::make_unique<Server>(config_);
    sign_in(port(), server_->desk());
    got = send(port(), "GET", draft_uri(id, document));
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json()->getObject("answers")->getValue<std::string>("motif"), kSecret);

    // An empty draft removes it; a closed case takes none; forgetting the case removes it.
    ASSERT_EQ(send(port(), "PUT", draft_uri(id, document), "{\"answers\": {}}").status, 200);
    EXPECT_FALSE(Poco::File(draft_file(id, document)).exists());
    ASSERT_EQ(send(port(), "PUT", draft_uri(id, document), body).status, 200);
    ASSERT_TRUE(Poco::File(draft_file(id, document)).exists());
    ASSERT_EQ(send(port(), "POST", "/api/v1/cases/" + std::to_string(id) + "/close").status, 200);
    const Reply closed = send(port(), "PUT", draft_uri(id, document), body);
    EXPECT_EQ(closed.status, 409) << closed.body;
    ASSERT_EQ(send(port(), "DELETE", "/api/v1/cases/" + std::to_string(id)).status, 200);
    EXPECT_FALSE(Poco::File(draft_file(id, document)).exists());
}

TEST_F(VisitsApi, OpenVisitsSayWhoAndWhatAndATakeOverIsAudited) {
    const int64_t id = new_case(port());
    const int64_t document = unread_document(id);
    const int64_t closed = new_case(port());
    ASSERT_EQ(send(port(), "POST", "/api/v1/cases/" + std::to_string(closed) + "/close").status, 200);

    auto visit = open_visit(port(), id);
    ASSERT_TRUE(visit);
    EXPECT_FALSE(open_visit(port(), closed)) << "a closed visit is not listed as open";
    EXPECT_EQ(visit->getValue<std::string>("opened_by"), "mediatrice");
    EXPECT_EQ(visit->getValue<std::string>("held_by"), "mediatrice");
    EXPECT_EQ(visit->getValue<std::string>("held_since"), visit->getValue<std::string>("created_at"));
    ASSERT_EQ(visit->getArray("documents")->size(), 1u);
    EXPECT_EQ(visit->getArray("documents")->getObject(0)->getValue<int64_t>("id"), document);

    // A colleague takes it over: said in the list and the case, written in the audit log.
    sign_in(port(), server_->desk(), "collegue");
    const Reply taken = send(port(), "POST", "/api/v1/cases/" + std::to_string(id) + "/take");
    ASSERT_EQ(taken.status, 200) << taken.body;
    EXPECT_EQ(taken.json()->getValue<std::string>("held_by"), "collegue");
    visit = open_visit(port(), id);
    ASSERT_TRUE(visit);
    EXPECT_EQ(visit->getValue<std::string>("opened_by"), "mediatrice");
    EXPECT_EQ(visit->getValue<std::string>("held_by"), "collegue");
    const Reply whole = send(port(), "GET", "/api/v1/cases/" + std::to_string(id));
    EXPECT_EQ(whole.json()->getValue<std::string>("held_by"), "collegue");
    const auto takes = [&] {
        int count = 0;
        for (const auto& line : server_->desk().store().audit_log(id, 100)) {
            if (line.action != "case.take") continue;
            ++count;
            EXPECT_EQ(line.login, "collegue");
            EXPECT_EQ(line.detail, "reprise à mediatrice");
        }
        return count;
    };
    EXPECT_EQ(takes(), 1);
    // Taking what she holds already writes nothing more; a closed visit cannot be taken.
    ASSERT_EQ(send(port(), "POST", "/api/v1/cases/" + std::to_string(id) + "/take").status, 200);
    EXPECT_EQ(takes(), 1);
    EXPECT_EQ(send(port(), "POST", "/api/v1/cases/" + std::to_string(closed) + "/take").status, 409);
    EXPECT_EQ(send(port(), "POST", "/api/v1/cases/999999/take").status, 404);
}
