// SPDX-License-Identifier: Apache-2.0
// Name binding and type checking of expressions (regions, formal statements, rules).
#include "dsl/sema/analyzer.hpp"
#include "support/text.hpp"

#include <cstdlib>
#include <map>

namespace assure::sema {
using support::Code;
using support::Span;

namespace {

// Fixed vocabularies of rule attributes, typed as enums with reserved refs.
constexpr std::uint32_t kVocabResult = 0xFFFFFF01u;
constexpr std::uint32_t kVocabKind = 0xFFFFFF02u;
constexpr std::uint32_t kVocabStatus = 0xFFFFFF03u;

const std::vector<std::string> &vocabulary(std::uint32_t ref) {
    static const std::vector<std::string> result = {"pass", "fail", "pending"};
    static const std::vector<std::string> kind = {
        "test",   "analysis",   "simulation",       "formal_proof",
        "review", "inspection", "field_monitoring", "runtime_monitoring"};
    static const std::vector<std::string> status = {"open", "resolved", "withdrawn"};
    return ref == kVocabResult ? result : ref == kVocabKind ? kind : status;
}

bool is_vocab(Type t) {
    return t.kind == TypeKind::Enum && t.ref >= kVocabResult;
}
bool is_numeric(Type t) {
    return t.kind == TypeKind::Int || t.kind == TypeKind::Real;
}

struct AttributeDef {
    DeclKind owner;
    const char *name;
    Type type;
};

const std::vector<AttributeDef> &attributes() {
    static const std::vector<AttributeDef> defs = {
        {DeclKind::Hazard, "severity", {TypeKind::Scale, kNone}},
        {DeclKind::Hazard, "likelihood", {TypeKind::Scale, kNone}},
        {DeclKind::Hazard, "risk", {TypeKind::Scale, kNone}},
        {DeclKind::Evidence, "result", {TypeKind::Enum, kVocabResult}},
        {DeclKind::Evidence, "kind", {TypeKind::Enum, kVocabKind}},
        {DeclKind::Evidence, "cost", {TypeKind::Real, kNone}},
        {DeclKind::Evidence, "valid_until", {TypeKind::Date, kNone}},
        {DeclKind::Evidence, "date", {TypeKind::Date, kNone}},
        {DeclKind::Evidence, "artifact_count", {TypeKind::Int, kNone}},
        {DeclKind::Evidence, "pinned_count", {TypeKind::Int, kNone}},
        {DeclKind::Evidence, "producer", {TypeKind::String, kNone}},
        {DeclKind::Evidence, "team", {TypeKind::String, kNone}},
        {DeclKind::Evidence, "department", {TypeKind::String, kNone}},
        {DeclKind::Evidence, "approved_by", {TypeKind::String, kNone}},
        {DeclKind::Claim, "undeveloped", {TypeKind::Bool, kNone}},
        {DeclKind::Defeater, "status", {TypeKind::Enum, kVocabStatus}},
    };
    return defs;
}

struct Collection {
    const char *name;
    DeclKind kind;
};
constexpr Collection kCollections[] = {
    {"claims", DeclKind::Claim},      {"strategies", DeclKind::Strategy},
    {"evidence", DeclKind::Evidence}, {"defeaters", DeclKind::Defeater},
    {"hazards", DeclKind::Hazard},    {"artifacts", DeclKind::Artifact},
};

struct Builtin {
    const char *name;
    std::vector<std::vector<DeclKind>> params; // allowed kinds per parameter (empty = any)
    bool region_last = false; // the last argument names an odd region (or a domain)
};
const std::vector<Builtin> &builtins() {
    static const std::vector<Builtin> defs = {
        {"mitigates", {{DeclKind::Claim}, {DeclKind::Hazard}}},
        {"supports", {{}, {}}},
        {"under", {{}, {}}},
        {"independent", {{DeclKind::Evidence}, {DeclKind::Evidence}}},
        {"overlaps", {{DeclKind::Claim, DeclKind::Evidence}, {}}, true},
        {"within", {{DeclKind::Claim, DeclKind::Evidence}, {}}, true},
    };
    return defs;
}

} // namespace

std::string Analyzer::type_name(Type t) const {
    switch (t.kind) {
    case TypeKind::Error:
        return "an erroneous expression";
    case TypeKind::Bool:
        return "bool";
    case TypeKind::Int:
        return "int";
    case TypeKind::Real:
        return "real";
    case TypeKind::Enum:
        if (is_vocab(t)) {
            return t.ref == kVocabResult ? "evidence result"
                   : t.ref == kVocabKind ? "evidence kind"
                                         : "defeater status";
        }
        return "enum `" + prog_.variables[t.ref].name + "`";
    case TypeKind::Scale:
        return t.ref == kNone ? "a scale value"
                              : "scale `" + prog_.decl(prog_.scales[t.ref].decl).name + "`";
    case TypeKind::Date:
        return "date";
    case TypeKind::String:
        return "string";
    case TypeKind::Element:
        return kind_phrase(static_cast<DeclKind>(t.ref));
    }
    return "?";
}

namespace {

/// Converts one AST expression into typed sema expressions. Names that can only be resolved
/// from context (enum and scale values) stay "pending" until the comparison that gives them a
/// type; a pending name used anywhere else is an unknown name.
class ExprChecker {
  public:
    ExprChecker(Analyzer &az, ExprEnv &env) : az_(az), env_(env) {}

