// The site's 2D-Doc signing certificates: importing one (PEM or DER) into the site's folder,
// checked against the trust list's authorities; the list of those known; a reader that sees a
// certificate imported while it runs, and says which certificate a code needed and the site
// lacks. Fixtures: tests/data/2ddoc/import (made by its make.sh).
#include "comptoir/base/error.hpp"
#include "comptoir/reading/twoddoc.hpp"

#include "test_support.hpp"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>

namespace twoddoc = comptoir::twoddoc;

using comptoir::test::read_file;
using comptoir::test::TempDir;
using comptoir::test::twoddoc_bytes;

namespace {

const std::string kSource = COMPTOIR_SOURCE_DIR;
const std::string kImport = kSource + "/tests/data/2ddoc/import";

twoddoc::ReaderOptions options_in(const TempDir& dir) {
    twoddoc::ReaderOptions options;
    options.shipped_dir = kSource + "/data/2ddoc";
    options.certificates_dir = dir.file("donnees/certificats-2ddoc");
    options.create_certificates_dir = true;
    options.trust_list = kImport + "/tsl_import.xml";
    return options;
}

unsigned mode_of(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 ? (info.st_mode & 0777u) : 0u;
}

// A code of FR97/0001, signed with that certificate's key.
std::string fr97_code() {
    return twoddoc::sign(twoddoc_bytes("DC04FR970001FFFFFFFF0101FR18FAC123<GS>1D36,45<GS>"),
                         read_file(kImport + "/FR97-0001.key"));
}

}  // namespace

TEST(TwoDDocCertificates, TheTrustListSaysWhereEachAuthorityAndTheAntsPublish) {
    const auto list = twoddoc::TrustList::from_file(kSource + "/data/2ddoc/tsl_signed.xml");
    EXPECT_EQ(list.information_uri(), "https://ants.gouv.fr/nos-missions/les-solutions-numeriques/2d-doc");
    ASSERT_NE(list.find("FR01"), nullptr);
    EXPECT_EQ(list.find("FR01")->uris, (std::vector<std::string>{"http://cert.pki-2ddoc.ariadnext.fr/pki-2ddoc.der"}));
    for (const auto& authority : list.authorities()) {
        EXPECT_FALSE(authority.uris.empty()) << authority.id;
        for (const auto& uri : authority.uris) EXPECT_EQ(uri.rfind("http", 0), 0u) << uri;  // no mailto:
    }
}

