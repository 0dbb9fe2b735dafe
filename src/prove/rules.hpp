// SPDX-License-Identifier: Apache-2.0
#pragma once

// Evaluation of `rule` declarations (docs/language.md, "Rules"; docs/semantics.md, "Rules").
// A rule is a first-order condition over the case's finite collections (claims, strategies,
// evidence, defeaters, hazards, artifacts) and the facts declared about them. Each assignment
// of its outermost `forall` variables is grounded into a formula of the constraint IR:
// quantifiers range over the declared elements, relations (mitigates, supports, under,
// independent) are read off the argument and fold to true or false, and the arithmetic
// (thresholds, counts, costs, dates, scale orders) is left for the solver, which decides each
// instance as a query of the proof's batch. A filter that relates the quantified variable to
// an outer one (`where under(e, c)`, `where mitigates(c, h)`) enumerates only the related
// elements, so a rule over a large case costs what its answer does.

#include "dsl/sema/program.hpp"
#include "prove/prove.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assure::prove {

class ArgumentIndex;

/// Fills `result.hazards` and `result.rules` (by hazard and rule index); `result` must be
/// propagated, its top claims known. The rule instances go to `result.batch` (their terms to
/// the constraint model), which is solved again.
///
/// Each rule is evaluated in every case that includes its module (cases.hpp), its quantifiers
/// ranging over that case's elements only, so unrelated cases loaded together do not change
/// each other's answers. Rules are evaluated with the evidence results, expiry dates and
/// defeater statuses of `overrides` applied. A violation affects the top claims of its case
/// above the elements it names (a hazard: the claims mitigating it; a defeater: its target; an
/// artifact: the evidence resting on it), and every top claim of its case when it names none or
/// none of them is under a top claim.
///
/// The risk of a hazard rated on a matrix: its level, the demands of that level checked
/// against each claim mitigating it, and its residual risk (its likelihood lowered by the
/// largest `lowers_likelihood` of its supported mitigations) against the matrix's `accept:`.
/// A finding fails the top claims above the claim concerned (a residual risk: above the
/// hazard's mitigations), or every top claim of the hazard's case(s) when there is none.
/// `date` dates `max_age`.
/// `index`, when given, is the program's whole argument (kept between proofs by reprove()).
void evaluate_rules_and_risk(const sema::Program &program, const Overrides &overrides,
                             const sema::Date &date, ProofResult &result,
                             ArgumentIndex *index = nullptr);

/// Whether the rule reads what re-verifying evidence changes (`result`, `valid_until`, `date`,
/// `pinned_count`): only then can re-verification turn one of its violations into a success.
bool reads_evidence_state(const sema::Program &program, const sema::RuleInfo &rule);

} // namespace assure::prove
