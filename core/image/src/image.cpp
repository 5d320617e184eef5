#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace comptoir {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

void* image_pixels(size_t size) {
    void* data = std::malloc(size);
    prefer_huge_pages(data, size);
    return data;
}

void free_image_pixels(void* data) { std::free(data); }

}  // namespace

void prefer_huge_pages(void* data, size_t size) {
    if (!data || size < 2 * kHugePage) return;
    // Only whole, aligned 2 MiB ranges can be huge pages: advise those inside the buffer.
    const uintptr_t start = reinterpret_cast<uintptr_t>(data);
    const uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1);
    const uintptr_t end = (start + size) & ~(kHugePage - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice: failure is harmless
}

void use_huge_pages_for_images() { setPixMemoryManager(image_pixels, free_image_pixels); }

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
