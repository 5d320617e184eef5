// The `comptoir` binary as a user runs it: subcommands, exit statuses, configuration errors,
// and `serve` stopped by SIGTERM.
#include "comptoir/cases/accounts.hpp"
#include "comptoir/app/config.hpp"
#include "comptoir/cases/store.hpp"
#include "comptoir/cases/spool.hpp"
#include "comptoir/cases/spool_crypto.hpp"
#include "test_support.hpp"

#include <comptoir/plugin.h>

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <regex>

using comptoir::test::ProcessResult;
using comptoir::test::TempDir;

namespace {

const std::string kBinary = COMPTOIR_BINARY;

ProcessResult comptoir_run(const std::vector<std::string>& args, const std::string& working_dir = {}) {
    return comptoir::test::run_process(kBinary, args, working_dir);
}

// A config whose plugin folder holds libre and the given test plugins.
std::string plugin_config(const TempDir& dir, const std::vector<std::string>& test_plugins,
                          const std::string& extra = {}) {
    dir.write("plugins/.keep", "");
    comptoir::test::copy_file(std::string(COMPTOIR_BUILD_PLUGINS_DIR) + "/libre.so", dir.file("plugins/libre.so"));
    for (const auto& name : test_plugins) {
        comptoir::test::copy_file(std::string(COMPTOIR_TEST_PLUGINS_DIR) + "/" + name, dir.file("plugins/" + name));
    }
    return dir.write("comptoir.properties", "plugins.dir = plugins\ndata.dir = donnees\n" + extra);
}

}  // namespace

TEST(Cli, WithoutACommandPrintsUsageAndExits2) {
    const auto result = comptoir_run({});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("usage : comptoir <commande>"), std::string::npos);
}

TEST(Cli, HelpListsEveryCommand) {
    const auto result = comptoir_run({"--help"});
    EXPECT_EQ(result.exit_code, 0);
    for (const char* command : {"serve", "scanners", "scan", "process", "letter", "plugins", "plugin-check"}) {
        EXPECT_NE(result.out.find(std::string("  ") + command + " "), std::string::npos) << command;
    }
}

TEST(Cli, EveryCommandHasItsOwnHelp) {
    for (const char* command : {"serve", "scanners", "scan", "process", "letter", "plugins", "plugin-check", "config"}) {
        const auto result = comptoir_run({command, "--help"});
        EXPECT_EQ(result.exit_code, 0) << command;
        EXPECT_NE(result.out.find(std::string("usage: comptoir ") + command), std::string::npos) << result.out;
        EXPECT_NE(result.out.find("--config"), std::string::npos) << command;
    }
}

