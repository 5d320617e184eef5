// Encryption at rest of the spool (core/cases/src/spool_crypto.cpp): AES-256-GCM, keys in files, the
// key named by its id, a rotation, and every way a file or a key can be wrong said clearly.
#include "comptoir/app/options.hpp"
#include "comptoir/app/config.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/cases/spool_crypto.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

// Every fsync of this test program is noted with the path of what it synced, then done for real:
// a file acknowledged to a client must be on the disk, and so must its name in its folder.
namespace {
std::mutex synced_mutex;
std::vector<std::string> synced_paths;
}  // namespace

extern "C" int fsync(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n > 0) {
        std::lock_guard<std::mutex> lock(synced_mutex);
        synced_paths.emplace_back(target, static_cast<size_t>(n));
    }
    using Real = int (*)(int);
    static const auto real = reinterpret_cast<Real>(::dlsym(RTLD_NEXT, "fsync"));
    return real(fd);
}

using comptoir::SpoolCrypto;
using comptoir::test::TempDir;

namespace {

SpoolCrypto::Key key_of(unsigned char seed) {
    SpoolCrypto::Key key{};
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(seed + i);
    return key;
}

std::string code_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const comptoir::Error& error) {
        return error.code() + ": " + error.what();
    }
    return "";
}

}  // namespace

TEST(SpoolCrypto, WhatIsSealedOpensAgainAndShowsNothingInClear) {
    const SpoolCrypto crypto(key_of(1), std::nullopt);
    const std::string plain = "%PDF-1.4 Madame Lucienne Brochard, 1479,85 € " + std::string(100000, 'x');
    const std::string sealed = crypto.seal(plain);
    EXPECT_TRUE(SpoolCrypto::is_sealed(sealed));
    EXPECT_EQ(sealed.size(), plain.size() + 44);
    EXPECT_EQ(sealed.find("Brochard"), std::string::npos);
    EXPECT_EQ(sealed.find("%PDF"), std::string::npos);
    EXPECT_EQ(crypto.open(sealed), plain);
    EXPECT_NE(crypto.seal(plain), sealed) << "a new nonce each time";
    EXPECT_EQ(crypto.open(crypto.seal("")), "");
    EXPECT_EQ(SpoolCrypto::key_id_of(sealed), crypto.key_id());
    EXPECT_EQ(crypto.key_id().size(), 16u);
}

TEST(SpoolCrypto, AWrittenFileIsOnTheDiskWithItsNameBeforeItIsAcknowledged) {
    const TempDir dir;
    const SpoolCrypto crypto(key_of(1), std::nullopt);
    char* real = ::realpath(dir.path().c_str(), nullptr);
    const std::string where = real ? real : dir.path();
    std::free(real);
    {
        std::lock_guard<std::mutex> lock(synced_mutex);
        synced_paths.clear();
    }
    crypto.write_file(where + "/page.bin", "une page");
    EXPECT_EQ(crypto.read_file(where + "/page.bin"), "une page");
    std::lock_guard<std::mutex> lock(synced_mutex);
    const auto synced = [&](const std::string& path) {
        return std::find(synced_paths.begin(), synced_paths.end(), path) != synced_paths.end();
    };
    EXPECT_TRUE(synced(where + "/page.bin.part")) << "the content, before the rename";
    EXPECT_TRUE(synced(where)) << "the folder, after the rename";
}

