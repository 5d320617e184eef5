// comptoir/extract/labels.hpp — finding every label of every field on the page.
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_LABELS_HPP
#define COMPTOIR_EXTRACT_LABELS_HPP

#include "comptoir/extract/page.hpp"

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

namespace detail {

inline bool stem_matches(const std::string& stem, const std::string& word) {
    return stem.size() >= 4 ? word.compare(0, stem.size(), stem) == 0 : word == stem;
}

// Labels by their head word (FieldSpec::heads): a phrase of a line — its words up to the value,
// at most 7, cut at a column gap or a word with a digit — that holds a field's head word is a
// label of that field, however it is worded around it ("Provisions sur charges locatives",
// "MONTANT DU LOYER PRINCIPAL :"). The phrase stands for the field's labels found inside it
// (the value follows the phrase, not them), unless one ends it. Not where a label is the whole
// phrase; a head word inside an `others` wording heads nothing. When heads of
// several fields are in the phrase, each gets the label, the first one printed the strongest:
// the value's type decides ("Loyer du mois de mars 2026" is no amount).
inline void add_head_labels(Page& page, const Schema& schema, std::vector<LabelHit>& kept) {
    bool any = false;
    for (const auto& f : schema.fields) any = any || !f.heads.empty();
    if (!any) return;
    std::vector<std::vector<size_t>> owners(page.size());  // kept hits per word
    std::vector<bool> ends(page.size(), false);
    for (size_t h = 0; h < kept.size(); ++h) {
        for (size_t i : kept[h].words) owners[i].push_back(h);
        if (!kept[h].words.empty() && kept[h].length > 2) ends[kept[h].words.back()] = true;
    }
    std::vector<std::vector<std::string>> heads(schema.fields.size());
    for (size_t f = 0; f < schema.fields.size(); ++f) {
        for (const auto& head : schema.fields[f].heads) heads[f].push_back(layout::fold(head));
    }
    // A head word inside what the page prints beside the fields ("Prochain prélèvement") heads
    // nothing.
    const auto aside = [&](size_t word) {
        return std::any_of(owners[word].begin(), owners[word].end(), [&](size_t h) { return schema.fields[kept[h].field].relations == 0; });
    };
    std::vector<LabelHit> added;
    std::vector<bool> dropped(kept.size(), false);
    for (const auto& [id, line] : page.lines()) {
        std::vector<size_t> phrase;
        const auto flush = [&] {
            std::vector<size_t> words;
            for (size_t i : phrase) {
                if (!page.folded(i).empty()) words.push_back(i);
            }
            phrase.clear();
            if (words.empty() || words.size() > 7) return;
            // A line with a web or mail address is a letterhead's ("cdc-habitat.fr - Mon espace
            // locataire"), not a label.
            for (size_t i : words) {
                const std::string& t = page.folded(i);
                const std::string& raw = page.word(i).text;
                if (raw.find('@') != std::string::npos || t.rfind("www", 0) == 0 || raw.find(".fr") != std::string::npos ||
                    raw.find(".com") != std::string::npos) {
                    return;
                }
            }
            // Fields by the position of their first head word in the phrase.
            std::vector<std::pair<size_t, size_t>> found;  // (position, field)
            for (size_t f = 0; f < heads.size(); ++f) {
                for (size_t k = 0; k < words.size(); ++k) {
                    if (aside(words[k])) continue;
                    const std::string& w = page.folded(words[k]);
                    if (std::any_of(heads[f].begin(), heads[f].end(), [&](const std::string& s) { return stem_matches(s, w); })) {
                        found.emplace_back(k, f);
                        break;
                    }
                }
            }
            if (found.empty()) return;
            std::sort(found.begin(), found.end());
            std::set<size_t> inside;
            for (size_t i : words) inside.insert(owners[i].begin(), owners[i].end());
            const auto headed = [&](size_t field) {
                return std::any_of(found.begin(), found.end(), [&](const auto& p) { return p.second == field; });
            };
            for (size_t h : inside) {
                // A label is the whole phrase ("À payer avant le", "Service client"): it stands.
                if (kept[h].words.front() == words.front() && ends[words.back()] && kept[h].words.back() == words.back()) return;
                // A label of two words or more, read without error, that ends it (right before
                // the value) says whose the phrase is: what comes before it does not make it
                // another field's
                // ("eaudeparis.fr - Service clients 09 74 50 65 07" is no customer's reference).
                // A wording printed beside the fields that ends it after a field's head word says
                // no more than a qualifier ("Période de la facture du": a period, not "Facture du").
                const bool aside_after_head = schema.fields[kept[h].field].relations == 0 &&
                                              std::any_of(found.begin(), found.end(), [&](const auto& p) {
                                                  return std::find(kept[h].words.begin(), kept[h].words.end(), words[p.first]) == kept[h].words.end();
                                              });
                if (kept[h].words.size() >= 2 && kept[h].errors == 0 && kept[h].words.back() == words.back() && !aside_after_head) {
                    const size_t owner = kept[h].field;
                    found.erase(std::remove_if(found.begin(), found.end(), [&](const auto& p) { return p.second != owner; }), found.end());
                }
            }
            if (found.empty()) return;
            // The field's own labels inside give way to the phrase, unless one ends it (right
            // before the value); another field's stay, and the value's type decides (a period's
            // "Loyer de" in "Loyer de base 450,00 €").
            for (size_t h : inside) {
                dropped[h] = dropped[h] || (headed(kept[h].field) && kept[h].words.back() != words.back());
            }
            for (size_t n = 0; n < found.size(); ++n) {
                LabelHit hit;
                hit.field = found[n].second;
                hit.words = words;
                hit.first = words.front();
                hit.last = words.back();
                hit.box = box_of(page, words);
                hit.page = page.word(words.front()).page;
                for (size_t i : words) hit.length += page.folded(i).size();
                hit.quality = n == 0 ? 0.55f : 0.5f;  // under labelled_keys' 0.6: no say in recognition
                hit.text = text_of(page, words);
                added.push_back(std::move(hit));
            }
        };
        for (size_t k = 0; k < line.size(); ++k) {
            const size_t i = line[k];
            if (k > 0 && gap_too_wide(page.word(line[k - 1]), page.word(i))) flush();
            if (has_digit(page.word(i).text)) {
                flush();
                continue;
            }
            phrase.push_back(i);
        }
        flush();
    }
    std::vector<LabelHit> out;
    for (size_t h = 0; h < kept.size(); ++h) {
        if (!dropped[h]) out.push_back(std::move(kept[h]));
    }
    for (auto& hit : added) out.push_back(std::move(hit));
    kept = std::move(out);
}

}  // namespace detail

