// SPDX-License-Identifier: Apache-2.0
#include "impact/lock.hpp"
#include "report/ci/ci.hpp"
#include "support/sha256.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace assure::report::ci {

using prove::Status;
using sema::DeclId;

// ---- paths -----------------------------------------------------------------------------------

namespace {

/// `path` made absolute (against the working folder) and normalised, symbolic links of the
/// part that exists resolved, so that it compares with the root however it was written.
std::filesystem::path canonical(const std::string &path) {
    std::error_code ec;
    auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
    if (ec) {
        return std::filesystem::absolute(path).lexically_normal();
    }
    return p;
}

} // namespace

Locator::Locator(const support::SourceManager &sources, std::string root)
    : sources_(sources), root_(canonical(root).string()) {}

std::string Locator::relative(const std::string &path) const {
    const std::filesystem::path abs = canonical(path);
    const std::filesystem::path rel = abs.lexically_relative(root_);
    if (rel.empty() || *rel.begin() == "..") {
        return abs.generic_string(); // outside the root: absolute, never a guess
    }
    return rel.generic_string();
}

std::string Locator::path_of(support::FileId file) const {
    if (const auto it = paths_.find(file); it != paths_.end()) {
        return it->second;
    }
    std::string disk = sources_.disk_path(file);
    if (disk.empty()) {
        // A pattern's expansion (or body) is text placed at the pattern's lines in the file
        // that declares it, whose display name it shares.
        const std::string &display = sources_.display_name(file);
        for (support::FileId f = 0; f < sources_.size() && disk.empty(); ++f) {
            if (sources_.expansion(f) == nullptr && !sources_.disk_path(f).empty() &&
                sources_.display_name(f) == display) {
                disk = sources_.disk_path(f);
            }
        }
        // A buffer of the command line (`<command line>`) is no file; a lockfile read into a
        // buffer is named by its path.
        if (disk.empty() && sources_.expansion(file) == nullptr && !display.empty() &&
            display.front() != '<') {
            disk = display;
        }
    }
    std::string path = disk.empty() ? std::string() : relative(disk);
    paths_.emplace(file, path);
    return path;
}

Location Locator::at(support::Span span) const {
    Location loc;
    if (!span.valid() || span.file >= sources_.size()) {
        return loc;
    }
    loc.path = path_of(span.file);
    if (loc.path.empty()) {
        return loc;
    }
    const auto lc = sources_.line_col(span.file, span.begin);
    loc.line = lc.line;
    loc.column = lc.column;
    return loc;
}

// ---- rule ids --------------------------------------------------------------------------------

