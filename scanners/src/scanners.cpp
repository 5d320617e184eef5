#include "comptoir/scanners.hpp"

#include <leptonica/allheaders.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // POLLRDHUP
#endif
#include <fnmatch.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <thread>

namespace comptoir::scanners {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string quote(const std::string& text) { return "« " + text + " »"; }

// SANE backends are not thread-safe, and some share state between their devices (the test
// backend hung, one time in three under load, when test:0 and test:1 were opened and started
// from two threads at once). Every call but sane_read is made under this lock; the reads, where
// the time goes, still run in parallel on each device's thread.
std::recursive_mutex g_sane_calls;
#define SANE_LOCKED std::lock_guard<std::recursive_mutex> sane_lock_guard(g_sane_calls)

SANE_Status locked_start(SANE_Handle handle) {
    SANE_LOCKED;
    return sane_start(handle);
}
SANE_Status locked_get_parameters(SANE_Handle handle, SANE_Parameters* parameters) {
    SANE_LOCKED;
    return sane_get_parameters(handle, parameters);
}
void locked_cancel(SANE_Handle handle) {
    SANE_LOCKED;
    sane_cancel(handle);
}
SANE_Status locked_set_io_mode(SANE_Handle handle, SANE_Bool non_blocking) {
    SANE_LOCKED;
    return sane_set_io_mode(handle, non_blocking);
}
SANE_Status locked_get_select_fd(SANE_Handle handle, SANE_Int* fd) {
    SANE_LOCKED;
    return sane_get_select_fd(handle, fd);
}

// Set once a handle was abandoned to a device that stopped answering: SANE calls that talk to
// it (sane_cancel, sane_close, sane_exit over the net backend) would wait for it forever.
std::atomic<bool> g_abandoned_handle{false};

// Paper sizes in millimetres.
std::optional<std::pair<double, double>> paper_size(const std::string& paper) {
    const std::string p = lower(paper);
    if (p == "a4") return std::pair{210.0, 297.0};
    if (p == "a5") return std::pair{148.0, 210.0};
    if (p == "letter") return std::pair{215.9, 279.4};
    return std::nullopt;
}

}  // namespace

ScanError error_for_status(int sane_status, const std::string& device_name) {
    const std::string device = quote(device_name);
    switch (sane_status) {
    case SANE_STATUS_JAMMED:
        return ScanError("jammed", "Le papier est coincé dans le scanner. Ouvrez-le, retirez la feuille, puis relancez.");
    case SANE_STATUS_NO_DOCS:
        return ScanError("no_documents", "Aucune feuille dans le chargeur. Posez le document, puis relancez.");
    case SANE_STATUS_COVER_OPEN:
        return ScanError("cover_open", "Le capot du scanner est ouvert. Fermez-le, puis relancez.");
    case SANE_STATUS_DEVICE_BUSY:
        return ScanError("device_busy", "Le scanner est occupé par une autre numérisation. Patientez un instant, puis relancez.");
    case SANE_STATUS_IO_ERROR:
        return ScanError("io_error", "Le scanner ne répond plus. Vérifiez qu'il est allumé et branché, puis relancez.");
    case SANE_STATUS_ACCESS_DENIED:
        return ScanError("access_denied", "L'accès au scanner " + device + " est refusé. Prévenez l'administrateur du site.");
    case SANE_STATUS_NO_MEM:
        return ScanError("no_memory", "Le scanner manque de mémoire : baissez la résolution ou numérisez moins de pages.");
    case SANE_STATUS_CANCELLED:
        return ScanError("cancelled", "Numérisation annulée.");
    case SANE_STATUS_INVAL:
        return ScanError("invalid_option", "Le scanner " + device + " refuse ce réglage.");
    case SANE_STATUS_UNSUPPORTED:
        return ScanError("unsupported", "Le scanner " + device + " ne sait pas faire cela.");
    case 12:  // SANE_STATUS_WARMING_UP (SANE 1.1, not exposed by every sane.h)
        return ScanError("device_busy", "Le scanner chauffe. Patientez quelques secondes, puis relancez.");
    case 13:  // SANE_STATUS_HW_LOCKED
        return ScanError("io_error", "Le scanner est verrouillé pour le transport. Déverrouillez-le, puis relancez.");
    default:
        return ScanError("io_error", "Erreur du scanner " + device + " (" + sane_strstatus(static_cast<SANE_Status>(sane_status)) + ").");
    }
}

