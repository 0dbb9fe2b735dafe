// SPDX-License-Identifier: Apache-2.0
// An MLflow file-store metric (mlruns/<experiment>/<run>/metrics/<name>): one line per logged
// value, `timestamp value step`, as MLflow's FileStore writes them (`%s %s %s` of an int, a
// Python float and an int); files from before steps existed have `timestamp value`, step 0.
#include "artifacts/format.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace assure::artifacts::detail {

namespace {

/// A Python integer as MLflow writes it (an optional sign, digits); its value when it fits.
bool is_integer(std::string_view text) {
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        text.remove_prefix(1);
    }
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> to_int64(std::string_view text) {
    if (!is_integer(text)) {
        return std::nullopt;
    }
    const bool negative = text[0] == '-';
    if (text[0] == '-' || text[0] == '+') {
        text.remove_prefix(1);
    }
    // Accumulate negatively: the range of int64 is wider on that side.
    std::int64_t value = 0;
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    for (const char c : text) {
        const std::int64_t digit = c - '0';
        if (value < (kMin + digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 - digit;
    }
    if (!negative) {
        if (value == kMin) {
            return std::nullopt;
        }
        return -value;
    }
    return value;
}

/// How Python writes a float that is not finite (str(float('nan')) is "nan"; float() also
/// reads "Infinity" and signs).
bool is_non_finite(std::string_view text) {
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        text.remove_prefix(1);
    }
    std::string lower(text);
    for (char &c : lower) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return lower == "nan" || lower == "inf" || lower == "infinity";
}

struct Line {
    std::size_t number = 0;
    std::int64_t step = 0;
    std::string_view value;
};

std::string bad_line(std::size_t number, std::string_view line, const std::string &why) {
    return "malformed MLflow metric at line " + std::to_string(number) + " (" + show(line) +
           "): " + why;
}

} // namespace

Outcome read_mlflow(std::string_view bytes, const Selector &selector) {
    bytes = skip_bom(bytes);
    std::optional<Line> chosen;
    std::vector<std::int64_t> steps;
    std::size_t lines = 0;
    std::size_t pos = 0;
    for (std::size_t number = 1; pos < bytes.size(); ++number) {
        std::size_t end = bytes.find('\n', pos);
        if (end == std::string_view::npos) {
            end = bytes.size();
        }
        std::string_view line = bytes.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        std::vector<std::string_view> fields;
        std::size_t k = 0;
        while (k < line.size() && fields.size() <= 3) {
            while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) {
                ++k;
            }
            const std::size_t start = k;
            while (k < line.size() && line[k] != ' ' && line[k] != '\t') {
                ++k;
            }
            if (k > start) {
                fields.push_back(line.substr(start, k - start));
            }
        }
        if (fields.empty()) {
            continue; // a blank line
        }
        if (fields.size() > 3 || fields.size() < 2) {
            return Outcome{std::nullopt,
                           bad_line(number, line,
                                    "a metric line is `timestamp value step` (or, before "
                                    "MLflow 1.0, `timestamp value`)")};
        }
        if (!is_integer(fields[0])) {
            return Outcome{
                std::nullopt,
                bad_line(number, line, "the timestamp " + show(fields[0]) + " is not an integer")};
        }
        std::int64_t step = 0;
        if (fields.size() == 3) {
            const auto parsed = to_int64(fields[2]);
            if (!parsed) {
                return Outcome{std::nullopt, bad_line(number, line,
                                                      "the step " + show(fields[2]) +
                                                          " is not a 64-bit integer")};
            }
            step = *parsed;
        }
        if (!is_non_finite(fields[1])) {
            // A number outside Decimal's bounds is an error only where it is read.
            std::string why;
            if (fields[1].find('%') != std::string_view::npos ||
                (!support::Decimal::parse(fields[1], &why) && why == "not a number")) {
                return Outcome{
                    std::nullopt,
                    bad_line(number, line, "the value " + show(fields[1]) + " is not a number")};
            }
        }
        ++lines;
        steps.push_back(step);
        const bool wanted = selector.step
                                ? step >= 0 && static_cast<std::uint64_t>(step) == *selector.step
                                : !chosen || step >= chosen->step;
        if (wanted) {
            chosen = Line{number, step, fields[1]};
        }
    }
    if (lines == 0) {
        return Outcome{std::nullopt, "the MLflow metric file has no values (it is empty)"};
    }
    if (!chosen) {
        std::sort(steps.begin(), steps.end());
        steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
        return Outcome{std::nullopt,
                       "no step " + std::to_string(*selector.step) + " in the metric (its steps: " +
                           support::join_elided(
                               steps.size(),
                               [&](std::size_t idx) { return std::to_string(steps[idx]); }, ", ") +
                           ")"};
    }
    const std::string at = "the value at step " + std::to_string(chosen->step) + " (line " +
                           std::to_string(chosen->number) + ")";
    if (is_non_finite(chosen->value)) {
        return Outcome{std::nullopt, at + " is " + show(chosen->value) + ", not a finite number"};
    }
    std::string error;
    auto value = parse_number(chosen->value, at, false, error);
    if (!value) {
        return Outcome{std::nullopt, std::move(error)};
    }
    return Outcome{Value{std::move(*value), 1,
                         std::string(chosen->value) + " at step " + std::to_string(chosen->step)},
                   ""};
}

} // namespace assure::artifacts::detail
