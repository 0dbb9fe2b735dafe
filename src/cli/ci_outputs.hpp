// SPDX-License-Identifier: Apache-2.0
#pragma once

// The CI outputs of `prove` and `impact` (internal to src/cli; docs/ci.md): the files named by
// --junit, --sarif, --markdown and --gitlab-cq, and `--format github` on stdout, written next
// to the command's normal output from one run.

#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "impact/impact.hpp"
#include "report/impact.hpp"
#include "report/proof.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace assure::cli {

/// The folder paths in CI outputs are relative to: the nearest folder, from the working folder
/// up, that holds `.git` (the repository's top), else the working folder.
std::string ci_root();

/// After `prove` decided the case: writes the files `options.ci` names and, with
/// `--format github`, the annotations to `out`. Returns the exit code (2) when a file was refused
/// or could not be written (the others are written all the same), else nullopt.
std::optional<ExitCode> emit_ci_prove(const ProveOptions &options, const FrontEnd &fe,
                                      const prove::ProofResult &result,
                                      const report::ProofMeta &meta, std::ostream &out,
                                      std::ostream &err);

/// After `impact`: as emit_ci_prove. `fe` holds the run's diagnostics, `changed` the case the
/// result is of (fe itself unless --change edited its text).
std::optional<ExitCode> emit_ci_impact(const ProveOptions &options, const FrontEnd &fe,
                                       const FrontEnd &changed, const impact::Impact &result,
                                       const impact::Baseline &before,
                                       const report::ImpactInput &input,
                                       const report::ProofMeta &meta, std::ostream &out,
                                       std::ostream &err);

/// When `command` ("prove" or "impact") stopped on input errors: the formats that carry
/// diagnostics (all of them) are written all the same, from `diags` (already sorted). `keep`:
/// the files no output may replace. Returns the exit code of a refused or failed write.
std::optional<ExitCode> emit_ci_input_errors(const ProveOptions &options,
                                             const std::string &command,
                                             const support::Diagnostics &diags,
                                             const support::SourceManager &sources,
                                             const support::Protected &keep, report::ProofMeta meta,
                                             std::ostream &out, std::ostream &err);

} // namespace assure::cli
