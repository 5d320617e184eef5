// Which way up a page is (core/reading/src/orientation.hpp): Tesseract's orientation model is
// loaded the first time a page needs it, once however many engines ask, and a model that
// cannot be loaded leaves Leptonica's answer without being tried again.
#include "orientation.hpp"

#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
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

}  // namespace

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
