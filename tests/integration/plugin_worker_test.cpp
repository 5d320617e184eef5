// Partner plugins in worker processes (issue 32, item 1): the answers are the in-process ones,
// and a plugin that crashes, hangs, forks, writes, opens a socket or answers garbage costs its
// own reading of one document, is named, and the next document is read (tests/plugins/hostile.c).
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/plugin_host/plugin_worker.hpp"

#include "comptoir/worker/runner.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>

using comptoir::Document;
using comptoir::PluginIsolation;
using comptoir::PluginRegistry;
using comptoir::test::LogCapture;
using comptoir::test::TempDir;

namespace {

const std::string kPlugins = COMPTOIR_BUILD_PLUGINS_DIR;
const std::string kTestPlugins = COMPTOIR_TEST_PLUGINS_DIR;

// A page whose words name a client: none of them may reach a log line.
Document page(const std::string& word) {
    return Document::from_json(R"({"pages": [{"width": 1000, "height": 1400, "dpi": 300, "words": [
        {"text": "Lorient,", "confidence": 0.9, "box": [600, 80, 120, 30], "block": 1, "line": 1},
        {"text": "le", "confidence": 0.9, "box": [730, 80, 30, 30], "block": 1, "line": 1},
        {"text": "12/03/2024", "confidence": 0.87, "box": [770, 80, 160, 30], "block": 1, "line": 1},
        {"text": "DUPONTEL", "confidence": 0.9, "box": [100, 200, 150, 30], "block": 2, "line": 2},
        {"text": ")" + word + R"(", "confidence": 0.9, "box": [100, 300, 150, 30], "block": 2, "line": 3}]}]})");
}

PluginIsolation quick(int timeout_ms = 1500) {
    PluginIsolation isolation;
    isolation.timeout = std::chrono::milliseconds(timeout_ms);
    return isolation;
}

struct Hostile {
    std::string act;
    int signal = 0;           // the signal the crash names (0: none expected)
    bool in_recognise = true;  // the act happens in recognise (else only in extract)
    int timeout_ms = 1500;
};

void PrintTo(const Hostile& hostile, std::ostream* out) { *out << hostile.act; }

class HostilePlugin : public ::testing::TestWithParam<Hostile> {};

// Shell lines writing one frame of worker::serve on fd 3: its length (4 bytes, little-endian),
// 1 (the answer's last frame), its bytes (no single quote in them).
std::string frame_lines(const std::string& bytes) {
    std::string out = "printf '";
    for (int i = 0; i < 4; ++i) {
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\%03o", static_cast<unsigned>((bytes.size() >> (8 * i)) & 0xFFu));
        out += escape;
    }
    return out + "\\001' >&3\nprintf '%s' '" + bytes + "' >&3\n";
}

// A comptoir-plugin-worker standing for a partner's module gone wrong: ready, then `listed`
// to the module's listing and `described` to a plugin's description, whatever it is asked.
PluginIsolation fake_worker(const TempDir& dir, const std::string& listed, const std::string& described) {
    const std::string script = dir.write("fake-plugin-worker", "#!/bin/sh\n" + frame_lines("") +
                                                                   "if [ \"$1\" = --module ]; then\n" + frame_lines(listed) +
                                                                   "else\n" + frame_lines(described) + "fi\nexec sleep 30\n");
    ::chmod(script.c_str(), 0700);
    PluginIsolation isolation = quick();
    isolation.worker = script;
    return isolation;
}

const std::string kLibreListed = R"({"ok": true, "module": {"plugins": ["libre"], "rejected": []}, "logs": []})";

