// Cases through the REST API: the real server on a free port, a real SQLite file, SANE's pnm
// and test backends as the site's stations, real OCR and plugins. The whole flow on the demo's
// bill station, uploads of each format, two cases at once, bad requests, and a restart.
#include "comptoir/app/options.hpp"
#include "comptoir/web/api.hpp"
#include "comptoir/app/config.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/web/http_server.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/scanners.hpp"
#include "comptoir/cases/spool_crypto.hpp"
#include "comptoir/cases/store.hpp"

#include "make_inputs.hpp"
#include "test_support.hpp"
#include "desk_server.hpp"

#include <leptonica/allheaders.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/FilePartSource.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/String.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using comptoir::test::TempDir;

using namespace comptoir::test;

namespace {

class CasesApi : public ::testing::Test {
protected:
    void SetUp() override {
        config_ = dir_.write("comptoir.properties",
                             "data.dir = data\n"
                             "ocr.engines = 2\n"
                             "limits.upload_bytes = 3000000\n"
                             "site.name = PIMMS d'essai\nsite.city = Lorient\n"
                             "stations.facture.label = Facture EDF\n"
                             "stations.facture.device = pnm:0\n"
                             "stations.facture.resolution = 200\n"
                             "stations.facture.options.filename = " + kBill + "\n"
                             "stations.lent.label = Scanner lent\n"
                             "stations.lent.match = Noname frontend-tester\n"
                             "stations.lent.resolution = 50\n"
                             "stations.lent.options.read-delay = yes\n"
                             "stations.lent.options.read-delay-duration = 100000\n"
                             "stations.lent.options.read-limit = yes\n"
                             "stations.lent.options.read-limit-size = 2000\n"
                             "stations.lent.options.test-picture = Solid white\n");
        server_ = std::make_unique<Server>(config_);
        sign_in(port(), server_->desk());
    }
    void TearDown() override {
        server_.reset();
        credentials = {};
    }
    // After a restart the sessions are gone (they live in memory): sign in again.
    void restart(const std::string& config) {
        server_.reset();
        server_ = std::make_unique<Server>(config);
        sign_in(port(), server_->desk());
    }
    uint16_t port() const { return server_->port(); }
    std::string case_uri(int64_t id) const { return "/api/v1/cases/" + std::to_string(id); }

    TempDir dir_;
    std::string config_;
    std::unique_ptr<Server> server_;
};

}  // namespace