namespace {

struct RuleText {
    const char *id;
    const char *summary;
};

/// The findings that are not diagnostics (docs/diagnostics.md, "Findings in CI outputs").
constexpr RuleText kFindingRules[] = {
    {"evidence_failed", "evidence whose result is fail"},
    {"evidence_pending", "evidence whose result is still pending"},
    {"evidence_expired", "evidence past its valid_until date"},
    {"evidence_not_yet_valid", "evidence dated after the date it is judged at"},
    {"evidence_withdrawn", "evidence that was withdrawn"},
    {"evidence_unpinned", "with --require-artifacts: evidence resting on no pinned artifact"},
    {"artifact_missing", "an artifact whose file is missing or unreadable"},
    {"artifact_changed", "an artifact whose file no longer has its recorded sha256"},
    {"artifact_unrecorded", "an artifact with no recorded sha256"},
    {"artifact_value", "a value or result that cannot be read from an artifact"},
    {"active_defeater", "a defeater that is active"},
    {"defeater_unknown", "a defeater whose activity is unknown"},
    {"undeveloped", "a claim marked undeveloped"},
    {"vacuous_scope", "a claim whose scope no operating point satisfies"},
    {"cover_gap", "an operating point of a parent's scope that no sub-claim's scope covers"},
    {"partition_overlap", "sub-claims of a partition whose scopes overlap"},
    {"deductive_countermodel", "a deductive step whose sub-claims do not imply the parent"},
    {"no_formal_statement", "a deductive step whose parent has no formal statement"},
    {"requirement_not_met", "a metric requirement that no valid measurement meets"},
    {"solver_unknown", "a solver query that came back unknown"},
    {"rule_violated", "a rule of the case that is violated"},
    {"rule_unknown", "a rule instance the solver could not decide"},
    {"risk_demand_unmet",
     "a demand of a hazard's risk level that a mitigating claim does not meet"},
    {"residual_risk", "a hazard whose residual risk is above the matrix's acceptance level"},
    {"support_lost", "impact: a claim that was supported before the change and is not after it"},
    {"evidence_invalidated",
     "impact: evidence something relies on that was valid before the change and is not after it"},
    {"reverify", "impact: evidence of the minimum re-verification set"},
};

/// What identifies a finding from one run to the next: not its line, which moves with edits
/// above it, unless nothing else tells it apart (a diagnostic names no element).
std::string fingerprint_key(const Finding &f) {
    std::string key = f.rule + '\n' + f.element + '\n' + f.message + '\n' + f.location.path;
    if (f.element.empty()) {
        key += '\n' + std::to_string(f.location.line) + ':' + std::to_string(f.location.column);
    }
    return key;
}

std::string plural(std::size_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "A, B and 3 more": a list in a sentence, cut after `keep` names.
std::string name_list(const std::vector<std::string> &names, std::size_t keep = 5) {
    std::string s;
    for (std::size_t k = 0; k < names.size() && k < keep; ++k) {
        s += (k == 0 ? "" : ", ") + names[k];
    }
    if (names.size() > keep) {
        s += " and " + std::to_string(names.size() - keep) + " more";
    }
    return s;
}

Finding diagnostic_finding(const support::Diagnostic &d, const Locator &locator) {
    const auto &info = support::info(d.code);
    Finding f;
    f.rule = std::string(info.id);
    f.level = d.severity == support::Severity::Error ? Level::Error : Level::Warning;
    f.title = std::string(info.id) + " " + std::string(info.name);
    f.message = d.message;
    if (!d.help.empty()) {
        f.message += " (help: " + d.help + ")";
    }
    f.location = locator.at(d.span);
    for (const auto &note : d.notes) {
        if (const Location loc = locator.at(note.span); loc.valid()) {
            f.related.push_back({loc, note.message});
        }
    }
    return f;
}

/// Orders findings most important first: errors, definite failures, unknowns, warnings,
/// notes; each group in the order built (declaration order of what they concern).
void order(std::vector<Finding> &findings) {
    auto rank = [](const Finding &f) {
        switch (f.level) {
        case Level::Error:
            return f.unknown ? 1 : 0;
        case Level::Warning:
            return f.unknown ? 1 : 2;
        case Level::Note:
            return 3;
        }
        return 3;
    };
    std::stable_sort(findings.begin(), findings.end(),
                     [&](const Finding &a, const Finding &b) { return rank(a) < rank(b); });
    // Consumers keep one issue per fingerprint: two findings that say exactly the same thing
    // are told apart by their order.
    std::map<std::string, std::size_t> seen;
    for (auto &f : findings) {
        std::string key = fingerprint_key(f);
        const std::size_t n = seen[key]++;
        if (n != 0) {
            key += "\n#" + std::to_string(n);
        }
        f.fingerprint = support::sha256_hex(key);
    }
}

/// Collects root causes of failing claims, each (element, reason) once, with the top claims
/// it fails.
class Causes {
  public:
    Causes(const sema::Program &program, const prove::ProofResult &result, const Locator &locator)
        : program_(program), result_(result), locator_(locator) {}

    /// Adds the root causes of `claim`; returns their lines for a test case's body.
    std::vector<std::string> add(DeclId claim) {
        std::vector<std::string> lines;
        const std::string top = program_.qualified_name(claim);
        for (const auto &rc : prove::root_causes(program_, result_, claim)) {
            const sema::Decl &d = program_.decl(rc.element);
            const std::string name = program_.qualified_name(rc.element);
            const Location loc = locator_.at(d.name_span);
            std::string line = std::string(prove::reason_name(rc.reason->kind)) + ": " +
                               sema::kind_name(d.kind) + " " + name + ": " + rc.reason->text;
            if (loc.valid()) {
                line += " (" + loc.path + ":" + std::to_string(loc.line) + ")";
            }
            lines.push_back(line);
            const auto [it, fresh] = index_.try_emplace(rc.reason, findings_.size());
            if (fresh) {
                Finding f;
                f.rule = prove::reason_name(rc.reason->kind);
                f.unknown = rc.reason->status == Status::Unknown;
                f.level = f.unknown ? Level::Warning : Level::Error;
                f.element = name;
                f.title = f.rule + ": " + name;
                f.message =
                    std::string(sema::kind_name(d.kind)) + " " + name + ": " + rc.reason->text;
                f.location = loc;
                if (rc.reason->other.valid()) {
                    const Location other = locator_.at(program_.decl(rc.reason->other).name_span);
                    if (other.valid()) {
                        f.related.push_back(
                            {other,
                             std::string(sema::kind_name(program_.decl(rc.reason->other).kind)) +
                                 " " + program_.qualified_name(rc.reason->other)});
                    }
                }
                findings_.push_back(std::move(f));
            }
            auto &claims = findings_[it->second].claims;
            if (claims.empty() || claims.back() != top) {
                claims.push_back(top);
            }
        }
        return lines;
    }

    /// The findings, each message ending with the top claims it fails.
    std::vector<Finding> take() {
        for (auto &f : findings_) {
            if (!f.claims.empty()) {
                f.message += f.unknown ? " (leaves unknown: " : " (fails: ";
                f.message += name_list(f.claims) + ")";
            }
        }
        return std::move(findings_);
    }

  private:
    const sema::Program &program_;
    const prove::ProofResult &result_;
    const Locator &locator_;
    std::map<const prove::Reason *, std::size_t> index_;
    std::vector<Finding> findings_;
};

TestCase::Outcome outcome_of(Status s) {
    switch (s) {
    case Status::Supported:
        return TestCase::Outcome::Pass;
    case Status::Unknown:
        return TestCase::Outcome::Error;
    case Status::Undeveloped:
    case Status::Unsupported:
        return TestCase::Outcome::Failure;
    }
    return TestCase::Outcome::Error;
}

/// Lines that may be as many as the case is large are cut: the first and last ones stay.
void cut(std::vector<std::string> &lines, std::size_t keep = 50) {
    if (lines.size() <= 2 * keep + 1) {
        return;
    }
    const std::size_t omitted = lines.size() - 2 * keep;
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(keep),
                lines.end() - static_cast<std::ptrdiff_t>(keep));
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(keep),
                 "... " + std::to_string(omitted) + " more (--format json lists them all) ...");
}

