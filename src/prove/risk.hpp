// SPDX-License-Identifier: Apache-2.0
#pragma once

// The risk of each hazard rated on a matrix (docs/semantics.md, "Risk"): its level, the
// demands of that level checked against each claim mitigating it, and its residual risk
// against the matrix's acceptance level.

#include "dsl/sema/program.hpp"
#include "prove/argument_index.hpp"
#include "prove/prove.hpp"

#include <vector>

namespace assure::prove {

/// The matrix cell of a rated hazard with its likelihood lowered by `step` (not below the
/// lowest value); kNone when the hazard is not rated or the cell is empty.
std::uint32_t residual_level(const sema::Program &program, const sema::HazardInfo &hz,
                             std::uint32_t step);

/// Whether that cell is at or below the matrix's `accept:` level (false without `accept:`).
bool residual_acceptable(const sema::Program &program, const sema::HazardInfo &hz,
                         std::uint32_t step);

/// By hazard index; `result` must be propagated, its top claims known. `date` dates `max_age`;
/// evidence `overrides` re-verifies counts as produced on it.
std::vector<HazardRisk> evaluate_risk(const sema::Program &program, ArgumentIndex &index,
                                      const Overrides &overrides, const ProofResult &result,
                                      const sema::Date &date);

} // namespace assure::prove
