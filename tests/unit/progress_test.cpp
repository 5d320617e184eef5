// ReadingProgress: what of a reading's steps goes to the pages (at most one every 200 ms unless
// the stage or the page changes, never backwards) and the time left, on a clock the test moves.
#include "comptoir/cases/progress.hpp"

#include <gtest/gtest.h>

using comptoir::ReadingProgress;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    ReadingProgress::Clock clock() {
        return [this] { return now; };
    }
};

}  // namespace

TEST(ReadingProgress, AtMostFiveStepsASecondWithinAStage) {
    FakeClock time;
    ReadingProgress progress(time.clock());
    ASSERT_TRUE(progress.next("load", 0, 0, 1));
    ASSERT_TRUE(progress.next("ocr", 1, 1, 1)) << "a new stage is always told";
    // The pipeline asks every 100 ms for a second: 10 asks, 5 told.
    int told = 0;
    for (int i = 1; i <= 10; ++i) {
        time.now += 100ms;
        if (progress.next("ocr", 1 + 5 * i, 1, 1)) ++told;
    }
    EXPECT_EQ(told, 5);
    // Nothing changed: nothing told, however long it has been.
    time.now += 1s;
    ASSERT_TRUE(progress.next("ocr", 55, 1, 1));
    time.now += 1s;
    EXPECT_FALSE(progress.next("ocr", 55, 1, 1));
    // The next page, or the next stage, is told at once.
    EXPECT_TRUE(progress.next("ocr", 56, 2, 2));
    EXPECT_TRUE(progress.next("extract", 95, 2, 2));
}

TEST(ReadingProgress, NeverGoesBackwards) {
    FakeClock time;
    ReadingProgress progress(time.clock());
    ASSERT_TRUE(progress.next("ocr", 40, 1, 2));
    time.now += 1s;
    // Page 1 done is 47 %, while the whole document's OCR (page 2 read alongside) said 60 %.
    ASSERT_EQ(progress.next("ocr", 60, 1, 2)->percent, 60);
    const auto step = progress.next("ocr", 47, 2, 2);
    ASSERT_TRUE(step);
    EXPECT_EQ(step->percent, 60);
    EXPECT_EQ(step->page, 2);
}

TEST(ReadingProgress, EstimatesTheTimeLeftFromThePaceSoFar) {
    FakeClock time;
    ReadingProgress progress(time.clock());
    const auto first = progress.next("load", 0, 0, 1);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->seconds_left, -1) << "nothing known at the start";
    time.now += 300ms;
    EXPECT_EQ(progress.next("ocr", 2, 1, 1)->seconds_left, -1) << "too little done to say";
    // 20 % in 2 s: 80 % left is about 8 s.
    time.now += 1700ms;
    EXPECT_EQ(progress.next("ocr", 20, 1, 1)->seconds_left, 8);
    // 50 % in 4 s: 4 s left; rounded up.
    time.now += 2s;
    EXPECT_EQ(progress.next("ocr", 50, 1, 1)->seconds_left, 4);
    time.now += 100ms;
    EXPECT_EQ(progress.seconds_left(50), 5);
    EXPECT_EQ(progress.next("extract", 100, 1, 1)->seconds_left, 0);
}

TEST(ReadingProgress, AScanThatStartsAtThirtyPercentCountsFromThere) {
    FakeClock time;
    ReadingProgress progress(time.clock());
    ASSERT_TRUE(progress.next("load", 30, 0, 1));
    time.now += 3s;
    // 35 points in 3 s from 30 %: 35 left, 3 s.
    EXPECT_EQ(progress.next("ocr", 65, 1, 1)->seconds_left, 3);
}
