// SPDX-License-Identifier: Apache-2.0
// The monitor's building blocks: exact rationals, the JSON tree that keeps numbers' text, mapping
// files, records (flat and OpenTelemetry spans) and the bounded line reader.
#include "../testing.hpp"
#include "monitor/json_tree.hpp"
#include "monitor/rational.hpp"
#include "monitor/record.hpp"

#include <cstdio>
#include <doctest/doctest.h>
#include <string>
#include <unistd.h>
#include <vector>

using assure::monitor::JsonNode;
using assure::monitor::JsonTree;
using assure::monitor::Rational;
using assure::monitor::RecordSource;
using assure::support::Code;

namespace {

Rational q(const char *text) {
    auto r = Rational::parse(text);
    REQUIRE(r.has_value());
    return *r;
}

const char *kCase = R"(module m
domain D {
    x : real [0, 100] unit "m"
    n : int [-5, 5]
    b : bool
    e : enum { red, green }
}
claim G "g" {
    scope: D
    formal: x >= n and (b implies e == red)
    undeveloped
}
)";

struct Source {
    assure::testing::Checked checked = assure::testing::check(kCase);
    std::optional<RecordSource> source;
    RecordSource::Output out;

    explicit Source(assure::monitor::Mapping mapping = assure::monitor::flat_mapping()) {
        REQUIRE(checked.diags.error_count() == 0);
        std::string error;
        source = RecordSource::make(checked.program, checked.program.domains[0].decl,
                                    std::move(mapping), {0, 1, 2, 3}, error);
        REQUIRE_MESSAGE(source.has_value(), error);
    }
    /// Feeds `lines` and returns the codes of the errors, or "ok" for each record, in order.
    std::vector<std::string> feed(const std::vector<std::string> &lines) {
        out.clear();
        std::uint64_t number = 0;
        for (const auto &l : lines) {
            source->line(++number, l, out);
        }
        source->finish(out);
        std::vector<std::string> verdicts;
        std::size_t r = 0;
        std::size_t e = 0;
        for (bool is_record : out.order) {
            verdicts.push_back(is_record
                                   ? (++r, "ok")
                                   : std::string(assure::support::info(out.errors[e++].code).id));
        }
        return verdicts;
    }
};

assure::monitor::Mapping mapping(const std::string &text) {
    std::string error;
    auto m = assure::monitor::parse_mapping(text, error);
    REQUIRE_MESSAGE(m.has_value(), error);
    return *m;
}

} // namespace

TEST_CASE("monitor rational: exact arithmetic, fast and big paths") {
    CHECK(q("0.1") + q("0.2") == q("0.3"));
    CHECK(q("0.1") + q("0.2") != q("0.30000000000000004"));
    CHECK((q("1") / q("3")) * q("3") == q("1"));
    CHECK(q("-0.5") < q("0"));
    CHECK(q("1e2") == q("100"));
    CHECK(q("2.50") == q("2.5"));
    CHECK(q("2.0").is_integer());
    CHECK_FALSE(q("1.5").is_integer());
    // Beyond int64: the Decimal path, compared exactly with the fast one.
    const Rational big = q("123456789012345678901234567890");
    CHECK(big > q("9223372036854775807"));
    CHECK(big - big == q("0"));
    CHECK(q("1e-30") > q("0"));
    CHECK(q("1e-30") < q("1e-29"));
    CHECK(q("1e-30") * q("1e30") == q("1"));
    CHECK(q("9223372036854775807") + q("1") == q("9223372036854775808"));
    CHECK(q("-9223372036854775807") * q("3") == q("-27670116110564327421"));
    CHECK((q("7") / q("2")) == q("3.5"));
    CHECK(q("1e300") > q("20000"));
    CHECK_FALSE(Rational::parse("abc").has_value());
    CHECK_FALSE(Rational::parse("1e").has_value());
    CHECK_FALSE(Rational::parse("5%").has_value());
}

TEST_CASE("monitor JSON tree: numbers keep their text; bounds refuse hostile input") {
    JsonTree t;
    std::string error;
    REQUIRE(
        t.parse(R"({"a": 0.10, "b": [1, 12345678901234567890123], "c~/d": {"e": true}})", error));
    CHECK(t.node(*t.member(0, "a")).text == "0.10");
    const auto tokens = assure::monitor::pointer_tokens("/b/1");
    REQUIRE(tokens.has_value());
    CHECK(t.node(*t.at(0, *tokens)).text == "12345678901234567890123");
    CHECK(t.at(0, *assure::monitor::pointer_tokens("/c~0~1d/e")).has_value());
    CHECK_FALSE(t.at(0, *assure::monitor::pointer_tokens("/b/01")).has_value());
    CHECK_FALSE(t.at(0, *assure::monitor::pointer_tokens("/b/2")).has_value());
    CHECK_FALSE(assure::monitor::pointer_tokens("no-slash").has_value());
    CHECK_FALSE(t.parse(std::string(100, '[') + std::string(100, ']'), error));
    CHECK(error.find("nested deeper") != std::string::npos);
    std::string many = "[";
    for (int k = 0; k < 100001; ++k) {
        many += k == 0 ? "0" : ",0";
    }
    CHECK_FALSE(t.parse(many + "]", error));
    CHECK(error.find("more than") != std::string::npos);
    CHECK_FALSE(t.parse(std::string("{\"a\": \"x\0y\"}", 12), error));
    CHECK_FALSE(t.parse("{\"a\": \"\xff\"}", error));
    CHECK_FALSE(t.parse("{} {}", error));
}

