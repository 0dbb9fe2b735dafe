// SPDX-License-Identifier: Apache-2.0
#pragma once

// Byte-exact edits of a source text and their unified-diff rendering, for `assure pin`: the
// text outside the edited ranges is copied unchanged (line endings, a BOM, comments, spacing).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace assure::pin {

/// Replaces bytes [begin, end) of a text with `text` (begin == end inserts).
struct Edit {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::string text;
};

/// `text` with every edit applied. Edits may come in any order but must lie within `text` and
/// must not overlap (two insertions at one offset are applied in the order given).
std::string apply_edits(std::string_view text, std::vector<Edit> edits);

/// The edits as unified-diff hunks without context lines, the way `diff -U0` shows them:
/// `--- a/PATH`, `+++ b/PATH`, then per run of adjacent changed lines `@@ -L,N +L',N' @@`, the
/// old lines (`-`) and the new ones (`+`). Lines end at LF, CRLF or a lone CR, as the
/// SourceManager counts them, and are shown without their line ending. An absolute `path`
/// becomes `a/abs/path`, as git writes it. Empty when there are no edits. Deterministic.
std::string render_diff(std::string_view path, std::string_view text, std::vector<Edit> edits);

} // namespace assure::pin
