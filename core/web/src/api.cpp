#include "comptoir/web/api.hpp"

#include "comptoir/base/memory.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/base/time.hpp"

#include "api_cases.hpp"

#include "comptoir/cases/accounts.hpp"

#include "comptoir/cases/desk.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/plugin_host/plugin_json.hpp"
#include "comptoir/base/version.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <algorithm>
#include <sstream>

namespace comptoir {

std::string health_json(const ApiContext& context) {
    Poco::JSON::Object body;
    body.set("status", "ok");
    body.set("version", version());
    const auto uptime = std::chrono::steady_clock::now() - context.started;
    body.set("uptime_s", std::chrono::duration_cast<std::chrono::seconds>(uptime).count());
    Poco::JSON::Object plugins;
    Poco::JSON::Array loaded;
    for (const PluginInfo* info : context.plugins.loaded()) loaded.add(info->id);
    plugins.set("loaded", loaded);
    // Per plugin, its worker's stops (crash, timeout, memory) and whether it is set aside.
    Poco::JSON::Array states;
    for (const auto& state : context.plugins.health()) {
        Poco::JSON::Object entry;
        entry.set("id", state.id);
        entry.set("crashes", state.failures);
        entry.set("set_aside", state.set_aside);
        states.add(entry);
    }
    plugins.set("health", states);
    plugins.set("rejected", rejections_json(context.plugins.rejected()));
    plugins.set("disabled", rejections_json(context.plugins.disabled()));
    body.set("plugins", plugins);
    Poco::JSON::Object ocr;
    ocr.set("languages", context.options.ocr_languages);
    ocr.set("engines", context.options.ocr_engines);
    ocr.set("omp_thread_limit", omp_thread_limit());
    ocr.set("huge_pages", memory::huge_pages());
    ocr.set("tesseract", tesseract_version());
    body.set("ocr", ocr);
    if (context.desk) {
        const auto [queued, running] = context.desk->jobs();
        Poco::JSON::Object jobs;
        jobs.set("queued", queued);
        jobs.set("running", running);
        body.set("jobs", jobs);
    }
    return stringify(body);
}

namespace {

// An address as one text whatever its spelling ("::ffff:10.0.0.7" is "10.0.0.7"); a text that is
// no address is kept as it is, cut short.
std::string normal_address(const std::string& text) {
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(text, address)) return text.substr(0, 64);
    if (address.family() == Poco::Net::AddressFamily::IPv6 && address.isIPv4Mapped()) {
        const std::string spelled = address.toString();
        return spelled.substr(spelled.rfind(':') + 1);
    }
    return address.toString();
}

}  // namespace

std::string client_address(const Poco::Net::HTTPServerRequest& request, const std::vector<std::string>& trusted_proxies) {
    std::vector<std::string> trusted;
    for (const auto& proxy : trusted_proxies) trusted.push_back(normal_address(proxy));
    const auto is_trusted = [&](const std::string& address) {
        return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
    };
    const std::string peer = normal_address(request.clientAddress().host().toString());
    if (!is_trusted(peer)) return peer;
    // Every X-Forwarded-For line, in order: each proxy appends the address it got the request from.
    std::vector<std::string> hops;
    for (auto it = request.find("X-Forwarded-For"); it != request.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0;
         ++it) {
        std::istringstream items(it->second);
        for (std::string item; std::getline(items, item, ',');) {
            const auto first = item.find_first_not_of(" \t");
            if (first == std::string::npos) continue;
            hops.push_back(normal_address(item.substr(first, item.find_last_not_of(" \t") - first + 1)));
        }
    }
    // The right-most hop that is not one of ours: what is left of it the client may have written.
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
        if (!is_trusted(*hop)) return *hop;
    }
    return peer;
}

namespace {

constexpr const char* kCookie = "comptoir_session";

// A refusal during a sign-in delay says how long in Retry-After (and in its message).
void say_retry_after(Poco::Net::HTTPServerResponse& response, const TooManyAttemptsError& error) {
    if (error.retry_after_s() > 0) response.set("Retry-After", std::to_string(error.retry_after_s()));
}

std::string session_token(const Poco::Net::HTTPServerRequest& request) {
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    return cookies.get(kCookie, "");
}

}  // namespace

bool session_alive(Desk& desk, const Poco::Net::HTTPRequest& request) {
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    return desk.accounts().alive(cookies.get(kCookie, ""));
}

namespace {

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// Every route but the open ones needs a live session; a state-changing request its session's
// CSRF token in X-CSRF-Token (SameSite=Strict already keeps other sites' forms out; the token
// also covers browsers that ignore it); admin routes the admin role.
Guard make_guard(Desk& desk) {
    return [&desk](Request& request, Access access) {
        if (access == Access::open) return;
        const auto session = desk.accounts().session(session_token(request.http));
        if (!session) throw StatusError(401, "not_signed_in", "Connectez-vous pour continuer (session absente ou expirée).");
        if (changes_state(request.http.getMethod()) && request.http.get("X-CSRF-Token", "") != session->csrf) {
            throw StatusError(403, "csrf", "Requête refusée : rechargez la page, puis recommencez.");
        }
        if (access == Access::admin && session->account.role != "admin") {
            throw StatusError(403, "forbidden", "Cette action est réservée à l'administrateur du site.");
        }
        request.login = session->account.login;
        request.role = session->account.role;
    };
}

std::string session_json(const Session& session) {
    Poco::JSON::Object out;
    out.set("login", session.account.login);
    out.set("role", session.account.role);
    out.set("csrf", session.csrf);
    // When the session ends if nothing more is done, and the idle limit: the page warns before.
    out.set("expires_at", iso_utc(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(session.expires_s))));
    out.set("idle_seconds", session.idle_seconds);
    return stringify(out);
}

