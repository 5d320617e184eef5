// Issue 31, visitors' data at rest and who sees it, on a desk served for real (the demo's bill,
// real OCR): after the whole flow through the API — an upload whose name says who, a reading, a
// correction, a letter, a draft — no file of data.dir holds a value in clear, every file and
// folder is the service's only (0600/0700 under umask 022), and after a "forget" the same with
// SQLite's write-ahead log emptied. The views of a case's values are audited with the login, once
// a minute, not the polls of a reading under way; an upload's name that is not UTF-8 keeps the
// case's JSON valid; corrections and answers past their limits are refused in French.
#include "desk_server.hpp"

#include <Poco/File.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <set>

#include <sys/stat.h>

using namespace comptoir::test;

namespace {

class AtRest : public DeskServerTest {
protected:
    void SetUp() override {
        umask_ = ::umask(022);  // what a service started by hand would have
        // A heartbeat far off: nothing writes to the base behind the test's back.
        start("data.dir = data\nocr.engines = 2\nsite.city = Lorient\n"
              "cluster.heartbeat_seconds = 600\ncluster.lease_seconds = 1200\n");
    }
    void TearDown() override {
        DeskServerTest::TearDown();
        ::umask(umask_);
    }
    std::vector<std::string> audit_lines(int64_t id) {
        std::vector<std::string> out;
        for (const auto& entry : server_->desk().store().audit_log(id, 1000)) {
            out.push_back(entry.login + " " + entry.action + " " + entry.detail);
        }
        return out;
    }
    static size_t count(const std::vector<std::string>& lines, const std::string& line) {
        return static_cast<size_t>(std::count(lines.begin(), lines.end(), line));
    }

    mode_t umask_ = 022;
};

// Every file under `folder` (its path), and every folder.
void walk(const std::string& folder, std::vector<std::string>& files, std::vector<std::string>& folders) {
    folders.push_back(folder);
    std::vector<Poco::File> entries;
    Poco::File(folder).list(entries);
    for (const auto& entry : entries) {
        if (entry.isDirectory()) {
            walk(entry.path(), files, folders);
        } else {
            files.push_back(entry.path());
        }
    }
}

// What of `secrets` any file of data.dir holds in clear, and which file or folder others may read.
std::vector<std::string> exposed(const std::string& data_dir, const std::set<std::string>& secrets) {
    std::vector<std::string> files, folders, out;
    walk(data_dir, files, folders);
    for (const auto& file : files) {
        const std::string bytes = read_file(file);
        for (const auto& secret : secrets) {
            if (bytes.find(secret) != std::string::npos) out.push_back(secret + " in " + file);
        }
        struct stat info {};
        const bool certificate = file.find("/certificats-2ddoc/") != std::string::npos;  // public: see below
        if (!certificate && ::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) out.push_back("mode of " + file);
    }
    for (const auto& folder : folders) {
        // The 2D-Doc issuers' public certificates (the reader's cache, core/reading): nothing of
        // a visitor; `comptoir serve`'s umask 077 makes it the service's too.
        if (folder.find("/certificats-2ddoc") != std::string::npos) continue;
        struct stat info {};
        if (::stat(folder.c_str(), &info) == 0 && (info.st_mode & 077) != 0) out.push_back("mode of " + folder);
    }
    return out;
}

bool valid_utf8(const std::string& text) {
    Poco::UTF8Encoding utf8;
    Poco::TextIterator it(text, utf8), end(text);
    for (; it != end; ++it) {
        if (*it < 0) return false;
    }
    return true;
}

}  // namespace