TEST_F(CasesApi, TheWholeFlowOnTheDemoStation) {
    const int64_t id = new_case(port());
    // Anonymous: a case starts with nothing about the visitor.
    const auto opened = send(port(), "GET", case_uri(id)).json();
    EXPECT_EQ(opened->getValue<std::string>("state"), "open");
    EXPECT_EQ(opened->getArray("documents")->size(), 0u);

    const Reply scan = send(port(), "POST", case_uri(id) + "/scans", R"({"station": "facture"})");
    ASSERT_EQ(scan.status, 202) << scan.body;
    const int64_t document = scan.json()->getValue<int64_t>("id");
    EXPECT_EQ(scan.json()->getValue<std::string>("state"), "scanning");
    const Followed followed = follow(port(), id, document);
    ASSERT_EQ(followed.state, "done");
    EXPECT_NE(std::find(followed.stages.begin(), followed.stages.end(), "scan"), followed.stages.end());
    EXPECT_NE(std::find(followed.stages.begin(), followed.stages.end(), "ocr"), followed.stages.end());

    const auto read = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document)).json();
    ASSERT_FALSE(read->isNull("document")) << "la facture de démonstration doit être reconnue";
    EXPECT_EQ(read->getObject("document")->getValue<std::string>("kind"), "edf.facture");
    const auto fields = read->getObject("fields");
    ASSERT_TRUE(fields->has("montant_ttc"));
    const std::string read_amount = fields->getObject("montant_ttc")->getValue<std::string>("value");
    EXPECT_EQ(read->getArray("barcodes")->getObject(0)->getValue<std::string>("status"), "valid");

    // The page as scanned, for the desk to show.
    const Reply page = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/pages/1");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type, "image/png");
    EXPECT_EQ(page.body.substr(1, 3), "PNG");

    // The mediator corrects the amount, typed the French way. It was read from the bill's signed
    // 2D-Doc: she is asked to confirm first.
    const std::string amount_uri = case_uri(id) + "/documents/" + std::to_string(document) + "/fields/montant_ttc";
    ASSERT_EQ(fields->getObject("montant_ttc")->getValue<std::string>("source"), "2ddoc");
    const Reply unconfirmed = send(port(), "PUT", amount_uri, R"({"value": "1 234,56"})");
    EXPECT_EQ(unconfirmed.status, 409);
    EXPECT_EQ(unconfirmed.error(), "confirm_needed");
    EXPECT_EQ(send(port(), "GET", case_uri(id)).json()->getArray("documents")->size(), 1u);
    const Reply corrected = send(port(), "PUT", amount_uri, R"({"value": "1 234,56", "confirm": true, "by": "quelqu'un d'autre"})");
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    const auto field = corrected.json();
    EXPECT_EQ(field->getValue<std::string>("value"), "1234.56");
    EXPECT_EQ(field->getValue<std::string>("source"), "manual");
    EXPECT_EQ(field->getObject("corrected")->getValue<std::string>("from"), read_amount);
    EXPECT_EQ(field->getObject("corrected")->getValue<std::string>("by"), "mediatrice");  // the signed-in account
    EXPECT_EQ(field->getArray("history")->size(), 1u);
    // A correction is checked as the plugin declares the field: a PDL of 13 digits is flagged,
    // not refused; the one read on the bill passes.
    const std::string pdl_uri = case_uri(id) + "/documents/" + std::to_string(document) + "/fields/pdl";
    const std::string read_pdl = fields->getObject("pdl")->getValue<std::string>("value");
    const Reply short_pdl = send(port(), "PUT", pdl_uri, R"({"value": "2504210468950"})");
    ASSERT_EQ(short_pdl.status, 200) << short_pdl.body;
    EXPECT_EQ(short_pdl.json()->getValue<std::string>("check"), "failed");
    const Reply right_pdl = send(port(), "PUT", pdl_uri, "{\"value\": \"" + read_pdl + "\"}");
    EXPECT_EQ(right_pdl.json()->getValue<std::string>("check"), "ok") << right_pdl.body;
    const Reply no_date = send(port(), "PUT", case_uri(id) + "/documents/" + std::to_string(document) + "/fields/date_facture",
                               R"({"value": "30/02/2026"})");
    EXPECT_EQ(no_date.status, 400);
    EXPECT_NE(no_date.json()->getObject("error")->getValue<std::string>("message").find("n'existe pas"), std::string::npos);

    // The letters offered, their questions; one written, first without its answers.
    const auto offered = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/letters").json();
    bool has_delay = false;
    for (size_t i = 0; i < offered->getArray("letters")->size(); ++i) {
        const auto letter = offered->getArray("letters")->getObject(static_cast<unsigned>(i));
        if (letter->getValue<std::string>("id") != "edf.delai_paiement") continue;
        has_delay = true;
        EXPECT_GT(letter->getArray("questions")->size(), 1u);
    }
    EXPECT_TRUE(has_delay);
    const std::string letters_uri = case_uri(id) + "/documents/" + std::to_string(document) + "/letters";
    const Reply missing = send(port(), "POST", letters_uri, R"({"letter": "edf.delai_paiement", "answers": {}})");
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(missing.error(), "missing_values");
    EXPECT_GE(missing.json()->getObject("error")->getArray("missing")->size(), 1u);
    const Reply written = send(port(), "POST", letters_uri,
                               R"({"letter": "edf.delai_paiement", "answers": {"nombre_mois": "6",
                                   "expediteur_nom": "Marie Fontaine", "expediteur_adresse": "3 rue des Lilas\n56100 Lorient"}})");
    ASSERT_EQ(written.status, 201) << written.body;
    const Reply pdf = send(port(), "GET", written.json()->getValue<std::string>("url"));
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.content_type, "application/pdf");
    // Shown in the desk's preview frame: framed by the site's own pages, by no other.
    EXPECT_EQ(pdf.headers.get("X-Frame-Options", ""), "SAMEORIGIN");
    EXPECT_NE(pdf.headers.get("Content-Security-Policy", "").find("frame-ancestors 'self'"), std::string::npos);
    const std::string pdf_path = dir_.write("courrier.pdf", pdf.body);
    const auto text = comptoir::test::run_process("/usr/bin/pdftotext", {"-enc", "UTF-8", pdf_path, "-"});
    EXPECT_NE(text.out.find("1 234,56"), std::string::npos) << "the corrected amount is in the letter:\n" << text.out;

    // The case lists its document and letter; closed, it takes nothing more.
    const auto full = send(port(), "GET", case_uri(id)).json();
    EXPECT_EQ(full->getArray("documents")->size(), 1u);
    EXPECT_EQ(full->getArray("letters")->size(), 1u);
    EXPECT_EQ(send(port(), "POST", case_uri(id) + "/close").json()->getValue<std::string>("state"), "closed");
    EXPECT_EQ(send(port(), "POST", case_uri(id) + "/scans", R"({"station": "facture"})").status, 409);
    EXPECT_EQ(upload(port(), id, "x.png", comptoir::test::read_file(kBillPng)).status, 409);
}

