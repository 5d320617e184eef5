// The store's insides, shared by its sources (store.cpp: the schema, cases, documents, letters;
// store_jobs.cpp: jobs and instances; store_people.cpp: accounts, sessions, audit, activity).
// Private to the cases module.
#pragma once

#include "comptoir/cases/store.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/time.hpp"

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

#include <mutex>

namespace comptoir {
namespace store_detail {

// What the store's statements go through: Poco's session, with the SQL's `?` placeholders
// turned into PostgreSQL's `$1, $2…` when that is the database.
struct Db {
    Poco::Data::Session& session;
    bool postgresql;
    // The visitors' values (documents.filename, result, reading; corrections' old and new
    // values) are sealed with the site's key, authenticated with their column and row: a value
    // copied to another row or column no longer opens.
    const SpoolCrypto& crypto;

    static std::string aad(const char* column, int64_t id) { return std::string(column) + "#" + std::to_string(id); }
    std::string seal(const char* column, int64_t id, const std::string& value) const {
        return crypto.seal_value(value, aad(column, id));
    }
    std::string open(const char* column, int64_t id, const std::string& value) const {
        return crypto.open_value(value, aad(column, id));
    }

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

std::unique_ptr<Poco::Data::Session> open_postgresql(const std::string& connection);
DocumentRecord document_from(const Db& s, const Poco::Data::RecordSet& rows, size_t row);
CaseRecord case_from(const Poco::Data::RecordSet& rows, size_t row);
LetterRecord letter_from(const Poco::Data::RecordSet& rows, size_t row);

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

// The audit line of an action, in the action's transaction (nothing when no action is named).
void write_audit(Db& s, const AuditEntry& entry, int64_t case_id);

// A step of migrations() that is C++, not SQL: the visitors' values sealed (reseal_values).
inline constexpr const char* kSealValuesStep = "-- comptoir: seal the visitors' values";

// `data_dir` 0700; the SQLite base (made if new) and its -wal and -shm 0600 ("": PostgreSQL).
void keep_private(const std::string& data_dir, const std::string& sqlite_path);

// Every visitor's value of the base sealed again with the current key (clear ones, or sealed
// with the previous key); returns how many. The migration to sealed values and `admin rekey`.
int reseal_values(Db& s);
// SQLite: the write-ahead log copied into the base and emptied (what a removal left there is
// gone); after a migration, the file rebuilt too (VACUUM). PostgreSQL: nothing / VACUUM FULL.
void checkpoint(Db& s, bool vacuum);

}  // namespace store_detail

using store_detail::Db;

struct Store::Impl {
    // One session behind a mutex keeps Poco::Data's session (not thread-safe) to one thread at
    // a time: SQLite serialises writers anyway, and PostgreSQL's work here is short statements.
    mutable std::mutex mutex;
    mutable std::unique_ptr<Poco::Data::Session> session;
    SpoolCrypto crypto;  // the visitors' values: sealed with it
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
                session = store_detail::open_postgresql(connection);
                suspect = false;
            } catch (const Poco::Exception& error) {
                const std::string text = error.displayText();
                Poco::Logger::get("comptoir.store").error("base de données injoignable : " + text.substr(0, text.find('\n')));
                throw Error("store", "La base de données des dossiers est injoignable : réessayez dans un instant ; si "
                                     "cela dure, prévenez l'administrateur du site.");
            }
        }
        Db db{*session, postgresql, crypto};
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

}  // namespace comptoir
