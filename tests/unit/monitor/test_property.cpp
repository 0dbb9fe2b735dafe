// SPDX-License-Identifier: Apache-2.0
// The monitor's evaluator against the solver (docs/monitor.md, "How it works"): on random
// operating points, for random formulas over every TermOp, for the formal statements of the
// shipped agent example and for the ship example's scopes and ODD, the evaluator's verdict
// equals the solver's answer to "does this point satisfy the statement?". The point is fixed
// by equalities in one query through solver::Session: a True verdict needs `point and not
// statement` to be unsat, a False one `point and statement`. An undecided verdict (a division
// by zero) is conservative: the solver must find at least one answer possible, and mostly
// finds both.
//
// CI size runs in a few seconds; ASSURE_TEST_SIZE=full runs ten times as many cases.
#include "../testing.hpp"
#include "monitor/eval.hpp"
#include "prove/prove.hpp"
#include "solver/session.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using assure::ir::TermId;
using assure::ir::TermOp;
using assure::monitor::Truth;
using assure::monitor::VarValue;
using Rng = std::mt19937;

int scale() {
    const char *size = std::getenv("ASSURE_TEST_SIZE");
    return size != nullptr && std::string(size) == "full" ? 10 : 1;
}

int pick(Rng &rng, int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng);
}

/// A decimal in [lo, hi] with up to two fraction digits (`int_only`: an integer).
std::string decimal_in(Rng &rng, int lo, int hi, bool int_only) {
    const int cents = std::uniform_int_distribution<int>(lo * 100, hi * 100)(rng);
    if (int_only || pick(rng, 3) == 0) {
        return std::to_string(cents / 100);
    }
    const int whole = cents / 100;
    const int frac = std::abs(cents % 100);
    std::string out = (cents < 0 && whole == 0 ? "-" : "") + std::to_string(whole) + "." +
                      (frac < 10 ? "0" : "") + std::to_string(frac);
    return out;
}

assure::solver::SolveOptions no_cells() {
    assure::solver::SolveOptions opts;
    opts.cells = false;
    return opts;
}

/// Equalities fixing every variable of `model` with a value in `point`.
std::vector<TermId> fix_point(assure::ir::ConstraintModel &model,
                              const std::vector<VarValue> &point) {
    std::vector<TermId> out;
    for (std::uint32_t v = 0; v < point.size(); ++v) {
        const VarValue &x = point[v];
        const TermId var = model.add({TermOp::Var, v, 0, {}, {}, {}});
        switch (x.kind) {
        case VarValue::Kind::Bool:
            out.push_back(x.boolean ? var : model.apply(TermOp::Not, {var}));
            break;
        case VarValue::Kind::Enum:
            out.push_back(model.apply(TermOp::Eq,
                                      {var, model.add({TermOp::EnumVal, v, x.index, {}, {}, {}})}));
            break;
        case VarValue::Kind::Number: {
            const bool neg = x.text[0] == '-';
            TermId num = model.add({TermOp::Number, 0, 0, neg ? x.text.substr(1) : x.text, {}, {}});
            if (neg) {
                num = model.apply(TermOp::Neg, {num});
            }
            out.push_back(model.apply(TermOp::Eq, {var, num}));
            break;
        }
        case VarValue::Kind::Absent:
            break;
        }
    }
    return out;
}

/// Undecided verdicts where the solver found only one answer possible [0] or both [1].
int undecided_both_possible[2] = {0, 0};

