// SPDX-License-Identifier: Apache-2.0
#include "ir/analysis.hpp"

#include "ir/graph_impl.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <deque>
#include <functional>
#include <map>

namespace assure::ir {

namespace {

/// Edge predicate for filtered_graph. A bit mask, not a container: BGL copies the predicate
/// into every edge iterator.
struct KindFilter {
    const Bgl *g = nullptr;
    std::uint32_t mask = 0;
    template <typename E> bool operator()(const E &e) const {
        return (mask >> static_cast<unsigned>((*g)[e].kind) & 1u) != 0;
    }
};

} // namespace

std::vector<std::vector<NodeId>> find_cycles(const ArgumentGraph &graph,
                                             std::vector<EdgeKind> kinds) {
    const Bgl &g = graph.impl().g;
    const std::size_t n = boost::num_vertices(g);
    KindFilter filter{&g, 0};
    for (EdgeKind k : kinds) {
        filter.mask |= 1u << static_cast<unsigned>(k);
    }
    boost::filtered_graph<Bgl, KindFilter> fg(g, filter);
    std::vector<std::size_t> component(n);
    const std::size_t count = boost::strong_components(
        fg,
        boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));

    std::vector<std::size_t> size(count, 0);
    std::vector<std::uint32_t> smallest(count, UINT32_MAX);
    for (std::uint32_t v = 0; v < n; ++v) {
        ++size[component[v]];
        smallest[component[v]] = std::min(smallest[component[v]], v);
    }
    auto successors = [&](std::uint32_t v) {
        std::vector<std::uint32_t> out;
        for (auto [it, end] = boost::out_edges(v, fg); it != end; ++it) {
            out.push_back(static_cast<std::uint32_t>(boost::target(*it, fg)));
        }
        std::sort(out.begin(), out.end());
        return out;
    };

    std::vector<std::vector<NodeId>> cycles;
    std::vector<std::uint32_t> starts;
    for (std::size_t c = 0; c < count; ++c) {
        const std::uint32_t s = smallest[c];
        bool self_loop = false;
        if (size[c] == 1) {
            for (auto [it, end] = boost::out_edges(s, fg); it != end && !self_loop; ++it) {
                self_loop = boost::target(*it, fg) == s;
            }
        }
        if (size[c] > 1 || self_loop) {
            starts.push_back(s);
        }
    }
    std::sort(starts.begin(), starts.end());
    for (std::uint32_t s : starts) {
        // Shortest path from s back to s inside its component (BFS, ties by smallest id).
        std::map<std::uint32_t, std::uint32_t> parent;
        std::deque<std::uint32_t> queue{s};
        bool closed = false;
        std::uint32_t last = s;
        while (!queue.empty() && !closed) {
            const std::uint32_t v = queue.front();
            queue.pop_front();
            for (std::uint32_t w : successors(v)) {
                if (component[w] != component[s]) {
                    continue;
                }
                if (w == s) {
                    closed = true;
                    last = v;
                    break;
                }
                if (parent.emplace(w, v).second) {
                    queue.push_back(w);
                }
            }
        }
        std::vector<NodeId> path;
        for (std::uint32_t v = last; v != s; v = parent.at(v)) {
            path.push_back(NodeId{v});
        }
        path.push_back(NodeId{s});
        std::reverse(path.begin(), path.end());
        cycles.push_back(std::move(path));
    }
    return cycles;
}

