#include "comptoir/base/memory.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc; getenv

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace comptoir::memory {

void limit_arenas(int arenas) {
#if defined(__GLIBC__)
    if (arenas > 0) mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
#endif
}

void return_free() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

namespace {

// Where the value of glibc.malloc.hugetlb starts in a GLIBC_TUNABLES string, npos when it is not
// set there (the last setting counts).
size_t hugetlb_value(const std::string& tunables) {
    static const std::string key = ":glibc.malloc.hugetlb=";
    const auto at = (":" + tunables).rfind(key);
    return at == std::string::npos ? at : at + key.size() - 1;
}

}  // namespace

std::string tunables_with_huge_pages(const char* current) {
    const std::string tunables = current ? current : "";
    if (hugetlb_value(tunables) != std::string::npos) return tunables;  // theirs
    return tunables.empty() ? "glibc.malloc.hugetlb=1" : tunables + ":glibc.malloc.hugetlb=1";
}

bool huge_pages() {
    const char* current = std::getenv("GLIBC_TUNABLES");
    const std::string tunables = current ? current : "";
    const auto value = hugetlb_value(tunables);
    return value < tunables.size() && tunables[value] != '0' && tunables[value] != ':';
}

}  // namespace comptoir::memory
