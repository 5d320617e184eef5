// Exceptions of the core. Each carries a stable code (for programs) and a French message a
// mediator or a site administrator can act on. The HTTP layer maps them to statuses in one
// place (http_server.cpp); the CLI maps them to exit statuses.
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

// A request or an argument is malformed (HTTP 400, CLI exit 2).
class BadRequestError : public Error {
public:
    using Error::Error;
};

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

// A refusal with an HTTP status of its own (409 busy, 413 too large, 415 unsupported type).
class StatusError : public Error {
public:
    StatusError(int status, std::string code, const std::string& message_fr)
        : Error(std::move(code), message_fr), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

}  // namespace comptoir