    ExprId expr(const ast::Expr &e) {
        if (e.terms.size() == 1) {
            return or_expr(e.terms[0]);
        }
        // Right-associative: a implies (b implies c).
        std::vector<ExprId> parts;
        for (const auto &t : e.terms) {
            parts.push_back(logical(or_expr(t), "`implies`"));
        }
        ExprId acc = parts.back();
        for (std::size_t idx = parts.size() - 1; idx-- > 0;) {
            acc = node(ExprOp::Implies, {TypeKind::Bool},
                       support::join(span(parts[idx]), span(acc)), {parts[idx], acc});
        }
        return acc;
    }

    ExprId resolve_final(ExprId id) {
        if (pending_.count(id) != 0) {
            unknown(id);
        }
        return id;
    }

    ExprId logical(ExprId id, const char *op) {
        resolve_final(id);
        const Type t = type(id);
        if (t.kind != TypeKind::Bool && t.kind != TypeKind::Error) {
            az_.diags_.error(Code::E0301, span(id),
                             std::string(op) + " needs a bool operand, found " + az_.type_name(t),
                             "not a bool");
        }
        return id;
    }

  private:
    Analyzer &az_;
    ExprEnv &env_;
    std::map<ExprId, const ast::QName *> pending_;
    bool region_argument_ = false; // resolving the region argument of `overlaps` / `within`

    Type type(ExprId id) const { return az_.prog_.exprs[id].type; }
    Span span(ExprId id) const { return az_.prog_.exprs[id].span; }
    Expr &at(ExprId id) { return az_.prog_.exprs[id]; }

    ExprId node(ExprOp op, Type t, Span sp, std::initializer_list<ExprId> kids = {},
                std::uint32_t ref = kNone, std::string text = {}) {
        return az_.add_expr(Expr{op, false, t, sp, ref}, kids.begin(), kids.size(),
                            std::move(text));
    }
    ExprId node(ExprOp op, Type t, Span sp, const std::vector<ExprId> &kids,
                std::uint32_t ref = kNone, std::string text = {}) {
        return az_.add_expr(Expr{op, false, t, sp, ref}, kids.data(), kids.size(), std::move(text));
    }

    ExprId error_node(Span sp) { return node(ExprOp::Bool, {TypeKind::Error}, sp); }

    ExprId or_expr(const ast::OrExpr &e) {
        if (e.terms.size() == 1) {
            return and_expr(e.terms[0]);
        }
        std::vector<ExprId> kids;
        for (const auto &t : e.terms) {
            kids.push_back(logical(and_expr(t), "`or`"));
        }
        return node(ExprOp::Or, {TypeKind::Bool}, e.span, kids);
    }

    ExprId and_expr(const ast::AndExpr &e) {
        if (e.terms.size() == 1) {
            return not_expr(e.terms[0]);
        }
        std::vector<ExprId> kids;
        for (const auto &t : e.terms) {
            kids.push_back(logical(not_expr(t), "`and`"));
        }
        return node(ExprOp::And, {TypeKind::Bool}, e.span, kids);
    }

    ExprId not_expr(const ast::NotExpr &e) {
        ExprId inner = comparison(e.operand);
        if (e.nots == 0) {
            return inner;
        }
        logical(inner, "`not`");
        // `not not x` is x: keep the parity only, so long chains build no deep trees.
        return e.nots % 2 == 0 ? inner : node(ExprOp::Not, {TypeKind::Bool}, e.span, {inner});
    }

    void check_range(ExprId var, ExprId value) {
        const Expr &v = at(var);
        if (v.op != ExprOp::Var) {
            return;
        }
        const Variable &variable = az_.prog_.variables[v.ref];
        if (variable.kind != VarKind::Real && variable.kind != VarKind::Int) {
            return;
        }
        if (auto c = az_.prog_.constant(value)) {
            if (*c < variable.lo || *c > variable.hi) {
                auto &d = az_.diags_.error(
                    Code::E0303, span(value),
                    "`" + std::string(az_.sources_.text(span(value))) + "` is outside the range [" +
                        variable.lo_text + ", " + variable.hi_text + "] of `" + variable.name + "`",
                    "out of range");
                d.notes.push_back({variable.span, "`" + variable.name + "` is declared here"});
            }
        }
    }