TEST_F(CasesApi, EachFormatCanBeUploaded) {
    const int64_t id = new_case(port());
    // The demo bill as PNG, JPEG and TIFF (written by Leptonica), and a PDF with a text layer.
    Pix* bill = pixRead(kBillPng.c_str());
    ASSERT_NE(bill, nullptr);
    const std::string jpeg = dir_.file("facture.jpg");
    const std::string tiff = dir_.file("facture.tif");
    ASSERT_EQ(pixWrite(jpeg.c_str(), bill, IFF_JFIF_JPEG), 0);
    ASSERT_EQ(pixWrite(tiff.c_str(), bill, IFF_TIFF_ZIP), 0);
    // And a photo of it taken with the phone held sideways (turned a quarter clockwise).
    const std::string sideways = dir_.file("photo-de-cote.png");
    Pix* turned = pixRotateOrth(bill, 1);
    ASSERT_EQ(pixWrite(sideways.c_str(), turned, IFF_PNG), 0);
    pixDestroy(&turned);
    const int bill_width = pixGetWidth(bill);
    const int bill_height = pixGetHeight(bill);
    pixDestroy(&bill);
    const std::string pdf = dir_.file("lettre.pdf");
    comptoir::test::write_text_pdf(pdf, 2, "Lorient, le 12 mars 2024. Objet : votre dossier.");
    std::vector<std::pair<std::string, int64_t>> documents;
    for (const auto& [name, path] : std::vector<std::pair<std::string, std::string>>{
             {"facture.png", kBillPng}, {"facture.jpg", jpeg}, {"facture.tif", tiff}, {"lettre.pdf", pdf},
             {"photo-de-cote.png", sideways}}) {
        const Reply reply = upload(port(), id, name, comptoir::test::read_file(path));
        ASSERT_EQ(reply.status, 202) << name << " " << reply.body;
        EXPECT_EQ(reply.json()->getValue<std::string>("filename"), name);
        documents.emplace_back(name, reply.json()->getValue<int64_t>("id"));
    }
    for (const auto& [name, document] : documents) {
        EXPECT_EQ(follow(port(), id, document).state, "done") << name;
        const auto read = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document)).json();
        EXPECT_EQ(read->getValue<std::string>("state"), "done") << name;
        if (name == "lettre.pdf") {
            EXPECT_EQ(read->getValue<int>("pages"), 2);
            EXPECT_TRUE(read->getArray("page_info")->getObject(0)->getValue<bool>("text_layer"));
        } else {
            EXPECT_EQ(read->getObject("document")->getValue<std::string>("kind"), "edf.facture") << name;
        }
        if (name == "photo-de-cote.png") {
            // Turned back for the reading, said to the mediator, and shown upright: the page
            // served and the page the boxes refer to are the bill as it stands.
            const auto info = read->getArray("page_info")->getObject(0);
            EXPECT_EQ(info->getValue<int>("rotation"), 270);
            EXPECT_EQ(info->getValue<int>("width"), bill_width);
            EXPECT_EQ(info->getValue<int>("height"), bill_height);
            const auto warnings = read->getArray("warnings");
            bool said = false;
            for (size_t i = 0; i < warnings->size(); ++i) {
                said |= warnings->getElement<std::string>(i).find("était de côté") != std::string::npos;
            }
            EXPECT_TRUE(said) << "le médiateur doit savoir que la page a été tournée";
            const Reply page = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/pages/1");
            ASSERT_EQ(page.status, 200);
            const auto be32 = [&page](size_t at) {
                return (static_cast<unsigned char>(page.body[at]) << 24) | (static_cast<unsigned char>(page.body[at + 1]) << 16) |
                       (static_cast<unsigned char>(page.body[at + 2]) << 8) | static_cast<unsigned char>(page.body[at + 3]);
            };
            ASSERT_GT(page.body.size(), 24u);
            EXPECT_EQ(be32(16), bill_width);  // the PNG's IHDR: width, then height
            EXPECT_EQ(be32(20), bill_height);
        }
    }
}

