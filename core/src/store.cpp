#include "comptoir/store.hpp"

#include "comptoir/error.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>

#include <libpq-fe.h>

#include <functional>
#include <limits>

using namespace Poco::Data::Keywords;

namespace comptoir {

std::string now_iso() {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%SZ");
}

int64_t now_ms() { return Poco::Timestamp().epochMicroseconds() / 1000; }

namespace {

// What the store's statements go through: Poco's session, with the SQL's `?` placeholders
// turned into PostgreSQL's `$1, $2…` when that is the database.
struct Db {
    Poco::Data::Session& session;
    bool postgresql;

    std::string q(const std::string& sql) const {
        if (!postgresql) return sql;
        std::string out;
        int n = 0;
        for (char c : sql) out += c == '?' ? "$" + std::to_string(++n) : std::string(1, c);
        return out;
    }
    Poco::Data::Statement operator<<(const std::string& sql) { return session << q(sql); }
    void begin() { session.begin(); }
    void commit() { session.commit(); }
    void rollback() {
        if (session.isTransaction()) session.rollback();
    }
};

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
    };
    for (auto& step : steps) {
        for (auto& sql : step) sql = dialect(sql, postgresql);
    }
    return steps;
}

const char* kDocumentColumns =
    "id, case_id, source, station, filename, created_at, state, stage, percent, page, pages, error_code, "
    "error_message, input_path, result, reading";

DocumentRecord document_from(const Poco::Data::RecordSet& rows, size_t row) {
    DocumentRecord d;
    d.id = rows.value(0, row).convert<int64_t>();
    d.case_id = rows.value(1, row).convert<int64_t>();
    d.source = rows.value(2, row).convert<std::string>();
    d.station = rows.value(3, row).convert<std::string>();
    d.filename = rows.value(4, row).convert<std::string>();
    d.created_at = rows.value(5, row).convert<std::string>();
    d.state = rows.value(6, row).convert<std::string>();
    d.stage = rows.value(7, row).convert<std::string>();
    d.percent = rows.value(8, row).convert<int>();
    d.page = rows.value(9, row).convert<int>();
    d.pages = rows.value(10, row).convert<int>();
    d.error_code = rows.value(11, row).convert<std::string>();
    d.error_message = rows.value(12, row).convert<std::string>();
    d.input_path = rows.value(13, row).convert<std::string>();
    d.result = rows.value(14, row).convert<std::string>();
    d.reading = rows.value(15, row).convert<std::string>();
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

}  // namespace

struct Store::Impl {
    // One session behind a mutex keeps Poco::Data's session (not thread-safe) to one thread at
    // a time: SQLite serialises writers anyway, and PostgreSQL's work here is short statements.
    mutable std::mutex mutex;
    mutable std::unique_ptr<Poco::Data::Session> session;
    std::string path;  // for messages: the SQLite file, or the PostgreSQL database
    bool postgresql = false;
    std::string connection;
    // PostgreSQL: a statement failed, perhaps because the connection was lost (the server
    // restarted, a network cut): the next statement opens a new one.
    mutable bool suspect = false;

    template <typename F>
    auto locked(F&& work) const {
        std::lock_guard<std::mutex> lock(mutex);
        if (suspect) {
            try {
                session = open_postgresql(connection);
                suspect = false;
            } catch (const Poco::Exception& error) {
                const std::string text = error.displayText();
                Poco::Logger::get("comptoir.store").error("base de données injoignable : " + text.substr(0, text.find('\n')));
                throw Error("store", "La base de données des dossiers est injoignable : réessayez dans un instant ; si "
                                     "cela dure, prévenez l'administrateur du site.");
            }
        }
        Db db{*session, postgresql};
        try {
            return work(db);
        } catch (const Poco::Exception& error) {
            suspect = postgresql;
            // The database's own words go to the log, their first line only (the following
            // ones may quote a row's values); the mediator gets what to do.
            const std::string text = error.displayText();
            Poco::Logger::get("comptoir.store").error("base de données : " + text.substr(0, text.find('\n')));
            throw Error("store", "La base de données des dossiers est injoignable ou en erreur : réessayez dans un "
                                 "instant ; si cela dure, prévenez l'administrateur du site.");
        }
    }
};

