// SPDX-License-Identifier: Apache-2.0
#include "report/html/escape.hpp"

#include "diagram/diagram.hpp"
#include "support/markup.hpp"
#include "support/text.hpp"

#include <cstdint>

namespace assure::report::html::detail {

void escape_to(std::string &out, std::string_view text) {
    support::append_markup_escaped(out, text);
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    escape_to(out, text);
    return out;
}

void json_string_to(std::string &out, std::string_view text) {
    out += '"';
    support::for_each_text_char(text, [&out](std::string_view ch) {
        if (ch.size() > 1) {
            out += ch;
            return;
        }
        std::string &o = out;
        switch (ch[0]) {
        case '"':
            o += "\\\"";
            break;
        case '\\':
            o += "\\\\";
            break;
        case '\n':
            o += "\\n";
            break;
        case '\r':
            o += "\\r";
            break;
        case '\t':
            o += "\\t";
            break;
        case '<':
            o += "\\u003c";
            break;
        case '>':
            o += "\\u003e";
            break;
        case '&':
            o += "\\u0026";
            break;
        default:
            o += ch;
        }
    });
    out += '"';
}

std::string anchor(std::string_view qualified_name) {
    return "d-" + diagram::anchor_id(qualified_name);
}

} // namespace assure::report::html::detail
