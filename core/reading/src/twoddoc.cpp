#include "comptoir/reading/twoddoc.hpp"


#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

namespace comptoir::twoddoc {
namespace {

constexpr char kGS = '\x1d';
constexpr char kRS = '\x1e';
constexpr char kUS = '\x1f';

// Four hexadecimal digits: days since 2000-01-01; FFFF: no date.
std::optional<std::string> hex_date(const std::string& hex, const char* what) {
    if (hex == "FFFF") return std::nullopt;
    for (char c : hex) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            throw MalformedError(std::string("2D-Doc : la date ") + what + " « " + hex + " » n'est pas hexadécimale");
        }
    }
    const int days = std::stoi(hex, nullptr, 16);
    const Poco::DateTime date = Poco::DateTime(2000, 1, 1) + Poco::Timespan(days, 0, 0, 0, 0);
    return Poco::DateTimeFormatter::format(date, "%Y-%m-%d");
}

}  // namespace

Catalogue Catalogue::from_json(const std::string& json) {
    Catalogue catalogue;
    try {
        const auto root = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
        for (const auto& [perimeter, ids] : *root) {
            const auto entries = ids.extract<Poco::JSON::Object::Ptr>();
            for (const auto& [id, value] : *entries) {
                const auto spec = value.extract<Poco::JSON::Object::Ptr>();
                FieldSpec field;
                field.label = spec->optValue<std::string>("label", "");
                field.min_length = spec->isNull("min") ? 0 : spec->optValue<int>("min", 0);
                if (spec->has("max") && !spec->isNull("max")) field.max_length = spec->getValue<int>("max");
                catalogue.specs_[perimeter][id] = field;
                ++catalogue.size_;
            }
        }
    } catch (const Poco::Exception& error) {
        throw MalformedError("catalogue 2D-Doc illisible : " + error.displayText());
    }
    return catalogue;
}

const FieldSpec* Catalogue::find(const std::string& perimeter, const std::string& id) const {
    const auto ids = specs_.find(perimeter);
    if (ids == specs_.end()) return nullptr;
    const auto spec = ids->second.find(id);
    return spec == ids->second.end() ? nullptr : &spec->second;
}

const Field* Message::field(const std::string& id) const {
    for (const auto& f : fields) {
        if (f.id == id) return &f;
    }
    return nullptr;
}

