// The site's stations: each resolved to a device, its jobs run on the thread of its lane
// (scan_lane), one job at a time per lane.
#include "comptoir/scanners.hpp"

#include "device.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <thread>

namespace comptoir::scanners {

// ---- a device's own thread ----------------------------------------------------------------

struct Stations::Worker {
    std::string device_name;
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::function<void()>> jobs;
    bool stopping = false;
    std::atomic<bool> busy{false};

    explicit Worker(std::string name) : device_name(std::move(name)) {
        thread = std::thread([this] {
            for (;;) {
                std::function<void()> job;
                {
                    std::unique_lock<std::mutex> lock(mutex);
                    wake.wait(lock, [this] { return stopping || !jobs.empty(); });
                    if (jobs.empty()) return;
                    job = std::move(jobs.front());
                    jobs.pop_front();
                }
                busy = true;
                job();
                busy = false;
            }
        });
    }

    ~Worker() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        thread.join();
    }

    template <typename Result>
    std::future<Result> post(std::function<Result()> work) {
        auto task = std::make_shared<std::packaged_task<Result()>>(std::move(work));
        std::future<Result> future = task->get_future();
        {
            std::lock_guard<std::mutex> lock(mutex);
            jobs.push_back([task] { (*task)(); });
        }
        wake.notify_one();
        return future;
    }
};

Stations::Stations(Sane& sane, std::vector<StationSettings> stations, int stall_timeout_ms)
    : sane_(sane), stations_(std::move(stations)), stall_timeout_ms_(stall_timeout_ms) {}

Stations::~Stations() = default;

std::string scan_lane(const std::string& device_name) {
    // One thread per lane, one job at a time on it. SANE backends are not thread-safe, and
    // some are not even between their own devices: the test backend's reader lost a page one
    // time in four when test:0 and test:1 scanned at once. So a lane is a backend ("genesys",
    // "test"), and for the net backend a remote host ("net:desk2"): two desks on two PCs scan
    // at the same time, two scanners on one backend of one machine take turns.
    const auto first = device_name.find(':');
    if (first == std::string::npos) return device_name;
    const std::string backend = device_name.substr(0, first);
    if (backend != "net") return backend;
    const auto second = device_name.find(':', first + 1);
    return device_name.substr(0, second);
}

Stations::Worker& Stations::worker(const std::string& device_name) {
    const std::string lane = scan_lane(device_name);
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = workers_[lane];
    if (!slot) slot = std::make_unique<Worker>(lane);
    return *slot;
}

std::optional<DeviceInfo> Stations::resolve(const StationSettings& station, const std::vector<DeviceInfo>& devices,
                                            std::string& problem) const {
    if (!station.device.empty()) {
        for (const auto& device : devices) {
            if (device.name == station.device) return device;
        }
        if (station.match.empty()) {
            // A device named exactly may still open though discovery missed it (a network
            // scanner named in net.conf but slow to answer): let the scan try.
            problem = "le scanner " + quote(station.device) + " n'a pas été vu à la dernière recherche";
            return DeviceInfo{station.device, "", "", ""};
        }
    }
    if (!station.match.empty()) {
        // The USB path in a device name changes after a power cycle; vendor and model do not.
        for (const auto& device : devices) {
            const std::string described = device.vendor + " " + device.model;
            if (fnmatch(station.match.c_str(), described.c_str(), FNM_CASEFOLD) == 0 ||
                fnmatch(station.match.c_str(), device.name.c_str(), FNM_CASEFOLD) == 0) {
                return device;
            }
        }
        std::string seen;
        for (const auto& device : devices) {
            seen += (seen.empty() ? "" : ", ") + device.name + " (" + device.vendor + " " + device.model + ")";
        }
        problem = "aucun scanner ne correspond à " + quote(station.match) + " ; scanners vus : " + (seen.empty() ? "aucun" : seen);
        return std::nullopt;
    }
    if (station.device.empty()) problem = "ni stations." + station.id + ".device ni stations." + station.id + ".match n'est renseigné";
    return std::nullopt;
}