// Every label of every field on the page; where two overlap, the longer one (more folded
// characters) is kept, so "Date limite de paiement" is not also "Date". The words of the kept
// labels are marked: they are never part of a value.
inline std::vector<LabelHit> find_labels(Page& page, const Schema& schema) {
    struct Target {
        std::string folded;
        float weight;
        size_t field;
        std::string tail;  // its last word when it is a connector ("du", "au", "le"), else empty
    };
    std::vector<Target> targets;
    for (size_t f = 0; f < schema.fields.size(); ++f) {
        for (const auto& label : schema.fields[f].labels) {
            std::string folded = layout::fold(label.text);
            if (folded.empty()) continue;
            const size_t space = label.text.find_last_of(' ');
            std::string tail = space == std::string::npos ? std::string() : layout::fold(label.text.substr(space + 1));
            static const std::set<std::string> connectors = {"du", "au", "de", "le", "la", "aux", "des"};
            if (!connectors.count(tail)) tail.clear();
            targets.push_back({std::move(folded), label.weight, f, std::move(tail)});
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
                    // A label's last connector is never read as another one: "Échéance au" (a
                    // date follows) is not "Échéance du" (a period follows) misread. One left out
                    // ("Avis d'échéance" for "Avis d'échéance de") is only an error.
                    if (errors > 0 && !target.tail.empty() && piece.size() <= 3 && piece != target.tail) continue;
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
    detail::add_head_labels(page, schema, kept);
    // A label's words are never a value and end the value of the label before them; a label of
    // one or two letters ("du", "n°") is too common a word to end anything.
    for (const auto& hit : kept) {
        if (hit.length <= 2) continue;
        for (size_t i : hit.words) page.mark_label_word(i);
    }
    return kept;
}

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_LABELS_HPP