Poco::JSON::Object account_json(const Account& account) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("login", account.login);
    out.set("role", account.role);
    out.set("created_at", account.created_at);
    return out;
}

void add_account_routes(Router& router, Desk& desk, const ApiContext& context) {
    router.add("POST", "/api/v1/login", [&desk, &context](Request& request, Poco::Net::HTTPServerResponse& response) {
        const auto body = json_body(request);
        Session session;
        try {
            session = desk.accounts().sign_in(body->optValue<std::string>("login", ""),
                                              body->optValue<std::string>("password", ""),
                                              client_address(request.http, context.options.trusted_proxies));
        } catch (const TooManyAttemptsError& error) {
            say_retry_after(response, error);
            throw;
        }
        Poco::Net::HTTPCookie cookie(kCookie, session.token);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(request.http.secure());
        cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
        response.addCookie(cookie);
        send_json(response, 200, session_json(session));
    }, Access::open);
    router.add("POST", "/api/v1/logout", [&desk](Request& request, Poco::Net::HTTPServerResponse& response) {
        desk.accounts().sign_out(session_token(request.http));
        Poco::Net::HTTPCookie cookie(kCookie, "");
        cookie.setPath("/");
        cookie.setMaxAge(0);
        cookie.setHttpOnly(true);
        cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
        response.addCookie(cookie);
        send_json(response, 200, "{\"signed_out\": true}");
    });
    router.add("GET", "/api/v1/me", [&desk](Request& request, Poco::Net::HTTPServerResponse& response) {
        send_json(response, 200, session_json(*desk.accounts().session(session_token(request.http))));
    });
    // The signed-in account changes its own password; its other sessions end, this one stays.
    router.add("POST", "/api/v1/me/password", [&desk, &context](Request& request, Poco::Net::HTTPServerResponse& response) {
        const auto body = json_body(request);
        const std::string current = body->optValue<std::string>("current", "");
        if (current.empty()) throw BadRequestError("current_required", "Saisissez votre mot de passe actuel.");
        try {
            desk.accounts().change_own_password(session_token(request.http), current, body->optValue<std::string>("new", ""),
                                                client_address(request.http, context.options.trusted_proxies));
        } catch (const TooManyAttemptsError& error) {
            say_retry_after(response, error);
            throw;
        } catch (const UnauthenticatedError& error) {
            if (error.code() != "wrong_password") throw;
            throw StatusError(403, error.code(), error.what());  // signed in, but not this password
        }
        send_json(response, 200, "{\"changed\": true}");
    });
    router.add("GET", "/api/v1/users", [&desk](Request&, Poco::Net::HTTPServerResponse& response) {
        Poco::JSON::Array users;
        for (const auto& account : desk.accounts().list()) users.add(account_json(account));
        Poco::JSON::Object out;
        out.set("users", users);
        send_json(response, 200, stringify(out));
    }, Access::admin);
    router.add("POST", "/api/v1/users", [&desk](Request& request, Poco::Net::HTTPServerResponse& response) {
        const auto body = json_body(request);
        const Account account = desk.accounts().create(body->optValue<std::string>("login", ""),
                                                       body->optValue<std::string>("role", "mediator"),
                                                       body->optValue<std::string>("password", ""), request.login);
        send_json(response, 201, stringify(account_json(account)));
    }, Access::admin);
    router.add("DELETE", "/api/v1/users/{login}", [&desk](Request& request, Poco::Net::HTTPServerResponse& response) {
        const std::string login = request.params.at("login");
        if (login == request.login) {
            throw StatusError(409, "self", "Vous ne pouvez pas supprimer votre propre compte.");
        }
        desk.accounts().remove(login, request.login);
        send_json(response, 200, "{\"removed\": true}");
    }, Access::admin);
    router.add("PUT", "/api/v1/users/{login}/password", [&desk](Request& request, Poco::Net::HTTPServerResponse& response) {
        const auto body = json_body(request);
        const std::string login = request.params.at("login");
        desk.accounts().set_password(login, body->optValue<std::string>("password", ""), request.login);
        send_json(response, 200, "{\"changed\": true}");
    }, Access::admin);
}

}  // namespace

std::shared_ptr<Router> make_api_router(const ApiContext& context) {
    auto router = std::make_shared<Router>();
    router->add("GET", "/api/v1/health", [&context](Request&, Poco::Net::HTTPServerResponse& response) {
        send_json(response, 200, health_json(context));
    }, Access::open);
    router->add("GET", "/api/v1/plugins", [&context](Request&, Poco::Net::HTTPServerResponse& response) {
        send_json(response, 200, stringify(*plugins_json(context.plugins)));
    });
    if (context.desk) {
        router->set_guard(make_guard(*context.desk));
        add_account_routes(*router, *context.desk, context);
        add_case_routes(*router, context);
        add_letter_routes(*router, context);
        add_visit_routes(*router, context);
        add_admin_routes(*router, context);
    }
    return router;
}

}  // namespace comptoir
