// SPDX-License-Identifier: Apache-2.0
#include "../testing.hpp"
#include "lower/constraints.hpp"
#include "solver/session.hpp"

#include <cstdlib>
#include <doctest/doctest.h>

using assure::ir::Query;
using assure::ir::TermOp;
using assure::solver::Verdict;

namespace {

/// These tests are about the Z3 encoding: box queries would otherwise be decided by cell
/// enumeration (test_cells.cpp).
const assure::solver::SolveOptions kZ3Only{.cells = false};

const char *kShip = "domain Ocean {\n"
                    "  visibility : real [0, 20000] unit \"m\"\n"
                    "  light : enum { day, dusk, night }\n"
                    "  sea_state : int [0, 9]\n"
                    "  glare : bool\n"
                    "}\n";

/// The constraint of every odd of `text`, in declaration order.
struct Odds {
    assure::testing::Checked checked;
    std::unique_ptr<assure::lower::ConstraintBuilder> builder;
    std::vector<assure::ir::TermId> terms;
};

Odds odds(const std::string &text) {
    Odds o{assure::testing::check(text), nullptr, {}};
    REQUIRE(o.checked.diags.error_count() == 0);
    o.builder =
        std::make_unique<assure::lower::ConstraintBuilder>(o.checked.program, *o.checked.sources);
    for (const auto &odd : o.checked.program.odds) {
        const auto t = o.builder->region(odd.region);
        REQUIRE(t.has_value());
        o.terms.push_back(*t);
    }
    return o;
}

double number(const std::string &s) {
    return std::strtod(s.c_str(), nullptr);
}

} // namespace

TEST_CASE("solver: a region empty only by arithmetic is found empty") {
    auto o = odds(std::string(kShip) + "odd R = Ocean where sea_state * 2 + 1 > 19\n"
                                       "claim G \"g\" { scope: R undeveloped }\n");
    assure::solver::Session s(o.builder->model(), kZ3Only);
    const auto out = s.check(Query{"R is not empty", {o.terms[0]}, {}});
    CHECK(out.verdict == Verdict::Unsat); // sea_state <= 9 gives at most 19
}

TEST_CASE("solver: a cover gap comes back as a concrete operating point") {
    auto o = odds(std::string(kShip) + "odd Parent = Ocean where visibility >= 200\n"
                                       "odd Fog = Ocean where visibility in [200, 1000)\n"
                                       "odd Clear = Ocean where visibility >= 1500\n"
                                       "claim G \"g\" { scope: Parent undeveloped }\n"
                                       "claim F \"f\" { scope: Fog undeveloped }\n"
                                       "claim C \"c\" { scope: Clear undeveloped }\n");
    auto &m = o.builder->model();
    const auto covered = m.apply(TermOp::Or, {o.terms[1], o.terms[2]});
    const auto gap = m.apply(TermOp::Not, {covered});
    assure::solver::Session s(m, kZ3Only);
    const auto out =
        s.check(Query{"a point of Parent outside Fog and Clear", {o.terms[0], gap}, {}});
    REQUIRE(out.verdict == Verdict::Sat);
    REQUIRE(out.model.has_value());
    REQUIRE(out.model->values.size() == 1);
    const double v = number(out.model->values[0].second);
    CHECK(v >= 1000);
    CHECK(v < 1500);
    const std::string point = assure::solver::format_point(m, *out.model);
    CHECK(point.rfind("visibility = ", 0) == 0);
    CHECK(point.size() > 2);
    CHECK(point.substr(point.size() - 2) == " m");
}

TEST_CASE("solver: enum and bool values decode to their names") {
    auto o =
        odds(std::string(kShip) +
             "odd A = Ocean where light in {day, dusk} and light != day and glare\n"
             "odd B = Ocean where light in {day, dusk} and light != day and light != dusk\n"
             "claim G \"g\" { scope: A undeveloped }\nclaim H \"h\" { scope: B undeveloped }\n");
    assure::solver::Session s(o.builder->model(), kZ3Only);
    const auto a = s.check(Query{"A is not empty", {o.terms[0]}, {}});
    REQUIRE(a.verdict == Verdict::Sat);
    CHECK(assure::solver::format_point(o.builder->model(), *a.model) ==
          "light = dusk, glare = true");
    CHECK(s.check(Query{"B is not empty", {o.terms[1]}, {}}).verdict == Verdict::Unsat);
}

