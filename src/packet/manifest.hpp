// SPDX-License-Identifier: Apache-2.0
#pragma once

// A packet's manifest.json and its in-toto statement (docs/packet.md, "Manifest" and
// "Statement"): what the packet holds, file by file with SHA-256 and size, and how its proof was
// run (the date judged at, the tool versions, the options that affect the proof).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::packet {

inline constexpr std::string_view kManifestFile = "manifest.json";
inline constexpr std::string_view kStatementFile = "statement.intoto.json";
inline constexpr std::string_view kResultFile = "result.json";
inline constexpr std::string_view kReportFile = "report.html";
/// The in-toto Statement type, and the type of assure's own predicate.
inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kPredicateType = "https://assure.dev/packet/v1";

/// One file of the packet.
struct ManifestFile {
    std::string path; // below the top folder
    std::string role; // source, stdlib, artifact, result, report, trace
    std::uint64_t size = 0;
    std::string sha256;
};

/// An artifact exported with --no-artifacts: not in the packet, only its digest.
struct WithheldArtifact {
    std::string path;
    std::optional<std::uint64_t> size; // none when the file could not be read
    std::optional<std::string> sha256; // likewise
};

/// The proof's options that decide its result, as the packet's own proof ran with them.
struct ProofSettings {
    std::vector<std::string> files;        // the case files given, below the top folder
    std::vector<std::string> include_dirs; // -I folders, below the top folder
    unsigned timeout_ms = 10000;
    unsigned rlimit = 0;
    bool z3_only = false;
    bool strict_artifacts = false;
    bool require_artifacts = false;
};

/// The top claims' verdicts of the recorded proof.
struct VerdictCounts {
    int exit_code = 0;
    std::uint64_t top_claims = 0, supported = 0, unsupported = 0, undeveloped = 0, unknown = 0;
};

struct Manifest {
    std::string assure_version;
    std::string z3_version;
    std::string judged_at; // YYYY-MM-DD
    ProofSettings settings;
    VerdictCounts verdict;
    bool artifacts_included = true;
    std::vector<ManifestFile> files; // every file of the packet but the manifest, statement, sig
    std::vector<WithheldArtifact> withheld;
};

/// The manifest's text: JSON (format assure-packet, version 1) with two-space indentation and
/// a final newline, files sorted by path. Deterministic.
std::string render_manifest(const Manifest &manifest);

/// Reads a manifest; nullopt with `error` when it is not valid JSON, not format assure-packet
/// version 1, misses a field or has one of the wrong kind, lists an unsafe path or a path
/// twice, or is not in the canonical form render_manifest writes (so that no byte of it can
/// change unnoticed, not even white space).
std::optional<Manifest> parse_manifest(std::string_view text, std::string &error);

/// The in-toto Statement v1 of a packet: a subject per file of `manifest` and one for
/// manifest.json itself (`manifest_text`), sorted by name, each with its sha256 digest; the
/// predicate (type kPredicateType) repeats the run's facts and names the manifest's digest.
/// Deterministic: a function of the manifest alone, so verify recomputes and compares it.
std::string render_statement(const Manifest &manifest, std::string_view manifest_text);

} // namespace assure::packet
