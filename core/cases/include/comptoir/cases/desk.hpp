// The desk: cases and what happens in them — scans on the site's stations, uploads, their
// reading in the background with progress pushed to whoever listens, the mediator's
// corrections, the letters. A façade over the module's parts: the store (store.hpp), the spool
// (spool.hpp, spool_crypto.hpp), the workers (jobs.hpp), the events (events.hpp), retention
// (retention.hpp), corrections (corrections.hpp), accounts (accounts.hpp). The HTTP API
// (web/) and the CLI (app/) are thin layers over it.
#pragma once

#include "comptoir/cases/accounts.hpp"
#include "comptoir/cases/corrections.hpp"
#include "comptoir/cases/events.hpp"
#include "comptoir/cases/jobs.hpp"
#include "comptoir/cases/retention.hpp"
#include "comptoir/cases/spool.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/letters/letter_desk.hpp"
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/cases/spool_crypto.hpp"
#include "comptoir/cases/store.hpp"

#include <Poco/Timestamp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace comptoir {

class PluginRegistry;
class LetterDesk;
class EventRelay;
namespace scanners {
class Stations;
struct ScanChoice;
struct DeviceOffer;
}

// How long cases are kept (retention.*).
struct RetentionRules {
    int after_close_hours = 24;
    int max_days = 7;
    int check_minutes = 10;
};

// What the desk needs of the site's configuration (the app fills it from data.*, database.*,
// cluster.*, jobs.*, retention.*, storage.*, auth.*, accounts.demo, limits.upload_bytes and the
// reading's and letters' own options).
// A document's reading options as kept (DocumentRecord::reading_options): the kind chosen and
// the pages turned; nothing for an empty or unreadable text.
ProcessOptions reading_options_of(const std::string& json);

struct DeskOptions {
    std::string data_dir;
    std::string database_engine = "sqlite";  // or "postgresql"
    std::string database_connection;         // libpq, for postgresql
    int auth_idle_minutes = 30;
    int auth_idle_seconds = 0;  // > 0: the idle limit in seconds, instead of the minutes (tests)
    std::string auth_password_dictionary;  // cracklib's common passwords; empty: this build's
    int auth_free_failures_per_login = 3;  // failed sign-ins before the delays (Accounts::Limits)
    int auth_free_failures_per_address = 20;
    int64_t upload_max_bytes = 30 * 1024 * 1024;
    std::string demo_account;  // "login:password", made once; empty: none
    int workers = 2;           // job threads
    int cluster_heartbeat_seconds = 5;
    int cluster_lease_seconds = 30;
    int cluster_poll_ms = 1000;
    int jobs_max_attempts = 3;
    RetentionRules retention;
    std::vector<std::string> station_ids;  // the stations a scan may name
    SpoolCrypto::Options storage;
    PipelineOptions pipeline;
    LetterOptions letters;
};

class Desk {
public:
    // `stations` may be null (no scanner configured). Documents left unfinished by a process
    // that stopped are read again when their file is in the spool, else marked failed.
    Desk(DeskOptions options, const PluginRegistry& plugins, scanners::Stations* stations);
    const DeskOptions& options() const { return options_; }
    ~Desk();  // waits for the running jobs
    Desk(const Desk&) = delete;
    Desk& operator=(const Desk&) = delete;

    Store& store() { return store_; }
    const Store& store() const { return store_; }
    const Spool& spool() const { return spool_; }
    Accounts& accounts() { return accounts_; }
    EventHub& events() { return events_; }
    const LetterDesk& letters() const { return *letters_; }
    scanners::Stations* stations() { return stations_; }
    const PluginRegistry& plugins() const { return plugins_; }

    // `actor`, here and below: who acts (a login, "console"), written in the audit log in the
    // action's own transaction.
    CaseRecord open_case(const std::string& actor);
    CaseRecord case_of(int64_t case_id) const;  // NotFoundError
    void close_case(int64_t case_id, const std::string& actor);
    DocumentRecord document_of(int64_t case_id, int64_t document_id) const;  // NotFoundError

