// comptoir/extract.hpp — the SDK's extraction engine: fields declared as data, read on any
// layout.
//
// A plugin declares each field once — its type (identifier, amount, date, period, count,
// decimal, name, address, text), a lexicon of the labels that announce it, the relations that
// may join a label to its value, and the constraints between fields — and the engine does the
// reading:
//   1. it finds every label of every field on the page (accents and case folded, OCR slips
//      tolerated within a bound that grows with the label's length; where two labels overlap,
//      the longer one wins: "Date limite de paiement" is not "Date");
//   2. from each label it reads a candidate value by each relation the field allows — right of
//      it on its line or row, below it in its block or table cell, under it further down its
//      column, large in the box it titles — and adds the candidates found without a label: an
//      identifier by its length and check, the name block of the envelope's address window;
//   3. it scores each candidate (the label's weight and match, the relation, the distance, the
//      value's own plausibility, the OCR confidence), and chooses one assignment for the whole
//      document: a value serves one field (unless both fields say they may share it), words
//      that are a label are never a value, and constraints (a total is the sum of its parts,
//      dates in order, what is left to pay is the tax minus what was paid) decide between
//      close candidates;
//   4. for each field it reports the value, its box, a confidence and its evidence (which
//      label, which relation); a field whose best candidate stays under its threshold is
//      missing — never a guess with a high confidence.
//
// Header-only, built with the partner's own compiler like the rest of the SDK. Pure functions
// of the words and boxes: unit-tested on saved OCR results, without Tesseract. The SDK guide
// (plugins/sdk/README.md, "Declaring fields") explains how a plugin uses it.
#ifndef COMPTOIR_EXTRACT_HPP
#define COMPTOIR_EXTRACT_HPP

#include "comptoir/layout.hpp"
#include "comptoir/plugin.hpp"

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

// How a value was joined to its label (or found without one). The names are those of the
// evidence `process --json` prints.
enum class Relation { right, below, column, box_title, shape, address_window };

inline const char* relation_name(Relation relation) {
    switch (relation) {
    case Relation::right: return "right";
    case Relation::below: return "below";
    case Relation::column: return "column";
    case Relation::box_title: return "box_title";
    case Relation::shape: return "shape";
    case Relation::address_window: return "address_window";
    }
    return "right";
}

enum class Type { identifier, amount, date, period, count, decimal, name, address, text };

enum class Alphabet { digits, alnum, upper_alnum };

// One wording of a label, as printed ("Référence client"), and how much it says about the
// field (1: it names the field and nothing else; 0.5: a generic word such as "Date").
struct Label {
    std::string text;
    float weight = 1.0f;
};

// The bit set of relations a field allows.
inline constexpr unsigned bit(Relation r) { return 1u << static_cast<unsigned>(r); }
inline constexpr unsigned kLabelled = bit(Relation::right) | bit(Relation::below) | bit(Relation::column) | bit(Relation::box_title);

// A value read from some words, before it is a field.
struct Reading {
    std::string value;   // normalised
    std::string text;    // as printed
    std::vector<size_t> words;  // indices in the document's word list
    float quality = 1.0f;       // how much the value looks like one of its type (0–1)
};

class Page;

// Reads a value from the start of a span of words (indices into the document's words), for
// fields whose value no built-in type describes (a benefit's name to its code, a kWh count).
using Parser = std::function<std::optional<Reading>(const Page&, const std::vector<size_t>&)>;

// A field as the plugin declares it.
struct FieldSpec {
    std::string key;
    Type type = Type::text;
    std::vector<Label> labels;
    unsigned relations = kLabelled;
    // Identifiers and counts: the normalised value's length and characters.
    size_t min_length = 0;
    size_t max_length = 0;
    Alphabet alphabet = Alphabet::digits;
    // A check of the normalised value (a check digit): a value that fails it stays a candidate,
    // with less weight.
    std::function<bool(const std::string&)> check;
    // Amounts: the cents must be printed (a count of kWh or a date is not an amount).
    bool cents = true;
    // Counts: a unit that must follow the digits ("kWh"), folded.
    std::string unit;
    // Periods: the two keys the period is reported as.
    std::string start_key;
    std::string end_key;
    // A parser of the plugin's own (replaces the type's).
    Parser parse;
    // Under this score the field is missing.
    float threshold = 0.3f;
    // Stems of the words its labels are made of, weighted (folded; a stem of 4 letters or more
    // matches the words it starts, a shorter one only itself): words before a value whose stems
    // add up to 1 — two words at least — are a label no lexicon holds, weaker than one it holds.
    std::vector<std::pair<std::string, float>> stems;
    // Keys of fields that may carry the same value (the net tax and what is left to pay).
    std::vector<std::string> may_share;
    // Read and scored, used by constraints, never reported (a bill's amount before tax).
    bool report = true;
};

// A relation between fields that the chosen values should satisfy.
struct Constraint {
    enum class Kind {
        sum,         // keys[0] = keys[1] + keys[2] + …  (amounts)
        difference,  // keys[0] = keys[1] − keys[2]      (amounts)
        before,      // keys[0] ≤ keys[1]; dates (a period's end on the left, its start on the right)
        at_most      // keys[0] ≤ keys[1]                 (amounts)
    };
    Kind kind = Kind::sum;
    std::vector<std::string> keys;
    float weight = 0.25f;
    bool strict = false;  // before: strictly before
};

struct Schema {
    std::vector<FieldSpec> fields;
    std::vector<Constraint> constraints;
    // Confidence calibration: pairs (score, probability right) in increasing order, measured on
    // the tuned set (bench/README.md); between points the curve is linear.
    std::vector<std::pair<float, float>> calibration = {{0.0f, 0.0f}, {0.3f, 0.45f}, {0.5f, 0.7f}, {0.7f, 0.9f}, {0.9f, 0.97f}, {1.2f, 0.995f}};
};

