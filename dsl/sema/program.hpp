// SPDX-License-Identifier: Apache-2.0
#pragma once

// The resolved and type-checked program: every name bound to its declaration, every
// expression typed. Produced by sema::analyze from parsed modules; a different set of types
// from the AST, so unresolved input cannot reach lowering. Tables are dense vectors indexed by
// strong-ish ids in declaration order (module load order, then source order): deterministic.

#include "artifacts/reader.hpp"
#include "support/decimal.hpp"
#include "support/span.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace assure::sema {

using support::Span;

inline constexpr std::uint32_t kNone = UINT32_MAX;
/// How many odds deep a region may be defined (each odd's base and the odds its condition
/// names count one level): the later stages follow regions recursively (E0317).
inline constexpr int kMaxOddDepth = 64;

enum class DeclKind : std::uint8_t {
    Domain,
    Odd,
    Artifact,
    Evidence,
    Claim,
    Strategy,
    Assumption,
    Context,
    Justification,
    Defeater,
    Hazard,
    Scale,
    Matrix,
    Rule,
};
inline constexpr std::size_t kDeclKindCount = 14;

/// "claim", "evidence", ... as the user writes the keyword.
const char *kind_name(DeclKind kind);
/// "a claim", "evidence", "an odd region", ... for messages.
const char *kind_phrase(DeclKind kind);

struct DeclId {
    std::uint32_t value = kNone;
    [[nodiscard]] bool valid() const { return value != kNone; }
    friend bool operator==(DeclId, DeclId) = default;
    friend auto operator<=>(DeclId, DeclId) = default;
};

struct Decl {
    DeclKind kind;
    std::string name;
    std::uint32_t module = 0;
    Span name_span;              // the identifier
    Span span;                   // the whole declaration
    std::uint32_t index = kNone; // into the table of its kind
};

struct Module {
    std::string name;
    support::FileId file = support::kNoFile;
    bool is_stdlib = false;
    std::vector<std::uint32_t> imports;                          // module indices, source order
    std::vector<std::pair<std::string, std::uint32_t>> prefixes; // name or alias -> module
    /// Own declarations by name. Keys view Decl::name in Program::decls, which is filled once
    /// and never reallocated; so a Program is movable but not copyable.
    std::unordered_map<std::string_view, DeclId> symbols;
};

// ---- types and expressions -----------------------------------------------------------------

enum class TypeKind : std::uint8_t { Error, Bool, Int, Real, Enum, Scale, Date, String, Element };

struct Type {
    TypeKind kind = TypeKind::Error;
    std::uint32_t ref = kNone; // Enum: variable id; Scale: scale index (kNone = not yet known);
                               // Element: DeclKind
    friend bool operator==(Type, Type) = default;
};

enum class ExprOp : std::uint8_t {
    Bool,       // value in `value`
    Number,     // literal text in `text`
    Date,       // text YYYY-MM-DD
    String,     // text
    Var,        // ref: variable id
    EnumValue,  // ref: index into the enum's values; type.ref: variable
    ScaleValue, // ref: value index; type.ref: scale
    Region,     // ref: DeclId of an odd (or domain) used as a predicate
    Bound,      // ref: quantifier variable slot
    Attribute,  // kids[0]: element expr; text: attribute name
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    InInterval, // kids: value, lo, hi; text: "[)" style brackets
    InSet,      // kids: value, items...
    Not,
    And,
    Or,
    Implies,
    Call, // text: function name; kids: arguments
    Forall,
    Exists,
    Count, // ref: bound slot; text: collection; kids: [filter or none], [body]
};

using ExprId = std::uint32_t;

/// One typed expression node. Nodes live in Program::exprs; a node's children are the range
/// [first_kid, first_kid + kid_count) of Program::expr_kids and its literal text (date, string,
/// attribute or function name, interval brackets) is Program::texts[text]. A number literal's
/// `text` indexes Program::numbers instead; its exact digits are the source text under `span`.
/// Flat storage keeps a node at 40 bytes with no allocation of its own.
struct Expr {
    ExprOp op;
    bool negated = false; // InInterval / InSet: `not in`
    Type type;
    Span span;
    std::uint32_t ref = kNone;
    std::uint32_t text = kNone;
    std::uint32_t first_kid = 0;
    std::uint32_t kid_count = 0;
};

// ---- declarations --------------------------------------------------------------------------

enum class VarKind : std::uint8_t { Real, Int, Bool, Enum };

struct Variable {
    std::string name;
    DeclId domain;
    VarKind kind = VarKind::Real;
    std::string lo_text, hi_text; // bounds as written (exact), numeric kinds only
    support::Decimal lo, hi;
    std::vector<std::string> values; // enum values, in order
    std::string unit;
    Span span;
};

struct DomainInfo {
    DeclId decl;
    std::string title;
    std::vector<std::uint32_t> vars; // variable ids, declaration order
};

