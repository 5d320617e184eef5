// Letter rendering: median time to compose and lay out a one-page letter (edf.delai_paiement
// from the project's templates) and its PDF size; the same with the visitor's name and address
// in Vietnamese, in Arabic (shaped, right to left) and in all of issue 29's scripts at once (fonts
// embedded); the same with one scanned page as annex.
//   letter_bench TEMPLATES_DIR RUNS [ANNEX.png]
#include "bench_support.hpp"

#include "comptoir/image/image.hpp"
#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/letters.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

using comptoir::bench::median;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: letter_bench TEMPLATES_DIR RUNS [ANNEX.png]\n";
        return 2;
    }
    const int runs = std::max(1, std::atoi(argv[2]));
    const comptoir::LetterCatalog catalog({argv[1]});
    const comptoir::LetterTemplate letter = catalog.find("edf.delai_paiement");
    comptoir::LetterData data;
    data.fields = {{"numero_facture", "10123590373"}, {"montant_ttc", "1479.85"}, {"date_limite_paiement", "2021-02-15"},
                   {"reference_client", "6002345678"}, {"pdl", "01234567890123"}};
    data.field_types = {{"montant_ttc", "amount"}, {"date_limite_paiement", "date"}};
    data.field_labels = {{"reference_client", "Référence client"}, {"numero_facture", "Numéro de facture"},
                         {"pdl", "Point de livraison"}};
    data.answers = {{"expediteur_nom", "Amina Benali"}, {"expediteur_adresse", "3 rue des Lilas\n56100 Lorient"},
                    {"nombre_mois", "6"}, {"montant_mensuel", "246.65"}};
    const comptoir::SiteIdentity site{"PIMMS de Lorient", "12 rue de la Médiation", "Lorient", "02 97 00 00 00", {}, ""};

    const auto measure_data = [&](const comptoir::LetterData& letter_data, const comptoir::LetterPdfOptions& options, size_t& size) {
        std::vector<double> times;
        for (int i = 0; i < runs; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const auto composed = comptoir::compose_letter(letter, letter_data, site, 2026, 11, 22);
            size = comptoir::render_letter_pdf(composed, options).size();
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        return median(times);
    };
    const auto measure = [&](const comptoir::LetterPdfOptions& options, size_t& size) { return measure_data(data, options, size); };
    size_t size = 0;
    const double plain = measure({}, size);
    std::cout << "one page: median " << plain << " ms, " << size / 1024.0 << " KiB\n";
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> names = {
        {"Vietnamese", {"Nguyễn Thị Ánh", "12 đường Lê Lợi\nPhường Bến Nghé"}},
        {"Arabic", {"محمد عبد الله", "شارع الحرية\n56100 Lorient"}},
        {"all five scripts", {"Nguyễn Thị Ánh, محمد عبد الله, Şükrü Çağlar, Łukasz Wójcik, Ștefan Țăran",
                              "İstanbul, Gdańsk, Iași\nشارع الحرية"}}};
    for (const auto& [script, name] : names) {
        comptoir::LetterData named = data;
        named.answers["expediteur_nom"] = name.first;
        named.answers["expediteur_adresse"] = name.second;
        const double shaped = measure_data(named, {}, size);
        std::cout << "one page, name in " << script << ": median " << shaped << " ms, " << size / 1024.0 << " KiB\n";
    }
    if (argc > 3) {
        setMsgSeverity(L_SEVERITY_NONE);
        comptoir::PixPtr annex(pixRead(argv[3]));
        if (!annex) {
            std::cerr << "cannot read " << argv[3] << "\n";
            return 1;
        }
        comptoir::LetterPdfOptions options;
        options.annex_pages = {annex.get()};
        const double with_annex = measure(options, size);
        std::cout << "with a " << pixGetWidth(annex.get()) << "x" << pixGetHeight(annex.get()) << " annex page: median "
                  << with_annex << " ms, " << size / 1024.0 << " KiB\n";
    }
    return 0;
}
