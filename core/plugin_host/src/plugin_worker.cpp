// Both sides of the plugin worker (plugin_worker.hpp): the child that loads one plugin module
// and answers, and the host's call to it with what a failure means for the document.
#include "comptoir/plugin_host/plugin_worker.hpp"

#include "plugin_calls.hpp"
#include "plugin_sandbox.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/plugin_host/reading_json.hpp"
#include "comptoir/worker/child.hpp"

#include <Poco/Channel.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Message.h>
#include <Poco/AutoPtr.h>
#include <Poco/Path.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <deque>
#include <map>
#include <sstream>
#include <utility>

namespace comptoir {

using plugin_calls::logger;
using plugin_calls::quote;

namespace {

constexpr size_t kMaxLogLines = 50;
constexpr size_t kMaxLogLine = 500;

// The child's log lines, kept for the answer (its stderr is /dev/null).
class Captured : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        if (lines_.size() >= kMaxLogLines) return;
        std::string text = message.getText().substr(0, kMaxLogLine);
        if (!valid_utf8(text)) text = "(ligne illisible)";
        lines_.emplace_back(static_cast<int>(message.getPriority()), std::move(text));
    }
    std::vector<std::pair<int, std::string>> take() { return std::exchange(lines_, {}); }

private:
    std::vector<std::pair<int, std::string>> lines_;
};

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

// The log lines of the call, for its answer.
Poco::JSON::Array take_logs(Captured& captured) {
    Poco::JSON::Array logs;
    for (const auto& [level, line] : captured.take()) {
        Poco::JSON::Array entry;
        entry.add(level);
        entry.add(line);
        logs.add(entry);
    }
    return logs;
}

// Fields a plugin reported that cannot go further: logged by key, never by value.
void drop_unfit_fields(const std::string& plugin, std::map<std::string, ExtractedField>& fields) {
    for (auto it = fields.begin(); it != fields.end();) {
        const std::string problem = plugin_calls::field_problem(it->second);
        if (problem.empty()) {
            ++it;
            continue;
        }
        logger().warning("greffon " + plugin + " : champ " + quote(it->first) + " " + problem + ", ignoré");
        it = fields.erase(it);
    }
}

}  // namespace