    // A file brought by the visitor (PNG, JPEG, TIFF, PDF — checked by its first bytes: 415
    // otherwise), saved in the spool and read in the background.
    DocumentRecord upload(int64_t case_id, const std::string& filename, const std::string& content,
                          const std::string& actor);
    // A scan on a station with its defaults, then its reading, in the background. 404 for an
    // unknown station, 409 when the station is busy, 503 when there is no scanner at all.
    DocumentRecord scan(int64_t case_id, const std::string& station_id, const std::string& actor);
    // The same with the mediator's choices (resolution, mode, source, duplex, paper, an area in
    // millimetres), checked against what the device offers: BadRequestError in French otherwise.
    DocumentRecord scan(int64_t case_id, const std::string& station_id, const std::string& actor,
                        const scanners::ScanChoice& choice);
    // What a station's device offers (desk_scans.cpp). 404 unknown station, 503 no scanner,
    // DeviceError when the device cannot be opened.
    scanners::DeviceOffer station_offer(const std::string& station_id);
    // "Ajouter une page": one more page scanned now on `station_id` and put after the others
    // in the document's file, then the document read again (in the background). 409 while the
    // document is being scanned or read, or the station busy; the document is left as it was
    // when the scan fails.
    DocumentRecord add_page(int64_t case_id, int64_t document_id, const std::string& station_id,
                            const std::string& actor, const scanners::ScanChoice& choice);
    // A preview image (PNG) of a station, scanned now. 409 when busy.
    std::string preview(const std::string& station_id, const std::string& actor);
    bool station_busy(const std::string& station_id) const;

    // The document's reading (empty before it is read). Error("stored_reading") when the stored
    // form cannot be read.
    Reading reading(const DocumentRecord& document) const;
    // Its fields as read, with the mediator's corrections applied (`read`: its reading, when the
    // caller has it already).
    std::map<std::string, CorrectedField> fields(const DocumentRecord& document) const;
    std::map<std::string, CorrectedField> fields(const DocumentRecord& document, const Reading& read) const;
    // The current values, corrections applied.
    std::map<std::string, std::string> current_values(const DocumentRecord& document) const;
    // A correction, checked as the plugin declares the field; replacing a value read from a
    // valid 2D-Doc needs `confirmed` (ConflictError "confirm_needed" otherwise).
    CorrectionRecord correct(int64_t case_id, int64_t document_id, const std::string& key, const std::string& value,
                             const std::string& author, bool confirmed = false);

    // The letters offered for a document, with their templates (titles, questions), or the
    // French reason a template cannot be read (the others are still offered).
    struct OfferedLetter {
        std::string id;
        std::optional<LetterTemplate> letter;
        std::string error;
    };
    std::vector<OfferedLetter> offered_letters(const DocumentRecord& document) const;
    // Writes a letter from the document's current values and the mediator's answers, and with
    // `sheet` the visitor's sheet beside it (letters/visitor_sheet.hpp), sealed like the letter.
    // MissingValuesError lists what is missing; BadRequestError for a letter not offered.
    LetterRecord write_letter(int64_t case_id, int64_t document_id, const std::string& letter_id,
                              const std::map<std::string, std::string>& answers, const std::string& actor,
                              bool sheet = false);

    // A letter before it is written: its recipient, what is missing, what the document
    // prefills (answers checked: AnswerError).
    LetterPreview preview_letter(int64_t case_id, int64_t document_id, const std::string& letter_id,
                                 const std::map<std::string, std::string>& answers) const;
    // What a written letter was written from (kept encrypted beside its PDF), and whether the
    // document's values have changed since (a correction): then the letter is out of date.
    struct LetterState {
        std::map<std::string, std::string> answers;
        std::vector<std::string> changed;  // French labels of the values changed since
        bool out_of_date = false;
        bool registered = false;  // sent recommandée avec accusé de réception
    };
    LetterState letter_state(const LetterRecord& letter) const;
    // The answers a letter was written with, to write it again. NotFoundError. Audited.
    std::map<std::string, std::string> letter_answers(int64_t case_id, int64_t letter_id, const std::string& actor);

