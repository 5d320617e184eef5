// The visitors' data at rest in the base: their values sealed (again) with the site's key, the
// write-ahead log emptied after a removal, the files only the service can read.
#include "store_db.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

using namespace Poco::Data::Keywords;

namespace comptoir {
namespace store_detail {

namespace {

// The visitors' values, by table: what is sealed, and with which name in the authenticated data.
struct SealedColumns {
    const char* table;
    std::vector<std::pair<const char*, const char*>> columns;  // column, its name for the AAD
};

const std::vector<SealedColumns>& sealed_columns() {
    static const std::vector<SealedColumns> tables = {
        {"documents",
         {{"filename", "documents.filename"}, {"result", "documents.result"}, {"reading", "documents.reading"}}},
        {"corrections", {{"old_value", "corrections.old_value"}, {"new_value", "corrections.new_value"}}},
    };
    return tables;
}

void make_private(const std::string& path, mode_t mode) {
    if (::chmod(path.c_str(), mode) != 0 && errno != ENOENT) {
        Poco::Logger::get("comptoir.store").warning("droits de " + path + " non restreints au service : chmod " +
                                                    (mode == 0700 ? "700 " : "600 ") + path);
    }
}

}  // namespace

void keep_private(const std::string& data_dir, const std::string& sqlite_path) {
    make_private(data_dir, 0700);
    if (sqlite_path.empty()) return;
    // Made here, 0600, before SQLite makes it with the umask's mode: its -wal and -shm take the
    // base's mode. Those of an older install are narrowed too.
    const int fd = ::open(sqlite_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) make_private(sqlite_path + suffix, 0600);
}

int reseal_values(Db& s) {
    int count = 0;
    for (const auto& table : sealed_columns()) {
        std::vector<int64_t> ids;  // row by row: a reading may be large, the whole table is not loaded
        s << std::string("SELECT id FROM ") + table.table + " ORDER BY id", into(ids), now;
        for (const int64_t id : ids) {
            for (const auto& [column, name] : table.columns) {
                std::string stored;
                s << std::string("SELECT ") + column + " FROM " + table.table + " WHERE id = ?", useRef(id), into(stored),
                    now;
                if (s.crypto.is_current_value(stored)) continue;
                const std::string sealed = s.seal(name, id, s.open(name, id, stored));
                s << std::string("UPDATE ") + table.table + " SET " + column + " = ? WHERE id = ?", useRef(sealed),
                    useRef(id), now;
                ++count;
            }
        }
    }
    return count;
}

void checkpoint(Db& s, bool vacuum) {
    if (s.postgresql) {
        // The old versions of the rows rewritten, out of the tables' files.
        if (vacuum) s << "VACUUM FULL documents, corrections", now;
        return;
    }
    if (vacuum) s << "VACUUM", now;
    int busy = 0, frames = 0, copied = 0;
    s << "PRAGMA wal_checkpoint(TRUNCATE)", into(busy), into(frames), into(copied), now;
    if (busy != 0) Poco::Logger::get("comptoir.store").warning("journal de la base non vidé (base occupée)");
}

}  // namespace store_detail

using namespace store_detail;

void Store::checkpoint() {
    impl_->locked([&](Db& s) {
        store_detail::checkpoint(s, false);
        return 0;
    });
}

int Store::reseal_values() {
    return impl_->locked([&](Db& s) {
        const int count = in_transaction(s, [&] { return store_detail::reseal_values(s); });
        if (count > 0) store_detail::checkpoint(s, true);
        return count;
    });
}

}  // namespace comptoir
