// Password hashing (Argon2id) and the accounts over a real SQLite file.
#include "comptoir/cases/accounts.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/cases/password_rules.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <sstream>

using comptoir::test::TempDir;

TEST(Accounts, PasswordsAreHashedWithArgon2idAndASaltOfTheirOwn) {
    const std::string one = comptoir::hash_password("correct horse battery");
    const std::string two = comptoir::hash_password("correct horse battery");
    EXPECT_EQ(one.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << one;
    EXPECT_NE(one, two);  // salted
    EXPECT_EQ(one.find("correct"), std::string::npos);
    EXPECT_TRUE(comptoir::verify_password(one, "correct horse battery"));
    EXPECT_FALSE(comptoir::verify_password(one, "correct horse batterie"));
    EXPECT_FALSE(comptoir::verify_password("", "x"));
    EXPECT_FALSE(comptoir::verify_password("$argon2id$abîmé", "x"));
}

TEST(Accounts, SessionsEndWhenUnusedAndOnSignOut) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts::Limits limits;
    limits.idle = std::chrono::seconds(0);  // any pause is too long
    comptoir::Accounts accounts(store, limits);
    accounts.create("nina", "mediator", "cle-du-guichet-2026");
    const auto session = accounts.sign_in("nina", "cle-du-guichet-2026", "127.0.0.1");
    EXPECT_EQ(session.token.size(), 64u);
    EXPECT_NE(session.token, session.csrf);
    EXPECT_FALSE(accounts.session(session.token));  // expired at once
    comptoir::Accounts patient(store, comptoir::Accounts::Limits{});
    const auto kept = patient.sign_in("nina", "cle-du-guichet-2026", "127.0.0.1");
    EXPECT_TRUE(patient.session(kept.token));
    patient.sign_out(kept.token);
    EXPECT_FALSE(patient.session(kept.token));
    EXPECT_FALSE(patient.session("nimporte-quoi"));
}

TEST(Accounts, BadLoginsRolesAndShortPasswordsAreRefused) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts accounts(store, comptoir::Accounts::Limits{});
    EXPECT_THROW(accounts.create("A", "mediator", "un-mot-de-passe-long"), comptoir::BadRequestError);
    EXPECT_THROW(accounts.create("jean dupont", "mediator", "un-mot-de-passe-long"), comptoir::BadRequestError);
    EXPECT_THROW(accounts.create("jean", "chef", "un-mot-de-passe-long"), comptoir::BadRequestError);
    EXPECT_THROW(accounts.create("jean", "mediator", "court"), comptoir::BadRequestError);
    accounts.create("jean", "admin", "un-mot-de-passe-long");
    EXPECT_THROW(accounts.create("jean", "mediator", "un-mot-de-passe-long"), comptoir::ConflictError);
    EXPECT_EQ(accounts.count(), 1u);
    EXPECT_EQ(accounts.find("jean")->role, "admin");
}

// The end said by the session (what /me answers as expires_at) moves forward with use, and the
// session is refused once unused for the idle limit, on the accounts' clock the test moves.
TEST(Accounts, ASessionSaysWhenItEndsAndUsePushesItBack) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts::Limits limits;
    limits.idle = std::chrono::seconds(8);
    comptoir::Accounts accounts(store, limits);
    int64_t now = 1'800'000'000;
    accounts.set_clock([&now] { return now; });
    accounts.create("nina", "mediator", "cle-du-guichet-2026");
    const auto session = accounts.sign_in("nina", "cle-du-guichet-2026", "127.0.0.1");
    EXPECT_EQ(session.idle_seconds, 8);
    EXPECT_EQ(session.expires_s, now + 8);
    now += 6;  // used in its last quarter: pushed back
    const auto used = accounts.session(session.token);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->expires_s, now + 8);
    now += 7;  // 13 s after sign-in, 7 after the last use: still on
    ASSERT_TRUE(accounts.session(session.token));
    now += 8;  // 8 s unused since the last use
    EXPECT_FALSE(accounts.session(session.token));
    EXPECT_FALSE(accounts.session(session.token));  // and gone for good
}

namespace {

constexpr const char* kPassword = "cle-du-guichet-2026";

// The message of the BadRequestError `check_new_password` throws, or "" when it passes.
std::string refusal(const std::string& password, const std::string& login = "nina") {
    try {
        comptoir::check_new_password(password, login);
        return "";
    } catch (const comptoir::BadRequestError& error) {
        return error.what();
    }
}

// The seconds a sign-in is told to wait, 0 when it is answered (right or wrong).
int64_t wait_of(comptoir::Accounts& accounts, const std::string& login, const std::string& password,
                const std::string& address = "10.0.0.1") {
    try {
        accounts.sign_in(login, password, address);
    } catch (const comptoir::TooManyAttemptsError& error) {
        return error.retry_after_s();
    } catch (const comptoir::UnauthenticatedError&) {
    }
    return 0;
}

}  // namespace