// What the engine found for one field.
struct Found {
    std::string key;
    std::string value;
    std::string text;
    float confidence = 0.0f;
    float score = 0.0f;
    uint32_t page = 0;
    comptoir_box box{};
    Relation relation = Relation::right;
    std::string label;  // the label's words as read ("" without a label)
    bool constrained = false;  // a constraint holds with this value
    bool contradicted = false;  // a constraint fails with this value
};

// ------------------------------------------------------------------------------------------
// The page: the document's words with their folded text, lines and label matches.
// ------------------------------------------------------------------------------------------
class Page {
public:
    explicit Page(const std::vector<Word>& words) : words_(words) {
        folded_.reserve(words.size());
        for (const auto& w : words) folded_.push_back(layout::fold(w.text));
        for (size_t i = 0; i < words.size(); ++i) {
            const uint64_t id = line_key(words[i]);
            auto& line = lines_[id];
            line.push_back(i);
            line_of_.push_back(id);
        }
        for (auto& [id, line] : lines_) {
            std::stable_sort(line.begin(), line.end(), [&](size_t a, size_t b) { return words[a].box.x < words[b].box.x; });
        }
        label_word_.assign(words.size(), false);
        for (const auto& w : words) {
            page_width_[w.page] = std::max(page_width_[w.page], w.box.x + w.box.width);
            page_height_[w.page] = std::max(page_height_[w.page], w.box.y + w.box.height);
        }
    }

    const std::vector<Word>& words() const { return words_; }
    const Word& word(size_t i) const { return words_[i]; }
    const std::string& folded(size_t i) const { return folded_[i]; }
    size_t size() const { return words_.size(); }
    bool is_label_word(size_t i) const { return label_word_[i]; }
    void mark_label_word(size_t i) { label_word_[i] = true; }
    int32_t width(uint32_t page) const { auto it = page_width_.find(page); return it == page_width_.end() ? 0 : it->second; }
    int32_t height(uint32_t page) const { auto it = page_height_.find(page); return it == page_height_.end() ? 0 : it->second; }

    // The words of i's line, left to right.
    const std::vector<size_t>& line(size_t i) const { return lines_.at(line_of_[i]); }
    const std::map<uint64_t, std::vector<size_t>>& lines() const { return lines_; }

private:
    static uint64_t line_key(const Word& w) { return (static_cast<uint64_t>(w.page) << 32) | w.line_id; }

    const std::vector<Word>& words_;
    std::vector<std::string> folded_;
    std::map<uint64_t, std::vector<size_t>> lines_;
    std::vector<uint64_t> line_of_;
    std::vector<bool> label_word_;
    std::map<uint32_t, int32_t> page_width_;
    std::map<uint32_t, int32_t> page_height_;
};

namespace detail {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }
inline bool has_digit(std::string_view s) { return std::any_of(s.begin(), s.end(), is_digit); }

// OCR errors a label of this many folded characters may carry: none in a short word ("PDL",
// "TVA", "Date", where one slip makes another word), then about one in six.
inline size_t tolerated_errors(size_t length) {
    if (length <= 4) return 0;
    if (length <= 11) return 1;
    if (length <= 18) return 2;
    return length / 7;
}

inline int32_t height_of(const Word& w) { return std::max<int32_t>(1, w.box.height); }

// A blank wider than twice the words' height: another column.
inline bool gap_too_wide(const Word& left, const Word& right) {
    return right.box.x - (left.box.x + left.box.width) > 2 * std::max(height_of(left), height_of(right));
}

inline comptoir_box box_of(const Page& page, const std::vector<size_t>& indices) {
    comptoir_box box{};
    bool first = true;
    for (size_t i : indices) {
        box = first ? page.word(i).box : layout::united(box, page.word(i).box);
        first = false;
    }
    return box;
}

inline std::string text_of(const Page& page, const std::vector<size_t>& indices) {
    std::string out;
    for (size_t i : indices) out += (out.empty() ? "" : " ") + page.word(i).text;
    return out;
}

inline std::vector<Word> words_at(const Page& page, const std::vector<size_t>& indices) {
    std::vector<Word> out;
    out.reserve(indices.size());
    for (size_t i : indices) out.push_back(page.word(i));
    return out;
}

// Maps a layout::Value (read from a copy of some words) back to the indices of those words.
inline std::optional<Reading> from_value(const std::optional<layout::Value>& value, const std::vector<size_t>& span,
                                         const Page& page) {
    if (!value) return std::nullopt;
    Reading reading;
    reading.value = value->value;
    reading.text = value->text;
    size_t from = 0;
    for (const auto& w : value->words) {
        for (size_t k = from; k < span.size(); ++k) {
            const Word& candidate = page.word(span[k]);
            if (candidate.box.x == w.box.x && candidate.box.y == w.box.y && candidate.text == w.text) {
                reading.words.push_back(span[k]);
                from = k + 1;
                break;
            }
        }
    }
    if (reading.words.empty()) return std::nullopt;
    return reading;
}

inline bool is_civility(std::string_view folded) {
    return folded == "m" || folded == "mme" || folded == "mlle" || folded == "madame" || folded == "monsieur" ||
           folded == "mr" || folded == "mmes" || folded == "mm" || folded == "melle" || folded == "mademoiselle";
}

inline bool starts_upper(const std::string& text) {
    if (text.empty()) return false;
    const auto c = static_cast<unsigned char>(text[0]);
    if (c >= 'A' && c <= 'Z') return true;
    // É È Ê À Â Ç Î Ô Ù Û (UTF-8 C3 80–9F)
    return c == 0xC3 && text.size() > 1 && static_cast<unsigned char>(text[1]) >= 0x80 && static_cast<unsigned char>(text[1]) <= 0x9F;
}