// ---- the library ------------------------------------------------------------------------

Sane::Sane(const std::string& config_dir) {
    // The dll backend reads SANE_CONFIG_DIR during sane_init, not before: setting it here is
    // in time.
    if (!config_dir.empty()) setenv("SANE_CONFIG_DIR", config_dir.c_str(), 1);
    SANE_Int version = 0;
    if (sane_init(&version, nullptr) != SANE_STATUS_GOOD) {
        throw ScanError("io_error", "La bibliothèque des scanners (SANE) n'a pas pu démarrer.");
    }
    version_ = version;
}

Sane::~Sane() {
    // After a device hung, sane_exit would wait on it; the process is ending anyway.
    if (!g_abandoned_handle) sane_exit();
}

std::vector<DeviceInfo> Sane::devices(bool refresh) {
    std::lock_guard<std::mutex> lock(mutex_);
    SANE_LOCKED;
    if (cache_ && !refresh) return *cache_;
    const SANE_Device** list = nullptr;
    std::vector<DeviceInfo> devices;
    if (sane_get_devices(&list, SANE_FALSE) == SANE_STATUS_GOOD && list) {
        for (size_t i = 0; list[i]; ++i) {
            devices.push_back({list[i]->name ? list[i]->name : "", list[i]->vendor ? list[i]->vendor : "",
                               list[i]->model ? list[i]->model : "", list[i]->type ? list[i]->type : ""});
        }
    }
    cache_ = devices;
    return devices;
}

// ---- one open device ----------------------------------------------------------------------

namespace {

struct HandleCloser {
    void operator()(SANE_Handle handle) const noexcept {
        SANE_LOCKED;
        if (handle) sane_close(handle);
    }
};
using HandlePtr = std::unique_ptr<void, HandleCloser>;

class OpenDevice {
public:
    explicit OpenDevice(const std::string& name) : name_(name) {
        SANE_LOCKED;
        SANE_Handle handle = nullptr;
        const SANE_Status status = sane_open(name.c_str(), &handle);
        if (status != SANE_STATUS_GOOD) {
            if (status == SANE_STATUS_DEVICE_BUSY || status == SANE_STATUS_ACCESS_DENIED) throw error_for_status(status, name);
            throw ScanError("device_not_found", "Le scanner " + quote(name) +
                                                    " est introuvable : vérifiez qu'il est allumé et branché, "
                                                    "puis relancez.");
        }
        handle_.reset(handle);
    }

    SANE_Handle handle() const { return handle_.get(); }
    const std::string& name() const { return name_; }

    // Gives up a handle whose device stopped answering without hanging up: closing or
    // cancelling it would wait for an answer that never comes (a stopped saned). The
    // connection is left to the process's end.
    void abandon() {
        static_cast<void>(handle_.release());
        g_abandoned_handle = true;
    }

    std::vector<OptionInfo> options() const {
        SANE_LOCKED;
        std::vector<OptionInfo> out;
        for (SANE_Int i = 1;; ++i) {
            const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle(), i);
            if (!d) break;
            out.push_back(describe(i, d));
        }
        return out;
    }

