#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <png.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

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

namespace {

void append_png(png_structp png, png_bytep data, png_size_t length) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}

void flush_png(png_structp) {}

// 8-bit gray or RGB written with libpng straight from the image's rows: Leptonica's writer
// first makes a byte-swapped copy of the whole page (8 MiB at A4 300 dpi), then encodes it.
// The same PNG: libpng's default compression and filters, the resolution in pHYs.
bool write_png_rows(Pix* pix, std::string& out) {
    const int width = pixGetWidth(pix);
    const int height = pixGetHeight(pix);
    const bool rgb = pixGetDepth(pix) == 32;
    const l_int32 wpl = pixGetWpl(pix);
    const l_uint32* data = pixGetData(pix);
    std::vector<png_byte> row(static_cast<size_t>(width) * (rgb ? 3 : 1));
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return false;
    }
    // libpng reports its errors with longjmp: nothing below this point owns anything.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_set_write_fn(png, &out, append_png, flush_png);
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
                 rgb ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    const l_int32 xres = pixGetXRes(pix);
    const l_int32 yres = pixGetYRes(pix);
    if (xres > 0 && yres > 0) {  // dots per inch → per metre
        png_set_pHYs(png, info, static_cast<png_uint_32>(xres * 39.37 + 0.5), static_cast<png_uint_32>(yres * 39.37 + 0.5),
                     PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    for (int y = 0; y < height; ++y) {
        const l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
        if (rgb) {
            for (int x = 0; x < width; ++x) {
                l_int32 r = 0, g = 0, b = 0;
                extractRGBValues(line[x], &r, &g, &b);
                row[3 * static_cast<size_t>(x)] = static_cast<png_byte>(r);
                row[3 * static_cast<size_t>(x) + 1] = static_cast<png_byte>(g);
                row[3 * static_cast<size_t>(x) + 2] = static_cast<png_byte>(b);
            }
        } else {
            for (int x = 0; x < width; ++x) row[static_cast<size_t>(x)] = static_cast<png_byte>(GET_DATA_BYTE(line, x));
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

}  // namespace

std::string pix_to_png(Pix* pix) {
    if (!pix) return {};
    // Scans and decoded pages: 8-bit gray, or RGB without transparency.
    const int depth = pixGetDepth(pix);
    if (!pixGetColormap(pix) && (depth == 8 || (depth == 32 && pixGetSpp(pix) == 3))) {
        std::string png;
        return write_png_rows(pix, png) ? png : std::string();
    }
    // Anything else (bilevel, colour maps, transparency): Leptonica's writer.
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMemPng(&data, &size, pix, 0.0f) != 0 || !data) return {};
    std::string png(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return png;
}

}  // namespace comptoir
