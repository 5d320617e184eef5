#include "comptoir/cases/spool_crypto.hpp"
#include "comptoir/cases/spool.hpp"

#include "comptoir/cases/random.hpp"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace comptoir {
namespace {

constexpr char kMagic[] = "CMPTSPL1";
constexpr char kValuePrefix[] = "aes256gcm:";  // a value of the base, sealed
constexpr size_t kMagicSize = 8;
constexpr size_t kIdSize = 8;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kHeaderSize = kMagicSize + kIdSize + kNonceSize + kTagSize;

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string hex(const unsigned char* data, size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

std::string id_of(const SpoolCrypto::Key& key) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(key.data(), key.size(), digest);
    return std::string(reinterpret_cast<const char*>(digest), kIdSize);
}

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Whether a folder holds an encrypted file, at any depth (false when it does not exist).
bool holds_sealed_file(const std::string& folder) {
    Poco::File dir(folder);
    if (!dir.exists()) return false;
    std::vector<Poco::File> entries;
    dir.list(entries);
    for (auto& entry : entries) {
        if (entry.isDirectory()) {
            if (holds_sealed_file(entry.path())) return true;
            continue;
        }
        char magic[kMagicSize] = {};
        std::ifstream in(entry.path(), std::ios::binary);
        if (in.read(magic, kMagicSize) && std::string(magic, kMagicSize) == kMagic) return true;
    }
    return false;
}

}  // namespace

SpoolCrypto::SpoolCrypto(Key current, std::optional<Key> previous) : current_(current), previous_(previous) {}

SpoolCrypto::Key SpoolCrypto::read_key(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("storage_key", "La clé de chiffrement des fichiers " + path +
                                       " est introuvable ou illisible : les pages et courriers déjà enregistrés ne "
                                       "peuvent pas être lus sans elle (storage.key_file).");
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string digits;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) digits = "bad";
        if (digits == "bad") break;
        digits += c;
    }
    if (digits.size() != 64) {
        throw Error("storage_key", "La clé de chiffrement " + path +
                                       " est mal formée : 64 chiffres hexadécimaux attendus (créez-en une avec "
                                       "« comptoir admin new-key »).");
    }
    Key key{};
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(std::stoi(digits.substr(2 * i, 2), nullptr, 16));
    return key;
}

void SpoolCrypto::write_new_key(const std::string& path) {
    if (Poco::File(path).exists()) {
        throw Error("storage_key", "Le fichier " + path + " existe déjà : une clé n'est jamais écrasée.");
    }
    Key key{};
    if (!random_bytes(key.data(), key.size())) {
        throw Error("storage_key", "Le générateur aléatoire du système n'a pas répondu : clé non créée.");
    }
    const mode_t old_mask = ::umask(077);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << hex(key.data(), key.size()) << "\n";
        ::umask(old_mask);
        if (!out) throw Error("storage_key", "La clé de chiffrement n'a pas pu être écrite dans " + path + ".");
    }
    ::chmod(path.c_str(), 0600);
}

SpoolCrypto SpoolCrypto::from_options(const Options& options) {
    if (!options.enabled) return SpoolCrypto();
    std::string path = options.key_file;
    if (path.empty()) {
        // No key named: one beside the data, made while the spool holds no encrypted file (a
        // new data folder, or one from before encryption: `comptoir admin rekey` encrypts its
        // files). Never made once it does: those were written with a key that is now missing.
        path = Poco::Path(options.data_dir).append("spool.key").toString();
        if (!Poco::File(path).exists() && !holds_sealed_file(Spool::folder_of(options.data_dir))) {
            Poco::File(options.data_dir).createDirectories();
            write_new_key(path);
        }
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
        Poco::Logger::get("comptoir.storage")
            .warning("la clé de chiffrement " + path + " est lisible par d'autres comptes : chmod 600 " + path);
    }
    std::optional<Key> previous;
    const std::string previous_path = options.previous_key_file;
    if (!previous_path.empty()) previous = read_key(previous_path);
    return SpoolCrypto(read_key(path), previous);
}

std::string SpoolCrypto::key_id() const { return current_ ? hex(bytes(id_of(*current_)), kIdSize) : ""; }

bool SpoolCrypto::is_sealed(const std::string& stored) { return stored.compare(0, kMagicSize, kMagic) == 0; }

