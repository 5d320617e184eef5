// comptoir/extract/candidates.hpp — every candidate value of every field, with its score: those a label
// announces and those found without one (by shape, in the address window).
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_CANDIDATES_HPP
#define COMPTOIR_EXTRACT_CANDIDATES_HPP

#include "comptoir/extract/labels.hpp"
#include "comptoir/extract/spans.hpp"
#include "comptoir/extract/values.hpp"

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

// ------------------------------------------------------------------------------------------
// Candidates found without a label
// ------------------------------------------------------------------------------------------

// The name block of an envelope's address window: in the page's upper half, a line that reads
// as a person's name (a civility, or capitalised words), followed within four lines at the
// same left edge by a postcode. Each such line is a candidate (a notice for two declarants
// prints two).
inline std::vector<Reading> address_window_names(const Page& page) {
    // Lines cut at their column gaps: OCR often reads the window's line and the text left of it
    // as one line.
    struct Segment {
        uint32_t page;
        uint32_t line;
        int32_t x;
        int32_t y;
        std::vector<size_t> words;
    };
    std::vector<Segment> segments;
    for (const auto& [id, line] : page.lines()) {
        Segment current{};
        for (size_t i : line) {
            const Word& w = page.word(i);
            if (!current.words.empty() && detail::gap_too_wide(page.word(current.words.back()), w)) {
                segments.push_back(current);
                current = Segment{};
            }
            if (current.words.empty()) current = Segment{w.page, w.line_id, w.box.x, w.box.y, {}};
            current.words.push_back(i);
        }
        if (!current.words.empty()) segments.push_back(current);
    }
    std::vector<Reading> out;
    for (const auto& segment : segments) {
        std::vector<size_t> inked;
        for (size_t i : segment.words) {
            if (!page.folded(i).empty()) inked.push_back(i);
        }
        if (inked.empty()) continue;
        auto name = values::name(page, inked);
        if (!name || name->words.size() != inked.size()) continue;
        const Word& start = page.word(name->words.front());
        const int32_t page_height = page.height(start.page);
        if (page_height > 0 && start.box.y > page_height / 2) continue;
        bool postcode = false;
        for (const auto& other : segments) {
            // Below it within five lines (OCR may give the postcode's line another block and a
            // far line number), at the same left edge.
            if (other.page != segment.page || other.y <= start.box.y || other.y > start.box.y + 7 * detail::height_of(start)) continue;
            if (std::abs(other.x - start.box.x) > 2 * detail::height_of(start)) continue;
            for (size_t i : other.words) postcode = postcode || detail::is_postcode(page.word(i).text);
        }
        if (postcode) out.push_back(*name);
    }
    return out;
}

// Identifiers by their shape alone: runs of digit groups on a line whose joined length is the
// field's exact length (and, where the field has one, that pass its check).
inline std::vector<Reading> identifiers_by_shape(const Page& page, const FieldSpec& spec) {
    std::vector<Reading> out;
    if (spec.min_length == 0 || spec.min_length != spec.max_length) return out;
    for (const auto& [id, line] : page.lines()) {
        for (size_t start = 0; start < line.size(); ++start) {
            if (!detail::all_digits(page.word(line[start]).text) || page.is_label_word(line[start])) continue;
            if (start > 0 && detail::all_digits(page.word(line[start - 1]).text) &&
                !detail::gap_too_wide(page.word(line[start - 1]), page.word(line[start]))) {
                continue;  // not the start of a run
            }
            const std::vector<size_t> span(line.begin() + static_cast<long>(start), line.end());
            auto reading = values::identifier(page, span, spec);
            if (!reading || reading->words.front() != line[start] || reading->value.size() != spec.min_length) continue;
            // The run must end there: a longer number is another thing.
            const size_t after = start + reading->words.size();
            if (after < line.size() && detail::all_digits(page.word(line[after]).text) &&
                !detail::gap_too_wide(page.word(line[after - 1]), page.word(line[after]))) {
                continue;
            }
            if (spec.check && !spec.check(reading->value)) continue;
            out.push_back(*reading);
        }
    }
    return out;
}

// ------------------------------------------------------------------------------------------
// Scoring and the document's assignment
// ------------------------------------------------------------------------------------------
struct Candidate {
    size_t field = 0;
    Reading reading;
    Relation relation = Relation::right;
    float score = 0.0f;
    std::string label;
    uint32_t page = 0;
};

