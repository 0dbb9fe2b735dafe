// SPDX-License-Identifier: Apache-2.0
#pragma once

// CI-native outputs of `assure prove` and `assure impact` (docs/ci.md): JUnit XML, SARIF 2.1.0,
// a Markdown job summary, GitHub workflow commands and GitLab Code Quality JSON. Every format
// renders one model, `Report`, built from a proof, an impact analysis or a run that stopped on
// input errors, so that they all say the same thing. Everything here is deterministic: the
// same inputs give the same bytes (no time, host or absolute path appears unless a file lies
// outside the root).

#include "impact/impact.hpp"
#include "report/impact.hpp"
#include "report/proof.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace assure::report::ci {

/// A place in a source file: `path` relative to the root (docs/ci.md, "Paths"), or absolute
/// when the file lies outside it; empty when the finding has no location.
struct Location {
    std::string path;
    std::uint32_t line = 0;   // 1-based
    std::uint32_t column = 0; // 1-based, in Unicode code points
    [[nodiscard]] bool valid() const { return !path.empty() && line > 0; }
};

/// Turns the spans of a run into Locations relative to `root` (an absolute folder, normally
/// the repository's top folder: see cli/ci_outputs.cpp). Pattern expansions are placed in the
/// file of their pattern, as every report places them.
class Locator {
  public:
    Locator(const support::SourceManager &sources, std::string root);
    Location at(support::Span span) const;
    /// `path` (as given on the command line, or absolute) relative to the root.
    std::string relative(const std::string &path) const;

  private:
    std::string path_of(support::FileId file) const;

    const support::SourceManager &sources_;
    std::string root_;
    mutable std::map<support::FileId, std::string> paths_;
};

enum class Level : std::uint8_t { Error, Warning, Note };

/// One finding: a diagnostic, a root cause of a failing top claim, a loss found by `impact` or
/// a piece of evidence to re-verify. A SARIF result, a GitLab issue, a GitHub annotation.
struct Finding {
    /// A stable id documented in docs/diagnostics.md: a diagnostic code ("E0201", "W0105"), a
    /// root cause's reason kind ("evidence_expired", "cover_gap", ...), or one of impact's
    /// "support_lost", "evidence_invalidated", "reverify".
    std::string rule;
    Level level = Level::Error;
    /// Neither shown to hold nor to fail (the solver gave up, a defeater's activity is unknown):
    /// never reported as a pass, never as a definite failure either.
    bool unknown = false;
    std::string title;   // one line: "evidence_failed: ship.perception.E_fog"
    std::string message; // the finding in words, one paragraph
    Location location;
    std::string element;             // the element's qualified name, or ""
    std::vector<std::string> claims; // the top claims it fails (or leaves unknown)
    struct Related {
        Location location;
        std::string message;
    };
    std::vector<Related> related; // the element a reason names (a defeater, an artifact, ...)
    /// Stable across runs while the rule, the element and the message are: sha256 hex.
    std::string fingerprint;
};

/// One JUnit test case.
struct TestCase {
    enum class Outcome : std::uint8_t { Pass, Failure, Error, Skipped };
    std::string suite; // "top claims", "rules", "hazards", "gate", "lost claims", ...
    std::string name;  // the element's qualified name, or "gate" / "case"
    Outcome outcome = Outcome::Pass;
    std::string type;    // the verdict: "supported", "unsupported", "unknown", "violated", ...
    std::string message; // one line
    std::vector<std::string> details; // the failure's body, one line each (root causes)
    Location location;
};

/// A row of the verdict table.
struct ClaimRow {
    std::string name;
    std::string title;
    std::string verdict; // "supported", "unsupported", "undeveloped", "unknown"
    std::string before;  // impact: the verdict before the changes ("" when it did not exist)
    std::string chain;   // impact, a lost claim: the chain down to its first root cause
    Location location;
};

/// What `assure impact` adds.
struct ImpactPart {
    std::vector<std::string> changes; // the --change specs and the changes since the lockfile
    std::vector<ClaimRow> lost;       // lost claims, top claims first
    std::size_t lost_top = 0;
    std::vector<std::string> invalidated; // "name: why", relied-on evidence first
    std::string plan_state;               // "none", "found", "infeasible", "unknown"
    struct PlanItem {
        std::string name;
        std::string cost;
        Location location;
    };
    std::vector<PlanItem> plan;
    std::string plan_cost;
    bool plan_optimal = false;
    bool plan_verified = false;
    std::string plan_note;
    std::vector<std::string> unrestorable;
    std::size_t restorable = 0;
};

