// The cases module without a server: the desk's own rules (typed refusals, audit lines written
// with the action, retention on a clock the test moves), the spool's layout and sweep, the
// corrections, the workers' explicit start and stop, and where each error lands in HTTP.
#include "comptoir/base/error.hpp"
#include "comptoir/cases/corrections.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/cases/jobs.hpp"
#include "comptoir/cases/reading_storage.hpp"
#include "comptoir/cases/spool.hpp"
#include "comptoir/cases/store.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/web/http_server.hpp"

#include "test_support.hpp"

#include <Poco/File.h>
#include <Poco/Timespan.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <fstream>

using comptoir::test::TempDir;

namespace {

comptoir::DeskOptions options_in(const TempDir& dir) {
    comptoir::DeskOptions options;
    options.data_dir = dir.file("data");
    options.upload_max_bytes = 2048;
    options.retention.after_close_hours = 24;
    options.retention.max_days = 7;
    options.retention.check_minutes = 600;  // the test runs the purge itself
    options.workers = 2;
    options.storage.data_dir = options.data_dir;
    return options;
}

// The actions of the audit log of one case, oldest first, as "login action".
std::vector<std::string> audit_of(const comptoir::Store& store, int64_t case_id) {
    std::vector<std::string> lines;
    for (const auto& record : store.audit_log(case_id, 100)) lines.insert(lines.begin(), record.login + " " + record.action);
    return lines;
}

const std::string kPng = "\x89PNG\r\n\x1a\n une page";

}  // namespace

TEST(CasesDesk, WritesTheAuditLineWithTheActionAndRefusesWorkOnAClosedCase) {
    TempDir dir;
    comptoir::PluginRegistry plugins;
    comptoir::Desk desk(options_in(dir), plugins, nullptr);
    const auto record = desk.open_case("lea");
    desk.close_case(record.id, "lea");
    EXPECT_EQ(audit_of(desk.store(), record.id), (std::vector<std::string>{"lea case.open", "lea case.close"}));
    EXPECT_THROW(desk.upload(record.id, "facture.png", kPng, "lea"), comptoir::ConflictError);
    EXPECT_THROW(desk.scan(record.id, "accueil", "lea"), comptoir::ConflictError);
    EXPECT_THROW(desk.case_of(record.id + 1), comptoir::NotFoundError);
    EXPECT_EQ(desk.store().documents_of(record.id).size(), 0u) << "nothing written for a refused upload";
}

TEST(CasesDesk, RefusesWhatItCannotReadWithATypedError) {
    TempDir dir;
    comptoir::PluginRegistry plugins;
    comptoir::Desk desk(options_in(dir), plugins, nullptr);
    const auto record = desk.open_case("sam");
    EXPECT_THROW(desk.upload(record.id, "notes.txt", "des notes", "sam"), comptoir::UnsupportedError);
    EXPECT_THROW(desk.upload(record.id, "grand.png", kPng + std::string(4096, 'x'), "sam"), comptoir::TooLargeError);
    EXPECT_THROW(desk.upload(record.id, "vide.png", "", "sam"), comptoir::InputError);
    EXPECT_THROW(desk.scan(record.id, "accueil", "sam"), comptoir::UnavailableError) << "no scanner on this site";
    EXPECT_THROW(desk.preview("accueil", "sam"), comptoir::UnavailableError);
}

TEST(CasesDesk, PurgesWhatTheRulesSayAsOfTheClockAndSaysWhoDidIt) {
    TempDir dir;
    comptoir::PluginRegistry plugins;
    comptoir::Desk desk(options_in(dir), plugins, nullptr);
    const auto closed = desk.open_case("ines");
    const auto open = desk.open_case("ines");
    desk.close_case(closed.id, "ines");
    Poco::File(desk.spool().case_dir(closed.id)).createDirectories();
    EXPECT_EQ(desk.purge(), 0) << "nothing due yet";
    const Poco::Timestamp start;
    desk.set_clock([start] { return start + Poco::Timespan(25 * Poco::Timespan::HOURS); });
    EXPECT_EQ(desk.purge(), 1) << "the closed case, a day after its close";
    EXPECT_FALSE(desk.store().find_case(closed.id));
    EXPECT_FALSE(Poco::File(desk.spool().case_dir(closed.id)).exists()) << "its files go with it";
    EXPECT_EQ(audit_of(desk.store(), closed.id).back(), "système case.purge");
    EXPECT_TRUE(desk.store().find_case(open.id)) << "an open case stays until retention.max_days";
    desk.set_clock([start] { return start + Poco::Timespan(8 * Poco::Timespan::DAYS); });
    EXPECT_EQ(desk.purge_now("admin"), 1);
    EXPECT_FALSE(desk.store().find_case(open.id));
    const auto state = desk.purge_state();
    EXPECT_EQ(state.last_count, 1);
    EXPECT_EQ(state.total, 2);
    bool audited = false;
    for (const auto& line : desk.store().audit_log(0, 100)) audited |= line.login == "admin" && line.action == "retention.purge";
    EXPECT_TRUE(audited);
}

