#include "comptoir/desk.hpp"

#include "comptoir/config.hpp"
#include "comptoir/error.hpp"
#include "comptoir/image.hpp"
#include "comptoir/input.hpp"
#include "comptoir/letter_desk.hpp"
#include "comptoir/plugin_host.hpp"
#include "comptoir/scanners.hpp"
#include "comptoir/layout.hpp"
#include "event_relay.hpp"

#include <leptonica/allheaders.h>

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/Environment.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/UUIDGenerator.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <regex>
#include <sstream>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

std::string iso(const Poco::Timestamp& at) { return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ"); }

constexpr const char* kSystem = "système";  // who the purge is, in the audit log

// The format of an upload from its first bytes; empty when it is not one the desk reads.
std::string format_of(const std::string& content) {
    const auto starts = [&](const std::string& magic) { return content.compare(0, magic.size(), magic) == 0; };
    if (starts("\x89PNG\r\n\x1a\n")) return "png";
    if (starts("\xff\xd8\xff")) return "jpg";
    if (starts(std::string("II*\0", 4)) || starts(std::string("MM\0*", 4))) return "tif";
    if (starts("%PDF-")) return "pdf";
    return "";
}

// The name the browser gave, without its folders, of a reasonable length, for display only.
std::string display_name(const std::string& filename) {
    std::string name = Poco::Path(filename).getFileName();
    if (name.size() > 120) name = name.substr(0, 120);
    return name;
}

Poco::JSON::Object::Ptr parse_object(const std::string& json) {
    if (json.empty()) return new Poco::JSON::Object;
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// A corrected value in the canonical form of its type (docs/formats.md), from what a mediator types.
std::string normalised(const std::string& type, const std::string& typed) {
    namespace layout = comptoir::sdk::layout;
    std::string value = typed;
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    if (type == "amount") {
        if (auto amount = layout::parse_amount(value)) return *amount;
        throw BadRequestError("invalid_value", "Montant illisible : écrivez-le comme « 1479,85 ».");
    }
    if (type == "date") {
        if (std::regex_match(value, std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}"))) return value;
        if (auto date = layout::parse_date(value)) return *date;
        throw BadRequestError("invalid_value", "Date illisible : écrivez-la comme « 29/01/2021 ».");
    }
    if (type == "identifier" || type == "count") {
        value.erase(std::remove(value.begin(), value.end(), ' '), value.end());
        if (type == "count" && !std::regex_match(value, std::regex("[0-9]+"))) {
            throw BadRequestError("invalid_value", "Un nombre entier est attendu.");
        }
        return value;
    }
    if (type == "decimal") {
        std::replace(value.begin(), value.end(), ',', '.');
        if (!std::regex_match(value, std::regex("[0-9]+(\\.[0-9]+)?"))) {
            throw BadRequestError("invalid_value", "Un nombre est attendu, comme « 2,5 ».");
        }
        return value;
    }
    return std::regex_replace(value, std::regex("\\s+"), " ");
}

}  // namespace

std::vector<scanners::StationSettings> station_settings(const Config& config) {
    std::vector<scanners::StationSettings> out;
    for (const auto& station : config.stations()) {
        scanners::StationSettings settings;
        settings.id = station.id;
        settings.label = station.label;
        settings.device = station.device;
        settings.match = station.match;
        settings.resolution_dpi = station.resolution_dpi;
        settings.mode = station.mode;
        settings.source = station.source;
        settings.preview_resolution_dpi = station.preview_resolution_dpi;
        settings.options = station.options;
        out.push_back(std::move(settings));
    }
    return out;
}

// ---- EventHub ------------------------------------------------------------------------------

void EventHub::publish(int64_t case_id, const std::string& type, const std::string& json, bool forward) {
    std::function<void(int64_t, const std::string&, const std::string&)> forwarder;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto clock = static_cast<uint64_t>(Poco::Timestamp().epochMicroseconds());
        next_seq_ = std::max(next_seq_, clock);
        events_.push_back(DeskEvent{next_seq_++, case_id, type, json});
        while (events_.size() > kKeep) events_.pop_front();
        if (forward) forwarder = forwarder_;
    }
    changed_.notify_all();
    if (forwarder) forwarder(case_id, type, json);
}

void EventHub::set_forwarder(std::function<void(int64_t, const std::string&, const std::string&)> forwarder) {
    std::lock_guard<std::mutex> lock(mutex_);
    forwarder_ = std::move(forwarder);
}

std::vector<DeskEvent> EventHub::wait(int64_t case_id, uint64_t after_seq, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::vector<DeskEvent> found;
    const auto collect = [&] {
        found.clear();
        for (const auto& event : events_) {
            if (event.case_id == case_id && event.seq > after_seq) found.push_back(event);
        }
        return closed_ || !found.empty();
    };
    changed_.wait_for(lock, timeout, collect);
    if (closed_) found.clear();
    return found;
}

void EventHub::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

bool EventHub::open_stream(int limit) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || streams_ >= limit) return false;
    ++streams_;
    return true;
}

void EventHub::close_stream() {
    std::lock_guard<std::mutex> lock(mutex_);
    --streams_;
}