TEST(Passwords, CountedInCharactersNotTheLoginAndNotCommon) {
    EXPECT_EQ(comptoir::utf8_characters("ééééé"), 5u);
    EXPECT_EQ(refusal("guichet-été"), "Le mot de passe doit avoir au moins 12 caractères.");  // 11 characters, 13 bytes
    EXPECT_EQ(refusal("Nina-du-Guichet-7", "nina"), "Le mot de passe ne doit pas contenir l'identifiant.");
    for (const char* common : {"motdepasse123", "azertyuiop12", "password1234", "marseille13013", "anticonstitutionnellement",
                               "Électroménager1"}) {
        EXPECT_NE(refusal(common).find("Ce mot de passe est trop courant ou trop simple ("), std::string::npos) << common;
        EXPECT_NE(refusal(common).find(") : choisissez-en un autre."), std::string::npos) << common;
    }
    EXPECT_EQ(refusal("aaaaaaaaaaaaaa"), "Ce mot de passe est trop courant ou trop simple (il n'a pas assez de caractères "
                                          "différents) : choisissez-en un autre.");
    EXPECT_EQ(refusal(kPassword), "");
    EXPECT_EQ(refusal("vélo-escalier-pomme"), "");
    EXPECT_THROW(comptoir::check_new_password(kPassword, "nina", "/nulle/part/dico"), comptoir::UnavailableError);
}

TEST(Passwords, CracklibIsCalledOneThreadAtATime) {
    std::vector<std::future<std::string>> checks;
    for (int i = 0; i < 8; ++i) checks.push_back(std::async(std::launch::async, [] { return refusal("motdepasse123") + refusal(kPassword); }));
    for (auto& check : checks) EXPECT_NE(check.get().find("trop courant"), std::string::npos);
}

// Failures slow the account down (here one free, then 1 s, 2 s, 4 s… at most max_delay), never
// refuse the right password once the delay is over, and are kept in the base: another
// instance (another Accounts on the store) and a restart see them. Few attempts: each wrong
// one costs an Argon2id hash.
TEST(Accounts, FailuresGrowDelaysKeptInTheBaseNeverALockOut) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts::Limits limits;
    limits.free_failures_per_login = 1;
    limits.max_delay = std::chrono::seconds(4);
    comptoir::Accounts accounts(store, limits);
    std::atomic<int64_t> now{1'800'000'000};
    accounts.set_clock([&now] { return now.load(); });
    accounts.create("nina", "mediator", kPassword);
    EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0);  // free
    EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0);  // checked, and sets a delay of 1 s
    EXPECT_EQ(wait_of(accounts, "nina", kPassword), 1);     // the right one waits it out too
    std::vector<int64_t> delays;
    for (int i = 0; i < 3; ++i) {
        now += delays.empty() ? 1 : delays.back();
        EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0);  // the delay over: checked
        delays.push_back(wait_of(accounts, "nina", "pas-le-bon"));
    }
    EXPECT_EQ(delays, (std::vector<int64_t>{2, 4, 4}));  // doubling, capped
    comptoir::Accounts other(store, limits);  // another instance, or after a restart
    other.set_clock([&now] { return now.load(); });
    EXPECT_EQ(wait_of(other, "nina", kPassword), 4);
    now += 4;
    EXPECT_FALSE(other.sign_in("nina", kPassword, "10.0.0.1").token.empty());
    EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0);  // forgotten after a success: free again
    EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0);  // sets 1 s
    // Old failures are forgotten after the window.
    now += limits.window.count();
    EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0);
    EXPECT_EQ(wait_of(accounts, "nina", "pas-le-bon"), 0) << "the failures before the window still counted";
    // The base names no login: its counters are under hashed keys.
    for (const char* file : {"comptoir.sqlite", "comptoir.sqlite-wal"}) {
        std::ifstream in(dir.file("data") + "/" + file, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        EXPECT_EQ(bytes.str().find("login:nina"), std::string::npos) << file;
    }
}

TEST(Accounts, AnAddressIsSlowedAfterMoreFailuresAndOthersAreNot) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts::Limits limits;
    limits.free_failures_per_address = 1;
    comptoir::Accounts accounts(store, limits);
    std::atomic<int64_t> now{1'800'000'000};
    accounts.set_clock([&now] { return now.load(); });
    accounts.create("nina", "mediator", kPassword);
    for (int i = 0; i < 2; ++i) EXPECT_EQ(wait_of(accounts, "x" + std::to_string(i), "faux", "10.0.0.66"), 0);
    EXPECT_EQ(wait_of(accounts, "nina", kPassword, "10.0.0.66"), 1);
    EXPECT_FALSE(accounts.sign_in("nina", kPassword, "10.0.0.2").token.empty());  // not the others
}

TEST(Accounts, AnOwnPasswordChangeNeedsTheCurrentOneAndEndsTheOtherSessions) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts accounts(store, comptoir::Accounts::Limits{});
    accounts.create("nina", "mediator", kPassword);
    const auto here = accounts.sign_in("nina", kPassword, "10.0.0.1");
    const auto elsewhere = accounts.sign_in("nina", kPassword, "10.0.0.2");
    try {
        accounts.change_own_password(here.token, "pas-le-bon", "velo-escalier-pomme", "10.0.0.1");
        ADD_FAILURE() << "a wrong current password was taken";
    } catch (const comptoir::UnauthenticatedError& error) {
        EXPECT_EQ(error.code(), "wrong_password");
    }
    EXPECT_THROW(accounts.change_own_password(here.token, kPassword, "nina-velo-escalier", "10.0.0.1"),
                 comptoir::BadRequestError);
    accounts.change_own_password(here.token, kPassword, "velo-escalier-pomme", "10.0.0.1");
    EXPECT_TRUE(accounts.session(here.token));
    EXPECT_FALSE(accounts.session(elsewhere.token));
    EXPECT_FALSE(accounts.sign_in("nina", "velo-escalier-pomme", "10.0.0.1").token.empty());
}
