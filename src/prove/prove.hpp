// SPDX-License-Identifier: Apache-2.0
#pragma once

// The proof engine: decides, by the rules of docs/semantics.md, which claims of a resolved
// program are supported. Support is propagated over the argument graph in dependency order;
// only the questions with arithmetic or logic in them (non-vacuity, cover, partition,
// deductive steps, metric requirements) become solver obligations.

#include "dsl/sema/program.hpp"
#include "lower/constraints.hpp"
#include "lower/lower.hpp"
#include "solver/batch.hpp"
#include "support/sha256.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace assure::prove {

using sema::DeclId;
using sema::kNone;

/// Ordered from best to worst; "all of" takes the worst, "any of" the best.
enum class Status : std::uint8_t { Supported, Unknown, Undeveloped, Unsupported };
inline Status worst(Status a, Status b) {
    return a < b ? b : a;
}
inline Status best(Status a, Status b) {
    return a < b ? a : b;
}
/// "supported", "unknown", "undeveloped", "unsupported".
const char *verdict_name(Status s);
/// An evidence result as written: "pass", "fail", "pending".
const char *result_name(sema::EvidenceResult r);
/// Evidence: "valid", "unknown", "invalid".
const char *evidence_status_name(Status s);
/// Strategies: "holds", "unknown", "undeveloped", "fails".
const char *strategy_status_name(Status s);
/// The status word of an element of `kind`: evidence_status_name, strategy_status_name, or
/// verdict_name for claims.
const char *element_status_name(sema::DeclKind kind, Status s);

enum class Activity : std::uint8_t { Inactive, Unknown, Active };
const char *activity_name(Activity a); // "inactive", "unknown", "active"

enum class ArtifactState : std::uint8_t { Verified, Missing, Changed, Unrecorded };
const char *artifact_state_name(ArtifactState s); // "verified", "missing", "changed", "unrecorded"

struct ArtifactCheck {
    ArtifactState state = ArtifactState::Missing;
    std::string path;   // as shown: the declaring file's folder joined with the written path
    std::string actual; // SHA-256 of the file now (empty when it cannot be read)
    std::string error;  // why it cannot be read
};

/// A value read from an artifact (Program::reads), as the proof found it.
struct ReadOutcome {
    enum class State : std::uint8_t {
        NotRead, // its artifact is not verified (or is hypothetically changed): nothing was read
        Read,
        Failed, // the file or the selection is bad: `error` says why
    };
    State state = State::NotRead;
    artifacts::Value value;                    // Read, a metric: the value
    std::optional<support::Decimal> low, high; // Read with an interval: its ends (exact)
    std::optional<artifacts::Result> result;   // Read, a `result:` source
    std::string text;                          // what the file wrote, or what it was derived from
    std::string error;                         // Failed: why
    std::string sha256;                        // the digest of the bytes read (verified)
};

enum class ReasonKind : std::uint8_t {
    EvidenceFailed,
    EvidencePending,
    EvidenceExpired,
    EvidenceNotYetValid, // dated (`date:`) after the date judged at
    EvidenceWithdrawn,
    EvidenceUnpinned, // --require-artifacts: it lists no artifact with a recorded sha256
    ArtifactMissing,
    ArtifactChanged,
    ArtifactUnrecorded,
    ArtifactValue,   // other: the artifact; a value or result that cannot be read from it
    ActiveDefeater,  // other: the defeater
    DefeaterUnknown, // other: the defeater whose activity is unknown
    Undeveloped,
    Vacuous,
    CoverGap,
    PartitionOverlap,
    DeductiveCountermodel,
    NoFormal,          // a deductive step whose parent has no formal statement
    RequirementNotMet, // index: the requirement
    SolverUnknown,
    RuleViolated, // other: the rule; index: the rule's index (a top claim's reason)
    RuleUnknown,  // other: the rule; index: the rule's index; an instance the solver left open
    RiskDemand,   // other: the hazard (a top claim's reason)
    ResidualRisk, // other: the hazard (a top claim's reason)
};
/// A stable identifier for reports: "evidence_failed", "cover_gap", ...
const char *reason_name(ReasonKind k);