    /// Gives a pending name the type `expected` (an enum or scale value), or reports it.
    void settle(ExprId id, Type expected) {
        auto it = pending_.find(id);
        if (it == pending_.end()) {
            return;
        }
        const ast::QName &q = *it->second;
        pending_.erase(it);
        Expr &x = at(id);
        const std::string &name = q.parts.back().name;
        if (expected.kind == TypeKind::Error) {
            x.op = ExprOp::Bool; // the other side is already wrong and reported
            x.type = {TypeKind::Error};
            return;
        }
        if (expected.kind == TypeKind::Enum && q.parts.size() == 1) {
            const auto &values = is_vocab(expected) ? vocabulary(expected.ref)
                                                    : az_.prog_.variables[expected.ref].values;
            if (const auto idx = az_.value_index(is_vocab(expected), expected.ref, values, name)) {
                x.op = ExprOp::EnumValue;
                x.ref = *idx;
                x.type = expected;
                return;
            }
            auto &d = az_.diags_.error(Code::E0302, q.span,
                                       az_.type_name(expected) + " has no value `" + name + "`",
                                       "unknown value");
            std::vector<std::string_view> cands(values.begin(), values.end());
            const std::string list = support::join_elided(
                values.size(), [&](std::size_t k) { return values[k]; }, ", ");
            const std::string best = support::closest_match(name, cands);
            d.help = best.empty() ? "its values are: " + list : "did you mean `" + best + "`?";
            if (!is_vocab(expected)) {
                d.notes.push_back(
                    {az_.prog_.variables[expected.ref].span,
                     "`" + az_.prog_.variables[expected.ref].name + "` is declared here"});
            }
            x.op = ExprOp::Bool; // an error node: nothing downstream reads its value
            x.type = {TypeKind::Error};
            return;
        }
        if (expected.kind == TypeKind::Scale) {
            if (auto v = az_.resolve_scale_value(env_.module, q, expected.ref, "comparison")) {
                x.op = ExprOp::ScaleValue;
                x.ref = v->value;
                x.type = {TypeKind::Scale, v->scale};
            } else {
                x.op = ExprOp::Bool;
                x.type = {TypeKind::Error};
            }
            return;
        }
        pending_.emplace(id, &q);
        unknown(id);
    }

    void unknown(ExprId id) {
        auto it = pending_.find(id);
        if (it == pending_.end()) {
            return;
        }
        const ast::QName &q = *it->second;
        pending_.erase(it);
        at(id).op = ExprOp::Bool;
        at(id).type = {TypeKind::Error};
        if (az_.is_broken(q.parts.back().name)) {
            return;
        }
        if (env_.mode != ExprEnv::Mode::Rule) {
            const auto look = az_.lookup(env_.module, q);
            if (look.found.valid()) {
                const DeclKind k = az_.prog_.decl(look.found).kind;
                auto &d = az_.diags_.error(Code::E0204, q.span,
                                           "`" + qname_text(q) + "` is " + kind_phrase(k) +
                                               ", which has no value in an expression",
                                           "not a variable or region");
                d.notes.push_back({az_.prog_.decl(look.found).name_span, "declared here"});
                return;
            }
        }
        auto &d = az_.diags_.error(Code::E0201, q.span, "unknown name `" + qname_text(q) + "`",
                                   env_.mode == ExprEnv::Mode::Rule
                                       ? "not a quantified variable or a scale value"
                                       : "not a variable, an odd region or a value");
        std::vector<std::string_view> names;
        for (std::uint32_t vid : candidate_vars()) {
            names.push_back(az_.prog_.variables[vid].name);
        }
        for (const auto &b : env_.bound) {
            names.push_back(b.name);
        }
        const std::string best = support::closest_match(q.parts.back().name, names);
        if (!best.empty()) {
            d.help = "did you mean `" + best + "`?";
        }
    }

    std::vector<std::uint32_t> candidate_vars() const {
        std::vector<std::uint32_t> out;
        if (env_.mode == ExprEnv::Mode::Region) {
            if (env_.domain.valid()) {
                const auto &dom = az_.prog_.domains[az_.prog_.decl(env_.domain).index];
                out = dom.vars;
            }
            return out;
        }
        if (env_.mode == ExprEnv::Mode::Formal) {
            for (std::uint32_t m : az_.visible_modules(env_.module)) {
                for (const auto &dom : az_.prog_.domains) {
                    if (az_.prog_.decl(dom.decl).module == m) {
                        out.insert(out.end(), dom.vars.begin(), dom.vars.end());
                    }
                }
            }
        }
        return out;
    }

