#include "comptoir/cases/password_rules.hpp"

#include "comptoir/base/error.hpp"

#include <crack.h>

#include <Poco/File.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace comptoir {
namespace {

// cracklib keeps static state between its calls: one at a time.
std::mutex& cracklib_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::string ascii_lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// French letters with a diacritic folded to their base letter, as the dictionary was packed
// (iconv //TRANSLIT): « éléphant » is looked up as « elephant ».
std::string fold_accents(const std::string& text) {
    static const std::map<std::string, std::string> folds = {
        {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"ç", "c"}, {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"},
        {"î", "i"}, {"ï", "i"}, {"ô", "o"}, {"ö", "o"}, {"ù", "u"}, {"û", "u"}, {"ü", "u"}, {"ÿ", "y"},
        {"œ", "oe"}, {"æ", "ae"}, {"À", "A"}, {"Â", "A"}, {"Ç", "C"}, {"É", "E"}, {"È", "E"}, {"Ê", "E"},
        {"Ë", "E"}, {"Î", "I"}, {"Ï", "I"}, {"Ô", "O"}, {"Ù", "U"}, {"Û", "U"}, {"Ü", "U"}, {"Œ", "OE"}, {"Æ", "AE"}};
    std::string out;
    for (size_t i = 0; i < text.size();) {
        bool folded = false;
        if (static_cast<unsigned char>(text[i]) >= 0x80) {
            for (const auto& [from, to] : folds) {
                if (text.compare(i, from.size(), from) == 0) {
                    out += to;
                    i += from.size();
                    folded = true;
                    break;
                }
            }
        }
        if (!folded) out += text[i++];
    }
    return out;
}

// cracklib's reason, in French.
std::string reason_fr(const std::string& reason) {
    if (reason.find("dictionary word") != std::string::npos) {
        return "il ressemble à un mot du dictionnaire ou à un mot de passe courant";
    }
    if (reason.find("short") != std::string::npos) return "il est trop court";
    if (reason.find("DIFFERENT") != std::string::npos) return "il n'a pas assez de caractères différents";
    if (reason.find("whitespace") != std::string::npos) return "il n'est fait que d'espaces";
    if (reason.find("simplistic") != std::string::npos) return "il est trop simple ou trop régulier";
    if (reason.find("username") != std::string::npos || reason.find("password entry") != std::string::npos) {
        return "il ressemble à l'identifiant";
    }
    if (reason.find("Insurance") != std::string::npos) return "il ressemble à un numéro d'identification";
    return "il est trop facile à deviner";
}

void check_with_cracklib(const std::string& password, const std::string& login, const std::string& dictionary) {
    if (!Poco::File(dictionary + ".pwd").exists() || !Poco::File(dictionary + ".pwi").exists()) {
        throw UnavailableError("password_dictionary",
                               "Le dictionnaire des mots de passe courants est introuvable : prévenez l'administrateur "
                               "du site (réglage auth.password_dictionary).");
    }
    std::lock_guard<std::mutex> lock(cracklib_mutex());
    for (const std::string& candidate : {password, fold_accents(password)}) {
        const char* reason = FascistCheckUser(candidate.c_str(), dictionary.c_str(), login.c_str(), nullptr);
        if (reason == nullptr) continue;
        const std::string why = reason;
        if (why.find("error loading dictionary") != std::string::npos) {
            throw UnavailableError("password_dictionary",
                                   "Le dictionnaire des mots de passe courants est illisible : prévenez l'administrateur "
                                   "du site (réglage auth.password_dictionary).");
        }
        throw BadRequestError("weak_password",
                              "Ce mot de passe est trop courant ou trop simple (" + reason_fr(why) + ") : choisissez-en un autre.");
    }
}

}  // namespace

size_t utf8_characters(const std::string& text) {
    return static_cast<size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string default_password_dictionary() { return COMPTOIR_PASSWORD_DICTIONARY; }

void check_new_password(const std::string& password, const std::string& login, const std::string& dictionary) {
    const size_t characters = utf8_characters(password);
    if (characters < kPasswordMinCharacters) {
        throw BadRequestError("weak_password", "Le mot de passe doit avoir au moins " +
                                                   std::to_string(kPasswordMinCharacters) + " caractères.");
    }
    if (characters > kPasswordMaxCharacters) {
        throw BadRequestError("weak_password", "Le mot de passe ne doit pas dépasser " +
                                                   std::to_string(kPasswordMaxCharacters) + " caractères.");
    }
    if (password.find('\0') != std::string::npos) {
        throw BadRequestError("weak_password", "Le mot de passe contient un caractère invisible interdit.");
    }
    if (!login.empty() && ascii_lower(fold_accents(password)).find(ascii_lower(login)) != std::string::npos) {
        throw BadRequestError("weak_password", "Le mot de passe ne doit pas contenir l'identifiant.");
    }
    check_with_cracklib(password, login, dictionary.empty() ? default_password_dictionary() : dictionary);
}

}  // namespace comptoir