namespace {

// The fields of a message from `at` to `us`, appended to `fields`. A variable-length field ends
// at GS, RS or US, or — with no separator — at its maximum length; some issuers end one earlier
// without a separator (a maximum the catalogue gives too large), so shorter lengths down to the
// minimum are tried next, longest first; last (with `known_only`), a value longer than the
// maximum that a later separator ends, kept and flagged `too_long`. The first segmentation that
// reads the whole message wins; with `known_only`, every id must be in the catalogue. False,
// with the first reason in `error`, when none does (or `budget` runs out).
bool read_fields(const std::string& payload, size_t at, size_t us, const std::string& perimeter,
                 const Catalogue& catalogue, bool known_only, std::vector<Field>& fields, size_t& budget,
                 std::string& error) {
    const auto fail = [&](const std::string& reason) {
        if (error.empty()) error = reason;
        return false;
    };
    const auto separator = [&](size_t i) { return i < us && (payload[i] == kGS || payload[i] == kRS); };
    // `field`, then the rest of the message from `next`: false (and `fields` as it was) when
    // the rest cannot be read.
    const auto then = [&](const Field& field, size_t next) {
        fields.push_back(field);
        if (read_fields(payload, next, us, perimeter, catalogue, known_only, fields, budget, error)) return true;
        fields.pop_back();
        return false;
    };
    while (at < us && payload[at] == kGS) ++at;  // stray separators
    if (at >= us) return true;
    if (budget == 0) return fail("2D-Doc : message trop embrouillé pour être découpé");
    --budget;
    if (us - at < 2) return fail("2D-Doc : champ coupé à la position " + std::to_string(at));
    Field field;
    field.id = payload.substr(at, 2);
    at += 2;
    const FieldSpec* spec = catalogue.find(perimeter, field.id);
    if (!spec && known_only) return fail("2D-Doc : champ inconnu « " + field.id + " »");
    if (spec) field.label = spec->label;
    if (spec && spec->fixed()) {
        const size_t length = static_cast<size_t>(*spec->max_length);
        if (at + length > us) {
            return fail("2D-Doc : le champ " + field.id + " doit avoir " + std::to_string(length) + " caractères");
        }
        field.value = payload.substr(at, length);
        at += length;
        field.truncated = at < us && payload[at] == kRS;
        return then(field, separator(at) ? at + 1 : at);
    }
    // Variable length (or an id the catalogue does not know).
    const size_t most = spec && spec->max_length ? static_cast<size_t>(*spec->max_length) : us - at;
    size_t end = at;
    while (end < us && end - at < most && !separator(end)) ++end;
    if (separator(end)) {
        field.value = payload.substr(at, end - at);
        field.truncated = payload[end] == kRS;
        return then(field, end + 1);
    }
    const size_t least = spec ? static_cast<size_t>(std::max(0, spec->min_length)) : end - at;
    for (size_t length = end - at;; --length) {
        field.value = payload.substr(at, length);
        if (then(field, at + length)) return true;
        if (length <= least || length == 0) break;
    }
    if (!known_only) return false;
    size_t stop = end;
    while (stop < us && !separator(stop)) ++stop;
    if (stop >= us || stop == end) return false;
    field.value = payload.substr(at, stop - at);
    field.truncated = payload[stop] == kRS;
    field.too_long = true;
    return then(field, stop + 1);
}

}  // namespace

Message parse(const std::string& payload, const Catalogue& catalogue) {
    Message message;
    if (payload.size() < 4 || payload.compare(0, 2, "DC") != 0) {
        throw MalformedError("2D-Doc : l'en-tête ne commence pas par « DC »");
    }
    const std::string version = payload.substr(2, 2);
    size_t header = 0;
    if (version == "02") {
        header = 22;
    } else if (version == "03") {
        header = 24;
    } else if (version == "04") {
        header = 26;
    } else if (version == "01") {
        // The first, experimental version: one issuer used it, and the specification does not
        // expect verifiers to read it.
        throw MalformedError("2D-Doc : code de la version 01, expérimentale, que les vérificateurs ne lisent pas : "
                             "lisez le document lui-même");
    } else {
        throw MalformedError("2D-Doc : version d'en-tête inconnue « " + version + " »");
    }
    if (payload.size() < header) throw MalformedError("2D-Doc : en-tête incomplet");
    message.version = std::stoi(version);
    message.authority = payload.substr(4, 4);
    message.certificate = payload.substr(8, 4);
    message.issued = hex_date(payload.substr(12, 4), "d'émission");
    message.signed_on = hex_date(payload.substr(16, 4), "de signature");
    message.document_type = payload.substr(20, 2);
    if (message.version >= 3) message.perimeter = payload.substr(22, 2);
    if (message.version >= 4) message.country = payload.substr(24, 2);
    // The header's codes are capitals and digits (C40); anything else is not a 2D-Doc header.
    const auto code = [](const std::string& text) {
        return std::all_of(text.begin(), text.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
    };
    if (!code(message.authority) || !code(message.certificate)) {
        throw MalformedError("2D-Doc : autorité ou certificat illisible dans l'en-tête");
    }
    if (!code(message.document_type)) {
        throw MalformedError("2D-Doc : type de document inconnu « " + message.document_type + " »");
    }
    if (!code(message.perimeter) || !code(message.country)) throw MalformedError("2D-Doc : périmètre ou pays illisible");

    const size_t us = payload.find(kUS, header);
    if (us == std::string::npos) throw MalformedError("2D-Doc : pas de signature (séparateur US absent)");
    message.signed_data = payload.substr(0, us);
    message.signature = payload.substr(us + 1);

    size_t budget = 20000;  // segmentations tried, at most: a hostile message costs no more
    std::string first_error;
    // Every id known to the catalogue first; failing that, unknown ids read up to their separator.
    if (!read_fields(payload, header, us, message.perimeter, catalogue, true, message.fields, budget, first_error)) {
        message.fields.clear();
        first_error.clear();
        if (!read_fields(payload, header, us, message.perimeter, catalogue, false, message.fields, budget, first_error)) {
            throw MalformedError(first_error.empty() ? "2D-Doc : champs illisibles" : first_error);
        }
    }
    return message;
}

}  // namespace comptoir::twoddoc

