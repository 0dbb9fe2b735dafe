// SPDX-License-Identifier: Apache-2.0
#include "diagram/diagram.hpp"

#include <cstdlib>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <mutex>

// The two plugins linked in (src/diagram/CMakeLists.txt): the dot layout and the core renderers
// (svg among them). Handing them to gvContextPlugins with demand loading off means Graphviz
// neither reads its plugin configuration file nor loads pango, so text is measured with its
// built-in font metrics and the output does not depend on the fonts installed.
extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;
}

namespace assure::diagram {

namespace {

lt_symlist_t kBuiltins[] = {
    {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
    {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
    {nullptr, nullptr},
};

// Graphviz reports through one global callback: collect what it says instead of printing it.
// The mutex keeps two layouts from interleaving (cgraph's error state is global too).
std::mutex g_graphviz;
std::string *g_messages = nullptr;

int collect(char *message) {
    if (g_messages != nullptr && message != nullptr) {
        *g_messages += message;
    }
    return 0;
}

/// Frees what Graphviz allocated, in order, whatever path leaves to_svg.
struct Session {
    GVC_t *gvc = nullptr;
    Agraph_t *graph = nullptr;
    bool laid_out = false;
    char *data = nullptr;
    ~Session() {
        if (data != nullptr) {
            gvFreeRenderData(data);
        }
        if (laid_out) {
            gvFreeLayout(gvc, graph);
        }
        if (graph != nullptr) {
            agclose(graph);
        }
        if (gvc != nullptr) {
            gvFreeContext(gvc);
        }
    }
};

/// The first line of what Graphviz said, trimmed, for an error message.
std::string first_line(const std::string &messages) {
    std::string line = messages.substr(0, messages.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
        line.pop_back();
    }
    return line.empty() ? "no message" : line;
}

} // namespace

std::optional<std::string> to_svg(const Diagram &diagram, const RenderOptions &options,
                                  std::string &error) {
    const std::string dot = to_dot(diagram, options);
    std::lock_guard<std::mutex> lock(g_graphviz);
    std::string messages;
    g_messages = &messages;
    const agusererrf previous = agseterrf(collect);
    struct Restore {
        agusererrf previous;
        ~Restore() {
            agseterrf(previous);
            g_messages = nullptr;
            agreseterrors();
        }
    } restore{previous};

    std::string svg;
    {
        Session s;
        s.gvc = gvContextPlugins(kBuiltins, 0);
        if (s.gvc == nullptr) {
            error = "Graphviz could not start: " + first_line(messages);
            return std::nullopt;
        }
        s.graph = agmemread(dot.c_str());
        if (s.graph == nullptr) {
            error = "Graphviz could not read the diagram: " + first_line(messages);
            return std::nullopt;
        }
        if (gvLayout(s.gvc, s.graph, "dot") != 0) {
            error = "Graphviz could not lay out the diagram: " + first_line(messages);
            return std::nullopt;
        }
        s.laid_out = true;
        unsigned int length = 0;
        if (gvRenderData(s.gvc, s.graph, "svg", &s.data, &length) != 0 || s.data == nullptr) {
            error = "Graphviz could not render the diagram: " + first_line(messages);
            return std::nullopt;
        }
        svg.assign(s.data, length);
    }
    // Graphviz heads its output with its version and the graph's name: replace that with the
    // marker (the same file on every Graphviz build that lays it out the same), and leave out
    // the prolog when the SVG goes inline into HTML.
    const auto start = svg.find("<svg");
    if (start == std::string::npos) {
        error = "Graphviz wrote no <svg> element";
        return std::nullopt;
    }
    std::string head;
    if (!options.inline_svg) {
        head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
    }
    head += std::string(kSvgMarker) + " (docs/diagram.md; laid out by Graphviz dot) -->\n";
    svg.erase(0, start);
    // Text was measured with Helvetica's metrics: name the fonts that share them, so that a
    // viewer without Helvetica does not fall back to a wider sans-serif font.
    static constexpr std::string_view kFrom = "font-family=\"Helvetica,sans-Serif\"";
    static constexpr std::string_view kTo =
        "font-family=\"Helvetica,Arial,'Liberation Sans','Nimbus Sans',sans-serif\"";
    for (auto at = svg.find(kFrom); at != std::string::npos; at = svg.find(kFrom, at)) {
        svg.replace(at, kFrom.size(), kTo);
        at += kTo.size();
    }
    return head + svg;
}

} // namespace assure::diagram
