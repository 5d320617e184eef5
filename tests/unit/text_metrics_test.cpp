// The measures the OCR tests and benchmarks report.
#include "comptoir/reading/text_metrics.hpp"

#include <gtest/gtest.h>

using comptoir::word_accuracy;
using comptoir::word_recall;

TEST(TextMetrics, WordAccuracyCountsEditsInOrder) {
    EXPECT_DOUBLE_EQ(word_accuracy("a b c d", "a b c d"), 1.0);
    EXPECT_DOUBLE_EQ(word_accuracy("a x c d", "a b c d"), 0.75);
    EXPECT_DOUBLE_EQ(word_accuracy("c d a b", "a b c d"), 0.0);  // two columns read the other way
    EXPECT_DOUBLE_EQ(word_accuracy("anything", ""), 0.0);
}

TEST(TextMetrics, WordRecallIgnoresOrderButNotRepeats) {
    EXPECT_DOUBLE_EQ(word_recall("c d a b", "a b c d"), 1.0);
    EXPECT_DOUBLE_EQ(word_recall("a a a", "a b"), 0.5);
    EXPECT_DOUBLE_EQ(word_recall("a b", "a a b b"), 0.5);  // one reading of "a" is one "a" found
    EXPECT_DOUBLE_EQ(word_recall("", "a b"), 0.0);
    EXPECT_DOUBLE_EQ(word_recall("a", ""), 0.0);
}
