#include "store_db.hpp"

using namespace Poco::Data::Keywords;

namespace comptoir {
namespace store_detail {

// SQLite's words for PostgreSQL's: the same schema on both.
std::string dialect(std::string sql, bool postgresql) {
    if (!postgresql) return sql;
    const auto replace = [&](const std::string& from, const std::string& to) {
        for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size())) {
            sql.replace(at, from.size(), to);
        }
    };
    replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY");
    replace("INTEGER", "BIGINT");
    return sql;
}

// Each step takes the schema from version N to N + 1; index 0 makes version 1.
std::vector<std::vector<std::string>> migrations(bool postgresql) {
    std::vector<std::vector<std::string>> steps = {
        {
            "CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, "
            "closed_at TEXT NOT NULL DEFAULT '')",
            "CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "case_id INTEGER NOT NULL REFERENCES cases(id), source TEXT NOT NULL, station TEXT NOT NULL DEFAULT '', "
            "filename TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, state TEXT NOT NULL, "
            "stage TEXT NOT NULL DEFAULT '', percent INTEGER NOT NULL DEFAULT 0, page INTEGER NOT NULL DEFAULT 0, "
            "pages INTEGER NOT NULL DEFAULT 0, error_code TEXT NOT NULL DEFAULT '', "
            "error_message TEXT NOT NULL DEFAULT '', input_path TEXT NOT NULL DEFAULT '', "
            "result TEXT NOT NULL DEFAULT '', reading TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX documents_by_case ON documents(case_id)",
            "CREATE TABLE corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "document_id INTEGER NOT NULL REFERENCES documents(id), field TEXT NOT NULL, old_value TEXT NOT NULL, "
            "new_value TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', at TEXT NOT NULL)",
            "CREATE TABLE letters (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL REFERENCES cases(id), "
            "document_id INTEGER NOT NULL DEFAULT 0, letter_id TEXT NOT NULL, plugin TEXT NOT NULL, path TEXT NOT NULL, "
            "bytes INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)",
        },
        {
            "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, login TEXT NOT NULL UNIQUE, "
            "role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL)",
        },
        {
            // Who did what to which case: the case's number, never its contents. Append-only:
            // the triggers refuse any change or removal, whoever asks.
            "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, login TEXT NOT NULL, "
            "action TEXT NOT NULL, case_id INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX audit_by_case ON audit(case_id)",
            // Refused, whoever asks: a change or a removal.
            postgresql ? "CREATE FUNCTION comptoir_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
                       : "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
                         "SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            postgresql ? "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
                         "FOR EACH STATEMENT EXECUTE FUNCTION comptoir_audit_append_only()"
                       : "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN "
                         "SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            // What the site did, for partners and funders: a day and categories, no case, no
            // time of day, nothing from the documents. Kept when the cases are purged.
            "CREATE TABLE activity (id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, event TEXT NOT NULL, "
            "station TEXT NOT NULL DEFAULT '', partner TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '', "
            "letter TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX activity_by_day ON activity(day)",
        },
        {
            // Readings as rows that any instance may claim (several instances on PostgreSQL).
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id), case_id INTEGER NOT NULL, "
            "state TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '', claim INTEGER NOT NULL DEFAULT 0, "
            "attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX jobs_by_state ON jobs(state)",
            // The documents an older version left unfinished: read again when their file is
            // there, else held by no one, so failed as interrupted.
            "INSERT INTO jobs (document_id, case_id, state, created_at) SELECT id, case_id, "
            "CASE WHEN input_path <> '' AND state <> 'scanning' THEN 'queued' ELSE 'held' END, created_at "
            "FROM documents WHERE state IN ('queued', 'scanning', 'reading')",
            "CREATE TABLE instances (id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, "
            "started_at TEXT NOT NULL, seen_ms INTEGER NOT NULL)",
            // Sessions in the base, so that any instance knows a signed-in mediator.
            "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL, login TEXT NOT NULL, "
            "created_at TEXT NOT NULL, seen_s INTEGER NOT NULL)",
            "CREATE INDEX sessions_by_login ON sessions(login)",
        },
        {
            // What the mediator asked of a document's reading (a kind, pages turned), kept so
            // that a later reading asks the same.
            "ALTER TABLE documents ADD COLUMN reading_options TEXT NOT NULL DEFAULT ''",
        },
        {
            // Failed sign-ins, shared by the instances and kept across restarts: per account and
            // per address, under a key that is a SHA-256 (no login in clear), with the start of
            // the counting window and the end of the delay it calls for.
            "CREATE TABLE sign_in_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
            "first_s INTEGER NOT NULL, until_s INTEGER NOT NULL)",
        },
        {
            // The visitors' values already stored, sealed with the site's key (C++: the SQL
            // cannot encrypt); their clear copies then leave the file (secure_delete, VACUUM).
            kSealValuesStep,
        },
    };
    for (auto& step : steps) {
        for (auto& sql : step) sql = dialect(sql, postgresql);
    }
    return steps;
}

