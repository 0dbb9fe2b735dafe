// SPDX-License-Identifier: Apache-2.0
// Reading a proof: names of statuses and reasons, dates, the texts of obligations and their
// notes, and the walks over failing legs (root causes) that reports and impact use.
#include "prove/prove.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <unordered_set>

namespace assure::prove {

using sema::DeclKind;

std::string overlap_pair(const sema::Program &program, const Obligation &o) {
    const std::size_t n = o.notes.size();
    if (n < 2) {
        return "?";
    }
    return program.qualified_name(o.notes[n - 2].decl) + " and " +
           program.qualified_name(o.notes[n - 1].decl);
}

const char *verdict_name(Status s) {
    switch (s) {
    case Status::Supported:
        return "supported";
    case Status::Unknown:
        return "unknown";
    case Status::Undeveloped:
        return "undeveloped";
    case Status::Unsupported:
        return "unsupported";
    }
    return "?";
}

const char *evidence_status_name(Status s) {
    switch (s) {
    case Status::Supported:
        return "valid";
    case Status::Unknown:
        return "unknown";
    case Status::Undeveloped:
    case Status::Unsupported:
        return "invalid";
    }
    return "?";
}

const char *element_status_name(sema::DeclKind kind, Status s) {
    switch (kind) {
    case sema::DeclKind::Evidence:
        return evidence_status_name(s);
    case sema::DeclKind::Strategy:
        return strategy_status_name(s);
    default:
        return verdict_name(s);
    }
}

const char *strategy_status_name(Status s) {
    switch (s) {
    case Status::Supported:
        return "holds";
    case Status::Unknown:
        return "unknown";
    case Status::Undeveloped:
        return "undeveloped";
    case Status::Unsupported:
        return "fails";
    }
    return "?";
}

const char *activity_name(Activity a) {
    switch (a) {
    case Activity::Inactive:
        return "inactive";
    case Activity::Unknown:
        return "unknown";
    case Activity::Active:
        return "active";
    }
    return "?";
}

const char *artifact_state_name(ArtifactState s) {
    switch (s) {
    case ArtifactState::Verified:
        return "verified";
    case ArtifactState::Missing:
        return "missing";
    case ArtifactState::Changed:
        return "changed";
    case ArtifactState::Unrecorded:
        return "unrecorded";
    }
    return "?";
}

const char *reason_name(ReasonKind k) {
    switch (k) {
    case ReasonKind::EvidenceFailed:
        return "evidence_failed";
    case ReasonKind::EvidencePending:
        return "evidence_pending";
    case ReasonKind::EvidenceExpired:
        return "evidence_expired";
    case ReasonKind::EvidenceNotYetValid:
        return "evidence_not_yet_valid";
    case ReasonKind::EvidenceWithdrawn:
        return "evidence_withdrawn";
    case ReasonKind::EvidenceUnpinned:
        return "evidence_unpinned";
    case ReasonKind::ArtifactMissing:
        return "artifact_missing";
    case ReasonKind::ArtifactChanged:
        return "artifact_changed";
    case ReasonKind::ArtifactUnrecorded:
        return "artifact_unrecorded";
    case ReasonKind::ArtifactValue:
        return "artifact_value";
    case ReasonKind::ActiveDefeater:
        return "active_defeater";
    case ReasonKind::DefeaterUnknown:
        return "defeater_unknown";
    case ReasonKind::Undeveloped:
        return "undeveloped";
    case ReasonKind::Vacuous:
        return "vacuous_scope";
    case ReasonKind::CoverGap:
        return "cover_gap";
    case ReasonKind::PartitionOverlap:
        return "partition_overlap";
    case ReasonKind::DeductiveCountermodel:
        return "deductive_countermodel";
    case ReasonKind::NoFormal:
        return "no_formal_statement";
    case ReasonKind::RequirementNotMet:
        return "requirement_not_met";
    case ReasonKind::SolverUnknown:
        return "solver_unknown";
    case ReasonKind::RuleViolated:
        return "rule_violated";
    case ReasonKind::RuleUnknown:
        return "rule_unknown";
    case ReasonKind::RiskDemand:
        return "risk_demand_unmet";
    case ReasonKind::ResidualRisk:
        return "residual_risk";
    }
    return "?";
}

const char *obligation_kind_name(ObligationKind k) {
    switch (k) {
    case ObligationKind::NonVacuity:
        return "non_vacuity";
    case ObligationKind::Cover:
        return "cover";
    case ObligationKind::Partition:
        return "partition";
    case ObligationKind::Deductive:
        return "deductive";
    case ObligationKind::Requirement:
        return "requirement";
    }
    return "?";
}

std::string line_of(const support::SourceManager &sources, support::Span span) {
    if (!span.valid()) {
        return "?";
    }
    return sources.display_name(span.file) + ":" +
           std::to_string(sources.line_col(span.file, span.begin).line);
}

std::optional<sema::Date> parse_date(std::string_view s, int min_year) {
    // Digits where digits belong: sscanf("%4d") would also take a sign or a leading space.
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return std::nullopt;
    }
    for (std::size_t idx : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
        if (s[idx] < '0' || s[idx] > '9') {
            return std::nullopt;
        }
    }
    auto number = [&](std::size_t from, std::size_t len) {
        int v = 0;
        for (std::size_t idx = from; idx < from + len; ++idx) {
            v = v * 10 + (s[idx] - '0');
        }
        return v;
    };
    const int y = number(0, 4);
    const int m = number(5, 2);
    const int d = number(8, 2);
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < std::max(min_year, 1) || m < 1 || m > 12 || d < 1 ||
        d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) {
        return std::nullopt;
    }
    return sema::Date{y, m, d};
}

