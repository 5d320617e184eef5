// The administrator's commands: admin user, rekey, audit, new-key (certificates: cmd_certificates.cpp).
#include "commands.hpp"

#include "comptoir/app/options.hpp"
#include "comptoir/cases/store.hpp"

#include <Poco/File.h>
#include <Poco/String.h>
#include <Poco/NumberParser.h>

#include <fstream>
#include <iostream>

namespace comptoir::cli {

// ---- admin ----------------------------------------------------------------------------------

constexpr const char* kAdminUsage =
    "usage : comptoir admin create-user --login IDENTIFIANT [--role mediator|admin] < mot-de-passe\n"
    "        comptoir admin new-key FICHIER\n"
    "        comptoir admin rekey\n"
    "        comptoir admin audit [--case NUMÉRO]\n"
    "        comptoir admin certificates import FICHIER|DOSSIER\n"
    "        comptoir admin certificates list";

Store open_store(const Config& config) {
    return Store(config.data_dir(), config.database_engine(), config.database_connection(),
                 SpoolCrypto::from_options(storage_options(config)));
}

namespace {

// comptoir admin create-user --login L --role mediator|admin : the password is read from the
// standard input (one line), never from the command line where `ps` would show it.
int admin_create_user(Invocation& invocation) {
    if (!invocation.has("login")) throw BadRequestError("usage", "option manquante : --login");
    const std::string role = invocation.has("role") ? invocation.options["role"] : "mediator";
    if (isatty(0)) std::cerr << "Mot de passe (12 caractères au moins) : " << std::flush;
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    Store store = open_store(invocation.config);
    Accounts::Limits limits;
    limits.password_dictionary = invocation.config.auth_password_dictionary();
    Accounts accounts(store, limits);
    try {
        const Account account = accounts.create(invocation.options["login"], role, password, "console");
        std::cout << "compte créé : " << account.login << " (" << account.role << ")\n";
        return kExitOk;
    } catch (const ConflictError& error) {
        std::cerr << "comptoir admin : " << error.what() << "\n";
        return kExitInputFailed;
    }
}

}  // namespace

namespace {

// Every file of the spool written again with the current key: after a rotation (the old key in
// storage.previous_key_file), or to encrypt a spool written before encryption was on.
int admin_rekey(Invocation& invocation) {
    const SpoolCrypto crypto = SpoolCrypto::from_options(storage_options(invocation.config));
    if (!crypto.enabled()) throw BadRequestError("usage", "le chiffrement est désactivé (storage.encryption = off).");
    Store store(invocation.config.data_dir(), invocation.config.database_engine(), invocation.config.database_connection(),
                crypto);
    int rewritten = 0, kept = 0, failed = 0;
    std::vector<std::string> folders{Spool(invocation.config.data_dir()).root()};
    while (!folders.empty()) {
        const std::string folder = folders.back();
        folders.pop_back();
        std::vector<Poco::File> entries;
        Poco::File(folder).list(entries);
        for (auto& entry : entries) {
            if (entry.isDirectory()) {
                folders.push_back(entry.path());
                continue;
            }
            if (Poco::endsWith(entry.path(), std::string(".part"))) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (SpoolCrypto::key_id_of(stored) == crypto.key_id()) {
                ++kept;
                continue;
            }
            try {
                const std::string plain = SpoolCrypto::is_sealed(stored) ? crypto.open(stored) : stored;
                crypto.write_file(entry.path(), plain);
                ++rewritten;
            } catch (const Error& error) {
                ++failed;
                std::cerr << "comptoir admin rekey : " << entry.path() << " : " << error.what() << "\n";
            }
        }
    }
    // The base's values too (sealed with the previous key, or clear): all or none.
    int values = 0;
    try {
        values = store.reseal_values();
    } catch (const Error& error) {
        ++failed;
        std::cerr << "comptoir admin rekey : base de données : " << error.what() << "\n";
    }
    store.audit("console", "storage.rekey", 0,
                std::to_string(rewritten) + " fichier(s), " + std::to_string(values) + " valeur(s), clé " + crypto.key_id());
    std::cout << rewritten << " fichier(s) chiffré(s) avec la clé " << crypto.key_id() << ", " << kept
              << " déjà à jour, " << failed << " en échec ; " << values << " valeur(s) de la base chiffrée(s)\n";
    return failed ? kExitInputFailed : kExitOk;
}

}  // namespace

namespace {

int admin_audit(Invocation& invocation) {
    Store store = open_store(invocation.config);
    int64_t case_id = 0;
    if (invocation.has("case") && !Poco::NumberParser::tryParse64(invocation.options["case"], case_id)) {
        throw BadRequestError("usage", "numéro de dossier invalide : " + invocation.options["case"]);
    }
    auto entries = store.audit_log(case_id, 100000);
    std::reverse(entries.begin(), entries.end());
    for (const auto& entry : entries) {
        std::cout << entry.at << "\t" << entry.login << "\t" << entry.action << "\t"
                  << (entry.case_id ? std::to_string(entry.case_id) : "-") << "\t" << entry.detail << "\n";
    }
    return kExitOk;
}

}  // namespace

int run_admin(Invocation& invocation) {
    const std::string& what = invocation.args.at(0);
    if (what == "certificates") return run_admin_certificates(invocation);
    const size_t wanted = what == "new-key" ? 2 : 1;
    if (invocation.args.size() != wanted) throw BadRequestError("usage", std::string("arguments en trop ou manquants\n") + kAdminUsage);
    if (what == "create-user") return admin_create_user(invocation);
    if (what == "rekey") return admin_rekey(invocation);
    if (what == "audit") return admin_audit(invocation);
    if (what == "new-key") {
        SpoolCrypto::write_new_key(invocation.args.at(1));
        std::cout << "clé créée : " << invocation.args.at(1) << " (empreinte "
                  << SpoolCrypto(SpoolCrypto::read_key(invocation.args.at(1)), std::nullopt).key_id()
                  << ") ; indiquez-la dans storage.key_file\n";
        return kExitOk;
    }
    throw BadRequestError("usage", "sous-commande inconnue : " + what + "\n" + kAdminUsage);
}

}  // namespace comptoir::cli