const char* kDocumentColumns =
    "id, case_id, source, station, filename, created_at, state, stage, percent, page, pages, error_code, "
    "error_message, input_path, result, reading, reading_options";

DocumentRecord document_from(const Db& s, const Poco::Data::RecordSet& rows, size_t row) {
    DocumentRecord d;
    d.id = rows.value(0, row).convert<int64_t>();
    d.case_id = rows.value(1, row).convert<int64_t>();
    d.source = rows.value(2, row).convert<std::string>();
    d.station = rows.value(3, row).convert<std::string>();
    d.filename = s.open("documents.filename", d.id, rows.value(4, row).convert<std::string>());
    d.created_at = rows.value(5, row).convert<std::string>();
    d.state = rows.value(6, row).convert<std::string>();
    d.stage = rows.value(7, row).convert<std::string>();
    d.percent = rows.value(8, row).convert<int>();
    d.page = rows.value(9, row).convert<int>();
    d.pages = rows.value(10, row).convert<int>();
    d.error_code = rows.value(11, row).convert<std::string>();
    d.error_message = rows.value(12, row).convert<std::string>();
    d.input_path = rows.value(13, row).convert<std::string>();
    d.result = s.open("documents.result", d.id, rows.value(14, row).convert<std::string>());
    d.reading = s.open("documents.reading", d.id, rows.value(15, row).convert<std::string>());
    d.reading_options = rows.value(16, row).convert<std::string>();
    return d;
}

CaseRecord case_from(const Poco::Data::RecordSet& rows, size_t row) {
    return CaseRecord{rows.value(0, row).convert<int64_t>(), rows.value(1, row).convert<std::string>(),
                      rows.value(2, row).convert<std::string>()};
}

LetterRecord letter_from(const Poco::Data::RecordSet& rows, size_t row) {
    LetterRecord l;
    l.id = rows.value(0, row).convert<int64_t>();
    l.case_id = rows.value(1, row).convert<int64_t>();
    l.document_id = rows.value(2, row).convert<int64_t>();
    l.letter_id = rows.value(3, row).convert<std::string>();
    l.plugin = rows.value(4, row).convert<std::string>();
    l.path = rows.value(5, row).convert<std::string>();
    l.bytes = rows.value(6, row).convert<int64_t>();
    l.created_at = rows.value(7, row).convert<std::string>();
    return l;
}

// A PostgreSQL session, opened only once libpq has reached the server: Poco's connector (Debian's
// 1.11) leaks the PGconn of a connection that fails, some 17 KB each time — a leak on every
// statement while the server is unreachable, since each one tries again (found by
// LeakSanitizer). libpq's own attempt is closed whatever happens; its message is Poco's.
std::unique_ptr<Poco::Data::Session> open_postgresql(const std::string& connection) {
    PGconn* probe = PQconnectdb(connection.c_str());
    const bool reached = probe != nullptr && PQstatus(probe) == CONNECTION_OK;
    const std::string message = probe != nullptr ? PQerrorMessage(probe) : "libpq : mémoire insuffisante";
    PQfinish(probe);
    if (!reached) throw Poco::Data::ConnectionFailedException(message);
    return std::make_unique<Poco::Data::Session>("PostgreSQL", connection);
}

// The audit line of an action, in the action's transaction (nothing when no action is named).
void write_audit(Db& s, const AuditEntry& entry, int64_t case_id) {
    if (entry.action.empty()) return;
    const std::string at = now_iso();
    s << "INSERT INTO audit (at, login, action, case_id, detail) VALUES (?, ?, ?, ?, ?)", useRef(at),
        useRef(entry.login), useRef(entry.action), useRef(case_id), useRef(entry.detail), now;
}

}  // namespace store_detail

