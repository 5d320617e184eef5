// The cases of the desk, kept in SQLite (one file in data.dir) or PostgreSQL through Poco::Data
// (their files are the spool's: spool.hpp). One case per visit, anonymous: nothing in a case
// names the visitor, only what their documents say. The schema is created and migrated at
// start (table `meta`, key `schema_version`). Each action that changes a case may carry its
// audit line (AuditEntry), written in the action's own transaction.
#pragma once

#include "comptoir/base/time.hpp"
#include "comptoir/cases/spool_crypto.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace comptoir {

struct CaseRecord {
    int64_t id = 0;
    std::string created_at;  // ISO 8601, UTC
    std::string closed_at;   // empty while open
};

// A document of a case: a scan or an upload, and where its reading stands.
struct DocumentRecord {
    int64_t id = 0;
    int64_t case_id = 0;
    std::string source;    // "scan", "upload"
    std::string station;   // scans: the station's id
    std::string filename;  // uploads: the name given by the browser
    std::string created_at;
    std::string state;     // queued, scanning, reading, done, failed
    std::string stage;     // scan, load, ocr, extract (while running)
    int percent = 0;
    int page = 0;   // the page being scanned or read
    int pages = 0;
    std::string error_code;
    std::string error_message;  // French
    std::string input_path;     // the file in the spool
    std::string result;         // the `process --json` line, once read
    std::string reading;        // the OCR result (Document::to_json), once read
    // What the mediator asked of its reading, JSON: {"kind": "…", "quarter_turns": {"1": 2}}
    // (pages turned, from the page as loaded); empty: nothing asked.
    std::string reading_options;
};

struct CorrectionRecord {
    int64_t id = 0;
    int64_t document_id = 0;
    std::string field;
    std::string old_value;
    std::string new_value;
    std::string author;  // the mediator ("" until accounts exist)
    std::string at;
};

struct LetterRecord {
    int64_t id = 0;
    int64_t case_id = 0;
    int64_t document_id = 0;
    std::string letter_id;
    std::string plugin;
    std::string path;  // the PDF in the spool
    int64_t bytes = 0;
    std::string created_at;
};

struct UserRecord {
    int64_t id = 0;
    std::string login;
    std::string role;           // mediator, admin
    std::string password_hash;  // Argon2id, encoded
    std::string created_at;
};

// One line of the audit log: who (a login, or "système" for the purge) did what to which case.
struct AuditRecord {
    int64_t id = 0;
    std::string at;
    std::string login;
    std::string action;  // case.open, case.close, case.forget, case.purge, document.scan, …
    int64_t case_id = 0;  // 0: not about a case (accounts)
    std::string detail;   // a station, a field's key, a letter's id, a login: never a value
};

// The audit line of an action, written in the action's own transaction: who (a login, "console"
// for the CLI, "système" for the purge), what (case.open, document.upload, …) and a detail that
// is never a value read from a document. No line when `action` is empty.
struct AuditEntry {
    std::string login;
    std::string action;
    std::string detail;
};

// One thing the site did, counted for the statistics; nothing that leads back to a case.
struct ActivityRecord {
    std::string day;      // YYYY-MM-DD, the site's time zone; empty when recorded: today
    std::string event;    // case, document, unread, letter
    std::string station;  // scans: the station; uploads: "dépôt"
    std::string partner;  // the plugin that recognised the document
    std::string kind;     // the document's kind
    std::string letter;   // letters: the letter's id
};

struct ActivityCount {
    ActivityRecord activity;
    int64_t count = 0;
};

// A document's reading as a row that any instance may run: made "held" with the document by
// the instance that prepares its file (an upload being written, a scan under way), "queued"
// once the file is in the spool, "running" when an instance claims it, then "done" or
// "failed". Each claim bumps `claim`: an instance that lost its claim (it stopped answering
// and another took the job over) can no longer write the document.
struct JobClaim {
    int64_t job_id = 0;
    int64_t document_id = 0;
    int64_t case_id = 0;
    std::string owner;  // the instance
    int64_t claim = 0;  // 0 while held
    int attempts = 0;   // claims so far, this one included
    std::string state;  // held, queued, running, done, failed
};

// How a job ended: the document read (result, reading, pages) or failed (code, message).
struct JobOutcome {
    bool done = false;
    std::string result;
    std::string reading;
    int pages = 0;
    std::string error_code;
    std::string error_message;  // French
    std::optional<ActivityRecord> activity;  // counted with the outcome, in the same transaction
};

struct JobCounts {
    int held = 0;
    int queued = 0;
    int running = 0;
};

// A running `comptoir serve`, as the others see it.
struct InstanceRecord {
    std::string id;  // host:pid:random
    std::string host;
    int64_t pid = 0;
    std::string started_at;
    int64_t seen_ms = 0;  // its last sign of life, milliseconds since 1970
    int running = 0;      // jobs it runs now
};

