// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to src/ir: the Boost.Graph representation behind ArgumentGraph.

#include "ir/graph.hpp"

#include <boost/graph/adjacency_list.hpp>

namespace assure::ir {

// The edge list is a vector (edges are never removed), so an edge costs no allocation of its own.
using Bgl = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, NodeData,
                                  EdgeData, boost::no_property, boost::vecS>;

struct ArgumentGraph::Impl {
    Bgl g;
};

} // namespace assure::ir
