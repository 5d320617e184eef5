// Issue 31, the visitors' data at rest in the base (core/cases/src/store_sealing.cpp): values
// sealed with the site's key and their row, a base of an older version sealed by its migration
// with no clear copy left in the file, a value moved or sealed with an unknown key refused in
// French, a rotation, the files only the service can read; and an upload's name kept valid UTF-8.
#include "comptoir/base/error.hpp"
#include "comptoir/cases/spool_crypto.hpp"
#include "comptoir/cases/store.hpp"
#include "comptoir/cases/uploads.hpp"

#include "test_support.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>

#include <gtest/gtest.h>

#include <sys/stat.h>

using comptoir::SpoolCrypto;
using comptoir::test::TempDir;
using namespace Poco::Data::Keywords;

namespace {

SpoolCrypto crypto_of(unsigned char seed, std::optional<unsigned char> previous = std::nullopt) {
    const auto key = [](unsigned char s) {
        SpoolCrypto::Key k{};
        for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<unsigned char>(s + 7 * i);
        return k;
    };
    return SpoolCrypto(key(seed), previous ? std::optional<SpoolCrypto::Key>(key(*previous)) : std::nullopt);
}

const std::string kName = "facture-Brochard-Lucienne.png";
const std::string kResult = R"({"format": 2, "fields": {"titulaire": "Lucienne Brochard", "montant": "4321.09"}})";
const std::string kReading = R"({"pages": [{"words": [{"text": "Hortensias"}]}]})";

struct Written {
    int64_t case_id = 0;
    int64_t document_id = 0;
};

// A document uploaded, read (through its job, as the desk does) and corrected.
Written write_visit(comptoir::Store& store) {
    Written w;
    w.case_id = store.create_case().id;
    comptoir::DocumentRecord document;
    document.case_id = w.case_id;
    document.source = "upload";
    document.filename = kName;
    w.document_id = store.add_document(document, "instance").id;
    const auto held = store.held_job(w.document_id, "instance");
    EXPECT_TRUE(held && store.release_job(*held, "/spool/input.png"));
    const auto claim = store.claim_job("instance", 0);
    EXPECT_TRUE(claim);
    comptoir::JobOutcome outcome;
    outcome.done = true;
    outcome.result = kResult;
    outcome.reading = kReading;
    outcome.pages = 1;
    EXPECT_TRUE(store.complete_job(*claim, outcome));
    store.add_correction({0, w.document_id, "titulaire", "Lucienne Brochard", "Lucienne Brochard-Morvan", "", ""});
    return w;
}

// The base's file and its write-ahead log, as bytes.
std::string base_bytes(const TempDir& dir) {
    std::string out;
    for (const char* name : {"data/comptoir.sqlite", "data/comptoir.sqlite-wal"}) {
        if (Poco::File(dir.file(name)).exists()) out += comptoir::test::read_file(dir.file(name));
    }
    return out;
}

std::string raw(const TempDir& dir, const std::string& sql) {
    Poco::Data::Session session("SQLite", dir.file("data/comptoir.sqlite"));
    std::string value;
    session << sql, into(value), now;
    return value;
}

}  // namespace

TEST(StoreSealing, TheVisitorsValuesAreSealedWithTheirRowAndReadBack) {
    TempDir dir;
    Written w;
    {
        comptoir::Store store(dir.file("data"), "sqlite", "", crypto_of(1));
        w = write_visit(store);
        const auto document = store.find_document(w.case_id, w.document_id);
        ASSERT_TRUE(document);
        EXPECT_EQ(document->filename, kName);
        EXPECT_EQ(document->result, kResult);
        EXPECT_EQ(document->reading, kReading);
        const auto corrections = store.corrections_of(w.document_id);
        ASSERT_EQ(corrections.size(), 1u);
        EXPECT_EQ(corrections[0].old_value, "Lucienne Brochard");
        EXPECT_EQ(corrections[0].new_value, "Lucienne Brochard-Morvan");
    }
    const std::string stored = raw(dir, "SELECT result FROM documents");
    EXPECT_TRUE(SpoolCrypto::is_sealed_value(stored)) << stored;
    for (const char* secret : {"Brochard", "4321.09", "Hortensias"}) {
        EXPECT_EQ(base_bytes(dir).find(secret), std::string::npos) << secret;
    }
    // What the store searches stays clear.
    EXPECT_EQ(raw(dir, "SELECT state FROM documents"), "done");

    // A value copied to another row's column no longer opens: said in French, not a crash.
    {
        Poco::Data::Session session("SQLite", dir.file("data/comptoir.sqlite"));
        session << "UPDATE documents SET reading = result", now;
    }
    comptoir::Store store(dir.file("data"), "sqlite", "", crypto_of(1));
    try {
        store.find_document(w.case_id, w.document_id);
        FAIL() << "a moved value must be refused";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "store_encrypted");
        EXPECT_NE(std::string(error.what()).find("modifiée ou déplacée"), std::string::npos) << error.what();
    }
}

