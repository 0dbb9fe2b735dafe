// SPDX-License-Identifier: Apache-2.0
#pragma once

// The proof an evidence packet records, run on a folder laid out as a packet (a staged export
// or an extracted packet): internal to src/cli (export.cpp, verify.cpp).

#include "cli/driver.hpp"
#include "packet/archive.hpp"
#include "packet/manifest.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace assure::cli {

/// What the proof of a packet's folder gives: the files it adds to the packet.
struct PacketProof {
    std::string result_json;                // prove --format json
    std::string report_html;                // assure report
    std::vector<packet::ArchiveFile> trace; // "trace/<file>", as report::write_trace wrote it
    packet::VerdictCounts verdict;
    std::string assure_version, z3_version;
};

/// Proves the case of the packet folder `root` (absolute): its `settings.files` below `root`,
/// the standard library `root`/stdlib, the -I folders below `root`, judged at `date`
/// (YYYY-MM-DD, given as --at). Paths are shown relative to `root` (`case/x.assure`), so the
/// outputs are the same wherever the folder is. The working directory is `root` for the
/// duration and restored afterwards. The trace is written into a private temporary folder and
/// read back whole. Diagnostics go to `err` only when the case has errors (then the exit code
/// is returned: 1, or 2 for a bad date).
std::optional<ExitCode> prove_packet(const std::string &root, const packet::ProofSettings &settings,
                                     const std::string &date, const std::string &diagnostics,
                                     PacketProof &proof, std::ostream &err);

} // namespace assure::cli