inline float relation_prior(Relation relation) {
    switch (relation) {
    case Relation::right: return 1.0f;
    case Relation::below: return 0.92f;
    case Relation::box_title: return 0.95f;
    case Relation::column: return 0.6f;
    case Relation::address_window: return 0.75f;
    case Relation::shape: return 0.45f;
    }
    return 0.5f;
}

inline float ocr_factor(const Page& page, const Reading& reading) {
    float lowest = 1.0f;
    for (size_t i : reading.words) lowest = std::min(lowest, page.word(i).confidence);
    return 0.7f + 0.3f * std::clamp(lowest, 0.0f, 1.0f);
}

// How far the value lies from its label: near is better; a table's far-right column is still fine.
inline float distance_factor(const Page& page, const LabelHit& label, const Reading& reading, Relation relation, Type type) {
    const Word& first = page.word(reading.words.front());
    const float h = static_cast<float>(std::max<int32_t>(1, label.box.height));
    if (relation == Relation::right) {
        const float gap = static_cast<float>(first.box.x - (label.box.x + label.box.width)) / h;
        if (gap < 12.0f) return 1.0f;
        // A table's far-right column is as good for its amounts; an identifier far off to the
        // right is more often another block's words on the same line (a cell's label with its
        // number under it, beside the address window's "29200 BREST").
        return type == Type::identifier ? 0.85f : 0.96f;
    }
    const float gap = static_cast<float>(first.box.y - (label.box.y + label.box.height)) / h;
    if (gap < 2.5f) return 1.0f;
    if (gap < 6.0f) return 0.9f;
    return 0.75f;
}