TEST(Cli, UnknownCommandOrOptionIsAUsageError) {
    auto result = comptoir_run({"imprimer"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("commande inconnue « imprimer »"), std::string::npos);
    result = comptoir_run({"plugins", "--bavard"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("option invalide"), std::string::npos);
    result = comptoir_run({"plugins", "en-trop"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("argument en trop"), std::string::npos);
    result = comptoir_run({"plugins", "--config"});
    EXPECT_EQ(result.exit_code, 2);
}

TEST(Cli, VersionPrintsTheVersion) {
    const auto result = comptoir_run({"--version"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(^comptoir \d+\.\d+\.\d+)")));
}

TEST(Cli, PluginsListsTheExamplePlugin) {
    TempDir dir;
    const auto config = plugin_config(dir, {});
    const auto result = comptoir_run({"plugins", "--config", config});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    // The ABI it needs: nothing of 1.2 in its table (plugin.h, "Versions").
    const std::string abi =
        "ABI " + std::to_string(COMPTOIR_PLUGIN_ABI_MAJOR) + "." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR_FIELD_BARCODE);
    EXPECT_NE(result.out.find("libre 1.0.0 — Comptoir — " + abi), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("date_document — Date du document (date)"), std::string::npos);
    EXPECT_NE(result.out.find("libre.courrier — tout document"), std::string::npos);
}

TEST(Cli, PluginsSayALetterWithoutTemplateAndWhyAnInitFailed) {
    TempDir dir;
    // faulty declares the letter faulty.reponse, which no template folder holds; init_throws'
    // init throws, init_fails' logs its reason and fails.
    const auto config = plugin_config(dir, {"faulty.so", "init_throws.so", "init_fails.so"});
    const auto result = comptoir_run({"plugins", "--config", config});
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.out.find("le greffon « faulty » propose le courrier « faulty.reponse » sans modèle"), std::string::npos)
        << result.out;
    EXPECT_EQ(result.out.find("courrier « libre.courrier » sans modèle"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("init_throws.so (init_throws) : l'initialisation a échoué (statut ERROR) : init: table des tarifs "
                              "absente"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("init_fails.so (init_fails) : l'initialisation a échoué (statut ERROR) : fichier de données "
                              "introuvable"),
              std::string::npos)
        << result.out;
}

TEST(Cli, PluginsSayTheSitesTemplatesToRevise) {
    TempDir dir;
    // The site's own free letter prints a value nothing gives (a typo), and an old-format one.
    dir.write("modeles/libre.courrier.lettre",
              "id = libre.courrier\ntitle = Courrier\nrecipient = {{destinataire}}\nsubject = {{objet}}\n"
              "question.destinataire.label = Adresse\nquestion.destinataire.type = paragraphes\n"
              "question.objet.label = Objet\n---\nBonjour {{nom_inconu}}.\n");
    const auto config = plugin_config(dir, {}, "templates.dir = modeles\n");
    auto result = comptoir_run({"plugins", "--config", config});
    EXPECT_NE(result.out.find("Modèles de courrier à revoir"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("libre.courrier.lettre : le modèle utilise {{nom_inconu}}"), std::string::npos) << result.out;
    // Fixed: only the former recipient's warning is left.
    dir.write("modeles/libre.courrier.lettre",
              "id = libre.courrier\ntitle = Courrier\nrecipient = {{destinataire}}\nsubject = {{objet}}\n"
              "question.destinataire.label = Adresse\nquestion.destinataire.type = paragraphes\n"
              "question.objet.label = Objet\n---\nBonjour.\n");
    result = comptoir_run({"plugins", "--config", config});
    EXPECT_EQ(result.out.find("refusé :"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("attention : "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("peut sortir incomplet"), std::string::npos) << result.out;
}

TEST(Cli, PluginsShowsRejectedPluginsWithTheirReasonAndExits1) {
    TempDir dir;
    const auto config = plugin_config(dir, {"abi_major.so", "null_entry.so"});
    const auto result = comptoir_run({"plugins", "--config=" + config});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.out.find("libre 1.0.0"), std::string::npos);
    EXPECT_NE(result.out.find("Greffons refusés (2)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("abi_major.so (abi_major) : ABI du greffon 2.0 incompatible"), std::string::npos);
    EXPECT_NE(result.out.find("null_entry.so : comptoir_plugin_entry a renvoyé NULL"), std::string::npos);
    // The log line names the plugin and the reason too.
    EXPECT_NE(result.err.find("greffon refusé : abi_major.so"), std::string::npos) << result.err;
}

TEST(Cli, PluginsJsonIsMachineReadable) {
    TempDir dir;
    const auto config = plugin_config(dir, {"empty_id.so"});
    const auto result = comptoir_run({"plugins", "--json", "--config", config});
    EXPECT_EQ(result.exit_code, 1);
    const auto json = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getArray("loaded")->getObject(0)->getValue<std::string>("id"), "libre");
    EXPECT_EQ(json->getArray("rejected")->getObject(0)->getValue<std::string>("reason"), "identifiant du greffon vide");
}

TEST(Cli, PluginsJsonShowsFieldSpecsAndTheirOwnCheck) {
    TempDir dir;
    const auto config = plugin_config(dir, {"specs.so"});
    const auto result = comptoir_run({"plugins", "--json", "--config", config});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto json = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Object::Ptr libre;
    Poco::JSON::Object::Ptr specs;
    for (size_t i = 0; i < json->getArray("loaded")->size(); ++i) {
        const auto plugin = json->getArray("loaded")->getObject(static_cast<unsigned>(i));
        (plugin->getValue<std::string>("id") == "specs" ? specs : libre) = plugin;
    }
    ASSERT_TRUE(specs && libre);
    EXPECT_TRUE(specs->getValue<bool>("own_check"));
    EXPECT_FALSE(libre->getValue<bool>("own_check"));
    EXPECT_EQ(specs->getValue<std::string>("abi"), "1.2");
    std::map<std::string, Poco::JSON::Object::Ptr> fields;
    for (size_t i = 0; i < specs->getArray("fields")->size(); ++i) {
        const auto field = specs->getArray("fields")->getObject(static_cast<unsigned>(i));
        fields[field->getValue<std::string>("key")] = field;
    }
    EXPECT_EQ(fields.at("numero")->getValue<int>("min_length"), 9);
    EXPECT_EQ(fields.at("numero")->getValue<int>("max_length"), 9);
    EXPECT_EQ(fields.at("numero")->getValue<std::string>("alphabet"), "digits");
    EXPECT_EQ(fields.at("reference")->getValue<int>("min_length"), 4);
    EXPECT_EQ(fields.at("reference")->getValue<std::string>("alphabet"), "upper_alnum");
    // A field without bounds has none of the three.
    EXPECT_FALSE(fields.at("libelle")->has("min_length"));
    EXPECT_FALSE(fields.at("libelle")->has("max_length"));
    EXPECT_FALSE(fields.at("libelle")->has("alphabet"));
}

TEST(Cli, ConfigErrorNamesTheKeyAndTheFileAndExits2) {
    TempDir dir;
    const auto config = dir.write("comptoir.properties", "server.port = 8080\nocr.langues = fra\n");
    const auto result = comptoir_run({"plugins", "--config", config});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(config), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("« ocr.langues »"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("« ocr.languages »"), std::string::npos) << result.err;
}

TEST(Cli, ReadsComptoirPropertiesFromTheCurrentFolder) {
    TempDir dir;
    plugin_config(dir, {}, "site.city = Lorient\n");
    const auto result = comptoir_run({"config"}, dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("site.city = Lorient"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("plugins.dir = " + dir.path() + "/plugins"), std::string::npos) << result.out;
}

TEST(Cli, ConfigShowsTheDirectoryOfOfficesAndWarnsOfWhatToMend) {
    TempDir dir;
    const auto config = plugin_config(dir, {}, "site.caf_address = Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes\n"
                                               "offices.ccas.kind = ccas\noffices.ccas.name = CCAS de Lorient\n"
                                               "offices.ccas.lines = Hôtel de ville | Bureau 3\nsite.departement = 56\n");
    const auto result = comptoir_run({"config", "--config", config});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    for (const char* line : {"(département du site : 56)", "# organisme caf (lu de site.caf_address, l'ancienne forme)\n",
                             "offices.caf.kind = caf\n", "offices.caf.name = Caf du Morbihan\n", "offices.caf.lines = 2 rue de Tivoli\n",
                             "offices.caf.postcode = 56000\n", "offices.caf.city = Vannes\n",
                             "# organisme ccas — incomplet : les courriers demanderont l'adresse au médiateur\n",
                             "offices.ccas.lines = Hôtel de ville | Bureau 3\n"}) {
        EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;
    }
    EXPECT_EQ(result.out.find("site.caf_address ="), std::string::npos) << result.out;
    EXPECT_NE(result.err.find("« site.caf_address » est l'ancienne forme"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("« offices.ccas » n'est pas complet"), std::string::npos) << result.err;
}

TEST(Cli, ServeAnswersHealthAndStopsCleanlyOnSigterm) {
    TempDir dir;
    const auto config = plugin_config(dir, {"abi_major.so"}, "server.port = 0\n");
    comptoir::test::ChildProcess server(kBinary, {"serve", "--config", config});
    const std::string ready = server.wait_for_line("est prêt : http://");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(ready, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) << server.err_so_far();
    const auto port = static_cast<uint16_t>(std::stoi(match[1]));

    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request("GET", "/api/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    EXPECT_EQ(response.getStatus(), 200);
    const auto json = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getObject("plugins")->getArray("loaded")->getElement<std::string>(0), "libre");
    EXPECT_EQ(json->getObject("plugins")->getArray("rejected")->getObject(0)->getValue<std::string>("file"),
              "abi_major.so");

    EXPECT_EQ(server.stop(SIGTERM, 20), 0) << server.err_so_far();
    EXPECT_NE(server.err_so_far().find("arrêt demandé (SIGTERM)"), std::string::npos) << server.err_so_far();
    EXPECT_NE(server.err_so_far().find("Comptoir arrêté."), std::string::npos) << server.err_so_far();
}

TEST(Cli, TheBinaryHoldsOpenMpToOneThreadEvenWhenNotAskedTo) {
    // Started without OMP_THREAD_LIMIT (env -u): `comptoir` sets it before it starts
    // comptoir-full, and comptoir-full started directly re-executes itself with it set.
    for (const std::string& binary : {kBinary, std::string(COMPTOIR_FULL_BINARY)}) {
        SCOPED_TRACE(binary);
        TempDir dir;
        const auto config = plugin_config(dir, {}, "server.port = 0\nocr.engines = 2\n");
        comptoir::test::ChildProcess server(
            "/usr/bin/env", {"-u", "OMP_THREAD_LIMIT", "GLIBC_TUNABLES=glibc.malloc.arena_max=8", binary, "serve", "--config", config});
        const std::string ready = server.wait_for_line("est prêt : http://");
        std::smatch match;
        ASSERT_TRUE(std::regex_search(ready, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) << server.err_so_far();
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<uint16_t>(std::stoi(match[1])));
        Poco::Net::HTTPRequest request("GET", "/api/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        const auto ocr = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getObject("ocr");
        ASSERT_TRUE(ocr) << body;
        EXPECT_EQ(ocr->getValue<int>("omp_thread_limit"), 1);
        EXPECT_EQ(ocr->getValue<int>("engines"), 2);
        EXPECT_EQ(ocr->getValue<std::string>("languages"), "fra");
        // And malloc on huge pages, beside the administrator's own tunable.
        EXPECT_TRUE(ocr->getValue<bool>("huge_pages")) << body;
        EXPECT_EQ(server.stop(SIGTERM, 20), 0);
    }
}

TEST(Cli, AScanLoadsNoReadingLibraryAndOtherCommandsGetThemAll) {
    // The dynamic loader names every library it maps (LD_DEBUG=files, on standard error).
    const std::string root = COMPTOIR_SOURCE_DIR;
    const auto loaded = [&](const std::vector<std::string>& args) {
        const auto result = comptoir::test::run_process("/usr/bin/env", [&] {
            std::vector<std::string> all{"LD_DEBUG=files", kBinary};
            all.insert(all.end(), args.begin(), args.end());
            return all;
        }(), root);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return result.err;
    };
    TempDir dir;
    const std::string scan = loaded({"scan", "--config", "demo/comptoir.properties", "--station", "accueil", "-o", dir.file("p.png")});
    EXPECT_NE(scan.find("file=libsane.so"), std::string::npos);
    for (const char* library : {"libtesseract", "libpoppler", "libpq", "libhpdf", "libsqlite3", "libPocoData"}) {
        EXPECT_EQ(scan.find(std::string("file=") + library), std::string::npos) << library << " loaded for a scan";
    }
    // Any other command runs in comptoir-full (started in the same process, under the same
    // name), which has them.
    const std::string config = loaded({"config", "--config", "demo/comptoir.properties"});
    EXPECT_NE(config.find("file=libtesseract"), std::string::npos);
}

TEST(Cli, TheDemoStationsScanWithNoHardware) {
    // The README's run command uses demo/comptoir.properties from the repository's root.
    const std::string root = COMPTOIR_SOURCE_DIR;
    auto result = comptoir_run({"scanners", "--config", "demo/comptoir.properties"}, root);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("accueil — Accueil (page d'exemple) : prêt, scanner pnm:0"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("essai — Scanner d'essai : prêt, scanner test:0"), std::string::npos) << result.out;

    TempDir dir;
    result = comptoir_run({"scan", "--config", "demo/comptoir.properties", "--station", "accueil", "-o", dir.file("page.png")}, root);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("(1241 × 1754 pixels, 150 dpi)"), std::string::npos) << result.out;
    EXPECT_GT(comptoir::test::read_file(dir.file("page.png")).size(), 10000u);

    // Without -o: scan-<station>-<time>.png in the current folder.
    result = comptoir_run({"scan", "--config", root + "/demo/comptoir.properties", "--station", "essai", "--preview"}, dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find(" dpi)"), std::string::npos);
    EXPECT_NE(result.out.find("scan-essai-"), std::string::npos) << result.out;
}

TEST(Cli, ScanOnAnUnknownStationIsAUsageError) {
    const std::string root = COMPTOIR_SOURCE_DIR;
    auto result = comptoir_run({"scan", "--config", "demo/comptoir.properties", "--station", "cuisine"}, root);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("Le poste « cuisine » n'existe pas."), std::string::npos) << result.err;
    result = comptoir_run({"scan", "--config", "demo/comptoir.properties"}, root);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--station"), std::string::npos) << result.err;
}

TEST(Cli, LetterWritesThePdfOrSaysWhatIsMissing) {
    TempDir dir;
    const auto config = plugin_config(dir, {}, "site.name = PIMMS de Lorient\nsite.city = Lorient\n");
    const std::string data = dir.write("donnees.json", R"({"fields": {"date_document": "2024-03-12"},
        "answers": {"expediteur_nom": "Amina Benali", "expediteur_adresse": "3 rue des Lilas\n56100 Lorient",
                    "destinataire": "Lorient Habitat\n56100 Lorient", "objet": "Chauffage en panne",
                    "texte": "Le chauffage ne fonctionne plus depuis le 2 novembre."}})");
    auto result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "libre.courrier", "--data", data,
                                "-o", dir.file("lettre.pdf")});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto text = comptoir::test::run_process("/usr/bin/pdftotext", {dir.file("lettre.pdf"), "-"});
    EXPECT_NE(text.out.find("Chauffage en panne"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Lorient, le "), std::string::npos);

    const std::string partial = dir.write("partiel.json", R"({"fields": {}, "answers": {"objet": "Chauffage"}})");
    result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "libre.courrier", "--data", partial,
                           "-o", dir.file("partiel.pdf")});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("Il manque pour ce courrier : "), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("Nom et prénom de la personne"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("À qui écrire"), std::string::npos) << result.err;
    // Only the letter's questions are answers: a document's value is not overwritten by one.
    const std::string forged = dir.write("force.json", R"({"fields": {}, "answers": {"objet": "Chauffage", "numero_facture": "FAUX-000"}})");
    result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "libre.courrier", "--data", forged,
                           "-o", dir.file("force.pdf")});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("« numero_facture » n'est pas une question du courrier"), std::string::npos) << result.err;

    result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "edf.delai_paiement", "--data", data,
                           "-o", dir.file("x.pdf")});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("ne propose pas le courrier"), std::string::npos) << result.err;
    result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "libre.courrier", "--data",
                           dir.write("casse.json", "{\"fields\": "), "-o", dir.file("x.pdf")});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("données illisibles"), std::string::npos) << result.err;
}

