// libFuzzer targets of what a browser sends (core/web/src/api_cases.cpp):
//   fuzz_multipart  the input's first line is the Content-Type, the rest the body of an upload:
//                   parse_upload() returns the file or throws comptoir::Error (400, 413);
//   fuzz_json       (COMPTOIR_FUZZ_JSON) the input is a request's JSON body: parse_json_object()
//                   returns an object or throws BadRequestError, and the values the routes read
//                   from it are read as they do.
// No crash, no other exception, no leak, no undefined behaviour. fuzz/README.md.
#include "api_cases.hpp"
#include "comptoir/base/error.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequest.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
#ifdef COMPTOIR_FUZZ_JSON
    try {
        const auto object = comptoir::parse_json_object(input);
        std::ostringstream out;
        Poco::JSON::Stringifier::stringify(object, out);
        for (const char* key : {"login", "password", "value", "role", "letter"}) {
            // As the routes read them: a string checked as such, else the route's 400.
            if (object->has(key) && object->get(key).isString()) (void)object->getValue<std::string>(key);
        }
        if (auto answers = object->getObject("answers")) {
            for (const auto& [key, value] : *answers) {
                if (value.isString()) (void)value.extract<std::string>();
            }
        }
    } catch (const comptoir::Error&) {
    }
#else
    const size_t newline = input.find('\n');
    if (newline == std::string::npos) return -1;
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/v1/cases/1/uploads",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    try {
        request.setContentType(input.substr(0, newline));
    } catch (const Poco::Exception&) {
        return -1;
    }
    std::istringstream body(input.substr(newline + 1));
    try {
        const comptoir::UploadedFile file = comptoir::parse_upload(request, body, 64 * 1024);
        if (file.content.size() > 64 * 1024) __builtin_trap();  // the limit holds
    } catch (const comptoir::Error&) {
    }
#endif
    return 0;
}
