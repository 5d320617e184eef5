// Inside the OCR pool (ocr.cpp): Tesseract's engines, and which way up a page is.
#pragma once

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <functional>
#include <memory>
#include <mutex>

namespace comptoir {

struct TessDeleter {
    void operator()(tesseract::TessBaseAPI* api) const noexcept {
        if (api) {
            api->End();
            delete api;
        }
    }
};
using TessPtr = std::unique_ptr<tesseract::TessBaseAPI, TessDeleter>;

// Which way up a page is: Leptonica's quick test, then Tesseract's orientation model (osd). The
// model costs some 40 MB and 0.2 s of CPU to load, and most pages arrive upright, which
// Leptonica's test says alone: it is loaded the first time a page needs it, once for all the
// pool's engines, which take turns with it.
class Orientation {
public:
    using Maker = std::function<TessPtr()>;  // loads the model; throws when it cannot
    explicit Orientation(Maker make) : make_(std::move(make)) {}

    // How many clockwise quarter turns make `gray` upright (0 when unsure).
    int quarter_turns(Pix* gray);

    // Whether the model has been loaded (for the tests).
    bool loaded() const;

private:
    // Tesseract's answer for `small`: the clockwise rotation the page suffered, in degrees, and
    // its confidence. False when it has none, or the model could not be loaded.
    bool ask_model(Pix* small, int& degrees, float& confidence);

    Maker make_;
    mutable std::mutex mutex_;
    TessPtr engine_;
    bool unavailable_ = false;
};

}  // namespace comptoir
