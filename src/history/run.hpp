// SPDX-License-Identifier: Apache-2.0
#pragma once

// One recorded run of `assure prove` or `assure impact` (docs/history.md): what was judged,
// when, by which tool, and every verdict, evidence status and finding. Plain data, independent
// of the store that keeps it (SQLite today; the interface names nothing SQLite-specific).

#include <cstdint>
#include <string>
#include <vector>

namespace assure::history {

struct CaseFile {
    std::string path;   // as given on the command line
    std::string sha256; // of its bytes when the run was made ("" when it could not be read)
    friend bool operator==(const CaseFile &, const CaseFile &) = default;
};

struct ArtifactRecord {
    std::string name;
    std::string path;
    std::string sha256; // the digest found ("" when it could not be read)
    std::string state;  // verified | missing | changed | unrecorded
    friend bool operator==(const ArtifactRecord &, const ArtifactRecord &) = default;
};

struct ClaimRecord {
    std::string name;
    bool top = false;
    std::string verdict; // supported | unknown | undeveloped | unsupported
    friend bool operator==(const ClaimRecord &, const ClaimRecord &) = default;
};

struct EvidenceRecord {
    std::string name;
    std::string status;               // valid | unknown | invalid
    std::vector<std::string> reasons; // "kind: message", in the proof's order
    // Schema v2 (left out of the canonical form when empty):
    std::string valid_until; // the expiry date judged with, "YYYY-MM-DD" ("" never expires)
    std::string date;        // the date it was produced (or re-attested), "" when not given
    friend bool operator==(const EvidenceRecord &, const EvidenceRecord &) = default;
};

/// Schema v2: a defeater as judged.
struct DefeaterRecord {
    std::string name;
    std::string target;  // the element it rebuts, undermines or undercuts
    std::string status;  // open | resolved | withdrawn
    bool active = false; // it defeats its target in this run
    friend bool operator==(const DefeaterRecord &, const DefeaterRecord &) = default;
};

/// A root cause of a top claim's failure, a rule violation or a risk finding.
struct Finding {
    std::string kind;    // root_cause | rule_violation | rule_undecided | risk
    std::string subject; // the top claim, rule or hazard
    std::string element; // the element the cause lies in ("" when none)
    std::string text;
    friend bool operator==(const Finding &, const Finding &) = default;
};

/// The content of a run: everything the chain hash covers apart from the chain fields.
struct Run {
    std::string recorded_at; // UTC, "YYYY-MM-DDTHH:MM:SSZ"
    std::string judged_at;   // the date evidence was judged at, "YYYY-MM-DD"
    std::string assure_version;
    std::string z3_version;
    std::string command;                // "prove" | "impact"
    std::vector<std::string> arguments; // the command line after the command, as given
    std::string result; // the proof's overall result ("supported", "unsupported", ...)
    int exit_code = 0;
    std::string case_digest; // SHA-256 over the case files' paths and digests
    std::vector<CaseFile> files;
    std::vector<ArtifactRecord> artifacts; // declaration order
    std::vector<ClaimRecord> claims;       // declaration order
    std::vector<EvidenceRecord> evidence;  // declaration order
    std::vector<Finding> findings;
    std::vector<DefeaterRecord> defeaters; // declaration order (schema v2)
    // Schema v2. Each is left out of the canonical form while it has its default value, so the
    // hashes of runs recorded by schema v1 are unchanged.
    std::string git_commit;        // the commit the case's repository was at ("" when not in one);
                                   // "+dirty" is appended when a case file differs from that commit
    std::int64_t trigger = 0;      // the event entry this run re-judged the case after (0: none)
    std::int64_t delta_of = 0;     // 0: a full run; else the run whose lists this one amends (only
                                   // the claims, evidence and artifacts whose record changed are
                                   // listed, likewise defeaters; findings are always whole).
                                   // See expand_deltas().
    std::string plan_cost;         // impact: the exact cost of the re-verification plan ("")
    std::vector<std::string> plan; // impact: the evidence the plan re-verifies
    friend bool operator==(const Run &, const Run &) = default;
};

/// An event (schema v2, docs/serve.md): something that happened to the system or its evidence,
/// given as change specs (`fail:E`, `artifact:A=SHA256`, `release:COMMIT`, ...).
struct Event {
    std::string recorded_at;        // UTC, "YYYY-MM-DDTHH:MM:SSZ"
    std::string source;             // "event" (assure event --db), "serve" (POST /events) or
                                    // "clock" (serve's expiry timer)
    std::string case_digest;        // the case version it was applied to
    std::vector<std::string> specs; // in canonical form, in the order given
    std::string note;               // free text from the sender ("" when none)
    friend bool operator==(const Event &, const Event &) = default;
};

/// Builds a run's records from an `assure-prove` JSON document (report::render_proof_json,
/// docs/json.md) and the facts the document does not hold. Returns false with `error` set when
/// the document is not one (an internal error: the caller produced it).
bool fill_from_proof_json(Run &run, const std::string &proof_json, std::string &error);

/// The digest of a case: SHA-256 over "path\0sha256\n" of each file, in the order given.
std::string case_digest(const std::vector<CaseFile> &files);

/// "YYYY-MM-DDTHH:MM:SSZ" of a Unix time (UTC).
std::string utc_timestamp(std::int64_t unix_seconds);

} // namespace assure::history
