// SPDX-License-Identifier: Apache-2.0
#include "prove/cases.hpp"

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

std::vector<sema::DeclId> tops_sharing_case(const sema::Program &program,
                                            const std::vector<Case> &cases,
                                            const std::vector<sema::DeclId> &tops,
                                            std::uint32_t module) {
    // The modules that share a case with `module`.
    std::vector<bool> near(program.modules.size(), false);
    for (const Case &c : cases) {
        if (c.modules[module]) {
            for (std::size_t m = 0; m < near.size(); ++m) {
                near[m] = near[m] || c.modules[m];
            }
        }
    }
    std::vector<sema::DeclId> out;
    for (sema::DeclId t : tops) {
        if (near[program.decl(t).module]) {
            out.push_back(t);
        }
    }
    return out;
}

} // namespace assure::prove
