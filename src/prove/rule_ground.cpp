// SPDX-License-Identifier: Apache-2.0
// A rule's instances and their ground formulas: the outermost `forall` chain, inner quantifiers
// expanded over the case's elements, arithmetic left as terms for the solver.
#include "prove/rules_internal.hpp"

#include <algorithm>
#include <functional>

namespace assure::prove::detail {

using sema::TypeKind;

std::vector<Instance> Evaluator::instances(const sema::RuleInfo &r, ir::ConstraintModel &model) {
    slots_.assign(r.bound_slots, DeclId{});
    model_ = &model;
    true_ = model.constant(true);
    false_ = model.constant(false);
    std::vector<Instance> out;
    if (r.body != kNone) {
        std::vector<DeclId> chain;
        std::vector<ir::TermId> conds;
        outer(r.body, chain, conds, out);
    }
    model_ = nullptr;
    return out;
}

ir::TermId Evaluator::mk(ir::TermOp op, std::vector<ir::TermId> kids) {
    ++terms_;
    if (facts_ != nullptr) {
        ++facts_->terms;
    }
    return model_->apply(op, std::move(kids));
}

ir::TermId Evaluator::negate(ir::TermId t) {
    if (t == true_ || t == false_) {
        return t == true_ ? false_ : true_;
    }
    const ir::Term &term = model_->terms[t];
    if (term.op == ir::TermOp::Not) {
        return term.kids[0];
    }
    return mk(ir::TermOp::Not, {t});
}

ir::TermId Evaluator::junction(bool all, const std::vector<ir::TermId> &parts) {
    std::vector<ir::TermId> kept;
    for (ir::TermId p : parts) {
        if (p == (all ? false_ : true_)) {
            return p;
        }
        if (p != (all ? true_ : false_)) {
            kept.push_back(p);
        }
    }
    if (kept.empty()) {
        return all ? true_ : false_;
    }
    if (kept.size() == 1) {
        return kept[0];
    }
    return mk(all ? ir::TermOp::And : ir::TermOp::Or, std::move(kept));
}

ir::TermId Evaluator::implies(ir::TermId a, ir::TermId b) {
    if (a == false_ || b == true_) {
        return true_;
    }
    if (a == true_) {
        return b;
    }
    if (b == false_) {
        return negate(a);
    }
    return mk(ir::TermOp::Implies, {a, b});
}

ir::TermId Evaluator::number_term(const support::Decimal &x) {
    std::string text = (x.negative() ? -x : x).to_string();
    if (text.find('.') == std::string::npos) {
        text += ".0"; // a real, as the language's numbers in rules are
    }
    const ir::TermId t = model_->add(ir::Term{ir::TermOp::Number, 0, 0, std::move(text), {}, {}});
    return x.negative() ? mk(ir::TermOp::Neg, {t}) : t;
}

ir::TermId Evaluator::integer_term(long x) {
    const ir::TermId t =
        model_->add(ir::Term{ir::TermOp::Number, 0, 0, std::to_string(x < 0 ? -x : x), {}, {}});
    return x < 0 ? mk(ir::TermOp::Neg, {t}) : t;
}

std::optional<ir::TermId> Evaluator::constant(const Val &v) {
    switch (v.k) {
    case Val::K::Num:
        return number_term(v.n);
    case Val::K::Date:
        return integer_term(days_from_civil(v.d));
    case Val::K::Scale:
        return integer_term(static_cast<long>(v.ref));
    default:
        return std::nullopt;
    }
}

bool Evaluator::arithmetic(ExprOp op) {
    return op == ExprOp::Add || op == ExprOp::Sub || op == ExprOp::Mul || op == ExprOp::Div ||
           op == ExprOp::Neg || op == ExprOp::Count;
}

ir::TermId Evaluator::sum(const std::vector<ir::TermId> &parts, std::size_t from, std::size_t to) {
    if (to - from == 1) {
        return parts[from];
    }
    const std::size_t mid = from + (to - from) / 2;
    return mk(ir::TermOp::Add, {sum(parts, from, mid), sum(parts, mid, to)});
}

std::optional<ir::TermId> Evaluator::numeric(ExprId id) {
    const Expr &e = prog_.exprs[id];
    switch (e.op) {
    case ExprOp::Add:
    case ExprOp::Sub:
    case ExprOp::Mul:
    case ExprOp::Div: {
        const auto a = numeric(prog_.kid(e, 0));
        const auto b = numeric(prog_.kid(e, 1));
        if (!a || !b) {
            return std::nullopt;
        }
        if (e.op == ExprOp::Div) {
            guards_.push_back(mk(ir::TermOp::Ne, {*b, number_term(support::Decimal{})}));
        }
        const ir::TermOp op = e.op == ExprOp::Add   ? ir::TermOp::Add
                              : e.op == ExprOp::Sub ? ir::TermOp::Sub
                              : e.op == ExprOp::Mul ? ir::TermOp::Mul
                                                    : ir::TermOp::Div;
        return mk(op, {*a, *b});
    }
    case ExprOp::Neg: {
        const auto a = numeric(prog_.kid(e, 0));
        return a ? std::optional<ir::TermId>(mk(ir::TermOp::Neg, {*a})) : std::nullopt;
    }
    case ExprOp::Count: {
        // Elements the facts admit count 1; one whose filter is arithmetic, `ite(f, 1, 0)`.
        long known = 0;
        std::vector<ir::TermId> parts;
        const ExprId filter = prog_.kid(e, 0);
        candidates(e, filter, [&](DeclId x) {
            const ir::TermId f = filter == kNone ? true_ : ground(filter);
            if (f == true_ && facts_ != nullptr) {
                // Trace mode: that the element is declared is a fact too.
                parts.push_back(
                    mk(ir::TermOp::Ite, {declared_fact(x), integer_term(1), integer_term(0)}));
            } else if (f == true_) {
                ++known;
            } else if (f != false_) {
                parts.push_back(mk(ir::TermOp::Ite, {f, integer_term(1), integer_term(0)}));
            }
            return terms_ <= kMaxTerms;
        });
        slots_[e.ref] = DeclId{};
        parts.push_back(integer_term(known));
        // (The size is read before the call: an argument moved from in the same call
        // would be read in an unspecified order.)
        const std::size_t n = parts.size();
        return sum(parts, 0, n);
    }
    default:
        if (facts_ != nullptr) {
            // Trace mode: an attribute is a fact; a missing one guards the comparison.
            if (const auto leaf = traced_leaf(id)) {
                if (leaf->present != true_) {
                    guards_.push_back(leaf->present);
                }
                return leaf->term;
            }
        }
        return constant(eval(id));
    }
}

ir::TermId Evaluator::comparison(const Expr &e, ExprId id) {
    const ExprId l = prog_.kid(e, 0);
    const ExprId r = prog_.kid(e, 1);
    if ((e.op == ExprOp::Eq || e.op == ExprOp::Ne) && prog_.exprs[l].type.kind == TypeKind::Bool &&
        prog_.exprs[r].type.kind == TypeKind::Bool) {
        // Two conditions (`(exists ...) == (forall ...)`): grounded, so that the arithmetic
        // inside them is the solver's too.
        const ir::TermId a = ground(l);
        const ir::TermId b = ground(r);
        const ir::TermId same = junction(true, {implies(a, b), implies(b, a)});
        return e.op == ExprOp::Eq ? same : negate(same);
    }
    if (!arithmetic(prog_.exprs[l].op) && !arithmetic(prog_.exprs[r].op)) {
        const Val a = eval(l);
        const Val b = eval(r);
        const bool numeric_pair =
            a.k == b.k && (a.k == Val::K::Num || a.k == Val::K::Date ||
                           (a.k == Val::K::Scale &&
                            (a.scale == b.scale || a.scale == kNone || b.scale == kNone)));
        if (!numeric_pair) {
            // Missing, or not a number: decided by the facts (trace mode: over them).
            return facts_ != nullptr ? traced_compare(e, id) : fact(id);
        }
    }
    guards_.clear();
    const auto a = numeric(l);
    const auto b = numeric(r);
    if (!a || !b) {
        return false_;
    }
    return guarded_compare(e.op, *a, *b);
}

ir::TermId Evaluator::guarded_compare(ExprOp cmp, ir::TermId a, ir::TermId b) {
    const ir::TermOp op = cmp == ExprOp::Eq   ? ir::TermOp::Eq
                          : cmp == ExprOp::Ne ? ir::TermOp::Ne
                          : cmp == ExprOp::Lt ? ir::TermOp::Lt
                          : cmp == ExprOp::Le ? ir::TermOp::Le
                          : cmp == ExprOp::Gt ? ir::TermOp::Gt
                                              : ir::TermOp::Ge;
    std::vector<ir::TermId> parts = std::move(guards_);
    guards_.clear();
    parts.push_back(mk(op, {a, b}));
    return junction(true, parts);
}

ir::TermId Evaluator::interval(const Expr &e, ExprId id) {
    if (facts_ != nullptr) {
        return traced_interval(e, id);
    }
    const Val::K kx = kind(prog_.kid(e, 0));
    if (kx != kind(prog_.kid(e, 1)) || kx != kind(prog_.kid(e, 2)) ||
        (kx != Val::K::Num && kx != Val::K::Date)) {
        return fact(id); // scale values are not interval bounds; missing is false
    }
    guards_.clear();
    const auto tx = numeric(prog_.kid(e, 0));
    const auto tlo = numeric(prog_.kid(e, 1));
    const auto thi = numeric(prog_.kid(e, 2));
    if (!tx || !tlo || !thi) {
        guards_.clear();
        return fact(id); // an operand of arithmetic is missing: decided as the facts say
    }
    // A quotient by zero makes the test false, `in` and `not in` alike (as in comparisons).
    return guarded_interval(e, *tx, *tlo, *thi);
}

ir::TermId Evaluator::guarded_interval(const Expr &e, ir::TermId x, ir::TermId lo, ir::TermId hi) {
    const std::string &br = prog_.text(e);
    const bool open_lo = !br.empty() && br[0] == '(';
    const bool open_hi = br.size() > 1 && br[1] == ')';
    ir::TermId in = junction(true, {mk(open_lo ? ir::TermOp::Gt : ir::TermOp::Ge, {x, lo}),
                                    mk(open_hi ? ir::TermOp::Lt : ir::TermOp::Le, {x, hi})});
    if (e.negated) {
        in = negate(in);
    }
    std::vector<ir::TermId> parts = std::move(guards_);
    guards_.clear();
    parts.push_back(in);
    return junction(true, parts);
}

ir::TermId Evaluator::member(const Expr &e, ExprId id) {
    if (facts_ != nullptr) {
        return traced_member(e, id);
    }
    const Val::K kx = kind(prog_.kid(e, 0));
    if (kx != Val::K::Num && kx != Val::K::Date) {
        return fact(id); // words and scale values are facts; missing is false
    }
    guards_.clear();
    const auto tx = numeric(prog_.kid(e, 0));
    if (!tx) {
        guards_.clear();
        return fact(id);
    }
    return guarded_membership(e, *tx, [&](std::uint32_t k) { return kind(prog_.kid(e, k)) == kx; });
}

ir::TermId Evaluator::guarded_membership(const Expr &e, ir::TermId x,
                                         const std::function<bool(std::uint32_t)> &may_equal) {
    std::vector<ir::TermId> guards = std::move(guards_);
    std::vector<ir::TermId> parts;
    for (std::uint32_t k = 1; k < e.kid_count; ++k) {
        if (!may_equal(k)) {
            continue;
        }
        guards_.clear();
        const auto tv = numeric(prog_.kid(e, k));
        if (tv) {
            // A member with a quotient by zero is no member.
            std::vector<ir::TermId> eq = std::move(guards_);
            eq.push_back(mk(ir::TermOp::Eq, {x, *tv}));
            parts.push_back(junction(true, eq));
        }
    }
    guards_.clear();
    ir::TermId in = junction(false, parts);
    if (e.negated) {
        in = negate(in);
    }
    guards.push_back(in);
    return junction(true, guards);
}

ir::TermId Evaluator::ground(ExprId id) {
    const Expr &e = prog_.exprs[id];
    switch (e.op) {
    case ExprOp::Not:
        return negate(ground(prog_.kid(e, 0)));
    case ExprOp::And:
    case ExprOp::Or: {
        const bool all = e.op == ExprOp::And;
        std::vector<ir::TermId> parts;
        for (ExprId k : prog_.kids(e)) {
            parts.push_back(ground(k));
            if (parts.back() == (all ? false_ : true_)) {
                break;
            }
        }
        return junction(all, parts);
    }
    case ExprOp::Implies:
        return implies(ground(prog_.kid(e, 0)), ground(prog_.kid(e, 1)));
    case ExprOp::Eq:
    case ExprOp::Ne:
    case ExprOp::Lt:
    case ExprOp::Le:
    case ExprOp::Gt:
    case ExprOp::Ge:
        return comparison(e, id);
    case ExprOp::InInterval:
        return interval(e, id);
    case ExprOp::InSet:
        return member(e, id);
    case ExprOp::Forall:
    case ExprOp::Exists: {
        const bool all = e.op == ExprOp::Forall;
        const ExprId filter = prog_.kid(e, 0);
        const ExprId body = prog_.kid(e, 1);
        std::vector<ir::TermId> parts;
        bool decided = false;
        candidates(e, filter, [&](DeclId) {
            const ir::TermId f = filter == kNone ? true_ : ground(filter);
            if (f == false_) {
                return terms_ <= kMaxTerms;
            }
            const ir::TermId b = ground(body);
            const ir::TermId part = all ? implies(f, b) : junction(true, {f, b});
            if (part == (all ? false_ : true_)) {
                decided = true;
                return false;
            }
            parts.push_back(part);
            return terms_ <= kMaxTerms;
        });
        slots_[e.ref] = DeclId{};
        return decided ? (all ? false_ : true_) : junction(all, parts);
    }
    default:
        // Literals, relations, sets of words, boolean attributes.
        return facts_ != nullptr ? traced_atom(id) : fact(id);
    }
}

void Evaluator::outer(ExprId id, std::vector<DeclId> &chain, std::vector<ir::TermId> &conds,
                      std::vector<Instance> &out) {
    const Expr &e = prog_.exprs[id];
    if (e.op != ExprOp::Forall) {
        terms_ = 0;
        unknown_.clear();
        const ir::TermId body = ground(id);
        if (!unknown_.empty()) {
            out.push_back({chain, false_, false, std::move(unknown_)});
            unknown_.clear();
            return;
        }
        if (terms_ > kMaxTerms) {
            out.push_back({chain, false_, true, {}});
            return;
        }
        std::vector<ir::TermId> parts = conds;
        parts.push_back(negate(body));
        const ir::TermId violated = junction(true, parts);
        if (violated != false_) {
            out.push_back({chain, violated, false, {}});
        }
        return;
    }
    const ExprId filter = prog_.kid(e, 0);
    const ExprId body = prog_.kid(e, 1);
    candidates(e, filter, [&](DeclId x) {
        if (facts_ != nullptr && facts_->terms > kTraceTerms) {
            facts_->trace->complete = false;
            return false; // the trace's budget is spent
        }
        terms_ = 0;
        unknown_.clear();
        const ir::TermId f = filter == kNone ? true_ : ground(filter);
        chain.push_back(x);
        if (!unknown_.empty()) {
            out.push_back({chain, false_, false, std::move(unknown_)});
            unknown_.clear();
        } else if (terms_ > kMaxTerms) {
            out.push_back({chain, false_, true, {}});
        } else if (f != false_) {
            conds.push_back(f);
            outer(body, chain, conds, out);
            conds.pop_back();
        }
        chain.pop_back();
        return true;
    });
    slots_[e.ref] = DeclId{};
}

template <typename F> void Evaluator::candidates(const Expr &binder, ExprId filter, F &&f) {
    const DeclKind kind = collection(prog_.text(binder));
    const std::uint32_t slot = binder.ref;
    const std::vector<DeclId> *domain = generator(filter, slot);
    if (domain == nullptr && binder.op == ExprOp::Exists) {
        // A witness must satisfy the body too: a relation there bounds the search.
        domain = generator(prog_.kid(binder, 1), slot);
    }
    auto visit = [&](DeclId x) {
        if (prog_.decl(x).kind != kind || !in_range(x)) {
            return true;
        }
        slots_[slot] = x;
        return f(x);
    };
    if (domain != nullptr) {
        const std::vector<DeclId> copy = *domain; // `f` may grow the memo tables
        for (DeclId x : copy) {
            if (!visit(x)) {
                break;
            }
        }
        return;
    }
    for (DeclId d : table(kind)) {
        if (!visit(d)) {
            break;
        }
    }
}

const std::vector<DeclId> &Evaluator::table(DeclKind kind) {
    auto &t = tables_[static_cast<std::size_t>(kind)];
    if (!t) {
        t.emplace();
        for (std::uint32_t d = 0; d < prog_.decls.size(); ++d) {
            if (prog_.decls[d].kind == kind && in_range(DeclId{d})) {
                t->push_back(DeclId{d});
            }
        }
    }
    return *t;
}

DeclKind Evaluator::collection(const std::string &word) {
    if (word == "claims") {
        return DeclKind::Claim;
    }
    if (word == "strategies") {
        return DeclKind::Strategy;
    }
    if (word == "evidence") {
        return DeclKind::Evidence;
    }
    if (word == "defeaters") {
        return DeclKind::Defeater;
    }
    if (word == "hazards") {
        return DeclKind::Hazard;
    }
    return DeclKind::Artifact;
}

const std::vector<DeclId> *Evaluator::generator(ExprId filter, std::uint32_t slot) {
    if (filter == kNone) {
        return nullptr;
    }
    const Expr &e = prog_.exprs[filter];
    if (e.op == ExprOp::And) {
        for (ExprId k : prog_.kids(e)) {
            if (const auto *g = generator(k, slot)) {
                return g;
            }
        }
        return nullptr;
    }
    if (e.op != ExprOp::Call || e.kid_count != 2) {
        return nullptr;
    }
    const Expr &a = prog_.exprs[prog_.kid(e, 0)];
    const Expr &b = prog_.exprs[prog_.kid(e, 1)];
    auto is = [&](const Expr &x) { return x.op == ExprOp::Bound && x.ref == slot; };
    auto outer_bound = [&](const Expr &x) {
        return x.op == ExprOp::Bound && x.ref != slot && slots_[x.ref].valid();
    };
    const std::string &fn = prog_.text(e);
    if (fn == "mitigates" && is(a) && outer_bound(b)) {
        return &idx_.mitigators(prog_.decl(slots_[b.ref]).index);
    }
    if (fn == "mitigates" && is(b) && outer_bound(a)) {
        scratch_ = prog_.claims[prog_.decl(slots_[a.ref]).index].mitigates;
        std::sort(scratch_.begin(), scratch_.end());
        return &scratch_;
    }
    if (fn == "supports" && is(a) && outer_bound(b)) {
        return &idx_.supporters(slots_[b.ref]);
    }
    if (fn == "supports" && is(b) && outer_bound(a)) {
        return &idx_.users(slots_[a.ref]);
    }
    if (fn == "under" && is(a) && outer_bound(b)) {
        return &idx_.below(slots_[b.ref]);
    }
    return nullptr;
}

} // namespace assure::prove::detail
