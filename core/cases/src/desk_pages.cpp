// The pages of a document as the desk shows them: each page at display size, upright as it was
// read, made once from the input and kept sealed in the spool (Spool::rendition_path) so that
// the next look at it does not decode the input again; and the text the OCR read on a page.
#include "comptoir/cases/desk.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/image/image.hpp"
#include "comptoir/reading/document.hpp"
#include "comptoir/reading/input.hpp"

#include <leptonica/allheaders.h>

#include <Poco/File.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

namespace comptoir {
namespace {

// The page's quarter turns as it was read (a page that came in upside down or sideways is
// shown upright, where the boxes of its fields fall).
std::map<int64_t, int> quarter_turns(const Reading& read) {
    std::map<int64_t, int> turns;
    for (const PageInfo& info : read.page_info) turns[info.page] = ((info.rotation_deg / 90) % 4 + 4) % 4;
    return turns;
}

// `page` upright and at `width` (0: as it is; never enlarged), as PNG.
std::string rendition(Pix* page, int quads, int width) {
    PixPtr upright;
    if (quads != 0) {
        upright.reset(pixRotateOrth(page, quads));
        if (!upright) throw Error("page_image", "La page n'a pas pu être tournée pour l'affichage.");
        page = upright.get();
    }
    if (width <= 0 || width >= pix_width(page)) return pix_to_png(page);
    // 1-bit and colour-mapped pages to 8 or 32 bits first: scaled down, they turn to gray
    // levels instead of losing strokes.
    PixPtr deep(pixConvertTo8Or32(page, L_CLONE, 0));
    PixPtr scaled(deep ? pixScaleToSize(deep.get(), width, 0) : nullptr);
    if (!scaled) throw Error("page_image", "La page n'a pas pu être mise à la taille de l'écran.");
    return pix_to_png(scaled.get());
}

}  // namespace

int Desk::page_width_served(int width) {
    if (width <= 0) return 0;
    for (const int served : kPageWidths) {
        if (served >= width) return served;
    }
    return kPageWidths[std::size(kPageWidths) - 1];
}

std::string Desk::page_png(int64_t case_id, int64_t document_id, int64_t page, int width) const {
    const auto document = document_of(case_id, document_id);
    if (document.input_path.empty()) throw NotFoundError("no_page", "Ce document n'a pas encore de page.");
    const auto no_page = [] { return NotFoundError("no_page", "Cette page n'existe pas."); };
    if (page < 1 || (document.pages > 0 && page > document.pages)) throw no_page();
    const int served = page_width_served(width);
    const auto turns = document.result.empty() ? std::map<int64_t, int>{} : quarter_turns(reading(document));
    const auto turns_of = [&turns](int64_t n) { return turns.count(n) ? turns.at(n) : 0; };
    const auto cached = [&](int64_t n, int w) { return spool_.rendition_path(case_id, document_id, n, w, 90 * turns_of(n)); };
    const auto read_cached = [&]() -> std::optional<std::string> {
        const std::string path = cached(page, served);
        if (!Poco::File(path).exists()) return std::nullopt;
        try {
            return crypto_.read_file(path);
        } catch (const Error&) {
            return std::nullopt;  // unreadable (a key changed, a cut write): made again
        }
    };
    if (auto png = read_cached()) return *png;

    // One input decoded at a time: the thumbnails and the page asked together by one screen
    // wait for the first decoding, which makes them all.
    std::lock_guard<std::mutex> lock(renditions_mutex_);
    if (auto png = read_cached()) return *png;
    InputLimits limits;
    limits.max_pixels = options_.pipeline.max_pixels;
    limits.max_pages = options_.pipeline.max_pages;
    LoadedDocument loaded = load_document_from_memory(crypto_.read_file(document.input_path), limits);
    ++page_decodes_;
    if (page > static_cast<int64_t>(loaded.pages.size())) throw no_page();
    // The page asked for, then at the same width and as thumbnails the other pages: the screen
    // that shows a page shows the others' thumbnails, and the next page is one click away.
    std::vector<int> widths{served};
    if (served != kPageWidths[0]) widths.push_back(kPageWidths[0]);
    std::string asked;
    for (size_t i = 0; i < loaded.pages.size(); ++i) {
        const auto n = static_cast<int64_t>(i + 1);
        for (const int w : widths) {
            const bool wanted = n == page && w == served;
            if (!wanted && Poco::File(cached(n, w)).exists()) continue;
            const std::string png = rendition(loaded.pages[i].image.get(), turns_of(n), w);
            if (wanted) asked = png;
            try {
                crypto_.write_file(cached(n, w), png);
            } catch (const Error&) {
                // A cache not written is made again next time; the page is still shown.
            }
        }
    }
    return asked;
}

std::string Desk::page_text(int64_t case_id, int64_t document_id, int64_t page) const {
    const auto document = document_of(case_id, document_id);
    if (document.state != "done") {
        throw ConflictError("not_ready", "Le document n'est pas encore lu : attendez la fin de la lecture.");
    }
    if (page < 1 || page > document.pages) throw NotFoundError("no_page", "Cette page n'existe pas.");
    if (document.reading.empty()) return "";
    try {
        const Document read = Document::from_json(document.reading);
        if (page > static_cast<int64_t>(read.page_count())) return "";
        return read.text(static_cast<uint32_t>(page));
    } catch (const InputError&) {
        throw Error("stored_reading", "Le texte lu sur cette page est illisible : faites relire le document.");
    }
}

}  // namespace comptoir
