// Writing a letter end to end — behind `comptoir letter` and the desk's letters
// (cases/desk.hpp): find the template (site, plugins, project), check the plugin offers it, fill
// it from the fields and the mediator's answers, lay it out as a PDF.
#pragma once

#include "comptoir/letters/letters.hpp"
#include "comptoir/letters/recipient.hpp"

#include <string>
#include <vector>

struct Pix;

namespace comptoir {

class PluginRegistry;

// What the letters need of the site's configuration (the app fills it).
struct LetterOptions {
    // The template folders, in search order: the site's own (templates.dir), the plugins'
    // (<plugins.dir>/templates), the project's.
    std::vector<std::string> template_folders;
    SiteIdentity site;
};

struct LetterRequest {
    std::string plugin_id;
    std::string letter_id;
    std::string kind;  // the document's kind (edf.facture): the visitor's sheet speaks of it
    std::map<std::string, std::string> fields;
    std::map<std::string, std::string> answers;
    std::vector<Pix*> annex_pages;
    int year = 0, month = 0, day = 0;  // 0: today
};

// A letter before it is written: its recipient as it would be, what is still missing, and
// the answers the document already gives (the visitor's name and address for the sender).
struct LetterPreview {
    Recipient recipient;
    std::vector<std::string> missing;           // French labels, as MissingValuesError lists them
    std::map<std::string, std::string> prefill;  // question key → value read on the document
};

// What checking every template the plugins offer found, in French naming the template.
struct TemplateNotes {
    std::vector<std::string> errors;    // those letters are not offered (a broken template)
    std::vector<std::string> warnings;  // said at start
};

class LetterDesk {
public:
    LetterDesk(LetterOptions options, const PluginRegistry& plugins);

    // The template folders, in search order.
    const LetterCatalog& catalog() const { return catalog_; }

    // The template of a letter the plugin offers, its variables checked: each must be a field
    // a loaded plugin declares, a question of the letter, a site value or a helper. Throws
    // NotFoundError, BadRequestError, TemplateError (naming the template and the variable).
    LetterTemplate letter(const std::string& plugin_id, const std::string& letter_id) const;

    // Every letter every loaded plugin offers, checked (said when the plugins load).
    TemplateNotes check_templates() const;

    // The letter as it would be written with these answers (checked: AnswerError).
    LetterPreview preview(const LetterRequest& request) const;

    // The PDF. Throws MissingValuesError (the French labels of what is missing),
    // TemplateError, NotFoundError, BadRequestError.
    std::string write(const LetterRequest& request) const;

    // The visitor's sheet that goes with the letter (visitor_sheet.hpp): one page, from the
    // `<kind>.fiche` and `<letter-id>.fiche` (else `courrier.fiche`) found like the templates.
    // Throws what write() throws, and NotFoundError when no sheet is found for the letter.
    std::string write_sheet(const LetterRequest& request) const;

private:
    const LetterOptions options_;
    const PluginRegistry& plugins_;
    LetterCatalog catalog_;
};

}  // namespace comptoir
