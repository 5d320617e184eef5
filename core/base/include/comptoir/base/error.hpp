// The domain's errors. Each carries a stable code (for programs) and a French message a
// mediator or a site administrator can act on, and says what went wrong in the domain's terms
// (not found, conflict, too large…), never in HTTP's: the web module maps them to statuses in
// one place (http_status(), http_server.cpp), the CLI to exit statuses (exit_status(), cli.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace comptoir {

class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message_fr)
        : std::runtime_error(message_fr), code_(std::move(code)) {}
    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

// The configuration file is wrong: the message names the file and the key.
class ConfigError : public Error {
public:
    explicit ConfigError(const std::string& message_fr) : Error("config", message_fr) {}
};

// A request or an argument is malformed, a value invalid (HTTP 400, CLI exit 2).
class BadRequestError : public Error {
public:
    using Error::Error;
};
using InvalidError = BadRequestError;

// What was asked for does not exist (HTTP 404).
class NotFoundError : public Error {
public:
    using Error::Error;
};

// An input (a file, a document) cannot be processed (HTTP 422, CLI exit 1).
class InputError : public Error {
public:
    using Error::Error;
};

// The thing is in a state that forbids the action: a closed case, a busy scanner, a document
// not read yet, a login taken, the last administrator (HTTP 409).
class ConflictError : public Error {
public:
    using Error::Error;
};

// Bigger than the site allows (HTTP 413).
class TooLargeError : public Error {
public:
    using Error::Error;
};

// A kind of file or of request the desk does not read (HTTP 415).
class UnsupportedError : public Error {
public:
    using Error::Error;
};

// Not possible right now, or not on this site: no scanner, an upload cut, the database out of
// reach (HTTP 503).
class UnavailableError : public Error {
public:
    using Error::Error;
};

// A device (a scanner) failed (HTTP 502).
class DeviceError : public Error {
public:
    using Error::Error;
};

// Who is asking could not be recognised: a wrong login or password, no session (HTTP 401).
class UnauthenticatedError : public Error {
public:
    using Error::Error;
};

// Too many failed attempts lately: wait (HTTP 429), `retry_after_s` seconds when known (0: not said).
class TooManyAttemptsError : public Error {
public:
    using Error::Error;
    TooManyAttemptsError(std::string code, const std::string& message_fr, long long retry_after_s)
        : Error(std::move(code), message_fr), retry_after_s_(retry_after_s) {}
    long long retry_after_s() const noexcept { return retry_after_s_; }

private:
    long long retry_after_s_ = 0;
};

}  // namespace comptoir
