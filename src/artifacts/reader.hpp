// SPDX-License-Identifier: Apache-2.0
#pragma once

// Values read from the files an ML pipeline writes: a JSON value by JSON Pointer (RFC 6901), a
// CSV cell or an aggregate over selected rows, the counts of a JUnit XML report, an MLflow
// file-store metric, the verdicts of a monitor log (docs/monitor-log.md) in a window of days. Every
// number is exact, as written in the file (never through `double`). A reader never throws on bad
// input and never crashes: whatever is wrong with the file or the selection becomes an Outcome with
// an error that names what was looked for and what was found. docs/artifacts.md describes each
// format, the selection rules and every error.
//
// Depends on support and monitorlog only; the prove engine calls it for artifacts whose SHA-256
// verified.

#include "support/decimal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::artifacts {

enum class Format : std::uint8_t { Json, Csv, Junit, Mlflow, Monitor };

/// What a monitor-log selector reads (docs/monitor-log.md, "The monitor read source").
enum class MonitorMeasure : std::uint8_t {
    NoViolation, // a result: pass when the window's episodes hold no violation of the claim
    Rate,        // violations of the claim per 1000 episodes of the window (exact fraction)
    Violations,  // how many episodes of the window violate the claim
    Episodes,    // how many episodes (verdicts) the window holds
};

/// What a CSV selector makes of the rows it selects.
enum class Aggregate : std::uint8_t {
    One,   // exactly one row must match: its cell
    Min,   // the least cell of the matching rows (at least one)
    Max,   // the greatest
    Mean,  // their sum divided by their number (exact: see Value::divisor)
    Sum,   // their sum
    Count, // how many rows match (no column)
};

/// A JUnit XML report's counts, over every <testcase> of the report.
enum class JunitCount : std::uint8_t { Tests, Failures, Errors, Skipped };

/// A CSV row condition: the cell of column `column` equals `value` (compared as text, after
/// unquoting; surrounding spaces are not trimmed).
struct Condition {
    std::string column;
    std::string value;
};

/// Where a value is in a file, and which file format it is.
struct Selector {
    Format format = Format::Json;
    /// Json: the JSON Pointer ("" is the whole document; "/results/fog/acc").
    std::string pointer;
    /// Csv: the column, by its header name (unused for Count).
    std::string column;
    /// Csv: the rows selected, all conditions holding; every data row when empty.
    std::vector<Condition> rows;
    Aggregate aggregate = Aggregate::One;
    /// Junit: which count.
    JunitCount count = JunitCount::Tests;
    /// Mlflow: the step whose value is read; nullopt = the greatest step (of several lines
    /// with that step, the last).
    std::optional<std::uint64_t> step;
    /// Monitor: what is read, of which claim (its qualified name; empty for Episodes), over
    /// how many days ending on the date judged at (nullopt: the whole log up to that date).
    MonitorMeasure measure = MonitorMeasure::NoViolation;
    std::string claim;
    std::optional<std::uint32_t> within_days;

    /// The selector as written in the language, for provenance and messages:
    /// `json "/fog/recall"`, `csv "recall" row "condition" = "fog"`, `csv mean "recall" rows
    /// "band" = "dense"`, `csv count rows "ok" = "yes"`, `junit failures`, `mlflow step 12`,
    /// `monitor no violation of agent.G_refund within 30 days`, `monitor rate of ship.G_fog`.
    [[nodiscard]] std::string describe() const;
};

/// A number read.
struct Value {
    /// Exact. For Aggregate::Mean the mean is value / divisor (the sum over the number of rows,
    /// kept as a fraction since it need not be a finite decimal); divisor is 1 otherwise.
    support::Decimal value;
    std::uint64_t divisor = 1;
    /// The value as the file writes it ("0.962", "9.62E-1"; a JSON integer as its digits); for
    /// an aggregate, a description of what it was computed from ("mean of 3 rows: 0.91, 0.95,
    /// 0.97" — long lists elided, "4 of 7 data rows" for a count); for JUnit the four counts
    /// ("tests 42, failures 0, errors 0, skipped 3"); for MLflow "0.962 at step 12".
    std::string text;
};

/// What reading a number gave: a value, or why there is none.
struct Outcome {
    std::optional<Value> value;
    /// Empty when `value` is set. Otherwise one line naming where the reader looked and what
    /// it found (the caller adds the artifact and the selector):
    /// "no key `recall` at \"/fog\" (the object has keys \"precision\", \"f1\")", "the value at
    /// \"/fog/recall\" is a string (\"n/a\"), not a number", "malformed JSON at line 5, column 3
    /// (byte 212): ...", "2 rows match `condition` = \"fog\" (lines 3, 7); the selector needs
    /// exactly one".
    std::string error;
};

/// What a read may depend on besides the file: the date judged at (a monitor log's window ends
/// on it, and verdicts dated after it are not counted).
struct ReadContext {
    std::optional<std::int64_t> day; // days since 1970-01-01; none: a monitor read fails
};

/// The number `selector` selects in `bytes`, the whole content of a file. Never throws for
/// any input: malformed files, wrong types, missing keys, ambiguous selections, numbers
/// beyond support::Decimal's bounds, non-finite values (NaN, Infinity) are errors; for a
/// monitor log, a log whose chain does not verify, or a window without episodes for a rate.
Outcome read_number(std::string_view bytes, const Selector &selector,
                    const ReadContext &context = {});

/// Why `selector` can select nothing in any file, or "" when it is well-formed: a JSON Pointer
/// that is neither empty nor starts with `/`, or has a `~` not followed by `0` or `1`. (Whether
/// a token is a key or an array index depends on the file, so that is read_number's to say.)
/// `check` can report it statically; read_number and read_result report the same text.
std::string selector_error(const Selector &selector);

/// An evidence result read from a file.
enum class Result : std::uint8_t { Pass, Fail, Pending };

struct ResultOutcome {
    std::optional<Result> result;
    std::string text;  // what it was derived from: "tests 42, failures 0, errors 0, skipped 3"
    std::string error; // empty when `result` is set
};

/// The result `selector` gives in `bytes`:
/// - Junit: pass iff tests > 0 and failures + errors == 0, else fail;
/// - Json: the value at the pointer, a boolean (true = pass, false = fail) or one of the
///   strings "pass", "fail", "pending" (as written, lower case); anything else is an error;
/// - Monitor (`no violation of C`): the log must verify (else an error); pass when the
///   window's episodes hold no violation of C, fail when they hold one, pending when the
///   window holds no episode at all (nothing was monitored).
/// Csv and Mlflow selectors are errors here.
ResultOutcome read_result(std::string_view bytes, const Selector &selector,
                          const ReadContext &context = {});

} // namespace assure::artifacts
