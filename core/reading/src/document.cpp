#include "comptoir/reading/document.hpp"
#include "comptoir/reading/document_json.hpp"

#include "comptoir/base/error.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSONString.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace comptoir {

const char* to_string(CodeStatus status) {
    switch (status) {
        case CodeStatus::valid: return "valid";
        case CodeStatus::invalid_signature: return "invalid_signature";
        case CodeStatus::unknown_certificate: return "unknown_certificate";
        case CodeStatus::malformed: return "malformed";
    }
    return "malformed";
}

std::optional<CodeStatus> code_status_named(const std::string& name) {
    for (const CodeStatus status : {CodeStatus::valid, CodeStatus::invalid_signature, CodeStatus::unknown_certificate,
                                    CodeStatus::malformed}) {
        if (name == to_string(status)) return status;
    }
    return std::nullopt;
}
namespace {

Box box_from(const Poco::JSON::Array::Ptr& array) {
    Box box;
    if (!array) return box;
    if (array->size() != 4) throw InputError("ocr_json", "boîte invalide : il faut [x, y, largeur, hauteur]");
    box.x = array->getElement<int32_t>(0);
    box.y = array->getElement<int32_t>(1);
    box.width = array->getElement<int32_t>(2);
    box.height = array->getElement<int32_t>(3);
    return box;
}

}  // namespace

Poco::JSON::Array box_to_json(const Box& box) {
    Poco::JSON::Array array;
    for (int32_t v : {box.x, box.y, box.width, box.height}) array.add(v);
    return array;
}

Poco::JSON::Object barcode_to_json(const Barcode& barcode) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("page", barcode.page);
    entry.set("box", box_to_json(barcode.box));
    entry.set("format", barcode.format);
    if (!barcode.version.empty()) entry.set("version", barcode.version);
    if (!barcode.authority.empty()) entry.set("ca", barcode.authority);
    if (!barcode.certificate.empty()) entry.set("certificate", barcode.certificate);
    entry.set("document_type", barcode.document_type);
    entry.set("status", barcode.status ? to_string(*barcode.status) : "");
    entry.set("test_authority", barcode.test_authority);
    if (!barcode.detail.empty()) entry.set("detail", barcode.detail);
    Poco::JSON::Object fields(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [id, value] : barcode.fields) fields.set(id, value);
    entry.set("fields", fields);
    return entry;
}

Box box_from_json(const Poco::JSON::Array::Ptr& array) { return box_from(array); }

Barcode barcode_from_json(const Poco::JSON::Object::Ptr& code) {
    if (!code) throw InputError("ocr_json", "code-barres invalide");
    Barcode barcode;
    barcode.page = code->optValue<uint32_t>("page", 1);
    barcode.box = box_from(code->getArray("box"));
    barcode.format = code->optValue<std::string>("format", "");
    barcode.status = code_status_named(code->optValue<std::string>("status", ""));
    barcode.version = code->optValue<std::string>("version", "");
    barcode.authority = code->optValue<std::string>("ca", "");
    barcode.certificate = code->optValue<std::string>("certificate", "");
    barcode.test_authority = code->optValue<bool>("test_authority", false);
    barcode.detail = code->optValue<std::string>("detail", "");
    barcode.document_type = code->optValue<std::string>("document_type", "");
    if (const auto fields = code->getObject("fields")) {
        for (const auto& [id, value] : *fields) barcode.fields.emplace_back(id, value.toString());
    }
    return barcode;
}

Poco::JSON::Object page_info_to_json(const PageInfo& info) {
    Poco::JSON::Object page(Poco::JSON_PRESERVE_KEY_ORDER);
    page.set("page", info.page);
    page.set("width", info.width);
    page.set("height", info.height);
    page.set("dpi", info.dpi);
    page.set("rotation", info.rotation_deg);
    page.set("skew_deg", std::round(info.skew_deg * 100.0) / 100.0);
    page.set("text_layer", info.text_layer);
    page.set("blank", info.blank);
    page.set("perspective", info.perspective);
    if (info.illegible) page.set("illegible", true);
    if (info.screen) page.set("screen", true);
    return page;
}

PageInfo page_info_from_json(const Poco::JSON::Object::Ptr& page) {
    PageInfo info;
    if (!page) return info;
    info.page = page->optValue<uint32_t>("page", 0);
    info.width = page->optValue<int32_t>("width", 0);
    info.height = page->optValue<int32_t>("height", 0);
    info.dpi = page->optValue<int32_t>("dpi", 0);
    info.rotation_deg = page->optValue<int32_t>("rotation", 0);
    info.skew_deg = page->optValue<double>("skew_deg", 0.0);
    info.text_layer = page->optValue<bool>("text_layer", false);
    info.blank = page->optValue<bool>("blank", false);
    info.perspective = page->optValue<bool>("perspective", false);
    info.illegible = page->optValue<bool>("illegible", false);
    info.screen = page->optValue<bool>("screen", false);
    return info;
}

