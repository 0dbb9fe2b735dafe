// SPDX-License-Identifier: Apache-2.0
// Property tests of the artifact readers: random JSON documents, CSV tables, JUnit reports and
// MLflow metric files, written as text by generators that know what they wrote. Every number is
// a random decimal string (signs, exponents, more digits than a double holds), and the value
// expected is computed here from the digits written, with arithmetic of this file's own (not
// support::Decimal's parser or adder). Then the same texts with random byte mutations: a reader
// must give a value or a one-line error, never crash or throw.
//
// CI size runs in about a second; ASSURE_TEST_SIZE=full runs ten times as many cases.
#include "artifacts/reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using assure::artifacts::Aggregate;
using assure::artifacts::Format;
using assure::artifacts::JunitCount;
using assure::artifacts::Outcome;
using assure::artifacts::read_number;
using assure::artifacts::read_result;
using assure::artifacts::Selector;
using Rng = std::mt19937;

int scale() {
    const char *size = std::getenv("ASSURE_TEST_SIZE");
    return size != nullptr && std::string(size) == "full" ? 10 : 1;
}

std::size_t pick(Rng &rng, std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}
bool chance(Rng &rng, int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
}
std::string digits(Rng &rng, std::size_t n, bool nonzero_first) {
    std::string out;
    for (std::size_t k = 0; k < n; ++k) {
        out +=
            static_cast<char>('0' + ((k == 0 && nonzero_first) ? 1 + pick(rng, 9) : pick(rng, 10)));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Exact numbers, independently: an integer magnitude (decimal digits) times 10^exponent.

struct Exact {
    bool negative = false;
    std::string digits; // no leading zero; empty for zero
    long exponent = 0;
};

Exact canonical(bool negative, std::string ds, long exponent) {
    const std::size_t lead = ds.find_first_not_of('0');
    ds = lead == std::string::npos ? std::string() : ds.substr(lead);
    while (!ds.empty() && ds.back() == '0') {
        ds.pop_back();
        ++exponent;
    }
    if (ds.empty()) {
        return Exact{};
    }
    return Exact{negative, ds, exponent};
}

bool same(const assure::support::Decimal &d, const Exact &e) {
    if (e.digits.empty()) {
        return d.is_zero();
    }
    return d.negative() == e.negative && d.digits() == e.digits && d.exponent() == e.exponent;
}

std::string show(const Exact &e) {
    return (e.negative ? "-" : "") + (e.digits.empty() ? "0" : e.digits) + "e" +
           std::to_string(e.exponent);
}

/// |a| <=> |b| for digit strings without leading zeros.
int compare_magnitude(const std::string &a, const std::string &b) {
    if (a.size() != b.size()) {
        return a.size() < b.size() ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
}

std::string add_magnitudes(const std::string &a, const std::string &b) {
    std::string out;
    int carry = 0;
    for (std::size_t k = 0; k < std::max(a.size(), b.size()) || carry != 0; ++k) {
        int s = carry;
        s += k < a.size() ? a[a.size() - 1 - k] - '0' : 0;
        s += k < b.size() ? b[b.size() - 1 - k] - '0' : 0;
        out += static_cast<char>('0' + s % 10);
        carry = s / 10;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

/// |a| - |b| for |a| >= |b|.
std::string subtract_magnitudes(const std::string &a, const std::string &b) {
    std::string out;
    int borrow = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        int s =
            (a[a.size() - 1 - k] - '0') - borrow - (k < b.size() ? b[b.size() - 1 - k] - '0' : 0);
        borrow = s < 0 ? 1 : 0;
        out += static_cast<char>('0' + (s + 10) % 10);
    }
    std::reverse(out.begin(), out.end());
    const std::size_t lead = out.find_first_not_of('0');
    return lead == std::string::npos ? std::string() : out.substr(lead);
}

Exact add(const Exact &a, const Exact &b) {
    if (a.digits.empty()) {
        return b;
    }
    if (b.digits.empty()) {
        return a;
    }
    const long e = std::min(a.exponent, b.exponent);
    const std::string am = a.digits + std::string(static_cast<std::size_t>(a.exponent - e), '0');
    const std::string bm = b.digits + std::string(static_cast<std::size_t>(b.exponent - e), '0');
    if (a.negative == b.negative) {
        return canonical(a.negative, add_magnitudes(am, bm), e);
    }
    const int c = compare_magnitude(am, bm);
    if (c == 0) {
        return Exact{};
    }
    return c > 0 ? canonical(a.negative, subtract_magnitudes(am, bm), e)
                 : canonical(b.negative, subtract_magnitudes(bm, am), e);
}

int compare(const Exact &a, const Exact &b) {
    const Exact diff = add(a, Exact{!b.negative, b.digits, b.exponent});
    return diff.digits.empty() ? 0 : diff.negative ? -1 : 1;
}

struct Number {
    std::string text;
    Exact value;
};

/// A random decimal literal. `loose` adds the forms a CSV cell may have beyond JSON's: a `+`,
/// leading zeros, `.5`, `5.`, a trailing `%`.
Number random_number(Rng &rng, bool loose) {
    std::string text;
    bool negative = false;
    if (chance(rng, 35)) {
        text += '-';
        negative = true;
    } else if (loose && chance(rng, 10)) {
        text += '+';
    }
    std::string int_part;
    const std::size_t int_len = pick(rng, 25);
    if (int_len == 0 || chance(rng, 30)) {
        int_part = loose && chance(rng, 15) ? "" : "0";
    } else {
        int_part = digits(rng, int_len, true);
    }
    if (loose && chance(rng, 10)) {
        int_part = "00" + int_part;
    }
    std::string frac;
    bool dot = false;
    if (chance(rng, 70) || int_part.empty()) {
        dot = true;
        frac = digits(rng, 1 + pick(rng, 30), false);
    } else if (loose && chance(rng, 10)) {
        dot = true; // "5."
    }
    text += int_part;
    if (dot) {
        text += '.' + frac;
    }
    long exponent = 0;
    if (chance(rng, 40)) {
        text += chance(rng, 50) ? 'e' : 'E';
        exponent = static_cast<long>(pick(rng, 300));
        const std::size_t sign = pick(rng, 3);
        if (sign == 1) {
            text += '-';
            exponent = -exponent;
        } else if (sign == 2) {
            text += '+';
        }
        text += (chance(rng, 10) ? "00" : "") + std::to_string(std::labs(exponent));
    }
    if (loose && chance(rng, 10)) {
        text += '%';
        exponent -= 2;
    }
    return Number{text,
                  canonical(negative, int_part + frac, exponent - static_cast<long>(frac.size()))};
}

void check_value(const Outcome &out, const Exact &expected, const std::string &context) {
    INFO(context);
    INFO("expected ", show(expected), "; error: ", out.error);
    REQUIRE(out.value.has_value());
    CHECK(out.value->divisor == 1);
    if (!same(out.value->value, expected)) {
        FAIL("read ", out.value->value.to_scientific(), ", expected ", show(expected));
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

const std::vector<std::string> kKeyPieces = {"a",  "b",  "acc", ",none",    "/", "~",  "~1", " ",
                                             "\"", "\\", "\n",  "\xC3\xA9", "0", "12", "-",  ""};

std::string random_key(Rng &rng) {
    std::string key;
    const std::size_t n = pick(rng, 4);
    for (std::size_t k = 0; k < n; ++k) {
        key += kKeyPieces[pick(rng, kKeyPieces.size())];
    }
    return key;
}

std::string json_string(Rng &rng, const std::string &s) {
    std::string out = "\"";
    for (std::size_t k = 0; k < s.size(); ++k) {
        const auto c = static_cast<unsigned char>(s[k]);
        char buf[8];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else if (c == 0xC3 && k + 1 < s.size() && chance(rng, 50)) {
            // é as \u00e9 (the pointer has it as raw UTF-8)
            std::snprintf(buf, sizeof buf, "\\u00%02x",
                          0xC0U + (static_cast<unsigned char>(s[k + 1]) & 0x3FU));
            out += buf;
            ++k;
        } else if (c < 0x80 && chance(rng, 10)) {
            std::snprintf(buf, sizeof buf, "\\u%04X", c);
            out += buf;
        } else if (c == '/' && chance(rng, 30)) {
            out += "\\/";
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string space(Rng &rng) {
    static const std::vector<std::string> spaces = {"", "", " ", "\n", "\t", "\r\n  "};
    return spaces[pick(rng, spaces.size())];
}

void filler(Rng &rng, int depth, std::string &out) {
    const std::size_t kind = pick(rng, depth > 2 ? 5 : 7);
    switch (kind) {
    case 0:
        out += random_number(rng, false).text;
        break;
    case 1:
        out += json_string(rng, random_key(rng));
        break;
    case 2:
        out += chance(rng, 50) ? "true" : "false";
        break;
    case 3:
        out += "null";
        break;
    case 4:
        out += std::to_string(pick(rng, 100000));
        break;
    case 5: {
        out += '[';
        const std::size_t n = pick(rng, 4);
        for (std::size_t k = 0; k < n; ++k) {
            out += (k == 0 ? "" : ",") + space(rng);
            filler(rng, depth + 1, out);
        }
        out += space(rng) + ']';
        break;
    }
    default: {
        out += '{';
        std::set<std::string> keys;
        const std::size_t n = pick(rng, 4);
        for (std::size_t k = 0; k < n; ++k) {
            std::string key = random_key(rng);
            if (!keys.insert(key).second) {
                continue;
            }
            out += (keys.size() == 1 ? "" : ",") + space(rng) + json_string(rng, key) + space(rng) +
                   ':' + space(rng);
            filler(rng, depth + 1, out);
        }
        out += space(rng) + '}';
        break;
    }
    }
}

std::string escape_token(const std::string &token) {
    std::string out;
    for (const char c : token) {
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return out;
}

/// A document with `target` at the returned pointer.
std::string json_document(Rng &rng, std::size_t levels, const std::string &target,
                          std::string &pointer) {
    if (levels == 0) {
        return target;
    }
    std::string out;
    if (chance(rng, 60)) {
        std::set<std::string> keys;
        const std::string key = random_key(rng);
        keys.insert(key);
        const std::size_t before = pick(rng, 4);
        const std::size_t after = pick(rng, 3);
        pointer += '/' + escape_token(key);
        std::string inner = json_document(rng, levels - 1, target, pointer);
        out += '{';
        bool first = true;
        for (std::size_t k = 0; k < before + after + 1; ++k) {
            std::string item;
            if (k == before) {
                item = json_string(rng, key) + space(rng) + ':' + space(rng) + inner;
            } else {
                std::string other = random_key(rng);
                if (!keys.insert(other).second) {
                    continue;
                }
                item = json_string(rng, other) + ':' + space(rng);
                filler(rng, 0, item);
            }
            out += (first ? "" : ",") + space(rng) + item;
            first = false;
        }
        out += space(rng) + '}';
    } else {
        const std::size_t index = pick(rng, 5);
        pointer += '/' + std::to_string(index);
        std::string inner = json_document(rng, levels - 1, target, pointer);
        out += '[';
        const std::size_t after = pick(rng, 3);
        for (std::size_t k = 0; k < index + 1 + after; ++k) {
            out += (k == 0 ? "" : ",") + space(rng);
            if (k == index) {
                out += inner;
            } else {
                filler(rng, 0, out);
            }
        }
        out += space(rng) + ']';
    }
    return out;
}

Selector json_selector(std::string pointer) {
    Selector s;
    s.format = Format::Json;
    s.pointer = std::move(pointer);
    return s;
}

// ---------------------------------------------------------------------------------------------
// CSV

std::string csv_field(Rng &rng, const std::string &text) {
    if (text.find_first_of(",\"\r\n") != std::string::npos || chance(rng, 15)) {
        std::string out = "\"";
        for (const char c : text) {
            out += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
        return out + "\"";
    }
    return text;
}

const std::vector<std::string> kNamePieces = {"recall", "k",        ",", "\"",   " ",
                                              "\n",     "\xC3\xA9", "x", "band", "1"};

struct Table {
    std::string text;
    std::size_t columns = 0;
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> rows; // cells as meant (before quoting)
    std::vector<std::size_t> lines;             // the line each row starts on
};

Table random_table(Rng &rng, std::size_t value_column, std::vector<Number> &values,
                   std::vector<std::string> &groups) {
    Table t;
    t.columns = 3 + pick(rng, 4);
    std::set<std::string> seen;
    while (t.names.size() < t.columns) {
        std::string name;
        const std::size_t n = 1 + pick(rng, 3);
        for (std::size_t k = 0; k < n; ++k) {
            name += kNamePieces[pick(rng, kNamePieces.size())];
        }
        if (seen.insert(name).second) {
            t.names.push_back(name);
        }
    }
    const std::string eol = chance(rng, 50) ? "\r\n" : "\n";
    std::size_t line = 1;
    if (chance(rng, 20)) {
        t.text += "\xEF\xBB\xBF";
    }
    auto write_row = [&](const std::vector<std::string> &cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string field = csv_field(rng, cells[c]);
            t.text += (c == 0 ? "" : ",") + field;
            line += static_cast<std::size_t>(std::count(field.begin(), field.end(), '\n'));
        }
        t.text += eol;
        ++line;
        if (chance(rng, 5)) {
            t.text += eol; // a blank line is no row
            ++line;
        }
    };
    write_row(t.names);
    const std::size_t n = pick(rng, 12);
    static const std::vector<std::string> group_names = {"fog", "rain", "fog,far", "\"q\""};
    for (std::size_t r = 0; r < n; ++r) {
        std::vector<std::string> cells(t.columns);
        cells[0] = "row" + std::to_string(r); // the key column: unique
        cells[1] = group_names[pick(rng, group_names.size())];
        for (std::size_t c = 2; c < t.columns; ++c) {
            cells[c] = chance(rng, 50) ? random_number(rng, true).text : random_key(rng);
        }
        Number v = random_number(rng, true);
        cells[value_column] = v.text;
        values.push_back(v);
        groups.push_back(cells[1]);
        t.lines.push_back(line);
        write_row(cells);
        t.rows.push_back(cells);
    }
    if (!t.rows.empty() && chance(rng, 30)) {
        t.text.resize(t.text.size() - eol.size()); // no final line end
    }
    return t;
}

// ---------------------------------------------------------------------------------------------
// JUnit

struct Counts {
    std::uint64_t tests = 0, failures = 0, errors = 0, skipped = 0;
    [[nodiscard]] std::string text() const {
        return "tests " + std::to_string(tests) + ", failures " + std::to_string(failures) +
               ", errors " + std::to_string(errors) + ", skipped " + std::to_string(skipped);
    }
};

void junit_suite(Rng &rng, int depth, Counts &counts, std::string &out) {
    out += "<testsuite name=\"s&amp;" + std::to_string(depth) + "\" tests=\"" +
           std::to_string(pick(rng, 9)) + "\">\n";
    const std::size_t n = pick(rng, 6);
    for (std::size_t k = 0; k < n; ++k) {
        if (depth < 3 && chance(rng, 15)) {
            junit_suite(rng, depth + 1, counts, out);
            continue;
        }
        if (chance(rng, 10)) {
            out += "<properties><property name=\"p\" value=\"&lt;failure/&gt;\"/></properties>\n";
        }
        ++counts.tests;
        out += "  <testcase classname=\"c\" name=\"t" + std::to_string(k) + "\" time=\"0.01\"";
        bool failure = false, error = false, skipped = false;
        std::string children;
        const std::size_t m = pick(rng, 4);
        for (std::size_t c = 0; c < m; ++c) {
            switch (pick(rng, 6)) {
            case 0:
                children += "<failure message=\"a &lt; b\">assert x &gt; 1</failure>";
                failure = true;
                break;
            case 1:
                children += "<error type=\"E\"/>";
                error = true;
                break;
            case 2:
                children += "<skipped/>";
                skipped = true;
                break;
            case 3:
                children += "<system-out><![CDATA[<failure/> not one]]></system-out>";
                break;
            case 4:
                children += "<flakyFailure message=\"rerun passed\"/>";
                break;
            default:
                children += "<!-- <error/> -->";
                break;
            }
        }
        if (children.empty() && chance(rng, 50)) {
            out += "/>\n";
        } else {
            out += ">" + children + "</testcase>\n";
        }
        counts.failures += failure ? 1 : 0;
        counts.errors += error ? 1 : 0;
        counts.skipped += skipped ? 1 : 0;
    }
    out += "</testsuite>\n";
}

std::string junit_report(Rng &rng, Counts &counts) {
    std::string out = chance(rng, 50) ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "";
    const bool wrapped = chance(rng, 60);
    if (wrapped) {
        out += "<testsuites>";
        const std::size_t n = 1 + pick(rng, 3);
        for (std::size_t k = 0; k < n; ++k) {
            junit_suite(rng, 1, counts, out);
        }
        out += "</testsuites>\n";
    } else {
        junit_suite(rng, 1, counts, out);
    }
    // A suite that claims tests but has none is an error by design: keep the claims honest
    // when nothing was written.
    if (counts.tests == 0) {
        std::string fixed;
        for (std::size_t pos = 0; pos < out.size();) {
            const std::size_t at = out.find("tests=\"", pos);
            if (at == std::string::npos) {
                fixed += out.substr(pos);
                break;
            }
            fixed += out.substr(pos, at - pos) + "tests=\"0";
            pos = at + 8;
        }
        out = fixed;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations

std::string mutate(Rng &rng, std::string text) {
    static const std::vector<std::string> inserts = {"\"",
                                                     ",",
                                                     "\n",
                                                     "\r",
                                                     "{",
                                                     "}",
                                                     "[",
                                                     "]",
                                                     ":",
                                                     "<",
                                                     ">",
                                                     "/",
                                                     "&",
                                                     "\\",
                                                     "~",
                                                     "\xEF\xBB\xBF",
                                                     "nan",
                                                     "e999999",
                                                     "<!DOCTYPE x>",
                                                     std::string(1, '\0')};
    const std::size_t n = 1 + pick(rng, 4);
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t pos = text.empty() ? 0 : pick(rng, text.size() + 1);
        switch (pick(rng, 5)) {
        case 0:
            if (pos < text.size()) {
                text[pos] = static_cast<char>(pick(rng, 256));
            }
            break;
        case 1:
            text.insert(pos, inserts[pick(rng, inserts.size())]);
            break;
        case 2:
            text.erase(pos, pick(rng, 8));
            break;
        case 3: {
            const std::size_t len =
                std::min<std::size_t>(pick(rng, 40), text.size() - std::min(pos, text.size()));
            text.insert(pos, text.substr(std::min(pos, text.size()), len));
            break;
        }
        default:
            text.resize(std::min(text.size(), pos));
            break;
        }
    }
    return text;
}

void check_total(const Outcome &out, const std::string &input, const Selector &sel) {
    INFO("selector: ", sel.describe());
    INFO("input: ", input);
    CHECK(out.value.has_value() == out.error.empty());
    CHECK(out.error.find('\n') == std::string::npos);
    if (out.value) {
        CHECK(out.value->divisor >= 1);
    }
}

} // namespace

TEST_CASE("artifacts property: JSON values read exactly at random pointers") {
    Rng rng(15001);
    const int cases = 400 * scale();
    for (int index = 0; index < cases; ++index) {
        const Number n = random_number(rng, false);
        std::string pointer;
        const std::string doc =
            space(rng) + json_document(rng, pick(rng, 6), n.text, pointer) + space(rng);
        const std::string context =
            "case " + std::to_string(index) + " pointer " + pointer + "\n" + doc;
        const Outcome out = read_number(doc, json_selector(pointer));
        check_value(out, n.value, context);
        // (An integer's text is its value: nlohmann gives "-0" as the integer 0.)
        if (out.value && n.text != "-0") {
            CHECK(out.value->text == n.text);
        }
        // One key further down is an error that names the number.
        const Outcome deeper = read_number(doc, json_selector(pointer + "/x"));
        INFO(context);
        CHECK_FALSE(deeper.value.has_value());
        CHECK(deeper.error.find("which has no member `x`") != std::string::npos);
    }
}

TEST_CASE("artifacts property: CSV cells and aggregates against independent arithmetic") {
    Rng rng(15002);
    const int cases = 300 * scale();
    for (int index = 0; index < cases; ++index) {
        std::vector<Number> values;
        std::vector<std::string> groups;
        const std::size_t value_column = 2;
        const Table t = random_table(rng, value_column, values, groups);
        const std::string context = "case " + std::to_string(index) + "\n" + t.text;
        INFO(context);
        Selector one;
        one.format = Format::Csv;
        one.column = t.names[value_column];
        if (!t.rows.empty()) {
            const std::size_t r = pick(rng, t.rows.size());
            one.rows = {{t.names[0], t.rows[r][0]}};
            const Outcome out = read_number(t.text, one);
            check_value(out, values[r].value, context);
            if (out.value) {
                CHECK(out.value->text == values[r].text);
            }
        }
        // Aggregates over one group.
        const std::string group = t.rows.empty() ? "fog" : groups[pick(rng, groups.size())];
        Exact sum;
        std::optional<Exact> min, max;
        std::vector<std::size_t> lines;
        for (std::size_t r = 0; r < values.size(); ++r) {
            if (groups[r] != group) {
                continue;
            }
            lines.push_back(t.lines[r]);
            sum = add(sum, values[r].value);
            if (!min || compare(values[r].value, *min) < 0) {
                min = values[r].value;
            }
            if (!max || compare(values[r].value, *max) > 0) {
                max = values[r].value;
            }
        }
        Selector agg = one;
        agg.rows = {{t.names[1], group}};
        agg.aggregate = Aggregate::Sum;
        check_value(read_number(t.text, agg), sum, context);
        agg.aggregate = Aggregate::Count;
        check_value(read_number(t.text, agg), canonical(false, std::to_string(lines.size()), 0),
                    context);
        agg.aggregate = Aggregate::Mean;
        const Outcome mean = read_number(t.text, agg);
        agg.aggregate = Aggregate::Min;
        const Outcome lo = read_number(t.text, agg);
        agg.aggregate = Aggregate::Max;
        const Outcome hi = read_number(t.text, agg);
        agg.aggregate = Aggregate::One;
        const Outcome exactly_one = read_number(t.text, agg);
        if (lines.empty()) {
            CHECK_FALSE(mean.value.has_value());
            CHECK_FALSE(lo.value.has_value());
            CHECK_FALSE(exactly_one.value.has_value());
        } else {
            REQUIRE(mean.value.has_value());
            CHECK(same(mean.value->value, sum));
            CHECK(mean.value->divisor == lines.size());
            check_value(lo, *min, context);
            check_value(hi, *max, context);
            if (lines.size() > 1) {
                REQUIRE_FALSE(exactly_one.value.has_value());
                // The error names the line of every matching row (few enough to be shown whole).
                std::string expected = "lines ";
                for (std::size_t k = 0; k < lines.size(); ++k) {
                    expected += (k == 0 ? "" : ", ") + std::to_string(lines[k]);
                }
                CHECK(exactly_one.error.find(expected) != std::string::npos);
            }
        }
    }
}

TEST_CASE("artifacts property: JUnit counts of random reports") {
    Rng rng(15003);
    const int cases = 300 * scale();
    for (int index = 0; index < cases; ++index) {
        Counts counts;
        const std::string xml = junit_report(rng, counts);
        INFO("case ", index, "\n", xml);
        Selector s;
        s.format = Format::Junit;
        for (JunitCount c :
             {JunitCount::Tests, JunitCount::Failures, JunitCount::Errors, JunitCount::Skipped}) {
            s.count = c;
            const Outcome out = read_number(xml, s);
            REQUIRE(out.value.has_value());
            CHECK(out.value->text == counts.text());
        }
        s.count = JunitCount::Failures;
        const std::uint64_t expected = counts.failures;
        CHECK(
            same(read_number(xml, s).value->value, canonical(false, std::to_string(expected), 0)));
        const auto r = read_result(xml, s);
        REQUIRE(r.result.has_value());
        const bool pass = counts.tests > 0 && counts.failures + counts.errors == 0;
        CHECK((*r.result == assure::artifacts::Result::Pass) == pass);
    }
}

TEST_CASE("artifacts property: MLflow metric files, the greatest step or a chosen one") {
    Rng rng(15004);
    const int cases = 400 * scale();
    for (int index = 0; index < cases; ++index) {
        const bool legacy = chance(rng, 10);
        const std::size_t n = 1 + pick(rng, 20);
        std::string text;
        std::vector<std::pair<long, std::optional<Number>>> lines; // step, value (nullopt: nan)
        for (std::size_t k = 0; k < n; ++k) {
            const long step =
                legacy ? 0 : static_cast<long>(pick(rng, 8)) - (chance(rng, 5) ? 3 : 0);
            std::optional<Number> v;
            std::string vtext;
            if (chance(rng, 10)) {
                vtext = chance(rng, 50) ? "nan" : "-inf";
            } else {
                v = random_number(rng, false);
                vtext = v->text;
            }
            text += std::to_string(1715603011871 + k) + " " + vtext;
            if (!legacy) {
                text += " " + std::to_string(step);
            }
            text += chance(rng, 10) ? "\r\n" : "\n";
            lines.emplace_back(step, v);
        }
        INFO("case ", index, "\n", text);
        std::size_t chosen = 0;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            if (lines[k].first >= lines[chosen].first) {
                chosen = k;
            }
        }
        Selector s;
        s.format = Format::Mlflow;
        const Outcome last = read_number(text, s);
        if (lines[chosen].second) {
            check_value(last, lines[chosen].second->value, text);
        } else {
            CHECK(last.error.find("not a finite number") != std::string::npos);
        }
        // A chosen step: its last line.
        const long step = lines[pick(rng, lines.size())].first;
        if (step >= 0) {
            std::size_t at = 0;
            for (std::size_t k = 0; k < lines.size(); ++k) {
                if (lines[k].first == step) {
                    at = k;
                }
            }
            s.step = static_cast<std::uint64_t>(step);
            const Outcome out = read_number(text, s);
            if (lines[at].second) {
                check_value(out, lines[at].second->value, text);
            } else {
                CHECK_FALSE(out.value.has_value());
            }
        }
        s.step = 99;
        CHECK(read_number(text, s).error.find("no step 99") != std::string::npos);
    }
}

TEST_CASE("artifacts property: mutated files give a value or a one-line error") {
    Rng rng(15005);
    const int cases = 1500 * scale();
    for (int index = 0; index < cases; ++index) {
        std::string base;
        std::vector<Selector> selectors;
        switch (index % 4) {
        case 0: {
            std::string pointer;
            base = json_document(rng, pick(rng, 5), random_number(rng, false).text, pointer);
            selectors.push_back(json_selector(pointer));
            selectors.push_back(json_selector(""));
            break;
        }
        case 1: {
            std::vector<Number> values;
            std::vector<std::string> groups;
            const Table t = random_table(rng, 2, values, groups);
            base = t.text;
            for (Aggregate a :
                 {Aggregate::One, Aggregate::Min, Aggregate::Mean, Aggregate::Count}) {
                Selector s;
                s.format = Format::Csv;
                s.aggregate = a;
                s.column = t.names[2];
                s.rows = {{t.names[1], "fog"}};
                selectors.push_back(s);
            }
            break;
        }
        case 2: {
            Counts counts;
            base = junit_report(rng, counts);
            Selector s;
            s.format = Format::Junit;
            selectors.push_back(s);
            break;
        }
        default: {
            for (std::size_t k = 0; k < 1 + pick(rng, 5); ++k) {
                base += "1715603011871 " + random_number(rng, false).text + " " +
                        std::to_string(pick(rng, 5)) + "\n";
            }
            Selector s;
            s.format = Format::Mlflow;
            selectors.push_back(s);
            s.step = 2;
            selectors.push_back(s);
            break;
        }
        }
        const std::string text = mutate(rng, base);
        for (const Selector &s : selectors) {
            check_total(read_number(text, s), text, s);
            // Any format's reader on any other format's bytes.
            Selector other = s;
            other.format = static_cast<Format>((static_cast<int>(s.format) + 1 + pick(rng, 3)) % 4);
            check_total(read_number(text, other), text, other);
            const auto r = read_result(text, s);
            CHECK(r.result.has_value() == r.error.empty());
        }
    }
}