/// The rules and rated hazards of a proof as test cases.
void rule_and_hazard_tests(const sema::Program &program, const prove::ProofResult &result,
                           const Locator &locator, std::vector<TestCase> &tests) {
    for (std::uint32_t ri = 0; ri < result.rules.size(); ++ri) {
        const auto &rule = program.rules[ri];
        const auto &r = result.rules[ri];
        TestCase t;
        t.suite = "rules";
        t.name = program.qualified_name(rule.decl);
        t.location = locator.at(program.decl(rule.decl).name_span);
        auto describe = [&](const prove::RuleViolation &v) {
            std::string s;
            for (const auto &b : v.bindings) {
                s += (s.empty() ? "" : ", ") + b.var + " = " + program.qualified_name(b.element);
            }
            if (s.empty()) {
                s = "the rule as a whole";
            }
            if (!v.unknown.empty()) {
                s += " (undecided: " + v.unknown + ")";
            }
            std::vector<std::string> fails;
            for (DeclId c : v.affected) {
                fails.push_back(program.qualified_name(c));
            }
            s += fails.empty() ? "; fails no top claim" : "; fails " + name_list(fails);
            return s;
        };
        for (const auto &v : r.violations) {
            t.details.push_back("violated: " + describe(v));
        }
        for (const auto &v : r.undecided) {
            t.details.push_back("undecided: " + describe(v));
        }
        cut(t.details);
        if (r.holds) {
            t.type = "holds";
            t.message = rule.title;
        } else if (!r.violations.empty()) {
            t.outcome = TestCase::Outcome::Failure;
            t.type = "violated";
            t.message = plural(r.violations.size(), "violation", "violations") + ": " + rule.title;
        } else {
            t.outcome = TestCase::Outcome::Error;
            t.type = "unknown";
            t.message = plural(r.undecided.size(), "undecided instance", "undecided instances") +
                        ": " + rule.title;
        }
        tests.push_back(std::move(t));
    }
    for (std::uint32_t h = 0; h < result.hazards.size(); ++h) {
        const auto &risk = result.hazards[h];
        if (!risk.rated) {
            continue;
        }
        const auto &hz = program.hazards[h];
        TestCase t;
        t.suite = "hazards";
        t.name = program.qualified_name(hz.decl);
        t.location = locator.at(program.decl(hz.decl).name_span);
        bool certain = false;
        for (const auto &f : risk.findings) {
            certain = certain || f.status != Status::Unknown;
            std::vector<std::string> fails;
            for (DeclId c : f.affected) {
                fails.push_back(program.qualified_name(c));
            }
            t.details.push_back(f.text +
                                (f.status == Status::Unknown ? "; leaves unknown " : "; fails ") +
                                name_list(fails));
        }
        cut(t.details);
        std::string level;
        if (risk.level != sema::kNone) {
            const auto &mx = program.matrices[program.decl(hz.matrix).index];
            const auto &levels = program.scales[mx.levels].values;
            level = "risk " + levels[risk.level];
            if (risk.residual != sema::kNone && risk.step > 0) {
                level += " -> " + levels[risk.residual];
            }
            if (mx.accept) {
                level += ", accept " + levels[*mx.accept];
            }
        }
        if (risk.findings.empty()) {
            t.type = "ok";
            t.message = level.empty() ? hz.title : level + ": " + hz.title;
        } else {
            t.outcome = certain ? TestCase::Outcome::Failure : TestCase::Outcome::Error;
            t.type = certain ? "short" : "unknown";
            t.message = plural(risk.findings.size(), "finding", "findings") +
                        (level.empty() ? "" : " (" + level + ")") + ": " + hz.title;
        }
        tests.push_back(std::move(t));
    }
}

