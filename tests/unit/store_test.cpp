// The cases' store (core/cases/src/store.cpp) on a real SQLite file: the schema made and versioned,
// a newer file refused, what is written read back, unfinished documents found again.
#include "comptoir/base/error.hpp"
#include "comptoir/cases/store.hpp"

#include "test_support.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/LocalDateTime.h>

#include <gtest/gtest.h>

using comptoir::test::TempDir;
using namespace Poco::Data::Keywords;

TEST(Store, MakesItsSchemaAndKeepsWhatIsWritten) {
    TempDir dir;
    int64_t case_id = 0;
    int64_t document_id = 0;
    {
        comptoir::Store store(dir.file("data"));
        EXPECT_EQ(store.schema_version(), comptoir::Store::kSchemaVersion);
        case_id = store.create_case().id;
        comptoir::DocumentRecord document;
        document.case_id = case_id;
        document.source = "upload";
        document.filename = "facture.png";
        document_id = store.add_document(document).id;
        store.update_progress(document_id, "reading", "ocr", 40, 1, 2);
        store.add_correction({0, document_id, "montant_ttc", "12.00", "21.00", "", ""});
    }
    comptoir::Store again(dir.file("data"));  // opened a second time: nothing migrated twice
    const auto document = again.find_document(case_id, document_id);
    ASSERT_TRUE(document);
    EXPECT_EQ(document->state, "reading");
    EXPECT_EQ(document->percent, 40);
    EXPECT_EQ(document->filename, "facture.png");
    EXPECT_FALSE(again.find_document(case_id + 1, document_id));  // a document belongs to its case
    ASSERT_EQ(again.corrections_of(document_id).size(), 1u);
    EXPECT_EQ(again.corrections_of(document_id)[0].new_value, "21.00");
    ASSERT_EQ(again.unfinished_documents().size(), 1u);  // what a stopped server left running
    again.fail_document(document_id, "interrupted", "…");
    EXPECT_TRUE(again.unfinished_documents().empty());
    again.close_case(case_id);
    EXPECT_TRUE(again.list_cases(true, 10).empty());
    EXPECT_EQ(again.list_cases(false, 10).size(), 1u);
}

TEST(Store, AFileFromANewerComptoirIsRefusedNotDamaged) {
    TempDir dir;
    { comptoir::Store store(dir.file("data")); }
    {
        Poco::Data::Session session("SQLite", dir.file("data/comptoir.sqlite"));
        session << "UPDATE meta SET value = '99' WHERE key = 'schema_version'", now;
    }
    try {
        comptoir::Store store(dir.file("data"));
        FAIL() << "a newer schema must be refused";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "store");
        EXPECT_NE(std::string(error.what()).find("plus récente"), std::string::npos) << error.what();
    }
}

TEST(Store, AFolderThatCannotBeUsedIsSaid) {
    TempDir dir;
    dir.write("occupe", "un fichier, pas un dossier");
    EXPECT_THROW(comptoir::Store(dir.file("occupe/data")), comptoir::Error);
}