const char *result_name(sema::EvidenceResult r) {
    switch (r) {
    case sema::EvidenceResult::Pass:
        return "pass";
    case sema::EvidenceResult::Fail:
        return "fail";
    case sema::EvidenceResult::Pending:
        return "pending";
    }
    return "?";
}

const char *cmp_op_text(sema::CmpOp op) {
    switch (op) {
    case sema::CmpOp::Eq:
        return "==";
    case sema::CmpOp::Ne:
        return "!=";
    case sema::CmpOp::Lt:
        return "<";
    case sema::CmpOp::Le:
        return "<=";
    case sema::CmpOp::Gt:
        return ">";
    case sema::CmpOp::Ge:
        return ">=";
    }
    return "?";
}

bool satisfies(const support::Decimal &value, sema::CmpOp op, const support::Decimal &bound) {
    switch (op) {
    case sema::CmpOp::Eq:
        return value == bound;
    case sema::CmpOp::Ne:
        return value != bound;
    case sema::CmpOp::Lt:
        return value < bound;
    case sema::CmpOp::Le:
        return value <= bound;
    case sema::CmpOp::Gt:
        return value > bound;
    case sema::CmpOp::Ge:
        return value >= bound;
    }
    return false;
}

namespace {

/// value / divisor as a decimal when it is one (the divisor's only prime factors are 2 and 5):
/// value × 2^(k-a) × 5^(k-b) × 10^-k for divisor 2^a × 5^b, k = max(a, b).
std::optional<support::Decimal> exact_quotient(const support::Decimal &value,
                                               std::uint64_t divisor) {
    if (divisor == 0) {
        return std::nullopt;
    }
    std::uint64_t rest = divisor;
    int twos = 0;
    int fives = 0;
    for (; rest % 2 == 0; rest /= 2) {
        ++twos;
    }
    for (; rest % 5 == 0; rest /= 5) {
        ++fives;
    }
    if (rest != 1) {
        return std::nullopt;
    }
    const int k = std::max(twos, fives);
    support::Decimal factor(1);
    for (int i = twos; i < k; ++i) {
        factor = factor * support::Decimal(2);
    }
    for (int i = fives; i < k; ++i) {
        factor = factor * support::Decimal(5);
    }
    const auto shift = support::Decimal::parse("1e-" + std::to_string(k));
    return value * factor * *shift;
}

/// The pointer or column of a bound's selector, as written after `interval` or `stderr`.
std::string bound_text(const artifacts::Selector &s) {
    return support::quote_literal(s.format == artifacts::Format::Json ? s.pointer : s.column);
}

} // namespace

