// SPDX-License-Identifier: Apache-2.0
#include "solver/session.hpp"

#include "solver/cells.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <z3++.h>

namespace assure::solver {

namespace {

/// "1.5e-3" -> "15/10000": Z3 numerals take integers, decimals and fractions, not exponents.
std::string rational(const std::string &text) {
    const auto e = text.find_first_of("eE");
    if (e == std::string::npos) {
        return text;
    }
    std::string mantissa = text.substr(0, e);
    long exponent = std::stol(text.substr(e + 1));
    std::string digits;
    long scale = 0;
    for (char c : mantissa) {
        if (c == '.') {
            scale = 0;
            continue;
        }
        digits += c;
    }
    if (const auto dot = mantissa.find('.'); dot != std::string::npos) {
        scale = static_cast<long>(mantissa.size() - dot - 1);
    }
    exponent -= scale;
    if (exponent >= 0) {
        return digits + std::string(static_cast<std::size_t>(exponent), '0');
    }
    return digits + "/1" + std::string(static_cast<std::size_t>(-exponent), '0');
}

/// Trims a decimal string: "150.000000" -> "150", "0.500000" -> "0.5".
std::string tidy(std::string s) {
    if (s.find('.') == std::string::npos) {
        return s;
    }
    while (!s.empty() && s.back() == '0') {
        s.pop_back();
    }
    if (!s.empty() && s.back() == '.') {
        s.pop_back();
    }
    return s;
}

std::string identifier(const std::string &s) {
    std::string out;
    for (char c : s) {
        out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') ? c : '_';
    }
    return out;
}

} // namespace

struct Session::Impl {
    const ir::ConstraintModel &model;
    SolveOptions options;
    z3::context ctx; // declared before every Z3 object that refers to it
    std::map<ir::VarId, z3::expr> vars;
    std::map<ir::VarId, std::pair<z3::sort, z3::func_decl_vector>> enums;
    std::optional<z3::solver> incremental; // created on the first check

    Impl(const ir::ConstraintModel &m, SolveOptions o) : model(m), options(o) {}

    z3::expr var(ir::VarId id) {
        if (auto it = vars.find(id); it != vars.end()) {
            return it->second;
        }
        const ir::Var &v = model.vars[id];
        const std::string name = identifier(v.domain.empty() ? v.name : v.domain + "." + v.name);
        z3::expr e(ctx);
        switch (v.sort) {
        case ir::VarSort::Real:
            e = ctx.real_const(name.c_str());
            break;
        case ir::VarSort::Int:
            e = ctx.int_const(name.c_str());
            break;
        case ir::VarSort::Bool:
            e = ctx.bool_const(name.c_str());
            break;
        case ir::VarSort::Enum: {
            std::vector<std::string> names;
            for (const auto &value : v.values) {
                names.push_back(identifier(name + "." + value));
            }
            std::vector<const char *> cnames;
            for (const auto &n : names) {
                cnames.push_back(n.c_str());
            }
            z3::func_decl_vector consts(ctx);
            z3::func_decl_vector testers(ctx);
            const std::string sort_name = name + "_values";
            z3::sort sort =
                ctx.enumeration_sort(sort_name.c_str(), static_cast<unsigned>(cnames.size()),
                                     cnames.data(), consts, testers);
            enums.emplace(id, std::make_pair(sort, consts));
            e = ctx.constant(name.c_str(), sort);
            break;
        }
        }
        vars.emplace(id, e);
        return e;
    }

    z3::expr bounds(ir::VarId id) {
        const ir::Var &v = model.vars[id];
        const z3::expr x = var(id);
        if (v.lo.empty() || v.hi.empty()) {
            return ctx.bool_val(true); // a trace's fact: unbounded
        }
        switch (v.sort) {
        case ir::VarSort::Real:
            return x >= ctx.real_val(rational(v.lo).c_str()) &&
                   x <= ctx.real_val(rational(v.hi).c_str());
        case ir::VarSort::Int:
            return x >= ctx.int_val(rational(v.lo).c_str()) &&
                   x <= ctx.int_val(rational(v.hi).c_str());
        case ir::VarSort::Bool:
        case ir::VarSort::Enum:
            return ctx.bool_val(true);
        }
        return ctx.bool_val(true);
    }

