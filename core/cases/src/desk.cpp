#include "comptoir/cases/desk.hpp"
#include "comptoir/base/time.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/base/memory.hpp"

#include "comptoir/cases/corrections.hpp"
#include "comptoir/cases/progress.hpp"
#include "comptoir/cases/reading_storage.hpp"
#include "comptoir/cases/uploads.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>
#include "comptoir/reading/input.hpp"
#include "comptoir/letters/letter_desk.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/scanners.hpp"
#include "event_relay.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/Environment.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/Timespan.h>
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

constexpr const char* kSystem = "système";  // who the purge is, in the audit log

}  // namespace

// ---- Desk ----------------------------------------------------------------------------------

Desk::Desk(DeskOptions options, const PluginRegistry& plugins, scanners::Stations* stations)
    : options_(std::move(options)),
      plugins_(plugins),
      stations_(stations),
      crypto_(SpoolCrypto::from_options(options_.storage)),
      store_(options_.data_dir, options_.database_engine, options_.database_connection, crypto_),
      spool_(options_.data_dir),
      accounts_(store_, [&] {
          Accounts::Limits limits;
          limits.idle = options_.auth_idle_seconds > 0 ? std::chrono::seconds(options_.auth_idle_seconds)
                                                       : std::chrono::seconds(options_.auth_idle_minutes * 60);
          limits.password_dictionary = options_.auth_password_dictionary;
          limits.free_failures_per_login = options_.auth_free_failures_per_login;
          limits.free_failures_per_address = options_.auth_free_failures_per_address;
          return limits;
      }()),
      letters_(std::make_unique<LetterDesk>(options_.letters, plugins)),
      pipeline_(std::make_unique<Pipeline>(options_.pipeline, plugins)),
      jobs_(JobsOptions{std::max(2, options_.workers), options_.cluster_poll_ms, options_.cluster_heartbeat_seconds,
                        memory::return_free},
            [this] { return claim_and_read(); }, [this] { heartbeat(); },
            [this] {
                const auto counts = store_.job_counts();
                return std::make_pair(counts.queued, counts.running);
            }),
      retention_(
          options_.retention.check_minutes, [this](const Poco::Timestamp& at) { return purge_as_of(at); },
          [this] { accounts_.end_idle_sessions(); }) {
    // The demo's mediator (accounts.demo = login:password), made once.
    const std::string& demo = options_.demo_account;
    if (const auto colon = demo.find(':'); colon != std::string::npos && !accounts_.find(demo.substr(0, colon))) {
        accounts_.create(demo.substr(0, colon), "mediator", demo.substr(colon + 1));
    }
    if (!crypto_.enabled()) log().warning("chiffrement des fichiers désactivé (storage.encryption = off)");
    host_ = Poco::Environment::nodeName();
    instance_id_ = host_ + ":" + std::to_string(Poco::Process::id()) + ":" +
                   Poco::UUIDGenerator::defaultGenerator().createRandom().toString().substr(0, 8);
    const bool sqlite = options_.database_engine != "postgresql";
    if (sqlite) lock_data_dir();
    store_.heartbeat(instance_id_, host_, Poco::Process::id(), now_ms());
    // SQLite: this is the folder's only server, so whoever held jobs before has stopped; their
    // readings are taken again at once, their unfinished scans and uploads failed. PostgreSQL:
    // the others are running or will be taken for stopped after cluster.lease_seconds.
    if (sqlite) store_.remove_other_instances(instance_id_);
    if (!sqlite) {
        relay_ = std::make_unique<EventRelay>(options_.database_connection, instance_id_, events_);
        events_.set_forwarder([this](int64_t case_id, const std::string& type, const std::string& json) {
            relay_->send(case_id, type, json);
        });
    }
    fail_abandoned();
    // Files that no row owns (a stop between a file and its row): removed. On PostgreSQL
    // another instance may be writing one right now: only old ones go.
    spool_.sweep(store_, sqlite ? 0 : 600);
    jobs_.start();
    retention_.start();
}

