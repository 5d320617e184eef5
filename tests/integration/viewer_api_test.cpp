// The desk's page viewer and scanning through the REST API (issue 30, items 3 and 6): pages at
// display size made once and kept sealed in the spool, the OCR text of a page, what a station's
// device offers (SANE's real test and pnm backends), a scan with choices and an area, and
// "Ajouter une page" making a document of two pages.
#include "comptoir/base/json.hpp"
#include "desk_server.hpp"
#include "hostile_inputs.hpp"
#include "make_inputs.hpp"

#include <leptonica/allheaders.h>

#include <Poco/File.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

using namespace comptoir::test;

namespace {

class ViewerApi : public DeskServerTest {
protected:
    void SetUp() override {
        setMsgSeverity(L_SEVERITY_NONE);
        start("data.dir = data\n"
              "ocr.engines = 2\n"
              "site.name = PIMMS d'essai\nsite.city = Lorient\n"
              "stations.facture.label = Facture EDF\n"
              "stations.facture.device = pnm:0\n"
              "stations.facture.resolution = 200\n"
              "stations.facture.options.filename = " + kBill + "\n"
              "stations.essai.label = Scanner d'essai\n"
              "stations.essai.device = test:0\n"
              "stations.essai.resolution = 50\n");
    }
    std::string spool_file(int64_t id, int64_t document, const std::string& name) const {
        return dir_.file("data/spool/case-" + std::to_string(id) + "/document-" + std::to_string(document) + "/" + name);
    }
    // Waits for a document's reading to end (a page added is followed by its state).
    std::string read_again(const std::string& uri) const {
        return read_to_the_end(port(), uri)->getValue<std::string>("state");
    }
    // The width and height of a PNG answer.
    static std::pair<int, int> size_of(const Reply& reply) {
        EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 200);
        Pix* pix = pixReadMem(reinterpret_cast<const l_uint8*>(reply.body.data()), reply.body.size());
        if (!pix) return {0, 0};
        const std::pair<int, int> size{pixGetWidth(pix), pixGetHeight(pix)};
        pixDestroy(&pix);
        return size;
    }

};

}  // namespace

TEST_F(ViewerApi, APageViewDecodesThePageAskedAndAFewThumbnailsNotTheWholeFile) {
    const int64_t id = new_case(port());
    const std::string pdf = dir_.file("douze-pages.pdf");
    write_text_pdf(pdf, 12, "Relevé de compte");
    const Reply uploaded = upload(port(), id, "douze-pages.pdf", read_file(pdf));
    ASSERT_EQ(uploaded.status, 202) << uploaded.body;
    const int64_t document = uploaded.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const std::string pages = document_uri(id, document) + "/pages/";
    const auto kept = [&](int page, int width) {
        return Poco::File(spool_file(id, document, "page-" + std::to_string(page) + "-w" + std::to_string(width) +
                                                       "-r0.png")).exists();
    };
    EXPECT_EQ(size_of(send(port(), "GET", pages + "1?width=800")).first, 800);
    // The page asked and the next one at that width; thumbnails of a few pages: not all twelve.
    EXPECT_TRUE(kept(1, 800));
    EXPECT_TRUE(kept(2, 800));
    EXPECT_FALSE(kept(3, 800));
    for (int page = 1; page <= 9; ++page) EXPECT_TRUE(kept(page, 160)) << page;
    EXPECT_FALSE(kept(12, 160));
    // A later page is made when it is asked for.
    EXPECT_EQ(size_of(send(port(), "GET", pages + "12?width=160")).first, 160);
    EXPECT_TRUE(kept(12, 160));
}

TEST_F(ViewerApi, AFileTooHeavyToReadSaysSoAndItsPagesAreNotDecoded) {
    const int64_t id = new_case(port());
    // 50 pages of 2 m² each: 5 000 Mpx at 300 dpi, from a file of 6 KB.
    const Reply uploaded = upload(port(), id, "grandes-pages.pdf", big_pages_pdf(50, 2400, 2400));
    ASSERT_EQ(uploaded.status, 202) << uploaded.body;
    const int64_t document = uploaded.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "failed");
    const Reply read = send(port(), "GET", document_uri(id, document));
    EXPECT_NE(read.body.find("too_heavy"), std::string::npos) << read.body.substr(0, 400);
    EXPECT_NE(read.body.find("Ce fichier est trop lourd à lire"), std::string::npos) << read.body.substr(0, 400);
    const Reply view = send(port(), "GET", document_uri(id, document) + "/pages/1?width=800");
    EXPECT_EQ(view.error(), "too_heavy") << view.body.substr(0, 300);
    // The server goes on: health answers.
    EXPECT_EQ(send(port(), "GET", "/api/v1/health").status, 200);
}

