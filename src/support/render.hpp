// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <string>

namespace assure::support {

/// Renders one diagnostic in the human format:
///
///     error[E0201]: unknown name `brake_margin`
///       --> vehicle.assure:12:5
///        |
///     12 |     brake_margin > 2.0
///        |     ^^^^^^^^^^^^ not declared in this module or its imports
///        = help: did you mean `braking_margin`?
///     note: declared here
///       --> stdlib/braking.assure:3:6
///
/// Tabs are shown as four spaces and the caret is aligned accordingly; a span over several
/// lines is underlined to the end of its first line. Deterministic.
std::string render_text(const Diagnostic &diag, const SourceManager &sources);

/// `file:line:col` of the start of `span`, or "" for an invalid span.
std::string location(Span span, const SourceManager &sources);

} // namespace assure::support
