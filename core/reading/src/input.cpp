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

LoadedDocument load_tiff(const std::string& data, const InputLimits& limits) {
    const auto* bytes = reinterpret_cast<const l_uint8*>(data.data());
    FILE* stream = fmemopen(const_cast<char*>(data.data()), data.size(), "rb");
    if (!stream) fail("unreadable", "Le fichier TIFF ne peut pas être lu.");
    l_int32 count = 0;
    const bool counted = tiffGetCount(stream, &count) == 0;
    fclose(stream);
    if (!counted || count <= 0) fail("unreadable", "Le fichier TIFF est abîmé ou illisible.");
    if (count > limits.max_pages) fail("too_many_pages", pages_limit_message(count, limits.max_pages));
    LoadedDocument document;
    document.format = "tiff";
    for (l_int32 n = 0; n < count; ++n) {
        l_int32 width = 0, height = 0, bps = 0, spp = 0, resolution = 0, colormap = 0, format = 0;
        if (readHeaderMemTiff(bytes, data.size(), n, &width, &height, &bps, &spp, &resolution, &colormap, &format) != 0) {
            fail("unreadable", "La page " + std::to_string(n + 1) + " du fichier TIFF est illisible.");
        }
        check_page_size(width, height, limits, static_cast<size_t>(n));
        Pix* pix = pixReadMemTiff(bytes, data.size(), n);
        if (!pix) fail("unreadable", "La page " + std::to_string(n + 1) + " du fichier TIFF est abîmée.");
        document.pages.push_back(from_pix(pix));
    }
    return document;
}

LoadedDocument load_image(const std::string& data, l_int32 format, const InputLimits& limits) {
    const auto* bytes = reinterpret_cast<const l_uint8*>(data.data());
    if (format == IFF_PNG && data.size() >= 24) {
        // libpng refuses a zero-sized IHDR before Leptonica can report it: read it ourselves.
        const auto be32 = [&data](size_t at) {
            uint32_t value = 0;
            for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(data[at + i]);
            return value;
        };
        if (be32(16) == 0 || be32(20) == 0) check_page_size(be32(16), be32(20), limits, 0);
    }
    l_int32 header_format = 0, width = 0, height = 0, bps = 0, spp = 0, colormap = 0;
    if (pixReadHeaderMem(bytes, data.size(), &header_format, &width, &height, &bps, &spp, &colormap) != 0) {
        fail("unreadable", "L'image est abîmée ou illisible.");
    }
    check_page_size(width, height, limits, 0);
    LoadedDocument document;
    Pix* pix = nullptr;
    if (format == IFF_JFIF_JPEG) {
        document.format = "jpeg";
        if (!has_jpeg_end(data)) fail("truncated", "L'image JPEG est incomplète (fichier tronqué) : renvoyez-la.");
        l_int32 warnings = 0;
        pix = pixReadMemJpeg(bytes, data.size(), 0, 1, &warnings, 0);
    } else if (format == IFF_PNG) {
        document.format = "png";
        pix = pixReadMemPng(bytes, data.size());
        if (!pix) fail("truncated", "L'image PNG est abîmée ou incomplète : renvoyez-la.");
    } else {
        document.format = format == IFF_PNM ? "pnm" : "bmp";
        pix = pixReadMem(bytes, data.size());
    }
    if (!pix) fail("unreadable", "L'image est abîmée ou illisible.");
    if (pixGetWidth(pix) != width || pixGetHeight(pix) != height) {
        pixDestroy(&pix);
        fail("unreadable", "L'image est abîmée : sa taille ne correspond pas à son en-tête.");
    }
    document.pages.push_back(from_pix(pix));
    return document;
}

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

LoadedDocument load_pdf(const std::string& data, const InputLimits& limits) {
    // Poppler writes its complaints on stderr; a broken PDF is reported by us instead.
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
    if (!pdf) fail("unreadable", "Le PDF est abîmé ou illisible.");
    if (pdf->is_locked()) {
        fail("encrypted_pdf", "Le PDF est protégé par un mot de passe : demandez une version sans mot de passe "
                              "ou imprimez-le et numérisez-le.");
    }
    const int count = pdf->pages();
    if (count <= 0) fail("unreadable", "Le PDF ne contient aucune page.");
    if (count > limits.max_pages) fail("too_many_pages", pages_limit_message(count, limits.max_pages));

    LoadedDocument document;
    document.format = "pdf";
    const double scale = kPdfRenderDpi / 72.0;
    for (int index = 0; index < count; ++index) {
        std::unique_ptr<poppler::page> page(pdf->create_page(index));
        if (!page) fail("unreadable", "La page " + std::to_string(index + 1) + " du PDF est illisible.");
        const poppler::rectf rect = page->page_rect();
        const bool turned = page->orientation() == poppler::page::landscape ||
                            page->orientation() == poppler::page::seascape;
        const double width_pt = turned ? rect.height() : rect.width();
        const double height_pt = turned ? rect.width() : rect.height();
        check_page_size(static_cast<int64_t>(std::ceil(width_pt * scale)),
                        static_cast<int64_t>(std::ceil(height_pt * scale)), limits, static_cast<size_t>(index));

        poppler::page_renderer renderer;
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        renderer.set_image_format(poppler::image::format_gray8);
        const poppler::image image = renderer.render_page(page.get(), kPdfRenderDpi, kPdfRenderDpi);
        if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
            fail("unreadable", "La page " + std::to_string(index + 1) + " du PDF ne peut pas être affichée.");
        }
        Pix* pix = pixCreate(image.width(), image.height(), 8);
        const l_int32 words_per_line = pixGetWpl(pix);
        l_uint32* pix_data = pixGetData(pix);
        for (int y = 0; y < image.height(); ++y) {
            const auto* row = reinterpret_cast<const unsigned char*>(image.const_data()) + y * image.bytes_per_row();
            l_uint32* line = pix_data + y * words_per_line;
            for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
        }
        pixSetResolution(pix, kPdfRenderDpi, kPdfRenderDpi);
        LoadedPage loaded;
        loaded.image = PixPtr(pix);
        loaded.dpi = kPdfRenderDpi;

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
        document.pages.push_back(std::move(loaded));
    }
    return document;
}

}  // namespace

LoadedDocument load_document_from_memory(const std::string& data, const InputLimits& limits) {
    if (data.empty()) fail("empty_file", "Le fichier est vide.");
    if (static_cast<int64_t>(data.size()) > limits.max_file_bytes) {
        fail("too_large", "Le fichier est trop volumineux (" + std::to_string(data.size() / (1024 * 1024)) +
                              " Mo, " + std::to_string(limits.max_file_bytes / (1024 * 1024)) + " Mo au plus).");
    }
    if (data.compare(0, 5, "%PDF-") == 0 || data.substr(0, 1024).find("%PDF-") != std::string::npos) {
        return load_pdf(data, limits);
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
        return load_tiff(data, limits);
    case IFF_PNG:
    case IFF_JFIF_JPEG:
    case IFF_PNM:
    case IFF_BMP:
        return load_image(data, format, limits);
    default:
        fail("unsupported_format", "Ce fichier n'est ni une image (PNG, JPEG, TIFF) ni un PDF.");
    }
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
