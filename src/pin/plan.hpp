// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `assure pin` writes (docs/pin.md): for every artifact declared in the user's files (not
// the standard library), the SHA-256 of its file now, as an edit of the declaring file that
// adds ` sha256 "HEX"` right after the path string or replaces a stale `sha256` string. Pure
// logic over a checked program: the file system is reached only through `PinEnv`.

#include "dsl/sema/program.hpp"
#include "pin/edit.hpp"
#include "support/diagnostics.hpp"
#include "support/safe_fs.hpp"
#include "support/sha256.hpp"
#include "support/source_manager.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace assure::pin {

/// How the plan reads the file system (the defaults: support::sha256_file and
/// support::identity_of; tests substitute their own).
struct PinEnv {
    /// The digest of the file at a path (symlinks followed; only a regular file is hashed).
    std::function<support::FileDigest(const std::string &path)> digest = support::sha256_file;
    /// The identity of the file a path resolves to, or nullopt.
    std::function<std::optional<support::FileIdentity>(const std::string &path)> identity =
        support::identity_of;
};

/// The edits of one case file.
struct FileChange {
    support::FileId file = support::kNoFile;
    std::vector<Edit> edits;        // one per artifact, in source order
    std::vector<sema::DeclId> pins; // the artifact each edit pins
    std::size_t added = 0;          // hashes added where there was none
    std::size_t replaced = 0;       // stale hashes replaced
};

struct Plan {
    std::vector<FileChange> files; // the files that change, by display name
    std::size_t artifacts = 0;     // artifacts declared in the user's files
    std::size_t current = 0;       // ... whose recorded hash is their file's
    std::size_t added = 0;         // ... pinned where no hash was recorded
    std::size_t replaced = 0;      // ... whose stale hash is replaced
    std::size_t refused = 0;       // ... that cannot be pinned (reported)
};

/// Plans the pinning of every artifact of `program`'s user modules (a checked program without
/// errors; `sources` holds the files exactly as read). An artifact whose recorded hash is its
/// file's current one needs nothing. These cannot be pinned and are reported to `diags`, with
/// no edit: a file that is missing, not a regular file (after following symbolic links) or
/// unreadable (E0615); a file that is one of the case files this plan rewrites, whose hash the
/// rewrite would change (E0615); an artifact declared in a pattern body (E0616, once per
/// declaration in the pattern, however many instances it has). Each distinct file is hashed
/// once. Deterministic.
Plan plan_pins(const sema::Program &program, const support::SourceManager &sources,
               const PinEnv &env, support::Diagnostics &diags);

/// ` sha256 "HEX"`, the text added after an artifact's path string.
std::string sha256_clause(const std::string &hex);

} // namespace assure::pin
