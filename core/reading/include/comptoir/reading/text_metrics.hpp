// Distances between texts: the Levenshtein distance over any sequence (characters of a
// string, words of a page; comptoir::text's, shared with the SDK) and the word accuracy of an
// OCR reading against a reference.
// Used by the configuration (the key you probably meant), the OCR tests and benchmarks.
#pragma once

#include <comptoir/text/distance.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace comptoir {

// comptoir::text's, so plugins and the host measure alike.
using text::edit_distance;

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

// The share of the reference's words found in the reading, whatever their order (a page in
// columns is read column by column by OCR, line by line by a PDF's text layer); each word of
// the reading counts once.
inline double word_recall(const std::string& read, const std::string& reference) {
    const auto reference_words = split_words(reference);
    if (reference_words.empty()) return 0.0;
    std::map<std::string, int> available;
    for (const auto& word : split_words(read)) ++available[word];
    size_t found = 0;
    for (const auto& word : reference_words) {
        auto it = available.find(word);
        if (it != available.end() && it->second > 0) {
            --it->second;
            ++found;
        }
    }
    return static_cast<double>(found) / static_cast<double>(reference_words.size());
}

}  // namespace comptoir
