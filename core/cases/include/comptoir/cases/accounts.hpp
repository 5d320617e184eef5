// The site's accounts (mediators and administrators) and their sessions. Passwords are hashed
// with Argon2id (Debian's libargon2) and never kept or logged in clear; a new one must pass
// password_rules.hpp. Sessions live in the base (any instance knows them; only the token's
// SHA-256 is kept): a random token for the cookie, a random CSRF token for state-changing
// requests, an expiry after inactivity. Failed sign-ins slow down, never lock out (ASVS 2.2.1):
// per account and per address, after a few free failures each attempt waits a delay that
// doubles (1 s, 2 s, 4 s… at most `max_delay`); the counters are in the base (shared by the
// instances, kept across restarts) under hashed keys, and an attempt is counted before its
// password is checked, so that parallel guesses cannot slip past the delay.
#pragma once

#include "comptoir/cases/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
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
        int free_failures_per_login = 3;     // failures within `window` before the delays start
        int free_failures_per_address = 20;  // the same for one client address
        std::chrono::seconds max_delay{60};  // the longest wait between two attempts
        std::chrono::seconds window{15 * 60};  // failures older than this are forgotten
        std::chrono::seconds idle{30 * 60};    // a session unused this long ends
        std::string password_dictionary;       // cracklib's, without extension; empty: this build's
    };

    Accounts(Store& store, Limits limits);

    // A new account. BadRequestError for a login that is not 2–40 of [a-z0-9._-], a role other
    // than mediator/admin, a password that breaks check_new_password; ConflictError for a login taken.
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
    // The owner of the session of `token` changes their password: `current` must be right
    // (UnauthenticatedError("wrong_password") otherwise, counted as a failed sign-in from
    // `address`; TooManyAttemptsError during a delay), `fresh` must pass the rules. The account's
    // other sessions end; this one stays.
    void change_own_password(const std::string& token, const std::string& current, const std::string& fresh,
                             const std::string& address);
    size_t count() const;

    // A session for a login and password. TooManyAttemptsError (with the seconds to wait) while
    // the account or the address waits out a delay; UnauthenticatedError otherwise on a wrong
    // login or password (the message does not say which).
    Session sign_in(const std::string& login, const std::string& password, const std::string& address);
    // The live session of a token (its inactivity clock restarted), if any.
    std::optional<Session> session(const std::string& token);
    // Whether the token's session is still live, without restarting its inactivity clock (an
    // event stream asks this while it waits: a stream alone does not keep a session alive).
    bool alive(const std::string& token) const;
    void sign_out(const std::string& token);
    // Removes the sessions unused for longer than the idle limit (run with the retention).
    int end_idle_sessions();
    // The clock sessions are timed on (seconds since 1970); the tests move it.
    void set_clock(std::function<int64_t()> now);

private:
    // Counts an attempt for `login` from `address` before its password is checked; throws
    // TooManyAttemptsError while either waits out a delay.
    void reserve_attempt(const std::string& login, const std::string& address);
    // The attempt was right: the account's failures are forgotten, the address's given back.
    void attempt_succeeded(const std::string& login, const std::string& address);
    int64_t delay_after(int64_t failures, int free_failures) const;
    bool verify_in_turn(const std::string& encoded, const std::string& password);  // at most two hashes at once

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
};

}  // namespace comptoir
