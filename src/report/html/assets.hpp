// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report/html: the page's stylesheet and script, inlined into every page.

#include <string_view>

namespace assure::report::html::detail {

/// The stylesheet: screen and print (sections expanded, no interactive chrome, page breaks).
extern const std::string_view kStyle;
/// The script: lazy sections and deferred tables rendered on navigation, the search box,
/// details opened for printing. It builds nodes with createElement and textContent only.
extern const std::string_view kScript;
/// The History section's rules, added to the stylesheet only on a page that has the section
/// (so a page without it is as it was).
extern const std::string_view kHistoryStyle;

} // namespace assure::report::html::detail
