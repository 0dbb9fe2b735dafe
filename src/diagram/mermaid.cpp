// SPDX-License-Identifier: Apache-2.0
#include "diagram/diagram.hpp"
#include "diagram/style.hpp"

namespace assure::diagram {

namespace {

/// `s` as text inside a Mermaid quoted label: the characters Mermaid or HTML would read as
/// syntax become numeric entity codes (`#34;`), which Mermaid turns back into the character.
std::string text(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '"':
        case '#':
        case '<':
        case '>':
        case '&':
        case '`':
        case '\\':
            out += "#" + std::to_string(static_cast<int>(c)) + ";";
            break;
        case '\n':
        case '\r':
            out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

/// The id prefix reduced to what a Mermaid node id may hold.
std::string id_safe(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
            c == '_') {
            out += c;
        } else {
            out += '_';
        }
    }
    return out;
}

constexpr std::size_t kWrap = 30;
constexpr std::size_t kMaxLines = 4;

std::string label(const Node &node) {
    std::string out;
    auto add = [&](const std::string &line) { out += (out.empty() ? "" : "<br/>") + line; };
    if (node.kind == NodeKind::Assumption) {
        add("<b>A</b>" + std::string(node.name.empty() ? "" : " <b>" + text(node.name) + "</b>"));
    } else if (node.kind == NodeKind::Justification) {
        add("<b>J</b>" + std::string(node.name.empty() ? "" : " <b>" + text(node.name) + "</b>"));
    } else if (!node.name.empty()) {
        add("<b>" + text(node.name) + "</b>");
    }
    for (const std::string &line : style::wrap(node.title, kWrap, kMaxLines)) {
        add(text(line));
    }
    const std::string status = style::status_line(node);
    if (!status.empty()) {
        add("<i>" + text(status) + "</i>");
    }
    if (node.undeveloped) {
        add("\xe2\x97\x87"); // GSN's hollow diamond
    }
    return out.empty() ? " " : out;
}

std::string shaped(const Node &node) {
    const std::string l = "\"" + label(node) + "\"";
    switch (node.kind) {
    case NodeKind::Goal:
    case NodeKind::Stub:
        return "[" + l + "]";
    case NodeKind::Strategy:
        return "[/" + l + "/]";
    case NodeKind::Solution:
        return "((" + l + "))";
    case NodeKind::Context:
        return "(" + l + ")";
    case NodeKind::Assumption:
    case NodeKind::Justification:
        return "([" + l + "])";
    case NodeKind::Defeater:
        return "{{" + l + "}}";
    }
    return "[" + l + "]";
}

} // namespace