TEST_F(CasesApi, TwoCasesAtOnceKeepToThemselves) {
    std::vector<std::thread> visits;
    std::vector<std::string> problems(2);
    for (int visit = 0; visit < 2; ++visit) {
        visits.emplace_back([&, visit] {
            const int64_t id = new_case(port());
            const Reply reply = upload(port(), id, "facture.png", comptoir::test::read_file(kBillPng));
            if (reply.status != 202) {
                problems[visit] = "upload " + std::to_string(reply.status);
                return;
            }
            const int64_t document = reply.json()->getValue<int64_t>("id");
            if (follow(port(), id, document).state != "done") problems[visit] = "not done";
            const std::string value = visit == 0 ? "111,11" : "222,22";
            const Reply put = send(port(), "PUT", case_uri(id) + "/documents/" + std::to_string(document) +
                                                      "/fields/montant_ttc",
                                   "{\"confirm\": true, \"value\": \"" + value + "\"}");
            if (put.status != 200) problems[visit] = "put " + put.body;
            const auto fields = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/fields")
                                    .json()
                                    ->getObject("fields");
            const std::string expected = visit == 0 ? "111.11" : "222.22";
            if (fields->getObject("montant_ttc")->getValue<std::string>("value") != expected) {
                problems[visit] = "another case's value";
            }
            const auto other = send(port(), "GET", case_uri(id)).json();
            if (other->getArray("documents")->size() != 1) problems[visit] = "documents of another case";
        });
    }
    for (auto& visit : visits) visit.join();
    EXPECT_EQ(problems[0], "");
    EXPECT_EQ(problems[1], "");
}

TEST_F(CasesApi, BadRequestsGetTheirStatusAndAFrenchJsonError) {
    const int64_t id = new_case(port());
    const auto expect = [](const Reply& reply, int status, const std::string& code) {
        EXPECT_EQ(reply.status, status) << reply.body;
        EXPECT_EQ(reply.error(), code);
        EXPECT_FALSE(reply.json()->getObject("error")->getValue<std::string>("message").empty());
    };
    expect(send(port(), "GET", "/api/v1/cases/9999"), 404, "case_not_found");
    expect(send(port(), "GET", "/api/v1/cases/abc"), 404, "not_found");
    expect(send(port(), "GET", case_uri(id) + "/documents/77"), 404, "document_not_found");
    expect(send(port(), "POST", case_uri(id) + "/scans", "station=facture", "application/x-www-form-urlencoded"), 415,
           "not_json");
    expect(send(port(), "POST", case_uri(id) + "/scans", "{\"station\": "), 400, "bad_json");
    expect(send(port(), "POST", case_uri(id) + "/scans", "[1, 2]"), 400, "bad_json");
    expect(send(port(), "POST", case_uri(id) + "/scans", R"({"station": "cave"})"), 404, "station_not_found");
    expect(send(port(), "POST", case_uri(id) + "/uploads", "{}"), 415, "not_multipart");
    expect(upload(port(), id, "notes.txt", "Bonjour, ceci n'est pas une image."), 415, "unsupported_format");
    expect(upload(port(), id, "vide.png", ""), 422, "empty_file");
    // Larger than limits.upload_bytes (3 MB here): refused from its announced length, and, when
    // the length is not announced, as soon as the part outgrows the limit.
    const std::string big(3'500'000, '\x89');
    expect(upload(port(), id, "grande.png", big), 413, "too_large");
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", port());
        Poco::Net::HTTPRequest request("POST", case_uri(id) + "/uploads", Poco::Net::HTTPMessage::HTTP_1_1);
        authenticate(request);
        Poco::Net::HTMLForm form;
        form.setEncoding(Poco::Net::HTMLForm::ENCODING_MULTIPART);
        form.addPart("file", new Poco::Net::StringPartSource(big, "image/png", "grande.png"));
        form.prepareSubmit(request);
        request.setChunkedTransferEncoding(true);
        try {
            form.write(session.sendRequest(request));
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            EXPECT_EQ(response.getStatus(), 413) << body;
        } catch (const Poco::Exception&) {
            // The server may close the connection before the whole body is sent: refused too.
        }
    }
    // A scan on a busy station: the slow test scanner takes seconds for its page.
    const Reply first = send(port(), "POST", case_uri(id) + "/scans", R"({"station": "lent"})");
    ASSERT_EQ(first.status, 202) << first.body;
    expect(send(port(), "POST", case_uri(id) + "/scans", R"({"station": "lent"})"), 409, "station_busy");
    const auto stations = send(port(), "GET", "/api/v1/stations").json()->getArray("stations");
    for (size_t i = 0; i < stations->size(); ++i) {
        const auto station = stations->getObject(static_cast<unsigned>(i));
        if (station->getValue<std::string>("id") == "lent") {
            EXPECT_TRUE(station->getValue<bool>("busy"));
        }
    }
    const int64_t slow = first.json()->getValue<int64_t>("id");
    EXPECT_EQ(follow(port(), id, slow).state, "done");
    // Fields: not a key of the document's plugin, a value that is no amount, a letter not offered.
    const Reply bill = upload(port(), id, "facture.png", comptoir::test::read_file(kBillPng));
    const int64_t document = bill.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const std::string fields_uri = case_uri(id) + "/documents/" + std::to_string(document) + "/fields/";
    expect(send(port(), "PUT", fields_uri + "numero_fiscal", R"({"value": "1"})"), 400, "unknown_field");
    expect(send(port(), "PUT", fields_uri + "montant_ttc", R"({"value": "beaucoup"})"), 400, "invalid_value");
    expect(send(port(), "PUT", fields_uri + "montant_ttc", R"({"valeur": "12"})"), 400, "no_value");
    expect(send(port(), "POST", case_uri(id) + "/documents/" + std::to_string(document) + "/letters",
                R"({"letter": "impots.reclamation"})"),
           400, "letter_not_offered");
    expect(send(port(), "PATCH", case_uri(id)), 405, "method_not_allowed");
    // The server is still there for everyone.
    EXPECT_EQ(send(port(), "GET", "/api/v1/health").status, 200);
}