bool EventHub::closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
}

// ---- Desk ----------------------------------------------------------------------------------

Desk::Desk(const Config& config, const PluginRegistry& plugins, scanners::Stations* stations)
    : config_(config),
      plugins_(plugins),
      stations_(stations),
      crypto_(SpoolCrypto::from_config(config)),
      store_(config.data_dir(), config.database_engine(), config.database_connection()),
      accounts_(store_, [&] {
          Accounts::Limits limits;
          limits.idle = std::chrono::minutes(config.auth_idle_minutes());
          return limits;
      }()),
      letters_(std::make_unique<LetterDesk>(config, plugins)),
      pipeline_(std::make_unique<Pipeline>(config, plugins)) {
    limits_.max_bytes = config.upload_max_bytes();
    // The demo's mediator (accounts.demo = login:password), made once.
    const std::string demo = config.accounts_demo();
    if (const auto colon = demo.find(':'); colon != std::string::npos && !accounts_.find(demo.substr(0, colon))) {
        accounts_.create(demo.substr(0, colon), "mediator", demo.substr(colon + 1));
    }
    if (!crypto_.enabled()) log().warning("chiffrement des fichiers désactivé (storage.encryption = off)");
    clock_ = [] { return Poco::Timestamp(); };
    host_ = Poco::Environment::nodeName();
    instance_id_ = host_ + ":" + std::to_string(Poco::Process::id()) + ":" +
                   Poco::UUIDGenerator::defaultGenerator().createRandom().toString().substr(0, 8);
    const bool sqlite = config.database_engine() != "postgresql";
    if (sqlite) lock_data_dir();
    store_.heartbeat(instance_id_, host_, Poco::Process::id(), now_ms());
    // SQLite: this is the folder's only server, so whoever held jobs before has stopped; their
    // readings are taken again at once, their unfinished scans and uploads failed. PostgreSQL:
    // the others are running or will be taken for stopped after cluster.lease_seconds.
    if (sqlite) store_.remove_other_instances(instance_id_);
    if (!sqlite) {
        relay_ = std::make_unique<EventRelay>(config.database_connection(), instance_id_, events_);
        events_.set_forwarder([this](int64_t case_id, const std::string& type, const std::string& json) {
            relay_->send(case_id, type, json);
        });
    }
    fail_abandoned();
    // Files that no row owns (a stop between a file and its row): removed. On PostgreSQL
    // another instance may be writing one right now: only old ones go.
    sweep_spool(sqlite ? 0 : 600);
    // Reading waits on the OCR pool and scanning on the stations' own threads: a few job
    // threads keep every engine and every station busy.
    const int threads = std::max(2, config.ocr_engines() + 1);
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { run_jobs(); });
    retention_thread_ = std::thread([this] { run_retention(); });
    cluster_thread_ = std::thread([this] { run_cluster(); });
}

Desk::~Desk() {
    {
        std::lock_guard<std::mutex> lock(retention_mutex_);
        retention_stop_ = true;
    }
    retention_wake_.notify_all();
    if (retention_thread_.joinable()) retention_thread_.join();
    {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        stopping_ = true;
    }
    jobs_changed_.notify_all();
    cluster_wake_.notify_all();
    for (auto& worker : workers_) worker.join();
    if (cluster_thread_.joinable()) cluster_thread_.join();
    events_.set_forwarder(nullptr);
    relay_.reset();
    try {
        store_.remove_instance(instance_id_);  // its jobs are all finished: nothing to take over
    } catch (const std::exception&) {
    }
    events_.shutdown();
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Desk::lock_data_dir() {
    const std::string path = Poco::Path(config_.data_dir()).append("comptoir.lock").toString();
    lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) throw Error("store", "Le dossier des données " + config_.data_dir() + " est inutilisable.");
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
        throw Error("store", "Un autre serveur Comptoir utilise déjà le dossier " + config_.data_dir() +
                                 " : avec SQLite, un seul serveur par dossier de données. Pour plusieurs "
                                 "instances, passez à PostgreSQL (database.engine = postgresql).");
    }
}

void Desk::poke() {
    {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        ++pokes_;
    }
    jobs_changed_.notify_one();
}

void Desk::fail_abandoned() {
    const int64_t stale = now_ms() - int64_t{1000} * config_.cluster_lease_seconds();
    for (const auto& job : store_.fail_abandoned_jobs(stale)) {
        log().warning("dossier " + std::to_string(job.case_id) + " : document " + std::to_string(job.document_id) +
                      " interrompu par l'arrêt d'une instance");
        events_.publish(job.case_id, "document",
                        "{\"document\": " + std::to_string(job.document_id) + ", \"state\": \"failed\"}");
    }
}

void Desk::run_cluster() {
    const auto period = std::chrono::seconds(config_.cluster_heartbeat_seconds());
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(jobs_mutex_);
            if (cluster_wake_.wait_for(lock, period, [&] { return stopping_; })) return;
        }
        try {
            store_.heartbeat(instance_id_, host_, Poco::Process::id(), now_ms());
            fail_abandoned();
        } catch (const std::exception& error) {
            log().error(std::string("signe de vie dans la base en échec : ") + error.what());
        }
    }
}

