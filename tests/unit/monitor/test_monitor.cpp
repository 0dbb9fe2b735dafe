// SPDX-License-Identifier: Apache-2.0
// The monitor's judgement of records on small proved cases: violations need the scope and the
// relied-on assumptions, undecided on a division by zero, the envelope and the nearest claim,
// and the choice of domain and odd.
#include "../testing.hpp"
#include "monitor/monitor.hpp"
#include "prove/prove.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <string>
#include <vector>

using assure::monitor::Envelope;
using assure::monitor::Nearest;

namespace {

struct Monitored {
    assure::testing::Checked checked;
    assure::lower::Lowered lowered;
    assure::prove::ProofResult result;
    std::unique_ptr<assure::monitor::Monitor> monitor;
    std::optional<assure::monitor::RecordSource> source;

    /// Judges one flat JSON record (which must be well formed).
    assure::monitor::Verdict judge(const std::string &line) {
        assure::monitor::RecordSource::Output out;
        source->line(1, line, out);
        REQUIRE_MESSAGE(out.records.size() == 1,
                        (out.errors.empty() ? std::string("no record") : out.errors[0].message));
        return monitor->judge(out.records[0]);
    }
    std::string claim(std::uint32_t idx) const { return monitor->claims()[idx].name; }
    std::vector<std::string> names(const std::vector<std::uint32_t> &idx) const {
        std::vector<std::string> out;
        for (auto i : idx) {
            out.push_back(claim(i));
        }
        return out;
    }
};

std::unique_ptr<Monitored> monitored(const std::string &text) {
    auto m = std::make_unique<Monitored>();
    m->checked = assure::testing::check(text);
    REQUIRE(m->checked.diags.error_count() == 0);
    m->lowered = assure::lower::lower_graph(m->checked.program);
    assure::prove::ProveOptions options;
    options.date = {2026, 6, 15};
    m->result = assure::prove::prove(m->checked.program, m->lowered, *m->checked.sources, options);
    std::string error;
    const auto setup = assure::monitor::choose_setup(m->checked.program, "", "", error);
    REQUIRE_MESSAGE(setup.has_value(), error);
    m->monitor = std::make_unique<assure::monitor::Monitor>(m->checked.program, *m->checked.sources,
                                                            m->result, *setup);
    m->source = assure::monitor::RecordSource::make(m->checked.program, setup->domain,
                                                    assure::monitor::flat_mapping(),
                                                    m->monitor->required(), error);
    REQUIRE(m->source.has_value());
    return m;
}

const char *kCase = R"(module m
domain D {
    x : real [0, 100]
    y : real [0, 100]
    z : int [0, 3]
    k : enum { a, b, c }
}
odd O = D where x >= 10
evidence E "e" { kind: test result: pass }
evidence Old "old" { kind: test result: pass valid_until: 2026-01-01 }
claim G "top" { }
strategy S "s" for G { supported_by: G_ab, G_c, G_ratio, G_old }
claim G_ab "ab" {
    scope: O where k in {a, b}
    formal: y <= x
    supported_by: E
}
assumption A "z is quiet" for G_ab { formal: z == 0 }
claim G_c "c" {
    scope: O where k == c and y < 50
    supported_by: E
}
claim G_ratio "ratio" {
    scope: O where k == c and y >= 50 and z >= 1
    formal: x / (z - 1) <= 100
    supported_by: E
}
claim G_old "old" {
    scope: O where k == c and y >= 50 and z == 0
    supported_by: Old
}
)";

} // namespace

TEST_CASE("monitor: a violation needs the scope and the assumptions the support relies on") {
    auto m = monitored(kCase);
    auto v = m->judge(R"({"x": 20, "y": 30, "z": 0, "k": "a"})");
    REQUIRE(v.violations.size() == 1);
    CHECK(m->claim(v.violations[0].claim) == "m.G_ab");
    // A claim the record violates does not assure it: it is the nearest claim, and why.
    CHECK(v.envelope == Envelope::Unassured);
    REQUIRE(v.nearest.has_value());
    CHECK(v.nearest->why == Nearest::Why::Violated);
    // The assumption fails: no violation (the argument says nothing there), and not assured.
    v = m->judge(R"({"x": 20, "y": 30, "z": 2, "k": "a"})");
    CHECK(v.violations.empty());
    CHECK(v.envelope == Envelope::Unassured);
    REQUIRE(v.nearest.has_value());
    CHECK(m->claim(v.nearest->claim) == "m.G_ab");
    CHECK(v.nearest->why == Nearest::Why::AssumptionFails);
    // Outside the scope (and the ODD): no violation.
    v = m->judge(R"({"x": 5, "y": 30, "z": 0, "k": "a"})");
    CHECK(v.violations.empty());
    CHECK(v.envelope == Envelope::OutsideOdd);
    REQUIRE(v.odd_failed.size() == 1);
    CHECK(m->monitor->conditions()[v.odd_failed[0]].text == "x >= 10");
    // Nominal: in scope, assumption holds, statement true.
    v = m->judge(R"({"x": 20, "y": 10, "z": 0, "k": "b"})");
    CHECK(v.nominal());
    CHECK(m->names(v.assured_by) == std::vector<std::string>{"m.G_ab"});
}

