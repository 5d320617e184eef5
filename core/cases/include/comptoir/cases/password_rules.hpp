// What a new password must be (ASVS 2.1): at least 12 characters (Unicode code points, not
// bytes), not the login nor containing it, and not a common or simple password — cracklib
// (Debian's libcrack2) over a dictionary packed at build time from English and French words
// (Debian's cracklib-small and wfrench) and the team's list of common French passwords
// (data/passwords/communs-fr.txt).
#pragma once

#include <cstddef>
#include <string>

namespace comptoir {

constexpr size_t kPasswordMinCharacters = 12;
constexpr size_t kPasswordMaxCharacters = 256;

// The number of characters (UTF-8 code points) of `text`.
size_t utf8_characters(const std::string& text);

// The packed dictionary's path without its extension (…/comptoir-dict: .pwd, .pwi, .hwm beside);
// empty: the one this build made.
std::string default_password_dictionary();

// Throws BadRequestError("weak_password", French) when `password` breaks a rule for `login`;
// UnavailableError("password_dictionary", French) when the dictionary cannot be read.
// Thread-safe: cracklib's calls are serialised (it is not).
void check_new_password(const std::string& password, const std::string& login, const std::string& dictionary = "");

}  // namespace comptoir
