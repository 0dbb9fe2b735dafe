// SPDX-License-Identifier: Apache-2.0
// The GSN diagram of each top claim (src/diagram), inline SVG whose nodes link to the sections.
#include "diagram/diagram.hpp"
#include "report/html/page.hpp"

namespace assure::report::html::detail {

namespace {

/// `svg` without its root's namespace declarations: the HTML parser puts an inline <svg> and
/// its xlink:href attributes into their namespaces itself, and the page then carries no URL at
/// all, not even a namespace name.
std::string without_namespaces(std::string svg) {
    for (const std::string_view decl :
         {std::string_view(" xmlns=\"http://www.w3.org/2000/svg\""),
          std::string_view(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"")}) {
        const std::size_t root_end = svg.find('>', svg.find("<svg"));
        const std::size_t at = svg.find(decl);
        if (at != std::string::npos && at < root_end) {
            svg.erase(at, decl.size());
        }
    }
    return svg;
}

} // namespace

void diagrams(Page &page) {
    page.raw("<section id=\"diagrams\"><h2>Diagrams</h2><p class=\"muted\">One diagram per top "
             "claim, coloured by the computed verdicts. Click an element to read its section. ");
    // A large case's diagrams stay small: a few levels, then counted stubs.
    const std::uint32_t depth = page.lazy ? page.options.diagram_depth : 0;
    if (depth != 0) {
        page.raw("Subtrees more than ");
        page.raw(std::to_string(depth));
        page.raw(" levels deep, or ");
    } else {
        page.raw("Elements ");
    }
    page.raw("beyond the first ");
    page.raw(std::to_string(page.options.diagram_nodes));
    page.raw(" are collapsed into a counted stub: follow the links of the sections above it."
             "</p>");
    diagram::Options options;
    options.depth = depth;
    options.max_nodes = page.options.diagram_nodes;
    for (std::size_t k = 0; k < page.res.top_claims.size(); ++k) {
        const sema::DeclId c = page.res.top_claims[k];
        const std::string box = "diagram-" + std::to_string(k + 1);
        page.raw("<div class=\"diagram-block\"><h3>");
        page.link_status(c);
        page.raw("<button class=\"zoom\" type=\"button\" data-for=\"" + box +
                 "\">Actual size</button></h3>");
        const diagram::Diagram d =
            diagram::build_claim(page.prog, page.res, page.sources, c, options);
        diagram::RenderOptions render;
        render.id_prefix = "g" + std::to_string(k + 1) + "-";
        render.link_prefix = "d-";
        render.inline_svg = true;
        render.legend = k == 0; // once is enough
        std::string error;
        const auto svg = diagram::to_svg(d, render, error);
        if (svg) {
            page.raw("<div class=\"diagram\" id=\"" + box + "\">");
            page.raw(without_namespaces(*svg));
            page.raw("</div>");
        } else {
            page.raw("<p class=\"reason\">The diagram could not be laid out: ");
            page.text(error);
            page.raw("</p>");
        }
        page.raw("</div>");
    }
    page.raw("</section>\n");
}

} // namespace assure::report::html::detail
