// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <cstdint>

namespace assure::dsl {

/// Deepest bracket nesting accepted; deeper input gets E0105 before it reaches the parser,
/// whose recursion would otherwise overflow the stack.
inline constexpr int kMaxNesting = 256;

/// Result of the byte-level checks run before parsing.
struct PrescanResult {
    bool parseable = true;   // false: a fatal problem was reported, do not parse
    std::uint32_t start = 0; // where parsing starts (after a UTF-8 byte-order mark)
};

/// Checks the raw bytes of `file`: valid UTF-8 (E0101), no control characters or binary data
/// (E0102), block comments closed (E0103), strings closed on their line (E0104), nesting depth
/// (E0105). A string that reads as text pasted over several lines (closed by the first quote
/// of a later line) is one E0104 at its opening quote, not one per line. Linear in the file
/// size (a string looks at most 8 lines ahead), no recursion.
PrescanResult prescan(support::FileId file, const support::SourceManager &sources,
                      support::Diagnostics &diags);

} // namespace assure::dsl