TEST_CASE("solver: exact decimals, exponents and real division") {
    auto o = odds(std::string(kShip) +
                  "odd R = Ocean where visibility * 3 == 1e3 and visibility / 2 > 166.66\n"
                  "claim G \"g\" { scope: R undeveloped }\n");
    assure::solver::Session s(o.builder->model(), kZ3Only);
    const auto out = s.check(Query{"R is not empty", {o.terms[0]}, {}});
    REQUIRE(out.verdict == Verdict::Sat);
    CHECK(out.model->values[0].second == "~333.333333"); // 1000/3 has no finite decimal
}

TEST_CASE("solver: a resource limit gives unknown, never sat or unsat") {
    auto o = odds(std::string(kShip) +
                  "odd R = Ocean where visibility * visibility * visibility - 7 * visibility * "
                  "visibility + sea_state * visibility == 3.25 and visibility > 1\n"
                  "claim G \"g\" { scope: R undeveloped }\n");
    assure::solver::SolveOptions opts;
    opts.rlimit = 1;
    opts.cells = false;
    assure::solver::Session s(o.builder->model(), opts);
    const auto out = s.check(Query{"R is not empty", {o.terms[0]}, {}});
    CHECK(out.verdict == Verdict::Unknown);
    CHECK(!out.unknown_reason.empty());
    CHECK(!out.model.has_value());
}

TEST_CASE("solver: the SMT-LIB script states its purpose and can be replayed") {
    auto o = odds(std::string(kShip) + "odd R = Ocean where sea_state > 3 and light == night\n"
                                       "claim G \"g\" { scope: R undeveloped }\n");
    assure::solver::Session s(o.builder->model(), kZ3Only);
    const std::string text = s.smt2(Query{"R is not empty", {o.terms[0]}, {}});
    CHECK(text.rfind("; R is not empty\n", 0) == 0);
    CHECK(text.find("(check-sat)") != std::string::npos);
    CHECK(text.find("Ocean_sea_state") != std::string::npos);
}

TEST_CASE("solver: every assertion of the SMT-LIB script is named after its header line") {
    auto o = odds(std::string(kShip) + "odd R = Ocean where sea_state > 3 and light == night\n"
                                       "claim G \"g\" { scope: R undeveloped }\n");
    assure::solver::Session s(o.builder->model(), kZ3Only);
    Query q{"R is not empty", {o.terms[0], o.builder->model().constant(true)}, {"scope of R"}};
    q.names = {"scope_R", "scope_R"};
    const std::string text = s.smt2(q);
    // The bounds of sea_state (light, an enum, has none), then the two assertions, the second
    // name made unique; `true` is written too, never dropped.
    CHECK(text.find("; [bounds_Ocean_sea_state] the bounds of Ocean.sea_state") !=
          std::string::npos);
    CHECK(text.find("; [scope_R] scope of R\n") != std::string::npos);
    CHECK(text.find("; [scope_R_2]\n") != std::string::npos);
    CHECK(text.find(":named bounds_Ocean_sea_state))") != std::string::npos);
    CHECK(text.find(":named scope_R))") != std::string::npos);
    CHECK(text.find("(assert (! true\n   :named scope_R_2))") != std::string::npos);
    std::size_t asserts = 0;
    for (auto at = text.find("(assert"); at != std::string::npos;
         at = text.find("(assert", at + 1)) {
        ++asserts;
    }
    CHECK(asserts == 3);
    CHECK(text.find("(get-model)") == std::string::npos);
    q.show_model = true;
    CHECK(s.smt2(q).find("(check-sat)\n(get-model)\n") != std::string::npos);
}
