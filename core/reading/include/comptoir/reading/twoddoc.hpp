// The 2D-Doc message (ANTS specification; docs/formats.md, "What a value is worth"): what a DataMatrix on a bill or a
// tax notice says once decoded. A header ("DC" + version 02, 03 or 04, certification
// authority, certificate, issue and signature dates, document type, perimeter and country),
// fields (a two-character id and its value: fixed length without terminator, variable length
// ending at GS 0x1D, truncated ending at RS 0x1E), then US 0x1F and the signature in base32.
// The field catalogue (labels and lengths per perimeter) is data: data/2ddoc/data_ids.json.
#pragma once

#include "comptoir/reading/document.hpp"

#include <cstdint>
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
    std::vector<std::string> uris;  // its provider's web addresses (TSPInformationURI), http(s) only
};

class TrustList {
public:
    // Throws MalformedError when the XML is not a trust list.
    static TrustList from_xml(const std::string& xml);
    static TrustList from_file(const std::string& path);  // same; a missing file also throws
    const Authority* find(const std::string& id) const;
    const std::vector<Authority>& authorities() const { return authorities_; }
    const std::string& issued() const { return issued_; }  // ListIssueDateTime
    // The list's own page (SchemeInformationURI, the ANTS's 2D-Doc page), empty when it names none.
    const std::string& information_uri() const { return information_uri_; }

private:
    std::vector<Authority> authorities_;
    std::string issued_;
    std::string information_uri_;
};

// A signing certificate as the site keeps it, and what the trust list says of it.
struct CertificateInfo {
    std::string authority;  // its issuer's CN: "FR03"
    std::string id;         // its subject's CN: "EDF1"
    std::string subject;    // the whole subject, one line
    std::string not_after;  // ISO date
    bool expired = false;
    bool vouched = false;   // a listed, active authority issued it (never FR00, the test one)
    std::string problem;    // French, when not vouched
    std::string file;       // the file it was read from, empty for one given in memory
    std::string pem;        // the certificate, PEM
};

// The signing certificates a site keeps (PEM or DER files in a folder; each names its certificate
// id in its subject's CN and its authority in its issuer's CN, as the ANTS ones do). Expiry is not
// a reason to refuse: codes outlive their certificates, and FR00's expired in 2015.
class Certificates {
public:
    Certificates();
    ~Certificates();
    Certificates(Certificates&&) noexcept;
    Certificates& operator=(Certificates&&) noexcept;
    Certificates(const Certificates&) = delete;
    Certificates& operator=(const Certificates&) = delete;

    // Every *.pem, *.der, *.crt and *.cer of `folder` (files that are not certificates are
    // skipped). Missing folder: no certificate.
    static Certificates from_folder(const std::string& folder);
    void add_folder(const std::string& folder);  // the same, added to these
    void add_pem(const std::string& pem);  // throws MalformedError when it is not a certificate
    size_t size() const;

    // One certificate, PEM or DER, described with what this set's trust list says of it; not
    // added. Throws MalformedError when it is not a certificate.
    CertificateInfo inspect(const std::string& bytes) const;
    bool has(const std::string& authority, const std::string& id) const;
    // Every certificate held, by authority then id, with what the trust list says of each.
    std::vector<CertificateInfo> list() const;

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
// the site's certificate folder (twoddoc.certificates_dir, by default data.dir/certificats-2ddoc;
// may be empty) and its trust list (twoddoc.trust_list).
struct ReaderOptions {
    std::string shipped_dir;
    std::string certificates_dir;
    bool create_certificates_dir = false;  // the default folder: made (0750) when missing
    std::string trust_list;
};

// A certificate that codes read by this process named and the site lacks: no document data.
struct MissingCertificate {
    std::string authority;
    std::string certificate;
    int64_t codes = 0;      // codes read that needed it
    std::string last_seen;  // ISO UTC date and time
};

// What became of one file given to Reader::import.
struct ImportResult {
    bool imported = false;
    std::string message;  // one line, French: where it was written (and a warning), or why not
    std::string file;     // the file written
};

// What the pipeline holds: the catalogue and the certificates, trusted through the list. The
// site's folder is looked at (its listing: names, sizes, times) before each code is checked, and
// read again when it changed: a certificate imported while the server runs counts at once.
class Reader {
public:
    Reader(Catalogue catalogue, Certificates certificates);  // a fixed set, no folder
    // The shipped catalogue and test certificate (data/2ddoc), the site's certificate folder
    // and the trust list. Throws comptoir::Error("twoddoc_data", …) when the shipped data or
    // the trust list is unreadable, or a folder named by the configuration is missing.
    static Reader from_options(const ReaderOptions& options);
    ~Reader();
    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;

    // A decoded DataMatrix as the document keeps it: none when it is not a 2D-Doc (no "DC"),
    // a `malformed` code (its detail says why) when its message is damaged.
    std::optional<Barcode> read(const std::string& payload, uint32_t page, const Box& box) const;

    const Catalogue& catalogue() const { return catalogue_; }
    // The certificates as the folder holds them now (read again if it changed).
    std::shared_ptr<const Certificates> certificates() const;
    const std::string& folder() const;       // the site's folder, empty when none
    const TrustList* trust_list() const;     // none for a fixed set
    // The certificates codes needed since this process started and the site still lacks, the
    // most recently seen first.
    std::vector<MissingCertificate> missing() const;

    // Checks one file's bytes (PEM or DER) and writes the certificate into the site's folder as
    // <AUTHORITY>-<ID>.pem (0640). Refused, with the reason, when it is not a certificate, when
    // the site has it already, or when no active authority of the trust list issued it. An
    // expired one is imported with a warning: codes signed before it expired stay valid.
    ImportResult import(const std::string& bytes) const;

private:
    struct Site;
    Catalogue catalogue_;
    std::unique_ptr<Site> site_;
};

}  // namespace comptoir::twoddoc
