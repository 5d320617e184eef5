// `comptoir process` on pages carrying a 2D-Doc drawn here: a valid test code, one whose field
// was changed after signing, one of a certificate nobody has, a damaged one, a DataMatrix that
// is no 2D-Doc. Each is reported with its status and, for the mediator, a French warning; the
// values of a code that fails its signature are not used; nothing stops the other inputs.
#include "comptoir/reading/twoddoc.hpp"
#include "test_support.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <leptonica/allheaders.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using comptoir::test::TempDir;

using comptoir::test::read_file;

namespace {

// A 200 dpi A4 page, white but for `payload` drawn as a DataMatrix near its top right corner.
void write_page(const std::string& path, const std::string& payload) {
    const auto matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::DataMatrix).setMargin(0).encode(payload, 0, 0);
    Pix* page = pixCreate(1654, 2339, 8);
    pixSetAll(page);
    const int module = 4;  // 0.5 mm at 200 dpi
    for (int y = 0; y < matrix.height(); ++y) {
        for (int x = 0; x < matrix.width(); ++x) {
            if (matrix.get(x, y)) pixRasterop(page, 1400 + x * module, 60 + y * module, module, module, PIX_CLR, nullptr, 0, 0);
        }
    }
    pixSetResolution(page, 200, 200);
    ASSERT_EQ(pixWrite(path.c_str(), page, IFF_PNG), 0);
    pixDestroy(&page);
}

const std::string kNotice = "DC04FR000001FFFF23DC2801FR432,75\x1d" "442278012345678452021473001123456789\x1d";

}  // namespace

TEST(TwoDDocProcess, EachCodeIsReportedWithItsStatusAndTheMediatorIsWarned) {
    TempDir dir;
    dir.write("plugins/.keep", "");
    for (const char* plugin : {"impots.so", "libre.so"}) {
        comptoir::test::copy_file(std::string(COMPTOIR_BUILD_PLUGINS_DIR) + "/" + plugin, dir.file(std::string("plugins/") + plugin));
    }
    const auto config = dir.write("comptoir.properties", "plugins.dir = plugins\nocr.engines = 2\n");
    const std::string key = read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/test_key.pem");
    const std::string valid = comptoir::twoddoc::sign(kNotice, key);
    std::string altered = valid;
    altered.replace(altered.find("452021"), 6, "452022");  // the year changed after signing
    const std::string unknown = comptoir::twoddoc::sign("DC04FR000002FFFF23DC2801FR442278012345678\x1d", key);
    write_page(dir.file("valide.png"), valid);
    write_page(dir.file("altere.png"), altered);
    write_page(dir.file("inconnu.png"), unknown);
    write_page(dir.file("abime.png"), valid.substr(0, valid.find('\x1f')));  // its signature cut off
    write_page(dir.file("autre.png"), "Colis 8R123456789FR");

    const auto run = comptoir::test::run_process(
        COMPTOIR_BINARY, {"process", "--config", config, "--json", dir.file("valide.png"), dir.file("altere.png"),
                          dir.file("inconnu.png"), dir.file("abime.png"), dir.file("autre.png")});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<Poco::JSON::Object::Ptr> out;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) out.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
    ASSERT_EQ(out.size(), 5u) << run.out;

    const auto status = [](const Poco::JSON::Object::Ptr& result) {
        const auto codes = result->getArray("barcodes");
        return codes->size() == 1 ? codes->getObject(0)->getValue<std::string>("status") : std::to_string(codes->size()) + " codes";
    };
    const auto warned = [](const Poco::JSON::Object::Ptr& result, const std::string& words) {
        const auto warnings = result->getArray("warnings");
        for (size_t i = 0; warnings && i < warnings->size(); ++i) {
            if (warnings->getElement<std::string>(i).find(words) != std::string::npos) return true;
        }
        return false;
    };
    const auto field = [](const Poco::JSON::Object::Ptr& result, const std::string& name, const std::string& what) {
        const auto fields = result->getObject("fields");
        return fields && fields->has(name) ? fields->getObject(name)->getValue<std::string>(what) : std::string("(absent)");
    };

    EXPECT_EQ(status(out[0]), "valid");
    EXPECT_TRUE(out[0]->getArray("barcodes")->getObject(0)->getValue<bool>("test_authority"));
    EXPECT_TRUE(warned(out[0], "code de test"));
    // The code names the document, however little the page says.
    ASSERT_FALSE(out[0]->isNull("document"));
    EXPECT_EQ(field(out[0], "numero_fiscal", "value"), "3001123456789");
    EXPECT_EQ(field(out[0], "numero_fiscal", "source"), "2ddoc");
    const auto box = out[0]->getObject("fields")->getObject("numero_fiscal")->getArray("box");
    EXPECT_NEAR(box->getElement<int>(0), 1400, 10);  // where the code is on the page as loaded

    EXPECT_EQ(status(out[1]), "invalid_signature");
    EXPECT_TRUE(warned(out[1], "a pu être modifié"));
    EXPECT_EQ(field(out[1], "annee_revenus", "value"), "(absent)");  // its values are not used

    EXPECT_EQ(status(out[2]), "unknown_certificate");
    EXPECT_TRUE(warned(out[2], "n'a pas pu être vérifié"));

    EXPECT_EQ(status(out[3]), "malformed");
    EXPECT_TRUE(warned(out[3], "illisible ou abîmé"));

    EXPECT_EQ(status(out[4]), "0 codes");  // a DataMatrix, but not a 2D-Doc
}

TEST(TwoDDocProcess, AMisconfiguredTrustListIsSaidAndThePageStillRead) {
    TempDir dir;
    const auto config = dir.write("comptoir.properties", "ocr.engines = 1\ntwoddoc.trust_list = absente.xml\n");
    write_page(dir.file("valide.png"),
               comptoir::twoddoc::sign(kNotice, read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/test_key.pem")));
    const auto run = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--config", config, "--json", dir.file("valide.png")});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const auto out = Poco::JSON::Parser().parse(run.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_FALSE(out->has("error")) << run.out;
    EXPECT_EQ(out->getArray("barcodes")->size(), 0u);
    const auto warnings = out->getArray("warnings");
    ASSERT_TRUE(warnings);
    EXPECT_NE(warnings->getElement<std::string>(0).find("twoddoc.trust_list"), std::string::npos) << run.out;
}

TEST(TwoDDocProcess, NoSearchWhenTheSiteTurnsItOff) {
    TempDir dir;
    const auto config = dir.write("comptoir.properties", "ocr.engines = 1\ntwoddoc.search_ms = 0\n");
    write_page(dir.file("valide.png"),
               comptoir::twoddoc::sign(kNotice, read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/test_key.pem")));
    const auto run = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--config", config, "--json", dir.file("valide.png")});
    const auto out = Poco::JSON::Parser().parse(run.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(out->getArray("barcodes")->size(), 0u);
}
