// SPDX-License-Identifier: Apache-2.0
#pragma once

// Change impact (`assure impact`): what a change to artifacts, evidence or defeaters does to
// the case's support, and the cheapest set of evidence whose re-verification restores every
// top claim that was supported before. See docs/impact.md.

#include "dsl/sema/program.hpp"
#include "lower/lower.hpp"
#include "prove/prove.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace assure::impact {

using sema::DeclId;

/// One hypothetical change, as given with `--change`.
struct Change {
    enum class Kind : std::uint8_t {
        ArtifactChanged,   // artifact:NAME
        EvidenceFails,     // fail:NAME
        EvidencePending,   // pending:NAME
        EvidenceWithdrawn, // withdraw:NAME
        EvidenceExpires,   // expire:NAME=YYYY-MM-DD
        DefeaterOpened,    // open:NAME
        // Changes to the case's text: the field is rewritten and the case analysed again.
        OddRegion,        // odd:NAME=REGION     the odd region becomes REGION
        ClaimScope,       // scope:NAME=REGION   the claim's scope becomes REGION
        HazardSeverity,   // severity:NAME=VALUE
        HazardLikelihood, // likelihood:NAME=VALUE
    };
    Kind kind;
    std::string target;
    sema::Date date;   // EvidenceExpires
    std::string value; // text changes: the new text
    std::string was;   // text changes: the text it replaces (set by edit_sources)
    std::string spec;
};

/// Why a `--change` is refused: a stable code (E0605 not well formed, E0606 names nothing of
/// its kind, E0607 conflicts with another change), the byte range of the spec to point at, and
/// for a conflict the index of the other change.
struct ChangeError {
    support::Code code = support::Code::E0605;
    std::size_t change = 0; // index of the --change concerned (its order on the command line)
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::string message;
    std::string label;                // the text under the caret
    std::optional<std::size_t> other; // the change it conflicts with
};

/// Parses one `--change` argument, or returns nullopt with `error` (its `change` left 0). A
/// REGION must be exactly one region (dsl::check_region_text), a VALUE of severity: and
/// likelihood: a name, and an expiry date a real day in 1900..9999.
std::optional<Change> parse_change(const std::string &spec, ChangeError &error);

/// parse_change() with the error as one sentence.
std::optional<Change> parse_change(const std::string &spec, std::string &error);

/// Whether the change rewrites part of the case's text (see Change::Kind).
bool is_text_change(const Change &c);

/// The case's source files with the text changes applied, as disk path -> new contents for
/// SourceManager::overlay; sets each text change's `was`. nullopt with `error` when a name does
/// not denote a declaration of the right kind, the field to change is not written in it
/// (E0606), or two changes rewrite the same field differently (E0607; the same change given
/// twice is applied once).
std::optional<std::map<std::string, std::string>>
edit_sources(const sema::Program &program, const support::SourceManager &sources,
             std::vector<Change> &changes, ChangeError &error);

/// Adds the changes that are not text changes to `overrides`, resolving their names in
/// `program`; false with `error` when a name does not denote an element of the right kind
/// (E0606), or when two changes set the same aspect of one element differently (E0607): its
/// result (fail:, pending:), its expiry date, or twice the same change under two names is
/// fine, `fail:E` with `pending:E` is not.
bool apply_changes(const sema::Program &program, const std::vector<Change> &changes,
                   prove::Overrides &overrides, ChangeError &error);

/// Whether the declarations of `edited` are those of `original` (same kinds, same qualified
/// names): a text change rewrites one field and never adds or removes a declaration.
bool same_declarations(const sema::Program &original, const sema::Program &edited);

/// The minimum re-verification set.
struct Plan {
    enum class State : std::uint8_t {
        None,       // nothing to restore
        Found,      // `evidence` restores every restorable top claim (re-proved)
        Infeasible, // each restorable claim can be restored, but no one set restores them all
        Unknown,    // the optimiser or a re-proof gave up
    };
    State state = State::None;
    std::vector<DeclId> evidence; // declaration order
    support::Decimal cost;        // exact sum of the chosen evidence's costs
    bool optimal = false;         // the total cost was proved minimal
    bool verified = false;        // re-proving with exactly these passing again restores the claims
    std::string note;             // why not optimal / not verified / unknown
    unsigned rounds = 0;          // optimiser calls (requirement coverage is refined between them)
};

/// What the case's claims and evidence were before the change, by qualified name: from a
/// proof of the case as written (`--change`) or from a lockfile (`--since`). Keyed by name so
/// that it still applies when the case's text changed (declarations added, removed, edited).
struct Baseline {
    std::unordered_map<std::string, prove::Status> claims;   // every claim's verdict
    std::unordered_map<std::string, prove::Status> evidence; // every piece of evidence's status
    std::set<std::string> top;                               // the top claims
};