TEST_F(ViewerApi, PagesAreServedAtDisplaySizeFromAnEncryptedCache) {
    const int64_t id = new_case(port());
    const std::string pdf = dir_.file("deux-pages.pdf");
    write_text_pdf(pdf, 2, "Avis de situation déclarative");
    const Reply uploaded = upload(port(), id, "deux-pages.pdf", read_file(pdf));
    ASSERT_EQ(uploaded.status, 202) << uploaded.body;
    const int64_t document = uploaded.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const std::string pages = document_uri(id, document) + "/pages/";
    auto& desk = server_->desk();

    // The first look decodes the input once, and keeps the page and every page's thumbnail.
    const Reply first = send(port(), "GET", pages + "1?width=700");
    EXPECT_EQ(size_of(first).first, 800);  // rounded up to a width the server keeps
    EXPECT_EQ(first.content_type, "image/png");
    EXPECT_EQ(desk.page_decodes(), 1);
    for (const std::string name : {"page-1-w800-r0.png", "page-1-w160-r0.png", "page-2-w160-r0.png", "page-2-w800-r0.png"}) {
        const std::string kept = read_file(spool_file(id, document, name));
        EXPECT_EQ(kept.substr(0, 8), "CMPTSPL1") << name << " is sealed";
        EXPECT_EQ(kept.find("\x89PNG"), std::string::npos) << name << " holds no PNG in clear";
    }
    // The next looks, at that width or as thumbnails, come from the spool: no decoding.
    EXPECT_EQ(send(port(), "GET", pages + "1?width=800").body, first.body);
    EXPECT_EQ(size_of(send(port(), "GET", pages + "2?width=160")).first, 160);
    EXPECT_EQ(size_of(send(port(), "GET", pages + "2?width=790")).first, 800);
    EXPECT_EQ(desk.page_decodes(), 1);

    // Widths are bounded: 160 at least, 2400 at most, never wider than the page.
    EXPECT_EQ(size_of(send(port(), "GET", pages + "1?width=3")).first, 160);
    const auto [full_width, full_height] = size_of(send(port(), "GET", pages + "1"));
    EXPECT_GT(full_width, 1600);  // rendered at 300 dpi
    EXPECT_GT(full_height, full_width);
    EXPECT_EQ(size_of(send(port(), "GET", pages + "1?width=999999")).first, std::min(2400, full_width));
    EXPECT_EQ(send(port(), "GET", pages + "1?width=abc").error(), "bad_width");
    EXPECT_EQ(send(port(), "GET", pages + "1?width=-5").status, 400);
    EXPECT_EQ(send(port(), "GET", pages + "3?width=800").status, 404);
    EXPECT_EQ(send(port(), "GET", pages + "3/text").status, 404);

    // The text the reading found on a page.
    const Reply text = send(port(), "GET", pages + "2/text");
    ASSERT_EQ(text.status, 200) << text.body;
    EXPECT_EQ(text.json()->getValue<int>("page"), 2);
    EXPECT_NE(text.json()->getValue<std::string>("text").find("situation"), std::string::npos) << text.body;

    // Forgotten with its case: the cached pages go with it.
    ASSERT_EQ(send(port(), "DELETE", case_uri(id)).status, 200);
    EXPECT_FALSE(Poco::File(spool_file(id, document, "page-1-w800-r0.png")).exists());
}

TEST_F(ViewerApi, AStationSaysWhatItsDeviceOffers) {
    const Reply test = send(port(), "GET", "/api/v1/stations/essai");
    ASSERT_EQ(test.status, 200) << test.body;
    const auto offer = test.json();
    EXPECT_EQ(offer->getValue<std::string>("label"), "Scanner d'essai");
    EXPECT_FALSE(offer->getValue<bool>("duplex")) << "SANE's test backend has no duplex";
    const std::string sources = comptoir::stringify(offer->getArray("sources"));
    EXPECT_NE(sources.find("Flatbed"), std::string::npos) << sources;
    EXPECT_NE(sources.find("Automatic Document Feeder"), std::string::npos) << sources;
    EXPECT_NE(comptoir::stringify(offer->getArray("modes")).find("Color"), std::string::npos);
    const std::string resolutions = comptoir::stringify(offer->getArray("resolutions"));
    EXPECT_NE(resolutions.find("300"), std::string::npos) << resolutions;
    EXPECT_DOUBLE_EQ(offer->getObject("area_mm")->getValue<double>("width"), 200.0);
    EXPECT_EQ(offer->getObject("defaults")->getValue<int>("resolution"), 50);

    // The pnm backend: a list of resolutions, no mode, no source, no area.
    const auto pnm = send(port(), "GET", "/api/v1/stations/facture").json();
    EXPECT_NE(comptoir::stringify(pnm->getArray("resolutions")).find("200"), std::string::npos);
    EXPECT_EQ(pnm->getArray("modes")->size(), 0u);
    EXPECT_TRUE(pnm->isNull("area_mm"));
    EXPECT_EQ(send(port(), "GET", "/api/v1/stations/inconnu").status, 404);
}

