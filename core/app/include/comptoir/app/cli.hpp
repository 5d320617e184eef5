// The `comptoir` command line: serve, scanners, scan, process, letter, plugins, plugin-check,
// config, admin. Exit status: 0 all went well, 1 some input failed (the others were still
// processed), 2 usage or configuration error.
//
// Two programs share it. `comptoir` (main.cpp) links SANE, Leptonica and Poco only: it runs
// `scanners`, `scan`, the usage and the version itself, and hands every other command to
// comptoir-full (full_main.cpp), which links every module (OCR, PDF, databases, the server).
// A scan thus never pays for loading libraries it does not use (docs/architecture.md,
// "Commands that read no page").
#pragma once

namespace comptoir {

// The commands that read pages (serve, process, plugin-check): run with OpenMP held to one
// thread and malloc on huge pages, at most two malloc arenas (full_main.cpp).
bool reads_pages(const char* command);
// For a command that reads pages, sets what its program must find in its environment when it
// starts: Debian's libgomp reads OMP_THREAD_LIMIT when it is loaded, glibc GLIBC_TUNABLES
// (memory::tunables_with_huge_pages) when the program starts. An administrator's own values
// are kept. Before comptoir-full starts (main.cpp), or before it starts itself once more when
// it was run directly (full_main.cpp). Other commands: nothing.
void set_reading_environment(const char* command);

// Every command (comptoir-full).
int run_cli(int argc, char** argv);

// True when `comptoir` runs this command line itself: no command (the usage), --help,
// --version, `scanners` or `scan`.
bool runs_in_launcher(int argc, char** argv);
// The command line with the scanner commands only (`comptoir`).
int run_scanner_cli(int argc, char** argv);

}  // namespace comptoir