bool measurement_satisfies(const sema::Program &program, const ProofResult &result,
                           std::uint32_t evidence, std::uint32_t metric, sema::CmpOp op,
                           const support::Decimal &bound) {
    const sema::Metric &m = program.evidence[evidence].metrics[metric];
    if (m.read == sema::kNone) {
        return satisfies(m.value, op, bound);
    }
    const ReadOutcome &r = result.reads[m.read];
    if (r.state != ReadOutcome::State::Read) {
        return false;
    }
    if (r.low && r.high) {
        // Every value of the interval must satisfy the requirement.
        switch (op) {
        case sema::CmpOp::Ge:
        case sema::CmpOp::Gt:
            return satisfies(*r.low, op, bound);
        case sema::CmpOp::Le:
        case sema::CmpOp::Lt:
            return satisfies(*r.high, op, bound);
        case sema::CmpOp::Eq:
            return *r.low == bound && *r.high == bound;
        case sema::CmpOp::Ne:
            return bound < *r.low || bound > *r.high;
        }
        return false;
    }
    // A mean is value / divisor with divisor > 0: compare value with bound × divisor.
    const auto divisor = static_cast<std::int64_t>(r.value.divisor);
    return satisfies(r.value.value, op, divisor == 1 ? bound : bound * support::Decimal(divisor));
}

std::string measurement_text(const sema::Program &program, const ProofResult &result,
                             std::uint32_t evidence, std::uint32_t metric) {
    const sema::Metric &m = program.evidence[evidence].metrics[metric];
    if (m.read == sema::kNone) {
        return m.value_text;
    }
    const ReadOutcome &r = result.reads[m.read];
    if (r.state != ReadOutcome::State::Read) {
        return "-";
    }
    std::string text = read_value_text(r);
    if (r.low && r.high) {
        text += " [" + r.low->to_string() + ", " + r.high->to_string() + "]";
    }
    return text;
}

std::string read_value_text(const ReadOutcome &r) {
    if (r.state != ReadOutcome::State::Read) {
        return {};
    }
    if (const auto result = read_result(r)) {
        return result_name(*result);
    }
    if (const auto exact = exact_quotient(r.value.value, r.value.divisor)) {
        return exact->to_string();
    }
    return r.value.value.to_string() + "/" + std::to_string(r.value.divisor);
}

const char *evidence_result_text(const sema::Program &program, const ProofResult &result,
                                 std::uint32_t evidence) {
    const sema::EvidenceInfo &e = program.evidence[evidence];
    if (e.result_read == sema::kNone) {
        return result_name(e.result);
    }
    const auto read = read_result(result.reads[e.result_read]);
    return read ? result_name(*read) : "unread";
}

std::optional<sema::EvidenceResult> read_result(const ReadOutcome &r) {
    if (r.state != ReadOutcome::State::Read || !r.result) {
        return std::nullopt;
    }
    return *r.result == artifacts::Result::Pass   ? sema::EvidenceResult::Pass
           : *r.result == artifacts::Result::Fail ? sema::EvidenceResult::Fail
                                                  : sema::EvidenceResult::Pending;
}

std::string read_selector_text(const sema::ReadSpec &spec) {
    return spec.result && spec.selector.format == artifacts::Format::Junit
               ? std::string("junit")
               : spec.selector.describe();
}

std::string read_bound_text(const sema::ReadSpec &spec) {
    switch (spec.bound) {
    case sema::ReadSpec::Bound::None:
        break;
    case sema::ReadSpec::Bound::Interval:
        return "interval " + bound_text(spec.low) + " to " + bound_text(spec.high);
    case sema::ReadSpec::Bound::Stderr:
        return "stderr " + bound_text(spec.low) + " z " + spec.z.to_string();
    }
    return {};
}