// A signed-in mediator's session: the token itself is never stored, only its SHA-256.
struct SessionRecord {
    std::string token_hash;
    std::string csrf;
    std::string login;
    std::string created_at;
    int64_t seen_s = 0;  // last use, seconds since 1970
};

// Failed sign-ins under one key (an account's or an address's, hashed): how many since
// `first_s`, and until when the next attempt waits (seconds since 1970).
struct AttemptCounter {
    std::string key;
    int64_t failures = 0;
    int64_t first_s = 0;
    int64_t until_s = 0;
};

// Whose hands a case is in, from the audit log: who opened it, and who took it over last
// (case.take), with when; `held_by` is whoever has it now (the opener until a take-over).
struct CaseHands {
    std::string opened_by;
    std::string held_by;
    std::string held_since;  // ISO 8601, UTC: the opening or the last take-over
};

struct CaseCounts {
    int open = 0;
    int closed = 0;
    std::string oldest_created_at;  // empty when there is no case
};

class Store {
public:
    static constexpr int kSchemaVersion = 7;

    // Opens (creating) `data_dir` and the database: `data_dir`/comptoir.sqlite
    // (engine "sqlite"), or the PostgreSQL database of `connection`, a libpq connection string
    // (engine "postgresql"); creates or migrates the schema. Throws Error("store", French) when
    // the folder or the database cannot be used, or the schema is newer than this program's.
    // The visitors' values (file names, readings, values read, corrections) are sealed with
    // `crypto` (none when it is off: stored as they are). The folder is made 0700, the SQLite
    // file and its -wal and -shm 0600, whatever the umask.
    explicit Store(const std::string& data_dir, const std::string& engine = "sqlite",
                   const std::string& connection = "", const SpoolCrypto& crypto = SpoolCrypto());
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    int schema_version() const;

    CaseRecord create_case(const AuditEntry& audit = {});
    std::optional<CaseRecord> find_case(int64_t id) const;
    std::vector<CaseRecord> list_cases(bool open_only, int limit) const;
    void close_case(int64_t id, const AuditEntry& audit = {});

    // id and created_at set here. With a `holder` (an instance), the document's job is made
    // in the same transaction, held by it: see JobClaim.
    DocumentRecord add_document(const DocumentRecord& document, const std::string& holder = "",
                                const AuditEntry& audit = {});
    std::optional<DocumentRecord> find_document(int64_t case_id, int64_t id) const;
    std::vector<DocumentRecord> documents_of(int64_t case_id) const;
    // Outside a job (tools, tests): the document as it stands, whoever runs it.
    void update_progress(int64_t id, const std::string& state, const std::string& stage, int percent, int page, int pages);
    void fail_document(int64_t id, const std::string& code, const std::string& message);
    std::vector<DocumentRecord> unfinished_documents() const;  // queued, scanning or reading

    // ---- Jobs, shared by the instances ----
    // The held job of a document (made by add_document with a holder).
    std::optional<JobClaim> held_job(int64_t document_id, const std::string& holder) const;
    // The file is in the spool: the document's input is set and its job queued, for any
    // instance. False when the holder lost the job (taken for stopped): the caller's file is
    // then nobody's.
    bool release_job(const JobClaim& held, const std::string& input_path);
    // A document read (or failed) held again by `holder`, to change its file (a page added)
    // and read it again: the document "scanning", the job "held", the audit line, in one
    // transaction. None when its job is not finished (queued, held or running).
    std::optional<JobClaim> hold_again(int64_t document_id, const std::string& holder, const AuditEntry& audit = {});
    // The oldest queued job, or a running one whose instance has not been seen since
    // `stale_before_ms`, claimed for `owner` (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL:
    // two instances never claim the same job).
    std::optional<JobClaim> claim_job(const std::string& owner, int64_t stale_before_ms);
    // The document's progress, written only while the claim holds. False otherwise.
    bool job_progress(const JobClaim& claim, const std::string& state, const std::string& stage, int percent, int page,
                      int pages);
    // The job's end: the document's outcome and its activity, in one transaction, only while
    // the claim holds (else false and nothing written): a job finishes exactly once.
    bool complete_job(const JobClaim& claim, const JobOutcome& outcome);
    // Held jobs whose instance stopped (not seen since `stale_before_ms`): their documents are
    // failed (interrupted). Returns them.
    std::vector<JobClaim> fail_abandoned_jobs(int64_t stale_before_ms);
    JobCounts job_counts() const;
    // A document read (done or failed, its file in the spool) queued to be read again with
    // `reading_options`, its corrections removed when `drop_corrections`, in one transaction
    // with its audit line. False, and nothing changed, while it is held, queued or being read.
    bool requeue_document(int64_t case_id, int64_t document_id, const std::string& reading_options,
                          bool drop_corrections, const AuditEntry& audit = {});
    // A document's rows (its corrections, its letters, its job, itself) removed in one
    // transaction with its audit line; its spool folder is the caller's. False, and nothing
    // removed, while it is held, queued or being read.
    bool delete_document(int64_t case_id, int64_t document_id, const AuditEntry& audit = {});
    std::optional<JobClaim> job_of(int64_t document_id) const;  // the job row as it stands