TEST(Cli, LetterWritesTheVisitorsSheetWhenAsked) {
    TempDir dir;
    const auto config = plugin_config(dir, {}, "site.name = PIMMS de Lorient\n");
    const std::string data = dir.write("donnees.json", R"({"kind": "libre.document", "fields": {"date_document": "2024-03-12"},
        "answers": {"expediteur_nom": "Amina Benali", "expediteur_adresse": "3 rue des Lilas\n56100 Lorient",
                    "destinataire": "Lorient Habitat\n56100 Lorient", "objet": "Chauffage en panne", "texte": "Il est en panne."}})");
    const auto result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "libre.courrier", "--data", data,
                                      "-o", dir.file("lettre.pdf"), "--sheet", dir.file("fiche.pdf")});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find(dir.file("fiche.pdf")), std::string::npos) << result.out;
    const auto text = comptoir::test::run_process("/usr/bin/pdftotext", {dir.file("fiche.pdf"), "-"});
    EXPECT_NE(text.out.find("Ce papier date du 12 mars 2024."), std::string::npos) << "the kind's part:\n" << text.out;
    EXPECT_NE(text.out.find("Chauffage en panne"), std::string::npos) << "the letter's part:\n" << text.out;
}

TEST(Cli, ABrokenSiteTemplateIsNamedWithItsLine) {
    TempDir dir;
    dir.write("modeles/libre.courrier.lettre", "id = libre.courrier\ntitle = T\nsubject = {{objet\n---\nTexte\n");
    const auto config = plugin_config(dir, {}, "templates.dir = modeles\n");
    const std::string data = dir.write("donnees.json", R"({"answers": {"objet": "x"}})");
    const auto result = comptoir_run({"letter", "--config", config, "--plugin", "libre", "--letter", "libre.courrier",
                                      "--data", data, "-o", dir.file("x.pdf")});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(dir.file("modeles/libre.courrier.lettre") + ":3"), std::string::npos) << result.err;
}

