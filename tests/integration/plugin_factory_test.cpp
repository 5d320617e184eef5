// ABI 1.3 (issue 32, item 4): a module offering several plugins through its factory, each a
// plugin of its own; the settings of the configuration reaching init; a module with the one
// entry of before loading unchanged (tests/plugins/factory.c, specs.c).
#include "comptoir/app/config.hpp"
#include "comptoir/app/options.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

using comptoir::Document;
using comptoir::PluginRegistry;

namespace {

const std::string kTestPlugins = COMPTOIR_TEST_PLUGINS_DIR;
const std::string kFactory = kTestPlugins + "/factory.so";

Document page() {
    return Document::from_json(R"({"pages": [{"width": 1000, "height": 1400, "dpi": 300, "words": [
        {"text": "Bonjour", "confidence": 0.9, "box": [100, 200, 150, 30], "block": 1, "line": 1}]}]})");
}

std::vector<std::string> ids(const PluginRegistry& registry) {
    std::vector<std::string> out;
    for (const auto* info : registry.loaded()) out.push_back(info->id);
    return out;
}

int failures_of(const PluginRegistry& registry, const std::string& id) {
    for (const auto& health : registry.health()) {
        if (health.id == id) return health.failures;
    }
    return -1;
}

}  // namespace

TEST(PluginFactory, OneModuleOffersTwoPluginsEachItsOwn) {
    PluginRegistry registry(comptoir::in_this_process());
    registry.set_settings({{"duo_a", {{"label", "Page réglée par la configuration"}}}});
    ASSERT_TRUE(registry.load_file(kFactory));
    EXPECT_EQ(ids(registry), (std::vector<std::string>{"duo_a", "duo_b"}));
    const auto* a = registry.find("duo_a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->file, "factory.so");
    ASSERT_EQ(a->kinds.size(), 1u);
    // Filled by its init, from its setting: the table is read after init.
    EXPECT_EQ(a->kinds[0].label_fr, "Page réglée par la configuration");
    // Each answers for itself through the same functions (host->plugin).
    const auto recognition = registry.recognise(page(), 0.5);
    ASSERT_EQ(recognition.candidates.size(), 2u);
    EXPECT_EQ(recognition.candidates[0].plugin, "duo_a");
    EXPECT_EQ(recognition.candidates[0].kind, "duo_a.page");
    EXPECT_EQ(recognition.candidates[1].plugin, "duo_b");
    EXPECT_EQ(recognition.candidates[1].kind, "duo_b.page");
}

TEST(PluginFactory, WithoutSettingsInitKeepsItsDefaults) {
    PluginRegistry registry(comptoir::in_this_process());
    ASSERT_TRUE(registry.load_file(kFactory));
    ASSERT_NE(registry.find("duo_a"), nullptr);
    EXPECT_EQ(registry.find("duo_a")->kinds[0].label_fr, "Page de duo_a");
}

TEST(PluginFactory, TheModuleReadsItsOwnSettings) {
    PluginRegistry registry(comptoir::in_this_process());
    registry.set_settings({{"factory", {{"count", "1"}}}});
    ASSERT_TRUE(registry.load_file(kFactory));
    EXPECT_EQ(ids(registry), (std::vector<std::string>{"duo_a"}));
}

TEST(PluginFactory, PlugInsAllowChoosesAmongAModulesPlugins) {
    PluginRegistry registry(comptoir::in_this_process());
    ASSERT_TRUE(registry.load_file(kFactory, {"duo_b"}));
    EXPECT_EQ(ids(registry), (std::vector<std::string>{"duo_b"}));
    ASSERT_EQ(registry.disabled().size(), 1u);
    EXPECT_EQ(registry.disabled()[0].id, "duo_a");
}

TEST(PluginFactory, AModuleWithTheOneEntryOfBeforeStillLoads) {
    PluginRegistry registry(comptoir::in_this_process());
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/specs.so"));
    EXPECT_EQ(registry.loaded().size(), 1u);
    EXPECT_TRUE(registry.rejected().empty());
}

TEST(PluginFactory, ACrashIsChargedToThePluginCalledNotItsSibling) {
    comptoir::PluginIsolation isolation;
    isolation.timeout = std::chrono::milliseconds(3000);
    PluginRegistry registry(isolation);
    registry.set_settings({{"duo_a", {{"label", "Page réglée"}}}});
    ASSERT_TRUE(registry.load_file(kFactory));
    const Document document = page();
    const auto crashed = registry.extract(document, "duo_b", "duo_b.page");
    EXPECT_FALSE(crashed.ok);
    EXPECT_NE(crashed.error.find("Le greffon duo_b s'est arrêté"), std::string::npos) << crashed.error;
    EXPECT_EQ(failures_of(registry, "duo_b"), 1);
    EXPECT_EQ(failures_of(registry, "duo_a"), 0);
    // duo_a has its own worker, which loaded the module with its settings and answers.
    const auto read = registry.extract(document, "duo_a", "duo_a.page");
    EXPECT_TRUE(read.ok) << read.error;
    ASSERT_EQ(read.fields.count("valeur"), 1u);
    EXPECT_EQ(read.fields.at("valeur").value, "lu par duo_a");
    EXPECT_EQ(failures_of(registry, "duo_a"), 0);
}

TEST(PluginFactory, TheConfigurationHandsEachPluginItsLines) {
    comptoir::Config config;
    config.set("plugins.duo_a.label", "Libellé");
    config.set("plugins.rules_dir", "/srv/regles");
    const auto settings = comptoir::plugin_settings(config);
    ASSERT_EQ(settings.count("duo_a"), 1u);
    EXPECT_EQ(settings.at("duo_a").at("label"), "Libellé");
    EXPECT_EQ(settings.at("rules").at("dir"), "/srv/regles");
    EXPECT_THROW(config.set("plugins.timeout", "3"), comptoir::ConfigError);  // not a plugin's line
}

// Isolated (the default), no init runs in this process: the module's child runs the factory's
// init with the module's settings (count=1: duo_a alone is offered), duo_a's worker runs its
// init with its settings, and its declarations — the label its init filled — are read from there.
TEST(PluginFactory, IsolatedEachInitRunsInItsChildWithItsSettings) {
    comptoir::PluginIsolation isolation;
    isolation.timeout = std::chrono::milliseconds(3000);
    {
        PluginRegistry registry(isolation);
        registry.set_settings({{"duo_a", {{"label", "Page réglée par la configuration"}}}});
        ASSERT_TRUE(registry.load_file(kFactory));
        EXPECT_EQ(ids(registry), (std::vector<std::string>{"duo_a", "duo_b"}));
        ASSERT_NE(registry.find("duo_a"), nullptr);
        EXPECT_EQ(registry.find("duo_a")->file, "factory.so");
        ASSERT_EQ(registry.find("duo_a")->kinds.size(), 1u);
        EXPECT_EQ(registry.find("duo_a")->kinds[0].label_fr, "Page réglée par la configuration");
        EXPECT_EQ(registry.find("duo_b")->kinds[0].label_fr, "Page de duo_b");
    }
    PluginRegistry registry(isolation);
    registry.set_settings({{"factory", {{"count", "1"}}}});
    ASSERT_TRUE(registry.load_file(kFactory, {"duo_b", "duo_a"}));
    EXPECT_EQ(ids(registry), (std::vector<std::string>{"duo_a"}));
    EXPECT_TRUE(registry.rejected().empty());
}
