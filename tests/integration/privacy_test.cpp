// Issue 13: what the desk keeps about a visit, for how long, and who sees what. Retention with
// a clock moved forward, forgetting on demand, encryption of the spool, logs without personal
// data, statistics, the audit log and the administrator's routes — on a desk served for real.
#include "desk_server.hpp"

#include "comptoir/app/config.hpp"
#include "comptoir/app/options.hpp"
#include "comptoir/cases/spool_crypto.hpp"
#include "comptoir/reading/twoddoc.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Data/Session.h>
#include <Poco/Channel.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Timespan.h>

#include <mutex>
#include <regex>
#include <set>

#include <sys/stat.h>

using namespace comptoir::test;

namespace {

// Every log line of the process while it is installed (the most verbose level a site can set).
class CapturedLog : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(message.getSource() + " : " + message.getText());
    }
    std::vector<std::string> lines() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

class Privacy : public ::testing::Test {
protected:
    void SetUp() override { start("stations.facture.label = Facture EDF\n"
                                  "stations.facture.device = pnm:0\n"
                                  "stations.facture.resolution = 200\n"
                                  "stations.facture.options.filename = " + kBill + "\n"
                                  "stations.absent.label = Poste du fond\n"
                                  "stations.absent.match = Canon*LiDE*\n"); }
    void start(const std::string& extra) {
        server_.reset();
        config_ = dir_.write("comptoir.properties", "data.dir = data\nocr.engines = 2\nsite.city = Lorient\n" + extra);
        server_ = std::make_unique<Server>(config_);
        sign_in(port(), server_->desk());
    }
    void TearDown() override {
        server_.reset();
        credentials = {};
    }
    uint16_t port() const { return server_->port(); }
    comptoir::Desk& desk() { return server_->desk(); }
    std::string case_uri(int64_t id) const { return "/api/v1/cases/" + std::to_string(id); }
    std::string spool(int64_t id) const { return dir_.file("data") + "/spool/case-" + std::to_string(id); }
    // A case with the demo bill uploaded and read; returns the document's id.
    int64_t read_bill(int64_t id) {
        const Reply sent = upload(port(), id, "facture.png", read_file(kBillPng));
        EXPECT_EQ(sent.status, 202) << sent.body;
        const int64_t document = sent.json()->getValue<int64_t>("id");
        EXPECT_EQ(follow(port(), id, document).state, "done");
        return document;
    }
    void move_clock(Poco::Timespan ahead) {
        desk().set_clock([ahead] { return Poco::Timestamp() + ahead; });
    }
    static Poco::Timespan hours(int n) { return Poco::Timespan(static_cast<long>(n) * 3600, 0); }

    TempDir dir_;
    std::string config_;
    std::unique_ptr<Server> server_;
};

bool exists(const std::string& path) { return Poco::File(path).exists(); }

}  // namespace

TEST_F(Privacy, ClosedCasesGoAfterADayAndOpenOnesAfterAWeek) {
    const int64_t closed = new_case(port());
    read_bill(closed);
    ASSERT_EQ(send(port(), "POST", case_uri(closed) + "/close").status, 200);
    const int64_t open = new_case(port());
    ASSERT_TRUE(exists(spool(closed)));

    move_clock(hours(23));  // a closed case is kept 24 hours
    EXPECT_EQ(desk().purge(), 0);
    EXPECT_EQ(send(port(), "GET", case_uri(closed)).status, 200);

    move_clock(hours(25));
    EXPECT_EQ(desk().purge(), 1);
    EXPECT_EQ(send(port(), "GET", case_uri(closed)).status, 404);
    EXPECT_FALSE(exists(spool(closed))) << "its page image went with it";
    EXPECT_EQ(send(port(), "GET", case_uri(open)).status, 200) << "an open case is not due yet";

    move_clock(hours(7 * 24 - 1));
    EXPECT_EQ(desk().purge(), 0);
    move_clock(hours(7 * 24 + 1));  // at most 7 days, closed or not
    EXPECT_EQ(desk().purge(), 1);
    EXPECT_EQ(send(port(), "GET", case_uri(open)).status, 404);

    // Nothing of them in the base, but the audit log says the purge did it, by number.
    for (const int64_t id : {closed, open}) {
        const auto log = desk().store().audit_log(id, 10);
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(log.front().action, "case.purge");
        EXPECT_EQ(log.front().login, "système");
        EXPECT_TRUE(desk().store().documents_of(id).empty());
    }
}

