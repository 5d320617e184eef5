// One open SANE device: its options read with their constraints and set with validation, its
// handle closed when done (or given up to a device that stopped answering); and the scan job
// run on it (scan.cpp). Internal to the scanners library.
#pragma once

#include "comptoir/scanners.hpp"

#include "sane_calls.hpp"

#include <sane/sane.h>
#include <sane/saneopts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace comptoir::scanners {

struct HandleCloser {
    void operator()(SANE_Handle handle) const noexcept {
        SANE_LOCKED;
        if (handle) sane_close(handle);
    }
};
using HandlePtr = std::unique_ptr<void, HandleCloser>;

class OpenDevice {
public:
    explicit OpenDevice(const std::string& name) : name_(name) {
        SANE_LOCKED;
        SANE_Handle handle = nullptr;
        const SANE_Status status = sane_open(name.c_str(), &handle);
        if (status != SANE_STATUS_GOOD) {
            if (status == SANE_STATUS_DEVICE_BUSY || status == SANE_STATUS_ACCESS_DENIED) throw error_for_status(status, name);
            throw ScanError("device_not_found", "Le scanner " + quote(name) +
                                                    " est introuvable : vérifiez qu'il est allumé et branché, "
                                                    "puis relancez.");
        }
        handle_.reset(handle);
    }

    SANE_Handle handle() const { return handle_.get(); }
    const std::string& name() const { return name_; }

    // Gives up a handle whose device stopped answering without hanging up: closing or
    // cancelling it would wait for an answer that never comes (a stopped saned). The
    // connection is left to the process's end.
    void abandon() {
        static_cast<void>(handle_.release());
        g_abandoned_handle = true;
    }

    std::vector<OptionInfo> options() const {
        SANE_LOCKED;
        std::vector<OptionInfo> out;
        for (SANE_Int i = 1;; ++i) {
            const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle(), i);
            if (!d) break;
            out.push_back(describe(i, d));
        }
        return out;
    }

    // Sets an option by name from text, checked against its type and constraint. Returns the
    // value the device actually took (a backend may round: SANE_INFO_INEXACT).
    std::string set(const std::string& name, const std::string& text) {
        SANE_LOCKED;
        const auto [index, d] = find(name);
        if (!d) throw ScanError("invalid_option", "Le scanner " + quote(name_) + " n'a pas de réglage " + quote(name) + ".");
        if (!SANE_OPTION_IS_ACTIVE(d->cap) || !SANE_OPTION_IS_SETTABLE(d->cap)) {
            throw ScanError("invalid_option", "Le réglage " + quote(name) + " du scanner " + quote(name_) +
                                                  " n'est pas modifiable en ce moment.");
        }
        SANE_Int info = 0;
        SANE_Status status = SANE_STATUS_GOOD;
        const auto bad = [&](const std::string& expected) {
            return ScanError("invalid_option", "Valeur " + quote(text) + " refusée pour le réglage " + quote(name) +
                                                   " du scanner " + quote(name_) + " (attendu : " + expected + ").");
        };
        switch (d->type) {
        case SANE_TYPE_BOOL: {
            const std::string v = lower(text);
            SANE_Bool value = SANE_FALSE;
            if (v == "yes" || v == "true" || v == "1" || v == "oui") {
                value = SANE_TRUE;
            } else if (!(v == "no" || v == "false" || v == "0" || v == "non")) {
                throw bad("oui ou non");
            }
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, &value, &info);
            break;
        }
        case SANE_TYPE_INT:
        case SANE_TYPE_FIXED: {
            char* end = nullptr;
            const double number = std::strtod(text.c_str(), &end);
            if (text.empty() || !end || *end != '\0') throw bad("un nombre");
            const double chosen = constrain(d, number, bad);
            std::vector<SANE_Word> words(std::max<size_t>(1, static_cast<size_t>(d->size) / sizeof(SANE_Word)));
            const SANE_Word word = d->type == SANE_TYPE_INT ? static_cast<SANE_Word>(std::lround(chosen)) : SANE_FIX(chosen);
            std::fill(words.begin(), words.end(), word);
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, words.data(), &info);
            break;
        }
        case SANE_TYPE_STRING: {
            std::string value = text;
            if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
                std::string choices;
                bool found = false;
                for (const SANE_String_Const* s = d->constraint.string_list; s && *s; ++s) {
                    choices += (choices.empty() ? "" : ", ") + std::string(*s);
                    if (lower(*s) == lower(text)) {
                        value = *s;
                        found = true;
                    }
                }
                if (!found) throw bad("l'une des valeurs " + choices);
            }
            if (value.size() + 1 > static_cast<size_t>(d->size)) throw bad("un texte plus court");
            std::vector<char> buffer(static_cast<size_t>(d->size), '\0');
            std::memcpy(buffer.data(), value.c_str(), value.size());
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, buffer.data(), &info);
            break;
        }
        case SANE_TYPE_BUTTON:
            status = sane_control_option(handle(), index, SANE_ACTION_SET_VALUE, nullptr, &info);
            break;
        default:
            throw bad("un réglage modifiable");
        }
        if (status != SANE_STATUS_GOOD) {
            if (status == SANE_STATUS_INVAL) throw bad("une valeur que ce scanner accepte");
            throw error_for_status(status, name_);
        }
        // SANE_INFO_RELOAD_OPTIONS: other options changed (a mode switch changes the depths on
        // offer); descriptors are read afresh at each find(), so nothing is cached to reload.
        // SANE_INFO_INEXACT: the backend rounded; report what it took.
        return read(index, find(name).second);
    }

    bool has(const std::string& name) const {
        SANE_LOCKED;
        const auto [index, d] = find(name);
        return d && SANE_OPTION_IS_ACTIVE(d->cap) && SANE_OPTION_IS_SETTABLE(d->cap);
    }

    const SANE_Option_Descriptor* descriptor(const std::string& name) const {
        SANE_LOCKED;
        return find(name).second;
    }

