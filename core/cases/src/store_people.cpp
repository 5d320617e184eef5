#include "store_db.hpp"

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace comptoir {

using namespace store_detail;

// ---- Accounts ------------------------------------------------------------------------------

UserRecord Store::add_user(const UserRecord& user, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            UserRecord u = user;
            u.created_at = now_iso();
            int taken = 0;
            s << "SELECT COUNT(*) FROM users WHERE login = ?", useRef(u.login), into(taken), now;
            if (taken > 0) throw Error("login_taken", "Cet identifiant existe déjà.");
            s << "INSERT INTO users (login, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                useRef(u.login), useRef(u.role), useRef(u.password_hash), useRef(u.created_at), into(u.id), now;
            write_audit(s, audit, 0);
            return u;
        });
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

bool Store::delete_user(const std::string& login, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            Poco::Data::Statement remove(s.session);
            remove << s.q("DELETE FROM users WHERE login = ?"), useRef(login);
            const bool removed = remove.execute() > 0;
            if (removed) write_audit(s, audit, 0);
            return removed;
        });
    });
}

bool Store::set_password_hash(const std::string& login, const std::string& hash, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            Poco::Data::Statement update(s.session);
            update << s.q("UPDATE users SET password_hash = ? WHERE login = ?"), useRef(hash), useRef(login);
            const bool changed = update.execute() > 0;
            if (changed) write_audit(s, audit, 0);
            return changed;
        });
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

std::map<int64_t, CaseHands> Store::case_hands(const std::vector<int64_t>& case_ids) const {
    std::map<int64_t, CaseHands> out;
    if (case_ids.empty()) return out;
    std::string ids;  // numbers only: nothing a client typed
    for (const int64_t id : case_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement select(s.session);
        select << "SELECT case_id, login, action, at FROM audit WHERE action IN ('case.open', 'case.take') AND case_id IN (" +
                      ids + ") ORDER BY id";
        select.execute();
        Poco::Data::RecordSet rows(select);
        for (size_t i = 0; i < rows.rowCount(); ++i) {
            const auto id = rows.value(0, i).convert<int64_t>();
            const auto login = rows.value(1, i).convert<std::string>();
            const auto action = rows.value(2, i).convert<std::string>();
            if (action == "case.open") out[id].opened_by = login;
            if (action == "case.take" && out.count(id) == 0) continue;
            out[id].held_by = login;
            out[id].held_since = rows.value(3, i).convert<std::string>();
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

void Store::delete_other_sessions(const std::string& login, const std::string& keep_token_hash) {
    impl_->locked([&](Db& s) {
        s << "DELETE FROM sessions WHERE login = ? AND token_hash <> ?", useRef(login), useRef(keep_token_hash), now;
        return 0;
    });
}

// ---- Sign-in failures ----------------------------------------------------------------------

bool Store::update_attempts(const std::vector<std::string>& keys,
                            const std::function<bool(std::vector<AttemptCounter>&)>& decide) {
    std::vector<std::string> sorted = keys;  // locked in one order: two instances never wait on each other
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            std::vector<AttemptCounter> counters;
            for (const auto& key : sorted) {
                s << "INSERT INTO sign_in_failures (key, failures, first_s, until_s) VALUES (?, 0, 0, 0) "
                     "ON CONFLICT (key) DO NOTHING",
                    useRef(key), now;
                AttemptCounter counter;
                counter.key = key;
                Poco::Data::Statement select(s.session);
                select << s.q(std::string("SELECT failures, first_s, until_s FROM sign_in_failures WHERE key = ?") +
                              (s.postgresql ? " FOR UPDATE" : "")),
                    useRef(key), into(counter.failures), into(counter.first_s), into(counter.until_s);
                select.execute();
                counters.push_back(counter);
            }
            std::vector<AttemptCounter> decided = counters;
            const bool changed = decide(decided);
            for (const auto& counter : changed ? decided : counters) {
                if (counter.failures <= 0 && counter.until_s <= 0) {
                    s << "DELETE FROM sign_in_failures WHERE key = ?", useRef(counter.key), now;
                } else if (changed) {
                    s << "UPDATE sign_in_failures SET failures = ?, first_s = ?, until_s = ? WHERE key = ?",
                        useRef(counter.failures), useRef(counter.first_s), useRef(counter.until_s), useRef(counter.key),
                        now;
                }
            }
            return changed;
        });
    });
}

int Store::purge_attempts(int64_t window_start_s, int64_t now_s) {
    return impl_->locked([&](Db& s) {
        Poco::Data::Statement remove(s.session);
        remove << s.q("DELETE FROM sign_in_failures WHERE first_s < ? AND until_s <= ?"), useRef(window_start_s),
            useRef(now_s);
        return static_cast<int>(remove.execute());
    });
}

}  // namespace comptoir
