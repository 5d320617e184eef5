// The 2D-Doc message parser on the specification's reference codes (tests/data/2ddoc) and on
// damaged messages: every field where the reference says, and a clear error, never a crash,
// for what is not a 2D-Doc.
#include "comptoir/reading/twoddoc.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace twoddoc = comptoir::twoddoc;

using comptoir::test::read_file;
using comptoir::test::twoddoc_bytes;

namespace {

const twoddoc::Catalogue& catalogue() {
    static const twoddoc::Catalogue c =
        twoddoc::Catalogue::from_json(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/data/2ddoc/data_ids.json"));
    return c;
}

// "<GS>" and friends as the bytes they stand for.
}  // namespace

TEST(TwoDDoc, TheCatalogueIsRead) {
    EXPECT_GT(catalogue().size(), 300u);
    const auto* name = catalogue().find("01", "10");
    ASSERT_NE(name, nullptr);
    EXPECT_FALSE(name->label.empty());
    EXPECT_EQ(catalogue().find("01", "4Y"), nullptr);  // in no catalogue of the ANTS specification
}

TEST(TwoDDoc, EveryReferenceCodeGivesItsFields) {
    const auto list = Poco::JSON::Parser()
                          .parse(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/test_list.json"))
                          .extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(list->size(), 22u);
    size_t checked = 0;
    for (size_t i = 0; i < list->size(); ++i) {
        const auto entry = list->getObject(static_cast<unsigned>(i));
        const std::string payload = twoddoc_bytes(entry->getValue<std::string>("message"));
        const twoddoc::Message message = twoddoc::parse(payload, catalogue());
        EXPECT_EQ(message.document_type, entry->getValue<std::string>("documentTypeId")) << i;
        EXPECT_EQ(message.authority, "FR00") << i;
        EXPECT_FALSE(message.signature.empty()) << i;
        EXPECT_EQ(message.signed_data, payload.substr(0, payload.find('\x1f'))) << i;
        for (const char* part : {"mandatoryData", "facultativeData"}) {
            const auto data = entry->getArray(part);
            if (!data) continue;
            for (size_t k = 0; k < data->size(); ++k) {
                const auto item = data->getObject(static_cast<unsigned>(k));
                const std::string id = item->getValue<std::string>("key");
                std::string expected = item->getValue<std::string>("value");
                // "21112017 (ce qui correspond au 21 novembre 2017)": the reference explains.
                // The reference writes an empty value "<vide>" and trims the values it lists.
                if (const auto note = expected.find(" ("); note != std::string::npos) expected.resize(note);
                if (expected == "<vide>") expected.clear();
                const twoddoc::Field* field = message.field(id);
                ASSERT_NE(field, nullptr) << "code " << i << ", champ " << id;
                EXPECT_EQ(Poco::trim(field->value), Poco::trim(expected)) << "code " << i << ", champ " << id;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 100u);
}

TEST(TwoDDoc, HeaderVersionsAndDates) {
    // DC02: no perimeter; 0x1985 days after 2000-01-01 is 2017-11-20; FFFF is no date.
    const auto v2 = twoddoc::parse(twoddoc_bytes("DC02FR0000011985FFFF0110JEAN DUPONT<GS><US>SIG"), catalogue());
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v2.certificate, "0001");
    ASSERT_TRUE(v2.issued);
    EXPECT_EQ(*v2.issued, "2017-11-20");
    EXPECT_FALSE(v2.signed_on);
    EXPECT_EQ(v2.document_type, "01");
    EXPECT_EQ(v2.perimeter, "01");
    ASSERT_EQ(v2.fields.size(), 1u);
    EXPECT_EQ(v2.fields[0].value, "JEAN DUPONT");
    const auto v4 = twoddoc::parse(twoddoc_bytes("DC04FR000001000000002801FR4YSOMEWHERE<RS><US>SIG"), catalogue());
    EXPECT_EQ(*v4.issued, "2000-01-01");
    EXPECT_EQ(v4.perimeter, "01");
    EXPECT_EQ(v4.country, "FR");
    ASSERT_NE(v4.field("4Y"), nullptr);  // unknown to the catalogue: read up to the separator
    EXPECT_EQ(v4.field("4Y")->value, "SOMEWHERE");
    EXPECT_TRUE(v4.field("4Y")->truncated);
}

TEST(TwoDDoc, DamagedMessagesAreReportedNotCrashedOn) {
    const std::vector<std::string> bad = {
        "",
        "XX02FR0000011985FFFF01",                              // not a 2D-Doc
        "DC09FR0000011985FFFF01<US>",                          // unknown version
        "DC04FR000001",                                        // header cut short
        "DC02FR000001ZZZZFFFF0110JEAN<GS><US>SIG",             // a date that is not hexadecimal
        "DC02FR0000011985FFFF0110JEAN DUPONT<GS>",             // no US, no signature
        "DC02FR0000011985FFFF011<US>SIG",                      // a field cut in its id
        "DC0",
        "DC04FR0000011985FFFF\x01\x02" "01FR10JEAN<GS><US>SIG",  // a document type that is no type
        "DC04FR0000011985FFFF01??FR10JEAN<GS><US>SIG",         // a perimeter that is none
        "DC04fr0000011985FFFF0101FR10JEAN<GS><US>SIG",         // an authority in lower case
    };
    for (const auto& text : bad) {
        EXPECT_THROW(twoddoc::parse(twoddoc_bytes(text), catalogue()), twoddoc::MalformedError) << text;
    }
    // A value longer than the catalogue allows, ended by its separator: kept, and flagged.
    const auto* spec = catalogue().find("01", "10");
    ASSERT_TRUE(spec && spec->max_length);
    // (Of "Z" only: "ZZ" is the id of no field, so no part of it can be read as a next field.)
    const std::string long_value(static_cast<size_t>(*spec->max_length) + 5, 'Z');
    const auto kept = twoddoc::parse(twoddoc_bytes("DC02FR0000011985FFFF0110" + long_value + "<GS><US>SIG"), catalogue());
    ASSERT_EQ(kept.fields.size(), 1u);
    EXPECT_EQ(kept.fields[0].value, long_value);
    EXPECT_TRUE(kept.fields[0].too_long);
    // Random bytes after a valid header: an error or a message, never a crash.
    std::string noise = "DC04FR0000011985FFFF0101FR";
    for (int i = 0; i < 2000; ++i) noise.push_back(static_cast<char>((i * 7919) % 256));
    try {
        twoddoc::parse(noise, catalogue());
    } catch (const twoddoc::MalformedError&) {
    }
}

namespace {

twoddoc::Certificates test_certificates() {
    return twoddoc::Certificates::from_folder(std::string(COMPTOIR_SOURCE_DIR) + "/data/2ddoc/certificates");
}

}  // namespace

TEST(TwoDDoc, TheReferenceCodesVerifyAndFailOnceAByteChanges) {
    const twoddoc::Certificates certificates = test_certificates();
    ASSERT_EQ(certificates.size(), 1u);  // FR00/0001, the specification's test certificate
    const auto list = Poco::JSON::Parser()
                          .parse(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/test_list.json"))
                          .extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string payload = twoddoc_bytes(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("message"));
        twoddoc::Message message = twoddoc::parse(payload, catalogue());
        const auto verdict = certificates.verify(message);
        EXPECT_EQ(verdict.status, twoddoc::Status::valid) << "code " << i << " : " << verdict.detail;
        EXPECT_TRUE(verdict.test_authority);
        // One byte of the signed data changed: the document was altered.
        message.signed_data[message.signed_data.size() / 2] ^= 0x01;
        EXPECT_EQ(certificates.verify(message).status, twoddoc::Status::invalid_signature) << "code " << i;
    }
}

TEST(TwoDDoc, AnUnknownCertificateOrAnUnreadableSignatureIsSaidSo) {
    const twoddoc::Certificates certificates = test_certificates();
    twoddoc::Message message = twoddoc::parse(twoddoc_bytes("DC02FR0100021985FFFF0110JEAN DUPONT<GS><US>AAAA"), catalogue());
    EXPECT_EQ(certificates.verify(message).status, twoddoc::Status::unknown_certificate);
    EXPECT_FALSE(certificates.verify(message).test_authority);
    message.authority = "FR00";
    message.certificate = "0001";
    message.signature = "not base32!";
    EXPECT_EQ(certificates.verify(message).status, twoddoc::Status::malformed);
    message.signature = "AAAA";  // base32, but no signature of this curve
    EXPECT_EQ(certificates.verify(message).status, twoddoc::Status::invalid_signature);
    EXPECT_THROW(twoddoc::Certificates().add_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                 twoddoc::MalformedError);
    EXPECT_EQ(twoddoc::Certificates::from_folder("/nonexistent").size(), 0u);
}

// ---- The trust list and signing ----------------------------------------------------------

namespace {

const std::string kTrust = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/trust";

// A message of `authority`/`certificate`, signed with `key`.
twoddoc::Message signed_message(const std::string& authority, const std::string& certificate, const std::string& key) {
    const std::string body = "DC04" + authority + certificate + "FFFFFFFF0101FR18FAC123<GS>1D36,45<GS>";
    return twoddoc::parse(twoddoc::sign(twoddoc_bytes(body), read_file(kTrust + "/" + key)), catalogue());
}

}  // namespace

TEST(TwoDDoc, TheShippedAntsTrustListNamesItsAuthorities) {
    const auto list = twoddoc::TrustList::from_file(std::string(COMPTOIR_SOURCE_DIR) + "/data/2ddoc/tsl_signed.xml");
    std::vector<std::string> ids;
    for (const auto& authority : list.authorities()) {
        ids.push_back(authority.id);
        EXPECT_TRUE(authority.active) << authority.id;
        EXPECT_GT(authority.certificate_der.size(), 300u) << authority.id;
        EXPECT_NE(authority.name.find(authority.id), std::string::npos);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"FR01", "FR03", "FR04", "FR05", "FR06", "FR07"}));
    EXPECT_EQ(list.find("FR00"), nullptr);  // the test authority is never listed
    EXPECT_EQ(list.issued().substr(0, 10), "2025-08-25");
}

TEST(TwoDDoc, WhatIsNotATrustListIsRefusedClearly) {
    EXPECT_THROW(twoddoc::TrustList::from_xml("<pas du xml"), twoddoc::MalformedError);
    EXPECT_THROW(twoddoc::TrustList::from_xml("<?xml version=\"1.0\"?><liste/>"), twoddoc::MalformedError);
    EXPECT_THROW(twoddoc::TrustList::from_xml(""), twoddoc::MalformedError);
    EXPECT_THROW(twoddoc::TrustList::from_file(kTrust + "/absent.xml"), twoddoc::MalformedError);
}

// An external entity is not fetched. It names a file this test writes, holding a marker of its
// own, and is used where the list's issue date is read: were the file fetched, issued() would
// be the marker (checked once by letting the parser fetch entities; the test then fails).
TEST(TwoDDoc, AnExternalEntityOfATrustListIsNotFetched) {
    const comptoir::test::TempDir dir;
    const std::string marker = "entite-externe-lue-" + Poco::Path(dir.path()).getFileName();
    const std::string file = dir.write("entite.txt", marker);
    const std::string hostile = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file://" + file + "\">]>"
                                "<tsl:TrustServiceStatusList xmlns:tsl=\"http://uri.etsi.org/02231/v2#\">"
                                "<tsl:ListIssueDateTime>&x;</tsl:ListIssueDateTime></tsl:TrustServiceStatusList>";
    try {
        const auto list = twoddoc::TrustList::from_xml(hostile);
        EXPECT_EQ(list.issued().find(marker), std::string::npos) << "the external entity was fetched: " << list.issued();
        EXPECT_TRUE(list.authorities().empty());
    } catch (const twoddoc::MalformedError& error) {
        EXPECT_EQ(std::string(error.what()).find(marker), std::string::npos) << error.what();
    }
}

TEST(TwoDDoc, ACertificateCountsOnlyWhenAListedAuthorityIssuedIt) {
    auto certificates = twoddoc::Certificates::from_folder(kTrust);
    certificates.add_pem(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/data/2ddoc/certificates/FR00-0001.pem"));
    certificates.trust(twoddoc::TrustList::from_file(kTrust + "/tsl_test.xml"));

    const auto issued = certificates.verify(signed_message("FR99", "0001", "FR99-0001.key"));
    EXPECT_EQ(issued.status, twoddoc::Status::valid) << issued.detail;
    EXPECT_FALSE(issued.test_authority);

    const auto p384 = certificates.verify(signed_message("FR99", "0003", "FR99-0003.key"));
    EXPECT_EQ(p384.status, twoddoc::Status::valid) << p384.detail;  // SHA-384 for a P-384 key

    // Signed with the right key, but FR99's name was taken by someone else.
    const auto forged = certificates.verify(signed_message("FR99", "0002", "FR99-0002.key"));
    EXPECT_EQ(forged.status, twoddoc::Status::unknown_certificate);
    EXPECT_NE(forged.detail.find("non émis"), std::string::npos) << forged.detail;

    const auto withdrawn = certificates.verify(signed_message("FR98", "0001", "FR98-0001.key"));
    EXPECT_EQ(withdrawn.status, twoddoc::Status::unknown_certificate);
    EXPECT_NE(withdrawn.detail.find("liste de confiance"), std::string::npos) << withdrawn.detail;

    // The right certificate, the wrong key: the code was not signed by it.
    const auto wrong_key = certificates.verify(signed_message("FR99", "0001", "FR99-0002.key"));
    EXPECT_EQ(wrong_key.status, twoddoc::Status::invalid_signature);

    const auto absent = certificates.verify(signed_message("FR99", "0009", "FR99-0001.key"));
    EXPECT_EQ(absent.status, twoddoc::Status::unknown_certificate);

    // FR00's codes stay test codes, listed or not.
    const auto test = certificates.verify(twoddoc::parse(
        twoddoc::sign(twoddoc_bytes("DC04FR000001FFFFFFFF0101FR18FAC123<GS>"),
                      read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/test_key.pem")),
        catalogue()));
    EXPECT_EQ(test.status, twoddoc::Status::valid);
    EXPECT_TRUE(test.test_authority);
}

TEST(TwoDDoc, SigningRefusesWhatIsNotAnEcKey) {
    EXPECT_THROW(twoddoc::sign("DC04", "pas une clé"), twoddoc::MalformedError);
    EXPECT_THROW(twoddoc::sign("DC04", read_file(kTrust + "/FR99-0001.pem")), twoddoc::MalformedError);  // a certificate
}

TEST(TwoDDoc, TheTypeTwentyEightExamplesGiveTheirFields) {
    // betagouv's two messages: 4Y and 4Z are in no catalogue and are read up to the next GS.
    std::vector<std::string> messages;
    std::istringstream lines(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/type28_avis_impot_v2_examples.txt"));
    for (std::string line; std::getline(lines, line);) {
        if (Poco::startsWith(line, std::string("DC04"))) messages.push_back(twoddoc_bytes(line));
    }
    ASSERT_EQ(messages.size(), 2u);
    for (const auto& payload : messages) {
        const auto message = twoddoc::parse(payload, catalogue());
        EXPECT_EQ(message.document_type, "28");
        EXPECT_EQ(message.field("43")->value, "2,75");
        EXPECT_EQ(message.field("44")->value, "2278012345678");
        EXPECT_EQ(message.field("45")->value, "2021");
        EXPECT_EQ(message.field("46")->value, "RETI PATRICK");
        EXPECT_EQ(message.field("4A")->value, "31072022");
        EXPECT_EQ(message.field("4Y")->value, "145 RUE JULLIARD/ZASPECIMEN/78320/LEVIS STNOM");
        EXPECT_EQ(message.field("41")->value, "63198");
        EXPECT_EQ(message.field("47")->value, "3001123456789");
        EXPECT_EQ(message.field("48")->value, "RETISOPHIE");
        EXPECT_EQ(message.field("49")->value, "0701987765432");
        EXPECT_EQ(message.field("4V")->value, "3542");
        EXPECT_EQ(message.field("4X")->value, "3724");
        const auto* rest = message.field("4W") ? message.field("4W") : message.field("4Z");
        ASSERT_NE(rest, nullptr);
        EXPECT_EQ(rest->value, "182");
    }
}

TEST(TwoDDoc, EveryReferenceCodeOfTheSpecificationParsesAndVerifies) {
    // A variable-length field that reaches its maximum length ends there, with no separator
    // (fields 6Q, DH, DZ, 5L, DW, DP of these codes): read as the specification says.
    const twoddoc::Certificates certificates = test_certificates();
    std::istringstream lines(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/ants-spec-3.2.6/messages.txt"));
    std::string line;
    int codes = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        ++codes;
        try {
            const twoddoc::Message message = twoddoc::parse(twoddoc_bytes(line), catalogue());
            EXPECT_FALSE(message.fields.empty()) << line.substr(0, 40);
            for (const auto& field : message.fields) {
                EXPECT_FALSE(field.too_long) << line.substr(0, 40) << " : " << field.id;
                EXPECT_FALSE(field.label.empty()) << line.substr(0, 40) << " : champ inconnu " << field.id;
            }
            const auto verdict = certificates.verify(message);
            EXPECT_EQ(verdict.status, twoddoc::Status::valid) << line.substr(0, 40) << " : " << verdict.detail;
        } catch (const twoddoc::MalformedError& error) {
            ADD_FAILURE() << line.substr(0, 40) << " : " << error.what();
        }
    }
    EXPECT_EQ(codes, 54);
}

TEST(TwoDDoc, AVersion01CodeIsSaidToBeTheExperimentalOne) {
    try {
        twoddoc::parse(twoddoc_bytes("DC01FR000001125E125B0126FR245700010MLLE/SAMPLE/ANGELA<GS><US>AAAA"), catalogue());
        FAIL() << "a version 01 code was read";
    } catch (const twoddoc::MalformedError& error) {
        EXPECT_NE(std::string(error.what()).find("version 01, expérimentale"), std::string::npos) << error.what();
    }
}
