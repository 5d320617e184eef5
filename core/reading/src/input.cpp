#include "comptoir/reading/input.hpp"

#include "comptoir/base/error.hpp"

#include <leptonica/allheaders.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <new>
#include <sstream>

namespace comptoir {

namespace {

constexpr int64_t kMinPageSide = 16;        // pixels; the code search needs as much
constexpr int64_t kMaxPageElongation = 20;  // long side over short side

[[noreturn]] void fail(const std::string& code, const std::string& message) { throw InputError(code, message); }

std::string pages_limit_message(int64_t pages, int max_pages) {
    return "Le document a trop de pages (" + std::to_string(pages) + ", " + std::to_string(max_pages) +
           " au plus) : numérisez seulement les pages utiles.";
}

void check_page_size(int64_t width, int64_t height, const InputLimits& limits, size_t page_index) {
    const std::string page = " (page " + std::to_string(page_index + 1) + ")";
    if (width <= 0 || height <= 0) fail("empty_page", "Une page du document est vide, de taille nulle" + page + ".");
    // A strip a few pixels wide, or twenty times longer than wide, is no page and no code (a
    // till receipt is about 1 × 8): the OCR's orientation check even aborts on some.
    const int64_t narrow = std::min(width, height);
    if (narrow < kMinPageSide || std::max(width, height) > kMaxPageElongation * narrow) {
        fail("not_a_page", "L'image est trop étroite pour être une page (" + std::to_string(width) + " × " +
                               std::to_string(height) + " pixels, page " + std::to_string(page_index + 1) +
                               ") : numérisez ou photographiez la page entière.");
    }
    if (width * height > limits.max_pixels) {
        fail("too_large", "L'image est trop grande (" + std::to_string(width) + " × " + std::to_string(height) +
                              " pixels" + page + ") : numérisez-la à 300 dpi au plus.");
    }
}

bool has_jpeg_end(const std::string& data) {
    // A complete JPEG ends with the EOI marker FF D9 (some writers pad with zeros after it).
    size_t end = data.size();
    while (end > 2 && data[end - 1] == '\0') --end;
    return end >= 2 && static_cast<unsigned char>(data[end - 2]) == 0xFF &&
           static_cast<unsigned char>(data[end - 1]) == 0xD9;
}

LoadedPage from_pix(Pix* pix) {
    LoadedPage page;
    page.image = PixPtr(pix);
    page.dpi = pixGetXRes(pix);
    if (page.dpi < 0 || page.dpi > 4800) page.dpi = 0;  // nonsense in a header means "unknown"
    return page;
}

// A page's size, once its header is read: checked alone, then with the pages before it.
void add_page(std::vector<PageSize>& sizes, PageSize size, const InputLimits& limits) {
    check_page_size(size.width, size.height, limits, sizes.size());
    int64_t total = size.pixels();
    for (const PageSize& other : sizes) total += other.pixels();
    if (total > limits.document_pixels) {
        fail("too_heavy", "Ce fichier est trop lourd à lire : ses pages font ensemble plus de " +
                              std::to_string(limits.document_pixels / 1'000'000) +
                              " millions de pixels. Numérisez-le à 300 dpi au plus, ou seulement les pages utiles.");
    }
    sizes.push_back(size);
}

class TiffDecoder : public PageDecoder {
public:
    TiffDecoder(std::string data, const InputLimits& limits) : data_(std::move(data)) {
        format_ = "tiff";
        FILE* stream = fmemopen(data_.data(), data_.size(), "rb");
        if (!stream) fail("unreadable", "Le fichier TIFF ne peut pas être lu.");
        l_int32 count = 0;
        const bool counted = tiffGetCount(stream, &count) == 0;
        fclose(stream);
        if (!counted || count <= 0) fail("unreadable", "Le fichier TIFF est abîmé ou illisible.");
        if (count > limits.max_pages) fail("too_many_pages", pages_limit_message(count, limits.max_pages));
        for (l_int32 n = 0; n < count; ++n) {
            l_int32 width = 0, height = 0, bps = 0, spp = 0, resolution = 0, colormap = 0, format = 0;
            if (readHeaderMemTiff(bytes(), data_.size(), n, &width, &height, &bps, &spp, &resolution, &colormap,
                                  &format) != 0) {
                fail("unreadable", "La page " + std::to_string(n + 1) + " du fichier TIFF est illisible.");
            }
            add_page(sizes_, PageSize{width, height, resolution}, limits);
        }
    }
    LoadedPage decode(size_t index) override {
        Pix* pix = pixReadMemTiff(bytes(), data_.size(), static_cast<l_int32>(index));
        if (!pix) fail("unreadable", "La page " + std::to_string(index + 1) + " du fichier TIFF est abîmée.");
        return from_pix(pix);
    }

private:
    const l_uint8* bytes() const { return reinterpret_cast<const l_uint8*>(data_.data()); }
    std::string data_;
};

class ImageDecoder : public PageDecoder {
public:
    ImageDecoder(std::string data, l_int32 format, const InputLimits& limits) : data_(std::move(data)), iff_(format) {
        if (format == IFF_PNG && data_.size() >= 24) {
            // libpng refuses a zero-sized IHDR before Leptonica can report it: read it ourselves.
            const auto be32 = [this](size_t at) {
                uint32_t value = 0;
                for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(data_[at + i]);
                return value;
            };
            if (be32(16) == 0 || be32(20) == 0) check_page_size(be32(16), be32(20), limits, 0);
        }
        l_int32 header_format = 0, width = 0, height = 0, bps = 0, spp = 0, colormap = 0;
        if (pixReadHeaderMem(bytes(), data_.size(), &header_format, &width, &height, &bps, &spp, &colormap) != 0) {
            fail("unreadable", "L'image est abîmée ou illisible.");
        }
        format_ = format == IFF_JFIF_JPEG ? "jpeg" : format == IFF_PNG ? "png" : format == IFF_PNM ? "pnm" : "bmp";
        add_page(sizes_, PageSize{width, height, 0}, limits);
        if (format == IFF_JFIF_JPEG && !has_jpeg_end(data_)) {
            fail("truncated", "L'image JPEG est incomplète (fichier tronqué) : renvoyez-la.");
        }
    }
    LoadedPage decode(size_t) override {
        Pix* pix = nullptr;
        if (iff_ == IFF_JFIF_JPEG) {
            l_int32 warnings = 0;
            pix = pixReadMemJpeg(bytes(), data_.size(), 0, 1, &warnings, 0);
        } else if (iff_ == IFF_PNG) {
            pix = pixReadMemPng(bytes(), data_.size());
            if (!pix) fail("truncated", "L'image PNG est abîmée ou incomplète : renvoyez-la.");
        } else {
            pix = pixReadMem(bytes(), data_.size());
        }
        if (!pix) fail("unreadable", "L'image est abîmée ou illisible.");
        if (pixGetWidth(pix) != sizes_[0].width || pixGetHeight(pix) != sizes_[0].height) {
            pixDestroy(&pix);
            fail("unreadable", "L'image est abîmée : sa taille ne correspond pas à son en-tête.");
        }
        return from_pix(pix);
    }

private:
    const l_uint8* bytes() const { return reinterpret_cast<const l_uint8*>(data_.data()); }
    std::string data_;
    l_int32 iff_;
};

// Groups PDF text-layer words into lines and blocks, in the order Poppler gives them
// (reading order).
void assign_lines(std::vector<Word>& words) {
    uint32_t line = 0;
    uint32_t block = 0;
    const Word* previous = nullptr;
    for (auto& word : words) {
        if (!previous) {
            line = 1;
            block = 1;
        } else {
            const int previous_center = previous->box.y + previous->box.height / 2;
            const int center = word.box.y + word.box.height / 2;
            const int height = std::max(1, std::max(previous->box.height, word.box.height));
            const bool same_line = std::abs(center - previous_center) < height / 2 &&
                                   word.box.x >= previous->box.x + previous->box.width / 2;
            if (!same_line) {
                ++line;
                const int gap = word.box.y - (previous->box.y + previous->box.height);
                if (gap > 2 * height || gap < -4 * height) ++block;
            }
        }
        word.line_id = line;
        word.block_id = block;
        previous = &word;
    }
}

// The resolution a PDF page is rendered at: 300 dpi, less when that would pass max_pixels.
int pdf_page_dpi(double width_pt, double height_pt, const InputLimits& limits, size_t index) {
    const double at_300 = std::ceil(width_pt * kPdfRenderDpi / 72.0) * std::ceil(height_pt * kPdfRenderDpi / 72.0);
    if (width_pt <= 0 || height_pt <= 0 || at_300 <= static_cast<double>(limits.max_pixels)) return kPdfRenderDpi;
    const int dpi = static_cast<int>(std::floor(kPdfRenderDpi * std::sqrt(limits.max_pixels / at_300)));
    // Under 72 dpi nothing on the page could be read: a page of a metre and more is refused.
    if (dpi < 72) {
        const auto cm = [](double pt) { return std::to_string(static_cast<int64_t>(std::lround(pt / 72.0 * 2.54))); };
        fail("too_large", "La page " + std::to_string(index + 1) + " du PDF est démesurée (" + cm(width_pt) + " × " +
                              cm(height_pt) + " cm) : envoyez un PDF aux pages de taille ordinaire (A4), "
                              "ou imprimez-la et numérisez-la.");
    }
    return dpi;
}

class PdfDecoder : public PageDecoder {
public:
    PdfDecoder(std::string data, const InputLimits& limits) : data_(std::move(data)) {
        format_ = "pdf";
        // Poppler writes its complaints on stderr; a broken PDF is reported by us instead.
        poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
        pdf_.reset(poppler::document::load_from_raw_data(data_.data(), static_cast<int>(data_.size())));
        if (!pdf_) fail("unreadable", "Le PDF est abîmé ou illisible.");
        if (pdf_->is_locked()) {
            fail("encrypted_pdf", "Le PDF est protégé par un mot de passe : demandez une version sans mot de passe "
                                  "ou imprimez-le et numérisez-le.");
        }
        const int count = pdf_->pages();
        if (count <= 0) fail("unreadable", "Le PDF ne contient aucune page.");
        if (count > limits.max_pages) fail("too_many_pages", pages_limit_message(count, limits.max_pages));
        for (int index = 0; index < count; ++index) {
            std::unique_ptr<poppler::page> page(pdf_->create_page(index));
            if (!page) fail("unreadable", "La page " + std::to_string(index + 1) + " du PDF est illisible.");
            const poppler::rectf rect = page->page_rect();
            const bool turned = page->orientation() == poppler::page::landscape ||
                                page->orientation() == poppler::page::seascape;
            const double width_pt = turned ? rect.height() : rect.width();
            const double height_pt = turned ? rect.width() : rect.height();
            const int dpi = pdf_page_dpi(width_pt, height_pt, limits, static_cast<size_t>(index));
            const double scale = dpi / 72.0;
            add_page(sizes_, PageSize{static_cast<int64_t>(std::ceil(width_pt * scale)),
                                      static_cast<int64_t>(std::ceil(height_pt * scale)), dpi}, limits);
        }
    }