    static CmpOp cmp_op(const std::string &op) {
        return op == "=="   ? CmpOp::Eq
               : op == "!=" ? CmpOp::Ne
               : op == "<"  ? CmpOp::Lt
               : op == "<=" ? CmpOp::Le
               : op == ">"  ? CmpOp::Gt
                            : CmpOp::Ge;
    }

    /// Checks that `a` and `b` can be compared with `op`; settles pending names.
    bool compatible(ExprId a, ExprId b, CmpOp op, Span where) {
        const bool a_pending = pending_.count(a) != 0;
        const bool b_pending = pending_.count(b) != 0;
        if (a_pending && b_pending) {
            unknown(a);
            unknown(b);
            return false;
        }
        if (a_pending) {
            settle(a, type(b));
        }
        if (b_pending) {
            settle(b, type(a));
        }
        const Type ta = type(a);
        const Type tb = type(b);
        if (ta.kind == TypeKind::Error || tb.kind == TypeKind::Error) {
            return false;
        }
        bool same = false;
        if (is_numeric(ta) && is_numeric(tb)) {
            same = true;
        } else if (ta.kind == TypeKind::Enum && tb.kind == TypeKind::Enum) {
            same = ta.ref == tb.ref ||
                   (!is_vocab(ta) && !is_vocab(tb) &&
                    az_.prog_.variables[ta.ref].values == az_.prog_.variables[tb.ref].values);
        } else if (ta.kind == TypeKind::Scale && tb.kind == TypeKind::Scale) {
            same = ta.ref == tb.ref || ta.ref == kNone || tb.ref == kNone;
        } else {
            same = ta == tb;
        }
        if (!same) {
            az_.diags_.error(Code::E0301, where,
                             "cannot compare " + az_.type_name(ta) + " with " + az_.type_name(tb),
                             "mismatched types");
            return false;
        }
        const bool ordering = op != CmpOp::Eq && op != CmpOp::Ne;
        if (ordering && !is_numeric(ta) && ta.kind != TypeKind::Scale &&
            ta.kind != TypeKind::Date) {
            auto &d =
                az_.diags_.error(Code::E0304, where, az_.type_name(ta) + " values have no order",
                                 "ordering comparison on unordered values");
            if (ta.kind == TypeKind::Enum) {
                d.help = "compare enum values with `==`, `!=` or `in {...}`";
            }
            return false;
        }
        check_range(a, b);
        check_range(b, a);
        return true;
    }

    ExprId comparison(const ast::Comparison &c) {
        ExprId lhs = operand(c.lhs);
        if (!c.tail) {
            return lhs;
        }
        if (const auto *rel_ptr = boost::get<ast::x3::forward_ast<ast::RelTail>>(&*c.tail)) {
            const ast::RelTail *rel = &rel_ptr->get();
            ExprId rhs = operand(rel->rhs);
            const CmpOp op = cmp_op(rel->op);
            compatible(lhs, rhs, op, c.span);
            static constexpr ExprOp kOps[] = {ExprOp::Eq, ExprOp::Ne, ExprOp::Lt,
                                              ExprOp::Le, ExprOp::Gt, ExprOp::Ge};
            return node(kOps[static_cast<int>(op)], {TypeKind::Bool}, c.span, {lhs, rhs});
        }
        const auto &in = boost::get<ast::x3::forward_ast<ast::InTail>>(*c.tail).get();
        resolve_final(lhs);
        if (const auto *iv = boost::get<ast::IntervalSet>(&in.set)) {
            ExprId lo = operand(iv->lo);
            ExprId hi = operand(iv->hi);
            resolve_final(lo);
            resolve_final(hi);
            for (ExprId b : {lo, hi}) {
                if (type(lhs).kind != TypeKind::Error && type(b).kind != TypeKind::Error &&
                    (!is_numeric(type(lhs)) || !is_numeric(type(b)))) {
                    az_.diags_.error(Code::E0301, span(b),
                                     "an interval needs numbers, found " +
                                         az_.type_name(type(lhs)) + " in " + az_.type_name(type(b)),
                                     "not numeric");
                    break;
                }
                check_range(lhs, b);
            }
            ExprId id = node(ExprOp::InInterval, {TypeKind::Bool}, c.span, {lhs, lo, hi}, kNone,
                             std::string{iv->open, iv->close});
            at(id).negated = !in.negated.empty();
            return id;
        }
        const auto &set = boost::get<ast::EnumSet>(in.set);
        std::vector<ExprId> kids{lhs};
        for (const auto &item : set.items) {
            ExprId it = operand(item);
            compatible(lhs, it, CmpOp::Eq, span(it));
            kids.push_back(it);
        }
        ExprId id = node(ExprOp::InSet, {TypeKind::Bool}, c.span, kids);
        at(id).negated = !in.negated.empty();
        return id;
    }