Store::Store(const std::string& data_dir, const std::string& engine, const std::string& connection)
    : impl_(std::make_unique<Impl>()) {
    static std::once_flag registered;
    std::call_once(registered, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
    });
    impl_->postgresql = engine == "postgresql";
    try {
        Poco::File(data_dir).createDirectories();
        spool_ = Poco::Path(data_dir).append("spool").toString();
        Poco::File(spool_).createDirectories();
    } catch (const Poco::Exception& error) {
        throw Error("store", "Le dossier des données " + data_dir + " est inutilisable : " + error.displayText());
    }
    try {
        if (impl_->postgresql) {
            impl_->path = "PostgreSQL (" + connection + ")";
            impl_->connection = connection;
            impl_->session = open_postgresql(connection);
        } else {
            impl_->path = Poco::Path(data_dir).append("comptoir.sqlite").toString();
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
        try {
            const auto steps = migrations(s.postgresql);
            for (int step = version; step < kSchemaVersion; ++step) {
                for (const auto& sql : steps[static_cast<size_t>(step)]) s << sql, now;
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

std::string Store::document_dir(int64_t case_id, int64_t document_id) const {
    const std::string dir = Poco::Path(spool_)
                                .append("case-" + std::to_string(case_id))
                                .append("document-" + std::to_string(document_id))
                                .toString();
    Poco::File(dir).createDirectories();
    return dir;
}

CaseRecord Store::create_case() {
    return impl_->locked([&](Db& s) {
        CaseRecord record;
        record.created_at = now_iso();
        s << "INSERT INTO cases (created_at) VALUES (?) RETURNING id", useRef(record.created_at), into(record.id), now;
        return record;
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

void Store::close_case(int64_t id) {
    impl_->locked([&](Db& s) {
        const std::string at = now_iso();
        s << "UPDATE cases SET closed_at = ? WHERE id = ? AND closed_at = ''", useRef(at), useRef(id), now;
        return 0;
    });
}

DocumentRecord Store::add_document(const DocumentRecord& document, const std::string& holder) {
    return impl_->locked([&](Db& s) {
        DocumentRecord d = document;
        d.created_at = now_iso();
        if (d.state.empty()) d.state = "queued";
        s.begin();
        try {
            s << "INSERT INTO documents (case_id, source, station, filename, created_at, state, input_path) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                useRef(d.case_id), useRef(d.source), useRef(d.station), useRef(d.filename), useRef(d.created_at),
                useRef(d.state), useRef(d.input_path), into(d.id), now;
            if (!holder.empty()) {
                s << "INSERT INTO jobs (document_id, case_id, state, owner, created_at, updated_at) "
                     "VALUES (?, ?, 'held', ?, ?, ?)",
                    useRef(d.id), useRef(d.case_id), useRef(holder), useRef(d.created_at), useRef(d.created_at), now;
            }
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
        return document_from(rows, 0);
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
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(document_from(rows, i));
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
        for (size_t i = 0; i < rows.rowCount(); ++i) out.push_back(document_from(rows, i));
        return out;
    });
}

CorrectionRecord Store::add_correction(const CorrectionRecord& correction) {
    return impl_->locked([&](Db& s) {
        CorrectionRecord c = correction;
        c.at = now_iso();
        s << "INSERT INTO corrections (document_id, field, old_value, new_value, author, at) VALUES (?, ?, ?, ?, ?, ?) "
             "RETURNING id",
            useRef(c.document_id), useRef(c.field), useRef(c.old_value), useRef(c.new_value), useRef(c.author),
            useRef(c.at), into(c.id), now;
        return c;
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
            out.push_back(CorrectionRecord{rows.value(0, i).convert<int64_t>(), rows.value(1, i).convert<int64_t>(),
                                           rows.value(2, i).convert<std::string>(), rows.value(3, i).convert<std::string>(),
                                           rows.value(4, i).convert<std::string>(), rows.value(5, i).convert<std::string>(),
                                           rows.value(6, i).convert<std::string>()});
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

void Store::set_letter_path(int64_t id, const std::string& path) {
    impl_->locked([&](Db& s) {
        s << "UPDATE letters SET path = ? WHERE id = ?", useRef(path), useRef(id), now;
        return 0;
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

UserRecord Store::add_user(const UserRecord& user) {
    return impl_->locked([&](Db& s) {
        UserRecord u = user;
        u.created_at = now_iso();
        int taken = 0;
        s << "SELECT COUNT(*) FROM users WHERE login = ?", useRef(u.login), into(taken), now;
        if (taken > 0) throw Error("login_taken", "Cet identifiant existe déjà.");
        s << "INSERT INTO users (login, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id", useRef(u.login),
            useRef(u.role), useRef(u.password_hash), useRef(u.created_at), into(u.id), now;
        return u;
    });
}

std::optional<UserRecord> Store::find_user(const std::string& login) const {
    return impl_->locked([&](Db& s) -> std::optional<UserRecord> {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, login, role, password_hash, created_at FROM users WHERE login = ?"), useRef(login);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return UserRecord{rows.value(0, 0).convert<int64_t>(), rows.value(1, 0).convert<std::string>(),
                          rows.value(2, 0).convert<std::string>(), rows.value(3, 0).convert<std::string>(),
                          rows.value(4, 0).convert<std::string>()};
    });
}

size_t Store::count_users() const {
    return impl_->locked([&](Db& s) {
        int count = 0;
        s << "SELECT COUNT(*) FROM users", into(count), now;
        return static_cast<size_t>(count);
    });
}

std::vector<UserRecord> Store::list_users() const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT id, login, role, '', created_at FROM users ORDER BY login");
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<UserRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) {
            out.push_back(UserRecord{rows.value(0, i).convert<int64_t>(), rows.value(1, i).convert<std::string>(),
                                     rows.value(2, i).convert<std::string>(), "", rows.value(4, i).convert<std::string>()});
        }
        return out;
    });
}

bool Store::delete_user(const std::string& login) {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement remove(s.session);
        remove << s.q("DELETE FROM users WHERE login = ?"), useRef(login);
        return remove.execute() > 0;
    });
}

bool Store::set_password_hash(const std::string& login, const std::string& hash) {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement update(s.session);
        update << s.q("UPDATE users SET password_hash = ? WHERE login = ?"), useRef(hash), useRef(login);
        return update.execute() > 0;
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

bool Store::delete_case(int64_t id) {
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

// ---- Audit log and activity ----------------------------------------------------------------

void Store::audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail) {
    impl_->locked([&](Db& s) {
        const std::string at = now_iso();
        s << "INSERT INTO audit (at, login, action, case_id, detail) VALUES (?, ?, ?, ?, ?)", useRef(at), useRef(login),
            useRef(action), useRef(case_id), useRef(detail), now;
        return 0;
    });
}

std::vector<AuditRecord> Store::audit_log(int64_t case_id, int limit, int64_t before_id) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        const int64_t before = before_id > 0 ? before_id : std::numeric_limits<int64_t>::max();
        select << s.q(std::string("SELECT id, at, login, action, case_id, detail FROM audit WHERE id < ? ") +
                      (case_id > 0 ? "AND case_id = ? " : "AND ? = 0 ") + "ORDER BY id DESC LIMIT ?"),
            useRef(before), useRef(case_id), useRef(limit);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<AuditRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) {
            out.push_back(AuditRecord{rows.value(0, i).convert<int64_t>(), rows.value(1, i).convert<std::string>(),
                                      rows.value(2, i).convert<std::string>(), rows.value(3, i).convert<std::string>(),
                                      rows.value(4, i).convert<int64_t>(), rows.value(5, i).convert<std::string>()});
        }
        return out;
    });
}

void Store::record_activity(const ActivityRecord& activity) {
    impl_->locked([&](Db& s) {
        // The site's own day (its time zone), as a funder counts visits.
        const std::string day =
            activity.day.empty() ? Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d") : activity.day;
        s << "INSERT INTO activity (day, event, station, partner, kind, letter) VALUES (?, ?, ?, ?, ?, ?)", useRef(day),
            useRef(activity.event), useRef(activity.station), useRef(activity.partner), useRef(activity.kind),
            useRef(activity.letter), now;
        return 0;
    });
}

std::vector<ActivityCount> Store::activity(const std::string& from_day, const std::string& to_day) const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT day, event, station, partner, kind, letter, COUNT(*) FROM activity WHERE day >= ? AND day <= ? "
                  "GROUP BY day, event, station, partner, kind, letter ORDER BY day, event, station, partner, kind, letter"),
            useRef(from_day), useRef(to_day);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<ActivityCount> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) {
            ActivityCount c;
            c.activity = ActivityRecord{rows.value(0, i).convert<std::string>(), rows.value(1, i).convert<std::string>(),
                                        rows.value(2, i).convert<std::string>(), rows.value(3, i).convert<std::string>(),
                                        rows.value(4, i).convert<std::string>(), rows.value(5, i).convert<std::string>()};
            c.count = rows.value(6, i).convert<int64_t>();
            out.push_back(std::move(c));
        }
        return out;
    });
}

