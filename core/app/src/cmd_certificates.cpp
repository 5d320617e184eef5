// comptoir admin certificates import FILE|DIR, comptoir admin certificates list: the site's 2D-Doc
// signing certificates (twoddoc.certificates_dir, by default data.dir/certificats-2ddoc), checked
// against the ANTS trust list by the reader's own check (twoddoc::Reader).
#include "commands.hpp"

#include "comptoir/app/options.hpp"
#include "comptoir/cases/store.hpp"
#include "comptoir/reading/twoddoc.hpp"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

namespace comptoir::cli {
namespace {

constexpr const char* kUsage =
    "usage : comptoir admin certificates import FICHIER|DOSSIER\n"
    "        comptoir admin certificates list";

bool certificate_file(const std::string& name) {
    const std::string lower = Poco::toLower(name);
    for (const char* extension : {".pem", ".der", ".crt", ".cer"}) {
        if (Poco::endsWith(lower, std::string(extension))) return true;
    }
    return false;
}

int import(const twoddoc::Reader& reader, const std::string& path, Store& store) {
    std::vector<std::string> files;
    const Poco::File given(path);
    if (given.exists() && given.isDirectory()) {
        for (Poco::DirectoryIterator it(path), end; it != end; ++it) {
            if (it->isFile() && certificate_file(it.name())) files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) {
            std::cerr << path << " : aucun certificat (.pem, .der, .crt, .cer) dans ce dossier\n";
            return kExitInputFailed;
        }
    } else {
        files.push_back(path);
    }
    int refused = 0;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cerr << file << " : refusé : fichier introuvable ou illisible\n";
            ++refused;
            continue;
        }
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const twoddoc::ImportResult result = reader.import(bytes);
        (result.imported ? std::cout : std::cerr) << file << " : " << result.message << "\n";
        if (!result.imported) ++refused;
        // Who trusted which certificate, and when: the site's audit log (a file name, no data).
        if (result.imported) store.audit("console", "twoddoc.certificate_import", 0, Poco::Path(result.file).getFileName());
    }
    return refused ? kExitInputFailed : kExitOk;
}

int list(const twoddoc::Reader& reader) {
    std::cout << "certificat\tvalable jusqu'au\treconnu par la liste de confiance\tsujet\tfichier\n";
    for (const auto& certificate : reader.certificates()->list()) {
        std::cout << certificate.authority << "/" << certificate.id << "\t" << certificate.not_after
                  << (certificate.expired ? " (expiré)" : "") << "\t"
                  << (certificate.vouched ? "oui" : "non : " + certificate.problem) << "\t" << certificate.subject << "\t"
                  << certificate.file << "\n";
    }
    std::cout << "dossier du site : " << reader.folder() << "\n";
    return kExitOk;
}

}  // namespace

int run_admin_certificates(Invocation& invocation) {
    const auto& args = invocation.args;
    const bool importing = args.size() == 3 && args[1] == "import";
    const bool listing = args.size() == 2 && args[1] == "list";
    if (!importing && !listing) throw BadRequestError("usage", std::string("arguments en trop ou manquants\n") + kUsage);
    const twoddoc::Reader reader = twoddoc::Reader::from_options(pipeline_options(invocation.config).twoddoc);
    if (!importing) return list(reader);
    Store store = open_store(invocation.config);
    return import(reader, args[2], store);
}

}  // namespace comptoir::cli
