// SPDX-License-Identifier: Apache-2.0
#pragma once

// GSN diagrams of an argument, coloured by the verdicts a proof computed (docs/diagram.md).
// build_* turns a proved program into a Diagram (a small model: nodes, edges, stubs), and the
// to_* functions render it as DOT, Mermaid or SVG (laid out by Graphviz's dot, linked in as a
// library). Everything here is deterministic: the same program, proof and options give the same
// bytes. Nothing here prints or exits; failures are returned.

#include "dsl/sema/program.hpp"
#include "prove/prove.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::diagram {

/// The GSN element a node draws.
enum class NodeKind : std::uint8_t {
    Goal,          // a claim: rectangle
    Strategy,      // parallelogram
    Solution,      // evidence: circle
    Context,       // rounded rectangle
    Assumption,    // oval marked A
    Justification, // oval marked J (a `justification` declaration or a strategy's text)
    Defeater,      // counter-argument: a dashed octagon
    Stub,          // a collapsed subtree: "+ 37 more: 12 claims, ..."
};
/// "goal", "strategy", "solution", "context", "assumption", "justification", "defeater", "stub".
const char *node_kind_name(NodeKind k);

/// The colour class of a node's computed status.
enum class Tone : std::uint8_t {
    Good,        // claim supported, strategy holds, evidence valid, defeater inactive
    Bad,         // unsupported, fails, invalid, defeater active
    Unknown,     // the solver (or a defeater's resolution) left it open
    Undeveloped, // undeveloped claim or strategy resting on one
    Neutral,     // context, assumption, justification, stub: no verdict of its own
};
/// "good", "bad", "unknown", "undeveloped", "neutral" (also the SVG class suffix).
const char *tone_name(Tone t);

enum class EdgeKind : std::uint8_t {
    SupportedBy, // solid arrow, parent to supporter
    InContextOf, // hollow arrowhead, element to its context / assumption / justification
    Attacks,     // defeater to its target, labelled rebut / undercut / undermine / defeat
    ResolvedBy,  // defeater to a claim or evidence its resolution rests on
    Collapsed,   // element to the stub of its collapsed subtree
};

struct Node {
    NodeKind kind = NodeKind::Goal;
    /// Stable identifier, safe in XML, DOT and URLs: anchor_id of the qualified name
    /// ("ship.perception.G_fog"); for a strategy's justification text "<strategy's id>-just",
    /// for a stub "<parent's id>-more", for the stub of the top claims left out "more-tops".
    /// Unique within a diagram (anchor_id never writes `-` followed by a letter beyond f).
    std::string id;
    sema::DeclId decl;  // invalid for stubs and a strategy's justification text
    std::string name;   // short name as declared ("G_fog"); "" for stubs
    std::string title;  // the declaration's title (unwrapped); a stub's "+ 37 more: ..." text
    std::string status; // "supported", "holds", "valid", "invalid", "active", ... ("" if none)
    /// Short reasons the status is not good, from prove's reason_name: "expired", "failed",
    /// "artifact changed", ...; "" when none.
    std::string detail;
    /// A strategy's mode ("all of", "at least 2; cover: visibility"), a defeater's status as
    /// written ("open", "resolved", "withdrawn"); "" otherwise.
    std::string note;
    std::string location; // "navigation.assure:42" (file name without folders); "" for stubs
    Tone tone = Tone::Neutral;
    bool undeveloped = false; // drawn with GSN's hollow diamond
    bool top = false;         // a root of the diagram
    std::uint32_t group = 0;  // the root (index into Diagram::roots) whose tree it is drawn in
    std::uint32_t hidden = 0; // stubs: how many elements it stands for
};

struct Edge {
    std::uint32_t from = 0, to = 0; // node indices
    EdgeKind kind = EdgeKind::SupportedBy;
    std::string label; // "rebut", "undercut", "undermine", "defeat", "resolved by", or ""
};