inline std::vector<Candidate> candidates(Page& page, const Schema& schema, const std::vector<LabelHit>& labels) {
    std::vector<Candidate> out;
    const auto add = [&](size_t field, std::optional<Reading> reading, Relation relation, float base, const std::string& label,
                         const LabelHit* hit) {
        if (!reading || reading->words.empty()) return;
        for (size_t i : reading->words) {
            if (page.is_label_word(i)) return;  // a label word is never a value
        }
        Candidate c;
        c.field = field;
        c.relation = relation;
        c.label = label;
        c.page = page.word(reading->words.front()).page;
        float score = base * relation_prior(relation) * reading->quality * ocr_factor(page, *reading);
        if (hit) score *= distance_factor(page, *hit, *reading, relation, schema.fields[field].type);
        c.score = score;
        c.reading = std::move(*reading);
        out.push_back(std::move(c));
    };
    // A value wrapped onto the next line: its first line's words, then the next line's. Where the
    // first line runs on into another column ("du 28 septembre 2019 au 31" then "77,5 m³", with
    // "mars 2020" under it), its last words are left out, a few at most. The value must reach
    // the next line: what the first line alone holds was read without it.
    const auto read_wrapped = [&page](const std::vector<size_t>& first, const std::vector<size_t>& next,
                                      const FieldSpec& spec) -> std::optional<Reading> {
        if (next.empty()) return std::nullopt;
        const size_t fewest = first.empty() ? 0 : std::max<size_t>(1, first.size() - std::min<size_t>(first.size(), 3));
        for (size_t k = first.size() + 1; k-- > fewest;) {
            std::vector<size_t> span(first.begin(), first.begin() + static_cast<long>(k));
            span.insert(span.end(), next.begin(), next.end());
            auto reading = values::read(page, span, spec);
            const bool reaches = reading && std::any_of(reading->words.begin(), reading->words.end(), [&](size_t i) {
                return std::find(next.begin(), next.end(), i) != next.end();
            });
            if (reaches) return reading;
        }
        return std::nullopt;
    };
    for (const auto& hit : labels) {
        const FieldSpec& spec = schema.fields[hit.field];
        if (spec.relations & bit(Relation::right)) {
            auto right = spans::right(page, hit);
            auto reading = values::read(page, right, spec);
            if (!reading) reading = values::read(page, spans::row(page, hit), spec);
            // "période du 1er septembre 2022 au" / "31 octobre 2022": a period, a date begun on the
            // label's line ("prélevé sur votre compte le 19" / "novembre 2021"), or a wording a
            // plugin reads itself ("Allocation aux adultes" / "handicapés"), may wrap.
            const bool date_begun = spec.type == Type::date && !right.empty();
            if (!reading && (spec.type == Type::period || spec.parse || date_begun)) {
                // (the label's own second line, wrapped beside the value, is not part of it)
                reading = read_wrapped(right, spans::next_line(page, hit, right.empty() ? hit.last : right.back()), spec);
            }
            add(hit.field, reading, Relation::right, hit.quality, hit.text, &hit);
        }
        if (spec.relations & (bit(Relation::below) | bit(Relation::box_title))) {
            auto under = spans::below(page, hit, 1);
            auto reading = values::read(page, under, spec);
            if (!reading) {
                // The label's own last line wrapped under it ("DATE DE" / "PRÉLÈVEMENT" /
                // "PRÉVUE : 01/08/2022"): the value after its colon.
                for (size_t k = 0; k < under.size() && k < 3; ++k) {
                    const std::string& t = page.word(under[k]).text;
                    if (t.empty() || t.back() != ':' || k + 1 == under.size()) continue;
                    reading = values::read(page, std::vector<size_t>(under.begin() + static_cast<long>(k) + 1, under.end()), spec);
                    break;
                }
            }
            if (!reading && (spec.parse || spec.type == Type::period) && !under.empty()) {
                // A wording under its label that wraps onto the next line of its block, or a
                // period wrapped in its table cell ("du 06/02/2023 au" / "04/02/2024"): OCR may
                // give the cell's second line a block of its own, but it stays within the cell.
                const Word& anchor = page.word(under.back());
                const int32_t h = std::max<int32_t>(1, anchor.box.height);
                const int32_t cell_left = page.word(under.front()).box.x - 2 * h;
                const int32_t cell_right = anchor.box.x + anchor.box.width + 2 * h;
                std::vector<size_t> next;
                for (size_t i : spans::below(page, hit, 2)) {
                    const Word& w = page.word(i);
                    const bool in_cell = spec.type == Type::period && w.box.x >= cell_left && w.box.x + w.box.width <= cell_right &&
                                         w.box.y < anchor.box.y + 3 * h;
                    if (w.block_id == anchor.block_id || in_cell) next.push_back(i);
                }
                reading = read_wrapped(under, next, spec);
            }
            if (reading) {
                int32_t tallest = 0;
                for (size_t i : reading->words) tallest = std::max(tallest, page.word(i).box.height);
                const bool large = tallest > hit.box.height * 3 / 2;
                const Relation relation = large && (spec.relations & bit(Relation::box_title)) ? Relation::box_title : Relation::below;
                if (spec.relations & bit(relation)) add(hit.field, reading, relation, hit.quality, hit.text, &hit);
            }
        }
        if (spec.relations & bit(Relation::column)) {
            for (int nth = 2; nth <= 3; ++nth) {
                auto reading = values::read(page, spans::below(page, hit, nth), spec);
                if (reading) {
                    add(hit.field, reading, Relation::column, hit.quality, hit.text, &hit);
                    break;
                }
            }
        }
    }
    for (size_t f = 0; f < schema.fields.size(); ++f) {
        const FieldSpec& spec = schema.fields[f];
        if ((spec.relations & bit(Relation::shape)) && spec.type == Type::identifier) {
            for (auto& reading : identifiers_by_shape(page, spec)) add(f, reading, Relation::shape, 1.0f, "", nullptr);
        }
        if ((spec.relations & bit(Relation::shape)) && spec.type == Type::count && !spec.unit.empty()) {
            // "311 kWh" wherever it stands: the unit says what it is.
            for (size_t i = 0; i < page.size(); ++i) {
                const std::string& t = page.folded(i);
                if (t.size() < spec.unit.size() || t.compare(t.size() - spec.unit.size(), spec.unit.size(), spec.unit) != 0) continue;
                const auto& line = page.line(i);
                const auto at = std::find(line.begin(), line.end(), i);
                const size_t from = static_cast<size_t>(std::max<long>(0, (at - line.begin()) - 3));
                const std::vector<size_t> span(line.begin() + static_cast<long>(from), at + 1);
                add(f, values::count(page, span, spec), Relation::shape, 1.0f, "", nullptr);
            }
        }
        if ((spec.relations & bit(Relation::address_window)) && spec.type == Type::name) {
            for (auto& reading : address_window_names(page)) add(f, reading, Relation::address_window, 1.0f, "", nullptr);
        }
    }
    // One candidate per field and value place: the best.
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
        if (a.field != b.field) return a.field < b.field;
        return a.score > b.score;
    });
    std::vector<Candidate> kept;
    for (auto& c : out) {
        const bool dup = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) {
            return k.field == c.field && k.reading.words == c.reading.words && k.reading.value == c.reading.value;
        });
        if (!dup) kept.push_back(std::move(c));
    }
    return kept;
}

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_CANDIDATES_HPP
