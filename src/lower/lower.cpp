// SPDX-License-Identifier: Apache-2.0
#include "lower/lower.hpp"

namespace assure::lower {

using sema::DeclId;
using sema::DeclKind;

Lowered lower_graph(const sema::Program &prog) {
    Lowered out;
    out.node_of.assign(prog.decls.size(), ir::NodeId{});
    std::size_t edges = 0;
    for (const auto &c : prog.claims) {
        edges += c.supported_by.size() + c.mitigates.size();
    }
    for (const auto &st : prog.strategies) {
        edges += 1 + st.supported_by.size();
    }
    for (const auto &ev : prog.evidence) {
        edges += ev.artifacts.size();
    }
    for (const auto &df : prog.defeaters) {
        edges += 1 + df.resolved_by.size();
    }
    for (const auto &at : prog.attachments) {
        edges += at.targets.size() + at.artifacts.size();
    }
    out.graph.reserve(prog.claims.size() + prog.strategies.size() + prog.evidence.size() +
                          prog.defeaters.size() + prog.attachments.size() + prog.hazards.size() +
                          prog.artifacts.size(),
                      edges);
    // The graph's names are views into `prog`, which must outlive it.
    for (std::uint32_t idx = 0; idx < prog.decls.size(); ++idx) {
        const sema::Decl &d = prog.decls[idx];
        ir::NodeKind kind;
        switch (d.kind) {
        case DeclKind::Claim:
            kind = ir::NodeKind::Claim;
            break;
        case DeclKind::Strategy:
            kind = ir::NodeKind::Strategy;
            break;
        case DeclKind::Evidence:
            kind = ir::NodeKind::Evidence;
            break;
        case DeclKind::Defeater:
            kind = ir::NodeKind::Defeater;
            break;
        case DeclKind::Assumption:
            kind = ir::NodeKind::Assumption;
            break;
        case DeclKind::Context:
            kind = ir::NodeKind::Context;
            break;
        case DeclKind::Justification:
            kind = ir::NodeKind::Justification;
            break;
        case DeclKind::Hazard:
            kind = ir::NodeKind::Hazard;
            break;
        case DeclKind::Artifact:
            kind = ir::NodeKind::Artifact;
            break;
        default:
            continue;
        }
        const bool undeveloped = d.kind == DeclKind::Claim && prog.claims[d.index].undeveloped;
        out.decl_of.push_back(DeclId{idx});
        out.node_of[idx] = out.graph.add_node(
            ir::NodeData{kind, prog.modules[d.module].name, d.name, d.name_span, undeveloped});
    }
    auto node = [&](DeclId id) { return out.node_of[id.value]; };
    auto edge = [&](DeclId from, DeclId to, ir::EdgeKind kind, support::Span span) {
        if (from.valid() && to.valid()) {
            out.graph.add_edge(node(from), node(to), ir::EdgeData{kind, span});
        }
    };
    // Edges in declaration order of their source, so out-edge order is deterministic.
    for (std::uint32_t idx = 0; idx < prog.decls.size(); ++idx) {
        const DeclId id{idx};
        const sema::Decl &d = prog.decls[idx];
        switch (d.kind) {
        case DeclKind::Claim: {
            const auto &c = prog.claims[d.index];
            for (std::size_t k = 0; k < c.supported_by.size(); ++k) {
                edge(id, c.supported_by[k], ir::EdgeKind::SupportedBy, c.supported_by_spans[k]);
            }
            for (DeclId h : c.mitigates) {
                edge(id, h, ir::EdgeKind::Mitigates, d.name_span);
            }
            break;
        }
        case DeclKind::Strategy: {
            const auto &s = prog.strategies[d.index];
            // The claim -> strategy edge is written at the strategy's `for`.
            edge(s.parent, id, ir::EdgeKind::Strategy, d.name_span);
            for (std::size_t k = 0; k < s.supported_by.size(); ++k) {
                edge(id, s.supported_by[k], ir::EdgeKind::SupportedBy, s.supported_by_spans[k]);
            }
            break;
        }
        case DeclKind::Evidence:
            for (DeclId a : prog.evidence[d.index].artifacts) {
                edge(id, a, ir::EdgeKind::RestsOn, d.name_span);
            }
            break;
        case DeclKind::Defeater: {
            const auto &df = prog.defeaters[d.index];
            edge(id, df.target, ir::EdgeKind::Defeats, d.name_span);
            for (DeclId r : df.resolved_by) {
                edge(id, r, ir::EdgeKind::ResolvedBy, d.name_span);
            }
            break;
        }
        case DeclKind::Assumption:
        case DeclKind::Context:
        case DeclKind::Justification: {
            const auto &a = prog.attachments[d.index];
            for (DeclId t : a.targets) {
                edge(id, t, ir::EdgeKind::Attached, d.name_span);
            }
            for (DeclId art : a.artifacts) {
                edge(id, art, ir::EdgeKind::RestsOn, d.name_span);
            }
            break;
        }
        default:
            break;
        }
    }
    return out;
}

} // namespace assure::lower
