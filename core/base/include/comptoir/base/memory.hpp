// What this program tells the C library's allocator (glibc's malloc; elsewhere, nothing).
//
// A page read is some 9 to 35 MB of pixels, allocated and freed by whichever thread reads it.
// glibc gives each thread that allocates an arena of its own (up to eight per core), and an
// arena keeps what was freed in it: a server with its HTTP threads, job workers and OCR engines
// held some 570 MiB more than `comptoir process` after a soak (bench/README.md, issue 33).
#pragma once

#include <string>

namespace comptoir::memory {

// At most `arenas` malloc arenas for the whole process. Before any thread starts (main()).
void limit_arenas(int arenas);

// Hands back to the system the memory freed in every arena: once the work has stopped (the desk
// two seconds after its last job, a decoding child idle for a second), not after each page.
void return_free();

// The value GLIBC_TUNABLES should have for a program that reads pages: `current` (the
// administrator's, or null) with glibc.malloc.hugetlb=1 added, unless it already sets it.
// malloc then asks for transparent huge pages (2 MiB): a page's images, Leptonica's and
// Tesseract's, cost a few faults instead of thousands (process on 18 pages: 12 to 18 % less CPU,
// the same readings, no more memory; bench/README.md). glibc reads it when a program starts, so
// it is set in the environment of the program about to be started (main.cpp, full_main.cpp).
std::string tunables_with_huge_pages(const char* current);
// Whether this process started with malloc on huge pages (GLIBC_TUNABLES), for /health.
bool huge_pages();

}  // namespace comptoir::memory