// ---- signatures ---------------------------------------------------------------------------

namespace comptoir::twoddoc {
namespace {

struct X509Free {
    void operator()(X509* x) const noexcept { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

std::string common_name(const X509_NAME* name) {
    char buffer[256] = {0};
    if (X509_NAME_get_text_by_NID(const_cast<X509_NAME*>(name), NID_commonName, buffer, sizeof buffer) < 0) return "";
    return buffer;
}

// RFC 4648 base32, with or without its "=" padding.
std::optional<std::string> base32_decode(const std::string& text) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        int value = -1;
        if (c >= 'A' && c <= 'Z') value = c - 'A';
        if (c >= '2' && c <= '7') value = c - '2' + 26;
        if (value < 0) return std::nullopt;
        buffer = (buffer << 5) | static_cast<unsigned>(value);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

// RFC 4648 base32 without padding, as 2D-Doc signatures are printed.
std::string base32_encode(const std::string& bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(alphabet[(buffer >> bits) & 31]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

}  // namespace

// ---- The certificates ----------------------------------------------------------------------

namespace {

struct Held {
    X509Ptr certificate;
    std::string file;
};

// A certificate, PEM or DER; null when the bytes are neither.
X509Ptr read_certificate(const std::string& bytes) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), &BIO_free);
    X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (certificate || bytes.find("-----BEGIN") != std::string::npos) return certificate;
    const auto* der = reinterpret_cast<const unsigned char*>(bytes.data());
    return X509Ptr(d2i_X509(nullptr, &der, static_cast<long>(bytes.size())));
}

// Why a site's certificate does not count under the trust list (French), empty when a listed,
// active authority issued it: the one check, for the codes and for the certificates imported.
std::string untrusted_because(const TrustList& list, const std::map<std::string, X509Ptr>& authorities,
                              const std::string& authority, const std::string& id, const X509* certificate) {
    const auto found = authorities.find(authority);
    if (found == authorities.end()) {
        const Authority* listed = list.find(authority);
        return listed ? "autorité " + authority + " retirée de la liste de confiance de l'ANTS"
                      : "autorité " + authority + " absente de la liste de confiance de l'ANTS";
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(found->second.get()), &EVP_PKEY_free);
    if (key && X509_verify(const_cast<X509*>(certificate), key.get()) == 1) return {};
    return "certificat " + authority + "/" + id + " non émis par son autorité de certification";
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return length > 0 ? std::string(data, static_cast<size_t>(length)) : std::string();
}

}  // namespace

struct Certificates::Impl {
    std::map<std::pair<std::string, std::string>, Held> by_name;  // (authority, certificate id)
    std::optional<TrustList> trust;
    std::map<std::string, X509Ptr> authorities;  // from the trust list, by id