// A description of `id` as a worker answers it, with `kinds` (JSON rows).
std::string description(const std::string& id, const std::string& kinds) {
    return R"({"ok": true, "logs": [], "plugin": {"struct_size": )" + std::to_string(sizeof(comptoir_plugin)) +
           R"(, "abi_major": )" + std::to_string(COMPTOIR_PLUGIN_ABI_MAJOR) + R"(, "abi_minor": )" +
           std::to_string(COMPTOIR_PLUGIN_ABI_MINOR) + R"(, "id": ")" + id +
           R"(", "partner": "Test", "version": "0.0.1", "flags": 1, "recognise": true, "extract": true,
           "check_value": true, "kinds": )" + kinds + R"(, "fields": [["numero", "Numéro", )" +
           std::to_string(COMPTOIR_FIELD_IDENTIFIER) + R"(]], "field_specs": [["numero", 2, 9, )" +
           std::to_string(COMPTOIR_ALPHABET_DIGITS) + R"(]], "letters": [[")" + id + R"(.lettre", null]]}})";
}

}  // namespace

TEST(PluginWorker, Utf8IsCheckedStrictly) {
    EXPECT_TRUE(comptoir::valid_utf8("Numéro de facture : 42 €"));
    EXPECT_TRUE(comptoir::valid_utf8(""));
    EXPECT_FALSE(comptoir::valid_utf8("4\xff\xfe" "2"));
    EXPECT_FALSE(comptoir::valid_utf8("\xc3"));            // cut short
    EXPECT_FALSE(comptoir::valid_utf8("\xc0\xaf"));        // overlong "/"
    EXPECT_FALSE(comptoir::valid_utf8("\xed\xa0\x80"));    // a surrogate
    EXPECT_FALSE(comptoir::valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(PluginWorker, AnswersAsTheSamePluginInProcess) {
    PluginRegistry isolated(quick());
    PluginRegistry in_process(comptoir::in_this_process());
    for (auto* registry : {&isolated, &in_process}) {
        ASSERT_TRUE(registry->load_file(kPlugins + "/libre.so"));
        ASSERT_TRUE(registry->load_file(kTestPlugins + "/specs.so"));
    }
    const Document document = page("Bonjour");
    const auto a = isolated.recognise(document, 0.5);
    const auto b = in_process.recognise(document, 0.5);
    ASSERT_EQ(a.candidates.size(), b.candidates.size());
    ASSERT_FALSE(a.candidates.empty());
    for (size_t i = 0; i < a.candidates.size(); ++i) {
        EXPECT_EQ(a.candidates[i].plugin, b.candidates[i].plugin);
        EXPECT_EQ(a.candidates[i].kind, b.candidates[i].kind);
        EXPECT_NEAR(a.candidates[i].confidence, b.candidates[i].confidence, 1e-6);
    }
    EXPECT_TRUE(a.errors.empty());
    for (const auto& [plugin, kind] : {std::pair<std::string, std::string>{"libre", "libre.document"},
                                       {"specs", "specs.document"}}) {
        const auto x = isolated.extract(document, plugin, kind);
        const auto y = in_process.extract(document, plugin, kind);
        EXPECT_TRUE(x.ok) << x.error;
        ASSERT_EQ(x.fields.size(), y.fields.size()) << plugin;
        ASSERT_FALSE(x.fields.empty()) << plugin;
        for (const auto& [key, field] : y.fields) {
            ASSERT_TRUE(x.fields.count(key)) << key;
            const auto& other = x.fields.at(key);
            EXPECT_EQ(other.value, field.value) << key;
            EXPECT_EQ(other.label, field.label) << key;
            EXPECT_EQ(other.check, field.check) << key;
            EXPECT_EQ(other.source, field.source) << key;
            EXPECT_EQ(other.relation, field.relation) << key;
            EXPECT_EQ(other.evidence_label, field.evidence_label) << key;
            EXPECT_EQ(other.page, field.page) << key;
        }
        EXPECT_EQ(x.letters, y.letters);
    }
}

// Without its worker program, no plugin can be read (its declarations are its worker's): each
// is refused with the reason, said where the administrator looks (rejected(), the log).
TEST(PluginWorker, AMissingWorkerProgramRefusesThePluginAndSaysWhy) {
    PluginIsolation isolation = quick();
    isolation.worker = "/nonexistent/comptoir-plugin-worker";
    PluginRegistry registry(isolation);
    EXPECT_FALSE(registry.load_file(kPlugins + "/libre.so"));
    EXPECT_TRUE(registry.loaded().empty());
    ASSERT_EQ(registry.rejected().size(), 1u);
    EXPECT_EQ(registry.rejected()[0].file, "libre.so");
    EXPECT_NE(registry.rejected()[0].reason.find("comptoir-plugin-worker introuvable"), std::string::npos)
        << registry.rejected()[0].reason;
}

// A partner's init never runs in the registry's process (this one): a table's init that
// crashes (init_crashes.c, SIGSEGV) refuses its plugin with the signal, a factory's init that
// never returns (factory_loops.c) refuses its module after plugins.timeout_ms, each named with
// its file, and the good plugin of the same folder loads and reads.
TEST(PluginWorker, AnInitThatCrashesOrNeverReturnsRefusesItsPluginAndTheOthersLoad) {
    TempDir dir;
    for (const std::string name : {"init_crashes.so", "factory_loops.so"}) {
        comptoir::test::copy_file(kTestPlugins + "/" + name, dir.file(name));
    }
    comptoir::test::copy_file(kPlugins + "/libre.so", dir.file("libre.so"));
    LogCapture log;
    constexpr int kTimeoutMs = 300;
    PluginRegistry registry(quick(kTimeoutMs));
    const auto started = std::chrono::steady_clock::now();
    registry.load_directory(dir.path());
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(kTimeoutMs + 5000));

    // In file order: factory_loops.so, init_crashes.so, libre.so.
    const auto& rejected = registry.rejected();
    ASSERT_EQ(rejected.size(), 2u);
    EXPECT_EQ(rejected[0].file, "factory_loops.so");
    EXPECT_EQ(rejected[0].id, "");
    EXPECT_EQ(rejected[0].reason, "l'initialisation du module n'a pas répondu à temps (300 ms) : elle a été arrêtée");
    EXPECT_EQ(rejected[1].file, "init_crashes.so");
    EXPECT_EQ(rejected[1].id, "init_crashes");
    EXPECT_EQ(rejected[1].reason, "l'initialisation du greffon s'est arrêtée (signal 11)");
    EXPECT_TRUE(log.channel().contains("greffon refusé : init_crashes.so (init_crashes)", "(signal 11)"));
    EXPECT_TRUE(log.channel().contains("greffon refusé : factory_loops.so", "n'a pas répondu à temps"));
    EXPECT_TRUE(registry.disabled().empty());

    ASSERT_EQ(registry.loaded().size(), 1u);
    EXPECT_EQ(registry.loaded()[0]->id, "libre");
    EXPECT_FALSE(registry.loaded()[0]->kinds.empty());
    const auto recognition = registry.recognise(page("Bonjour"), 0.5);
    EXPECT_TRUE(recognition.errors.empty());
    ASSERT_FALSE(recognition.candidates.empty());
    EXPECT_EQ(recognition.candidates[0].plugin, "libre");
    ASSERT_EQ(registry.health().size(), 1u);
    EXPECT_EQ(registry.health()[0].failures, 0);
}

TEST_P(HostilePlugin, IsContainedNamedAndTheNextDocumentIsRead) {
    const Hostile& hostile = GetParam();
    const std::string id = "hostile_" + hostile.act;
    LogCapture log;
    PluginRegistry registry(quick(hostile.timeout_ms));
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/" + id + ".so"));
    ASSERT_TRUE(registry.load_file(kPlugins + "/libre.so"));

    const auto started = std::chrono::steady_clock::now();
    const auto recognition = registry.recognise(page("PANIQUE"), 0.5);
    const auto extraction = registry.extract(page("PANIQUE"), id, id + ".document");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2 * hostile.timeout_ms + 3000));

    // The other plugin read it.
    EXPECT_TRUE(std::any_of(recognition.candidates.begin(), recognition.candidates.end(),
                            [](const comptoir::Candidate& c) { return c.plugin == "libre"; }));
    std::string said = extraction.error;
    if (hostile.in_recognise) {
        ASSERT_EQ(recognition.errors.size(), 1u);
        said = recognition.errors[0];
        EXPECT_FALSE(std::any_of(recognition.candidates.begin(), recognition.candidates.end(),
                                 [&](const comptoir::Candidate& c) { return c.plugin == id; }));
    }
    EXPECT_FALSE(extraction.ok);
    EXPECT_TRUE(extraction.fields.empty());
    EXPECT_NE(said.find("Le greffon " + id), std::string::npos) << said;
    if (hostile.signal) {
        EXPECT_NE(said.find("s'est arrêté pendant la lecture (signal " + std::to_string(hostile.signal) + ")"),
                  std::string::npos)
            << said;
    }
    EXPECT_TRUE(log.channel().contains("greffon " + id, "processus arrêté"));
    for (const auto& line : log.channel().lines()) {
        EXPECT_EQ(line.find("DUPONTEL"), std::string::npos) << line;
    }
    EXPECT_EQ(registry.health().at(0).failures, hostile.in_recognise ? 2 : 1);

    // The next document: a worker started again reads it.
    const auto next = registry.extract(page("Bonjour"), id, id + ".document");
    EXPECT_TRUE(next.ok) << next.error;
    ASSERT_TRUE(next.fields.count("numero"));
    EXPECT_EQ(next.fields.at("numero").value, "42");
    const auto again = registry.recognise(page("Bonjour"), 0.5);
    EXPECT_TRUE(again.errors.empty());
    EXPECT_TRUE(std::any_of(again.candidates.begin(), again.candidates.end(),
                            [&](const comptoir::Candidate& c) { return c.plugin == id; }));
}

