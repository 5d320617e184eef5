// Ownership of Leptonica images without exposing Leptonica's headers: users of the core need
// only this forward declaration.
#pragma once

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

// Encodes as PNG; empty on failure.
std::string pix_to_png(Pix* pix);

}  // namespace comptoir
