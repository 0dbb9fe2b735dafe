// SPDX-License-Identifier: Apache-2.0
#include "lower/constraints.hpp"

namespace assure::lower {

using sema::ExprOp;

namespace {
bool is_percentage(std::string_view literal) {
    return !literal.empty() && literal.back() == '%';
}
} // namespace

ConstraintBuilder::ConstraintBuilder(const sema::Program &program,
                                     const support::SourceManager &sources)
    : prog_(program), sources_(sources) {
    model_.vars.reserve(prog_.variables.size());
    for (const auto &v : prog_.variables) {
        ir::Var var;
        var.name = v.name;
        var.domain = prog_.decl(v.domain).name;
        var.sort = v.kind == sema::VarKind::Real   ? ir::VarSort::Real
                   : v.kind == sema::VarKind::Int  ? ir::VarSort::Int
                   : v.kind == sema::VarKind::Bool ? ir::VarSort::Bool
                                                   : ir::VarSort::Enum;
        // The solver reads the literal as written, but not a percentage: that goes over as
        // its exact value in scientific notation.
        var.lo = is_percentage(v.lo_text) ? v.lo.to_scientific() : v.lo_text;
        var.hi = is_percentage(v.hi_text) ? v.hi.to_scientific() : v.hi_text;
        var.values = v.values;
        var.unit = v.unit;
        var.span = v.span;
        model_.vars.push_back(std::move(var));
    }
}

std::optional<ir::TermId> ConstraintBuilder::odd(sema::DeclId decl, int depth) {
    const sema::Decl &d = prog_.decl(decl);
    if (d.kind == sema::DeclKind::Domain) {
        return model_.constant(true, d.name_span);
    }
    // Sema reports odd cycles and odds more than kMaxOddDepth deep; each level adds at most
    // two here (an odd named in a condition, then its region).
    if (d.kind != sema::DeclKind::Odd || depth > 2 * sema::kMaxOddDepth + 2) {
        return std::nullopt;
    }
    return region_at(prog_.odds[d.index].region, depth + 1);
}

std::optional<ir::TermId> ConstraintBuilder::region(const sema::Region &r) {
    // A region means its base and its condition; many scopes and measurements share them.
    const std::uint64_t key = (std::uint64_t{r.base.value} << 32) | r.where;
    if (const auto it = region_memo_.find(key); it != region_memo_.end()) {
        return it->second;
    }
    const auto t = region_at(r, 0);
    region_memo_.emplace(key, t);
    return t;
}

std::optional<ir::TermId> ConstraintBuilder::region_at(const sema::Region &r, int depth) {
    if (!r.base.valid() || !r.domain.valid()) {
        return std::nullopt;
    }
    const auto base = odd(r.base, depth);
    if (!base) {
        return std::nullopt;
    }
    if (r.where == sema::kNone) {
        return base;
    }
    const auto where = expr_at(r.where, depth);
    if (!where) {
        return std::nullopt;
    }
    return model_.apply(ir::TermOp::And, {*base, *where}, r.span);
}

std::optional<ir::TermId> ConstraintBuilder::expr(sema::ExprId id) {
    if (const auto it = expr_memo_.find(id); it != expr_memo_.end()) {
        return it->second;
    }
    const auto t = expr_at(id, 0);
    expr_memo_.emplace(id, t);
    return t;
}

std::optional<ir::TermId> ConstraintBuilder::expr_at(sema::ExprId id, int depth) {
    const sema::Expr &x = prog_.exprs[id];
    if (x.type.kind == sema::TypeKind::Error) {
        return std::nullopt;
    }
    auto kids = [&]() -> std::optional<std::vector<ir::TermId>> {
        std::vector<ir::TermId> out;
        for (sema::ExprId k : prog_.kids(x)) {
            const auto t = expr_at(k, depth);
            if (!t) {
                return std::nullopt;
            }
            out.push_back(*t);
        }
        return out;
    };
    auto apply = [&](ir::TermOp op) -> std::optional<ir::TermId> {
        auto ks = kids();
        if (!ks) {
            return std::nullopt;
        }
        return model_.apply(op, std::move(*ks), x.span);
    };
    switch (x.op) {
    case ExprOp::Bool:
        return model_.constant(x.ref == 1, x.span);
    case ExprOp::Number: {
        // The exact digits as written (the solver reasons over rationals); a percentage as its
        // exact value, which the solver's literal syntax has no `%` for.
        std::string text(sources_.text(x.span));
        if (is_percentage(text)) {
            text = prog_.numbers[x.text].to_scientific();
        }
        return model_.add(ir::Term{ir::TermOp::Number, 0, 0, std::move(text), {}, x.span});
    }
    case ExprOp::Var:
        return model_.add(ir::Term{ir::TermOp::Var, x.ref, 0, {}, {}, x.span});
    case ExprOp::EnumValue:
        return model_.add(ir::Term{ir::TermOp::EnumVal, x.type.ref, x.ref, {}, {}, x.span});
    case ExprOp::Region:
        return odd(sema::DeclId{x.ref}, depth + 1);
    case ExprOp::Neg:
        return apply(ir::TermOp::Neg);
    case ExprOp::Add:
        return apply(ir::TermOp::Add);
    case ExprOp::Sub:
        return apply(ir::TermOp::Sub);
    case ExprOp::Mul:
        return apply(ir::TermOp::Mul);
    case ExprOp::Div:
        return apply(ir::TermOp::Div);
    case ExprOp::Eq:
        return apply(ir::TermOp::Eq);
    case ExprOp::Ne:
        return apply(ir::TermOp::Ne);
    case ExprOp::Lt:
        return apply(ir::TermOp::Lt);
    case ExprOp::Le:
        return apply(ir::TermOp::Le);
    case ExprOp::Gt:
        return apply(ir::TermOp::Gt);
    case ExprOp::Ge:
        return apply(ir::TermOp::Ge);
    case ExprOp::Not:
        return apply(ir::TermOp::Not);
    case ExprOp::And:
        return apply(ir::TermOp::And);
    case ExprOp::Or:
        return apply(ir::TermOp::Or);
    case ExprOp::Implies:
        return apply(ir::TermOp::Implies);
    case ExprOp::InInterval: {
        auto ks = kids();
        if (!ks) {
            return std::nullopt;
        }
        const std::string &br = prog_.text(x);
        const auto lo = model_.apply(br[0] == '(' ? ir::TermOp::Gt : ir::TermOp::Ge,
                                     {(*ks)[0], (*ks)[1]}, x.span);
        const auto hi = model_.apply(br[1] == ')' ? ir::TermOp::Lt : ir::TermOp::Le,
                                     {(*ks)[0], (*ks)[2]}, x.span);
        const auto in = model_.apply(ir::TermOp::And, {lo, hi}, x.span);
        return x.negated ? model_.apply(ir::TermOp::Not, {in}, x.span) : in;
    }
    case ExprOp::InSet: {
        auto ks = kids();
        if (!ks) {
            return std::nullopt;
        }
        std::vector<ir::TermId> alts;
        for (std::size_t idx = 1; idx < ks->size(); ++idx) {
            alts.push_back(model_.apply(ir::TermOp::Eq, {(*ks)[0], (*ks)[idx]}, x.span));
        }
        const auto in = model_.apply(ir::TermOp::Or, std::move(alts), x.span);
        return x.negated ? model_.apply(ir::TermOp::Not, {in}, x.span) : in;
    }
    case ExprOp::Date:
    case ExprOp::String:
    case ExprOp::ScaleValue:
    case ExprOp::Bound:
    case ExprOp::Attribute:
    case ExprOp::Call:
    case ExprOp::Forall:
    case ExprOp::Exists:
    case ExprOp::Count:
        return std::nullopt; // rule constructs: no meaning over the operating domain
    }
    return std::nullopt;
}

} // namespace assure::lower
