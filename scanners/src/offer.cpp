// What a device offers the mediator, from its SANE options (resolutions, modes, sources, duplex,
// paper and area), and whether a scan's choices are among them: a request outside of it is
// refused in French before the device is touched.
#include "comptoir/scanners.hpp"

#include "sane_calls.hpp"

#include <sane/saneopts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace comptoir::scanners {
namespace {

const OptionInfo* find(const std::vector<OptionInfo>& options, const char* name) {
    for (const auto& option : options) {
        if (option.name == name && option.active && option.settable) return &option;
    }
    return nullptr;
}

bool contains(const std::vector<std::string>& words, const std::string& word) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return lower(w) == lower(word); });
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
    return out;
}

}  // namespace

DeviceOffer offer_of(const std::vector<OptionInfo>& options) {
    DeviceOffer offer;
    if (const OptionInfo* resolution = find(options, SANE_NAME_SCAN_RESOLUTION)) {
        if (!resolution->choices.empty()) {
            for (const auto& choice : resolution->choices) {
                char* end = nullptr;
                const double value = std::strtod(choice.c_str(), &end);
                if (end && *end == '\0' && value > 0) offer.resolutions.push_back(static_cast<int>(std::lround(value)));
            }
        } else if (resolution->min && resolution->max) {
            // A range (the test backend's 1..1200): the usual resolutions within it.
            offer.resolution_range = std::pair{static_cast<int>(std::ceil(*resolution->min)), static_cast<int>(*resolution->max)};
            for (const int usual : {75, 100, 150, 200, 300, 400, 600, 1200}) {
                if (usual >= *resolution->min && usual <= *resolution->max) offer.resolutions.push_back(usual);
            }
        }
    }
    if (const OptionInfo* mode = find(options, SANE_NAME_SCAN_MODE)) offer.modes = mode->choices;
    if (const OptionInfo* source = find(options, SANE_NAME_SCAN_SOURCE)) offer.sources = source->choices;
    offer.duplex = std::any_of(offer.sources.begin(), offer.sources.end(),
                               [](const std::string& s) { return lower(s).find("duplex") != std::string::npos; }) ||
                   find(options, "duplex") != nullptr;
    const OptionInfo* br_x = find(options, SANE_NAME_SCAN_BR_X);
    const OptionInfo* br_y = find(options, SANE_NAME_SCAN_BR_Y);
    if (br_x && br_y && br_x->unit == "mm" && br_y->unit == "mm" && br_x->max && br_y->max &&
        find(options, SANE_NAME_SCAN_TL_X) && find(options, SANE_NAME_SCAN_TL_Y)) {
        offer.area_mm = std::pair{*br_x->max, *br_y->max};
        offer.papers = {"A4", "A5", "Letter"};
    }
    return offer;
}

std::optional<std::string> refusal(const DeviceOffer& offer, const ScanChoice& choice) {
    if (choice.resolution_dpi) {
        const int dpi = *choice.resolution_dpi;
        const bool offered = std::find(offer.resolutions.begin(), offer.resolutions.end(), dpi) != offer.resolutions.end() ||
                             (offer.resolution_range && dpi >= offer.resolution_range->first &&
                              dpi <= offer.resolution_range->second);
        if (!offered) {
            std::vector<std::string> listed;
            for (const int r : offer.resolutions) listed.push_back(std::to_string(r));
            return "Ce scanner ne propose pas la résolution de " + std::to_string(*choice.resolution_dpi) + " ppp" +
                   (listed.empty() ? " : il n'a pas de réglage de résolution." : " (proposées : " + joined(listed) + ").");
        }
    }
    if (!choice.mode.empty() && !contains(offer.modes, choice.mode)) {
        return "Ce scanner ne propose pas le mode " + quote(choice.mode) +
               (offer.modes.empty() ? " : il n'a pas de réglage de mode." : " (proposés : " + joined(offer.modes) + ").");
    }
    if (!choice.source.empty() && !contains(offer.sources, choice.source)) {
        return "Ce scanner n'a pas de source " + quote(choice.source) +
               (offer.sources.empty() ? "." : " (sources : " + joined(offer.sources) + ").");
    }
    if (choice.duplex && !offer.duplex) return std::string("Ce scanner ne numérise pas en recto verso.");
    if (!choice.paper.empty() && !contains(offer.papers, choice.paper)) {
        return "Format de papier " + quote(choice.paper) + " non proposé par ce scanner" +
               (offer.papers.empty() ? "." : " (formats : " + joined(offer.papers) + ").");
    }
    if (choice.area_mm) {
        if (!offer.area_mm) return std::string("Ce scanner ne permet pas de choisir une zone à numériser.");
        const auto [left, top, width, height] = *choice.area_mm;
        const auto [reach_x, reach_y] = *offer.area_mm;
        if (!(width >= 5 && height >= 5)) return std::string("La zone à numériser doit mesurer au moins 5 mm de côté.");
        if (!(left >= 0 && top >= 0) || left + width > reach_x + 0.5 || top + height > reach_y + 0.5) {
            return "La zone à numériser dépasse ce que le scanner atteint (" + number(reach_x) + " × " + number(reach_y) +
                   " mm).";
        }
    }
    return std::nullopt;
}

}  // namespace comptoir::scanners
