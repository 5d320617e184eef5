// Which way up a page is (orientation.hpp).
#include "orientation.hpp"
#include "prepare_steps.hpp"

#include "comptoir/image/image.hpp"

#include <Poco/Logger.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace comptoir {
namespace {

constexpr int kMinOsdSide = 32;  // pixels

}  // namespace

bool Orientation::loaded() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return engine_ != nullptr;
}

bool Orientation::ask_model(Pix* small, int& degrees, float& confidence) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!engine_ && !unavailable_) {
        try {
            engine_ = make_();
        } catch (const std::exception& e) {
            // Checked at start (the file is there): a model that fails all the same leaves
            // Leptonica's decision, and is not tried again.
            unavailable_ = true;
            Poco::Logger::get("comptoir.ocr").warning(std::string("modèle d'orientation de Tesseract inutilisable : ") + e.what());
        }
    }
    if (!engine_) return false;
    engine_->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    engine_->SetImage(small);
    engine_->SetSourceResolution(300);
    const char* script = nullptr;
    float script_confidence = 0.0f;
    const bool found = engine_->DetectOrientationScript(&degrees, &confidence, &script, &script_confidence);
    engine_->Clear();
    return found;
}

int Orientation::quarter_turns(Pix* gray) {
    // Most pages arrive upright. Tesseract's OSD classifies some 250 characters with the
    // legacy engine (about a quarter of a second a page here, and its model loaded the first
    // time), Leptonica's morphological test takes some 10 ms: when Leptonica decides the page
    // is upright (its own rule: an up-down confidence of 8 or more, 2.5 times the sideways
    // one), that is the answer; any other case (turned, or unsure) goes to Tesseract's OSD,
    // which decides; when OSD is unsure too, Leptonica's own decision, if it made one, stands
    // (on a photo, OSD's confidence falls under its threshold for one page in four turned
    // ones, where Leptonica's test still sees the text's ascenders clearly).
    //
    // The test counts ascenders and descenders on the page made black and white with the
    // page's own threshold (Otsu's, as for the skew), not a fixed grey of 128: on a photo whose
    // light was evened out, the fixed threshold thinned and broke the strokes. Measured on 88
    // tuned pages: of 54 upright ones (clean, scanned at 300 dpi, photographed), Leptonica
    // called 20 upright before, 43 now (photos: 8 of 34, now 25); of 34 photos turned 90, 180
    // or 270°, none, before or now (an up-down confidence of 5.7 at most on them, 8 needed).
    l_int32 orientation = L_TEXT_ORIENT_UNKNOWN;
    {
        // On a full page at 300 dpi, half the resolution is plenty for this test and four
        // times faster.
        PixPtr binary = binarise(gray);
        if (binary && std::min(pixGetWidth(gray), pixGetHeight(gray)) > 1800) {
            binary = PixPtr(pixReduceRankBinary2(binary.get(), 1, nullptr));
        }
        l_float32 up_confidence = 0.0f;
        l_float32 left_confidence = 0.0f;
        if (binary && pixOrientDetect(binary.get(), &up_confidence, &left_confidence, 0, 0) == 0 &&
            makeOrientDecision(up_confidence, left_confidence, 0.0f, 0.0f, &orientation, 0) == 0 &&
            orientation == L_TEXT_ORIENT_UP) {
            return 0;
        }
    }
    // OSD needs a page of reasonable size; a reduced copy is enough. On a strip a few
    // pixels wide, Tesseract's OSD aborts the process (an assertion): it is not asked.
    if (std::min(pixGetWidth(gray), pixGetHeight(gray)) < kMinOsdSide) return 0;
    const int longest = std::max(pixGetWidth(gray), pixGetHeight(gray));
    const float factor = longest > 2000 ? 2000.0f / static_cast<float>(longest) : 1.0f;
    PixPtr small(factor < 1.0f ? pixScale(gray, factor, factor) : pixClone(gray));
    int orient_deg = 0;
    float orient_conf = 0.0f;
    const bool found = small && ask_model(small.get(), orient_deg, orient_conf);
    // Tesseract gives the clockwise rotation the page suffered; turning it back is the
    // complement. Below a confidence of 2, OSD is guessing: keep the page as it is.
    if (found && orient_conf >= 2.0f) return ((360 - orient_deg) / 90) % 4;
    switch (orientation) {
        case L_TEXT_ORIENT_LEFT: return 1;   // text up facing left: a quarter turn clockwise
        case L_TEXT_ORIENT_DOWN: return 2;
        case L_TEXT_ORIENT_RIGHT: return 3;  // text up facing right: three quarter turns
        default: return 0;
    }
}

}  // namespace comptoir