TEST(CasesDesk, ForgetsACaseAtOnceWithItsFiles) {
    TempDir dir;
    comptoir::PluginRegistry plugins;
    comptoir::Desk desk(options_in(dir), plugins, nullptr);
    const auto record = desk.open_case("lea");
    const std::string page = desk.spool().input_path(record.id, 1, "png");
    desk.crypto().write_file(page, kPng);
    desk.forget_case(record.id, "lea");
    EXPECT_FALSE(Poco::File(page).exists());
    EXPECT_THROW(desk.case_of(record.id), comptoir::NotFoundError);
    EXPECT_THROW(desk.forget_case(record.id, "lea"), comptoir::NotFoundError);
    EXPECT_EQ(audit_of(desk.store(), record.id).back(), "lea case.forget");
}

TEST(Spool, KnowsItsLayoutAndSweepsOnlyWhatNoRowOwns) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    const comptoir::Spool spool(dir.file("data"));
    EXPECT_EQ(spool.root(), comptoir::Spool::folder_of(dir.file("data")));
    const int64_t case_id = store.create_case().id;
    comptoir::DocumentRecord document;
    document.case_id = case_id;
    document.source = "upload";
    document = store.add_document(document, "ici");
    const std::string input = spool.input_path(case_id, document.id, "png");
    EXPECT_EQ(input, spool.root() + "/case-" + std::to_string(case_id) + "/document-" + std::to_string(document.id) +
                         "/input.png");
    std::ofstream(input) << "page";
    ASSERT_TRUE(store.release_job(*store.held_job(document.id, "ici"), input));
    const std::string stray = spool.document_dir(case_id, document.id) + "/input.part";
    std::ofstream(stray) << "half";
    spool.document_dir(case_id + 41, 1);
    const std::string other = spool.root() + "/notes";
    Poco::File(other).createDirectories();
    spool.sweep(store, 0);
    EXPECT_TRUE(Poco::File(input).exists()) << "the document's own file";
    EXPECT_FALSE(Poco::File(stray).exists()) << "a file no row owns";
    EXPECT_FALSE(Poco::File(spool.case_dir(case_id + 41)).exists()) << "a case without its row";
    EXPECT_TRUE(Poco::File(other).exists()) << "what is not the spool's is left alone";
    EXPECT_EQ(comptoir::Spool::number_of("case-12", "case-"), 12);
    EXPECT_EQ(comptoir::Spool::number_of("case-x", "case-"), 0);
    EXPECT_EQ(comptoir::Spool::number_of("case--3", "case-"), 0);
}

TEST(Corrections, MakeWhatAMediatorTypesCanonical) {
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::amount, " 1 479,85 "), "1479.85");
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::date, "29/01/2021"), "2021-01-29");
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::date, "2021-01-29"), "2021-01-29");
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::identifier, "12 34 567"), "1234567");
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::decimal, "2,5"), "2.5");
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::text, "Rue   des  Lilas"), "Rue des Lilas");
    EXPECT_THROW(comptoir::normalised_value(comptoir::FieldType::amount, "beaucoup"), comptoir::BadRequestError);
    EXPECT_THROW(comptoir::normalised_value(comptoir::FieldType::date, "bientôt"), comptoir::BadRequestError);
    // A minus sign is kept (a credit); a date that is not in the calendar is refused, in either form.
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::amount, "-5"), "-5.00");
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::amount, "\u2212 12,30 €"), "-12.30");
    EXPECT_THROW(comptoir::normalised_value(comptoir::FieldType::date, "30/02/2025"), comptoir::BadRequestError);
    EXPECT_THROW(comptoir::normalised_value(comptoir::FieldType::date, "2025-02-30"), comptoir::BadRequestError);
    EXPECT_THROW(comptoir::normalised_value(comptoir::FieldType::date, "2025-13-01"), comptoir::BadRequestError);
    EXPECT_EQ(comptoir::normalised_value(comptoir::FieldType::date, "29/02/2024"), "2024-02-29");
    EXPECT_THROW(comptoir::normalised_value(comptoir::FieldType::count, "3,5"), comptoir::BadRequestError);
}