/// One local reason why an element is not supported (or not known to be).
struct Reason {
    ReasonKind kind;
    Status status; // Unsupported, Undeveloped or Unknown
    DeclId other;  // the artifact, defeater, ... it names, if any
    std::uint32_t obligation = kNone;
    std::uint32_t index = kNone; // requirement index, for RequirementNotMet
    std::string text;            // readable detail, e.g. "expired on 2026-09-30"
    /// A consequence of other reasons below it (a requirement whose only satisfying
    /// measurements are in invalid evidence): not listed again among root causes.
    bool derived = false;
};

enum class ObligationKind : std::uint8_t { NonVacuity, Cover, Partition, Deductive, Requirement };
const char *obligation_kind_name(ObligationKind k); // "non_vacuity", "cover", ...

/// Where an assertion of an obligation comes from. Notes are kept as data and put into words
/// only for the obligations a report shows (most of a large case's never are).
enum class NoteKind : std::uint8_t {
    Scope,              // decl: the claim
    Assumption,         // decl: the assumption
    OutsideScope,       // decl: the claim (cover: the point is outside its scope)
    Formal,             // decl: the sub-claim
    FormalWithinScope,  // decl: the sub-claim
    NegatedFormal,      // decl: the parent claim
    OutsideMeasurement, // decl: the evidence; metric: the index of its metric
};

struct Note {
    NoteKind kind;
    DeclId decl;
    support::Span span;
    std::uint32_t metric = kNone;
};

struct Obligation {
    ObligationKind kind;
    DeclId subject;              // the claim or strategy
    std::uint32_t index = kNone; // requirement index, or partition pair number
    std::uint32_t query = kNone; // index in the batch
    std::vector<Note> notes;     // one per assertion, in order
    /// What the answer means for the step: the answer that makes it hold ("unsat", or "sat" for
    /// non-vacuity).
    bool holds_on_sat = false;
};

struct Measurement {
    DeclId evidence;
    std::uint32_t metric = kNone; // index into the evidence's metrics
};

struct RequirementResult {
    Status status = Status::Supported;
    std::uint32_t obligation = kNone;
    std::vector<Measurement> used;     // satisfying measurements of valid evidence, query order
    std::vector<Measurement> rejected; // other measurements of the metric under the claim
};

struct ElementResult {
    Status status = Status::Supported;
    std::vector<Reason> reasons;
};

struct ClaimResult {
    std::uint32_t vacuity = kNone; // obligation
    std::vector<RequirementResult> requirements;
    /// The assumptions (attachment indices, ascending) with a `formal:` statement that the
    /// claim's support rests on and no logical step below it has discharged: its own, its
    /// strategies', and those of claims below it through legs that check nothing
    /// (docs/semantics.md, "Assumptions below"). A logical step above counts the claim only
    /// where they hold.
    std::vector<std::uint32_t> relies_on;
    /// The list grew past the proof's budget for tracking assumptions: the steps above that
    /// would need it are unknown.
    bool relies_overflow = false;
};

struct StrategyResult {
    std::uint32_t cover = kNone;
    std::vector<std::uint32_t> overlaps; // partition obligations
    std::uint32_t deductive = kNone;
    /// A sub-claim's assumptions could not be tracked (ClaimResult::relies_overflow): the
    /// logical step is undecided.
    bool assumptions_untracked = false;
};

/// The value of one variable of the outermost `forall` chain in a violation.
struct RuleBinding {
    std::string var; // the variable's name
    DeclId element;
};