TEST(Store, ABaseOfTheLastVersionIsMigratedWithItsCases) {
    TempDir dir;
    { comptoir::Store store(dir.file("data")); }
    {
        // A version 2 base, as the previous release left it, with a case in it.
        Poco::Data::Session session("SQLite", dir.file("data/comptoir.sqlite"));
        session << "DROP TRIGGER audit_no_update", now;
        session << "DROP TRIGGER audit_no_delete", now;
        session << "DROP TABLE audit", now;
        session << "DROP TABLE activity", now;
        session << "DROP TABLE jobs", now;
        session << "DROP TABLE instances", now;
        session << "DROP TABLE sessions", now;
        session << "ALTER TABLE documents DROP COLUMN reading_options", now;  // version 5's
        session << "DROP TABLE sign_in_failures", now;                         // version 6's
        session << "UPDATE meta SET value = '2' WHERE key = 'schema_version'", now;
        session << "INSERT INTO cases (created_at) VALUES ('2026-11-01T10:00:00Z')", now;
        // What it left unfinished: a reading under way (its file kept), a scan under way.
        session << "INSERT INTO documents (case_id, source, created_at, state, input_path) "
                   "VALUES (1, 'upload', '2026-11-01T10:01:00Z', 'reading', '/spool/input.png')", now;
        session << "INSERT INTO documents (case_id, source, created_at, state) "
                   "VALUES (1, 'scan', '2026-11-01T10:02:00Z', 'scanning')", now;
    }
    comptoir::Store store(dir.file("data"));
    EXPECT_EQ(store.schema_version(), comptoir::Store::kSchemaVersion);
    EXPECT_EQ(store.list_cases(false, 10).size(), 1u);
    store.audit("admin", "user.create", 0, "x");
    EXPECT_EQ(store.audit_log(0, 10).size(), 1u);
    // Version 4 made them jobs: the reading queued for any instance, the scan held by no one.
    EXPECT_EQ(store.job_of(1)->state, "queued");
    EXPECT_EQ(store.job_of(2)->state, "held");
    EXPECT_EQ(store.fail_abandoned_jobs(comptoir::now_ms()).size(), 1u);
    EXPECT_EQ(store.claim_job("new", 0)->document_id, 1);
    // Version 5: what the mediator asks of a reading, empty until asked.
    EXPECT_EQ(store.find_document(1, 1)->reading_options, "");
    // Version 6: failed sign-ins counted in the base, none yet.
    EXPECT_TRUE(store.update_attempts({"k"}, [](std::vector<comptoir::AttemptCounter>& counters) {
        return counters.size() == 1 && counters[0].failures == 0;
    }));
}

TEST(Store, RetentionFindsTheCasesDueAndDeletesAllTheirRows) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    Poco::Data::Session session("SQLite", dir.file("data/comptoir.sqlite"));
    // Dates set by hand: one closed on the 20th, one opened on the 14th and still open, one recent.
    session << "INSERT INTO cases (created_at, closed_at) VALUES ('2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z')", now;
    session << "INSERT INTO cases (created_at) VALUES ('2026-11-14T09:00:00Z')", now;
    session << "INSERT INTO cases (created_at) VALUES ('2026-11-22T09:00:00Z')", now;
    EXPECT_EQ(store.expired_cases("2026-11-20T09:59:59Z", "2026-11-13T00:00:00Z"), std::vector<int64_t>{});
    EXPECT_EQ(store.expired_cases("2026-11-20T10:00:00Z", "2026-11-13T00:00:00Z"), std::vector<int64_t>{1});
    EXPECT_EQ(store.expired_cases("2026-11-21T00:00:00Z", "2026-11-14T09:00:00Z"), (std::vector<int64_t>{1, 2}));
    const auto counts = store.case_counts();
    EXPECT_EQ(counts.open, 2);
    EXPECT_EQ(counts.closed, 1);
    EXPECT_EQ(counts.oldest_created_at, "2026-11-14T09:00:00Z");

    comptoir::DocumentRecord document;
    document.case_id = 1;
    document.source = "upload";
    const int64_t document_id = store.add_document(document).id;
    store.add_correction({0, document_id, "montant_ttc", "1", "2", "m", ""});
    comptoir::LetterRecord letter;
    letter.case_id = 1;
    letter.document_id = document_id;
    letter.letter_id = "libre.courrier";
    letter.plugin = "libre";
    store.add_letter(letter);
    store.delete_case(1);
    EXPECT_FALSE(store.find_case(1));
    EXPECT_TRUE(store.documents_of(1).empty());
    EXPECT_TRUE(store.corrections_of(document_id).empty());
    EXPECT_TRUE(store.letters_of(1).empty());
    EXPECT_TRUE(store.find_case(2));
    // A new case never takes a forgotten case's number: the audit log's lines stay unambiguous.
    EXPECT_EQ(store.create_case().id, 4);
}