namespace {

/// The span of the edge from `from` to `to` among `kinds` (where the relation is written).
support::Span edge_span(const ArgumentGraph &graph, NodeId from, NodeId to,
                        const std::vector<EdgeKind> &kinds) {
    for (const Edge &e : graph.out_edges(from)) {
        if (e.to == to && std::find(kinds.begin(), kinds.end(), e.data.kind) != kinds.end()) {
            return e.data.span;
        }
    }
    return graph.node(from).span;
}

/// "A -> B -> C -> A" for a cycle that starts at A (the middle of a long one left out).
std::string cycle_path(const ArgumentGraph &graph, const std::vector<NodeId> &cycle) {
    return support::join_elided(
        cycle.size() + 1,
        [&](std::size_t idx) { return std::string(graph.node(cycle[idx % cycle.size()]).name); },
        " -> ");
}

/// Adds the notes `note(0)`, ..., `note(count - 1)` to `d`, the middle of a long list left
/// out: one diagnostic stays readable (and small) however long the cycle it shows.
void add_notes(support::Diagnostic &d, std::size_t count,
               const std::function<support::Note(std::size_t)> &note, const char *what) {
    const std::size_t keep = support::kElideKeep;
    for (std::size_t idx = 0; idx < count; ++idx) {
        if (!support::shown_whole(count) && idx == keep) {
            d.notes.push_back({{},
                               "... " + std::to_string(count - 2 * keep) + " more " + what +
                                   " of the cycle ..."});
            idx = count - keep - 1;
            continue;
        }
        d.notes.push_back(note(idx));
    }
}

} // namespace

std::vector<NodeId> dependency_order(const ArgumentGraph &graph, std::vector<NodeId> &cycle) {
    const Bgl &g = graph.impl().g;
    const std::uint32_t n = static_cast<std::uint32_t>(boost::num_vertices(g));
    auto takes_part = [&](std::uint32_t v) {
        const NodeKind k = g[v].kind;
        return k == NodeKind::Claim || k == NodeKind::Strategy || k == NodeKind::Evidence ||
               k == NodeKind::Defeater;
    };
    // Dependencies as a compressed row table: out-edges of the support kinds and resolution,
    // and in-edges of defeats (a target depends on the defeaters attacking it).
    std::vector<std::uint32_t> first(n + 1, 0);
    std::vector<std::uint32_t> deps;
    for (std::uint32_t v = 0; v < n; ++v) {
        first[v] = static_cast<std::uint32_t>(deps.size());
        if (!takes_part(v)) {
            continue;
        }
        for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
            const EdgeKind k = g[*it].kind;
            if (k == EdgeKind::SupportedBy || k == EdgeKind::Strategy ||
                k == EdgeKind::ResolvedBy) {
                deps.push_back(static_cast<std::uint32_t>(boost::target(*it, g)));
            }
        }
        for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
            if (g[*it].kind == EdgeKind::Defeats) {
                deps.push_back(static_cast<std::uint32_t>(boost::source(*it, g)));
            }
        }
    }
    first[n] = static_cast<std::uint32_t>(deps.size());

    enum : std::uint8_t { kWhite, kGray, kBlack };
    std::vector<std::uint8_t> colour(n, kWhite);
    std::vector<NodeId> order;
    struct Frame {
        std::uint32_t v, next;
    };
    std::vector<Frame> stack;
    cycle.clear();
    for (std::uint32_t root = 0; root < n; ++root) {
        if (!takes_part(root) || colour[root] != kWhite) {
            continue;
        }
        stack.push_back({root, first[root]});
        colour[root] = kGray;
        while (!stack.empty()) {
            Frame &f = stack.back();
            if (f.next == first[f.v + 1]) {
                colour[f.v] = kBlack;
                order.push_back(NodeId{f.v});
                stack.pop_back();
                continue;
            }
            const std::uint32_t w = deps[f.next++];
            if (colour[w] == kGray) {
                auto at = std::find_if(stack.begin(), stack.end(),
                                       [&](const Frame &fr) { return fr.v == w; });
                for (; at != stack.end(); ++at) {
                    cycle.push_back(NodeId{at->v});
                }
                return {};
            }
            if (colour[w] == kWhite) {
                colour[w] = kGray;
                stack.push_back({w, first[w]});
            }
        }
    }
    return order;
}