TEST_F(CasesApi, ARestartKeepsTheCases) {
    const int64_t id = new_case(port());
    const Reply reply = upload(port(), id, "facture.png", comptoir::test::read_file(kBillPng));
    const int64_t document = reply.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    ASSERT_EQ(send(port(), "PUT", case_uri(id) + "/documents/" + std::to_string(document) + "/fields/montant_ttc",
                   R"({"confirm": true, "value": "99,90"})")
                  .status,
              200);
    const Reply letter = send(port(), "POST", case_uri(id) + "/documents/" + std::to_string(document) + "/letters",
                              R"({"letter": "libre.courrier", "answers": {"expediteur_nom": "A. B.",
                                  "expediteur_adresse": "1 rue X", "destinataire": "Mairie\n56100 Lorient", "objet": "Demande",
                                  "texte": "Bonjour."}})");
    ASSERT_EQ(letter.status, 201) << letter.body;

    restart(config_);  // the server stops: everything it knew is in data/
    const auto again = send(port(), "GET", case_uri(id)).json();
    ASSERT_EQ(again->getArray("documents")->size(), 1u);
    EXPECT_EQ(again->getArray("documents")->getObject(0)->getValue<std::string>("state"), "done");
    const auto fields = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/fields").json();
    EXPECT_EQ(fields->getObject("fields")->getObject("montant_ttc")->getValue<std::string>("value"), "99.90");
    ASSERT_EQ(again->getArray("letters")->size(), 1u);
    const Reply pdf = send(port(), "GET", again->getArray("letters")->getObject(0)->getValue<std::string>("url"));
    EXPECT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
    EXPECT_EQ(server_->desk().store().schema_version(), comptoir::Store::kSchemaVersion);
    // A new case after the restart takes the next number.
    EXPECT_GT(new_case(port()), id);
}