std::string read_provenance(const sema::Program &program, const ProofResult &result,
                            std::uint32_t read) {
    const sema::ReadSpec &spec = program.reads[read];
    const ReadOutcome &r = result.reads[read];
    const std::uint32_t a = program.decl(spec.artifact).index;
    std::string text = program.qualified_name(spec.artifact) + " (" + result.artifacts[a].path;
    if (!r.sha256.empty()) {
        text += ", sha256 " + r.sha256;
    }
    text += ") " + read_selector_text(spec);
    if (const std::string bound = read_bound_text(spec); !bound.empty()) {
        text += " " + bound;
    }
    switch (r.state) {
    case ReadOutcome::State::Read:
        return text + ": " + r.text;
    case ReadOutcome::State::Failed:
        return text + ": not read: " + r.error;
    case ReadOutcome::State::NotRead:
        break;
    }
    return text + ": not read (the artifact is not verified)";
}

std::string obligation_purpose(const sema::Program &program, const ProofResult &result,
                               std::uint32_t ob) {
    const Obligation &o = result.obligations[ob];
    const std::string subject = program.qualified_name(o.subject);
    const sema::Decl &decl = program.decl(o.subject);
    auto parent = [&] { return program.qualified_name(program.strategies[decl.index].parent); };
    switch (o.kind) {
    case ObligationKind::NonVacuity:
        return "non-vacuity of claim " + subject +
               ": sat means its scope (with its assumptions) has an operating point";
    case ObligationKind::Cover:
        return "cover of strategy " + subject + " for " + parent() +
               ": sat means an operating point of the parent's scope that no sub-claim's scope "
               "contains";
    case ObligationKind::Partition:
        return "partition of strategy " + subject + ": sat means " + overlap_pair(program, o) +
               " overlap inside the parent's scope";
    case ObligationKind::Deductive:
        return "deductive step " + subject +
               ": sat means a countermodel, where the premises hold and " + parent() +
               "'s formal statement does not";
    case ObligationKind::Requirement: {
        const auto &req = program.claims[decl.index].requirements[o.index];
        return "requirement " + req.metric + " " + cmp_op_text(req.op) + " " + req.value_text +
               " of claim " + subject +
               ": sat means an operating point of the claim's scope that no satisfying "
               "measurement covers";
    }
    }
    return "?";
}

std::string relied_assumptions_text(const sema::Program &program,
                                    const support::SourceManager &sources,
                                    const ProofResult &result, DeclId claim) {
    const auto &relied = result.claims[program.decl(claim).index].relies_on;
    std::string out;
    for (std::uint32_t a : relied) {
        const auto &at = program.attachments[a];
        out += (out.empty() ? "" : ", ") + program.qualified_name(at.decl) + " (" +
               line_of(sources, program.decl(at.decl).name_span) + ")";
    }
    return out;
}

std::string obligation_note(const sema::Program &program, const support::SourceManager &sources,
                            const ProofResult &result, std::uint32_t ob, std::size_t idx) {
    const Note &n = result.obligations[ob].notes[idx];
    const std::string name = program.qualified_name(n.decl);
    const std::string at = " (" + line_of(sources, n.span) + ")";
    // A sub-claim of a logical step counts where the assumptions its support rests on hold.
    auto under = [&]() {
        const std::string list = relied_assumptions_text(program, sources, result, n.decl);
        return list.empty() ? std::string() : ", narrowed by the assumptions it rests on: " + list;
    };
    switch (n.kind) {
    case NoteKind::Scope:
        return "scope of " + name + at;
    case NoteKind::Assumption:
        return "assumption " + name + at;
    case NoteKind::OutsideScope:
        return "outside the scope of " + name + at + under();
    case NoteKind::Formal:
        return "formal statement of " + name + at;
    case NoteKind::FormalWithinScope:
        return "formal statement of " + name + ", within its scope" + at + under();
    case NoteKind::NegatedFormal:
        return "negated formal statement of " + name + at;
    case NoteKind::OutsideMeasurement: {
        const std::uint32_t ei = program.decl(n.decl).index;
        const auto &metric = program.evidence[ei].metrics[n.metric];
        return "outside the region where " + name + " measured " + metric.name + " = " +
               measurement_text(program, result, ei, n.metric) + at;
    }
    }
    return "?";
}

