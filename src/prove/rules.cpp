// SPDX-License-Identifier: Apache-2.0
#include "prove/rules.hpp"

#include "prove/argument_index.hpp"
#include "prove/risk.hpp"
#include "support/assert.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace assure::prove {

using sema::DeclKind;
using sema::Expr;
using sema::ExprId;
using sema::ExprOp;
using sema::TypeKind;

namespace {

/// A value of a rule expression. `Missing` is an attribute the element does not declare
/// (an unrated hazard's severity): every comparison with it is false.
struct Val {
    enum class K : std::uint8_t { Missing, Bool, Num, Date, Str, Scale, Enum, Elem } k = K::Missing;
    bool b = false;
    support::Decimal n; // exact
    sema::Date d;
    const std::string *s = nullptr;
    std::uint32_t ref = kNone;   // Scale: value index; Enum: vocabulary index; Elem: DeclId
    std::uint32_t scale = kNone; // Scale: the scale
};

Val boolean(bool b) {
    Val v;
    v.k = Val::K::Bool;
    v.b = b;
    return v;
}
Val number(support::Decimal n) {
    Val v;
    v.k = Val::K::Num;
    v.n = std::move(n);
    return v;
}

/// Evidence with no `valid_until:` never expires: it compares after every date.
constexpr sema::Date kNever{9999, 12, 31};

/// Decides `overlaps(x, R)` and `within(x, R)`: whether the scope of a claim (every operating
/// point when it has no `scope:`) or of evidence (the union of the regions its metrics were
/// measured over; evidence without metrics has none, so both are false) shares a point with the
/// region R, or lies inside it. Each is a query of the proof's batch over the operating domain,
/// asked once per element and region.
class Scopes {
  public:
    Scopes(const sema::Program &prog, lower::ConstraintBuilder &constraints, solver::Batch &batch,
           std::vector<ScopeQuestion> &asked)
        : prog_(prog), constraints_(constraints), batch_(batch), asked_(asked) {}

    /// nullopt when the solver gives up (then `why` says why).
    std::optional<bool> decide(DeclId x, ExprId region, bool within, std::string &why) {
        const std::uint64_t key = (std::uint64_t{x.value} << 33U) |
                                  (std::uint64_t{prog_.exprs[region].ref} << 1U) |
                                  (within ? 1U : 0U);
        auto [it, fresh] = memo_.try_emplace(key);
        if (fresh) {
            it->second.answer = ask(x, region, within, it->second.why);
        }
        why = it->second.why;
        return it->second.answer;
    }

  private:
    std::optional<bool> ask(DeclId x, ExprId region, bool within, std::string &why) {
        auto &model = constraints_.model();
        const sema::Decl &d = prog_.decl(x);
        std::optional<ir::TermId> scope;
        if (d.kind == DeclKind::Claim) {
            const auto &c = prog_.claims[d.index];
            scope = c.scope ? constraints_.region(*c.scope) : model.constant(true);
        } else if (d.kind == DeclKind::Evidence) {
            std::vector<ir::TermId> parts;
            for (const auto &m : prog_.evidence[d.index].metrics) {
                if (const auto t = constraints_.region(m.over)) {
                    parts.push_back(*t);
                }
            }
            if (!parts.empty()) {
                scope = parts.size() == 1 ? parts[0] : model.apply(ir::TermOp::Or, parts);
            }
        }
        const auto r = constraints_.expr(region);
        if (!scope || !r) {
            return false; // no scope (or an unresolved region, reported by check)
        }
        const ir::TermId other = within ? model.apply(ir::TermOp::Not, {*r}) : *r;
        const std::uint32_t q = batch_.add(ir::Query{{}, {*scope, other}, {}});
        batch_.solve();
        asked_.push_back({x, DeclId{prog_.exprs[region].ref}, within, q});
        const solver::Outcome &o = batch_.outcome(q);
        if (o.verdict == solver::Verdict::Unknown) {
            why = "the solver gave up (" + o.unknown_reason + ") on whether the scope of " +
                  prog_.qualified_name(x) + (within ? " lies within " : " overlaps ") +
                  prog_.qualified_name(DeclId{prog_.exprs[region].ref});
            return std::nullopt;
        }
        return (o.verdict == solver::Verdict::Sat) != within;
    }

