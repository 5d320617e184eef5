// Letter templates: one file per letter (`<letter-id>.lettre`), which alone holds the letter's
// metadata — title, partner, recipient, subject, references, attachments, the questions the
// mediator answers — and its body, a Mustache template (kainjow-mustache) of paragraphs and
// "- " bullet lines. templates/README.md documents the format.
//
// Search order for a letter id: the site's templates.dir, the plugins' own template folders,
// the project's templates/ (per partner subfolders). A missing required value is an error
// listing every missing value by its French label; a letter is never composed with a blank.
#pragma once

#include "comptoir/base/error.hpp"
#include "comptoir/letters/offices.hpp"

#include <map>
#include <string>
#include <vector>

namespace comptoir {

struct LetterQuestion {
    std::string key;
    std::string label;     // French, as asked to the mediator
    std::string type;      // texte, paragraphes (several lines), date, montant, nombre, oui_non, choix
    bool required = false;
    std::vector<std::string> choices;  // for "choix"
    std::string example;   // an example answer, in the visitor's words ("J'ai perdu mon emploi en mars.")
};

// Where a letter's recipient comes from (templates/README.md, "The recipient"): the sources in
// the template's order, never mixed in one address block; the mediator's own address (the
// answer `destinataire`) before them all.
struct RecipientRule {
    std::vector<std::string> sources;  // "document", "offices", "template"; empty: the former format
    std::string field;        // document: the field holding the whole address ("adresse_service_client")
    std::string office;       // offices: the kind in the site's directory ("caf", "fsl")
    std::string departement;  // offices: the field naming the office's département ("caf"), else the site's
    std::string service;      // a first line put before the office's address ("Commission de recours amiable")
};

struct LetterTemplate {
    std::string id;
    std::string title;
    std::string partner;
    std::string recipient;            // Mustache, lines separated by "\n"
    std::string subject;              // Mustache
    std::vector<std::string> references;       // field keys shown under the subject when present
    std::vector<std::string> required_fields;  // field keys that must be present
    std::vector<std::string> attachments;      // "Pièces jointes", Mustache each
    std::vector<LetterQuestion> questions;     // in the template's order, the visitor's first
    RecipientRule recipient_rule;
    // The recipient as the mediator may write it (answer "destinataire"), shown before writing.
    LetterQuestion recipient_question{"destinataire", "Adresse du destinataire", "paragraphes", false, {}, {}};
    bool registered_offered = false;  // "registered_mail = offered": may go recommandée avec AR
    std::string body;                 // Mustache
    std::string file;                 // where it was read
    int body_line = 1;                // line of the file where the body starts
    // Said when the plugins load (templates/README.md): e.g. a recipient that can come out
    // incomplete in a template of the former format.
    std::vector<std::string> warnings;

    const LetterQuestion* question(const std::string& key) const;
};

// A template that cannot be read: the message names the file and the line.
class TemplateError : public Error {
public:
    explicit TemplateError(const std::string& message_fr) : Error("template_error", message_fr) {}
};

// Required values missing: `missing` holds their French labels.
class MissingValuesError : public Error {
public:
    explicit MissingValuesError(std::vector<std::string> missing);
    const std::vector<std::string>& missing() const { return missing_; }

private:
    std::vector<std::string> missing_;
};

// Reads and checks one template file (metadata and Mustache syntax). Throws TemplateError.
LetterTemplate parse_letter_template(const std::string& path);
// The same from a template's text; `path` names it in messages and gives the expected id.
LetterTemplate parse_letter_template_text(const std::string& text, const std::string& path);

// The file `<id>.<extension>` in the first of `folders` that has it, directly or in a subfolder
// one level deep (templates/edf/edf.delai_paiement.lettre); "" when none has it.
std::string find_in_template_folders(const std::vector<std::string>& folders, const std::string& id, const std::string& extension);

class LetterCatalog {
public:
    // Folders searched in order; a folder is searched with its subfolders one level deep
    // (templates/edf/edf.delai_paiement.lettre).
    explicit LetterCatalog(std::vector<std::string> folders);

    // Throws NotFoundError naming the folders searched, or TemplateError.
    LetterTemplate find(const std::string& letter_id) const;
    // Every letter id found, first folder winning.
    std::vector<std::string> ids() const;
    const std::vector<std::string>& folders() const { return folders_; }

private:
    std::string path_of(const std::string& letter_id) const;
    std::vector<std::string> folders_;
};

// What fills a letter.
struct LetterData {
    std::map<std::string, std::string> fields;   // canonical keys, normalised values
    std::map<std::string, std::string> answers;  // question keys
    std::map<std::string, std::string> field_labels;  // French labels, for references and errors
    std::map<std::string, std::string> field_types;   // amount, date, … (plugin declarations)
};

struct SiteIdentity {
    std::string name;
    std::string address;
    std::string city;
    std::string phone;
    // The site's directory of offices (offices.hpp), recipients when the document does not
    // print them: {{site_<kind>}} in the templates ({{site_caf}}, {{site_fsl}}…) is the address
    // of the office of that kind serving `departement` (else the first); an office without a
    // postcode gives none, so the letter asks the mediator.
    std::vector<Office> offices;
    std::string departement;
};

// The letter's text, ready for layout.
struct ComposedLetter {
    std::string title;
    std::string sender_name;
    std::vector<std::string> sender_address;  // lines
    std::string helped_by;                    // "Courrier préparé avec l'aide de : <site>", or empty
    std::vector<std::string> recipient;   // lines
    std::string place_and_date;           // "Lorient, le 22 novembre 2026"
    std::string subject;
    std::vector<std::pair<std::string, std::string>> references;  // label, value
    struct Block {
        bool bullet = false;
        std::string text;  // one paragraph or one bullet item
    };
    std::vector<Block> body;
    std::vector<std::string> attachments;
    std::string mention;                  // "Lettre recommandée avec accusé de réception", or empty
    std::string recipient_source;         // mediator, document, offices, template
};

// Fills `letter` with `data`. Values are inserted as text (a value that looks like a tag is
// not expanded; control characters are removed). Throws MissingValuesError.
ComposedLetter compose_letter(const LetterTemplate& letter, const LetterData& data, const SiteIdentity& site,
                              int year, int month, int day);

// "22 novembre 2026", "1er décembre 2026".
std::string french_date(int year, int month, int day);
// "2026-11-22" -> "22 novembre 2026"; other text unchanged.
std::string french_date_from_iso(const std::string& iso);
// "1479.85" -> "1 479,85 €" (with a narrow no-break space between thousands).
std::string french_amount(const std::string& amount);

}  // namespace comptoir
