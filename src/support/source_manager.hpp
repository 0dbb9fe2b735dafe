// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/span.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace assure::support {

class Diagnostics;

/// A 1-based line and column; the column counts Unicode code points, tabs as one.
struct LineCol {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

/// Which root a file was found under. Decides how its path is shown and whether
/// "unreferenced element" warnings apply to it.
enum class Origin { User, Stdlib };

/// Owns every source buffer of a run. Buffers never move or change once loaded, so spans and
/// string_views into them stay valid until the manager is destroyed. Not thread-safe for
/// loading; reading is safe once loading is over.
class SourceManager {
  public:
    /// Largest file accepted (bytes); bigger files get E0003.
    static constexpr std::uint64_t kMaxFileSize = 1ull << 30;

    /// Reads `path` from disk. `display` is the name shown in diagnostics (the path as the user
    /// gave it, or `stdlib/<relative>` for library files). Reports E0001 (unreadable), E0002
    /// (a directory) or E0003 (too large) to `diags` and returns kNoFile on failure.
    FileId load(const std::string &path, std::string display, Origin origin, Diagnostics &diags);

    /// From now on, load(`path`) yields `content` instead of the file's (`assure impact` proves
    /// the case with the text of a declaration changed, without touching the file). `path` is
    /// compared as given to load().
    void overlay(std::string path, std::string content);

    /// Adds an in-memory buffer (tests, fuzzing, stdin).
    FileId add(std::string display, std::string content, Origin origin = Origin::User);

    /// Marks `file` as text derived from a pattern (an instance's expansion, or the body as
    /// checked once): diagnostics in it get a note pointing at `use` ("in instance `x` of
    /// pattern `P`") when `use` is valid; traces do not list it as an input. For an instance,
    /// `instance` and `pattern` (`module.Pattern`) name it and `instance_name` is the span of
    /// its name, which proof reports link elements of the expansion to; all empty for a body.
    struct Expansion {
        Span use;
        std::string what;
        std::string instance;
        std::string pattern;
        Span instance_name;
    };
    void set_expansion(FileId file, Expansion expansion) {
        expansions_[file] = std::move(expansion);
    }
    [[nodiscard]] const Expansion *expansion(FileId file) const {
        const auto it = expansions_.find(file);
        return it == expansions_.end() ? nullptr : &it->second;
    }

    /// The text every stage reads. Line endings are LF or CRLF: a lone CR (a classic-Mac line
    /// ending) is read as LF, byte for byte, so offsets, lines and columns agree everywhere.
    [[nodiscard]] std::string_view text(FileId id) const { return files_[id]->content; }
    /// The file's bytes exactly as read (what its SHA-256 is taken over).
    [[nodiscard]] std::string_view raw_text(FileId id) const {
        return files_[id]->raw.empty() ? files_[id]->content : files_[id]->raw;
    }
    [[nodiscard]] std::string_view text(Span span) const;
    [[nodiscard]] const std::string &display_name(FileId id) const { return files_[id]->display; }
    [[nodiscard]] const std::string &disk_path(FileId id) const { return files_[id]->path; }
    [[nodiscard]] Origin origin(FileId id) const { return files_[id]->origin; }
    [[nodiscard]] std::size_t size() const { return files_.size(); }

    /// Line and column of byte `offset` in `file`.
    [[nodiscard]] LineCol line_col(FileId file, std::uint32_t offset) const;
    /// The text of 1-based `line` without its newline.
    [[nodiscard]] std::string_view line_text(FileId file, std::uint32_t line) const;
    /// Byte offset at which 1-based `line` starts.
    [[nodiscard]] std::uint32_t line_start(FileId file, std::uint32_t line) const;

  private:
    struct File {
        std::string path;
        std::string display;
        std::string content;
        std::string raw; // the bytes as read, when content differs from them; else empty
        Origin origin = Origin::User;
        mutable std::vector<std::uint32_t> line_starts; // computed on first use
    };
    const std::vector<std::uint32_t> &line_starts(FileId id) const;

    std::vector<std::unique_ptr<File>> files_;
    std::map<std::string, std::string> overlays_;
    std::map<FileId, Expansion> expansions_;
};

} // namespace assure::support
