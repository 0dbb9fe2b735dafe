// SPDX-License-Identifier: Apache-2.0
#pragma once

// An exact decision procedure for the queries most assurance cases are made of: operating-domain
// boxes. When every atom of a query compares one variable with a constant (`visibility < 500`,
// `light == night`, `glare`), each variable's range splits into finitely many cells — the
// constants themselves and the open gaps between them — on which every atom keeps its truth
// value. One representative point per cell then decides the query by enumeration, with no Z3
// call. Constants may be ground arithmetic (`3 + ite(c, 1, 0)`, as rule instances are written;
// src/prove/rule_ground.cpp), computed exactly. Queries outside that fragment (arithmetic between
// variables, products of variables, quotients, ...) or with too many cell combinations are left
// to Z3.

#include "ir/constraints.hpp"
#include "solver/session.hpp"

#include <cstddef>
#include <optional>

namespace assure::solver {

/// Decides `query` (with the bounds of the variables it mentions) by a backtracking search over
/// the cells of its variables, pruning a branch as soon as some assertion is false on it. Returns
/// nullopt when the query is outside the fragment described above, a constant does not fit the
/// exact arithmetic used (about 30 significant digits), mentions more than 1,024 variables, or
/// the search would take more than `max_work` steps: Z3 decides those. The outcome is Sat with a
/// model (the least satisfying point in the order of the variables' ids and their cells: readable,
/// exact decimals) or Unsat with a minimal unsat core (indices of assertions, ascending). Never
/// Unknown. Deterministic. `decided_by` is Decider::Cells.
std::optional<Outcome> decide_by_cells(const ir::ConstraintModel &model, const ir::Query &query,
                                       std::size_t max_work = 1U << 20U);

} // namespace assure::solver
