// SPDX-License-Identifier: Apache-2.0
#pragma once

// The constraint IR: typed, bounded operating-domain variables and boolean/arithmetic terms over
// them, each term with the span it came from. Built by src/lower from the resolved program;
// read by solver/ (which alone knows Z3). Plain data, no solver types.

#include "support/span.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace assure::ir {

enum class VarSort : std::uint8_t { Real, Int, Bool, Enum };

/// One operating-domain variable. Bounds are exact decimal literals as the user wrote them.
/// A trace's fact (a value read off the case, prove/rule_trace.hpp) is a variable too: its
/// `domain` is empty (its SMT-LIB name is `name` alone) and its bounds are empty (unbounded).
struct Var {
    std::string name;   // `visibility`
    std::string domain; // `Ocean`
    VarSort sort = VarSort::Real;
    std::string lo, hi;              // Real and Int
    std::vector<std::string> values; // Enum, in declaration order
    std::string unit;
    support::Span span;
};

using VarId = std::uint32_t;
using TermId = std::uint32_t;

enum class TermOp : std::uint8_t {
    True,
    False,
    Number,  // text: exact decimal literal (digits, optional '.', optional exponent)
    Var,     // ref: VarId
    EnumVal, // ref: VarId, index: value index
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Not,
    And,
    Or,
    Implies,
    Ite, // kids: a boolean condition, then two numbers: the first when it holds, else the second
};

struct Term {
    TermOp op;
    std::uint32_t ref = 0;
    std::uint32_t index = 0;
    std::string text;
    std::vector<TermId> kids;
    support::Span span;
};

/// Variables and a pool of terms shared by every query of a run. The pool is hash-consed: adding
/// a term equal to one already there (same op, ref, index, text and kids) returns the existing
/// id, so equal terms have equal ids, a region lowered many times is stored once, and two
/// queries are the same question exactly when their assertion ids are. A term keeps the span of
/// its first occurrence.
struct ConstraintModel {
    std::vector<Var> vars;
    std::vector<Term> terms;

    TermId add(Term t);
    TermId constant(bool value, support::Span span = {}) {
        return add(Term{value ? TermOp::True : TermOp::False, 0, 0, {}, {}, span});
    }
    TermId apply(TermOp op, std::vector<TermId> kids, support::Span span = {}) {
        return add(Term{op, 0, 0, {}, std::move(kids), span});
    }

  private:
    /// Open addressing over `terms`: (hash << 32) | id per used slot, kEmpty in a free one. The
    /// stored hash spares most probes a visit to the term itself.
    std::vector<std::uint64_t> slots_;
    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
    [[nodiscard]] std::size_t find_slot(const Term &t, std::uint64_t hash) const;
    void grow();
};

/// One satisfiability question: are the assertions, together with the bounds of the variables
/// they mention, satisfiable? `purpose` says in words what a `sat` answer means; it becomes the
/// comment of the query's SMT-LIB file. `notes[i]`, when present, says where assertion i comes
/// from ("scope of G_fog, perception.assure:139"), for traces and unsat cores. `names[i]`, when
/// present, is the SMT-LIB name (`:named`) assertion i carries in a trace file ("scope_G_fog");
/// `show_model` asks for `(get-model)` after `(check-sat)` in that file.
struct Query {
    std::string purpose;
    std::vector<TermId> assertions;
    std::vector<std::string> notes;
    std::vector<std::string> names = {};
    bool show_model = false;
};

/// A string equal for two queries exactly when their assertions are the same terms (the same
/// ids, as the pool is hash-consed), in the same order: the key of the obligation cache.
/// Purpose and notes do not take part.
std::string query_key(const ConstraintModel &model, const Query &query);

} // namespace assure::ir