/// One way a rule fails: the values of its outermost `forall` variables for which the rest of
/// the rule is false (none when the rule does not start with `forall`).
struct RuleViolation {
    std::vector<RuleBinding> bindings;
    std::vector<DeclId> affected; // the top claims the violation makes fail, declaration order
    /// The solver query that decided it (its ground formula is satisfiable; batch index), or
    /// kNone for an instance too large to ask about.
    std::uint32_t query = kNone;
    std::string unknown; // an undecided instance: why the solver could not decide it
    /// The root module (module index) of the case the instance was evaluated in (cases.hpp):
    /// its quantifiers ranged over that case's elements, and it fails that case's top claims.
    std::uint32_t root = kNone;
};

/// A rule's answer. Each assignment of its outermost `forall` variables that the facts alone
/// do not settle is an instance the solver decides; `violations` are those it found violated,
/// `undecided` those it could not decide (each fails its top claims as unknown).
/// A scope question a rule asked (`overlaps(x, R)` / `within(x, R)`): its solver query.
struct ScopeQuestion {
    DeclId element; // the claim or evidence
    DeclId region;  // the odd or domain
    bool within = false;
    std::uint32_t query = kNone; // batch index: sat means they overlap / x is not within R
};

struct RuleResult {
    bool holds = true;                     // no violation and nothing undecided
    std::vector<RuleViolation> violations; // case by case (cases.hpp), each in the order the
                                           // quantifiers enumerate them
    std::vector<RuleViolation> undecided;
    std::size_t instances = 0; // instances the solver was asked about
};

/// One shortfall of the risk a hazard carries: a demand of its risk level that a claim
/// mitigating it does not meet, or a residual risk above the matrix's acceptance level.
struct RiskFinding {
    enum class Kind : std::uint8_t { DemandUnmet, ResidualRisk } kind;
    Status status = Status::Unsupported; // Unknown when the search for lines gave up
    DeclId claim;                        // DemandUnmet: the mitigating claim
    std::string text;
    std::vector<DeclId> affected; // the top claims it fails, declaration order
    /// ResidualRisk: supported, the hazard's unsupported mitigations would lower it enough, so
    /// their own failures are the root causes (see Reason::derived).
    bool derived = false;
};

/// A hazard rated on a matrix: its risk before and after its supported mitigations.
struct HazardRisk {
    bool rated = false;          // severity, likelihood and matrix all given
    std::uint32_t level = kNone; // the matrix's cell for the rating
    std::uint32_t step = 0;      // likelihood steps its supported mitigations lower
    std::uint32_t residual_likelihood = kNone;
    std::uint32_t residual = kNone;  // the cell for the lowered likelihood
    std::vector<DeclId> mitigations; // the claims mitigating it, declaration order
    std::vector<DeclId> supported;   // those of them supported (before rules and risk)
    std::vector<RiskFinding> findings;
};

/// What-if changes applied on top of the case as written (`assure impact`), by table index
/// (evidence, artifact and defeater indices into the program's tables).
struct Overrides {
    std::map<std::uint32_t, sema::EvidenceResult> result; // the evidence's result becomes this
    std::map<std::uint32_t, sema::Date> valid_until;      // the evidence expires on this date
    std::set<std::uint32_t> withdrawn;                    // the evidence is withdrawn
    std::set<std::uint32_t> artifact_changed;             // the artifact's contents changed
    std::map<std::uint32_t, sema::DefeaterStatus> defeater_status;
    /// Evidence re-verified: it passes again, is fresh (produced on the date judged at) and
    /// its artifacts are re-recorded, so none of its local reasons apply (defeaters still do),
    /// except that with `require_artifacts` evidence listing no artifact stays unpinned.
    std::set<std::uint32_t> reverified;
    /// Evidence re-attested (`attest:` events, docs/serve.md): produced on this date.
    std::map<std::uint32_t, sema::Date> produced;
    /// Artifacts whose current contents a re-attestation accepted: this SHA-256 (hex) stands
    /// for the recorded one.
    std::map<std::uint32_t, std::string> accepted_sha256;