Desk::~Desk() {
    retention_.stop();
    jobs_.stop();
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
    const std::string path = Poco::Path(options_.data_dir).append("comptoir.lock").toString();
    lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) throw Error("store", "Le dossier des données " + options_.data_dir + " est inutilisable.");
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
        throw Error("store", "Un autre serveur Comptoir utilise déjà le dossier " + options_.data_dir +
                                 " : avec SQLite, un seul serveur par dossier de données. Pour plusieurs "
                                 "instances, passez à PostgreSQL (database.engine = postgresql).");
    }
}

void Desk::fail_abandoned() {
    const int64_t stale = now_ms() - int64_t{1000} * options_.cluster_lease_seconds;
    for (const auto& job : store_.fail_abandoned_jobs(stale)) {
        log().warning("dossier " + std::to_string(job.case_id) + " : document " + std::to_string(job.document_id) +
                      " interrompu par l'arrêt d'une instance");
        events_.publish(job.case_id, "document",
                        "{\"document\": " + std::to_string(job.document_id) + ", \"state\": \"failed\"}");
    }
}

void Desk::heartbeat() {
    store_.heartbeat(instance_id_, host_, Poco::Process::id(), now_ms());
    fail_abandoned();
}

bool Desk::claim_and_read() {
    const int64_t stale = now_ms() - int64_t{1000} * options_.cluster_lease_seconds;
    const auto claim = store_.claim_job(instance_id_, stale);
    if (!claim) return false;
    const auto document = store_.find_document(claim->case_id, claim->document_id);
    if (!document) return true;  // its case is being forgotten
    if (claim->attempts > 1) {
        log().warning("dossier " + std::to_string(claim->case_id) + " : document " + std::to_string(claim->document_id) +
                      " repris (essai " + std::to_string(claim->attempts) + ")");
    }
    if (claim->attempts > options_.jobs_max_attempts) {
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

void Desk::wait_idle() { jobs_.wait_idle(); }

std::pair<int, int> Desk::jobs() const { return jobs_.counts(); }

void Desk::announce(const DocumentRecord& document, const std::string& state) {
    events_.publish(document.case_id, "document",
                    "{\"document\": " + std::to_string(document.id) + ", \"state\": \"" + state + "\"}");
}

void Desk::report(const DocumentRecord& document, const JobClaim& claim, const std::string& state, const std::string& stage,
                  int percent, int page, int pages, int seconds_left) {
    if (!store_.job_progress(claim, state, stage, percent, page, pages)) return;  // the job is no longer ours
    Poco::JSON::Object event;
    event.set("document", document.id);
    event.set("state", state);
    event.set("stage", stage);
    event.set("percent", percent);
    event.set("page", page);
    event.set("pages", pages);
    if (seconds_left >= 0) event.set("seconds_left", seconds_left);
    events_.publish(document.case_id, "progress", stringify(event));
}

CaseRecord Desk::open_case(const std::string& actor) {
    CaseRecord record = store_.create_case(AuditEntry{actor, "case.open", ""});
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
        throw ConflictError("case_closed", "Ce dossier est clos : ouvrez un nouveau dossier.");
    }
}

void Desk::close_case(int64_t case_id, const std::string& actor) {
    case_of(case_id);
    store_.close_case(case_id, AuditEntry{actor, "case.close", ""});
    events_.publish(case_id, "closed", "{\"case\": " + std::to_string(case_id) + "}");
}

DocumentRecord Desk::document_of(int64_t case_id, int64_t document_id) const {
    case_of(case_id);
    auto record = store_.find_document(case_id, document_id);
    if (!record) throw NotFoundError("document_not_found", "Ce document n'existe pas dans ce dossier.");
    return *record;
}

DocumentRecord Desk::upload(int64_t case_id, const std::string& filename, const std::string& content,
                            const std::string& actor) {
    require_open(case_id);
    if (content.empty()) throw InputError("empty_file", "Le fichier est vide.");
    if (static_cast<int64_t>(content.size()) > options_.upload_max_bytes) {
        throw TooLargeError("too_large", "Le fichier est trop volumineux (" + std::to_string(options_.upload_max_bytes / (1024 * 1024)) +
                                                " Mo au plus).");
    }
    const std::string format = upload_format(content);
    if (format.empty()) {
        throw UnsupportedError("unsupported_format",
                          "Ce type de fichier n'est pas lu : déposez une image (PNG, JPEG, TIFF) ou un PDF.");
    }
    DocumentRecord document;
    document.case_id = case_id;
    document.source = "upload";
    document.filename = display_name(filename);
    document = store_.add_document(document, instance_id_, AuditEntry{actor, "document.upload", ""});
    const auto held = store_.held_job(document.id, instance_id_);
    const std::string path = spool_.input_path(case_id, document.id, format);
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
        throw UnavailableError("interrupted", "Le dépôt a été interrompu : déposez le document à nouveau.");
    }
    events_.publish(case_id, "progress",
                    "{\"document\": " + std::to_string(document.id) + ", \"state\": \"queued\", \"stage\": \"\", "
                    "\"percent\": 0, \"page\": 0, \"pages\": 0}");
    jobs_.poke();
    return document_of(case_id, document.id);
}