TEST_CASE("monitor mapping files: accepted forms and refusals") {
    auto m = mapping(
        R"({"domain": "D", "id": "/meta/id", "fields": {"x": "/a/x", "n": {"pointer": "/n"}}})");
    CHECK(m.domain == "D");
    CHECK(m.fields.size() == 2);
    std::string error;
    for (const char *bad :
         {"[]", "{\"colour\": 1}", "{\"fields\": {\"x\": \"x\"}}", "{\"fields\": {\"x\": 3}}",
          "{\"fields\": {\"x\": {\"count\": {}}}}", "{\"spans\": {}}",
          "{\"spans\": {\"episode\": \"k\"}, \"fields\": {\"x\": \"/x\"}}",
          "{\"spans\": {\"episode\": \"k\"}, \"fields\": {\"x\": {\"select\": {}}}}",
          "{\"spans\": {\"episode\": \"k\"}, \"fields\": {\"x\": {\"select\": {}, \"attribute\": "
          "\"a\", \"pick\": \"any\"}}}",
          "{\"spans\": {\"episode\": \"k\", \"max_spans\": 0}, \"fields\": {}}",
          "{\"unknown_fields\": \"maybe\"}"}) {
        CHECK_MESSAGE(!assure::monitor::parse_mapping(bad, error).has_value(), bad);
    }
    // A field naming no variable of the domain is refused when the source is made.
    auto checked = assure::testing::check(kCase);
    CHECK_FALSE(RecordSource::make(checked.program, checked.program.domains[0].decl,
                                   mapping(R"({"fields": {"y": "/y"}})"), {}, error)
                    .has_value());
    CHECK(error.find("`y` is not a variable") != std::string::npos);
}

TEST_CASE("monitor records: types, ranges, unknown and missing fields") {
    Source s;
    const auto v = s.feed({
        R"({"id": "a", "x": 1.5, "n": -5, "b": true, "e": "red"})",
        R"({"x": 100, "n": 5.0, "b": false, "e": "green"})",
        R"({"x": 1.5, "n": 1.5, "b": true, "e": "red"})",
        R"({"x": "1", "n": 1, "b": true, "e": "red"})",
        R"({"x": 1, "n": 1, "b": 1, "e": "red"})",
        R"({"x": 1, "n": 1, "b": true, "e": "blue"})",
        R"({"x": 100.0000001, "n": 1, "b": true, "e": "red"})",
        R"({"x": 1, "n": -6, "b": true, "e": "red"})",
        R"({"x": 1, "n": 1, "b": true, "e": "red", "z": 0})",
        R"({"x": 1, "n": 1, "b": true})",
        R"({"x": 1, "n": 1, "b": true, "e": null})",
        R"([1])",
        R"({"x": 1,)",
        "   ",
    });
    const std::vector<std::string> want = {"ok",    "ok",    "E0835", "E0835", "E0835",
                                           "E0835", "E0836", "E0836", "E0834", "E0837",
                                           "E0837", "E0833", "E0833"};
    CHECK(v == want);
    REQUIRE(!s.out.records.empty());
    CHECK(s.out.records[0].id == "a");
    CHECK(s.out.records[0].values[0].text == "1.5");
    CHECK(s.out.records[0].values[3].index == 0);
    CHECK(s.out.records[1].values[1].number == q("5"));
}

TEST_CASE("monitor records: a mapping with pointers into nested JSON") {
    Source s(mapping(R"({"id": "/meta/id", "fields": {"x": "/sensor/x", "e": "/tags/0"}})"));
    const auto v = s.feed(
        {R"({"meta": {"id": 7}, "sensor": {"x": 3}, "n": 1, "b": false, "tags": ["green"], "extra": 1})"});
    CHECK(v == std::vector<std::string>{"ok"});
    CHECK(s.out.records[0].id == "7");
    CHECK(s.out.records[0].values[3].index == 1);
    Source strict(mapping(R"({"unknown_fields": "error", "fields": {"x": "/sensor/x"}})"));
    CHECK(strict.feed({R"({"sensor": {"x": 3}, "n": 1, "b": false, "e": "red", "extra": 1})"}) ==
          std::vector<std::string>{"E0834"});
}

