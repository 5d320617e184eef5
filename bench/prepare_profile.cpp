// Times each step of page preparation on one image (a profiling aid, not a test):
//   build/bench/prepare_profile PAGE.png
#include "comptoir/image/image.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/prepare.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <chrono>
#include <iostream>

namespace {
double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: prepare_profile PAGE\n";
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    auto document = comptoir::load_document(argv[1], comptoir::InputLimits{});
    Pix* page = document.pages.at(0).image.get();
    const int dpi = document.pages.at(0).dpi;

    tesseract::TessBaseAPI osd;
    osd.Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY);
    auto start = std::chrono::steady_clock::now();
    auto prepared = comptoir::prepare_page(page, dpi, nullptr);
    std::cout << "prepare without OSD: " << ms_since(start) << " ms (text height " << prepared.text_height_px
              << " px, scale " << prepared.transform.scale << ", skew " << prepared.skew_deg << ")\n";

    comptoir::PixPtr gray(pixConvertTo8(page, 0));
    start = std::chrono::steady_clock::now();
    comptoir::PixPtr normalised(pixBackgroundNormSimple(gray.get(), nullptr, nullptr));
    std::cout << "background normalisation: " << ms_since(start) << " ms\n";

    if (argc > 2) osd.SetVariable("min_characters_to_try", argv[2]);
    for (int longest : {2000, 1000, 500}) {
        const float factor = std::min(1.0f, static_cast<float>(longest) / static_cast<float>(std::max(pixGetWidth(gray.get()), pixGetHeight(gray.get()))));
        comptoir::PixPtr small(pixScale(gray.get(), factor, factor));
        start = std::chrono::steady_clock::now();
        osd.SetPageSegMode(tesseract::PSM_OSD_ONLY);
        osd.SetImage(small.get());
        osd.SetSourceResolution(300);
        int deg = 0;
        float conf = 0, script_conf = 0;
        const char* script = nullptr;
        osd.DetectOrientationScript(&deg, &conf, &script, &script_conf);
        std::cout << "OSD at " << longest << " px: " << ms_since(start) << " ms (" << deg << "°, confidence " << conf
                  << ")\n";
    }
    return 0;
}
