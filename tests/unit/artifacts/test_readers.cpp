// SPDX-License-Identifier: Apache-2.0
// The artifact readers on the pipeline fixtures (tests/fixtures/pipeline) and on each kind of
// bad input: what is read is exact, and every error names what was looked for and found.
#include "artifacts/reader.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using assure::artifacts::Aggregate;
using assure::artifacts::Condition;
using assure::artifacts::Format;
using assure::artifacts::JunitCount;
using assure::artifacts::Outcome;
using assure::artifacts::read_number;
using assure::artifacts::read_result;
using assure::artifacts::Result;
using assure::artifacts::Selector;
using assure::support::Decimal;

std::string fixture(const std::string &rel) {
    std::ifstream in(std::string(ASSURE_SOURCE_DIR) + "/tests/fixtures/pipeline/" + rel,
                     std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Decimal dec(const char *text) {
    auto d = Decimal::parse(text);
    REQUIRE(d.has_value());
    return *d;
}

Selector json(std::string pointer) {
    Selector s;
    s.format = Format::Json;
    s.pointer = std::move(pointer);
    return s;
}

Selector csv(Aggregate aggregate, std::string column, std::vector<Condition> rows = {}) {
    Selector s;
    s.format = Format::Csv;
    s.aggregate = aggregate;
    s.column = std::move(column);
    s.rows = std::move(rows);
    return s;
}

Selector junit(JunitCount count) {
    Selector s;
    s.format = Format::Junit;
    s.count = count;
    return s;
}

Selector mlflow(std::optional<std::uint64_t> step = std::nullopt) {
    Selector s;
    s.format = Format::Mlflow;
    s.step = step;
    return s;
}

/// The value read, which must exist.
Decimal value_of(const Outcome &out) {
    INFO(out.error);
    REQUIRE(out.value.has_value());
    CHECK(out.error.empty());
    CHECK(out.value->divisor == 1);
    return out.value->value;
}

/// The error, which must exist.
std::string error_of(const Outcome &out) {
    if (out.value) {
        INFO(out.value->text);
    }
    REQUIRE_FALSE(out.value.has_value());
    CHECK_FALSE(out.error.empty());
    CHECK(out.error.find('\n') == std::string::npos);
    return out.error;
}

bool contains(const std::string &text, const std::string &part) {
    INFO(text);
    return text.find(part) != std::string::npos;
}

const std::string kMlrun = "mlruns/427093613816316014/9f3c2a1be8d74e0d9a1c5b6f7e8d2c41/";

} // namespace

TEST_CASE("artifacts: describe writes the selector in the language's syntax") {
    CHECK(json("/results/hellaswag/acc,none").describe() ==
          R"(json "/results/hellaswag/acc,none")");
    CHECK(json("/a\"b\\c").describe() == R"(json "/a\"b\\c")");
    CHECK(json("").describe() == R"(json "")");
    CHECK(csv(Aggregate::One, "recall", {{"condition", "fog"}, {"band", "far"}}).describe() ==
          R"(csv "recall" row "condition" = "fog", "band" = "far")");
    CHECK(csv(Aggregate::One, "recall").describe() == R"(csv "recall")");
    CHECK(csv(Aggregate::Mean, "recall", {{"band", "far"}}).describe() ==
          R"(csv mean "recall" rows "band" = "far")");
    CHECK(csv(Aggregate::Min, "recall").describe() == R"(csv min "recall")");
    CHECK(csv(Aggregate::Max, "r", {{"k", "v"}}).describe() == R"(csv max "r" rows "k" = "v")");
    CHECK(csv(Aggregate::Sum, "frames").describe() == R"(csv sum "frames")");
    CHECK(csv(Aggregate::Count, "ignored", {{"ok", "yes"}}).describe() ==
          R"(csv count rows "ok" = "yes")");
    CHECK(csv(Aggregate::Count, "").describe() == "csv count");
    CHECK(junit(JunitCount::Tests).describe() == "junit tests");
    CHECK(junit(JunitCount::Failures).describe() == "junit failures");
    CHECK(junit(JunitCount::Errors).describe() == "junit errors");
    CHECK(junit(JunitCount::Skipped).describe() == "junit skipped");
    CHECK(mlflow().describe() == "mlflow");
    CHECK(mlflow(12).describe() == "mlflow step 12");
    CHECK(csv(Aggregate::One, "a\nb\tc").describe() == R"(csv "a\nb\tc")");
}

TEST_CASE("artifacts: selector_error names malformed JSON Pointers") {
    CHECK(assure::artifacts::selector_error(json("")).empty());
    CHECK(assure::artifacts::selector_error(json("/a~0b~1c/0/-")).empty());
    CHECK(contains(assure::artifacts::selector_error(json("results")), "start with `/`"));
    CHECK(contains(assure::artifacts::selector_error(json("/a~2")), "`~0`"));
    CHECK(contains(assure::artifacts::selector_error(json("/a~")), "`~0`"));
    CHECK(assure::artifacts::selector_error(mlflow()).empty());
    // read_number says the same.
    CHECK(contains(error_of(read_number("{}", json("x"))), "start with `/`"));
}

TEST_CASE("artifacts: lm-evaluation-harness results are read exactly") {
    const std::string v4 = fixture("lm-eval-results.json");
    const auto acc = read_number(v4, json("/results/hellaswag/acc,none"));
    CHECK(value_of(acc) == dec("0.37273451503684524"));
    CHECK(acc.value->text == "0.37273451503684524");
    CHECK(value_of(read_number(v4, json("/results/arc_easy/acc_norm_stderr,none"))) ==
          dec("0.010082326627832872"));
    CHECK(value_of(read_number(v4, json("/n-samples/hellaswag/effective"))) == dec("10042"));
    CHECK(value_of(read_number(v4, json("/versions/truthfulqa_mc2"))) == dec("2"));
    // A stderr the harness did not compute is the string "N/A".
    const std::string na =
        error_of(read_number(v4, json("/results/truthfulqa_mc2/acc_stderr,none")));
    CHECK(contains(na, R"(is a string ("N/A"), not a number)"));
    CHECK(contains(na, "/results/truthfulqa_mc2/acc_stderr,none"));
    // A missing task lists the tasks there are.
    const std::string missing = error_of(read_number(v4, json("/results/mmlu/acc,none")));
    CHECK(contains(missing, "no key `mmlu` at \"/results\""));
    CHECK(contains(missing, R"("hellaswag", "arc_easy", "truthfulqa_mc2")"));
    // The object itself is not a number: its keys are listed.
    CHECK(contains(error_of(read_number(v4, json("/results/hellaswag"))),
                   R"(is an object (the object has keys "alias", "acc,none")"));
    CHECK(
        contains(error_of(read_number(v4, json("/config/batch_sizes"))), "an array of 0 elements"));
    CHECK(contains(error_of(read_number(v4, json("/config/use_cache"))), "is null, not a number"));

    const std::string v3 = fixture("lm-eval-results-v0.3.json");
    CHECK(value_of(read_number(v3, json("/results/hellaswag/acc"))) == dec("0.5612427803226449"));
    CHECK(value_of(read_number(v3, json("/results/winogrande/acc_stderr"))) ==
          dec("0.012888010494704723"));
}

TEST_CASE("artifacts: a DVC metrics.json, with pointer escapes and results") {
    const std::string m = fixture("dvc/metrics.json");
    CHECK(value_of(read_number(m, json("/eval/recall/fog"))) == dec("0.962"));
    CHECK(value_of(read_number(m, json("/eval/recall/night~1fog"))) == dec("0.9405"));
    const auto fa = read_number(m, json("/eval/false_alarms_per_hour"));
    CHECK(value_of(fa) == dec("0.012"));
    CHECK(fa.value->text == "1.2E-2");
    CHECK(value_of(read_number(m, json("/step"))) == dec("19"));
    CHECK(
        contains(error_of(read_number(m, json("/eval/passed"))), "a boolean (true), not a number"));

    const auto passed = read_result(m, json("/eval/passed"));
    REQUIRE(passed.result.has_value());
    CHECK(*passed.result == Result::Pass);
    CHECK(passed.text == "true");
    const auto status = read_result(m, json("/eval/status"));
    REQUIRE(status.result.has_value());
    CHECK(*status.result == Result::Pass);
    const auto not_result = read_result(m, json("/eval/accuracy"));
    CHECK_FALSE(not_result.result.has_value());
    CHECK(contains(not_result.error, "a number (0.9623), not a result"));
}

TEST_CASE("artifacts: JSON results: booleans and the three words, nothing else") {
    auto result = [](const std::string &doc) { return read_result(doc, json("/r")); };
    CHECK(*result(R"({"r": false})").result == Result::Fail);
    CHECK(*result(R"({"r": "fail"})").result == Result::Fail);
    CHECK(*result(R"({"r": "pending"})").result == Result::Pending);
    CHECK(result(R"({"r": "pending"})").text == "\"pending\"");
    CHECK_FALSE(result(R"({"r": "PASS"})").result.has_value());
    CHECK_FALSE(result(R"({"r": "passed"})").result.has_value());
    CHECK_FALSE(result(R"({"r": 1})").result.has_value());
    CHECK_FALSE(result(R"({"r": null})").result.has_value());
    CHECK(contains(result(R"({"r": "ok"})").error, R"(a string ("ok"), not a result)"));
    CHECK(contains(result(R"({"q": true})").error, "no key `r`"));
    Selector s = csv(Aggregate::One, "x");
    CHECK(contains(read_result("x\n1\n", s).error, "selects a number, not a result"));
    CHECK(contains(read_result("1 2 3\n", mlflow()).error, "selects a number, not a result"));
}

TEST_CASE("artifacts: JSON Pointer arrays, escapes and the root") {
    const std::string doc = R"({"a": [10, 20, {"b": 3.25}], "": 7, "~/": 8, "x": {"": 9}})";
    CHECK(value_of(read_number(doc, json("/a/0"))) == dec("10"));
    CHECK(value_of(read_number(doc, json("/a/2/b"))) == dec("3.25"));
    CHECK(value_of(read_number(doc, json("/"))) == dec("7"));
    CHECK(value_of(read_number(doc, json("/~0~1"))) == dec("8"));
    CHECK(value_of(read_number(doc, json("/x/"))) == dec("9"));
    CHECK(value_of(read_number("-12.5e+3", json(""))) == dec("-12500"));
    CHECK(contains(error_of(read_number(doc, json("/a/3"))),
                   "no index 3 at \"/a\" (the array has 3 elements)"));
    CHECK(contains(error_of(read_number(doc, json("/a/01"))), "no leading zero"));
    CHECK(contains(error_of(read_number(doc, json("/a/-"))), "`-` names the element after"));
    CHECK(contains(error_of(read_number(doc, json("/a/b"))), "`b` is not an array index"));
    CHECK(contains(error_of(read_number(doc, json("/a/99999999999999999999999"))),
                   "no index 99999999999999999999999"));
    CHECK(contains(error_of(read_number(doc, json("/a/0/c"))),
                   "the value at \"/a/0\" is a number (10), which has no member `c`"));
    CHECK(contains(error_of(read_number(doc, json(""))),
                   "the value at the document root is an object"));
    CHECK(contains(error_of(read_number("[]", json("/x"))), "`x` is not an array index"));
    CHECK(contains(error_of(read_number("{}", json("/x"))), "(the object is empty)"));
    // Keys are compared after JSON unescaping, byte for byte.
    CHECK(value_of(read_number(R"({"a\/b": 1, "\u00e9": 2})", json("/a~1b"))) == dec("1"));
    CHECK(value_of(read_number(R"({"\u00e9": 2})", json("/\xC3\xA9"))) == dec("2"));
}

TEST_CASE("artifacts: JSON numbers are exact; malformed documents name the byte") {
    CHECK(value_of(read_number(R"({"v": 0.94999999999999999})", json("/v"))) ==
          dec("0.94999999999999999"));
    CHECK(value_of(read_number(R"({"v": 0.94999999999999999})", json("/v"))) != dec("0.95"));
    CHECK(value_of(read_number(R"({"v": 1e-400})", json("/v"))) == dec("1e-400"));
    CHECK(value_of(read_number(R"({"v": 123456789012345678901234567890})", json("/v"))) ==
          dec("123456789012345678901234567890"));
    CHECK(value_of(read_number(R"({"v": -9223372036854775808})", json("/v"))) ==
          dec("-9223372036854775808"));
    CHECK(value_of(read_number(R"({"v": 18446744073709551615})", json("/v"))) ==
          dec("18446744073709551615"));
    CHECK(value_of(read_number("\xEF\xBB\xBF{\"v\": 2}", json("/v"))) == dec("2"));
    CHECK(
        contains(error_of(read_number(R"({"v": 1e2000})", json("/v"))), "outside the exact range"));
    // Out of range for Decimal but not for the parser: the other values still read.
    CHECK(value_of(read_number(R"({"v": 1e2000, "w": 1})", json("/w"))) == dec("1"));
    for (const char *bad : {"{\"v\": NaN}", "{\"v\": Infinity}", "{\"v\": 1,}", "{\"v\": 01}",
                            "{\"v\": 1} x", "", "{\"v\": \"\xFF\"}", "{\"v\": 1e99999}", "[[[["}) {
        INFO(bad);
        CHECK(contains(error_of(read_number(bad, json("/v"))), "malformed JSON at "));
    }
    CHECK(contains(error_of(read_number("{\n  \"v\": tru }", json("/v"))),
                   "malformed JSON at line 2, column 11 (byte 13): syntax error"));
    // Malformed anywhere, even after the value read.
    CHECK(contains(error_of(read_number(R"({"v": 1, "w": })", json("/v"))), "malformed JSON"));
}

TEST_CASE("artifacts: a duplicate key is ambiguous where it is read, not elsewhere") {
    CHECK(contains(error_of(read_number(R"({"v": 1, "v": 2})", json("/v"))),
                   "the key `v` occurs 2 times at the document root"));
    CHECK(contains(error_of(read_number(R"({"a": {"v": 1}, "a": {"w": 2}})", json("/a/v"))),
                   "the key `a` occurs 2 times"));
    CHECK(value_of(read_number(R"({"v": 1, "w": 2, "w": 3})", json("/v"))) == dec("1"));
}

TEST_CASE("artifacts: deep JSON does not overflow the stack") {
    const std::size_t depth = 200000;
    std::string deep(depth, '[');
    deep += "1";
    deep += std::string(depth, ']');
    CHECK(contains(error_of(read_number(deep, json("/0/0/1"))), "no index 1"));
    std::string pointer;
    for (int k = 0; k < 100; ++k) {
        pointer += "/0";
    }
    CHECK(contains(error_of(read_number(deep, json(pointer))), "an array of 1 element"));
    CHECK(contains(error_of(read_number(std::string(depth, '{'), json("/a"))), "malformed JSON"));
}

TEST_CASE("artifacts: CSV cells by header and key columns") {
    const std::string t = fixture("recall-by-condition.csv");
    const auto fog =
        read_number(t, csv(Aggregate::One, "recall", {{"condition", "fog"}, {"band", "near"}}));
    CHECK(value_of(fog) == dec("0.962"));
    CHECK(fog.value->text == "0.962");
    CHECK(value_of(read_number(
              t, csv(Aggregate::One, "frames", {{"note", "chamber run \"F-7\""}}))) == dec("3000"));
    // A quoted field with a line break inside: the row starts on line 7.
    const std::string ambiguous =
        error_of(read_number(t, csv(Aggregate::One, "recall", {{"condition", "fog"}})));
    CHECK(contains(ambiguous, "2 rows match `condition` = \"fog\" (lines 6, 7)"));
    CHECK(contains(ambiguous, "needs exactly one"));
    const std::string none =
        error_of(read_number(t, csv(Aggregate::One, "recall", {{"condition", "snow"}})));
    CHECK(contains(none, "no row has `condition` = \"snow\" (of 7 data rows)"));
    const std::string column =
        error_of(read_number(t, csv(Aggregate::One, "precision", {{"condition", "fog"}})));
    CHECK(contains(
        column, "no column `precision` in the header (line 1 has columns \"condition\", \"band\""));
    CHECK(contains(error_of(read_number(t, csv(Aggregate::One, "recall", {{"weather", "fog"}}))),
                   "no column `weather`"));
    CHECK(contains(error_of(read_number(
                       t, csv(Aggregate::One, "note", {{"condition", "clear"}, {"band", "far"}}))),
                   "the cell `note` at line 3 is empty, not a number"));
    CHECK(contains(error_of(read_number(t, csv(Aggregate::One, "condition",
                                               {{"band", "far"}, {"condition", "rain"}}))),
                   "the cell `condition` at line 5 is \"rain\", not a number"));
}

TEST_CASE("artifacts: CSV aggregates are exact") {
    const std::string t = fixture("recall-by-condition.csv");
    const auto mean = read_number(t, csv(Aggregate::Mean, "recall", {{"band", "far"}}));
    REQUIRE(mean.value.has_value());
    CHECK(mean.value->value == dec("2.8665")); // 0.974 + 0.952 + 0.9405
    CHECK(mean.value->divisor == 3);
    CHECK(mean.value->text == "mean of 3 rows: 0.974, 0.952, 0.9405");
    CHECK(value_of(read_number(t, csv(Aggregate::Min, "recall"))) == dec("0.9405"));
    CHECK(value_of(read_number(t, csv(Aggregate::Max, "recall", {{"condition", "fog"}}))) ==
          dec("0.962"));
    CHECK(value_of(read_number(t, csv(Aggregate::Sum, "frames"))) == dec("47200"));
    const auto count = read_number(t, csv(Aggregate::Count, "", {{"band", "near"}}));
    CHECK(value_of(count) == dec("4"));
    CHECK(count.value->text == "4 of 7 data rows");
    CHECK(value_of(read_number(t, csv(Aggregate::Count, "", {{"band", "mid"}}))) == dec("0"));
    CHECK(value_of(read_number(t, csv(Aggregate::Sum, "frames", {{"band", "mid"}}))) == dec("0"));
    CHECK(
        contains(error_of(read_number(t, csv(Aggregate::Mean, "recall", {{"band", "mid"}}))),
                 "no row has `band` = \"mid\" (of 7 data rows); the mean of no rows is undefined"));
    CHECK(contains(error_of(read_number(t, csv(Aggregate::Min, "note"))), "at line 2 is empty"));
    // Cells in other forms, percentages included, compare as numbers.
    const std::string forms = "k,v\na,9.5e-1\na,97%\na,+0.9600\n";
    CHECK(value_of(read_number(forms, csv(Aggregate::Max, "v"))) == dec("0.97"));
    CHECK(value_of(read_number(forms, csv(Aggregate::Min, "v"))) == dec("0.95"));
}

TEST_CASE("artifacts: CSV syntax: quotes, CR LF, BOM, ragged and malformed rows") {
    CHECK(value_of(read_number("\xEF\xBB\xBFk,v\r\nx,1\r\n",
                               csv(Aggregate::One, "v", {{"k", "x"}}))) == dec("1"));
    CHECK(value_of(read_number("k,v\nx,1", csv(Aggregate::One, "v"))) ==
          dec("1")); // no final newline
    CHECK(value_of(read_number("k,v\n\n\nx,1\n\n", csv(Aggregate::One, "v"))) == dec("1"));
    // Spaces belong to the field.
    CHECK(contains(error_of(read_number("k,v\nx, 1\n", csv(Aggregate::One, "v"))),
                   "is \" 1\", not a number"));
    CHECK(
        contains(error_of(read_number("k, v\nx,1\n", csv(Aggregate::One, "v"))), "no column `v`"));
    CHECK(value_of(read_number("\"k,1\",v\n\"a\"\"b\",2\n",
                               csv(Aggregate::One, "v", {{"k,1", "a\"b"}}))) == dec("2"));
    CHECK(contains(error_of(read_number("k,v\nx,1,2\n", csv(Aggregate::One, "v"))),
                   "malformed CSV: line 2 has 3 fields, the header (line 1) has 2"));
    CHECK(contains(error_of(read_number("k,v\nx\n", csv(Aggregate::One, "v"))),
                   "line 2 has 1 field,"));
    CHECK(contains(error_of(read_number("k,v\nx,a\"b\n", csv(Aggregate::One, "v"))),
                   "malformed CSV at line 2, column 4: a quote inside an unquoted field"));
    CHECK(contains(error_of(read_number("k,v\nx,\"a\"b\n", csv(Aggregate::One, "v"))),
                   "malformed CSV at line 2, column 6: text after the closing quote"));
    CHECK(contains(error_of(read_number("k,v\nx,1\ny,\"2\n", csv(Aggregate::One, "v"))),
                   "a quoted field is still open at the end of the file (the last complete "
                   "field ends on line 3)"));
    CHECK(contains(error_of(read_number("", csv(Aggregate::One, "v"))), "no header row"));
    CHECK(contains(error_of(read_number("\xEF\xBB\xBF\n\n", csv(Aggregate::Count, ""))),
                   "no header row"));
    CHECK(contains(error_of(read_number("k,v\n", csv(Aggregate::One, "v"))),
                   "the table has no data rows"));
    CHECK(contains(error_of(read_number("k,v\nx,1\ny,2\n", csv(Aggregate::One, "v"))),
                   "2 rows match (every data row) (lines 2, 3)"));
    CHECK(contains(error_of(read_number("v,k,v\n1,x,2\n", csv(Aggregate::One, "v"))),
                   "has 2 columns named `v` (columns 1, 3)"));
    // A duplicated header that is not selected does no harm.
    CHECK(value_of(read_number("a,a,v\n1,2,3\n", csv(Aggregate::One, "v"))) == dec("3"));
    CHECK(value_of(read_number(",recall\n0,0.5\n", csv(Aggregate::One, "recall", {{"", "0"}}))) ==
          dec("0.5"));
}

TEST_CASE("artifacts: CSV lists of lines and cells are elided") {
    std::string t = "k,v\n";
    for (int row = 0; row < 100; ++row) {
        t += "x," + std::to_string(row) + "\n";
    }
    const std::string e = error_of(read_number(t, csv(Aggregate::One, "v", {{"k", "x"}})));
    CHECK(contains(e, "100 rows match"));
    CHECK(contains(e, "... 80 more ..."));
    CHECK(e.size() < 400);
    const auto sum = read_number(t, csv(Aggregate::Sum, "v"));
    CHECK(value_of(sum) == dec("4950"));
    CHECK(contains(sum.value->text, "sum of 100 rows: 0, 1, "));
    CHECK(sum.value->text.size() < 200);
}

TEST_CASE("artifacts: JUnit counts over every testcase") {
    const std::string pytest = fixture("junit-pytest.xml");
    CHECK(value_of(read_number(pytest, junit(JunitCount::Tests))) == dec("7"));
    CHECK(value_of(read_number(pytest, junit(JunitCount::Failures))) == dec("1"));
    CHECK(value_of(read_number(pytest, junit(JunitCount::Errors))) == dec("1"));
    CHECK(value_of(read_number(pytest, junit(JunitCount::Skipped))) == dec("2"));
    CHECK(read_number(pytest, junit(JunitCount::Tests)).value->text ==
          "tests 7, failures 1, errors 1, skipped 2");
    const auto r = read_result(pytest, junit(JunitCount::Tests));
    REQUIRE(r.result.has_value());
    CHECK(*r.result == Result::Fail);

    // Surefire: a flaky failure passed on rerun, so it is no failure.
    const std::string surefire = fixture("junit-surefire.xml");
    CHECK(read_number(surefire, junit(JunitCount::Tests)).value->text ==
          "tests 5, failures 0, errors 0, skipped 1");
    const auto pass = read_result(surefire, junit(JunitCount::Failures));
    REQUIRE(pass.result.has_value());
    CHECK(*pass.result == Result::Pass);
    CHECK(pass.text == "tests 5, failures 0, errors 0, skipped 1");

    const std::string go = fixture("junit-go.xml");
    CHECK(read_number(go, junit(JunitCount::Skipped)).value->text ==
          "tests 4, failures 1, errors 0, skipped 1");
}

TEST_CASE("artifacts: JUnit edge cases and malformed reports") {
    const auto counts = [](const std::string &xml) {
        const auto out = read_number(xml, junit(JunitCount::Tests));
        return out.value ? out.value->text : out.error;
    };
    // A testcase with a failure and an error counts in both; two failures count once.
    CHECK(counts("<testsuite><testcase><failure/><error/><failure/></testcase></testsuite>") ==
          "tests 1, failures 1, errors 1, skipped 0");
    // Only direct children count: a <failure> inside system-out text or deeper is not one.
    CHECK(counts("<testsuite><testcase><system-out><failure/></system-out></testcase>"
                 "<failure/></testsuite>") == "tests 1, failures 0, errors 0, skipped 0");
    // Nested suites.
    CHECK(counts("<testsuites><testsuite><testsuite><testcase/></testsuite><testcase><skipped/>"
                 "</testcase></testsuite></testsuites>") ==
          "tests 2, failures 0, errors 0, skipped 1");
    // An empty suite is 0 tests, and so a failing result.
    CHECK(counts("<testsuite tests=\"0\"/>") == "tests 0, failures 0, errors 0, skipped 0");
    CHECK(*read_result("<testsuites/>", junit(JunitCount::Tests)).result == Result::Fail);
    CHECK(contains(counts("<testsuite tests=\"5\" failures=\"0\"/>"),
                   "no <testcase> elements, but its element at line 1 says tests=\"5\""));
    CHECK(contains(counts("<html><testcase/></html>"), "the root element is <html>"));
    CHECK(
        contains(counts("<testsuite><testcase></testsuite>"), "malformed XML at line 1, column "));
    CHECK(contains(counts("<testsuite>\n<testcase/>\n<oops"), "malformed XML at line 3"));
    CHECK(contains(counts(""), "malformed XML at line 1"));
    CHECK(contains(counts("<testsuite>&undefined;</testsuite>"), "malformed XML"));
    // Character references and CDATA are fine.
    CHECK(
        counts("<testsuite name=\"&#x41;&amp;\"><![CDATA[<testcase/>]]><testcase/></testsuite>") ==
        "tests 1, failures 0, errors 0, skipped 0");
    // No DTD: so no entity can expand, and no external one is fetched.
    const std::string laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
        "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><testsuite>&lol2;</testsuite>";
    CHECK(contains(counts(laughs), "DOCTYPE declaration at line 1"));
    CHECK(contains(counts("<!DOCTYPE t SYSTEM \"file:///etc/passwd\"><testsuite/>"), "DOCTYPE"));
    // Deep nesting is iterative.
    std::string deep = "<testsuite>";
    for (int k = 0; k < 100000; ++k) {
        deep += "<a>";
    }
    deep += "<testcase/>";
    for (int k = 0; k < 100000; ++k) {
        deep += "</a>";
    }
    deep += "</testsuite>";
    CHECK(counts(deep) == "tests 1, failures 0, errors 0, skipped 0");
}

TEST_CASE("artifacts: an MLflow file-store run") {
    const std::string recall = fixture(kMlrun + "metrics/recall_fog");
    const auto last = read_number(recall, mlflow());
    CHECK(value_of(last) == dec("0.9598"));
    CHECK(last.value->text == "0.9598 at step 4");
    const auto step3 = read_number(recall, mlflow(3));
    CHECK(value_of(step3) == dec("0.96200000000000001"));
    CHECK(contains(error_of(read_number(recall, mlflow(7))),
                   "no step 7 in the metric (its steps: 0, 1, 2, 3, 4)"));
    // NaN is an error where it is read only.
    const std::string loss = fixture(kMlrun + "metrics/val_loss");
    CHECK(contains(error_of(read_number(loss, mlflow(3))),
                   "the value at step 3 (line 4) is \"nan\", not a finite number"));
    CHECK(value_of(read_number(loss, mlflow())) == dec("0.1641"));
    // Two lines with the greatest step: the last one.
    CHECK(value_of(read_number(fixture(kMlrun + "metrics/false_alarm_rate"), mlflow())) ==
          dec("0.0121"));
    // Before steps: `timestamp value`, all at step 0.
    const std::string legacy = fixture(kMlrun + "metrics/legacy_accuracy");
    CHECK(value_of(read_number(legacy, mlflow())) == dec("0.9031"));
    CHECK(value_of(read_number(legacy, mlflow(0))) == dec("0.9031"));
}

TEST_CASE("artifacts: MLflow lines that are not metric lines") {
    const auto read = [](const std::string &text,
                         std::optional<std::uint64_t> step = std::nullopt) {
        const auto out = read_number(text, mlflow(step));
        return out.value ? out.value->text : out.error;
    };
    CHECK(read("1 0.5 2\r\n1 0.25 10\r\n1 0.75 9\r\n") == "0.25 at step 10");
    CHECK(read("1\t0.5\t  2  \n\n") == "0.5 at step 2");
    CHECK(read("1 -inf 0\n2 0.5 -1\n") ==
          "the value at step 0 (line 1) is \"-inf\", not a finite number");
    CHECK(read("1 0.5 -3\n2 0.25 -1\n") == "0.25 at step -1");
    CHECK(contains(read("1 0.5 -3\n"), "0.5 at step -3"));
    CHECK(contains(read("1 0.5 3\n", 18446744073709551615ULL), "no step 18446744073709551615"));
    CHECK(contains(read("1 0.5 2 7\n"), "malformed MLflow metric at line 1"));
    CHECK(contains(read("1\n"), "malformed MLflow metric at line 1"));
    CHECK(contains(read("x 0.5 2\n"), "the timestamp \"x\" is not an integer"));
    CHECK(contains(read("1 0.5 2.0\n"), "the step \"2.0\" is not a 64-bit integer"));
    CHECK(contains(read("1 0.5 99999999999999999999\n"), "not a 64-bit integer"));
    CHECK(contains(read("1 0.5 0\n2 abc 1\n"),
                   "line 2 (\"2 abc 1\"): the value \"abc\" is not a number"));
    CHECK(contains(read("1 50% 0\n"), "is not a number"));
    CHECK(contains(read(""), "has no values"));
    CHECK(contains(read("\n \n"), "has no values"));
    CHECK(contains(read("1 1e5000 0\n2 0.5 1\n", 0), "outside the exact range"));
    CHECK(read("1 1e5000 0\n2 0.5 1\n") == "0.5 at step 1");
    std::string many;
    for (int k = 0; k < 50; ++k) {
        many += "1 0.5 " + std::to_string(k * 2) + "\n";
    }
    const std::string e = read(many, 1);
    CHECK(contains(e, "0, 2, 4"));
    CHECK(contains(e, "... 30 more ..."));
    CHECK(contains(e, "98)"));
}
