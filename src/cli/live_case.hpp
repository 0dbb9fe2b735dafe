// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `assure event` and `assure serve` share: the live case's loader (the front end of
// `prove`, as a live::Loader), its engine options and the service's clock.

#include "cli/driver.hpp"
#include "live/engine.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace assure::cli {

/// Loads `options.common.files` as `prove` does (the same checks; diagnostics rendered as
/// text into the error).
live::Loader make_loader(const ProveOptions &options);

/// The engine options of `options`: proof limits, versions, the loader and the clock.
live::EngineOptions engine_options(const ProveOptions &options, const char *command);

/// The environment variable naming a file that holds the current time
/// ("YYYY-MM-DDTHH:MM:SSZ"), read whenever the time is needed: for tests of the expiry timer
/// only (docs/serve.md).
inline constexpr const char *kClockFileVariable = "ASSURE_CLOCK_FILE";

/// The current time: $ASSURE_CLOCK_FILE's, else $ASSURE_HISTORY_NOW's, else the system's;
/// nullopt with `error` when a variable is set to something that is not a time.
std::optional<std::int64_t> now_unix(std::string &error);

} // namespace assure::cli
