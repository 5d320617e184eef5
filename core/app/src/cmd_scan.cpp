// The commands about the scanners: scanners, scan. They run in the `comptoir` program itself,
// which links no OCR, PDF or database library (main.cpp): a scan pays for SANE, Leptonica and
// the configuration only.
#include "commands.hpp"

#include "comptoir/image/image.hpp"

#include <unistd.h>

#include <ctime>
#include <iostream>
#include <optional>

namespace comptoir::cli {

int run_scanners(Invocation& invocation) {
    scanners::Sane sane(invocation.config.scanners_config_dir());
    const auto devices = sane.devices(true);
    std::cout << "Scanners vus (" << devices.size() << ")\n";
    for (const auto& device : devices) {
        std::cout << "  " << device.name << " — " << device.vendor << " " << device.model << " (" << device.type << ")\n";
    }
    scanners::Stations stations(sane, invocation.config.stations());
    const auto states = stations.list(false);
    std::cout << "Postes (" << states.size() << ")\n";
    bool all_found = true;
    for (const auto& state : states) {
        const auto& s = state.settings;
        std::cout << "  " << s.id << " — " << s.label << " : ";
        if (state.device && state.problem.empty()) {
            std::cout << "prêt, scanner " << state.device->name;
        } else if (state.device) {
            std::cout << "à vérifier, " << state.problem;
        } else {
            std::cout << "INTROUVABLE, " << state.problem;
            all_found = false;
        }
        std::cout << " ; " << s.resolution_dpi << " dpi, " << s.mode << (s.source.empty() ? "" : ", " + s.source)
                  << ", aperçu " << s.preview_resolution_dpi << " dpi\n";
    }
    if (states.empty()) std::cout << "  aucun poste : déclarez stations.<id>.device dans la configuration\n";
    return all_found ? kExitOk : kExitInputFailed;
}

int run_scan(Invocation& invocation) {
    if (!invocation.has("station")) throw BadRequestError("usage", "indiquez le poste : --station ID (« comptoir scanners » les liste)");
    const std::string station = invocation.options["station"];
    scanners::Sane sane(invocation.config.scanners_config_dir());
    scanners::Stations stations(sane, invocation.config.stations(), invocation.config.scanners_timeout_s() * 1000);
    std::string output = invocation.has("output") ? invocation.options["output"] : "";
    if (output.empty()) {
        char stamp[32];
        const std::time_t now = std::time(nullptr);
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
        output = "scan-" + station + "-" + stamp + ".png";
    }
    std::vector<scanners::ScannedPage> pages;
    std::optional<scanners::ScanError> fault;
    try {
        const bool interactive = isatty(STDERR_FILENO);
        int shown = -1;
        auto future = stations.scan(station, invocation.has("preview"), [&](const scanners::ScanProgress& progress) {
            const int value = progress.percent >= 0 ? progress.percent : progress.lines;
            if (value == shown) return;
            shown = value;
            if (!interactive) return;
            std::cerr << "\rPage " << progress.page << " : "
                      << (progress.percent >= 0 ? std::to_string(progress.percent) + " %" : std::to_string(progress.lines) + " lignes")
                      << "   " << std::flush;
        });
        pages = future.get();
        if (interactive) std::cerr << "\n";
    } catch (const scanners::ScanError& error) {
        if (error.code() == "station_not_found") {
            std::cerr << "comptoir scan : " << error.what() << "\n";
            return kExitUsage;
        }
        fault = error;
        if (error.pages_before) pages = std::move(*error.pages_before);  // keep what was scanned
    }
    for (size_t i = 0; i < pages.size(); ++i) {
        std::string path = output;
        if (i > 0) {
            const auto dot = path.rfind('.');
            path = (dot == std::string::npos ? path : path.substr(0, dot)) + "-" + std::to_string(i + 1) +
                   (dot == std::string::npos ? "" : path.substr(dot));
        }
        const std::string png = pix_to_png(pages[i].image.get());
        if (!write_whole_file(path, png)) {
            std::cerr << "comptoir scan : impossible d'écrire " << path << "\n";
            return kExitInputFailed;
        }
        std::cout << path << " (" << pix_width(pages[i].image.get()) << " × " << pix_height(pages[i].image.get())
                  << " pixels, " << pages[i].dpi << " dpi)\n";
    }
    if (fault) {
        std::cerr << "comptoir scan : " << fault->what();
        if (!pages.empty()) std::cerr << " (les " << pages.size() << " page(s) déjà numérisée(s) sont enregistrées)";
        std::cerr << "\n";
        return kExitInputFailed;
    }
    return kExitOk;
}

}  // namespace comptoir::cli
