// Bad input (issue 28): what visitors show at the desk besides a page — a photo of a screen, two
// sheets in one photo, a sheet cut by the frame, a phone's screen capture, a thumbnail, a strip,
// a 2D-Doc cut in half. Each is made with ImageMagick from a page of the generated set (fixture
// docgen_set) and read by the real `comptoir process --json`: it must end (the test's timeout),
// without a crash, with a French message or a reading with warnings, and never report a field
// with a confidence of 0.9 or more that is not the page's own value.
#include "comptoir/reading/datamatrix.hpp"

#include "test_support.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Poco::JSON::Object;

const std::string kSet = COMPTOIR_DOCGEN_SET;

Object::Ptr parse(const std::string& text) { return Poco::JSON::Parser().parse(text).extract<Object::Ptr>(); }

// A generated page's expected JSON (its kind, its fields' values).
Object::Ptr truth(const std::string& sample) { return parse(comptoir::test::read_file(kSet + "/" + sample + ".json")); }

std::vector<std::string> warnings_of(const Object::Ptr& out) {
    std::vector<std::string> warnings;
    const auto array = out->getArray("warnings");
    for (size_t i = 0; array && i < array->size(); ++i) warnings.push_back(array->getElement<std::string>(i));
    return warnings;
}

bool warned(const Object::Ptr& out, const std::string& needle) {
    for (const auto& warning : warnings_of(out)) {
        if (warning.find(needle) != std::string::npos) return true;
    }
    return false;
}

std::string all_warnings(const Object::Ptr& out) {
    std::string text;
    for (const auto& warning : warnings_of(out)) text += "\n  " + warning;
    return text;
}

// Every field said sure (confidence 0.9 or more) is the value printed on the page of the
// document recognised, among `pages` (the generated samples the input was made of).
void expect_no_confident_wrong_field(const Object::Ptr& out, const std::vector<std::string>& pages) {
    const auto fields = out->getObject("fields");
    if (!fields || fields->size() == 0) return;
    ASSERT_FALSE(out->isNull("document"));
    const std::string kind = out->getObject("document")->getValue<std::string>("kind");
    Object::Ptr expected;
    for (const auto& page : pages) {
        const auto sample = truth(page);
        if (!sample->isNull("kind") && sample->getValue<std::string>("kind") == kind) expected = sample->getObject("fields");
    }
    for (const auto& [key, value] : *fields) {
        const auto field = value.extract<Object::Ptr>();
        const double confidence = field->getValue<double>("confidence");
        if (confidence < 0.9) continue;
        ASSERT_TRUE(expected) << "champ " << key << " sûr (" << confidence << ") sur un document d'un autre genre : " << kind;
        EXPECT_EQ(field->getValue<std::string>("value"), expected->optValue<std::string>(key, "(absent de la page)"))
            << key << ", confiance " << confidence;
    }
}

class HostilePages : public ::testing::Test {
protected:
    static void SetUpTestSuite() { setMsgSeverity(L_SEVERITY_NONE); }

    // ImageMagick, with `args` naming its input and output files.
    void magick(const std::vector<std::string>& args) {
        const auto run = comptoir::test::run_process(COMPTOIR_IMAGEMAGICK, args);
        ASSERT_EQ(run.exit_code, 0) << run.err;
    }

    // `comptoir process --json`: it ends by itself (the timeout is ctest's), with a reading
    // (status 0) or a French error (status 1), never a signal.
    Object::Ptr process(const std::string& file) {
        const auto run = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--json", file});
        EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << "statut " << run.exit_code << "\n" << run.err;
        const auto out = parse(run.out);
        if (run.exit_code == 1) {
            EXPECT_TRUE(out->has("error")) << run.out;
        }
        return out;
    }

    static std::pair<int, int> size_of(const std::string& file) {
        l_int32 width = 0, height = 0;
        pixReadHeader(file.c_str(), nullptr, &width, &height, nullptr, nullptr, nullptr);
        return {width, height};
    }

    // The box of the signed 2D-Doc the generated page carries.
    static comptoir::Box code_box(const std::string& file) {
        Pix* page = pixRead(file.c_str());
        const auto search = comptoir::find_datamatrix(page);
        pixDestroy(&page);
        EXPECT_EQ(search.codes.size(), 1u) << file;
        return search.codes.empty() ? comptoir::Box{} : search.codes[0].box;
    }

