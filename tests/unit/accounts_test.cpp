// Password hashing (Argon2id) and the accounts over a real SQLite file.
#include "comptoir/cases/accounts.hpp"
#include "comptoir/base/error.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

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
    accounts.create("nina", "mediator", "mot-de-passe-nina");
    const auto session = accounts.sign_in("nina", "mot-de-passe-nina", "127.0.0.1");
    EXPECT_EQ(session.token.size(), 64u);
    EXPECT_NE(session.token, session.csrf);
    EXPECT_FALSE(accounts.session(session.token));  // expired at once
    comptoir::Accounts patient(store, comptoir::Accounts::Limits{});
    const auto kept = patient.sign_in("nina", "mot-de-passe-nina", "127.0.0.1");
    EXPECT_TRUE(patient.session(kept.token));
    patient.sign_out(kept.token);
    EXPECT_FALSE(patient.session(kept.token));
    EXPECT_FALSE(patient.session("nimporte-quoi"));
}

TEST(Accounts, BadLoginsRolesAndShortPasswordsAreRefused) {
    TempDir dir;
    comptoir::Store store(dir.file("data"));
    comptoir::Accounts accounts(store, comptoir::Accounts::Limits{});
    EXPECT_THROW(accounts.create("A", "mediator", "mot-de-passe-long"), comptoir::BadRequestError);
    EXPECT_THROW(accounts.create("jean dupont", "mediator", "mot-de-passe-long"), comptoir::BadRequestError);
    EXPECT_THROW(accounts.create("jean", "chef", "mot-de-passe-long"), comptoir::BadRequestError);
    EXPECT_THROW(accounts.create("jean", "mediator", "court"), comptoir::BadRequestError);
    accounts.create("jean", "admin", "mot-de-passe-long");
    EXPECT_THROW(accounts.create("jean", "mediator", "mot-de-passe-long"), comptoir::ConflictError);
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
    accounts.create("nina", "mediator", "mot-de-passe-nina");
    const auto session = accounts.sign_in("nina", "mot-de-passe-nina", "127.0.0.1");
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
