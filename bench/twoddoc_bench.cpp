// Time to find and decode the 2D-Doc of a page (core/reading/src/datamatrix.cpp), page by page, on a
// set made by tools/docgen (bench/twoddoc_bench.sh): pages whose expected JSON holds a signed
// code, and pages without one. Each page is loaded as the pipeline loads it, then searched
// RUNS times; the median is kept. Prints one line per page, then per rendition: with a code,
// how many were found with their exact message, median, 90th centile and worst time; without
// one, how many codes were wrongly found, median and worst time.
#include "comptoir/reading/datamatrix.hpp"
#include "comptoir/reading/input.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string spelled(std::string text) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"\x1d", "<GS>"}, {"\x1e", "<RS>"}, {"\x1f", "<US>"}}) {
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, 1, to);
    }
    return text;
}

struct Row {
    bool has_code = false;
    bool found = false;  // the exact message (with a code), any code (without)
    double ms = 0.0;
};

double centile(std::vector<double> values, double q) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(q * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: twoddoc_bench SET_DIR [RUNS] [BUDGET_MS]\n";
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    const fs::path set = argv[1];
    const int runs = argc > 2 ? std::max(1, std::stoi(argv[2])) : 5;
    comptoir::CodeSearchOptions options;
    if (argc > 3) options.budget = std::chrono::milliseconds(std::stoi(argv[3]));

    std::vector<fs::path> images;
    for (const auto& entry : fs::directory_iterator(set)) {
        const auto ext = entry.path().extension();
        if (ext == ".jpg" || ext == ".png") images.push_back(entry.path());
    }
    std::sort(images.begin(), images.end());
    std::map<std::string, std::vector<Row>> by_rendition;
    for (const auto& image : images) {
        std::ifstream truth_file(fs::path(image).replace_extension(".json"));
        std::stringstream truth_text;
        truth_text << truth_file.rdbuf();
        const auto truth = Poco::JSON::Parser().parse(truth_text.str()).extract<Poco::JSON::Object::Ptr>();
        const std::string rendition = truth->getObject("sample")->getValue<std::string>("rendition");
        const std::string expected = truth->has("twoddoc") ? truth->getObject("twoddoc")->getValue<std::string>("message") : "";
        auto loaded = comptoir::load_document(image.string(), comptoir::InputLimits{});
        Pix* page = loaded.pages.at(0).image.get();
        std::vector<double> times;
        comptoir::CodeSearch search;
        for (int i = 0; i < runs; ++i) {
            search = comptoir::find_datamatrix(page, options);
            times.push_back(search.ms);
        }
        Row row;
        row.has_code = !expected.empty();
        row.ms = centile(times, 0.5);
        row.found = row.has_code ? std::any_of(search.codes.begin(), search.codes.end(),
                                               [&](const auto& code) { return spelled(code.payload) == expected; })
                                 : !search.codes.empty();
        std::cout << image.filename().string() << (row.has_code ? (row.found ? " found" : " MISSED") : (row.found ? " FALSE CODE" : " none"))
                  << " " << std::fixed << std::setprecision(1) << row.ms << " ms, " << search.candidates << " candidates"
                  << (search.out_of_time ? ", out of time" : "") << "\n";
        by_rendition[rendition].push_back(row);
    }
    std::cout << "\n| rendition | pages with a code | found | median ms | p90 ms | worst ms | pages without | codes wrongly found | median ms | worst ms |\n"
                 "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& [rendition, rows] : by_rendition) {
        std::vector<double> with, without;
        int found = 0, wrong = 0;
        for (const auto& row : rows) {
            (row.has_code ? with : without).push_back(row.ms);
            if (row.has_code && row.found) ++found;
            if (!row.has_code && row.found) ++wrong;
        }
        std::cout << std::fixed << std::setprecision(0) << "| " << rendition << " | " << with.size() << " | " << found << " | "
                  << centile(with, 0.5) << " | " << centile(with, 0.9) << " | " << centile(with, 1.0) << " | "
                  << without.size() << " | " << wrong << " | " << centile(without, 0.5) << " | " << centile(without, 1.0)
                  << " |\n";
    }
    return 0;
}
