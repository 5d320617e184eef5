// The server-sent events of a case (docs/api.md): split from api_cases.cpp.
#include "api_cases.hpp"

#include "comptoir/base/json.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/web/http_server.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberParser.h>

#include <chrono>

namespace comptoir {

// Server-sent events of a case: first what each document is doing now (so a page that comes
// back misses nothing), then every event as it happens, a comment every 15 s to keep proxies
// from closing the stream; ends when the client goes or the server stops.
void stream_events(Desk& desk, int limit, int64_t case_id, Request& request, Poco::Net::HTTPServerResponse& response) {
    desk.case_of(case_id);
    if (!desk.events().open_stream(limit)) {
        throw StatusError(503, "too_many_streams",
                          "Trop de pages suivent des dossiers en même temps : fermez des onglets, puis rechargez.");
    }
    struct Closer {
        EventHub& hub;
        ~Closer() { hub.close_stream(); }
    } closer{desk.events()};
    uint64_t after = 0;
    Poco::NumberParser::tryParseUnsigned64(request.http.get("Last-Event-ID", "0"), after);
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/event-stream; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.set("X-Accel-Buffering", "no");
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    Poco::JSON::Array documents;
    for (const auto& document : desk.store().documents_of(case_id)) documents.add(document_json(desk, document, false));
    out << "event: state\ndata: " << stringify(documents) << "\n\n";
    out.flush();
    // A page that goes away is noticed within a second (its socket turns readable with nothing
    // to read), so that its thread and its place among the streams are free again at once.
    Poco::Net::StreamSocket* socket = nullptr;
    if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request.http)) socket = &impl->socket();
    const auto gone = [&] {
        try {
            return socket && socket->poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ) && socket->available() == 0;
        } catch (const Poco::Exception&) {
            return true;
        }
    };
    auto quiet_since = std::chrono::steady_clock::now();
    // It ends with its session (signed out, expired, removed; here or on another instance).
    auto checked = quiet_since;
    const auto signed_in = [&] {
        if (std::chrono::steady_clock::now() - checked < std::chrono::seconds(2)) return true;
        checked = std::chrono::steady_clock::now();
        return session_alive(desk, request.http);
    };
    while (out.good() && !desk.events().closed() && !gone() && signed_in()) {
        const auto events = desk.events().wait(case_id, after, std::chrono::seconds(1));
        if (events.empty()) {
            if (std::chrono::steady_clock::now() - quiet_since < std::chrono::seconds(15)) continue;
            out << ": encore là\n\n";
        }
        quiet_since = std::chrono::steady_clock::now();
        for (const auto& event : events) {
            out << "id: " << event.seq << "\nevent: " << event.type << "\ndata: " << event.json << "\n\n";
            after = event.seq;
        }
        out.flush();
    }
}

}  // namespace comptoir
