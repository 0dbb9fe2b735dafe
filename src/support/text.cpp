// SPDX-License-Identifier: Apache-2.0
#include "support/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace assure::support {

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) {
            ++n;
        }
    }
    return n;
}

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        return 1;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    return overlong || surrogate || cp > 0x10FFFF ? 0 : len;
}

std::size_t find_invalid_utf8(std::string_view s) {
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t len = utf8_sequence_length(s, pos);
        if (len == 0) {
            return pos;
        }
        pos += len;
    }
    return std::string_view::npos;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    if ((n > m ? n - m : m - n) > cap) {
        return cap + 1;
    }
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t col = 0; col <= m; ++col) {
        prev[col] = col;
    }
    for (std::size_t row = 1; row <= n; ++row) {
        cur[0] = row;
        std::size_t row_min = cur[0];
        for (std::size_t col = 1; col <= m; ++col) {
            const std::size_t cost = a[row - 1] == b[col - 1] ? 0 : 1;
            cur[col] = std::min({prev[col] + 1, cur[col - 1] + 1, prev[col - 1] + cost});
            if (row > 1 && col > 1 && a[row - 1] == b[col - 2] && a[row - 2] == b[col - 1]) {
                cur[col] = std::min(cur[col], prev2[col - 2] + 1);
            }
            row_min = std::min(row_min, cur[col]);
        }
        if (row_min > cap) {
            return cap + 1;
        }
        prev2.swap(prev);
        prev.swap(cur);
    }
    return std::min(prev[m], cap + 1);
}

std::string closest_match(std::string_view name, const std::vector<std::string_view> &candidates) {
    const std::size_t cap = std::max<std::size_t>(1, name.size() / 3);
    std::string_view best;
    std::size_t best_dist = cap + 1;
    for (std::string_view cand : candidates) {
        if (cand == name) {
            continue;
        }
        const std::size_t d = edit_distance(name, cand, cap);
        if (d < best_dist || (d == best_dist && d <= cap && cand < best)) {
            best = cand;
            best_dist = d;
        }
    }
    return best_dist <= cap ? std::string(best) : std::string();
}

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t bad = find_invalid_utf8(s.substr(pos));
        const std::size_t good_len = bad == std::string_view::npos ? s.size() - pos : bad;
        for (std::size_t k = pos; k < pos + good_len; ++k) {
            const auto c = static_cast<unsigned char>(s[k]);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                char esc[8];
                std::snprintf(esc, sizeof esc, "\\x%02X", c);
                out += esc;
            } else {
                out += static_cast<char>(c);
            }
        }
        pos += good_len;
        if (pos < s.size()) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\x%02X", static_cast<unsigned char>(s[pos]));
            out += esc;
            ++pos;
        }
    }
    return out;
}

std::string join_elided(std::size_t count, const std::function<std::string(std::size_t)> &item,
                        std::string_view sep, std::size_t keep) {
    std::string out;
    auto add = [&](const std::string &text) {
        if (!out.empty()) {
            out += sep;
        }
        out += text;
    };
    const bool whole = shown_whole(count, keep);
    for (std::size_t idx = 0; idx < count; ++idx) {
        if (!whole && idx == keep) {
            add("... " + std::to_string(count - 2 * keep) + " more ...");
            idx = count - keep - 1;
            continue;
        }
        add(item(idx));
    }
    return out;
}

std::string_view url_scheme(std::string_view path) {
    const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t end = 0;
    if (path.empty() || !is_alpha(path[0])) {
        return {};
    }
    while (end < path.size() && (is_alpha(path[end]) || is_digit(path[end]) || path[end] == '+' ||
                                 path[end] == '-' || path[end] == '.')) {
        ++end;
    }
    if (end < 2 || end >= path.size() || path[end] != ':') {
        return {};
    }
    const std::string_view scheme = path.substr(0, end);
    if (path.substr(end + 1, 2) == "//") {
        return scheme;
    }
    // Schemes of the places ML pipelines keep files, written without `//` too (`file:r.json`).
    static constexpr std::string_view kKnown[] = {
        "http", "https", "ftp",  "ftps",  "sftp", "file", "s3",  "s3a", "gs",  "az",
        "abfs", "abfss", "wasb", "wasbs", "hdfs", "dbfs", "ssh", "git", "data"};
    std::string lower(scheme);
    for (char &c : lower) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    for (std::string_view known : kKnown) {
        if (lower == known) {
            return scheme;
        }
    }
    return {};
}

std::string quote_literal(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += c;
        }
    }
    return out + "\"";
}

bool is_qualified_name(std::string_view s) {
    auto ident_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    };
    if (s.empty() || s.front() == '.' || s.back() == '.' ||
        (s.front() >= '0' && s.front() <= '9')) {
        return false;
    }
    for (std::size_t idx = 0; idx < s.size(); ++idx) {
        if (s[idx] == '.') {
            if (s[idx + 1] == '.' || (s[idx + 1] >= '0' && s[idx + 1] <= '9')) {
                return false;
            }
        } else if (!ident_char(s[idx])) {
            return false;
        }
    }
    return true;
}

} // namespace assure::support