void check_structure(const ArgumentGraph &graph, support::Diagnostics &diags) {
    const std::vector<EdgeKind> support_kinds = {EdgeKind::SupportedBy, EdgeKind::Strategy};
    const auto support_cycles = find_cycles(graph, support_kinds);
    for (const auto &cycle : support_cycles) {
        const std::string path = cycle_path(graph, cycle);
        const NodeId from = cycle.size() > 1 ? cycle.back() : cycle.front();
        auto &d =
            diags.error(support::Code::E0401, edge_span(graph, from, cycle.front(), support_kinds),
                        "circular argument: " + path, "this support closes the cycle");
        d.help = "a claim cannot rest, directly or indirectly, on itself";
        add_notes(
            d, cycle.size() - 1,
            [&](std::size_t idx) {
                return support::Note{edge_span(graph, cycle[idx], cycle[idx + 1], support_kinds),
                                     "`" + std::string(graph.node(cycle[idx]).name) +
                                         "` relies on `" +
                                         std::string(graph.node(cycle[idx + 1]).name) + "` here"};
            },
            "links");
    }
    const std::vector<EdgeKind> defeat_kinds = {EdgeKind::Defeats};
    bool defeater_defeats_defeater = false;
    const Bgl &bgl = graph.impl().g;
    for (auto [it, end] = boost::edges(bgl); it != end && !defeater_defeats_defeater; ++it) {
        defeater_defeats_defeater = bgl[*it].kind == EdgeKind::Defeats &&
                                    bgl[boost::target(*it, bgl)].kind == NodeKind::Defeater;
    }
    const auto defeat_cycles = defeater_defeats_defeater ? find_cycles(graph, defeat_kinds)
                                                         : std::vector<std::vector<NodeId>>{};
    for (const auto &cycle : defeat_cycles) {
        const std::string path = cycle_path(graph, cycle);
        const NodeId from = cycle.size() > 1 ? cycle.back() : cycle.front();
        diags.error(support::Code::E0402, edge_span(graph, from, cycle.front(), defeat_kinds),
                    "defeaters defeat each other in a cycle: " + path,
                    "this defeat closes the cycle");
    }
    if (support_cycles.empty() && defeat_cycles.empty()) {
        std::vector<NodeId> cycle;
        dependency_order(graph, cycle);
        if (!cycle.empty()) {
            const std::string path = cycle_path(graph, cycle);
            auto &d = diags.error(support::Code::E0405, graph.node(cycle.front()).span,
                                  "circular argument through a defeater: " + path,
                                  "the status of this element depends on itself");
            d.help = "a defeater cannot be resolved by an argument that rests on what the "
                     "defeater attacks";
            std::vector<NodeId> defeaters;
            for (NodeId v : cycle) {
                if (graph.node(v).kind == NodeKind::Defeater) {
                    defeaters.push_back(v);
                }
            }
            add_notes(
                d, defeaters.size(),
                [&](std::size_t idx) {
                    const NodeData &n = graph.node(defeaters[idx]);
                    return support::Note{n.span,
                                         "`" + std::string(n.name) + "` is part of the cycle"};
                },
                "defeaters");
        }
    }
    for (std::uint32_t v = 0; v < graph.num_nodes(); ++v) {
        const NodeData &n = graph.node(NodeId{v});
        if (n.kind != NodeKind::Claim || n.undeveloped) {
            continue;
        }
        bool supported = false;
        const Bgl &g = graph.impl().g;
        for (auto [it, end] = boost::out_edges(v, g); it != end && !supported; ++it) {
            supported = g[*it].kind == EdgeKind::SupportedBy || g[*it].kind == EdgeKind::Strategy;
        }
        if (!supported) {
            auto &d = diags.error(support::Code::E0403, n.span,
                                  "claim `" + std::string(n.name) + "` has no support",
                                  "neither supported nor marked undeveloped");
            d.help = "add `supported_by:`, a `strategy ... for " + std::string(n.name) +
                     "`, or mark it `undeveloped`";
        }
    }
}

std::vector<NodeId> top_claims(const ArgumentGraph &graph) {
    const Bgl &g = graph.impl().g;
    std::vector<NodeId> tops;
    for (std::uint32_t v = 0; v < graph.num_nodes(); ++v) {
        if (graph.node(NodeId{v}).kind != NodeKind::Claim) {
            continue;
        }
        bool relied_on = false;
        for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
            const EdgeKind k = g[*it].kind;
            relied_on = relied_on || k == EdgeKind::SupportedBy || k == EdgeKind::ResolvedBy;
        }
        if (!relied_on) {
            tops.push_back(NodeId{v});
        }
    }
    return tops;
}

} // namespace assure::ir