std::vector<StationState> Stations::list(bool refresh) {
    const auto devices = sane_.devices(refresh);
    std::vector<StationState> states;
    for (const auto& station : stations_) {
        StationState state;
        state.settings = station;
        state.device = resolve(station, devices, state.problem);
        if (state.device) {
            std::lock_guard<std::mutex> lock(mutex_);
            const auto it = workers_.find(scan_lane(state.device->name));
            state.busy = it != workers_.end() && it->second->busy;
        }
        states.push_back(std::move(state));
    }
    return states;
}

std::pair<std::string, ScanRequest> Stations::station_request(const std::string& station_id, bool preview) {
    const auto it = std::find_if(stations_.begin(), stations_.end(), [&](const StationSettings& s) { return s.id == station_id; });
    if (it == stations_.end()) throw ScanError("station_not_found", "Le poste " + quote(station_id) + " n'existe pas.");
    std::string problem;
    auto device = resolve(*it, sane_.devices(false), problem);
    if (!device) device = resolve(*it, sane_.devices(true), problem);  // plugged in since the last look?
    if (!device) throw ScanError("device_not_found", "Le scanner du poste " + quote(it->label) + " est introuvable : " + problem + ".");
    ScanRequest request;
    request.resolution_dpi = preview ? it->preview_resolution_dpi : it->resolution_dpi;
    request.mode = it->mode;
    request.source = it->source;
    request.backend_options = it->options;
    request.whole_feeder = !preview;
    request.stall_timeout_ms = stall_timeout_ms_;
    return {device->name, std::move(request)};
}

std::future<std::vector<ScannedPage>> Stations::scan(const std::string& station_id, bool preview, ProgressCallback progress,
                                                     CancelFlag cancel) {
    auto [device, request] = station_request(station_id, preview);
    return scan_device(device, std::move(request), std::move(progress), std::move(cancel));
}

std::future<std::vector<ScannedPage>> Stations::scan(const std::string& station_id, const ScanChoice& choice,
                                                     ProgressCallback progress, CancelFlag cancel) {
    auto [device, request] = station_request(station_id, false);
    if (choice.resolution_dpi) request.resolution_dpi = *choice.resolution_dpi;
    if (!choice.mode.empty()) request.mode = choice.mode;
    if (!choice.source.empty()) request.source = choice.source;
    if (!choice.paper.empty()) request.paper = choice.paper;
    request.duplex = choice.duplex;
    request.area_mm = choice.area_mm;
    if (choice.single_page) request.whole_feeder = false;
    return scan_device(device, std::move(request), std::move(progress), std::move(cancel));
}

DeviceOffer Stations::offer(const std::string& station_id) {
    const std::string device = station_request(station_id, false).first;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (const auto found = offers_.find(device); found != offers_.end()) return found->second;
    }
    DeviceOffer offer = offer_of(options(device));
    std::lock_guard<std::mutex> lock(mutex_);
    offers_[device] = offer;
    return offer;
}

std::future<std::vector<ScannedPage>> Stations::scan_device(const std::string& device_name, ScanRequest request,
                                                            ProgressCallback progress, CancelFlag cancel) {
    // Some backends (the test backend among them) only know their devices once SANE has
    // listed them: open nothing before a first discovery in this process (cached after).
    sane_.devices(false);
    return worker(device_name).post<std::vector<ScannedPage>>(
        [device_name, request = std::move(request), progress = std::move(progress), cancel = std::move(cancel)] {
            return run_scan(device_name, request, progress, cancel);
        });
}

std::vector<OptionInfo> Stations::options(const std::string& device_name) {
    sane_.devices(false);
    return worker(device_name).post<std::vector<OptionInfo>>([device_name] { return OpenDevice(device_name).options(); }).get();
}

}  // namespace comptoir::scanners
