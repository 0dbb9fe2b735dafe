// SPDX-License-Identifier: Apache-2.0
#pragma once

// A proof as a history run (history::Run, docs/history.md "What a run records"): what
// `prove --record`, `impact --record`, `assure event --db` and `assure serve` append.

#include "history/run.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"
#include "support/source_manager.hpp"

#include <string>
#include <vector>

namespace assure::live {

/// The user's case files of `sources` (imports included, standard library excluded), with the
/// SHA-256 of their bytes as read; their paths on disk in `disk_paths` when given.
std::vector<history::CaseFile> case_files(const support::SourceManager &sources,
                                          std::vector<std::string> *disk_paths = nullptr);

/// A proof already made into a run: records of elements whose results are unchanged in the
/// next proof of the same program are copied from it rather than built again.
struct PreviousRun {
    const prove::ProofResult &result;
    const history::Run &run;
};

/// The run of `result`: verdicts, evidence (with the dates judged with), artifacts, defeaters
/// and findings, as `prove --format json` states them (docs/history.md), with `files` and their
/// digest; `recorded_at`, `command`, `arguments` and `git_commit` are left for the caller.
/// `previous`: a run of the same program, whose unchanged records are reused.
history::Run make_run(const sema::Program &program, const prove::ProofResult &result,
                      const report::ProofMeta &meta, std::vector<history::CaseFile> files,
                      const PreviousRun *previous = nullptr);

} // namespace assure::live
