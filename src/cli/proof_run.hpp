// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/cli: what the commands that prove a case share before and while proving it
// (prove, explain, impact, lock in driver.cpp; report in report.cpp).

#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"

#include <optional>
#include <ostream>

namespace assure::cli {

/// The run's metadata and date (from --at) and the front end, with the checks every proof
/// command makes (artifact locations, rule cases, a top claim to prove). Returns an exit code,
/// having reported why, when it cannot go on. `json_format`: the document `--format json`
/// prints (prove, impact), which on input errors becomes the input-errors document; nullptr
/// when the command prints none.
std::optional<ExitCode> prepare(const ProveOptions &options, report::ProofMeta &meta,
                                sema::Date &date, FrontEnd &fe, StageTimer &timer,
                                std::ostream &out, std::ostream &err, const char *json_format);

/// The proof engine's options from the command line's (--timeout, --rlimit, --z3-only,
/// --require-artifacts) and the date judged at.
prove::ProveOptions proof_options(const ProveOptions &options, sema::Date date);

} // namespace assure::cli
