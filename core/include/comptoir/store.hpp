// The cases of the desk, kept in SQLite (one file in data.dir) or PostgreSQL through Poco::Data; page images,
// uploads and letters in a spool folder beside it. One case per visit, anonymous: nothing in
// a case names the visitor, only what their documents say. The schema is created and migrated
// at start (table `meta`, key `schema_version`).
#pragma once

#include <cstdint>
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

struct CaseCounts {
    int open = 0;
    int closed = 0;
    std::string oldest_created_at;  // empty when there is no case
};

class Store {
public:
    static constexpr int kSchemaVersion = 3;

    // Opens (creating) the spool `data_dir`/spool and the database: `data_dir`/comptoir.sqlite
    // (engine "sqlite"), or the PostgreSQL database of `connection`, a libpq connection string
    // (engine "postgresql"); creates or migrates the schema. Throws Error("store", French) when
    // the folder or the database cannot be used, or the schema is newer than this program's.
    explicit Store(const std::string& data_dir, const std::string& engine = "sqlite",
                   const std::string& connection = "");
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    int schema_version() const;
    const std::string& spool_dir() const { return spool_; }
    // The spool folder of a document (created).
    std::string document_dir(int64_t case_id, int64_t document_id) const;

    CaseRecord create_case();
    std::optional<CaseRecord> find_case(int64_t id) const;
    std::vector<CaseRecord> list_cases(bool open_only, int limit) const;
    void close_case(int64_t id);

    DocumentRecord add_document(const DocumentRecord& document);  // id and created_at set here
    std::optional<DocumentRecord> find_document(int64_t case_id, int64_t id) const;
    std::vector<DocumentRecord> documents_of(int64_t case_id) const;
    void update_progress(int64_t id, const std::string& state, const std::string& stage, int percent, int page, int pages);
    void set_input(int64_t id, const std::string& path);
    void finish_document(int64_t id, const std::string& result, const std::string& reading, int pages);
    void fail_document(int64_t id, const std::string& code, const std::string& message);
    // Documents left queued or running by a process that stopped: failed, with a message that
    // says to scan or upload again (or requeued when their input is in the spool).
    std::vector<DocumentRecord> unfinished_documents() const;

    CorrectionRecord add_correction(const CorrectionRecord& correction);
    std::vector<CorrectionRecord> corrections_of(int64_t document_id) const;

    LetterRecord add_letter(const LetterRecord& letter);
    void set_letter_path(int64_t id, const std::string& path);
    std::optional<LetterRecord> find_letter(int64_t case_id, int64_t id) const;
    std::vector<LetterRecord> letters_of(int64_t case_id) const;

    UserRecord add_user(const UserRecord& user);  // Error("login_taken") when the login exists
    std::optional<UserRecord> find_user(const std::string& login) const;
    size_t count_users() const;
    std::vector<UserRecord> list_users() const;  // without their hashes
    bool delete_user(const std::string& login);
    bool set_password_hash(const std::string& login, const std::string& hash);

    // Retention: the cases closed at or before `closed_before`, or opened at or before
    // `opened_before` (ISO 8601 UTC).
    std::vector<int64_t> expired_cases(const std::string& closed_before, const std::string& opened_before) const;
    // Removes a case's rows (documents, corrections, letters, the case), in one transaction.
    // Its spool folder is the caller's.
    void delete_case(int64_t id);
    CaseCounts case_counts() const;

    // The audit log: appended to, never changed (the table refuses it).
    void audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail = "");
    // Newest first; `case_id` 0: every case; `before_id` > 0: older than that line.
    std::vector<AuditRecord> audit_log(int64_t case_id, int limit, int64_t before_id = 0) const;

    void record_activity(const ActivityRecord& activity);
    // Counts per day and category, days from `from_day` to `to_day` included (YYYY-MM-DD).
    std::vector<ActivityCount> activity(const std::string& from_day, const std::string& to_day) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string spool_;
};

// Now, ISO 8601 in UTC ("2026-11-23T06:40:12Z").
std::string now_iso();

}  // namespace comptoir