TEST(SpoolCrypto, AWrongKeyATamperedFileOrAPlainFileIsRefused) {
    const SpoolCrypto crypto(key_of(1), std::nullopt);
    const SpoolCrypto other(key_of(2), std::nullopt);
    const std::string sealed = crypto.seal("page");
    EXPECT_NE(code_of([&] { other.open(sealed); }).find("spool_encrypted: Ce fichier a été chiffré avec une autre clé"),
              std::string::npos);
    for (size_t at : {size_t{3}, size_t{10}, size_t{20}, size_t{30}, sealed.size() - 1}) {
        std::string tampered = sealed;
        tampered[at] = static_cast<char>(tampered[at] ^ 1);
        EXPECT_NE(code_of([&] { crypto.open(tampered); }), "") << "byte " << at;
    }
    EXPECT_NE(code_of([&] { crypto.open(sealed.substr(0, 20)); }).find("tronqué"), std::string::npos);
    EXPECT_NE(code_of([&] { crypto.open("\x89PNG plain"); }).find("n'est pas chiffré"), std::string::npos)
        << "no silent plain-text fallback";
    const SpoolCrypto off;
    EXPECT_EQ(off.seal("page"), "page");
    EXPECT_NE(code_of([&] { off.open(sealed); }).find("désactivé"), std::string::npos);
}

TEST(SpoolCrypto, AfterARotationThePreviousKeyStillReads) {
    const SpoolCrypto old_crypto(key_of(1), std::nullopt);
    const SpoolCrypto rotated(key_of(2), key_of(1));
    const std::string old_file = old_crypto.seal("ancienne page");
    EXPECT_EQ(rotated.open(old_file), "ancienne page");
    EXPECT_EQ(SpoolCrypto::key_id_of(rotated.seal("x")), rotated.key_id()) << "new files take the new key";
}

TEST(SpoolCrypto, KeyFilesAreMadeReadAndCheckedOnTheirWay) {
    TempDir dir;
    const std::string path = dir.file("spool.key");
    SpoolCrypto::write_new_key(path);
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    const auto key = SpoolCrypto::read_key(path);
    EXPECT_NE(key, SpoolCrypto::Key{});
    EXPECT_NE(code_of([&] { SpoolCrypto::write_new_key(path); }).find("jamais écrasée"), std::string::npos);
    EXPECT_NE(code_of([&] { SpoolCrypto::read_key(dir.file("absente.key")); }).find("storage_key: La clé"),
              std::string::npos);
    dir.write("court.key", "abcdef\n");
    EXPECT_NE(code_of([&] { SpoolCrypto::read_key(dir.file("court.key")); }).find("mal formée"), std::string::npos);
    dir.write("pas-hexa.key", std::string(64, 'z'));
    EXPECT_NE(code_of([&] { SpoolCrypto::read_key(dir.file("pas-hexa.key")); }).find("mal formée"), std::string::npos);
}

TEST(SpoolCrypto, TheConfigurationMakesAKeyOnlyForANewDataFolder) {
    TempDir dir;
    comptoir::Config config;
    config.set("data.dir", dir.file("data"));
    const SpoolCrypto made = SpoolCrypto::from_options(comptoir::storage_options(config));
    EXPECT_TRUE(made.enabled());
    EXPECT_EQ(SpoolCrypto::from_options(comptoir::storage_options(config)).key_id(), made.key_id()) << "the same key the next time";
    // An account made before the first start (a base, no file in the spool), or a spool from
    // before encryption (plain files only): still a new key.
    dir.write("data/comptoir.sqlite", "");
    dir.write("data/spool/case-1/document-1/input.png", "\x89PNG en clair");
    std::remove(dir.file("data/spool.key").c_str());
    EXPECT_TRUE(SpoolCrypto::from_options(comptoir::storage_options(config)).enabled());
    // A spool with files whose key went missing: an error, never a new key.
    dir.write("data/spool/case-1/document-1/input.png", "CMPTSPL1…");
    std::remove(dir.file("data/spool.key").c_str());
    EXPECT_NE(code_of([&] { SpoolCrypto::from_options(comptoir::storage_options(config)); }).find("storage_key"), std::string::npos);
    config.set("storage.encryption", "off");
    EXPECT_FALSE(SpoolCrypto::from_options(comptoir::storage_options(config)).enabled());
    EXPECT_THROW(config.set("storage.encryption", "peut-être"), comptoir::ConfigError);
}
