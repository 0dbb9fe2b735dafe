// SPDX-License-Identifier: Apache-2.0
#pragma once

// Rules grounded again for a trace (docs/json.md, "Traces"), with nothing folded away: where
// the proof folds a fact of the case (a relation such as `under(e, c)`, a string such as a
// producer, a vocabulary word such as a result, a date, a cost, a scale value) to a constant,
// the trace makes it a variable of its own model and records the value it has. Asserting
// every fact's value next to an instance's formula gives an SMT-LIB file that is satisfiable
// exactly when the instance is violated, and whose answer changes only when a fact does.
// Only `--trace` (and the packet) calls this: the proof's own fast path folds as before.

#include "dsl/sema/program.hpp"
#include "ir/constraints.hpp"
#include "prove/prove.hpp"
#include "support/span.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assure::prove {

/// One fact an instance rests on: a variable of the trace's model and the value the case gives
/// it.
struct TracedFact {
    std::string name; // the variable's SMT-LIB name: "under_E_fog_G_fog", "producer_E_self"
    ir::VarId var = 0;
    /// The constant the variable equals; nullopt when it is not known (a scope question the
    /// solver gave up on): then the variable is left free.
    std::optional<ir::TermId> value;
    std::string text;                 // what it is: "under(E_fog, G_fog)", "E_self.producer"
    std::string value_text;           // its value in words: "true", "\"ML team\" (code 1)", ...
    std::vector<support::Span> spans; // where it comes from: the declarations it is read off
    std::string origin; // more on where it comes from, or "": "read from artifact ...", ...
};

/// One assignment of a rule's outermost `forall` chain.
struct TracedInstance {
    std::vector<DeclId> chain;
    std::uint32_t root = kNone; // the case it was grounded in (RuleViolation::root)
    /// Satisfiable exactly when the instance is violated (its filters hold and its body is
    /// false), over the facts' variables; nullopt when it is too large to write out.
    std::optional<ir::TermId> violated;
};

/// A rule grounded for a trace: its own model (the facts' variables and the formulas' terms),
/// its facts in the order first read, and every assignment of its outermost chain that the
/// quantifiers' relations admit (see `trace_rules`).
struct RuleTrace {
    ir::ConstraintModel model;
    std::vector<TracedFact> facts;
    std::vector<std::string> strings; // code i is strings[i]: the strings the rule compares
    std::vector<TracedInstance> instances;
    /// False when the enumeration stopped at the trace's budget of terms (kTraceTerms): then
    /// `instances` is a prefix of the rule's instances.
    bool complete = true;
};

/// Terms one rule's trace may have; beyond it the rest of its instances are not traced.
inline constexpr std::size_t kTraceTerms = 2000000;

/// Every rule of `program` grounded for a trace, by rule index, in every case that includes
/// it (cases.hpp), with the overrides, date and values read of `result`. The instances are
/// the assignments of the outermost `forall` chain the quantifiers' relations admit (as in the
/// proof, `where under(e, c)` enumerates only the evidence under c), in the proof's order, each
/// with its filters and body over facts -- including those whose facts satisfy the rule, which
/// the proof does not ask the solver about. Scope questions (`overlaps`, `within`) the proof
/// did not ask are asked now and appended to `result.scope_questions` (so call this before
/// writing any SMT-LIB file of `result.batch`). Deterministic.
std::vector<RuleTrace> trace_rules(const sema::Program &program, ProofResult &result);

} // namespace assure::prove
