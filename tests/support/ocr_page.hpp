// A page of OCR results written by hand, as `comptoir process` reads a saved reading
// (NAME.ocr.json): the plugins' tests run on it without Tesseract.
#pragma once

#include "test_support.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace comptoir::test {

// A page of OCR results from lines of text: one word per space, 20 px per character, each
// line its own line of block 1; "||" stands for a column gap (a table's next cell).
// `barcodes`: the document's decoded codes, as Document::from_json reads them (a JSON array).
inline std::string ocr_page(const std::vector<std::string>& lines, const std::string& barcodes = "") {
    std::ostringstream out;
    out << R"({"pages": [{"width": 2480, "height": 3508, "dpi": 300, "words": [)";
    bool first = true;
    for (size_t l = 0; l < lines.size(); ++l) {
        std::istringstream words(lines[l]);
        std::string word;
        int x = 100;
        while (words >> word) {
            if (word == "||") {
                x += 400;
                continue;
            }
            out << (first ? "" : ",") << R"({"text": ")" << word << R"(", "confidence": 0.9, "box": [)" << x << ", "
                << 100 + 60 * l << ", " << 20 * word.size() << R"(, 40], "block": 1, "line": )" << l + 1 << "}";
            x += static_cast<int>(20 * word.size()) + 14;
            first = false;
        }
    }
    out << "]}]";
    if (!barcodes.empty()) out << R"(, "barcodes": )" << barcodes;
    out << "}";
    return out.str();
}

// The shipped plugins (EDF, DGFiP, Caf, the free letter) copied into `dir`/plugins, and a
// configuration that loads them; returns the configuration's path.
inline std::string shipped_plugins_config(TempDir& dir) {
    dir.write("plugins/.keep", "");
    for (const char* plugin : {"edf.so", "impots.so", "caf.so", "libre.so"}) {
        copy_file(std::string(COMPTOIR_BUILD_PLUGINS_DIR) + "/" + plugin, dir.file(std::string("plugins/") + plugin));
    }
    return dir.write("comptoir.properties", "plugins.dir = plugins\n");
}

}  // namespace comptoir::test