    [[nodiscard]] bool empty() const {
        return result.empty() && valid_until.empty() && withdrawn.empty() &&
               artifact_changed.empty() && defeater_status.empty() && reverified.empty() &&
               produced.empty() && accepted_sha256.empty();
    }
};

/// What consecutive proofs of one program can share (`assure impact` proves a case several
/// times with different overrides): the constraint model, the outcomes of the queries decided
/// so far, and the artifacts' digests. Never share one between different programs.
struct Reuse {
    std::shared_ptr<lower::ConstraintBuilder> constraints;
    std::shared_ptr<solver::OutcomeCache> outcomes = std::make_shared<solver::OutcomeCache>();
    std::vector<support::FileDigest> digests; // by artifact index, once hashed
    bool hashed = false;
    std::vector<ReadOutcome> reads; // by Program::reads index, once read
    bool read = false;
    /// By artifact index: its file changed since it was hashed and read (`assure serve`'s
    /// `artifact:` events); the next proof hashes it and reads its values again, and clears
    /// the mark. Empty: none.
    std::vector<std::uint8_t> stale;
    /// By artifact index: its state when its values were last read (a read depends on it).
    std::vector<ArtifactState> read_states;
    /// By artifact index: its path on disk and as shown, once found, and the first artifact
    /// naming the same file.
    std::vector<std::string> disk, shown;
    std::vector<std::uint32_t> first_of;
};

/// The date evidence `ei` was produced, as judged: re-attested (Overrides::produced), or its
/// `date:` (none when it has none).
std::optional<sema::Date> evidence_date(const sema::Program &program, const Overrides &overrides,
                                        std::uint32_t ei);

namespace detail {
struct Structure; // engine.hpp
} // namespace detail

struct ProveOptions {
    sema::Date date;
    solver::SolveOptions solve;
    unsigned lanes = 2;
    /// Called after each phase with its name ("artifacts", "obligations", "decide",
    /// "propagate"), for --verbose timings; may be empty.
    std::function<void(const char *)> on_phase;
    Overrides overrides;
    std::shared_ptr<Reuse> reuse; // optional
    /// --require-artifacts: evidence of the user's modules that lists no artifact with a
    /// recorded sha256 is invalid (ReasonKind::EvidenceUnpinned).
    bool require_artifacts = false;
    /// Keep what reprove() needs to judge a later state of the case from this proof (`assure
    /// serve`): the argument's dependencies, shared by the proofs that follow.
    bool incremental = false;
};

/// Everything `prove`, `explain` and the traces report. Owns the constraint model and the
/// solver batch (the queries and their outcomes).
struct ProofResult {
    sema::Date date;
    Overrides overrides; // the what-if changes the case was judged with (rule traces read them)
    std::vector<ElementResult> elements; // by DeclId (claims, strategies, evidence)
    std::vector<Activity> defeaters;     // by defeater index
    /// By defeater index: its status as judged (as written, or as a what-if change set it).
    std::vector<sema::DefeaterStatus> defeater_status;
    std::vector<ArtifactCheck> artifacts; // by artifact index
    std::vector<ReadOutcome> reads;       // by Program::reads index
    std::vector<ClaimResult> claims;      // by claim index
    std::vector<StrategyResult> strategies;
    std::vector<Obligation> obligations;
    std::vector<DeclId> top_claims;                         // declaration order
    std::vector<RuleResult> rules;                          // by rule index
    std::vector<ScopeQuestion> scope_questions;             // in the order rules asked them
    std::vector<HazardRisk> hazards;                        // by hazard index
    std::vector<std::vector<std::uint32_t>> strategies_of;  // by claim index
    std::vector<std::vector<std::uint32_t>> assumptions_of; // by DeclId: attachment indices
    std::shared_ptr<lower::ConstraintBuilder> constraints;  // shared with ProveOptions::reuse
    std::shared_ptr<solver::Batch> batch;