private:
    std::pair<SANE_Int, const SANE_Option_Descriptor*> find(const std::string& name) const {
        for (SANE_Int i = 1;; ++i) {
            const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle(), i);
            if (!d) return {0, nullptr};
            if (d->name && name == d->name) return {i, d};
        }
    }

    template <typename Bad>
    static double constrain(const SANE_Option_Descriptor* d, double number, const Bad& bad) {
        const auto value_of = [d](SANE_Word w) { return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w); };
        if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
            const double min = value_of(d->constraint.range->min);
            const double max = value_of(d->constraint.range->max);
            if (number < min || number > max) {
                throw bad("de " + std::to_string(static_cast<long long>(min)) + " à " + std::to_string(static_cast<long long>(max)));
            }
        } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list) {
            // The nearest value on offer (a resolution of 300 on a device offering 285 and 300).
            const SANE_Word count = d->constraint.word_list[0];
            double best = number;
            double best_distance = 1e300;
            for (SANE_Word i = 1; i <= count; ++i) {
                const double candidate = value_of(d->constraint.word_list[i]);
                if (std::abs(candidate - number) < best_distance) {
                    best_distance = std::abs(candidate - number);
                    best = candidate;
                }
            }
            if (count == 0) throw bad("une valeur de la liste du scanner");
            return best;
        }
        return number;
    }

    std::string read(SANE_Int index, const SANE_Option_Descriptor* d) const {
        if (!d || d->type == SANE_TYPE_BUTTON || d->type == SANE_TYPE_GROUP || !SANE_OPTION_IS_ACTIVE(d->cap) || d->size <= 0) {
            return {};
        }
        std::vector<char> buffer(static_cast<size_t>(d->size) + 1, '\0');
        if (sane_control_option(handle(), index, SANE_ACTION_GET_VALUE, buffer.data(), nullptr) != SANE_STATUS_GOOD) return {};
        SANE_Word word = 0;
        std::memcpy(&word, buffer.data(), sizeof word);
        switch (d->type) {
        case SANE_TYPE_BOOL: return word ? "yes" : "no";
        case SANE_TYPE_INT: return std::to_string(word);
        case SANE_TYPE_FIXED: {
            char text[32];
            std::snprintf(text, sizeof text, "%g", SANE_UNFIX(word));
            return text;
        }
        case SANE_TYPE_STRING: return std::string(buffer.data());
        default: return {};
        }
    }

    OptionInfo describe(SANE_Int index, const SANE_Option_Descriptor* d) const {
        OptionInfo info;
        info.name = d->name ? d->name : "";
        info.title = d->title ? d->title : "";
        static const char* types[] = {"bool", "int", "fixed", "string", "button", "group"};
        info.type = d->type <= SANE_TYPE_GROUP ? types[d->type] : "?";
        static const char* units[] = {"", "pixel", "bit", "mm", "dpi", "%", "us"};
        info.unit = d->unit <= SANE_UNIT_MICROSECOND ? units[d->unit] : "";
        info.active = SANE_OPTION_IS_ACTIVE(d->cap);
        info.settable = SANE_OPTION_IS_SETTABLE(d->cap);
        info.value = read(index, d);
        const auto value_of = [d](SANE_Word w) { return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w); };
        if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
            info.min = value_of(d->constraint.range->min);
            info.max = value_of(d->constraint.range->max);
            info.step = value_of(d->constraint.range->quant);
        } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list) {
            for (SANE_Word i = 1; i <= d->constraint.word_list[0]; ++i) {
                char text[32];
                std::snprintf(text, sizeof text, "%g", value_of(d->constraint.word_list[i]));
                info.choices.push_back(text);
            }
        } else if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
            for (const SANE_String_Const* s = d->constraint.string_list; s && *s; ++s) info.choices.push_back(*s);
        }
        return info;
    }

    std::string name_;
    HandlePtr handle_;
};

// Runs one job on a device: opens it, applies the request, reads every page of the batch
// (scan.cpp). On the job's lane thread.
std::vector<ScannedPage> run_scan(const std::string& device_name, const ScanRequest& request, const ProgressCallback& progress,
                                  const CancelFlag& cancel);

}  // namespace comptoir::scanners