TEST_F(AtRest, NoFileOfTheDataFolderHoldsTheVisitInClearAndViewsAreAudited) {
    const int64_t id = new_case(port());
    // The name the visitor's browser gave: who, and bytes that are not UTF-8 (Latin-1 "été").
    const Reply sent = upload(port(), id, "facture-Dupont-Martine-\xE9t\xE9.png", read_file(kBillPng));
    ASSERT_EQ(sent.status, 202) << sent.body;
    const int64_t document = sent.json()->getValue<int64_t>("id");
    const std::string doc_uri = document_uri(id, document);
    const Reply polled = send(port(), "GET", doc_uri);  // a poll while it is read: no view yet
    const bool polled_early = polled.json()->getValue<std::string>("state") != "done";
    ASSERT_EQ(follow(port(), id, document).state, "done");
    if (polled_early) {
        EXPECT_EQ(count(audit_lines(id), "mediatrice document.view document " + std::to_string(document)), 0u);
    }

    // The case's JSON stays valid UTF-8: the name's stray bytes replaced.
    const Reply opened = send(port(), "GET", case_uri(id));
    ASSERT_EQ(opened.status, 200);
    EXPECT_TRUE(valid_utf8(opened.body)) << opened.body;
    EXPECT_NE(opened.body.find("facture-Dupont-Martine-\xEF\xBF\xBDt\xEF\xBF\xBD.png"), std::string::npos) << opened.body;

    // What the bill says, as read: every value of 4 characters or more.
    std::set<std::string> secrets = {"Dupont-Martine", "4321.09", "4321,09", "Lucienne Brochard", "Hortensias",
                                     "Madame Brouillonne"};
    const auto fields = send(port(), "GET", doc_uri + "/fields").json()->getObject("fields");
    size_t read = 0;
    for (const auto& [key, field] : *fields) {
        const std::string value = field.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("value", "");
        // A value of a few hex digits (a 4-digit consumption, "1429") turns up by chance in the
        // base's session tokens and hashes, written in hex: such values count from 6 characters.
        const bool hex_only = value.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
        if (value.size() >= (hex_only ? 6u : 4u)) read += secrets.insert(value).second;
    }
    ASSERT_GE(read, 4u) << "the bill was read";

    // A correction, a letter with the visitor's name and address, a draft, the page shown.
    ASSERT_EQ(send(port(), "PUT", doc_uri + "/fields/montant_ttc", R"({"confirm": true, "value": "4321,09"})").status, 200);
    const Reply letter = send(port(), "POST", doc_uri + "/letters",
                              R"({"letter": "edf.delai_paiement", "answers": {"nombre_mois": "6",
                                  "expediteur_nom": "Lucienne Brochard",
                                  "expediteur_adresse": "8 impasse des Hortensias\n56100 Lorient"}})");
    ASSERT_EQ(letter.status, 201) << letter.body;
    ASSERT_EQ(send(port(), "GET", letter.json()->getValue<std::string>("url")).status, 200);
    ASSERT_EQ(send(port(), "PUT", doc_uri + "/draft",
                   R"({"letter": "edf.delai_paiement", "answers": {"motif": "Madame Brouillonne, 12 impasse"}})")
                  .status,
              200);
    ASSERT_EQ(send(port(), "GET", doc_uri + "/pages/1?width=320").status, 200);

    // Past the limits of #21: refused, in French, nothing stored.
    const std::string huge(900 * 1024, 'x');
    const Reply corrected = send(port(), "PUT", doc_uri + "/fields/montant_ttc", "{\"value\": \"" + huge + "\"}");
    EXPECT_EQ(corrected.status, 400) << corrected.body.substr(0, 300);
    EXPECT_NE(corrected.body.find("caractères au plus"), std::string::npos) << corrected.body.substr(0, 300);
    const Reply answered = send(port(), "POST", doc_uri + "/letters",
                                "{\"letter\": \"edf.delai_paiement\", \"answers\": {\"nombre_mois\": \"6\", "
                                "\"expediteur_nom\": \"" + huge + "\", \"expediteur_adresse\": \"1 rue X\"}}");
    EXPECT_EQ(answered.status, 400) << answered.body.substr(0, 300);
    EXPECT_NE(answered.body.find("caractères au plus"), std::string::npos) << answered.body.substr(0, 300);
    EXPECT_EQ(server_->desk().store().corrections_of(document).size(), 1u);

    // Seen: the visit, the document's reading, the letter; each with the login, once a minute.
    send(port(), "GET", case_uri(id));
    send(port(), "GET", doc_uri);
    const auto lines = audit_lines(id);
    EXPECT_EQ(count(lines, "mediatrice case.view "), 1u);
    EXPECT_EQ(count(lines, "mediatrice document.view document " + std::to_string(document)), 1u);
    EXPECT_EQ(count(lines, "mediatrice letter.read courrier " + std::to_string(letter.json()->getValue<int64_t>("id"))), 1u);

    // Nothing of it in clear on disk, nothing others may read.
    const std::string data_dir = dir_.file("data");
    for (const auto& found : exposed(data_dir, secrets)) ADD_FAILURE() << found;

    // Forgotten: the same, and SQLite's write-ahead log emptied (nothing removed stays there).
    ASSERT_EQ(send(port(), "DELETE", case_uri(id)).status, 200);
    const std::string wal = data_dir + "/comptoir.sqlite-wal";
    if (Poco::File(wal).exists()) {
        EXPECT_EQ(Poco::File(wal).getSize(), 0u);
    }
    for (const auto& found : exposed(data_dir, secrets)) ADD_FAILURE() << found;
}
