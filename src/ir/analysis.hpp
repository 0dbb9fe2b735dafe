// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/graph.hpp"
#include "support/diagnostics.hpp"

#include <vector>

namespace assure::ir {

/// Cycles among edges of the given kinds: one cycle per strongly connected component that has
/// one, starting at the component's smallest node id and following the smallest successor ids.
/// Linear in the size of the graph; no recursion (BGL's DFS keeps its own stack).
std::vector<std::vector<NodeId>> find_cycles(const ArgumentGraph &graph,
                                             std::vector<EdgeKind> kinds);

/// Structure checks of `assure check`: circular arguments (E0401), defeater cycles (E0402),
/// claims with no support that are not marked undeveloped (E0403), and, when there are none of
/// the first two, dependency cycles through a defeater's resolution (E0405).
void check_structure(const ArgumentGraph &graph, support::Diagnostics &diags);

/// The claims, strategies, evidence and defeaters in an order where every element comes after
/// everything its status depends on: its supporters and strategies, the defeaters that attack
/// it and, for a defeater, its resolvers. Ties follow node ids, so the order is deterministic.
/// When the dependencies have a cycle, returns an empty order and one cycle in `cycle` (the
/// support and defeat cycles of E0401/E0402, or one through a defeater's resolution). Linear.
std::vector<NodeId> dependency_order(const ArgumentGraph &graph, std::vector<NodeId> &cycle);

/// Claims no other claim or strategy relies on and no defeater names as its resolution.
std::vector<NodeId> top_claims(const ArgumentGraph &graph);

} // namespace assure::ir
