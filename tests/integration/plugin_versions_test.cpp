// The plugin ABI's versions and flags against real plugins (tests/plugins/): a plugin built with
// the real 1.0 structs, the minor the SDK stamps, COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED.
#include "comptoir/plugin_host/plugin_host.hpp"

#include <comptoir/plugin.h>

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>

using comptoir::Document;
using comptoir::PluginRegistry;
using comptoir::test::TempDir;

namespace {

const std::string kPlugins = COMPTOIR_BUILD_PLUGINS_DIR;
const std::string kTestPlugins = COMPTOIR_TEST_PLUGINS_DIR;

// A registry of the given test plugins (and of the shipped ones named with a ".so" of kPlugins).
struct Loaded {
    TempDir dir;
    PluginRegistry registry;

    explicit Loaded(const std::vector<std::string>& test_plugins, const std::vector<std::string>& shipped = {},
                    const comptoir::PluginIsolation& isolation = {}) {
        registry.set_isolation(isolation);
        for (const auto& name : test_plugins) comptoir::test::copy_file(kTestPlugins + "/" + name, dir.file(name));
        for (const auto& name : shipped) comptoir::test::copy_file(kPlugins + "/" + name, dir.file(name));
        registry.load_directory(dir.path());
    }
};

// One page, one word, and one 2D-Doc whose signature is refused.
Document document_with_a_refused_code() {
    return Document::from_json(R"({"pages": [{"width": 1000, "height": 1400, "dpi": 300, "words": [
        {"text": "Référence", "confidence": 0.9, "box": [100, 100, 150, 30], "block": 1, "line": 1}]}],
        "barcodes": [{"page": 1, "box": [800, 50, 150, 150], "format": "2ddoc", "document_type": "01",
                      "status": "invalid_signature", "fields": {"19": "AB12"}}]})");
}

}  // namespace

TEST(PluginVersions, APluginBuiltWithTheReal10StructsIsReadNoFurtherThanThem) {
    Loaded plugins({"older_minor.so"});
    // What follows its 1.0 table in memory (a spec for an undeclared key, a check that fails
    // everything) would refuse it or fail its values if the host read it.
    ASSERT_TRUE(plugins.registry.rejected().empty()) << plugins.registry.rejected()[0].reason;
    const auto* info = plugins.registry.find("older_minor");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->abi_minor, 0);
    EXPECT_FALSE(info->own_check);
    for (const auto& field : info->fields) EXPECT_EQ(field.alphabet, "any") << field.key;
    EXPECT_EQ(plugins.registry.check_value("older_minor", "numero", "42"), COMPTOIR_CHECK_UNCHECKED);

    // Its 2D-Doc value's padding names the refused code: a 1.0 field has no `barcode`, so the
    // value stands, weighed as if its code's certificate were unknown.
    const auto extraction = plugins.registry.extract(document_with_a_refused_code(), "older_minor", "older_minor.document");
    ASSERT_TRUE(extraction.ok) << extraction.error;
    EXPECT_EQ(extraction.fields.at("numero").value, "42");
    const auto& reference = extraction.fields.at("reference");
    EXPECT_EQ(reference.value, "AB12");
    EXPECT_EQ(reference.source, comptoir::Source::twoddoc);
    EXPECT_LE(reference.confidence, 0.5);
    EXPECT_EQ(reference.relation, "2ddoc");
    EXPECT_EQ(reference.evidence_label, "");
}

TEST(PluginVersions, TheSdkStampsTheMinorAPluginNeedsNotTheOneItWasBuiltWith) {
    Loaded plugins({"sdk_specs.so", "duplicate_a.so"}, {"libre.so"});
    ASSERT_TRUE(plugins.registry.rejected().empty()) << plugins.registry.rejected()[0].reason;
    // Field specs and its own check: 1.2.
    EXPECT_EQ(plugins.registry.find("sdk_specs")->abi_minor, 2);
    // Nothing of 1.2 in their tables: 1.1, which a 1.1 host accepts.
    EXPECT_EQ(plugins.registry.find("libre")->abi_minor, 1);
    EXPECT_EQ(plugins.registry.find("doublon")->abi_minor, 1);
}

TEST(PluginVersions, ASingleThreadedPluginIsNeverCalledFromTwoThreadsAtOnce) {
    // In the host's own process (the plugin's worker calls it so): in a worker of its own, one
    // process per plugin, no two calls of a plugin ever run at once, flag or not.
    Loaded plugins({"single_threaded.so", "multi_threaded.so"}, {}, comptoir::in_this_process());
    ASSERT_EQ(plugins.registry.loaded().size(), 2u);
    const Document doc = document_with_a_refused_code();
    // A recognise and an extract of one plugin, started together from two threads; each tells
    // whether the other ran while it did (the plugin looks out for it).
    const auto overlap = [&](const std::string& id) {
        std::latch start(2);
        comptoir::Recognition recognition;
        comptoir::Extraction extraction;
        std::thread a([&] {
            start.arrive_and_wait();
            recognition = plugins.registry.recognise(doc, 0.0, id);
        });
        std::thread b([&] {
            start.arrive_and_wait();
            extraction = plugins.registry.extract(doc, id, id + ".document");
        });
        a.join();
        b.join();
        EXPECT_TRUE(recognition.document.has_value()) << id;
        EXPECT_TRUE(extraction.ok) << id;
        const bool recognise_saw = recognition.document && recognition.document->confidence > 0.5;
        const bool extract_saw = extraction.fields.count("overlap") && extraction.fields.at("overlap").value == "oui";
        return std::make_pair(recognise_saw, extract_saw);
    };
    // Without the flag both calls run at once, and the plugin sees it.
    EXPECT_EQ(overlap("multi_threaded"), std::make_pair(true, true));
    // With it, the host runs them one after the other.
    EXPECT_EQ(overlap("single_threaded"), std::make_pair(false, false));
}