    // Kept with ProveOptions::incremental, for reprove(): the argument's structure (shared), the
    // evidence fine before defeaters (by DeclId), and where the obligations of each kind start:
    // [0, claim_obligations) the claims' own, by claim; then up to step_obligations the
    // strategies', by strategy; then the requirements asked again during propagation.
    std::shared_ptr<const detail::Structure> structure;
    std::vector<std::uint8_t> local_ok;
    std::uint32_t claim_obligations = 0;
    std::uint32_t step_obligations = 0;

    [[nodiscard]] Status status(DeclId id) const { return elements[id.value].status; }
    [[nodiscard]] const solver::Outcome &outcome(std::uint32_t obligation) const {
        return batch->outcome(obligations[obligation].query);
    }
};

/// Decides the whole case. `program` must be free of errors, including the structure errors
/// of ir::check_structure (so its dependencies have no cycle).
ProofResult prove(const sema::Program &program, const lower::Lowered &lowered,
                  const support::SourceManager &sources, const ProveOptions &options);

/// The case judged again after a change of state: what prove() would decide with `options`,
/// computed from `previous`, a proof of the same program (made with ProveOptions::incremental,
/// by prove() or reprove()) with the same date, limits and reuse. Only the evidence whose
/// what-if changes, artifacts or values read differ from those `previous` was judged with, the
/// defeaters whose status differs, and what rests on them (up to where nothing changes) are
/// judged again; the rules and risk are evaluated again. The result equals prove()'s, obligation
/// numbering included. Anything else (another program, date or limits) is a full prove().
ProofResult reprove(const ProofResult &previous, const sema::Program &program,
                    const lower::Lowered &lowered, const support::SourceManager &sources,
                    const ProveOptions &options);

/// What element `d` rests on, in order: a claim's supporters and strategies and, for each of
/// its requirements that is not met, the evidence of the measurements it rejected; a
/// strategy's supporters. Nothing for other elements or undeveloped claims.
std::vector<DeclId> legs(const sema::Program &program, const ProofResult &result, DeclId d);

/// One root cause of a claim's failure: a reason of an element in its failing argument.
struct RootCause {
    DeclId element;
    const Reason *reason;
};
/// The root causes of `claim` (docs/semantics.md, "Root causes"): the local reasons of every
/// element reached from it through failing legs only, each element once, in the order reached.
std::vector<RootCause> root_causes(const sema::Program &program, const ProofResult &result,
                                   DeclId claim);

/// In words, what a `sat` answer to obligation `ob` means ("cover of strategy S for G: sat means
/// an operating point of the parent's scope that no sub-claim's scope contains").
std::string obligation_purpose(const sema::Program &program, const ProofResult &result,
                               std::uint32_t ob);
/// Where assertion `idx` of obligation `ob` comes from ("scope of G_fog (perception.assure:139)").
/// "A and B": the two sub-claims a partition obligation asks about (its last two assertions).
std::string overlap_pair(const sema::Program &program, const Obligation &o);

/// The answer to obligation `ob` in words a reader without SMT understands, by its kind: "no
/// uncovered point exists" (a cover that holds), "a countermodel exists", "an operating point
/// exists", "the solver could not decide (timeout)".
std::string obligation_answer_words(const ProofResult &result, std::uint32_t ob);

/// Assertion `idx` of obligation `ob` as a condition on the point the solver looked for: "in the
/// scope of G (file:line)", "outside the scope of G_fog (file:line)", "where the formal
/// statement of G is false (file:line)". The conditions of an unsat core are the ones no point
/// meets at once.
std::string obligation_condition(const sema::Program &program,
                                 const support::SourceManager &sources, const ProofResult &result,
                                 std::uint32_t ob, std::size_t idx);

/// "A (file:line), B (file:line)": the assumptions the support of `claim` rests on
/// (ClaimResult::relies_on), or "" when none.
std::string relied_assumptions_text(const sema::Program &program,
                                    const support::SourceManager &sources,
                                    const ProofResult &result, DeclId claim);

