// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure monitor --verify-log FILE [--key PUB]` (docs/monitor-log.md, "Verifying a log"): the
// monitor log's chain, checkpoints and signatures checked, the first bad entry named. Kept apart
// from `assure monitor`'s own run (src/cli/monitor.cpp) so that the two can be folded into one
// subcommand.

#include "cli/driver.hpp"

#include <iosfwd>
#include <string>

namespace assure::cli {

struct VerifyLogOptions {
    std::string log; // --verify-log FILE
    std::string key; // --key PUB: signatures must verify with this public key
    std::string format = "text";
    std::string diagnostics_format = "text";
};

/// Verifies the log. Exit: 0 intact (warnings W0114 for a log not closed,
/// W0115 for signatures not checked); 1 the file cannot be read or is not a monitor log
/// (E0850, E0851); 2 a key file that cannot be used (E0856); 6 the log is broken: malformed,
/// edited, reordered, inserted, deleted, truncated, unsigned or wrongly signed (E0852-E0855).
/// Writes nothing but `out` and `err`.
ExitCode run_verify_log(const VerifyLogOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
