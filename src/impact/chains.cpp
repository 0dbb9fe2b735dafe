// SPDX-License-Identifier: Apache-2.0
// The chain from a failing claim down to a root cause of its failure.
#include "impact/impact.hpp"

#include <algorithm>
#include <unordered_map>

namespace assure::impact {

using prove::Status;

std::vector<DeclId> failure_chain(const sema::Program &program, const prove::ProofResult &result,
                                  DeclId claim) {
    const auto causes = prove::root_causes(program, result, claim);
    if (causes.empty() || causes.front().element == claim) {
        return {claim};
    }
    const DeclId target = causes.front().element;
    // Breadth first over failing legs, so the chain is a shortest one; iterative.
    std::unordered_map<std::uint32_t, DeclId> parent{{claim.value, DeclId{}}};
    std::vector<DeclId> frontier{claim};
    bool found = false;
    while (!frontier.empty() && !found) {
        std::vector<DeclId> next_frontier;
        for (DeclId at : frontier) {
            for (DeclId d : prove::legs(program, result, at)) {
                if (result.status(d) == Status::Supported || !parent.emplace(d.value, at).second) {
                    continue;
                }
                if (d == target) {
                    found = true;
                    break;
                }
                next_frontier.push_back(d);
            }
            if (found) {
                break;
            }
        }
        frontier = std::move(next_frontier);
    }
    if (!found) {
        return {claim, target}; // reached otherwise than through supporters
    }
    std::vector<DeclId> chain;
    for (DeclId d = target; d.valid(); d = parent.at(d.value)) {
        chain.push_back(d);
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
}

FailureChains::FailureChains(const sema::Program &program, const prove::ProofResult &result,
                             std::size_t keep)
    : program_(program), result_(result), keep_(std::max<std::size_t>(keep, 1)),
      next_(program.decls.size()), length_(program.decls.size(), 0), base_(program.decls.size(), 0),
      tail_(program.decls.size()), causeless_(program.decls.size(), false) {}

DeclId FailureChains::single_leg(DeclId at) const {
    const auto &reasons = result_.elements[at.value].reasons;
    if (std::any_of(reasons.begin(), reasons.end(),
                    [](const prove::Reason &r) { return !r.derived; })) {
        return {}; // a root cause is here: the chain is this element alone
    }
    DeclId one;
    for (DeclId d : prove::legs(program_, result_, at)) {
        if (result_.status(d) != Status::Supported) {
            if (one.valid() && one != d) {
                return {}; // several failing legs: failure_chain decides
            }
            one = d;
        }
    }
    return one;
}

void FailureChains::measure(DeclId claim) {
    // An element with no root cause of its own and one failing leg has that leg's chain,
    // prefixed with itself (root_causes walks the leg's part of the argument alone, and the
    // shortest path to its first cause starts with the leg): those links are followed down to
    // an element whose chain failure_chain gives (one of its own, or of several legs), then
    // measured on the way back up. Each element is measured once.
    std::vector<DeclId> path;
    std::set<std::uint32_t> on_path; // the argument is acyclic; this only guards the loop
    DeclId at = claim;
    while (length_[at.value] == 0) {
        const DeclId next = on_path.insert(at.value).second ? single_leg(at) : DeclId{};
        if (!next.valid() || on_path.count(next.value) != 0) {
            base_[at.value] = bases_.size();
            const auto &reasons = result_.elements[at.value].reasons;
            bases_.push_back(std::any_of(reasons.begin(), reasons.end(),
                                         [](const prove::Reason &r) { return !r.derived; })
                                 ? std::vector<DeclId>{at}
                                 : failure_chain(program_, result_, at));
            const std::size_t size = bases_.back().size();
            causeless_[at.value] =
                size == 1 && !std::any_of(reasons.begin(), reasons.end(),
                                          [](const prove::Reason &r) { return !r.derived; });
            length_[at.value] = size;
            tail_[at.value] = {at, size <= keep_ ? 0 : size - keep_};
            break;
        }
        next_[at.value] = next;
        path.push_back(at);
        at = next;
    }
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const std::uint32_t d = it->value;
        const DeclId next = next_[d];
        if (causeless_[next.value]) { // no cause below: failure_chain gives the claim alone
            next_[d] = {};
            causeless_[d] = true;
            base_[d] = bases_.size();
            bases_.push_back({*it});
            length_[d] = 1;
            tail_[d] = {*it, 0};
            continue;
        }
        length_[d] = length_[next.value] + 1;
        tail_[d] = length_[d] <= keep_ ? Position{*it, kLink} : tail_[next.value];
    }
}

std::vector<DeclId> FailureChains::from(Position p, std::size_t count) const {
    std::vector<DeclId> out;
    DeclId at = p.element;
    std::size_t index = p.index;
    while (out.size() < count) {
        if (index == kLink) {
            if (next_[at.value].valid()) {
                out.push_back(at);
                at = next_[at.value];
                continue;
            }
            index = 0; // a chain of its own, which starts with itself
        }
        const auto &chain = bases_[base_[at.value]];
        if (index >= chain.size()) {
            break;
        }
        out.push_back(chain[index++]);
    }
    return out;
}

FailureChains::Ends FailureChains::ends(DeclId claim) {
    measure(claim);
    Ends out;
    const std::size_t length = length_[claim.value];
    if (length <= 2 * keep_ + 1) {
        out.head = from({claim, kLink}, length);
        return out;
    }
    out.head = from({claim, kLink}, keep_);
    out.omitted = length - 2 * keep_;
    out.tail = from(tail_[claim.value], keep_);
    return out;
}

} // namespace assure::impact
