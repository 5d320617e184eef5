#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

namespace comptoir {

void PixDeleter::operator()(Pix* pix) const noexcept {
    if (pix) pixDestroy(&pix);
}

PixPtr pix_clone(Pix* pix) { return PixPtr(pix ? pixClone(pix) : nullptr); }
int pix_width(const Pix* pix) { return pix ? pixGetWidth(pix) : 0; }
int pix_height(const Pix* pix) { return pix ? pixGetHeight(pix) : 0; }

std::string pix_to_png(Pix* pix) {
    l_uint8* data = nullptr;
    size_t size = 0;
    if (!pix || pixWriteMemPng(&data, &size, pix, 0.0f) != 0 || !data) return {};
    std::string png(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return png;
}

}  // namespace comptoir