TEST_F(Privacy, FilesLeftByAPurgeCutShortGoAtTheNextStart) {
    const int64_t id = new_case(port());
    read_bill(id);
    // As a stop between the rows and the folder leaves it: the case gone, its folder there.
    desk().store().delete_case(id);
    ASSERT_TRUE(exists(spool(id)));
    const int64_t kept = new_case(port());
    read_bill(kept);
    start("");
    EXPECT_FALSE(exists(spool(id)));
    EXPECT_TRUE(exists(spool(kept))) << "a live case keeps its files";
}

TEST_F(Privacy, TheRulesComeFromTheConfiguration) {
    start("retention.after_close_hours = 2\nretention.max_days = 1\n");
    const int64_t closed = new_case(port());
    ASSERT_EQ(send(port(), "POST", case_uri(closed) + "/close").status, 200);
    const int64_t open = new_case(port());
    move_clock(hours(3));
    EXPECT_EQ(desk().purge(), 1);
    EXPECT_EQ(send(port(), "GET", case_uri(closed)).status, 404);
    EXPECT_EQ(send(port(), "GET", case_uri(open)).status, 200);
    move_clock(hours(25));
    EXPECT_EQ(desk().purge(), 1);
    EXPECT_EQ(send(port(), "GET", case_uri(open)).status, 404);
}

TEST_F(Privacy, AVisitorWhoAsksIsForgottenAtOnce) {
    const int64_t id = new_case(port());
    const int64_t document = read_bill(id);
    ASSERT_EQ(send(port(), "PUT", case_uri(id) + "/documents/" + std::to_string(document) + "/fields/montant_ttc",
                   R"({"confirm": true, "value": "12,34"})").status, 200);
    const int64_t other = new_case(port());
    const Reply forgotten = send(port(), "DELETE", case_uri(id));  // a mediator may: the visitor is at the desk
    ASSERT_EQ(forgotten.status, 200) << forgotten.body;
    EXPECT_EQ(send(port(), "GET", case_uri(id)).status, 404);
    EXPECT_EQ(send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/pages/1").status, 404);
    EXPECT_FALSE(exists(spool(id)));
    EXPECT_TRUE(desk().store().documents_of(id).empty());
    EXPECT_TRUE(desk().store().corrections_of(document).empty());
    EXPECT_EQ(send(port(), "DELETE", case_uri(id)).error(), "case_not_found");
    EXPECT_EQ(send(port(), "GET", case_uri(other)).status, 200) << "the other cases stay";
    const auto log = desk().store().audit_log(id, 10);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.front().action, "case.forget");
    EXPECT_EQ(log.front().login, "mediatrice");
}

TEST_F(Privacy, ACaseForgottenWhileItsScanRunsLeavesNothingBehind) {
    const int64_t id = new_case(port());
    const Reply scan = send(port(), "POST", case_uri(id) + "/scans", R"({"station": "facture"})");
    ASSERT_EQ(scan.status, 202) << scan.body;
    ASSERT_EQ(send(port(), "DELETE", case_uri(id)).status, 200);
    desk().wait_idle();
    EXPECT_FALSE(exists(spool(id))) << "the job threw its pages away";
    EXPECT_EQ(send(port(), "GET", case_uri(id)).status, 404);
    EXPECT_EQ(send(port(), "GET", "/api/v1/health").status, 200);
}

