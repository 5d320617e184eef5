// The 2D-Doc reader of the pipeline: the shipped catalogue and test certificate, the site's
// certificates and trust list from the options (kept apart from twoddoc.cpp, which the fuzz
// target builds alone); the site's folder read again when it changed, the certificates codes
// needed and the site lacks, and the import of a certificate into the folder.
#include "comptoir/base/error.hpp"
#include "comptoir/base/time.hpp"
#include "comptoir/reading/twoddoc.hpp"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

namespace comptoir::twoddoc {

namespace {

constexpr size_t kMissingKept = 64;  // a forged code names what it likes: the list stays short

// What a change of the folder changes: its certificate files' names, sizes and times. Empty
// when there is no folder.
std::string listing_of(const std::string& folder) {
    if (folder.empty() || !Poco::File(folder).exists() || !Poco::File(folder).isDirectory()) return {};
    std::set<std::string> lines;
    for (Poco::DirectoryIterator it(folder), end; it != end; ++it) {
        struct stat info {};
        if (::stat(it->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
        lines.insert(it.name() + "\t" + std::to_string(info.st_size) + "\t" + std::to_string(info.st_mtim.tv_sec) + "." +
                     std::to_string(info.st_mtim.tv_nsec));
    }
    std::string out = "dossier\n";
    for (const auto& line : lines) out += line + "\n";
    return out;
}

}  // namespace

struct Reader::Site {
    std::string shipped;  // the shipped certificates; empty for a fixed set
    std::string folder;   // the site's; empty for none
    std::optional<TrustList> trust;
    std::mutex mutex;
    std::string listing;  // the folder's, when last read
    std::shared_ptr<const Certificates> current;
    std::map<std::pair<std::string, std::string>, MissingCertificate> missing;

    // The certificates, read again when the folder's listing changed. Under `mutex`.
    std::shared_ptr<const Certificates> refresh() {
        if (shipped.empty() && folder.empty()) return current;
        std::string now = listing_of(folder);
        if (current && now == listing) return current;
        auto certificates = std::make_shared<Certificates>(Certificates::from_folder(shipped));
        certificates->add_folder(folder);
        if (trust) certificates->trust(*trust);
        current = std::move(certificates);
        listing = std::move(now);
        return current;
    }
};

Reader::Reader(Catalogue catalogue, Certificates certificates)
    : catalogue_(std::move(catalogue)), site_(std::make_unique<Site>()) {
    site_->current = std::make_shared<const Certificates>(std::move(certificates));
}

Reader::~Reader() = default;
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;

Reader Reader::from_options(const ReaderOptions& options) {
    const std::string& shipped = options.shipped_dir;
    std::ifstream in(shipped + "/data_ids.json", std::ios::binary);
    if (!in) throw Error("twoddoc_data", "le catalogue des champs 2D-Doc est introuvable (" + shipped + "/data_ids.json)");
    std::ostringstream content;
    content << in.rdbuf();
    Catalogue catalogue;
    try {
        catalogue = Catalogue::from_json(content.str());
    } catch (const MalformedError& error) {
        throw Error("twoddoc_data", std::string("catalogue des champs 2D-Doc : ") + error.what());
    }
    const std::string site = options.certificates_dir;
    if (!site.empty() && options.create_certificates_dir) {
        // The default folder, made when missing; one that cannot be made (a read-only home for a
        // one-off `comptoir process`) leaves the site with the shipped certificates, as before.
        try {
            if (!Poco::File(site).exists()) {
                Poco::File(Poco::Path(site).parent()).createDirectories();
                ::mkdir(site.c_str(), 0750);
            }
        } catch (const Poco::Exception&) {
        }
    } else if (!site.empty() && (!Poco::File(site).exists() || !Poco::File(site).isDirectory())) {
        throw Error("twoddoc_data", "twoddoc.certificates_dir : le dossier " + site + " est introuvable");
    }
    Reader reader(std::move(catalogue), Certificates());
    reader.site_->shipped = shipped + "/certificates";
    reader.site_->folder = site;
    try {
        reader.site_->trust = TrustList::from_file(options.trust_list);
    } catch (const MalformedError& error) {
        throw Error("twoddoc_data", std::string("twoddoc.trust_list : ") + error.what());
    }
    reader.site_->current.reset();
    std::lock_guard<std::mutex> lock(reader.site_->mutex);
    reader.site_->refresh();
    return reader;
}

std::shared_ptr<const Certificates> Reader::certificates() const {
    std::lock_guard<std::mutex> lock(site_->mutex);
    return site_->refresh();
}

const std::string& Reader::folder() const { return site_->folder; }

const TrustList* Reader::trust_list() const { return site_->trust ? &*site_->trust : nullptr; }

std::vector<MissingCertificate> Reader::missing() const {
    std::lock_guard<std::mutex> lock(site_->mutex);
    const auto certificates = site_->refresh();
    std::vector<MissingCertificate> out;
    for (const auto& [key, entry] : site_->missing) {
        if (!certificates->has(key.first, key.second)) out.push_back(entry);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.last_seen > b.last_seen; });
    return out;
}

std::optional<Barcode> Reader::read(const std::string& payload, uint32_t page, const Box& box) const {
    if (payload.size() < 4 || payload.compare(0, 2, "DC") != 0) return std::nullopt;
    Barcode barcode;
    barcode.page = page;
    barcode.box = box;
    barcode.format = "2ddoc";
    barcode.version = payload.substr(2, 2);
    try {
        const Message message = parse(payload, catalogue_);
        barcode.authority = message.authority;
        barcode.certificate = message.certificate;
        barcode.document_type = message.document_type;
        std::string too_long;
        for (const auto& field : message.fields) {
            barcode.fields.emplace_back(field.id, field.value);
            if (field.too_long) {
                too_long += " ; le champ " + field.id + " est plus long que la spécification ne le permet";
            }
        }
        const auto certificates = this->certificates();
        const Verification verification = certificates->verify(message);
        barcode.status = verification.status;
        barcode.test_authority = verification.test_authority;
        barcode.detail = verification.detail + too_long;
        if (verification.status == Status::unknown_certificate &&
            !certificates->has(message.authority, message.certificate)) {
            std::lock_guard<std::mutex> lock(site_->mutex);
            auto& missing = site_->missing;
            const std::pair<std::string, std::string> key{message.authority, message.certificate};
            if (!missing.count(key) && missing.size() >= kMissingKept) {
                missing.erase(std::min_element(missing.begin(), missing.end(), [](const auto& a, const auto& b) {
                    return a.second.last_seen < b.second.last_seen;
                }));
            }
            auto& entry = missing[key];
            entry.authority = message.authority;
            entry.certificate = message.certificate;
            ++entry.codes;
            entry.last_seen = now_iso();
        }
    } catch (const MalformedError& error) {
        barcode.status = Status::malformed;
        barcode.detail = error.what();
    }
    return barcode;
}

ImportResult Reader::import(const std::string& bytes) const {
    ImportResult result;
    if (site_->folder.empty()) {
        result.message = "refusé : ce site n'a pas de dossier de certificats (twoddoc.certificates_dir)";
        return result;
    }
    const auto certificates = this->certificates();
    CertificateInfo info;
    try {
        info = certificates->inspect(bytes);
    } catch (const MalformedError& error) {
        result.message = std::string("refusé : ") + error.what();
        return result;
    }
    const std::string name = info.authority + "/" + info.id;
    const auto is_code = [](const std::string& text) {
        return text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) {
                   return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
               });
    };
    if (!is_code(info.authority) || !is_code(info.id)) {
        result.message = "refusé : ce certificat ne nomme pas une autorité et un certificat 2D-Doc "
                         "(deux codes de 4 caractères, dans le CN de l'émetteur et du sujet)";
        return result;
    }
    if (certificates->has(info.authority, info.id)) {
        result.message = "refusé : le certificat " + name + " est déjà connu de ce site";
        return result;
    }
    if (!info.vouched) {
        result.message = "refusé : " + info.problem;
        return result;
    }
    result.file = Poco::Path(site_->folder).append(info.authority + "-" + info.id + ".pem").toString();
    if (Poco::File(result.file).exists()) {
        result.message = "refusé : le fichier " + result.file + " existe déjà ; retirez-le d'abord pour le remplacer";
        return result;
    }
    // Written beside, then renamed: the server never reads half a certificate.
    const std::string part = result.file + ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out << info.pem;
        out.flush();
        if (!out) {
            std::remove(part.c_str());
            result.message = "refusé : impossible d'écrire dans " + site_->folder;
            return result;
        }
    }
    ::chmod(part.c_str(), 0640);
    if (std::rename(part.c_str(), result.file.c_str()) != 0) {
        std::remove(part.c_str());
        result.message = "refusé : impossible d'écrire dans " + site_->folder;
        return result;
    }
    result.imported = true;
    result.message = "importé : certificat " + name + " (valable jusqu'au " + info.not_after + ") dans " + result.file;
    if (info.expired) {
        result.message += " ; attention : il a expiré le " + info.not_after +
                          ", les codes signés avant cette date restent vérifiables";
    }
    return result;
}

}  // namespace comptoir::twoddoc
