// comptoir/extract/assign.hpp — one assignment of candidates to fields for the whole document, under
// the constraints; the engine run end to end, and its results as fields.
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_ASSIGN_HPP
#define COMPTOIR_EXTRACT_ASSIGN_HPP

#include "comptoir/extract/candidates.hpp"

#include <climits>
#include <cstdint>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::sdk::extract {

namespace detail {

inline std::optional<long long> cents(const std::string& amount) {
    if (amount.empty()) return std::nullopt;
    try {
        return layout::cents_of(amount);
    } catch (...) {
        return std::nullopt;
    }
}

// The first and last dates a value holds (a period holds two).
inline std::pair<std::string, std::string> date_range(const std::string& value) {
    const auto bar = value.find('|');
    if (bar == std::string::npos) return {value, value};
    return {value.substr(0, bar), value.substr(bar + 1)};
}

// +1 a constraint holds, −1 it fails, 0 it cannot be told (a value missing).
inline int evaluate(const Constraint& constraint, const std::vector<const std::string*>& values) {
    if (constraint.kind == Constraint::Kind::difference && values.size() > 2 && !values.back()) {
        // What is taken off may not be printed at all (a rent without housing benefit): the
        // others agreeing without it tell, their disagreeing does not (it may be there, unread).
        long long total = 0;
        for (size_t k = 1; k + 1 < values.size(); ++k) {
            const auto c = values[k] ? cents(*values[k]) : std::nullopt;
            if (!c) return 0;
            total += *c;
        }
        const auto r = values[0] ? cents(*values[0]) : std::nullopt;
        return r && *r == total ? 1 : 0;
    }
    for (const auto* v : values) {
        if (!v) return 0;
    }
    switch (constraint.kind) {
    case Constraint::Kind::sum: {
        long long total = 0;
        for (size_t k = 1; k < values.size(); ++k) {
            auto c = cents(*values[k]);
            if (!c) return 0;
            total += *c;
        }
        auto t = cents(*values[0]);
        if (!t) return 0;
        return *t == total ? 1 : -1;
    }
    case Constraint::Kind::difference: {
        // keys[0] = keys[1] + … − the last (a rent: loyer + charges − aide).
        auto r = cents(*values[0]);
        if (!r) return 0;
        long long total = 0;
        for (size_t k = 1; k < values.size(); ++k) {
            auto c = cents(*values[k]);
            if (!c) return 0;
            total += k + 1 == values.size() ? -*c : *c;
        }
        return *r == total ? 1 : -1;
    }
    case Constraint::Kind::before: {
        const std::string left = date_range(*values[0]).second;
        const std::string right = date_range(*values[1]).first;
        return (constraint.strict ? left < right : left <= right) ? 1 : -1;
    }
    case Constraint::Kind::at_most: {
        auto a = cents(*values[0]);
        auto b = cents(*values[1]);
        if (!a || !b) return 0;
        return *a <= *b ? 1 : -1;
    }
    }
    return 0;
}

inline float calibrate(const std::vector<std::pair<float, float>>& curve, float score) {
    if (curve.empty()) return std::clamp(score, 0.0f, 1.0f);
    if (score <= curve.front().first) return curve.front().second;
    for (size_t k = 1; k < curve.size(); ++k) {
        if (score <= curve[k].first) {
            const float t = (score - curve[k - 1].first) / std::max(1e-6f, curve[k].first - curve[k - 1].first);
            return curve[k - 1].second + t * (curve[k].second - curve[k - 1].second);
        }
    }
    return curve.back().second;
}

}  // namespace detail