TEST_F(Privacy, TheSpoolIsEncryptedAndAWrongKeyIsSaidAsSuch) {
    const int64_t id = new_case(port());
    const int64_t document = read_bill(id);
    const std::string letters = case_uri(id) + "/documents/" + std::to_string(document) + "/letters";
    const Reply letter = send(port(), "POST", letters,
                              R"({"letter": "libre.courrier", "answers": {"expediteur_nom": "Lucienne Brochard",
                                  "expediteur_adresse": "1 rue X", "destinataire": "Mairie\n56100 Lorient", "objet": "Demande",
                                  "texte": "Bonjour."}})");
    ASSERT_EQ(letter.status, 201) << letter.body;
    const std::string input = read_file(spool(id) + "/document-" + std::to_string(document) + "/input.png");
    EXPECT_EQ(input.compare(0, 8, "CMPTSPL1"), 0);
    EXPECT_EQ(input.find("IHDR"), std::string::npos) << "no PNG in clear";
    const std::string pdf = read_file(spool(id) + "/document-" + std::to_string(document) + "/letter-" +
                                      std::to_string(letter.json()->getValue<int64_t>("id")) + ".pdf");
    EXPECT_EQ(pdf.compare(0, 8, "CMPTSPL1"), 0);
    EXPECT_EQ(pdf.find("%PDF"), std::string::npos);
    // What the letter was written from (to tell when it is out of date) is encrypted too.
    const std::string inputs = read_file(spool(id) + "/document-" + std::to_string(document) + "/letter-" +
                                         std::to_string(letter.json()->getValue<int64_t>("id")) + ".inputs");
    EXPECT_EQ(inputs.compare(0, 8, "CMPTSPL1"), 0);
    EXPECT_EQ(inputs.find("Lucienne"), std::string::npos);
    // The desk decrypts in memory: the page and the letter come back as they were.
    const Reply page = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/pages/1");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body.compare(1, 3, "PNG"), 0);
    const Reply download = send(port(), "GET", letter.json()->getValue<std::string>("url"));
    EXPECT_EQ(download.body.compare(0, 5, "%PDF-"), 0);
    const std::string key = dir_.file("data") + "/spool.key";
    ASSERT_TRUE(exists(key)) << "a new data folder gets its key";
    struct stat info {};
    ASSERT_EQ(::stat(key.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 077, 0u) << "the key is for the server's account only";

    // Another key: neither the document's values in the base (issue 31: sealed with the same
    // key) nor its files are read, and the message says why.
    comptoir::SpoolCrypto::write_new_key(dir_.file("other.key"));
    start("storage.key_file = other.key\n");
    const Reply wrong = send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/pages/1");
    EXPECT_EQ(wrong.error(), "store_encrypted");
    EXPECT_NE(wrong.body.find("autre clé"), std::string::npos) << wrong.body;
    // After a rotation the old key reads the old files, the new one writes.
    start("storage.key_file = other.key\nstorage.previous_key_file = data/spool.key\n");
    EXPECT_EQ(send(port(), "GET", case_uri(id) + "/documents/" + std::to_string(document) + "/pages/1").status, 200);
    // A key named but missing: the desk does not start, and says which file.
    server_.reset();
    dir_.write("comptoir.properties", "data.dir = data\nstorage.key_file = absente.key\n");
    try {
        Server broken(dir_.file("comptoir.properties"));
        FAIL() << "started without its key";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "storage_key");
        EXPECT_NE(std::string(error.what()).find("absente.key"), std::string::npos);
    }
}

TEST_F(Privacy, NoLogLineCarriesWhatTheDocumentsSay) {
    CapturedLog* captured = new CapturedLog;
    Poco::AutoPtr<Poco::Channel> channel(captured);
    Poco::Channel::Ptr before = Poco::Logger::root().getChannel();
    const int level = Poco::Logger::root().getLevel();
    Poco::Logger::setChannel("", channel);
    Poco::Logger::setLevel("", Poco::Message::PRIO_DEBUG);

    // The whole visit: scan, reading, corrections, a letter with the visitor's name, the PDF,
    // the close, the forgetting.
    const int64_t id = new_case(port());
    const Reply scan = send(port(), "POST", case_uri(id) + "/scans", R"({"station": "facture"})");
    ASSERT_EQ(scan.status, 202) << scan.body;
    const int64_t document = scan.json()->getValue<int64_t>("id");
    ASSERT_EQ(follow(port(), id, document).state, "done");
    const std::string doc_uri = case_uri(id) + "/documents/" + std::to_string(document);
    const auto fields = send(port(), "GET", doc_uri + "/fields").json()->getObject("fields");
    std::set<std::string> secrets = {"Lucienne Brochard", "8 impasse des Hortensias", "4321,09", "4321.09"};
    for (const auto& [key, field] : *fields) {
        const std::string value = field.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("value", "");
        if (value.size() >= 4) secrets.insert(value);  // names, numbers, amounts, dates as read
    }
    ASSERT_GE(secrets.size(), 8u) << "the bill was read";
    ASSERT_EQ(send(port(), "PUT", doc_uri + "/fields/montant_ttc", R"({"confirm": true, "value": "4321,09"})").status, 200);
    const Reply letter = send(port(), "POST", doc_uri + "/letters",
                              R"({"letter": "edf.delai_paiement", "answers": {"nombre_mois": "6",
                                  "expediteur_nom": "Lucienne Brochard",
                                  "expediteur_adresse": "8 impasse des Hortensias\n56100 Lorient"}})");
    ASSERT_EQ(letter.status, 201) << letter.body;
    EXPECT_EQ(send(port(), "GET", letter.json()->getValue<std::string>("url")).status, 200);
    EXPECT_EQ(send(port(), "GET", doc_uri + "/pages/1").status, 200);
    EXPECT_EQ(send(port(), "POST", case_uri(id) + "/close").status, 200);
    EXPECT_EQ(send(port(), "DELETE", case_uri(id)).status, 200);
    desk().wait_idle();

    Poco::Logger::setChannel("", before);
    Poco::Logger::setLevel("", level);
    const auto lines = captured->lines();
    EXPECT_GE(lines.size(), 5u) << "the flow was logged";
    for (const auto& line : lines) {
        for (const auto& secret : secrets) EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in: " << line;
    }
    // Nor the audit log: numbers of cases and keys of fields, never a value.
    for (const auto& entry : desk().store().audit_log(0, 1000)) {
        for (const auto& secret : secrets) EXPECT_EQ(entry.detail.find(secret), std::string::npos) << entry.detail;
    }
}