bool Desk::station_busy(const std::string& station_id) const {
    std::lock_guard<std::mutex> lock(stations_mutex_);
    return busy_stations_.count(station_id) > 0;
}

bool Desk::reserve_station(const std::string& station_id) {
    std::lock_guard<std::mutex> lock(stations_mutex_);
    return busy_stations_.insert(station_id).second;
}

void Desk::release_station(const std::string& station_id) {
    std::lock_guard<std::mutex> lock(stations_mutex_);
    busy_stations_.erase(station_id);
}

DocumentRecord Desk::scan(int64_t case_id, const std::string& station_id, const std::string& actor) {
    return scan(case_id, station_id, actor, scanners::ScanChoice{});
}

DocumentRecord Desk::scan(int64_t case_id, const std::string& station_id, const std::string& actor,
                          const scanners::ScanChoice& choice) {
    require_open(case_id);
    require_station(station_id);
    check_choice(station_id, choice);
    if (!reserve_station(station_id)) {
        throw ConflictError("station_busy",
                          "Le scanner de ce poste est déjà en train de numériser : attendez la fin, puis recommencez.");
    }
    DocumentRecord document;
    document.case_id = case_id;
    document.source = "scan";
    document.station = station_id;
    document.state = "scanning";
    std::optional<JobClaim> held;
    try {
        document = store_.add_document(document, instance_id_, AuditEntry{actor, "document.scan", "poste " + station_id});
        held = store_.held_job(document.id, instance_id_);
        if (!held) throw Error("store", "La numérisation n'a pas pu être enregistrée.");
    } catch (...) {
        release_station(station_id);
        throw;
    }
    report(document, *held, "scanning", "scan", 0, 1, 0);
    auto chosen = std::make_shared<const scanners::ScanChoice>(choice);
    jobs_.enqueue([this, document, held, chosen] { scan_document(document, *held, chosen); });
    return document_of(case_id, document.id);
}

std::string Desk::preview(const std::string& station_id, const std::string& actor) {
    if (!stations_) throw UnavailableError("no_scanner", "Aucun poste de numérisation n'est configuré sur ce site.");
    if (!reserve_station(station_id)) {
        throw ConflictError("station_busy", "Le scanner de ce poste est déjà en train de numériser.");
    }
    struct Release {
        Desk* desk;
        std::string id;
        ~Release() { desk->release_station(id); }
    } release{this, station_id};
    try {
        auto pages = stations_->scan(station_id, true).get();
        if (pages.empty()) throw InputError("empty_scan", "Le scanner n'a rien envoyé.");
        store_.audit(actor, "station.preview", 0, "poste " + station_id);
        return pix_to_png(pages.front().image.get());
    } catch (const scanners::ScanError& error) {
        if (error.code() == "station_not_found") throw NotFoundError(error.code(), error.what());
        if (error.code() == "device_busy") throw ConflictError(error.code(), error.what());
        throw DeviceError(error.code(), error.what());
    }
}