void Desk::enqueue(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        jobs_.push_back(std::move(job));
    }
    jobs_changed_.notify_one();
}

// A worker runs this process's own tasks (scans: a station is this process's) first, then
// the readings queued in the base by any instance; with nothing to do it waits for a poke or
// looks again after cluster.poll_ms.
void Desk::run_jobs() {
    const auto poll = std::chrono::milliseconds(config_.cluster_poll_ms());
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(jobs_mutex_);
            if (jobs_.empty() && stopping_) return;  // readings left queued: for the next start or another instance
            if (!jobs_.empty()) {
                task = std::move(jobs_.front());
                jobs_.pop_front();
            }
            ++running_;
        }
        bool worked = true;
        if (task) {
            task();
        } else {
            try {
                worked = claim_and_read();
            } catch (const std::exception& error) {
                worked = false;
                log().error(std::string("file des lectures inaccessible : ") + error.what());
            }
        }
        {
            std::lock_guard<std::mutex> lock(jobs_mutex_);
            --running_;
        }
        jobs_changed_.notify_all();
        if (!worked) {
            std::unique_lock<std::mutex> lock(jobs_mutex_);
            jobs_changed_.wait_for(lock, poll, [&] { return stopping_ || !jobs_.empty() || pokes_ > 0; });
            if (pokes_ > 0) --pokes_;
        }
    }
}

bool Desk::claim_and_read() {
    const int64_t stale = now_ms() - int64_t{1000} * config_.cluster_lease_seconds();
    const auto claim = store_.claim_job(instance_id_, stale);
    if (!claim) return false;
    const auto document = store_.find_document(claim->case_id, claim->document_id);
    if (!document) return true;  // its case is being forgotten
    if (claim->attempts > 1) {
        log().warning("dossier " + std::to_string(claim->case_id) + " : document " + std::to_string(claim->document_id) +
                      " repris (essai " + std::to_string(claim->attempts) + ")");
    }
    if (claim->attempts > config_.jobs_max_attempts()) {
        // Each try ended with its instance: the document itself may be what stops them.
        JobOutcome outcome;
        outcome.error_code = "reading_crashed";
        outcome.error_message = "La lecture de ce document a été interrompue " + std::to_string(claim->attempts - 1) +
                                " fois : il n'est plus relu. Saisissez les champs à la main ou numérisez-le autrement.";
        outcome.activity = ActivityRecord{"", "unread", document->source == "scan" ? document->station : "dépôt", "", "", ""};
        finish(*document, *claim, outcome);
        return true;
    }
    read_document(*document, *claim);
    return true;
}

