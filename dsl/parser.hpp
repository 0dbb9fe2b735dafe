// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace assure::dsl {

/// Most syntax errors reported per file before the rest of it is skipped (E0109).
inline constexpr std::size_t kMaxSyntaxErrorsPerFile = 50;

/// What the parser recovered from one file.
struct ParseResult {
    ast::File file;       // every declaration that parsed
    bool complete = true; // false if any syntax error was reported
    /// Names of declarations that failed to parse (`claim G1 ...` -> "G1"; `claim G1.1` ->
    /// "G1_1", the name E0111 suggests), and the variables, enum values and scale values such
    /// a declaration declared. Later stages do not report references to them as unknown, so
    /// one typo does not cascade.
    std::vector<std::string> broken_names;
    /// Metrics named (`metric NAME = ...`) in declarations that failed to parse: a requirement
    /// on one is not reported as measured by no evidence (E0208).
    std::vector<std::string> broken_metrics;
};

/// Parses one source file. Runs the byte-level prescan first. On a syntax error it reports
/// E0106 with what was expected, skips to the next line that starts a declaration and goes on,
/// so one run reports the errors of every declaration. Never throws; deterministic.
ParseResult parse(support::FileId file, const support::SourceManager &sources,
                  support::Diagnostics &diags);

/// Whether `text` is exactly one region (a domain or odd name, optionally `where` and a
/// condition) and nothing else: no comment, no line break or control character, nothing after
/// it. `assure impact --change odd:NAME=REGION` checks its REGION with this before putting it
/// into the case's text, so that a change cannot add declarations or fields.
struct RegionCheck {
    bool ok = false;
    std::uint32_t offset = 0; // where it goes wrong
    std::uint32_t length = 0; // the token found there (0 at the end)
    std::string message;      // "expected operand, found end of text"
};
RegionCheck check_region_text(std::string_view text);

} // namespace assure::dsl