void add_diagnostics(const support::Diagnostics &diags, const Locator &locator, Report &report) {
    for (const auto &d : diags.all()) {
        report.findings.push_back(diagnostic_finding(d, locator));
        (d.severity == support::Severity::Error ? report.errors : report.warnings) += 1;
    }
}

void put_meta(Report &report, const char *command, const ProofMeta &meta) {
    report.command = command;
    report.assure_version = meta.assure_version;
    report.z3_version = meta.z3_version;
    report.date_source = meta.date_source;
}

} // namespace

std::string rule_summary(const std::string &rule) {
    for (const auto &info : support::all_codes()) {
        if (info.id == rule) {
            return std::string(info.summary);
        }
    }
    for (const auto &r : kFindingRules) {
        if (rule == r.id) {
            return r.summary;
        }
    }
    return {};
}

Report from_prove(const sema::Program &program, const prove::ProofResult &result,
                  const ProofMeta &meta, const Locator &locator, const support::Diagnostics &diags,
                  const Locator &diag_locator) {
    Report report;
    put_meta(report, "prove", meta);
    report.date = prove::format_date(result.date);
    report.exit_code = proof_exit_code(result);
    add_diagnostics(diags, diag_locator, report);
    Causes causes(program, result, locator);
    std::size_t counts[4] = {0, 0, 0, 0};
    for (DeclId c : result.top_claims) {
        const Status s = result.status(c);
        ++counts[static_cast<int>(s)];
        ClaimRow row;
        row.name = program.qualified_name(c);
        row.title = program.claims[program.decl(c).index].title;
        row.verdict = prove::verdict_name(s);
        row.location = locator.at(program.decl(c).name_span);
        TestCase t;
        t.suite = "top claims";
        t.name = row.name;
        t.outcome = outcome_of(s);
        t.type = row.verdict;
        t.location = row.location;
        if (s == Status::Supported) {
            t.message = row.title;
        } else {
            t.details = causes.add(c);
            t.message = row.verdict + ": " + plural(t.details.size(), "root cause", "root causes") +
                        ": " + row.title;
            cut(t.details);
        }
        report.top.push_back(std::move(row));
        report.tests.push_back(std::move(t));
    }
    rule_and_hazard_tests(program, result, locator, report.tests);
    for (auto &f : causes.take()) {
        report.findings.push_back(std::move(f));
    }
    order(report.findings);
    const std::size_t total = result.top_claims.size();
    report.headline = std::to_string(counts[0]) + " of " +
                      plural(total, "top claim", "top claims") + " supported";
    const char *names[4] = {"supported", "unknown", "undeveloped", "unsupported"};
    for (int k : {3, 2, 1}) {
        if (counts[k] != 0) {
            report.headline += ", " + std::to_string(counts[k]) + " " + names[k];
        }
    }
    return report;
}

