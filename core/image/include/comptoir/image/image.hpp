// Ownership of Leptonica images without exposing Leptonica's headers: users of the core need
// only this forward declaration.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

struct Pix;  // Leptonica

namespace comptoir {

struct PixDeleter {
    void operator()(Pix* pix) const noexcept;
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// A new reference to the same image (Leptonica reference counting).
PixPtr pix_clone(Pix* pix);

int pix_width(const Pix* pix);
int pix_height(const Pix* pix);

// Pixels of large images in transparent huge pages where the kernel gives them on request
// (Debian's default: /sys/kernel/mm/transparent_hugepage/enabled = madvise). An A4 page at
// 300 dpi is 8 MiB of gray, or 2,100 faults of 4 KiB pages each time one is made, and a page's
// reading makes several; in 2 MiB pages, a handful. Installs Leptonica's allocator for pixels:
// call once, at start, before any image is made. Images of under 4 MiB are left as they are.
void use_huge_pages_for_images();
// The same advice for a buffer of the caller's (a scan's bytes), from malloc or new.
void prefer_huge_pages(void* data, size_t size);

// Encodes as PNG; empty on failure.
std::string pix_to_png(Pix* pix);

}  // namespace comptoir