TEST(TwoDDocCertificates, AnIssuedCertificateIsImportedAsPemUnderItsAuthorityAndId) {
    const TempDir dir;
    const twoddoc::Reader reader = twoddoc::Reader::from_options(options_in(dir));
    const std::string folder = dir.file("donnees/certificats-2ddoc");
    ASSERT_TRUE(Poco::File(folder).isDirectory()) << "the default folder is made";
    EXPECT_EQ(mode_of(folder), 0750u);

    const auto pem = reader.import(read_file(kImport + "/FR97-0001.pem"));
    EXPECT_TRUE(pem.imported) << pem.message;
    EXPECT_EQ(pem.file, folder + "/FR97-0001.pem");
    EXPECT_EQ(mode_of(pem.file), 0640u);
    EXPECT_EQ(read_file(pem.file), read_file(kImport + "/FR97-0001.pem"));
    EXPECT_EQ(pem.message.find("attention"), std::string::npos) << pem.message;

    // DER, expired in 2015: imported, said expired (codes signed before then stay valid).
    const auto der = reader.import(read_file(kImport + "/FR97-0002.der"));
    EXPECT_TRUE(der.imported) << der.message;
    EXPECT_NE(read_file(folder + "/FR97-0002.pem").find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_NE(der.message.find("a expiré le 2015-01-01"), std::string::npos) << der.message;

    const auto again = reader.import(read_file(kImport + "/FR97-0001.pem"));
    EXPECT_FALSE(again.imported);
    EXPECT_NE(again.message.find("FR97/0001 est déjà connu"), std::string::npos) << again.message;
}

TEST(TwoDDocCertificates, WhatNoListedAuthorityIssuedOrIsNoCertificateIsRefusedWithTheReason) {
    const TempDir dir;
    const twoddoc::Reader reader = twoddoc::Reader::from_options(options_in(dir));
    const auto refused = [&](const std::string& bytes, const std::string& reason) {
        const auto result = reader.import(bytes);
        EXPECT_FALSE(result.imported) << result.message;
        EXPECT_EQ(result.message.rfind("refusé : ", 0), 0u) << result.message;
        EXPECT_NE(result.message.find(reason), std::string::npos) << result.message;
    };
    refused("bonjour", "n'est pas un certificat");
    refused("", "n'est pas un certificat");
    refused(read_file(kImport + "/FR97-0001.key"), "n'est pas un certificat");
    // In FR97's name, signed by someone else.
    refused(read_file(kImport + "/FR97-0009.pem"), "FR97/0009 non émis par son autorité");
    // An authority the list does not name.
    refused(read_file(kSource + "/tests/data/2ddoc/trust/FR99-0001.pem"), "FR99 absente de la liste de confiance");
    // The shipped test certificate is known already.
    refused(read_file(kSource + "/data/2ddoc/certificates/FR00-0001.pem"), "FR00/0001 est déjà connu");
    std::vector<std::string> written;
    for (Poco::DirectoryIterator it(dir.file("donnees/certificats-2ddoc")), end; it != end; ++it) written.push_back(it.name());
    EXPECT_TRUE(written.empty()) << written.front();
}

TEST(TwoDDocCertificates, TheListSaysEachCertificatesAuthorityExpiryAndWhetherTheListVouchesForIt) {
    const TempDir dir;
    const twoddoc::Reader reader = twoddoc::Reader::from_options(options_in(dir));
    // Put there by hand, not imported: listed, but not vouched for.
    comptoir::test::copy_file(kImport + "/FR97-0009.pem", dir.file("donnees/certificats-2ddoc/forge.pem"));
    ASSERT_TRUE(reader.import(read_file(kImport + "/FR97-0001.pem")).imported);
    const auto list = reader.certificates()->list();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].authority + "/" + list[0].id, "FR00/0001");
    EXPECT_FALSE(list[0].vouched);
    EXPECT_TRUE(list[0].expired);
    EXPECT_EQ(list[0].not_after.substr(0, 4), "2015");
    EXPECT_EQ(list[1].authority + "/" + list[1].id, "FR97/0001");
    EXPECT_TRUE(list[1].vouched) << list[1].problem;
    EXPECT_FALSE(list[1].expired);
    EXPECT_EQ(list[1].not_after, "2124-01-01");
    EXPECT_NE(list[1].subject.find("CERTIFICAT IMPORT COMPTOIR"), std::string::npos) << list[1].subject;
    EXPECT_EQ(list[2].authority + "/" + list[2].id, "FR97/0009");
    EXPECT_FALSE(list[2].vouched);
    EXPECT_NE(list[2].problem.find("non émis"), std::string::npos) << list[2].problem;
    EXPECT_EQ(list[2].file, dir.file("donnees/certificats-2ddoc/forge.pem"));
}

TEST(TwoDDocCertificates, ARunningReaderSeesACertificateImportedByAnotherProcess) {
    const TempDir dir;
    const twoddoc::Reader server = twoddoc::Reader::from_options(options_in(dir));
    const std::string code = fr97_code();
    auto barcode = server.read(code, 1, {});
    ASSERT_TRUE(barcode && barcode->status);
    EXPECT_EQ(*barcode->status, twoddoc::Status::unknown_certificate);
    EXPECT_NE(barcode->detail.find("certificat FR97/0001 absent de ce site : l'administrateur peut l'importer"),
              std::string::npos) << barcode->detail;
    server.read(code, 1, {});
    auto missing = server.missing();
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].authority, "FR97");
    EXPECT_EQ(missing[0].certificate, "0001");
    EXPECT_EQ(missing[0].codes, 2);
    EXPECT_EQ(missing[0].last_seen.size(), 20u) << missing[0].last_seen;  // 2026-01-01T00:00:00Z

    // `comptoir admin certificates import`: another reader on the same folder.
    const auto imported = twoddoc::Reader::from_options(options_in(dir)).import(read_file(kImport + "/FR97-0001.pem"));
    ASSERT_TRUE(imported.imported) << imported.message;
    barcode = server.read(code, 1, {});
    EXPECT_EQ(*barcode->status, twoddoc::Status::valid) << barcode->detail;
    EXPECT_TRUE(server.missing().empty()) << "what the site now has is no longer missing";

    // Taken away again: the folder is read again too.
    Poco::File(imported.file).remove();
    EXPECT_EQ(*server.read(code, 1, {})->status, twoddoc::Status::unknown_certificate);
    EXPECT_EQ(server.missing().at(0).codes, 3);
}

TEST(TwoDDocCertificates, AFolderTheConfigurationNamesMustExist) {
    const TempDir dir;
    auto options = options_in(dir);
    options.create_certificates_dir = false;
    try {
        twoddoc::Reader::from_options(options);
        FAIL() << "a missing configured folder is refused";
    } catch (const comptoir::Error& error) {
        EXPECT_NE(std::string(error.what()).find("twoddoc.certificates_dir"), std::string::npos) << error.what();
    }
}