    // Sets an option by name from text, checked against its type and constraint. Returns the
    // value the device actually took (a backend may round: SANE_INFO_INEXACT).
    std::string set(const std::string& name, const std::string& text) {
        SANE_LOCKED;
        const auto [index, d] = find(name);
        if (!d) throw ScanError("invalid_option", "Le scanner " + quote(name_) + " n'a pas de réglage " + quote(name) + ".");
        if (!SANE_OPTION_IS_ACTIVE(d->cap) || !SANE_OPTION_IS_SETTABLE(d->cap)) {
            throw ScanError("invalid_option", "Le réglage " + quote(name) + " du scanner " + quote(name_) +
                                                  " n'est pas modifiable en ce moment.");
        }
        SANE_Int info = 0;
        SANE_Status status = SANE_STATUS_GOOD;
        const auto bad = [&](const std::string& expected) {
            return ScanError("invalid_option", "Valeur " + quote(text) + " refusée pour le réglage " + quote(name) +
                                                   " du scanner " + quote(name_) + " (attendu : " + expected + ").");
        };
        switch (d->type) {
        case SANE_TYPE_BOOL: {
            const std::string v = lower(text);
            SANE_Bool value = SANE_FALSE;
            if (v == "yes" || v == "true" || v == "1" || v == "oui") {
                value = SANE_TRUE;
            } else if (!(v == "no" || v == "false" || v == "0" || v == "non")) {
                throw bad("oui ou non");
            }
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, &value, &info);
            break;
        }
        case SANE_TYPE_INT:
        case SANE_TYPE_FIXED: {
            char* end = nullptr;
            const double number = std::strtod(text.c_str(), &end);
            if (text.empty() || !end || *end != '\0') throw bad("un nombre");
            const double chosen = constrain(d, number, bad);
            std::vector<SANE_Word> words(std::max<size_t>(1, static_cast<size_t>(d->size) / sizeof(SANE_Word)));
            const SANE_Word word = d->type == SANE_TYPE_INT ? static_cast<SANE_Word>(std::lround(chosen)) : SANE_FIX(chosen);
            std::fill(words.begin(), words.end(), word);
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, words.data(), &info);
            break;
        }
        case SANE_TYPE_STRING: {
            std::string value = text;
            if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
                std::string choices;
                bool found = false;
                for (const SANE_String_Const* s = d->constraint.string_list; s && *s; ++s) {
                    choices += (choices.empty() ? "" : ", ") + std::string(*s);
                    if (lower(*s) == lower(text)) {
                        value = *s;
                        found = true;
                    }
                }
                if (!found) throw bad("l'une des valeurs " + choices);
            }
            if (value.size() + 1 > static_cast<size_t>(d->size)) throw bad("un texte plus court");
            std::vector<char> buffer(static_cast<size_t>(d->size), '\0');
            std::memcpy(buffer.data(), value.c_str(), value.size());
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, buffer.data(), &info);
            break;
        }
        case SANE_TYPE_BUTTON:
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, nullptr, &info);
            break;
        default:
            throw bad("un réglage modifiable");
        }
        if (status != SANE_STATUS_GOOD) {
            if (status == SANE_STATUS_INVAL) throw bad("une valeur que ce scanner accepte");
            throw error_for_status(status, name_);
        }
        // SANE_INFO_RELOAD_OPTIONS: other options changed (a mode switch changes the depths on
        // offer); descriptors are read afresh at each find(), so nothing is cached to reload.
        // SANE_INFO_INEXACT: the backend rounded; report what it took.
        return read(index, find(name).second);
    }

    bool has(const std::string& name) const {
        SANE_LOCKED;
        const auto [index, d] = find(name);
        return d && SANE_OPTION_IS_ACTIVE(d->cap) && SANE_OPTION_IS_SETTABLE(d->cap);
    }

    const SANE_Option_Descriptor* descriptor(const std::string& name) const {
        SANE_LOCKED;
        return find(name).second;
    }