/// `Base where predicate`: the operating points of `domain` that satisfy the base region (when
/// the base is an odd) and the predicate.
struct Region {
    DeclId domain;        // the domain the region lives in (invalid after an error)
    DeclId base;          // the domain or odd named as the base
    ExprId where = kNone; // bool expression, or kNone
    Span span;
};

struct OddInfo {
    DeclId decl;
    std::string title;
    Region region;
};

struct ArtifactInfo {
    DeclId decl;
    std::string path;   // as written, relative to the declaring file's folder
    std::string sha256; // lower-case hex, or empty
    Span path_span;     // the path's string literal, quotes included (all its pieces)
    Span sha256_span;   // the string literal after `sha256`, quotes included; invalid if none
};

enum class EvidenceResult : std::uint8_t { Pass, Fail, Pending };
enum class EvidenceKind : std::uint8_t {
    Unspecified,
    Test,
    Analysis,
    Simulation,
    FormalProof,
    Review,
    Inspection,
    FieldMonitoring,
    RuntimeMonitoring,
};

/// The written names of the evidence kinds, in EvidenceKind order after Unspecified ("test",
/// "analysis", ...): word i is EvidenceKind(i + 1).
const std::vector<std::string_view> &evidence_kind_words();

struct Metric {
    std::string name;
    std::string value_text;
    support::Decimal value; // exact, as written (zero when read from an artifact)
    Region over;
    Span span;
    std::uint32_t read = kNone; // into Program::reads when the value is read from an artifact
};

/// Where a value is read from (docs/language.md, "Values read from artifacts"): an artifact
/// and a selector, and optionally the ends of an interval around the value (a requirement is
/// then checked against every value of the interval).
struct ReadSpec {
    enum class Bound : std::uint8_t {
        None,
        Interval, // `interval LOW to HIGH`: the ends are read with `low` and `high`
        Stderr,   // `stderr SE z Z`: value ± Z × the standard error read with `low`
    };
    DeclId artifact;
    artifacts::Selector selector;
    Bound bound = Bound::None;
    artifacts::Selector low, high;
    support::Decimal z;
    bool result = false; // an evidence's `result:` source (else a metric's)
    Span span;           // `read ...` as written
};

struct Date {
    int year = 0, month = 0, day = 0;
    friend auto operator<=>(const Date &, const Date &) = default;
};
/// "YYYY-MM-DD".
std::string format_date(const Date &d);
/// Days since 1970-01-01 (proleptic Gregorian), and back.
long days_from_civil(const Date &d);
Date civil_from_days(long days);

struct EvidenceInfo {
    DeclId decl;
    std::string title;
    EvidenceKind kind = EvidenceKind::Unspecified;
    EvidenceResult result = EvidenceResult::Pending;
    std::vector<DeclId> artifacts;
    std::vector<Metric> metrics;
    std::optional<Date> valid_until;
    std::optional<Date> date;          // when it was produced (`date:`), for a risk level's max_age
    std::uint32_t result_read = kNone; // into Program::reads when `result:` is read
    support::Span valid_until_span, date_span; // the dates as written, for W0106 and W0107
    std::optional<support::Decimal> cost;
    std::string producer;
    std::string team;       // the producer's team (`team:`)
    std::string department; // the producer's department or organisation (`department:`)
    std::string approved_by;
    std::vector<DeclId> independent_of;
    std::string description;
};

enum class CmpOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Requirement {
    std::string metric;
    CmpOp op = CmpOp::Ge;
    std::string value_text;
    support::Decimal value; // exact, as written
    Span span;
};

struct ClaimInfo {
    DeclId decl;
    std::string title;
    std::optional<Region> scope;
    std::vector<Requirement> requirements;
    ExprId formal = kNone;
    std::vector<DeclId> mitigates;
    std::uint32_t lowers_likelihood = 0;  // steps a supported claim lowers its hazards' likelihood
    std::vector<DeclId> supported_by;     // claims and evidence
    std::vector<Span> supported_by_spans; // where each supporter is named
    bool undeveloped = false;
    std::string description;
};

enum class StrategyMode : std::uint8_t { AllOf, AnyOf, AtLeast, Deductive };
enum class CoverKind : std::uint8_t { None, Cover, Partition };

struct StrategyInfo {
    DeclId decl;
    std::string title;
    DeclId parent;
    StrategyMode mode = StrategyMode::AllOf;
    std::uint32_t at_least = 0;
    CoverKind cover = CoverKind::None;
    std::vector<std::uint32_t> cover_vars;
    std::vector<DeclId> supported_by;
    std::vector<Span> supported_by_spans;
    std::string justification;
    std::string description;
};

enum class AttachmentKind : std::uint8_t { Assumption, Context, Justification };

struct AttachmentInfo {
    DeclId decl;
    AttachmentKind kind;
    std::string title;
    std::vector<DeclId> targets;
    ExprId formal = kNone;
    std::vector<DeclId> artifacts;
    std::string description;
};

enum class DefeaterRelation : std::uint8_t { Rebuts, Undercuts, Undermines, Defeats };
enum class DefeaterStatus : std::uint8_t { Open, Resolved, Withdrawn };