    ExprId arith(ExprId a, ExprId b, char op, Span sp) {
        resolve_final(a);
        resolve_final(b);
        const Type ta = type(a);
        const Type tb = type(b);
        Type result{TypeKind::Error};
        if (is_numeric(ta) && is_numeric(tb)) {
            result = {(ta.kind == TypeKind::Real || tb.kind == TypeKind::Real || op == '/')
                          ? TypeKind::Real
                          : TypeKind::Int};
        } else if (ta.kind != TypeKind::Error && tb.kind != TypeKind::Error) {
            az_.diags_.error(Code::E0301, sp,
                             std::string("`") + op + "` needs numbers, found " + az_.type_name(ta) +
                                 " and " + az_.type_name(tb),
                             "not numeric");
        }
        const ExprOp eop = op == '+'   ? ExprOp::Add
                           : op == '-' ? ExprOp::Sub
                           : op == '*' ? ExprOp::Mul
                                       : ExprOp::Div;
        return node(eop, result, sp, {a, b});
    }

    ExprId operand(const ast::Operand &o) {
        if (const auto *u = boost::get<ast::Unary>(&o)) {
            return unary(*u);
        }
        return sum(boost::get<ast::x3::forward_ast<ast::Sum>>(o).get());
    }

    ExprId sum(const ast::Sum &s) {
        ExprId acc = product(s.first);
        for (const auto &t : s.rest) {
            ExprId rhs = product(t.operand);
            acc = arith(acc, rhs, t.op, support::join(span(acc), span(rhs)));
        }
        return acc;
    }

    ExprId product(const ast::Product &p) {
        ExprId acc = unary(p.first);
        for (const auto &t : p.rest) {
            ExprId rhs = unary(t.operand);
            acc = arith(acc, rhs, t.op, support::join(span(acc), span(rhs)));
        }
        return acc;
    }

    ExprId unary(const ast::Unary &u) {
        ExprId inner = primary(u.operand);
        if (u.minus == 0) {
            return inner;
        }
        resolve_final(inner);
        const Type t = type(inner);
        if (!is_numeric(t) && t.kind != TypeKind::Error) {
            az_.diags_.error(Code::E0301, u.span, "`-` needs a number, found " + az_.type_name(t),
                             "not numeric");
        }
        return u.minus % 2 == 0
                   ? inner
                   : node(ExprOp::Neg, is_numeric(t) ? t : Type{TypeKind::Error}, u.span, {inner});
    }

    ExprId primary(const ast::Primary &p) {
        struct Visitor {
            ExprChecker &self;
            ExprId operator()(const ast::NumberLit &n) const {
                // A percentage is a real, like a literal with a fraction (`50%` is 0.5).
                const bool real = n.text.find_first_of(".eE%") != std::string::npos;
                const auto value = self.az_.parse_number(n);
                if (!value) {
                    return self.error_node(n.span);
                }
                ExprId id =
                    self.node(ExprOp::Number, {real ? TypeKind::Real : TypeKind::Int}, n.span);
                self.at(id).text = static_cast<std::uint32_t>(self.az_.prog_.numbers.size());
                self.az_.prog_.numbers.push_back(*value);
                return id;
            }
            ExprId operator()(const ast::DateLit &d) const {
                if (!self.az_.parse_date(d)) {
                    return self.error_node(d.span);
                }
                return self.node(ExprOp::Date, {TypeKind::Date}, d.span, {}, kNone, d.text);
            }
            ExprId operator()(const ast::BoolLit &b) const {
                ExprId id = self.node(ExprOp::Bool, {TypeKind::Bool}, b.span);
                self.at(id).ref = b.text == "true" ? 1u : 0u;
                return id;
            }
            ExprId operator()(const ast::StringLit &s) const {
                return self.node(ExprOp::String, {TypeKind::String}, s.span, {}, kNone, s.value);
            }
            ExprId operator()(const ast::x3::forward_ast<ast::Call> &c) const {
                return self.call(c.get());
            }
            ExprId operator()(const ast::x3::forward_ast<ast::Quantifier> &q) const {
                return self.quantifier(q.get());
            }
            ExprId operator()(const ast::x3::forward_ast<ast::Count> &c) const {
                return self.count(c.get());
            }
            ExprId operator()(const ast::QName &q) const { return self.name(q); }
            ExprId operator()(const ast::x3::forward_ast<ast::Paren> &p) const {
                return self.expr(p.get().inner);
            }
        };
        return boost::apply_visitor(Visitor{*this}, p);
    }