// ---- Jobs ----------------------------------------------------------------------------------

namespace {

const char* kJobColumns = "id, document_id, case_id, owner, claim, attempts, state";

JobClaim job_from(const Poco::Data::RecordSet& rows, size_t row) {
    JobClaim j;
    j.job_id = rows.value(0, row).convert<int64_t>();
    j.document_id = rows.value(1, row).convert<int64_t>();
    j.case_id = rows.value(2, row).convert<int64_t>();
    j.owner = rows.value(3, row).convert<std::string>();
    j.claim = rows.value(4, row).convert<int64_t>();
    j.attempts = rows.value(5, row).convert<int>();
    j.state = rows.value(6, row).convert<std::string>();
    return j;
}

// Runs `work` in a transaction: committed when it returns, rolled back when it throws.
template <typename F>
auto in_transaction(Db& s, F&& work) {
    s.begin();
    try {
        auto out = work();
        s.commit();
        return out;
    } catch (...) {
        s.rollback();
        throw;
    }
}

// The claim still holds: the job is the claimant's, under the same claim, not finished.
const char* kClaimHolds = "id = ? AND owner = ? AND claim = ? AND state IN ('held', 'running')";

}  // namespace

std::optional<JobClaim> Store::held_job(int64_t document_id, const std::string& holder) const {
    return impl_->locked([&](Db& s) -> std::optional<JobClaim> {
        Poco::Data::Statement select(s.session);
        select << s.q(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE document_id = ? AND owner = ? AND state = 'held'"),
            useRef(document_id), useRef(holder);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return job_from(rows, 0);
    });
}

std::optional<JobClaim> Store::job_of(int64_t document_id) const {
    return impl_->locked([&](Db& s) -> std::optional<JobClaim> {
        Poco::Data::Statement select(s.session);
        select << s.q(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE document_id = ?"), useRef(document_id);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return job_from(rows, 0);
    });
}

bool Store::release_job(const JobClaim& held, const std::string& input_path) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            const std::string at = now_iso();
            Poco::Data::Statement update(s.session);
            update << s.q(std::string("UPDATE jobs SET state = 'queued', owner = '', updated_at = ? WHERE ") + kClaimHolds),
                useRef(at), useRef(held.job_id), useRef(held.owner), useRef(held.claim);
            if (update.execute() == 0) return false;
            s << "UPDATE documents SET input_path = ?, state = 'queued', stage = '' WHERE id = ?", useRef(input_path),
                useRef(held.document_id), now;
            return true;
        });
    });
}