    /// Int and Real operands meet as Real.
    static std::pair<z3::expr, z3::expr> unify(z3::expr a, z3::expr b) {
        if (a.is_int() && b.is_real()) {
            a = z3::to_real(a);
        } else if (a.is_real() && b.is_int()) {
            b = z3::to_real(b);
        }
        return {a, b};
    }

    void collect(ir::TermId id, std::set<ir::VarId> &out) const {
        const ir::Term &t = model.terms[id];
        if (t.op == ir::TermOp::Var || t.op == ir::TermOp::EnumVal) {
            out.insert(t.ref);
        }
        for (ir::TermId k : t.kids) {
            collect(k, out);
        }
    }

    z3::expr encode(ir::TermId id) {
        const ir::Term &t = model.terms[id];
        auto kid = [&](std::size_t idx) { return encode(t.kids[idx]); };
        switch (t.op) {
        case ir::TermOp::True:
            return ctx.bool_val(true);
        case ir::TermOp::False:
            return ctx.bool_val(false);
        case ir::TermOp::Number:
            return t.text.find_first_of(".eE") == std::string::npos
                       ? ctx.int_val(t.text.c_str())
                       : ctx.real_val(rational(t.text).c_str());
        case ir::TermOp::Var:
            return var(t.ref);
        case ir::TermOp::EnumVal: {
            var(t.ref);
            return enums.at(t.ref).second[t.index]();
        }
        case ir::TermOp::Neg:
            return -kid(0);
        case ir::TermOp::Add: {
            auto [a, b] = unify(kid(0), kid(1));
            return a + b;
        }
        case ir::TermOp::Sub: {
            auto [a, b] = unify(kid(0), kid(1));
            return a - b;
        }
        case ir::TermOp::Mul: {
            auto [a, b] = unify(kid(0), kid(1));
            return a * b;
        }
        case ir::TermOp::Div: {
            // Division is over the reals, as the language documents (7 / 2 is 3.5).
            z3::expr a = kid(0);
            z3::expr b = kid(1);
            return (a.is_int() ? z3::to_real(a) : a) / (b.is_int() ? z3::to_real(b) : b);
        }
        case ir::TermOp::Eq: {
            auto [a, b] = unify(kid(0), kid(1));
            return a == b;
        }
        case ir::TermOp::Ne: {
            auto [a, b] = unify(kid(0), kid(1));
            return a != b;
        }
        case ir::TermOp::Lt: {
            auto [a, b] = unify(kid(0), kid(1));
            return a < b;
        }
        case ir::TermOp::Le: {
            auto [a, b] = unify(kid(0), kid(1));
            return a <= b;
        }
        case ir::TermOp::Gt: {
            auto [a, b] = unify(kid(0), kid(1));
            return a > b;
        }
        case ir::TermOp::Ge: {
            auto [a, b] = unify(kid(0), kid(1));
            return a >= b;
        }
        case ir::TermOp::Not:
            return !kid(0);
        case ir::TermOp::And:
        case ir::TermOp::Or: {
            z3::expr_vector parts(ctx);
            for (std::size_t idx = 0; idx < t.kids.size(); ++idx) {
                parts.push_back(kid(idx));
            }
            if (parts.empty()) {
                return ctx.bool_val(t.op == ir::TermOp::And);
            }
            return t.op == ir::TermOp::And ? z3::mk_and(parts) : z3::mk_or(parts);
        }
        case ir::TermOp::Implies:
            return z3::implies(kid(0), kid(1));
        case ir::TermOp::Ite: {
            auto [a, b] = unify(kid(1), kid(2));
            return z3::ite(kid(0), a, b);
        }
        }
        return ctx.bool_val(false);
    }

    /// Fills `solver` with the query and returns the variables it mentions, in id order. With
    /// `track`, assertion i is tracked by the literal `a<i>`, for unsat cores.
    std::vector<ir::VarId> load(z3::solver &solver, const ir::Query &query, bool track) {
        std::set<ir::VarId> used;
        for (ir::TermId a : query.assertions) {
            collect(a, used);
        }
        for (ir::VarId v : used) {
            solver.add(bounds(v));
        }
        for (std::size_t idx = 0; idx < query.assertions.size(); ++idx) {
            if (track) {
                const std::string name = "a" + std::to_string(idx);
                solver.add(encode(query.assertions[idx]), name.c_str());
            } else {
                solver.add(encode(query.assertions[idx]));
            }
        }
        return {used.begin(), used.end()};
    }

