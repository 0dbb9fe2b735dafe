// SPDX-License-Identifier: Apache-2.0
#include "pin/edit.hpp"

#include "support/assert.hpp"

#include <algorithm>

namespace assure::pin {

namespace {

void sort_edits(std::vector<Edit> &edits, std::size_t size) {
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit &a, const Edit &b) { return a.begin < b.begin; });
    for (std::size_t idx = 0; idx < edits.size(); ++idx) {
        ASSURE_ASSERT(edits[idx].begin <= edits[idx].end && edits[idx].end <= size,
                      "an edit lies within its text");
        ASSURE_ASSERT(idx == 0 || edits[idx - 1].end <= edits[idx].begin, "edits do not overlap");
    }
}

/// The offsets at which the lines of `text` start (a line ends after LF, CRLF or a lone CR);
/// the last entry is text.size() when the text ends with a line ending.
std::vector<std::uint32_t> line_starts(std::string_view text) {
    std::vector<std::uint32_t> starts{0};
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        if (text[pos] == '\n' ||
            (text[pos] == '\r' && (pos + 1 == text.size() || text[pos + 1] != '\n'))) {
            starts.push_back(static_cast<std::uint32_t>(pos + 1));
        }
    }
    return starts;
}

/// The 0-based line of byte `offset`.
std::size_t line_of(const std::vector<std::uint32_t> &starts, std::uint32_t offset) {
    return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                                    starts.begin()) -
           1;
}

/// The lines of `segment` without their line endings (a final line ending ends the last line;
/// it does not start an empty one).
std::vector<std::string_view> split_lines(std::string_view segment) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    std::size_t pos = 0;
    while (pos < segment.size()) {
        if (segment[pos] == '\n' || segment[pos] == '\r') {
            lines.push_back(segment.substr(start, pos - start));
            pos += segment[pos] == '\r' && pos + 1 < segment.size() && segment[pos + 1] == '\n' ? 2
                                                                                                : 1;
            start = pos;
        } else {
            ++pos;
        }
    }
    if (start < segment.size()) {
        lines.push_back(segment.substr(start));
    }
    return lines;
}

} // namespace

std::string apply_edits(std::string_view text, std::vector<Edit> edits) {
    sort_edits(edits, text.size());
    std::string out;
    std::size_t grown = 0;
    for (const Edit &e : edits) {
        grown += e.text.size();
    }
    out.reserve(text.size() + grown);
    std::uint32_t at = 0;
    for (const Edit &e : edits) {
        out.append(text.substr(at, e.begin - at));
        out += e.text;
        at = e.end;
    }
    out.append(text.substr(at));
    return out;
}

std::string render_diff(std::string_view path, std::string_view text, std::vector<Edit> edits) {
    if (edits.empty()) {
        return {};
    }
    sort_edits(edits, text.size());
    const std::vector<std::uint32_t> starts = line_starts(text);
    const auto line_end = [&](std::size_t line) {
        return line + 1 < starts.size() ? starts[line + 1]
                                        : static_cast<std::uint32_t>(text.size());
    };
    // Runs of edits whose lines touch or follow each other become one hunk, as in diff -U0.
    struct Hunk {
        std::size_t first = 0; // 0-based lines, inclusive
        std::size_t last = 0;
        std::vector<Edit> edits;
    };
    std::vector<Hunk> hunks;
    for (Edit &e : edits) {
        const std::size_t first = line_of(starts, e.begin);
        const std::size_t last = line_of(starts, e.end > e.begin ? e.end - 1 : e.begin);
        if (!hunks.empty() && first <= hunks.back().last + 1) {
            hunks.back().last = std::max(hunks.back().last, last);
            hunks.back().edits.push_back(std::move(e));
        } else {
            hunks.push_back(Hunk{first, last, {}});
            hunks.back().edits.push_back(std::move(e));
        }
    }
    const std::string shown =
        !path.empty() && path.front() == '/' ? std::string(path.substr(1)) : std::string(path);
    std::string out = "--- a/" + shown + "\n+++ b/" + shown + "\n";
    long delta = 0; // new line number minus old, after the hunks so far
    for (Hunk &h : hunks) {
        const std::uint32_t from = starts[h.first];
        const std::uint32_t to = line_end(h.last);
        for (Edit &e : h.edits) {
            e.begin -= from;
            e.end -= from;
        }
        const std::string_view old_segment = text.substr(from, to - from);
        const std::string new_segment = apply_edits(old_segment, std::move(h.edits));
        const auto old_lines = split_lines(old_segment);
        const auto new_lines = split_lines(new_segment);
        const long old_first = static_cast<long>(h.first) + 1;
        out += "@@ -" + std::to_string(old_first) + "," + std::to_string(old_lines.size()) + " +" +
               std::to_string(old_first + delta) + "," + std::to_string(new_lines.size()) + " @@\n";
        for (std::string_view line : old_lines) {
            out += "-";
            out += line;
            out += "\n";
        }
        for (std::string_view line : new_lines) {
            out += "+";
            out += line;
            out += "\n";
        }
        delta += static_cast<long>(new_lines.size()) - static_cast<long>(old_lines.size());
    }
    return out;
}

} // namespace assure::pin