std::optional<JobClaim> Store::claim_job(const std::string& owner, int64_t stale_before_ms) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&]() -> std::optional<JobClaim> {
            Poco::Data::Statement select(s.session);
            select << s.q(std::string("SELECT ") + kJobColumns +
                          " FROM jobs WHERE state = 'queued' OR (state = 'running' AND owner NOT IN "
                          "(SELECT id FROM instances WHERE seen_ms >= ?)) ORDER BY id LIMIT 1" +
                          (s.postgresql ? " FOR UPDATE SKIP LOCKED" : "")),
                useRef(stale_before_ms);
            select.execute();
            Poco::Data::RecordSet rows(select);
            if (rows.rowCount() == 0) return std::nullopt;
            JobClaim job = job_from(rows, 0);
            job.owner = owner;
            job.claim += 1;
            job.attempts += 1;
            job.state = "running";
            const std::string at = now_iso();
            s << "UPDATE jobs SET state = 'running', owner = ?, claim = ?, attempts = ?, updated_at = ? WHERE id = ?",
                useRef(job.owner), useRef(job.claim), useRef(job.attempts), useRef(at), useRef(job.job_id), now;
            return job;
        });
    });
}

bool Store::job_progress(const JobClaim& claim, const std::string& state, const std::string& stage, int percent, int page,
                         int pages) {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement update(s.session);
        update << s.q(std::string("UPDATE documents SET state = ?, stage = ?, percent = ?, page = ?, pages = ? "
                                  "WHERE id = ? AND EXISTS (SELECT 1 FROM jobs WHERE ") +
                      kClaimHolds + ")"),
            useRef(state), useRef(stage), useRef(percent), useRef(page), useRef(pages), useRef(claim.document_id),
            useRef(claim.job_id), useRef(claim.owner), useRef(claim.claim);
        return update.execute() > 0;
    });
}