    std::string value(ir::VarId id, const z3::model &m) {
        const ir::Var &v = model.vars[id];
        const z3::expr val = m.eval(var(id), true);
        switch (v.sort) {
        case ir::VarSort::Bool:
            return val.is_true() ? "true" : "false";
        case ir::VarSort::Enum: {
            const auto &consts = enums.at(id).second;
            for (unsigned idx = 0; idx < consts.size(); ++idx) {
                if (z3::eq(val.decl(), consts[idx])) {
                    return v.values[idx];
                }
            }
            return val.to_string();
        }
        case ir::VarSort::Int:
        case ir::VarSort::Real: {
            // Exact when the decimal expansion is finite; else 6 places, marked approximate.
            const std::string exact = val.get_decimal_string(30);
            if (exact.find('?') == std::string::npos) {
                return tidy(exact);
            }
            std::string approx = val.get_decimal_string(6);
            approx.erase(std::remove(approx.begin(), approx.end(), '?'), approx.end());
            return "~" + tidy(approx);
        }
        }
        return val.to_string();
    }
};

Session::Session(const ir::ConstraintModel &model, SolveOptions options)
    : impl_(std::make_unique<Impl>(model, options)) {}

Session::~Session() = default;

const char *decider_name(Decider d) {
    switch (d) {
    case Decider::Z3:
        return "z3";
    case Decider::Cells:
        return "cells";
    }
    return "?";
}

Outcome Session::check(const ir::Query &query) {
    if (impl_->options.cells) {
        if (auto decided = decide_by_cells(impl_->model, query)) {
            return std::move(*decided);
        }
    }
    Outcome out;
    try {
        // One solver per session, each query in its own push/pop scope: building a fresh
        // solver per query costs more than solving these small queries.
        if (!impl_->incremental) {
            impl_->incremental.emplace(impl_->ctx);
            z3::params p(impl_->ctx);
            p.set("timeout", impl_->options.timeout_ms);
            p.set("random_seed", impl_->options.seed);
            if (impl_->options.rlimit != 0) {
                p.set("rlimit", impl_->options.rlimit);
            }
            impl_->incremental->set(p);
        }
        z3::solver &solver = *impl_->incremental;
        solver.push();
        struct Pop {
            z3::solver &s;
            ~Pop() {
                try {
                    s.pop();
                } catch (const z3::exception &) { // NOLINT(bugprone-empty-catch): nothing to undo
                }
            }
        } pop{solver};
        const auto used = impl_->load(solver, query, true);
        // Never `if (solver.check())`: z3::unknown converts to true.
        switch (solver.check()) {
        case z3::sat: {
            out.verdict = Verdict::Sat;
            const z3::model m = solver.get_model();
            Assignment a;
            for (ir::VarId v : used) {
                a.values.emplace_back(v, impl_->value(v, m));
            }
            out.model = std::move(a);
            break;
        }
        case z3::unsat: {
            out.verdict = Verdict::Unsat;
            const z3::expr_vector core = solver.unsat_core();
            for (unsigned idx = 0; idx < core.size(); ++idx) {
                const std::string name = core[static_cast<int>(idx)].decl().name().str();
                if (name.size() > 1 && name[0] == 'a') {
                    out.core.push_back(std::stoul(name.substr(1)));
                }
            }
            std::sort(out.core.begin(), out.core.end());
            break;
        }
        case z3::unknown:
            out.verdict = Verdict::Unknown;
            out.unknown_reason = solver.reason_unknown();
            if (out.unknown_reason.empty()) {
                out.unknown_reason = "unknown";
            }
            break;
        }
    } catch (const z3::exception &e) {
        // Unknown is the only sound answer when the solver failed.
        out = Outcome{};
        out.unknown_reason = std::string("solver error: ") + std::string(e.msg()).substr(0, 200);
    }
    return out;
}

namespace {

/// A valid SMT-LIB simple symbol made of `s`: letters, digits and `_`, not starting with a digit.
std::string symbol(const std::string &s) {
    std::string out = identifier(s);
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) != 0) {
        out.insert(0, "a_");
    }
    return out;
}