    CertificateInfo describe(const X509* certificate, const std::string& file) const {
        CertificateInfo info;
        info.authority = common_name(X509_get_issuer_name(certificate));
        info.id = common_name(X509_get_subject_name(certificate));
        info.file = file;
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0,
                           (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT);
        info.subject = bio_text(bio.get());
        std::tm end{};
        if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &end) == 1) {
            char day[16];
            std::strftime(day, sizeof day, "%Y-%m-%d", &end);
            info.not_after = day;
        }
        info.expired = X509_cmp_current_time(X509_get0_notAfter(certificate)) < 0;
        std::unique_ptr<BIO, decltype(&BIO_free)> pem(BIO_new(BIO_s_mem()), &BIO_free);
        PEM_write_bio_X509(pem.get(), const_cast<X509*>(certificate));
        info.pem = bio_text(pem.get());
        if (info.authority == "FR00") {
            info.problem = "certificat de test de la spécification : ses codes sont dits codes de test";
        } else if (!trust) {
            info.problem = "aucune liste de confiance";
        } else {
            info.problem = untrusted_because(*trust, authorities, info.authority, info.id, certificate);
            info.vouched = info.problem.empty();
        }
        return info;
    }
};

void Certificates::trust(TrustList list) {
    impl_->authorities.clear();
    for (const auto& authority : list.authorities()) {
        const auto* der = reinterpret_cast<const unsigned char*>(authority.certificate_der.data());
        X509Ptr certificate(d2i_X509(nullptr, &der, static_cast<long>(authority.certificate_der.size())));
        if (certificate && authority.active) impl_->authorities[authority.id] = std::move(certificate);
    }
    impl_->trust = std::move(list);
}

Certificates::Certificates() : impl_(std::make_unique<Impl>()) {}
Certificates::~Certificates() = default;
Certificates::Certificates(Certificates&&) noexcept = default;
Certificates& Certificates::operator=(Certificates&&) noexcept = default;

size_t Certificates::size() const { return impl_->by_name.size(); }

void Certificates::add_pem(const std::string& pem) {
    X509Ptr certificate(pem.find("-----BEGIN") != std::string::npos ? read_certificate(pem) : nullptr);
    if (!certificate) throw MalformedError("certificat 2D-Doc illisible (PEM attendu)");
    const std::string authority = common_name(X509_get_issuer_name(certificate.get()));
    const std::string id = common_name(X509_get_subject_name(certificate.get()));
    impl_->by_name[{authority, id}] = Held{std::move(certificate), {}};
}

CertificateInfo Certificates::inspect(const std::string& bytes) const {
    const X509Ptr certificate = read_certificate(bytes);
    if (!certificate) throw MalformedError("ce fichier n'est pas un certificat (PEM ou DER attendu)");
    return impl_->describe(certificate.get(), {});
}

bool Certificates::has(const std::string& authority, const std::string& id) const {
    return impl_->by_name.count({authority, id}) > 0;
}

std::vector<CertificateInfo> Certificates::list() const {
    std::vector<CertificateInfo> out;
    for (const auto& [name, held] : impl_->by_name) out.push_back(impl_->describe(held.certificate.get(), held.file));
    return out;
}

Certificates Certificates::from_folder(const std::string& folder) {
    Certificates certificates;
    certificates.add_folder(folder);
    return certificates;
}

void Certificates::add_folder(const std::string& folder) {
    Poco::File directory(folder);
    if (folder.empty() || !directory.exists() || !directory.isDirectory()) return;
    for (Poco::DirectoryIterator it(folder), end; it != end; ++it) {
        const std::string name = Poco::toLower(it.name());
        const bool certificate_file = Poco::endsWith(name, std::string(".pem")) || Poco::endsWith(name, std::string(".der")) ||
                                      Poco::endsWith(name, std::string(".crt")) || Poco::endsWith(name, std::string(".cer"));
        if (!certificate_file || !it->isFile()) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        X509Ptr certificate = read_certificate(content.str());
        if (!certificate) continue;  // not a certificate (a key, a note): skipped
        const std::string authority = common_name(X509_get_issuer_name(certificate.get()));
        const std::string id = common_name(X509_get_subject_name(certificate.get()));
        impl_->by_name[{authority, id}] = Held{std::move(certificate), it->path()};
    }
}

