/* The sanitizer build only (COMPTOIR_SANITIZE, CMakeLists.txt): dlclose does nothing, so that
 * SANE's backends and Comptoir's plugins stay mapped until the process ends. LeakSanitizer
 * reports at exit; by then a library already unloaded shows as "<unknown module>", which no
 * suppression can name and nobody can trace. Kept loaded, a leak in a Debian backend is named by
 * its library (tests/lsan.supp lists the ones allowed), and one in a plugin by its function.
 * dlopen of a library still loaded gives the same library again, as it would after a reload. */
#include <dlfcn.h>

int dlclose(void* handle) {
    (void)handle;
    return 0;
}
