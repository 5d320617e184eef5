// The routes over the desk (cases, documents, fields, letters, stations): docs/api.md.
#pragma once

#include "comptoir/api.hpp"

namespace comptoir {

// Adds them to `router`; `context.desk` must be set and outlive the router.
void add_case_routes(Router& router, const ApiContext& context);

}  // namespace comptoir