    ExprId var_node(std::uint32_t vid, Span sp) {
        const Variable &v = az_.prog_.variables[vid];
        Type t;
        switch (v.kind) {
        case VarKind::Real:
            t = {TypeKind::Real};
            break;
        case VarKind::Int:
            t = {TypeKind::Int};
            break;
        case VarKind::Bool:
            t = {TypeKind::Bool};
            break;
        case VarKind::Enum:
            t = {TypeKind::Enum, vid};
            break;
        }
        az_.mark_used(v.domain);
        return node(ExprOp::Var, t, sp, {}, vid);
    }

    std::optional<std::uint32_t> var_in(DeclId domain, const std::string &name) const {
        if (!domain.valid()) {
            return std::nullopt;
        }
        for (std::uint32_t vid : az_.variables_named(name)) {
            if (az_.prog_.variables[vid].domain == domain) {
                return vid;
            }
        }
        return std::nullopt;
    }

    ExprId domain_var(std::uint32_t vid, Span sp) {
        const Variable &v = az_.prog_.variables[vid];
        if (env_.mode == ExprEnv::Mode::Region && env_.domain.valid() && v.domain != env_.domain) {
            az_.diags_.error(Code::E0305, sp,
                             "`" + v.name + "` is a variable of domain `" +
                                 az_.prog_.decl(v.domain).name + "`, but this region is over `" +
                                 az_.prog_.decl(env_.domain).name + "`",
                             "variable of another domain");
            return error_node(sp);
        }
        return var_node(vid, sp);
    }

    ExprId region_pred(DeclId id, Span sp) {
        az_.mark_used(id);
        const DeclId dom = az_.region_domain(id);
        if (env_.mode == ExprEnv::Mode::Rule && !region_argument_) {
            auto &d = az_.diags_.error(Code::E0301, sp, "an odd region cannot be used in a rule",
                                       "not a rule value");
            d.help = "a rule compares scopes with regions through `overlaps(x, REGION)` and "
                     "`within(x, REGION)`";
            return error_node(sp);
        }
        if (env_.mode == ExprEnv::Mode::Region && dom.valid() && env_.domain.valid() &&
            dom != env_.domain) {
            az_.diags_.error(Code::E0305, sp,
                             "`" + az_.prog_.decl(id).name + "` is a region of domain `" +
                                 az_.prog_.decl(dom).name + "`, but this region is over `" +
                                 az_.prog_.decl(env_.domain).name + "`",
                             "region of another domain");
            return error_node(sp);
        }
        return node(ExprOp::Region, {TypeKind::Bool}, sp, {}, id.value);
    }

    ExprId pending(const ast::QName &q) {
        ExprId id = node(ExprOp::EnumValue, {TypeKind::Error}, q.span);
        pending_.emplace(id, &q);
        return id;
    }

