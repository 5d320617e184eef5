// A scan job on one device: the request applied to its options (mode and source in the
// device's own words, paper area), then the pages read frame by frame, watched for a device
// that stops sending, and turned into 8-bit Leptonica images.
#include "device.hpp"

#include <leptonica/allheaders.h>

#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // POLLRDHUP
#endif
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace comptoir::scanners {
namespace {

// Paper sizes in millimetres.
std::optional<std::pair<double, double>> paper_size(const std::string& paper) {
    const std::string p = lower(paper);
    if (p == "a4") return std::pair{210.0, 297.0};
    if (p == "a5") return std::pair{148.0, 210.0};
    if (p == "letter") return std::pair{215.9, 279.4};
    return std::nullopt;
}

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
    if (request.duplex) {
        // Both sides: a duplex option where the device has one, else its duplex source.
        const SANE_Option_Descriptor* d = device.descriptor(SANE_NAME_SCAN_SOURCE);
        std::string word;
        for (const SANE_String_Const* s = d && d->constraint_type == SANE_CONSTRAINT_STRING_LIST ? d->constraint.string_list : nullptr;
             s && *s && word.empty(); ++s) {
            if (lower(*s).find("duplex") != std::string::npos) word = *s;
        }
        if (device.has("duplex")) {
            device.set("duplex", "yes");
        } else if (!word.empty()) {
            device.set(SANE_NAME_SCAN_SOURCE, word);
        } else {
            throw ScanError("unsupported", "Le scanner " + quote(device.name()) + " ne numérise pas en recto verso.");
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
    if (request.area_mm) {
        // A part of the glass (the crop drawn on the preview): its corners, in millimetres.
        const auto [left, top, width, height] = *request.area_mm;
        // The bottom-right corner first: never left of or above the top-left one while set.
        for (const auto& [option, value] : {std::pair{SANE_NAME_SCAN_BR_X, left + width},
                                            std::pair{SANE_NAME_SCAN_BR_Y, top + height},
                                            std::pair{SANE_NAME_SCAN_TL_X, left}, std::pair{SANE_NAME_SCAN_TL_Y, top}}) {
            const SANE_Option_Descriptor* d = device.descriptor(option);
            if (!d || !SANE_OPTION_IS_ACTIVE(d->cap) || d->unit != SANE_UNIT_MM) {
                throw ScanError("unsupported", "Le scanner " + quote(device.name()) + " ne permet pas de choisir une zone.");
            }
            double v = value;
            if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
                const auto unfix = [d](SANE_Word w) { return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w); };
                v = std::clamp(v, unfix(d->constraint.range->min), unfix(d->constraint.range->max));
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
        if (p.lines > 0) {
            data.reserve(static_cast<size_t>(p.lines) * static_cast<size_t>(p.bytes_per_line));
            prefer_huge_pages(data.data(), data.capacity());
        }
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
    // Every pixel is written below: no need to clear the page first (8 MiB at A4 300 dpi).
    Pix* pix = pixCreateNoInit(width, height, colour ? 32 : 8);
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
            // Rows copied as bytes, then each 32-bit word put in Leptonica's order at once
            // (pixEndianByteSwap below), rather than one SET_DATA_BYTE per pixel.
            std::memcpy(line, gray.data() + row, static_cast<size_t>(width));
        }
    }
    if (!colour) {
        pixEndianByteSwap(pix);
        pixSetPadBits(pix, 0);
    }
    gray = {};  // the page lives in the Pix from here on
    rgb = {};
    const int dpi = std::max(0, request.resolution_dpi);
    pixSetResolution(pix, dpi, dpi);
    page.image = PixPtr(pix);
    page.dpi = dpi;
    return page;
}

}  // namespace

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

}  // namespace comptoir::scanners
