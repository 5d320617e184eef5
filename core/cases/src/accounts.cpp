#include "comptoir/cases/accounts.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/cases/password_rules.hpp"
#include "comptoir/cases/random.hpp"

#include <argon2.h>
#include <openssl/evp.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <regex>

namespace comptoir {
namespace {

// Argon2id as RFC 9106's second recommended option (t=3, 64 MiB, one lane).
constexpr uint32_t kTimeCost = 3;
constexpr uint32_t kMemoryKiB = 64 * 1024;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::string random_hex(size_t bytes) {
    std::string raw(bytes, '\0');
    if (!random_bytes(raw.data(), bytes)) {
        throw Error("random", "Le générateur aléatoire du système est indisponible.");
    }
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : raw) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

Poco::Logger& log() { return Poco::Logger::get("comptoir.accounts"); }

// What the base keeps of a session's token: its SHA-256, so that a copy of the base opens no
// session; the keys of the sign-in counters too, so that the base names no login.
std::string token_hash(const std::string& token) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(token.data(), token.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw Error("hash", "Empreinte de session impossible.");
    }
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += digits[digest[i] >> 4];
        hex += digits[digest[i] & 15];
    }
    return hex;
}

int64_t seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A session's last use is written at most this often: not one write per request (less for a
// short idle limit, so that a session used in its last quarter is always pushed back).
constexpr int64_t kTouchSeconds = 30;

std::string login_key(const std::string& login) { return token_hash("login:" + login); }
std::string address_key(const std::string& address) { return token_hash("address:" + address); }

std::string seconds_fr(int64_t seconds) { return std::to_string(seconds) + (seconds > 1 ? " secondes" : " seconde"); }

}  // namespace

std::string hash_password(const std::string& password) {
    unsigned char salt[kSaltBytes];
    if (!random_bytes(salt, sizeof salt)) throw Error("random", "Le générateur aléatoire du système est indisponible.");
    std::string encoded(argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
    const int status = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(), password.size(), salt,
                                             sizeof salt, kHashBytes, encoded.data(), encoded.size());
    if (status != ARGON2_OK) throw Error("hash", std::string("Hachage du mot de passe impossible : ") + argon2_error_message(status));
    encoded.resize(encoded.find('\0') == std::string::npos ? encoded.size() : encoded.find('\0'));
    return encoded;
}

