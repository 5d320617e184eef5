// libFuzzer target of the letters (core/letters/src/letters.cpp, letter_pdf.cpp): the input is a
// template file (a site's own templates.dir is written by hand), then "\n====\n", then
// "key=value" lines that fill it as a document's fields and the mediator's answers. The
// template parses or throws TemplateError; the letter composes or throws MissingValuesError;
// a composed letter always renders to a PDF (libharu). No crash, no other exception, no leak,
// no undefined behaviour. fuzz/README.md.
#include "comptoir/base/error.hpp"
#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/letters.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const size_t split = input.find("\n====\n");
    const std::string text = input.substr(0, split);
    comptoir::LetterData values;
    if (split != std::string::npos) {
        std::istringstream lines(input.substr(split + 6));
        std::string line;
        while (std::getline(lines, line)) {
            const size_t equals = line.find('=');
            if (equals == std::string::npos) continue;
            values.fields[line.substr(0, equals)] = line.substr(equals + 1);
            values.answers[line.substr(0, equals)] = line.substr(equals + 1);
        }
    }
    comptoir::Office caf = comptoir::office_from_text("Caf, 56100 Lorient");
    caf.id = caf.kind = "caf";
    const comptoir::SiteIdentity site{"PIMMS de test", "1 rue du Port", "Lorient", "02 97 00 00 00", {caf}, "56"};
    try {
        const comptoir::LetterTemplate letter = comptoir::parse_letter_template_text(text, "/fuzz/fuzz.lettre");
        const comptoir::ComposedLetter composed = comptoir::compose_letter(letter, values, site, 2026, 11, 23);
        const std::string pdf = comptoir::render_letter_pdf(composed);
        if (pdf.compare(0, 5, "%PDF-") != 0) __builtin_trap();
    } catch (const comptoir::Error&) {
    }
    return 0;
}
