#include "comptoir/plugin_host/field.hpp"

#include <array>

namespace comptoir {
namespace {

constexpr std::array<const char*, 4> kChecks{"unchecked", "ok", "failed", "mismatch"};
constexpr std::array<const char*, 4> kSources{"ocr", "2ddoc", "text_layer", "manual"};
constexpr std::array<const char*, 8> kTypes{"text", "amount", "date", "identifier", "count", "decimal", "name", "address"};

template <typename E, size_t N>
std::optional<E> named(const std::array<const char*, N>& names, std::string_view name) {
    for (size_t i = 0; i < N; ++i) {
        if (name == names[i]) return static_cast<E>(i);
    }
    return std::nullopt;
}

}  // namespace

const char* to_string(Check check) { return kChecks.at(static_cast<size_t>(check)); }
const char* to_string(Source source) { return kSources.at(static_cast<size_t>(source)); }
const char* to_string(FieldType type) { return kTypes.at(static_cast<size_t>(type)); }

std::optional<Check> check_named(std::string_view name) { return named<Check>(kChecks, name); }
std::optional<Source> source_named(std::string_view name) { return named<Source>(kSources, name); }
std::optional<FieldType> field_type_named(std::string_view name) { return named<FieldType>(kTypes, name); }

}  // namespace comptoir
