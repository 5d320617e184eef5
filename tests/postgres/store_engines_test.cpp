// The store on both its engines (issue 14): SQLite, and PostgreSQL on a server of the tests'
// own (tests/postgres/server.sh, started by ctest's fixture; its connection string in
// $COMPTOIR_TEST_POSTGRES_DIR/conninfo). The same assertions on both.
#include "comptoir/error.hpp"
#include "comptoir/store.hpp"

#include "test_support.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>

using comptoir::test::TempDir;
using namespace Poco::Data::Keywords;

namespace {

std::string conninfo() {
    const char* dir = std::getenv("COMPTOIR_TEST_POSTGRES_DIR");
    if (!dir) return "";
    std::ifstream in(std::string(dir) + "/conninfo");
    std::string line;
    std::getline(in, line);
    return line;
}

class StoreEngine : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgresql") {
            connection_ = conninfo();
            ASSERT_FALSE(connection_.empty()) << "no PostgreSQL server: run through ctest (fixture postgres)";
            Poco::Data::PostgreSQL::Connector::registerConnector();
            Poco::Data::Session session("PostgreSQL", connection_);  // a clean database for each test
            session << "DROP SCHEMA public CASCADE", now;
            session << "CREATE SCHEMA public", now;
        }
    }
    std::unique_ptr<comptoir::Store> open() {
        return std::make_unique<comptoir::Store>(dir_.file("data"), GetParam(), connection_);
    }
    TempDir dir_;
    std::string connection_;
};

}  // namespace

TEST_P(StoreEngine, KeepsCasesDocumentsCorrectionsLettersAndUsers) {
    int64_t case_id = 0, document_id = 0;
    {
        auto store = open();
        EXPECT_EQ(store->schema_version(), comptoir::Store::kSchemaVersion);
        case_id = store->create_case().id;
        comptoir::DocumentRecord document;
        document.case_id = case_id;
        document.source = "upload";
        document.filename = "facture.png";
        document_id = store->add_document(document).id;
        store->update_progress(document_id, "reading", "ocr", 40, 1, 2);
        store->add_correction({0, document_id, "montant_ttc", "12.00", "21.00", "m", ""});
        comptoir::LetterRecord letter;
        letter.case_id = case_id;
        letter.document_id = document_id;
        letter.letter_id = "libre.courrier";
        letter.plugin = "libre";
        letter.bytes = 5000000000;  // beyond 32 bits
        EXPECT_GT(store->add_letter(letter).id, 0);
        store->add_user({0, "direction", "admin", "$argon2id$…", ""});
        EXPECT_THROW(store->add_user({0, "direction", "admin", "x", ""}), comptoir::Error);
    }
    auto again = open();  // opened a second time: nothing migrated twice
    const auto document = again->find_document(case_id, document_id);
    ASSERT_TRUE(document);
    EXPECT_EQ(document->state, "reading");
    EXPECT_EQ(document->percent, 40);
    EXPECT_EQ(again->corrections_of(document_id).at(0).new_value, "21.00");
    EXPECT_EQ(again->letters_of(case_id).at(0).bytes, 5000000000);
    EXPECT_EQ(again->unfinished_documents().size(), 1u);
    EXPECT_EQ(again->list_users().at(0).login, "direction");
    EXPECT_TRUE(again->set_password_hash("direction", "h2"));
    EXPECT_EQ(again->find_user("direction")->password_hash, "h2");
    again->close_case(case_id);
    EXPECT_TRUE(again->list_cases(true, 10).empty());
    EXPECT_EQ(again->case_counts().closed, 1);
}

TEST_P(StoreEngine, RetentionAuditAndActivity) {
    auto store = open();
    const int64_t id = store->create_case().id;
    comptoir::DocumentRecord document;
    document.case_id = id;
    document.source = "scan";
    const int64_t document_id = store->add_document(document).id;
    store->add_correction({0, document_id, "montant_ttc", "1", "2", "m", ""});
    store->close_case(id);
    EXPECT_TRUE(store->expired_cases("2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z").empty());
    EXPECT_EQ(store->expired_cases("2999-01-01T00:00:00Z", "2000-01-01T00:00:00Z"), std::vector<int64_t>{id});
    store->delete_case(id);
    EXPECT_FALSE(store->find_case(id));
    EXPECT_TRUE(store->corrections_of(document_id).empty());
    EXPECT_GT(store->create_case().id, id) << "numbers are never reused";

    store->audit("mediatrice", "case.forget", id);
    store->audit("admin", "user.create", 0, "x");
    EXPECT_EQ(store->audit_log(id, 10).size(), 1u);
    EXPECT_EQ(store->audit_log(0, 10).front().action, "user.create");
    EXPECT_EQ(store->audit_log(0, 10, store->audit_log(0, 10).front().id).size(), 1u);

    store->record_activity({"2026-11-20", "document", "accueil", "edf", "edf.facture", ""});
    store->record_activity({"2026-11-20", "document", "accueil", "edf", "edf.facture", ""});
    const auto counts = store->activity("2026-11-01", "2026-11-30");
    ASSERT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts[0].count, 2);
}

TEST_P(StoreEngine, TheAuditLogRefusesChangesInTheDatabaseItself) {
    { open()->audit("mediatrice", "case.open", 1); }
    std::unique_ptr<Poco::Data::Session> session;
    if (GetParam() == "postgresql") {
        session = std::make_unique<Poco::Data::Session>("PostgreSQL", connection_);
    } else {
        session = std::make_unique<Poco::Data::Session>("SQLite", dir_.file("data/comptoir.sqlite"));
    }
    const auto refused = [&](const std::string& sql) {
        try {
            *session << sql, now;
            return false;
        } catch (const Poco::Exception&) {
            return true;
        }
    };
    EXPECT_TRUE(refused("DELETE FROM audit"));
    EXPECT_TRUE(refused("UPDATE audit SET login = 'x'"));
    EXPECT_EQ(open()->audit_log(0, 10).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreEngine, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& engine) { return engine.param; });

TEST(StorePostgreSQL, AnUnreachableServerIsSaidInFrench) {
    TempDir dir;
    try {
        comptoir::Store store(dir.file("data"), "postgresql", "host=/nonexistent port=1 dbname=x user=x connect_timeout=2");
        FAIL() << "opened";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "store");
        EXPECT_NE(std::string(error.what()).find("injoignable"), std::string::npos) << error.what();
    }
}
