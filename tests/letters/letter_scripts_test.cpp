// Names in any script (issue 29): a visitor's name and address in Vietnamese, Arabic, Turkish,
// Polish and Romanian print as written, checked on the page as drawn (pdftoppm), not only in the
// PDF's text: every diacritic adds ink against the same word without it (libharu 2.3 used to
// drop DejaVu's nested accents: "Nguyễn" printed "Nguyen"), and Tesseract reads the Vietnamese
// and the Arabic (shaped, right to left) names back. A character no installed font has is
// refused, named.
#include "comptoir/base/error.hpp"
#include "comptoir/image/image.hpp"
#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/letters.hpp"

#include "test_support.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <regex>

using comptoir::ComposedLetter;
using comptoir::test::TempDir;

namespace {

struct Visitor {
    std::string language;
    std::string name;
    std::vector<std::string> address;
};

const std::vector<Visitor> kVisitors = {
    {"vietnamien", "Nguyễn Thị Ánh", {"12 đường Lê Lợi", "Phường Bến Nghé"}},
    {"arabe", "محمد عبد الله", {"شارع الحرية", "56100 Lorient"}},
    {"turc", "Şükrü Çağlar", {"Bağdat Caddesi 12", "İstanbul"}},
    {"polonais", "Łukasz Wójcik", {"ul. Świętokrzyska 5", "Gdańsk"}},
    {"roumain", "Ștefan Țăran", {"Strada Mărășești 3", "Iași"}},
};

ComposedLetter letter_of(const std::string& name, const std::vector<std::string>& address, const std::string& body) {
    ComposedLetter letter;
    letter.title = "Courrier";
    letter.sender_name = name;
    letter.sender_address = address;
    letter.recipient = {"Caf du Morbihan", "2 rue de Tivoli", "56000 Vannes"};
    letter.place_and_date = "Lorient, le 1er décembre 2026";
    letter.subject = "Changement de situation";
    letter.body = {{false, body}};
    return letter;
}

// pdftotext's words, one space for any run of blanks.
std::string pdf_text(const std::string& pdf) {
    TempDir dir;
    const auto result = comptoir::test::run_process("/usr/bin/pdftotext", {"-enc", "UTF-8", dir.write("l.pdf", pdf), "-"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::regex_replace(std::regex_replace(result.out, std::regex("\xC2\xA0"), " "), std::regex(R"(\s+)"), " ");
}

// The first page at `dpi` in gray, read back; `top_mm` > 0 keeps only that band of the page,
// `width_in` inches of it.
comptoir::PixPtr page_image(const std::string& pdf, int dpi, double top_mm = 0, int width_in = 9) {
    TempDir dir;
    std::vector<std::string> args = {"-r", std::to_string(dpi), "-gray", "-png", "-f", "1", "-l", "1", "-singlefile"};
    if (top_mm > 0) {
        const int height = static_cast<int>(top_mm / 25.4 * dpi);
        args.insert(args.end(), {"-x", "0", "-y", "0", "-W", std::to_string(dpi * width_in), "-H", std::to_string(height)});
    }
    args.insert(args.end(), {dir.write("l.pdf", pdf), dir.file("page")});
    const auto result = comptoir::test::run_process("/usr/bin/pdftoppm", args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return comptoir::PixPtr(pixRead(dir.file("page.png").c_str()));
}

// Dark pixels of the band holding the sender's name, at 300 dpi.
int ink(const std::string& pdf) {
    const comptoir::PixPtr page = page_image(pdf, 300, 24, 3);
    if (!page) return -1;
    comptoir::PixPtr gray(pixConvertTo8(page.get(), 0));
    comptoir::PixPtr binary(pixThresholdToBinary(gray.get(), 128));
    l_int32 count = 0;
    pixCountPixels(binary.get(), &count, nullptr);
    return count;
}

// Tesseract's reading of the band holding the sender's name, spaces removed.
std::string read_name(const std::string& pdf, const std::string& language) {
    const comptoir::PixPtr band = page_image(pdf, 300, 24);
    TempDir dir;
    const std::string path = dir.file("name.png");
    if (!band || pixWrite(path.c_str(), band.get(), IFF_PNG) != 0) return {};
    const auto result = comptoir::test::run_process("/usr/bin/tesseract", {path, "-", "-l", language, "--psm", "7"},
                                                    dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::regex_replace(result.out, std::regex(R"(\s+)"), "");
}

std::string squeezed(const std::string& text) { return std::regex_replace(text, std::regex(" "), ""); }

void PrintTo(const Visitor& visitor, std::ostream* out) { *out << visitor.language; }

class NamesInAnyScript : public ::testing::TestWithParam<Visitor> {};

}  // namespace

TEST_P(NamesInAnyScript, PrintInTheSenderBlockAndTheBody) {
    const Visitor& visitor = GetParam();
    const std::string pdf = comptoir::render_letter_pdf(
        letter_of(visitor.name, visitor.address, "Je soussigné(e) " + visitor.name + ", demeurant " + visitor.address[0] + "."));
    EXPECT_LE(pdf.size(), 200u * 1024u) << "a letter with an embedded font over the 200 KB target";
    EXPECT_EQ(pdf.find("DejaVu"), std::string::npos) << "DejaVu Sans is not needed for these scripts";
    const std::string text = pdf_text(pdf);
    if (visitor.language == "arabe") {
        // Drawn left to right as shaped presentation forms; pdftotext's own bidi gives them back
        // in reading order: initial, medial and final forms, not the letters as typed.
        const std::string shaped = "ﻣﺤﻤﺪ ﻋﺒﺪ ﺍﻟﻠﻪ";
        EXPECT_NE(text.find(shaped), std::string::npos) << text;
        EXPECT_NE(text.find("ﺷﺎﺭﻉ ﺍﻟﺤﺮﻳﺔ"), std::string::npos) << text;
        EXPECT_NE(text.find("56100 Lorient"), std::string::npos) << text;
    } else {
        EXPECT_NE(text.find(visitor.name), std::string::npos) << text;                 // sender block and signature
        EXPECT_NE(text.find("Je soussigné(e) " + visitor.name), std::string::npos) << text;  // the body
        for (const auto& line : visitor.address) EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
    }
}

INSTANTIATE_TEST_SUITE_P(Letters, NamesInAnyScript, ::testing::ValuesIn(kVisitors),
                         [](const auto& param_info) { return param_info.param.language; });

// Each word against itself without its diacritics, in the same font (a "ł" elsewhere on the line
// puts both in the embedded face): a dropped accent would leave the same ink.
TEST(LetterScripts, EveryDiacriticIsDrawn) {
    const std::vector<std::pair<std::string, std::string>> words = {
        {"Nguyễn", "Nguyen"}, {"Thị", "Thi"},       {"Ánh", "Anh"},       {"Şükrü", "Sukru"},   {"Çağlar", "Caglar"},
        {"İstanbul", "Istanbul"}, {"Łukasz", "Lukasz"}, {"Wójcik", "Wojcik"}, {"Gdańsk", "Gdansk"}, {"Ștefan", "Stefan"},
        {"Țăran", "Taran"}};
    for (const auto& [accented, plain] : words) {
        const int with = ink(comptoir::render_letter_pdf(letter_of(accented + " ł", {}, "Bonjour.")));
        const int without = ink(comptoir::render_letter_pdf(letter_of(plain + " ł", {}, "Bonjour.")));
        ASSERT_GT(without, 0);
        EXPECT_GE(with - without, 15) << accented << ": " << with << " dark pixels against " << without << " for " << plain;
    }
}

// A decomposed é (e + U+0301) prints as é: NFC first, so the standard fonts still do.
TEST(LetterScripts, DecomposedAccentsAreComposed) {
    const std::string pdf = comptoir::render_letter_pdf(letter_of("Ame\xCC\x81lie Rene\xCC\x81", {}, "Bonjour."));
    EXPECT_NE(pdf_text(pdf).find("Amélie René"), std::string::npos);
    EXPECT_EQ(pdf.find("FontFile2"), std::string::npos) << "Latin-1 text embedded a font";
}

TEST(LetterScripts, TesseractReadsTheVietnameseAndArabicNames) {
    const std::string vietnamese = comptoir::render_letter_pdf(letter_of("Nguyễn Thị Ánh", {}, "Bonjour."));
    EXPECT_EQ(read_name(vietnamese, "vie"), "NguyễnThịÁnh");
    // Shaped and right to left: the name reads as written; unshaped letters drawn left to right
    // read as something else.
    const std::string arabic = comptoir::render_letter_pdf(letter_of("محمد عبد الله", {}, "Bonjour."));
    EXPECT_EQ(read_name(arabic, "ara"), squeezed("محمد عبد الله"));
}

TEST(LetterScripts, ALatin1LetterStaysOnTheStandardFonts) {
    const std::string pdf = comptoir::render_letter_pdf(
        letter_of("Amina Benali", {"3 rue des Lilas", "56100 Lorient"}, "Une lettre « ordinaire » de 205,76 € ; œuvre."));
    EXPECT_EQ(pdf.find("FontFile2"), std::string::npos);
    EXPECT_NE(pdf.find("Helvetica"), std::string::npos);
    EXPECT_LE(pdf.size(), 100u * 1024u);
}

TEST(LetterScripts, ACharacterNoFontHasIsRefusedAndNamed) {
    const std::vector<std::pair<std::string, std::string>> refused = {{"Amina 😀", "« 😀 » (U+1F600)"}, {"王芳", "« 王 » (U+738B)"}};
    for (const auto& [name, shown] : refused) {
        try {
            comptoir::render_letter_pdf(letter_of(name, {}, "Bonjour."));
            ADD_FAILURE() << name << " was printed";
        } catch (const comptoir::BadRequestError& error) {
            EXPECT_EQ(error.code(), "unprintable_character");
            EXPECT_EQ(std::string(error.what()), "Le caractère " + shown +
                                                      " ne peut pas être imprimé dans un courrier : aucune police installée ne l'a.");
        }
    }
}
