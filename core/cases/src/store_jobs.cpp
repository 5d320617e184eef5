#include "store_db.hpp"

using namespace Poco::Data::Keywords;

namespace comptoir {

using namespace store_detail;

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

std::optional<JobClaim> Store::hold_again(int64_t document_id, const std::string& holder, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&]() -> std::optional<JobClaim> {
            const std::string at = now_iso();
            Poco::Data::Statement update(s.session);
            update << s.q("UPDATE jobs SET state = 'held', owner = ?, attempts = 0, updated_at = ? "
                          "WHERE document_id = ? AND state IN ('done', 'failed')"),
                useRef(holder), useRef(at), useRef(document_id);
            if (update.execute() == 0) return std::nullopt;
            s << "UPDATE documents SET state = 'scanning', stage = 'scan', percent = 0, page = 0 WHERE id = ?",
                useRef(document_id), now;
            Poco::Data::Statement select(s.session);
            select << s.q(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE document_id = ?"), useRef(document_id);
            select.execute();
            Poco::Data::RecordSet rows(select);
            if (rows.rowCount() == 0) return std::nullopt;
            JobClaim job = job_from(rows, 0);
            write_audit(s, audit, job.case_id);
            return job;
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
                const std::string result = s.seal("documents.result", claim.document_id, outcome.result);
                const std::string reading = s.seal("documents.reading", claim.document_id, outcome.reading);
                s << "UPDATE documents SET state = 'done', stage = '', percent = 100, pages = ?, result = ?, reading = ?, "
                     "error_code = '', error_message = '' WHERE id = ?",
                    useRef(outcome.pages), useRef(result), useRef(reading), useRef(claim.document_id), now;
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

// ---- Documents read again, removed -------------------------------------------------------

namespace {

// Whether a document's job leaves it alone: none (read before jobs were rows), done or failed.
// Held, queued or running: it is being scanned, sent or read. On PostgreSQL the rows are locked
// until the transaction ends: a claim skips them, a second request waits, then sees the change.
bool at_rest(Db& s, int64_t document_id) {
    Poco::Data::Statement select(s.session);
    select << s.q(std::string("SELECT id FROM jobs WHERE document_id = ? AND state IN ('held', 'queued', 'running')") +
                  (s.postgresql ? " FOR UPDATE" : "")),
        useRef(document_id);
    select.execute();
    return Poco::Data::RecordSet(select).rowCount() == 0;
}

// The document's state and whether it has its file, locked likewise; nullopt when it is not
// the case's.
std::optional<std::pair<std::string, bool>> document_state(Db& s, int64_t case_id, int64_t document_id) {
    Poco::Data::Statement select(s.session);
    select << s.q(std::string("SELECT state, input_path FROM documents WHERE id = ? AND case_id = ?") +
                  (s.postgresql ? " FOR UPDATE" : "")),
        useRef(document_id), useRef(case_id);
    select.execute();
    Poco::Data::RecordSet rows(select);
    if (rows.rowCount() == 0) return std::nullopt;
    return std::make_pair(rows.value(0, 0).convert<std::string>(), !rows.value(1, 0).convert<std::string>().empty());
}

}  // namespace

bool Store::requeue_document(int64_t case_id, int64_t document_id, const std::string& reading_options,
                             bool drop_corrections, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            const auto document = document_state(s, case_id, document_id);
            if (!document || !document->second || (document->first != "done" && document->first != "failed")) return false;
            if (!at_rest(s, document_id)) return false;
            s << "UPDATE documents SET state = 'queued', stage = '', percent = 0, page = 0, error_code = '', "
                 "error_message = '', reading_options = ? WHERE id = ?",
                useRef(reading_options), useRef(document_id), now;
            const std::string at = now_iso();
            Poco::Data::Statement job(s.session);
            job << s.q("UPDATE jobs SET state = 'queued', owner = '', attempts = 0, updated_at = ? WHERE document_id = ?"),
                useRef(at), useRef(document_id);
            if (job.execute() == 0) {
                s << "INSERT INTO jobs (document_id, case_id, state, created_at) VALUES (?, ?, 'queued', ?)",
                    useRef(document_id), useRef(case_id), useRef(at), now;
            }
            if (drop_corrections) s << "DELETE FROM corrections WHERE document_id = ?", useRef(document_id), now;
            write_audit(s, audit, case_id);
            return true;
        });
    });
}

bool Store::delete_document(int64_t case_id, int64_t document_id, const AuditEntry& audit) {
    return impl_->locked([&](Db& s) {
        return in_transaction(s, [&] {
            if (!document_state(s, case_id, document_id) || !at_rest(s, document_id)) return false;
            s << "DELETE FROM corrections WHERE document_id = ?", useRef(document_id), now;
            s << "DELETE FROM letters WHERE case_id = ? AND document_id = ?", useRef(case_id), useRef(document_id), now;
            s << "DELETE FROM jobs WHERE document_id = ?", useRef(document_id), now;
            s << "DELETE FROM documents WHERE id = ?", useRef(document_id), now;
            write_audit(s, audit, case_id);
            return true;
        });
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

}  // namespace comptoir
