#include "comptoir/cases/uploads.hpp"

#include "comptoir/base/error.hpp"

#include <leptonica/allheaders.h>

#include <Poco/Path.h>

namespace comptoir {

std::string upload_format(const std::string& content) {
    const auto starts = [&](const std::string& magic) { return content.compare(0, magic.size(), magic) == 0; };
    if (starts("\x89PNG\r\n\x1a\n")) return "png";
    if (starts("\xff\xd8\xff")) return "jpg";
    if (starts(std::string("II*\0", 4)) || starts(std::string("MM\0*", 4))) return "tif";
    if (starts("%PDF-")) return "pdf";
    return "";
}

namespace {

// The length of the valid UTF-8 sequence at `at` (0: none: a stray or overlong byte, a
// surrogate, past U+10FFFF, cut short).
size_t utf8_sequence(const std::string& text, size_t at) {
    const auto byte = [&](size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
    const unsigned lead = byte(at);
    if (lead < 0x80) return 1;
    const auto follows = [&](size_t i) { return (byte(i) & 0xC0) == 0x80; };
    if (lead >= 0xC2 && lead <= 0xDF) return follows(at + 1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned second = byte(at + 1);
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F)) return 0;
        return follows(at + 1) && follows(at + 2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned second = byte(at + 1);
        if ((lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) return 0;
        return follows(at + 1) && follows(at + 2) && follows(at + 3) ? 4 : 0;
    }
    return 0;
}

}  // namespace

std::string display_name(const std::string& filename) {
    const std::string given = Poco::Path(filename).getFileName();
    std::string name;
    for (size_t at = 0; at < given.size();) {
        const size_t length = utf8_sequence(given, at);
        const std::string piece = length == 0 ? "\xEF\xBF\xBD" : given.substr(at, length);
        at += length == 0 ? 1 : length;
        if (length == 1 && (static_cast<unsigned char>(piece[0]) < 0x20 || piece[0] == 0x7F)) continue;
        if (name.size() + piece.size() > 120) break;  // whole characters only
        name += piece;
    }
    return name;
}

std::string pages_to_tiff(const std::vector<Pix*>& pages) {
    PIXA* pixa = pixaCreate(static_cast<l_int32>(pages.size()));
    for (Pix* page : pages) pixaAddPix(pixa, page, L_COPY);
    l_uint8* data = nullptr;
    size_t size = 0;
    const bool encoded = pixaWriteMemMultipageTiff(&data, &size, pixa) == 0;
    pixaDestroy(&pixa);
    if (!encoded) throw Error("spool_failed", "Les pages numérisées n'ont pas pu être enregistrées.");
    std::string tiff(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return tiff;
}

}  // namespace comptoir
