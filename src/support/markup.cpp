// SPDX-License-Identifier: Apache-2.0
#include "support/markup.hpp"

#include "support/text.hpp"

namespace assure::support {

void append_markup_escaped(std::string &out, std::string_view text, LineBreaks breaks) {
    for_each_text_char(text, [&](std::string_view ch) {
        if (ch.size() > 1) {
            out += ch;
            return;
        }
        switch (ch[0]) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        case '\n':
            out += breaks == LineBreaks::Keep       ? "\n"
                   : breaks == LineBreaks::Entities ? "&#10;"
                                                    : " ";
            break;
        case '\r':
            out += breaks == LineBreaks::Keep       ? "\r"
                   : breaks == LineBreaks::Entities ? "&#13;"
                                                    : " ";
            break;
        case '\t':
            out += breaks == LineBreaks::Entities ? "&#9;" : "\t";
            break;
        default:
            out += ch;
        }
    });
}

std::string markup_escaped(std::string_view text, LineBreaks breaks) {
    std::string out;
    out.reserve(text.size());
    append_markup_escaped(out, text, breaks);
    return out;
}

} // namespace assure::support
