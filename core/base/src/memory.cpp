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

std::string tunables_with_huge_pages(const char* current) {
    const std::string tunables = current ? current : "";
    if ((":" + tunables).find(":glibc.malloc.hugetlb=") != std::string::npos) return tunables;  // theirs
    return tunables.empty() ? "glibc.malloc.hugetlb=1" : tunables + ":glibc.malloc.hugetlb=1";
}

bool huge_pages() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (!tunables) return false;
    const std::string value = std::string(":") + tunables;
    const auto at = value.rfind(":glibc.malloc.hugetlb=");
    if (at == std::string::npos) return false;
    const auto start = at + std::string(":glibc.malloc.hugetlb=").size();
    return start < value.size() && value[start] != '0' && value[start] != ':';
}

}  // namespace comptoir::memory
