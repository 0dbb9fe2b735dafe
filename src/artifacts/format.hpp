// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/artifacts: one reader per format, and the wording they share.

#include "artifacts/reader.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace assure::artifacts::detail {

/// The value `selector` selects in a file of each format (the selector's format is the
/// function's). Never throws for bad input.
Outcome read_json(std::string_view bytes, const Selector &selector);
Outcome read_csv(std::string_view bytes, const Selector &selector);
Outcome read_junit(std::string_view bytes, const Selector &selector);
Outcome read_mlflow(std::string_view bytes, const Selector &selector);
Outcome read_monitor(std::string_view bytes, const Selector &selector, const ReadContext &context);

/// A monitor log's `no violation of C` result.
ResultOutcome read_monitor_result(std::string_view bytes, const Selector &selector,
                                  const ReadContext &context);

/// The JSON value at `pointer` as a result: true/"pass", false/"fail", "pending".
ResultOutcome read_json_result(std::string_view bytes, const std::string &pointer);

/// The four counts of a JUnit report, or why there are none.
struct JunitCounts {
    std::uint64_t tests = 0;
    std::uint64_t failures = 0;
    std::uint64_t errors = 0;
    std::uint64_t skipped = 0;
};
/// The counts, or an error in `error` (then the counts are meaningless).
JunitCounts count_junit(std::string_view bytes, std::string &error);
/// "tests 42, failures 0, errors 0, skipped 3".
std::string describe_counts(const JunitCounts &counts);

/// `text` in the language's string syntax: quoted, with `\"`, `\\`, `\n` and `\t` escapes
/// (describe() writes what the language reads back).
std::string quote(std::string_view text);

/// Text from a file shown in a message: quoted like quote(), other control bytes and invalid
/// UTF-8 as `\xNN`, cut after `limit` code points with `...` after the closing quote.
std::string show(std::string_view text, std::size_t limit = 40);

/// A name from a file (a key, a column) between backticks, printable, cut after 80 code points.
std::string name(std::string_view text);

/// `bytes` without a leading UTF-8 byte order mark.
std::string_view skip_bom(std::string_view bytes);

/// The decimal `text` as a number read from a file, or an error that names it as `what` ("the
/// value at /a/b", "the cell `recall` at line 4"): not a number, or outside Decimal's bounds.
/// `allow_percent` admits a trailing `%` (CSV cells: `97.2%` is 0.972).
std::optional<support::Decimal> parse_number(std::string_view text, std::string_view what,
                                             bool allow_percent, std::string &error);

} // namespace assure::artifacts::detail
