// SPDX-License-Identifier: Apache-2.0
#include "prove/risk.hpp"

#include "prove/cases.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace assure::prove {

using sema::DeclKind;

namespace {

/// Whether `pool` holds `n` pairwise independent pieces of evidence; nullopt when the search
/// exceeds its budget (then the demand is undecided, never taken as met).
class LinesSearch {
  public:
    LinesSearch(const ArgumentIndex &index, const std::vector<DeclId> &pool)
        : ev_(index), pool_(pool) {}

    std::optional<bool> find(std::uint32_t n) {
        if (n <= 1) {
            return pool_.size() >= n;
        }
        bool found = false;
        std::uint64_t budget = kBudget;
        const bool complete = for_each_line_set(ev_, pool_, n, budget, [&](const auto &) {
            found = true;
            return false;
        });
        if (found) {
            return true;
        }
        return complete ? std::optional<bool>(false) : std::nullopt;
    }

    /// The largest number found pairwise independent (a greedy lower bound, for messages).
    std::uint32_t greedy() const {
        std::vector<DeclId> chosen;
        for (DeclId e : pool_) {
            if (std::all_of(chosen.begin(), chosen.end(),
                            [&](DeclId c) { return ev_.independent(c, e); })) {
                chosen.push_back(e);
            }
        }
        return static_cast<std::uint32_t>(chosen.size());
    }

  private:
    static constexpr std::uint64_t kBudget = 1'000'000;

    const ArgumentIndex &ev_;
    const std::vector<DeclId> &pool_;
};

} // namespace

std::uint32_t residual_level(const sema::Program &program, const sema::HazardInfo &hz,
                             std::uint32_t step) {
    if (!hz.matrix.valid() || !hz.severity || !hz.likelihood) {
        return kNone;
    }
    const auto &mx = program.matrices[program.decl(hz.matrix).index];
    const std::size_t cols = program.scales[mx.columns].values.size();
    const std::uint32_t lik = hz.likelihood->value >= step ? hz.likelihood->value - step : 0;
    const std::size_t at = hz.severity->value * cols + lik;
    return at < mx.cells.size() ? mx.cells[at] : kNone;
}

bool residual_acceptable(const sema::Program &program, const sema::HazardInfo &hz,
                         std::uint32_t step) {
    const std::uint32_t level = residual_level(program, hz, step);
    if (level == kNone || !hz.matrix.valid()) {
        return false;
    }
    const auto &accept = program.matrices[program.decl(hz.matrix).index].accept;
    return accept && level <= *accept;
}

namespace {

/// "producer \"Ben\"", or "no producer named" (team, department likewise).
std::string party_text(const sema::EvidenceInfo &e, sema::Independence degree) {
    const char *who = degree == sema::Independence::Person ? "producer"
                      : degree == sema::Independence::Team ? "team"
                                                           : "department";
    const std::string &p = party(e, degree);
    return p.empty() ? std::string("no ") + who + " named" : std::string(who) + " \"" + p + "\"";
}

/// What an `independent_review` demand misses under `claim`, whose valid evidence is `pool`:
/// nothing when some review there names its party and every other piece names another one;
/// else which case it is - no valid review at all, or each review and what it is not
/// independent of.
std::optional<std::string> review_unmet(const sema::Program &program, ArgumentIndex &ev,
                                        DeclId claim, const std::vector<DeclId> &pool,
                                        sema::Independence degree) {
    auto info = [&](DeclId e) -> const sema::EvidenceInfo & {
        return program.evidence[program.decl(e).index];
    };
    auto name = [&](DeclId d) { return program.qualified_name(d); };
    std::vector<DeclId> reviews;
    for (DeclId r : pool) {
        if (info(r).kind != sema::EvidenceKind::Review) {
            continue;
        }
        const bool independent =
            !party(info(r), degree).empty() && std::all_of(pool.begin(), pool.end(), [&](DeclId e) {
                return e == r || review_independent_of(info(r), info(e), degree);
            });
        if (independent) {
            return std::nullopt;
        }
        reviews.push_back(r);
    }
    const char *who = degree == sema::Independence::Person ? "producer"
                      : degree == sema::Independence::Team ? "team"
                                                           : "department";
    std::string text = "an independent review (valid evidence of kind review whose named " +
                       std::string(who) + " differs from the named " + who +
                       " of every other piece): ";
    if (reviews.empty()) {
        text += "no valid evidence of kind review under " + name(claim);
        std::vector<DeclId> invalid; // reviews under the claim that are not valid
        for (DeclId e : ev.below(claim)) {
            if (program.decl(e).kind == DeclKind::Evidence &&
                info(e).kind == sema::EvidenceKind::Review &&
                std::find(pool.begin(), pool.end(), e) == pool.end()) {
                invalid.push_back(e);
            }
        }
        if (!invalid.empty()) {
            text += " (not valid: " +
                    support::join_elided(
                        invalid.size(), [&](std::size_t i) { return name(invalid[i]); }, ", ") +
                    ")";
        }
        return text;
    }
    text += support::join_elided(
        reviews.size(),
        [&](std::size_t i) {
            const DeclId r = reviews[i];
            if (party(info(r), degree).empty()) {
                return "the review " + name(r) + " names no " + who;
            }
            std::vector<DeclId> against;
            for (DeclId e : pool) {
                if (e != r && !review_independent_of(info(r), info(e), degree)) {
                    against.push_back(e);
                }
            }
            return "the review " + name(r) + " (" + party_text(info(r), degree) +
                   ") is not independent of: " +
                   support::join_elided(
                       against.size(),
                       [&](std::size_t j) {
                           const auto &e = info(against[j]);
                           return name(against[j]) + " (" +
                                  (party(e, degree).empty()
                                       ? party_text(e, degree)
                                       : party_text(e, degree) + ", the same") +
                                  ")";
                       },
                       ", ");
        },
        "; ");
    return text;
}

} // namespace

