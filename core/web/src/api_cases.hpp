// The routes over the desk (cases, documents, fields, letters, stations): docs/api.md.
#pragma once

#include "comptoir/web/api.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <istream>
#include <string>

namespace comptoir {

// Adds them to `router`; `context.desk` must be set and outlive the router.
void add_case_routes(Router& router, const ApiContext& context);
// The letters' routes (api_letters.cpp): offered, previewed, written, read, their answers.
void add_letter_routes(Router& router, const ApiContext& context);
// The routes of visits shared by the office (api_visits.cpp): taking one over, drafts.
void add_visit_routes(Router& router, const ApiContext& context);
void add_station_routes(Router& router, const ApiContext& context);  // from add_case_routes
// The administrator's routes (api_admin.cpp): stations' diagnostics, accounts, retention,
// statistics, audit log.
void add_admin_routes(Router& router, const ApiContext& context);

class Desk;
struct LetterRecord;
// A written letter: its id, its document, whether it is out of date (docs/api.md).
Poco::JSON::Object letter_json(const Desk& desk, const LetterRecord& letter);
// The positive number in the route's `name` parameter; NotFoundError otherwise.
int64_t id_param(const Request& request, const std::string& name);

// The JSON object of a request's body: 415 when it is not JSON, 400 when it does not parse,
// 413 past 1 MiB.
Poco::JSON::Object::Ptr json_body(Request& request);
// The JSON object `body` holds: BadRequestError (400) for anything else (the fuzz target's entry).
Poco::JSON::Object::Ptr parse_json_object(const std::string& body);

// The "file" part of a multipart/form-data upload.
struct UploadedFile {
    std::string filename;  // as the browser gave it
    std::string content;
};
// Reads the upload of `request` from `body`: StatusError 413 past `limit` bytes, BadRequestError
// for a body that is not well-formed multipart or has no "file" part (the fuzz target's entry).
UploadedFile parse_upload(const Poco::Net::HTTPRequest& request, std::istream& body, int64_t limit);
// Whether the session of the request's cookie still lives, without counting this as a use of
// it (an open event stream does not keep its session alive): the event streams end with it.
bool session_alive(Desk& desk, const Poco::Net::HTTPRequest& request);
struct DocumentRecord;
// A document as the API shows it: `whole` with its reading's fields, pages and letters.
Poco::JSON::Object document_json(const Desk& desk, const DocumentRecord& document, bool whole);
// Server-sent events of a case (api_events.cpp): its documents' state, then every event.
void stream_events(Desk& desk, int limit, int64_t case_id, Request& request, Poco::Net::HTTPServerResponse& response);
// A 200 with `bytes`, not cached, not sniffed.
void send_bytes(Poco::Net::HTTPServerResponse& response, const std::string& type, const std::string& bytes,
                const std::string& disposition = "");

}  // namespace comptoir
