#include "comptoir/reading/document.hpp"
#include "comptoir/reading/document_json.hpp"

#include "comptoir/base/error.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <sstream>

using comptoir::Document;

namespace {

const char* kTwoPages = R"({
  "pages": [
    {"width": 2480, "height": 3508, "dpi": 300, "words": [
      {"text": "Facture", "confidence": 0.96, "box": [100, 100, 200, 40], "block": 1, "line": 1},
      {"text": "du", "confidence": 0.95, "box": [310, 100, 40, 40], "block": 1, "line": 1},
      {"text": "29/01/2021", "confidence": 0.91, "box": [360, 100, 220, 40], "block": 1, "line": 1},
      {"text": "Montant", "confidence": 0.9, "box": [100, 200, 150, 40], "block": 1, "line": 2},
      {"text": "Total", "confidence": 0.9, "box": [100, 900, 150, 40], "block": 2, "line": 3}]},
    {"width": 2480, "height": 3508, "dpi": 300, "rotation": 180, "skew_deg": 0.4, "words": [
      {"text": "Suite", "confidence": 0.8, "box": [100, 100, 100, 40], "block": 1, "line": 1}]}
  ],
  "barcodes": [{"page": 1, "box": [2000, 100, 300, 300], "format": "2ddoc", "status": "valid",
                "document_type": "01", "fields": {"18": "10123590373", "1D": "87.43"}}]
})";

}  // namespace

TEST(Document, BuildsTextFromLinesAndBlocks) {
    const Document doc = Document::from_json(kTwoPages);
    ASSERT_EQ(doc.page_count(), 2u);
    EXPECT_EQ(doc.text(1), "Facture du 29/01/2021\nMontant\n\nTotal");
    EXPECT_EQ(doc.text(2), "Suite");
    EXPECT_EQ(doc.text(0), "Facture du 29/01/2021\nMontant\n\nTotal\fSuite");
    EXPECT_EQ(doc.text(3), "");
}

TEST(Document, GivesWordsPerPageAndPageInfo) {
    const Document doc = Document::from_json(kTwoPages);
    EXPECT_EQ(doc.word_range(0), (std::pair<size_t, size_t>{0, 6}));
    EXPECT_EQ(doc.word_range(1), (std::pair<size_t, size_t>{0, 5}));
    EXPECT_EQ(doc.word_range(2), (std::pair<size_t, size_t>{5, 6}));
    EXPECT_EQ(doc.words()[2].text, "29/01/2021");
    EXPECT_EQ(doc.words()[2].box.x, 360);
    EXPECT_FLOAT_EQ(doc.words()[2].confidence, 0.91f);
    EXPECT_EQ(doc.pages()[1].rotation_deg, 180);
    EXPECT_DOUBLE_EQ(doc.pages()[1].skew_deg, 0.4);
    EXPECT_EQ(doc.pages()[1].page, 2u);
}

namespace {

// What Poco's objects write for a document (to_json's former way, the reference).
std::string written_by_poco(const Document& doc) {
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array pages;
    for (uint32_t p = 1; p <= doc.page_count(); ++p) {
        Poco::JSON::Object page = comptoir::page_info_to_json(doc.pages()[p - 1]);
        Poco::JSON::Array words;
        const auto [first, last] = doc.word_range(p);
        for (size_t i = first; i < last; ++i) {
            const auto& word = doc.words()[i];
            Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
            out.set("text", word.text);
            out.set("confidence", static_cast<double>(word.confidence));
            out.set("box", comptoir::box_to_json(word.box));
            out.set("block", word.block_id);
            out.set("line", word.line_id);
            words.add(out);
        }
        page.set("words", words);
        pages.add(page);
    }
    root.set("pages", pages);
    Poco::JSON::Array codes;
    for (const auto& barcode : doc.barcodes()) codes.add(comptoir::barcode_to_json(barcode));
    root.set("barcodes", codes);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

}  // namespace

// to_json writes its words itself (the plugins' workers are sent it for each document): the
// same text as Poco's objects, odd characters and all, and what from_json reads back.
TEST(Document, WritesItsJsonAsPocoWouldAndReadsItBack) {
    const std::string odd = R"({"pages": [{"width": 100, "height": 100, "words": [
        {"text": "a\"b\\c\u0001é€/", "confidence": 0.123456789, "box": [-1, 2, 3, 4], "block": 7, "line": 8},
        {"text": "", "confidence": 1, "box": [0, 0, 0, 0]}]}, {"words": []}]})";
    for (const std::string& json : {std::string(kTwoPages), odd}) {
        const Document doc = Document::from_json(json);
        const std::string written = doc.to_json();
        EXPECT_EQ(written, written_by_poco(doc));
        const Document back = Document::from_json(written);
        EXPECT_EQ(back.to_json(), written);
        ASSERT_EQ(back.words().size(), doc.words().size());
        for (size_t i = 0; i < doc.words().size(); ++i) {
            EXPECT_EQ(back.words()[i].text, doc.words()[i].text);
            EXPECT_EQ(back.words()[i].confidence, doc.words()[i].confidence);
            EXPECT_EQ(back.words()[i].box.x, doc.words()[i].box.x);
            EXPECT_EQ(back.words()[i].line_id, doc.words()[i].line_id);
        }
        EXPECT_EQ(back.text(0), doc.text(0));
    }
}