TEST(Cli, ServeOnAPortInUseExits2WithAClearMessage) {
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    TempDir dir;
    const auto config = plugin_config(dir, {}, "server.port = " + std::to_string(taken.address().port()) + "\n");
    const auto result = comptoir_run({"serve", "--config", config});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("impossible d'écouter"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("server.port"), std::string::npos) << result.err;
}

TEST(Cli, ServePortOptionReplacesTheConfiguredPort) {
    // Two instances on one machine share one file and differ by --port (docs/deploy.md).
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    TempDir dir;
    const auto config = plugin_config(dir, {}, "server.port = " + std::to_string(taken.address().port()) + "\n");
    comptoir::test::ChildProcess server(kBinary, {"serve", "--config", config, "--port", "0"});
    const std::string ready = server.wait_for_line("est prêt : http://");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(ready, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) << server.err_so_far();
    EXPECT_NE(std::stoi(match[1]), taken.address().port());
    EXPECT_EQ(server.stop(SIGTERM, 20), 0) << server.err_so_far();

    for (const char* bad : {"huit", "65536", "-1"}) {
        const auto result = comptoir_run({"serve", "--config", config, "--port", bad});
        EXPECT_EQ(result.exit_code, 2) << bad;
        EXPECT_NE(result.err.find("--port attend un numéro de port"), std::string::npos) << result.err;
    }
}

