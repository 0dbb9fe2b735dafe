// SPDX-License-Identifier: Apache-2.0
#include "ir/graph.hpp"

#include "ir/graph_impl.hpp"
#include "support/assert.hpp"

#include <ostream>

namespace assure::ir {

const char *to_string(NodeKind kind) {
    switch (kind) {
    case NodeKind::Claim:
        return "claim";
    case NodeKind::Strategy:
        return "strategy";
    case NodeKind::Evidence:
        return "evidence";
    case NodeKind::Defeater:
        return "defeater";
    case NodeKind::Assumption:
        return "assumption";
    case NodeKind::Context:
        return "context";
    case NodeKind::Justification:
        return "justification";
    case NodeKind::Hazard:
        return "hazard";
    case NodeKind::Artifact:
        return "artifact";
    }
    return "?";
}

const char *to_string(EdgeKind kind) {
    switch (kind) {
    case EdgeKind::SupportedBy:
        return "supported_by";
    case EdgeKind::Strategy:
        return "strategy";
    case EdgeKind::Defeats:
        return "defeats";
    case EdgeKind::ResolvedBy:
        return "resolved_by";
    case EdgeKind::Attached:
        return "attached_to";
    case EdgeKind::Mitigates:
        return "mitigates";
    case EdgeKind::RestsOn:
        return "rests_on";
    }
    return "?";
}

std::string NodeData::qualified() const {
    std::string out(module);
    if (!out.empty()) {
        out += '.';
    }
    return out.append(name);
}

ArgumentGraph::ArgumentGraph() : impl_(std::make_unique<Impl>()) {}
ArgumentGraph::~ArgumentGraph() = default;
ArgumentGraph::ArgumentGraph(ArgumentGraph &&) noexcept = default;
ArgumentGraph &ArgumentGraph::operator=(ArgumentGraph &&) noexcept = default;

void ArgumentGraph::reserve(std::size_t nodes, std::size_t edges) {
    // adjacency_list has no reserve(); its vertex and edge vectors are public members.
    impl_->g.m_vertices.reserve(nodes);
    impl_->g.m_edges.reserve(edges);
}

NodeId ArgumentGraph::add_node(NodeData data) {
    const auto v = boost::add_vertex(std::move(data), impl_->g);
    return NodeId{static_cast<std::uint32_t>(v)};
}

void ArgumentGraph::add_edge(NodeId from, NodeId to, EdgeData data) {
    ASSURE_ASSERT(from.value < num_nodes() && to.value < num_nodes(), "edge to unknown node");
    boost::add_edge(from.value, to.value, data, impl_->g);
}

std::size_t ArgumentGraph::num_nodes() const {
    return boost::num_vertices(impl_->g);
}
std::size_t ArgumentGraph::num_edges() const {
    return boost::num_edges(impl_->g);
}
const NodeData &ArgumentGraph::node(NodeId id) const {
    return impl_->g[id.value];
}

std::vector<Edge> ArgumentGraph::out_edges(NodeId id) const {
    std::vector<Edge> out;
    for (auto [it, end] = boost::out_edges(id.value, impl_->g); it != end; ++it) {
        out.push_back(Edge{id, NodeId{static_cast<std::uint32_t>(boost::target(*it, impl_->g))},
                           impl_->g[*it]});
    }
    return out;
}

std::vector<Edge> ArgumentGraph::edges() const {
    std::vector<Edge> all;
    all.reserve(num_edges());
    for (std::uint32_t v = 0; v < num_nodes(); ++v) {
        auto out = out_edges(NodeId{v});
        all.insert(all.end(), out.begin(), out.end());
    }
    return all;
}

void ArgumentGraph::dump(std::ostream &out) const {
    out << "graph: " << num_nodes() << " nodes, " << num_edges() << " edges\n";
    for (std::uint32_t v = 0; v < num_nodes(); ++v) {
        const NodeData &n = node(NodeId{v});
        out << "  n" << v << " " << to_string(n.kind) << " " << n.qualified()
            << (n.undeveloped ? " (undeveloped)" : "") << "\n";
    }
    for (const Edge &e : edges()) {
        out << "  n" << e.from.value << " -" << to_string(e.data.kind) << "-> n" << e.to.value
            << "\n";
    }
}

} // namespace assure::ir
