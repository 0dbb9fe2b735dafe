// SPDX-License-Identifier: Apache-2.0
// The GSN diagram of each top claim.
#include "report/html/page.hpp"

namespace assure::report::html::detail {

void diagrams(Page &page) {
    page.raw("<section id=\"diagrams\"><h2>Diagrams</h2>");
    for (sema::DeclId c : page.res.top_claims) {
        page.raw("<div class=\"diagram-block\"><h3>");
        page.link_status(c);
        page.raw("</h3></div>");
    }
    page.raw("</section>\n");
}

} // namespace assure::report::html::detail
