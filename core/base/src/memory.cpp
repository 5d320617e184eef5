#include "comptoir/base/memory.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc

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

}  // namespace comptoir::memory