void Desk::wait_idle() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(jobs_mutex_);
            jobs_changed_.wait(lock, [&] { return jobs_.empty() && running_ == 0; });
        }
        const auto counts = store_.job_counts();
        if (counts.queued == 0 && counts.running == 0) {
            std::lock_guard<std::mutex> lock(jobs_mutex_);
            if (jobs_.empty() && running_ == 0) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::pair<int, int> Desk::jobs() const {
    int queued = 0;
    try {
        queued = store_.job_counts().queued;
    } catch (const std::exception&) {
    }
    std::lock_guard<std::mutex> lock(jobs_mutex_);
    // Running: the workers at work, one looking at the queue in the base included.
    return {static_cast<int>(jobs_.size()) + queued, running_};
}

void Desk::announce(const DocumentRecord& document, const std::string& state) {
    events_.publish(document.case_id, "document",
                    "{\"document\": " + std::to_string(document.id) + ", \"state\": \"" + state + "\"}");
}

void Desk::report(const DocumentRecord& document, const JobClaim& claim, const std::string& state, const std::string& stage,
                  int percent, int page, int pages) {
    if (!store_.job_progress(claim, state, stage, percent, page, pages)) return;  // the job is no longer ours
    Poco::JSON::Object event;
    event.set("document", document.id);
    event.set("state", state);
    event.set("stage", stage);
    event.set("percent", percent);
    event.set("page", page);
    event.set("pages", pages);
    events_.publish(document.case_id, "progress", stringify(event));
}

CaseRecord Desk::open_case() {
    CaseRecord record = store_.create_case();
    store_.record_activity(ActivityRecord{"", "case", "", "", "", ""});
    log().information("dossier " + std::to_string(record.id) + " ouvert");
    return record;
}

CaseRecord Desk::case_of(int64_t case_id) const {
    auto record = store_.find_case(case_id);
    if (!record) throw NotFoundError("case_not_found", "Ce dossier n'existe pas (ou plus).");
    return *record;
}

void Desk::require_open(int64_t case_id) const {
    if (!case_of(case_id).closed_at.empty()) {
        throw StatusError(409, "case_closed", "Ce dossier est clos : ouvrez un nouveau dossier.");
    }
}

void Desk::close_case(int64_t case_id) {
    case_of(case_id);
    store_.close_case(case_id);
    events_.publish(case_id, "closed", "{\"case\": " + std::to_string(case_id) + "}");
}

DocumentRecord Desk::document_of(int64_t case_id, int64_t document_id) const {
    case_of(case_id);
    auto record = store_.find_document(case_id, document_id);
    if (!record) throw NotFoundError("document_not_found", "Ce document n'existe pas dans ce dossier.");
    return *record;
}

DocumentRecord Desk::upload(int64_t case_id, const std::string& filename, const std::string& content) {
    require_open(case_id);
    if (content.empty()) throw InputError("empty_file", "Le fichier est vide.");
    if (static_cast<int64_t>(content.size()) > limits_.max_bytes) {
        throw StatusError(413, "too_large", "Le fichier est trop volumineux (" + std::to_string(limits_.max_bytes / (1024 * 1024)) +
                                                " Mo au plus).");
    }
    const std::string format = format_of(content);
    if (format.empty()) {
        throw StatusError(415, "unsupported_format",
                          "Ce type de fichier n'est pas lu : déposez une image (PNG, JPEG, TIFF) ou un PDF.");
    }
    DocumentRecord document;
    document.case_id = case_id;
    document.source = "upload";
    document.filename = display_name(filename);
    document = store_.add_document(document, instance_id_);
    const auto held = store_.held_job(document.id, instance_id_);
    const std::string path = Poco::Path(store_.document_dir(case_id, document.id)).append("input." + format).toString();
    try {
        crypto_.write_file(path, content);
    } catch (const Error& error) {
        JobOutcome outcome;
        outcome.error_code = error.code();
        outcome.error_message = error.what();
        if (held) store_.complete_job(*held, outcome);
        throw;
    }
    if (discard_if_forgotten(case_id)) throw NotFoundError("case_not_found", "Ce dossier vient d'être effacé.");
    if (!held || !store_.release_job(*held, path)) {
        throw StatusError(503, "interrupted", "Le dépôt a été interrompu : déposez le document à nouveau.");
    }
    events_.publish(case_id, "progress",
                    "{\"document\": " + std::to_string(document.id) + ", \"state\": \"queued\", \"stage\": \"\", "
                    "\"percent\": 0, \"page\": 0, \"pages\": 0}");
    poke();
    return document_of(case_id, document.id);
}

bool Desk::station_busy(const std::string& station_id) const {
    std::lock_guard<std::mutex> lock(jobs_mutex_);
    return busy_stations_.count(station_id) > 0;
}

DocumentRecord Desk::scan(int64_t case_id, const std::string& station_id) {
    require_open(case_id);
    if (!stations_) throw StatusError(503, "no_scanner", "Aucun poste de numérisation n'est configuré sur ce site.");
    bool known = false;
    for (const auto& station : config_.stations()) known |= station.id == station_id;
    if (!known) throw NotFoundError("station_not_found", "Ce poste de numérisation n'existe pas.");
    {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        if (!busy_stations_.insert(station_id).second) {
            throw StatusError(409, "station_busy",
                              "Le scanner de ce poste est déjà en train de numériser : attendez la fin, puis recommencez.");
        }
    }
    DocumentRecord document;
    document.case_id = case_id;
    document.source = "scan";
    document.station = station_id;
    document.state = "scanning";
    std::optional<JobClaim> held;
    try {
        document = store_.add_document(document, instance_id_);
        held = store_.held_job(document.id, instance_id_);
        if (!held) throw Error("store", "La numérisation n'a pas pu être enregistrée.");
    } catch (...) {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        busy_stations_.erase(station_id);
        throw;
    }
    report(document, *held, "scanning", "scan", 0, 1, 0);
    enqueue([this, document, held] { scan_document(document, *held); });
    return document_of(case_id, document.id);
}

std::string Desk::preview(const std::string& station_id) {
    if (!stations_) throw StatusError(503, "no_scanner", "Aucun poste de numérisation n'est configuré sur ce site.");
    {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        if (!busy_stations_.insert(station_id).second) {
            throw StatusError(409, "station_busy", "Le scanner de ce poste est déjà en train de numériser.");
        }
    }
    struct Release {
        Desk* desk;
        std::string id;
        ~Release() {
            std::lock_guard<std::mutex> lock(desk->jobs_mutex_);
            desk->busy_stations_.erase(id);
        }
    } release{this, station_id};
    try {
        auto pages = stations_->scan(station_id, true).get();
        if (pages.empty()) throw InputError("empty_scan", "Le scanner n'a rien envoyé.");
        return pix_to_png(pages.front().image.get());
    } catch (const scanners::ScanError& error) {
        if (error.code() == "station_not_found") throw NotFoundError(error.code(), error.what());
        throw StatusError(error.code() == "device_busy" ? 409 : 502, error.code(), error.what());
    }
}

void Desk::scan_document(DocumentRecord document, JobClaim held) {
    const auto release = [&] {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        busy_stations_.erase(document.station);
    };
    std::vector<scanners::ScannedPage> pages;
    std::string interrupted;
    try {
        int last_percent = -1;
        int last_page = 0;
        auto future = stations_->scan(document.station, false, [&](const scanners::ScanProgress& progress) {
            // The scan is the first third of the work; the reading the rest. Told once per step.
            const int percent = progress.percent < 0 ? 0 : progress.percent * 30 / 100;
            if (percent == last_percent && progress.page == last_page) return;
            last_percent = percent;
            last_page = progress.page;
            report(document, held, "scanning", "scan", percent, progress.page, 0);
        });
        pages = future.get();
    } catch (const scanners::ScanError& error) {
        if (error.pages_before && !error.pages_before->empty()) {
            pages = std::move(*error.pages_before);  // the sheets scanned before the fault are kept
            interrupted = error.what();
        } else {
            release();
            finish(document, held, JobOutcome{false, "", "", 0, error.code(), error.what(), std::nullopt});
            return;
        }
    } catch (const std::exception&) {
        release();
        finish(document, held,
               JobOutcome{false, "", "", 0, "scan_failed", "La numérisation a échoué : réessayez.", std::nullopt});
        return;
    }
    release();
    if (pages.empty()) {
        finish(document, held,
               JobOutcome{false, "", "", 0, "empty_scan", "Le scanner n'a envoyé aucune page : vérifiez la feuille.",
                          std::nullopt});
        return;
    }
    // One document, one file: the pages as a multi-page TIFF (lossless), which the pipeline reads.
    const std::string path =
        Poco::Path(store_.document_dir(document.case_id, document.id)).append("input.tif").toString();
    try {
        PIXA* pixa = pixaCreate(static_cast<l_int32>(pages.size()));
        for (auto& page : pages) pixaAddPix(pixa, page.image.get(), L_COPY);
        l_uint8* data = nullptr;
        size_t size = 0;
        const bool encoded = pixaWriteMemMultipageTiff(&data, &size, pixa) == 0;
        pixaDestroy(&pixa);
        if (!encoded) throw Error("spool_failed", "Les pages numérisées n'ont pas pu être enregistrées.");
        std::string tiff(reinterpret_cast<const char*>(data), size);
        lept_free(data);
        crypto_.write_file(path, tiff);
    } catch (const Error&) {
        finish(document, held,
               JobOutcome{false, "", "", 0, "spool_failed", "Les pages numérisées n'ont pas pu être enregistrées.",
                          std::nullopt});
        return;
    }
    if (discard_if_forgotten(document.case_id)) return;
    if (!interrupted.empty()) log().warning("document " + std::to_string(document.id) + " : numérisation interrompue, pages gardées");
    // The pages are in the spool: their reading is a job any instance may take.
    if (store_.release_job(held, path)) poke();
}

void Desk::finish(const DocumentRecord& document, const JobClaim& claim, const JobOutcome& outcome) {
    if (!store_.complete_job(claim, outcome)) {
        // Taken for stopped while it worked, another instance took the job over: its result stands.
        log().warning("document " + std::to_string(document.id) + " : repris par une autre instance, résultat écarté");
        return;
    }
    announce(document, outcome.done ? "done" : "failed");
}

void Desk::read_document(DocumentRecord document, const JobClaim& claim) {
    const bool scanned = document.source == "scan";
    const std::string station = scanned ? document.station : "dépôt";
    JobOutcome outcome;
    try {
        ProcessOptions options;
        options.threshold = config_.recognition_threshold();
        options.progress = [&](const std::string& stage, uint32_t page, uint32_t pages) {
            const int from = scanned ? 30 : 0;
            int percent = from;
            if (stage == "ocr" && pages > 0) percent = from + static_cast<int>((95 - from) * page / pages);
            if (stage == "extract") percent = 95;
            report(document, claim, "reading", stage, percent, static_cast<int>(page), static_cast<int>(pages));
        };
        report(document, claim, "reading", "load", scanned ? 30 : 0, 0, 0);
        const std::string name = scanned ? "scan-" + document.station : document.filename;
        ProcessResult result = pipeline_->process_data(crypto_.read_file(document.input_path), name, options);
        result.file = name;
        if (discard_if_forgotten(document.case_id)) return;
        ActivityRecord activity{"", result.error ? "unread" : "document", station, "", "", ""};
        if (result.error) {
            outcome.error_code = result.error->code;
            outcome.error_message = result.error->message;
        } else {
            outcome.done = true;
            outcome.result = to_json_line(result);
            outcome.reading = result.document ? result.document->to_json() : "";
            outcome.pages = static_cast<int>(result.pages);
            if (result.recognition.document) {
                activity.partner = result.recognition.document->plugin;
                activity.kind = result.recognition.document->kind;
            }
        }
        outcome.activity = activity;
    } catch (const Error& error) {
        // The spool's file cannot be read (a key problem, a file gone): said as it is.
        log().error("document " + std::to_string(document.id) + " : fichier illisible (" + error.code() + ")");
        outcome = JobOutcome{false, "", "", 0, error.code(), error.what(), std::nullopt};
    } catch (const std::exception& error) {
        log().error("document " + std::to_string(document.id) + " : lecture en échec (" + typeid(error).name() + ")");
        outcome = JobOutcome{false, "", "", 0, "internal_error", "La lecture du document a échoué : déposez-le à nouveau.",
                             std::nullopt};
    }
    finish(document, claim, outcome);
}

// ---- Fields and corrections ----------------------------------------------------------------

std::string Desk::fields_json(const DocumentRecord& document) const {
    const auto result = parse_object(document.result);
    Poco::JSON::Object::Ptr fields = result->getObject("fields");
    if (!fields) fields = new Poco::JSON::Object;
    const auto found = result->getObject("document");
    const PluginInfo* plugin = found ? plugins_.find(found->optValue<std::string>("plugin", "")) : nullptr;
    for (const auto& correction : store_.corrections_of(document.id)) {
        Poco::JSON::Object::Ptr field = fields->getObject(correction.field);
        if (!field) {
            field = new Poco::JSON::Object;
            const PluginField* declared = plugin ? plugin->field(correction.field) : nullptr;
            field->set("label", declared ? declared->label_fr : correction.field);
            field->set("confidence", 1.0);
            field->set("page", 0);
            field->set("check", "unchecked");
            fields->set(correction.field, field);
        }
        if (!field->has("corrected")) {
            Poco::JSON::Object::Ptr corrected = new Poco::JSON::Object;
            corrected->set("from", correction.old_value);
            corrected->set("source", field->optValue<std::string>("source", "ocr"));
            field->set("corrected", corrected);
            field->set("history", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
        }
        field->getObject("corrected")->set("at", correction.at);
        field->getObject("corrected")->set("by", correction.author);
        Poco::JSON::Object::Ptr step = new Poco::JSON::Object;
        step->set("from", correction.old_value);
        step->set("to", correction.new_value);
        step->set("at", correction.at);
        step->set("by", correction.author);
        field->getArray("history")->add(step);
        field->set("value", correction.new_value);
        field->set("source", "manual");
        field->set("confidence", 1.0);
    }
    return stringify(fields);
}

std::map<std::string, std::string> Desk::current_values(const DocumentRecord& document) const {
    std::map<std::string, std::string> values;
    const auto fields = parse_object(fields_json(document));
    for (const auto& [key, field] : *fields) {
        values[key] = field.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("value", "");
    }
    return values;
}

CorrectionRecord Desk::correct(int64_t case_id, int64_t document_id, const std::string& key, const std::string& value,
                               const std::string& author) {
    require_open(case_id);
    const DocumentRecord document = document_of(case_id, document_id);
    if (document.state != "done") {
        throw StatusError(409, "not_ready", "Le document n'est pas encore lu : attendez la fin de la lecture.");
    }
    const auto result = parse_object(document.result);
    const auto found = result->getObject("document");
    const PluginInfo* plugin = found ? plugins_.find(found->optValue<std::string>("plugin", "")) : nullptr;
    const PluginField* declared = plugin ? plugin->field(key) : nullptr;
    if (!declared) throw BadRequestError("unknown_field", "Ce champ n'existe pas pour ce type de document.");
    const std::string clean = normalised(declared->type, value);
    const auto current = current_values(document);
    CorrectionRecord correction;
    correction.document_id = document_id;
    correction.field = key;
    correction.old_value = current.count(key) ? current.at(key) : "";
    correction.new_value = clean;
    correction.author = author;
    correction = store_.add_correction(correction);
    // The log keeps that a field was corrected, never its values.
    log().information("dossier " + std::to_string(case_id) + ", document " + std::to_string(document_id) +
                      " : champ " + key + " corrigé");
    events_.publish(case_id, "field",
                    "{\"document\": " + std::to_string(document_id) + ", \"field\": \"" + key + "\"}");
    return correction;
}

// ---- Letters -------------------------------------------------------------------------------

std::string Desk::offered_letters_json(const DocumentRecord& document) const {
    const auto result = parse_object(document.result);
    Poco::JSON::Array letters;
    const auto offered = result->getArray("letters");
    for (size_t i = 0; offered && i < offered->size(); ++i) {
        const std::string id = offered->getElement<std::string>(static_cast<unsigned>(i));
        Poco::JSON::Object entry;
        entry.set("id", id);
        try {
            const LetterTemplate letter = letters_->letter(id.substr(0, id.find('.')), id);
            entry.set("title", letter.title);
            Poco::JSON::Array questions;
            for (const auto& question : letter.questions) {
                Poco::JSON::Object q;
                q.set("key", question.key);
                q.set("label", question.label);
                q.set("type", question.type);
                q.set("required", question.required);
                Poco::JSON::Array choices;
                for (const auto& choice : question.choices) choices.add(choice);
                q.set("choices", choices);
                questions.add(q);
            }
            entry.set("questions", questions);
            Poco::JSON::Array needs;
            for (const auto& key : letter.required_fields) needs.add(key);
            entry.set("required_fields", needs);
        } catch (const Error& error) {
            entry.set("error", error.what());  // a broken template: said, the others still offered
        }
        letters.add(entry);
    }
    return stringify(letters);
}

LetterRecord Desk::write_letter(int64_t case_id, int64_t document_id, const std::string& letter_id,
                                const std::map<std::string, std::string>& answers) {
    require_open(case_id);
    const DocumentRecord document = document_of(case_id, document_id);
    if (document.state != "done") {
        throw StatusError(409, "not_ready", "Le document n'est pas encore lu : attendez la fin de la lecture.");
    }
    const auto result = parse_object(document.result);
    const auto offered = result->getArray("letters");
    bool is_offered = false;
    for (size_t i = 0; offered && i < offered->size(); ++i) {
        is_offered |= offered->getElement<std::string>(static_cast<unsigned>(i)) == letter_id;
    }
    if (!is_offered) throw BadRequestError("letter_not_offered", "Ce courrier n'est pas proposé pour ce document.");
    LetterRequest request;
    request.plugin_id = letter_id.substr(0, letter_id.find('.'));
    request.letter_id = letter_id;
    request.fields = current_values(document);
    request.answers = answers;
    const std::string pdf = letters_->write(request);  // MissingValuesError: what is missing
    LetterRecord letter;
    letter.case_id = case_id;
    letter.document_id = document_id;
    letter.letter_id = letter_id;
    letter.plugin = request.plugin_id;
    letter.bytes = static_cast<int64_t>(pdf.size());
    letter.path = "";
    letter = store_.add_letter(letter);
    const std::string path = Poco::Path(store_.document_dir(case_id, document_id))
                                 .append("letter-" + std::to_string(letter.id) + ".pdf")
                                 .toString();
    crypto_.write_file(path, pdf);
    if (discard_if_forgotten(case_id)) throw NotFoundError("case_not_found", "Ce dossier vient d'être effacé.");
    letter.path = path;
    store_.set_letter_path(letter.id, path);
    const auto found = result->getObject("document");
    store_.record_activity(ActivityRecord{"", "letter", document.source == "scan" ? document.station : "dépôt",
                                          request.plugin_id, found ? found->optValue<std::string>("kind", "") : "",
                                          letter_id});
    log().information("dossier " + std::to_string(case_id) + " : courrier " + letter_id + " écrit");
    events_.publish(case_id, "letter", "{\"letter\": " + std::to_string(letter.id) + ", \"id\": \"" + letter_id + "\"}");
    return letter;
}

// ---- Files of the spool --------------------------------------------------------------------

std::string Desk::page_png(int64_t case_id, int64_t document_id, int64_t page) const {
    const auto document = document_of(case_id, document_id);
    if (document.input_path.empty()) throw NotFoundError("no_page", "Ce document n'a pas encore de page.");
    InputLimits limits;
    limits.max_pixels = config_.max_pixels();
    limits.max_pages = config_.max_pages();
    LoadedDocument loaded = load_document_from_memory(crypto_.read_file(document.input_path), limits);
    if (page < 1 || page > static_cast<int64_t>(loaded.pages.size())) throw NotFoundError("no_page", "Cette page n'existe pas.");
    return pix_to_png(loaded.pages[static_cast<size_t>(page - 1)].image.get());
}

std::pair<LetterRecord, std::string> Desk::letter_pdf(int64_t case_id, int64_t letter_id) const {
    case_of(case_id);
    const auto letter = store_.find_letter(case_id, letter_id);
    if (!letter || letter->path.empty()) throw NotFoundError("letter_not_found", "Ce courrier n'existe pas dans ce dossier.");
    return {*letter, crypto_.read_file(letter->path)};
}

// ---- Privacy: forgetting, retention, audit -------------------------------------------------

void Desk::audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail) {
    store_.audit(login, action, case_id, detail);
}

void Desk::remove_spool(int64_t case_id) {
    Poco::File dir(Poco::Path(store_.spool_dir()).append("case-" + std::to_string(case_id)).toString());
    try {
        if (dir.exists()) dir.remove(true);
    } catch (const Poco::Exception& error) {
        log().error("dossier " + std::to_string(case_id) + " : fichiers non effacés (" + error.displayText() + ")");
        throw Error("forget_failed", "Les fichiers du dossier n'ont pas pu être effacés du disque : prévenez "
                                     "l'administrateur du site.");
    }
}

// A stop between a row and its file leaves files that no row owns: a case's folder after a
// purge cut short, a document's folder whose row was never committed, an upload written but
// never acknowledged, a letter's file without its row, a half-written ".part". All removed,
// so that no page outlives its case; a letter whose row exists but whose file was never
// written is removed too (it was never given to anyone). Only what is older than
// `min_age_seconds`: another instance may be writing a file right now.
void Desk::sweep_spool(int64_t min_age_seconds) {
    const Poco::Timestamp limit = Poco::Timestamp() - Poco::Timespan(min_age_seconds, 0);
    const auto old_enough = [&](Poco::File& file) {
        try {
            return file.getLastModified() <= limit;
        } catch (const Poco::Exception&) {
            return false;
        }
    };
    const auto remove = [&](Poco::File& file, const std::string& what) {
        try {
            file.remove(true);
            log().warning(what + " sans dossier ni document effacé : " + Poco::Path(file.path()).getFileName());
        } catch (const Poco::Exception& error) {
            log().error("fichier resté dans le dépôt non effacé (" + error.displayText() + ")");
        }
    };
    const auto number = [](const std::string& name, const std::string& prefix) -> int64_t {
        int64_t id = 0;
        if (name.rfind(prefix, 0) != 0 || !Poco::NumberParser::tryParse64(name.substr(prefix.size()), id)) return 0;
        return id;
    };
    try {
        const std::string cutoff = Poco::DateTimeFormatter::format(limit, "%Y-%m-%dT%H:%M:%SZ");
        for (const auto& letter : store_.unwritten_letters()) {
            if (letter.created_at > cutoff) continue;
            store_.delete_letter(letter.id);
            log().warning("dossier " + std::to_string(letter.case_id) + " : courrier " + std::to_string(letter.id) +
                          " jamais écrit, retiré");
        }
        std::vector<std::string> cases;
        Poco::File(store_.spool_dir()).list(cases);
        for (const auto& case_name : cases) {
            Poco::File case_dir(Poco::Path(store_.spool_dir()).append(case_name).toString());
            const int64_t case_id = number(case_name, "case-");
            if (case_id == 0 || !case_dir.isDirectory()) continue;  // not the spool's: left alone
            if (!store_.find_case(case_id)) {
                if (old_enough(case_dir)) remove(case_dir, "dossier");
                continue;
            }
            std::vector<std::string> documents;
            case_dir.list(documents);
            for (const auto& document_name : documents) {
                Poco::File document_dir(Poco::Path(case_dir.path()).append(document_name).toString());
                const int64_t document_id = number(document_name, "document-");
                if (document_id == 0 || !document_dir.isDirectory()) continue;
                const auto document = store_.find_document(case_id, document_id);
                if (!document) {
                    if (old_enough(document_dir)) remove(document_dir, "document");
                    continue;
                }
                std::set<std::string> owned{document->input_path};
                for (const auto& letter : store_.letters_of(case_id)) {
                    if (letter.document_id == document_id) owned.insert(letter.path);
                }
                std::vector<std::string> files;
                document_dir.list(files);
                for (const auto& file_name : files) {
                    Poco::File file(Poco::Path(document_dir.path()).append(file_name).toString());
                    if (owned.count(file.path()) == 0 && old_enough(file)) remove(file, "fichier");
                }
            }
        }
    } catch (const std::exception& error) {
        log().error(std::string("nettoyage du dépôt en échec : ") + error.what());
    }
}

bool Desk::discard_if_forgotten(int64_t case_id) {
    if (store_.find_case(case_id)) return false;
    remove_spool(case_id);  // a job finished after its case was forgotten: its work goes too
    return true;
}

bool Desk::erase_case(int64_t case_id, const std::string& login, const std::string& action) {
    // The rows first: a job that writes after this sees the case gone. Another instance may
    // have erased it a moment ago (both purging): then it is that one's line in the audit log.
    const bool removed = store_.delete_case(case_id);
    remove_spool(case_id);
    if (!removed) return false;
    store_.audit(login, action, case_id);
    events_.publish(case_id, "forgotten", "{\"case\": " + std::to_string(case_id) + "}");
    return true;
}

void Desk::forget_case(int64_t case_id, const std::string& login) {
    case_of(case_id);
    erase_case(case_id, login, "case.forget");
    log().information("dossier " + std::to_string(case_id) + " effacé à la demande");
}

void Desk::set_clock(std::function<Poco::Timestamp()> clock) {
    std::lock_guard<std::mutex> lock(retention_mutex_);
    clock_ = std::move(clock);
}

Poco::Timestamp Desk::now() const {
    std::lock_guard<std::mutex> lock(retention_mutex_);
    return clock_();
}

int Desk::purge() {
    const Poco::Timestamp at = now();
    const auto hours = [](int64_t n) { return Poco::Timespan(n * 3600, 0); };
    const std::string closed_before = iso(at - hours(config_.retention_after_close_hours()));
    const std::string opened_before = iso(at - hours(24 * static_cast<int64_t>(config_.retention_max_days())));
    int count = 0;
    for (const int64_t id : store_.expired_cases(closed_before, opened_before)) {
        try {
            if (erase_case(id, kSystem, "case.purge")) ++count;
        } catch (const std::exception&) {
            log().error("dossier " + std::to_string(id) + " : effacement échoué, réessayé au prochain passage");
        }
    }
    if (count > 0) log().information(std::to_string(count) + " dossier(s) échu(s) effacé(s)");
    std::lock_guard<std::mutex> lock(retention_mutex_);
    purge_state_.last_run = iso(at);
    purge_state_.last_count = count;
    purge_state_.total += count;
    purge_state_.next_run = iso(at + Poco::Timespan(60 * config_.retention_check_minutes(), 0));
    return count;
}

Desk::PurgeState Desk::purge_state() const {
    std::lock_guard<std::mutex> lock(retention_mutex_);
    return purge_state_;
}

void Desk::run_retention() {
    for (;;) {
        try {
            purge();
            accounts_.end_idle_sessions();
        } catch (const std::exception& error) {
            log().error(std::string("effacement des dossiers échus en échec : ") + error.what());
        }
        std::unique_lock<std::mutex> lock(retention_mutex_);
        if (retention_wake_.wait_for(lock, std::chrono::minutes(config_.retention_check_minutes()),
                                     [&] { return retention_stop_; })) {
            return;
        }
    }
}

}  // namespace comptoir
