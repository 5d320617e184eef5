// The desk: cases and what happens in them — scans on the site's stations, uploads, their
// reading in the background with progress pushed to whoever listens, the mediator's
// corrections, the letters. The HTTP API (api.cpp) is a thin layer over it.
#pragma once

#include "comptoir/accounts.hpp"
#include "comptoir/error.hpp"
#include "comptoir/pipeline.hpp"
#include "comptoir/spool_crypto.hpp"
#include "comptoir/store.hpp"

#include <Poco/Timestamp.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace comptoir {

class Config;
class PluginRegistry;
class LetterDesk;
class EventRelay;
namespace scanners {
class Stations;
struct StationSettings;
}

// The stations of the configuration (stations.<id>.*) as the scanners component takes them.
std::vector<scanners::StationSettings> station_settings(const Config& config);


// What happened in a case, for server-sent events: `type` progress, document, letter, closed.
struct DeskEvent {
    // The SSE id: increasing, from the clock in microseconds, so that a page that reconnects
    // to another instance (behind a proxy) asks for what it missed in terms that one understands.
    uint64_t seq = 0;
    int64_t case_id = 0;
    std::string type;
    std::string json;  // the event's data
};

// The events of every case, kept a while so that a page that reconnects misses nothing.
class EventHub {
public:
    // `forward`: also told to the other instances (false for what came from them).
    void publish(int64_t case_id, const std::string& type, const std::string& json, bool forward = true);
    // Where this instance's events go besides its own pages (the relay between instances).
    void set_forwarder(std::function<void(int64_t, const std::string&, const std::string&)> forwarder);
    // The events of `case_id` after `after_seq`; waits up to `timeout` for one when there is
    // none. Empty when the hub was shut down.
    std::vector<DeskEvent> wait(int64_t case_id, uint64_t after_seq, std::chrono::milliseconds timeout);
    void shutdown();
    bool closed() const;

    // An event stream holds one of the server's threads for as long as the page is open:
    // at most `limit` at once, so that streams never starve the other requests.
    bool open_stream(int limit);
    void close_stream();

private:
    int streams_ = 0;
    std::function<void(int64_t, const std::string&, const std::string&)> forwarder_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<DeskEvent> events_;  // the last kKeep events of all cases
    uint64_t next_seq_ = 1;
    bool closed_ = false;
    static constexpr size_t kKeep = 2000;
};

struct UploadLimits {
    int64_t max_bytes = 30 * 1024 * 1024;
};

class Desk {
public:
    // `stations` may be null (no scanner configured). Documents left unfinished by a process
    // that stopped are read again when their file is in the spool, else marked failed.
    Desk(const Config& config, const PluginRegistry& plugins, scanners::Stations* stations);
    ~Desk();  // waits for the running jobs
    Desk(const Desk&) = delete;
    Desk& operator=(const Desk&) = delete;

    Store& store() { return store_; }
    const Store& store() const { return store_; }
    Accounts& accounts() { return accounts_; }
    EventHub& events() { return events_; }
    const LetterDesk& letters() const { return *letters_; }
    scanners::Stations* stations() { return stations_; }
    const PluginRegistry& plugins() const { return plugins_; }

    CaseRecord open_case();
    CaseRecord case_of(int64_t case_id) const;  // NotFoundError
    void close_case(int64_t case_id);
    DocumentRecord document_of(int64_t case_id, int64_t document_id) const;  // NotFoundError

    // A file brought by the visitor (PNG, JPEG, TIFF, PDF — checked by its first bytes: 415
    // otherwise), saved in the spool and read in the background.
    DocumentRecord upload(int64_t case_id, const std::string& filename, const std::string& content);
    // A scan on a station with its defaults, then its reading, in the background. 404 for an
    // unknown station, 409 when the station is busy, 503 when there is no scanner at all.
    DocumentRecord scan(int64_t case_id, const std::string& station_id);
    // A preview image (PNG) of a station, scanned now. 409 when busy.
    std::string preview(const std::string& station_id);
    bool station_busy(const std::string& station_id) const;

    // The document's fields as read, with the mediator's corrections applied: the pipeline's
    // JSON object per key, plus "corrected" (from, at, by) and "history".
    std::string fields_json(const DocumentRecord& document) const;
    // The current values, corrections applied.
    std::map<std::string, std::string> current_values(const DocumentRecord& document) const;
    CorrectionRecord correct(int64_t case_id, int64_t document_id, const std::string& key, const std::string& value,
                             const std::string& author);