TEST(Cli, AdminCreatesTheFirstAdministratorWithThePasswordOnStandardInput) {
    TempDir dir;
    const auto config = dir.write("comptoir.properties", "data.dir = data\n");
    const auto create = [&](const std::string& password, const std::string& login, const std::string& role) {
        // Through a shell, for the pipe: the password never appears among the arguments.
        return comptoir::test::run_process(
            "/bin/sh", {"-c", "printf '%s\\n' \"$1\" | \"$2\" admin create-user --config \"$3\" --login \"$4\" --role \"$5\"",
                        "sh", password, kBinary, config, login, role});
    };
    auto made = create("un-mot-de-passe-solide", "direction", "admin");
    EXPECT_EQ(made.exit_code, 0) << made.err;
    EXPECT_NE(made.out.find("compte créé : direction (admin)"), std::string::npos) << made.out;
    EXPECT_EQ(made.out.find("solide"), std::string::npos);  // the password is never echoed
    made = create("un-mot-de-passe-solide", "direction", "admin");
    EXPECT_EQ(made.exit_code, 1);  // taken
    EXPECT_NE(made.err.find("existe déjà"), std::string::npos) << made.err;
    EXPECT_EQ(create("court", "paul", "mediator").exit_code, 2);
    EXPECT_EQ(create("un-mot-de-passe-solide", "Paul Durand", "mediator").exit_code, 2);
    // The account signs in on the server that reads the same data folder.
    comptoir::Config loaded = comptoir::Config::load(config);
    comptoir::Store store(loaded.data_dir());
    comptoir::Accounts accounts(store, comptoir::Accounts::Limits{});
    EXPECT_EQ(accounts.find("direction")->role, "admin");
    EXPECT_FALSE(accounts.sign_in("direction", "un-mot-de-passe-solide", "127.0.0.1").token.empty());
}

