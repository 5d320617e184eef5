// The 2D-Doc reader of the pipeline: the shipped catalogue and test certificate, the site's
// certificates and trust list from the options (kept apart from twoddoc.cpp, which the fuzz
// target builds alone).
#include "comptoir/base/error.hpp"
#include "comptoir/reading/twoddoc.hpp"

#include <Poco/File.h>

#include <fstream>
#include <sstream>

namespace comptoir::twoddoc {

Reader::Reader(Catalogue catalogue, Certificates certificates)
    : catalogue_(std::move(catalogue)), certificates_(std::move(certificates)) {}

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
    Certificates certificates = Certificates::from_folder(shipped + "/certificates");
    const std::string site = options.certificates_dir;
    if (!site.empty()) {
        if (!Poco::File(site).exists() || !Poco::File(site).isDirectory()) {
            throw Error("twoddoc_data", "twoddoc.certificates_dir : le dossier " + site + " est introuvable");
        }
        certificates.add_folder(site);
    }
    try {
        certificates.trust(TrustList::from_file(options.trust_list));
    } catch (const MalformedError& error) {
        throw Error("twoddoc_data", std::string("twoddoc.trust_list : ") + error.what());
    }
    return Reader(std::move(catalogue), std::move(certificates));
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
        for (const auto& field : message.fields) {
            barcode.fields.emplace_back(field.id, field.value);
            if (field.too_long) {
                barcode.detail += std::string(barcode.detail.empty() ? "" : " ; ") + "le champ " + field.id +
                                  " est plus long que la spécification ne le permet";
            }
        }
        const Verification verification = certificates_.verify(message);
        barcode.status = verification.status;
        barcode.test_authority = verification.test_authority;
        barcode.detail = verification.detail;
    } catch (const MalformedError& error) {
        barcode.status = Status::malformed;
        barcode.detail = error.what();
    }
    return barcode;
}

}  // namespace comptoir::twoddoc
