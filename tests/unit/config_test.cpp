#include "comptoir/app/config.hpp"
#include "comptoir/base/memory.hpp"

#include "comptoir/base/error.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using comptoir::Config;
using comptoir::ConfigError;
using comptoir::test::TempDir;

namespace {

// Loads `content` as a properties file and returns the ConfigError message ("" if none).
std::string load_error(const TempDir& dir, const std::string& content) {
    const std::string path = dir.write("comptoir.properties", content);
    try {
        Config::load(path);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return {};
}

}  // namespace

TEST(Config, DefaultsWorkWithoutAFile) {
    const Config config;
    EXPECT_EQ(config.server_port(), 8080);
    EXPECT_EQ(config.server_host(), "127.0.0.1");
    EXPECT_EQ(config.ocr_languages(), "fra");
    EXPECT_EQ(config.ocr_engines(), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    EXPECT_EQ(config.plugins_allow(), std::vector<std::string>{"*"});
    EXPECT_FALSE(config.plugins_dir().empty());
    EXPECT_FALSE(config.data_dir().empty());
    EXPECT_TRUE(config.stations().empty());
    EXPECT_DOUBLE_EQ(config.recognition_threshold(), 0.5);
}

TEST(Config, ReadsValuesAndResolvesRelativePathsAgainstTheFile) {
    TempDir dir;
    const std::string path = dir.write("site/comptoir.properties",
                                       "server.port = 9090\n"
                                       "data.dir = donnees\n"
                                       "plugins.dir = /opt/comptoir/plugins\n"
                                       "plugins.allow = libre, edf\n"
                                       "ocr.languages = fra+eng\n"
                                       "site.name = PIMMS de Lorient\n"
                                       "site.city = Lorient\n");
    const Config config = Config::load(path);
    EXPECT_EQ(config.server_port(), 9090);
    EXPECT_EQ(config.data_dir(), dir.path() + "/site/donnees");
    EXPECT_EQ(config.plugins_dir(), "/opt/comptoir/plugins");
    EXPECT_EQ(config.plugins_allow(), (std::vector<std::string>{"libre", "edf"}));
    EXPECT_EQ(config.ocr_languages(), "fra+eng");
    EXPECT_EQ(config.site_name(), "PIMMS de Lorient");
    EXPECT_EQ(config.site_city(), "Lorient");
    EXPECT_EQ(config.file(), path);
}

TEST(Config, UnknownKeyNamesTheKeyTheFileAndTheLikelyKey) {
    TempDir dir;
    const std::string message = load_error(dir, "server.prot = 8081\n");
    EXPECT_NE(message.find(dir.path() + "/comptoir.properties"), std::string::npos) << message;
    EXPECT_NE(message.find("clé inconnue « server.prot »"), std::string::npos) << message;
    EXPECT_NE(message.find("« server.port »"), std::string::npos) << message;
}

TEST(Config, BadValuesAreErrorsNamingKeyAndExpectation) {
    TempDir dir;
    EXPECT_NE(load_error(dir, "server.port = quatre-vingts\n").find("« server.port » : « quatre-vingts »"),
              std::string::npos);
    EXPECT_NE(load_error(dir, "server.port = 70000\n").find("un entier de 0 à 65535"), std::string::npos);
    EXPECT_NE(load_error(dir, "ocr.engines = 0\n").find("« ocr.engines »"), std::string::npos);
    EXPECT_NE(load_error(dir, "recognition.threshold = 2\n").find("« recognition.threshold »"), std::string::npos);
    EXPECT_NE(load_error(dir, "log.level = bavard\n").find("l'une des valeurs"), std::string::npos);
    EXPECT_NE(load_error(dir, "plugins.allow = EDF!\n").find("« plugins.allow »"), std::string::npos);
}

TEST(Config, KeysWithEmptyOrEndlessSegmentsAreUnknownKeys) {
    TempDir dir;
    EXPECT_NE(load_error(dir, "server..port = 8080\n").find("clé inconnue"), std::string::npos);
    EXPECT_NE(load_error(dir, "stations.a. = x\n").find("clé inconnue"), std::string::npos);
    EXPECT_NE(load_error(dir, std::string(3000, '.') + " = x\n").find("clé inconnue"), std::string::npos);
}

TEST(Config, KeysThatOnlyMakeSenseTogetherAreCheckedTogether) {
    TempDir dir;
    EXPECT_NE(load_error(dir, "database.engine = postgresql\n").find("demande database.connection"), std::string::npos);
    EXPECT_NE(load_error(dir, "cluster.heartbeat_seconds = 30\ncluster.lease_seconds = 10\n")
                  .find("cluster.lease_seconds doit dépasser"),
              std::string::npos);
}

TEST(Config, ReportsEveryProblemAtOnce) {
    TempDir dir;
    const std::string message = load_error(dir, "server.port = x\nocr.engins = 2\nlimits.max_pages = -1\n");
    EXPECT_NE(message.find("server.port"), std::string::npos) << message;
    EXPECT_NE(message.find("ocr.engins"), std::string::npos) << message;
    EXPECT_NE(message.find("limits.max_pages"), std::string::npos) << message;
}

TEST(Config, ReadsStationsWithBackendOptions) {
    TempDir dir;
    const std::string path = dir.write("comptoir.properties",
                                       "stations.accueil.label = Accueil\n"
                                       "stations.accueil.device = pnm:0\n"
                                       "stations.accueil.options.filename = page.pnm\n"
                                       "stations.bureau-2.match = Canon*LiDE*\n"
                                       "stations.bureau-2.resolution = 200\n"
                                       "stations.bureau-2.source = ADF\n");
    const auto stations = Config::load(path).stations();
    ASSERT_EQ(stations.size(), 2u);
    EXPECT_EQ(stations[0].id, "accueil");
    EXPECT_EQ(stations[0].label, "Accueil");
    EXPECT_EQ(stations[0].device, "pnm:0");
    EXPECT_EQ(stations[0].resolution_dpi, 300);
    EXPECT_EQ(stations[0].options.at("filename"), "page.pnm");
    EXPECT_EQ(stations[1].id, "bureau-2");
    EXPECT_EQ(stations[1].label, "bureau-2");
    EXPECT_EQ(stations[1].match, "Canon*LiDE*");
    EXPECT_EQ(stations[1].resolution_dpi, 200);
    EXPECT_EQ(stations[1].source, "ADF");
    EXPECT_EQ(stations[1].preview_resolution_dpi, 75);
}

TEST(Config, RefusesUnknownStationAttributesAndBadStationIds) {
    TempDir dir;
    EXPECT_NE(load_error(dir, "stations.accueil.resolutoin = 300\n").find("« stations.accueil.resolutoin »"),
              std::string::npos);
    EXPECT_NE(load_error(dir, "stations.Accueil Principal.label = x\n").find("clé inconnue"), std::string::npos);
    EXPECT_NE(load_error(dir, "stations.accueil.resolution = 10\n").find("de 50 à 1200"), std::string::npos);
}

TEST(Config, MissingFileIsAnError) {
    TempDir dir;
    try {
        Config::load(dir.file("absent.properties"));
        FAIL() << "no error";
    } catch (const ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find("absent.properties"), std::string::npos);
    }
}

TEST(Config, SetValidatesLikeTheFile) {
    Config config;
    config.set("server.port", "0");
    EXPECT_EQ(config.server_port(), 0);
    EXPECT_THROW(config.set("server.port", "-5"), ConfigError);
    EXPECT_THROW(config.set("serveur.port", "80"), ConfigError);
}

TEST(Config, HoldsTheDirectoryOfOfficesAndItsWarnings) {
    TempDir dir;
    const std::string path = dir.write("comptoir.properties",
                                       "site.address = 12 rue de la Médiation, 56100 Lorient\n"
                                       "offices.caf-56.kind = caf\n"
                                       "offices.caf-56.name = Caf du Morbihan\n"
                                       "offices.caf-56.lines = 2 rue de Tivoli\n"
                                       "offices.caf-56.postcode = 56000\n"
                                       "offices.caf-56.city = Vannes\n"
                                       "offices.caf-56.departement = 56\n"
                                       "site.fsl_address = Conseil départemental du Morbihan, 2 rue de Saint-Tropez, 56000 Vannes\n");
    const Config config = Config::load(path);
    ASSERT_EQ(config.offices().size(), 2u);
    EXPECT_EQ(config.offices()[0].address(), "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes");
    EXPECT_EQ(config.offices()[1].kind, "fsl");
    EXPECT_EQ(config.offices()[1].address(), "Conseil départemental du Morbihan, 2 rue de Saint-Tropez, 56000 Vannes");
    ASSERT_EQ(config.warnings().size(), 1u);
    EXPECT_NE(config.warnings()[0].find("« site.fsl_address » est l'ancienne forme"), std::string::npos);
    EXPECT_EQ(config.site_departement(), "56");  // from site.address's postcode
}

TEST(Config, ABadOfficeOrDepartementRefusesTheFile) {
    TempDir dir;
    std::string message = load_error(dir, "offices.caf.kind = caf\noffices.caf.postcode = 560\n");
    EXPECT_NE(message.find(dir.path() + "/comptoir.properties : valeur invalide pour « offices.caf.postcode »"),
              std::string::npos) << message;
    message = load_error(dir, "site.departement = Bretagne\n");
    EXPECT_NE(message.find("« site.departement » : « Bretagne »"), std::string::npos) << message;
    // Without a postcode: said, not refused.
    EXPECT_EQ(load_error(dir, "offices.caf.kind = caf\noffices.caf.name = Caf du Morbihan\n"), "");
}

TEST(Config, SetReadsTheDirectoryAgainAndKeepsItWhenRefused) {
    Config config;
    EXPECT_TRUE(config.offices().empty());
    config.set("site.departement", "2a");
    EXPECT_EQ(config.site_departement(), "2A");
    config.set("offices.ccas.kind", "ccas");
    ASSERT_EQ(config.offices().size(), 1u);
    EXPECT_EQ(config.warnings().size(), 1u);  // no name, postcode, city yet
    EXPECT_THROW(config.set("offices.ccas.postcode", "Lorient"), ConfigError);
    EXPECT_TRUE(config.offices()[0].postcode.empty());
    config.set("offices.ccas.postcode", "56100");
    EXPECT_EQ(config.offices()[0].postcode, "56100");
}

// The server's guard against hostile clients (issue 31): the cap per address and the trusted
// proxies, shared with the sign-in's X-Forwarded-For, reach ServerOptions as the file says.
TEST(Config, TrustedProxiesAndTheCapPerAddress) {
    TempDir dir;
    EXPECT_EQ(Config().server_max_connections_per_address(), 8);
    EXPECT_TRUE(Config().server_trusted_proxies().empty());
    const Config config = Config::load(dir.write("comptoir.properties",
                                                 "server.max_connections_per_address = 0\n"
                                                 "server.trusted_proxies = 127.0.0.1, ::1,10.0.0.2\n"));
    EXPECT_EQ(config.server_max_connections_per_address(), 0);
    EXPECT_EQ(config.server_trusted_proxies(), (std::vector<std::string>{"127.0.0.1", "::1", "10.0.0.2"}));
    const std::string error = load_error(dir, "server.trusted_proxies = 127.0.0.1, nginx\n");
    EXPECT_NE(error.find("server.trusted_proxies"), std::string::npos) << error;
    EXPECT_NE(error.find("adresses IP"), std::string::npos) << error;
    EXPECT_NE(load_error(dir, "server.max_connections_per_address = -1\n"), "");
}

TEST(Memory, HugePagesAreAddedToTheAdministratorsTunablesNotInPlaceOfThem) {
    using comptoir::memory::tunables_with_huge_pages;
    EXPECT_EQ(tunables_with_huge_pages(nullptr), "glibc.malloc.hugetlb=1");
    EXPECT_EQ(tunables_with_huge_pages(""), "glibc.malloc.hugetlb=1");
    EXPECT_EQ(tunables_with_huge_pages("glibc.malloc.arena_max=4"), "glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1");
    // An administrator who chose otherwise keeps their choice.
    EXPECT_EQ(tunables_with_huge_pages("glibc.malloc.hugetlb=0"), "glibc.malloc.hugetlb=0");
    EXPECT_EQ(tunables_with_huge_pages("glibc.malloc.arena_max=4:glibc.malloc.hugetlb=2"),
              "glibc.malloc.arena_max=4:glibc.malloc.hugetlb=2");
}

TEST(Memory, HealthSaysWhetherThisProcessAskedForHugePages) {
    const char* before = std::getenv("GLIBC_TUNABLES");
    const std::string saved = before ? before : "";
    setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=8:glibc.malloc.hugetlb=1", 1);
    EXPECT_TRUE(comptoir::memory::huge_pages());
    setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0:glibc.malloc.arena_max=8", 1);
    EXPECT_FALSE(comptoir::memory::huge_pages());
    unsetenv("GLIBC_TUNABLES");
    EXPECT_FALSE(comptoir::memory::huge_pages());
    if (before) setenv("GLIBC_TUNABLES", saved.c_str(), 1);
}
