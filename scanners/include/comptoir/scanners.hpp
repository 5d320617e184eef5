// Scanner stations over SANE: device discovery (cached, refreshed on demand), device options
// read with their constraints and set with validation, scan jobs run on their device's own
// thread (SANE backends are not thread-safe), one multi-page document per feeder batch.
//
// Faults come back as ScanError with a stable code and a French message the mediator can act
// on; the station stays usable (each job opens and closes its device).
#pragma once

#include "comptoir/image/image.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace comptoir::scanners {

// Codes: jammed, no_documents, cover_open, device_busy, io_error, access_denied, no_memory,
// device_not_found, timeout, cancelled, invalid_option, unsupported, station_not_found.
struct ScannedPage;

class ScanError : public std::runtime_error {
public:
    ScanError(std::string code, const std::string& message_fr) : std::runtime_error(message_fr), code_(std::move(code)) {}
    const std::string& code() const noexcept { return code_; }

    // The pages of a feeder batch scanned before the fault (a jam on sheet 4 keeps sheets
    // 1 to 3): nothing the mediator already scanned is lost.
    std::shared_ptr<std::vector<ScannedPage>> pages_before;

private:
    std::string code_;
};

struct DeviceInfo {
    std::string name;    // "test:0", "net:desk2:genesys:libusb:001:004"
    std::string vendor;
    std::string model;
    std::string type;
};

// One option of a device, as SANE describes it.
struct OptionInfo {
    std::string name;
    std::string title;
    std::string type;  // bool, int, fixed, string, button, group
    std::string unit;  // "", pixel, bit, mm, dpi, %, us
    bool active = false;
    bool settable = false;
    std::string value;                    // current value, as text
    std::optional<double> min, max, step;  // a range constraint
    std::vector<std::string> choices;      // a word or string list constraint
};

struct ScanRequest {
    int resolution_dpi = 300;
    std::string mode = "Gray";       // Gray, Color, Lineart (matched with the device's words)
    std::string source;              // "" : the device's default; "feeder"/"ADF", "flatbed", "duplex"
    std::string paper;               // "" : the whole area; "A4", "A5", "Letter"
    std::optional<int> brightness;   // where the device offers it
    std::optional<int> contrast;
    bool whole_feeder = true;        // from a feeder: every sheet until it is empty
    bool duplex = false;             // both sides: the device's duplex option or source
    std::optional<std::array<double, 4>> area_mm;  // left, top, width, height from the top-left corner
    std::map<std::string, std::string> backend_options;  // passed as is (validated against the device)
    int stall_timeout_ms = 20000;    // no data for this long: the device stopped sending
};

struct ScanProgress {
    int page = 1;
    int64_t bytes = 0;
    int lines = 0;
    int total_lines = -1;  // -1: unknown (hand scanner)
    int percent = -1;      // -1 when the height is unknown
};
using ProgressCallback = std::function<void(const ScanProgress&)>;

struct ScannedPage {
    PixPtr image;  // 8-bit gray or 32-bit RGB, resolution set
    int dpi = 0;
};

// Set to true to cancel a running job.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;

// The SANE library for this process: sane_init on construction, sane_exit on destruction.
// Create one (the application does), before any other object of this file.
class Sane {
public:
    // `config_dir`: SANE_CONFIG_DIR for this process ("" keeps the environment's or the
    // system's /etc/sane.d).
    explicit Sane(const std::string& config_dir = {});
    ~Sane();
    Sane(const Sane&) = delete;
    Sane& operator=(const Sane&) = delete;

    // The devices SANE sees. Cached: discovery over a network can take seconds.
    std::vector<DeviceInfo> devices(bool refresh = false);
    int version_code() const { return version_; }

private:
    std::mutex mutex_;
    std::optional<std::vector<DeviceInfo>> cache_;
    int version_ = 0;
};

// What a site declares for one desk (stations.<id>.* of the configuration).
struct StationSettings {
    std::string id;
    std::string label;
    std::string device;  // exact SANE name
    std::string match;   // or a pattern on "vendor model" or the name, shell-style (Canon*LiDE*)
    int resolution_dpi = 300;
    std::string mode = "Gray";
    std::string source;
    int preview_resolution_dpi = 75;
    std::map<std::string, std::string> options;
};

