#pragma once
// Random bytes for salts, session tokens, spool nonces and keys.

#include <cerrno>
#include <cstddef>

#include <sys/random.h>

namespace comptoir {

// From the kernel's generator (getrandom(2), the same source OpenSSL seeds from), filled
// completely or false. Not OpenSSL's RAND_bytes: it keeps a generator per thread, state that
// LeakSanitizer reported lost for every HTTP thread of the server; the kernel's keeps none here.
inline bool random_bytes(void* out, size_t size) {
    auto* next = static_cast<unsigned char*>(out);
    while (size > 0) {
        const ssize_t got = ::getrandom(next, size, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        next += got;
        size -= static_cast<size_t>(got);
    }
    return true;
}

}  // namespace comptoir
