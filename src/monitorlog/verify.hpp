// SPDX-License-Identifier: Apache-2.0
#pragma once

// Verifying a monitor log (docs/monitor-log.md, "What verify detects"): every line is an entry
// in canonical form, each entry holds its position and the SHA-256 of the one before it, the
// first is the header, checkpoints count the verdicts before them and, in a signed log, carry an
// Ed25519 signature of their own bytes (which commit to the whole chain before them). The
// verifier names the FIRST bad entry and says what is wrong with it: edited, reordered,
// inserted, deleted, truncated, malformed, unsigned or wrongly signed. It reads the log once,
// line by line (memory: one line, at most kMaxLine, plus a small look-ahead after a break to
// tell a reordering from a deletion), never throws for any input and never writes.

#include "monitorlog/format.hpp"
#include "support/diagnostics.hpp"

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace assure::monitorlog {

enum class ProblemKind : std::uint8_t {
    Unreadable,   // the file cannot be read: missing, not a regular file, I/O (E0850)
    NotALog,      // line 1 is not the header of a monitor log of a version this assure reads
    Malformed,    // not a JSON object, a line over kMaxLine, a wrong or missing member (E0852)
    Edited,       // an entry's bytes are not those its successor chains to, or not canonical
    Reordered,    // an entry stands where another belongs, which comes later
    Inserted,     // an entry that is not part of the chain (a forged or duplicated line)
    Deleted,      // entries missing from the middle of the chain
    Truncated,    // the last line has no newline: a write cut short, or the file cut (E0854)
    BadSignature, // a checkpoint's signature does not verify, or the log is another key's
    Unsigned,     // a signature is required (a key was given, or the header names one) but absent
};

/// "unreadable", "not a monitor log", "malformed", "edited", "reordered", "inserted",
/// "deleted", "truncated", "bad signature", "unsigned".
const char *problem_kind_name(ProblemKind kind);

/// The diagnostic code of a problem: E0850 unreadable, E0851 not a log, E0852 malformed,
/// E0853 edited/reordered/inserted/deleted, E0854 truncated, E0855 signatures.
support::Code problem_code(ProblemKind kind);

/// The first bad entry.
struct Problem {
    ProblemKind kind = ProblemKind::Malformed;
    std::uint64_t line = 0;           // 1-based line of the first bad entry (0: the whole file)
    std::optional<std::uint64_t> seq; // the entry's position, as it holds it or should
    std::string message;              // one sentence without the path, naming the line
};

struct VerifyOptions {
    /// A public key in PEM. When given, the header must name this key and every checkpoint
    /// must carry a valid signature by it. When empty, signatures are checked for form only.
    std::string public_key_pem;
};

/// A verdict entry as a consumer sees it (docs/monitor-log.md, "Queries").
struct VerdictEntry {
    std::uint64_t seq = 0;
    std::uint64_t line = 0;
    Time time;
    const nlohmann::json *verdict = nullptr; // the object the writer was given
};
/// Called for each verdict entry of the intact prefix, in order, as it is verified: a consumer
/// must discard what it saw unless the result is ok().
using VerdictVisitor = std::function<void(const VerdictEntry &)>;

struct VerifyResult {
    std::optional<Problem> problem; // the first; none: the log is intact
    std::uint64_t entries = 0;      // intact entries (all of them when ok)
    std::uint64_t verdicts = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t uncovered = 0; // intact entries after the last checkpoint
    bool closed = false;         // the last entry is a closing checkpoint
    std::string key;             // the fingerprint the header names ("" unsigned)
    bool signatures_checked = false;
    std::string case_digest; // the header's, or the last `case` entry's
    std::uint64_t checkpoint_every = 0;
    std::string head; // entry_hash of the last intact entry
    std::optional<Time> first_time, last_time;
    std::uint64_t intact_bytes = 0; // where the intact entries end (their last newline)
    [[nodiscard]] bool ok() const { return !problem.has_value(); }
};

/// Verifies the log held in `bytes`.
VerifyResult verify_bytes(std::string_view bytes, const VerifyOptions &options,
                          const VerdictVisitor &visit = {});

/// Verifies the log in the file `path` (a regular file; symbolic links are followed for
/// reading), read in chunks: any size.
VerifyResult verify_log(const std::string &path, const VerifyOptions &options,
                        const VerdictVisitor &visit = {});

/// Verifies the log open at `fd` from offset 0 (the writer's own check of a log it reopens).
VerifyResult verify_fd(int fd, const VerifyOptions &options, const VerdictVisitor &visit = {});

/// The bytes of a checkpoint a signature covers: the canonical dump of the entry without its
/// `signature` member.
std::string signed_bytes(const nlohmann::json &checkpoint);

} // namespace assure::monitorlog