INSTANTIATE_TEST_SUITE_P(Acts, HostilePlugin,
                         ::testing::Values(Hostile{"segv", 11}, Hostile{"abort", 6}, Hostile{"loop", 0, true, 300}),
                         [](const ::testing::TestParamInfo<Hostile>& param_info) { return param_info.param.act; });

// A mediator's correction is checked by the plugin's check_value in its worker: one that
// crashes or hangs costs the check ("not checked"), named in the log without the value, and
// the next check is answered by a worker started again.
TEST(PluginWorker, ACheckValueThatCrashesCostsTheCheckNotTheServer) {
    for (const std::string act : {"segv", "abort", "loop"}) {
        LogCapture log;
        const std::string id = "hostile_" + act;
        PluginRegistry registry(quick(300));
        ASSERT_TRUE(registry.load_file(kTestPlugins + "/" + id + ".so"));
        ASSERT_TRUE(registry.find(id)->own_check);
        EXPECT_EQ(registry.check_value(id, "numero", "PANIQUE"), COMPTOIR_CHECK_UNCHECKED) << act;
        EXPECT_TRUE(log.channel().contains("greffon " + id, "processus arrêté")) << act;
        EXPECT_EQ(registry.health().at(0).failures, 1) << act;
        EXPECT_EQ(registry.check_value(id + ".document", "numero", "42"), COMPTOIR_CHECK_OK) << act;
        EXPECT_EQ(registry.check_value(id, "numero", "43"), COMPTOIR_CHECK_FAILED) << act;
        for (const auto& line : log.channel().lines()) EXPECT_EQ(line.find("PANIQUE"), std::string::npos) << line;
    }
}