TEST(Document, KeepsBarcodeFields) {
    const Document doc = Document::from_json(kTwoPages);
    ASSERT_EQ(doc.barcodes().size(), 1u);
    EXPECT_EQ(doc.barcodes()[0].status, comptoir::CodeStatus::valid);
    EXPECT_EQ(doc.barcodes()[0].fields.size(), 2u);
}

TEST(Document, MalformedJsonIsAnInputError) {
    EXPECT_THROW(Document::from_json(""), comptoir::InputError);
    EXPECT_THROW(Document::from_json("{\"pages\": []}"), comptoir::InputError);
    EXPECT_THROW(Document::from_json("{\"pages\": [{\"words\": [{\"confidence\": 1}]}]}"), comptoir::InputError);
    EXPECT_THROW(Document::from_json("{\"pages\": [{\"words\": [{\"text\": \"a\", \"box\": [1, 2]}]}]}"),
                 comptoir::InputError);
    EXPECT_THROW(Document::from_json("[1, 2"), comptoir::InputError);
    // A code on a page the document does not have.
    EXPECT_THROW(Document::from_json(R"({"pages": [{"words": []}], "barcodes": [{"page": 2, "format": "2ddoc"}]})"),
                 comptoir::InputError);
    EXPECT_THROW(Document::from_json(R"({"pages": [{"words": []}], "barcodes": [{"page": 0, "format": "2ddoc"}]})"),
                 comptoir::InputError);
}

TEST(Document, WrittenBackItReadsTheSame) {
    const Document doc = Document::from_json(kTwoPages);
    const Document again = Document::from_json(doc.to_json());
    ASSERT_EQ(again.page_count(), 2u);
    EXPECT_EQ(again.text(0), doc.text(0));
    ASSERT_EQ(again.words().size(), doc.words().size());
    for (size_t i = 0; i < doc.words().size(); ++i) {
        EXPECT_EQ(again.words()[i].text, doc.words()[i].text);
        EXPECT_FLOAT_EQ(again.words()[i].confidence, doc.words()[i].confidence);
        EXPECT_EQ(again.words()[i].box.x, doc.words()[i].box.x);
        EXPECT_EQ(again.words()[i].box.height, doc.words()[i].box.height);
        EXPECT_EQ(again.words()[i].line_id, doc.words()[i].line_id);
        EXPECT_EQ(again.words()[i].page, doc.words()[i].page);
    }
    EXPECT_EQ(again.pages()[1].rotation_deg, 180);
    EXPECT_DOUBLE_EQ(again.pages()[1].skew_deg, 0.4);
    ASSERT_EQ(again.barcodes().size(), 1u);
    EXPECT_EQ(again.barcodes()[0].fields, doc.barcodes()[0].fields);
    EXPECT_EQ(again.barcodes()[0].status, doc.barcodes()[0].status);
}

TEST(Document, ACodesHeaderAndVerdictSurviveTheRoundTrip) {
    comptoir::Barcode code;
    code.page = 1;
    code.box = {10, 20, 200, 200};
    code.format = "2ddoc";
    code.version = "04";
    code.authority = "FR00";
    code.certificate = "0001";
    code.document_type = "28";
    code.status = comptoir::CodeStatus::valid;
    code.test_authority = true;
    code.detail = "signature valide (autorité de test FR00)";
    code.fields = {{"44", "2278012345678"}, {"4Y", "145 RUE JULLIARD"}};
    comptoir::PageInfo page;
    page.width = 100;
    page.height = 100;
    const Document again = Document::from_json(Document({page}, {}, {code}).to_json());
    ASSERT_EQ(again.barcodes().size(), 1u);
    const auto& back = again.barcodes()[0];
    EXPECT_EQ(back.version, "04");
    EXPECT_EQ(back.authority, "FR00");
    EXPECT_EQ(back.certificate, "0001");
    EXPECT_EQ(back.document_type, "28");
    EXPECT_TRUE(back.test_authority);
    EXPECT_EQ(back.detail, code.detail);
    EXPECT_EQ(back.fields, code.fields);
    EXPECT_EQ(back.box.width, 200);
}
