// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reports of `assure prove` and `assure explain`: text for people, JSON (assure-prove, version
// 1, documented in docs/json.md) for tools, and the trace bundle for regulators.

#include "dsl/sema/program.hpp"
#include "prove/prove.hpp"
#include "support/safe_fs.hpp"
#include "support/source_manager.hpp"

#include <string>
#include <vector>

namespace assure::report {

/// What the reports say about the run itself.
struct ProofMeta {
    std::string assure_version;
    std::string z3_version;
    std::string date_source; // "today (UTC)" or "--at"
    unsigned timeout_ms = 0;
    unsigned rlimit = 0;
    bool cells = true; // box queries decided by cell enumeration (else all by Z3)
    int exit_code = 0;
};

/// "file:line:column" of a span ("?" when it has none).
std::string location(const support::SourceManager &sources, support::Span span);

/// location(), followed by " (in instance x of m.P, file:line:column)" when `span` lies in the
/// expansion of a pattern instance (the location is then at the pattern's line): the text
/// reports' way to point at elements, so an instance's elements can be told apart.
std::string linked_location(const support::SourceManager &sources, support::Span span);

/// The overall result: every top claim supported (0), some unsupported or undeveloped (5),
/// else some unknown (3).
int proof_exit_code(const prove::ProofResult &result);

std::string render_proof_text(const sema::Program &program, const prove::ProofResult &result,
                              const support::SourceManager &sources, const ProofMeta &meta);

std::string render_proof_json(const sema::Program &program, const prove::ProofResult &result,
                              const support::SourceManager &sources, const ProofMeta &meta);

/// The proof tree of `claim` (all of it when supported, the failing part otherwise): the date
/// judged at, each element's facts, the solver steps and what they rest on, the defeaters and
/// why each is or is not active, then the hazards and rules that bear on the claim.
std::string render_explain(const sema::Program &program, const prove::ProofResult &result,
                           const support::SourceManager &sources, const ProofMeta &meta,
                           sema::DeclId claim);

/// The same as JSON (assure-explain, docs/json.md): the tree as a flat list of elements in the
/// order shown, each with its depth and parent.
std::string render_explain_json(const sema::Program &program, const prove::ProofResult &result,
                                const support::SourceManager &sources, const ProofMeta &meta,
                                sema::DeclId claim);

/// The file name of obligation `idx` inside a trace: "obligations/0007-cover-S_light.smt2".
std::string obligation_file(const sema::Program &program, const prove::ProofResult &result,
                            std::uint32_t idx);

/// The SMT-LIB script of obligation `idx` with its trace header: what it checks, the source
/// lines it came from and the answer assure got.
std::string obligation_smt2(const sema::Program &program, prove::ProofResult &result,
                            const support::SourceManager &sources, std::uint32_t idx);

/// The largest manifest.json of an earlier trace that is read back.
inline constexpr std::uint64_t kMaxManifestBytes = 1ull << 30;

/// Writes the trace bundle into `dir`: manifest.json, result.json and one SMT-LIB file per
/// obligation and rule instance; the manifest's `files` lists every file written besides
/// itself. `dir` is created if missing; an existing `dir` must be empty or hold an earlier
/// trace (a regular manifest.json of format assure-trace), whose listed files are replaced and
/// nothing else (support::write_bundle). Never follows a symlink, never touches a file of
/// `keep`. Returns false with `error` when it refuses or cannot write.
/// The files write_trace writes, rendered in memory (path relative to the trace folder, bytes),
/// the manifest last: byte for byte what a fresh `--trace DIR` holds.
std::vector<std::pair<std::string, std::string>> render_trace(const sema::Program &program,
                                                              prove::ProofResult &result,
                                                              const support::SourceManager &sources,
                                                              const ProofMeta &meta);

bool write_trace(const std::string &dir, const sema::Program &program, prove::ProofResult &result,
                 const support::SourceManager &sources, const ProofMeta &meta,
                 const support::Protected &keep, support::FsError &error);

} // namespace assure::report
