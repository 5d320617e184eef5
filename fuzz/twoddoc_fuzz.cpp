// libFuzzer target for the 2D-Doc message parser and the signature check (core/reading/src/twoddoc.cpp):
// whatever bytes a DataMatrix gives, parse() returns a message or throws MalformedError, and
// verify() returns a status; nothing else (no crash, no other exception, no leak, no UB).
// Built by -DCOMPTOIR_FUZZ=ON with clang: see fuzz/README.md.
#include "comptoir/reading/twoddoc.hpp"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Setup {
    comptoir::twoddoc::Catalogue catalogue =
        comptoir::twoddoc::Catalogue::from_json(read(COMPTOIR_SOURCE_DIR "/data/2ddoc/data_ids.json"));
    comptoir::twoddoc::Certificates certificates =
        comptoir::twoddoc::Certificates::from_folder(COMPTOIR_SOURCE_DIR "/data/2ddoc/certificates");
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const Setup setup;
    const std::string payload(reinterpret_cast<const char*>(data), size);
    try {
        const auto message = comptoir::twoddoc::parse(payload, setup.catalogue);
        const auto verification = setup.certificates.verify(message);
        (void)comptoir::to_string(verification.status);
    } catch (const comptoir::twoddoc::MalformedError&) {
        // the expected answer to a damaged message
    }
    return 0;
}