/// Checks the evaluator's truth of `term` at `point` against the solver. Returns the truth.
Truth agree(assure::ir::ConstraintModel &model, assure::solver::Session &session, TermId term,
            const std::vector<VarValue> &point) {
    assure::monitor::Program prog(model);
    const std::uint32_t slot = prog.add(term);
    prog.run(point);
    const Truth t = prog.truth(slot);
    const auto fixed = fix_point(model, point);
    auto ask = [&](TermId what) {
        assure::ir::Query q;
        q.purpose = "property";
        q.assertions = fixed;
        q.assertions.push_back(what);
        return session.check(q).verdict;
    };
    using assure::solver::Verdict;
    const Verdict holds = ask(term);
    const Verdict fails = ask(model.apply(TermOp::Not, {term}));
    INFO("term " << term);
    REQUIRE(holds != Verdict::Unknown);
    REQUIRE(fails != Verdict::Unknown);
    if (t == Truth::True) {
        CHECK(fails == Verdict::Unsat);
    } else if (t == Truth::False) {
        CHECK(holds == Verdict::Unsat);
    } else {
        // Undecided only through x/0, which the solver leaves free. The solver may still
        // decide the formula (`x/0 - x/0 == 0` holds whatever x/0 is): the evaluator is then
        // conservative, never wrong. At least one of the two must be possible.
        CHECK((holds == Verdict::Sat || fails == Verdict::Sat));
        ++undecided_both_possible[holds == Verdict::Sat && fails == Verdict::Sat ? 1 : 0];
    }
    return t;
}

struct Generator {
    assure::ir::ConstraintModel &model;
    Rng &rng;
    // vars: 0 real [-50, 50], 1 real [0, 10], 2 int [-5, 5], 3 int [0, 100], 4 bool,
    // 5 enum {a, b, c}
    TermId var(std::uint32_t v) { return model.add({TermOp::Var, v, 0, {}, {}, {}}); }
    TermId number() {
        std::string text = decimal_in(rng, 0, 20, pick(rng, 2) == 0);
        const TermId n = model.add({TermOp::Number, 0, 0, text, {}, {}});
        return pick(rng, 4) == 0 ? model.apply(TermOp::Neg, {n}) : n;
    }
    TermId num(int depth) {
        const int choice = depth <= 0 ? pick(rng, 2) : pick(rng, 9);
        switch (choice) {
        case 0:
            return var(static_cast<std::uint32_t>(pick(rng, 4)));
        case 1:
            return number();
        case 2:
            return model.apply(TermOp::Neg, {num(depth - 1)});
        case 3:
            return model.apply(TermOp::Add, {num(depth - 1), num(depth - 1)});
        case 4:
            return model.apply(TermOp::Sub, {num(depth - 1), num(depth - 1)});
        case 5:
            return model.apply(TermOp::Mul, {num(depth - 1), num(depth - 1)});
        case 6:
        case 7:
            // Often by a variable that may be zero at the point.
            return model.apply(
                TermOp::Div, {num(depth - 1), pick(rng, 2) == 0 ? var(static_cast<std::uint32_t>(2))
                                                                : num(depth - 1)});
        default:
            return model.apply(TermOp::Ite, {boolean(depth - 1), num(depth - 1), num(depth - 1)});
        }
    }
    TermId boolean(int depth) {
        const int choice = depth <= 0 ? pick(rng, 3) : pick(rng, 12);
        static const TermOp cmp[] = {TermOp::Eq, TermOp::Ne, TermOp::Lt,
                                     TermOp::Le, TermOp::Gt, TermOp::Ge};
        switch (choice) {
        case 0:
            return var(4);
        case 1:
            return model.apply(
                TermOp::Eq,
                {var(5),
                 model.add(
                     {TermOp::EnumVal, 5, static_cast<std::uint32_t>(pick(rng, 3)), {}, {}, {}})});
        case 2:
            return model.constant(pick(rng, 2) == 0);
        case 3:
        case 4:
        case 5:
            return model.apply(cmp[pick(rng, 6)], {num(depth - 1), num(depth - 1)});
        case 6:
            return model.apply(TermOp::Not, {boolean(depth - 1)});
        case 7:
        case 8: {
            std::vector<TermId> kids;
            const int n = 2 + pick(rng, 2);
            for (int k = 0; k < n; ++k) {
                kids.push_back(boolean(depth - 1));
            }
            return model.apply(pick(rng, 2) == 0 ? TermOp::And : TermOp::Or, kids);
        }
        case 9:
            return model.apply(TermOp::Implies, {boolean(depth - 1), boolean(depth - 1)});
        case 10:
            return model.apply(pick(rng, 2) == 0 ? TermOp::Eq : TermOp::Ne,
                               {boolean(depth - 1), boolean(depth - 1)});
        default:
            return model.apply(cmp[pick(rng, 6)], {num(depth - 1), number()});
        }
    }
};