using namespace store_detail;

Store::Store(const std::string& data_dir, const std::string& engine, const std::string& connection,
             const SpoolCrypto& crypto)
    : impl_(std::make_unique<Impl>()) {
    impl_->crypto = crypto;
    static std::once_flag registered;
    std::call_once(registered, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
    });
    impl_->postgresql = engine == "postgresql";
    try {
        Poco::File(data_dir).createDirectories();
    } catch (const Poco::Exception& error) {
        throw Error("store", "Le dossier des données " + data_dir + " est inutilisable : " + error.displayText());
    }
    try {
        if (impl_->postgresql) {
            impl_->path = "PostgreSQL (" + connection + ")";
            impl_->connection = connection;
            keep_private(data_dir, "");
            impl_->session = open_postgresql(connection);
        } else {
            impl_->path = Poco::Path(data_dir).append("comptoir.sqlite").toString();
            keep_private(data_dir, impl_->path);
            impl_->session = std::make_unique<Poco::Data::Session>("SQLite", impl_->path);
        }
    } catch (const Poco::Exception& error) {
        throw Error("store", "La base de données " + impl_->path + " est injoignable : " + error.displayText());
    }
    impl_->locked([&](Db& s) {
        if (!s.postgresql) {
            s << "PRAGMA journal_mode = WAL", now;  // readers do not wait for the writer
            s << "PRAGMA synchronous = FULL", now;  // what was acknowledged survives a crash
            s << "PRAGMA foreign_keys = ON", now;
            s << "PRAGMA busy_timeout = 5000", now;
            s << "PRAGMA secure_delete = ON", now;  // what is removed is overwritten, not left in free pages
        } else {
            // PostgreSQL's notices ("relation … already exists, skipping" at every start) would
            // go straight to the standard error, outside the log's format.
            s << "SET client_min_messages = warning", now;
        }
        s << "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", now;
        // Several instances may start at once on one PostgreSQL: one migrates, the others wait.
        s.begin();
        if (s.postgresql) s << "LOCK TABLE meta IN EXCLUSIVE MODE", now;
        int version = 0;
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"), into(version);
        select.execute();
        if (version > kSchemaVersion) {
            s.rollback();
            throw Error("store", "La base " + impl_->path + " vient d'une version plus récente de Comptoir (schéma " +
                                     std::to_string(version) + ", celui-ci connaît le " +
                                     std::to_string(kSchemaVersion) + ").");
        }
        bool sealed = false;
        try {
            const auto steps = migrations(s.postgresql);
            for (int step = version; step < kSchemaVersion; ++step) {
                for (const auto& sql : steps[static_cast<size_t>(step)]) {
                    if (sql == kSealValuesStep) {
                        store_detail::reseal_values(s);
                        sealed = true;
                    } else {
                        s << sql, now;
                    }
                }
                const std::string next = std::to_string(step + 1);
                s << "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    useRef(next), now;
            }
            s.commit();
        } catch (...) {
            s.rollback();  // a migration is all or nothing
            throw;
        }
        if (sealed) store_detail::checkpoint(s, true);  // the clear copies out of the file
        return 0;
    });
}

Store::~Store() = default;

int Store::schema_version() const {
    return impl_->locked([](Db& s) {
        int version = 0;
        s << "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", into(version), now;
        return version;
    });
}

CaseRecord Store::create_case(const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            CaseRecord record;
            record.created_at = now_iso();
            s << "INSERT INTO cases (created_at) VALUES (?) RETURNING id", useRef(record.created_at), into(record.id), now;
            write_audit(s, audit, record.id);
            return record;
        });
    });
}

std::optional<CaseRecord> Store::find_case(int64_t id) const {
    return impl_->locked([&](Db& s) -> std::optional<CaseRecord> {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, created_at, closed_at FROM cases WHERE id = ?"), useRef(id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return case_from(rows, 0);
    });
}

std::vector<CaseRecord> Store::list_cases(bool open_only, int limit) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q(std::string("SELECT id, created_at, closed_at FROM cases ") +
                      (open_only ? "WHERE closed_at = '' " : "") + "ORDER BY id DESC LIMIT ?"),
            useRef(limit);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<CaseRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(case_from(rows, i));
        return out;
    });
}