inline bool is_postcode(std::string_view text) { return text.size() == 5 && all_digits(text); }

// Levenshtein distance, or bound + 1 as soon as it must exceed `bound` (labels are short and
// compared often: no allocation, a band of the matrix only).
inline size_t bounded_distance(std::string_view a, std::string_view b, size_t bound) {
    const size_t m = b.size();
    if ((a.size() > m ? a.size() - m : m - a.size()) > bound) return bound + 1;
    if (a.size() > 62 || m > 62) return layout::distance(a, b);
    const size_t kFar = 1000;
    size_t row[64];
    for (size_t j = 0; j <= m; ++j) row[j] = j <= bound ? j : kFar;
    for (size_t i = 1; i <= a.size(); ++i) {
        // Only the band |i − j| ≤ bound can stay within the bound.
        const size_t from = i > bound ? i - bound : 1;
        const size_t to = std::min(m, i + bound);
        size_t diagonal = row[from - 1];
        row[from - 1] = from == 1 ? (i <= bound ? i : kFar) : kFar;
        size_t smallest = row[from - 1];
        for (size_t j = from; j <= to; ++j) {
            const size_t above = row[j];
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
            smallest = std::min(smallest, row[j]);
        }
        if (to < m) row[to + 1] = kFar;
        if (smallest > bound) return bound + 1;
    }
    return std::min(row[m], bound + 1);
}

}  // namespace detail

// ------------------------------------------------------------------------------------------
// Labels
// ------------------------------------------------------------------------------------------

// One place where a label of a field is printed.
struct LabelHit {
    size_t field = 0;     // index in Schema::fields
    size_t first = 0;     // words [first, last] of the label, in line order
    size_t last = 0;
    std::vector<size_t> words;
    comptoir_box box{};
    uint32_t page = 0;
    size_t length = 0;    // folded characters
    size_t errors = 0;    // characters OCR got wrong
    float quality = 0.0f; // weight × match
    std::string text;     // as read
};