bool Store::complete_job(const JobClaim& claim, const JobOutcome& outcome) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            const std::string at = now_iso();
            const std::string state = outcome.done ? "done" : "failed";
            Poco::Data::Statement update(s.session);
            update << s.q(std::string("UPDATE jobs SET state = ?, updated_at = ? WHERE ") + kClaimHolds), useRef(state),
                useRef(at), useRef(claim.job_id), useRef(claim.owner), useRef(claim.claim);
            if (update.execute() == 0) return false;
            if (outcome.done) {
                s << "UPDATE documents SET state = 'done', stage = '', percent = 100, pages = ?, result = ?, reading = ?, "
                     "error_code = '', error_message = '' WHERE id = ?",
                    useRef(outcome.pages), useRef(outcome.result), useRef(outcome.reading), useRef(claim.document_id), now;
            } else {
                s << "UPDATE documents SET state = 'failed', stage = '', error_code = ?, error_message = ? WHERE id = ?",
                    useRef(outcome.error_code), useRef(outcome.error_message), useRef(claim.document_id), now;
            }
            if (outcome.activity) {
                const auto& a = *outcome.activity;
                const std::string day =
                    a.day.empty() ? Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d") : a.day;
                s << "INSERT INTO activity (day, event, station, partner, kind, letter) VALUES (?, ?, ?, ?, ?, ?)",
                    useRef(day), useRef(a.event), useRef(a.station), useRef(a.partner), useRef(a.kind), useRef(a.letter),
                    now;
            }
            return true;
        });
    });
}

std::vector<JobClaim> Store::fail_abandoned_jobs(int64_t stale_before_ms) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            Poco::Data::Statement select(s.session);
            select << s.q(std::string("SELECT ") + kJobColumns +
                          " FROM jobs WHERE state = 'held' AND owner NOT IN (SELECT id FROM instances WHERE seen_ms >= ?) "
                          "ORDER BY id" + (s.postgresql ? " FOR UPDATE SKIP LOCKED" : "")),
                useRef(stale_before_ms);
            select.execute();
            Poco::Data::RecordSet rows(select);
            std::vector<JobClaim> out;
            const std::string at = now_iso();
            const std::string code = "interrupted";
            for (size_t i = 0; i < rows.rowCount(); ++i) {
                JobClaim job = job_from(rows, i);
                const std::string message = "La numérisation ou l'envoi du document a été interrompu (arrêt du serveur) : "
                                            "numérisez-le ou déposez-le à nouveau.";
                s << "UPDATE jobs SET state = 'failed', updated_at = ? WHERE id = ?", useRef(at), useRef(job.job_id), now;
                s << "UPDATE documents SET state = 'failed', stage = '', error_code = ?, error_message = ? WHERE id = ?",
                    useRef(code), useRef(message), useRef(job.document_id), now;
                job.state = "failed";
                out.push_back(job);
            }
            return out;
        });
    });
}

JobCounts Store::job_counts() const {
    return impl_->locked([&](Db& s) {
        JobCounts counts;
        s << "SELECT COUNT(*) FROM jobs WHERE state = 'held'", into(counts.held), now;
        s << "SELECT COUNT(*) FROM jobs WHERE state = 'queued'", into(counts.queued), now;
        s << "SELECT COUNT(*) FROM jobs WHERE state = 'running'", into(counts.running), now;
        return counts;
    });
}