// Chooses one candidate (or none) per field for the whole document: the most score in all,
// a value's words serving one field (unless may_share), constraints rewarded where they hold
// and penalised where they fail. A beam search over the fields, best-scored first.
inline std::vector<Found> assign(const Page& page, const Schema& schema, std::vector<Candidate> all) {
    const size_t n = schema.fields.size();
    std::vector<std::vector<size_t>> per_field(n);
    std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    constexpr size_t kPerField = 5;
    for (size_t c = 0; c < all.size(); ++c) {
        const auto& candidate = all[c];
        if (candidate.score < schema.fields[candidate.field].threshold * 0.5f) continue;
        if (per_field[candidate.field].size() < kPerField) per_field[candidate.field].push_back(c);
    }
    std::map<std::string, size_t> index;
    for (size_t f = 0; f < n; ++f) index[schema.fields[f].key] = f;
    const auto may_share = [&](size_t a, size_t b) {
        const auto& sa = schema.fields[a].may_share;
        const auto& sb = schema.fields[b].may_share;
        return std::find(sa.begin(), sa.end(), schema.fields[b].key) != sa.end() ||
               std::find(sb.begin(), sb.end(), schema.fields[a].key) != sb.end();
    };
    // Fields in order of their best candidate.
    std::vector<size_t> order;
    for (size_t f = 0; f < n; ++f) {
        if (!per_field[f].empty()) order.push_back(f);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return all[per_field[a][0]].score > all[per_field[b][0]].score; });
    std::vector<size_t> position(n, SIZE_MAX);
    for (size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
    // Each constraint is judged once the last of its fields is decided.
    std::vector<std::vector<size_t>> judged_at(order.size() + 1);
    for (size_t c = 0; c < schema.constraints.size(); ++c) {
        size_t last = 0;
        bool known = true;
        const auto& keys = schema.constraints[c].keys;
        for (size_t k = 0; k < keys.size(); ++k) {
            auto it = index.find(keys[k]);
            if (it == index.end()) {
                known = false;
                break;
            }
            // A difference is judged without what it takes off when nothing offers it.
            const bool optional = schema.constraints[c].kind == Constraint::Kind::difference && k + 1 == keys.size() && k >= 2;
            if (position[it->second] == SIZE_MAX && optional) continue;
            if (position[it->second] == SIZE_MAX) {
                known = false;
                break;
            }
            last = std::max(last, position[it->second]);
        }
        if (known) judged_at[last].push_back(c);
    }
    struct State {
        std::vector<int> choice;  // candidate index per field, −1 none
        float total = 0.0f;
    };
    std::vector<State> beam(1);
    beam[0].choice.assign(n, -1);
    constexpr size_t kBeam = 48;
    const auto value_of = [&](const State& s, size_t f) -> const std::string* {
        return s.choice[f] < 0 ? nullptr : &all[static_cast<size_t>(s.choice[f])].reading.value;
    };
    for (size_t k = 0; k < order.size(); ++k) {
        const size_t f = order[k];
        std::vector<State> next;
        for (const auto& state : beam) {
            // None.
            next.push_back(state);
            for (size_t c : per_field[f]) {
                const auto& candidate = all[c];
                bool conflict = false;
                for (size_t g = 0; g < n && !conflict; ++g) {
                    if (state.choice[g] < 0 || may_share(f, g)) continue;
                    const auto& other = all[static_cast<size_t>(state.choice[g])].reading.words;
                    for (size_t w : candidate.reading.words) {
                        if (std::find(other.begin(), other.end(), w) != other.end()) {
                            conflict = true;
                            break;
                        }
                    }
                }
                if (conflict) continue;
                State s = state;
                s.choice[f] = static_cast<int>(c);
                s.total += candidate.score;
                next.push_back(std::move(s));
            }
        }
        for (auto& s : next) {
            for (size_t c : judged_at[k]) {
                const auto& constraint = schema.constraints[c];
                std::vector<const std::string*> vals;
                for (const auto& key : constraint.keys) vals.push_back(value_of(s, index[key]));
                s.total += constraint.weight * static_cast<float>(detail::evaluate(constraint, vals));
            }
        }
        std::stable_sort(next.begin(), next.end(), [](const State& a, const State& b) { return a.total > b.total; });
        if (next.size() > kBeam) next.resize(kBeam);
        beam = std::move(next);
    }
    const State& best = beam.front();
    std::vector<Found> out;
    for (size_t f = 0; f < n; ++f) {
        if (best.choice[f] < 0) continue;
        const Candidate& chosen = all[static_cast<size_t>(best.choice[f])];
        const FieldSpec& spec = schema.fields[f];
        float score = chosen.score;
        bool constrained = false;
        bool contradicted = false;
        for (const auto& constraint : schema.constraints) {
            if (std::find(constraint.keys.begin(), constraint.keys.end(), spec.key) == constraint.keys.end()) continue;
            std::vector<const std::string*> vals;
            bool known = true;
            for (const auto& key : constraint.keys) {
                auto it = index.find(key);
                if (it == index.end()) {
                    known = false;
                    break;
                }
                vals.push_back(value_of(best, it->second));
            }
            if (!known) continue;
            const int verdict = detail::evaluate(constraint, vals);
            if (verdict > 0) {
                constrained = true;
                score += constraint.weight;
            } else if (verdict < 0) {
                contradicted = true;
                score -= constraint.weight;
            }
        }
        if (score < spec.threshold) continue;  // missing, never a guess
        // A close second with another value lowers the confidence.
        float runner_up = 0.0f;
        for (size_t c : per_field[f]) {
            if (all[c].reading.value != chosen.reading.value) runner_up = std::max(runner_up, all[c].score);
        }
        float margin = 1.0f;
        if (runner_up > 0.0f) margin = 1.0f - 0.5f * std::min(1.0f, runner_up / std::max(1e-6f, chosen.score));
        Found found;
        found.key = spec.key;
        found.value = chosen.reading.value;
        found.text = chosen.reading.text;
        found.score = score;
        found.confidence = detail::calibrate(schema.calibration, score * margin);
        // A value found by its shape alone, without a label, is never sure.
        if (chosen.relation == Relation::shape) found.confidence = std::min(found.confidence, 0.85f);
        found.page = chosen.page;
        found.box = detail::box_of(page, chosen.reading.words);
        found.relation = chosen.relation;
        found.label = chosen.label;
        found.constrained = constrained;
        found.contradicted = contradicted;
        out.push_back(std::move(found));
    }
    return out;
}