    LoadedPage decode(size_t index) override {
        const int dpi = sizes_.at(index).dpi;
        const double scale = dpi / 72.0;
        std::unique_ptr<poppler::page> page(pdf_->create_page(static_cast<int>(index)));
        if (!page) fail("unreadable", "La page " + std::to_string(index + 1) + " du PDF est illisible.");
        poppler::page_renderer renderer;
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        renderer.set_image_format(poppler::image::format_gray8);
        const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
        if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
            fail("unreadable", "La page " + std::to_string(index + 1) + " du PDF ne peut pas être affichée.");
        }
        Pix* pix = pixCreate(image.width(), image.height(), 8);
        if (!pix) throw std::bad_alloc();
        const l_int32 words_per_line = pixGetWpl(pix);
        l_uint32* pix_data = pixGetData(pix);
        for (int y = 0; y < image.height(); ++y) {
            const auto* row = reinterpret_cast<const unsigned char*>(image.const_data()) + y * image.bytes_per_row();
            l_uint32* line = pix_data + y * words_per_line;
            for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
        }
        pixSetResolution(pix, dpi, dpi);
        LoadedPage loaded;
        loaded.image = PixPtr(pix);
        loaded.dpi = dpi;

        // A real text layer (not a scan with a few stray characters) is read instead of OCR.
        std::vector<Word> words;
        size_t letters = 0;
        for (const auto& box : page->text_list()) {
            const poppler::byte_array utf8 = box.text().to_utf8();
            std::string text(utf8.begin(), utf8.end());
            if (text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
            const poppler::rectf bbox = box.bbox();
            Word word;
            word.text = text;
            word.confidence = 1.0f;
            word.page = static_cast<uint32_t>(index + 1);
            word.box = Box{static_cast<int32_t>(std::lround(bbox.x() * scale)), static_cast<int32_t>(std::lround(bbox.y() * scale)),
                           static_cast<int32_t>(std::lround(bbox.width() * scale)),
                           static_cast<int32_t>(std::lround(bbox.height() * scale))};
            letters += text.size();
            words.push_back(std::move(word));
        }
        if (words.size() >= 3 && letters >= 10) {
            assign_lines(words);
            loaded.text_layer = true;
            loaded.words = std::move(words);
        }
        return loaded;
    }

private:
    std::string data_;  // Poppler reads it in place
    std::unique_ptr<poppler::document> pdf_;
};

}  // namespace

std::unique_ptr<PageDecoder> PageDecoder::open(std::string data, const InputLimits& limits) {
    if (data.empty()) fail("empty_file", "Le fichier est vide.");
    if (static_cast<int64_t>(data.size()) > limits.max_file_bytes) {
        fail("too_large", "Le fichier est trop volumineux (" + std::to_string(data.size() / (1024 * 1024)) +
                              " Mo, " + std::to_string(limits.max_file_bytes / (1024 * 1024)) + " Mo au plus).");
    }
    if (data.compare(0, 5, "%PDF-") == 0 || data.substr(0, 1024).find("%PDF-") != std::string::npos) {
        return std::make_unique<PdfDecoder>(std::move(data), limits);
    }
    if (data.size() >= 12 && data.compare(4, 4, "ftyp") == 0) {
        fail("unsupported_format", "Les photos HEIC ne sont pas lues : réglez le téléphone sur « JPEG » "
                                   "(format le plus compatible) ou envoyez une capture d'écran.");
    }
    l_int32 format = IFF_UNKNOWN;
    if (data.size() < 12 ||
        findFileFormatBuffer(reinterpret_cast<const l_uint8*>(data.data()), &format) != 0) {
        format = IFF_UNKNOWN;
    }
    switch (format) {
    case IFF_TIFF:
    case IFF_TIFF_PACKBITS:
    case IFF_TIFF_RLE:
    case IFF_TIFF_G3:
    case IFF_TIFF_G4:
    case IFF_TIFF_LZW:
    case IFF_TIFF_ZIP:
    case IFF_TIFF_JPEG:
        return std::make_unique<TiffDecoder>(std::move(data), limits);
    case IFF_PNG:
    case IFF_JFIF_JPEG:
    case IFF_PNM:
    case IFF_BMP:
        return std::make_unique<ImageDecoder>(std::move(data), format, limits);
    default:
        fail("unsupported_format", "Ce fichier n'est ni une image (PNG, JPEG, TIFF) ni un PDF.");
    }
}

LoadedDocument load_document_from_memory(const std::string& data, const InputLimits& limits) {
    const auto decoder = PageDecoder::open(data, limits);
    LoadedDocument document;
    document.format = decoder->format();
    for (size_t i = 0; i < decoder->sizes().size(); ++i) document.pages.push_back(decoder->decode(i));
    return document;
}

LoadedDocument load_document(const std::string& path, const InputLimits& limits) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) fail("not_found", "Le fichier est introuvable ou illisible.");
    const std::streamoff size = in.tellg();
    if (size < 0) fail("not_a_file", "Ce n'est pas un fichier.");
    if (size > limits.max_file_bytes) {
        fail("too_large", "Le fichier est trop volumineux (" + std::to_string(size / (1024 * 1024)) + " Mo, " +
                              std::to_string(limits.max_file_bytes / (1024 * 1024)) + " Mo au plus).");
    }
    std::string data(static_cast<size_t>(size), '\0');
    in.seekg(0);
    in.read(data.data(), size);
    if (!in) fail("unreadable", "Le fichier ne peut pas être lu.");
    return load_document_from_memory(data, limits);
}

}  // namespace comptoir
