// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report/html: how text reaches the page. Everything user-written (names,
// titles, paths, values read from artifacts) is hostile input and goes through these.

#include <string>
#include <string_view>

namespace assure::report::html::detail {

/// Appends `text` to `out` escaped for HTML text and double- or single-quoted attribute values:
/// `& < > " '` become character references; bytes that are not valid UTF-8 and control
/// characters other than tab, line feed and carriage return become U+FFFD, so the page is
/// always valid UTF-8 without NUL or C1 controls.
void escape_to(std::string &out, std::string_view text);
/// escape_to into a fresh string.
std::string escape(std::string_view text);

/// Appends `text` as a JSON string literal (quotes included) that is safe inside a
/// `<script type="application/json">` element: `<`, `>` and `&` are written as \u escapes (so
/// no `</script>` can close it), invalid UTF-8 and controls as in escape_to.
void json_string_to(std::string &out, std::string_view text);

/// The fragment id of an element's section: "d-" followed by its qualified name, every byte
/// outside [A-Za-z0-9_.] written as "-hh" (lower-case hex), so distinct names give distinct ids
/// that need no escaping in a URL or an attribute. The same as diagram::anchor_id after "d-",
/// so a diagram's node links (link_prefix "d-") reach the sections.
std::string anchor(std::string_view qualified_name);

} // namespace assure::report::html::detail
