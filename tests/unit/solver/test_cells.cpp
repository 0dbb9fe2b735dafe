// SPDX-License-Identifier: Apache-2.0
// The cell-enumeration procedure against Z3: on random box queries both must give the same
// verdict, every model cells reports must satisfy the query (Z3 checks it), and every core
// must be unsat and minimal (Z3 checks that too).
#include "ir/constraints.hpp"
#include "solver/cells.hpp"
#include "solver/session.hpp"

#include <doctest/doctest.h>
#include <functional>
#include <random>
#include <string>
#include <vector>

using assure::ir::ConstraintModel;
using assure::ir::Query;
using assure::ir::Term;
using assure::ir::TermId;
using assure::ir::TermOp;
using assure::ir::Var;
using assure::ir::VarSort;
using assure::solver::Verdict;

namespace {

const assure::solver::SolveOptions kZ3Only{.cells = false};

/// x : real [-10, 10], n : int [0, 9], c : enum {a, b, c}, g : bool, y : real [0, 0.5].
ConstraintModel domain() {
    ConstraintModel m;
    auto var = [&](const char *name, VarSort sort, const char *lo, const char *hi,
                   std::vector<std::string> values) {
        Var v;
        v.name = name;
        v.domain = "D";
        v.sort = sort;
        v.lo = lo;
        v.hi = hi;
        v.values = std::move(values);
        m.vars.push_back(std::move(v));
    };
    var("x", VarSort::Real, "-10", "10", {});
    var("n", VarSort::Int, "0", "9", {});
    var("c", VarSort::Enum, "", "", {"a", "b", "c"});
    var("g", VarSort::Bool, "", "", {});
    var("y", VarSort::Real, "0", "0.5", {});
    return m;
}

TermId number(ConstraintModel &m, const std::string &text) {
    if (text[0] == '-') {
        const TermId k = m.add(Term{TermOp::Number, 0, 0, text.substr(1), {}, {}});
        return m.apply(TermOp::Neg, {k});
    }
    return m.add(Term{TermOp::Number, 0, 0, text, {}, {}});
}

TermId variable(ConstraintModel &m, std::uint32_t id) {
    return m.add(Term{TermOp::Var, id, 0, {}, {}, {}});
}

class Gen {
  public:
    Gen(ConstraintModel &m, unsigned seed) : m_(m), rng_(seed) {}

    TermId formula(int depth) {
        const int pick = depth <= 0 ? 0 : roll(8);
        switch (pick) {
        case 0:
        case 1:
        case 2:
            return atom();
        case 3:
            return m_.apply(TermOp::Not, {formula(depth - 1)});
        case 4:
        case 5: {
            std::vector<TermId> kids;
            const int n = 1 + roll(3);
            for (int idx = 0; idx < n; ++idx) {
                kids.push_back(formula(depth - 1));
            }
            return m_.apply(roll(2) == 0 ? TermOp::And : TermOp::Or, std::move(kids));
        }
        case 6:
            return m_.apply(TermOp::Implies, {formula(depth - 1), formula(depth - 1)});
        default:
            return m_.apply(roll(2) == 0 ? TermOp::Eq : TermOp::Ne,
                            {formula(depth - 1), formula(depth - 1)});
        }
    }

