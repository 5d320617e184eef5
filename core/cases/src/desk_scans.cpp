// Scanning as mediators know it from scanservjs: what a station's device offers, a scan's
// choices checked against it, and "Ajouter une page": one more page scanned into a document
// already read, which is then read again.
#include "comptoir/cases/desk.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/cases/uploads.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/page_source.hpp"
#include "comptoir/scanners.hpp"

#include <Poco/File.h>
#include <Poco/Logger.h>

#include <algorithm>

namespace comptoir {
namespace {

// A scanner's fault as the API says it: busy 409, a station unknown 404, the rest 502.
[[noreturn]] void rethrow_scan_error(const scanners::ScanError& error) {
    if (error.code() == "station_not_found") throw NotFoundError(error.code(), error.what());
    if (error.code() == "device_busy") throw ConflictError(error.code(), error.what());
    throw DeviceError(error.code(), error.what());
}

}  // namespace

void Desk::require_station(const std::string& station_id) const {
    if (!stations_) throw UnavailableError("no_scanner", "Aucun poste de numérisation n'est configuré sur ce site.");
    const bool known = std::find(options_.station_ids.begin(), options_.station_ids.end(), station_id) !=
                       options_.station_ids.end();
    if (!known) throw NotFoundError("station_not_found", "Ce poste de numérisation n'existe pas.");
}

scanners::DeviceOffer Desk::station_offer(const std::string& station_id) {
    require_station(station_id);
    try {
        return stations_->offer(station_id);
    } catch (const scanners::ScanError& error) {
        rethrow_scan_error(error);
    }
}

void Desk::check_choice(const std::string& station_id, const scanners::ScanChoice& choice) {
    const bool chosen = choice.resolution_dpi || !choice.mode.empty() || !choice.source.empty() || !choice.paper.empty() ||
                        choice.duplex || choice.area_mm;
    if (!chosen) return;  // the station's own settings
    if (const auto refused = scanners::refusal(station_offer(station_id), choice)) {
        throw BadRequestError("scan_option", *refused);
    }
}

DocumentRecord Desk::add_page(int64_t case_id, int64_t document_id, const std::string& station_id, const std::string& actor,
                              const scanners::ScanChoice& choice) {
    require_open(case_id);
    const DocumentRecord document = document_of(case_id, document_id);
    if (document.state != "done" && document.state != "failed") {
        throw ConflictError("not_ready", "Ce document est en cours de numérisation ou de lecture : attendez la fin, "
                                         "puis ajoutez la page.");
    }
    if (document.input_path.empty()) {
        throw ConflictError("no_page", "Ce document n'a aucune page enregistrée : numérisez-le à nouveau.");
    }
    require_station(station_id);
    check_choice(station_id, choice);
    if (!reserve_station(station_id)) {
        throw ConflictError("station_busy",
                            "Le scanner de ce poste est déjà en train de numériser : attendez la fin, puis recommencez.");
    }
    struct Release {
        Desk* desk;
        std::string id;
        ~Release() { desk->release_station(id); }
    } release{this, station_id};

    // The page first: a scan that fails leaves the document as it was.
    scanners::ScanChoice one = choice;
    one.single_page = true;
    std::vector<scanners::ScannedPage> scanned;
    try {
        scanned = stations_->scan(station_id, one).get();
    } catch (const scanners::ScanError& error) {
        rethrow_scan_error(error);
    }
    if (scanned.empty()) throw InputError("empty_scan", "Le scanner n'a envoyé aucune page : vérifiez la feuille.");
    // The pages it had, decoded by a child (page_source.hpp) and held in the server's budget.
    const auto deadline = SteadyClock::now() + std::chrono::seconds(std::max(1, options_.pipeline.reading_timeout_s));
    const auto source = pipeline_->open_pages(crypto_.read_file(document.input_path), deadline);
    const size_t had = source->sizes().size();
    if (static_cast<int>(had + scanned.size()) > options_.pipeline.max_pages) {
        throw TooLargeError("too_many_pages", "Ce document a déjà " + std::to_string(had) +
                                                  " pages : c'est le plus grand nombre de pages lu.");
    }
    const auto pixels_held = pipeline_->pixels().hold(source->total_pixels(), deadline);
    if (!pixels_held) throw UnavailableError("busy", "Le serveur est trop occupé pour ajouter la page : réessayez.");
    std::vector<LoadedPage> loaded;
    for (size_t i = 0; i < had; ++i) loaded.push_back(source->page(i, deadline));
    std::vector<Pix*> images;
    for (auto& page : loaded) images.push_back(page.image.get());
    for (auto& page : scanned) images.push_back(page.image.get());
    const std::string tiff = pages_to_tiff(images);

    const auto held = store_.hold_again(document_id, instance_id_,
                                        AuditEntry{actor, "document.add_page",
                                                   "document " + std::to_string(document_id) + ", poste " + station_id});
    if (!held) {
        throw ConflictError("not_ready", "Ce document est en cours de lecture : attendez la fin, puis ajoutez la page.");
    }
    // The pages as one multi-page TIFF (lossless), in place of the file it had.
    const std::string path = spool_.input_path(case_id, document_id, "tif");
    try {
        crypto_.write_file(path, tiff);
    } catch (const Error&) {
        store_.release_job(*held, document.input_path);  // read again as it was
        jobs_.poke();
        throw;
    }
    if (path != document.input_path) {
        try {
            Poco::File(document.input_path).remove();
        } catch (const Poco::Exception&) {
            // No row owns it any more: the spool's sweep removes it at the next start.
        }
    }
    spool_.remove_renditions(case_id, document_id);
    if (discard_if_forgotten(case_id)) throw NotFoundError("case_not_found", "Ce dossier vient d'être effacé.");
    if (!store_.release_job(*held, path)) {
        throw UnavailableError("interrupted", "L'ajout de la page a été interrompu : recommencez.");
    }
    Poco::Logger::get("comptoir.desk")
        .information("document " + std::to_string(document_id) + " : une page ajoutée, relu");
    events_.publish(case_id, "progress",
                    "{\"document\": " + std::to_string(document_id) + ", \"state\": \"queued\", \"stage\": \"\", "
                    "\"percent\": 0, \"page\": 0, \"pages\": 0}");
    jobs_.poke();
    return document_of(case_id, document_id);
}

}  // namespace comptoir