Document::Document(std::vector<PageInfo> pages, std::vector<Word> words, std::vector<Barcode> barcodes)
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
        while (index < words_.size() && words_[index].page == page) {
            const Word& word = words_[index];
            if (previous) {
                if (word.block_id != previous->block_id) {
                    text += "\n\n";
                } else if (word.line_id != previous->line_id) {
                    text += "\n";
                } else {
                    text += " ";
                }
            }
            text += word.text;
            previous = &word;
            ++index;
        }
        ranges_[page] = {first, index};
        if (page > 1) texts_[0] += "\f";
        texts_[0] += text;
    }
}

std::pair<size_t, size_t> Document::word_range(uint32_t page) const {
    if (page >= ranges_.size()) return {0, 0};
    return ranges_[page];
}

const std::string& Document::text(uint32_t page) const {
    static const std::string empty;
    if (page >= texts_.size()) return empty;
    return texts_[page];
}

std::string Document::to_json() const {
    // The words, most of it, written here rather than through Poco's objects (a map and a Var
    // per value: a millisecond for a page of 200 words, paid for each plugin's worker); the
    // same text as Poco's stringifier would write, its string escapes and number formats.
    std::string out = "{\"pages\":[";
    for (size_t p = 0; p < pages_.size(); ++p) {
        if (p > 0) out += ',';
        std::ostringstream info;
        page_info_to_json(pages_[p]).stringify(info);
        std::string page = info.str();
        page.pop_back();  // its closing brace: the words go in before it
        out += page;
        out += page.size() > 1 ? ",\"words\":[" : "\"words\":[";
        const auto [first, last] = word_range(static_cast<uint32_t>(p + 1));
        for (size_t i = first; i < last; ++i) {
            const Word& word = words_[i];
            if (i > first) out += ',';
            out += "{\"text\":";
            out += Poco::toJSON(word.text, Poco::JSON_WRAP_STRINGS);
            out += ",\"confidence\":";
            out += Poco::Dynamic::Var(static_cast<double>(word.confidence)).convert<std::string>();
            out += ",\"box\":[" + std::to_string(word.box.x) + ',' + std::to_string(word.box.y) + ',' +
                   std::to_string(word.box.width) + ',' + std::to_string(word.box.height) + "],\"block\":" +
                   std::to_string(word.block_id) + ",\"line\":" + std::to_string(word.line_id) + '}';
        }
        out += "]}";
    }
    out += "],\"barcodes\":";
    Poco::JSON::Array codes;
    for (const Barcode& barcode : barcodes_) codes.add(barcode_to_json(barcode));
    std::ostringstream written;
    codes.stringify(written);
    out += written.str();
    out += '}';
    return out;
}

Document Document::from_json(const std::string& json) {
    try {
        Poco::JSON::Parser parser;
        const auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        const auto pages = root->getArray("pages");
        if (!pages || pages->size() == 0) throw InputError("ocr_json", "résultat OCR sans page");
        std::vector<PageInfo> infos;
        std::vector<Word> words;
        for (uint32_t p = 0; p < pages->size(); ++p) {
            const auto page = pages->getObject(p);
            if (!page) throw InputError("ocr_json", "page " + std::to_string(p + 1) + " invalide");
            PageInfo info = page_info_from_json(page);
            infos.push_back(info);
            const auto page_words = page->getArray("words");
            if (!page_words) continue;
            for (size_t w = 0; w < page_words->size(); ++w) {
                const auto word = page_words->getObject(static_cast<unsigned>(w));
                if (!word || !word->has("text")) throw InputError("ocr_json", "mot sans texte");
                Word out;
                out.text = word->getValue<std::string>("text");
                out.confidence = static_cast<float>(word->optValue<double>("confidence", 0.0));
                out.page = p + 1;
                out.box = box_from(word->getArray("box"));
                out.block_id = word->optValue<uint32_t>("block", 0);
                out.line_id = word->optValue<uint32_t>("line", 0);
                words.push_back(std::move(out));
            }
        }
        std::vector<Barcode> barcodes;
        if (const auto codes = root->getArray("barcodes")) {
            for (unsigned i = 0; i < codes->size(); ++i) {
                Barcode barcode = barcode_from_json(codes->getObject(i));
                if (barcode.page < 1 || barcode.page > infos.size()) {
                    throw InputError("ocr_json", "code-barres sur une page que le document n'a pas (" +
                                                     std::to_string(barcode.page) + ")");
                }
                barcodes.push_back(std::move(barcode));
            }
        }
        return Document(std::move(infos), std::move(words), std::move(barcodes));
    } catch (const InputError&) {
        throw;
    } catch (const Poco::Exception& error) {
        throw InputError("ocr_json", "résultat OCR illisible : " + error.displayText());
    }
}

}  // namespace comptoir
