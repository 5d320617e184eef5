// ABI 1.2 without loading anything: a value against its field's spec (check_spec), and the C
// table plugin.hpp builds from a C++ plugin (field specs, check_value, the evidence of a field).
#include "comptoir/plugin_host/plugin_host.hpp"

#include <comptoir/plugin.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using comptoir::PluginField;
using comptoir::check_spec;

namespace {

PluginField field(uint32_t min, uint32_t max, const std::string& alphabet) {
    PluginField out{"numero", "Numéro", comptoir::FieldType::identifier};
    out.min_length = min;
    out.max_length = max;
    out.alphabet = alphabet;
    return out;
}

class Bounded final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "bounded";
        description.partner = "Test";
        description.version = "1.2.0";
        description.kinds = {{"bounded.document", "Document"}};
        description.fields = {{"libre", "Libre", COMPTOIR_FIELD_TEXT},
                              {"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER, 9, 9, COMPTOIR_ALPHABET_DIGITS},
                              {"code", "Code", COMPTOIR_FIELD_IDENTIFIER, 0, 0, COMPTOIR_ALPHABET_UPPER_ALNUM}};
        return description;
    }
    void recognise(comptoir::sdk::Document&) const override {}
    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        comptoir::sdk::Field numero;
        numero.key = "numero";
        numero.value = "123456789";
        numero.relation = COMPTOIR_RELATION_BELOW;
        numero.evidence_label = "N° fiscal";
        doc.add_field(numero);
        comptoir::sdk::Field libre;
        libre.key = "libre";
        libre.value = "x";
        doc.add_field(libre);
    }
    comptoir_check check_value(std::string_view key, std::string_view value) const override {
        if (value == "boom") throw std::runtime_error("check_value a paniqué");
        return key == "numero" && value.back() == '9' ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
    }
};

class Unbounded final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "unbounded";
        description.partner = "Test";
        description.version = "1.0.0";
        description.fields = {{"libre", "Libre", COMPTOIR_FIELD_TEXT}};
        return description;
    }
    void recognise(comptoir::sdk::Document&) const override {}
    void extract(comptoir::sdk::Document&, std::string_view) const override {}
};

// What a fake host's add_field received, copied.
struct Received {
    std::string key;
    size_t struct_size = 0;
    comptoir_relation relation = COMPTOIR_RELATION_NONE;
    bool label_is_null = true;
    std::string label;
};
std::vector<Received> received;

comptoir_status fake_add_field(comptoir_document*, const comptoir_field* field) {
    Received r;
    r.key = field->key;
    r.struct_size = field->struct_size;
    r.relation = field->relation;
    r.label_is_null = field->evidence_label == nullptr;
    if (field->evidence_label) r.label = field->evidence_label;
    received.push_back(r);
    return COMPTOIR_STATUS_OK;
}

}  // namespace

TEST(FieldSpec, NoBoundIsUnchecked) {
    EXPECT_EQ(check_spec(field(0, 0, "any"), "n'importe quoi"), COMPTOIR_CHECK_UNCHECKED);
    EXPECT_EQ(check_spec(field(0, 0, ""), ""), COMPTOIR_CHECK_UNCHECKED);
}