// Every label of every field on the page; where two overlap, the longer one (more folded
// characters) is kept, so "Date limite de paiement" is not also "Date". The words of the kept
// labels are marked: they are never part of a value.
inline std::vector<LabelHit> find_labels(Page& page, const Schema& schema) {
    struct Target {
        std::string folded;
        float weight;
        size_t field;
    };
    std::vector<Target> targets;
    for (size_t f = 0; f < schema.fields.size(); ++f) {
        for (const auto& label : schema.fields[f].labels) {
            std::string folded = layout::fold(label.text);
            if (!folded.empty()) targets.push_back({std::move(folded), label.weight, f});
        }
    }
    // A label starts like its first word: one of its first two letters right (OCR rarely spoils
    // both). Targets indexed by those letters, so that a word is compared with few of them.
    std::vector<std::vector<const Target*>> by_first(256);
    std::vector<std::vector<const Target*>> by_second(256);
    for (const auto& target : targets) {
        by_first[static_cast<unsigned char>(target.folded[0])].push_back(&target);
        if (target.folded.size() > 1) by_second[static_cast<unsigned char>(target.folded[1])].push_back(&target);
    }
    std::vector<const Target*> options;
    std::vector<LabelHit> hits;
    for (const auto& [id, line] : page.lines()) {
        for (size_t start = 0; start < line.size(); ++start) {
            const std::string& head = page.folded(line[start]);
            if (head.empty()) continue;
            options = by_first[static_cast<unsigned char>(head[0])];
            if (head.size() > 1) {
                for (const Target* t : by_second[static_cast<unsigned char>(head[1])]) {
                    if (t->folded[0] != head[0]) options.push_back(t);
                }
            }
            for (const Target* option : options) {
                const Target& target = *option;
                // The first word reads about like the label's start.
                const size_t common = std::min(head.size(), target.folded.size());
                const size_t slack = std::max<size_t>(1, common / 4);
                if (detail::bounded_distance(std::string_view(head).substr(0, common), std::string_view(target.folded).substr(0, common), slack) >
                    slack) {
                    continue;
                }
                const size_t tolerated = detail::tolerated_errors(target.folded.size());
                std::string joined;
                std::optional<std::pair<size_t, size_t>> best;  // (end position in line, errors)
                std::string prefix;  // the longest run of the line's words that starts the label
                size_t prefix_end = start;
                for (size_t end = start; end < line.size(); ++end) {
                    const std::string& piece = page.folded(line[end]);
                    // A label does not span columns: its words (and its dashes) are a space apart,
                    // about a third of their height ("Montant dû | Trop-perçu", two headers, is not
                    // one label).
                    if (end > start) {
                        const Word& a = page.word(line[end - 1]);
                        const Word& b = page.word(line[end]);
                        if (b.box.x - (a.box.x + a.box.width) > std::max(detail::height_of(a), detail::height_of(b)) * 6 / 5) break;
                    }
                    if (piece.empty()) continue;
                    joined += piece;
                    if (target.folded.compare(0, joined.size(), joined) == 0) {
                        prefix = joined;
                        prefix_end = end;
                    }
                    if (joined.size() > target.folded.size() + tolerated) break;
                    if (joined.size() + tolerated < target.folded.size()) continue;
                    const size_t errors = tolerated == 0 ? (joined == target.folded ? 0 : 1) : detail::bounded_distance(joined, target.folded, tolerated);
                    if (errors <= tolerated && (!best || errors < best->second)) best = std::make_pair(end, errors);
                }
                std::vector<size_t> wrapped;  // words of the label's second line, when it wraps
                // Only labels of two words or more ("Site de consommation"), from their first line's
                // whole words.
                if (!best && prefix.size() >= 3 && prefix.size() + tolerated < target.folded.size() && prefix_end > start) {
                    // A label wrapped in a narrow cell: "Site de" / "consommation". Its next line starts
                    // at the same left edge, just below.
                    const Word& head_word = page.word(line[start]);
                    const Word& tail_word = page.word(line[prefix_end]);
                    for (const auto& [next_id, next_line] : page.lines()) {
                        const Word& n = page.word(next_line.front());
                        if (n.page != head_word.page || n.box.y <= tail_word.box.y ||
                            n.box.y > tail_word.box.y + 2 * detail::height_of(tail_word) ||
                            std::abs(n.box.x - head_word.box.x) > detail::height_of(head_word)) {
                            continue;
                        }
                        std::string more = prefix;
                        for (size_t k = 0; k < next_line.size() && more.size() < target.folded.size() + tolerated; ++k) {
                            if (page.folded(next_line[k]).empty()) continue;
                            more += page.folded(next_line[k]);
                            wrapped.push_back(next_line[k]);
                            if (more.size() + tolerated < target.folded.size()) continue;
                            const size_t errors = detail::bounded_distance(more, target.folded, tolerated);
                            if (errors <= tolerated) {
                                best = std::make_pair(line.size() - 1, errors);
                                break;
                            }
                        }
                        if (best) break;
                        wrapped.clear();
                    }
                    if (best) {
                        // The first line's words up to its end stand for the label on its line.
                        best->first = prefix_end;
                    }
                }
                if (!best) continue;
                LabelHit hit;
                hit.field = target.field;
                for (size_t k = start; k <= best->first; ++k) {
                    if (!page.folded(line[k]).empty() || k == start) hit.words.push_back(line[k]);
                }
                hit.last = line[best->first];
                hit.words.insert(hit.words.end(), wrapped.begin(), wrapped.end());
                hit.first = line[start];
                hit.box = detail::box_of(page, hit.words);
                hit.page = page.word(line[start]).page;
                hit.length = target.folded.size();
                hit.errors = best->second;
                hit.quality = target.weight * (1.0f - 0.12f * static_cast<float>(best->second));
                hit.text = detail::text_of(page, hit.words);
                hits.push_back(std::move(hit));
            }
        }
    }
    // The longer of two overlapping labels wins (then the better match).
    // A label read without error beats a longer one read with errors over the same words
    // ("Montant HT" is not "Montant TTC" misread).
    const auto rank = [](const LabelHit& h) { return static_cast<long>(h.length) - 4 * static_cast<long>(h.errors); };
    std::stable_sort(hits.begin(), hits.end(), [&](const LabelHit& a, const LabelHit& b) {
        if (rank(a) != rank(b)) return rank(a) > rank(b);
        return a.quality > b.quality;
    });
    std::vector<LabelHit> kept;
    std::vector<bool> taken(page.size(), false);
    for (auto& hit : hits) {
        bool overlaps = false;
        for (size_t i : hit.words) overlaps = overlaps || taken[i];
        if (overlaps) {
            // The same words, as long, for another field: both labels stand ("Total" of two tables).
            const bool same_span = std::any_of(kept.begin(), kept.end(), [&](const LabelHit& k) {
                return k.words == hit.words && k.length == hit.length && k.field != hit.field;
            });
            if (!same_span) continue;
        }
        for (size_t i : hit.words) taken[i] = true;
        kept.push_back(std::move(hit));
    }
    // Wordings no lexicon holds: the words before a value (or a line of words alone, above one)
    // that carry enough of a field's stems ("À acquitter au plus tard le" has "acquitt" and
    // "tard" of the due date). Weaker than a lexicon's label, and only where none was found.
    std::vector<std::pair<size_t, std::vector<std::pair<std::string, float>>>> stemmed;
    for (size_t f = 0; f < schema.fields.size(); ++f) {
        if (schema.fields[f].stems.empty()) continue;
        std::vector<std::pair<std::string, float>> folded;
        for (const auto& [stem, weight] : schema.fields[f].stems) folded.emplace_back(layout::fold(stem), weight);
        stemmed.emplace_back(f, std::move(folded));
    }
    if (!stemmed.empty()) {
        for (const auto& [id, line] : page.lines()) {
            std::vector<size_t> phrase;
            const auto flush = [&] {
                if (phrase.empty() || phrase.size() > 7) {
                    phrase.clear();
                    return;
                }
                std::optional<LabelHit> best;
                float best_sum = 0.0f;
                for (const auto& [f, stems] : stemmed) {
                    float sum = 0.0f;
                    size_t matched_words = 0;
                    for (const auto& [stem, weight] : stems) {
                        for (size_t i : phrase) {
                            const std::string& w = page.folded(i);
                            const bool match = stem.size() >= 4 ? w.compare(0, stem.size(), stem) == 0 : w == stem;
                            if (match) {
                                sum += weight;
                                ++matched_words;
                                break;
                            }
                        }
                    }
                    if (sum < 1.0f || matched_words < 2 || sum <= best_sum) continue;
                    best_sum = sum;
                    LabelHit hit;
                    hit.field = f;
                    hit.words = phrase;
                    hit.first = phrase.front();
                    hit.last = phrase.back();
                    hit.box = detail::box_of(page, phrase);
                    hit.page = page.word(phrase.front()).page;
                    for (size_t i : phrase) hit.length += page.folded(i).size();
                    hit.quality = 0.6f * std::min(1.0f, sum / 1.4f);
                    hit.text = detail::text_of(page, phrase);
                    best = std::move(hit);
                }
                if (best) kept.push_back(std::move(*best));
                phrase.clear();
            };
            for (size_t k = 0; k < line.size(); ++k) {
                const size_t i = line[k];
                const bool gap = k > 0 && detail::gap_too_wide(page.word(line[k - 1]), page.word(i));
                if (gap) flush();
                if (taken[i] || detail::has_digit(page.word(i).text)) {
                    flush();
                    continue;
                }
                if (!page.folded(i).empty()) phrase.push_back(i);
            }
            flush();
        }
    }
    // A label's words are never a value and end the value of the label before them; a label of
    // one or two letters ("du", "n°") is too common a word to end anything.
    for (const auto& hit : kept) {
        if (hit.length <= 2) continue;
        for (size_t i : hit.words) page.mark_label_word(i);
    }
    return kept;
}

