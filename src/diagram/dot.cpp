// SPDX-License-Identifier: Apache-2.0
#include "diagram/diagram.hpp"
#include "diagram/style.hpp"
#include "support/markup.hpp"

#include <array>

namespace assure::diagram {

namespace {

/// `s` as the inside of a DOT double-quoted string. Backslashes are doubled too: Graphviz
/// reads `\N`, `\G`, `\l` ... in labels, ids and tooltips as escapes.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// `s` as text of a Graphviz HTML-like label: escaped, on one line (support::markup_escaped).
std::string html(std::string_view s) {
    return support::markup_escaped(s, support::LineBreaks::Space);
}

constexpr std::size_t kWrap = 26;
constexpr std::size_t kWrapNarrow = 18; // inside circles and ovals, which grow in both directions
constexpr std::size_t kMaxLines = 4;

std::string label(const Node &node) {
    const bool narrow = node.kind == NodeKind::Solution || node.kind == NodeKind::Assumption ||
                        node.kind == NodeKind::Justification;
    std::string out = "<";
    if (!node.name.empty()) {
        out += "<B>" + html(node.name) + "</B>";
    }
    // GSN marks assumptions and justifications with a letter: drawn inside the oval, where dot
    // keeps it (an external label may land anywhere).
    const char *letter = node.kind == NodeKind::Assumption      ? "A"
                         : node.kind == NodeKind::Justification ? "J"
                                                                : nullptr;
    if (letter != nullptr) {
        out += std::string(out.size() > 1 ? "&#160;" : "") + "<B>(" + letter + ")</B>";
    }
    for (const std::string &line :
         style::wrap(node.title, narrow ? kWrapNarrow : kWrap, kMaxLines)) {
        out += (out.size() > 1 ? "<BR/>" : "") + html(line);
    }
    const std::string status = style::status_line(node);
    if (!status.empty()) {
        for (const std::string &line : style::wrap(status, kWrap + 6, 2)) {
            out += (out.size() > 1 ? "<BR/>" : "") + std::string("<FONT POINT-SIZE=\"8\">") +
                   html(line) + "</FONT>";
        }
    }
    if (out.size() == 1) {
        out += " ";
    }
    return out + ">";
}

const char *shape_attrs(NodeKind kind) {
    switch (kind) {
    case NodeKind::Goal:
        return "shape=box, style=\"filled\"";
    case NodeKind::Strategy:
        return "shape=parallelogram, style=\"filled\"";
    case NodeKind::Solution:
        return "shape=circle, style=\"filled\"";
    case NodeKind::Context:
        return "shape=box, style=\"rounded,filled\"";
    case NodeKind::Assumption:
    case NodeKind::Justification:
        return "shape=ellipse, style=\"filled\"";
    case NodeKind::Defeater:
        return "shape=octagon, style=\"filled,dashed\", penwidth=1.8";
    case NodeKind::Stub:
        return "shape=box, style=\"filled,dashed\", fontcolor=\"#555555\"";
    }
    return "shape=box";
}

std::string legend() {
    std::string out = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"1\">";
    for (const Tone tone : {Tone::Good, Tone::Bad, Tone::Unknown, Tone::Undeveloped}) {
        const style::Colours c = style::colours(tone);
        out += std::string("<TR><TD BGCOLOR=\"") + c.fill + "\" COLOR=\"" + c.line +
               "\" BORDER=\"1\" FIXEDSIZE=\"TRUE\" WIDTH=\"16\" HEIGHT=\"10\"> </TD>"
               "<TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\">" +
               html(style::legend_words(tone)) + "</FONT></TD></TR>";
    }
    for (const char *line : {"rectangle: claim; parallelogram: strategy; circle: evidence",
                             "rounded box: context; oval (A) / (J): assumption / justification",
                             "dashed octagon: defeater; diamond: undeveloped",
                             "dashed box: collapsed subtree; solid arrow: supported by",
                             "hollow arrow: in context of; red dashed arrow: attack"}) {
        out += std::string("<TR><TD></TD><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\">") + html(line) +
               "</FONT></TD></TR>";
    }
    return out + "</TABLE>";
}

void node_line(std::string &out, const Node &node, const RenderOptions &options,
               const char *indent) {
    const style::Colours c =
        node.kind == NodeKind::Stub ? style::stub_colours() : style::colours(node.tone);
    out +=
        indent + quoted(node.id) + " [id=" + quoted(options.id_prefix + node.id) + ", " +
        shape_attrs(node.kind) + ", fillcolor=\"" + c.fill + "\", color=\"" + c.line +
        "\", class=" + quoted(std::string(node_kind_name(node.kind)) + " " + tone_name(node.tone)) +
        ", tooltip=" + quoted(style::tooltip(node));
    if (!options.link_prefix.empty() && node.decl.valid()) {
        out += ", URL=" + quoted("#" + options.link_prefix + node.id);
    }
    out += ", label=" + label(node) + "];\n";
    if (node.undeveloped) {
        // GSN's hollow diamond, directly below the element, with its edge right here: dot
        // orders each rank by the input, so the diamond stays under its element.
        out += indent + quoted(node.id + "-undev") +
               " [id=" + quoted(options.id_prefix + node.id + "-undev") +
               ", shape=diamond, label=\"\", width=0.25, height=0.25, style=\"filled\", "
               "fillcolor=\"#ffffff\", color=\"" +
               c.line + "\", class=\"undeveloped-mark\", tooltip=\"undeveloped\"];\n";
        out += indent + quoted(node.id) + " -> " + quoted(node.id + "-undev") +
               " [id=" + quoted(options.id_prefix + node.id + "-undev-e") + ", arrowhead=none];\n";
    }
}

} // namespace

std::string to_dot(const Diagram &diagram, const RenderOptions &options) {
    std::string out(kDotMarker);
    out += " (docs/diagram.md): " + diagram.title + "\n";
    out += "digraph " + quoted(diagram.title) + " {\n";
    out += "  graph [id=" + quoted(options.id_prefix + "diagram") +
           ", rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.45, "
           "fontname=\"Helvetica\", fontsize=10, labelloc=b, labeljust=l";
    if (options.legend) {
        out += ", label=<" + legend() + ">";
    }
    out += "];\n";
    out += "  node [fontname=\"Helvetica\", fontsize=10, margin=\"0.2,0.06\", penwidth=1.2];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.8, color=\"#444444\"];\n";

    const bool clusters = diagram.roots.size() > 1;
    std::vector<std::vector<std::uint32_t>> by_group(clusters ? diagram.roots.size() : 1);
    std::vector<std::uint32_t> loose; // stubs of top claims left out
    for (std::uint32_t n = 0; n < diagram.nodes.size(); ++n) {
        const Node &node = diagram.nodes[n];
        if (node.id == "more-tops") {
            loose.push_back(n);
        } else {
            by_group[clusters ? node.group : 0].push_back(n);
        }
    }
    // Satellites (contexts, assumptions, justifications, defeaters) sit beside the one element
    // they are attached to, when they are attached to one in the same tree.
    std::vector<std::uint32_t> owners(diagram.nodes.size(), 0);
    std::vector<std::uint32_t> owner(diagram.nodes.size(), UINT32_MAX);
    for (const Edge &e : diagram.edges) {
        if (e.kind == EdgeKind::InContextOf) {
            ++owners[e.to];
            owner[e.to] = e.from;
        } else if (e.kind == EdgeKind::Attacks) {
            ++owners[e.from];
            owner[e.from] = e.to;
        }
    }
    for (std::size_t g = 0; g < by_group.size(); ++g) {
        const char *indent = clusters ? "    " : "  ";
        if (clusters) {
            const Node &root = diagram.nodes[diagram.roots[g]];
            const style::Colours c = style::colours(root.tone);
            out += "  subgraph " + quoted("cluster_" + std::to_string(g)) + " {\n";
            out += "    graph [id=" + quoted(options.id_prefix + "tree-" + std::to_string(g)) +
                   ", label=" + quoted(root.name + ": " + root.status) +
                   ", labelloc=t, labeljust=l, style=\"rounded\", color=\"" + c.line +
                   "\", fontcolor=\"" + c.line + "\"];\n";
        }
        for (std::uint32_t n : by_group[g]) {
            node_line(out, diagram.nodes[n], options, indent);
        }
        for (std::uint32_t n : by_group[g]) {
            const std::uint32_t o = owner[n];
            if (owners[n] == 1 && diagram.nodes[o].group == diagram.nodes[n].group) {
                out += std::string(indent) + "{ rank=same; " + quoted(diagram.nodes[o].id) + "; " +
                       quoted(diagram.nodes[n].id) + "; }\n";
            }
        }
        if (clusters) {
            out += "  }\n";
        }
    }
    for (std::uint32_t n : loose) {
        node_line(out, diagram.nodes[n], options, "  ");
    }
    for (std::size_t k = 0; k < diagram.edges.size(); ++k) {
        const Edge &e = diagram.edges[k];
        out += "  " + quoted(diagram.nodes[e.from].id) + " -> " + quoted(diagram.nodes[e.to].id) +
               " [id=" + quoted(options.id_prefix + "e-" + std::to_string(k));
        switch (e.kind) {
        case EdgeKind::SupportedBy:
            out += ", class=\"supported-by\"";
            break;
        case EdgeKind::InContextOf:
            out += ", class=\"in-context-of\", arrowhead=empty";
            break;
        case EdgeKind::Attacks:
            out += ", class=\"attacks\", style=dashed, color=\"#c62828\", fontcolor=\"#c62828\", "
                   "penwidth=1.4";
            break;
        case EdgeKind::ResolvedBy:
            out += ", class=\"resolved-by\", style=dashed";
            break;
        case EdgeKind::Collapsed:
            out += ", class=\"collapsed\", style=dashed, color=\"#888888\"";
            break;
        }
        if (!e.label.empty()) {
            // An external label: Graphviz 2.42 mismanages the memory of a labelled edge between
            // two nodes of the top rank (it reallocates the rank table under a label node and
            // frees the wrong pointer in gvFreeLayout); an xlabel is placed after the layout and
            // makes no label node.
            out += ", xlabel=" + quoted(e.label);
        }
        out += "];\n";
    }
    return out + "}\n";
}

} // namespace assure::diagram
