// SPDX-License-Identifier: Apache-2.0
#include "artifacts/reader.hpp"

#include "artifacts/format.hpp"
#include "support/text.hpp"

#include <cstdio>
#include <exception>
#include <new>

namespace assure::artifacts {

namespace detail {

std::string quote(std::string_view text) {
    return support::quote_literal(text);
}

namespace {

// The first `limit` code points of `text` (a cut never splits a UTF-8 sequence), and whether
// anything was left out.
std::string_view cut(std::string_view text, std::size_t limit, bool &cut_off) {
    std::size_t points = 0;
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        if ((static_cast<unsigned char>(text[pos]) & 0xC0U) != 0x80U) {
            if (points == limit) {
                cut_off = true;
                return text.substr(0, pos);
            }
            ++points;
        }
    }
    cut_off = false;
    return text;
}

} // namespace

std::string show(std::string_view text, std::size_t limit) {
    bool cut_off = false;
    const std::string_view kept = cut(text, limit, cut_off);
    std::string out = "\"";
    // printable() escapes control bytes and invalid UTF-8 as \xNN; quotes, backslashes, newlines
    // and tabs get the language's escapes first, so the result reads as one quoted string.
    std::string plain;
    for (const char c : kept) {
        if (c == '"' || c == '\\' || c == '\n' || c == '\t') {
            out += support::printable(plain);
            plain.clear();
            out += c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : "\\t";
        } else {
            plain += c;
        }
    }
    out += support::printable(plain);
    out += '"';
    if (cut_off) {
        out += "...";
    }
    return out;
}

std::string name(std::string_view text) {
    bool cut_off = false;
    const std::string_view kept = cut(text, 80, cut_off);
    return "`" + support::printable(kept) + (cut_off ? "...`" : "`");
}

std::string_view skip_bom(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
    }
    return bytes;
}

std::optional<support::Decimal> parse_number(std::string_view text, std::string_view what,
                                             bool allow_percent, std::string &error) {
    std::string why;
    std::optional<support::Decimal> d;
    if (allow_percent || text.find('%') == std::string_view::npos) {
        d = support::Decimal::parse(text, &why);
    } else {
        why = "not a number";
    }
    if (d) {
        return d;
    }
    if (why == "not a number") {
        error = std::string(what) + " is " + show(text) + ", not a number";
    } else {
        error =
            std::string(what) + " (" + show(text) + ") is outside the exact range (" + why + ")";
    }
    return std::nullopt;
}

std::string describe_counts(const JunitCounts &counts) {
    return "tests " + std::to_string(counts.tests) + ", failures " +
           std::to_string(counts.failures) + ", errors " + std::to_string(counts.errors) +
           ", skipped " + std::to_string(counts.skipped);
}

} // namespace detail

namespace {

const char *aggregate_word(Aggregate aggregate) {
    switch (aggregate) {
    case Aggregate::One:
        return "";
    case Aggregate::Min:
        return "min";
    case Aggregate::Max:
        return "max";
    case Aggregate::Mean:
        return "mean";
    case Aggregate::Sum:
        return "sum";
    case Aggregate::Count:
        return "count";
    }
    return "";
}

const char *count_word(JunitCount count) {
    switch (count) {
    case JunitCount::Tests:
        return "tests";
    case JunitCount::Failures:
        return "failures";
    case JunitCount::Errors:
        return "errors";
    case JunitCount::Skipped:
        return "skipped";
    }
    return "";
}

std::string pointer_error(std::string_view pointer) {
    if (pointer.empty()) {
        return "";
    }
    if (pointer.front() != '/') {
        return "the JSON Pointer " + detail::quote(pointer) +
               " must be empty (the whole document) or start with `/`";
    }
    for (std::size_t pos = 0; pos < pointer.size(); ++pos) {
        if (pointer[pos] == '~' &&
            (pos + 1 == pointer.size() || (pointer[pos + 1] != '0' && pointer[pos + 1] != '1'))) {
            return "the JSON Pointer " + detail::quote(pointer) + " has a `~` at byte " +
                   std::to_string(pos) + " that is not `~0` (for `~`) or `~1` (for `/`)";
        }
    }
    return "";
}

// What escapes a reader is a bug or exhausted memory; either way the evidence has no value, and
// the run goes on (the caller bounds the bytes, so memory runs out only on a tiny machine).
template <class Result, class Fn> Result guarded(Fn &&fn) {
    try {
        return fn();
    } catch (const std::bad_alloc &) {
        Result r;
        r.error = "not enough memory to read the file";
        return r;
    } catch (const std::exception &e) {
        Result r;
        r.error = std::string("internal error in the artifact reader: ") + e.what();
        return r;
    }
}

} // namespace

