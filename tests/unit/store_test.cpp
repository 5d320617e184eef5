// The cases' store (core/src/store.cpp) on a real SQLite file: the schema made and versioned,
// a newer file refused, what is written read back, unfinished documents found again.
#include "comptoir/error.hpp"
#include "comptoir/store.hpp"

#include "test_support.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

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
