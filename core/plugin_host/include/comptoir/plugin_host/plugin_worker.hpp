// The partners' plugins in a process of their own (issue 32): the host (PluginRegistry) never
// loads a module itself. A `comptoir-plugin-worker` child — started by worker::Runner with the
// plugins' limits — does, in-process, and answers on fd 3, never on stdout (a plugin may write
// there: it goes to /dev/null).
//
// Loading a module (PluginRegistry::load_file), first a child of the module alone, given only
// the module's settings ("m<key>=<value>"), run once and stopped:
//
//   "list" -> {"ok": true, "module": {"plugins": [id…], "rejected": [{"id", "reason"}…]},
//              "logs": […]}  (its factory's init run; each table's id read before its init)
//
// then, per plugin the module offers and the host allows, the plugin's own worker (one per
// plugin, kept: it serves its readings afterwards), given its settings and its module's:
//
//   "describe" -> {"ok": true, "plugin": {the table after its init: id, partner, version,
//                  abi, flags, kinds, fields, field_specs, letters, whether it has recognise,
//                  extract, check_value}, "logs": […]}
//              -> {"ok": false, "refused": "<French reason>", "logs": […]} (its init failed, its
//                 table is refused: the reason the host gives)
//
// The host checks the described table as it would the table itself (the same checks, the same
// French refusals). Either child loads its module, and runs the inits, on its first request, so
// that an init counts in that call's time (plugins.timeout_ms): an init that crashes, exits,
// hangs, takes too much memory or answers garbage refuses its module or its plugin, never stops
// the server. Then:
//
//   "recognise #<n>\n" + the document (Document::to_json: words, boxes, text layer, codes; no
//                        image), kept by the child as document n (its last four)
//   "extract #<n> <kind>\n" + the document, or with nothing after the line: document n, kept
//      -> {"ok": bool, "candidates": […], "fields": {…}, "logs": [[level, line], …]}
//         (candidates and fields as in a reading's JSON, reading_json.hpp)
//      -> {"ok": false, "unknown_document": true} when it does not hold document n: the host
//         sends it (a child started again holds nothing)
//   "check <key>\n<value>" (a mediator's correction, for the plugin's check_value)
//      -> {"ok": true, "check": "ok" | "failed" | "unchecked", "logs": […]}
//   any -> {"ok": false, "refused": "<French reason>"} when the module does not load there.
//
// The host writes a recognition to every plugin's worker before it reads any answer, and
// refers an extraction to the document its worker holds (plugin_calls.hpp, WorkerCall).
// A crash, a timeout (plugins.timeout_ms), an answer too large or malformed: the plugin's
// result for that document is "not read" (for a check: "not checked"), the child is started
// again for the next one.
#pragma once

#include <string>
#include <vector>

namespace comptoir {

// comptoir-plugin-worker's main: serves the plugin `plugin_id` of the module at `path` on fd 3
// (an empty id: the module's first plugin). `settings`: "p<key>=<value>" for the plugin's,
// "m<key>=<value>" for its module's (ABI 1.3), as the host's registry was given them.
int serve_plugin(const std::string& path, const std::string& plugin_id = {}, const std::vector<std::string>& settings = {});

// comptoir-plugin-worker --module's main: answers what the module at `path` offers (its
// factory's init run with `settings`, "m<key>=<value>" only).
int serve_module(const std::string& path, const std::vector<std::string>& settings = {});

// comptoir-plugin-worker beside the running program (or one folder up: the tests' binaries, or
// libexec/comptoir/ one folder up), else where it is installed.
std::string default_plugin_worker_path();

// Whether the worker confines the plugin with its seccomp filter (plugin_sandbox.cpp): no socket,
// no file written, no program started, no fork. False in the sanitizer build.
bool plugin_sandbox_enabled();

// True when `text` is well-formed UTF-8 (no overlong form, no surrogate, at most U+10FFFF).
bool valid_utf8(const std::string& text);

}  // namespace comptoir
