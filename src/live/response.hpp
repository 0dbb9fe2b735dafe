// SPDX-License-Identifier: Apache-2.0
#pragma once

// The answers of the live case, as JSON (docs/serve.md): what posting an event did
// ("assure-event"), a refusal ("assure-error"), the status of the case ("assure-status") and
// one claim ("assure-claim"). `assure serve` sends them; `assure event` prints them.

#include "live/engine.hpp"

#include <string>

namespace assure::live {

std::string posted_json(const Posted &posted);
std::string refusal_json(const Refusal &refusal, const std::vector<std::string> &specs);
std::string status_json(const Snapshot &snap);
/// nullopt-like "" when the case has no claim of that name.
std::string claim_json(const Snapshot &snap, const std::string &name);

/// The verdicts of a posted event in words, for `assure event`'s text output.
std::string posted_text(const Posted &posted);

} // namespace assure::live
