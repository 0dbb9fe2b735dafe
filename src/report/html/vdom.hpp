// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report/html: the page's own markup as inert data. A large page keeps its
// sections in `<script type="application/json">` blocks (which the browser only scans, building
// no nodes) and the page's script builds the nodes of the one navigated to with createElement
// and text nodes: no markup is ever parsed from text.

#include <string>
#include <string_view>

namespace assure::report::html::detail {

/// Appends to `out` the JSON form of `html`, a fragment of the markup this library writes (tags
/// with double-quoted `class`, `id` and `href="#..."` attributes; text escaped by escape_to or
/// holding the entities &ldquo; &rdquo; &mdash;): an array of nodes, each a string (text) or
/// an array [spec, child...] whose spec is the tag, then ".class" per class, then "#id" or
/// ">target" (href "#target"). Safe inside a <script> element (json_string_to). Other
/// attributes are dropped; an unknown entity is kept as written.
void html_to_json(std::string &out, std::string_view html);

} // namespace assure::report::html::detail
