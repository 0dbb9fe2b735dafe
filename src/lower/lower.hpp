// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/sema/program.hpp"
#include "ir/graph.hpp"

#include <vector>

namespace assure::lower {

/// The argument graph of a resolved program, with the map from declarations to nodes.
struct Lowered {
    ir::ArgumentGraph graph;
    std::vector<ir::NodeId> node_of;   // DeclId -> node (invalid for domains, odds, scales, ...)
    std::vector<sema::DeclId> decl_of; // node -> DeclId
};

/// Builds the argument graph: a node per claim, strategy, evidence, defeater, attachment,
/// hazard and artifact (declaration order) and an edge per relation, each with the span where
/// it is written. References that failed to resolve are simply absent. The graph's node names
/// point into `program`, which must outlive the result.
Lowered lower_graph(const sema::Program &program);

} // namespace assure::lower