// ---- Instances -----------------------------------------------------------------------------

void Store::heartbeat(const std::string& id, const std::string& host, int64_t pid, int64_t at_ms) {
    impl_->locked([&](Db& s) {
        const std::string at = now_iso();
        s << "INSERT INTO instances (id, host, pid, started_at, seen_ms) VALUES (?, ?, ?, ?, ?) "
             "ON CONFLICT (id) DO UPDATE SET seen_ms = excluded.seen_ms",
            useRef(id), useRef(host), useRef(pid), useRef(at), useRef(at_ms), now;
        return 0;
    });
}

void Store::remove_instance(const std::string& id) {
    impl_->locked([&](Db& s) {
        s << "DELETE FROM instances WHERE id = ?", useRef(id), now;
        return 0;
    });
}

void Store::remove_other_instances(const std::string& id) {
    impl_->locked([&](Db& s) {
        s << "DELETE FROM instances WHERE id <> ?", useRef(id), now;
        return 0;
    });
}

std::vector<InstanceRecord> Store::instances() const {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT i.id, i.host, i.pid, i.started_at, i.seen_ms, "
                      "(SELECT COUNT(*) FROM jobs j WHERE j.owner = i.id AND j.state = 'running') "
                      "FROM instances i ORDER BY i.started_at, i.id");
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<InstanceRecord> out;
        for (size_t i = 0; i < rows.rowCount(); ++i) {
            out.push_back(InstanceRecord{rows.value(0, i).convert<std::string>(), rows.value(1, i).convert<std::string>(),
                                         rows.value(2, i).convert<int64_t>(), rows.value(3, i).convert<std::string>(),
                                         rows.value(4, i).convert<int64_t>(), rows.value(5, i).convert<int>()});
        }
        return out;
    });
}

// ---- Sessions ------------------------------------------------------------------------------

void Store::add_session(const SessionRecord& session) {
    impl_->locked([&](Db& s) {
        SessionRecord r = session;
        if (r.created_at.empty()) r.created_at = now_iso();
        s << "INSERT INTO sessions (token_hash, csrf, login, created_at, seen_s) VALUES (?, ?, ?, ?, ?)",
            useRef(r.token_hash), useRef(r.csrf), useRef(r.login), useRef(r.created_at), useRef(r.seen_s), now;
        return 0;
    });
}

std::optional<SessionRecord> Store::find_session(const std::string& token_hash) const {
    return impl_->locked([&](Db& s) -> std::optional<SessionRecord> {
        Poco::Data::Statement select(s.session);
        select << s.q("SELECT token_hash, csrf, login, created_at, seen_s FROM sessions WHERE token_hash = ?"),
            useRef(token_hash);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() == 0) return std::nullopt;
        return SessionRecord{rows.value(0, 0).convert<std::string>(), rows.value(1, 0).convert<std::string>(),
                             rows.value(2, 0).convert<std::string>(), rows.value(3, 0).convert<std::string>(),
                             rows.value(4, 0).convert<int64_t>()};
    });
}

void Store::touch_session(const std::string& token_hash, int64_t seen_s) {
    impl_->locked([&](Db& s) {
        s << "UPDATE sessions SET seen_s = ? WHERE token_hash = ?", useRef(seen_s), useRef(token_hash), now;
        return 0;
    });
}

void Store::delete_session(const std::string& token_hash) {
    impl_->locked([&](Db& s) {
        s << "DELETE FROM sessions WHERE token_hash = ?", useRef(token_hash), now;
        return 0;
    });
}

void Store::delete_sessions_of(const std::string& login) {
    impl_->locked([&](Db& s) {
        s << "DELETE FROM sessions WHERE login = ?", useRef(login), now;
        return 0;
    });
}

int Store::delete_idle_sessions(int64_t seen_before_s) {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement remove(s.session);
        remove << s.q("DELETE FROM sessions WHERE seen_s < ?"), useRef(seen_before_s);
        return static_cast<int>(remove.execute());
    });
}

}  // namespace comptoir
