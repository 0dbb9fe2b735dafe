// SPDX-License-Identifier: Apache-2.0
#pragma once

// Text into XML and HTML (reports, JUnit, SVG labels): the one escaping every markup writer
// uses, so that no title, path or value read from a file can break a document.

#include <string>
#include <string_view>

namespace assure::support {

/// What happens to line breaks and tabs.
enum class LineBreaks {
    Keep,     // element text: written as they are
    Space,    // a one-line label: line feed and carriage return become a space
    Entities, // attribute values: `&#10;`, `&#13;`, `&#9;`, so that parsers keep them
};

/// Appends `text` escaped for XML or HTML text and quoted attribute values: `& < > " '` become
/// character references; bytes that are not valid UTF-8, and control characters that XML 1.0
/// and HTML do not allow in text (C0 other than tab, line feed and carriage return; DEL; C1),
/// become U+FFFD, one per bad byte or character. The result is always valid UTF-8.
void append_markup_escaped(std::string &out, std::string_view text,
                           LineBreaks breaks = LineBreaks::Keep);

/// append_markup_escaped into a fresh string.
std::string markup_escaped(std::string_view text, LineBreaks breaks = LineBreaks::Keep);

} // namespace assure::support