TEST(Store, ActivityIsCountedPerDayAndCategory) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    store.record_activity({"2026-11-20", "document", "accueil", "edf", "edf.facture", ""});
    store.record_activity({"2026-11-20", "document", "accueil", "edf", "edf.facture", ""});
    store.record_activity({"2026-11-20", "document", "dépôt", "caf", "caf.indu", ""});
    store.record_activity({"2026-11-21", "letter", "accueil", "edf", "edf.facture", "edf.delai_paiement"});
    store.record_activity({"2026-12-01", "case", "", "", "", ""});
    const auto counts = store.activity("2026-11-20", "2026-11-30");
    ASSERT_EQ(counts.size(), 3u);
    EXPECT_EQ(counts[0].activity.station, "accueil");
    EXPECT_EQ(counts[0].count, 2);
    EXPECT_EQ(counts[1].activity.partner, "caf");
    EXPECT_EQ(counts[1].count, 1);
    EXPECT_EQ(counts[2].activity.letter, "edf.delai_paiement");
    const std::string today = Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d");
    store.record_activity({"", "case", "", "", "", ""});  // no day: today
    EXPECT_EQ(store.activity(today, today).size(), 1u);
}

TEST(Store, ADocumentIsReadAgainOrRemovedOnlyAtRest) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    const int64_t case_id = store.create_case().id;
    comptoir::DocumentRecord document;
    document.case_id = case_id;
    document.source = "upload";
    const int64_t id = store.add_document(document, "moi").id;
    const auto held = store.held_job(id, "moi");
    ASSERT_TRUE(held);
    // Being sent (held), queued, read (running): neither read again nor removed.
    EXPECT_FALSE(store.requeue_document(case_id, id, "", false));
    EXPECT_FALSE(store.delete_document(case_id, id));
    ASSERT_TRUE(store.release_job(*held, "/spool/input.png"));
    EXPECT_FALSE(store.requeue_document(case_id, id, "", false));
    const auto claim = store.claim_job("moi", 0);
    ASSERT_TRUE(claim);
    EXPECT_FALSE(store.requeue_document(case_id, id, "", false));
    EXPECT_FALSE(store.delete_document(case_id, id));
    comptoir::JobOutcome outcome;
    outcome.done = true;
    outcome.result = "{}";
    ASSERT_TRUE(store.complete_job(*claim, outcome));
    comptoir::CorrectionRecord correction;
    correction.document_id = id;
    correction.field = "montant";
    correction.old_value = "1";
    correction.new_value = "2";
    store.add_correction(correction);
    // Read: queued again with what was asked, its corrections kept or dropped as told.
    EXPECT_FALSE(store.requeue_document(case_id + 1, id, "", false));  // not that case's
    EXPECT_TRUE(store.requeue_document(case_id, id, R"({"kind": "caf.attestation_paiement"})", false,
                                       comptoir::AuditEntry{"moi", "document.read_again", ""}));
    EXPECT_EQ(store.find_document(case_id, id)->state, "queued");
    EXPECT_EQ(store.find_document(case_id, id)->reading_options, R"({"kind": "caf.attestation_paiement"})");
    EXPECT_EQ(store.job_of(id)->state, "queued");
    EXPECT_EQ(store.corrections_of(id).size(), 1u);
    EXPECT_FALSE(store.requeue_document(case_id, id, "", true));  // queued: once is enough
    const auto again = store.claim_job("moi", 0);
    ASSERT_TRUE(again);
    ASSERT_TRUE(store.complete_job(*again, outcome));
    EXPECT_TRUE(store.requeue_document(case_id, id, "", true));
    EXPECT_TRUE(store.corrections_of(id).empty());
    ASSERT_TRUE(store.complete_job(*store.claim_job("moi", 0), outcome));
    // Removed with its rows, once.
    comptoir::LetterRecord letter;
    letter.case_id = case_id;
    letter.document_id = id;
    letter.letter_id = "edf.delai_paiement";
    letter.plugin = "edf";
    letter.path = "/spool/letter-1.pdf";
    store.add_letter(letter);
    EXPECT_TRUE(store.delete_document(case_id, id, comptoir::AuditEntry{"moi", "document.remove", ""}));
    EXPECT_FALSE(store.find_document(case_id, id));
    EXPECT_FALSE(store.job_of(id));
    EXPECT_TRUE(store.letters_of(case_id).empty());
    EXPECT_FALSE(store.delete_document(case_id, id));
    EXPECT_EQ(store.audit_log(case_id, 10).size(), 2u);
}
