// SPDX-License-Identifier: Apache-2.0
#include "dsl/prescan.hpp"

#include "support/text.hpp"

#include <cstdio>
#include <vector>

namespace assure::dsl {

using support::Code;
using support::Span;

namespace {

/// Lines a string pasted over several lines may take before the one that closes it.
constexpr int kMaxContinuationLines = 8;

/// Whether the rest of a line, read as code from `pos`, closes every string it opens.
bool line_strings_closed(std::string_view text, std::size_t pos) {
    bool in_string = false;
    for (; pos < text.size() && text[pos] != '\n'; ++pos) {
        const char c = text[pos];
        if (in_string) {
            if (c == '\\') {
                ++pos;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '/' && pos + 1 < text.size() &&
                   (text[pos + 1] == '/' || text[pos + 1] == '*')) {
            return true; // a comment: whatever follows is not code
        }
    }
    return !in_string;
}

/// For a string still open at the end of a line, where `from` starts the next line: the
/// quote that closes it if it reads as continued text (lines without a quote, then a line
/// whose first quote closes it and whose own strings are closed), else npos.
std::size_t continued_string_end(std::string_view text, std::size_t from) {
    std::size_t pos = from;
    for (int line = 0; line < kMaxContinuationLines && pos < text.size(); ++line) {
        for (; pos < text.size() && text[pos] != '\n'; ++pos) {
            if (text[pos] == '\\' && pos + 1 < text.size() && text[pos + 1] != '\n') {
                ++pos;
            } else if (text[pos] == '"') {
                return line_strings_closed(text, pos + 1) ? pos : std::string_view::npos;
            }
        }
        ++pos; // past the line end
    }
    return std::string_view::npos;
}

} // namespace

PrescanResult prescan(support::FileId file, const support::SourceManager &sources,
                      support::Diagnostics &diags) {
    PrescanResult result;
    const std::string_view text = sources.text(file);
    auto span_at = [&](std::size_t pos, std::size_t len) {
        return Span{file, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + len)};
    };

    if (const std::size_t bad = support::find_invalid_utf8(text); bad != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
        diags.error(Code::E0101, span_at(bad, 1),
                    std::string("invalid UTF-8: byte ") + hex + " cannot appear here",
                    "not UTF-8 text");
        result.parseable = false;
        return result;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        result.start = 3;
    }

    enum class State { Code, LineComment, BlockComment, String };
    State state = State::Code;
    std::size_t open_at = 0; // start of the current comment or string
    std::vector<std::size_t> brackets;
    for (std::size_t pos = result.start; pos < text.size(); ++pos) {
        const char c = text[pos];
        const auto uc = static_cast<unsigned char>(c);
        if ((uc < 0x20 && c != '\n' && c != '\r' && c != '\t') || uc == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", uc);
            diags.error(Code::E0102, span_at(pos, 1),
                        std::string("control character ") + hex + " in the source",
                        "binary data or a control character");
            result.parseable = false;
            return result;
        }
        switch (state) {
        case State::Code:
            if (c == '/' && pos + 1 < text.size() && text[pos + 1] == '/') {
                state = State::LineComment;
                ++pos;
            } else if (c == '/' && pos + 1 < text.size() && text[pos + 1] == '*') {
                state = State::BlockComment;
                open_at = pos;
                ++pos;
            } else if (c == '"') {
                state = State::String;
                open_at = pos;
            } else if (c == '(' || c == '[' || c == '{') {
                brackets.push_back(pos);
                if (brackets.size() > static_cast<std::size_t>(kMaxNesting)) {
                    diags.error(Code::E0105, span_at(pos, 1),
                                "brackets nested deeper than " + std::to_string(kMaxNesting) +
                                    " levels",
                                "nesting limit reached here");
                    result.parseable = false;
                    return result;
                }
            } else if ((c == ')' || c == ']' || c == '}') && !brackets.empty()) {
                brackets.pop_back();
            }
            break;
        case State::LineComment:
            if (c == '\n') {
                state = State::Code;
            }
            break;
        case State::BlockComment:
            if (c == '*' && pos + 1 < text.size() && text[pos + 1] == '/') {
                state = State::Code;
                ++pos;
            }
            break;
        case State::String:
            if (c == '\\' && pos + 1 < text.size() && text[pos + 1] != '\n') {
                ++pos;
            } else if (c == '"') {
                state = State::Code;
            } else if (c == '\n') {
                result.parseable = false;
                state = State::Code;
                if (const std::size_t close = continued_string_end(text, pos + 1);
                    close != std::string_view::npos) {
                    // A title pasted over two lines: one error, not one per line.
                    auto &d =
                        diags.error(Code::E0104, span_at(open_at, 1), "a string cannot span lines",
                                    "this string goes on past the end of its line");
                    d.help = "close the string on its line and go on in a new string on the "
                             "next: adjacent strings are joined, so `\"The ship detects \"` "
                             "followed by `\"obstacles\"` is one title";
                    pos = close;
                } else {
                    diags.error(Code::E0104, span_at(open_at, 1), "unterminated string",
                                "this string is not closed before the end of the line");
                }
            }
            break;
        }
    }
    if (state == State::BlockComment) {
        diags.error(Code::E0103, span_at(open_at, 2), "unterminated block comment",
                    "this comment is never closed with */");
        result.parseable = false;
    } else if (state == State::String) {
        diags.error(Code::E0104, span_at(open_at, 1), "unterminated string",
                    "this string is not closed before the end of the file");
        result.parseable = false;
    }
    return result;
}

} // namespace assure::dsl