    ExprId name(const ast::QName &q) {
        const std::string &first = q.parts.front().name;
        const std::string &last = q.parts.back().name;
        if (env_.mode == ExprEnv::Mode::Rule) {
            for (auto it = env_.bound.rbegin(); it != env_.bound.rend(); ++it) {
                if (it->name != first) {
                    continue;
                }
                if (!it->known) {
                    return error_node(q.span); // its collection was unknown, already reported
                }
                ExprId var =
                    node(ExprOp::Bound, {TypeKind::Element, static_cast<std::uint32_t>(it->kind)},
                         q.parts.front().span, {}, it->slot, it->name);
                if (q.parts.size() == 1) {
                    return var;
                }
                if (q.parts.size() > 2) {
                    az_.diags_.error(Code::E0201, q.span,
                                     "attributes do not nest: `" + qname_text(q) + "`",
                                     "unknown attribute");
                    return error_node(q.span);
                }
                std::vector<std::string_view> names;
                for (const auto &a : attributes()) {
                    if (a.owner == it->kind) {
                        names.push_back(a.name);
                        if (last == a.name) {
                            Type t = a.type;
                            if (t.kind == TypeKind::Scale) {
                                t.ref = last == "severity"     ? az_.severity_scale_
                                        : last == "likelihood" ? az_.likelihood_scale_
                                                               : az_.risk_scale_;
                            }
                            return node(ExprOp::Attribute, t, q.span, {var}, kNone, last);
                        }
                    }
                }
                auto &d = az_.diags_.error(Code::E0201, q.parts.back().span,
                                           std::string(kind_phrase(it->kind)) +
                                               " has no attribute `" + last + "`",
                                           "unknown attribute");
                std::string list;
                for (auto n : names) {
                    list += std::string(list.empty() ? "" : ", ") + std::string(n);
                }
                const std::string best = support::closest_match(last, names);
                d.help = best.empty() ? (list.empty() ? std::string("it has no attributes")
                                                      : "its attributes are: " + list)
                                      : "did you mean `" + best + "`?";
                return error_node(q.span);
            }
            if (region_argument_) {
                // The region argument of `overlaps` / `within`: an odd or a domain.
                const auto look = az_.lookup(env_.module, q);
                if (look.found.valid() && (az_.prog_.decl(look.found).kind == DeclKind::Odd ||
                                           az_.prog_.decl(look.found).kind == DeclKind::Domain)) {
                    return region_pred(look.found, q.span);
                }
            }
            // A scale value (possibly qualified) or a vocabulary word, settled by the comparison
            // it appears in.
            return pending(q);
        }
        // Region and formal statements.
        if (q.parts.size() == 1) {
            if (auto vid = var_in(env_.domain, last)) {
                return var_node(*vid, q.span);
            }
            if (env_.mode == ExprEnv::Mode::Formal) {
                // The variables of that name in the domains of the visible modules, in
                // candidate_vars' order (modules as visible, then declaration order).
                const auto visible = az_.visible_modules(env_.module);
                std::vector<std::pair<std::size_t, std::uint32_t>> ranked;
                for (std::uint32_t vid : az_.variables_named(last)) {
                    const auto m = az_.prog_.decl(az_.prog_.variables[vid].domain).module;
                    const auto pos = std::find(visible.begin(), visible.end(), m);
                    if (pos != visible.end()) {
                        ranked.emplace_back(pos - visible.begin(), vid);
                    }
                }
                std::stable_sort(ranked.begin(), ranked.end(),
                                 [](const auto &a, const auto &b) { return a.first < b.first; });
                std::vector<std::uint32_t> found;
                for (const auto &r : ranked) {
                    found.push_back(r.second);
                }
                if (found.size() == 1) {
                    return var_node(found[0], q.span);
                }
                if (found.size() > 1) {
                    auto &d = az_.diags_.error(Code::E0202, q.span, "`" + last + "` is ambiguous",
                                               "a variable of several domains");
                    d.help = "qualify it with its domain, e.g. `" +
                             az_.prog_.decl(az_.prog_.variables[found[0]].domain).name + "." +
                             last + "`";
                    return error_node(q.span);
                }
            }
        }
        const auto look = az_.lookup(env_.module, q);
        if (look.found.valid()) {
            const DeclKind k = az_.prog_.decl(look.found).kind;
            if (k == DeclKind::Odd || k == DeclKind::Domain) {
                return region_pred(look.found, q.span);
            }
            // A claim or evidence named like an enum value must not hide the value:
            // `light == night` still means the enum value. Reported if nothing settles it.
        }
        if (q.parts.size() > 1) {
            // `Domain.var`
            ast::QName prefix;
            prefix.parts.assign(q.parts.begin(), q.parts.end() - 1);
            const auto dom = az_.lookup(env_.module, prefix);
            if (dom.found.valid() && az_.prog_.decl(dom.found).kind == DeclKind::Domain) {
                if (auto vid = var_in(dom.found, last)) {
                    return domain_var(*vid, q.span);
                }
                az_.diags_.error(Code::E0201, q.parts.back().span,
                                 "domain `" + az_.prog_.decl(dom.found).name +
                                     "` has no variable `" + last + "`",
                                 "unknown variable");
                return error_node(q.span);
            }
        }
        return pending(q);
    }

