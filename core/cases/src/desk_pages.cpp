// The pages of a document as the desk shows them: each page at display size, upright as it was
// read, made once from the input — by a decoding child, only the page asked and a few
// thumbnails — and kept sealed in the spool (Spool::rendition_path) so that the next look at it
// does not decode the input again; and the text the OCR read on a page.
#include "comptoir/cases/desk.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/image/image.hpp"
#include "comptoir/reading/document.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/page_source.hpp"

#include <leptonica/allheaders.h>

#include <Poco/File.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

namespace comptoir {
namespace {

// Thumbnails made besides the page asked, at most, by one view (the others by the next views).
constexpr int kThumbnailsPerView = 8;

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

    // One input opened at a time: the thumbnails and the page asked together by one screen
    // wait for the first, which makes them. The file is decoded by a child (page_source.hpp),
    // only the pages wanted, each scaled down there and held in the server's pixel budget.
    std::lock_guard<std::mutex> lock(renditions_mutex_);
    if (auto png = read_cached()) return *png;
    const auto deadline = SteadyClock::now() + std::chrono::seconds(std::max(1, options_.pipeline.reading_timeout_s));
    const auto source = pipeline_->open_pages(crypto_.read_file(document.input_path), deadline);
    ++page_decodes_;
    const auto pages = static_cast<int64_t>(source->sizes().size());
    if (page > pages) throw no_page();
    // The page asked for, at its width and as a thumbnail; the next page likewise (one click
    // away); then the thumbnails of a few pages after them that are not made yet (the screen
    // that shows a page shows them). Never the whole file.
    std::vector<std::pair<int64_t, std::vector<int>>> wanted;
    for (int64_t k = 0; k < pages && static_cast<int>(wanted.size()) < kThumbnailsPerView + 2; ++k) {
        const int64_t n = (page - 1 + k) % pages + 1;
        std::vector<int> widths;
        for (const int w : {served, kPageWidths[0]}) {
            const bool missing = (n == page && w == served) || !Poco::File(cached(n, w)).exists();
            if (missing && (k < 2 || w == kPageWidths[0]) && std::find(widths.begin(), widths.end(), w) == widths.end()) {
                widths.push_back(w);
            }
        }
        if (!widths.empty()) wanted.push_back({n, widths});
    }
    std::string asked;
    for (const auto& [n, widths] : wanted) {
        const size_t index = static_cast<size_t>(n - 1);
        const auto held = pipeline_->pixels().hold(source->sizes()[index].pixels(), deadline);
        if (!held) throw UnavailableError("busy", "Le serveur est trop occupé pour afficher cette page : réessayez.");
        // Scaled in the child to the widest rendition wanted (sides swapped by a quarter turn).
        const int widest = widths.front() == 0 ? 0 : *std::max_element(widths.begin(), widths.end());
        const bool sideways = turns_of(n) % 2 == 1;
        LoadedPage loaded = source->page(index, deadline, sideways ? 0 : widest, sideways ? widest : 0);
        for (const int w : widths) {
            const std::string png = rendition(loaded.image.get(), turns_of(n), w);
            if (n == page && w == served) asked = png;
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
