// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace assure::report {

/// Diagnostics as JSON (`--diagnostics=json`): {"format": "assure-diagnostics", "version": 2,
/// "diagnostics": [{code, severity, message, label, help, file, begin, end, line, column,
/// notes: [{message, file, line, column}]}], "errors": N, "warnings": N}. Same order and fields
/// as the text rendering; deterministic.
std::string render_diagnostics_json(const support::Diagnostics &diags,
                                    const support::SourceManager &sources);

/// The document `assure prove --format json` (or impact's) prints instead of its result when
/// the case has errors (exit code 1): {"format": `format`, "version": 2, "assure", "z3",
/// "result": "input_errors", "exit_code": 1, "errors", "warnings", "diagnostics"}.
std::string render_input_errors_json(const char *format, const std::string &assure_version,
                                     const std::string &z3_version,
                                     const support::Diagnostics &diags,
                                     const support::SourceManager &sources);

/// The `diagnostics` array of that document, for documents that carry diagnostics too.
nlohmann::ordered_json diagnostics_array(const support::Diagnostics &diags,
                                         const support::SourceManager &sources);

} // namespace assure::report
