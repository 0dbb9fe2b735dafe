// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace assure::cli {

/// Process exit codes: part of the interface, documented in --help and the README.
enum class ExitCode : int {
    Ok = 0,           // the case checked clean (warnings allowed)
    InputErrors = 1,  // the case has errors (syntax, names, types, structure, unreadable files;
                      // a missing or damaged lockfile; an output that cannot be written)
    Usage = 2,        // bad command line (including an output path assure refuses to write)
    Unknown = 3,      // a solver query came back unknown (proof commands)
    Internal = 4,     // an internal error (a bug in assure)
    NotSupported = 5, // prove: some top claim is unsupported or undeveloped
    CheckFailed = 6,  // verify: a check of the packet failed (docs/packet.md)
};

struct CheckOptions {
    std::vector<std::string> files;
    std::string stdlib_dir; // empty: $ASSURE_STDLIB, then beside the executable (find_stdlib)
    std::vector<std::string> include_dirs;
    std::string diagnostics_format = "text"; // text | json
    std::string summary_format = "text";     // text | json
    std::string dump;                        // "", ast, graph
    std::string at;                 // YYYY-MM-DD the evidence is judged at; "" = today (UTC)
    bool verbose = false;           // stage timings on stderr
    bool require_artifacts = false; // check: W0109 for evidence resting on no pinned artifact
};

/// Runs `assure check`: load, parse, resolve and type-check, build the argument graph and check
/// its structure. Writes the summary or dump to `out` and diagnostics to `err`. Never throws
/// for user input; deterministic apart from --verbose timings.
ExitCode run_check(const CheckOptions &options, std::ostream &out, std::ostream &err);

/// The CI outputs of prove and impact (docs/ci.md): files written beside the normal output.
struct CiOutputs {
    std::string junit, sarif, markdown, gitlab_cq; // empty: not written
};

struct ProveOptions {
    CheckOptions common;         // files, stdlib, includes, diagnostics format, verbose
    std::string format = "text"; // text | json | github (prove, impact)
    CiOutputs ci;                // prove, impact: --junit, --sarif, --markdown, --gitlab-cq
    unsigned timeout_ms = 10000;
    unsigned rlimit = 0;
    bool z3_only = false;
    std::string trace_dir;            // empty = no trace
    std::string dump;                 // "", graph, smt2
    std::string claim;                // explain: the claim to explain
    std::vector<std::string> changes; // impact: --change SPEC, in order
    std::string since;                // impact: --since LOCKFILE
    std::string output;               // lock: the lockfile (empty: assure.lock by the case)
    bool force = false;             // lock, CI outputs: overwrite a file that assure did not write
    bool strict_artifacts = false;  // an artifact outside its case's folder is an error
    bool require_artifacts = false; // evidence resting on no pinned artifact is invalid
    std::string record;             // prove, impact: --record DB (docs/history.md)
    std::vector<std::string> command_line; // the arguments after `assure`, as given (recorded)
};

/// Runs `assure prove`: everything `check` does, then decides every claim and reports the
/// top claims' verdicts and root causes (or, with `claim` set, `assure explain`'s proof tree).
ExitCode run_prove(const ProveOptions &options, std::ostream &out, std::ostream &err);

/// Runs `assure impact`: proves the case as it is and with `options.changes` applied, and
/// reports what lost support and the minimum re-verification set (docs/impact.md).
ExitCode run_impact(const ProveOptions &options, std::ostream &out, std::ostream &err);

/// Runs `assure lock`: proves the case and writes its lockfile (docs/impact.md), unless a file
/// that is not this case's lockfile is in the way and `force` is off.
ExitCode run_lock(const ProveOptions &options, std::ostream &out, std::ostream &err);

struct ReportOptions {
    /// Files, proof options (--at, --timeout, ...), `output` (the page, -o) and `force`.
    ProveOptions prove;
    std::string sections = "auto"; // auto | inline | lazy (report::html::Sections)
    std::string history;           // --history DB: a History section of its KPIs ("" none)
    std::int64_t within_days = 30; // --within: "expiring" evidence for that section
};

/// Runs `assure report` (docs/report.md): proves the case like `prove` and writes the HTML page
/// to `options.prove.output` through write_output (marker: report::html::kMarker). Prints one
/// line saying what it wrote. With `history`, the page gains a History section (the history's
/// KPIs as charts). Exit: as prove once the page is written (0, 3, 5); 1 the case has errors, or
/// the history cannot be read (E0801-E0803, E0810; nothing is written); 2 the output was refused
/// or could not be written.
ExitCode run_report(const ReportOptions &options, std::ostream &out, std::ostream &err);

struct PinOptions {
    CheckOptions common; // files, stdlib, includes, diagnostics format, verbose
    bool check = false;  // --check: write nothing, exit 5 when anything is not pinned
};

/// Runs `assure pin` (docs/pin.md): loads the case like `check`, and writes the current SHA-256
/// of every artifact declared in the user's files into its declaration (adding `sha256 "..."`
/// after the path string or replacing a stale one), changing no other byte; each changed file
/// is replaced atomically, never through a symbolic link. Prints each change as a diff hunk
/// and a summary on `out`; with `check` writes nothing. Exit: 1 the case has errors (nothing
/// written), 2 a file could not be written (the others were), 5 an artifact could not be
/// pinned, or (`check`) some hash is stale or missing; else 0.
ExitCode run_pin(const PinOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
