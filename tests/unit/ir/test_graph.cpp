// SPDX-License-Identifier: Apache-2.0
#include "ir/analysis.hpp"
#include "ir/graph.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace assure::ir;

namespace {
NodeId claim(ArgumentGraph &g, const char *name, bool undeveloped = false) {
    return g.add_node(NodeData{NodeKind::Claim, "m", name, {}, undeveloped});
}
void supports(ArgumentGraph &g, NodeId from, NodeId to) {
    g.add_edge(from, to, EdgeData{EdgeKind::SupportedBy, {}});
}
} // namespace

TEST_CASE("graph: cycles start at their smallest node and are found once per component") {
    ArgumentGraph g;
    const NodeId a = claim(g, "A");
    const NodeId b = claim(g, "B");
    const NodeId c = claim(g, "C");
    const NodeId d = claim(g, "D");
    supports(g, c, a);
    supports(g, a, b);
    supports(g, b, c);
    supports(g, d, d);
    const auto cycles = find_cycles(g, {EdgeKind::SupportedBy});
    REQUIRE(cycles.size() == 2);
    CHECK(cycles[0] == std::vector<NodeId>{a, b, c});
    CHECK(cycles[1] == std::vector<NodeId>{d});
}

TEST_CASE("graph: a long chain is acyclic and does not exhaust the stack") {
    ArgumentGraph g;
    NodeId prev = claim(g, "c0", true);
    for (int idx = 1; idx < 200000; ++idx) {
        const NodeId next = claim(g, "c");
        supports(g, next, prev);
        prev = next;
    }
    CHECK(find_cycles(g, {EdgeKind::SupportedBy}).empty());
    CHECK(top_claims(g) == std::vector<NodeId>{prev});
}

TEST_CASE("graph: the dump is deterministic text") {
    ArgumentGraph g;
    const NodeId a = claim(g, "A");
    const NodeId b = claim(g, "B", true);
    supports(g, a, b);
    std::ostringstream out;
    g.dump(out);
    CHECK(out.str() == "graph: 2 nodes, 1 edges\n  n0 claim m.A\n  n1 claim m.B (undeveloped)\n"
                       "  n0 -supported_by-> n1\n");
}
