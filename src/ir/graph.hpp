// SPDX-License-Identifier: Apache-2.0
#pragma once

// The argument graph: one node per argument element, one edge per relation between them.
// Boost.Graph stays inside src/ir: this header exposes only strong ids and plain data.

#include "support/span.hpp"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace assure::ir {

enum class NodeKind : std::uint8_t {
    Claim,
    Strategy,
    Evidence,
    Defeater,
    Assumption,
    Context,
    Justification,
    Hazard,
    Artifact,
};
const char *to_string(NodeKind kind);

/// Edges point from the element that states the relation to the one it names.
enum class EdgeKind : std::uint8_t {
    SupportedBy, // claim/strategy -> claim/evidence
    Strategy,    // claim -> strategy that argues it
    Defeats,     // defeater -> claim/strategy/evidence/defeater it attacks
    ResolvedBy,  // defeater -> evidence/claim that answers it
    Attached,    // assumption/context/justification -> claim/strategy
    Mitigates,   // claim -> hazard
    RestsOn,     // evidence/context -> artifact
};
const char *to_string(EdgeKind kind);

/// Dense, insertion-ordered node id.
struct NodeId {
    std::uint32_t value = UINT32_MAX;
    friend bool operator==(NodeId, NodeId) = default;
    friend auto operator<=>(NodeId, NodeId) = default;
};

/// The names are views: they point at strings that outlive the graph (the resolved program's
/// declaration and module names), so a million-node graph allocates no names of its own.
struct NodeData {
    NodeKind kind;
    std::string_view module; // the declaring module, e.g. "ship.navigation"
    std::string_view name;   // the declaration's own name, e.g. "G1"
    support::Span span;      // the declaration's name
    bool undeveloped = false;

    /// `module.name`
    [[nodiscard]] std::string qualified() const;
};

struct EdgeData {
    EdgeKind kind;
    support::Span span; // where the relation is written
};

struct Edge {
    NodeId from;
    NodeId to;
    EdgeData data;
};

/// A directed multigraph built once and then only read. Never removes a vertex; ids follow
/// insertion order, so every traversal that breaks ties by id is deterministic.
class ArgumentGraph {
  public:
    ArgumentGraph();
    ~ArgumentGraph();
    ArgumentGraph(ArgumentGraph &&) noexcept;
    ArgumentGraph &operator=(ArgumentGraph &&) noexcept;

    /// Makes room for `nodes` nodes and `edges` edges (an optimisation only).
    void reserve(std::size_t nodes, std::size_t edges);

    NodeId add_node(NodeData data);
    void add_edge(NodeId from, NodeId to, EdgeData data);

    [[nodiscard]] std::size_t num_nodes() const;
    [[nodiscard]] std::size_t num_edges() const;
    [[nodiscard]] const NodeData &node(NodeId id) const;
    /// Outgoing edges of `id` in insertion order.
    [[nodiscard]] std::vector<Edge> out_edges(NodeId id) const;
    /// Every edge, ordered by (from, insertion order).
    [[nodiscard]] std::vector<Edge> edges() const;

    /// Text dump for `--dump=graph`: one line per node, then one per edge. Deterministic.
    void dump(std::ostream &out) const;

    struct Impl; // BGL adjacency_list, private to src/ir
    [[nodiscard]] const Impl &impl() const { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

} // namespace assure::ir
