// plugin.h compiles as C++20 here and as C11 in plugin_abi_layout.c; both must see the same
// layout. plugin.hpp compiles here too.
#include <comptoir/plugin.h>
#include <comptoir/plugin.hpp>

#include "plugin_abi_layout.h"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::map<std::string, size_t> cpp_layout() {
    std::map<std::string, size_t> layout;
#define CPP_SIZE(type) layout[#type] = sizeof(type);
#define CPP_OFFSET(type, member) layout[#type "." #member] = offsetof(type, member);
    COMPTOIR_ABI_STRUCTS(CPP_SIZE)
    COMPTOIR_ABI_MEMBERS(CPP_OFFSET)
#undef CPP_SIZE
#undef CPP_OFFSET
    return layout;
}

}  // namespace

TEST(PluginAbi, CAndCppAgreeOnEveryStructLayout) {
    const auto result = comptoir::test::run_process(COMPTOIR_ABI_LAYOUT_C, {});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::map<std::string, size_t> c_layout;
    std::istringstream lines(result.out);
    std::string name;
    std::string value;
    while (lines >> name >> value) {
        if (name != "abi") c_layout[name] = std::stoul(value);
        else EXPECT_EQ(value, std::to_string(COMPTOIR_PLUGIN_ABI_MAJOR) + "." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR));
    }
    const auto cpp = cpp_layout();
    ASSERT_EQ(c_layout.size(), cpp.size());
    for (const auto& [key, size] : cpp) EXPECT_EQ(c_layout.at(key), size) << key;
}

// ABI 1.3 appends to the host table only (the plugin table of 1.2 is unchanged): `setting` and
// `plugin` after `add_field`, so a 1.2 plugin reading up to `add_field` reads the same table.
TEST(PluginAbi, Minor3OnlyAppendsToTheHostTable) {
    EXPECT_GE(COMPTOIR_PLUGIN_ABI_MINOR, 3);
    EXPECT_GE(offsetof(comptoir_host, setting), offsetof(comptoir_host, add_field) + sizeof(void*));
    EXPECT_GT(offsetof(comptoir_host, plugin), offsetof(comptoir_host, setting));
    EXPECT_EQ(offsetof(comptoir_plugin_factory, struct_size), 0u);
    EXPECT_EQ(sizeof(comptoir_plugin), offsetof(comptoir_plugin, check_value) + sizeof(void*));
}

// ABI 1.4 appends `ask_again` to the host table alone, after 1.3's `plugin`: a 1.3 plugin reads
// the same table, and a 1.4 plugin on a 1.3 host sees a `struct_size` that stops before it
// (plugin.hpp's Document::ask_again then asks nothing). The plugin table is unchanged.
TEST(PluginAbi, Minor4OnlyAppendsAskAgainToTheHostTable) {
    EXPECT_EQ(COMPTOIR_PLUGIN_ABI_MINOR, 4);
    EXPECT_EQ(COMPTOIR_PLUGIN_ABI_MINOR_ASK_AGAIN, 4);
    EXPECT_GE(offsetof(comptoir_host, ask_again), offsetof(comptoir_host, plugin) + sizeof(void*));
    EXPECT_EQ(sizeof(comptoir_host), offsetof(comptoir_host, ask_again) + sizeof(void*));
    EXPECT_EQ(sizeof(comptoir_plugin), offsetof(comptoir_plugin, check_value) + sizeof(void*));
}

