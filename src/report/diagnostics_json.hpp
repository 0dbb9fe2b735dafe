// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <string>

namespace assure::report {

/// Diagnostics as JSON (`--diagnostics=json`): {"schema": "assure.diagnostics/1",
/// "diagnostics": [{code, severity, message, label, help, file, begin, end, line, column,
/// notes: [{message, file, line, column}]}], "errors": N, "warnings": N}. Same order and fields
/// as the text rendering; deterministic.
std::string render_diagnostics_json(const support::Diagnostics &diags,
                                    const support::SourceManager &sources);

} // namespace assure::report
