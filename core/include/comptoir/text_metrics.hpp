// Distances between texts: the Levenshtein distance over any sequence (characters of a
// string, words of a page) and the word accuracy of an OCR reading against a reference.
// Used by the configuration (the key you probably meant), the OCR tests and benchmarks.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace comptoir {

template <typename Sequence>
size_t edit_distance(const Sequence& a, const Sequence& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

inline std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    std::string word;
    while (in >> word) words.push_back(word);
    return words;
}

// 1 - (word-level edit distance / words in the reference); 0 for an empty reference.
inline double word_accuracy(const std::string& read, const std::string& reference) {
    const auto reference_words = split_words(reference);
    if (reference_words.empty()) return 0.0;
    return 1.0 - static_cast<double>(edit_distance(split_words(read), reference_words)) /
                     static_cast<double>(reference_words.size());
}

}  // namespace comptoir