TEST_F(ViewerApi, AScanTakesWhatTheDeviceOffersAndAnArea) {
    const int64_t id = new_case(port());
    const auto refused = [&](const std::string& body, const std::string& words) {
        const Reply reply = send(port(), "POST", case_uri(id) + "/scans", body);
        EXPECT_EQ(reply.status, 400) << body;
        EXPECT_EQ(reply.error(), "scan_option") << reply.body;
        EXPECT_NE(reply.body.find(words), std::string::npos) << reply.body;
    };
    refused(R"({"station": "essai", "duplex": true})", "recto verso");
    refused(R"({"station": "essai", "resolution": 5000})", "résolution de 5000 ppp");
    refused(R"({"station": "essai", "mode": "Infrarouge"})", "mode");
    refused(R"({"station": "essai", "area": {"x": 150, "y": 0, "width": 100, "height": 50}})", "200 × 200 mm");
    refused(R"({"station": "essai", "area": {"x": "gauche"}})", "nombre");
    refused(R"({"station": "facture", "area": {"x": 0, "y": 0, "width": 50, "height": 50}})", "zone");
    EXPECT_EQ(send(port(), "GET", case_uri(id)).json()->getArray("documents")->size(), 0u) << "nothing refused was scanned";

    // 100 × 50 mm at 50 dpi: 197 × 98 pixels.
    const Reply scan = send(port(), "POST", case_uri(id) + "/scans",
                            R"({"station": "essai", "resolution": 50, "mode": "Gray", "source": "Flatbed",
                                "area": {"x": 10, "y": 20, "width": 100, "height": 50}})");
    ASSERT_EQ(scan.status, 202) << scan.body;
    const int64_t document = scan.json()->getValue<int64_t>("id");
    follow(port(), id, document);
    const auto [width, height] = size_of(send(port(), "GET", document_uri(id, document) + "/pages/1"));
    EXPECT_NEAR(width, 197, 2);
    EXPECT_NEAR(height, 98, 2);
}

TEST_F(ViewerApi, AddingAPageMakesADocumentOfTwoPages) {
    const int64_t id = new_case(port());
    const Reply uploaded = upload(port(), id, "facture.png", read_file(kBillPng));
    ASSERT_EQ(uploaded.status, 202) << uploaded.body;
    const int64_t document = uploaded.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const std::string uri = document_uri(id, document);
    ASSERT_EQ(size_of(send(port(), "GET", uri + "/pages/1?width=160")).first, 160);

    // A choice the device does not offer: refused, the document left as it was.
    const Reply refused = send(port(), "POST", uri + "/pages", R"({"station": "facture", "duplex": true})");
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(send(port(), "GET", uri).json()->getValue<std::string>("state"), "done");

    const Reply added = send(port(), "POST", uri + "/pages", R"({"station": "facture", "resolution": 200})");
    ASSERT_EQ(added.status, 202) << added.body;
    EXPECT_EQ(added.json()->getValue<int64_t>("id"), document);
    EXPECT_FALSE(Poco::File(spool_file(id, document, "page-1-w160-r0.png")).exists()) << "the one-page file's images are gone";
    EXPECT_EQ(send(port(), "POST", uri + "/pages", R"({"station": "facture"})").status, 409) << "read again first";
    ASSERT_EQ(read_again(uri), "done");
    const auto read = send(port(), "GET", uri).json();
    EXPECT_EQ(read->getValue<int>("pages"), 2);
    EXPECT_FALSE(read->isNull("document")) << "still recognised";
    EXPECT_EQ(size_of(send(port(), "GET", uri + "/pages/2?width=160")).first, 160);
    EXPECT_EQ(send(port(), "GET", uri + "/pages/3?width=160").status, 404);
}