TEST_F(Privacy, StatisticsCountWithoutSayingWho) {
    const int64_t id = new_case(port());
    const int64_t document = read_bill(id);
    const Reply letter = send(port(), "POST", case_uri(id) + "/documents/" + std::to_string(document) + "/letters",
                              R"({"letter": "edf.delai_paiement", "answers": {"nombre_mois": "3",
                                  "expediteur_nom": "Lucienne Brochard", "expediteur_adresse": "1 rue X"}})");
    ASSERT_EQ(letter.status, 201) << letter.body;
    new_case(port());
    const Reply scan = send(port(), "POST", case_uri(id) + "/scans", R"({"station": "facture"})");
    ASSERT_EQ(follow(port(), id, scan.json()->getValue<int64_t>("id")).state, "done");
    ASSERT_EQ(send(port(), "DELETE", case_uri(id)).status, 200);  // the counts outlive the case

    EXPECT_EQ(send(port(), "GET", "/api/v1/admin/stats").status, 403) << "a mediator does not see them";
    sign_in(port(), desk(), "admin", "admin");
    const auto stats = send(port(), "GET", "/api/v1/admin/stats").json();
    EXPECT_EQ(stats->getObject("totals")->getValue<int>("case"), 2);
    EXPECT_EQ(stats->getObject("totals")->getValue<int>("document"), 2);
    EXPECT_EQ(stats->getObject("totals")->getValue<int>("letter"), 1);
    std::map<std::string, int> per_station;
    for (size_t i = 0; i < stats->getArray("rows")->size(); ++i) {
        const auto row = stats->getArray("rows")->getObject(static_cast<unsigned>(i));
        if (row->getValue<std::string>("event") == "document") {
            EXPECT_EQ(row->getValue<std::string>("partner"), "edf");
            EXPECT_EQ(row->getValue<std::string>("kind"), "edf.facture");
            per_station[row->getValue<std::string>("station")] += row->getValue<int>("count");
        }
        if (row->getValue<std::string>("event") == "letter") {
            EXPECT_EQ(row->getValue<std::string>("letter"), "edf.delai_paiement");
        }
    }
    EXPECT_EQ(per_station["facture"], 1);
    EXPECT_EQ(per_station["dépôt"], 1);

    const Reply csv = send(port(), "GET", "/api/v1/admin/stats.csv");
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.content_type.rfind("text/csv", 0), 0u);
    EXPECT_NE(csv.body.find("jour;événement;poste;partenaire;type de document;courrier;nombre\r\n"), std::string::npos);
    EXPECT_NE(csv.body.find(";courrier écrit;dépôt;edf;edf.facture;edf.delai_paiement;1\r\n"), std::string::npos) << csv.body;
    EXPECT_EQ(csv.body.find("Brochard"), std::string::npos);
    EXPECT_EQ(send(port(), "GET", "/api/v1/admin/stats?from=2026-13-01").error(), "bad_period");
    EXPECT_EQ(send(port(), "GET", "/api/v1/admin/stats?from=2026-11-20&to=2026-11-01").error(), "bad_period");
    const auto none = send(port(), "GET", "/api/v1/admin/stats?from=2001-01-01&to=2001-01-31").json();
    EXPECT_EQ(none->getArray("rows")->size(), 0u);
}