private:
    std::pair<SANE_Int, const SANE_Option_Descriptor*> find(const std::string& name) const {
        for (SANE_Int i = 1;; ++i) {
            const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle(), i);
            if (!d) return {0, nullptr};
            if (d->name && name == d->name) return {i, d};
        }
    }

    template <typename Bad>
    static double constrain(const SANE_Option_Descriptor* d, double number, const Bad& bad) {
        const auto value_of = [d](SANE_Word w) { return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w); };
        if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
            const double min = value_of(d->constraint.range->min);
            const double max = value_of(d->constraint.range->max);
            if (number < min || number > max) {
                throw bad("de " + std::to_string(static_cast<long long>(min)) + " à " + std::to_string(static_cast<long long>(max)));
            }
        } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list) {
            // The nearest value on offer (a resolution of 300 on a device offering 285 and 300).
            const SANE_Word count = d->constraint.word_list[0];
            double best = number;
            double best_distance = 1e300;
            for (SANE_Word i = 1; i <= count; ++i) {
                const double candidate = value_of(d->constraint.word_list[i]);
                if (std::abs(candidate - number) < best_distance) {
                    best_distance = std::abs(candidate - number);
                    best = candidate;
                }
            }
            if (count == 0) throw bad("une valeur de la liste du scanner");
            return best;
        }
        return number;
    }

    std::string read(SANE_Int index, const SANE_Option_Descriptor* d) const {
        if (!d || d->type == SANE_TYPE_BUTTON || d->type == SANE_TYPE_GROUP || !SANE_OPTION_IS_ACTIVE(d->cap) || d->size <= 0) {
            return {};
        }
        std::vector<char> buffer(static_cast<size_t>(d->size) + 1, '\0');
        if (sane_control_option(handle(), index, SANE_ACTION_GET_VALUE, buffer.data(), nullptr) != SANE_STATUS_GOOD) return {};
        SANE_Word word = 0;
        std::memcpy(&word, buffer.data(), sizeof word);
        switch (d->type) {
        case SANE_TYPE_BOOL: return word ? "yes" : "no";
        case SANE_TYPE_INT: return std::to_string(word);
        case SANE_TYPE_FIXED: {
            char text[32];
            std::snprintf(text, sizeof text, "%g", SANE_UNFIX(word));
            return text;
        }
        case SANE_TYPE_STRING: return std::string(buffer.data());
        default: return {};
        }
    }

    OptionInfo describe(SANE_Int index, const SANE_Option_Descriptor* d) const {
        OptionInfo info;
        info.name = d->name ? d->name : "";
        info.title = d->title ? d->title : "";
        static const char* types[] = {"bool", "int", "fixed", "string", "button", "group"};
        info.type = d->type <= SANE_TYPE_GROUP ? types[d->type] : "?";
        static const char* units[] = {"", "pixel", "bit", "mm", "dpi", "%", "us"};
        info.unit = d->unit <= SANE_UNIT_MICROSECOND ? units[d->unit] : "";
        info.active = SANE_OPTION_IS_ACTIVE(d->cap);
        info.settable = SANE_OPTION_IS_SETTABLE(d->cap);
        info.value = read(index, d);
        const auto value_of = [d](SANE_Word w) { return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w); };
        if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
            info.min = value_of(d->constraint.range->min);
            info.max = value_of(d->constraint.range->max);
            info.step = value_of(d->constraint.range->quant);
        } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list) {
            for (SANE_Word i = 1; i <= d->constraint.word_list[0]; ++i) {
                char text[32];
                std::snprintf(text, sizeof text, "%g", value_of(d->constraint.word_list[i]));
                info.choices.push_back(text);
            }
        } else if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
            for (const SANE_String_Const* s = d->constraint.string_list; s && *s; ++s) info.choices.push_back(*s);
        }
        return info;
    }

    std::string name_;
    HandlePtr handle_;
};

// The words devices use for a mode or a source, best first.
std::vector<std::string> mode_words(const std::string& mode) {
    const std::string m = lower(mode);
    if (m == "gray" || m == "grey" || m == "gris") return {"Gray", "Grayscale", "Grey", "Gray8"};
    if (m == "color" || m == "colour" || m == "couleur") return {"Color", "Colour", "RGB", "24bit Color"};
    if (m == "lineart" || m == "noir et blanc") return {"Lineart", "Binary", "Black & White"};
    return {mode};
}

std::vector<std::string> source_words(const std::string& source) {
    const std::string s = lower(source);
    if (s == "feeder" || s == "adf" || s == "chargeur") return {"Automatic Document Feeder", "ADF", "ADF Front", "Feeder"};
    if (s == "duplex" || s == "recto-verso") return {"ADF Duplex", "Duplex", "Automatic Document Feeder Duplex"};
    if (s == "flatbed" || s == "vitre") return {"Flatbed", "FlatBed", "Normal"};
    return {source};
}

// Sets a string option to the first word the device offers; false when it offers none.
bool set_first_offered(OpenDevice& device, const char* option, const std::vector<std::string>& words) {
    const SANE_Option_Descriptor* d = device.descriptor(option);
    if (!d || d->constraint_type != SANE_CONSTRAINT_STRING_LIST) return false;
    for (const auto& word : words) {
        for (const SANE_String_Const* s = d->constraint.string_list; s && *s; ++s) {
            if (lower(*s) == lower(word)) {
                device.set(option, *s);
                return true;
            }
        }
    }
    return false;
}