void Store::close_case(int64_t id, const AuditEntry& audit) {
    impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            const std::string at = now_iso();
            s << "UPDATE cases SET closed_at = ? WHERE id = ? AND closed_at = ''", useRef(at), useRef(id), now;
            write_audit(s, audit, id);
            return 0;
        });
    });
}

DocumentRecord Store::add_document(const DocumentRecord& document, const std::string& holder, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        DocumentRecord d = document;
        d.created_at = now_iso();
        if (d.state.empty()) d.state = "queued";
        s.begin();
        try {
            s << "INSERT INTO documents (case_id, source, station, created_at, state, input_path) "
                 "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                useRef(d.case_id), useRef(d.source), useRef(d.station), useRef(d.created_at), useRef(d.state),
                useRef(d.input_path), into(d.id), now;
            if (!d.filename.empty()) {  // sealed with the row's id, known now
                const std::string filename = s.seal("documents.filename", d.id, d.filename);
                s << "UPDATE documents SET filename = ? WHERE id = ?", useRef(filename), useRef(d.id), now;
            }
            if (!holder.empty()) {
                s << "INSERT INTO jobs (document_id, case_id, state, owner, created_at, updated_at) "
                     "VALUES (?, ?, 'held', ?, ?, ?)",
                    useRef(d.id), useRef(d.case_id), useRef(holder), useRef(d.created_at), useRef(d.created_at), now;
            }
            AuditEntry entry = audit;
            if (!entry.action.empty()) {
                entry.detail = "document " + std::to_string(d.id) + (entry.detail.empty() ? "" : ", " + entry.detail);
            }
            write_audit(s, entry, d.case_id);
            s.commit();
        } catch (...) {
            s.rollback();
            throw;
        }
        return d;
    });
}

std::optional<DocumentRecord> Store::find_document(int64_t case_id, int64_t id) const {
    return impl_->locked([&](Db& s) -> std::optional<DocumentRecord> {
        Poco::Data::Statement select(s.session);
        select << s.q(std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = ? AND case_id = ?"),
            useRef(id), useRef(case_id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return document_from(s, rows, 0);
    });
}

std::vector<DocumentRecord> Store::documents_of(int64_t case_id) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q(std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE case_id = ? ORDER BY id"),
            useRef(case_id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<DocumentRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(document_from(s, rows, i));
        return out;
    });
}

void Store::update_progress(int64_t id, const std::string& state, const std::string& stage, int percent, int page,
                            int pages) {
    impl_->locked([&](Db& s) {
        s << "UPDATE documents SET state = ?, stage = ?, percent = ?, page = ?, pages = ? WHERE id = ?", useRef(state),
            useRef(stage), useRef(percent), useRef(page), useRef(pages), useRef(id), now;
        return 0;
    });
}

void Store::fail_document(int64_t id, const std::string& code, const std::string& message) {
    impl_->locked([&](Db& s) {
        s << "UPDATE documents SET state = 'failed', stage = '', error_code = ?, error_message = ? WHERE id = ?",
            useRef(code), useRef(message), useRef(id), now;
        return 0;
    });
}

std::vector<DocumentRecord> Store::unfinished_documents() const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q(std::string("SELECT ") + kDocumentColumns +
                      " FROM documents WHERE state IN ('queued', 'scanning', 'reading') ORDER BY id");
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<DocumentRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(document_from(s, rows, i));
        return out;
    });
}

CorrectionRecord Store::add_correction(const CorrectionRecord& correction, int64_t case_id, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            CorrectionRecord c = correction;
            c.at = now_iso();
            s << "INSERT INTO corrections (document_id, field, old_value, new_value, author, at) "
                 "VALUES (?, ?, '', '', ?, ?) RETURNING id",
                useRef(c.document_id), useRef(c.field), useRef(c.author), useRef(c.at), into(c.id), now;
            // The values sealed with the row's id, known now, in the same transaction.
            const std::string old_value = s.seal("corrections.old_value", c.id, c.old_value);
            const std::string new_value = s.seal("corrections.new_value", c.id, c.new_value);
            s << "UPDATE corrections SET old_value = ?, new_value = ? WHERE id = ?", useRef(old_value),
                useRef(new_value), useRef(c.id), now;
            write_audit(s, audit, case_id);
            return c;
        });
    });
}

