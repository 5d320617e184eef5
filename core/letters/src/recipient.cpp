#include "comptoir/letters/recipient.hpp"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <regex>

namespace comptoir {
namespace {

std::string quote(const std::string& text) { return "« " + text + " »"; }

const std::string* value_of(const std::map<std::string, std::string>& values, const std::string& key) {
    const auto found = values.find(key);
    return found == values.end() || Poco::trim(found->second).empty() ? nullptr : &found->second;
}

// The office of `kind` for `departement`: one serving it, else (only when the département is
// the site's) one serving any or the first of its kind.
const Office* office_for(const SiteIdentity& site, const std::string& kind, const std::string& departement, bool site_s) {
    for (const auto& office : site.offices) {
        if (office.kind == kind && !departement.empty() && office.departement == departement) return &office;
    }
    if (!site_s) return nullptr;
    return choose_office(site.offices, kind, site.departement);
}

std::string named_departement(const std::string& code) {
    const std::string name = departement_name(code);
    return name.empty() ? code : name + " (" + code + ")";
}

}  // namespace

std::vector<std::string> postal_lines(const std::string& text) {
    std::vector<std::string> lines;
    for (const auto& line : Poco::StringTokenizer(text, "\n", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        size_t start = 0;
        for (size_t comma = line.find(", ");; comma = line.find(", ", start)) {
            const std::string part = Poco::trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (!part.empty()) lines.push_back(part);
            if (comma == std::string::npos) break;
            start = comma + 2;
        }
    }
    return lines;
}

std::string postal_problem(const std::vector<std::string>& lines) {
    if (lines.empty()) return "aucune adresse";
    if (lines.size() < 2) return "l'adresse n'a qu'une ligne : il faut le nom, puis le code postal et la ville";
    if (lines.size() > 6) return "l'adresse a plus de 6 lignes (La Poste n'en lit pas plus)";
    static const std::regex last(R"(^([0-9]{5})\s+(.*[A-Za-zÀ-ÿ].*)$)");
    std::smatch match;
    if (!std::regex_match(lines.back(), match, last)) {
        return "la dernière ligne doit être le code postal (5 chiffres) suivi de la ville, par exemple « 56100 Lorient »";
    }
    static const std::regex cedex_only(R"(^\s*cedex(\s+[0-9]+)?\s*$)", std::regex::icase);
    if (std::regex_match(std::string(match[2]), cedex_only)) return "la ville manque après le code postal";
    const std::string departement = departement_of_postcode(match[1]);
    if (departement.empty() || departement_name(departement).empty()) {
        return "le code postal " + quote(match[1]) + " n'est pas celui d'un département connu";
    }
    return {};
}

Recipient resolve_recipient(const LetterTemplate& letter, const std::map<std::string, std::string>& fields,
                            const std::map<std::string, std::string>& answers, const SiteIdentity& site,
                            const std::function<std::string(const std::string&)>& render) {
    Recipient out;
    const auto take = [&](std::vector<std::string> lines, const std::string& source) {
        out.lines = std::move(lines);
        out.source = source;
        out.problem = postal_problem(out.lines);
        return out.problem.empty();
    };
    // The mediator's address wins: it is what she checked with the visitor.
    if (const std::string* given = value_of(answers, letter.recipient_question.key)) {
        take(postal_lines(*given), "mediator");
        return out;
    }
    const RecipientRule& rule = letter.recipient_rule;
    if (rule.sources.empty()) {  // the former format: the template's text, whatever it renders
        take(postal_lines(render(letter.recipient)), "template");
        if (out.lines.empty()) out.source.clear();
        return out;
    }
    const auto with_service = [&](std::vector<std::string> lines) {
        if (!rule.service.empty() && (lines.empty() || lines.front() != rule.service)) lines.insert(lines.begin(), rule.service);
        return lines;
    };
    std::vector<std::string> problems;
    for (const auto& source : rule.sources) {
        if (source == "document") {
            const std::string* address = rule.field.empty() ? nullptr : value_of(fields, rule.field);
            if (!address) continue;
            if (take(with_service(postal_lines(*address)), "document")) return out;
            problems.push_back("l'adresse lue sur le document est incomplète (" + out.problem + ")");
        } else if (source == "offices") {
            // The office serving the département the document names (its Caf), else the site's.
            std::string departement = site.departement;
            bool site_s = true;
            if (const std::string* named = rule.departement.empty() ? nullptr : value_of(fields, rule.departement)) {
                if (std::string code = departement_of(*named); !code.empty()) {
                    site_s = site.departement.empty() || code == site.departement;
                    departement = code;
                }
            }
            const Office* office = office_for(site, rule.office, departement, site_s);
            if (!office) {
                if (!site_s) {
                    out.note = "Ce document vient de l'organisme du département " + named_departement(departement) +
                               ", pas de celui du site : l'annuaire des organismes n'a pas son adresse (offices.<id>.kind = " +
                               rule.office + ", departement = " + departement + "). Indiquez-la.";
                }
                problems.push_back("l'annuaire des organismes du site n'a pas d'organisme « " + rule.office + " »" +
                                   (site_s ? std::string() : " pour le département " + named_departement(departement)));
                continue;
            }
            if (!site_s) {
                out.note = "Courrier adressé à l'organisme du département " + named_departement(departement) +
                           ", celui qui a envoyé le document (pas celui du site).";
            }
            if (!office->complete()) {
                problems.push_back("l'adresse de l'organisme « " + office->id + " » de l'annuaire est incomplète (offices." +
                                   office->id + ".postcode, .city)");
                continue;
            }
            if (take(with_service(postal_lines(office->address())), "offices")) return out;
            problems.push_back("l'adresse de l'organisme « " + office->id + " » : " + out.problem);
        } else if (source == "template") {
            const std::vector<std::string> lines = postal_lines(render(letter.recipient));
            if (lines.empty()) continue;
            if (take(lines, "template")) return out;
            problems.push_back("l'adresse écrite dans le modèle : " + out.problem);
        }
    }
    out.lines.clear();
    out.source.clear();
    const bool mediator_only = std::all_of(rule.sources.begin(), rule.sources.end(), [](const std::string& s) { return s == "mediator"; });
    out.problem = !problems.empty() ? problems.front()
                  : mediator_only   ? "indiquez l'adresse du destinataire"
                                    : "ni le document, ni l'annuaire des organismes du site, ni le modèle ne donnent l'adresse";
    return out;
}

}  // namespace comptoir