/// Everything the CI outputs of one run say.
struct Report {
    std::string command; // "prove" or "impact"
    std::string assure_version;
    std::string z3_version;
    std::string date;        // judged at, YYYY-MM-DD ("" on input errors)
    std::string date_source; // "--at", or today
    int exit_code = 0;
    bool input_errors = false;
    /// One sentence: the verdict of the run ("1 of 2 top claims unsupported, 1 unknown").
    std::string headline;
    std::vector<Finding> findings; // most important first: errors, failures, unknowns, warnings
    std::vector<TestCase> tests;   // by suite, in declaration order
    std::vector<ClaimRow> top;     // every top claim, declaration order
    /// The first case file: where the formats that need a location for every finding (GitLab)
    /// place one that has none (a lockfile that cannot be read, a bad command-line value).
    std::string case_path;
    std::size_t errors = 0; // diagnostics
    std::size_t warnings = 0;
    std::optional<ImpactPart> impact;
};

/// The report of `assure prove`: a test case per top claim, rule and rated hazard; the root
/// causes of every failing top claim (each once, listing the top claims it fails) and the
/// run's warnings as findings. `diags` (already sorted) are located through `diag_locator`.
Report from_prove(const sema::Program &program, const prove::ProofResult &result,
                  const ProofMeta &meta, const Locator &locator, const support::Diagnostics &diags,
                  const Locator &diag_locator);

/// The report of `assure impact`: the gate, a test case per top claim (lost or not), lost
/// claim and relied-on invalidated piece of evidence; findings for the losses, the root
/// causes of the lost top claims and the evidence to re-verify. `before` is the baseline the
/// changes were compared with.
Report from_impact(const sema::Program &program, const impact::Impact &result,
                   const impact::Baseline &before, const ImpactInput &input, const ProofMeta &meta,
                   const Locator &locator, const support::Diagnostics &diags,
                   const Locator &diag_locator);

/// The report of a run that stopped on input errors (exit code 1): its diagnostics as findings
/// and one failing test case, "case".
Report from_input_errors(const std::string &command, const ProofMeta &meta,
                         const support::Diagnostics &diags, const Locator &locator);

/// The short description of a finding's rule id (a code's registry summary, a reason kind's),
/// for SARIF's rule descriptors; "" for an unknown id.
std::string rule_summary(const std::string &rule);

/// JUnit XML (docs/ci.md): <testsuites> with a <testsuite> per suite; a failure is <failure>,
/// an unknown verdict (or a case with input errors) <error>, a claim that was already failing
/// before an impact's changes <skipped>. Carries kJunitMarker.
std::string render_junit(const Report &report);
inline constexpr std::string_view kJunitMarker = "assure-junit";

/// SARIF 2.1.0, one run: tool.driver (name, version, the rules used), the findings as results
/// with ruleId/ruleIndex, level, kind ("fail"; "open" for an unknown), message, a physical
/// location relative to %SRCROOT%, partialFingerprints. Carries kSarifMarker.
std::string render_sarif(const Report &report);
inline constexpr std::string_view kSarifMarker = "assure-sarif";

/// A Markdown job summary or pull-request comment: the verdict, the verdict table, the lost
/// claims, the root causes and (impact) the re-verification plan; long lists cut with a count,
/// the whole under 60,000 bytes. Carries kMarkdownMarker.
std::string render_markdown(const Report &report);
inline constexpr std::string_view kMarkdownMarker = "assure-markdown";

/// GitHub Actions workflow commands for stdout (`--format github`): an ::error, ::warning or
/// ::notice per finding at its source line, at most kGithubPerLevel per level (the last one
/// summarising the rest when there are more), then one plain summary line.
std::string render_github(const Report &report);
inline constexpr std::size_t kGithubPerLevel = 10;

/// GitLab Code Quality JSON: an array of issues (description, check_name, fingerprint,
/// severity, location.path, location.lines.begin). Every issue carries kGitlabMarker; a file
/// with no issue is kGitlabEmpty.
std::string render_gitlab_cq(const Report &report);
inline constexpr std::string_view kGitlabMarker = "\"engine_name\": \"assure\"";
inline constexpr std::string_view kGitlabEmpty = "[]\n";

} // namespace assure::report::ci
