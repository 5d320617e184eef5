// comptoir/testing.hpp, the SDK's unit-test helper, in a program of its own: nothing of Comptoir's
// core is linked (the header defines plugin.h's comptoir_document), as in a partner's test.
#include <comptoir/plugin.hpp>
#include <comptoir/testing.hpp>

#include <gtest/gtest.h>

namespace t = comptoir::testing;

namespace {

// A plugin compiled into this program, reporting what the host must refuse as well as what it keeps.
class Probe final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "probe";
        description.partner = "Test";
        description.version = "1.0.0";
        description.kinds = {{"probe.doc", "Document sondé"}};
        description.fields = {{"premier", "Premier mot", COMPTOIR_FIELD_TEXT}, {"code", "Code", COMPTOIR_FIELD_TEXT}};
        return description;
    }
    void recognise(comptoir::sdk::Document& doc) const override {
        doc.log(COMPTOIR_LOG_INFO, std::to_string(doc.page_count()) + " pages");
        doc.add_candidate("probe.doc", doc.text().find("Facture") != std::string::npos ? 0.8f : 0.1f);
        doc.add_candidate("probe.doc", 0.7f);  // a second score replaces the first
        doc.add_candidate("autre.doc", 0.9f);  // undeclared: refused, recognise fails
    }
    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        const auto words = doc.words(2);
        comptoir::sdk::Field field;
        field.key = "premier";
        field.value = words.empty() ? "" : words.front().text;
        field.confidence = 0.9f;
        EXPECT_TRUE(doc.add_field(field));
        field.key = "inconnu";
        EXPECT_FALSE(doc.add_field(field));
        field.key = "code";
        field.value = std::string(5000, 'x');
        EXPECT_TRUE(doc.add_field(field));  // dropped by the host after the call
        for (const auto& code : doc.barcodes()) {
            field.value = code.field("10").value_or("");
            field.source = COMPTOIR_SOURCE_2DDOC;
            field.barcode = code.index;
            try {
                doc.add_field(field);
            } catch (const comptoir::sdk::HostError&) {
            }
        }
    }
};

const char* kTwoPages = R"({"pages": [
  {"width": 100, "height": 200, "dpi": 150, "skew_deg": 1.5, "words": [
    {"text": "Facture", "confidence": 0.9, "box": [1, 2, 3, 4], "block": 1, "line": 1},
    {"text": "d'eau", "confidence": 0.8, "box": [5, 2, 3, 4], "block": 1, "line": 1},
    {"text": "Total", "confidence": 0.7, "box": [1, 9, 3, 4], "block": 1, "line": 2},
    {"text": "87,43", "confidence": 0.6, "box": [1, 20, 3, 4], "block": 2, "line": 3}]},
  {"width": 100, "height": 200, "words": [{"text": "Suite", "confidence": 0.5, "box": [1, 1, 1, 1]}]}],
 "barcodes": [{"page": 2, "box": [0, 0, 9, 9], "format": "2ddoc", "status": "valid", "document_type": "01",
               "fields": {"10": "A1"}},
              {"page": 2, "format": "2ddoc", "status": "invalid_signature", "fields": {"10": "B2"}}]})";

}  // namespace

COMPTOIR_PLUGIN(Probe)

TEST(SdkTesting, ReadsASavedReadingAsTheHostDoes) {
    const t::Document doc = t::Document::from_json(kTwoPages);
    ASSERT_EQ(doc.page_count(), 2u);
    EXPECT_EQ(doc.pages()[0].dpi, 150);
    EXPECT_DOUBLE_EQ(doc.pages()[0].skew_deg, 1.5);
    EXPECT_EQ(doc.text(1), "Facture d'eau\nTotal\n\n87,43");
    EXPECT_EQ(doc.text(0), "Facture d'eau\nTotal\n\n87,43\fSuite");
    EXPECT_EQ(doc.word_range(2), (std::pair<size_t, size_t>{4, 5}));
    EXPECT_EQ(doc.words()[3].box.y, 20);
    ASSERT_EQ(doc.barcodes().size(), 2u);
    EXPECT_EQ(doc.barcodes()[0].fields.at(0).second, "A1");
}