std::string SpoolCrypto::key_id_of(const std::string& stored) {
    if (!is_sealed(stored) || stored.size() < kHeaderSize) return "";
    return hex(bytes(stored) + kMagicSize, kIdSize);
}

std::string SpoolCrypto::seal(const std::string& plain, const std::string& aad) const {
    if (!current_) return plain;
    std::string out(kHeaderSize + plain.size(), '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    std::copy(kMagic, kMagic + kMagicSize, o);
    const std::string id = id_of(*current_);
    std::copy(id.begin(), id.end(), o + kMagicSize);
    unsigned char* nonce = o + kMagicSize + kIdSize;
    unsigned char* tag = nonce + kNonceSize;
    if (!random_bytes(nonce, kNonceSize)) throw Error("spool_failed", "Le générateur aléatoire du système n'a pas répondu.");
    Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int n = 0;
    bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) == 1 &&
              EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, current_->data(), nonce) == 1 &&
              // The magic, the key id and the nonce are authenticated with the content.
              EVP_EncryptUpdate(ctx.get(), nullptr, &n, o, kMagicSize + kIdSize + kNonceSize) == 1 &&
              (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes(aad), static_cast<int>(aad.size())) == 1);
    size_t written = 0;
    for (size_t at = 0; ok && at < plain.size();) {  // EVP takes int lengths: by slices
        const int chunk = static_cast<int>(std::min<size_t>(plain.size() - at, 1 << 30));
        ok = EVP_EncryptUpdate(ctx.get(), o + kHeaderSize + written, &n, bytes(plain) + at, chunk) == 1;
        written += static_cast<size_t>(n);
        at += static_cast<size_t>(chunk);
    }
    ok = ok && EVP_EncryptFinal_ex(ctx.get(), o + kHeaderSize + written, &n) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag) == 1;
    if (!ok) throw Error("spool_failed", "Le chiffrement du fichier a échoué.");
    return out;
}

std::string SpoolCrypto::open(const std::string& stored, const std::string& aad) const {
    if (!is_sealed(stored)) {
        if (!current_) return stored;
        throw Error("spool_encrypted", "Ce fichier du serveur n'est pas chiffré alors que le chiffrement est demandé : "
                                       "il n'est pas lu (chiffrez les anciens fichiers avec « comptoir admin rekey »).");
    }
    if (!current_) {
        throw Error("spool_encrypted", "Ce fichier du serveur est chiffré mais le chiffrement est désactivé "
                                       "(storage.encryption = off) : indiquez sa clé pour le lire.");
    }
    if (stored.size() < kHeaderSize) throw Error("spool_encrypted", "Ce fichier chiffré est tronqué : il ne peut pas être lu.");
    const std::string id = stored.substr(kMagicSize, kIdSize);
    const Key* key = nullptr;
    if (id == id_of(*current_)) key = &*current_;
    if (previous_ && id == id_of(*previous_)) key = &*previous_;
    if (!key) {
        throw Error("spool_encrypted", "Ce fichier a été chiffré avec une autre clé (empreinte " + key_id_of(stored) +
                                           ", la clé actuelle est " + key_id() +
                                           ") : indiquez l'ancienne clé dans storage.previous_key_file.");
    }
    const auto* s = bytes(stored);
    const unsigned char* nonce = s + kMagicSize + kIdSize;
    std::string tag(stored, kMagicSize + kIdSize + kNonceSize, kTagSize);
    std::string out(stored.size() - kHeaderSize, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int n = 0;
    bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) == 1 &&
              EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key->data(), nonce) == 1 &&
              EVP_DecryptUpdate(ctx.get(), nullptr, &n, s, kMagicSize + kIdSize + kNonceSize) == 1 &&
              (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes(aad), static_cast<int>(aad.size())) == 1);
    size_t written = 0;
    for (size_t at = kHeaderSize; ok && at < stored.size();) {
        const int chunk = static_cast<int>(std::min<size_t>(stored.size() - at, 1 << 30));
        ok = EVP_DecryptUpdate(ctx.get(), o + written, &n, s + at, chunk) == 1;
        written += static_cast<size_t>(n);
        at += static_cast<size_t>(chunk);
    }
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1 &&
         EVP_DecryptFinal_ex(ctx.get(), o + written, &n) == 1;
    if (!ok) {
        throw Error("spool_encrypted", "Ce fichier chiffré a été modifié ou abîmé sur le disque : il ne peut pas être lu.");
    }
    return out;
}

