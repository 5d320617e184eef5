// plugin.h compiles as C++20 here and as C11 in plugin_abi_layout.c; both must see the same
// layout. plugin.hpp compiles here too.
#include <comptoir/plugin.h>
#include <comptoir/plugin.hpp>

#include "plugin_abi_layout.h"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <sstream>

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

// A minor only appends: the 1.2 members lie after every 1.1 member, so a 1.1 plugin's smaller
// structs end exactly where they begin (tests/plugins/minor_1_1.c builds one).
TEST(PluginAbi, Minor2OnlyAppendsMembers) {
    EXPECT_EQ(COMPTOIR_PLUGIN_ABI_MINOR, 2);
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