TEST(Corrections, ApplyInOrderAndKeepTheirHistory) {
    comptoir::Reading reading;
    comptoir::ExtractedField amount;
    amount.key = "montant";
    amount.value = "14.79";
    amount.confidence = 0.7;
    reading.fields["montant"] = amount;
    std::vector<comptoir::CorrectionRecord> corrections(2);
    corrections[0].field = "montant";
    corrections[0].old_value = "14.79";
    corrections[0].new_value = "147.90";
    corrections[0].author = "lea";
    corrections[1] = corrections[0];
    corrections[1].old_value = "147.90";
    corrections[1].new_value = "1479.00";
    corrections[1].author = "sam";
    comptoir::CorrectionRecord added;
    added.field = "reference";
    added.new_value = "AB12";
    added.author = "lea";
    corrections.push_back(added);
    const auto applied = comptoir::apply_corrections(reading, corrections, nullptr);
    const auto values = comptoir::values_of(applied);
    EXPECT_EQ(values.at("montant"), "1479.00");
    EXPECT_EQ(values.at("reference"), "AB12");
    const auto& corrected = applied.at("montant");
    EXPECT_TRUE(corrected.corrected);
    EXPECT_EQ(corrected.field.source, comptoir::Source::manual);
    EXPECT_EQ(corrected.field.confidence, 1.0);
    EXPECT_EQ(corrected.read_value, "14.79") << "what was read";
    EXPECT_EQ(corrected.read_source, comptoir::Source::ocr);
    EXPECT_EQ(corrected.corrected_by, "sam") << "the last hand";
    EXPECT_EQ(corrected.history.size(), 2u);
    EXPECT_EQ(applied.at("reference").field.label, "reference") << "no plugin: the key";
    EXPECT_FALSE(comptoir::apply_corrections(reading, {}, nullptr).at("montant").corrected);
}

TEST(Jobs, RunTasksUntilStoppedAndTellWhenIdle) {
    std::atomic<int> ran{0};
    std::atomic<int> claims{0};
    comptoir::Jobs jobs(comptoir::JobsOptions{2, 50, 3600, nullptr, 0}, [&] {
        ++claims;
        return false;
    }, [] {}, [] { return std::make_pair(0, 0); });
    jobs.enqueue([&] { ++ran; });  // queued before the start: run once started
    jobs.start();
    for (int i = 0; i < 9; ++i) jobs.enqueue([&] { ++ran; });
    jobs.wait_idle();
    EXPECT_EQ(ran.load(), 10);
    EXPECT_EQ(jobs.counts(), std::make_pair(0, 0));
    jobs.stop();
    const int after = claims.load();
    jobs.enqueue([&] { ++ran; });
    jobs.stop();  // twice: nothing to join
    EXPECT_EQ(ran.load(), 10) << "no task runs once stopped";
    EXPECT_EQ(claims.load(), after);
}

// The desk hands freed memory back when its work ends (issue 33): once after the last task,
// never while another still runs (idle_after_ms 0 here: at the workers' next look).
TEST(Jobs, SayIdleOnceTheLastTaskEnds) {
    std::mutex mutex;
    std::condition_variable changed;
    int running = 0, idles = 0, idles_while_busy = 0;
    bool open = false;
    comptoir::JobsOptions options{2, 50, 3600, nullptr, 0};
    options.when_idle = [&] {
        std::lock_guard<std::mutex> lock(mutex);
        ++idles;
        if (running > 0) ++idles_while_busy;
        changed.notify_all();
    };
    comptoir::Jobs jobs(options, [] { return false; }, [] {}, [] { return std::make_pair(0, 0); });
    const auto task = [&] {
        std::unique_lock<std::mutex> lock(mutex);
        ++running;
        changed.notify_all();
        changed.wait(lock, [&] { return open; });
        --running;
    };
    jobs.start();
    jobs.enqueue(task);
    jobs.enqueue(task);
    std::unique_lock<std::mutex> lock(mutex);
    constexpr auto kAtMost = std::chrono::seconds(30);  // a bound, not a pace: met at once
    ASSERT_TRUE(changed.wait_for(lock, kAtMost, [&] { return running == 2; }));
    EXPECT_EQ(idles, 0) << "two tasks run";
    open = true;
    changed.notify_all();
    ASSERT_TRUE(changed.wait_for(lock, kAtMost, [&] { return idles >= 1; })) << "never said idle";
    lock.unlock();
    jobs.wait_idle();
    jobs.enqueue(task);  // the gate is open: it ends at once
    jobs.wait_idle();
    lock.lock();
    ASSERT_TRUE(changed.wait_for(lock, kAtMost, [&] { return idles >= 2; }));
    EXPECT_EQ(idles, 2) << "once after the first two, once after the third";
    EXPECT_EQ(idles_while_busy, 0);
    lock.unlock();
    jobs.stop();
}

