// The site's accounts (mediators and administrators) and their sessions. Passwords are hashed
// with Argon2id (Debian's libargon2) and never kept or logged in clear. Sessions live in the base
// (any instance knows them; only the token's SHA-256 is kept): a random token for the cookie, a random CSRF token for state-changing requests, an expiry
// after inactivity. Failed logins are limited per account and per address.
#pragma once

#include "comptoir/cases/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace comptoir {

// An Argon2id encoded hash ("$argon2id$v=19$m=…") of `password`, with a random salt.
std::string hash_password(const std::string& password);
// Whether `password` matches `encoded`; false for an encoded hash that cannot be read.
bool verify_password(const std::string& encoded, const std::string& password);

struct Account {
    int64_t id = 0;
    std::string login;
    std::string role;  // "mediator", "admin"
    std::string created_at;
};

struct Session {
    std::string token;  // the cookie's value
    std::string csrf;   // to send back in X-CSRF-Token on every state-changing request
    Account account;
    std::chrono::steady_clock::time_point last_seen;
    int64_t expires_s = 0;     // when it ends if unused from now on, seconds since 1970 (UTC)
    int64_t idle_seconds = 0;  // the idle limit it ends after
};

class Accounts {
public:
    struct Limits {
        int failures_per_login = 5;     // within `window`
        int failures_per_address = 20;  // within `window`
        std::chrono::seconds window{15 * 60};
        std::chrono::seconds idle{30 * 60};  // a session unused this long ends
    };

    Accounts(Store& store, Limits limits);

    // A new account. BadRequestError for a login that is not 2–40 of [a-z0-9._-], a role other
    // than mediator/admin, a password under 10 characters; ConflictError for a login taken.
    // `actor`: who does it, for the audit log (a login, "console"); empty: no audit line (the demo).
    Account create(const std::string& login, const std::string& role, const std::string& password,
                   const std::string& actor = "");
    std::optional<Account> find(const std::string& login) const;
    std::vector<Account> list() const;
    // Removes an account and ends its sessions. NotFoundError; ConflictError for the last
    // administrator (the site would have no one left to manage it).
    void remove(const std::string& login, const std::string& actor = "");
    // A new password (same rules as create); the account's sessions end.
    void set_password(const std::string& login, const std::string& password, const std::string& actor = "");
    size_t count() const;

    // A session for a login and password. TooManyAttemptsError when the account or the address
    // failed too often lately; UnauthenticatedError otherwise on a wrong login or password (the
    // message does not say which).
    Session sign_in(const std::string& login, const std::string& password, const std::string& address);
    // The live session of a token (its inactivity clock restarted), if any.
    std::optional<Session> session(const std::string& token);
    void sign_out(const std::string& token);
    // Removes the sessions unused for longer than the idle limit (run with the retention).
    int end_idle_sessions();
    // The clock sessions are timed on (seconds since 1970); the tests move it.
    void set_clock(std::function<int64_t()> now);

private:
    bool limited(const std::string& key) const;  // under lock
    void failed(const std::string& key);         // under lock

    Store& store_;
    Limits limits_;
    // Argon2id takes 64 MiB and a core for a moment: two at most at once, so that twenty
    // mediators signing in together neither exhaust the memory nor stall the other requests.
    std::mutex hashing_mutex_;
    std::condition_variable hashing_done_;
    int hashing_ = 0;
    int64_t now() const;
    int64_t touch_seconds() const;  // a session's last use is written at most this often

    std::function<int64_t()> clock_;  // empty: the system clock
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> failures_;
};

}  // namespace comptoir
