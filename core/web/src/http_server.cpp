#include "comptoir/web/http_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <mutex>

#include "comptoir/base/error.hpp"
#include "connections.hpp"

#include <Poco/Exception.h>
#include <Poco/ThreadPool.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Path.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <typeinfo>
#include <unordered_map>

namespace comptoir {

int http_status(const Error& error) {
    if (const auto* status = dynamic_cast<const StatusError*>(&error)) return status->status();
    if (dynamic_cast<const BadRequestError*>(&error)) return 400;
    if (dynamic_cast<const UnauthenticatedError*>(&error)) return 401;
    if (dynamic_cast<const NotFoundError*>(&error)) return 404;
    if (dynamic_cast<const ConflictError*>(&error)) return 409;
    if (dynamic_cast<const TooLargeError*>(&error)) return 413;
    if (dynamic_cast<const UnsupportedError*>(&error)) return 415;
    if (dynamic_cast<const InputError*>(&error)) return 422;
    if (dynamic_cast<const TooManyAttemptsError*>(&error)) return 429;
    if (dynamic_cast<const DeviceError*>(&error)) return 502;
    if (dynamic_cast<const UnavailableError*>(&error)) return 503;
    // The database out of reach is a moment's unavailability, not a broken server.
    return error.code() == "store" ? 503 : 500;
}
namespace {

Poco::Logger& logger() { return Poco::Logger::get("comptoir.http"); }

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    for (const auto& segment : Poco::StringTokenizer(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        segments.push_back(segment);
    }
    return segments;
}

std::string content_type(const std::string& extension) {
    static const std::map<std::string, std::string> types = {
        {"html", "text/html; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"}, {"json", "application/json"},
        {"svg", "image/svg+xml"}, {"png", "image/png"}, {"jpg", "image/jpeg"},
        {"ico", "image/x-icon"}, {"woff2", "font/woff2"}, {"txt", "text/plain; charset=utf-8"}};
    const auto it = types.find(extension);
    return it == types.end() ? "application/octet-stream" : it->second;
}

// Serves a file of the web folder; false when there is none for this path.
bool serve_static(const std::string& web_dir, const std::string& path, Poco::Net::HTTPServerResponse& response) {
    if (web_dir.empty()) return false;
    std::vector<std::string> segments = split_path(path);
    for (const auto& segment : segments) {
        // No way out of the web folder, no hidden files.
        if (segment == ".." || segment.front() == '.' || segment.find('\\') != std::string::npos) return false;
    }
    Poco::Path file(web_dir);
    file.makeDirectory();
    for (const auto& segment : segments) file.pushDirectory(segment);
    std::string file_path = file.toString();
    if (!file_path.empty() && file_path.back() == '/') file_path.pop_back();
    Poco::File entry(file_path);
    if (entry.exists() && entry.isDirectory()) {
        file_path += "/index.html";
        entry = Poco::File(file_path);
    }
    if (!entry.exists() || !entry.isFile()) return false;
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Cache-Control", "no-cache");
    response.sendFile(file_path, content_type(Poco::Path(file_path).getExtension()));
    return true;
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    RequestHandler(std::shared_ptr<const Router> router, std::string web_dir)
        : router_(std::move(router)), web_dir_(std::move(web_dir)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string path;
        try {
            path = Poco::URI(request.getURI()).getPath();
        } catch (const Poco::Exception&) {
            send_error(response, 400, "bad_request", "Adresse de la requête invalide.");
            return;
        }
        // A NUL or a control character in the decoded path ("%00") would cut a parameter short
        // wherever it is read as a C string ("1%00" read as 1): no route takes one.
        if (std::any_of(path.begin(), path.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
            send_error(response, 400, "bad_request", "Adresse de la requête invalide.");
            return;
        }
        // The one place where exceptions become HTTP statuses.
        try {
            Router::Match match = router_->match(request.getMethod(), path);
            if (match.handler) {
                Request req{request, std::move(match.params), {}, {}};
                if (router_->guard()) router_->guard()(req, match.access);
                (*match.handler)(req, response);
                return;
            }
            if (match.path_known) {
                send_error(response, 405, "method_not_allowed", "Cette action n'est pas possible à cette adresse.");
                return;
            }
            const bool api = path.rfind("/api/", 0) == 0 || path == "/api";
            if (!api && (request.getMethod() == "GET" || request.getMethod() == "HEAD") &&
                serve_static(web_dir_, path, response)) {
                return;
            }
            send_error(response, 404, "not_found", "Cette adresse n'existe pas.");
        } catch (const Error& error) {
            const int status = http_status(error);
            // A failure of the server's own (its database, its spool): the French message says
            // what to tell the administrator; it never quotes document data.
            if (status >= 500 && status != 502) {
                logger().error("échec sur " + request.getMethod() + " " + path + " : " + error.code());
            }
            respond(response, status, error.code(), error.what());
        } catch (const std::exception& error) {
            // No internals to the client; the type (not the message, which may quote document
            // data) goes to the log.
            logger().error("erreur interne sur " + request.getMethod() + " " + path + " : " + typeid(error).name());
            respond(response, 500, "internal_error",
                    "Erreur interne du serveur. Réessayez ; si le problème continue, prévenez l'administrateur du site.");
        } catch (...) {
            logger().error("erreur interne inconnue sur " + request.getMethod() + " " + path);
            respond(response, 500, "internal_error",
                    "Erreur interne du serveur. Réessayez ; si le problème continue, prévenez l'administrateur du site.");
        }
    }

private:
    static void respond(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                        const std::string& message) {
        if (response.sent()) return;  // the handler already started answering: nothing more to say
        send_error(response, status, code, message);
    }

    std::shared_ptr<const Router> router_;
    std::string web_dir_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    HandlerFactory(std::shared_ptr<const Router> router, std::string web_dir)
        : router_(std::move(router)), web_dir_(std::move(web_dir)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RequestHandler(router_, web_dir_);
    }

private:
    std::shared_ptr<const Router> router_;
    std::string web_dir_;
};

// Many idle connections cost a descriptor each: the process may open as many as the system lets it.
void raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Handler handler, Access access) {
    routes_.push_back(Route{method, split_path(pattern), pattern, std::move(handler), access});
}

std::vector<Router::RouteInfo> Router::routes() const {
    std::vector<RouteInfo> out;
    for (const auto& route : routes_) out.push_back(RouteInfo{route.method, route.pattern, route.access});
    return out;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
    Match result;
    const std::vector<std::string> segments = split_path(path);
    for (const auto& route : routes_) {
        if (route.segments.size() != segments.size()) continue;
        std::map<std::string, std::string> params;
        bool matches = true;
        for (size_t i = 0; i < segments.size() && matches; ++i) {
            const std::string& expected = route.segments[i];
            if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
                params[expected.substr(1, expected.size() - 2)] = segments[i];
            } else {
                matches = expected == segments[i];
            }
        }
        if (!matches) continue;
        result.path_known = true;
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            result.handler = &route.handler;
            result.access = route.access;
            result.params = std::move(params);
            return result;
        }
    }
    return result;
}