assure::ir::Var make_var(const char *name, assure::ir::VarSort sort, const char *lo,
                         const char *hi) {
    assure::ir::Var v;
    v.name = name;
    v.domain = "D";
    v.sort = sort;
    v.lo = lo;
    v.hi = hi;
    if (sort == assure::ir::VarSort::Enum) {
        v.values = {"a", "b", "c"};
    }
    return v;
}

VarValue number_value(const std::string &text) {
    VarValue v;
    v.kind = VarValue::Kind::Number;
    v.text = text;
    v.number = *assure::monitor::Rational::parse(text);
    return v;
}

} // namespace

TEST_CASE("monitor property: the evaluator agrees with the solver on random formulas") {
    using assure::ir::VarSort;
    assure::ir::ConstraintModel model;
    model.vars = {
        make_var("r0", VarSort::Real, "-50", "50"), make_var("r1", VarSort::Real, "0", "10"),
        make_var("i0", VarSort::Int, "-5", "5"),    make_var("i1", VarSort::Int, "0", "100"),
        make_var("b0", VarSort::Bool, "", ""),      make_var("e0", VarSort::Enum, "", "")};
    Rng rng(20261123);
    Generator gen{model, rng};
    // One session for every query: it encodes terms as they are added to the model.
    assure::solver::Session session(model, no_cells());
    int counts[3] = {0, 0, 0};
    const int formulas = 1000 * scale();
    for (int f = 0; f < formulas; ++f) {
        const TermId term = gen.boolean(1 + pick(rng, 4));
        for (int r = 0; r < 3; ++r) {
            std::vector<VarValue> point(6);
            point[0] = number_value(decimal_in(rng, -50, 50, false));
            point[1] = number_value(decimal_in(rng, 0, 10, false));
            point[2] = number_value(std::to_string(pick(rng, 11) - 5));
            point[3] = number_value(std::to_string(pick(rng, 101)));
            point[4].kind = VarValue::Kind::Bool;
            point[4].boolean = pick(rng, 2) == 0;
            point[5].kind = VarValue::Kind::Enum;
            point[5].index = static_cast<std::uint32_t>(pick(rng, 3));
            ++counts[static_cast<int>(agree(model, session, term, point))];
        }
    }
    // Every verdict occurs, so none of the three comparisons is vacuous.
    CHECK(counts[0] > 0);
    CHECK(counts[1] > 0);
    CHECK(counts[2] > 0);
    // Most undecided verdicts are ones the solver cannot decide either.
    CHECK(undecided_both_possible[1] > undecided_both_possible[0]);
    MESSAGE("false " << counts[0] << ", true " << counts[1] << ", undecided " << counts[2] << " ("
                     << undecided_both_possible[0] << " of them decided by the solver)");
}