// Runs the whole engine on a document's words: labels, candidates, the assignment.
inline std::vector<Found> run(const Schema& schema, const std::vector<Word>& words) {
    Page page(words);
    const auto labels = find_labels(page, schema);
    auto found = candidates(page, schema, labels);
    return assign(page, schema, std::move(found));
}

// The keys of the fields whose label is printed on the page, read with at least `quality`
// (weight × match): what a page of the kind carries, whatever its layout.
inline std::set<std::string> labelled_keys(const Schema& schema, const std::vector<Word>& words, float quality = 0.6f) {
    Page page(words);
    std::set<std::string> keys;
    for (const auto& hit : find_labels(page, schema)) {
        if (hit.quality >= quality) keys.insert(schema.fields[hit.field].key);
    }
    return keys;
}

// Where a value should stand and none was read: each reported field whose label is printed
// (read with at least `quality`) and that got no value — the label's line from the label to
// the page's right edge, and the two lines below it (values stand right of or below their
// labels). And amounts that should add up and do not (a sum or a difference of which two
// values or more were read, none borne out): the whole page, whose table rows may have been
// read wrong, labels with them. What a plugin hands to Document::ask_again (ABI 1.4) for the
// host to read the doubtful words there a second time: a number misread ("505559179577" for an
// 11-digit tax number) fits no field and leaves its field empty; read again on its own line it
// often does.
struct Unread {
    std::string key;
    uint32_t page = 0;
    comptoir_box region{};
};