TEST(Cli, AKeyIsMadeRotatedAndTheSpoolRewrittenWithIt) {
    TempDir dir;
    // A key made by the command, for a data folder whose files were written with it.
    auto made = comptoir::test::run_process(kBinary, {"admin", "new-key", dir.file("premiere.key")});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    EXPECT_NE(made.out.find("empreinte"), std::string::npos) << made.out;
    EXPECT_NE(comptoir::test::run_process(kBinary, {"admin", "new-key", dir.file("premiere.key")}).exit_code, 0)
        << "never overwritten";
    const auto first = comptoir::SpoolCrypto(comptoir::SpoolCrypto::read_key(dir.file("premiere.key")), std::nullopt);
    const std::string page = dir.file("data/spool/case-1/document-1/input.png");
    {
        comptoir::Store store(dir.file("data"));
        comptoir::Spool(dir.file("data")).document_dir(1, 1);
        first.write_file(page, "\x89PNG une page");
        store.audit("mediatrice", "case.open", 1);
    }
    // The rotation: the new key, the old one beside it; rekey rewrites every file.
    ASSERT_EQ(comptoir::test::run_process(kBinary, {"admin", "new-key", dir.file("seconde.key")}).exit_code, 0);
    const auto config = dir.write("comptoir.properties", "data.dir = data\nstorage.key_file = seconde.key\n"
                                                         "storage.previous_key_file = premiere.key\n");
    auto rekey = comptoir::test::run_process(kBinary, {"admin", "rekey", "--config", config});
    ASSERT_EQ(rekey.exit_code, 0) << rekey.err;
    EXPECT_NE(rekey.out.find("1 fichier(s) chiffré(s)"), std::string::npos) << rekey.out;
    const auto second = comptoir::SpoolCrypto(comptoir::SpoolCrypto::read_key(dir.file("seconde.key")), std::nullopt);
    EXPECT_EQ(second.read_file(page), "\x89PNG une page") << "the old key is no longer needed";
    // Without the old key, a file it wrote is named as such and rekey fails for it.
    first.write_file(page, "\x89PNG encore");
    dir.write("comptoir.properties", "data.dir = data\nstorage.key_file = seconde.key\n");
    rekey = comptoir::test::run_process(kBinary, {"admin", "rekey", "--config", config});
    EXPECT_EQ(rekey.exit_code, 1);
    EXPECT_NE(rekey.err.find("autre clé"), std::string::npos) << rekey.err;

    // The audit log, on the console: who, what, which case; the rotation is in it.
    const auto audit = comptoir::test::run_process(kBinary, {"admin", "audit", "--config", config});
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    EXPECT_NE(audit.out.find("\tmediatrice\tcase.open\t1\t"), std::string::npos) << audit.out;
    EXPECT_NE(audit.out.find("\tconsole\tstorage.rekey\t-\t1 fichier(s)"), std::string::npos) << audit.out;
    EXPECT_EQ(comptoir::test::run_process(kBinary, {"admin", "audit", "--config", config, "--case", "x"}).exit_code, 2);
    EXPECT_EQ(comptoir::test::run_process(kBinary, {"admin", "rotate"}).exit_code, 2);
}