TEST(FieldSpec, LengthCountsCharactersNotBytes) {
    const PluginField bounded = field(3, 5, "any");
    EXPECT_EQ(check_spec(bounded, "abc"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(check_spec(bounded, "abcde"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(check_spec(bounded, "ab"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(check_spec(bounded, "abcdef"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(check_spec(bounded, "ééé"), COMPTOIR_CHECK_OK);     // 6 bytes, 3 characters
    EXPECT_EQ(check_spec(bounded, "éééééé"), COMPTOIR_CHECK_FAILED);  // 6 characters
    EXPECT_EQ(check_spec(field(2, 0, "any"), "abcdefghijklmnop"), COMPTOIR_CHECK_OK);  // no maximum
    EXPECT_EQ(check_spec(field(0, 2, "any"), ""), COMPTOIR_CHECK_OK);                  // no minimum
}

TEST(FieldSpec, Alphabets) {
    EXPECT_EQ(check_spec(field(0, 0, "digits"), "0123456789"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(check_spec(field(0, 0, "digits"), "01234S6789"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(check_spec(field(0, 0, "digits"), "12 34"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(check_spec(field(0, 0, "alnum"), "Ab12cD"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(check_spec(field(0, 0, "alnum"), "Ab-12"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(check_spec(field(0, 0, "alnum"), "é1"), COMPTOIR_CHECK_FAILED);  // ASCII letters only
    EXPECT_EQ(check_spec(field(0, 0, "upper_alnum"), "AB12"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(check_spec(field(0, 0, "upper_alnum"), "Ab12"), COMPTOIR_CHECK_FAILED);
}

TEST(FieldSpec, LengthAndAlphabetMustBothHold) {
    const PluginField numero = field(9, 9, "digits");
    EXPECT_EQ(check_spec(numero, "123456789"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(check_spec(numero, "12345678"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(check_spec(numero, "12345678A"), COMPTOIR_CHECK_FAILED);
}

TEST(SdkTable, BuildsFieldSpecsOnlyForBoundedFields) {
    const comptoir_plugin* table = comptoir::sdk::detail::entry<Bounded>();
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->abi_minor, 2);
    EXPECT_EQ(table->struct_size, sizeof(comptoir_plugin));
    ASSERT_EQ(table->field_count, 3u);
    ASSERT_EQ(table->field_spec_count, 2u);
    const comptoir_field_spec& numero = table->field_specs[0];
    EXPECT_EQ(numero.struct_size, sizeof(comptoir_field_spec));
    EXPECT_STREQ(numero.key, "numero");
    EXPECT_EQ(numero.min_length, 9u);
    EXPECT_EQ(numero.max_length, 9u);
    EXPECT_EQ(numero.alphabet, COMPTOIR_ALPHABET_DIGITS);
    const comptoir_field_spec& code = table->field_specs[1];
    EXPECT_STREQ(code.key, "code");
    EXPECT_EQ(code.min_length, 0u);
    EXPECT_EQ(code.max_length, 0u);
    EXPECT_EQ(code.alphabet, COMPTOIR_ALPHABET_UPPER_ALNUM);
}

TEST(SdkTable, CheckValueIsWiredAndContainsExceptions) {
    const comptoir_plugin* table = comptoir::sdk::detail::entry<Bounded>();
    ASSERT_NE(table->check_value, nullptr);
    EXPECT_EQ(table->check_value("numero", "123456789"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(table->check_value("numero", "123456788"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(table->check_value("numero", "boom"), COMPTOIR_CHECK_UNCHECKED);  // it threw
    EXPECT_EQ(table->check_value(nullptr, "1"), COMPTOIR_CHECK_UNCHECKED);
}

TEST(SdkTable, APluginWithoutBoundsOrCheckOffersNeither) {
    const comptoir_plugin* table = comptoir::sdk::detail::entry<Unbounded>();
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->field_specs, nullptr);
    EXPECT_EQ(table->field_spec_count, 0u);
    EXPECT_EQ(table->check_value, nullptr);
}

TEST(SdkTable, AddFieldSendsTheEvidence) {
    comptoir_host host{};
    host.struct_size = sizeof host;
    host.add_field = fake_add_field;
    received.clear();
    comptoir::sdk::Document document(&host, nullptr);
    Bounded().extract(document, "bounded.document");
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].key, "numero");
    EXPECT_EQ(received[0].struct_size, sizeof(comptoir_field));
    EXPECT_EQ(received[0].relation, COMPTOIR_RELATION_BELOW);
    EXPECT_EQ(received[0].label, "N° fiscal");
    EXPECT_EQ(received[1].relation, COMPTOIR_RELATION_NONE);
    EXPECT_TRUE(received[1].label_is_null);  // an empty label is sent as NULL
}