    // ---- A document read again, or removed (desk_documents.cpp) ----
    // What the mediator asks of a new reading: nothing (read again as it is), another kind
    // (recognition overridden: that kind's plugin extracts; "" gives recognition back), a page
    // turned by quarter turns clockwise, added to how it was read. Kept with the document, so
    // that a later reading asks the same.
    struct ReadAgain {
        std::optional<std::string> kind;
        int64_t page = 0;  // > 0: the page to turn
        int quarter_turns = 0;
    };
    // Queued like a first reading (progress and "document" events). BadRequestError for an
    // unknown kind or page; ConflictError while it is scanned, sent or read ("being_read"), or
    // when it has no file. The corrections go when the kind changes, stay otherwise. Audited.
    DocumentRecord read_again(int64_t case_id, int64_t document_id, const ReadAgain& request, const std::string& actor);
    // A document and all that came of it: its file, its corrections, the letters written from it
    // (their files and rows). ConflictError while it is scanned, sent or read. Audited; a
    // "removed" event.
    void remove_document(int64_t case_id, int64_t document_id, const std::string& actor);


    // A page of a document as PNG, upright as it was read (desk_pages.cpp). `width` 0: its full
    // size; else the page scaled (Leptonica) to the first of kPageWidths not narrower, never
    // wider than the page itself. Made once from the input, kept sealed in the spool (keyed by
    // page, width and rotation) and served from there after. NotFoundError for a page that is
    // not there.
    std::string page_png(int64_t case_id, int64_t document_id, int64_t page, int width = 0) const;
    static constexpr int kPageWidths[] = {160, 320, 480, 640, 800, 960, 1200, 1600, 2000, 2400};
    // The width a display request is served at: 0 stays 0, else clamped to 160..2400 and
    // rounded up to one of kPageWidths.
    static int page_width_served(int width);
    // How many times an input was decoded to make page images (tests, bench/).
    int64_t page_decodes() const { return page_decodes_; }
    // The text the OCR read on a page: lines, blocks separated by an empty line. NotFoundError.
    std::string page_text(int64_t case_id, int64_t document_id, int64_t page) const;
    // A letter's PDF. NotFoundError.
    std::pair<LetterRecord, std::string> letter_pdf(int64_t case_id, int64_t letter_id, const std::string& actor);
    // The visitor's sheet written with a letter. NotFoundError when the letter has none.
    std::pair<LetterRecord, std::string> letter_sheet(int64_t case_id, int64_t letter_id, const std::string& actor);
    // Whether a letter was written with its visitor's sheet.
    bool has_sheet(const LetterRecord& letter) const;

    // ---- Visits shared by the office (desk_visits.cpp) ----
    // A colleague takes a visit over: audited (case.take, the previous holder in the detail),
    // told to the pages following it ("taken"). 409 when closed. Nothing when she holds it.
    void take_case(int64_t case_id, const std::string& actor);
    // A mediator saw a case's values: the visit opened (`case.view`), a document's reading
    // (`document.view`, `object_id` the document). Audited with the login and the case, no
    // value; at most once per account and object (the case, or the document) every
    // kViewAuditSeconds on this instance, so that a page asking again is not a line each time.
    void audit_view(const std::string& login, const std::string& action, int64_t case_id, int64_t object_id = 0);
    static constexpr int kViewAuditSeconds = 60;
    // The answers typed in a document's letter form and not yet written, kept so that a
    // reload, another sign-in or a colleague finds them: sealed in the spool beside the
    // document (Spool::draft_path), never in the base nor the log; gone with the case.
    struct Draft {
        std::string letter;                             // the letter chosen
        std::map<std::string, std::string> answers;     // by question key
        std::map<std::string, std::string> recipients;  // the address typed, by letter
        std::string saved_at;                           // set on saving
        std::string saved_by;
    };
    static constexpr size_t kDraftMaxBytes = 32 * 1024;  // the whole draft, as stored
    static constexpr size_t kDraftMaxEntries = 100;      // answers and addresses
    static constexpr size_t kDraftMaxChars = 2000;       // one answer (the longest a letter takes)
    // An empty draft removes it. BadRequestError for an answer too long or a malformed key,
    // TooLargeError past kDraftMaxBytes, ConflictError for a closed case.
    Draft save_draft(int64_t case_id, int64_t document_id, Draft draft, const std::string& actor);
    std::optional<Draft> draft(int64_t case_id, int64_t document_id) const;  // NotFoundError: no document