/// The baseline of a proof.
Baseline baseline_of(const sema::Program &program, const prove::ProofResult &result);

/// A front end's output: the case the changes lead to.
struct Case {
    const sema::Program &program;
    const lower::Lowered &lowered;
    const support::SourceManager &sources;
};

struct Impact {
    prove::ProofResult after; // with the changes
    // With the changes and every candidate re-verified; proved only when some lost top claim
    // is not restored by one joint plan (it explains the unrestorable ones).
    prove::ProofResult restored;
    // All DeclIds below are of the changed case's program.
    std::vector<DeclId> invalidated; // evidence valid before, not after
    /// The invalidated evidence something relies on (a claim's or strategy's supported_by, a
    /// defeater's resolved_by): losing it fails the gate even under a claim that was not
    /// supported before.
    std::vector<DeclId> invalidated_relied;
    std::vector<DeclId> lost;     // claims supported before, not after
    std::vector<DeclId> lost_top; // the top claims among them
    /// What the plan restores: every lost claim (top or not) and every relied-on invalidated
    /// piece of evidence, less those no re-verification restores (declaration order).
    std::vector<DeclId> restorable;
    /// Lost claims and relied-on invalidated evidence that no re-verification restores.
    std::vector<DeclId> unrestorable;
    /// Those whose own search gave up or was not run (the plan's note says which).
    std::vector<DeclId> undecided;
    std::vector<DeclId> candidates; // evidence re-verification could make valid again
    std::vector<DeclId> reusable;   // evidence under the lost top claims still valid after
    Plan plan;
};

/// Decides `changed` with the `overrides` applied, compares it with `before` and computes the
/// plan. `options` is used for every proof (date, solver limits, and its `reuse`, which must
/// then be of `changed.program`); its overrides are replaced.
Impact analyse(const Baseline &before, const Case &changed, const prove::ProveOptions &options,
               const prove::Overrides &overrides);

/// analyse() for overrides on the case as written: the baseline is a proof of `c`.
Impact analyse(const Case &c, const prove::ProveOptions &options,
               const prove::Overrides &overrides);

/// The cost of re-verifying a piece of evidence: its `cost`, or 1.
support::Decimal cost_of(const sema::Program &program, DeclId evidence);

/// The chain from `claim` down to the first root cause of its failure in `result`
/// ("G_safe <- S_env <- G_fog <- E_fog"), claim first. It always ends at an element with a
/// root cause (prove::root_causes) when the claim has one; when the cause is not reached
/// through supporters (a defeater, a mitigation), the chain ends with it.
std::vector<DeclId> failure_chain(const sema::Program &program, const prove::ProofResult &result,
                                  DeclId claim);

/// `failure_chain` of any number of claims, each with its middle left out when long. An
/// element with no root cause of its own and one failing leg has that leg's chain prefixed
/// with itself, so the claims along a chain share its measurement: time linear in the
/// argument for chains however deep and strategies however wide (a claim with several failing
/// legs costs one `failure_chain`).
class FailureChains {
  public:
    struct Ends {
        std::vector<DeclId> head; // the first elements, claim first (the whole chain if short)
        std::size_t omitted = 0;  // how many come between head and tail
        std::vector<DeclId> tail; // the last elements, when the chain is long
        [[nodiscard]] std::size_t length() const { return head.size() + omitted + tail.size(); }
    };

    /// Long chains keep their first and last `keep` elements.
    FailureChains(const sema::Program &program, const prove::ProofResult &result,
                  std::size_t keep = 10);
    Ends ends(DeclId claim);

  private:
    /// Where a chain goes on: at element `element` following links (`index` kLink), or at
    /// `index` in the chain `failure_chain` gave for `element`.
    struct Position {
        DeclId element;
        std::size_t index = 0;
    };
    static constexpr std::size_t kLink = ~std::size_t{0};

    DeclId single_leg(DeclId at) const;
    void measure(DeclId claim);
    std::vector<DeclId> from(Position p, std::size_t count) const;

    const sema::Program &program_;
    const prove::ProofResult &result_;
    std::size_t keep_;
    std::vector<DeclId> next_;        // by element: its one failing leg (a link), or none
    std::vector<std::size_t> length_; // by element: its chain's length (0: not known yet)
    std::vector<std::size_t> base_;   // by element without a link: its chain in bases_
    std::vector<std::vector<DeclId>> bases_;
    std::vector<Position> tail_;  // by element: where the last `keep_` start
    std::vector<bool> causeless_; // by element: no root cause under it (its chain is itself)
};

} // namespace assure::impact
