// comptoir/testing/document.hpp — a document as Comptoir hands it to a plugin, loaded from a saved
// reading (NAME.ocr.json) or laid out by a test; part of comptoir/testing.hpp (include that).
// Header-only, C++17, nlohmann-json.
#ifndef COMPTOIR_TESTING_DOCUMENT_HPP
#define COMPTOIR_TESTING_DOCUMENT_HPP

#include "comptoir/plugin.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace comptoir::testing {

// Thrown when a saved reading cannot be read or a plugin would be refused; the message is French.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PageInfo {
    uint32_t page = 0;  // 1-based
    int32_t width = 0;
    int32_t height = 0;
    int32_t dpi = 0;
    int32_t rotation_deg = 0;
    double skew_deg = 0.0;
    bool text_layer = false;
};

struct Word {
    std::string text;
    float confidence = 0.0f;  // 0 to 1
    uint32_t page = 0;        // 1-based
    comptoir_box box{};
    uint32_t block_id = 0;
    uint32_t line_id = 0;
};

struct Barcode {
    uint32_t page = 1;
    comptoir_box box{};
    std::string format;         // "2ddoc"
    std::string status;         // "valid", "invalid_signature", "unknown_certificate", "malformed"
    std::string document_type;  // "01", "28"…
    std::vector<std::pair<std::string, std::string>> fields;  // (id, value)
};

// A document as the host hands it to a plugin: pages, words in reading order, codes, text.
class Document {
public:
    Document() = default;
    Document(std::vector<PageInfo> pages, std::vector<Word> words, std::vector<Barcode> barcodes = {})
        : pages_(std::move(pages)), words_(std::move(words)), barcodes_(std::move(barcodes)) {
        for (size_t i = 0; i < pages_.size(); ++i) pages_[i].page = static_cast<uint32_t>(i + 1);
        std::stable_sort(words_.begin(), words_.end(), [](const Word& a, const Word& b) { return a.page < b.page; });
        ranges_.assign(pages_.size() + 1, {0, 0});
        ranges_[0] = {0, words_.size()};
        texts_.assign(pages_.size() + 1, std::string());
        size_t index = 0;
        for (uint32_t page = 1; page <= pages_.size(); ++page) {
            const size_t first = index;
            std::string& text = texts_[page];
            const Word* previous = nullptr;
            for (; index < words_.size() && words_[index].page == page; ++index) {
                const Word& word = words_[index];
                if (previous) {
                    if (word.block_id != previous->block_id) text += "\n\n";
                    else if (word.line_id != previous->line_id) text += "\n";
                    else text += " ";
                }
                text += word.text;
                previous = &word;
            }
            ranges_[page] = {first, index};
            if (page > 1) texts_[0] += "\f";
            texts_[0] += text;
        }
    }

    // The saved reading's JSON (the format of the top-level README of Comptoir, written by
    // `comptoir process --ocr-out`):
    //   {"pages": [{"width", "height", "dpi", "rotation", "skew_deg", "text_layer", "words": [
    //       {"text", "confidence", "box": [x, y, w, h], "block", "line"}, …]}, …],
    //    "barcodes": [{"page", "box", "format", "status", "document_type", "fields": {id: value}}]}
    static Document from_json(const std::string& text) {
        nlohmann::json root;
        try {
            root = nlohmann::json::parse(text);
        } catch (const nlohmann::json::exception& error) {
            throw Error(std::string("résultat OCR illisible : ") + error.what());
        }
        try {
            return from_parsed(root);
        } catch (const nlohmann::json::exception& error) {
            throw Error(std::string("résultat OCR invalide : ") + error.what());
        }
    }

    static Document load(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error("résultat OCR introuvable : " + path);
        std::ostringstream text;
        text << in.rdbuf();
        return from_json(text.str());
    }

    uint32_t page_count() const { return static_cast<uint32_t>(pages_.size()); }
    const std::vector<PageInfo>& pages() const { return pages_; }
    const std::vector<Word>& words() const { return words_; }
    const std::vector<Barcode>& barcodes() const { return barcodes_; }
    // [first, last) in words() of one page (1-based), or of the whole document (0).
    std::pair<size_t, size_t> word_range(uint32_t page) const {
        return page < ranges_.size() ? ranges_[page] : std::pair<size_t, size_t>{0, 0};
    }
    // Lines separated by '\n', blocks by an empty line; page 0: pages separated by '\f'.
    const std::string& text(uint32_t page) const {
        static const std::string empty;
        return page < texts_.size() ? texts_[page] : empty;
    }

private:
    static comptoir_box box_of(const nlohmann::json& object) {
        const auto found = object.find("box");
        if (found == object.end() || found->is_null()) return {};
        if (!found->is_array() || found->size() != 4) throw Error("boîte invalide : il faut [x, y, largeur, hauteur]");
        return comptoir_box{(*found)[0].get<int32_t>(), (*found)[1].get<int32_t>(), (*found)[2].get<int32_t>(),
                            (*found)[3].get<int32_t>()};
    }

    static Document from_parsed(const nlohmann::json& root) {
        if (!root.is_object() || !root.contains("pages") || !root["pages"].is_array() || root["pages"].empty()) {
            throw Error("résultat OCR sans page");
        }
        std::vector<PageInfo> pages;
        std::vector<Word> words;
        for (const auto& page : root["pages"]) {
            if (!page.is_object()) throw Error("page " + std::to_string(pages.size() + 1) + " invalide");
            PageInfo info;
            info.width = page.value("width", 0);
            info.height = page.value("height", 0);
            info.dpi = page.value("dpi", 0);
            info.rotation_deg = page.value("rotation", 0);
            info.skew_deg = page.value("skew_deg", 0.0);
            info.text_layer = page.value("text_layer", false);
            pages.push_back(info);
            if (!page.contains("words")) continue;
            for (const auto& word : page["words"]) {
                if (!word.is_object() || !word.contains("text")) throw Error("mot sans texte");
                Word out;
                out.text = word["text"].get<std::string>();
                out.confidence = word.value("confidence", 0.0f);
                out.page = static_cast<uint32_t>(pages.size());
                out.box = box_of(word);
                out.block_id = word.value("block", 0u);
                out.line_id = word.value("line", 0u);
                words.push_back(std::move(out));
            }
        }
        std::vector<Barcode> barcodes;
        if (root.contains("barcodes") && root["barcodes"].is_array()) {
            for (const auto& code : root["barcodes"]) {
                if (!code.is_object()) throw Error("code-barres invalide");
                Barcode barcode;
                barcode.page = code.value("page", 1u);
                if (barcode.page < 1 || barcode.page > pages.size()) {
                    throw Error("code-barres sur une page que le document n'a pas (" + std::to_string(barcode.page) + ")");
                }
                barcode.box = box_of(code);
                barcode.format = code.value("format", std::string());
                barcode.status = code.value("status", std::string());
                barcode.document_type = code.value("document_type", std::string());
                if (code.contains("fields") && code["fields"].is_object()) {
                    for (const auto& [id, value] : code["fields"].items()) {
                        barcode.fields.emplace_back(id, value.is_string() ? value.get<std::string>() : value.dump());
                    }
                }
                barcodes.push_back(std::move(barcode));
            }
        }
        return Document(std::move(pages), std::move(words), std::move(barcodes));
    }

    std::vector<PageInfo> pages_;
    std::vector<Word> words_;
    std::vector<Barcode> barcodes_;
    std::vector<std::pair<size_t, size_t>> ranges_;
    std::vector<std::string> texts_;
};

}  // namespace comptoir::testing

#endif  // COMPTOIR_TESTING_DOCUMENT_HPP
