// SPDX-License-Identifier: Apache-2.0
#include "support/source_manager.hpp"

#include "support/diagnostics.hpp"
#include "support/safe_fs.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace assure::support {

namespace {

/// Reads a lone CR as LF (same length, so every offset is unchanged); keeps the original
/// bytes in `raw` when anything changed.
void normalize_line_endings(std::string &content, std::string &raw) {
    const std::size_t first = content.find('\r');
    if (first == std::string::npos) {
        return;
    }
    bool changed = false;
    for (std::size_t pos = first; pos < content.size(); ++pos) {
        if (content[pos] == '\r' && (pos + 1 == content.size() || content[pos + 1] != '\n')) {
            if (!changed) {
                raw = content;
                changed = true;
            }
            content[pos] = '\n';
        }
    }
}

} // namespace

void SourceManager::overlay(std::string path, std::string content) {
    overlays_[std::move(path)] = std::move(content);
}

FileId SourceManager::load(const std::string &path, std::string display, Origin origin,
                           Diagnostics &diags) {
    if (const auto it = overlays_.find(path); it != overlays_.end()) {
        auto file = std::make_unique<File>();
        file->path = path;
        file->display = std::move(display);
        file->content = it->second;
        normalize_line_endings(file->content, file->raw);
        file->origin = origin;
        files_.push_back(std::move(file));
        return static_cast<FileId>(files_.size() - 1);
    }
    // Opened without blocking and checked on the descriptor: a FIFO or a device (/dev/zero)
    // would hang or never end, and a swap after a check cannot slip one in.
    FsError fs;
    auto read = read_regular_file(path, kMaxFileSize, /*follow=*/true, fs);
    if (!read) {
        if (fs.problem == FsProblem::NotRegular &&
            fs.message.find("directory") != std::string::npos) {
            diags.error(Code::E0002, Span{},
                        "`" + display + "` is a directory; pass the .assure files inside it");
        } else if (fs.problem == FsProblem::TooLarge) {
            diags.error(Code::E0003, Span{},
                        "`" + display + "` is larger than the 1 GiB limit for one source file");
        } else if (fs.problem == FsProblem::NotRegular) {
            diags.error(Code::E0001, Span{},
                        "cannot read `" + display + "`: it " + fs.message +
                            "; case files are read only from regular files");
        } else {
            diags.error(Code::E0001, Span{}, "cannot read `" + display + "`: " + fs.message);
        }
        return kNoFile;
    }
    std::string content = std::move(*read);
    auto file = std::make_unique<File>();
    file->path = path;
    file->display = std::move(display);
    file->content = std::move(content);
    normalize_line_endings(file->content, file->raw);
    file->origin = origin;
    files_.push_back(std::move(file));
    return static_cast<FileId>(files_.size() - 1);
}

FileId SourceManager::add(std::string display, std::string content, Origin origin) {
    auto file = std::make_unique<File>();
    file->path = display;
    file->display = std::move(display);
    file->content = std::move(content);
    normalize_line_endings(file->content, file->raw);
    file->origin = origin;
    files_.push_back(std::move(file));
    return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::text(Span span) const {
    if (!span.valid()) {
        return {};
    }
    std::string_view all = text(span.file);
    const std::size_t begin = std::min<std::size_t>(span.begin, all.size());
    const std::size_t end = std::min<std::size_t>(std::max(span.end, span.begin), all.size());
    return all.substr(begin, end - begin);
}

const std::vector<std::uint32_t> &SourceManager::line_starts(FileId id) const {
    auto &starts = files_[id]->line_starts;
    if (starts.empty()) {
        const std::string &c = files_[id]->content;
        starts.push_back(0);
        for (std::uint32_t pos = 0; pos < c.size(); ++pos) {
            if (c[pos] == '\n') {
                starts.push_back(pos + 1);
            }
        }
    }
    return starts;
}

LineCol SourceManager::line_col(FileId file, std::uint32_t offset) const {
    const auto &starts = line_starts(file);
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    const auto line_idx = static_cast<std::uint32_t>(it - starts.begin()); // 1-based
    std::string_view all = text(file);
    // A UTF-8 byte-order mark is not a column an editor shows.
    const std::uint32_t bom =
        line_idx == 1 && all.substr(0, 3) == "\xEF\xBB\xBF" && offset >= 3 ? 3 : 0;
    const std::uint32_t start = starts[line_idx - 1] + bom;
    const std::uint32_t stop =
        std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(all.size()));
    return LineCol{line_idx,
                   static_cast<std::uint32_t>(count_code_points(all.substr(start, stop - start))) +
                       1};
}

std::uint32_t SourceManager::line_start(FileId file, std::uint32_t line) const {
    const auto &starts = line_starts(file);
    return starts[std::min<std::size_t>(line, starts.size()) - 1];
}

std::string_view SourceManager::line_text(FileId file, std::uint32_t line) const {
    std::string_view all = text(file);
    std::uint32_t start = line_start(file, line);
    if (line == 1 && all.substr(0, 3) == "\xEF\xBB\xBF") {
        start = 3;
    }
    std::size_t stop = all.find('\n', start);
    if (stop == std::string_view::npos) {
        stop = all.size();
    }
    std::string_view l = all.substr(start, stop - start);
    if (!l.empty() && l.back() == '\r') {
        l.remove_suffix(1);
    }
    return l;
}

} // namespace assure::support