// A minor only appends: the 1.2 members lie after every 1.1 member, so a 1.1 plugin's smaller
// structs end exactly where they begin (tests/plugins/minor_1_1.c builds one).
TEST(PluginAbi, Minor2OnlyAppendsMembers) {
    EXPECT_GE(COMPTOIR_PLUGIN_ABI_MINOR, 2);
    EXPECT_GE(offsetof(comptoir_field, relation), offsetof(comptoir_field, barcode) + sizeof(uint32_t));
    EXPECT_GT(offsetof(comptoir_field, evidence_label), offsetof(comptoir_field, relation));
    EXPECT_EQ(sizeof(comptoir_field), offsetof(comptoir_field, evidence_label) + sizeof(const char*));
    EXPECT_GE(offsetof(comptoir_plugin, field_specs), offsetof(comptoir_plugin, extract) + sizeof(void*));
    EXPECT_GT(offsetof(comptoir_plugin, field_spec_count), offsetof(comptoir_plugin, field_specs));
    EXPECT_GT(offsetof(comptoir_plugin, check_value), offsetof(comptoir_plugin, field_spec_count));
    EXPECT_EQ(sizeof(comptoir_plugin), offsetof(comptoir_plugin, check_value) + sizeof(void*));
    EXPECT_EQ(offsetof(comptoir_field_spec, struct_size), 0u);
    EXPECT_EQ(sizeof(comptoir_relation), sizeof(int));
    EXPECT_EQ(sizeof(comptoir_alphabet), sizeof(int));
}

// ---- the minor plugin.hpp stamps (plugin.h, "Versions") -------------------------------------

namespace {

namespace sdk = comptoir::sdk;

// A plugin declaring `fields`, stating the minor `stated` when set.
template <int Tag>
class Stamped : public sdk::Plugin {
public:
    static inline std::vector<sdk::Description::FieldDecl> fields;
    static inline std::optional<uint16_t> stated;

    sdk::Description describe() const override {
        sdk::Description description;
        description.id = "stamped" + std::to_string(Tag);
        description.partner = "Test";
        description.version = "1.0.0";
        description.kinds = {{description.id + ".document", "Document"}};
        description.fields = fields;
        description.abi_minor = stated;
        return description;
    }
    void recognise(sdk::Document&) const override {}
    void extract(sdk::Document&, std::string_view) const override {}
};

template <int Tag>
class StampedWithCheck : public Stamped<Tag> {
public:
    comptoir_check check_value(std::string_view, std::string_view) const override { return COMPTOIR_CHECK_OK; }
};

template <typename PluginClass>
int stamped_minor(std::vector<sdk::Description::FieldDecl> fields, std::optional<uint16_t> stated = std::nullopt) {
    PluginClass::fields = std::move(fields);
    PluginClass::stated = stated;
    const comptoir_plugin* table = sdk::detail::entry<PluginClass>();
    EXPECT_NE(table, nullptr);
    EXPECT_EQ(table->abi_major, COMPTOIR_PLUGIN_ABI_MAJOR);
    return table ? table->abi_minor : -1;
}

const sdk::Description::FieldDecl kPlain{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER};
const sdk::Description::FieldDecl kBounded{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER, 9, 9, COMPTOIR_ALPHABET_DIGITS};

}  // namespace

TEST(PluginAbi, TheSdkStampsTheLowestMinorWhoseMembersTheTableFills) {
    // Nothing of 1.2: 1.1, for the `barcode` every Field carries; a 1.1 host loads it.
    EXPECT_EQ(stamped_minor<Stamped<1>>({kPlain}), 1);
    // Field specs or a check of its own are 1.2.
    EXPECT_EQ(stamped_minor<Stamped<2>>({kPlain, {"code", "Code", COMPTOIR_FIELD_IDENTIFIER, 0, 8}}), 2);
    EXPECT_EQ(stamped_minor<StampedWithCheck<3>>({kPlain}), 2);
}

TEST(PluginAbi, APluginMayStateItsMinorButNotBelowWhatItsTableFills) {
    EXPECT_EQ(stamped_minor<Stamped<4>>({kPlain}, 0), 0);  // it reports no 2D-Doc value
    EXPECT_EQ(stamped_minor<Stamped<5>>({kPlain}, 2), 2);  // it wants a 1.2 host
    EXPECT_EQ(stamped_minor<Stamped<6>>({kBounded}, 0), 2);
    EXPECT_EQ(stamped_minor<StampedWithCheck<7>>({kPlain}, 1), 2);
    EXPECT_EQ(stamped_minor<Stamped<8>>({kPlain}, 99), COMPTOIR_PLUGIN_ABI_MINOR);  // no more than this SDK knows
}