TEST_CASE("monitor records: OpenTelemetry spans flattened per episode") {
    Source s(mapping(R"({"spans": {"episode": "conv", "max_spans": 4}, "fields": {
        "n": {"count": {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "refund"}},
        "b": {"exists": {"@name": "ledger"}},
        "x": {"select": {"gen_ai.tool.name": "refund"}, "argument": "/amount", "pick": "last", "default": 0},
        "e": {"select": {"gen_ai.operation.name": "invoke_agent"}, "attribute": "colour", "pick": "only"}}})"));
    auto attr = [](const char *k, const char *v) {
        return std::string("{\"key\": \"") + k + "\", \"value\": {\"stringValue\": " + v + "}}";
    };
    const std::string agent1 =
        "{\"name\": \"invoke_agent\", \"attributes\": [" + attr("conv", "\"c1\"") + ", " +
        attr("gen_ai.operation.name", "\"invoke_agent\"") + ", " + attr("colour", "\"red\"") + "]}";
    const std::string tool1 =
        "{\"name\": \"execute_tool refund\", \"attributes\": [" + attr("conv", "\"c1\"") + ", " +
        attr("gen_ai.operation.name", "\"execute_tool\"") + ", " +
        attr("gen_ai.tool.name", "\"refund\"") + ", " +
        attr("gen_ai.tool.call.arguments", "\"{\\\"amount\\\": 12.5}\"") + "]}";
    // Episode c2: attributes as a plain object, inside an OTLP export request, twice agent.
    const std::string c2 = R"({"resourceSpans": [{"scopeSpans": [{"spans": [
        {"name": "invoke_agent", "attributes": {"conv": "c2", "gen_ai.operation.name": "invoke_agent", "colour": "green"}},
        {"name": "ledger", "attributes": {"conv": "c2"}}]}]}]})";
    const std::string c3 =
        R"({"name": "invoke_agent", "attributes": {"conv": "c3", "gen_ai.operation.name": "invoke_agent", "colour": "green"}})";
    const std::string c4 = R"({"name": "ledger", "attributes": {"conv": "c4"}})";
    const auto v =
        s.feed({agent1, tool1, tool1, c2, c3, c3, c4, c4, c4, c4, c4, R"({"name": "no key"})"});
    // c1 ok (2 refunds, amount 12.5); c2 ok (no tool call: default 0); c3 two agent spans: E0838;
    // c4 five spans > max 4: E0839 after the keyless span's E0833; c4 lacks `e`.
    CHECK(v == std::vector<std::string>{"ok", "ok", "E0838", "E0833", "E0839"});
    REQUIRE(s.out.records.size() == 2);
    CHECK(s.out.records[0].id == "c1");
    CHECK(s.out.records[0].values[1].number == q("2"));
    CHECK(s.out.records[0].values[0].text == "12.5");
    CHECK(s.out.records[0].values[2].boolean == false);
    CHECK(s.out.records[1].values[0].number == q("0"));
    CHECK(s.out.records[1].values[2].boolean == true);
    CHECK(s.out.records[1].line == 4);
}

TEST_CASE("monitor line reader: bounded lines, CRLF, a last line without newline") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::string data =
        "a\r\n" + std::string(assure::monitor::LineReader::kMaxLine + 10, 'x') + "\nb\nlast";
    // The pipe's buffer is smaller than the data: a writer child feeds it.
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        std::size_t off = 0;
        while (off < data.size()) {
            const ssize_t n = ::write(fds[1], data.data() + off, data.size() - off);
            if (n <= 0) {
                _exit(1);
            }
            off += static_cast<std::size_t>(n);
        }
        _exit(0);
    }
    ::close(fds[1]);
    assure::monitor::LineReader reader(fds[0]);
    std::string_view line;
    std::uint64_t number = 0;
    std::string error;
    using S = assure::monitor::LineReader::Status;
    std::vector<std::pair<S, std::string>> got;
    for (S st; (st = reader.next(line, number, error)) != S::End;) {
        REQUIRE(st != S::Error);
        got.emplace_back(st, st == S::Line ? std::string(line) : std::string());
    }
    ::close(fds[0]);
    std::vector<std::pair<S, std::string>> want = {
        {S::Line, "a"}, {S::TooLong, ""}, {S::Line, "b"}, {S::Line, "last"}};
    std::string shown;
    for (const auto &[st, text] : got) {
        shown += std::to_string(static_cast<int>(st)) + ":" + text.substr(0, 20) + " ";
    }
    CHECK_MESSAGE(got == want, shown);
    CHECK(number == 4);
}
