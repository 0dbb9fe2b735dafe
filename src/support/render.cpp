// SPDX-License-Identifier: Apache-2.0
#include "support/render.hpp"

#include "support/text.hpp"

#include <algorithm>

namespace assure::support {
namespace {

constexpr std::size_t kTabWidth = 4;

std::string expand_tabs(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\t') {
            out.append(kTabWidth, ' ');
        } else {
            out += c;
        }
    }
    return printable(out);
}

void append_snippet(std::string &out, Span span, const SourceManager &sources,
                    const std::string &label) {
    const LineCol lc = sources.line_col(span.file, span.begin);
    const std::string line_no = std::to_string(lc.line);
    const std::string gutter(line_no.size(), ' ');
    std::string_view line = sources.line_text(span.file, lc.line);
    // Long lines (a 100 MB one-liner) are cut around the caret so output stays readable.
    std::uint32_t start = sources.line_start(span.file, lc.line);
    if (lc.line == 1 && sources.text(span.file).substr(0, 3) == "\xEF\xBB\xBF") {
        start = 3; // line_text leaves the byte-order mark out
    }
    std::size_t rel_begin = span.begin - start;
    std::size_t rel_end = std::max<std::size_t>(span.end, span.begin) - start;
    rel_begin = std::min(rel_begin, line.size());
    rel_end = std::min(rel_end, line.size());
    constexpr std::size_t kWindow = 160;
    std::string prefix;
    if (line.size() > kWindow && rel_begin > kWindow / 2) {
        std::size_t cut = rel_begin - kWindow / 2;
        while (cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0u) == 0x80u) {
            ++cut;
        }
        line.remove_prefix(cut);
        rel_begin -= cut;
        rel_end -= cut;
        prefix = "...";
    }
    if (line.size() > kWindow + kWindow / 2) {
        std::size_t keep = std::max(rel_end, kWindow);
        while (keep < line.size() && (static_cast<unsigned char>(line[keep]) & 0xC0u) == 0x80u) {
            ++keep;
        }
        line = line.substr(0, keep);
        rel_end = std::min(rel_end, line.size());
    }
    // Measure what is shown: tabs expanded, control bytes and invalid UTF-8 as \xNN escapes.
    const std::size_t pad =
        prefix.size() + count_code_points(expand_tabs(line.substr(0, rel_begin)));
    std::size_t width = count_code_points(expand_tabs(line.substr(rel_begin, rel_end - rel_begin)));
    if (width == 0) {
        width = 1;
    }
    out += gutter + " |\n";
    out += line_no + " | " + prefix + expand_tabs(line) + "\n";
    out += gutter + " | " + std::string(pad, ' ') + std::string(width, '^');
    if (!label.empty()) {
        out += " " + label;
    }
    out += "\n";
}

} // namespace

std::string location(Span span, const SourceManager &sources) {
    if (!span.valid()) {
        return {};
    }
    const LineCol lc = sources.line_col(span.file, span.begin);
    return sources.display_name(span.file) + ":" + std::to_string(lc.line) + ":" +
           std::to_string(lc.column);
}

std::string render_text(const Diagnostic &diag, const SourceManager &sources) {
    const CodeInfo &ci = info(diag.code);
    std::string out = diag.severity == Severity::Error ? "error[" : "warning[";
    out += std::string(ci.id) + "]: " + diag.message + "\n";
    std::string gutter = " ";
    if (diag.span.valid()) {
        const LineCol lc = sources.line_col(diag.span.file, diag.span.begin);
        gutter = std::string(std::to_string(lc.line).size(), ' ');
        out += gutter + "--> " + location(diag.span, sources) + "\n";
        append_snippet(out, diag.span, sources, diag.label);
    }
    if (!diag.help.empty()) {
        out += gutter + " = help: " + diag.help + "\n";
    }
    for (const Note &note : diag.notes) {
        out += "note: " + note.message + "\n";
        if (note.span.valid()) {
            out += "  --> " + location(note.span, sources) + "\n";
        }
    }
    if (const auto *ex = diag.span.valid() ? sources.expansion(diag.span.file) : nullptr;
        ex != nullptr && ex->use.valid()) {
        out += "note: " + ex->what + "\n  --> " + location(ex->use, sources) + "\n";
    }
    return out;
}

} // namespace assure::support