// The extraction refers to the document its recognition sent, which the worker keeps: each
// document's own, when several were recognised before (threads share a worker); and a worker
// started again in between is sent the document anew.
TEST(PluginWorker, TheExtractionReadsTheDocumentItsRecognitionSent) {
    PluginRegistry registry(quick());
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/hostile_big_value.so"));
    const Document panic = page("PANIQUE");
    const Document calm = page("Bonjour");
    for (const auto* document : {&panic, &calm}) EXPECT_TRUE(registry.recognise(*document, 0.5).errors.empty());
    for (int i = 0; i < 2; ++i) {
        // PANIQUE: its `numero` is too long, dropped; any other document's is 42.
        const auto on_panic = registry.extract(panic, "hostile_big_value", "hostile_big_value.document");
        EXPECT_TRUE(on_panic.ok) << on_panic.error;
        EXPECT_FALSE(on_panic.fields.count("numero"));
        const auto on_calm = registry.extract(calm, "hostile_big_value", "hostile_big_value.document");
        ASSERT_TRUE(on_calm.fields.count("numero"));
        EXPECT_EQ(on_calm.fields.at("numero").value, "42");
    }
    PluginRegistry crashing(quick());
    ASSERT_TRUE(crashing.load_file(kTestPlugins + "/hostile_segv.so"));
    EXPECT_TRUE(crashing.recognise(calm, 0.5).errors.empty());
    EXPECT_FALSE(crashing.extract(panic, "hostile_segv", "hostile_segv.document").ok);  // its worker crashed
    const auto after = crashing.extract(calm, "hostile_segv", "hostile_segv.document");
    EXPECT_TRUE(after.ok) << after.error;
    ASSERT_TRUE(after.fields.count("numero"));
    EXPECT_EQ(after.fields.at("numero").value, "42");
}