    const sema::Program &prog_;
    lower::ConstraintBuilder &constraints_;
    solver::Batch &batch_;
    std::vector<ScopeQuestion> &asked_;
    struct Answer {
        std::optional<bool> answer; // nullopt: the solver gave up
        std::string why;            // then: why
    };
    std::unordered_map<std::uint64_t, Answer> memo_;
};

/// One assignment of a rule's outermost `forall` chain with the ground formula whose
/// satisfiability is a violation; `too_large` when it would exceed the term budget (then
/// `formula` means nothing and the instance is undecided).
struct Instance {
    std::vector<DeclId> chain;
    ir::TermId formula = 0;
    bool too_large = false;
    std::string unknown; // the solver gave up on a scope it reads: undecided
};

class Evaluator {
  public:
    /// Terms one instance may expand to; a larger one is left undecided (unknown).
    static constexpr std::size_t max_terms() { return kMaxTerms; }

    /// `scopes` decides `overlaps` and `within`; without it (risk only) both are false.
    Evaluator(const sema::Program &prog, ArgumentIndex &index, const Overrides &ov, Scopes *scopes)
        : prog_(prog), idx_(index), ov_(ov), scopes_(scopes) {}

    /// The rule's instances (docs/semantics.md, "Rules"): each assignment of its outermost
    /// `forall` chain whose filters the facts do not already refute, with the ground formula
    /// whose satisfiability is a violation (see `ground`). An assignment for which that formula
    /// folds to false satisfies the rule on the facts alone and is not listed.
    std::vector<Instance> instances(const sema::RuleInfo &r, ir::ConstraintModel &model) {
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

  private:
    static constexpr std::size_t kMaxTerms = 200000;

    // ---- ground formulas ---------------------------------------------------------------------
    //
    // With the quantified variables bound, a rule's body is ground: inner quantifiers expand to
    // conjunctions and disjunctions over the case's elements, counts to sums. Facts that are
    // not arithmetic (relations, vocabulary words, strings, identities) fold to true or false;
    // arithmetic stays for the solver: numbers (costs, counts) as reals, dates as days since
    // 1970-01-01 and scale values as their rank (lowest 0), compared with `<`, `+`, `ite`, ...
    // A comparison with a missing attribute, or with a quotient by zero, is false.

    ir::TermId mk(ir::TermOp op, std::vector<ir::TermId> kids) {
        ++terms_;
        return model_->apply(op, std::move(kids));
    }

    ir::TermId negate(ir::TermId t) {
        if (t == true_ || t == false_) {
            return t == true_ ? false_ : true_;
        }
        const ir::Term &term = model_->terms[t];
        if (term.op == ir::TermOp::Not) {
            return term.kids[0];
        }
        return mk(ir::TermOp::Not, {t});
    }

    /// A conjunction (`all`) or disjunction, folded: constants dropped or deciding it.
    ir::TermId junction(bool all, const std::vector<ir::TermId> &parts) {
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

    ir::TermId implies(ir::TermId a, ir::TermId b) {
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

    ir::TermId fact(ExprId id) { return truth(id) ? true_ : false_; }

    ir::TermId number_term(const support::Decimal &x) {
        std::string text = (x.negative() ? -x : x).to_string();
        if (text.find('.') == std::string::npos) {
            text += ".0"; // a real, as the language's numbers in rules are
        }
        const ir::TermId t =
            model_->add(ir::Term{ir::TermOp::Number, 0, 0, std::move(text), {}, {}});
        return x.negative() ? mk(ir::TermOp::Neg, {t}) : t;
    }

    ir::TermId integer_term(long x) {
        const ir::TermId t =
            model_->add(ir::Term{ir::TermOp::Number, 0, 0, std::to_string(x < 0 ? -x : x), {}, {}});
        return x < 0 ? mk(ir::TermOp::Neg, {t}) : t;
    }

    /// A numeric value (number, date, scale value) as a constant; nullopt for any other.
    std::optional<ir::TermId> constant(const Val &v) {
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

    static bool arithmetic(ExprOp op) {
        return op == ExprOp::Add || op == ExprOp::Sub || op == ExprOp::Mul || op == ExprOp::Div ||
               op == ExprOp::Neg || op == ExprOp::Count;
    }

    /// A sum of terms, balanced (the solver's encoder recurses on depth).
    ir::TermId sum(const std::vector<ir::TermId> &parts, std::size_t from, std::size_t to) {
        if (to - from == 1) {
            return parts[from];
        }
        const std::size_t mid = from + (to - from) / 2;
        return mk(ir::TermOp::Add, {sum(parts, from, mid), sum(parts, mid, to)});
    }

    /// A numeric operand as a term; nullopt when it is missing (an attribute the element does
    /// not have, or arithmetic on one). A divisor adds `divisor != 0` to `guards_`.
    std::optional<ir::TermId> numeric(ExprId id) {
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
            candidates(e, filter, [&](DeclId) {
                const ir::TermId f = filter == kNone ? true_ : ground(filter);
                if (f == true_) {
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
            return constant(eval(id));
        }
    }

    /// A comparison: arithmetic for the solver when both sides are numeric, else a fact.
    ir::TermId comparison(const Expr &e, ExprId id) {
        const ExprId l = prog_.kid(e, 0);
        const ExprId r = prog_.kid(e, 1);
        if ((e.op == ExprOp::Eq || e.op == ExprOp::Ne) &&
            prog_.exprs[l].type.kind == TypeKind::Bool &&
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
                return fact(id); // missing, or not a number: decided by the facts
            }
        }
        guards_.clear();
        const auto a = numeric(l);
        const auto b = numeric(r);
        if (!a || !b) {
            return false_;
        }
        const ir::TermOp op = e.op == ExprOp::Eq   ? ir::TermOp::Eq
                              : e.op == ExprOp::Ne ? ir::TermOp::Ne
                              : e.op == ExprOp::Lt ? ir::TermOp::Lt
                              : e.op == ExprOp::Le ? ir::TermOp::Le
                              : e.op == ExprOp::Gt ? ir::TermOp::Gt
                                                   : ir::TermOp::Ge;
        std::vector<ir::TermId> parts = std::move(guards_);
        guards_.clear();
        parts.push_back(mk(op, {*a, *b}));
        return junction(true, parts);
    }

    /// `x in [lo, hi]` over numbers, dates or scale values: two comparisons for the solver.
    ir::TermId interval(const Expr &e, ExprId id) {
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
        const std::string &br = prog_.text(e);
        const bool open_lo = !br.empty() && br[0] == '(';
        const bool open_hi = br.size() > 1 && br[1] == ')';
        ir::TermId in =
            junction(true, {mk(open_lo ? ir::TermOp::Gt : ir::TermOp::Ge, {*tx, *tlo}),
                            mk(open_hi ? ir::TermOp::Lt : ir::TermOp::Le, {*tx, *thi})});
        if (e.negated) {
            in = negate(in);
        }
        // A quotient by zero makes the test false, `in` and `not in` alike (as in comparisons).
        std::vector<ir::TermId> parts = std::move(guards_);
        guards_.clear();
        parts.push_back(in);
        return junction(true, parts);
    }

    /// The kind of value of a rule operand: arithmetic is a number (the solver's), anything
    /// else what the facts give.
    Val::K kind(ExprId id) { return arithmetic(prog_.exprs[id].op) ? Val::K::Num : eval(id).k; }

    /// `x in {a, b, ...}` over numbers or dates: equalities for the solver.
    ir::TermId member(const Expr &e, ExprId id) {
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
        std::vector<ir::TermId> guards = std::move(guards_);
        std::vector<ir::TermId> parts;
        for (std::uint32_t k = 1; k < e.kid_count; ++k) {
            if (kind(prog_.kid(e, k)) != kx) {
                continue;
            }
            guards_.clear();
            const auto tv = numeric(prog_.kid(e, k));
            if (tv) {
                // A member with a quotient by zero is no member.
                std::vector<ir::TermId> eq = std::move(guards_);
                eq.push_back(mk(ir::TermOp::Eq, {*tx, *tv}));
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

    /// A boolean rule expression, with the variables bound so far, as a ground formula.
    ir::TermId ground(ExprId id) {
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
            return fact(id); // literals, relations, sets of words, boolean attributes
        }
    }

    // ---- the outermost forall chain ----------------------------------------------------------

    void outer(ExprId id, std::vector<DeclId> &chain, std::vector<ir::TermId> &conds,
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

    // ---- quantifiers -------------------------------------------------------------------------

    /// Calls `f(x)`, with `x` bound, for each element `x` of the binder's collection its filter
    /// may admit (all but those a relation in it excludes), in declaration order, until `f`
    /// returns false. The filter itself is the caller's to decide.
    template <typename F> void candidates(const Expr &binder, ExprId filter, F &&f) {
        const DeclKind kind = collection(prog_.text(binder));
        const std::uint32_t slot = binder.ref;
        const std::vector<DeclId> *domain = generator(filter, slot);
        if (domain == nullptr && binder.op == ExprOp::Exists) {
            // A witness must satisfy the body too: a relation there bounds the search.
            domain = generator(prog_.kid(binder, 1), slot);
        }
        auto visit = [&](DeclId x) {
            if (prog_.decl(x).kind != kind) {
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

    /// The declarations of a collection, in declaration order.
    const std::vector<DeclId> &table(DeclKind kind) {
        auto &t = tables_[static_cast<std::size_t>(kind)];
        if (!t) {
            t.emplace();
            for (std::uint32_t d = 0; d < prog_.decls.size(); ++d) {
                if (prog_.decls[d].kind == kind) {
                    t->push_back(DeclId{d});
                }
            }
        }
        return *t;
    }

    static DeclKind collection(const std::string &word) {
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

    /// A superset of the elements that can pass `filter` as `slot`, from a conjunct relating
    /// `slot` to a variable bound outside it; nullptr when there is none (then every element
    /// of the collection is tried).
    const std::vector<DeclId> *generator(ExprId filter, std::uint32_t slot) {
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

    // ---- expressions -------------------------------------------------------------------------

    bool truth(ExprId id) {
        const Val v = eval(id);
        return v.k == Val::K::Bool && v.b;
    }

    Val eval(ExprId id) {
        const Expr &e = prog_.exprs[id];
        switch (e.op) {
        case ExprOp::Bool:
            return boolean(e.ref == 1);
        case ExprOp::Number:
            return number(prog_.numbers[e.text]);
        case ExprOp::Date: {
            Val v;
            if (const auto d = parse_date(prog_.text(e))) {
                v.k = Val::K::Date;
                v.d = *d;
            }
            return v;
        }
        case ExprOp::String: {
            Val v;
            v.k = Val::K::Str;
            v.s = &prog_.text(e);
            return v;
        }
        case ExprOp::ScaleValue: {
            Val v;
            v.k = Val::K::Scale;
            v.ref = e.ref;
            v.scale = e.type.ref;
            return v;
        }
        case ExprOp::EnumValue: {
            Val v;
            v.k = Val::K::Enum;
            v.ref = e.ref;
            return v;
        }
        case ExprOp::Bound: {
            Val v;
            v.k = Val::K::Elem;
            v.ref = slots_[e.ref].value;
            return v;
        }
        case ExprOp::Attribute:
            return attribute(eval(prog_.kid(e, 0)), prog_.text(e));
        case ExprOp::Neg: {
            const Val a = eval(prog_.kid(e, 0));
            return a.k == Val::K::Num ? number(-a.n) : Val{};
        }
        case ExprOp::Add:
        case ExprOp::Sub:
        case ExprOp::Mul:
        case ExprOp::Div:
            return arith(e);
        case ExprOp::Eq:
        case ExprOp::Ne:
        case ExprOp::Lt:
        case ExprOp::Le:
        case ExprOp::Gt:
        case ExprOp::Ge:
            return boolean(compare(e.op, eval(prog_.kid(e, 0)), eval(prog_.kid(e, 1))));
        case ExprOp::InInterval: {
            const Val x = eval(prog_.kid(e, 0));
            const Val lo = eval(prog_.kid(e, 1));
            const Val hi = eval(prog_.kid(e, 2));
            if (x.k == Val::K::Missing) {
                return boolean(false); // `in` and `not in` alike
            }
            const std::string &br = prog_.text(e);
            const bool open_lo = !br.empty() && br[0] == '(';
            const bool open_hi = br.size() > 1 && br[1] == ')';
            const bool in = compare(open_lo ? ExprOp::Gt : ExprOp::Ge, x, lo) &&
                            compare(open_hi ? ExprOp::Lt : ExprOp::Le, x, hi);
            return boolean(in != e.negated);
        }
        case ExprOp::InSet: {
            const Val x = eval(prog_.kid(e, 0));
            if (x.k == Val::K::Missing) {
                return boolean(false); // `in` and `not in` alike
            }
            bool in = false;
            for (std::uint32_t k = 1; k < e.kid_count && !in; ++k) {
                in = compare(ExprOp::Eq, x, eval(prog_.kid(e, k)));
            }
            return boolean(in != e.negated);
        }
        case ExprOp::Not:
            return boolean(!truth(prog_.kid(e, 0)));
        case ExprOp::And:
            for (ExprId k : prog_.kids(e)) {
                if (!truth(k)) {
                    return boolean(false);
                }
            }
            return boolean(true);
        case ExprOp::Or:
            for (ExprId k : prog_.kids(e)) {
                if (truth(k)) {
                    return boolean(true);
                }
            }
            return boolean(false);
        case ExprOp::Implies:
            return boolean(!truth(prog_.kid(e, 0)) || truth(prog_.kid(e, 1)));
        case ExprOp::Call:
            return boolean(call(e));
        case ExprOp::Forall:
        case ExprOp::Exists:
        case ExprOp::Count:
            // Quantifiers and counts are grounded (`ground`, `numeric`), never evaluated here.
            ASSURE_ASSERT(false, "a quantifier reached the fact evaluator");
            return {};
        case ExprOp::Var:
        case ExprOp::Region:
            return {}; // not allowed in rules (sema reports them)
        }
        return {};
    }

    Val arith(const Expr &e) {
        const Val a = eval(prog_.kid(e, 0));
        const Val b = eval(prog_.kid(e, 1));
        if (a.k != Val::K::Num || b.k != Val::K::Num) {
            return {};
        }
        switch (e.op) {
        case ExprOp::Add:
            return number(a.n + b.n);
        case ExprOp::Sub:
            return number(a.n - b.n);
        case ExprOp::Mul:
            return number(a.n * b.n);
        default:
            // Comparisons, intervals and sets hand arithmetic to the solver (`numeric`); only a
            // missing operand reaches here.
            ASSURE_ASSERT(false, "a quotient reached the fact evaluator");
            return {};
        }
    }

    static bool compare(ExprOp op, const Val &a, const Val &b) {
        if (a.k == Val::K::Missing || b.k == Val::K::Missing || a.k != b.k) {
            return false;
        }
        int c = 0; // <0, 0, >0; or equality only
        bool ordered = true;
        switch (a.k) {
        case Val::K::Num:
            c = a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
            break;
        case Val::K::Date:
            c = a.d < b.d ? -1 : b.d < a.d ? 1 : 0;
            break;
        case Val::K::Scale:
            if (a.scale != b.scale && a.scale != kNone && b.scale != kNone) {
                return false;
            }
            c = a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
            break;
        case Val::K::Bool:
            c = a.b == b.b ? 0 : 1;
            ordered = false;
            break;
        case Val::K::Str:
            c = *a.s == *b.s ? 0 : 1;
            ordered = false;
            break;
        case Val::K::Enum:
        case Val::K::Elem:
            c = a.ref == b.ref ? 0 : 1;
            ordered = false;
            break;
        case Val::K::Missing:
            return false;
        }
        switch (op) {
        case ExprOp::Eq:
            return c == 0;
        case ExprOp::Ne:
            return c != 0;
        case ExprOp::Lt:
            return ordered && c < 0;
        case ExprOp::Le:
            return ordered && c <= 0;
        case ExprOp::Gt:
            return ordered && c > 0;
        case ExprOp::Ge:
            return ordered && c >= 0;
        default:
            return false;
        }
    }

    Val attribute(const Val &x, const std::string &name) const {
        Val v;
        if (x.k != Val::K::Elem || x.ref == kNone) {
            return v;
        }
        const sema::Decl &d = prog_.decls[x.ref];
        if (d.kind == DeclKind::Hazard && name == "risk") {
            const auto &hz = prog_.hazards[d.index];
            if (hz.matrix.valid() && hz.severity && hz.likelihood) {
                const auto &mx = prog_.matrices[prog_.decl(hz.matrix).index];
                const std::size_t cols = prog_.scales[mx.columns].values.size();
                const std::size_t at = hz.severity->value * cols + hz.likelihood->value;
                if (at < mx.cells.size() && mx.cells[at] != kNone) {
                    v.k = Val::K::Scale;
                    v.ref = mx.cells[at];
                    v.scale = mx.levels;
                }
            }
        } else if (d.kind == DeclKind::Hazard) {
            const auto &hz = prog_.hazards[d.index];
            const auto &rating = name == "severity" ? hz.severity : hz.likelihood;
            if (rating) {
                v.k = Val::K::Scale;
                v.ref = rating->value;
                v.scale = rating->scale;
            }
        } else if (d.kind == DeclKind::Evidence) {
            const auto &ev = prog_.evidence[d.index];
            const bool fresh = ov_.reverified.count(d.index) != 0;
            if (name == "result") {
                const auto it = ov_.result.find(d.index);
                const sema::EvidenceResult r = fresh                    ? sema::EvidenceResult::Pass
                                               : it != ov_.result.end() ? it->second
                                                                        : ev.result;
                v.k = Val::K::Enum;
                v.ref = static_cast<std::uint32_t>(r);
            } else if (name == "kind") {
                if (ev.kind != sema::EvidenceKind::Unspecified) {
                    v.k = Val::K::Enum;
                    v.ref = static_cast<std::uint32_t>(ev.kind) - 1;
                }
            } else if (name == "cost") {
                v = number(ev.cost.value_or(support::Decimal(1)));
            } else if (name == "valid_until") {
                const auto it = ov_.valid_until.find(d.index);
                v.k = Val::K::Date;
                v.d = it != ov_.valid_until.end() ? it->second
                      : fresh || !ev.valid_until  ? kNever
                                                  : *ev.valid_until;
            } else if (name == "producer" || name == "approved_by" || name == "team" ||
                       name == "department") {
                v.k = Val::K::Str;
                v.s = name == "producer"     ? &ev.producer
                      : name == "team"       ? &ev.team
                      : name == "department" ? &ev.department
                                             : &ev.approved_by;
            }
        } else if (d.kind == DeclKind::Claim && name == "undeveloped") {
            v = boolean(prog_.claims[d.index].undeveloped);
        } else if (d.kind == DeclKind::Defeater && name == "status") {
            const auto it = ov_.defeater_status.find(d.index);
            v.k = Val::K::Enum;
            v.ref = static_cast<std::uint32_t>(
                it != ov_.defeater_status.end() ? it->second : prog_.defeaters[d.index].status);
        }
        return v;
    }

    bool call(const Expr &e) {
        const std::string &name = prog_.text(e);
        if (name == "overlaps" || name == "within") {
            return scope_call(e, name == "within");
        }
        const Val a = eval(prog_.kid(e, 0));
        const Val b = eval(prog_.kid(e, 1));
        if (a.k != Val::K::Elem || b.k != Val::K::Elem || a.ref == kNone || b.ref == kNone) {
            return false;
        }
        const DeclId x{a.ref};
        const DeclId y{b.ref};
        const std::string &fn = prog_.text(e);
        if (fn == "mitigates") {
            const auto &list = prog_.claims[prog_.decl(x).index].mitigates;
            return std::find(list.begin(), list.end(), y) != list.end();
        }
        if (fn == "supports") {
            const auto &list = idx_.supporters(y);
            return std::binary_search(list.begin(), list.end(), x);
        }
        if (fn == "under") {
            const auto &list = idx_.below(y);
            return std::binary_search(list.begin(), list.end(), x);
        }
        if (fn == "independent") {
            return idx_.independent(x, y);
        }
        return false;
    }

    /// `overlaps(x, R)` / `within(x, R)`; an undecided answer is false and noted in unknown_.
    bool scope_call(const Expr &e, bool within) {
        const Val a = eval(prog_.kid(e, 0));
        if (a.k != Val::K::Elem || a.ref == kNone || scopes_ == nullptr) {
            return false;
        }
        std::string why;
        const auto answer = scopes_->decide(DeclId{a.ref}, prog_.kid(e, 1), within, why);
        if (!answer) {
            if (unknown_.empty()) {
                unknown_ = why;
            }
            return false;
        }
        return *answer;
    }

    const sema::Program &prog_;
    ArgumentIndex &idx_;
    const Overrides &ov_;
    Scopes *scopes_;
    std::string unknown_; // instances(): why a scope the instance reads is undecided
    std::vector<DeclId> slots_;
    ir::ConstraintModel *model_ = nullptr; // instances(): where ground terms go
    ir::TermId true_ = 0, false_ = 0;
    std::size_t terms_ = 0; // instances(): terms the instance's formula has so far (facts do not
                            // count: they fold away)
    std::vector<ir::TermId> guards_; // comparison(): divisors that must not be zero
    std::vector<DeclId> scratch_;
    std::array<std::optional<std::vector<DeclId>>, sema::kDeclKindCount> tables_;
};

/// The argument elements a violation's bindings stand for: a hazard by the claims mitigating
/// it, a defeater by its target, an artifact by the evidence resting on it.
std::vector<DeclId> anchors(const sema::Program &prog, const ArgumentIndex &ev,
                            const std::vector<RuleBinding> &bindings) {
    std::vector<DeclId> out;
    for (const auto &b : bindings) {
        const sema::Decl &d = prog.decl(b.element);
        switch (d.kind) {
        case DeclKind::Claim:
        case DeclKind::Strategy:
        case DeclKind::Evidence:
            out.push_back(b.element);
            break;
        case DeclKind::Hazard: {
            const auto &m = ev.mitigators(d.index);
            out.insert(out.end(), m.begin(), m.end());
            break;
        }
        case DeclKind::Defeater:
            out.push_back(prog.defeaters[d.index].target);
            break;
        case DeclKind::Artifact:
            for (const auto &e : prog.evidence) {
                if (std::find(e.artifacts.begin(), e.artifacts.end(), b.element) !=
                    e.artifacts.end()) {
                    out.push_back(e.decl);
                }
            }
            break;
        default:
            break;
        }
    }
    return out;
}

} // namespace

bool reads_evidence_state(const sema::Program &program, const sema::RuleInfo &rule) {
    std::vector<ExprId> stack;
    if (rule.body != kNone) {
        stack.push_back(rule.body);
    }
    while (!stack.empty()) {
        const Expr &e = program.exprs[stack.back()];
        stack.pop_back();
        if (e.op == ExprOp::Attribute &&
            (program.text(e) == "result" || program.text(e) == "valid_until")) {
            return true;
        }
        for (ExprId k : program.kids(e)) {
            if (k != kNone) {
                stack.push_back(k);
            }
        }
    }
    return false;
}

namespace {

/// The names of a rule's outermost `forall` variables, outermost first.
std::vector<std::string> chain_names(const sema::Program &program, const sema::RuleInfo &rule) {
    std::vector<std::string> out;
    for (ExprId at = rule.body; at != kNone && program.exprs[at].op == ExprOp::Forall;
         at = program.kid(program.exprs[at], 1)) {
        const std::uint32_t slot = program.exprs[at].ref;
        out.push_back(slot < rule.slot_names.size() ? rule.slot_names[slot] : std::string());
    }
    return out;
}

/// Grounds every rule, asks the solver about each instance (all rules' in one batch) and
/// sorts the answers into violations (sat) and undecided instances (unknown, or too large).
std::vector<RuleResult> evaluate_rules(const sema::Program &program, ArgumentIndex &index,
                                       Evaluator &ev, const std::vector<DeclId> &top_claims,
                                       ir::ConstraintModel &model, solver::Batch &batch) {
    struct Asked {
        std::uint32_t rule;
        Instance instance;
        std::uint32_t query;
    };
    std::vector<Asked> asked;
    std::vector<RuleResult> out(program.rules.size());
    for (std::uint32_t ri = 0; ri < program.rules.size(); ++ri) {
        for (auto &inst : ev.instances(program.rules[ri], model)) {
            const std::uint32_t q = inst.too_large || !inst.unknown.empty()
                                        ? kNone
                                        : batch.add(ir::Query{{}, {inst.formula}, {}});
            asked.push_back({ri, std::move(inst), q});
        }
    }
    batch.solve();
    const std::vector<bool> is_top = top_flags(program, top_claims);
    std::vector<bool> seen(program.decls.size(), false);
    std::vector<std::vector<std::string>> names(program.rules.size());
    for (std::uint32_t ri = 0; ri < program.rules.size(); ++ri) {
        names[ri] = chain_names(program, program.rules[ri]);
    }
    for (auto &a : asked) {
        RuleResult &r = out[a.rule];
        RuleViolation v;
        v.query = a.query;
        if (!a.instance.unknown.empty()) {
            v.unknown = a.instance.unknown;
        } else if (a.query == kNone) {
            v.unknown = "the instance is too large for the solver (over " +
                        std::to_string(Evaluator::max_terms()) + " terms)";
        } else {
            ++r.instances;
            const solver::Outcome &o = batch.outcome(a.query);
            if (o.verdict == solver::Verdict::Unsat) {
                continue;
            }
            if (o.verdict == solver::Verdict::Unknown) {
                v.unknown = "the solver gave up (" + o.unknown_reason + ")";
            }
        }
        for (std::size_t i = 0; i < a.instance.chain.size(); ++i) {
            v.bindings.push_back(
                {i < names[a.rule].size() ? names[a.rule][i] : std::string(), a.instance.chain[i]});
        }
        v.affected =
            tops_above(index, anchors(program, index, v.bindings), is_top, top_claims, seen);
        (v.unknown.empty() ? r.violations : r.undecided).push_back(std::move(v));
    }
    for (auto &r : out) {
        r.holds = r.violations.empty() && r.undecided.empty();
    }
    return out;
}

} // namespace

void evaluate_rules_and_risk(const sema::Program &program, const Overrides &overrides,
                             const sema::Date &date, ProofResult &result) {
    if (program.rules.empty() && program.hazards.empty()) {
        return;
    }
    ArgumentIndex index(program);
    result.hazards = evaluate_risk(program, index, overrides, result, date);
    Scopes scopes(program, *result.constraints, *result.batch, result.scope_questions);
    Evaluator ev(program, index, overrides, &scopes);
    result.rules = evaluate_rules(program, index, ev, result.top_claims,
                                  result.constraints->model(), *result.batch);
}

} // namespace assure::prove
