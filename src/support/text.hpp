// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::support {

/// Number of UTF-8 code points in `s` (continuation bytes are not counted). `s` need not be
/// valid UTF-8; every non-continuation byte counts as one.
std::size_t count_code_points(std::string_view s);

/// Offset of the first byte that breaks UTF-8 validity (overlong forms, surrogates and code
/// points above U+10FFFF included), or npos when `s` is valid.
std::size_t find_invalid_utf8(std::string_view s);

/// The length (1 to 4) of the valid UTF-8 sequence at `s[i]`, or 0 when the bytes there are not
/// one (overlong forms, surrogates and code points above U+10FFFF included). `i < s.size()`.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

/// The U+FFFD replacement character, as UTF-8.
inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

/// Calls `f` with each character of `text` that a text document may hold: a valid UTF-8
/// sequence, or one ASCII byte. A byte that starts no valid sequence, and a control character
/// that is not text (C0 other than tab, line feed and carriage return; DEL; C1), is passed as
/// U+FFFD instead, one per bad byte or character. What markup and JSON writers escape from.
template <typename F> void for_each_text_char(std::string_view text, F &&f) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            f(kReplacementChar);
            ++i;
            continue;
        }
        const auto b0 = static_cast<unsigned char>(text[i]);
        const bool c0 =
            len == 1 && ((b0 < 0x20 && b0 != '\t' && b0 != '\n' && b0 != '\r') || b0 == 0x7F);
        // C1 controls (U+0080..U+009F) are the two-byte sequences C2 80..C2 9F.
        const bool c1 = len == 2 && b0 == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
        f(c0 || c1 ? kReplacementChar : text.substr(i, len));
        i += len;
    }
}

/// Damerau-Levenshtein (optimal string alignment) distance, capped: returns `cap + 1` as soon
/// as the distance is known to exceed `cap`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap);

/// The candidate closest to `name` within a length-dependent distance, or "" when none is close
/// enough. Ties go to the lexicographically smallest candidate, so the answer is deterministic.
std::string closest_match(std::string_view name, const std::vector<std::string_view> &candidates);

/// `s` with characters that would garble a terminal (control bytes, invalid UTF-8) replaced by
/// `\xNN` escapes.
std::string printable(std::string_view s);

/// `s` as a string literal of the language: in double quotes, with `"`, `\`, newline and tab
/// escaped (`\"`, `\\`, `\n`, `\t`).
std::string quote_literal(std::string_view s);

/// "1 claim", "2 claims", "0 claims": a count with the noun in the number it needs.
inline std::string counted(std::size_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

/// How many elements a report shows at each end of a path or list whose length grows with the
/// case (docs/diagnostics.md, "Long paths and lists").
inline constexpr std::size_t kElideKeep = 10;

/// Whether a list of `count` elements is shown whole; otherwise its first and last `keep` are.
constexpr bool shown_whole(std::size_t count, std::size_t keep = kElideKeep) {
    return count <= 2 * keep + 1;
}

/// The `count` items `item(0)`, ..., `item(count - 1)` joined by `sep`, with the middle left
/// out when there are more than 2 * `keep` + 1 of them: the first `keep`, "... N more ...",
/// the last `keep`. Only the items shown are asked for.
std::string join_elided(std::size_t count, const std::function<std::string(std::size_t)> &item,
                        std::string_view sep, std::size_t keep = kElideKeep);

/// The scheme of `path` when it is a URL rather than a file path ("https" for
/// `https://example.org/r.json`), or "" when it is not one: a scheme (a letter, then letters,
/// digits, `+`, `-` or `.`; at least two characters, so a drive letter such as `C:` is not one)
/// and a colon, followed by `//` (any scheme) or of a well-known scheme that needs none
/// (`http:`, `https:`, `file:`, `s3:`, `gs:`, ... ). `reports/a:b.json` is a path.
std::string_view url_scheme(std::string_view path);

/// A qualified name: identifiers ([A-Za-z_][A-Za-z0-9_]*) joined by single dots.
bool is_qualified_name(std::string_view s);

} // namespace assure::support