/// One diagram: trees under its roots, each element drawn once (a shared supporter gets one
/// node and several incoming edges). Nodes are in the order they were reached (breadth first
/// from the roots, in declaration order of the supporters), which is the order they are
/// rendered in.
struct Diagram {
    std::string title;                // "ship.G1", "module ship.perception", "top claims"
    std::vector<Node> nodes;          // roots first
    std::vector<Edge> edges;          // in the order they were found
    std::vector<std::uint32_t> roots; // node indices of the roots, in order
    bool capped = false;              // Options::max_nodes cut the diagram short
};

struct Options {
    /// Supporting levels drawn below each root (a root is level 0); the children of an element
    /// at this level collapse into a stub. 0 = no limit but max_nodes.
    std::uint32_t depth = 0;
    /// Hard cap on the nodes of one diagram (stubs and contexts included): once reached, what
    /// is left collapses into stubs, so a case of any size lays out quickly.
    std::uint32_t max_nodes = 400;
};

/// The diagram of `claim`'s argument. `claim` must be a claim of `program`, `result` its proof.
Diagram build_claim(const sema::Program &program, const prove::ProofResult &result,
                    const support::SourceManager &sources, sema::DeclId claim,
                    const Options &options);

/// The diagram of a module's argument: the trees under the claims of module `module` (index
/// into program.modules) that no element of the module supports, in declaration order.
Diagram build_module(const sema::Program &program, const prove::ProofResult &result,
                     const support::SourceManager &sources, std::uint32_t module,
                     const Options &options);

/// The diagram of the whole case: one tree per top claim (result.top_claims), in order. Each
/// tree is drawn as its own cluster headed by its top claim's verdict; an element shared by
/// several trees is drawn in the first.
Diagram build_case(const sema::Program &program, const prove::ProofResult &result,
                   const support::SourceManager &sources, const Options &options);

/// The module named `name` (exact), if any.
std::optional<std::uint32_t> find_module(const sema::Program &program, std::string_view name);

struct RenderOptions {
    /// Prepended to every id the output defines (SVG element ids, Mermaid node ids), so that
    /// several diagrams can sit on one HTML page: "d3-".
    std::string id_prefix;
    /// Non-empty: every node of a declaration links to "#" + link_prefix + node.id (SVG:
    /// `<a xlink:href=...>`; Mermaid: a `click` line), e.g. "el-" gives "#el-ship.G1".
    std::string link_prefix;
    /// SVG for embedding in HTML: no XML prolog and no DOCTYPE.
    bool inline_svg = false;
    /// Draw the legend (a small table of the shapes and colours).
    bool legend = true;
};

/// `id` (a qualified name) made safe as an XML id, a DOT name and a URL fragment: letters,
/// digits, `_` and `.` kept, any other byte written `-XX` (two lower-case hex digits).
/// Injective. A page that embeds diagrams names a declaration's section with it.
std::string anchor_id(std::string_view id);

/// The text every output of each format starts with (the marker cli::write_output looks for).
inline constexpr std::string_view kDotMarker = "// Generated by assure diagram";
inline constexpr std::string_view kMermaidMarker = "%% Generated by assure diagram";
inline constexpr std::string_view kSvgMarker = "<!-- Generated by assure diagram";

/// The diagram as Graphviz DOT text (what to_svg lays out).
std::string to_dot(const Diagram &diagram, const RenderOptions &options);

/// The diagram as a Mermaid `flowchart TD` (for Markdown: GitHub renders ```mermaid blocks).
std::string to_mermaid(const Diagram &diagram, const RenderOptions &options);

/// The diagram laid out by Graphviz's dot and rendered as SVG, or nullopt with `error` set
/// when Graphviz reports an error (nothing is printed). Every element node is a
/// `<g id="PREFIX+node.id" class="node ...">`. Deterministic: Graphviz runs with
/// built-in plugins only and its built-in font metrics, never fontconfig.
std::optional<std::string> to_svg(const Diagram &diagram, const RenderOptions &options,
                                  std::string &error);

} // namespace assure::diagram
