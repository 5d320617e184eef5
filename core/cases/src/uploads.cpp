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

std::string display_name(const std::string& filename) {
    std::string name = Poco::Path(filename).getFileName();
    if (name.size() > 120) name = name.substr(0, 120);
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