void Desk::scan_document(DocumentRecord document, JobClaim held, std::shared_ptr<const scanners::ScanChoice> choice) {
    const auto release = [&] { release_station(document.station); };
    std::vector<scanners::ScannedPage> pages;
    std::string interrupted;
    try {
        int last_percent = -1;
        int last_page = 0;
        auto future = stations_->scan(document.station, *choice, [&](const scanners::ScanProgress& progress) {
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
        spool_.input_path(document.case_id, document.id, "tif");
    try {
        std::vector<Pix*> images;
        for (auto& page : pages) images.push_back(page.image.get());
        const std::string tiff = pages_to_tiff(images);
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
    if (store_.release_job(held, path)) jobs_.poke();
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
        ProcessOptions options = reading_options_of(document.reading_options);  // what the mediator asked
        options.threshold = options_.pipeline.recognition_threshold;
        // The OCR is most of the time: from `from` to 95 %, moving within each page; at most
        // about five steps a second go to the pages, each with the time left.
        const int from = scanned ? 30 : 0;
        ReadingProgress pace;
        const auto tell = [&](const std::string& stage, int percent, uint32_t page, uint32_t pages) {
            if (const auto step = pace.next(stage, percent, static_cast<int>(page), static_cast<int>(pages))) {
                report(document, claim, "reading", step->stage, step->percent, step->page, step->pages, step->seconds_left);
            }
        };
        options.progress = [&](const std::string& stage, uint32_t page, uint32_t pages) {
            int percent = from;
            if (stage == "ocr" && pages > 0) percent = from + static_cast<int>((95 - from) * page / pages);
            if (stage == "extract") percent = 95;
            tell(stage, percent, page, pages);
        };
        options.ocr_progress = [&](uint32_t page, uint32_t pages, int whole) {
            tell("ocr", from + (95 - from) * whole / 100, page, pages);
        };
        tell("load", from, 0, 0);
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
            outcome.result = reading_to_storage(reading_of(result));
            outcome.reading = result.document ? result.document->to_json() : "";
            outcome.pages = static_cast<int>(result.pages);
            if (result.recognition.document) {
                activity.partner = result.recognition.document->plugin;
                activity.kind = result.recognition.document->kind;
            }
        }
        if (document.result.empty()) outcome.activity = activity;  // read again: counted once
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

Reading Desk::reading(const DocumentRecord& document) const { return reading_from_storage(document.result); }

std::map<std::string, CorrectedField> Desk::fields(const DocumentRecord& document) const {
    return fields(document, reading(document));
}

std::map<std::string, CorrectedField> Desk::fields(const DocumentRecord& document, const Reading& read) const {
    const PluginInfo* plugin = read.document ? plugins_.find(read.document->plugin) : nullptr;
    auto shown = apply_corrections(read, store_.corrections_of(document.id), plugin);
    check_corrections(shown, plugins_, read.document ? read.document->kind : "");
    return shown;
}

std::map<std::string, std::string> Desk::current_values(const DocumentRecord& document) const {
    return values_of(fields(document));
}

CorrectionRecord Desk::correct(int64_t case_id, int64_t document_id, const std::string& key, const std::string& value,
                               const std::string& author, bool confirmed) {
    require_open(case_id);
    const DocumentRecord document = document_of(case_id, document_id);
    if (document.state != "done") {
        throw ConflictError("not_ready", "Le document n'est pas encore lu : attendez la fin de la lecture.");
    }
    const Reading read = reading(document);
    const PluginInfo* plugin = read.document ? plugins_.find(read.document->plugin) : nullptr;
    const PluginField* declared = plugin ? plugin->field(key) : nullptr;
    if (!declared) throw BadRequestError("unknown_field", "Ce champ n'existe pas pour ce type de document.");
    const std::string clean = normalised_value(declared->type, value);
    const auto shown = fields(document, read);
    const auto current = shown.find(key);
    if (current != shown.end()) require_confirmation(current->second, clean, confirmed);
    CorrectionRecord correction;
    correction.document_id = document_id;
    correction.field = key;
    correction.old_value = current != shown.end() ? current->second.field.value : "";
    correction.new_value = clean;
    correction.author = author;
    correction = store_.add_correction(correction, case_id,
                                       AuditEntry{author, "field.correct",
                                                  "document " + std::to_string(document_id) + ", champ " + key});
    // The log keeps that a field was corrected, never its values.
    log().information("dossier " + std::to_string(case_id) + ", document " + std::to_string(document_id) +
                      " : champ " + key + " corrigé");
    events_.publish(case_id, "field",
                    "{\"document\": " + std::to_string(document_id) + ", \"field\": \"" + key + "\"}");
    return correction;
}

// ---- Privacy: forgetting, retention, audit -------------------------------------------------

void Desk::audit(const std::string& login, const std::string& action, int64_t case_id, const std::string& detail) {
    store_.audit(login, action, case_id, detail);
}

bool Desk::discard_if_forgotten(int64_t case_id) {
    if (store_.find_case(case_id)) return false;
    spool_.remove_case(case_id);  // a job finished after its case was forgotten: its work goes too
    return true;
}

bool Desk::erase_case(int64_t case_id, const std::string& login, const std::string& action) {
    // The rows first: a job that writes after this sees the case gone. Another instance may
    // have erased it a moment ago (both purging): then it is that one's line in the audit log.
    const bool removed = store_.delete_case(case_id, AuditEntry{login, action, ""});
    spool_.remove_case(case_id);
    if (!removed) return false;
    store_.checkpoint();  // nothing of the case left in SQLite's write-ahead log
    events_.publish(case_id, "forgotten", "{\"case\": " + std::to_string(case_id) + "}");
    return true;
}

void Desk::forget_case(int64_t case_id, const std::string& login) {
    case_of(case_id);
    erase_case(case_id, login, "case.forget");
    log().information("dossier " + std::to_string(case_id) + " effacé à la demande");
}

void Desk::set_clock(std::function<Poco::Timestamp()> clock) { retention_.set_clock(std::move(clock)); }

Poco::Timestamp Desk::now() const { return retention_.now(); }

int Desk::purge() { return retention_.run_now(); }

int Desk::purge_now(const std::string& actor) {
    const int purged = retention_.run_now();
    store_.audit(actor, "retention.purge", 0, std::to_string(purged) + " dossier(s)");
    return purged;
}

Desk::PurgeState Desk::purge_state() const { return retention_.state(); }

int Desk::purge_as_of(const Poco::Timestamp& at) {
    const auto hours = [](int64_t n) { return Poco::Timespan(n * 3600, 0); };
    const std::string closed_before = iso_utc(at - hours(options_.retention.after_close_hours));
    const std::string opened_before = iso_utc(at - hours(24 * static_cast<int64_t>(options_.retention.max_days)));
    int count = 0;
    for (const int64_t id : store_.expired_cases(closed_before, opened_before)) {
        try {
            if (erase_case(id, kSystem, "case.purge")) ++count;
        } catch (const std::exception&) {
            log().error("dossier " + std::to_string(id) + " : effacement échoué, réessayé au prochain passage");
        }
    }
    if (count > 0) log().information(std::to_string(count) + " dossier(s) échu(s) effacé(s)");
    return count;
}

}  // namespace comptoir