std::string to_mermaid(const Diagram &diagram, const RenderOptions &options) {
    const std::string prefix = id_safe(options.id_prefix);
    auto id = [&](std::uint32_t n) { return prefix + "n" + std::to_string(n); };
    std::string out(kMermaidMarker);
    out += " (docs/diagram.md): " + diagram.title + "\n";
    out += "flowchart TD\n";
    const bool clusters = diagram.roots.size() > 1;
    std::vector<std::vector<std::uint32_t>> by_group(clusters ? diagram.roots.size() : 1);
    std::vector<std::uint32_t> loose;
    for (std::uint32_t n = 0; n < diagram.nodes.size(); ++n) {
        if (diagram.nodes[n].id == "more-tops") {
            loose.push_back(n);
        } else {
            by_group[clusters ? diagram.nodes[n].group : 0].push_back(n);
        }
    }
    for (std::size_t g = 0; g < by_group.size(); ++g) {
        const char *indent = clusters ? "    " : "  ";
        if (clusters) {
            const Node &root = diagram.nodes[diagram.roots[g]];
            out += "  subgraph " + prefix + "t" + std::to_string(g) + "[\"" +
                   text(root.name + ": " + root.status) + "\"]\n";
        }
        for (std::uint32_t n : by_group[g]) {
            out += indent + id(n) + shaped(diagram.nodes[n]) + "\n";
        }
        if (clusters) {
            out += "  end\n";
        }
    }
    for (std::uint32_t n : loose) {
        out += "  " + id(n) + shaped(diagram.nodes[n]) + "\n";
    }
    std::vector<std::size_t> attacks;
    for (std::size_t k = 0; k < diagram.edges.size(); ++k) {
        const Edge &e = diagram.edges[k];
        std::string link;
        switch (e.kind) {
        case EdgeKind::SupportedBy:
            link = " --> ";
            break;
        case EdgeKind::InContextOf:
            link = " -.- ";
            break;
        case EdgeKind::Attacks:
            attacks.push_back(k);
            [[fallthrough]];
        case EdgeKind::ResolvedBy:
            link = " -. " + text(e.label) + " .-> ";
            break;
        case EdgeKind::Collapsed:
            link = " -.-> ";
            break;
        }
        out += "  " + id(e.from) + link + id(e.to) + "\n";
    }
    // Colours by computed status, as in the SVG.
    for (const Tone tone :
         {Tone::Good, Tone::Bad, Tone::Unknown, Tone::Undeveloped, Tone::Neutral}) {
        const style::Colours c = style::colours(tone);
        out += std::string("  classDef ") + tone_name(tone) + " fill:" + c.fill +
               ",stroke:" + c.line + ",color:#1a1a1a\n";
    }
    const style::Colours sc = style::stub_colours();
    out += std::string("  classDef stub fill:") + sc.fill + ",stroke:" + sc.line +
           ",stroke-dasharray:4 3,color:#555555\n";
    for (const Tone tone :
         {Tone::Good, Tone::Bad, Tone::Unknown, Tone::Undeveloped, Tone::Neutral}) {
        std::string members;
        for (std::uint32_t n = 0; n < diagram.nodes.size(); ++n) {
            if (diagram.nodes[n].kind != NodeKind::Stub && diagram.nodes[n].tone == tone) {
                members += (members.empty() ? "" : ",") + id(n);
            }
        }
        if (!members.empty()) {
            out += "  class " + members + " " + tone_name(tone) + "\n";
        }
    }
    std::string stubs;
    for (std::uint32_t n = 0; n < diagram.nodes.size(); ++n) {
        if (diagram.nodes[n].kind == NodeKind::Stub) {
            stubs += (stubs.empty() ? "" : ",") + id(n);
        }
    }
    if (!stubs.empty()) {
        out += "  class " + stubs + " stub\n";
    }
    for (std::uint32_t n = 0; n < diagram.nodes.size(); ++n) {
        if (diagram.nodes[n].kind == NodeKind::Defeater) {
            out += "  style " + id(n) + " stroke-dasharray:6 3,stroke-width:2px\n";
        }
    }
    if (!attacks.empty()) {
        std::string list;
        for (std::size_t k : attacks) {
            list += (list.empty() ? "" : ",") + std::to_string(k);
        }
        out += "  linkStyle " + list + " stroke:#c62828,color:#c62828\n";
    }
    if (!options.link_prefix.empty()) {
        for (std::uint32_t n = 0; n < diagram.nodes.size(); ++n) {
            if (diagram.nodes[n].decl.valid()) {
                out += "  click " + id(n) + " href \"#" + options.link_prefix +
                       diagram.nodes[n].id + "\"\n";
            }
        }
    }
    if (options.legend) {
        out += "  subgraph " + prefix + "legend[\"legend\"]\n";
        for (const Tone tone : {Tone::Good, Tone::Bad, Tone::Unknown, Tone::Undeveloped}) {
            out += "    " + prefix + "legend_" + tone_name(tone) + "[\"" +
                   text(style::legend_words(tone)) + "\"]\n";
        }
        out += "  end\n";
        for (const Tone tone : {Tone::Good, Tone::Bad, Tone::Unknown, Tone::Undeveloped}) {
            out += "  class " + prefix + "legend_" + tone_name(tone) + " " + tone_name(tone) + "\n";
        }
    }
    return out;
}

} // namespace assure::diagram
