// Which way up a page is (core/reading/src/orientation.hpp): Tesseract's orientation model is
// loaded the first time a page needs it, once however many engines ask, and a model that
// cannot be loaded leaves Leptonica's answer without being tried again; Leptonica's quick test
// sees a page's ink with the page's own threshold, so that a page printed or lit pale is called
// upright without the model, and a turned one never is.
#include "orientation.hpp"

#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <utility>
#include <stdexcept>
#include <thread>
#include <vector>

using comptoir::Orientation;
using comptoir::PixPtr;
using comptoir::TessPtr;

namespace {

// A page Leptonica's quick test cannot call upright: grey noise, no lines of text.
PixPtr noise_page() {
    PixPtr page(pixCreate(900, 1200, 8));
    std::mt19937 random(7);
    std::uniform_int_distribution<int> gray(0, 255);
    for (int y = 0; y < 1200; ++y) {
        for (int x = 0; x < 900; ++x) pixSetPixel(page.get(), x, y, static_cast<l_uint32>(gray(random)));
    }
    return page;
}

// Tesseract's test page (black on white, upright unless `file` says turned) in ink of grey
// `ink`: a pale print, or a photo whose light was evened out.
PixPtr pale_page(const std::string& file, int ink) {
    PixPtr page(pixRead((std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/" + file).c_str()));
    if (!page) return nullptr;
    PixPtr gray(pixConvertTo8(page.get(), 0));
    // The levels of 0 (ink) to 255 (paper) brought to `ink` to 255.
    return PixPtr(pixGammaTRC(nullptr, gray.get(), 1.0f, -ink * 255 / (255 - ink), 255));
}

// An orientation whose model cannot be loaded, counting the attempts.
Orientation without_model(int& loads) {
    return Orientation([&loads]() -> TessPtr {
        ++loads;
        throw std::runtime_error("modèle illisible");
    });
}

}  // namespace

TEST(Orientation, APalePageIsCalledUprightWithoutTheModel) {
    // Ink of grey 150: a fixed threshold of 128 sees no ink at all, and asked the model.
    const PixPtr page = pale_page("phototest.tif", 150);
    ASSERT_TRUE(page);
    l_int32 darkest = 0;
    pixGetExtremeValue(page.get(), 1, L_SELECT_MIN, nullptr, nullptr, nullptr, &darkest);
    ASSERT_GE(darkest, 140);
    int loads = 0;
    Orientation orientation = without_model(loads);
    EXPECT_EQ(orientation.quarter_turns(page.get()), 0);
    EXPECT_EQ(loads, 0);
}

TEST(Orientation, ATurnedPaleOrUpsideDownPageIsLeftToTheModel) {
    // Leptonica's answer stands when the model cannot be had: what the quick test said of
    // each, a quarter turn clockwise for the page lying on its left side.
    for (const auto& [file, turns] : {std::make_pair(std::string("phototest-rotated-L.png"), 1),
                                      std::make_pair(std::string("phototest-rotated-180.png"), 2),
                                      std::make_pair(std::string("phototest-rotated-R.png"), 3)}) {
        const PixPtr page = pale_page(file, 150);
        ASSERT_TRUE(page) << file;
        int loads = 0;
        Orientation orientation = without_model(loads);
        EXPECT_EQ(orientation.quarter_turns(page.get()), turns) << file;
        EXPECT_EQ(loads, 1) << file;
    }
}

TEST(Orientation, TheModelIsLoadedOnceWhenAPageFirstNeedsIt) {
    std::atomic<int> loads{0};
    Orientation orientation([&loads] {
        ++loads;
        TessPtr engine(new tesseract::TessBaseAPI);
        engine->SetVariable("debug_file", "/dev/null");
        if (engine->Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) != 0) throw std::runtime_error("osd");
        return engine;
    });
    EXPECT_FALSE(orientation.loaded());
    const PixPtr page = noise_page();
    std::vector<std::thread> engines;
    for (int i = 0; i < 2; ++i) {
        engines.emplace_back([&] { orientation.quarter_turns(page.get()); });
    }
    for (auto& engine : engines) engine.join();
    EXPECT_TRUE(orientation.loaded());
    EXPECT_EQ(loads.load(), 1);
}

TEST(Orientation, AModelThatCannotBeLoadedLeavesTheQuickTestsAnswerAndIsNotTriedAgain) {
    int loads = 0;
    Orientation orientation([&loads]() -> TessPtr {
        ++loads;
        throw std::runtime_error("modèle illisible");
    });
    const PixPtr page = noise_page();
    EXPECT_EQ(orientation.quarter_turns(page.get()), 0);
    EXPECT_EQ(orientation.quarter_turns(page.get()), 0);
    EXPECT_EQ(loads, 1);
    EXPECT_FALSE(orientation.loaded());
}
