// Small files that cost a lot to decode (issue 31): made by the tests and by bench/heavy_files.py
// (through comptoir_hostile_files), never committed.
#pragma once

#include <cstdint>
#include <string>

namespace comptoir::test {

// A PDF written by hand of `pages` empty pages of width × height points (a few hundred bytes).
std::string big_pages_pdf(int pages, int width_pt, int height_pt);

// A PDF of `pages` A4 pages that all draw the same small content stream, which draws a form
// that draws another `fan` times… `depth` levels deep: fan^depth filled squares on each page, from
// a file of a few kilobytes (shared vector content).
std::string shared_content_pdf(int pages, int fan, int depth);

// A real PNG of width × height RGB pixels, all black: its zlib stream of zeros is small.
std::string zero_png(uint32_t width, uint32_t height);

// A TIFF of `pages` white pages of width × height pixels, 1 bit, G4 (a few kilobytes).
std::string blank_tiff(int pages, int width, int height);

}  // namespace comptoir::test