std::string obligation_note(const sema::Program &program, const support::SourceManager &sources,
                            const ProofResult &result, std::uint32_t ob, std::size_t idx);
/// The SMT-LIB name of assertion `idx` of obligation `ob` in a trace ("scope_G_fog",
/// "outside_measurement_E_sim_visibility"): what its note says, in one symbol.
std::string obligation_assertion_name(const sema::Program &program, const ProofResult &result,
                                      std::uint32_t ob, std::size_t idx);
/// The obligation's query with its purpose, notes and assertion names, for SMT-LIB output.
ir::Query described_query(const sema::Program &program, const support::SourceManager &sources,
                          const ProofResult &result, std::uint32_t ob);

/// The declaration of `kind` named `name` (qualified, or a short name that is unique), or
/// nullopt with `error` saying why ("no evidence named `E_x` in the case", or the candidates).
std::optional<DeclId> find_decl(const sema::Program &program, const std::string &name,
                                sema::DeclKind kind, std::string &error);

/// Whether a measured value meets a requirement's comparison, exactly (as written).
bool satisfies(const support::Decimal &value, sema::CmpOp op, const support::Decimal &bound);

/// Whether measurement `metric` of evidence `evidence` satisfies `op bound`: the number written,
/// or the value read (a mean compared exactly as a fraction; with an interval, every value of
/// the interval must satisfy it). A value that was not read satisfies nothing.
bool measurement_satisfies(const sema::Program &program, const ProofResult &result,
                           std::uint32_t evidence, std::uint32_t metric, sema::CmpOp op,
                           const support::Decimal &bound);

/// The value of a measurement as text: the number as written, or the value read ("0.962",
/// "2.88/3" for a mean that is no finite decimal, "-" when nothing was read).
std::string measurement_text(const sema::Program &program, const ProofResult &result,
                             std::uint32_t evidence, std::uint32_t metric);

/// The exact value read: "0.962", "0.94" (a mean that is a finite decimal), "2.8/3" (one that
/// is not), "pass" (a result); "" when nothing was read.
std::string read_value_text(const ReadOutcome &r);

/// The result a `result:` source read (state Read): nullopt for any other outcome.
std::optional<sema::EvidenceResult> read_result(const ReadOutcome &r);

/// The result of evidence `evidence` as the proof took it: as written, or as read from its
/// artifact ("pass", "fail", "pending"; "unread" when it could not be read).
const char *evidence_result_text(const sema::Program &program, const ProofResult &result,
                                 std::uint32_t evidence);

/// A read source's selector as written: `json "/fog/recall"`, `junit failures`, and for a
/// `result:` source `junit` or `json "/passed"`.
std::string read_selector_text(const sema::ReadSpec &spec);

/// A read source's interval as written: `interval "/ci/0" to "/ci/1"`, `stderr "/se" z 1.96`,
/// or "" when it has none.
std::string read_bound_text(const sema::ReadSpec &spec);

/// Where a value was read from, for reports: `fog_report (reports/fog.json, sha256 ab12...) json
/// "/fog/recall": 0.962` (the interval's ends too), or why nothing was read.
std::string read_provenance(const sema::Program &program, const ProofResult &result,
                            std::uint32_t read);

/// "==", "<=", ... as written in a requirement.
const char *cmp_op_text(sema::CmpOp op);

/// "file:line" of a span, for notes and traces.
std::string line_of(const support::SourceManager &sources, support::Span span);
using sema::format_date; // "YYYY-MM-DD"
/// The earliest year a date given on the command line (--at, expire:) may have: earlier ones
/// are typing mistakes, not dates an assessor means.
inline constexpr int kMinOptionYear = 1900;
/// Parses YYYY-MM-DD (exactly four, two and two digits), checking that the day exists (leap
/// years included) and that its year is at least `min_year` (at most 9999 by the form).
std::optional<sema::Date> parse_date(std::string_view s, int min_year = 1);

} // namespace assure::prove