std::string obligation_assertion_name(const sema::Program &program, const ProofResult &result,
                                      std::uint32_t ob, std::size_t idx) {
    const Note &n = result.obligations[ob].notes[idx];
    const std::string name = program.decl(n.decl).name;
    switch (n.kind) {
    case NoteKind::Scope:
        return "scope_" + name;
    case NoteKind::Assumption:
        return "assumption_" + name;
    case NoteKind::OutsideScope:
        return "outside_scope_" + name;
    case NoteKind::Formal:
        return "formal_" + name;
    case NoteKind::FormalWithinScope:
        return "formal_within_scope_" + name;
    case NoteKind::NegatedFormal:
        return "negated_formal_" + name;
    case NoteKind::OutsideMeasurement: {
        const std::uint32_t ei = program.decl(n.decl).index;
        return "outside_measurement_" + name + "_" + program.evidence[ei].metrics[n.metric].name;
    }
    }
    return "a" + std::to_string(idx + 1);
}

std::vector<std::uint8_t> repeated_obligations(const ProofResult &result) {
    std::vector<std::uint8_t> repeated(result.obligations.size(), 0);
    std::unordered_set<std::string> seen;
    seen.reserve(result.obligations.size());
    const auto &model = result.constraints->model();
    for (std::size_t ob = 0; ob < result.obligations.size(); ++ob) {
        repeated[ob] =
            seen.insert(ir::query_key(model, result.batch->query(result.obligations[ob].query)))
                    .second
                ? 0
                : 1;
    }
    return repeated;
}

std::string obligation_answer_words(const ProofResult &result, std::uint32_t ob) {
    const Obligation &o = result.obligations[ob];
    const solver::Outcome &outcome = result.outcome(ob);
    if (outcome.verdict == solver::Verdict::Unknown) {
        return "the solver could not decide" + (outcome.unknown_reason.empty()
                                                    ? std::string()
                                                    : " (" + outcome.unknown_reason + ")");
    }
    const bool sat = outcome.verdict == solver::Verdict::Sat;
    switch (o.kind) {
    case ObligationKind::NonVacuity:
        return sat ? "an operating point exists" : "no operating point exists";
    case ObligationKind::Cover:
        return sat ? "an uncovered point exists" : "no uncovered point exists";
    case ObligationKind::Partition:
        return sat ? "a point in both exists" : "no point is in both";
    case ObligationKind::Deductive:
        return sat ? "a countermodel exists" : "no countermodel exists";
    case ObligationKind::Requirement:
        return sat ? "a point of the scope has no satisfying measurement"
                   : "every point of the scope has a satisfying measurement";
    }
    return "?";
}

std::string obligation_condition(const sema::Program &program,
                                 const support::SourceManager &sources, const ProofResult &result,
                                 std::uint32_t ob, std::size_t idx) {
    const Note &n = result.obligations[ob].notes[idx];
    const std::string name = program.qualified_name(n.decl);
    const std::string at = " (" + line_of(sources, n.span) + ")";
    auto under = [&]() {
        const std::string list = relied_assumptions_text(program, sources, result, n.decl);
        return list.empty() ? std::string() : ", where the assumptions it rests on hold: " + list;
    };
    switch (n.kind) {
    case NoteKind::Scope:
        return "in the scope of " + name + at;
    case NoteKind::Assumption:
        return "where the assumption " + name + " holds" + at;
    case NoteKind::OutsideScope:
        return "outside the scope of " + name + at + under();
    case NoteKind::Formal:
        return "where the formal statement of " + name + " holds" + at;
    case NoteKind::FormalWithinScope:
        return "where the formal statement of " + name + " holds within its scope" + at + under();
    case NoteKind::NegatedFormal:
        return "where the formal statement of " + name + " is false" + at;
    case NoteKind::OutsideMeasurement: {
        const std::uint32_t ei = program.decl(n.decl).index;
        const auto &metric = program.evidence[ei].metrics[n.metric];
        return "outside the operating points where " + name + " measured " + metric.name + " = " +
               measurement_text(program, result, ei, n.metric) + at;
    }
    }
    return "?";
}