// ------------------------------------------------------------------------------------------
// Spans: the words a relation offers as a label's value
// ------------------------------------------------------------------------------------------
namespace spans {

// Right of the label on its line, up to the next label.
inline std::vector<size_t> right(const Page& page, const LabelHit& label) {
    std::vector<size_t> out;
    const auto& line = page.line(label.first);
    bool after = false;
    for (size_t i : line) {
        if (i == label.last) {
            after = true;
            continue;
        }
        if (!after) continue;
        if (page.word(i).box.x < page.word(label.last).box.x) continue;
        if (page.is_label_word(i)) break;
        out.push_back(i);
    }
    return out;
}

// Right of the label in its row, whatever line OCR gave the words (a table's last column read
// as a block of its own), nearest first, up to the next label.
inline std::vector<size_t> row(const Page& page, const LabelHit& label) {
    const int32_t top = label.box.y;
    const int32_t bottom = label.box.y + label.box.height;
    const int32_t right_edge = label.box.x + label.box.width;
    std::vector<size_t> out;
    for (size_t i = 0; i < page.size(); ++i) {
        const Word& w = page.word(i);
        const int32_t middle = w.box.y + w.box.height / 2;
        if (w.page == label.page && middle >= top && middle <= bottom && w.box.x >= right_edge) out.push_back(i);
    }
    std::sort(out.begin(), out.end(), [&](size_t a, size_t b) { return page.word(a).box.x < page.word(b).box.x; });
    for (size_t k = 0; k < out.size(); ++k) {
        if (page.is_label_word(out[k])) {
            out.resize(k);
            break;
        }
    }
    return out;
}

// The n-th line (1: the first) below the label that overlaps it horizontally, from the first
// word under the label rightwards, up to the next label or column. Large words (a box's big
// amount) may sit further aside.
inline std::vector<size_t> below(const Page& page, const LabelHit& label, int nth = 1) {
    const int32_t h = std::max<int32_t>(1, label.box.height);
    const int32_t left = label.box.x;
    const int32_t right_edge = label.box.x + label.box.width;
    const int32_t label_bottom = label.box.y + label.box.height;
    std::vector<std::pair<int32_t, uint64_t>> tops;  // (top, line) of the lines under the label
    std::map<uint64_t, std::vector<size_t>> by_line;
    for (size_t i = 0; i < page.size(); ++i) {
        const Word& w = page.word(i);
        if (w.page != label.page || w.box.y + w.box.height / 2 < label_bottom) continue;
        if (w.box.y > label_bottom + 12 * h) continue;
        // A large amount in a box may sit aside from its title; large words of text do not.
        const bool large = w.box.height > h * 3 / 2 && detail::has_digit(w.text);
        const int32_t reach = large ? 6 * h : h;
        const bool overlaps = w.box.x < right_edge + reach && w.box.x + w.box.width > left - reach;
        if (!overlaps) continue;
        const uint64_t key = (static_cast<uint64_t>(w.page) << 32) | w.line_id;
        if (!by_line.count(key)) tops.emplace_back(w.box.y, key);
        by_line[key].push_back(i);
    }
    std::sort(tops.begin(), tops.end());
    if (static_cast<int>(tops.size()) < nth) return {};
    const auto& first_words = by_line[tops[static_cast<size_t>(nth - 1)].second];
    const size_t anchor = *std::min_element(first_words.begin(), first_words.end(), [&](size_t a, size_t b) {
        return page.word(a).box.x < page.word(b).box.x;
    });
    std::vector<size_t> out;
    for (size_t i : page.line(anchor)) {
        const Word& w = page.word(i);
        if (w.box.x < page.word(anchor).box.x) continue;
        if (page.is_label_word(i)) break;
        if (!out.empty() && detail::gap_too_wide(page.word(out.back()), w) && w.box.x > right_edge + 4 * h) break;
        out.push_back(i);
    }
    return out;
}

}  // namespace spans