Report from_impact(const sema::Program &program, const impact::Impact &result,
                   const impact::Baseline &before, const ImpactInput &input, const ProofMeta &meta,
                   const Locator &locator, const support::Diagnostics &diags,
                   const Locator &diag_locator) {
    Report report;
    put_meta(report, "impact", meta);
    report.date = prove::format_date(result.after.date);
    report.exit_code = impact_exit_code(result);
    add_diagnostics(diags, diag_locator, report);
    ImpactPart part;
    for (const auto &c : input.detected) {
        part.changes.push_back(impact::describe(c));
    }
    for (const auto &c : input.changes) {
        part.changes.push_back(c.spec);
    }
    const prove::ProofResult &after = result.after;
    const std::set<DeclId> lost(result.lost.begin(), result.lost.end());
    const std::set<DeclId> lost_top(result.lost_top.begin(), result.lost_top.end());
    auto verdict_before = [&](DeclId d) -> std::string {
        const auto it = before.claims.find(program.qualified_name(d));
        return it == before.claims.end() ? std::string() : prove::verdict_name(it->second);
    };
    impact::FailureChains chains(program, after);
    auto chain_text = [&](DeclId c) {
        const auto ends = chains.ends(c);
        std::string s;
        for (DeclId d : ends.head) {
            s += (s.empty() ? "" : " <- ") + program.qualified_name(d);
        }
        if (ends.omitted != 0) {
            s += " <- ... " + std::to_string(ends.omitted) + " more ...";
        }
        for (DeclId d : ends.tail) {
            s += " <- " + program.qualified_name(d);
        }
        return s;
    };

    // The gate first: what a reviewer reads first.
    TestCase gate;
    gate.suite = "gate";
    gate.name = "gate";
    gate.outcome = report.exit_code == 5   ? TestCase::Outcome::Failure
                   : report.exit_code == 3 ? TestCase::Outcome::Error
                                           : TestCase::Outcome::Pass;
    gate.type = report.exit_code == 5 ? "lost" : report.exit_code == 3 ? "unknown" : "kept";
    report.tests.push_back(gate); // completed below

    Causes causes(program, after, locator);
    for (DeclId c : after.top_claims) {
        const Status s = after.status(c);
        ClaimRow row;
        row.name = program.qualified_name(c);
        row.title = program.claims[program.decl(c).index].title;
        row.verdict = prove::verdict_name(s);
        row.before = verdict_before(c);
        row.location = locator.at(program.decl(c).name_span);
        TestCase t;
        t.suite = "top claims";
        t.name = row.name;
        t.type = row.verdict;
        t.location = row.location;
        if (lost_top.count(c) != 0) {
            t.outcome = outcome_of(s);
            t.details = causes.add(c);
            t.message = "lost support: " + row.before + " -> " + row.verdict + ": " + row.title;
            cut(t.details);
        } else if (s != Status::Supported) {
            // Not lost by the change, and not supported either: neither a pass nor the change's
            // failure.
            t.outcome = TestCase::Outcome::Skipped;
            t.message = (row.before.empty() ? std::string("new") : row.before) + " -> " +
                        row.verdict + " (not a loss of this change): " + row.title;
        } else {
            t.message = (row.before.empty() ? std::string("new") : row.before) + " -> " +
                        row.verdict + ": " + row.title;
        }
        report.top.push_back(std::move(row));
        report.tests.push_back(std::move(t));
    }
    // Lost claims: the top ones first (they lead the report), then the others.
    std::vector<DeclId> lost_order(result.lost_top.begin(), result.lost_top.end());
    for (DeclId c : result.lost) {
        if (lost_top.count(c) == 0) {
            lost_order.push_back(c);
        }
    }
    std::vector<Finding> losses;
    for (DeclId c : lost_order) {
        const Status s = after.status(c);
        ClaimRow row;
        row.name = program.qualified_name(c);
        row.title = program.claims[program.decl(c).index].title;
        row.verdict = prove::verdict_name(s);
        row.before = "supported";
        row.chain = chain_text(c);
        row.location = locator.at(program.decl(c).name_span);
        if (lost_top.count(c) == 0) {
            TestCase t;
            t.suite = "lost claims";
            t.name = row.name;
            t.outcome = outcome_of(s);
            t.type = row.verdict;
            t.message = "lost support: supported -> " + row.verdict + ": " + row.title;
            t.details.push_back(row.chain);
            t.location = row.location;
            report.tests.push_back(std::move(t));
        }
        Finding f;
        f.rule = "support_lost";
        f.unknown = s == Status::Unknown;
        f.level = f.unknown ? Level::Warning : Level::Error;
        f.element = row.name;
        f.title = "support_lost: " + row.name;
        f.message = std::string(lost_top.count(c) != 0 ? "top claim " : "claim ") + row.name +
                    " was supported and is now " + row.verdict + ": " + row.chain;
        f.location = row.location;
        losses.push_back(std::move(f));
        part.lost.push_back(std::move(row));
    }
    part.lost_top = result.lost_top.size();
    auto reasons_text = [&](DeclId d) {
        std::string s;
        for (const auto &r : after.elements[d.value].reasons) {
            s += (s.empty() ? "" : "; ") + r.text;
        }
        return s;
    };
    const std::set<DeclId> relied(result.invalidated_relied.begin(),
                                  result.invalidated_relied.end());
    for (DeclId e : result.invalidated_relied) {
        const std::string name = program.qualified_name(e);
        part.invalidated.push_back(name + ": " + reasons_text(e));
        TestCase t;
        t.suite = "invalidated evidence";
        t.name = name;
        t.outcome = outcome_of(after.status(e));
        t.type = prove::evidence_status_name(after.status(e));
        t.message = "relied on, now " + t.type + ": " + reasons_text(e);
        t.location = locator.at(program.decl(e).name_span);
        report.tests.push_back(t);
        Finding f;
        f.rule = "evidence_invalidated";
        f.unknown = after.status(e) == Status::Unknown;
        f.level = f.unknown ? Level::Warning : Level::Error;
        f.element = name;
        f.title = "evidence_invalidated: " + name;
        f.message = "evidence " + name + " is relied on and no longer valid: " + reasons_text(e);
        f.location = t.location;
        losses.push_back(std::move(f));
    }
    for (DeclId e : result.invalidated) {
        if (relied.count(e) == 0) {
            part.invalidated.push_back(program.qualified_name(e) + ": " + reasons_text(e) +
                                       " (nothing relies on it)");
        }
    }
    const impact::Plan &p = result.plan;
    switch (p.state) {
    case impact::Plan::State::None:
        part.plan_state = "none";
        break;
    case impact::Plan::State::Found:
        part.plan_state = "found";
        break;
    case impact::Plan::State::Infeasible:
        part.plan_state = "infeasible";
        break;
    case impact::Plan::State::Unknown:
        part.plan_state = "unknown";
        break;
    }
    part.plan_cost = p.cost.to_string();
    part.plan_optimal = p.optimal;
    part.plan_verified = p.verified;
    part.plan_note = p.note;
    part.restorable = result.restorable.size();
    std::vector<Finding> plan_findings;
    if (p.state == impact::Plan::State::Found) {
        for (DeclId e : p.evidence) {
            ImpactPart::PlanItem item{program.qualified_name(e),
                                      impact::cost_of(program, e).to_string(),
                                      locator.at(program.decl(e).name_span)};
            Finding f;
            f.rule = "reverify";
            f.level = Level::Note;
            f.element = item.name;
            f.title = "reverify: " + item.name;
            f.message = "re-verify evidence " + item.name + " (cost " + item.cost +
                        "): part of the minimum re-verification set (" +
                        (p.optimal ? "proved minimal" : "not proved minimal") + ", total cost " +
                        part.plan_cost + ")";
            f.location = item.location;
            plan_findings.push_back(std::move(f));
            part.plan.push_back(std::move(item));
        }
    }
    for (DeclId c : result.unrestorable) {
        part.unrestorable.push_back(program.qualified_name(c));
    }

    // The gate's own line and body.
    TestCase &g = report.tests.front();
    std::string what =
        plural(result.lost_top.size(), "top claim", "top claims") + " and " +
        plural(result.lost.size(), "claim", "claims") + " in all lose support, " +
        plural(result.invalidated_relied.size(), "relied-on piece", "relied-on pieces") +
        " of evidence invalidated";
    g.message = what;
    for (const auto &row : part.lost) {
        g.details.push_back(row.name + " is now " + row.verdict + ": " + row.chain);
    }
    for (const auto &line : part.invalidated) {
        g.details.push_back("invalidated: " + line);
    }
    if (p.state == impact::Plan::State::Found) {
        std::string plan = "re-verify (total cost " + part.plan_cost +
                           (p.optimal ? ", proved minimal" : ", not proved minimal") + "):";
        for (const auto &item : part.plan) {
            plan += " " + item.name;
        }
        g.details.push_back(plan);
    } else if (p.state != impact::Plan::State::None) {
        g.details.push_back("re-verification plan: " + part.plan_state +
                            (p.note.empty() ? "" : " (" + p.note + ")"));
    }
    cut(g.details);

    for (auto &f : losses) {
        report.findings.push_back(std::move(f));
    }
    for (auto &f : causes.take()) {
        report.findings.push_back(std::move(f));
    }
    for (auto &f : plan_findings) {
        report.findings.push_back(std::move(f));
    }
    order(report.findings);
    report.headline = report.exit_code == 0   ? "nothing lost: " + what
                      : report.exit_code == 3 ? "losses to unknown only: " + what
                                              : what;
    report.impact = std::move(part);
    return report;
}

Report from_input_errors(const std::string &command, const ProofMeta &meta,
                         const support::Diagnostics &diags, const Locator &locator) {
    Report report;
    report.command = command;
    report.assure_version = meta.assure_version;
    report.z3_version = meta.z3_version;
    report.exit_code = 1;
    report.input_errors = true;
    add_diagnostics(diags, locator, report);
    order(report.findings);
    TestCase t;
    t.suite = "case";
    t.name = "case";
    t.outcome = TestCase::Outcome::Error;
    t.type = "input_errors";
    t.message = "the case has " + plural(report.errors, "error", "errors") + ", so nothing was " +
                (command == "impact" ? "compared" : "proved");
    for (const auto &f : report.findings) {
        if (f.level != Level::Error) {
            continue;
        }
        std::string line = f.rule + ": " + f.message;
        if (f.location.valid()) {
            line += " (" + f.location.path + ":" + std::to_string(f.location.line) + ")";
        }
        t.details.push_back(line);
    }
    cut(t.details);
    report.tests.push_back(std::move(t));
    report.headline = "input errors: " + report.tests.front().message;
    return report;
}

} // namespace assure::report::ci
