// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <string>
#include <vector>

namespace assure::dsl {

/// Most syntax errors reported per file before the rest of it is skipped (E0109).
inline constexpr std::size_t kMaxSyntaxErrorsPerFile = 50;

/// What the parser recovered from one file.
struct ParseResult {
    ast::File file;       // every declaration that parsed
    bool complete = true; // false if any syntax error was reported
    /// Names of declarations that failed to parse (`claim G1 ...` -> "G1"). Later stages do not
    /// report references to them as unknown, so one typo does not cascade.
    std::vector<std::string> broken_names;
};

/// Parses one source file. Runs the byte-level prescan first. On a syntax error it reports
/// E0106 with what was expected, skips to the next line that starts a declaration and goes on,
/// so one run reports the errors of every declaration. Never throws; deterministic.
ParseResult parse(support::FileId file, const support::SourceManager &sources,
                  support::Diagnostics &diags);

} // namespace assure::dsl