    comptoir::test::TempDir dir_;
};

// A bill photographed on a computer's screen: the screen's rows of pixels stripe the page, two
// near gratings beat into moiré bands.
TEST_F(HostilePages, APhotoOfAScreenIsSaidSoAndNothingWrongIsSure) {
    const std::string photo = kSet + "/edf.facture-000-photo.jpg";
    const auto [width, height] = size_of(photo);
    const std::string size = std::to_string(width * 3 / 4) + "x" + std::to_string(height * 3 / 4);
    const std::string moire = dir_.file("ecran.jpg");
    magick({photo, "-resize", size + "!", "(", "-size", size, "gradient:", "-function", "Sinusoid", "870,0,0.2,0.8", "-size", size,
            "-define", "gradient:angle=184", "gradient:", "-function", "Sinusoid", "900,0,0.2,0.8", "-compose",
            "multiply", "-composite", ")", "-compose", "multiply", "-composite", "-quality", "85", moire});
    const auto out = process(moire);
    ASSERT_FALSE(out->has("error")) << out->getObject("error")->getValue<std::string>("message");
    EXPECT_TRUE(warned(out, "photo d'écran")) << all_warnings(out);
    expect_no_confident_wrong_field(out, {"edf.facture-000-photo"});
}

// Two sheets side by side in one photo, each with its own 2D-Doc.
TEST_F(HostilePages, TwoSheetsInOnePhotoAreSaidSoAndNothingWrongIsSure) {
    const std::string both = dir_.file("deux.jpg");
    magick({kSet + "/edf.facture-000-photo.jpg", kSet + "/impots.avis_ir-000-photo.jpg", "+append", "-resize", "3200x",
            "-quality", "88", both});
    const auto out = process(both);
    ASSERT_FALSE(out->has("error"));
    EXPECT_TRUE(warned(out, "2 documents")) << all_warnings(out);
    expect_no_confident_wrong_field(out, {"edf.facture-000-photo", "impots.avis_ir-000-photo"});
}

// The sheet fills the photo and runs off it at the left and at the top.
TEST_F(HostilePages, ASheetCutByTheFrameGivesWarningsAndNothingWrongIsSure) {
    const std::string cut = dir_.file("coupee.jpg");
    magick({kSet + "/edf.facture-000-photo.jpg", "-gravity", "SouthEast", "-crop", "82%x83%+40+190", "+repage",
            "-quality", "88", cut});
    const auto out = process(cut);
    ASSERT_FALSE(out->has("error"));
    EXPECT_FALSE(warnings_of(out).empty());
    expect_no_confident_wrong_field(out, {"edf.facture-000-photo"});
}

// A phone's screen capture of the bill open in a PDF viewer: the status bar on top (the time,
// the network and battery icons on a dark band), the viewer's title bar, the navigation bar.
TEST_F(HostilePages, APhoneCaptureWithItsStatusBarReadsTheBill) {
    const std::string capture = dir_.file("capture.png");
    magick({"-size", "1080x2340", "xc:#e8e8e8", "(", kSet + "/edf.facture-000-clean.png", "-resize", "1040x", ")",
            "-geometry", "+20+190", "-composite", "-fill", "#202124", "-draw", "rectangle 0,0 1079,110", "-fill",
            "white", "-font", "DejaVu-Sans", "-pointsize", "38", "-annotate", "+40+72", "14:32", "-draw", "rectangle 960,40 1030,75", "-draw",
            "polygon 880,75 920,35 920,75", "-draw", "rectangle 820,60 828,75 rectangle 834,52 842,75", "-fill",
            "#5f6368", "-draw", "rectangle 0,110 1079,180", "-fill", "white", "-pointsize", "30", "-annotate",
            "+40+158", "facture.pdf", "-fill", "#202124", "-draw", "rectangle 0,2240 1079,2339", "-depth", "8",
            capture});
    const auto out = process(capture);
    ASSERT_FALSE(out->has("error"));
    ASSERT_FALSE(out->isNull("document")) << all_warnings(out);
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "edf.facture");
    expect_no_confident_wrong_field(out, {"edf.facture-000-clean"});
}

