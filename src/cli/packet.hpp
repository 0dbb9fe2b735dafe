// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure export`, `assure verify` and `assure keygen` (docs/packet.md): the evidence packet, a
// signed, self-verifying .tar.gz of a case, its artifacts, its proof, trace and report.

#include "cli/driver.hpp"

#include <iosfwd>
#include <string>

namespace assure::cli {

struct ExportOptions {
    /// Files, proof options (--at, --timeout, ...), `output` (-o) and `force`.
    ProveOptions prove;
    bool no_artifacts = false; // --no-artifacts: only the artifacts' digests, not their bytes
    std::string sign_key;      // --sign KEY: the private key signing the manifest
};

/// Runs `assure export`: proves the case (exactly as `prove` would), copies its files, the
/// standard-library modules it imports and its artifacts into a private temporary folder at
/// the packet's layout, proves that copy again at the same date and options (the proof the
/// packet records is of its own copies), and writes the packet to `output`: never through a
/// symbolic link, never over a case file, over an existing file only when it is an assure
/// packet (unless `force`). Exit: 0, 3, 5 as prove once written; 1 the case has errors; 2 a
/// refused output or key; 4 internal.
ExitCode run_export(const ExportOptions &options, std::ostream &out, std::ostream &err);

struct VerifyOptions {
    std::string packet;
    std::string key;        // --key PUB: check the signature with this public key
    bool no_replay = false; // --no-replay: do not run z3 and cvc5 on the trace's files
    unsigned replay_timeout_ms = 60000;
    std::string diagnostics_format = "text";
};

/// Runs `assure verify` (docs/packet.md, "What verify checks"). Writes only below a private
/// temporary folder of its own, removed before it returns. Exit: 0 verified; 1 not a packet,
/// damaged or hostile (E0701-E0704), nothing extracted; 2 bad command line or key file (E0710);
/// 4 internal; 6 a check failed (E0705-E0709, E0712-E0714).
ExitCode run_verify(const VerifyOptions &options, std::ostream &out, std::ostream &err);

struct KeygenOptions {
    std::string output;
    std::string diagnostics_format = "text";
};

/// Runs `assure keygen`: writes a new Ed25519 key pair to `output` (mode 0600) and
/// `output`.pub, never over an existing file (E0711, exit 2), and prints the public key's
/// fingerprint (never a key).
ExitCode run_keygen(const KeygenOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
