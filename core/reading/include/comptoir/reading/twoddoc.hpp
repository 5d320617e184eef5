// The 2D-Doc message (ANTS specification; docs/formats.md, "What a value is worth"): what a DataMatrix on a bill or a
// tax notice says once decoded. A header ("DC" + version 02, 03 or 04, certification
// authority, certificate, issue and signature dates, document type, perimeter and country),
// fields (a two-character id and its value: fixed length without terminator, variable length
// ending at GS 0x1D, truncated ending at RS 0x1E), then US 0x1F and the signature in base32.
// The field catalogue (labels and lengths per perimeter) is data: data/2ddoc/data_ids.json.
#pragma once

#include "comptoir/reading/document.hpp"

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace comptoir {
}

namespace comptoir::twoddoc {

// A message that is not a 2D-Doc, or is cut or damaged: `what()` says why, in French.
class MalformedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct FieldSpec {
    std::string label;
    int min_length = 0;
    std::optional<int> max_length;  // none: no limit
    bool fixed() const { return max_length && *max_length == min_length && min_length > 0; }
};

// Field ids by perimeter ("01": ANTS), from the catalogue's JSON:
//   {"01": {"10": {"label": "…", "min": 0, "max": 38, …}, …}, …}
class Catalogue {
public:
    static Catalogue from_json(const std::string& json);  // throws MalformedError on bad JSON
    const FieldSpec* find(const std::string& perimeter, const std::string& id) const;
    size_t size() const { return size_; }

private:
    std::map<std::string, std::map<std::string, FieldSpec>> specs_;
    size_t size_ = 0;
};

struct Field {
    std::string id;
    std::string value;
    std::string label;       // from the catalogue, empty for an id it does not know
    bool truncated = false;  // ended by RS: the issuer cut the value
    bool too_long = false;   // longer than the catalogue allows, kept as its separator ends it
};

struct Message {
    int version = 0;                   // 2, 3 or 4
    std::string authority;             // "FR00" (the test authority), "FR01"…
    std::string certificate;           // "0001"
    std::optional<std::string> issued;  // ISO date, none for FFFF
    std::optional<std::string> signed_on;
    std::string document_type;         // "01" bill, "28" income tax notice…
    std::string perimeter = "01";      // from version 03
    std::string country;               // from version 04
    std::vector<Field> fields;
    std::string signed_data;           // every byte before US: what the signature covers
    std::string signature;             // base32, as printed after US

    const Field* field(const std::string& id) const;
};

// What a code's signature says.
using Status = CodeStatus;

struct Verification {
    Status status = Status::malformed;
    bool test_authority = false;  // signed by FR00, the specification's test authority
    std::string detail;           // French, for the log and the mediator's warning
};

// The ANTS trust list (an ETSI TS 119 612 XML, data/2ddoc/tsl_signed.xml): the certification
// authorities whose signing certificates are trusted, each with its own certificate. The
// signing certificates themselves are not in it (they are online): a site downloads them
// into its certificate folder.
struct Authority {
    std::string id;               // "FR01"
    std::string name;             // "IDnow SAS FR01 2D-Doc Barcode signature"
    bool active = false;          // status "inaccord" / "granted"
    std::string certificate_der;  // the authority's certificate, DER
};

class TrustList {
public:
    // Throws MalformedError when the XML is not a trust list.
    static TrustList from_xml(const std::string& xml);
    static TrustList from_file(const std::string& path);  // same; a missing file also throws
    const Authority* find(const std::string& id) const;
    const std::vector<Authority>& authorities() const { return authorities_; }
    const std::string& issued() const { return issued_; }  // ListIssueDateTime

private:
    std::vector<Authority> authorities_;
    std::string issued_;
};

// The signing certificates a site keeps (PEM files in a folder; each names its certificate id
// in its subject's CN and its authority in its issuer's CN, as the ANTS ones do). Expiry is not
// a reason to refuse: codes outlive their certificates, and FR00's expired in 2015.
class Certificates {
public:
    Certificates();
    ~Certificates();
    Certificates(Certificates&&) noexcept;
    Certificates& operator=(Certificates&&) noexcept;
    Certificates(const Certificates&) = delete;
    Certificates& operator=(const Certificates&) = delete;

    // Every *.pem of `folder` (files that are not certificates are skipped). Missing folder:
    // no certificate.
    static Certificates from_folder(const std::string& folder);
    void add_folder(const std::string& folder);  // the same, added to these
    void add_pem(const std::string& pem);  // throws MalformedError when it is not a certificate
    size_t size() const;

    // With a trust list, a certificate counts only when its authority is listed and active
    // and the authority's certificate signed it (else the code is `unknown_certificate`).
    // FR00, the specification's test authority, is never listed: its codes are accepted and
    // reported as test codes.
    void trust(TrustList list);

    // ECDSA over `signed_data` with the curve's hash (P-256/SHA-256, P-384/SHA-384,
    // P-521/SHA-512), the signature raw r‖s in base32.
    Verification verify(const Message& message) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Parses a decoded payload. Throws MalformedError (bad header, unknown version, a date that is
// not hexadecimal, a field longer than the catalogue allows, a field cut short, no US).
Message parse(const std::string& payload, const Catalogue& catalogue);

// Signs `signed_data` (header and fields) with an EC private key (PEM) as the specification
// says, and returns the whole message: signed_data, US, the base32 of raw r‖s. For test
// documents and tools: the host never signs. Throws MalformedError for a key it cannot use.
std::string sign(const std::string& signed_data, const std::string& private_key_pem);

// Where the reader finds its data: the shipped folder (data/2ddoc: data_ids.json, certificates/),
// the site's certificate folder (twoddoc.certificates_dir, may be empty) and its trust list
// (twoddoc.trust_list).
struct ReaderOptions {
    std::string shipped_dir;
    std::string certificates_dir;
    std::string trust_list;
};

// What the pipeline holds: the catalogue and the certificates, trusted through the list.
class Reader {
public:
    Reader(Catalogue catalogue, Certificates certificates);
    // The shipped catalogue and test certificate (data/2ddoc), the site's certificate folder
    // (twoddoc.certificates_dir) and the trust list (twoddoc.trust_list). Throws
    // comptoir::Error("twoddoc_data", …) when the shipped data or the trust list is unreadable.
    static Reader from_options(const ReaderOptions& options);

    // A decoded DataMatrix as the document keeps it: none when it is not a 2D-Doc (no "DC"),
    // a `malformed` code (its detail says why) when its message is damaged.
    std::optional<Barcode> read(const std::string& payload, uint32_t page, const Box& box) const;

    const Catalogue& catalogue() const { return catalogue_; }
    const Certificates& certificates() const { return certificates_; }

private:
    Catalogue catalogue_;
    Certificates certificates_;
};

}  // namespace comptoir::twoddoc
