#include "comptoir/http_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <mutex>

#include "comptoir/error.hpp"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Path.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <sstream>
#include <typeinfo>

namespace comptoir {
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
        } catch (const StatusError& error) {
            respond(response, error.status(), error.code(), error.what());
        } catch (const NotFoundError& error) {
            respond(response, 404, error.code(), error.what());
        } catch (const BadRequestError& error) {
            respond(response, 400, error.code(), error.what());
        } catch (const InputError& error) {
            respond(response, 422, error.code(), error.what());
        } catch (const Error& error) {
            // A failure of the server's own (its database, its spool): the French message says
            // what to tell the administrator; it never quotes document data.
            logger().error("échec sur " + request.getMethod() + " " + path + " : " + error.code());
            // The database out of reach is a moment's unavailability, not a broken server.
            respond(response, error.code() == "store" ? 503 : 500, error.code(), error.what());
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
    std::unique_ptr<Poco::Net::HTTPServer> server;
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
        socket.listen(64);
    } catch (const Poco::Net::NetException& error) {
        throw Error("listen_failed", "impossible d'écouter sur " + options.host + ":" + std::to_string(options.port) +
                                         " (" + error.displayText() + ") : le port est-il déjà pris ? "
                                         "Changez server.port dans la configuration.");
    } catch (const Poco::Exception& error) {
        throw Error("listen_failed", "impossible d'écouter sur " + options.host + ":" + std::to_string(options.port) +
                                         " (" + error.displayText() + ")");
    }
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(impl_->router, options.web_dir), socket, params);
    impl_->server->start();
}

void HttpServer::stop() {
    if (impl_ && impl_->server) {
        impl_->server->stop();
        impl_->server.reset();
    }
}

uint16_t HttpServer::port() const { return impl_->port; }

}  // namespace comptoir
