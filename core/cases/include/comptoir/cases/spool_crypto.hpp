// Encryption at rest of the spool (page images, uploads, letters): AES-256-GCM through
// OpenSSL, one random 96-bit nonce per file, the header authenticated with the content.
//
// A file in the spool: "CMPTSPL1" (8 bytes) | key id (8 bytes: the start of the key's
// SHA-256) | nonce (12) | tag (16) | ciphertext. The key id says which key wrote the file,
// so that after a rotation (storage.previous_key_file) the old files are still read, and a
// wrong key is named as such instead of failing as "corrupt".
//
// A key file holds 64 hexadecimal digits (32 bytes), made by `comptoir admin new-key`.
#pragma once

#include "comptoir/base/error.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace comptoir {


class SpoolCrypto {
public:
    using Key = std::array<unsigned char, 32>;

    // No encryption (storage.encryption = off): files are written and read as they are.
    SpoolCrypto() = default;
    SpoolCrypto(Key current, std::optional<Key> previous);

    // What the storage.* keys say.
    struct Options {
        bool enabled = true;            // storage.encryption
        std::string key_file;           // storage.key_file; empty: `data_dir`/spool.key
        std::string previous_key_file;  // storage.previous_key_file
        std::string data_dir;           // data.dir
    };
    // Encryption on (the default) and no key file: the key is `data_dir`/spool.key, made when
    // the data folder is new. Throws Error("storage_key", French) for a missing, unreadable or
    // malformed key file — never falls back to plain text.
    static SpoolCrypto from_options(const Options& options);
    // Reads a key file; Error("storage_key") when it is missing or not 64 hex digits.
    static Key read_key(const std::string& path);
    // Makes a new random key file (mode 0600); Error when it exists or cannot be written.
    static void write_new_key(const std::string& path);

    bool enabled() const { return current_.has_value(); }
    std::string key_id() const;  // hex, "" when off

    // What to store for `plain`; what was stored made plain again. Error("spool_encrypted")
    // for a file written with an unknown key, tampered with, or (encryption on) not encrypted.
    // `aad`: data authenticated with the content but not stored with it (the store's values:
    // their table, column and row), so that a value moved elsewhere no longer opens.
    std::string seal(const std::string& plain, const std::string& aad = "") const;
    std::string open(const std::string& stored, const std::string& aad = "") const;
    static bool is_sealed(const std::string& stored);

    // A value of the base (a text column): "aes256gcm:" and the base64 of seal(plain, aad); ""
    // stays "" and, encryption off, a value is stored as it is. open_value: a value stored
    // clear (before encryption was on: `comptoir admin rekey` seals it) is returned as it is;
    // Error("store_encrypted", French) for a value sealed with an unknown key, or moved, or
    // tampered with.
    std::string seal_value(const std::string& plain, const std::string& aad) const;
    std::string open_value(const std::string& stored, const std::string& aad) const;
    static bool is_sealed_value(const std::string& stored);
    // Whether a stored value is as this key would write it (sealed with it, or "", or clear
    // with encryption off): what `admin rekey` leaves alone.
    bool is_current_value(const std::string& stored) const;
    // The key id (hex) a stored file was written with, "" when it is not encrypted.
    static std::string key_id_of(const std::string& stored);

    // Atomic write (a .part file renamed, made 0600 whatever the umask) of seal(content); read
    // of a file and open().
    void write_file(const std::string& path, const std::string& content) const;  // Error("spool_failed")
    std::string read_file(const std::string& path) const;  // NotFoundError, Error("spool_encrypted")

private:
    std::optional<Key> current_;
    std::optional<Key> previous_;
};

}  // namespace comptoir