    // ---- Instances ----
    void heartbeat(const std::string& id, const std::string& host, int64_t pid, int64_t now_ms);
    void remove_instance(const std::string& id);
    // Every instance but `id` (SQLite: one server per data folder, so the others have stopped).
    void remove_other_instances(const std::string& id);
    std::vector<InstanceRecord> instances() const;

    // ---- Sessions ----
    void add_session(const SessionRecord& session);
    std::optional<SessionRecord> find_session(const std::string& token_hash) const;
    void touch_session(const std::string& token_hash, int64_t seen_s);
    void delete_session(const std::string& token_hash);
    void delete_sessions_of(const std::string& login);
    int delete_idle_sessions(int64_t seen_before_s);
    // Every session of `login` but the one of `keep_token_hash` (a password changed by its owner).
    void delete_other_sessions(const std::string& login, const std::string& keep_token_hash);

    // ---- Sign-in failures ----
    // In one transaction, the counters of `keys` (a missing one at zero, locked on PostgreSQL so
    // that two instances never both pass) handed to `decide`; when it returns true they are
    // written back (a counter back at zero failures and no delay is removed). Returns what
    // `decide` returned.
    bool update_attempts(const std::vector<std::string>& keys,
                         const std::function<bool(std::vector<AttemptCounter>&)>& decide);
    // Removes the counters whose window and delay have both ended by `now_s`.
    int purge_attempts(int64_t window_start_s, int64_t now_s);

    CorrectionRecord add_correction(const CorrectionRecord& correction, int64_t case_id = 0, const AuditEntry& audit = {});
    std::vector<CorrectionRecord> corrections_of(int64_t document_id) const;

    LetterRecord add_letter(const LetterRecord& letter);
    void set_letter_path(int64_t id, const std::string& path, int64_t case_id = 0, const AuditEntry& audit = {});
    std::optional<LetterRecord> find_letter(int64_t case_id, int64_t id) const;
    std::vector<LetterRecord> letters_of(int64_t case_id) const;

    UserRecord add_user(const UserRecord& user, const AuditEntry& audit = {});  // Error("login_taken") when the login exists
    std::optional<UserRecord> find_user(const std::string& login) const;
    size_t count_users() const;
    std::vector<UserRecord> list_users() const;  // without their hashes
    bool delete_user(const std::string& login, const AuditEntry& audit = {});
    bool set_password_hash(const std::string& login, const std::string& hash, const AuditEntry& audit = {});

    // Retention: the cases closed at or before `closed_before`, or opened at or before
    // `opened_before` (ISO 8601 UTC).
    std::vector<int64_t> expired_cases(const std::string& closed_before, const std::string& opened_before) const;
    // Removes a case's rows (documents, corrections, letters, jobs, the case), in one
    // transaction. Its spool folder is the caller's. False when there was no such case.
    bool delete_case(int64_t id, const AuditEntry& audit = {});
    // Letters whose file was never written (a stop between the row and the file): removed.
    std::vector<LetterRecord> unwritten_letters() const;
    void delete_letter(int64_t id);
    CaseCounts case_counts() const;
    // After a removal (forget, purge): SQLite's write-ahead log copied into the base and
    // truncated, so that nothing removed stays there (PostgreSQL: nothing to do).
    void checkpoint();
    // `comptoir admin rekey`: every value sealed again with the current key (the previous one
    // read), clear ones sealed; returns how many. Error("store_encrypted") when one cannot be
    // opened (an unknown key): nothing changed then.
    int reseal_values();

    // The audit log: appended to, never changed (the table refuses it).
    void audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail = "");
    // Newest first; `case_id` 0: every case; `before_id` > 0: older than that line.
    std::vector<AuditRecord> audit_log(int64_t case_id, int limit, int64_t before_id = 0) const;
    // Who opened and who holds each of `case_ids` (case.open and case.take lines); a case whose
    // opening is not in the log is absent.
    std::map<int64_t, CaseHands> case_hands(const std::vector<int64_t>& case_ids) const;

    void record_activity(const ActivityRecord& activity);
    // Counts per day and category, days from `from_day` to `to_day` included (YYYY-MM-DD).
    std::vector<ActivityCount> activity(const std::string& from_day, const std::string& to_day) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace comptoir