TEST_F(CasesApi, WhatAStoppedServerLeftUnreadIsReadAtTheNextStart) {
    const int64_t id = new_case(port());
    server_.reset();
    int64_t queued = 0;
    int64_t scanning = 0;
    {
        // As a crash leaves it: an upload saved but not read, a scan cut before its pages were kept.
        comptoir::Store store(dir_.file("data"));
        comptoir::DocumentRecord upload_record;
        upload_record.case_id = id;
        upload_record.source = "upload";
        upload_record.filename = "facture.png";
        // A stopped instance's: the upload queued then claimed, its reading under way.
        queued = store.add_document(upload_record, "stopped").id;
        // As the server writes it: encrypted with the site's key.
        const std::string path = comptoir::Spool(dir_.file("data")).input_path(id, queued, "png");
        comptoir::SpoolCrypto::from_options(comptoir::storage_options(comptoir::Config::load(config_)))
            .write_file(path, comptoir::test::read_file(kBillPng));
        ASSERT_TRUE(store.release_job(*store.held_job(queued, "stopped"), path));
        store.heartbeat("stopped", "host", 1, comptoir::now_ms());
        const auto claim = store.claim_job("stopped", 0);
        ASSERT_TRUE(claim);
        ASSERT_TRUE(store.job_progress(*claim, "reading", "ocr", 50, 1, 1));
        comptoir::DocumentRecord scan_record;
        scan_record.case_id = id;
        scan_record.source = "scan";
        scan_record.station = "facture";
        scan_record.state = "scanning";
        scanning = store.add_document(scan_record, "stopped").id;  // held while the scan ran
    }
    server_ = std::make_unique<Server>(config_);
    sign_in(port(), server_->desk());
    EXPECT_EQ(follow(port(), id, queued).state, "done");
    const auto read = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(queued)).json();
    EXPECT_EQ(read->getObject("document")->getValue<std::string>("kind"), "edf.facture");
    const auto cut = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(scanning)).json();
    EXPECT_EQ(cut->getValue<std::string>("state"), "failed");
    EXPECT_EQ(cut->getObject("error")->getValue<std::string>("code"), "interrupted");
}

TEST_F(CasesApi, EventStreamsNeverTakeEveryThreadOfTheServer) {
    server_.reset();
    TempDir small;
    server_ = std::make_unique<Server>(small.write("comptoir.properties", "data.dir = data\nserver.threads = 4\n"));
    sign_in(port(), server_->desk());
    const int64_t id = new_case(port());
    // server.threads = 4: two pages may follow cases, the third is told to close tabs.
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
    const auto open = [&]() {
        auto session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port());
        Poco::Net::HTTPRequest request("GET", case_uri(id) + "/events", Poco::Net::HTTPMessage::HTTP_1_1);
        authenticate(request);
        session->sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        std::string first;
        if (response.getStatus() == 200) std::getline(in, first);  // "event: state": the stream is on
        sessions.push_back(std::move(session));
        return response.getStatus();
    };
    EXPECT_EQ(open(), 200);
    EXPECT_EQ(open(), 200);
    const Reply refused = send(port(), "GET", case_uri(id) + "/events");
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.error(), "too_many_streams");
    EXPECT_EQ(send(port(), "GET", case_uri(id)).status, 200);  // the other requests are still answered
    sessions.clear();  // the pages close; the server notices within a second
    server_.reset();   // before its data folder goes
}

// ---- Accounts and sessions ------------------------------------------------------------------

namespace {

// A path of the route table with its {params} filled with ids of this case and document.
std::string filled(std::string pattern, int64_t case_id, int64_t document_id) {
    const std::map<std::string, std::string> values = {{"{case}", std::to_string(case_id)},
                                                       {"{document}", std::to_string(document_id)},
                                                       {"{page}", "1"}, {"{key}", "montant_ttc"},
                                                       {"{letter}", "1"}, {"{station}", "facture"}};
    for (const auto& [name, value] : values) {
        for (size_t at = pattern.find(name); at != std::string::npos; at = pattern.find(name)) pattern.replace(at, name.size(), value);
    }
    return pattern;
}

}  // namespace