ir::Query described_query(const sema::Program &program, const support::SourceManager &sources,
                          const ProofResult &result, std::uint32_t ob) {
    ir::Query q = result.batch->query(result.obligations[ob].query);
    q.purpose = obligation_purpose(program, result, ob);
    q.notes.clear();
    q.names.clear();
    for (std::size_t idx = 0; idx < result.obligations[ob].notes.size(); ++idx) {
        q.notes.push_back(obligation_note(program, sources, result, ob, idx));
        q.names.push_back(obligation_assertion_name(program, result, ob, idx));
    }
    return q;
}

std::optional<DeclId> find_decl(const sema::Program &program, const std::string &name,
                                sema::DeclKind kind, std::string &error) {
    std::vector<DeclId> found;
    for (std::uint32_t d = 0; d < program.decls.size(); ++d) {
        const sema::Decl &decl = program.decls[d];
        if (decl.kind == kind && (decl.name == name || program.qualified_name(DeclId{d}) == name)) {
            found.push_back(DeclId{d});
        }
    }
    if (found.size() == 1) {
        return found.front();
    }
    const std::string what = sema::kind_name(kind);
    if (found.empty()) {
        error = "no " + what + " named `" + name + "` in the case";
        for (std::uint32_t d = 0; d < program.decls.size(); ++d) {
            const sema::Decl &decl = program.decls[d];
            if (decl.name == name || program.qualified_name(DeclId{d}) == name) {
                error += " (" + program.qualified_name(DeclId{d}) + " is " +
                         sema::kind_phrase(decl.kind) + ")";
                break;
            }
        }
    } else {
        error = "`" + name + "` names several " + what + " declarations; qualify it:";
        for (auto d : found) {
            error += " " + program.qualified_name(d);
        }
    }
    return std::nullopt;
}

std::vector<DeclId> legs(const sema::Program &program, const ProofResult &result, DeclId d) {
    const sema::Decl &decl = program.decl(d);
    std::vector<DeclId> next;
    if (decl.kind == DeclKind::Claim) {
        const auto &c = program.claims[decl.index];
        if (!c.undeveloped) {
            next = c.supported_by;
            for (std::uint32_t s : result.strategies_of[decl.index]) {
                next.push_back(program.strategies[s].decl);
            }
            // A requirement that fails because its measurements' evidence is invalid leads on
            // to that evidence, even on a leg that holds otherwise.
            for (const auto &rr : result.claims[decl.index].requirements) {
                if (rr.status != Status::Supported) {
                    for (const Measurement &m : rr.rejected) {
                        next.push_back(m.evidence);
                    }
                }
            }
        }
    } else if (decl.kind == DeclKind::Strategy) {
        next = program.strategies[decl.index].supported_by;
    }
    return next;
}

std::vector<RootCause> root_causes(const sema::Program &program, const ProofResult &result,
                                   DeclId claim) {
    std::vector<RootCause> causes;
    std::vector<DeclId> stack{claim};
    std::unordered_set<std::uint32_t> seen{claim.value};
    auto visit = [&](DeclId d) {
        if (seen.insert(d.value).second) {
            stack.push_back(d);
        }
    };
    std::vector<DeclId> order;
    while (!stack.empty()) {
        const DeclId d = stack.back();
        stack.pop_back();
        order.push_back(d);
        if (result.status(d) == Status::Supported) {
            continue;
        }
        const std::vector<DeclId> next = legs(program, result, d);
        for (auto it = next.rbegin(); it != next.rend(); ++it) {
            if (result.status(*it) != Status::Supported) {
                visit(*it);
            }
        }
    }
    for (DeclId d : order) {
        for (const Reason &r : result.elements[d.value].reasons) {
            if (!r.derived) {
                causes.push_back({d, &r});
            }
        }
    }
    return causes;
}

} // namespace assure::prove