    // ---- Privacy ----
    // Forgets a case now (the visitor asked): its rows and its spool folder, whatever its
    // state; a job still running on it throws its work away. The audit log keeps the case's
    // number and who asked. NotFoundError when there is no such case.
    void forget_case(int64_t case_id, const std::string& login);
    // Forgets the cases the retention rules say are due (retention.*), as of the clock's now.
    // Returns how many. Run every retention.check_minutes by the desk's own thread.
    int purge();
    // The same, asked by an administrator: audited with how many cases went.
    int purge_now(const std::string& actor);
    using PurgeState = Retention::State;
    PurgeState purge_state() const;
    // What "now" is for the retention rules (tests move it).
    void set_clock(std::function<Poco::Timestamp()> clock);
    Poco::Timestamp now() const;
    // The audit log and the activity statistics (no personal data in either).
    void audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail = "");
    const SpoolCrypto& crypto() const { return crypto_; }
    // The 2D-Doc reader the readings use (its certificates, those codes needed and the site
    // lacks): built on first use; Error("twoddoc_data") when its data is unreadable.
    const twoddoc::Reader& twoddoc() const { return pipeline_->twoddoc(); }

    // Waits until no job is queued or running (tests, shutdown).
    void wait_idle();
    // Jobs (scans and readings) waiting, and running now: for /api/v1/health.
    std::pair<int, int> jobs() const;
    // This process among the instances sharing the base (host:pid:random).
    const std::string& instance_id() const { return instance_id_; }

private:
    bool claim_and_read();  // false when no job was waiting
    void heartbeat();       // this instance alive; the documents of stopped instances failed
    void read_document(DocumentRecord document, const JobClaim& claim);
    void scan_document(DocumentRecord document, JobClaim held, std::shared_ptr<const scanners::ScanChoice> choice);
    // The station named by a scan: known to the site (404), a scanner configured at all (503).
    void require_station(const std::string& station_id) const;
    // `choice` refused in French (400) when the station's device does not offer it.
    void check_choice(const std::string& station_id, const scanners::ScanChoice& choice);
    // The end of a job, written only while its claim holds, then told to the pages.
    void finish(const DocumentRecord& document, const JobClaim& claim, const JobOutcome& outcome);
    void report(const DocumentRecord& document, const JobClaim& claim, const std::string& state, const std::string& stage,
                int percent, int page, int pages, int seconds_left = -1);
    void fail_abandoned();
    void lock_data_dir();  // SQLite: one server per data folder
    // A letter's request from a document read (409 before) that offers it (400 otherwise):
    // its plugin, its current values, its kind; no answers yet.
    LetterRequest letter_request(const DocumentRecord& document, const std::string& letter_id) const;
    void require_open(int64_t case_id) const;
    void announce(const DocumentRecord& document, const std::string& state);  // "document" event: done or failed
    // A case's rows, its spool folder, a line in the audit log, a "forgotten" event.
    bool erase_case(int64_t case_id, const std::string& login, const std::string& action);  // false: already gone
    bool discard_if_forgotten(int64_t case_id);  // true when the case is gone: its files removed
    int purge_as_of(const Poco::Timestamp& at);
    bool reserve_station(const std::string& station_id);  // false: busy
    void release_station(const std::string& station_id);

    const DeskOptions options_;
    const PluginRegistry& plugins_;
    scanners::Stations* stations_;
    SpoolCrypto crypto_;  // before the store: a new data folder gets its key first
    Store store_;
    Spool spool_;
    Accounts accounts_;
    EventHub events_;
    std::unique_ptr<LetterDesk> letters_;
    std::unique_ptr<Pipeline> pipeline_;

    std::string instance_id_;
    std::string host_;
    int lock_fd_ = -1;

    std::unique_ptr<EventRelay> relay_;  // PostgreSQL: the events of the other instances
    mutable std::mutex renditions_mutex_;  // one input decoded at a time for display
    mutable std::atomic<int64_t> page_decodes_{0};
    std::mutex views_mutex_;  // audit_view: when each account last saw each object
    std::map<std::string, std::chrono::steady_clock::time_point> views_;
    mutable std::mutex stations_mutex_;
    std::set<std::string> busy_stations_;
    Jobs jobs_;            // after everything its tasks use; stopped first
    Retention retention_;
};

}  // namespace comptoir
