#include "comptoir/cases/corrections.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/layout.hpp"
#include "comptoir/letters/answers.hpp"

#include <Poco/DateTime.h>

#include <algorithm>
#include <optional>
#include <regex>

namespace comptoir {

std::string normalised_value(FieldType type, const std::string& typed) {
    namespace layout = comptoir::sdk::layout;
    // The limits of the letters' answers (letters/answers.hpp): a text 200 characters, an
    // address (several lines) 2,000; checked before anything reads the value.
    const size_t limit = type == FieldType::address ? kParagraphsAnswerMax : kTextAnswerMax;
    if (const size_t length = character_count(typed); length > limit) {
        throw BadRequestError("invalid_value", "Valeur trop longue : " + std::to_string(limit) + " caractères au plus (" +
                                                   std::to_string(length) + " donnés).");
    }
    std::string value = typed;
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    if (type == FieldType::amount) {
        // A minus sign (hyphen or U+2212) before the digits is kept: a credit, a sum owed back.
        const bool negative = value.rfind("-", 0) == 0 || value.rfind("\u2212", 0) == 0;
        if (auto amount = layout::parse_amount(value)) {
            return negative && *amount != "0.00" ? "-" + *amount : *amount;
        }
        throw BadRequestError("invalid_value", "Montant illisible : écrivez-le comme « 1479,85 ».");
    }
    if (type == FieldType::date) {
        std::optional<std::string> date;
        if (std::regex_match(value, std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}"))) {
            date = value;
        } else {
            date = layout::parse_date(value);
        }
        if (!date) throw BadRequestError("invalid_value", "Date illisible : écrivez-la comme « 29/01/2021 ».");
        const int year = std::stoi(date->substr(0, 4));
        const int month = std::stoi(date->substr(5, 2));
        const int day = std::stoi(date->substr(8, 2));
        if (!Poco::DateTime::isValid(year, month, day) || year < 1900 || year > 2100) {
            throw BadRequestError("invalid_value", "Cette date n'existe pas (" + date->substr(8, 2) + "/" + date->substr(5, 2) +
                                                       "/" + date->substr(0, 4) + ") : vérifiez le jour et le mois.");
        }
        return *date;
    }
    if (type == FieldType::identifier || type == FieldType::count) {
        value.erase(std::remove(value.begin(), value.end(), ' '), value.end());
        if (type == FieldType::count && !std::regex_match(value, std::regex("[0-9]+"))) {
            throw BadRequestError("invalid_value", "Un nombre entier est attendu.");
        }
        return value;
    }
    if (type == FieldType::decimal) {
        std::replace(value.begin(), value.end(), ',', '.');
        if (!std::regex_match(value, std::regex("[0-9]+(\\.[0-9]+)?"))) {
            throw BadRequestError("invalid_value", "Un nombre est attendu, comme « 2,5 ».");
        }
        return value;
    }
    return std::regex_replace(value, std::regex("\\s+"), " ");
}

std::map<std::string, CorrectedField> apply_corrections(const Reading& reading,
                                                        const std::vector<CorrectionRecord>& corrections,
                                                        const PluginInfo* plugin) {
    std::map<std::string, CorrectedField> fields;
    for (const auto& [key, field] : reading.fields) fields[key].field = field;
    for (const auto& correction : corrections) {
        auto [entry, added] = fields.try_emplace(correction.field);
        CorrectedField& shown = entry->second;
        if (added) {
            const PluginField* declared = plugin ? plugin->field(correction.field) : nullptr;
            shown.field.key = correction.field;
            shown.field.label = declared ? declared->label_fr : correction.field;
        }
        if (!shown.corrected) {
            shown.corrected = true;
            shown.read_value = correction.old_value;
            shown.read_source = shown.field.source;
        }
        shown.corrected_at = correction.at;
        shown.corrected_by = correction.author;
        shown.history.push_back(correction);
        shown.field.value = correction.new_value;
        shown.field.source = Source::manual;
        shown.field.confidence = 1.0;
    }
    return fields;
}

void check_corrections(std::map<std::string, CorrectedField>& fields, const PluginRegistry& plugins,
                       const std::string& kind) {
    if (kind.empty()) return;
    for (auto& [key, shown] : fields) {
        if (!shown.corrected) continue;
        switch (plugins.check_value(kind, key, shown.field.value)) {
        case COMPTOIR_CHECK_OK: shown.field.check = Check::ok; break;
        case COMPTOIR_CHECK_FAILED: shown.field.check = Check::failed; break;
        default: shown.field.check = Check::unchecked; break;
        }
    }
}

void require_confirmation(const CorrectedField& current, const std::string& new_value, bool confirmed) {
    const bool from_code = !current.corrected && current.field.source == Source::twoddoc && current.field.check != Check::failed;
    if (!from_code || confirmed || current.field.value == new_value) return;
    throw ConflictError("confirm_needed",
                        "Cette valeur a été lue dans le code 2D-Doc signé du document : elle est sûre. "
                        "Confirmez pour la remplacer par la vôtre.");
}

std::map<std::string, std::string> values_of(const std::map<std::string, CorrectedField>& fields) {
    std::map<std::string, std::string> values;
    for (const auto& [key, shown] : fields) values[key] = shown.field.value;
    return values;
}

}  // namespace comptoir