    // The letters offered for a document, with their titles and questions (JSON array).
    std::string offered_letters_json(const DocumentRecord& document) const;
    // Writes a letter from the document's current values and the mediator's answers.
    // MissingValuesError lists what is missing; BadRequestError for a letter not offered.
    LetterRecord write_letter(int64_t case_id, int64_t document_id, const std::string& letter_id,
                              const std::map<std::string, std::string>& answers);

    // A page of a document as PNG (the spool's file decrypted in memory). NotFoundError.
    std::string page_png(int64_t case_id, int64_t document_id, int64_t page) const;
    // A letter's PDF. NotFoundError.
    std::pair<LetterRecord, std::string> letter_pdf(int64_t case_id, int64_t letter_id) const;

    // ---- Privacy ----
    // Forgets a case now (the visitor asked): its rows and its spool folder, whatever its
    // state; a job still running on it throws its work away. The audit log keeps the case's
    // number and who asked. NotFoundError when there is no such case.
    void forget_case(int64_t case_id, const std::string& login);
    // Forgets the cases the retention rules say are due (retention.*), as of the clock's now.
    // Returns how many. Run every retention.check_minutes by the desk's own thread.
    int purge();
    struct PurgeState {
        std::string last_run;  // ISO 8601, "" before the first
        int last_count = 0;
        int64_t total = 0;  // since the start
        std::string next_run;
    };
    PurgeState purge_state() const;
    // What "now" is for the retention rules (tests move it).
    void set_clock(std::function<Poco::Timestamp()> clock);
    Poco::Timestamp now() const;
    // The audit log and the activity statistics (no personal data in either).
    void audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail = "");
    const SpoolCrypto& crypto() const { return crypto_; }

    // Waits until no job is queued or running (tests, shutdown).
    void wait_idle();
    // Jobs (scans and readings) waiting, and running now: for /api/v1/health.
    std::pair<int, int> jobs() const;
    // This process among the instances sharing the base (host:pid:random).
    const std::string& instance_id() const { return instance_id_; }

private:
    void enqueue(std::function<void()> job);
    void poke();  // a job was queued in the base: a worker looks now rather than at its next poll
    void run_jobs();
    bool claim_and_read();  // false when no job was waiting
    void read_document(DocumentRecord document, const JobClaim& claim);
    void scan_document(DocumentRecord document, JobClaim held);
    // The end of a job, written only while its claim holds, then told to the pages.
    void finish(const DocumentRecord& document, const JobClaim& claim, const JobOutcome& outcome);
    void report(const DocumentRecord& document, const JobClaim& claim, const std::string& state, const std::string& stage,
                int percent, int page, int pages);
    void run_cluster();  // heartbeat, and the documents of stopped instances
    void fail_abandoned();
    void lock_data_dir();  // SQLite: one server per data folder
    void sweep_spool(int64_t min_age_seconds);
    void require_open(int64_t case_id) const;
    void announce(const DocumentRecord& document, const std::string& state);  // "document" event: done or failed
    // A case's rows, its spool folder, a line in the audit log, a "forgotten" event.
    bool erase_case(int64_t case_id, const std::string& login, const std::string& action);  // false: already gone
    void remove_spool(int64_t case_id);
    bool discard_if_forgotten(int64_t case_id);  // true when the case is gone: its files removed
    void run_retention();

    const Config& config_;
    const PluginRegistry& plugins_;
    scanners::Stations* stations_;
    SpoolCrypto crypto_;  // before the store: a new data folder gets its key first
    Store store_;
    Accounts accounts_;
    EventHub events_;
    std::unique_ptr<LetterDesk> letters_;
    std::unique_ptr<Pipeline> pipeline_;
    UploadLimits limits_;

    std::string instance_id_;
    std::string host_;
    int lock_fd_ = -1;

    mutable std::mutex jobs_mutex_;
    std::condition_variable jobs_changed_;
    std::deque<std::function<void()>> jobs_;
    int running_ = 0;
    int pokes_ = 0;
    bool stopping_ = false;
    std::condition_variable cluster_wake_;
    std::thread cluster_thread_;
    std::unique_ptr<EventRelay> relay_;  // PostgreSQL: the events of the other instances
    std::set<std::string> busy_stations_;
    std::vector<std::thread> workers_;

    mutable std::mutex retention_mutex_;
    std::condition_variable retention_wake_;
    std::function<Poco::Timestamp()> clock_;
    PurgeState purge_state_;
    bool retention_stop_ = false;
    std::thread retention_thread_;
};

}  // namespace comptoir