void apply(OpenDevice& device, const ScanRequest& request) {
    // Mode and source first: they decide which other options are active (the test backend's
    // three-pass exists only in colour, a depth list depends on the mode). Backend options
    // next (the pnm backend's filename, a test status), then resolution and area, which a mode
    // change may have reset.
    if (!request.mode.empty() && device.has(SANE_NAME_SCAN_MODE) &&
        !set_first_offered(device, SANE_NAME_SCAN_MODE, mode_words(request.mode))) {
        throw ScanError("invalid_option", "Le scanner " + quote(device.name()) + " ne propose pas le mode " + quote(request.mode) + ".");
    }
    if (!request.source.empty()) {
        if (!device.has(SANE_NAME_SCAN_SOURCE) || !set_first_offered(device, SANE_NAME_SCAN_SOURCE, source_words(request.source))) {
            throw ScanError("unsupported", "Le scanner " + quote(device.name()) + " n'a pas de source " + quote(request.source) + ".");
        }
    }
    for (const auto& [name, value] : request.backend_options) device.set(name, value);
    if (request.resolution_dpi > 0 && device.has(SANE_NAME_SCAN_RESOLUTION)) {
        device.set(SANE_NAME_SCAN_RESOLUTION, std::to_string(request.resolution_dpi));
    }
    if (request.brightness && device.has(SANE_NAME_BRIGHTNESS)) device.set(SANE_NAME_BRIGHTNESS, std::to_string(*request.brightness));
    if (request.contrast && device.has(SANE_NAME_CONTRAST)) device.set(SANE_NAME_CONTRAST, std::to_string(*request.contrast));
    if (!request.paper.empty()) {
        const auto size = paper_size(request.paper);
        if (!size) throw ScanError("invalid_option", "Format de papier inconnu " + quote(request.paper) + " (A4, A5 ou Letter).");
        // The area, clamped to what the device can reach (a flatbed smaller than A4 scans
        // what it can).
        for (const auto& [option, value] : {std::pair{SANE_NAME_SCAN_TL_X, 0.0}, std::pair{SANE_NAME_SCAN_TL_Y, 0.0},
                                            std::pair{SANE_NAME_SCAN_BR_X, size->first},
                                            std::pair{SANE_NAME_SCAN_BR_Y, size->second}}) {
            const SANE_Option_Descriptor* d = device.descriptor(option);
            if (!d || !SANE_OPTION_IS_ACTIVE(d->cap)) continue;
            double v = value;
            if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
                const double max = d->type == SANE_TYPE_FIXED ? SANE_UNFIX(d->constraint.range->max) : d->constraint.range->max;
                v = std::min(v, max);
            }
            device.set(option, std::to_string(v));
        }
    }
}

// Turns the bytes of one frame into 8-bit samples.
std::vector<uint8_t> to_eight_bits(const std::vector<uint8_t>& data, const SANE_Parameters& p, int lines, int channels) {
    std::vector<uint8_t> out(static_cast<size_t>(p.pixels_per_line) * static_cast<size_t>(lines) * static_cast<size_t>(channels));
    for (int y = 0; y < lines; ++y) {
        const uint8_t* row = data.data() + static_cast<size_t>(y) * static_cast<size_t>(p.bytes_per_line);
        uint8_t* dest = out.data() + static_cast<size_t>(y) * static_cast<size_t>(p.pixels_per_line) * static_cast<size_t>(channels);
        const int samples = p.pixels_per_line * channels;
        for (int i = 0; i < samples; ++i) {
            if (p.depth == 8) {
                dest[i] = row[i];
            } else if (p.depth == 16) {
                uint16_t sample = 0;
                std::memcpy(&sample, row + 2 * i, 2);  // native byte order, as SANE says
                dest[i] = static_cast<uint8_t>(sample >> 8);
            } else {  // 1 bit: SANE's lineart has 1 for black
                const bool bit = (row[i / 8] >> (7 - (i % 8))) & 1;
                dest[i] = bit ? 0 : 255;
            }
        }
    }
    return out;
}

