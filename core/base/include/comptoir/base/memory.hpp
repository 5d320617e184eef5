// What this program tells the C library's allocator (glibc's malloc; elsewhere, nothing).
//
// A page read is some 9 to 35 MB of pixels, allocated and freed by whichever thread reads it.
// glibc gives each thread that allocates an arena of its own (up to eight per core), and an
// arena keeps what was freed in it: a server with its HTTP threads, job workers and OCR engines
// held some 570 MiB more than `comptoir process` after a soak (bench/README.md, issue 33).
#pragma once

namespace comptoir::memory {

// At most `arenas` malloc arenas for the whole process. Before any thread starts (main()).
void limit_arenas(int arenas);

// Hands back to the system the memory freed in every arena: once the work has stopped (the desk
// two seconds after its last job, a decoding child idle for a second), not after each page.
void return_free();

}  // namespace comptoir::memory