Verification Certificates::verify(const Message& message) const {
    Verification result;
    result.test_authority = message.authority == "FR00";
    const auto found = impl_->by_name.find({message.authority, message.certificate});
    const X509* certificate = found == impl_->by_name.end() ? nullptr : found->second.certificate.get();
    if (!certificate) {
        result.status = Status::unknown_certificate;
        result.detail = "certificat " + message.authority + "/" + message.certificate +
                        " absent de ce site : l'administrateur peut l'importer";
        return result;
    }
    if (impl_->trust && !result.test_authority) {
        // The certificate counts only if an authority of the list signed it.
        result.detail = untrusted_because(*impl_->trust, impl_->authorities, message.authority, message.certificate,
                                          certificate);
        if (!result.detail.empty()) {
            result.status = Status::unknown_certificate;
            return result;
        }
    }
    const auto raw = base32_decode(message.signature);
    if (!raw || raw->empty() || raw->size() % 2 != 0) {
        result.status = Status::malformed;
        result.detail = "signature illisible";
        return result;
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(const_cast<X509*>(certificate)), &EVP_PKEY_free);
    if (!key) {
        result.status = Status::unknown_certificate;
        result.detail = "certificat sans clé publique";
        return result;
    }
    const int bits = EVP_PKEY_get_bits(key.get());
    const EVP_MD* digest = bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() : EVP_sha256();
    // Raw r‖s, each half the signature, to the DER form OpenSSL verifies.
    const size_t half = raw->size() / 2;
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(ECDSA_SIG_new(), &ECDSA_SIG_free);
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->data()), static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->data() + half), static_cast<int>(half), nullptr);
    if (!signature || !r || !s || ECDSA_SIG_set0(signature.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        result.status = Status::malformed;
        result.detail = "signature illisible";
        return result;
    }
    unsigned char* der = nullptr;
    const int der_length = i2d_ECDSA_SIG(signature.get(), &der);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    const bool ok = der_length > 0 && context &&
                    EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key.get()) == 1 &&
                    EVP_DigestVerify(context.get(), der, static_cast<size_t>(der_length),
                                     reinterpret_cast<const unsigned char*>(message.signed_data.data()),
                                     message.signed_data.size()) == 1;
    OPENSSL_free(der);
    result.status = ok ? Status::valid : Status::invalid_signature;
    result.detail = ok ? (result.test_authority ? "signature valide (autorité de test FR00)" : "signature valide")
                       : "la signature ne correspond pas : le document a pu être modifié";
    return result;
}

// ---- Signing (test documents) -------------------------------------------------------------

std::string sign(const std::string& signed_data, const std::string& private_key_pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, &EVP_PKEY_free);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) throw MalformedError("clé privée EC illisible (PEM attendu)");
    const int bits = EVP_PKEY_get_bits(key.get());
    const EVP_MD* digest = bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() : EVP_sha256();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t der_length = 0;
    if (!context || EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, key.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &der_length, reinterpret_cast<const unsigned char*>(signed_data.data()),
                       signed_data.size()) != 1) {
        throw MalformedError("signature impossible");
    }
    std::string der(der_length, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &der_length,
                       reinterpret_cast<const unsigned char*>(signed_data.data()), signed_data.size()) != 1) {
        throw MalformedError("signature impossible");
    }
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
        d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_length)), &ECDSA_SIG_free);
    if (!signature) throw MalformedError("signature impossible");
    // DER to raw r‖s, each the size of the curve's order.
    const int half = (bits + 7) / 8;
    std::string raw(static_cast<size_t>(2 * half), '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, half) != half ||
        BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + half, half) != half) {
        throw MalformedError("signature impossible");
    }
    return signed_data + '\x1f' + base32_encode(raw);
}

}  // namespace comptoir::twoddoc
