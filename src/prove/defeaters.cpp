// SPDX-License-Identifier: Apache-2.0
#include "prove/defeaters.hpp"

#include "support/assert.hpp"

namespace assure::prove {

namespace {

std::string names(const sema::Program &program, const ProofResult &result,
                  const std::vector<DeclId> &list, bool with_state) {
    std::string out;
    for (std::size_t k = 0; k < list.size(); ++k) {
        out += (k == 0                 ? ""
                : k + 1 == list.size() ? " and "
                                       : ", ") +
               program.qualified_name(list[k]);
        if (with_state) {
            out += " (" +
                   std::string(
                       element_status_name(program.decl(list[k]).kind, result.status(list[k]))) +
                   ")";
        }
    }
    return out;
}

} // namespace

const char *defeater_why_name(DefeaterWhy w) {
    switch (w) {
    case DefeaterWhy::Withdrawn:
        return "withdrawn";
    case DefeaterWhy::Resolved:
        return "resolved";
    case DefeaterWhy::Defeated:
        return "defeated";
    case DefeaterWhy::Open:
        return "open";
    case DefeaterWhy::ResolutionFails:
        return "resolution_fails";
    case DefeaterWhy::ResolutionUnknown:
        return "resolution_unknown";
    case DefeaterWhy::DefeatUnknown:
        return "defeat_unknown";
    }
    return "?";
}

const char *defeater_relation_name(sema::DefeaterRelation r) {
    switch (r) {
    case sema::DefeaterRelation::Rebuts:
        return "rebuts";
    case sema::DefeaterRelation::Undercuts:
        return "undercuts";
    case sema::DefeaterRelation::Undermines:
        return "undermines";
    case sema::DefeaterRelation::Defeats:
        return "defeats";
    }
    return "?";
}

const char *defeater_status_name(sema::DefeaterStatus s) {
    switch (s) {
    case sema::DefeaterStatus::Open:
        return "open";
    case sema::DefeaterStatus::Resolved:
        return "resolved";
    case sema::DefeaterStatus::Withdrawn:
        return "withdrawn";
    }
    return "?";
}

std::vector<std::vector<std::uint32_t>> defeaters_by_target(const sema::Program &program) {
    std::vector<std::vector<std::uint32_t>> by(program.decls.size());
    for (std::uint32_t di = 0; di < program.defeaters.size(); ++di) {
        const DeclId t = program.defeaters[di].target;
        if (t.valid()) {
            by[t.value].push_back(di);
        }
    }
    return by;
}

std::vector<DefeaterAccount> defeater_accounts(const sema::Program &program,
                                               const ProofResult &result) {
    const auto attackers = defeaters_by_target(program);
    std::vector<DefeaterAccount> out(program.defeaters.size());
    for (std::uint32_t di = 0; di < program.defeaters.size(); ++di) {
        const auto &df = program.defeaters[di];
        DefeaterAccount &a = out[di];
        a.activity = result.defeaters[di];
        a.status = di < result.defeater_status.size() ? result.defeater_status[di] : df.status;
        for (DeclId r : df.resolved_by) {
            a.resolved_by.push_back({r, result.status(r)});
        }
        // The same Kleene logic as the proof (prove.cpp, `defeater`), read back from its answers.
        std::vector<DeclId> active_defeaters;
        std::vector<DeclId> unknown_defeaters;
        for (std::uint32_t other : attackers[df.decl.value]) {
            if (program.defeaters[other].relation != sema::DefeaterRelation::Defeats) {
                continue;
            }
            if (result.defeaters[other] == Activity::Active) {
                active_defeaters.push_back(program.defeaters[other].decl);
            } else if (result.defeaters[other] == Activity::Unknown) {
                unknown_defeaters.push_back(program.defeaters[other].decl);
            }
        }
        const bool marked = a.status == sema::DefeaterStatus::Resolved;
        Status resolvers = Status::Supported;
        std::vector<DeclId> failing; // resolvers that do not hold (or are unknown)
        for (const auto &r : a.resolved_by) {
            resolvers = worst(resolvers, r.status);
            if (r.status != Status::Supported) {
                failing.push_back(r.element);
            }
        }
        const bool resolved = marked && !df.resolved_by.empty() && resolvers == Status::Supported;
        if (a.status == sema::DefeaterStatus::Withdrawn) {
            a.why = DefeaterWhy::Withdrawn;
            a.text = "inactive: withdrawn";
        } else if (resolved) {
            a.why = DefeaterWhy::Resolved;
            a.text = "inactive: resolved by " + names(program, result, df.resolved_by, true);
        } else if (!active_defeaters.empty()) {
            a.why = DefeaterWhy::Defeated;
            a.defeated_by = active_defeaters;
            a.text = "inactive: defeated by " + names(program, result, active_defeaters, false) +
                     (active_defeaters.size() == 1 ? ", which is active" : ", which are active");
        } else if (marked && !df.resolved_by.empty() && resolvers == Status::Unknown) {
            a.why = DefeaterWhy::ResolutionUnknown;
            a.text = "unknown: marked resolved, but whether " +
                     names(program, result, failing, false) +
                     (failing.size() == 1 ? " holds" : " hold") + " is unknown";
        } else if (!unknown_defeaters.empty()) {
            a.why = DefeaterWhy::DefeatUnknown;
            a.defeated_by = unknown_defeaters;
            a.text = "unknown: whether " + names(program, result, unknown_defeaters, false) +
                     " (which " + (unknown_defeaters.size() == 1 ? "defeats" : "defeat") + " it) " +
                     (unknown_defeaters.size() == 1 ? "is" : "are") + " active is unknown";
        } else if (marked && !df.resolved_by.empty()) {
            a.why = DefeaterWhy::ResolutionFails;
            a.text = "active: marked resolved, but " + names(program, result, failing, true) +
                     (failing.size() == 1 ? " does not hold" : " do not hold");
        } else {
            a.why = DefeaterWhy::Open;
            a.text = marked ? "active: marked resolved, but it names no `resolved_by:` element, "
                              "and nothing defeats it"
                            : "active: open, and nothing defeats it";
        }
        const Activity implied =
            a.why == DefeaterWhy::Withdrawn || a.why == DefeaterWhy::Resolved ||
                    a.why == DefeaterWhy::Defeated
                ? Activity::Inactive
            : a.why == DefeaterWhy::Open || a.why == DefeaterWhy::ResolutionFails
                ? Activity::Active
                : Activity::Unknown;
        ASSURE_ASSERT(implied == a.activity, "a defeater's account disagrees with its activity");
    }
    return out;
}

} // namespace assure::prove