// Reads frames until the page is complete; one call per page.
ScannedPage read_page(OpenDevice& device, const ScanRequest& request, int page_number, const ProgressCallback& progress,
                      const CancelFlag& cancel) {
    SANE_Handle handle = device.handle();
    int width = 0;
    int height = 0;
    bool colour = false;
    std::vector<uint8_t> gray;
    std::vector<uint8_t> rgb;  // interleaved
    int frames_done = 0;
    for (;;) {
        if (frames_done > 0) {
            const SANE_Status restart = locked_start(handle);  // next frame of a three-pass scan
            if (restart != SANE_STATUS_GOOD) throw error_for_status(restart, device.name());
        }
        SANE_Parameters p{};
        if (locked_get_parameters(handle, &p) != SANE_STATUS_GOOD || p.pixels_per_line <= 0 || p.bytes_per_line <= 0) {
            throw ScanError("io_error", "Le scanner " + quote(device.name()) + " a envoyé une page sans dimensions.");
        }
        if (p.depth != 1 && p.depth != 8 && p.depth != 16) {
            throw ScanError("unsupported", "Profondeur de " + std::to_string(p.depth) + " bits non prise en charge.");
        }
        const int frame_count = (p.format == SANE_FRAME_RED || p.format == SANE_FRAME_GREEN || p.format == SANE_FRAME_BLUE) ? 3 : 1;
        std::vector<uint8_t> data;
        if (p.lines > 0) data.reserve(static_cast<size_t>(p.lines) * static_cast<size_t>(p.bytes_per_line));
        // Non-blocking reads with a select fd, where the backend offers them, let a stalled
        // device be noticed (the net backend does; see the watchdog below for the others).
        SANE_Int fd = -1;
        bool selectable = locked_set_io_mode(handle, SANE_TRUE) == SANE_STATUS_GOOD &&
                          locked_get_select_fd(handle, &fd) == SANE_STATUS_GOOD && fd >= 0;
        if (!selectable) locked_set_io_mode(handle, SANE_FALSE);  // no descriptor to wait on: block in sane_read
        std::vector<SANE_Byte> buffer(64 * 1024);
        auto last_data = std::chrono::steady_clock::now();
        for (;;) {
            if (cancel && cancel->load()) {
                locked_cancel(handle);
                throw error_for_status(SANE_STATUS_CANCELLED, device.name());
            }
            short events = 0;
            if (selectable) {
                pollfd watch{fd, POLLIN | POLLRDHUP, 0};
                const int ready = ::poll(&watch, 1, 200);
                if (ready == 0) {
                    if (std::chrono::steady_clock::now() - last_data > std::chrono::milliseconds(request.stall_timeout_ms)) {
                        device.abandon();
                        throw ScanError("timeout", "Le scanner a cessé d'envoyer la page. Vérifiez-le, puis relancez.");
                    }
                    continue;
                }
                events = watch.revents;
            }
            SANE_Int length = 0;
            const SANE_Status status = sane_read(handle, buffer.data(), static_cast<SANE_Int>(buffer.size()), &length);
            if (status == SANE_STATUS_EOF) break;
            if (status != SANE_STATUS_GOOD) {
                locked_cancel(handle);
                throw error_for_status(status, device.name());
            }
            if (length == 0) {
                // Nothing to read although the descriptor said so, and the other end has hung
                // up: a saned that died (the net backend reports it as "no data yet").
                if (events & (POLLRDHUP | POLLHUP | POLLERR)) {
                    locked_cancel(handle);
                    throw error_for_status(SANE_STATUS_IO_ERROR, device.name());
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));  // non-blocking, nothing yet
                if (std::chrono::steady_clock::now() - last_data > std::chrono::milliseconds(request.stall_timeout_ms)) {
                    device.abandon();
                    throw ScanError("timeout", "Le scanner a cessé d'envoyer la page. Vérifiez-le, puis relancez.");
                }
                continue;
            }
            last_data = std::chrono::steady_clock::now();
            data.insert(data.end(), buffer.begin(), buffer.begin() + length);
            if (progress) {
                ScanProgress step;
                step.page = page_number;
                step.bytes = static_cast<int64_t>(data.size());
                step.lines = static_cast<int>(data.size() / static_cast<size_t>(p.bytes_per_line));
                step.total_lines = p.lines;
                if (p.lines > 0) {
                    const double done = (frames_done + static_cast<double>(step.lines) / p.lines) / frame_count;
                    step.percent = std::min(100, static_cast<int>(done * 100.0));
                }
                progress(step);
            }
        }
        const int lines = static_cast<int>(data.size() / static_cast<size_t>(p.bytes_per_line));
        if (lines <= 0) throw ScanError("io_error", "Le scanner n'a envoyé aucune ligne.");
        // A page shorter than announced: the net backend reports a saned that vanished in the
        // middle of a page (a desk PC switched off) as a plain end of data. A backend that
        // does not know the height announces -1 and is not concerned.
        if (p.lines > 0 && lines < p.lines) {
            locked_cancel(handle);
            throw ScanError("io_error", "Le scanner a cessé d'envoyer la page avant la fin (" + std::to_string(lines) + " lignes sur " +
                                            std::to_string(p.lines) + "). Vérifiez qu'il est allumé et relié, puis relancez.");
        }
        width = p.pixels_per_line;
        height = frames_done == 0 ? lines : std::min(height, lines);
        if (p.format == SANE_FRAME_GRAY && p.depth == 8 && p.bytes_per_line == p.pixels_per_line) {
            data.resize(static_cast<size_t>(lines) * static_cast<size_t>(p.bytes_per_line));
            gray = std::move(data);  // already 8-bit and unpadded: no copy
        } else if (p.format == SANE_FRAME_GRAY) {
            gray = to_eight_bits(data, p, lines, 1);
        } else if (p.format == SANE_FRAME_RGB) {
            colour = true;
            rgb = to_eight_bits(data, p, lines, 3);
        } else if (frame_count == 3) {
            colour = true;
            const auto band = to_eight_bits(data, p, lines, 1);
            rgb.resize(static_cast<size_t>(width) * static_cast<size_t>(lines) * 3, 0);
            const int channel = p.format == SANE_FRAME_RED ? 0 : p.format == SANE_FRAME_GREEN ? 1 : 2;
            for (size_t i = 0; i < band.size() && i * 3 + 2 < rgb.size(); ++i) rgb[i * 3 + static_cast<size_t>(channel)] = band[i];
        } else {
            throw ScanError("unsupported", "Format d'image du scanner non pris en charge.");
        }
        ++frames_done;
        if (p.last_frame) break;
        if (frames_done >= 3) break;
    }

    ScannedPage page;
    Pix* pix = pixCreate(width, height, colour ? 32 : 8);
    const l_int32 wpl = pixGetWpl(pix);
    l_uint32* pix_data = pixGetData(pix);
    for (int y = 0; y < height; ++y) {
        l_uint32* line = pix_data + y * wpl;
        const size_t row = static_cast<size_t>(y) * static_cast<size_t>(width);
        if (colour) {
            for (int x = 0; x < width; ++x) {
                const size_t i = (row + static_cast<size_t>(x)) * 3;
                composeRGBPixel(rgb[i], rgb[i + 1], rgb[i + 2], line + x);
            }
        } else {
            for (int x = 0; x < width; ++x) SET_DATA_BYTE(line, x, gray[row + static_cast<size_t>(x)]);
        }
    }
    gray = {};  // the page lives in the Pix from here on
    rgb = {};
    const int dpi = std::max(0, request.resolution_dpi);
    pixSetResolution(pix, dpi, dpi);
    page.image = PixPtr(pix);
    page.dpi = dpi;
    return page;
}

