// A sample of the synthetic document generator (tools/docgen), as the reading test and the
// reading benchmark see it: NAME.json's kind, printed values and what the degradation did,
// and the measures of a reading against the page's own PDF.
#pragma once

#include "comptoir/reading/document.hpp"
#include "comptoir/reading/text_metrics.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace comptoir::test {

struct GeneratedSample {
    std::string kind;                         // empty for an unrelated document
    std::string rendition;                    // pdf, clean, scan300, scan200, photo
    std::map<std::string, std::string> printed;  // field → as the page prints it
    double skew_deg = 0.0;                    // the turn given to a scan
};

inline GeneratedSample load_generated_sample(const std::string& json_path) {
    std::ifstream in(json_path);
    if (!in) throw std::runtime_error("cannot read " + json_path);
    std::stringstream text;
    text << in.rdbuf();
    Poco::JSON::Parser parser;
    auto root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    GeneratedSample sample;
    if (!root->isNull("kind")) sample.kind = root->getValue<std::string>("kind");
    for (const auto& [key, value] : *root->getObject("printed")) sample.printed[key] = value.toString();
    auto info = root->getObject("sample");
    sample.rendition = info->getValue<std::string>("rendition");
    if (info->has("skew_deg")) sample.skew_deg = info->getValue<double>("skew_deg");
    return sample;
}

// Spaces of every kind (no-break, narrow no-break, runs) made one.
inline std::string squash_spaces(std::string text) {
    static const std::regex nbsp("\xC2\xA0|\xE2\x80\xAF");
    static const std::regex spaces("\\s+");
    text = std::regex_replace(text, nbsp, " ");
    return std::regex_replace(text, spaces, " ");
}

inline std::string words_text(const std::vector<Word>& words) {
    std::string text;
    for (const auto& word : words) {
        if (!text.empty()) text += ' ';
        text += word.text;
    }
    return text;
}

inline std::string without_spaces(const std::string& text) {
    std::string out = squash_spaces(text);
    out.erase(std::remove(out.begin(), out.end(), ' '), out.end());
    return out;
}

// The keys whose printed value does not appear in the reading, verbatim but for spaces (OCR
// often drops the thin space in "1 147,71 €" or before "€").
inline std::vector<std::string> printed_values_missed(const GeneratedSample& sample, const std::string& read) {
    const std::string compact = without_spaces(read);
    std::vector<std::string> missed;
    for (const auto& [key, printed] : sample.printed) {
        if (compact.find(without_spaces(printed)) == std::string::npos) missed.push_back(key);
    }
    return missed;
}

// The reference's words that the reading lacks (order-free, as word_recall counts them).
inline std::string unread_words(const std::string& read, const std::string& reference) {
    std::map<std::string, int> available;
    for (const auto& word : split_words(read)) ++available[word];
    std::string missing;
    for (const auto& word : split_words(reference)) {
        if (available[word]-- <= 0) missing += " " + word;
    }
    return missing;
}

}  // namespace comptoir::test
