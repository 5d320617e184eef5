#include "comptoir/cases/spool.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/time.hpp"
#include "comptoir/cases/store.hpp"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include <sys/stat.h>

#include <set>
#include <vector>

namespace comptoir {
namespace {

Poco::Logger& log() { return Poco::Logger::get("comptoir.desk"); }

}  // namespace

std::string Spool::folder_of(const std::string& data_dir) { return Poco::Path(data_dir).append("spool").toString(); }

Spool::Spool(const std::string& data_dir) : root_(folder_of(data_dir)) {
    try {
        Poco::File(root_).createDirectories();
        ::chmod(root_.c_str(), 0700);  // only the service reads the spool, whatever the umask
    } catch (const Poco::Exception& error) {
        throw Error("store", "Le dossier des données " + data_dir + " est inutilisable : " + error.displayText());
    }
}

std::string Spool::case_dir(int64_t case_id) const {
    return Poco::Path(root_).append("case-" + std::to_string(case_id)).toString();
}

std::string Spool::document_dir(int64_t case_id, int64_t document_id) const {
    const std::string dir = Poco::Path(case_dir(case_id)).append("document-" + std::to_string(document_id)).toString();
    if (!Poco::File(dir).exists()) {
        Poco::File(dir).createDirectories();
        ::chmod(case_dir(case_id).c_str(), 0700);  // the case's and the document's folders: the service's only
        ::chmod(dir.c_str(), 0700);
    }
    return dir;
}

std::string Spool::input_path(int64_t case_id, int64_t document_id, const std::string& format) const {
    return Poco::Path(document_dir(case_id, document_id)).append("input." + format).toString();
}

std::string Spool::letter_inputs_path(const std::string& letter_pdf_path) {
    return Poco::Path(letter_pdf_path).setExtension("inputs").toString();
}

std::string Spool::letter_path(int64_t case_id, int64_t document_id, int64_t letter_id) const {
    return Poco::Path(document_dir(case_id, document_id)).append("letter-" + std::to_string(letter_id) + ".pdf").toString();
}

std::string Spool::draft_path(int64_t case_id, int64_t document_id) const {
    return Poco::Path(case_dir(case_id)).append("document-" + std::to_string(document_id)).append(kDraftName).toString();
}

std::string Spool::sheet_path(const std::string& letter_path) {
    Poco::Path path(letter_path);
    return path.setFileName(path.getBaseName() + ".fiche.pdf").toString();
}

std::string Spool::rendition_path(int64_t case_id, int64_t document_id, int64_t page, int width, int rotation) const {
    const std::string name = "page-" + std::to_string(page) + "-w" + (width > 0 ? std::to_string(width) : "full") + "-r" +
                             std::to_string(rotation) + ".png";
    return Poco::Path(document_dir(case_id, document_id)).append(name).toString();
}

bool Spool::is_rendition(const std::string& file_name) {
    const bool partial = file_name.size() > 5 && file_name.compare(file_name.size() - 5, 5, ".part") == 0;
    return !partial && file_name.rfind("page-", 0) == 0;
}

void Spool::remove_renditions(int64_t case_id, int64_t document_id) const {
    Poco::File folder(Poco::Path(case_dir(case_id)).append("document-" + std::to_string(document_id)).toString());
    if (!folder.exists()) return;
    std::vector<std::string> files;
    folder.list(files);
    for (const auto& name : files) {
        if (name.rfind("page-", 0) != 0) continue;
        try {
            Poco::File(Poco::Path(folder.path()).append(name).toString()).remove();
        } catch (const Poco::Exception& error) {
            log().error("image de page non effacée (" + error.displayText() + ")");
        }
    }
}

void Spool::remove_case(int64_t case_id) const {
    Poco::File dir(case_dir(case_id));
    try {
        if (dir.exists()) dir.remove(true);
    } catch (const Poco::Exception& error) {
        log().error("dossier " + std::to_string(case_id) + " : fichiers non effacés (" + error.displayText() + ")");
        throw Error("forget_failed", "Les fichiers du dossier n'ont pas pu être effacés du disque : prévenez "
                                     "l'administrateur du site.");
    }
}

void Spool::remove_document(int64_t case_id, int64_t document_id) const {
    Poco::File dir(Poco::Path(case_dir(case_id)).append("document-" + std::to_string(document_id)).toString());
    try {
        if (dir.exists()) dir.remove(true);
    } catch (const Poco::Exception& error) {
        log().error("document " + std::to_string(document_id) + " : fichiers non effacés (" + error.displayText() + ")");
        throw Error("forget_failed", "Les fichiers du document n'ont pas pu être effacés du disque : prévenez "
                                     "l'administrateur du site.");
    }
}

int64_t Spool::number_of(const std::string& name, const std::string& prefix) {
    int64_t id = 0;
    if (name.rfind(prefix, 0) != 0 || !Poco::NumberParser::tryParse64(name.substr(prefix.size()), id) || id <= 0) return 0;
    return id;
}

void Spool::sweep(Store& store, int64_t min_age_seconds) const {
    const Poco::Timestamp limit = Poco::Timestamp() - Poco::Timespan(min_age_seconds, 0);
    const auto old_enough = [&](Poco::File& file) {
        try {
            return file.getLastModified() <= limit;
        } catch (const Poco::Exception&) {
            return false;
        }
    };
    const auto remove = [&](Poco::File& file, const std::string& what) {
        try {
            file.remove(true);
            log().warning(what + " sans dossier ni document effacé : " + Poco::Path(file.path()).getFileName());
        } catch (const Poco::Exception& error) {
            log().error("fichier resté dans le dépôt non effacé (" + error.displayText() + ")");
        }
    };
    try {
        const std::string cutoff = iso_utc(limit);
        for (const auto& letter : store.unwritten_letters()) {
            if (letter.created_at > cutoff) continue;
            store.delete_letter(letter.id);
            log().warning("dossier " + std::to_string(letter.case_id) + " : courrier " + std::to_string(letter.id) +
                          " jamais écrit, retiré");
        }
        std::vector<std::string> cases;
        Poco::File(root_).list(cases);
        for (const auto& case_name : cases) {
            Poco::File case_folder(Poco::Path(root_).append(case_name).toString());
            const int64_t case_id = number_of(case_name, "case-");
            if (case_id == 0 || !case_folder.isDirectory()) continue;  // not the spool's: left alone
            if (!store.find_case(case_id)) {
                if (old_enough(case_folder)) remove(case_folder, "dossier");
                continue;
            }
            std::vector<std::string> documents;
            case_folder.list(documents);
            for (const auto& document_name : documents) {
                Poco::File document_folder(Poco::Path(case_folder.path()).append(document_name).toString());
                const int64_t document_id = number_of(document_name, "document-");
                if (document_id == 0 || !document_folder.isDirectory()) continue;
                const auto document = store.find_document(case_id, document_id);
                if (!document) {
                    if (old_enough(document_folder)) remove(document_folder, "document");
                    continue;
                }
                std::set<std::string> owned{document->input_path, draft_path(case_id, document_id)};
                std::set<std::string> letters;  // "letter-12": its PDF and the files beside it
                for (const auto& letter : store.letters_of(case_id)) {
                    if (letter.document_id == document_id && !letter.path.empty()) {
                        owned.insert(letter.path);
                        letters.insert(Poco::Path(letter.path).getBaseName());
                        owned.insert(sheet_path(letter.path));
                    }
                }
                const auto a_letters = [&letters](const std::string& name) {
                    const size_t end = name.find_first_of(".-", 7);
                    const bool partial = name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0;
                    return !partial && name.rfind("letter-", 0) == 0 && end != std::string::npos && letters.count(name.substr(0, end));
                };
                std::vector<std::string> files;
                document_folder.list(files);
                for (const auto& file_name : files) {
                    Poco::File file(Poco::Path(document_folder.path()).append(file_name).toString());
                    if (owned.count(file.path()) == 0 && !a_letters(file_name) && !is_rendition(file_name) && old_enough(file)) remove(file, "fichier");
                }
            }
        }
    } catch (const std::exception& error) {
        log().error(std::string("nettoyage du dépôt en échec : ") + error.what());
    }
}

}  // namespace comptoir