TEST_CASE("monitor property: the agent example's formal statements, evaluator vs solver") {
    const std::string path =
        std::string(ASSURE_SOURCE_DIR) + "/examples/agent-actions/refund-agent.assure";
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto checked = assure::testing::check_files({{path, ss.str()}});
    REQUIRE(checked.diags.error_count() == 0);
    const auto lowered = assure::lower::lower_graph(checked.program);
    assure::prove::ProveOptions options;
    options.date = {2026, 11, 23};
    auto result = assure::prove::prove(checked.program, lowered, *checked.sources, options);
    auto &cb = *result.constraints;
    std::vector<TermId> statements;
    for (const auto &c : checked.program.claims) {
        if (c.formal != assure::sema::kNone) {
            statements.push_back(*cb.expr(c.formal));
        }
    }
    for (const auto &a : checked.program.attachments) {
        if (a.formal != assure::sema::kNone) {
            statements.push_back(*cb.expr(a.formal));
        }
    }
    REQUIRE(statements.size() == 7); // six claims and the assumption A_api
    auto &model = cb.model();
    assure::solver::Session session(model, no_cells());
    Rng rng(7);
    int counts[3] = {0, 0, 0};
    const int points = 200 * scale();
    for (int p = 0; p < points; ++p) {
        std::vector<VarValue> point(model.vars.size());
        // Small ranges so that equalities between amounts and accounts happen often.
        for (std::uint32_t v = 0; v < checked.program.variables.size(); ++v) {
            const auto &var = checked.program.variables[v];
            if (var.kind == assure::sema::VarKind::Bool) {
                point[v].kind = VarValue::Kind::Bool;
                point[v].boolean = pick(rng, 2) == 0;
            } else if (var.kind == assure::sema::VarKind::Enum) {
                point[v].kind = VarValue::Kind::Enum;
                point[v].index = static_cast<std::uint32_t>(pick(rng, 2));
            } else if (var.kind == assure::sema::VarKind::Int) {
                point[v] =
                    number_value(std::to_string(pick(rng, var.name == "refunds_issued" ? 3 : 2)));
            } else {
                point[v] = number_value(pick(rng, 2) == 0 ? "120.5" : "99");
            }
        }
        for (TermId s : statements) {
            ++counts[static_cast<int>(agree(model, session, s, point))];
        }
    }
    CHECK(counts[0] > 0);
    CHECK(counts[1] > 0);
    CHECK(counts[2] == 0); // no division in these statements
}

TEST_CASE("monitor property: the ship example's scopes and ODD, evaluator vs solver") {
    std::vector<std::pair<std::string, std::string>> files;
    for (const char *name : {"navigation.assure", "perception.assure"}) {
        const std::string path =
            std::string(ASSURE_SOURCE_DIR) + "/examples/autonomous-ship/" + name;
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        files.emplace_back(path, ss.str());
    }
    auto checked = assure::testing::check_files(files);
    REQUIRE(checked.diags.error_count() == 0);
    const auto lowered = assure::lower::lower_graph(checked.program);
    assure::prove::ProveOptions options;
    options.date = {2026, 11, 23};
    auto result = assure::prove::prove(checked.program, lowered, *checked.sources, options);
    auto &cb = *result.constraints;
    std::vector<TermId> regions;
    for (const auto &c : checked.program.claims) {
        if (c.scope) {
            regions.push_back(*cb.region(*c.scope));
        }
    }
    for (const auto &o : checked.program.odds) {
        regions.push_back(*cb.region(o.region));
    }
    REQUIRE(regions.size() >= 10);
    auto &model = cb.model();
    assure::solver::Session session(model, no_cells());
    Rng rng(11);
    int counts[3] = {0, 0, 0};
    const int points = 100 * scale();
    for (int p = 0; p < points; ++p) {
        std::vector<VarValue> point(model.vars.size());
        for (std::uint32_t v = 0; v < checked.program.variables.size(); ++v) {
            const auto &var = checked.program.variables[v];
            if (var.kind == assure::sema::VarKind::Bool) {
                point[v].kind = VarValue::Kind::Bool;
                point[v].boolean = pick(rng, 2) == 0;
            } else if (var.kind == assure::sema::VarKind::Enum) {
                point[v].kind = VarValue::Kind::Enum;
                point[v].index =
                    static_cast<std::uint32_t>(pick(rng, static_cast<int>(var.values.size())));
            } else if (var.kind == assure::sema::VarKind::Int) {
                point[v] = number_value(std::to_string(pick(rng, 10)));
            } else {
                // Around the 200 m and 1 km boundaries, and anywhere.
                static const char *vis[] = {"199.99", "200", "200.01", "999.5", "1000", "15000.25"};
                point[v] = number_value(vis[pick(rng, 6)]);
            }
        }
        for (TermId r : regions) {
            ++counts[static_cast<int>(agree(model, session, r, point))];
        }
    }
    CHECK(counts[0] > 0);
    CHECK(counts[1] > 0);
    CHECK(counts[2] == 0);
}
