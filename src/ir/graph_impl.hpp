// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to src/ir: the Boost.Graph representation behind ArgumentGraph.

#include "ir/graph.hpp"

#include <boost/graph/adjacency_list.hpp>

namespace assure::ir {

using Bgl = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, NodeData, EdgeData>;

struct ArgumentGraph::Impl {
    Bgl g;
};

} // namespace assure::ir