// A thumbnail: the page in 100 × 100 pixels.
TEST_F(HostilePages, AThumbnailIsSaidTooSmall) {
    const std::string tiny = dir_.file("vignette.png");
    magick({kSet + "/edf.facture-000-clean.png", "-resize", "100x100!", tiny});
    const auto out = process(tiny);
    ASSERT_FALSE(out->has("error"));
    EXPECT_TRUE(warned(out, "trop petite")) << all_warnings(out);
    EXPECT_TRUE(out->getArray("page_info")->getObject(0)->optValue<bool>("illegible", false));
    expect_no_confident_wrong_field(out, {"edf.facture-000-clean"});
}

// A strip one pixel wide: Tesseract's orientation check aborted the whole process on it.
TEST_F(HostilePages, AStripIsRefusedInFrench) {
    const std::string strip = dir_.file("bande.png");
    magick({kSet + "/edf.facture-000-scan200.jpg", "-resize", "1x5000!", strip});
    const auto out = process(strip);
    ASSERT_TRUE(out->has("error"));
    EXPECT_EQ(out->getObject("error")->getValue<std::string>("code"), "not_a_page");
    EXPECT_NE(out->getObject("error")->getValue<std::string>("message").find("trop étroite"), std::string::npos);
}

// The bill's signed 2D-Doc cut in half by the edge of the photo (the right half of the code,
// and of the sheet, out of the picture).
TEST_F(HostilePages, ACodeCutInHalfIsSaidDamagedAndNeverValid) {
    const std::string page = kSet + "/edf.facture-000-photo.jpg";
    const comptoir::Box code = code_box(page);
    ASSERT_GT(code.width, 0);
    const std::string crop = std::to_string(code.x + code.width / 2) + "x" + std::to_string(size_of(page).second) + "+0+0";
    const std::string half = dir_.file("demi-code.jpg");
    magick({page, "-crop", crop, "+repage", "-quality", "90", half});

    const auto out = process(half);
    ASSERT_FALSE(out->has("error"));
    const auto codes = out->getArray("barcodes");
    ASSERT_EQ(codes->size(), 1u) << "le code coupé doit être signalé";
    EXPECT_EQ(codes->getObject(0)->getValue<std::string>("status"), "malformed");
    EXPECT_TRUE(warned(out, "illisible ou abîmé")) << all_warnings(out);
    for (const auto& [key, value] : *out->getObject("fields")) {
        EXPECT_NE(value.extract<Object::Ptr>()->getValue<std::string>("source"), "2ddoc") << key;
    }
    expect_no_confident_wrong_field(out, {"edf.facture-000-photo"});
}

}  // namespace

// Tesseract's French model reads some numbers in bold with a digit twice ("981535502" as
// "9815335502", its confidence low), on the page and on the line alone: once the water bill's
// plugin has taken it for the invoice number, that doubtful number is read again alone, by the
// English model (a number has no language), replaced when it is read surer, and the plugin
// extracts again. The visitor's invoice number must not go out in a letter with a digit too many.
TEST_F(HostilePages, ABoldNumberMisreadWithADigitTwiceIsReadAgainAlone) {
    const std::string page = dir_.file("numero.png");
    magick({"-size", "2480x900", "xc:white", "-fill", "black", "-font", "DejaVu-Serif", "-pointsize", "34",
            "-annotate", "+247+150", "Eau de Paris", "-annotate", "+247+230",
            "Votre facture d'eau potable et assainissement", "-annotate", "+247+330", "Consommation : 42 m3",
            "-annotate", "+247+530", "N° de facture :", "-font", "DejaVu-Serif-Bold", "-annotate", "+620+530",
            "981535502", "-density", "300", "-units", "PixelsPerInch", page});
    const std::string readings = dir_.file("lectures");
    const auto run = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--json", "--ocr-out", readings, page});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto out = parse(run.out);
    ASSERT_TRUE(out->getObject("fields")->has("numero_facture")) << run.out;
    EXPECT_EQ(out->getObject("fields")->getObject("numero_facture")->getValue<std::string>("value"), "981535502");
    EXPECT_GT(out->getObject("timings_ms")->getValue<double>("reread"), 0.0);
    const auto reading = parse(comptoir::test::read_file(readings + "/numero.ocr.json"));
    const auto words = reading->getArray("pages")->getObject(0)->getArray("words");
    std::string number;
    for (size_t i = 0; i < words->size(); ++i) {
        const std::string text = words->getObject(static_cast<unsigned>(i))->getValue<std::string>("text");
        if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) number = text;
    }
    EXPECT_EQ(number, "981535502");
}
