// The shared job queue's costs (issue 14): jobs queued, claimed and finished per second, by
// one instance or by several at once, on SQLite and on PostgreSQL.
//   jobs_bench WORK_DIR JOBS [CONNINFO]   (CONNINFO: a libpq string; empty: SQLite only)
#include "comptoir/cases/store.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void reset_postgresql(const std::string& conninfo) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    Poco::Data::Session session("PostgreSQL", conninfo);
    session << "DROP SCHEMA public CASCADE", Poco::Data::Keywords::now;
    session << "CREATE SCHEMA public", Poco::Data::Keywords::now;
}

// Queues `jobs` readings, then `instances` claimants (each its own connection) drain them.
void run(const std::string& engine, const std::string& dir, const std::string& conninfo, int jobs, int instances) {
    if (engine == "postgresql") reset_postgresql(conninfo);
    const std::string data = dir + "/" + engine + "-" + std::to_string(instances);
    double queue_s = 0;
    {
        comptoir::Store store(data, engine, conninfo);
        const int64_t case_id = store.create_case().id;
        comptoir::DocumentRecord document;
        document.case_id = case_id;
        document.source = "upload";
        const auto start = Clock::now();
        for (int i = 0; i < jobs; ++i) {
            const auto added = store.add_document(document, "maker");
            store.release_job(*store.held_job(added.id, "maker"), "/spool/input.png");
        }
        queue_s = seconds_since(start);
    }
    std::vector<std::unique_ptr<comptoir::Store>> stores;
    for (int i = 0; i < instances; ++i) stores.push_back(std::make_unique<comptoir::Store>(data, engine, conninfo));
    std::atomic<int> done{0};
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < instances; ++i) {
        threads.emplace_back([&, i] {
            auto& store = *stores[static_cast<size_t>(i)];
            const std::string me = "instance-" + std::to_string(i);
            store.heartbeat(me, "bench", i, comptoir::now_ms());
            for (;;) {
                std::optional<comptoir::JobClaim> job;
                try {
                    job = store.claim_job(me, comptoir::now_ms() - 60000);
                } catch (const std::exception&) {
                    continue;  // SQLite between writers: busy, try again
                }
                if (!job) break;
                comptoir::JobOutcome outcome;
                outcome.done = true;
                outcome.result = "{}";
                if (store.complete_job(*job, outcome)) ++done;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    const double drain_s = seconds_since(start);
    std::cout << engine << ", " << instances << " instance(s): " << jobs << " jobs queued in " << queue_s * 1000 << " ms ("
              << static_cast<int>(jobs / queue_s) << "/s), claimed and finished in " << drain_s * 1000 << " ms ("
              << static_cast<int>(done / drain_s) << "/s), finished " << done << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: jobs_bench WORK_DIR JOBS [CONNINFO]\n";
        return 2;
    }
    const std::string dir = argv[1];
    const int jobs = std::stoi(argv[2]);
    const std::string conninfo = argc > 3 ? argv[3] : "";
    run("sqlite", dir, "", jobs, 1);
    if (!conninfo.empty()) {
        for (int instances : {1, 2, 4}) run("postgresql", dir, conninfo, jobs, instances);
    }
    return 0;
}