std::vector<ScannedPage> run_scan(const std::string& device_name, const ScanRequest& request, const ProgressCallback& progress,
                                  const CancelFlag& cancel) {
    OpenDevice device(device_name);
    apply(device, request);
    // The resolution the device really took (it may have rounded).
    int dpi = request.resolution_dpi;
    for (const auto& option : device.options()) {
        if (option.name == SANE_NAME_SCAN_RESOLUTION && option.active && !option.value.empty()) {
            dpi = static_cast<int>(std::lround(std::atof(option.value.c_str())));
        }
    }
    ScanRequest effective = request;
    effective.resolution_dpi = dpi;
    const std::string source = lower(request.source);
    const bool feeder = !source.empty() && source != "flatbed" && source != "vitre";

    std::vector<ScannedPage> pages;
    for (int page_number = 1;; ++page_number) {
        if (cancel && cancel->load()) throw error_for_status(SANE_STATUS_CANCELLED, device_name);
        const SANE_Status status = locked_start(device.handle());
        if (status == SANE_STATUS_NO_DOCS && feeder && !pages.empty()) break;  // the feeder is empty: done
        if (status != SANE_STATUS_GOOD) {
            locked_cancel(device.handle());
            throw error_for_status(status, device_name);
        }
        try {
            pages.push_back(read_page(device, effective, page_number, progress, cancel));
        } catch (ScanError& error) {
            if (!pages.empty()) error.pages_before = std::make_shared<std::vector<ScannedPage>>(std::move(pages));
            throw;
        }
        // Duplex: the backends that offer it deliver the back of each sheet as the next
        // page from sane_start, so the same loop collects it; no virtual backend offers
        // duplex, so this path is only as large as the loop itself.
        if (!feeder || !request.whole_feeder) break;
    }
    locked_cancel(device.handle());  // ends the batch (required by SANE after the last frame)
    return pages;
}

}  // namespace

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

std::future<std::vector<ScannedPage>> Stations::scan(const std::string& station_id, bool preview, ProgressCallback progress,
                                                     CancelFlag cancel) {
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
    return scan_device(device->name, std::move(request), std::move(progress), std::move(cancel));
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
