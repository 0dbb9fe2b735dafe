// SPDX-License-Identifier: Apache-2.0
#include "monitor/monitor.hpp"

#include <algorithm>
#include <set>

namespace assure::monitor {

const char *envelope_name(Envelope e) {
    switch (e) {
    case Envelope::None:
        return "none";
    case Envelope::OutsideOdd:
        return "outside_odd";
    case Envelope::Unassured:
        return "unassured";
    case Envelope::Assured:
        return "assured";
    }
    return "none";
}

namespace {

/// Whether every variable of `vars` belongs to `domain`.
bool over(const sema::Program &program, const std::vector<ir::VarId> &vars, sema::DeclId domain) {
    return std::all_of(vars.begin(), vars.end(), [&](ir::VarId v) {
        return v < program.variables.size() && program.variables[v].domain == domain;
    });
}

} // namespace

Monitor::Monitor(const sema::Program &program, const support::SourceManager &sources,
                 prove::ProofResult &result, const MonitorSetup &setup)
    : program_(program), sources_(sources), setup_(setup), eval_(result.constraints->model()) {
    lower::ConstraintBuilder &cb = *result.constraints;
    std::set<std::uint32_t> required;
    auto need = [&](ir::TermId t) {
        for (ir::VarId v : eval_.variables(t)) {
            required.insert(v);
        }
    };

    // Assumptions with a formal statement over the domain, by attachment index.
    std::map<std::uint32_t, std::uint32_t> assumption_of;
    for (std::uint32_t ai = 0; ai < program.attachments.size(); ++ai) {
        const sema::AttachmentInfo &a = program.attachments[ai];
        if (a.kind != sema::AttachmentKind::Assumption || a.formal == sema::kNone) {
            continue;
        }
        const auto term = cb.expr(a.formal);
        if (!term || !over(program, eval_.variables(*term), setup.domain)) {
            continue;
        }
        MonitoredAssumption m;
        m.decl = a.decl;
        m.name = program.qualified_name(a.decl);
        m.condition = condition(*term);
        assumption_of.emplace(ai, static_cast<std::uint32_t>(assumptions_.size()));
        assumptions_.push_back(std::move(m));
        need(*term);
    }

    for (std::uint32_t ci = 0; ci < program.claims.size(); ++ci) {
        const sema::ClaimInfo &c = program.claims[ci];
        std::optional<ir::TermId> scope;
        if (c.scope) {
            if (c.scope->domain != setup.domain) {
                continue;
            }
            scope = cb.region(*c.scope);
            if (!scope) {
                continue;
            }
        }
        std::optional<ir::TermId> formal;
        if (c.formal != sema::kNone) {
            formal = cb.expr(c.formal);
            if (formal && (!over(program, eval_.variables(*formal), setup.domain) ||
                           (!c.scope && eval_.variables(*formal).empty()))) {
                formal.reset();
            }
        }
        if (!scope && !formal) {
            continue;
        }
        MonitoredClaim m;
        m.decl = c.decl;
        m.name = program.qualified_name(c.decl);
        m.title = c.title;
        m.status = result.status(c.decl);
        const prove::ClaimResult &cr = result.claims[ci];
        if (scope && cr.vacuity != sema::kNone) {
            m.empty_scope = result.outcome(cr.vacuity).verdict == solver::Verdict::Unsat;
        }
        if (scope) {
            m.scope = eval_.add(*scope);
            need(*scope);
            for (ir::TermId t : eval_.conjuncts(*scope)) {
                m.scope_conditions.push_back(condition(t));
            }
        }
        if (formal) {
            m.has_formal = true;
            m.formal = eval_.add(*formal);
            m.formal_vars = eval_.variables(*formal);
            need(*formal);
        }
        // The assumptions its support rests on (prove's relies_on) and its own.
        std::set<std::uint32_t> relied(cr.relies_on.begin(), cr.relies_on.end());
        for (std::uint32_t ai = 0; ai < program.attachments.size(); ++ai) {
            const auto &targets = program.attachments[ai].targets;
            if (std::find(targets.begin(), targets.end(), c.decl) != targets.end()) {
                relied.insert(ai);
            }
        }
        for (std::uint32_t ai : relied) {
            if (const auto it = assumption_of.find(ai); it != assumption_of.end()) {
                m.assumptions.push_back(it->second);
            }
        }
        m.assumptions_untracked = cr.relies_overflow;
        if (m.status != prove::Status::Supported) {
            for (const auto &rc : prove::root_causes(program, result, c.decl)) {
                const sema::Decl &d = program.decl(rc.element);
                m.causes.push_back(prove::line_of(sources, d.name_span) + ": " +
                                   sema::kind_name(d.kind) + " " +
                                   program.qualified_name(rc.element) + ": " + rc.reason->text);
            }
        }
        claims_.push_back(std::move(m));
    }

    if (setup.odd.valid()) {
        const auto term = cb.region(program.odds[program.decl(setup.odd).index].region);
        if (term) {
            odd_slot_ = eval_.add(*term);
            need(*term);
            for (ir::TermId t : eval_.conjuncts(*term)) {
                odd_conditions_.push_back(condition(t));
            }
        } else {
            setup_.odd = {};
        }
    }
    required_.assign(required.begin(), required.end());
}

std::uint32_t Monitor::condition(ir::TermId term) {
    if (const auto it = condition_of_.find(term); it != condition_of_.end()) {
        return it->second;
    }
    const ir::ConstraintModel &model = eval_.model();
    Condition c;
    c.slot = eval_.add(term);
    const support::Span span = model.terms[term].span;
    // As written, on one line: a condition may span lines in the case file.
    if (span.file == support::kNoFile) {
        c.text = "true";
    } else {
        for (char ch : sources_.text(span)) {
            const bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
            if (!space) {
                c.text += ch;
            } else if (!c.text.empty() && c.text.back() != ' ') {
                c.text += ' ';
            }
        }
    }
    c.location = span.file == support::kNoFile ? std::string() : prove::line_of(sources_, span);
    c.vars = eval_.variables(term);
    const auto idx = static_cast<std::uint32_t>(conditions_.size());
    conditions_.push_back(std::move(c));
    condition_of_.emplace(term, idx);
    return idx;
}

std::size_t Monitor::formal_count() const {
    return static_cast<std::size_t>(
        std::count_if(claims_.begin(), claims_.end(), [](const auto &c) { return c.has_formal; }));
}

Verdict Monitor::judge(const Record &record) {
    eval_.run(record.values);
    Verdict v;
    v.line = record.line;
    v.id = record.id;
    auto truth = [&](std::uint32_t slot) {
        return slot == UINT32_MAX ? Truth::True : eval_.truth(slot);
    };
    // The assumptions a claim relies on, together: False if one fails, else Unknown if one is.
    auto assumptions_truth = [&](const MonitoredClaim &c) {
        Truth t = Truth::True;
        for (std::uint32_t a : c.assumptions) {
            const Truth at = eval_.truth(conditions_[assumptions_[a].condition].slot);
            if (at == Truth::False) {
                return Truth::False;
            }
            if (at == Truth::Unknown) {
                t = Truth::Unknown;
            }
        }
        return t;
    };
    for (std::uint32_t ci = 0; ci < claims_.size(); ++ci) {
        const MonitoredClaim &c = claims_[ci];
        if (!c.has_formal) {
            continue;
        }
        const Truth f = eval_.truth(c.formal);
        if (f == Truth::True) {
            continue;
        }
        const Truth in = truth(c.scope);
        const Truth as = assumptions_truth(c);
        if (in == Truth::False || as == Truth::False) {
            continue;
        }
        // With assumptions the proof could not track (relies_overflow), one of them may be
        // false here: the record is undecided for the claim, never a violation.
        if (f == Truth::False && in == Truth::True && as == Truth::True &&
            !c.assumptions_untracked) {
            v.violations.push_back({ci});
        } else {
            v.undecided.push_back(ci);
        }
    }
    if (odd_slot_ == UINT32_MAX) {
        return v;
    }
    const Truth odd = eval_.truth(odd_slot_);
    if (odd != Truth::True) {
        for (std::uint32_t k : odd_conditions_) {
            if (eval_.truth(conditions_[k].slot) != Truth::True) {
                v.odd_failed.push_back(k);
            }
        }
        // A condition that divides by zero at the point leaves membership open: not assured.
        v.envelope = odd == Truth::False ? Envelope::OutsideOdd : Envelope::Unassured;
        return v;
    }
    // A claim the record violates, or leaves undecided, does not assure it.
    auto falsified = [&v](std::uint32_t ci) {
        return std::find_if(v.violations.begin(), v.violations.end(), [ci](const Violation &x) {
                   return x.claim == ci;
               }) != v.violations.end();
    };
    auto open = [&v](std::uint32_t ci) {
        return std::find(v.undecided.begin(), v.undecided.end(), ci) != v.undecided.end();
    };
    for (std::uint32_t ci = 0; ci < claims_.size(); ++ci) {
        const MonitoredClaim &c = claims_[ci];
        if (c.status == prove::Status::Supported && !c.empty_scope &&
            truth(c.scope) == Truth::True && assumptions_truth(c) == Truth::True &&
            !c.assumptions_untracked && !falsified(ci) && !open(ci)) {
            v.assured_by.push_back(ci);
        }
    }
    if (!v.assured_by.empty()) {
        v.envelope = Envelope::Assured;
        return v;
    }
    v.envelope = Envelope::Unassured;
    // The nearest claim: first the most specific claim whose scope contains the point (the most
    // scope conditions; why it does not assure it), else the claim whose scope the point misses
    // by the fewest conditions.
    std::optional<std::uint32_t> containing;
    for (std::uint32_t ci = 0; ci < claims_.size(); ++ci) {
        const MonitoredClaim &c = claims_[ci];
        if (!c.empty_scope && truth(c.scope) == Truth::True &&
            (!containing ||
             c.scope_conditions.size() > claims_[*containing].scope_conditions.size())) {
            containing = ci;
        }
    }
    if (containing) {
        const std::uint32_t ci = *containing;
        const MonitoredClaim &c = claims_[ci];
        Nearest n;
        n.claim = ci;
        if (c.status != prove::Status::Supported) {
            n.why = Nearest::Why::Unsupported;
        } else if (falsified(ci) || open(ci)) {
            n.why = falsified(ci) ? Nearest::Why::Violated : Nearest::Why::Undecided;
        } else {
            n.why = assumptions_truth(c) == Truth::False ? Nearest::Why::AssumptionFails
                                                         : Nearest::Why::AssumptionUnknown;
            for (std::uint32_t a : c.assumptions) {
                if (eval_.truth(conditions_[assumptions_[a].condition].slot) != Truth::True) {
                    n.missed.push_back(assumptions_[a].condition);
                }
            }
        }
        v.nearest = std::move(n);
        return v;
    }
    std::optional<Nearest> best;
    bool best_supported = false;
    for (std::uint32_t ci = 0; ci < claims_.size(); ++ci) {
        const MonitoredClaim &c = claims_[ci];
        if (c.empty_scope || c.scope == UINT32_MAX) {
            continue;
        }
        Nearest n;
        n.claim = ci;
        n.why = Nearest::Why::OutsideScope;
        for (std::uint32_t k : c.scope_conditions) {
            if (eval_.truth(conditions_[k].slot) != Truth::True) {
                n.missed.push_back(k);
            }
        }
        const bool supported = c.status == prove::Status::Supported;
        if (!best || n.missed.size() < best->missed.size() ||
            (n.missed.size() == best->missed.size() && supported && !best_supported)) {
            best = std::move(n);
            best_supported = supported;
        }
    }
    v.nearest = std::move(best);
    return v;
}

std::optional<MonitorSetup> choose_setup(const sema::Program &program,
                                         const std::string &domain_name,
                                         const std::string &odd_name, std::string &error) {
    auto odds_of = [&](sema::DeclId domain) {
        std::vector<sema::DeclId> out;
        for (const auto &o : program.odds) {
            if (o.region.domain == domain) {
                out.push_back(o.decl);
            }
        }
        return out;
    };
    MonitorSetup setup;
    if (!domain_name.empty()) {
        const auto d = prove::find_decl(program, domain_name, sema::DeclKind::Domain, error);
        if (!d) {
            return std::nullopt;
        }
        setup.domain = *d;
    } else {
        // The one domain that claims' formal statements are over; else the one an odd is over.
        std::set<sema::DeclId> formal_domains;
        for (const auto &c : program.claims) {
            if (c.formal == sema::kNone) {
                continue;
            }
            if (c.scope && c.scope->domain.valid()) {
                formal_domains.insert(c.scope->domain);
            }
        }
        std::set<sema::DeclId> odd_domains;
        for (const auto &o : program.odds) {
            if (o.region.domain.valid() &&
                program.modules[program.decl(o.decl).module].is_stdlib == false) {
                odd_domains.insert(o.region.domain);
            }
        }
        const auto &pick = !formal_domains.empty() ? formal_domains : odd_domains;
        if (pick.size() != 1) {
            std::string names;
            for (sema::DeclId d : pick) {
                names += (names.empty() ? "" : ", ") + program.qualified_name(d);
            }
            error = pick.empty()
                        ? "no claim has a formal statement over a domain and no odd is declared: "
                          "nothing to monitor"
                        : "several domains could be monitored (" + names +
                              "): name one with --domain or the mapping's \"domain\"";
            return std::nullopt;
        }
        setup.domain = *pick.begin();
    }
    if (!odd_name.empty()) {
        const auto o = prove::find_decl(program, odd_name, sema::DeclKind::Odd, error);
        if (!o) {
            return std::nullopt;
        }
        if (program.odds[program.decl(*o).index].region.domain != setup.domain) {
            error = "odd " + program.qualified_name(*o) + " is not over domain " +
                    program.qualified_name(setup.domain);
            return std::nullopt;
        }
        setup.odd = *o;
    } else {
        const auto odds = odds_of(setup.domain);
        if (odds.size() == 1) {
            setup.odd = odds[0];
        } else if (odds.size() > 1) {
            std::string names;
            for (sema::DeclId d : odds) {
                names += (names.empty() ? "" : ", ") + program.qualified_name(d);
            }
            error = "domain " + program.qualified_name(setup.domain) + " has several odds (" +
                    names +
                    "): name the one to judge operating points against with --odd or the "
                    "mapping's \"odd\"";
            return std::nullopt;
        }
    }
    return setup;
}

} // namespace assure::monitor