  private:
    int roll(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

    TermOp cmp() {
        static const TermOp ops[] = {TermOp::Eq, TermOp::Ne, TermOp::Lt,
                                     TermOp::Le, TermOp::Gt, TermOp::Ge};
        return ops[roll(6)];
    }

    TermId atom() {
        static const char *reals[] = {"-10", "-3", "-2.5", "0", "0.1", "1e1", "2.5", "7.25", "11"};
        static const char *ints[] = {"0", "1", "2.5", "4", "5", "8.9", "9", "-1"};
        static const char *halves[] = {"0", "0.1", "0.25", "0.3", "0.5", "5e-1"};
        switch (roll(7)) {
        case 0:
        case 1: {
            const TermId v = variable(m_, 0);
            const TermId k = number(m_, reals[roll(9)]);
            return roll(2) == 0 ? m_.apply(cmp(), {v, k}) : m_.apply(cmp(), {k, v});
        }
        case 2: {
            const TermId v = variable(m_, 1);
            const TermId k = number(m_, ints[roll(8)]);
            return roll(2) == 0 ? m_.apply(cmp(), {v, k}) : m_.apply(cmp(), {k, v});
        }
        case 3: {
            const TermId v = variable(m_, 4);
            return m_.apply(cmp(), {v, number(m_, halves[roll(6)])});
        }
        case 4: {
            const TermId v = variable(m_, 2);
            const TermId k =
                m_.add(Term{TermOp::EnumVal, 2, static_cast<std::uint32_t>(roll(3)), {}, {}, {}});
            return m_.apply(roll(2) == 0 ? TermOp::Eq : TermOp::Ne, {v, k});
        }
        case 5:
            return variable(m_, 3);
        default:
            return m_.constant(roll(4) != 0);
        }
    }

    ConstraintModel &m_;
    std::mt19937 rng_;
};

/// `var == value` for a model value, as a term.
TermId pin(ConstraintModel &m, std::uint32_t id, const std::string &value) {
    const Var &v = m.vars[id];
    switch (v.sort) {
    case VarSort::Real:
    case VarSort::Int:
        return m.apply(TermOp::Eq, {variable(m, id), number(m, value)});
    case VarSort::Bool:
        return m.apply(TermOp::Eq, {variable(m, id), m.constant(value == "true")});
    case VarSort::Enum:
        for (std::uint32_t idx = 0; idx < v.values.size(); ++idx) {
            if (v.values[idx] == value) {
                return m.apply(TermOp::Eq, {variable(m, id),
                                            m.add(Term{TermOp::EnumVal, id, idx, {}, {}, {}})});
            }
        }
        break;
    }
    FAIL("unknown value " << value);
    return 0;
}

} // namespace

TEST_CASE("cells: agrees with Z3 on random box queries; models satisfy, cores are minimal") {
    ConstraintModel m = domain();
    Gen gen(m, 20261123);
    std::vector<Query> queries;
    for (int q = 0; q < 1500; ++q) {
        Query query;
        const int n = 1 + q % 4;
        for (int idx = 0; idx < n; ++idx) {
            query.assertions.push_back(gen.formula(3));
        }
        queries.push_back(std::move(query));
    }
    // Terms for pins are added below, so the Z3 session sees a model that grows; it reads terms
    // by id at each check.
    assure::solver::Session z3(m, kZ3Only);
    int sat = 0;
    int unsat = 0;
    for (std::size_t q = 0; q < queries.size(); ++q) {
        CAPTURE(q);
        const auto cells = assure::solver::decide_by_cells(m, queries[q]);
        REQUIRE(cells.has_value());
        CHECK(cells->decided_by == assure::solver::Decider::Cells);
        const auto reference = z3.check(queries[q]);
        REQUIRE(reference.verdict != Verdict::Unknown);
        REQUIRE(cells->verdict == reference.verdict);
        if (cells->verdict == Verdict::Sat) {
            ++sat;
            REQUIRE(cells->model.has_value());
            Query pinned = queries[q];
            for (const auto &[id, value] : cells->model->values) {
                pinned.assertions.push_back(pin(m, id, value));
            }
            CHECK(z3.check(pinned).verdict == Verdict::Sat);
        } else {
            ++unsat;
            Query core;
            for (std::size_t k : cells->core) {
                core.assertions.push_back(queries[q].assertions[k]);
            }
            CHECK(z3.check(core).verdict == Verdict::Unsat);
            for (std::size_t drop = 0; drop < cells->core.size(); ++drop) {
                Query smaller;
                for (std::size_t k = 0; k < cells->core.size(); ++k) {
                    if (k != drop) {
                        smaller.assertions.push_back(queries[q].assertions[cells->core[k]]);
                    }
                }
                CHECK(z3.check(smaller).verdict == Verdict::Sat);
            }
        }
    }
    // The generator must exercise both answers.
    CHECK(sat > 200);
    CHECK(unsat > 200);
}

TEST_CASE("cells: the reported point is the least one, with readable values") {
    ConstraintModel m = domain();
    // x >= 2.5 and x != 2.5 and n > 3.5 and c != a: least point x = 3 (smallest integer of the
    // gap after 2.5), n = 4, c = b.
    const TermId x = variable(m, 0);
    const TermId n = variable(m, 1);
    const TermId c = variable(m, 2);
    Query q{"",
            {m.apply(TermOp::Ge, {x, number(m, "2.5")}), m.apply(TermOp::Ne, {x, number(m, "2.5")}),
             m.apply(TermOp::Gt, {n, number(m, "3.5")}),
             m.apply(TermOp::Ne, {c, m.add(Term{TermOp::EnumVal, 2, 0, {}, {}, {}})})},
            {}};
    const auto out = assure::solver::decide_by_cells(m, q);
    REQUIRE(out.has_value());
    REQUIRE(out->verdict == Verdict::Sat);
    CHECK(assure::solver::format_point(m, *out->model) == "x = 3, n = 4, c = b");
    // A gap with no integer in it: its midpoint.
    const TermId y = variable(m, 4);
    Query half{
        "",
        {m.apply(TermOp::Gt, {y, number(m, "0.25")}), m.apply(TermOp::Lt, {y, number(m, "0.3")})},
        {}};
    const auto mid = assure::solver::decide_by_cells(m, half);
    REQUIRE(mid.has_value());
    CHECK(mid->model->values[0].second == "0.275");
}

TEST_CASE("cells: queries outside the box fragment are left to Z3") {
    ConstraintModel m = domain();
    const TermId x = variable(m, 0);
    const TermId n = variable(m, 1);
    // Arithmetic, and a comparison of two variables.
    Query sum{"", {m.apply(TermOp::Gt, {m.apply(TermOp::Add, {x, n}), number(m, "3")})}, {}};
    Query two{"", {m.apply(TermOp::Lt, {x, n})}, {}};
    CHECK_FALSE(assure::solver::decide_by_cells(m, sum).has_value());
    CHECK_FALSE(assure::solver::decide_by_cells(m, two).has_value());
    // A constant beyond the exact arithmetic.
    Query huge{"", {m.apply(TermOp::Lt, {x, number(m, "123456789012345678901234567890123")})}, {}};
    CHECK_FALSE(assure::solver::decide_by_cells(m, huge).has_value());
    // With a session, Z3 answers them.
    assure::solver::Session s(m, {});
    const auto out = s.check(sum);
    CHECK(out.verdict == Verdict::Sat);
    CHECK(out.decided_by == assure::solver::Decider::Z3);
}

TEST_CASE("cells: an empty range has no point") {
    ConstraintModel m = domain();
    m.vars[0].lo = "5";
    m.vars[0].hi = "1";
    Query q{"", {m.apply(TermOp::Ge, {variable(m, 0), number(m, "0")})}, {}};
    const auto out = assure::solver::decide_by_cells(m, q);
    REQUIRE(out.has_value());
    CHECK(out->verdict == Verdict::Unsat);
    CHECK(out->core.empty()); // the bounds alone contradict each other
}

// Rule instances (src/prove/rule_ground.cpp) are ground: numbers, sums, products and `ite` over
// ground conditions, with no variable. Cells must decide them exactly, and as Z3 does.
TEST_CASE("cells: ground arithmetic of rule instances agrees with Z3") {
    std::mt19937 rng(7);
    const std::vector<std::string> numbers = {"0",     "1",     "2",   "3.5",   "-4",
                                              "0.1",   "0.2",   "0.3", "10",    "1e3",
                                              "-0.25", "20454", "7",   "99999", "2.0"};
    const std::vector<TermOp> cmps = {TermOp::Eq, TermOp::Ne, TermOp::Lt,
                                      TermOp::Le, TermOp::Gt, TermOp::Ge};
    for (int round = 0; round < 300; ++round) {
        ConstraintModel m;
        std::function<TermId(int)> num;
        std::function<TermId(int)> cond = [&](int depth) {
            const auto op = cmps[rng() % cmps.size()];
            TermId c = m.apply(op, {num(depth - 1), num(depth - 1)});
            return rng() % 4 == 0 ? m.apply(TermOp::Not, {c}) : c;
        };
        num = [&](int depth) -> TermId {
            if (depth <= 0 || rng() % 3 == 0) {
                return number(m, numbers[rng() % numbers.size()]);
            }
            switch (rng() % 5) {
            case 0:
                return m.apply(TermOp::Add, {num(depth - 1), num(depth - 1)});
            case 1:
                return m.apply(TermOp::Sub, {num(depth - 1), num(depth - 1)});
            case 2:
                return m.apply(TermOp::Mul, {num(depth - 1), num(depth - 1)});
            case 3:
                return m.apply(TermOp::Neg, {num(depth - 1)});
            default:
                return m.apply(TermOp::Ite, {cond(depth - 1), num(depth - 1), num(depth - 1)});
            }
        };
        Query q{"", {cond(4), rng() % 2 == 0 ? cond(3) : m.constant(true)}, {}};
        const auto cells = assure::solver::decide_by_cells(m, q);
        REQUIRE(cells.has_value()); // no variable, no quotient: always in the fragment
        assure::solver::Session z3(m, kZ3Only);
        const auto out = z3.check(q);
        REQUIRE(out.verdict != Verdict::Unknown);
        CHECK(cells->verdict == out.verdict);
    }
    // 0.1 + 0.2 == 0.3 exactly (not in binary floating point).
    ConstraintModel m;
    const TermId sum = m.apply(TermOp::Add, {number(m, "0.1"), number(m, "0.2")});
    Query exact{"", {m.apply(TermOp::Eq, {sum, number(m, "0.3")})}, {}};
    const auto out = assure::solver::decide_by_cells(m, exact);
    REQUIRE(out.has_value());
    CHECK(out->verdict == Verdict::Sat);
    // A quotient is left to Z3.
    Query quotient{"",
                   {m.apply(TermOp::Eq, {m.apply(TermOp::Div, {number(m, "1"), number(m, "3")}),
                                         number(m, "0.3")})},
                   {}};
    CHECK_FALSE(assure::solver::decide_by_cells(m, quotient).has_value());
}

TEST_CASE("cells: large `in` sets are decided, as Z3 decides them") {
    // `c in {...}` is an `or` of one equality per member; cells merges the members into one
    // table per variable (it kept a table of every value per member: 20,000 members of a
    // 20,000-value enum took 26 s and 450 MB).
    ConstraintModel m;
    Var c;
    c.name = "c";
    c.domain = "D";
    c.sort = VarSort::Enum;
    for (int idx = 0; idx < 3000; ++idx) {
        c.values.push_back("v" + std::to_string(idx));
    }
    m.vars.push_back(c);
    Var k;
    k.name = "k";
    k.domain = "D";
    k.sort = VarSort::Int;
    k.lo = "0";
    k.hi = "100000";
    m.vars.push_back(k);
    std::mt19937 rng(13);
    auto set = [&](std::uint32_t var, int members, bool negated) {
        std::vector<TermId> alts;
        for (int idx = 0; idx < members; ++idx) {
            const auto pick = static_cast<std::uint32_t>(rng() % 3000);
            const TermId value = var == 0 ? m.add(Term{TermOp::EnumVal, 0, pick, {}, {}, {}})
                                          : number(m, std::to_string(pick * 7));
            alts.push_back(m.apply(TermOp::Eq, {variable(m, var), value}));
        }
        const TermId in = m.apply(TermOp::Or, std::move(alts));
        return negated ? m.apply(TermOp::Not, {in}) : in;
    };
    assure::solver::Session z3(m, kZ3Only);
    int sat = 0;
    for (int q = 0; q < 12; ++q) {
        CAPTURE(q);
        Query query;
        const TermId cs = set(0, 2500, false);
        query.assertions.push_back(
            m.apply(TermOp::And, {cs, set(0, 2500, q % 3 == 0), set(1, 2000, false)}));
        query.assertions.push_back(set(1, 2000, q % 2 == 0));
        if (q % 4 == 3) {
            query.assertions.push_back(m.apply(TermOp::Not, {cs})); // unsat
        }
        const auto cells = assure::solver::decide_by_cells(m, query);
        REQUIRE(cells.has_value());
        const auto reference = z3.check(query);
        REQUIRE(cells->verdict == reference.verdict);
        if (cells->verdict == Verdict::Sat) {
            ++sat;
            Query pinned = query;
            for (const auto &[id, value] : cells->model->values) {
                pinned.assertions.push_back(pin(m, id, value));
            }
            CHECK(z3.check(pinned).verdict == Verdict::Sat);
        }
    }
    CHECK(sat > 0);
    CHECK(sat < 12);
}