TEST(PluginWorker, TenGigabytesAreRefusedToThePluginAlone) {
    PluginRegistry registry(quick());
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/hostile_memory.so"));
    const auto extraction = registry.extract(page("PANIQUE"), "hostile_memory", "hostile_memory.document");
    if (comptoir::worker::memory_limits_enabled()) {
        // Its malloc said no: it went on without.
        EXPECT_TRUE(extraction.ok) << extraction.error;
        EXPECT_EQ(extraction.fields.at("numero").value, "refuse");
    } else if (!extraction.ok) {
        EXPECT_NE(extraction.error.find("Le greffon hostile_memory"), std::string::npos) << extraction.error;
    }
    const auto next = registry.extract(page("Bonjour"), "hostile_memory", "hostile_memory.document");
    EXPECT_TRUE(next.ok) << next.error;
}

TEST(PluginWorker, WhatAPluginWritesToStdoutGoesNowhere) {
    PluginRegistry registry(quick());
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/hostile_stdout.so"));
    const auto recognition = registry.recognise(page("PANIQUE"), 0.5);
    EXPECT_TRUE(recognition.errors.empty());
    ASSERT_EQ(recognition.candidates.size(), 1u);
    const auto extraction = registry.extract(page("PANIQUE"), "hostile_stdout", "hostile_stdout.document");
    EXPECT_TRUE(extraction.ok) << extraction.error;
    EXPECT_EQ(extraction.fields.at("numero").value, "42");
}

TEST(PluginWorker, AHugeValueOrInvalidUtf8IsDroppedAndTheOtherFieldsKept) {
    for (const std::string id : {"hostile_big_value", "hostile_bad_utf8"}) {
        LogCapture log;
        PluginRegistry registry(quick());
        ASSERT_TRUE(registry.load_file(kTestPlugins + "/" + id + ".so"));
        const auto extraction = registry.extract(page("PANIQUE"), id, id + ".document");
        EXPECT_TRUE(extraction.ok) << extraction.error;
        EXPECT_FALSE(extraction.fields.count("numero")) << id;
        ASSERT_TRUE(extraction.fields.count("reference")) << id;
        EXPECT_EQ(extraction.fields.at("reference").value, "REF7");
        EXPECT_TRUE(log.channel().contains("greffon " + id, "numero")) << id;
        EXPECT_EQ(registry.health().at(0).failures, 0);
    }
}

TEST(PluginWorker, ACallBackIntoTheHostAfterReturningReachesNoOtherPlugin) {
    PluginRegistry registry(quick());
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/hostile_callback.so"));
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/specs.so"));
    // For a second after this call, a thread of the plugin reports `numero` on the document it
    // was lent. In one process, that memory would be the next call's, whichever the plugin.
    registry.extract(page("PANIQUE"), "hostile_callback", "hostile_callback.document");
    for (int i = 0; i < 50; ++i) {
        const auto extraction = registry.extract(page("Bonjour"), "specs", "specs.document");
        ASSERT_TRUE(extraction.ok) << extraction.error;
        ASSERT_EQ(extraction.fields.at("numero").value, "123456786") << "call " << i;
    }
    // Its own next document: read, or its worker stopped and named — never the server.
    const auto own = registry.extract(page("Bonjour"), "hostile_callback", "hostile_callback.document");
    if (!own.ok) {
        EXPECT_NE(own.error.find("Le greffon hostile_callback"), std::string::npos) << own.error;
    }
}