bool verify_password(const std::string& encoded, const std::string& password) {
    if (encoded.rfind("$argon2id$", 0) != 0) return false;
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Accounts::Accounts(Store& store, Limits limits) : store_(store), limits_(limits) {}

Account Accounts::create(const std::string& login, const std::string& role, const std::string& password,
                         const std::string& actor) {
    if (!std::regex_match(login, std::regex("[a-z0-9._-]{2,40}"))) {
        throw BadRequestError("bad_login", "Identifiant invalide : de 2 à 40 lettres minuscules, chiffres, « . », « _ » ou « - ».");
    }
    if (role != "mediator" && role != "admin") throw BadRequestError("bad_role", "Rôle inconnu : « mediator » ou « admin ».");
    check_new_password(password, login, limits_.password_dictionary);
    UserRecord user;
    user.login = login;
    user.role = role;
    user.password_hash = hash_password(password);
    try {
        user = store_.add_user(user, actor.empty() ? AuditEntry{} : AuditEntry{actor, "user.create", login + " (" + role + ")"});
    } catch (const Error& error) {
        if (error.code() == "login_taken") throw ConflictError("login_taken", error.what());
        throw;
    }
    log().information("compte créé : " + login + " (" + role + ")");
    return Account{user.id, user.login, user.role, user.created_at};
}

std::optional<Account> Accounts::find(const std::string& login) const {
    const auto user = store_.find_user(login);
    if (!user) return std::nullopt;
    return Account{user->id, user->login, user->role, user->created_at};
}

size_t Accounts::count() const { return store_.count_users(); }

std::vector<Account> Accounts::list() const {
    std::vector<Account> out;
    for (const auto& user : store_.list_users()) out.push_back(Account{user.id, user.login, user.role, user.created_at});
    return out;
}

void Accounts::remove(const std::string& login, const std::string& actor) {
    const auto account = find(login);
    if (!account) throw NotFoundError("user_not_found", "Ce compte n'existe pas.");
    if (account->role == "admin") {
        int admins = 0;
        for (const auto& other : list()) admins += other.role == "admin";
        if (admins <= 1) {
            throw ConflictError("last_admin", "C'est le dernier compte administrateur : créez-en un autre avant de le supprimer.");
        }
    }
    store_.delete_user(login, actor.empty() ? AuditEntry{} : AuditEntry{actor, "user.remove", login});
    store_.delete_sessions_of(login);
    log().information("compte supprimé : " + login);
}

void Accounts::set_password(const std::string& login, const std::string& password, const std::string& actor) {
    if (!find(login)) throw NotFoundError("user_not_found", "Ce compte n'existe pas.");
    check_new_password(password, login, limits_.password_dictionary);
    store_.set_password_hash(login, hash_password(password),
                             actor.empty() ? AuditEntry{} : AuditEntry{actor, "user.password", login});
    store_.delete_sessions_of(login);
    log().information("mot de passe changé : " + login);
}

void Accounts::change_own_password(const std::string& token, const std::string& current, const std::string& fresh,
                                   const std::string& address) {
    const auto record = store_.find_session(token_hash(token));
    const auto user = record ? store_.find_user(record->login) : std::nullopt;
    if (!user) throw UnauthenticatedError("not_signed_in", "Connectez-vous pour continuer (session absente ou expirée).");
    // The new one first: a weak choice is no failed attempt.
    check_new_password(fresh, user->login, limits_.password_dictionary);
    reserve_attempt(user->login, address);
    if (!verify_in_turn(user->password_hash, current)) {
        log().warning("changement de mot de passe refusé (mot de passe actuel faux) depuis " + address);
        throw UnauthenticatedError("wrong_password", "Le mot de passe actuel est incorrect.");
    }
    attempt_succeeded(user->login, address);
    store_.set_password_hash(user->login, hash_password(fresh), AuditEntry{user->login, "user.password", user->login});
    store_.delete_other_sessions(user->login, token_hash(token));
    log().information("mot de passe changé par son titulaire : " + user->login);
}

int64_t Accounts::delay_after(int64_t failures, int free_failures) const {
    if (failures <= free_failures) return 0;
    const int64_t max = limits_.max_delay.count();
    const int64_t doublings = failures - free_failures - 1;
    return doublings >= 30 ? max : std::min<int64_t>(max, int64_t{1} << doublings);
}

void Accounts::reserve_attempt(const std::string& login, const std::string& address) {
    const int64_t at = now();
    const int64_t window = limits_.window.count();
    const std::string account = login_key(login);
    store_.purge_attempts(at - window, at);
    int64_t wait = 0;
    store_.update_attempts({account, address_key(address)}, [&](std::vector<AttemptCounter>& counters) {
        for (auto& counter : counters) {
            if (counter.first_s + window <= at && counter.until_s <= at) counter = AttemptCounter{counter.key, 0, 0, 0};
            wait = std::max(wait, counter.until_s - at);
        }
        if (wait > 0) return false;
        for (auto& counter : counters) {
            if (counter.failures == 0) counter.first_s = at;
            ++counter.failures;
            const int allowed = counter.key == account ? limits_.free_failures_per_login : limits_.free_failures_per_address;
            counter.until_s = at + delay_after(counter.failures, allowed);
        }
        return true;
    });
    if (wait > 0) {
        // The login is not said (a guessed one may be a visitor's name typed by mistake).
        log().warning("connexion retardée depuis " + address + " : " + seconds_fr(wait) + " à attendre");
        throw TooManyAttemptsError("too_many_attempts", "Trop d'essais : réessayez dans " + seconds_fr(wait) + ".", wait);
    }
}

void Accounts::attempt_succeeded(const std::string& login, const std::string& address) {
    const int64_t at = now();
    const std::string account = login_key(login);
    store_.update_attempts({account, address_key(address)}, [&](std::vector<AttemptCounter>& counters) {
        for (auto& counter : counters) {
            if (counter.key == account) {
                counter.failures = 0;
                counter.until_s = 0;
                continue;
            }
            // The address's attempt given back, and the delay it set shortened to match.
            counter.failures = std::max<int64_t>(0, counter.failures - 1);
            const int64_t delay = delay_after(counter.failures, limits_.free_failures_per_address);
            counter.until_s = delay > 0 ? std::min(counter.until_s, at + delay) : 0;
        }
        return true;
    });
}

bool Accounts::verify_in_turn(const std::string& encoded, const std::string& password) {
    {
        std::unique_lock<std::mutex> turn(hashing_mutex_);
        hashing_done_.wait(turn, [&] { return hashing_ < 2; });
        ++hashing_;
    }
    bool ok = false;
    try {
        ok = verify_password(encoded, password);
    } catch (...) {
    }
    {
        std::lock_guard<std::mutex> turn(hashing_mutex_);
        --hashing_;
    }
    hashing_done_.notify_one();
    return ok;
}

Session Accounts::sign_in(const std::string& login, const std::string& password, const std::string& address) {
    reserve_attempt(login, address);
    const auto user = store_.find_user(login);
    // The hash is checked even for an unknown login, so that timing does not tell which logins exist.
    static const std::string decoy = hash_password("comptoir-leurre-0000");
    const bool ok = verify_in_turn(user ? user->password_hash : decoy, password) && user.has_value();
    if (!ok) {
        log().warning("connexion refusée depuis " + address);
        throw UnauthenticatedError("bad_credentials", "Identifiant ou mot de passe incorrect.");
    }
    attempt_succeeded(login, address);
    Session session;
    session.token = random_hex(32);
    session.csrf = random_hex(32);
    session.account = Account{user->id, user->login, user->role, user->created_at};
    session.last_seen = std::chrono::steady_clock::now();
    const int64_t at = now();
    session.idle_seconds = std::chrono::duration_cast<std::chrono::seconds>(limits_.idle).count();
    session.expires_s = at + session.idle_seconds;
    store_.add_session(SessionRecord{token_hash(session.token), session.csrf, user->login, "", at});
    log().information("connexion : " + login);
    return session;
}

std::optional<Session> Accounts::session(const std::string& token) {
    if (token.empty()) return std::nullopt;
    const std::string hash = token_hash(token);
    const auto record = store_.find_session(hash);
    if (!record) return std::nullopt;
    const int64_t now = this->now();
    const int64_t idle = std::chrono::duration_cast<std::chrono::seconds>(limits_.idle).count();
    if (now - record->seen_s >= idle) {
        store_.delete_session(hash);
        return std::nullopt;
    }
    const auto user = store_.find_user(record->login);
    if (!user) {
        store_.delete_session(hash);
        return std::nullopt;
    }
    int64_t seen = record->seen_s;
    if (now - seen >= touch_seconds()) {
        store_.touch_session(hash, now);
        seen = now;
    }
    Session session;
    session.idle_seconds = idle;
    session.expires_s = seen + idle;
    session.token = token;
    session.csrf = record->csrf;
    session.account = Account{user->id, user->login, user->role, user->created_at};
    session.last_seen = std::chrono::steady_clock::now();
    return session;
}

bool Accounts::alive(const std::string& token) const {
    if (token.empty()) return false;
    const auto record = store_.find_session(token_hash(token));
    return record && now() - record->seen_s < std::chrono::duration_cast<std::chrono::seconds>(limits_.idle).count();
}

void Accounts::sign_out(const std::string& token) { store_.delete_session(token_hash(token)); }

int Accounts::end_idle_sessions() {
    const int64_t idle = std::chrono::duration_cast<std::chrono::seconds>(limits_.idle).count();
    return store_.delete_idle_sessions(now() - idle);
}

void Accounts::set_clock(std::function<int64_t()> now) { clock_ = std::move(now); }

int64_t Accounts::now() const { return clock_ ? clock_() : seconds_now(); }

int64_t Accounts::touch_seconds() const {
    const int64_t idle = std::chrono::duration_cast<std::chrono::seconds>(limits_.idle).count();
    return std::min(kTouchSeconds, idle / 4);
}

}  // namespace comptoir
