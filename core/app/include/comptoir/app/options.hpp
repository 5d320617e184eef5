// The one place where the configuration becomes each module's options: only the app reads
// Config; reading, plugin_host, letters, cases and web take these structs.
#pragma once

#include "comptoir/app/config.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/letters/letter_desk.hpp"
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/web/api.hpp"
#include "comptoir/web/http_server.hpp"

namespace comptoir {

PipelineOptions pipeline_options(const Config& config);
PluginIsolation plugin_isolation(const Config& config);
// plugins.<id>.<key> lines, and plugins.rules_dir as the rules module's `dir`.
PluginSettings plugin_settings(const Config& config);
LetterOptions letter_options(const Config& config);
SpoolCrypto::Options storage_options(const Config& config);
DeskOptions desk_options(const Config& config);
ApiOptions api_options(const Config& config);
ServerOptions server_options(const Config& config);

}  // namespace comptoir
