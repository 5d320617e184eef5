// The routes over the desk (cases, documents, fields, letters, stations): docs/api.md.
#pragma once

#include "comptoir/api.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace comptoir {

// Adds them to `router`; `context.desk` must be set and outlive the router.
void add_case_routes(Router& router, const ApiContext& context);
// The administrator's routes (api_admin.cpp): stations' diagnostics, accounts, retention,
// statistics, audit log.
void add_admin_routes(Router& router, const ApiContext& context);

// The JSON object of a request's body: 415 when it is not JSON, 400 when it does not parse,
// 413 past 1 MiB.
Poco::JSON::Object::Ptr json_body(Request& request);
// A 200 with `bytes`, not cached, not sniffed.
void send_bytes(Poco::Net::HTTPServerResponse& response, const std::string& type, const std::string& bytes,
                const std::string& disposition = "");

}  // namespace comptoir