bool valid_utf8(const std::string& text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    for (size_t i = 0; i < size;) {
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        size_t length = 0;
        uint32_t point = 0;
        if ((lead & 0xE0) == 0xC0) length = 2, point = lead & 0x1Fu;
        else if ((lead & 0xF0) == 0xE0) length = 3, point = lead & 0x0Fu;
        else if ((lead & 0xF8) == 0xF0) length = 4, point = lead & 0x07u;
        else return false;
        if (i + length > size) return false;
        for (size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) return false;
            point = (point << 6) | (bytes[i + k] & 0x3Fu);
        }
        static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

std::string default_plugin_worker_path() {
#ifdef COMPTOIR_INSTALL_PLUGIN_WORKER
    return worker::program_path("comptoir-plugin-worker", COMPTOIR_INSTALL_PLUGIN_WORKER);
#else
    return worker::program_path("comptoir-plugin-worker", "");
#endif
}

// --- the child ---------------------------------------------------------------------------

// The settings given on the command line: "p<key>=<value>" the plugin's, "m<key>=<value>" its
// module's (ABI 1.3), by owner as the registry takes them.
PluginSettings settings_by_owner(const std::string& path, const std::string& plugin_id, const std::vector<std::string>& settings) {
    PluginSettings by_owner;
    const std::string module = Poco::Path(path).getBaseName();
    for (const auto& setting : settings) {
        const size_t equals = setting.find('=');
        if (setting.size() < 2 || equals == std::string::npos || (setting[0] != 'p' && setting[0] != 'm')) continue;
        if (setting[0] == 'p' && plugin_id.empty()) continue;
        by_owner[setting[0] == 'p' ? plugin_id : module][setting.substr(1, equals - 1)] = setting.substr(equals + 1);
    }
    return by_owner;
}

// The lines a plugin (or a module) logged itself ("greffon <owner> : …"), for the host's log:
// not this child's registry's own lines, which the host says in its own words.
Poco::JSON::Array own_lines(Captured& captured, const std::string& owner) {
    Poco::JSON::Array logs;
    const std::string prefix = "greffon " + owner + " : ";
    for (const auto& [level, line] : captured.take()) {
        if (line.rfind(prefix, 0) != 0) continue;
        Poco::JSON::Array entry;
        entry.add(level);
        entry.add(line);
        logs.add(entry);
    }
    return logs;
}

int serve_module(const std::string& path, const std::vector<std::string>& settings) {
    Poco::AutoPtr<Captured> captured(new Captured);
    logger().setChannel(Poco::Channel::Ptr(captured));
    logger().setLevel(Poco::Message::PRIO_INFORMATION);
    PluginRegistry registry(in_this_process());
    registry.set_settings(settings_by_owner(path, {}, settings));
    std::string answer;
    // The module is opened on the first request, not before the child says it is ready: its
    // factory's init then counts in the call's time (plugins.timeout_ms), not in the start's.
    return worker::serve([&](std::string&&, worker::Reply& reply) {
        if (answer.empty()) {
            const std::string listed = registry.list_module(path);
            answer = R"({"ok": true, "module": )" + listed + R"(, "logs": )";
            std::ostringstream logs;
            own_lines(*captured, Poco::Path(path).getBaseName()).stringify(logs);
            answer += logs.str() + "}";
        }
        reply.send(answer, true);
    });
}

int serve_plugin(const std::string& path, const std::string& plugin_id, const std::vector<std::string>& settings) {
    Poco::AutoPtr<Captured> captured(new Captured);
    logger().setChannel(Poco::Channel::Ptr(captured));
    logger().setLevel(Poco::Message::PRIO_INFORMATION);
    PluginRegistry registry(in_this_process());
    registry.set_settings(settings_by_owner(path, plugin_id, settings));
    bool started = false;
    bool loaded = false;
    std::string refused = "désactivé";
    std::string id;
    std::string sandbox;
    Poco::JSON::Array start_logs;  // what its init logged, for the host (said with "describe")
    // The module is loaded, and the plugin's init run, on the first request (the host's
    // "describe" when it loads the plugin, any request for a child started again): its init
    // counts in that call's time (plugins.timeout_ms), not in the child's start.
    const auto start = [&] {
        started = true;
        // Only the plugin it serves, when the module offers several.
        registry.load_file(path, plugin_id.empty() ? std::vector<std::string>{"*"} : std::vector<std::string>{plugin_id});
        loaded = !registry.loaded().empty();
        for (const auto& rejection : registry.rejected()) {
            if (rejection.id == plugin_id || rejection.id.empty() || plugin_id.empty()) {
                refused = rejection.reason;
                break;
            }
        }
        id = loaded ? registry.loaded().front()->id : std::string();
        start_logs = own_lines(*captured, loaded ? id : plugin_id);
        // From here on, what the plugin may do is only to compute and answer.
        sandbox = plugin_sandbox::enter();
    };
    std::deque<std::pair<uint64_t, Document>> held;  // the documents kept, by number
    return worker::serve([&](std::string&& request, worker::Reply& reply) {
        if (!started) start();
        Poco::JSON::Object answer;
        const bool describe = request == "describe";
        if (!sandbox.empty() || !loaded) {
            // Why it is refused: to a description, the reason the host gives as it would have
            // given it loading the plugin itself, with the start's log lines.
            answer.set("ok", false);
            if (!sandbox.empty()) {
                answer.set("refused", "le bac à sable du greffon n'a pas pu être mis en place (" + sandbox + ")");
            } else if (describe) {
                answer.set("refused", refused);
                answer.set("logs", start_logs);
            } else {
                answer.set("refused", "le greffon ne se charge pas dans son processus (" + refused + ")");
            }
            return reply.send(stringify(answer), true);
        }
        if (describe) {
            // The plugin's declarations, read here after its init.
            std::ostringstream logs;
            start_logs.stringify(logs);
            return reply.send(R"({"ok": true, "plugin": )" + registry.describe(id) + R"(, "logs": )" + logs.str() + "}", true);
        }
        // "<verb>[ #<number>][ <argument>]\n<body>": a document sent with a number is kept under
        // it (the last kHeldDocuments), and one sent without its body is the one kept under it.
        const size_t newline = request.find('\n');
        const std::string head = request.substr(0, newline);
        const std::string body = newline == std::string::npos ? std::string() : request.substr(newline + 1);
        request.clear();
        const std::string verb = head.substr(0, head.find(' '));
        std::string argument = verb.size() < head.size() ? head.substr(verb.size() + 1) : std::string();
        uint64_t number = 0;
        if (!argument.empty() && argument[0] == '#') {
            const size_t space = argument.find(' ');
            number = std::strtoull(argument.c_str() + 1, nullptr, 10);
            argument = space == std::string::npos ? std::string() : argument.substr(space + 1);
        }
        if (verb == "check") {
            // A mediator's correction checked by the plugin's own check_value: never logged.
            const comptoir_check check = registry.check_value(id, argument, body);
            answer.set("ok", true);
            answer.set("check", check == COMPTOIR_CHECK_OK ? "ok" : check == COMPTOIR_CHECK_FAILED ? "failed" : "unchecked");
            answer.set("logs", take_logs(*captured));
            return reply.send(stringify(answer), true);
        }
        const Document* document = nullptr;
        if (!body.empty() || number == 0) {
            try {
                held.emplace_back(number, Document::from_json(body));
            } catch (const Error&) {
                answer.set("ok", false);
                answer.set("refused", "document illisible par le processus du greffon");
                return reply.send(stringify(answer), true);
            }
            document = &held.back().second;
        } else {
            for (const auto& [kept, kept_document] : held) {
                if (kept == number) document = &kept_document;
            }
            if (!document) {
                answer.set("ok", false);
                answer.set("unknown_document", true);
                return reply.send(stringify(answer), true);
            }
        }
        Reading reading;
        Poco::JSON::Array asked;  // extract: the regions the plugin asked read again (ABI 1.4)
        bool ok = false;
        if (verb == "recognise") {
            Recognition recognition = registry.recognise(*document, 2.0, id);
            reading.candidates = std::move(recognition.candidates);
            ok = recognition.errors.empty();
        } else if (verb == "extract") {
            Extraction extraction = registry.extract(*document, id, argument);
            reading.fields = std::move(extraction.fields);
            drop_unfit_fields(id, reading.fields);
            for (const auto& [page, box] : extraction.asked) {
                Poco::JSON::Array region;
                for (const int n : {static_cast<int>(page), box.x, box.y, box.width, box.height}) region.add(n);
                asked.add(region);
            }
            ok = extraction.ok;
        }
        // Only numbered documents are kept, the last few.
        if (!held.empty() && held.back().first == 0) held.pop_back();
        while (held.size() > plugin_calls::kHeldDocuments) held.pop_front();
        answer = reading_to_json(reading);
        // A reading's JSON keeps the evidence's label only with its relation: sent apart.
        Poco::JSON::Object labels;
        for (const auto& [key, field] : reading.fields) {
            if (field.relation.empty() && !field.evidence_label.empty()) labels.set(key, field.evidence_label);
        }
        if (labels.size()) answer.set("evidence_labels", labels);
        if (asked.size()) answer.set("asked", asked);
        answer.set("ok", ok);
        answer.set("logs", take_logs(*captured));
        reply.send(stringify(answer), true);
    });
}

// --- the host ----------------------------------------------------------------------------

namespace plugin_calls {

std::string field_problem(const ExtractedField& field) {
    const auto too_long = [](const std::string& text) { return text.size() > kMaxValueBytes; };
    if (too_long(field.value) || too_long(field.text) || too_long(field.suggestion) || too_long(field.evidence_label)) {
        return "trop long (plus de " + std::to_string(kMaxValueBytes) + " octets)";
    }
    bool valid = valid_utf8(field.value) && valid_utf8(field.text) && valid_utf8(field.suggestion) &&
                 valid_utf8(field.evidence_label) && valid_utf8(field.label);
    for (const auto& alternative : field.alternatives) {
        valid = valid && valid_utf8(alternative.second) && !too_long(alternative.second);
    }
    return valid ? std::string() : "mal encodé (UTF-8 invalide)";
}

void log_answer_lines(const Poco::JSON::Object& answer) {
    const auto logs = answer.getArray("logs");
    if (!logs) return;
    for (unsigned i = 0; i < logs->size() && i < kMaxLogLines; ++i) {
        const auto entry = logs->getArray(i);
        if (!entry || entry->size() != 2) continue;
        const std::string line = entry->getElement<std::string>(1).substr(0, kMaxLogLine);
        if (!valid_utf8(line)) continue;
        logger().log(Poco::Message(logger().name(), line,
                                   static_cast<Poco::Message::Priority>(std::clamp(entry->getElement<int>(0), 1, 8))));
    }
}

worker::RunnerOptions runner_options(const PluginIsolation& isolation, std::vector<std::string> arguments) {
    worker::RunnerOptions runner;
    runner.executable = isolation.worker.empty() ? default_plugin_worker_path() : isolation.worker;
    runner.arguments = std::move(arguments);
    runner.memory_bytes = isolation.memory_bytes;
    runner.cpu_seconds = static_cast<int>((isolation.timeout.count() + 999) / 1000) + 1;
    runner.timeout = isolation.timeout;
    runner.max_frame_bytes = static_cast<uint32_t>(kMaxAnswerBytes);  // a plugin writing to fd 3 itself
    return runner;
}

std::string failure_message(const std::string& plugin, const worker::Outcome& outcome, std::chrono::milliseconds timeout) {
    const std::string name = "Le greffon " + plugin;
    switch (outcome.status) {
    case worker::Status::ok: return {};
    case worker::Status::out_of_time:
        return name + " n'a pas répondu à temps (" + std::to_string(timeout.count()) +
               " ms) : il a été arrêté et n'a pas lu ce document.";
    case worker::Status::out_of_memory:
        return name + " a demandé plus de mémoire qu'il n'en a droit : il a été arrêté et n'a pas lu ce document.";
    case worker::Status::unavailable:
        return name + " n'a pas pu être lancé (programme comptoir-plugin-worker introuvable : installation incomplète).";
    case worker::Status::crashed: break;
    }
    const std::string how = outcome.signal ? " (signal " + std::to_string(outcome.signal) + ")" : std::string();
    return name + " s'est arrêté pendant la lecture" + how + " : ses résultats manquent pour ce document.";
}

WorkerCall::WorkerCall(const PluginRegistry::Loaded& plugin) : plugin_(plugin), exchange_(*plugin.runner) {}

void WorkerCall::send(const std::string& request) { sent_ = exchange_.send(request, plugin_.timeout); }

void WorkerCall::send_document(const std::string& verb, const std::string& argument, const std::string& json) {
    verb_ = verb;
    argument_ = argument;
    json_ = &json;
    if (plugin_.held_child != exchange_.child()) {
        // Another child (started again since): it holds nothing.
        plugin_.held.clear();
        plugin_.held_child = exchange_.child();
    }
    for (const auto& [number, held] : plugin_.held) {
        if (held == json) return send_numbered(number, false);
    }
    static std::atomic<uint64_t> next_number{0};
    send_numbered(++next_number, true);
}

void WorkerCall::send_numbered(uint64_t number, bool with_document) {
    number_ = number;
    by_reference_ = !with_document;
    std::string request = verb_ + " #" + std::to_string(number) + (argument_.empty() ? "" : " " + argument_) + "\n";
    if (with_document) request += *json_;
    sent_ = exchange_.send(request, plugin_.timeout);
}

Answer WorkerCall::finish() {
    Answer answer = read_answer();
    if (answer.read && answer.unknown_document && json_) {
        // Not where the host thought (a worker's answer is no proof of anything): sent again.
        send_numbered(number_, true);
        answer = read_answer();
    }
    if (answer.read && json_ && !by_reference_ && answer.refused.empty() && !answer.unknown_document &&
        plugin_.held_child == exchange_.child()) {
        // It read the document and keeps it, as the host does its JSON.
        plugin_.held.emplace_back(number_, *json_);
        while (plugin_.held.size() > kHeldDocuments) plugin_.held.pop_front();
    }
    return answer;
}

Answer WorkerCall::read_answer() {
    Answer answer;
    std::string bytes;
    const auto timeout = plugin_.timeout;
    worker::Outcome outcome = sent_;
    if (outcome.ok()) {
        try {
            outcome = exchange_.receive([&](std::string&& part) {
                if (bytes.size() + part.size() > kMaxAnswerBytes) throw std::length_error("réponse trop grande");
                bytes += part;
            });
        } catch (const std::length_error&) {
            outcome = {worker::Status::crashed, "réponse trop grande"};
        }
    }
    if (outcome.ok()) {
        try {
            Poco::JSON::Parser parser;
            const auto object = parser.parse(bytes).extract<Poco::JSON::Object::Ptr>();
            if (!object) throw InputError("plugin_answer", "réponse vide");
            answer.ok = object->optValue<bool>("ok", false);
            answer.refused = object->optValue<std::string>("refused", "");
            answer.check = object->optValue<std::string>("check", "");
            answer.unknown_document = object->optValue<bool>("unknown_document", false);
            log_answer_lines(*object);
            Reading reading = reading_from_json(object);
            answer.candidates = std::move(reading.candidates);
            answer.fields = std::move(reading.fields);
            if (const auto labels = object->getObject("evidence_labels")) {
                for (auto& [key, field] : answer.fields) field.evidence_label = labels->optValue<std::string>(key, field.evidence_label);
            }
            drop_unfit_fields(plugin_.info.id, answer.fields);
            if (const auto asked = object->getArray("asked")) {
                // Numbers, five to a region, a page from 1 and a box of some size: anything else is
                // left out, and no more than a call may ask.
                for (size_t k = 0; k < asked->size() && answer.asked.size() < Extraction::kMaxAsked; ++k) {
                    const auto region = asked->getArray(static_cast<unsigned>(k));
                    if (!region || region->size() != 5) continue;
                    int n[5];
                    bool fit = true;
                    for (unsigned i = 0; i < 5 && fit; ++i) {
                        const Poco::Dynamic::Var v = region->get(i);
                        fit = v.isInteger() && v.convert<int64_t>() >= 0 && v.convert<int64_t>() <= (int64_t{1} << 30);
                        if (fit) n[i] = v.convert<int>();
                    }
                    if (!fit || n[0] < 1 || n[3] <= 0 || n[4] <= 0) continue;
                    answer.asked.emplace_back(static_cast<uint32_t>(n[0]), Box{n[1], n[2], n[3], n[4]});
                }
            }
            answer.read = true;
            return answer;
        } catch (const std::exception&) {  // Poco's too
            outcome = {worker::Status::crashed, "réponse illisible"};
            exchange_.stop();  // its next answer would be no better
        }
    }
    answer.error = failure_message(plugin_.info.id, outcome, timeout);
    // The plugin and how its process ended: nothing of the document.
    logger().error("greffon " + plugin_.info.id + " : processus arrêté (" + worker::to_string(outcome.status) + ", " +
                   outcome.detail + ")");
    if (outcome.status != worker::Status::unavailable) plugin_.note_failure(answer.error);
    return answer;
}

}  // namespace plugin_calls
}  // namespace comptoir