std::vector<CorrectionRecord> Store::corrections_of(int64_t document_id) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, document_id, field, old_value, new_value, author, at FROM corrections "
                  "WHERE document_id = ? ORDER BY id"),
            useRef(document_id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<CorrectionRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) {
            const auto id = rows.value(0, i).convert<int64_t>();
            out.push_back(CorrectionRecord{id, rows.value(1, i).convert<int64_t>(), rows.value(2, i).convert<std::string>(),
                                           s.open("corrections.old_value", id, rows.value(3, i).convert<std::string>()),
                                           s.open("corrections.new_value", id, rows.value(4, i).convert<std::string>()),
                                           rows.value(5, i).convert<std::string>(), rows.value(6, i).convert<std::string>()});
        }
        return out;
    });
}

LetterRecord Store::add_letter(const LetterRecord& letter) {
    return impl_->locked([&](Db& s) {
        LetterRecord l = letter;
        l.created_at = now_iso();
        s << "INSERT INTO letters (case_id, document_id, letter_id, plugin, path, bytes, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            useRef(l.case_id), useRef(l.document_id), useRef(l.letter_id), useRef(l.plugin), useRef(l.path),
            useRef(l.bytes), useRef(l.created_at), into(l.id), now;
        return l;
    });
}

void Store::set_letter_path(int64_t id, const std::string& path, int64_t case_id, const AuditEntry& audit) {
    impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            s << "UPDATE letters SET path = ? WHERE id = ?", useRef(path), useRef(id), now;
            write_audit(s, audit, case_id);
            return 0;
        });
    });
}

std::optional<LetterRecord> Store::find_letter(int64_t case_id, int64_t id) const {
    return impl_->locked([&](Db& s) -> std::optional<LetterRecord> {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, case_id, document_id, letter_id, plugin, path, bytes, created_at FROM letters "
                  "WHERE id = ? AND case_id = ?"),
            useRef(id), useRef(case_id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return letter_from(rows, 0);
    });
}

std::vector<LetterRecord> Store::letters_of(int64_t case_id) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, case_id, document_id, letter_id, plugin, path, bytes, created_at FROM letters "
                  "WHERE case_id = ? ORDER BY id"),
            useRef(case_id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<LetterRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(letter_from(rows, i));
        return out;
    });
}

// ---- Retention -----------------------------------------------------------------------------

std::vector<int64_t> Store::expired_cases(const std::string& closed_before, const std::string& opened_before) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id FROM cases WHERE (closed_at <> '' AND closed_at <= ?) OR created_at <= ? ORDER BY id"),
            useRef(closed_before), useRef(opened_before);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<int64_t> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(rows.value(0, i).convert<int64_t>());
        return out;
    });
}

bool Store::delete_case(int64_t id, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        s.begin();
        try {
            s << "DELETE FROM corrections WHERE document_id IN (SELECT id FROM documents WHERE case_id = ?)", useRef(id), now;
            s << "DELETE FROM letters WHERE case_id = ?", useRef(id), now;
            s << "DELETE FROM jobs WHERE case_id = ?", useRef(id), now;
            s << "DELETE FROM documents WHERE case_id = ?", useRef(id), now;
            Poco::Data::Statement remove(s.session);
            remove << s.q("DELETE FROM cases WHERE id = ?"), useRef(id);
            const bool removed = remove.execute() > 0;
            if (removed) write_audit(s, audit, id);
            s.commit();
            return removed;
        } catch (...) {
            s.rollback();
            throw;
        }
    });
}

std::vector<LetterRecord> Store::unwritten_letters() const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, case_id, document_id, letter_id, plugin, path, bytes, created_at FROM letters "
                      "WHERE path = '' ORDER BY id");
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<LetterRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(letter_from(rows, i));
        return out;
    });
}

void Store::delete_letter(int64_t id) {
    impl_->locked([&](Db& s) {
        s << "DELETE FROM letters WHERE id = ?", useRef(id), now;
        return 0;
    });
}

CaseCounts Store::case_counts() const {
    return impl_->locked([&](Db& s) {
        CaseCounts counts;
        s << "SELECT COUNT(*) FROM cases WHERE closed_at = ''", into(counts.open), now;
        s << "SELECT COUNT(*) FROM cases WHERE closed_at <> ''", into(counts.closed), now;
        s << "SELECT COALESCE(MIN(created_at), '') FROM cases", into(counts.oldest_created_at), now;
        return counts;
    });
}

}  // namespace comptoir