TEST(Cli, AdminCertificatesImportsWhatAListedAuthorityIssuedAndListsThem) {
    TempDir dir;
    const std::string import = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/import";
    const auto config = dir.write("comptoir.properties", "data.dir = donnees\ntwoddoc.trust_list = " + import + "/tsl_import.xml\n");
    // A folder: each certificate file in it, one line each; 1 since one is refused.
    auto result = comptoir_run({"admin", "certificates", "import", import, "--config", config});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("FR97-0001.pem : importé : certificat FR97/0001"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("FR97-0002.der : importé : certificat FR97/0002"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("attention : il a expiré le 2015-01-01"), std::string::npos) << result.out;
    EXPECT_NE(result.err.find("FR97-0009.pem : refusé : certificat FR97/0009 non émis par son autorité"), std::string::npos)
        << result.err;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n') + std::count(result.err.begin(), result.err.end(), '\n'),
              3);
    EXPECT_TRUE(Poco::File(dir.file("donnees/certificats-2ddoc/FR97-0001.pem")).exists());
    EXPECT_TRUE(Poco::File(dir.file("donnees/certificats-2ddoc/FR97-0002.pem")).exists());
    // Each certificate trusted is in the site's audit log, the refused one is not.
    const auto audit = comptoir_run({"admin", "audit", "--config", config});
    EXPECT_NE(audit.out.find("twoddoc.certificate_import\t-\tFR97-0001.pem"), std::string::npos) << audit.out;
    EXPECT_NE(audit.out.find("twoddoc.certificate_import\t-\tFR97-0002.pem"), std::string::npos) << audit.out;
    EXPECT_EQ(audit.out.find("FR97-0009"), std::string::npos) << audit.out;

    result = comptoir_run({"admin", "certificates", "import", import + "/FR97-0001.pem", "--config", config});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("déjà connu"), std::string::npos) << result.err;
    const std::string fr99 = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/trust/FR99-0001.pem";
    result = comptoir_run({"admin", "certificates", "import", fr99, "--config", config});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("FR99 absente de la liste de confiance"), std::string::npos) << result.err;

    result = comptoir_run({"admin", "certificates", "list", "--config", config});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("FR00/0001\t2015-11-01 (expiré)\tnon : certificat de test"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("FR97/0001\t2124-01-01\toui\t"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("FR97/0002\t2015-01-01 (expiré)\toui\t"), std::string::npos) << result.out;

    EXPECT_EQ(comptoir_run({"admin", "certificates", "--config", config}).exit_code, 2);
    EXPECT_EQ(comptoir_run({"admin", "certificates", "effacer", "x", "--config", config}).exit_code, 2);
}