    ExprId call(const ast::Call &c) {
        const Builtin *known = nullptr;
        for (const auto &b : builtins()) {
            known = c.function.name == b.name ? &b : known;
        }
        std::vector<ExprId> args;
        for (std::size_t idx = 0; idx < c.args.size(); ++idx) {
            // The last argument of `overlaps` and `within` may name a region.
            region_argument_ = known != nullptr && known->region_last &&
                               idx + 1 == known->params.size() && env_.mode == ExprEnv::Mode::Rule;
            args.push_back(resolve_final(expr(c.args[idx])));
            region_argument_ = false;
        }
        if (env_.mode != ExprEnv::Mode::Rule) {
            az_.diags_.error(Code::E0301, c.span, "function calls are allowed only in rules",
                             "not allowed here");
            return error_node(c.span);
        }
        const Builtin *fn = nullptr;
        std::vector<std::string_view> names;
        for (const auto &b : builtins()) {
            names.push_back(b.name);
            if (c.function.name == b.name) {
                fn = &b;
            }
        }
        if (fn == nullptr) {
            auto &d = az_.diags_.error(Code::E0201, c.function.span,
                                       "unknown function `" + c.function.name + "`",
                                       "not a built-in function");
            const std::string best = support::closest_match(c.function.name, names);
            d.help = best.empty() ? "the built-in functions are mitigates, supports, under, "
                                    "independent, overlaps "
                                    "and within"
                                  : "did you mean `" + best + "`?";
            return error_node(c.span);
        }
        if (args.size() != fn->params.size()) {
            az_.diags_.error(Code::E0314, c.span,
                             "`" + c.function.name + "` takes " +
                                 std::to_string(fn->params.size()) + " arguments, found " +
                                 std::to_string(args.size()),
                             "wrong number of arguments");
            return error_node(c.span);
        }
        for (std::size_t idx = 0; idx < args.size(); ++idx) {
            const Type t = type(args[idx]);
            if (t.kind == TypeKind::Error) {
                continue;
            }
            if (fn->region_last && idx + 1 == args.size()) {
                if (az_.prog_.exprs[args[idx]].op != ExprOp::Region) {
                    az_.diags_.error(
                        Code::E0314, span(args[idx]),
                        "argument " + std::to_string(idx + 1) + " of `" + c.function.name +
                            "` must name an odd region or a domain, found " + az_.type_name(t),
                        "not a region name");
                }
                continue;
            }
            bool ok = t.kind == TypeKind::Element;
            if (ok && !fn->params[idx].empty()) {
                ok = false;
                for (DeclKind k : fn->params[idx]) {
                    ok = ok || t.ref == static_cast<std::uint32_t>(k);
                }
            }
            if (!ok) {
                std::string want = "an element";
                if (!fn->params[idx].empty()) {
                    want = kind_phrase(fn->params[idx].front());
                    for (std::size_t k = 1; k < fn->params[idx].size(); ++k) {
                        want += std::string(k + 1 == fn->params[idx].size() ? " or " : ", ") +
                                kind_phrase(fn->params[idx][k]);
                    }
                }
                az_.diags_.error(Code::E0314, span(args[idx]),
                                 "argument " + std::to_string(idx + 1) + " of `" + c.function.name +
                                     "` must be " + want + ", found " + az_.type_name(t),
                                 "wrong argument");
            }
        }
        return node(ExprOp::Call, {TypeKind::Bool}, c.span, args, kNone, c.function.name);
    }

    std::optional<DeclKind> collection(const ast::Ident &name) {
        std::vector<std::string_view> names;
        for (const auto &col : kCollections) {
            names.push_back(col.name);
            if (name.name == col.name) {
                return col.kind;
            }
        }
        auto &d = az_.diags_.error(Code::E0201, name.span, "unknown collection `" + name.name + "`",
                                   "not a collection");
        const std::string best = support::closest_match(name.name, names);
        d.help = best.empty()
                     ? "collections: claims, strategies, evidence, defeaters, hazards, artifacts"
                     : "did you mean `" + best + "`?";
        return std::nullopt;
    }

    ExprId binder(ExprOp op, const ast::Ident &var, const ast::Ident &coll,
                  const boost::optional<ast::Expr> &filter, const ast::Expr *body, Span sp) {
        if (env_.mode != ExprEnv::Mode::Rule) {
            az_.diags_.error(Code::E0301, sp, "quantifiers and count are allowed only in rules",
                             "not allowed here");
            return error_node(sp);
        }
        const auto kind = collection(coll);
        const std::uint32_t slot = (*env_.slots)++;
        if (env_.slot_names != nullptr) {
            env_.slot_names->push_back(var.name);
        }
        env_.bound.push_back({var.name, kind.value_or(DeclKind::Claim), slot, kind.has_value()});
        std::vector<ExprId> kids;
        kids.push_back(filter ? logical(expr(*filter), "`where`") : kNone);
        if (body != nullptr) {
            kids.push_back(logical(expr(*body), "a quantifier's body"));
        }
        env_.bound.pop_back();
        const Type t = op == ExprOp::Count ? Type{TypeKind::Int} : Type{TypeKind::Bool};
        return node(op, kind ? t : Type{TypeKind::Error}, sp, kids, slot, coll.name);
    }

    ExprId quantifier(const ast::Quantifier &q) {
        return binder(q.quantifier == "forall" ? ExprOp::Forall : ExprOp::Exists, q.var,
                      q.collection, q.filter, &q.body, q.span);
    }

    ExprId count(const ast::Count &c) {
        return binder(ExprOp::Count, c.var, c.collection, c.filter, nullptr, c.span);
    }
};

} // namespace

ExprId Analyzer::check_bool(const ast::Expr &e, ExprEnv &env, const char *what) {
    ExprChecker checker(*this, env);
    ExprId id = checker.resolve_final(checker.expr(e));
    const Type t = prog_.exprs[id].type;
    if (t.kind != TypeKind::Bool && t.kind != TypeKind::Error) {
        diags_.error(Code::E0301, prog_.exprs[id].span,
                     std::string(what) + " must be a condition (bool), found " + type_name(t),
                     "not a condition");
    }
    return id;
}

} // namespace assure::sema
