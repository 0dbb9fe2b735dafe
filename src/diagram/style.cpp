// SPDX-License-Identifier: Apache-2.0
#include "diagram/style.hpp"

namespace assure::diagram::style {

Colours colours(Tone tone) {
    switch (tone) {
    case Tone::Good:
        return {"#dcefd9", "#2e7d32"};
    case Tone::Bad:
        return {"#f9d6d5", "#c62828"};
    case Tone::Unknown:
        return {"#fff1c2", "#a86400"};
    case Tone::Undeveloped:
        return {"#e4e4f2", "#55558a"};
    case Tone::Neutral:
        return {"#ffffff", "#555555"};
    }
    return {"#ffffff", "#555555"};
}

Colours stub_colours() {
    return {"#f4f4f4", "#888888"};
}

const char *legend_words(Tone tone) {
    switch (tone) {
    case Tone::Good:
        return "supported / holds / valid / defeater inactive";
    case Tone::Bad:
        return "unsupported / fails / invalid / defeater active";
    case Tone::Unknown:
        return "unknown (solver or resolution undecided)";
    case Tone::Undeveloped:
        return "undeveloped";
    case Tone::Neutral:
        return "context, assumption, justification";
    }
    return "";
}

std::string status_line(const Node &node) {
    std::string line = node.status;
    if (!node.detail.empty()) {
        line += ": " + node.detail;
    }
    if (!node.note.empty()) {
        line += node.kind == NodeKind::Defeater ? " (" + node.note + ")" : " \xc2\xb7 " + node.note;
    }
    return line;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines) {
    std::vector<std::string> lines;
    std::string current;
    bool cut = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t')) {
            ++pos;
        }
        std::size_t end = pos;
        while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t') {
            ++end;
        }
        if (end == pos) {
            break;
        }
        std::string word(text.substr(pos, end - pos));
        pos = end;
        if (!current.empty() && current.size() + 1 + word.size() <= width) {
            current += ' ' + word;
            continue;
        }
        if (!current.empty()) {
            lines.push_back(std::move(current));
            current.clear();
        }
        if (lines.size() == max_lines) {
            cut = true;
            break;
        }
        if (word.size() > width) {
            // Cut at a UTF-8 character boundary.
            std::size_t at = width;
            while (at > 0 && (static_cast<unsigned char>(word[at]) & 0xc0) == 0x80) {
                --at;
            }
            word = word.substr(0, at) + "...";
        }
        current = std::move(word);
    }
    if (!current.empty()) {
        if (lines.size() == max_lines) {
            cut = true;
        } else {
            lines.push_back(std::move(current));
        }
    }
    if (cut && !lines.empty()) {
        std::string &last = lines.back();
        if (last.size() + 3 > width + 3) {
            last.resize(width);
        }
        if (last.size() < 3 || last.compare(last.size() - 3, 3, "...") != 0) {
            last += "...";
        }
    }
    return lines;
}

std::string tooltip(const Node &node) {
    std::string tip = node_kind_name(node.kind);
    if (node.decl.valid()) {
        tip += " " + node.id;
    }
    if (!node.location.empty()) {
        tip += " (" + node.location + ")";
    }
    const std::string status = status_line(node);
    if (!status.empty()) {
        tip += ": " + status;
    }
    if (node.kind == NodeKind::Stub) {
        tip += ": " + node.title;
    }
    return tip;
}

} // namespace assure::diagram::style
