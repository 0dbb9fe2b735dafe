// SPDX-License-Identifier: Apache-2.0
#pragma once

// Lockfiles (`assure lock`, `assure impact --since`): the state of a case at one moment — the
// SHA-256 of every input file and artifact, a fingerprint of each declaration's text, each
// piece of evidence's status and each claim's verdict — as deterministic, line-oriented text
// that diffs well, closed by a SHA-256 digest of everything before it so that a lock cut short
// or edited by hand is refused. The format is in docs/impact.md.

#include "impact/impact.hpp"
#include "support/diagnostics.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::impact {

struct Lock {
    /// 2: the closing `digest sha256 HEX` line. Version 1 locks had none and are refused.
    static constexpr int kVersion = 2;
    /// The largest lockfile read (a lock of a million-claim case is about 200 MB).
    static constexpr std::uint64_t kMaxBytes = 1ull << 30;

    struct File {
        std::string sha256; // lower-case hex, or "missing"
        std::string path;   // case files: relative to the lockfile's folder; stdlib: stdlib/...
    };
    struct Artifact {
        std::string name; // qualified
        std::string sha256;
        std::string path; // relative to the lockfile's folder
    };
    struct Declaration {
        std::string kind; // claim, evidence, odd, ...
        std::string name; // qualified
        std::string fingerprint;
    };
    struct Verdict {
        std::string name;   // qualified
        std::string status; // evidence: valid/invalid/unknown; claims: the verdict
        std::string detail; // evidence: its result; claims: "top" or ""
    };

    std::vector<std::string> case_files; // as given to `assure lock`, relative to the folder
    /// The last day every "valid" evidence status holds, as far as expiry goes (none: no valid
    /// evidence expires).
    std::optional<sema::Date> holds_until;
    std::vector<File> files;
    std::vector<Artifact> artifacts;
    std::vector<Declaration> declarations; // the case's own modules (the stdlib is in `files`)
    std::vector<Verdict> evidence;
    std::vector<Verdict> claims;
};

/// The lock of a proved case, with paths relative to `lock_dir`.
Lock make_lock(const sema::Program &program, const support::SourceManager &sources,
               const prove::ProofResult &result, const std::vector<std::string> &case_files,
               const std::string &lock_dir);

/// The lockfile's text, ending with its digest line.
std::string render_lock(const Lock &lock);

/// The closing line of a lockfile whose other lines are `body` (which ends with a newline):
/// "digest sha256 HEX\n", HEX the SHA-256 of `body` with CR LF line ends read as LF.
std::string digest_line(std::string_view body);

/// Why a text is not a lockfile: a stable code (E0601 malformed, E0602 digest missing or not
/// matching, E0603 another format version), the 1-based line to point at and a message.
struct LockError {
    support::Code code = support::Code::E0601;
    std::size_t line = 1;
    std::string message;
};

/// Parses a lockfile; nullopt with `error` when it is not one. The digest is checked before
/// the lines are read, so a lock cut short anywhere, or edited, is refused as such (E0602).
std::optional<Lock> parse_lock(std::string_view text, LockError &error);

/// parse_lock() with the error as "line 7: ...".
std::optional<Lock> parse_lock(std::string_view text, std::string &error);

/// Whether `text` starts like a lockfile this program writes (any version).
bool looks_like_lock(std::string_view text);

/// The verdicts a lock recorded.
Baseline baseline_of(const Lock &lock);

/// SHA-256 of a declaration's text with comments dropped, runs of white space made one
/// space and adjacent string literals joined: edits to layout and comments, and splitting a
/// string into adjacent pieces, do not change it.
std::string fingerprint(std::string_view declaration_text);

/// One difference between a lock and the case now.
struct LockChange {
    enum class What : std::uint8_t { File, Artifact, Declaration, Expiry };
    enum class How : std::uint8_t { Added, Removed, Changed };
    What what;
    How how;
    std::string name;   // path, qualified name, or (Expiry) the date
    std::string kind;   // declarations: their kind
    std::string before; // artifacts and files: the hash then
    std::string after;  // ... and now
};

/// What differs between `locked` and `now` (a lock made of the case as it is), in a stable
/// order: files, artifacts, declarations; `date`, when past the lock's holds_until, adds an
/// Expiry entry.
std::vector<LockChange> diff(const Lock &locked, const Lock &now, sema::Date date);

/// "file navigation.assure changed", "artifact ship.fog_chamber: contents changed (sha256
/// 2a9e...  -> 77b0...)", ...
std::string describe(const LockChange &change);

} // namespace assure::impact
