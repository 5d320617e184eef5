// The unit test of the bonjour plugin: the built module (bonjour.so) on the saved readings of
// samples/ (NAME.ocr.json, what `comptoir process --ocr-out` writes), and on a page laid out here,
// through the fake host of comptoir/testing.hpp: no Comptoir, no Tesseract, a millisecond.
#include <comptoir/testing.hpp>

#include <gtest/gtest.h>

namespace t = comptoir::testing;

namespace {

const t::Plugin& plugin() {
    static const t::Plugin loaded = t::Plugin::open(BONJOUR_PLUGIN);
    return loaded;
}

t::Document sample(const std::string& name) { return t::Document::load(std::string(BONJOUR_SAMPLES) + "/" + name); }

}  // namespace

TEST(Bonjour, ClaimsALetterThatSaysBonjour) {
    const t::Result result = plugin().recognise(sample("bonjour-1.ocr.json"));
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.best_kind(), "bonjour.lettre");
    EXPECT_GE(result.score("bonjour.lettre"), 0.5f);
    EXPECT_TRUE(result.warnings.empty());
}

TEST(Bonjour, LeavesAWaterBillAlone) {
    const t::Result result = plugin().recognise(sample("autre-1.ocr.json"));
    EXPECT_TRUE(result.ok());
    EXPECT_TRUE(result.candidates.empty());
}

TEST(Bonjour, ReadsTheGreetingWithItsPlace) {
    const t::Result result = plugin().extract(sample("bonjour-1.ocr.json"), "bonjour.lettre");
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result.warnings.empty());
    const t::Field* greeting = result.field("salutation");
    ASSERT_NE(greeting, nullptr);
    EXPECT_EQ(greeting->value, "Bonjour");
    EXPECT_EQ(greeting->page, 1u);
    EXPECT_EQ(greeting->box.x, 200);
    EXPECT_FLOAT_EQ(greeting->confidence, 0.96f);
}

TEST(Bonjour, ReadsAGreetingInCapitals) {
    // A page laid out in the test: one word, its confidence, page, box, block and line.
    const t::Document page({t::PageInfo{}}, {t::Word{"BONJOUR", 0.8f, 1, {10, 10, 90, 20}, 1, 1}});
    EXPECT_EQ(plugin().extract(page, "bonjour.lettre").value("salutation"), "BONJOUR");
}