TEST_F(CasesApi, EveryRouteButHealthAndLoginNeedsASessionAndAdminRoutesTheAdmin) {
    // A case with a read document, so that every route has something to answer about.
    const int64_t id = new_case(port());
    const Reply bill = upload(port(), id, "facture.png", comptoir::test::read_file(kBillPng));
    const int64_t document = bill.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const Credentials mediator = credentials;

    comptoir::Config config = comptoir::Config::load(config_);
    comptoir::PluginRegistry registry;
    comptoir::ApiContext context{comptoir::api_options(config), registry, &server_->desk()};
    const auto routes = comptoir::make_api_router(context)->routes();
    ASSERT_GT(routes.size(), 20u);
    size_t checked = 0;
    for (const auto& route : routes) {
        SCOPED_TRACE(route.method + " " + route.pattern);
        if (route.pattern == "/api/v1/cases/{case}/events") continue;  // a stream: checked below
        const std::string uri = filled(route.pattern, id, document);
        credentials = {};
        const Reply anonymous = send(port(), route.method, uri, route.method == "GET" ? "" : "{}");
        if (route.access == comptoir::Access::open) {
            EXPECT_TRUE(anonymous.status < 400 || anonymous.error() != "not_signed_in") << anonymous.body;
            continue;
        }
        EXPECT_EQ(anonymous.status, 401) << anonymous.body;
        EXPECT_EQ(anonymous.error(), "not_signed_in");
        credentials = mediator;
        if (route.method != "GET") {
            credentials.csrf = "pas-le-bon";
            const Reply forged = send(port(), route.method, uri, "{}");
            EXPECT_EQ(forged.status, 403);
            EXPECT_EQ(forged.error(), "csrf");
            credentials = mediator;
        }
        if (route.access == comptoir::Access::admin) {
            const Reply refused = send(port(), route.method, uri, "{}");
            EXPECT_EQ(refused.status, 403);
            EXPECT_EQ(refused.error(), "forbidden");
        }
        ++checked;
    }
    EXPECT_GT(checked, 15u);
    credentials = {};
    EXPECT_EQ(send(port(), "GET", case_uri(id) + "/events").status, 401);
    // The administrator may make accounts; the new mediator then signs in.
    sign_in(port(), server_->desk(), "direction", "admin");
    const Reply made = send(port(), "POST", "/api/v1/users", R"({"login": "karim", "role": "mediator", "password": "un-mot-de-passe-long"})");
    EXPECT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(send(port(), "POST", "/api/v1/users", R"({"login": "karim", "password": "un-mot-de-passe-long"})").status, 409);
    EXPECT_EQ(send(port(), "POST", "/api/v1/users", R"({"login": "zoe", "password": "court"})").status, 400);
}

TEST_F(CasesApi, SignInSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession) {
    credentials = {};
    EXPECT_EQ(send(port(), "GET", "/api/v1/me").status, 401);
    server_->desk().accounts().create("lea", "mediator", kTestPassword);
    Poco::Net::HTTPClientSession session("127.0.0.1", port());
    std::string reply;
    const Poco::Net::HTTPResponse response = post_login(session, "lea", kTestPassword, reply);
    ASSERT_EQ(response.getStatus(), 200);
    const std::string set_cookie = response.get("Set-Cookie");
    EXPECT_NE(set_cookie.find("comptoir_session="), std::string::npos);
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP here: Secure only under TLS
    EXPECT_EQ(reply.find(kTestPassword), std::string::npos);
    sign_in(port(), server_->desk(), "lea");
    EXPECT_EQ(send(port(), "GET", "/api/v1/me").json()->getValue<std::string>("login"), "lea");
    EXPECT_EQ(send(port(), "POST", "/api/v1/logout").status, 200);
    EXPECT_EQ(send(port(), "GET", "/api/v1/me").status, 401);  // the old cookie no longer works
}

TEST_F(CasesApi, ServedOverTlsTheCookieIsSecure) {
    // A certificate made for the test, as a site would get one (its own CA, Let's Encrypt…).
    const auto made = comptoir::test::run_process(
        "/usr/bin/openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                             dir_.file("tls.key"), "-out", dir_.file("tls.crt"), "-days", "1", "-subj", "/CN=localhost"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    server_.reset();
    server_ = std::make_unique<Server>(config_, dir_.file("tls.crt"), dir_.file("tls.key"));
    server_->desk().accounts().create("tls", "mediator", kTestPassword);
    Poco::Net::Context::Ptr client = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", dir_.file("tls.crt"),
                                                            Poco::Net::Context::VERIFY_RELAXED);
    Poco::Net::HTTPSClientSession session("localhost", port(), client);
    std::string reply;
    const Poco::Net::HTTPResponse response = post_login(session, "tls", kTestPassword, reply);
    EXPECT_EQ(response.getStatus(), 200) << reply;
    const std::string cookie = Poco::toLower(response.get("Set-Cookie", ""));
    EXPECT_NE(cookie.find("secure"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("httponly"), std::string::npos);
    // Plain HTTP on the TLS port gets no answer.
    EXPECT_ANY_THROW(send(port(), "GET", "/api/v1/health"));
}