TEST(PluginWorker, APluginThatFailsThreeTimesWithinAnHourIsSetAside) {
    LogCapture log;
    PluginRegistry registry(quick());
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/hostile_segv.so"));
    ASSERT_TRUE(registry.load_file(kPlugins + "/libre.so"));
    for (int i = 0; i < 3; ++i) registry.extract(page("PANIQUE"), "hostile_segv", "hostile_segv.document");
    const auto health = registry.health();
    ASSERT_EQ(health.size(), 2u);
    EXPECT_EQ(health[0].id, "hostile_segv");
    EXPECT_EQ(health[0].failures, 3);
    EXPECT_TRUE(health[0].set_aside);
    EXPECT_NE(health[0].last_failure.find("signal 11"), std::string::npos) << health[0].last_failure;
    EXPECT_FALSE(health[1].set_aside);
    EXPECT_TRUE(log.channel().contains("hostile_segv", "mis de côté"));

    // Set aside: not asked any more, even of a document it would read; the others are.
    const auto recognition = registry.recognise(page("Bonjour"), 0.5);
    EXPECT_TRUE(recognition.errors.empty());
    ASSERT_EQ(recognition.candidates.size(), 1u);
    EXPECT_EQ(recognition.candidates[0].plugin, "libre");
    const auto extraction = registry.extract(page("Bonjour"), "hostile_segv", "hostile_segv.document");
    EXPECT_FALSE(extraction.ok);
    EXPECT_NE(extraction.error.find("mis de côté"), std::string::npos) << extraction.error;
}

TEST(PluginWorker, TheSandboxRefusesSocketsFileWritesForksAndPrograms) {
    if (!comptoir::plugin_sandbox_enabled()) GTEST_SKIP() << "no seccomp filter in the sanitizer build";
    PluginRegistry registry(quick());
    for (const std::string act : {"socket", "write", "fork", "exec"}) {
        const std::string id = "hostile_" + act;
        ASSERT_TRUE(registry.load_file(kTestPlugins + "/" + id + ".so"));
        const auto extraction = registry.extract(page("PANIQUE"), id, id + ".document");
        EXPECT_TRUE(extraction.ok) << act << ": " << extraction.error;
        ASSERT_TRUE(extraction.fields.count("numero")) << act;
        EXPECT_EQ(extraction.fields.at("numero").value, "refuse") << act;
    }
    // Threads are still allowed: glibc's clone3 is answered ENOSYS and it falls back to clone.
    ASSERT_TRUE(registry.load_file(kTestPlugins + "/hostile_thread.so"));
    const auto threads = registry.extract(page("PANIQUE"), "hostile_thread", "hostile_thread.document");
    EXPECT_TRUE(threads.ok) << threads.error;
    EXPECT_EQ(threads.fields.at("numero").value, "permis");
    for (const auto& health : registry.health()) EXPECT_EQ(health.failures, 0) << health.id;
}