TEST_F(Privacy, TheAuditLogSaysWhoDidWhatAndCannotBeChanged) {
    const int64_t id = new_case(port());
    const int64_t document = read_bill(id);
    ASSERT_EQ(send(port(), "PUT", case_uri(id) + "/documents/" + std::to_string(document) + "/fields/montant_ttc",
                   R"({"confirm": true, "value": "55,00"})").status, 200);
    ASSERT_EQ(send(port(), "POST", case_uri(id) + "/close").status, 200);
    EXPECT_EQ(send(port(), "GET", "/api/v1/admin/audit").status, 403);
    sign_in(port(), desk(), "admin", "admin");
    const auto entries = send(port(), "GET", "/api/v1/admin/audit?case=" + std::to_string(id)).json()->getArray("entries");
    std::vector<std::string> actions;
    for (size_t i = entries->size(); i-- > 0;) {
        const auto entry = entries->getObject(static_cast<unsigned>(i));
        actions.push_back(entry->getValue<std::string>("action"));
        EXPECT_EQ(entry->getValue<std::string>("login"), "mediatrice");
        EXPECT_EQ(entry->getValue<int64_t>("case"), id);
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"case.open", "document.upload", "field.correct", "case.close"}));
    EXPECT_EQ(entries->getObject(1)->getValue<std::string>("detail"),
              "document " + std::to_string(document) + ", champ montant_ttc");

    // Append-only, whoever tries: the base itself refuses.
    Poco::Data::Session session("SQLite", dir_.file("data") + "/comptoir.sqlite");
    const auto refused = [&](const std::string& sql) {
        try {
            session << sql, Poco::Data::Keywords::now;
            return false;
        } catch (const Poco::Exception&) {
            return true;
        }
    };
    EXPECT_TRUE(refused("DELETE FROM audit"));
    EXPECT_TRUE(refused("UPDATE audit SET login = 'x'"));
    EXPECT_EQ(desk().store().audit_log(id, 100).size(), 4u);
}

TEST_F(Privacy, TheAdministratorSeesStationsPluginsAndAccounts) {
    for (const char* route : {"/api/v1/admin/stations", "/api/v1/admin/retention", "/api/v1/users"}) {
        EXPECT_EQ(send(port(), "GET", route).status, 403) << route;
    }
    EXPECT_EQ(send(port(), "POST", "/api/v1/admin/purge").status, 403);
    sign_in(port(), desk(), "admin", "admin");
    const auto stations = send(port(), "GET", "/api/v1/admin/stations?refresh=1").json();
    std::map<std::string, Poco::JSON::Object::Ptr> by_id;
    for (size_t i = 0; i < stations->getArray("stations")->size(); ++i) {
        const auto station = stations->getArray("stations")->getObject(static_cast<unsigned>(i));
        by_id[station->getValue<std::string>("id")] = station;
    }
    ASSERT_EQ(by_id.size(), 2u);
    EXPECT_TRUE(by_id["facture"]->getValue<bool>("ready"));
    EXPECT_FALSE(by_id["absent"]->getValue<bool>("ready"));
    // Why it is not found: the pattern, and what SANE sees instead.
    const std::string problem = by_id["absent"]->getValue<std::string>("problem");
    EXPECT_NE(problem.find("Canon*LiDE*"), std::string::npos) << problem;
    EXPECT_NE(problem.find("pnm:0"), std::string::npos) << problem;
    const auto devices = stations->getObject("sane")->getArray("devices");
    EXPECT_GE(devices->size(), 2u);  // pnm and test devices of demo/sane
    // A test scan from the page.
    const Reply preview = send(port(), "GET", "/api/v1/stations/facture/preview");
    EXPECT_EQ(preview.status, 200);
    EXPECT_EQ(preview.body.compare(1, 3, "PNG"), 0);

    const auto retention = send(port(), "GET", "/api/v1/admin/retention").json();
    EXPECT_EQ(retention->getObject("rules")->getValue<int>("after_close_hours"), 24);
    EXPECT_EQ(retention->getObject("rules")->getValue<int>("max_days"), 7);
    EXPECT_TRUE(retention->getObject("encryption")->getValue<bool>("enabled"));
    EXPECT_FALSE(retention->getObject("purge")->getValue<std::string>("last_run").empty()) << "the job ran at start";
    EXPECT_EQ(send(port(), "POST", "/api/v1/admin/purge").json()->getValue<int>("purged"), 0);

    // Accounts: listed, a password changed, one removed (its sessions end with it), never the
    // last administrator, never oneself.
    const auto users = send(port(), "GET", "/api/v1/users").json()->getArray("users");
    EXPECT_EQ(users->size(), 2u);
    EXPECT_FALSE(users->getObject(0)->has("password_hash"));
    EXPECT_EQ(send(port(), "PUT", "/api/v1/users/mediatrice/password", R"({"password": "court"})").error(), "weak_password");
    EXPECT_EQ(send(port(), "PUT", "/api/v1/users/mediatrice/password", R"({"password": "un-mot-de-passe-neuf"})").status, 200);
    EXPECT_EQ(send(port(), "DELETE", "/api/v1/users/admin").error(), "self");
    EXPECT_EQ(send(port(), "DELETE", "/api/v1/users/mediatrice").status, 200);
    EXPECT_EQ(send(port(), "DELETE", "/api/v1/users/mediatrice").error(), "user_not_found");
    EXPECT_FALSE(desk().accounts().find("mediatrice"));
    const auto log = desk().store().audit_log(0, 10);
    EXPECT_EQ(log.front().action, "user.remove");
    EXPECT_EQ(log.front().detail, "mediatrice");
}