struct DefeaterInfo {
    DeclId decl;
    DefeaterRelation relation;
    DeclId target;
    std::string title;
    DefeaterStatus status = DefeaterStatus::Open;
    std::vector<DeclId> resolved_by;
    std::string description;
};

struct ScaleValue {
    std::uint32_t scale = kNone;
    std::uint32_t value = kNone;
};

struct HazardInfo {
    DeclId decl;
    std::string title;
    std::optional<ScaleValue> severity;
    std::optional<ScaleValue> likelihood;
    Span severity_span, likelihood_span; // the values as written
    DeclId matrix;
    std::string description;
};

struct ScaleInfo {
    DeclId decl;
    std::string title;
    std::vector<std::string> values; // lowest first
};

/// What the argument must show for a hazard at one risk level (`demand LEVEL: ...`): each claim
/// mitigating such a hazard needs, among the valid evidence anywhere under it, ...
/// The degree of independence a risk level demands of a review (ISO 26262-2's I1, I2, I3).
enum class Independence : std::uint8_t { None, Person, Team, Department };
/// "person", "team", "department" (the words of `independent_review = ...`; "" for None).
const char *independence_word(Independence i);

struct LevelDemand {
    std::uint32_t level = kNone;     // a value of the matrix's levels scale
    std::uint32_t lines = 0;         // ... this many pairwise independent pieces
    std::vector<EvidenceKind> kinds; // ... one of each of these kinds
    /// ... a review independent of everything else under the claim: by another producer
    /// (Person), team or department (None: no review demanded)
    Independence review = Independence::None;
    std::optional<std::uint32_t> max_age; // ... every piece dated at most this many days ago
    Span span;
};

struct MatrixInfo {
    DeclId decl;
    std::string title;
    std::uint32_t rows = kNone, columns = kNone, levels = kNone; // scale indices
    std::vector<std::uint32_t> cells; // rows x columns, level value index (kNone = missing)
    std::optional<std::uint32_t> accept;
    std::vector<LevelDemand> demands; // one per level named, levels in order of first mention
};

struct RuleInfo {
    DeclId decl;
    std::string title;
    ExprId body = kNone;
    std::uint32_t bound_slots = 0;       // number of quantifier variables
    std::vector<std::string> slot_names; // each one's name, by slot
};

/// The whole resolved case. Move-only: symbol tables view the declarations' names.
struct Program {
    Program() = default;
    Program(const Program &) = delete;
    Program &operator=(const Program &) = delete;
    Program(Program &&) noexcept = default;
    Program &operator=(Program &&) noexcept = default;

    std::vector<Module> modules;
    std::vector<Decl> decls;
    // Deques: a large case has tens of millions of nodes, and a vector's doubling would briefly
    // hold one and a half times them (the peak memory of the whole run).
    std::deque<Expr> exprs;
    std::deque<ExprId> expr_kids;         // children of every node, see Expr
    std::deque<std::string> texts;        // literal texts of nodes, see Expr
    std::deque<support::Decimal> numbers; // exact values of number literals, see Expr
    std::vector<Variable> variables;

    std::vector<DomainInfo> domains;
    std::vector<OddInfo> odds;
    std::vector<ArtifactInfo> artifacts;
    std::vector<EvidenceInfo> evidence;
    std::vector<ReadSpec> reads; // values read from artifacts, by Metric::read and result_read
    std::vector<ClaimInfo> claims;
    std::vector<StrategyInfo> strategies;
    std::vector<AttachmentInfo> attachments;
    std::vector<DefeaterInfo> defeaters;
    std::vector<HazardInfo> hazards;
    std::vector<ScaleInfo> scales;
    std::vector<MatrixInfo> matrices;
    std::vector<RuleInfo> rules;

    [[nodiscard]] const Decl &decl(DeclId id) const { return decls[id.value]; }
    /// `module.name` qualified name of a declaration, for reports.
    [[nodiscard]] std::string qualified_name(DeclId id) const;
    /// The children of an expression node, in order (a plain iterator pair: clang 14 cannot
    /// use libstdc++ 12's std::ranges::subrange).
    struct KidRange {
        std::deque<ExprId>::const_iterator first, last;
        [[nodiscard]] auto begin() const { return first; }
        [[nodiscard]] auto end() const { return last; }
    };
    [[nodiscard]] KidRange kids(const Expr &e) const {
        const auto first = expr_kids.begin() + e.first_kid;
        return {first, first + e.kid_count};
    }
    [[nodiscard]] ExprId kid(const Expr &e, std::size_t idx) const {
        return expr_kids[e.first_kid + idx];
    }
    /// The literal text of a node ("" when it has none).
    [[nodiscard]] const std::string &text(const Expr &e) const;
    /// The value of `id` if it is a number literal, possibly negated; nullopt otherwise.
    [[nodiscard]] std::optional<support::Decimal> constant(ExprId id) const;
};

} // namespace assure::sema
