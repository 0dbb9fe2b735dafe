// SPDX-License-Identifier: Apache-2.0
#include "solver/optimize.hpp"

#include <doctest/doctest.h>

using assure::solver::Circuit;
using assure::solver::Verdict;

TEST_CASE("optimize: the cheapest choices that satisfy an any-of and an at-least") {
    Circuit c;
    const auto a = c.choice("5");
    const auto b = c.choice("2");
    const auto d = c.choice("2");
    const auto e = c.choice("1.5");
    // (a or (b and d)) and at_least 2 of {b, d, e}
    c.require(c.any({a, c.all({b, d})}));
    c.require(c.at_least(2, {b, d, e}));
    const auto plan = assure::solver::minimize(c, {});
    REQUIRE(plan.verdict == Verdict::Sat);
    CHECK(plan.optimal);
    CHECK(plan.chosen == std::vector<std::uint32_t>{b, d}); // 4, against a + e + one = 8.5
}

TEST_CASE("optimize: no plan when a required node is constant false") {
    Circuit c;
    const auto a = c.choice("1");
    c.require(c.all({a, c.negate(c.constant(true))}));
    CHECK(assure::solver::minimize(c, {}).verdict == Verdict::Unsat);
}