TEST(SdkTesting, SaysInFrenchWhatIsWrongWithAReading) {
    EXPECT_THROW(t::Document::from_json("{"), t::Error);
    try {
        t::Document::from_json(R"({"pages": []})");
        FAIL();
    } catch (const t::Error& error) {
        EXPECT_STREQ(error.what(), "résultat OCR sans page");
    }
    EXPECT_THROW(t::Document::from_json(R"({"pages": [{"words": [{"text": "a", "box": [1, 2]}]}]})"), t::Error);
    EXPECT_THROW(t::Document::from_json(R"({"pages": [{}], "barcodes": [{"page": 3}]})"), t::Error);
    EXPECT_THROW(t::Document::load("/nonexistent/x.ocr.json"), t::Error);
}

TEST(SdkTesting, RecordsCandidatesAndRefusesUndeclaredKinds) {
    const t::Plugin plugin(comptoir_plugin_entry);
    const t::Result result = plugin.recognise(t::Document::from_json(kTwoPages));
    EXPECT_EQ(result.status, COMPTOIR_STATUS_OK);  // plugin.hpp: add_candidate returns false, recognise goes on
    ASSERT_EQ(result.candidates.size(), 1u);
    EXPECT_FLOAT_EQ(result.score("probe.doc"), 0.7f);
    EXPECT_EQ(result.best_kind(), "probe.doc");
    ASSERT_EQ(result.warnings.size(), 1u);
    EXPECT_NE(result.warnings[0].find("autre.doc"), std::string::npos);
    ASSERT_FALSE(result.logs.empty());
    EXPECT_EQ(result.logs[0].message, "2 pages");
}

TEST(SdkTesting, RecordsFieldsAndDropsWhatTheHostDrops) {
    const t::Plugin plugin(comptoir_plugin_entry);
    EXPECT_EQ(plugin.id(), "probe");
    const t::Result result = plugin.extract(t::Document::from_json(kTwoPages), "probe.doc");
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.value("premier"), "Suite");
    // The code's value is kept beside the page's; the value of a code whose signature failed is refused.
    ASSERT_EQ(result.fields.size(), 2u);
    EXPECT_EQ(result.fields[1].value, "A1");
    EXPECT_EQ(result.fields[1].barcode, 1u);
    EXPECT_EQ(result.value("code"), "A1");
    ASSERT_EQ(result.warnings.size(), 3u);
    EXPECT_NE(result.warnings[0].find("inconnu"), std::string::npos);
    EXPECT_NE(result.warnings[1].find("4096"), std::string::npos);
    EXPECT_NE(result.warnings[2].find("invalid_signature"), std::string::npos);
    EXPECT_THROW(plugin.extract(t::Document::from_json(kTwoPages), "autre.doc"), t::Error);
}

TEST(SdkTesting, LoadsABuiltModuleAsTheHostDoes) {
    const t::Plugin libre = t::Plugin::open(COMPTOIR_BUILD_PLUGINS_DIR "/libre.so");
    const t::Document doc({t::PageInfo{}}, {t::Word{"Paris,", 0.9f, 1, {1, 1, 9, 9}, 1, 1},
                                            t::Word{"le", 0.9f, 1, {11, 1, 9, 9}, 1, 1},
                                            t::Word{"12/03/2024", 0.8f, 1, {21, 1, 9, 9}, 1, 1}});
    EXPECT_FLOAT_EQ(libre.recognise(doc).score("libre.document"), 0.05f);
    EXPECT_EQ(libre.extract(doc, "libre.document").value("date_document"), "2024-03-12");
    EXPECT_THROW(t::Plugin::open("/nonexistent/eau.so"), t::Error);
}
