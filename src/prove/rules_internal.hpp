// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/prove: the evaluation of rules (see rules.hpp), shared by rules.cpp (the
// driver), rule_ground.cpp (an instance's ground formula), rule_facts.cpp (the facts of the
// case) and rule_scopes.cpp (the `overlaps` and `within` queries).

#include "dsl/sema/program.hpp"
#include "prove/argument_index.hpp"
#include "prove/prove.hpp"
#include "prove/rule_trace.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace assure::prove::detail {

using sema::DeclKind;
using sema::Expr;
using sema::ExprId;
using sema::ExprOp;

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
    std::optional<bool> decide(DeclId x, ExprId region, bool within, std::string &why);

  private:
    std::optional<bool> ask(DeclId x, ExprId region, bool within, std::string &why);

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

/// Trace mode (rule_trace.hpp): the facts of one rule's trace, as variables of its model.
struct FactTable {
    RuleTrace *trace = nullptr;
    std::map<std::string, std::uint32_t> by_key;       // a fact's identity -> index in trace->facts
    std::map<std::string, std::uint32_t> by_name;      // SMT-LIB names taken
    std::map<std::string, std::uint32_t> codes;        // string -> its code (trace->strings)
    std::size_t terms = 0;                             // terms made so far (the trace's budget)
    const std::vector<ScopeQuestion> *asked = nullptr; // the scope questions asked so far
    const solver::Batch *batch = nullptr;              // their answers
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

/// Evaluates rules on one program with one set of overrides: grounds a rule's instances into
/// formulas of a constraint model (rule_ground.cpp) from the facts they read (rule_facts.cpp).
/// It memoises collections and relations, so it is used by one thread at a time.
class Evaluator {
  public:
    /// Terms one instance may expand to; a larger one is left undecided (unknown).
    static constexpr std::size_t max_terms() { return kMaxTerms; }

    /// `scopes` decides `overlaps` and `within`; without it (risk only) both are false.
    /// `today` is the date judged at: the `date` of re-verified evidence (produced again).
    /// `range` (flags by module index, outliving the evaluator) is the case the rules are
    /// evaluated in: quantifiers range over the elements declared in those modules only, and
    /// `index` should be that case's argument (cases.hpp). Without it, over every element.
    /// `reads` (by Program::reads index) are the values the proof read from artifacts: the
    /// `result` of evidence whose result is read is the one read (missing when unread).
    Evaluator(const sema::Program &prog, ArgumentIndex &index, const Overrides &ov, Scopes *scopes,
              const sema::Date &today, const std::vector<bool> *range = nullptr,
              const std::vector<ReadOutcome> *reads = nullptr)
        : prog_(prog), idx_(index), ov_(ov), scopes_(scopes), today_(today), range_(range),
          reads_(reads) {}

    /// The rule's instances (docs/semantics.md, "Rules"): each assignment of its outermost
    /// `forall` chain whose filters the facts do not already refute, with the ground formula
    /// whose satisfiability is a violation (see `ground`). An assignment for which that formula
    /// folds to false satisfies the rule on the facts alone and is not listed.
    std::vector<Instance> instances(const sema::RuleInfo &r, ir::ConstraintModel &model);

    /// Trace mode (rule_trace.hpp) while `facts` is set: `instances` folds no fact of the case
    /// but makes it a variable of `facts` (with its value), so every assignment its relations
    /// admit is an instance; a scope question the solver gave up on is a free variable. Its
    /// enumeration stops when `facts->terms` passes kTraceTerms.
    void trace_into(FactTable *facts) { facts_ = facts; }

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

    ir::TermId mk(ir::TermOp op, std::vector<ir::TermId> kids);

    ir::TermId negate(ir::TermId t);

    /// A conjunction (`all`) or disjunction, folded: constants dropped or deciding it.
    ir::TermId junction(bool all, const std::vector<ir::TermId> &parts);

    ir::TermId implies(ir::TermId a, ir::TermId b);

    ir::TermId fact(ExprId id) { return truth(id) ? true_ : false_; }

    ir::TermId number_term(const support::Decimal &x);

    ir::TermId integer_term(long x);

    /// A numeric value (number, date, scale value) as a constant; nullopt for any other.
    std::optional<ir::TermId> constant(const Val &v);

    static bool arithmetic(ExprOp op);

    /// A sum of terms, balanced (the solver's encoder recurses on depth).
    ir::TermId sum(const std::vector<ir::TermId> &parts, std::size_t from, std::size_t to);

    /// A numeric operand as a term; nullopt when it is missing (an attribute the element does
    /// not have, or arithmetic on one). A divisor adds `divisor != 0` to `guards_`.
    std::optional<ir::TermId> numeric(ExprId id);

    /// A comparison: arithmetic for the solver when both sides are numeric, else a fact.
    ir::TermId comparison(const Expr &e, ExprId id);

