// SPDX-License-Identifier: Apache-2.0
#include "prove/cases.hpp"

#include <algorithm>

namespace assure::prove {

std::vector<Case> cases_of(const sema::Program &program) {
    const std::size_t n = program.modules.size();
    std::vector<bool> imported(n, false);
    for (std::uint32_t m = 0; m < n; ++m) {
        for (std::uint32_t i : program.modules[m].imports) {
            if (i < n && i != m) { // (a module importing itself is a cycle, E0006)
                imported[i] = true;
            }
        }
    }
    std::vector<Case> out;
    for (std::uint32_t root = 0; root < n; ++root) {
        if (imported[root]) {
            continue;
        }
        Case c{root, std::vector<bool>(n, false)};
        std::vector<std::uint32_t> stack{root};
        while (!stack.empty()) {
            const std::uint32_t m = stack.back();
            stack.pop_back();
            if (c.modules[m]) {
                continue;
            }
            c.modules[m] = true;
            for (std::uint32_t i : program.modules[m].imports) {
                if (i < n && !c.modules[i]) {
                    stack.push_back(i);
                }
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::vector<sema::DeclId>> tops_by_module(const sema::Program &program,
                                                      const std::vector<Case> &cases,
                                                      const std::vector<sema::DeclId> &tops) {
    std::vector<std::vector<sema::DeclId>> out(program.modules.size());
    for (std::uint32_t m = 0; m < program.modules.size(); ++m) {
        for (sema::DeclId t : tops) {
            const std::uint32_t home = program.decl(t).module;
            if (std::any_of(cases.begin(), cases.end(),
                            [&](const Case &c) { return c.modules[m] && c.modules[home]; })) {
                out[m].push_back(t);
            }
        }
        std::sort(out[m].begin(), out[m].end());
    }
    return out;
}

} // namespace assure::prove