struct StationState {
    StationSettings settings;
    std::optional<DeviceInfo> device;  // the device it resolves to, when found
    std::string problem;               // French, when not found
    bool busy = false;
};

// What a device offers the mediator, read from its SANE options (GET /api/v1/stations/{id}).
struct DeviceOffer {
    std::vector<int> resolutions;      // dpi: the device's list, or the usual ones within its range
    std::optional<std::pair<int, int>> resolution_range;  // a range's bounds: any value within is taken
    std::vector<std::string> modes;    // in the device's own words ("Gray", "Color")
    std::vector<std::string> sources;  // likewise ("Flatbed", "Automatic Document Feeder")
    bool duplex = false;               // a source or an option that scans both sides
    std::vector<std::string> papers;   // A4, A5, Letter: offered when the area can be set (clamped to it)
    std::optional<std::pair<double, double>> area_mm;  // the width and height the device reaches
};
DeviceOffer offer_of(const std::vector<OptionInfo>& options);

// What one scan may change from its station's settings (empty: the station's).
struct ScanChoice {
    std::optional<int> resolution_dpi;
    std::string mode;
    std::string source;
    std::string paper;
    bool duplex = false;
    std::optional<std::array<double, 4>> area_mm;  // left, top, width, height (mm)
    bool single_page = false;  // one sheet, even from a feeder ("Ajouter une page")
};
// Why `choice` is not something `offer` has, in French; nothing when it is.
std::optional<std::string> refusal(const DeviceOffer& offer, const ScanChoice& choice);

// Which jobs may run at the same time: one lane per backend, and per remote host for the net
// backend ("net:desk2"). Jobs on one lane run one after the other.
std::string scan_lane(const std::string& device_name);

// The stations of the site; owns one worker thread per lane in use.
class Stations {
public:
    // `stall_timeout_ms`: no data for this long during a scan means the device stopped sending.
    Stations(Sane& sane, std::vector<StationSettings> stations, int stall_timeout_ms = 20000);
    ~Stations();
    Stations(const Stations&) = delete;
    Stations& operator=(const Stations&) = delete;

    std::vector<StationState> list(bool refresh = false);
    // Every device SANE sees (for the administrator's diagnostics).
    std::vector<DeviceInfo> devices(bool refresh = false) { return sane_.devices(refresh); }

    // Scans on a station with its defaults (`preview`: at its preview resolution, one page).
    // The job runs on its lane's thread (scan_lane): stations on two lanes scan at the same
    // time, jobs on one lane — and so on one device — run one after the other. Errors come
    // through the future as ScanError.
    std::future<std::vector<ScannedPage>> scan(const std::string& station_id, bool preview,
                                               ProgressCallback progress = {}, CancelFlag cancel = {});

    // The same with the mediator's choices over the station's settings (not a preview).
    std::future<std::vector<ScannedPage>> scan(const std::string& station_id, const ScanChoice& choice,
                                               ProgressCallback progress = {}, CancelFlag cancel = {});
    // What a station's device offers: read once per device (opening it on its lane), then kept.
    // ScanError (station_not_found, device_not_found, …).
    DeviceOffer offer(const std::string& station_id);

    // A job on a device by name, with an explicit request.
    std::future<std::vector<ScannedPage>> scan_device(const std::string& device_name, ScanRequest request,
                                                      ProgressCallback progress = {}, CancelFlag cancel = {});

    // The options of a device, with their constraints (opens the device on its thread).
    std::vector<OptionInfo> options(const std::string& device_name);

private:
    struct Worker;
    Worker& worker(const std::string& device_name);
    std::optional<DeviceInfo> resolve(const StationSettings& station, const std::vector<DeviceInfo>& devices,
                                      std::string& problem) const;

    // The station's device and its request with the station's settings.
    std::pair<std::string, ScanRequest> station_request(const std::string& station_id, bool preview);

    Sane& sane_;
    std::vector<StationSettings> stations_;
    std::map<std::string, DeviceOffer> offers_;  // by device name, under mutex_
    int stall_timeout_ms_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Worker>> workers_;
};

// The French message for a SANE status (exposed for tests and the HTTP layer).
ScanError error_for_status(int sane_status, const std::string& device_name);

}  // namespace comptoir::scanners