/// "in [0, 10000] m": a variable's bounds in words.
std::string bounds_text(const ir::Var &v) {
    std::string text = "in [" + v.lo + ", " + v.hi + "]";
    return v.unit.empty() ? text : text + " " + v.unit;
}

} // namespace

std::string Session::smt2(const ir::Query &query, const Locate &locate) {
    std::set<ir::VarId> used;
    for (ir::TermId a : query.assertions) {
        impl_->collect(a, used);
    }
    struct Named {
        std::string name;
        std::string note;
        z3::expr formula;
    };
    std::vector<Named> named;
    std::set<std::string> taken;
    auto unique = [&taken](std::string name) {
        name = symbol(name);
        if (taken.count(name) != 0) {
            for (unsigned n = 2;; ++n) {
                if (taken.count(name + "_" + std::to_string(n)) == 0) {
                    name += "_" + std::to_string(n);
                    break;
                }
            }
        }
        taken.insert(name);
        return name;
    };
    for (ir::VarId v : used) {
        const ir::Var &var = impl_->model.vars[v];
        if ((var.sort != ir::VarSort::Real && var.sort != ir::VarSort::Int) || var.lo.empty() ||
            var.hi.empty()) {
            continue; // no bounds: booleans, enums and a trace's facts
        }
        const std::string full = var.domain.empty() ? var.name : var.domain + "." + var.name;
        std::string note = "the bounds of " + full + ": " + bounds_text(var);
        if (locate && var.span.file != support::kNoFile) {
            if (const std::string at = locate(var.span); !at.empty()) {
                note += " (" + at + ")";
            }
        }
        named.push_back({unique("bounds_" + full), std::move(note), impl_->bounds(v)});
    }
    for (std::size_t idx = 0; idx < query.assertions.size(); ++idx) {
        const std::string name = idx < query.names.size() && !query.names[idx].empty()
                                     ? query.names[idx]
                                     : "a" + std::to_string(idx + 1);
        named.push_back({unique(name), idx < query.notes.size() ? query.notes[idx] : "",
                         impl_->encode(query.assertions[idx])});
    }
    // Z3 declares the sorts and constants the assertions use; the assertions themselves are
    // printed here, each with its name (Z3's printer has no annotations).
    // Z3's benchmark printer needs no solver (making one per file costs milliseconds in Z3's
    // parameter tables, which a trace of a large case pays thousands of times).
    std::vector<Z3_ast> formulas;
    formulas.reserve(named.size());
    for (const auto &n : named) {
        formulas.push_back(n.formula);
    }
    const z3::expr truth = impl_->ctx.bool_val(true);
    const Z3_ast last = formulas.empty() ? static_cast<Z3_ast>(truth) : formulas.back();
    const unsigned before = formulas.empty() ? 0 : static_cast<unsigned>(formulas.size() - 1);
    std::string script = Z3_benchmark_to_smtlib_string(impl_->ctx, "", "", "unknown", "", before,
                                                       formulas.data(), last);
    for (const char *end : {"\n(assert", "\n(check-sat)"}) {
        if (const auto at = script.find(end); at != std::string::npos) {
            script.erase(at + 1);
        }
    }
    if (script.rfind("; \n", 0) == 0) {
        script.erase(0, 3); // Z3 opens with an empty comment line
    }
    std::string text = "; " + query.purpose + "\n";
    for (const auto &n : named) {
        text += "; [" + n.name + "]" + (n.note.empty() ? "" : " " + n.note) + "\n";
    }
    text += script;
    for (const auto &n : named) {
        text += "(assert (! " + n.formula.to_string() + "\n   :named " + n.name + "))\n";
    }
    text += "(check-sat)\n";
    if (query.show_model) {
        text += "(get-model)\n";
    }
    return text;
}

std::string format_point(const ir::ConstraintModel &model, const Assignment &point) {
    std::string out;
    for (const auto &[id, value] : point.values) {
        const ir::Var &v = model.vars[id];
        if (!out.empty()) {
            out += ", ";
        }
        out += v.name + " = " + value;
        if (!v.unit.empty()) {
            out += " " + v.unit;
        }
    }
    // The question did not depend on any variable (unscoped sub-claims overlap everywhere; a
    // deductive step over no variable): every operating point answers it.
    return out.empty() ? std::string(kEveryPoint) : out;
}

} // namespace assure::solver
