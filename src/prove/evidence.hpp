// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/prove: the evidence-local part of a proof (evidence.cpp).

#include "prove/prove.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace assure::prove {

/// Adds `reason` to `r`, which takes the worse of its status and the reason's.
inline void add_reason(ElementResult &r, Reason reason) {
    r.status = worst(r.status, reason.status);
    r.reasons.push_back(std::move(reason));
}

/// Checks every artifact: its path (`disk`: on disk, by artifact index) and its SHA-256 against
/// the recorded one, each distinct file hashed once, on both cores (once per run with `reuse`).
void check_artifacts(const sema::Program &prog, const support::SourceManager &sources,
                     const ProveOptions &options, ProofResult &out, std::vector<std::string> &disk);

/// The values read from artifacts (reads.cpp), once per run (shared with later proofs of
/// `impact` through `reuse`).
void read_artifact_values(const sema::Program &prog, const ProveOptions &options, ProofResult &out,
                          const std::vector<std::string> &disk);

/// Each piece of evidence on its own: result (written or read), dates, artifacts, values read
/// and --require-artifacts, as reasons in `out.elements`; `local_ok[decl]` is 1 for evidence
/// that is fine before defeaters.
void judge_evidence(const sema::Program &prog, const ProveOptions &options, ProofResult &out,
                    std::vector<std::uint8_t> &local_ok);
/// The same for evidence `ei` alone (its element's result must be empty): whether it is fine
/// before defeaters.
bool judge_one_evidence(const sema::Program &prog, const ProveOptions &options, ProofResult &out,
                        std::uint32_t ei);

} // namespace assure::prove