std::string Selector::describe() const {
    switch (format) {
    case Format::Json:
        return "json " + detail::quote(pointer);
    case Format::Csv: {
        std::string out = "csv";
        if (aggregate != Aggregate::One) {
            out += ' ';
            out += aggregate_word(aggregate);
        }
        if (aggregate != Aggregate::Count) {
            out += ' ' + detail::quote(column);
        }
        if (!rows.empty()) {
            out += aggregate == Aggregate::One ? " row " : " rows ";
            for (std::size_t idx = 0; idx < rows.size(); ++idx) {
                out += (idx == 0 ? "" : ", ") + detail::quote(rows[idx].column) + " = " +
                       detail::quote(rows[idx].value);
            }
        }
        return out;
    }
    case Format::Junit:
        return std::string("junit ") + count_word(count);
    case Format::Mlflow:
        return step ? "mlflow step " + std::to_string(*step) : "mlflow";
    case Format::Monitor: {
        std::string out = "monitor ";
        switch (measure) {
        case MonitorMeasure::NoViolation:
            out += "no violation of " + claim;
            break;
        case MonitorMeasure::Rate:
            out += "rate of " + claim;
            break;
        case MonitorMeasure::Violations:
            out += "violations of " + claim;
            break;
        case MonitorMeasure::Episodes:
            out += "episodes";
            break;
        }
        if (within_days) {
            out +=
                " within " + std::to_string(*within_days) + (*within_days == 1 ? " day" : " days");
        }
        return out;
    }
    }
    return "";
}

std::string selector_error(const Selector &selector) {
    return selector.format == Format::Json ? pointer_error(selector.pointer) : "";
}

Outcome read_number(std::string_view bytes, const Selector &selector, const ReadContext &context) {
    return guarded<Outcome>([&]() -> Outcome {
        if (std::string error = selector_error(selector); !error.empty()) {
            return Outcome{std::nullopt, std::move(error)};
        }
        switch (selector.format) {
        case Format::Json:
            return detail::read_json(bytes, selector);
        case Format::Csv:
            return detail::read_csv(bytes, selector);
        case Format::Junit:
            return detail::read_junit(bytes, selector);
        case Format::Mlflow:
            return detail::read_mlflow(bytes, selector);
        case Format::Monitor:
            return detail::read_monitor(bytes, selector, context);
        }
        return Outcome{std::nullopt, "unknown artifact format"};
    });
}

ResultOutcome read_result(std::string_view bytes, const Selector &selector,
                          const ReadContext &context) {
    return guarded<ResultOutcome>([&]() -> ResultOutcome {
        if (std::string error = selector_error(selector); !error.empty()) {
            return ResultOutcome{std::nullopt, "", std::move(error)};
        }
        switch (selector.format) {
        case Format::Json:
            return detail::read_json_result(bytes, selector.pointer);
        case Format::Junit: {
            std::string error;
            const detail::JunitCounts counts = detail::count_junit(bytes, error);
            if (!error.empty()) {
                return ResultOutcome{std::nullopt, "", std::move(error)};
            }
            const bool pass = counts.tests > 0 && counts.failures == 0 && counts.errors == 0;
            return ResultOutcome{pass ? Result::Pass : Result::Fail,
                                 detail::describe_counts(counts), ""};
        }
        case Format::Monitor:
            if (selector.measure == MonitorMeasure::NoViolation) {
                return detail::read_monitor_result(bytes, selector, context);
            }
            [[fallthrough]];
        case Format::Csv:
        case Format::Mlflow:
            return ResultOutcome{std::nullopt, "",
                                 "`" + selector.describe() +
                                     "` selects a number, not a result (a result is read from "
                                     "a JUnit report, a JSON value or a monitor log's `no "
                                     "violation of CLAIM`)"};
        }
        return ResultOutcome{std::nullopt, "", "unknown artifact format"};
    });
}

} // namespace assure::artifacts