    /// `x in [lo, hi]` over numbers, dates or scale values: two comparisons for the solver.
    ir::TermId interval(const Expr &e, ExprId id);
    /// `a OP b` for a comparison operator, conjoined with (and clearing) the guards its
    /// operands left (a quotient by zero makes the test false).
    ir::TermId guarded_compare(ExprOp cmp, ir::TermId a, ir::TermId b);
    /// `x in [lo, hi]` (or `not in`) with the brackets written at `e`, conjoined with (and
    /// clearing) the guards its operands left.
    ir::TermId guarded_interval(const Expr &e, ir::TermId x, ir::TermId lo, ir::TermId hi);
    /// `x in {k1, k2, ...}` (or `not in`) over the members `may_equal` admits (by kid index),
    /// with the guards `x` left (taken) and those of each member.
    ir::TermId guarded_membership(const Expr &e, ir::TermId x,
                                  const std::function<bool(std::uint32_t)> &may_equal);

    /// The kind of value of a rule operand: arithmetic is a number (the solver's), anything
    /// else what the facts give.
    Val::K kind(ExprId id) { return arithmetic(prog_.exprs[id].op) ? Val::K::Num : eval(id).k; }

    /// `x in {a, b, ...}` over numbers or dates: equalities for the solver.
    ir::TermId member(const Expr &e, ExprId id);

    /// A boolean rule expression, with the variables bound so far, as a ground formula.
    ir::TermId ground(ExprId id);

    // ---- the outermost forall chain ----------------------------------------------------------

    void outer(ExprId id, std::vector<DeclId> &chain, std::vector<ir::TermId> &conds,
               std::vector<Instance> &out);

    // ---- quantifiers -------------------------------------------------------------------------

    /// Calls `f(x)`, with `x` bound, for each element `x` of the binder's collection its filter
    /// may admit (all but those a relation in it excludes), in declaration order, until `f`
    /// returns false. The filter itself is the caller's to decide.
    template <typename F> void candidates(const Expr &binder, ExprId filter, F &&f);

    /// The declarations of a collection in the range, in declaration order.
    const std::vector<DeclId> &table(DeclKind kind);

    /// Whether a quantifier may take `x`: it is declared in the range.
    [[nodiscard]] bool in_range(DeclId x) const {
        return range_ == nullptr || (*range_)[prog_.decl(x).module];
    }

    static DeclKind collection(const std::string &word);

    /// A superset of the elements that can pass `filter` as `slot`, from a conjunct relating
    /// `slot` to a variable bound outside it; nullptr when there is none (then every element
    /// of the collection is tried).
    const std::vector<DeclId> *generator(ExprId filter, std::uint32_t slot);

    // ---- expressions -------------------------------------------------------------------------

    bool truth(ExprId id);

    Val eval(ExprId id);

    Val arith(const Expr &e);

    static bool compare(ExprOp op, const Val &a, const Val &b);

    Val attribute(const Val &x, const std::string &name) const;

    bool call(const Expr &e);

    /// `overlaps(x, R)` / `within(x, R)`; an undecided answer is false and noted in unknown_.
    bool scope_call(const Expr &e, bool within);

    // ---- trace mode (rule_trace.cpp) ---------------------------------------------------------

    /// A value read off the case, as a term, and whether it is there: `present` is true_, or
    /// (an attribute the element does not declare) a fact that is false, `term` then free.
    struct Operand {
        ir::TermId term;
        ir::TermId present;
    };
    /// A fact variable for `key` (made once, named after `name`), with `value` asserted.
    ir::TermId fact_var(const std::string &key, const std::string &name, ir::VarSort sort,
                        std::optional<ir::TermId> value, TracedFact about);
    /// A leaf operand (literal or attribute) as a term; nullopt for anything else (an element).
    std::optional<Operand> traced_leaf(ExprId id);
    /// The code of a string (its index in the trace's table).
    long string_code(const std::string &s);
    /// A relation, scope question, boolean attribute or literal as a term.
    ir::TermId traced_atom(ExprId id);
    /// A comparison of values that are not numbers (strings, words, booleans) or are missing.
    ir::TermId traced_compare(const Expr &e, ExprId id);
    /// `x in [lo, hi]` and `x in {...}` with the facts as variables.
    ir::TermId traced_interval(const Expr &e, ExprId id);
    ir::TermId traced_member(const Expr &e, ExprId id);
    /// That `x` is declared in the case (a count over its collection counts it).
    ir::TermId declared_fact(DeclId x);
    /// An element's name as part of a fact's name.
    std::string element_symbol(DeclId d) const;

    const sema::Program &prog_;
    ArgumentIndex &idx_;
    const Overrides &ov_;
    Scopes *scopes_;
    sema::Date today_;
    const std::vector<bool> *range_; // by module index; nullptr: every module
    const std::vector<ReadOutcome> *reads_;
    std::string unknown_; // instances(): why a scope the instance reads is undecided
    std::vector<DeclId> slots_;
    ir::ConstraintModel *model_ = nullptr; // instances(): where ground terms go
    ir::TermId true_ = 0, false_ = 0;
    std::size_t terms_ = 0; // instances(): terms the instance's formula has so far (facts do not
                            // count: they fold away)
    std::vector<ir::TermId> guards_; // comparison(): divisors that must not be zero
    std::vector<DeclId> scratch_;
    std::array<std::optional<std::vector<DeclId>>, sema::kDeclKindCount> tables_;
    FactTable *facts_ = nullptr; // trace mode when set
};

} // namespace assure::prove::detail
