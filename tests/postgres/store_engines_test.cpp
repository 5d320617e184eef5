// The store on both its engines (issue 14): SQLite, and PostgreSQL on a server of the tests'
// own (tests/postgres/server.sh, started by ctest's fixture; its connection string in
// $COMPTOIR_TEST_POSTGRES_DIR/conninfo). The same assertions on both.
#include "comptoir/base/error.hpp"
#include "comptoir/cases/store.hpp"

#include "test_support.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

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

// A clean database for each test: the schema dropped with everything in it.
void clean_database(const std::string& connection) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    Poco::Data::Session session("PostgreSQL", connection);
    session << "DROP SCHEMA public CASCADE", now;
    session << "CREATE SCHEMA public", now;
}

class StoreEngine : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgresql") {
            connection_ = conninfo();
            ASSERT_FALSE(connection_.empty()) << "no PostgreSQL server: run through ctest (fixture postgres)";
            clean_database(connection_);
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

// A reading's job: held by the instance writing its file, queued, claimed, taken over when its
// instance stops answering, finished once: the instance that lost its claim writes nothing.
TEST_P(StoreEngine, JobsAreClaimedTakenOverAndFinishedOnce) {
    auto store = open();
    const int64_t case_id = store->create_case().id;
    comptoir::DocumentRecord document;
    document.case_id = case_id;
    document.source = "upload";
    const auto added = store->add_document(document, "a");
    auto held = store->held_job(added.id, "a");
    ASSERT_TRUE(held);
    EXPECT_EQ(held->state, "held");
    EXPECT_FALSE(store->claim_job("b", 0)) << "a held job is no one's to claim";
    EXPECT_FALSE(store->release_job({held->job_id, added.id, case_id, "b", 0, 0, "held"}, "/x")) << "not b's";
    ASSERT_TRUE(store->release_job(*held, "/spool/input.png"));
    EXPECT_EQ(store->find_document(case_id, added.id)->input_path, "/spool/input.png");
    EXPECT_EQ(store->job_counts().queued, 1);

    const int64_t t = 1'000'000;
    store->heartbeat("a", "host", 1, t);
    store->heartbeat("b", "host", 2, t);
    const auto first = store->claim_job("a", t - 30'000);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->claim, 1);
    EXPECT_EQ(first->attempts, 1);
    EXPECT_FALSE(store->claim_job("b", t - 30'000)) << "a is alive: its job stays its own";
    EXPECT_TRUE(store->job_progress(*first, "reading", "ocr", 40, 1, 2));

    // a is silent for longer than the lease: b takes the job over.
    store->heartbeat("b", "host", 2, t + 60'000);
    const auto second = store->claim_job("b", t + 60'000 - 30'000);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->job_id, first->job_id);
    EXPECT_EQ(second->claim, 2);
    EXPECT_EQ(second->attempts, 2);
    EXPECT_FALSE(store->job_progress(*first, "reading", "ocr", 90, 2, 2)) << "a's progress no longer counts";

    comptoir::JobOutcome outcome;
    outcome.done = true;
    outcome.result = "{}";
    outcome.pages = 2;
    outcome.activity = comptoir::ActivityRecord{"2026-11-23", "document", "dépôt", "edf", "facture", ""};
    EXPECT_TRUE(store->complete_job(*second, outcome));
    EXPECT_FALSE(store->complete_job(*first, outcome)) << "a wakes up: its result is not written";
    EXPECT_FALSE(store->complete_job(*second, outcome)) << "finished once";
    EXPECT_EQ(store->find_document(case_id, added.id)->state, "done");
    EXPECT_EQ(store->job_of(added.id)->state, "done");
    const auto counted = store->activity("2026-11-23", "2026-11-23");
    ASSERT_EQ(counted.size(), 1u);
    EXPECT_EQ(counted[0].count, 1);
    EXPECT_FALSE(store->claim_job("b", 0));

    // A held job whose instance stopped: its document failed, said once.
    const auto scan = store->add_document(document, "a");
    EXPECT_TRUE(store->fail_abandoned_jobs(t).empty()) << "a was seen at t";
    const auto abandoned = store->fail_abandoned_jobs(t + 1);
    ASSERT_EQ(abandoned.size(), 1u);
    EXPECT_EQ(abandoned[0].document_id, scan.id);
    EXPECT_EQ(store->find_document(case_id, scan.id)->state, "failed");
    EXPECT_EQ(store->find_document(case_id, scan.id)->error_code, "interrupted");
    EXPECT_TRUE(store->fail_abandoned_jobs(t + 1).empty());

    EXPECT_EQ(store->instances().size(), 2u);
    store->remove_other_instances("b");
    ASSERT_EQ(store->instances().size(), 1u);
    EXPECT_EQ(store->instances()[0].id, "b");
    EXPECT_TRUE(store->delete_case(case_id));
    EXPECT_FALSE(store->delete_case(case_id));
    EXPECT_FALSE(store->job_of(added.id));
}

TEST_P(StoreEngine, SessionsAreKeptByTheHashOfTheirToken) {
    auto store = open();
    store->add_session({"h1", "csrf1", "marie", "", 1000});
    store->add_session({"h2", "csrf2", "marie", "", 2000});
    store->add_session({"h3", "csrf3", "paul", "", 3000});
    const auto found = store->find_session("h1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->login, "marie");
    EXPECT_EQ(found->csrf, "csrf1");
    store->touch_session("h1", 5000);
    EXPECT_EQ(store->find_session("h1")->seen_s, 5000);
    EXPECT_EQ(store->delete_idle_sessions(2500), 1);  // h2
    EXPECT_FALSE(store->find_session("h2"));
    store->delete_sessions_of("marie");
    EXPECT_FALSE(store->find_session("h1"));
    store->delete_session("h3");
    EXPECT_FALSE(store->find_session("h3"));
}

// Issue 31: the visitors' values sealed in their columns (text: base64 of the sealed bytes), the
// store reading them back; a base of the version before sealed by its migration.
TEST_P(StoreEngine, TheVisitorsValuesAreSealedInTheirColumns) {
    comptoir::SpoolCrypto::Key key{};
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(3 * i + 1);
    const comptoir::SpoolCrypto crypto(key, std::nullopt);
    const auto raw = [&](const std::string& sql) {
        std::unique_ptr<Poco::Data::Session> session;
        if (GetParam() == "postgresql") {
            session = std::make_unique<Poco::Data::Session>("PostgreSQL", connection_);
        } else {
            Poco::Data::SQLite::Connector::registerConnector();
            session = std::make_unique<Poco::Data::Session>("SQLite", dir_.file("data/comptoir.sqlite"));
        }
        std::vector<std::string> values;
        *session << sql, into(values), now;
        return values;
    };
    int64_t case_id = 0, older = 0, newer = 0;
    {
        auto clear = open();  // encryption off: as the version before wrote it
        case_id = clear->create_case().id;
        comptoir::DocumentRecord document;
        document.case_id = case_id;
        document.source = "upload";
        document.filename = "facture-Brochard.png";
        older = clear->add_document(document).id;
        clear->add_correction({0, older, "titulaire", "Lucienne Brochard", "Lucienne Brochard-Morvan", "m", ""});
    }
    EXPECT_EQ(raw("SELECT filename FROM documents"), std::vector<std::string>{"facture-Brochard.png"});
    // Back to the version before the sealing step (the last one).
    raw("UPDATE meta SET value = '" + std::to_string(comptoir::Store::kSchemaVersion - 1) +
        "' WHERE key = 'schema_version' RETURNING value");
    {
        comptoir::Store store(dir_.file("data"), GetParam(), connection_, crypto);  // migrated: sealed
        EXPECT_EQ(store.schema_version(), comptoir::Store::kSchemaVersion);
        comptoir::DocumentRecord document;
        document.case_id = case_id;
        document.source = "upload";
        document.filename = "courrier-Morvan.pdf";
        newer = store.add_document(document).id;
        store.add_correction({0, newer, "titulaire", "Morvan", "Yann Morvan", "m", ""});
        EXPECT_EQ(store.find_document(case_id, older)->filename, "facture-Brochard.png");
        EXPECT_EQ(store.find_document(case_id, newer)->filename, "courrier-Morvan.pdf");
        EXPECT_EQ(store.corrections_of(older).at(0).new_value, "Lucienne Brochard-Morvan");
        EXPECT_EQ(store.corrections_of(newer).at(0).new_value, "Yann Morvan");
    }
    for (const char* column : {"filename FROM documents", "old_value FROM corrections", "new_value FROM corrections"}) {
        const auto values = raw(std::string("SELECT ") + column);
        ASSERT_EQ(values.size(), 2u) << column;
        for (const auto& value : values) {
            EXPECT_TRUE(comptoir::SpoolCrypto::is_sealed_value(value)) << column << ": " << value;
            EXPECT_EQ(value.find("Morvan"), std::string::npos) << column;
            EXPECT_EQ(value.find("Brochard"), std::string::npos) << column;
        }
    }
    // What the store searches stays clear.
    EXPECT_EQ(raw("SELECT field FROM corrections ORDER BY id"), (std::vector<std::string>{"titulaire", "titulaire"}));
}

// Sign-in counters (issue 31): kept, read back by another instance, removed once back at zero
// or old, and locked while one instance decides (below, on PostgreSQL, several at once).
TEST_P(StoreEngine, SignInCountersAreKeptAndRemoved) {
    auto store = open();
    const auto bump = [](std::vector<comptoir::AttemptCounter>& counters) {
        for (auto& counter : counters) {
            counter.failures += 1;
            counter.first_s = 100;
            counter.until_s = 160;
        }
        return true;
    };
    EXPECT_TRUE(store->update_attempts({"k1", "k2"}, bump));
    EXPECT_FALSE(store->update_attempts({"k1"}, [](auto&) { return false; }));  // nothing written
    auto again = open();  // another instance
    std::vector<comptoir::AttemptCounter> seen;
    again->update_attempts({"k2", "k1", "k3"}, [&](auto& counters) {
        seen = counters;
        for (auto& counter : counters) {
            if (counter.key == "k2") counter = comptoir::AttemptCounter{counter.key, 0, 0, 0};
        }
        return true;
    });
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].key, "k1");
    EXPECT_EQ(seen[0].failures, 1);
    EXPECT_EQ(seen[0].until_s, 160);
    EXPECT_EQ(seen[2].key, "k3");
    EXPECT_EQ(seen[2].failures, 0);
    EXPECT_EQ(again->purge_attempts(50, 200), 0);  // k1's window has not ended
    EXPECT_EQ(again->purge_attempts(150, 200), 1);
    store->update_attempts({"k1", "k2", "k3"}, [&](auto& counters) {
        seen = counters;
        return false;
    });
    for (const auto& counter : seen) EXPECT_EQ(counter.failures, 0) << counter.key;
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreEngine, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& engine) { return engine.param; });

// Instances claiming together, each on its own connection: every job is claimed by exactly
// one (SELECT … FOR UPDATE SKIP LOCKED), none twice, none forgotten.
TEST(StorePostgreSQL, ConcurrentInstancesClaimEachJobOnce) {
    const std::string connection = conninfo();
    ASSERT_FALSE(connection.empty());
    TempDir dir;
    clean_database(connection);
    constexpr int kJobs = 60;
    constexpr int kInstances = 4;
    {
        comptoir::Store store(dir.file("data"), "postgresql", connection);
        const int64_t case_id = store.create_case().id;
        comptoir::DocumentRecord document;
        document.case_id = case_id;
        document.source = "upload";
        for (int i = 0; i < kJobs; ++i) {
            const auto added = store.add_document(document, "maker");
            ASSERT_TRUE(store.release_job(*store.held_job(added.id, "maker"), "/f"));
        }
    }
    std::vector<std::vector<int64_t>> claimed(kInstances);
    std::vector<std::unique_ptr<comptoir::Store>> stores;  // each instance its own connection, all open first
    for (int i = 0; i < kInstances; ++i) {
        stores.push_back(std::make_unique<comptoir::Store>(dir.file("data"), "postgresql", connection));
    }
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kInstances; ++i) {
        threads.emplace_back([&, i] {
            comptoir::Store& store = *stores[static_cast<size_t>(i)];
            const std::string me = "instance-" + std::to_string(i);
            store.heartbeat(me, "host", i, comptoir::now_ms());
            ++ready;
            while (ready < kInstances) std::this_thread::yield();
            while (auto job = store.claim_job(me, comptoir::now_ms() - 60'000)) {
                claimed[static_cast<size_t>(i)].push_back(job->job_id);
                std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the job's work
                comptoir::JobOutcome outcome;
                outcome.done = true;
                EXPECT_TRUE(store.complete_job(*job, outcome));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    std::set<int64_t> all;
    size_t total = 0;
    for (const auto& ids : claimed) {
        total += ids.size();
        all.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(total, static_cast<size_t>(kJobs)) << "a job claimed twice";
    EXPECT_EQ(all.size(), static_cast<size_t>(kJobs));
    int busy = 0;
    for (const auto& ids : claimed) busy += !ids.empty();
    EXPECT_GE(busy, 2) << "the instances shared the work";
}

// The server restarts or a network cut drops the connection: the statement under way fails,
// said in French; the next one is on a new connection, and nothing written before is lost.
TEST(StorePostgreSQL, ALostConnectionIsOpenedAgain) {
    const std::string connection = conninfo();
    ASSERT_FALSE(connection.empty());
    TempDir dir;
    clean_database(connection);
    Poco::Data::Session admin("PostgreSQL", connection);
    comptoir::Store store(dir.file("data"), "postgresql", connection);
    const int64_t before = store.create_case().id;
    admin << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        now;
    int failures = 0;
    int64_t after = 0;
    for (int attempt = 0; attempt < 3 && after == 0; ++attempt) {
        try {
            after = store.create_case().id;
        } catch (const comptoir::Error& error) {
            ++failures;
            EXPECT_EQ(error.code(), "store");
            EXPECT_NE(std::string(error.what()).find("base de données"), std::string::npos);
        }
    }
    EXPECT_EQ(failures, 1) << "one statement lost with the connection, not more";
    EXPECT_GT(after, before);
    EXPECT_TRUE(store.find_case(before));
}

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

// Instances counting failed sign-ins on one key at once: each attempt counted once (the row is
// locked while an instance decides), none lost.
TEST(StorePostgreSQL, SignInAttemptsAreCountedOnceAcrossInstances) {
    const std::string connection = conninfo();
    ASSERT_FALSE(connection.empty());
    TempDir dir;
    clean_database(connection);
    constexpr int kInstances = 4;
    constexpr int kAttempts = 15;
    std::vector<std::unique_ptr<comptoir::Store>> stores;
    for (int i = 0; i < kInstances; ++i) {
        stores.push_back(std::make_unique<comptoir::Store>(dir.file("data"), "postgresql", connection));
    }
    std::vector<std::thread> threads;
    for (int i = 0; i < kInstances; ++i) {
        threads.emplace_back([&, i] {
            for (int n = 0; n < kAttempts; ++n) {
                stores[static_cast<size_t>(i)]->update_attempts({"compte", "adresse-" + std::to_string(i % 2)}, [](auto& counters) {
                    for (auto& counter : counters) ++counter.failures;
                    return true;
                });
            }
        });
    }
    for (auto& thread : threads) thread.join();
    std::map<std::string, int64_t> failures;
    stores[0]->update_attempts({"compte", "adresse-0", "adresse-1"}, [&](auto& counters) {
        for (const auto& counter : counters) failures[counter.key] = counter.failures;
        return false;
    });
    EXPECT_EQ(failures["compte"], kInstances * kAttempts);
    EXPECT_EQ(failures["adresse-0"], kInstances * kAttempts / 2);
    EXPECT_EQ(failures["adresse-1"], kInstances * kAttempts / 2);
}