std::vector<HazardRisk> evaluate_risk(const sema::Program &program, ArgumentIndex &ev,
                                      const Overrides &overrides, const ProofResult &result,
                                      const sema::Date &date) {
    std::vector<HazardRisk> out(program.hazards.size());
    const std::vector<bool> is_top = top_flags(program, result.top_claims);
    // A finding under no top claim fails every top claim of the hazard's case(s) only.
    const std::vector<Case> cases = cases_of(program);
    std::vector<std::optional<std::vector<DeclId>>> case_tops(program.modules.size());
    auto tops_of = [&](DeclId d) -> const std::vector<DeclId> & {
        const std::uint32_t m = program.decl(d).module;
        if (cases.size() == 1) {
            return result.top_claims;
        }
        if (!case_tops[m]) {
            case_tops[m] = tops_sharing_case(program, cases, result.top_claims, m);
        }
        return *case_tops[m];
    };
    std::vector<bool> seen(program.decls.size(), false);
    const long today = days_from_civil(date);
    auto name = [&](DeclId d) { return program.qualified_name(d); };
    for (std::uint32_t h = 0; h < program.hazards.size(); ++h) {
        const auto &hz = program.hazards[h];
        HazardRisk &risk = out[h];
        risk.mitigations = ev.mitigators(h);
        if (!hz.matrix.valid() || !hz.severity || !hz.likelihood) {
            continue;
        }
        const auto &mx = program.matrices[program.decl(hz.matrix).index];
        if (mx.cells.empty() || mx.levels == sema::kNone) {
            continue;
        }
        const auto &levels = program.scales[mx.levels].values;
        risk.rated = true;
        risk.level = residual_level(program, hz, 0);
        if (risk.level == kNone) {
            continue;
        }
        const std::string level_text = levels[risk.level] + " on " + name(hz.matrix);

        // The demands of its level, claim by claim.
        const auto demand = std::find_if(mx.demands.begin(), mx.demands.end(),
                                         [&](const auto &d) { return d.level == risk.level; });
        // What a demand misses over a pool of valid evidence; `undecided` when a search gave up.
        auto unmet_over = [&](DeclId c, const std::vector<DeclId> &pool, bool &undecided) {
            std::vector<std::string> unmet;
            if (demand->lines > 1 || (demand->lines == 1 && pool.empty())) {
                LinesSearch search(ev, pool);
                const auto found = search.find(demand->lines);
                if (!found) {
                    undecided = true;
                    unmet.push_back(std::to_string(demand->lines) +
                                    " independent lines of valid evidence (undecided: the "
                                    "search over " +
                                    std::to_string(pool.size()) + " pieces gave up)");
                } else if (!*found) {
                    unmet.push_back(std::to_string(demand->lines) +
                                    " independent lines of valid evidence (found " +
                                    std::to_string(search.greedy()) + ")");
                }
            }
            for (sema::EvidenceKind k : demand->kinds) {
                const bool has = std::any_of(pool.begin(), pool.end(), [&](DeclId e) {
                    return program.evidence[program.decl(e).index].kind == k;
                });
                if (!has) {
                    unmet.push_back(
                        "valid evidence of kind " +
                        std::string(sema::evidence_kind_words()[static_cast<std::size_t>(k) - 1]));
                }
            }
            if (demand->review != sema::Independence::None) {
                if (auto missing = review_unmet(program, ev, c, pool, demand->review)) {
                    unmet.push_back(std::move(*missing));
                }
            }
            if (demand->max_age) {
                std::vector<std::string> stale;
                for (DeclId e : pool) {
                    if (overrides.reverified.count(program.decl(e).index) != 0) {
                        continue; // re-verified: produced again, today
                    }
                    const auto d = evidence_date(program, overrides, program.decl(e).index);
                    if (!d || today - days_from_civil(*d) > static_cast<long>(*demand->max_age)) {
                        stale.push_back(name(e) +
                                        (d ? " (" + format_date(*d) + ")" : " (undated)"));
                    }
                }
                if (!stale.empty()) {
                    std::string list;
                    for (std::size_t i = 0; i < stale.size() && i < 3; ++i) {
                        list += (i == 0 ? "" : ", ") + stale[i];
                    }
                    if (stale.size() > 3) {
                        list += ", and " + std::to_string(stale.size() - 3) + " more";
                    }
                    unmet.push_back("evidence at most " + std::to_string(*demand->max_age) +
                                    " days old (older: " + list + ")");
                }
            }
            return unmet;
        };
        for (DeclId c : risk.mitigations) {
            if (demand == mx.demands.end()) {
                break;
            }
            std::vector<DeclId> pool;  // valid evidence under the claim
            std::vector<DeclId> maybe; // and evidence whose validity is unknown
            for (DeclId e : ev.below(c)) {
                if (program.decl(e).kind != DeclKind::Evidence) {
                    continue;
                }
                if (result.status(e) == Status::Supported) {
                    pool.push_back(e);
                    maybe.push_back(e);
                } else if (result.status(e) == Status::Unknown) {
                    maybe.push_back(e);
                }
            }
            bool undecided = false;
            std::vector<std::string> unmet = unmet_over(c, pool, undecided);
            if (unmet.empty()) {
                continue;
            }
            Status status = Status::Unsupported;
            if (undecided && unmet.size() == 1) {
                status = Status::Unknown;
            }
            bool depends_on_unknown = false;
            if (maybe.size() > pool.size()) {
                // Unknown stays unknown: were the evidence of unknown validity valid, the demand
                // might be met, so it is undecided, never unmet.
                bool maybe_undecided = false;
                const auto unmet_maybe = unmet_over(c, maybe, maybe_undecided);
                depends_on_unknown =
                    unmet_maybe.empty() || (maybe_undecided && unmet_maybe.size() == 1);
                if (depends_on_unknown) {
                    status = Status::Unknown;
                }
            }
            std::string text = name(c) + " mitigates " + name(hz.decl) + ", whose risk is " +
                               level_text + "; that level demands under it ";
            for (std::size_t i = 0; i < unmet.size(); ++i) {
                text += (i == 0 ? "" : "; ") + unmet[i];
            }
            if (depends_on_unknown) {
                text += " (undecided: evidence under it whose validity is unknown might meet it)";
            }
            risk.findings.push_back({RiskFinding::Kind::DemandUnmet, status, c, std::move(text),
                                     tops_above(ev, {c}, is_top, tops_of(c), seen), false});
        }

        // The residual risk.
        std::vector<DeclId> supported;
        std::uint32_t unknown_step = 0; // the step were every unknown mitigation supported
        for (DeclId c : risk.mitigations) {
            const std::uint32_t lowers = program.claims[program.decl(c).index].lowers_likelihood;
            if (result.status(c) == Status::Supported) {
                supported.push_back(c);
                risk.step = std::max(risk.step, lowers);
            } else if (result.status(c) == Status::Unknown) {
                unknown_step = std::max(unknown_step, lowers);
            }
        }
        risk.supported = supported;
        risk.residual_likelihood =
            hz.likelihood->value >= risk.step ? hz.likelihood->value - risk.step : 0;
        risk.residual = residual_level(program, hz, risk.step);
        if (!mx.accept || risk.residual == kNone || risk.residual <= *mx.accept) {
            continue;
        }
        const auto &liks = program.scales[mx.columns].values;
        std::string text = "the residual risk of " + name(hz.decl) + " is " +
                           levels[risk.residual] + " (" +
                           program.scales[mx.rows].values[hz.severity->value] + ", " +
                           liks[risk.residual_likelihood];
        if (risk.step == 0) {
            text += supported.empty() ? ": no supported claim mitigates it"
                                      : ": its supported mitigations lower its likelihood by no "
                                        "step";
        } else {
            text += ": likelihood " + liks[hz.likelihood->value] + " lowered by " +
                    std::to_string(risk.step) + (risk.step == 1 ? " step" : " steps");
        }
        text += "), above the acceptance level " + levels[*mx.accept] + " of " + name(hz.matrix);
        std::uint32_t possible = 0; // the step were every mitigation supported
        for (DeclId c : risk.mitigations) {
            possible = std::max(possible, program.claims[program.decl(c).index].lowers_likelihood);
        }
        const bool derived = possible > risk.step && residual_acceptable(program, hz, possible);
        // Unknown stays unknown: a mitigation the solver could not decide might lower it enough.
        const bool undecided =
            unknown_step > risk.step && residual_acceptable(program, hz, unknown_step);
        if (undecided) {
            text += "; undecided: mitigations whose support is unknown might lower it enough";
        } else if (derived) {
            text += "; its unsupported mitigations would lower it enough";
        }
        risk.findings.push_back(
            {RiskFinding::Kind::ResidualRisk, undecided ? Status::Unknown : Status::Unsupported,
             DeclId{}, std::move(text),
             tops_above(ev, risk.mitigations, is_top, tops_of(hz.decl), seen), derived});
    }
    return out;
}

} // namespace assure::prove