TEST(Errors, BecomeHttpStatusesInOnePlace) {
    EXPECT_EQ(comptoir::http_status(comptoir::BadRequestError("x", "x")), 400);
    EXPECT_EQ(comptoir::http_status(comptoir::UnauthenticatedError("x", "x")), 401);
    EXPECT_EQ(comptoir::http_status(comptoir::NotFoundError("x", "x")), 404);
    EXPECT_EQ(comptoir::http_status(comptoir::ConflictError("x", "x")), 409);
    EXPECT_EQ(comptoir::http_status(comptoir::TooLargeError("x", "x")), 413);
    EXPECT_EQ(comptoir::http_status(comptoir::UnsupportedError("x", "x")), 415);
    EXPECT_EQ(comptoir::http_status(comptoir::InputError("x", "x")), 422);
    EXPECT_EQ(comptoir::http_status(comptoir::TooManyAttemptsError("x", "x")), 429);
    EXPECT_EQ(comptoir::http_status(comptoir::DeviceError("x", "x")), 502);
    EXPECT_EQ(comptoir::http_status(comptoir::UnavailableError("x", "x")), 503);
    EXPECT_EQ(comptoir::http_status(comptoir::Error("store", "x")), 503) << "the database out of reach";
    EXPECT_EQ(comptoir::http_status(comptoir::Error("forget_failed", "x")), 500);
    EXPECT_EQ(comptoir::http_status(comptoir::StatusError(403, "csrf", "x")), 403);
}

TEST(ReadingStorage, ReadsAReadingStoredBeforeTheFormatHadANumber) {
    // The line `comptoir process --json` printed for the demo bill when the desk stored it as
    // is (format 1): what a data folder of that version holds.
    const std::string stored =
        comptoir::test::read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/readings/format1-edf-demo.json");
    const comptoir::Reading reading = comptoir::reading_from_storage(stored);
    ASSERT_TRUE(reading.document);
    EXPECT_EQ(reading.document->kind, "edf.facture");
    EXPECT_EQ(reading.pages, 1u);
    ASSERT_NE(reading.field("date_facture"), nullptr);
    EXPECT_EQ(reading.field("date_facture")->value, "2026-06-26");
    EXPECT_EQ(reading.field("date_facture")->check, comptoir::Check::ok);
    EXPECT_EQ(reading.field("date_facture")->source, comptoir::Source::ocr);
    EXPECT_EQ(reading.field("date_facture")->relation, "right");
    EXPECT_FALSE(reading.letters.empty());
    EXPECT_TRUE(reading.offers(reading.letters.front()));
    ASSERT_EQ(reading.page_info.size(), 1u);
    EXPECT_EQ(reading.page_info[0].page, 1u);

    // Written again in today's form, it reads back the same, and writes the same again.
    const std::string today = comptoir::reading_to_storage(reading);
    EXPECT_NE(today.find("\"format\":2"), std::string::npos);
    const comptoir::Reading again = comptoir::reading_from_storage(today);
    EXPECT_EQ(comptoir::reading_to_storage(again), today);
    EXPECT_EQ(again.fields.size(), reading.fields.size());
}

TEST(ReadingStorage, RefusesAFormatNewerThanItsOwnOrText) {
    EXPECT_TRUE(comptoir::reading_from_storage("").fields.empty());
    try {
        comptoir::reading_from_storage(R"({"format": 3, "pages": 1})");
        FAIL() << "a newer format must be refused";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "stored_reading");
        EXPECT_NE(std::string(error.what()).find("plus récente"), std::string::npos);
    }
    EXPECT_THROW(comptoir::reading_from_storage("pas du JSON"), comptoir::Error);
    EXPECT_THROW(comptoir::reading_from_storage(R"({"fields": {"montant": 3}})"), comptoir::Error);
}
