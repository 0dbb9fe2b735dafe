// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the renderers share (internal to src/diagram): the colours of each tone, the status line
// and the wrapping of titles, so that DOT, SVG and Mermaid say the same thing.

#include "diagram/diagram.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace assure::diagram::style {

struct Colours {
    const char *fill;
    const char *line;
};

/// Fill and line colour of a tone (stubs: their own grey).
Colours colours(Tone tone);
Colours stub_colours();

/// The words of a tone in the legend: "supported / holds / valid / defeater inactive", ...
const char *legend_words(Tone tone);

/// The status line of a node: "supported", "invalid: expired", "holds · all of",
/// "active (open)"; "" for nodes without a status.
std::string status_line(const Node &node);

/// `text` broken at spaces into lines of at most `width` bytes (a longer word stands alone,
/// cut), at most `max_lines` of them, the last ending in "..." when text was left out.
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines);

/// The tooltip of a node: qualified id, kind, location, status.
std::string tooltip(const Node &node);

} // namespace assure::diagram::style
