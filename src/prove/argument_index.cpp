// SPDX-License-Identifier: Apache-2.0
#include "prove/argument_index.hpp"

#include <algorithm>

namespace assure::prove {

ArgumentIndex::ArgumentIndex(const sema::Program &prog, const std::vector<bool> *modules)
    : prog_(prog) {
    auto inside = [&](DeclId d) {
        return d.valid() && (modules == nullptr || (*modules)[prog.decl(d).module]);
    };
    auto link_inside = [&](DeclId from, DeclId to) {
        if (inside(from) && inside(to)) {
            link(from, to);
        }
    };
    supporters_.resize(prog.decls.size());
    users_.resize(prog.decls.size());
    for (const auto &c : prog.claims) {
        for (DeclId s : c.supported_by) {
            link_inside(s, c.decl);
        }
    }
    for (const auto &s : prog.strategies) {
        if (s.parent.valid()) {
            link_inside(s.decl, s.parent);
        }
        for (DeclId sup : s.supported_by) {
            link_inside(sup, s.decl);
        }
    }
    mitigators_.resize(prog.hazards.size());
    for (const auto &c : prog.claims) {
        for (DeclId h : c.mitigates) {
            if (inside(h) && inside(c.decl)) {
                mitigators_[prog.decl(h).index].push_back(c.decl);
            }
        }
    }
    for (auto &list : mitigators_) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    for (auto *lists : {&supporters_, &users_}) {
        for (auto &list : *lists) {
            std::sort(list.begin(), list.end());
            list.erase(std::unique(list.begin(), list.end()), list.end());
        }
    }
}

const std::vector<DeclId> &ArgumentIndex::below(DeclId d) {
    auto [it, fresh] = below_.try_emplace(d.value);
    if (fresh) {
        std::vector<bool> seen(prog_.decls.size(), false);
        std::vector<DeclId> stack(supporters_[d.value].begin(), supporters_[d.value].end());
        while (!stack.empty()) {
            const DeclId x = stack.back();
            stack.pop_back();
            if (seen[x.value]) {
                continue;
            }
            seen[x.value] = true;
            it->second.push_back(x);
            for (DeclId s : supporters_[x.value]) {
                stack.push_back(s);
            }
        }
        std::sort(it->second.begin(), it->second.end());
    }
    return it->second;
}

bool ArgumentIndex::independent(DeclId x, DeclId y) const {
    if (x == y) {
        return false;
    }
    const auto &ex = prog_.evidence[prog_.decl(x).index];
    const auto &ey = prog_.evidence[prog_.decl(y).index];
    for (DeclId art : ex.artifacts) {
        if (std::find(ey.artifacts.begin(), ey.artifacts.end(), art) != ey.artifacts.end()) {
            return false;
        }
    }
    auto declared = [](const sema::EvidenceInfo &from, DeclId to) {
        return std::find(from.independent_of.begin(), from.independent_of.end(), to) !=
               from.independent_of.end();
    };
    if (declared(ex, y) || declared(ey, x)) {
        return true;
    }
    return !ex.producer.empty() && !ey.producer.empty() && ex.producer != ey.producer;
}

void ArgumentIndex::link(DeclId from, DeclId to) {
    if (from.valid() && to.valid()) {
        supporters_[to.value].push_back(from);
        users_[from.value].push_back(to);
    }
}

std::vector<DeclId> tops_above(const ArgumentIndex &index, std::vector<DeclId> anchors,
                               const std::vector<bool> &is_top,
                               const std::vector<DeclId> &top_claims, std::vector<bool> &seen) {
    std::vector<DeclId> out;
    std::vector<DeclId> visited;
    while (!anchors.empty()) {
        const DeclId d = anchors.back();
        anchors.pop_back();
        if (!d.valid() || seen[d.value]) {
            continue;
        }
        seen[d.value] = true;
        visited.push_back(d);
        if (is_top[d.value]) {
            out.push_back(d);
        }
        for (DeclId u : index.users(d)) {
            anchors.push_back(u);
        }
    }
    for (DeclId d : visited) {
        seen[d.value] = false;
    }
    if (out.empty()) {
        out = top_claims;
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool for_each_line_set(const ArgumentIndex &index, const std::vector<DeclId> &pool, std::uint32_t n,
                       std::uint64_t &budget,
                       const std::function<bool(const std::vector<DeclId> &)> &visit) {
    // Depth-first over the sets in lexicographic order, with an explicit stack: `next` holds,
    // for each piece chosen and one more, where the search for the following piece goes on
    // (a set of N lines would otherwise be N nested calls).
    std::vector<DeclId> chosen;
    std::vector<std::size_t> next{0};
    auto back_up = [&] { // the innermost choice is done with
        next.pop_back();
        if (!next.empty()) {
            chosen.pop_back();
        }
    };
    while (!next.empty()) {
        if (chosen.size() == n) {
            if (!visit(chosen)) {
                return true; // stopped by `visit`
            }
            back_up();
            continue;
        }
        const std::size_t i = next.back();
        if (i >= pool.size()) {
            back_up();
            continue;
        }
        if (budget == 0) {
            return false;
        }
        --budget;
        if (pool.size() - i < n - chosen.size()) {
            back_up(); // too few pieces left for a set
            continue;
        }
        next.back() = i + 1;
        if (std::all_of(chosen.begin(), chosen.end(),
                        [&](DeclId c) { return index.independent(c, pool[i]); })) {
            chosen.push_back(pool[i]);
            next.push_back(i + 1);
        }
    }
    return true;
}

std::vector<bool> top_flags(const sema::Program &program, const std::vector<DeclId> &tops) {
    std::vector<bool> is_top(program.decls.size(), false);
    for (DeclId t : tops) {
        is_top[t.value] = true;
    }
    return is_top;
}

const std::string &party(const sema::EvidenceInfo &e, sema::Independence degree) {
    switch (degree) {
    case sema::Independence::Team:
        return e.team;
    case sema::Independence::Department:
        return e.department;
    default:
        return e.producer;
    }
}

bool review_independent_of(const sema::EvidenceInfo &r, const sema::EvidenceInfo &e,
                           sema::Independence degree) {
    const std::string &mine = party(r, degree);
    const std::string &theirs = party(e, degree);
    return !mine.empty() && !theirs.empty() && mine != theirs;
}

} // namespace assure::prove