bool SpoolCrypto::is_sealed_value(const std::string& stored) { return stored.rfind(kValuePrefix, 0) == 0; }

std::string SpoolCrypto::seal_value(const std::string& plain, const std::string& aad) const {
    if (!current_ || plain.empty()) return plain;
    const std::string sealed = seal(plain, aad);
    std::string text(4 * ((sealed.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes(sealed), static_cast<int>(sealed.size()));
    text.resize(static_cast<size_t>(n));
    return kValuePrefix + text;
}

namespace {

// The sealed bytes of a stored value ("" when its base64 is malformed).
std::string value_bytes(const std::string& stored) {
    const std::string text = stored.substr(std::char_traits<char>::length(kValuePrefix));
    if (text.empty() || text.size() % 4 != 0) return "";
    std::string out(3 * text.size() / 4, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(text), static_cast<int>(text.size()));
    if (n < 0) return "";
    size_t size = static_cast<size_t>(n);
    for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) --size;  // the padding's zeros
    out.resize(size);
    return out;
}

}  // namespace

std::string SpoolCrypto::open_value(const std::string& stored, const std::string& aad) const {
    if (!is_sealed_value(stored)) return stored;
    const std::string sealed = value_bytes(stored);
    if (!current_) {
        throw Error("store_encrypted", "Les données des dossiers sont chiffrées mais le chiffrement est désactivé "
                                       "(storage.encryption = off) : indiquez la clé du site pour les lire.");
    }
    if (!is_sealed(sealed) || sealed.size() < kHeaderSize) {
        throw Error("store_encrypted", "Une donnée chiffrée de la base est abîmée : elle ne peut pas être lue.");
    }
    const std::string id = sealed.substr(kMagicSize, kIdSize);
    if (id != id_of(*current_) && !(previous_ && id == id_of(*previous_))) {
        throw Error("store_encrypted", "Les données de ce dossier ont été chiffrées avec une autre clé (empreinte " +
                                           key_id_of(sealed) + ", la clé actuelle est " + key_id() +
                                           ") : indiquez l'ancienne clé dans storage.previous_key_file.");
    }
    try {
        return open(sealed, aad);
    } catch (const Error&) {
        throw Error("store_encrypted", "Une donnée chiffrée de la base a été modifiée ou déplacée : elle ne peut pas "
                                       "être lue.");
    }
}

bool SpoolCrypto::is_current_value(const std::string& stored) const {
    if (stored.empty()) return true;
    if (!is_sealed_value(stored)) return !current_;
    return current_ && key_id_of(value_bytes(stored)) == key_id();
}

void SpoolCrypto::write_file(const std::string& path, const std::string& content) const {
    const std::string sealed = seal(content);
    const std::string partial = path + ".part";
    {
        // Only the service reads it, whatever the umask: made 0600 (and so if it was there).
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0;
        for (size_t at = 0; ok && at < sealed.size();) {
            const ssize_t n = ::write(fd, sealed.data() + at, sealed.size() - at);
            if (n < 0 && errno == EINTR) continue;
            ok = n > 0;
            if (ok) at += static_cast<size_t>(n);
        }
        // On the disk before the rename makes it the file, and before the client is told it is kept.
        if (ok && ::fsync(fd) != 0) ok = false;
        if (fd >= 0 && ::close(fd) != 0) ok = false;
        if (!ok) {
            std::remove(partial.c_str());
            throw Error("spool_failed", "Le fichier n'a pas pu être enregistré sur le serveur (disque plein ?).");
        }
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        std::remove(partial.c_str());
        throw Error("spool_failed", "Le fichier n'a pas pu être enregistré sur le serveur.");
    }
    // The rename itself is on the disk once its folder is: a crash after the answer keeps the file.
    const std::string folder = Poco::Path(path).parent().toString();
    const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = dir >= 0 && ::fsync(dir) == 0;
    if (dir >= 0) ::close(dir);
    if (!synced) throw Error("spool_failed", "Le fichier n'a pas pu être enregistré sur le serveur (disque en erreur ?).");
}

std::string SpoolCrypto::read_file(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFoundError("spool_missing", "Le fichier a disparu du serveur (dossier effacé ?).");
    std::ostringstream content;
    content << in.rdbuf();
    return open(content.str());
}

}  // namespace comptoir
