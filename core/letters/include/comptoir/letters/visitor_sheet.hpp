// The visitor's sheet ("fiche pour la personne"): one A4 page in plain French ("facile à lire et
// à comprendre": short sentences, one idea per line, type of 14 pt and more, values larger),
// printed with a letter. It says what the document is and who sent it, what it asks, what the
// letter asks for, what happens next and what to keep, each part beside a pictogram drawn with
// libharu's path operators.
//
// The wording is in files a site administrator can change (templates/README.md, "The visitor's
// sheet"), searched like the letters (site folder, plugins' folder, project's templates/):
//   <kind>.fiche       the document's part (edf.facture.fiche)
//   <letter-id>.fiche  the letter's part (edf.delai_paiement.fiche); without one, courrier.fiche
// A file is a list of blocks: a line "[pictogram] Heading", then lines, each a Mustache
// template of its own. A line whose plain values are missing is left out, a block left with no
// line too: the sheet never says what is neither on the document nor in the letter.
#pragma once

#include "comptoir/letters/letters.hpp"

#include <map>
#include <string>
#include <vector>

namespace comptoir {

// The pictograms a block may show.
enum class Pictogram { papier, enveloppe, euro, calendrier, dossier, horloge, recu };

// "papier" -> Pictogram::papier; false when the name is not one.
bool pictogram_of(const std::string& name, Pictogram& out);

struct SheetBlockTemplate {
    Pictogram pictogram = Pictogram::papier;
    std::string heading;             // Mustache, may be empty
    std::vector<std::string> lines;  // Mustache each
    int line = 0;                    // where the block starts in its file
};

struct SheetTemplate {
    std::string id;  // the file's name without ".fiche"
    std::string file;
    std::vector<SheetBlockTemplate> blocks;
};

// Reads one .fiche file, checking each line's Mustache syntax and each pictogram's name.
// Throws TemplateError naming the file and the line.
SheetTemplate parse_sheet_template_text(const std::string& text, const std::string& path);
SheetTemplate parse_sheet_template(const std::string& path);

// The path of `<id>.fiche` in the folders (each with its subfolders one level deep), the first
// folder winning; "" when none has it.
std::string find_sheet_template(const std::vector<std::string>& folders, const std::string& id);

// A part of text on the sheet: a value (drawn larger and bold) or the words around it.
struct SheetRun {
    std::string text;
    bool value = false;
};

struct SheetBlock {
    Pictogram pictogram = Pictogram::papier;
    std::string heading;
    std::vector<std::vector<SheetRun>> lines;
};

struct ComposedSheet {
    std::string title;       // "Votre fiche"
    std::string subtitle;    // "Courrier préparé le 22 novembre 2026 – PIMMS de Lorient"
    std::vector<SheetBlock> blocks;
};

// What fills a sheet: the letter's data (fields, answers, types), the letter as composed (its
// recipient, subject, date), the document's kind.
struct SheetInput {
    const LetterTemplate* letter = nullptr;
    const ComposedLetter* composed = nullptr;
    const LetterData* data = nullptr;
    std::string site_name;
    std::string date_fr;  // "22 novembre 2026": the letter's date
};

// Fills the document's part (`kind`, may be null) then the letter's. The values are those of the
// letter: fields and answers by key, "<key>_fr" for amounts and dates, oui_non answers as
// booleans; also courrier_titre, courrier_objet, courrier_destinataire (the recipient's first
// line), courrier_date_fr, site_nom.
ComposedSheet compose_sheet(const SheetTemplate* kind, const SheetTemplate& letter, const SheetInput& input);

struct SheetPdfOptions {
    // DejaVu Sans (regular and bold), embedded only when a value has characters the standard
    // fonts lack.
    std::string font_dir = "/usr/share/fonts/truetype/dejavu";
};

// The smallest type the sheet uses, in points.
constexpr float kSheetMinimumSize = 14.0f;

// One A4 page, never more: the type shrinks down to kSheetMinimumSize to fit, and what would still
// run past the foot is cut with "…". Throws Error("pdf_failed", …) when libharu fails.
std::string render_sheet_pdf(const ComposedSheet& sheet, const SheetPdfOptions& options = {});

}  // namespace comptoir