void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    response.setContentLength(static_cast<std::streamsize>(json.size()));
    response.send() << json;
}

void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                const std::string& message_fr) {
    Poco::JSON::Object error;
    error.set("code", code);
    error.set("message", message_fr);
    Poco::JSON::Object body;
    body.set("error", error);
    std::ostringstream out;
    body.stringify(out);
    send_json(response, status, out.str());
}

struct HttpServer::Impl {
    std::shared_ptr<const Router> router;
    ServerOptions options;
    std::shared_ptr<web_detail::Reaper> reaper;
    // The server's own threads (Poco's default pool has 16 at most, and is shared).
    std::unique_ptr<Poco::ThreadPool> threads;
    std::unique_ptr<Poco::Net::TCPServer> server;
    uint16_t port = 0;
};

HttpServer::HttpServer(std::shared_ptr<const Router> router, ServerOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->router = std::move(router);
    impl_->options = std::move(options);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    const auto& options = impl_->options;
    Poco::Net::ServerSocket socket;
    if (!options.tls_certificate.empty() || !options.tls_key.empty()) {
        if (options.tls_certificate.empty() || options.tls_key.empty()) {
            throw Error("tls", "TLS : il faut à la fois server.tls_certificate et server.tls_key.");
        }
        static std::once_flag ssl;
        std::call_once(ssl, [] { Poco::Net::initializeSSL(); });
        try {
            // TLS 1.2 at least, the server's choice of ciphers; no client certificate.
            Poco::Net::Context::Ptr context = new Poco::Net::Context(
                Poco::Net::Context::TLS_SERVER_USE, options.tls_key, options.tls_certificate, "",
                Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4");
            context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
            context->preferServerCiphers();
            socket = Poco::Net::SecureServerSocket(context);
        } catch (const Poco::Exception& error) {
            throw Error("tls", "TLS : certificat ou clé illisible (" + options.tls_certificate + ", " + options.tls_key +
                                   ") : " + error.displayText());
        }
    }
    try {
        // SO_REUSEADDR for a quick restart, but never SO_REUSEPORT: a second server on the same
        // port must fail, not share it.
        socket.bind(Poco::Net::SocketAddress(options.host, options.port), true, false);
        // A connection is handed to the server only once its client has sent something:
        // thousands of connections opened and left silent stay in the kernel, not in a thread.
        const int defer = std::max(1, options.request_timeout_s);
        ::setsockopt(socket.impl()->sockfd(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer);
        socket.listen(4096);
    } catch (const Poco::Net::NetException& error) {
        throw Error("listen_failed", "impossible d'écouter sur " + options.host + ":" + std::to_string(options.port) +
                                         " (" + error.displayText() + ") : le port est-il déjà pris ? "
                                         "Changez server.port dans la configuration.");
    } catch (const Poco::Exception& error) {
        throw Error("listen_failed", "impossible d'écouter sur " + options.host + ":" + std::to_string(options.port) +
                                         " (" + error.displayText() + ")");
    }
    impl_->port = socket.address().port();
    raise_descriptor_limit();
    // Workers: the site's own (server.threads) for its clients, and room for four client
    // addresses at their cap besides: a few hostile hosts each hold at most `cap` threads, the
    // others are still served. Threads are made on demand and ended after a minute idle.
    const int cap = std::max(0, options.max_connections_per_address);
    const int workers = std::min(1024, std::max(1, options.threads) + 4 * cap);
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(workers);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    // A client silent this long in the middle of a request (its body) is let go; between two
    // requests a kept-alive connection waits a few seconds, and serves so many requests at most.
    const int timeout_s = std::max(1, options.request_timeout_s);
    params->setTimeout(Poco::Timespan(timeout_s, 0));
    params->setKeepAliveTimeout(Poco::Timespan(std::min(std::max(1, options.keep_alive_idle_s), timeout_s), 0));
    params->setMaxKeepAliveRequests(std::max(1, options.max_keep_alive_requests));
    // A head within request_timeout_s; a body at min_body_rate over windows of request_timeout_s.
    impl_->reaper = std::make_shared<web_detail::Reaper>(std::chrono::seconds(timeout_s), std::chrono::seconds(timeout_s),
                                                         std::max<int64_t>(1, options.min_body_rate));
    const bool tls = !options.tls_certificate.empty();
    Poco::AutoPtr<web_detail::AddressCap> filter = new web_detail::AddressCap(cap, options.trusted_proxies, tls);
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers = new HandlerFactory(impl_->router, options.web_dir);
    impl_->threads = std::make_unique<Poco::ThreadPool>(2, workers, 60);
    impl_->server = std::make_unique<Poco::Net::TCPServer>(
        new web_detail::ConnectionFactory(params, handlers, impl_->reaper, filter, tls), *impl_->threads, socket, params);
    impl_->server->setConnectionFilter(filter);
    impl_->server->start();
}

void HttpServer::stop() {
    if (impl_ && impl_->server) {
        impl_->server->stop();
        // Kept-alive connections waiting for their next request are let go; the requests under
        // way finish before the threads are joined.
        impl_->reaper->release_idle();
        impl_->threads->joinAll();
        impl_->server.reset();
        impl_->threads.reset();
        impl_->reaper.reset();
    }
}

uint16_t HttpServer::port() const { return impl_->port; }

}  // namespace comptoir