// What a plugin's child answers is checked as its table would be: garbage refuses the module (its
// listing) or the plugin (its description), a description breaking a rule is refused for it as
// the table would be, one of another plugin is refused, and a fit one fills PluginInfo.
TEST(PluginWorker, WhatAChildSaysOfAModuleIsCheckedAsItsTableWouldBe) {
    const std::string module = kPlugins + "/libre.so";
    struct Case {
        std::string listed, described, id, reason;
    };
    const Case cases[] = {
        {"pas du JSON", "", "", "l'initialisation du module a donné une réponse illisible : elle a été arrêtée"},
        {kLibreListed, "{", "libre", "l'initialisation du greffon a donné une réponse illisible : elle a été arrêtée"},
        {kLibreListed, description("libre", R"([["autre.page", "Page"]])"), "libre",
         "type de document invalide « autre.page » (il doit commencer par « libre. »)"},
        {kLibreListed, description("autre", R"([["autre.page", "Page"]])"), "libre",
         "le processus du greffon a décrit un autre greffon"},
        {R"({"ok": true, "module": {"plugins": [], "rejected": [{"id": "libre", "reason": "refusé là-bas"}]}, "logs": []})",
         "", "libre", "refusé là-bas"},
    };
    for (const auto& bad : cases) {
        TempDir dir;
        PluginRegistry registry(fake_worker(dir, bad.listed, bad.described));
        EXPECT_FALSE(registry.load_file(module)) << bad.reason;
        EXPECT_TRUE(registry.loaded().empty());
        ASSERT_EQ(registry.rejected().size(), 1u) << bad.reason;
        EXPECT_EQ(registry.rejected()[0].file, "libre.so");
        EXPECT_EQ(registry.rejected()[0].id, bad.id);
        EXPECT_EQ(registry.rejected()[0].reason, bad.reason);
    }
    TempDir dir;
    PluginRegistry registry(fake_worker(dir, kLibreListed, description("libre", R"([["libre.page", "Page libre"]])")));
    ASSERT_TRUE(registry.load_file(module));
    const comptoir::PluginInfo* info = registry.find("libre");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->file, "libre.so");
    EXPECT_EQ(info->partner, "Test");
    EXPECT_EQ(info->abi_minor, COMPTOIR_PLUGIN_ABI_MINOR);
    ASSERT_EQ(info->kinds.size(), 1u);
    EXPECT_EQ(info->kinds[0].label_fr, "Page libre");
    ASSERT_EQ(info->fields.size(), 1u);
    EXPECT_EQ(info->fields[0].type, comptoir::FieldType::identifier);
    EXPECT_EQ(info->fields[0].min_length, 2u);
    EXPECT_EQ(info->fields[0].max_length, 9u);
    EXPECT_EQ(info->fields[0].alphabet, "digits");
    EXPECT_TRUE(info->own_check);
    ASSERT_EQ(info->letters.size(), 1u);
    EXPECT_EQ(info->letters[0].id, "libre.lettre");
    EXPECT_EQ(info->letters[0].kind, "");
    EXPECT_EQ(registry.universal_letters(), std::vector<std::string>{"libre.lettre"});
}

// The process that lists a module is handed the module's settings only: another partner's
// (`plugins.edf.jeton`) never reach it. The stand-in, which may write no file (no plugin's
// process may), answers its arguments as the module's refusal, where the host shows them.
TEST(PluginWorker, AModulesListingIsGivenItsSettingsAndNoOthers) {
    TempDir dir;
    const std::string script = dir.write(
        "fake-plugin-worker",
        "#!/bin/sh\n" + frame_lines("") +
            "answer='{\"ok\": true, \"module\": {\"plugins\": [], \"rejected\": [{\"id\": \"\", \"reason\": \"'\"$*\"'\"}]}, \"logs\": []}'\n"
            "n=${#answer}\n"
            "printf \"$(printf '\\\\%03o\\\\%03o\\\\%03o\\\\%03o' $((n & 255)) $((n >> 8 & 255)) $((n >> 16 & 255)) $((n >> 24 & 255)))\\001\" >&3\n"
            "printf '%s' \"$answer\" >&3\n"
            "exec sleep 30\n");
    ::chmod(script.c_str(), 0700);
    PluginIsolation isolation = quick();
    isolation.worker = script;
    PluginRegistry registry(isolation);
    registry.set_settings({{"libre", {{"cle", "a"}}}, {"edf", {{"jeton", "secret-edf"}}}, {"rules", {{"dossier", "/x"}}}});
    EXPECT_FALSE(registry.load_file(kPlugins + "/libre.so"));
    ASSERT_EQ(registry.rejected().size(), 1u);
    const std::string given = registry.rejected()[0].reason;
    EXPECT_NE(given.find("--module"), std::string::npos) << given;
    EXPECT_NE(given.find("mcle=a"), std::string::npos) << given;
    EXPECT_EQ(given.find("secret-edf"), std::string::npos) << given;
    EXPECT_EQ(given.find("jeton"), std::string::npos) << given;
    EXPECT_EQ(given.find("dossier"), std::string::npos) << given;
}