// ------------------------------------------------------------------------------------------
// Values by type
// ------------------------------------------------------------------------------------------
namespace values {

inline std::optional<Reading> identifier(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    const auto allowed = [&](char c) {
        const auto u = static_cast<unsigned char>(c);
        switch (spec.alphabet) {
        case Alphabet::digits: return detail::is_digit(c) || std::string_view("OoDlIi|SsBZz").find(c) != std::string_view::npos;
        case Alphabet::alnum: return std::isalnum(u) != 0;
        case Alphabet::upper_alnum: return std::isdigit(u) != 0 || std::isupper(u) != 0;
        }
        return false;
    };
    const size_t max_length = spec.max_length ? spec.max_length : 64;
    for (size_t first = 0; first < span.size() && first < 6; ++first) {
        // Only punctuation or a short word ("n°", "No", ":") stands before an identifier.
        if (first > 0 && page.folded(span[first - 1]).size() > 3) break;
        std::string value;
        std::vector<size_t> taken;
        size_t digits = 0;
        for (size_t k = first; k < span.size() && value.size() < max_length; ++k) {
            std::string t = page.word(span[k]).text;
            while (!t.empty() && std::string_view(":.,;()").find(t.back()) != std::string_view::npos) t.pop_back();
            while (!t.empty() && std::string_view(":(").find(t.front()) != std::string_view::npos) t.erase(0, 1);
            if (t.empty() || !std::all_of(t.begin(), t.end(), allowed)) break;
            size_t d = 0;
            for (char c : t) d += detail::is_digit(c) ? 1 : 0;
            if (spec.alphabet == Alphabet::digits && d * 2 < t.size()) break;
            if (!taken.empty() && page.word(span[k]).box.x - (page.word(taken.back()).box.x + page.word(taken.back()).box.width) >
                                      detail::height_of(page.word(span[k])) * 3 / 2) {
                break;  // another column
            }
            value += t;
            digits += d;
            taken.push_back(span[k]);
        }
        if (taken.empty()) continue;
        if (spec.alphabet != Alphabet::digits && digits == 0) continue;  // a word, not a reference
        if (value.size() < spec.min_length || value.size() > max_length) continue;
        Reading reading;
        reading.value = value;
        reading.text = detail::text_of(page, taken);
        reading.words = taken;
        reading.quality = 1.0f;
        if (spec.alphabet == Alphabet::digits && !detail::all_digits(value)) reading.quality = 0.6f;  // O for 0…
        else if (spec.check && !spec.check(value)) reading.quality = 0.75f;
        return reading;
    }
    return std::nullopt;
}

// An amount whose cents OCR cut apart or whose comma it lost, before a currency sign:
// "699, 2 6 €", "2828 24 €" (a group of two digits is never thousands).
inline std::optional<Reading> amount_repaired(const Page& page, const std::vector<size_t>& span) {
    for (size_t first = 0; first < span.size() && first < 6; ++first) {
        std::string whole;
        std::string cents;
        std::vector<size_t> taken;
        bool comma = false;
        size_t k = first;
        for (; k < span.size() && taken.size() < 6; ++k) {
            std::string t = page.word(span[k]).text;
            if (layout::detail::is_currency(t)) break;
            const bool trailing_comma = !t.empty() && (t.back() == ',' || t.back() == '.');
            if (trailing_comma) t.pop_back();
            if (!detail::all_digits(t)) break;
            if (!taken.empty() && detail::gap_too_wide(page.word(taken.back()), page.word(span[k]))) break;
            if (comma) cents += t;
            else whole += t;
            taken.push_back(span[k]);
            if (trailing_comma) comma = true;
        }
        if (taken.empty() || k >= span.size() || !layout::detail::is_currency(page.word(span[k]).text)) continue;
        if (!comma && taken.size() >= 2 && page.word(taken.back()).text.size() == 2) {
            cents = page.word(taken.back()).text;
            whole = whole.substr(0, whole.size() - 2);
        }
        if (cents.size() != 2 || whole.empty()) continue;
        while (whole.size() > 1 && whole.front() == '0') whole.erase(0, 1);
        Reading reading;
        reading.value = whole + "." + cents;
        taken.push_back(span[k]);
        reading.words = taken;
        reading.text = detail::text_of(page, taken);
        reading.quality = 0.8f;
        return reading;
    }
    return std::nullopt;
}

inline std::optional<Reading> amount(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    auto reading = detail::from_value(layout::amount(spec.cents)(detail::words_at(page, span)), span, page);
    if (!reading && spec.cents) return amount_repaired(page, span);
    if (!reading) return std::nullopt;
    // An amount says it is one: a currency sign beside it, or on its label's line.
    bool currency = false;
    for (size_t i : reading->words) currency = currency || layout::detail::is_currency(page.word(i).text);
    if (!currency && !span.empty()) {
        for (size_t i : page.line(reading->words.back())) currency = currency || layout::detail::is_currency(page.word(i).text);
    }
    reading->quality = currency ? 1.0f : 0.85f;
    // Not a date: "12.05" followed by "2024".
    return reading;
}

inline std::optional<Reading> date(const Page& page, const std::vector<size_t>& span) {
    auto reading = detail::from_value(layout::date()(detail::words_at(page, span)), span, page);
    if (!reading) return std::nullopt;
    const int year = std::atoi(reading->value.substr(0, 4).c_str());
    reading->quality = (year >= 1990 && year <= 2100) ? 1.0f : 0.3f;
    return reading;
}

inline std::optional<Reading> period(const Page& page, const std::vector<size_t>& span) {
    auto reading = detail::from_value(layout::period()(detail::words_at(page, span)), span, page);
    if (!reading) return std::nullopt;
    const auto bar = reading->value.find('|');
    const bool ordered = bar != std::string::npos && reading->value.substr(0, bar) < reading->value.substr(bar + 1);
    reading->quality = ordered ? 1.0f : 0.4f;
    return reading;
}

inline std::optional<Reading> count(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    for (size_t k = 0; k < span.size() && k < 8; ++k) {
        std::string t = page.folded(span[k]);
        std::string value;
        std::vector<size_t> taken;
        if (!spec.unit.empty()) {
            const bool alone = t == spec.unit;
            const bool glued = t.size() > spec.unit.size() && t.compare(t.size() - spec.unit.size(), spec.unit.size(), spec.unit) == 0 &&
                               detail::all_digits(t.substr(0, t.size() - spec.unit.size()));
            if (!alone && !glued) continue;
            if (glued) {
                value = t.substr(0, t.size() - spec.unit.size());
                taken.push_back(span[k]);
            }
            for (size_t j = k; j-- > 0;) {
                const std::string& piece = page.word(span[j]).text;
                if (!detail::all_digits(piece) || value.size() >= 7) break;
                value = piece + value;
                taken.insert(taken.begin(), span[j]);
            }
        } else {
            if (!detail::all_digits(page.word(span[k]).text)) continue;
            value = page.word(span[k]).text;
            taken.push_back(span[k]);
        }
        if (value.empty() || !detail::all_digits(value)) {
            if (!spec.unit.empty()) return std::nullopt;
            continue;
        }
        while (value.size() > 1 && value.front() == '0') value.erase(0, 1);
        if ((spec.min_length && value.size() < spec.min_length) || (spec.max_length && value.size() > spec.max_length)) continue;
        Reading reading;
        reading.value = value;
        reading.words = taken;
        reading.text = detail::text_of(page, taken);
        return reading;
    }
    return std::nullopt;
}

// "2,50", "3", "1,5" → "2.5", "3", "1.5".
inline std::optional<Reading> decimal(const Page& page, const std::vector<size_t>& span) {
    for (size_t k = 0; k < span.size() && k < 4; ++k) {
        std::string t = page.word(span[k]).text;
        for (char& c : t) {
            if (c == ',') c = '.';
        }
        const size_t dot = t.find('.');
        const std::string whole = t.substr(0, dot);
        std::string decimals = dot == std::string::npos ? "" : t.substr(dot + 1);
        if (!detail::all_digits(whole) || (!decimals.empty() && !detail::all_digits(decimals)) || whole.size() > 2) continue;
        while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
        Reading reading;
        reading.value = decimals.empty() ? whole : whole + "." + decimals;
        reading.words = {span[k]};
        reading.text = page.word(span[k]).text;
        return reading;
    }
    return std::nullopt;
}

// A person's name: a civility or capitalised words, no digits, no label word, 2 to 7 words,
// up to the next column.
inline std::optional<Reading> name(const Page& page, const std::vector<size_t>& span) {
    static const std::set<std::string> particles = {"de", "du", "des", "la", "le", "d", "van", "von", "ben", "el", "da", "dos", "epouse", "ep", "nee"};
    std::vector<size_t> taken;
    for (size_t i : span) {
        const Word& w = page.word(i);
        if (taken.empty() && page.folded(i).empty()) continue;  // ":" "–"
        if (!taken.empty() && detail::gap_too_wide(page.word(taken.back()), w)) break;
        if (page.is_label_word(i)) break;
        // A name's words are capitalised but for its particles: "a perçu" ends it.
        if (!detail::starts_upper(w.text) && !particles.count(page.folded(i)) && w.text.rfind("d'", 0) != 0) break;
        if (page.folded(i).empty()) break;  // "–": the name is over
        taken.push_back(i);
    }
    while (!taken.empty() && particles.count(page.folded(taken.back()))) taken.pop_back();
    if (taken.size() < 2 || taken.size() > 7) return std::nullopt;
    bool civility = false;
    size_t capitals = 0;
    for (size_t k = 0; k < taken.size(); ++k) {
        const std::string& t = page.word(taken[k]).text;
        if (detail::has_digit(t)) return std::nullopt;
        std::string f = page.folded(taken[k]);
        if (k == 0 && detail::is_civility(f)) civility = true;
        if (detail::starts_upper(t)) ++capitals;
    }
    if (!civility && capitals < 2) return std::nullopt;
    // An organisation is not a person: "Caf du Haut-Rhin", "EDF Service Clients".
    static const std::set<std::string> organisations = {
        "caf", "edf", "service", "services", "centre", "caisse", "direction", "finances", "publiques", "sip", "clients", "client",
        "sa", "tsa", "cedex", "impots", "allocations", "familiales", "agence", "mairie", "association", "electricite", "energie",
        "engie", "gaz", "facture", "avis", "total", "montant", "republique", "francaise", "tresor", "public", "cs", "bp", "cpam",
        "urssaf", "sas", "sarl", "votre", "vos", "notre", "nos", "objet", "reference", "page"};
    for (size_t i : taken) {
        if (organisations.count(page.folded(i))) return std::nullopt;
    }
    Reading reading;
    reading.words = taken;
    reading.text = detail::text_of(page, taken);
    reading.value = reading.text;
    reading.quality = civility ? 1.0f : 0.8f;
    return reading;
}

inline std::optional<Reading> text(const Page& page, const std::vector<size_t>& span) {
    std::vector<size_t> taken;
    for (size_t i : span) {
        if (taken.empty() && page.folded(i).empty()) continue;
        if (!taken.empty() && detail::gap_too_wide(page.word(taken.back()), page.word(i))) break;
        if (page.is_label_word(i)) break;
        taken.push_back(i);
    }
    if (taken.empty()) return std::nullopt;
    Reading reading;
    reading.words = taken;
    reading.text = detail::text_of(page, taken);
    reading.value = reading.text;
    return reading;
}

// A postal address: the words of the value's line, then the next lines of its block, joined
// with ", ", until a postcode and its town have come (at most three lines).
inline std::optional<Reading> address(const Page& page, const std::vector<size_t>& span) {
    auto first = text(page, span);
    if (!first) return std::nullopt;
    std::string value = first->value;
    std::vector<size_t> taken = first->words;
    const auto town_done = [&] {
        size_t run = 0;
        for (size_t k = 0; k < value.size(); ++k) {
            run = detail::is_digit(value[k]) ? run + 1 : 0;
            if (run == 5 && k + 2 < value.size()) return true;
        }
        return false;
    };
    for (int more = 0; more < 2 && !town_done(); ++more) {
        const Word& last = page.word(taken.back());
        const Word& head = page.word(taken.front());
        std::vector<size_t> next;
        for (size_t i = 0; i < page.size(); ++i) {
            const Word& w = page.word(i);
            // The next line of the block (a value wrapped under its label starts at the label's
            // left edge), not the next column.
            if (w.page == last.page && w.line_id == last.line_id + 1 && w.block_id == last.block_id &&
                w.box.x < head.box.x + head.box.width * 6) {
                if (page.is_label_word(i)) continue;  // a label wrapped beside its value
                next.push_back(i);
            }
        }
        if (next.empty()) {
            // OCR may make the next line a block of its own: the line just under the last one,
            // starting at the value's left edge, up to a column gap.
            const int32_t h = detail::height_of(last);
            std::optional<size_t> start;
            for (size_t i = 0; i < page.size(); ++i) {
                const Word& w = page.word(i);
                if (w.page != last.page || w.box.y <= last.box.y + h / 2 || w.box.y > last.box.y + 2 * h + h / 2) continue;
                if (std::abs(w.box.x - head.box.x) > 2 * h || page.is_label_word(i)) continue;
                if (!start || w.box.x < page.word(*start).box.x) start = i;
            }
            if (start) {
                for (size_t i : page.line(*start)) {
                    const Word& w = page.word(i);
                    if (w.box.x < page.word(*start).box.x) continue;
                    if (!next.empty() && detail::gap_too_wide(page.word(next.back()), w)) break;
                    if (page.is_label_word(i)) break;
                    next.push_back(i);
                }
            }
        }
        if (next.empty()) break;
        const std::string continuation = detail::text_of(page, next);
        const bool after_postcode = value.size() >= 5 && detail::is_postcode(value.substr(value.size() - 5));
        const bool inline_printed = continuation.find(',') != std::string::npos;
        value += (after_postcode || inline_printed || value.back() == ',' ? " " : ", ") + continuation;
        taken.insert(taken.end(), next.begin(), next.end());
    }
    if (!town_done()) return std::nullopt;
    Reading reading;
    reading.value = value;
    reading.words = taken;
    reading.text = detail::text_of(page, taken);
    return reading;
}

inline std::optional<Reading> read(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    if (span.empty()) return std::nullopt;
    if (spec.parse) return spec.parse(page, span);
    switch (spec.type) {
    case Type::identifier: return identifier(page, span, spec);
    case Type::amount: return amount(page, span, spec);
    case Type::date: return date(page, span);
    case Type::period: return period(page, span);
    case Type::count: return count(page, span, spec);
    case Type::decimal: return decimal(page, span);
    case Type::name: return name(page, span);
    case Type::address: return address(page, span);
    case Type::text: return text(page, span);
    }
    return std::nullopt;
}

}  // namespace values

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
inline float distance_factor(const Page& page, const LabelHit& label, const Reading& reading, Relation relation) {
    const Word& first = page.word(reading.words.front());
    const float h = static_cast<float>(std::max<int32_t>(1, label.box.height));
    if (relation == Relation::right) {
        const float gap = static_cast<float>(first.box.x - (label.box.x + label.box.width)) / h;
        return gap < 12.0f ? 1.0f : 0.96f;  // a table's far-right column is as good
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
        if (hit) score *= distance_factor(page, *hit, *reading, relation);
        c.score = score;
        c.reading = std::move(*reading);
        out.push_back(std::move(c));
    };
    for (const auto& hit : labels) {
        const FieldSpec& spec = schema.fields[hit.field];
        if (spec.relations & bit(Relation::right)) {
            auto right = spans::right(page, hit);
            auto reading = values::read(page, right, spec);
            if (!reading) reading = values::read(page, spans::row(page, hit), spec);
            if (!reading && (spec.type == Type::period || spec.parse)) {
                // "période du 1er septembre 2022 au" / "31 octobre 2022": a period, or a wording a
                // plugin reads itself ("Allocation aux adultes" / "handicapés"), may wrap.
                auto wrapped = right;
                const Word& anchor = page.word(right.empty() ? hit.last : right.back());
                for (size_t i = 0; i < page.size(); ++i) {
                    const Word& w = page.word(i);
                    // (the label's own second line, wrapped beside the value, is not part of it)
                    if (w.page == anchor.page && w.block_id == anchor.block_id && w.line_id == anchor.line_id + 1 && !page.is_label_word(i)) {
                        wrapped.push_back(i);
                    }
                }
                reading = values::read(page, wrapped, spec);
            }
            add(hit.field, reading, Relation::right, hit.quality, hit.text, &hit);
        }
        if (spec.relations & (bit(Relation::below) | bit(Relation::box_title))) {
            auto under = spans::below(page, hit, 1);
            auto reading = values::read(page, under, spec);
            if (!reading && spec.parse && !under.empty()) {
                // A wording under its label that wraps onto the next line of its block.
                const Word& anchor = page.word(under.back());
                for (size_t i : spans::below(page, hit, 2)) {
                    if (page.word(i).block_id == anchor.block_id) under.push_back(i);
                }
                reading = values::read(page, under, spec);
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
        auto r = cents(*values[0]);
        auto a = cents(*values[1]);
        auto b = cents(*values[2]);
        if (!r || !a || !b) return 0;
        return *r == *a - *b ? 1 : -1;
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
        for (const auto& key : schema.constraints[c].keys) {
            auto it = index.find(key);
            if (it == index.end()) {
                known = false;
                break;
            }
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

// Labels of what the page prints beside the fields (a monthly instalment, a previous balance, a
// contract number): a field of no relation, never reported, whose labels only take their words
// from the fields' shorter labels ("Échéance mensuelle" is not the due date's "Échéance") and
// end the values before them.
inline FieldSpec others(std::vector<Label> labels) {
    FieldSpec f;
    f.key = "_autres";
    f.type = Type::text;
    f.relations = 0;
    f.report = false;
    f.labels = std::move(labels);
    return f;
}

// Labels as a lexicon: each wording with one weight.
inline std::vector<Label> lexicon(std::initializer_list<const char*> wordings, float weight = 1.0f) {
    std::vector<Label> out;
    for (const char* w : wordings) out.push_back({w, weight});
    return out;
}

inline std::vector<Label> operator+(std::vector<Label> a, const std::vector<Label>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_HPP