TEST(StoreSealing, AnOlderBaseIsSealedByItsMigrationWithNoClearCopyLeft) {
    TempDir dir;
    Written w;
    {
        comptoir::Store clear(dir.file("data"));  // encryption off: as an older version wrote it
        w = write_visit(clear);
    }
    ASSERT_NE(base_bytes(dir).find("Brochard"), std::string::npos) << "the older base holds it in clear";
    {
        Poco::Data::Session session("SQLite", dir.file("data/comptoir.sqlite"));
        // Back to the version before the sealing step (the last one).
        const std::string before = std::to_string(comptoir::Store::kSchemaVersion - 1);
        session << "UPDATE meta SET value = ? WHERE key = 'schema_version'", useRef(before), now;
    }
    comptoir::Store store(dir.file("data"), "sqlite", "", crypto_of(1));
    EXPECT_EQ(store.schema_version(), comptoir::Store::kSchemaVersion);
    for (const char* secret : {"Brochard", "4321.09", "Hortensias"}) {
        EXPECT_EQ(base_bytes(dir).find(secret), std::string::npos) << secret << " left in the file";
    }
    const auto document = store.find_document(w.case_id, w.document_id);
    ASSERT_TRUE(document);
    EXPECT_EQ(document->result, kResult);
    EXPECT_EQ(store.corrections_of(w.document_id).at(0).new_value, "Lucienne Brochard-Morvan");
}

TEST(StoreSealing, AnUnknownKeyIsSaidAndARotationSealsAgain) {
    TempDir dir;
    Written w;
    {
        comptoir::Store store(dir.file("data"), "sqlite", "", crypto_of(1));
        w = write_visit(store);
    }
    {
        comptoir::Store other(dir.file("data"), "sqlite", "", crypto_of(2));
        try {
            other.find_document(w.case_id, w.document_id);
            FAIL() << "a value sealed with another key must be refused";
        } catch (const comptoir::Error& error) {
            EXPECT_EQ(error.code(), "store_encrypted");
            EXPECT_NE(std::string(error.what()).find("autre clé"), std::string::npos) << error.what();
        }
        EXPECT_THROW(other.reseal_values(), comptoir::Error);  // nothing changed then
    }
    const std::string before = raw(dir, "SELECT result FROM documents");
    {
        comptoir::Store rotating(dir.file("data"), "sqlite", "", crypto_of(2, 1));  // the old key as previous
        EXPECT_EQ(rotating.reseal_values(), 5);  // file name, result, reading, two correction values
        EXPECT_EQ(rotating.reseal_values(), 0);
    }
    EXPECT_NE(raw(dir, "SELECT result FROM documents"), before);
    comptoir::Store rotated(dir.file("data"), "sqlite", "", crypto_of(2));
    EXPECT_EQ(rotated.find_document(w.case_id, w.document_id)->filename, kName);
}

TEST(StoreSealing, TheBaseAndItsFolderAreTheServicesOnlyWhateverTheUmask) {
    TempDir dir;
    const mode_t before = ::umask(022);
    {
        comptoir::Store store(dir.file("data"), "sqlite", "", crypto_of(1));
        write_visit(store);
        struct stat info {};
        ASSERT_EQ(::stat(dir.file("data").c_str(), &info), 0);
        EXPECT_EQ(info.st_mode & 0777, 0700u);
        for (const char* name : {"data/comptoir.sqlite", "data/comptoir.sqlite-wal", "data/comptoir.sqlite-shm"}) {
            ASSERT_EQ(::stat(dir.file(name).c_str(), &info), 0) << name;
            EXPECT_EQ(info.st_mode & 0777, 0600u) << name;
        }
    }
    ::umask(before);
}

TEST(StoreSealing, AnUploadsNameIsKeptValidUtf8) {
    EXPECT_EQ(comptoir::display_name("facture-\xE9t\xE9.png"), "facture-\xEF\xBF\xBDt\xEF\xBF\xBD.png");
    EXPECT_EQ(comptoir::display_name("C:\\dossier/été.png"), "été.png");
    EXPECT_EQ(comptoir::display_name("a\x01\x1b[31mb\xC3.png"), "a[31mb\xEF\xBF\xBD.png");
    EXPECT_EQ(comptoir::display_name("\xED\xA0\x80.pdf"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.pdf");  // a surrogate
    // Cut at 120 bytes between characters, never inside one.
    std::string long_name;
    for (int i = 0; i < 100; ++i) long_name += "é";
    const std::string cut = comptoir::display_name(long_name);
    EXPECT_EQ(cut.size(), 120u);
    EXPECT_EQ(cut, long_name.substr(0, 120));
}
