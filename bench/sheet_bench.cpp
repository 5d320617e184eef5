// The visitor's sheet: median time to write one (edf.delai_paiement on an EDF bill, from the
// project's templates: both .fiche files found and read, the letter composed, the sheet composed
// and laid out) and its PDF size, as LetterDesk::write_sheet does it.
//   sheet_bench TEMPLATES_DIR RUNS
#include "bench_support.hpp"

#include "comptoir/letters/visitor_sheet.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <vector>

using comptoir::bench::median;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: sheet_bench TEMPLATES_DIR RUNS\n";
        return 2;
    }
    const int runs = std::max(1, std::atoi(argv[2]));
    const std::vector<std::string> folders = {argv[1]};
    comptoir::LetterData data;
    data.fields = {{"numero_facture", "10123590373"}, {"montant_ttc", "1479.85"}, {"date_limite_paiement", "2021-02-15"},
                   {"date_facture", "2021-01-29"}, {"reference_client", "6002345678"}};
    data.field_types = {{"montant_ttc", "amount"}, {"date_limite_paiement", "date"}, {"date_facture", "date"}};
    data.answers = {{"expediteur_nom", "Amina Benali"}, {"expediteur_adresse", "3 rue des Lilas\n56100 Lorient"},
                    {"nombre_mois", "6"}, {"montant_mensuel", "246.65"}, {"recommande", "oui"}};
    const comptoir::SiteIdentity site{"PIMMS de Lorient", "12 rue de la Médiation", "Lorient", "02 97 00 00 00", {}, ""};

    std::vector<double> times;
    size_t size = 0;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const comptoir::LetterTemplate letter = comptoir::LetterCatalog(folders).find("edf.delai_paiement");
        const comptoir::ComposedLetter composed = comptoir::compose_letter(letter, data, site, 2026, 11, 22);
        const auto letter_part = comptoir::parse_sheet_template(comptoir::find_sheet_template(folders, "edf.delai_paiement"));
        const auto kind_part = comptoir::parse_sheet_template(comptoir::find_sheet_template(folders, "edf.facture"));
        comptoir::SheetInput input;
        input.letter = &letter;
        input.composed = &composed;
        input.data = &data;
        input.site_name = site.name;
        input.date_fr = comptoir::french_date(2026, 11, 22);
        size = comptoir::render_sheet_pdf(comptoir::compose_sheet(&kind_part, letter_part, input)).size();
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::cout << "visitor's sheet: median " << median(times) << " ms, " << size / 1024.0 << " KiB\n";
    return 0;
}
