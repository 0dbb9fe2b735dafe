// SPDX-License-Identifier: Apache-2.0
#include "report/html/vdom.hpp"

#include "report/html/escape.hpp"

#include <array>
#include <utility>

namespace assure::report::html::detail {

namespace {

bool void_element(std::string_view tag) {
    return tag == "br" || tag == "hr" || tag == "img" || tag == "input" || tag == "meta";
}

/// `text` with the entities the library writes decoded.
std::string decode(std::string_view text) {
    static const std::array<std::pair<std::string_view, std::string_view>, 8> kEntities{{
        {"&amp;", "&"},
        {"&lt;", "<"},
        {"&gt;", ">"},
        {"&quot;", "\""},
        {"&#39;", "'"},
        {"&ldquo;", "\xE2\x80\x9C"},
        {"&rdquo;", "\xE2\x80\x9D"},
        {"&mdash;", "\xE2\x80\x94"},
    }};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            bool known = false;
            for (const auto &[entity, ch] : kEntities) {
                if (text.substr(i, entity.size()) == entity) {
                    out += ch;
                    i += entity.size();
                    known = true;
                    break;
                }
            }
            if (known) {
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

} // namespace

void html_to_json(std::string &out, std::string_view html) {
    out += '[';
    bool first = true; // no node written yet at this level
    std::size_t depth = 0;
    auto comma = [&] {
        if (!first) {
            out += ',';
        }
        first = false;
    };
    std::size_t i = 0;
    while (i < html.size()) {
        if (html[i] != '<') {
            const std::size_t end = std::min(html.find('<', i), html.size());
            comma();
            json_string_to(out, decode(html.substr(i, end - i)));
            i = end;
            continue;
        }
        const std::size_t close = html.find('>', i);
        if (close == std::string_view::npos) {
            break; // not markup this library writes
        }
        const std::string_view tag_text = html.substr(i + 1, close - i - 1);
        i = close + 1;
        if (!tag_text.empty() && tag_text.front() == '/') {
            if (depth > 0) {
                out += ']';
                --depth;
                first = false;
            }
            continue;
        }
        std::size_t name_end = 0;
        while (name_end < tag_text.size() && tag_text[name_end] != ' ' &&
               tag_text[name_end] != '/') {
            ++name_end;
        }
        const std::string_view tag = tag_text.substr(0, name_end);
        std::string spec(tag);
        std::string id;
        std::string target;
        // Attributes: name="value", values without a double quote (escape_to writes &quot;).
        std::size_t k = name_end;
        while (k < tag_text.size()) {
            const std::size_t eq = tag_text.find("=\"", k);
            if (eq == std::string_view::npos) {
                break;
            }
            std::size_t name_start = eq;
            while (name_start > k && tag_text[name_start - 1] != ' ') {
                --name_start;
            }
            const std::string_view name = tag_text.substr(name_start, eq - name_start);
            const std::size_t value_end = tag_text.find('"', eq + 2);
            if (value_end == std::string_view::npos) {
                break;
            }
            const std::string value = decode(tag_text.substr(eq + 2, value_end - eq - 2));
            if (name == "class") {
                for (char ch : value) {
                    spec += ch == ' ' ? '.' : ch;
                }
                if (!value.empty()) {
                    spec.insert(tag.size(), ".");
                }
            } else if (name == "id") {
                id = value;
            } else if (name == "href" && !value.empty() && value.front() == '#') {
                target = value.substr(1);
            }
            k = value_end + 1;
        }
        if (!id.empty()) {
            spec += '#' + id;
        } else if (!target.empty()) {
            spec += '>' + target;
        }
        comma();
        out += '[';
        json_string_to(out, spec);
        first = false;
        if (void_element(tag) || (!tag_text.empty() && tag_text.back() == '/')) {
            out += ']';
        } else {
            ++depth;
        }
    }
    for (; depth > 0; --depth) {
        out += ']';
    }
    out += ']';
}

} // namespace assure::report::html::detail
