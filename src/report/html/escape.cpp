// SPDX-License-Identifier: Apache-2.0
#include "report/html/escape.hpp"

#include "diagram/diagram.hpp"

#include <cstdint>

namespace assure::report::html::detail {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

/// The length of the valid UTF-8 sequence starting at `s[i]` (1 to 4), or 0 when the bytes
/// there are not one (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
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
        const unsigned char b = byte(i + k);
        if ((b & 0xC0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) {
        return 0;
    }
    // C1 controls (U+0080..U+009F) are not text either.
    if (cp >= 0x80 && cp <= 0x9F) {
        return 0;
    }
    return len;
}

/// Whether an ASCII byte is a control character the page must not carry.
bool bad_control(unsigned char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

/// Walks `text`, passing each ASCII byte to `ascii` and each valid multi-byte sequence to
/// `other`; replaces anything else by U+FFFD (one per bad byte).
template <typename Ascii> void walk(std::string &out, std::string_view text, Ascii ascii) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_length(text, i);
        if (len == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        if (len == 1) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (bad_control(c)) {
                out += kReplacement;
            } else {
                ascii(out, static_cast<char>(c));
            }
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
}

} // namespace

void escape_to(std::string &out, std::string_view text) {
    walk(out, text, [](std::string &o, char c) {
        switch (c) {
        case '&':
            o += "&amp;";
            break;
        case '<':
            o += "&lt;";
            break;
        case '>':
            o += "&gt;";
            break;
        case '"':
            o += "&quot;";
            break;
        case '\'':
            o += "&#39;";
            break;
        default:
            o += c;
        }
    });
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    escape_to(out, text);
    return out;
}

void json_string_to(std::string &out, std::string_view text) {
    out += '"';
    walk(out, text, [](std::string &o, char c) {
        switch (c) {
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
            o += c;
        }
    });
    out += '"';
}

std::string anchor(std::string_view qualified_name) {
    return "d-" + diagram::anchor_id(qualified_name);
}

std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    const auto at = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t v = at(i) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string unhex(std::string_view hex) {
    const auto value = [](char c) -> unsigned {
        if (c >= '0' && c <= '9') {
            return static_cast<unsigned>(c - '0');
        }
        if (c >= 'a' && c <= 'f') {
            return static_cast<unsigned>(c - 'a' + 10);
        }
        return static_cast<unsigned>(c - 'A' + 10);
    };
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>((value(hex[i]) << 4) | value(hex[i + 1]));
    }
    return out;
}

} // namespace assure::report::html::detail