// The administrator's 2D-Doc certificates: the site's (the default folder under data.dir), and
// those codes needed and the site lacks, with where to fetch them — ids and counts only.
TEST_F(Privacy, TheAdministratorSeesTheCertificatesAndThoseCodesNeeded) {
    const std::string import = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/import";
    start("twoddoc.trust_list = " + import + "/tsl_import.xml\n");
    EXPECT_EQ(send(port(), "GET", "/api/v1/admin/certificates").status, 403) << "a mediator does not see them";
    // A code of FR97/0001 read by the desk's own reader (as a worker reads a page's code).
    const std::string code = comptoir::twoddoc::sign(twoddoc_bytes("DC04FR970001FFFFFFFF0101FR18FAC123<GS>1D36,45<GS>"),
                                                     read_file(import + "/FR97-0001.key"));
    EXPECT_EQ(*desk().twoddoc().read(code, 1, {})->status, comptoir::CodeStatus::unknown_certificate);

    sign_in(port(), desk(), "admin", "admin");
    auto out = send(port(), "GET", "/api/v1/admin/certificates").json();
    EXPECT_EQ(out->getValue<std::string>("folder"), dir_.file("data") + "/certificats-2ddoc");
    EXPECT_TRUE(exists(dir_.file("data/certificats-2ddoc")));
    EXPECT_EQ(out->getValue<std::string>("import_command"), "comptoir admin certificates import FICHIER");
    auto certificates = out->getArray("certificates");
    ASSERT_EQ(certificates->size(), 1u);
    EXPECT_EQ(certificates->getObject(0)->getValue<std::string>("authority"), "FR00");
    EXPECT_TRUE(certificates->getObject(0)->getValue<bool>("test"));
    auto missing = out->getArray("missing");
    ASSERT_EQ(missing->size(), 1u);
    const auto needed = missing->getObject(0);
    EXPECT_EQ(needed->getValue<std::string>("authority") + "/" + needed->getValue<std::string>("certificate"), "FR97/0001");
    EXPECT_EQ(needed->getValue<int>("codes"), 1);
    EXPECT_TRUE(needed->getValue<bool>("listed"));
    const auto where = needed->getArray("where");
    ASSERT_EQ(where->size(), 2u);
    EXPECT_EQ(where->getElement<std::string>(0), "https://ac-essais.example/2d-doc/");  // the authority's, from the list
    EXPECT_EQ(where->getElement<std::string>(1), "https://ants.gouv.fr/essais-2d-doc");  // the list's own page
    EXPECT_EQ(needed->getNames().size(), 7u) << "nothing of the document";

    // Imported by `comptoir admin certificates import` (another reader on the folder): the
    // running server counts it without a restart.
    const auto imported = comptoir::twoddoc::Reader::from_options(comptoir::pipeline_options(comptoir::Config::load(config_)).twoddoc)
                              .import(read_file(import + "/FR97-0001.pem"));
    ASSERT_TRUE(imported.imported) << imported.message;
    out = send(port(), "GET", "/api/v1/admin/certificates").json();
    EXPECT_EQ(out->getArray("missing")->size(), 0u);
    certificates = out->getArray("certificates");
    ASSERT_EQ(certificates->size(), 2u);
    EXPECT_EQ(certificates->getObject(1)->getValue<std::string>("id"), "0001");
    EXPECT_TRUE(certificates->getObject(1)->getValue<bool>("vouched"));
    EXPECT_EQ(*desk().twoddoc().read(code, 1, {})->status, comptoir::CodeStatus::valid);
}