TEST_CASE("monitor: a division by zero leaves the statement undecided, never a verdict") {
    auto m = monitored(kCase);
    auto v = m->judge(R"({"x": 20, "y": 60, "z": 1, "k": "c"})");
    CHECK(v.violations.empty());
    CHECK(m->names(v.undecided) == std::vector<std::string>{"m.G_ratio"});
    CHECK_FALSE(v.nominal());
    v = m->judge(R"({"x": 20, "y": 60, "z": 2, "k": "c"})");
    CHECK(v.undecided.empty());
    CHECK(v.violations.empty());
    CHECK(v.nominal());
}

TEST_CASE("monitor: the envelope's nearest claim") {
    auto m = monitored(kCase);
    // In the scope of the unsupported G_old: nearest, with its root cause.
    auto v = m->judge(R"({"x": 20, "y": 60, "z": 0, "k": "c"})");
    CHECK(v.envelope == Envelope::Unassured);
    REQUIRE(v.nearest.has_value());
    CHECK(m->claim(v.nearest->claim) == "m.G_old");
    CHECK(v.nearest->why == Nearest::Why::Unsupported);
    REQUIRE(!m->monitor->claims()[v.nearest->claim].causes.empty());
    CHECK(m->monitor->claims()[v.nearest->claim].causes[0].find("expired") != std::string::npos);
}

TEST_CASE("monitor: nearest by the fewest missed conditions, supported first on a tie") {
    auto m = monitored(R"(module n
domain D {
    x : real [0, 100]
    k : enum { a, b, c }
}
odd O = D where x >= 10
evidence E "e" { kind: test result: pass }
claim G "top" { }
strategy S "s" for G { supported_by: G_far, G_near, G_unsup }
claim G_far "far" { scope: O where k == a and x >= 90 supported_by: E }
claim G_unsup "unsupported" { scope: O where k == b undeveloped }
claim G_near "near" { scope: O where k == b supported_by: E }
)");
    // k = c, x = 20: G_far misses two conditions; G_unsup and G_near one each (k == b): the
    // supported G_near wins the tie although G_unsup is declared first.
    auto v = m->judge(R"({"x": 20, "k": "c"})");
    CHECK(v.envelope == Envelope::Unassured);
    REQUIRE(v.nearest.has_value());
    CHECK(m->claim(v.nearest->claim) == "n.G_near");
    CHECK(v.nearest->why == Nearest::Why::OutsideScope);
    REQUIRE(v.nearest->missed.size() == 1);
    CHECK(m->monitor->conditions()[v.nearest->missed[0]].text == "k == b");
    // JSON rendering: one line, keys in a fixed order.
    assure::monitor::Record r;
    r.line = 3;
    r.values.resize(2);
    const std::string json = assure::monitor::verdict_json(*m->monitor, r, v);
    CHECK(json.find('\n') == std::string::npos);
    CHECK(json.rfind(R"({"line":3,"domain":"n.D","verdict":"unassured")", 0) == 0);
}

TEST_CASE("monitor: choosing the domain and the odd") {
    auto two = assure::testing::check(R"(module t
domain A { x : real [0, 1] }
domain B { y : real [0, 1] }
odd OA1 = A where x >= 0.5
odd OA2 = A where x < 0.5
claim G1 "g1" { scope: A formal: x >= 0 undeveloped }
claim G2 "g2" { scope: B formal: y >= 0 undeveloped }
)");
    REQUIRE(two.diags.error_count() == 0);
    std::string error;
    CHECK_FALSE(assure::monitor::choose_setup(two.program, "", "", error).has_value());
    CHECK(error.find("several domains") != std::string::npos);
    CHECK_FALSE(assure::monitor::choose_setup(two.program, "A", "", error).has_value());
    CHECK(error.find("several odds") != std::string::npos);
    auto a = assure::monitor::choose_setup(two.program, "A", "OA2", error);
    REQUIRE(a.has_value());
    CHECK(two.program.qualified_name(a->odd) == "t.OA2");
    auto b = assure::monitor::choose_setup(two.program, "B", "", error);
    REQUIRE(b.has_value());
    CHECK_FALSE(b->odd.valid());
    CHECK_FALSE(assure::monitor::choose_setup(two.program, "B", "OA1", error).has_value());
    CHECK(error.find("not over domain") != std::string::npos);
    CHECK_FALSE(assure::monitor::choose_setup(two.program, "C", "", error).has_value());
}
