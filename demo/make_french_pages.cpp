// Writes a PDF of A4 pages full of French administrative prose (seeded, so the same command
// gives the same pages), for the demo station's sample page (CMakeLists.txt here) and the
// benchmarks (bench/ocr_bench.sh, scan_bench.sh, letter_bench.sh render it with pdftoppm):
//   make_french_pages OUT.pdf PAGES [SEED]
#include <hpdf.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

const std::vector<std::string> kSentences = {
    "Nous vous informons que votre dossier a bien été reçu par nos services le 12 février 2024.",
    "Le montant de votre échéance s'élève à 87,43 € et sera prélevé à partir du 15 mars.",
    "Conformément à l'article L. 553-2 du code de la sécurité sociale, un trop-perçu a été constaté.",
    "Vous pouvez contester cette décision auprès de la commission de recours amiable dans un délai de deux mois.",
    "Votre consommation d'électricité de la période s'établit à 1 479 kWh, relevé estimé.",
    "La trêve hivernale s'applique du 1er novembre au 31 mars : aucune coupure n'est possible.",
    "Le chèque énergie peut être utilisé pour régler tout ou partie de cette facture.",
    "Pour toute question, notre service clients reste à votre disposition du lundi au vendredi.",
    "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
    "Le revenu fiscal de référence de votre foyer est de 18 452 € pour 2,5 parts.",
    "Il vous reste à payer la somme de 312,00 € avant le 15 septembre, date limite de paiement.",
    "Les pièces justificatives doivent être jointes à votre demande : « avis d'imposition » et « quittance ».",
    "En cas de difficulté de paiement, un échéancier adapté à votre situation peut être étudié.",
    "Votre numéro d'allocataire figure en haut à droite de ce courrier ; rappelez-le dans vos échanges.",
    "Cette notification œuvre à la régularisation de vos droits au titre de l'aide personnalisée au logement.",
    "Le Fonds de solidarité pour le logement peut accorder une aide pour les impayés d'énergie.",
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: make_french_pages OUT.pdf PAGES [SEED]\n";
        return 2;
    }
    const int pages = std::atoi(argv[2]);
    std::mt19937 random(argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 2026u);
    HPDF_Doc pdf = HPDF_New(nullptr, nullptr);
    HPDF_UseUTFEncodings(pdf);
    const char* font_name = HPDF_LoadTTFontFromFile(pdf, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", HPDF_TRUE);
    HPDF_Font font = HPDF_GetFont(pdf, font_name, "UTF-8");
    std::uniform_int_distribution<size_t> pick(0, kSentences.size() - 1);
    for (int p = 0; p < pages; ++p) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, 10.5f);
        HPDF_Page_SetTextLeading(page, 15.0f);
        const float left = 60.0f;
        const float right = HPDF_Page_GetWidth(page) - 60.0f;
        float top = HPDF_Page_GetHeight(page) - 60.0f;
        // Paragraphs of four to six sentences until the page is full.
        while (top > 80.0f) {
            std::string paragraph;
            const int sentences = 4 + static_cast<int>(random() % 3);
            for (int s = 0; s < sentences; ++s) paragraph += (s ? " " : "") + kSentences[pick(random)];
            HPDF_UINT length = 0;
            HPDF_Page_TextRect(page, left, top, right, 60.0f, paragraph.c_str(), HPDF_TALIGN_JUSTIFY, &length);
            const float lines = static_cast<float>(paragraph.size()) / 95.0f + 1.0f;
            top -= lines * 15.0f + 12.0f;
        }
        HPDF_Page_EndText(page);
    }
    const HPDF_STATUS status = HPDF_SaveToFile(pdf, argv[1]);
    HPDF_Free(pdf);
    return status == HPDF_OK ? 0 : 1;
}