inline std::vector<Unread> unread(const Schema& schema, const std::vector<Word>& words, const std::vector<Found>& found,
                                  float quality = 0.6f) {
    std::map<uint32_t, int> right_edge;
    for (const auto& w : words) right_edge[w.page] = std::max(right_edge[w.page], w.box.x + w.box.width);
    std::vector<Unread> out;
    Page page(words);
    for (const auto& hit : find_labels(page, schema)) {
        const auto& spec = schema.fields[hit.field];
        if (!spec.report || hit.quality < quality) continue;
        if (std::any_of(found.begin(), found.end(), [&](const Found& f) { return f.key == spec.key; })) continue;
        Unread u;
        u.key = spec.key;
        u.page = hit.page;
        u.region.x = hit.box.x;
        u.region.y = hit.box.y;
        u.region.width = std::max(hit.box.width, right_edge[hit.page] - hit.box.x);
        u.region.height = hit.box.height * 3;
        out.push_back(std::move(u));
    }
    std::set<uint32_t> whole_pages;
    for (const auto& constraint : schema.constraints) {
        if (constraint.kind != Constraint::Kind::sum && constraint.kind != Constraint::Kind::difference) continue;
        std::vector<const Found*> read;
        for (const auto& key : constraint.keys) {
            for (const auto& f : found) {
                if (f.key == key) read.push_back(&f);
            }
        }
        if (read.size() < 2 || std::any_of(read.begin(), read.end(), [](const Found* f) { return f->constrained; })) continue;
        for (const Found* f : read) {
            if (!whole_pages.insert(f->page).second) continue;
            Unread u;
            u.key = constraint.keys.front();
            u.page = f->page;
            u.region = comptoir_box{0, 0, std::max(1, right_edge[f->page]), 1 << 20};
            out.push_back(std::move(u));
        }
    }
    return out;
}

// A recognition score from the labels: the share of the schema's reported fields whose label
// is printed (0–1). A plugin adds it to its keywords' score, so that a page of its kind in a
// layout it never saw, with a title it does not know, is still recognised.
inline float coverage(const Schema& schema, const std::set<std::string>& keys) {
    size_t reported = 0;
    size_t found = 0;
    for (const auto& spec : schema.fields) {
        if (!spec.report) continue;
        ++reported;
        found += keys.count(spec.key);
    }
    return reported ? static_cast<float>(found) / static_cast<float>(reported) : 0.0f;
}

inline float label_coverage(const Schema& schema, const std::vector<Word>& words) { return coverage(schema, labelled_keys(schema, words)); }

// The fields to report, ready for Document::add_field: each reported spec's value (a period
// as its two keys), with its evidence.
inline std::vector<Field> to_fields(const Schema& schema, const std::vector<Found>& found) {
    std::vector<Field> out;
    for (const auto& f : found) {
        const auto spec = std::find_if(schema.fields.begin(), schema.fields.end(), [&](const FieldSpec& s) { return s.key == f.key; });
        if (spec == schema.fields.end() || !spec->report) continue;
        Field field;
        field.key = f.key;
        field.value = f.value;
        field.text = f.text;
        field.confidence = f.confidence;
        field.page = f.page;
        field.box = f.box;
        field.source = COMPTOIR_SOURCE_OCR;
        field.evidence_label = f.label;
        switch (f.relation) {
        case Relation::right: field.relation = COMPTOIR_RELATION_RIGHT; break;
        case Relation::below: field.relation = COMPTOIR_RELATION_BELOW; break;
        case Relation::column: field.relation = COMPTOIR_RELATION_COLUMN; break;
        case Relation::box_title: field.relation = COMPTOIR_RELATION_BOX_TITLE; break;
        case Relation::shape: field.relation = COMPTOIR_RELATION_SHAPE; break;
        case Relation::address_window: field.relation = COMPTOIR_RELATION_ADDRESS_WINDOW; break;
        }
        if (spec->type == Type::period) {
            const auto [start, end] = detail::date_range(f.value);
            Field first = field;
            first.key = spec->start_key;
            first.value = start;
            Field second = field;
            second.key = spec->end_key;
            second.value = end;
            out.push_back(first);
            out.push_back(second);
        } else {
            out.push_back(field);
        }
    }
    return out;
}

// A value whose check failed (a length, a key) is not sure, however clearly it was read: its
// confidence goes under the desk's "to check" line, so that the mediator looks at it first.
inline void weigh_check(Field& field) {
    if (field.check == COMPTOIR_CHECK_FAILED) field.confidence = std::min(field.confidence, 0.6f);
}

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_ASSIGN_HPP
