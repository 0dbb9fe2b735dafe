// SPDX-License-Identifier: Apache-2.0
// The cases of a run (prove/cases.hpp): root modules and what they import.
#include "../testing.hpp"
#include "prove/cases.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <string>
#include <vector>

namespace {

using assure::prove::Case;

/// The names of the modules of each case, root first then by module index.
std::vector<std::vector<std::string>> describe(const assure::sema::Program &program,
                                               const std::vector<Case> &cases) {
    std::vector<std::vector<std::string>> out;
    for (const Case &c : cases) {
        std::vector<std::string> names{program.modules[c.root].name};
        for (std::uint32_t m = 0; m < c.modules.size(); ++m) {
            if (c.modules[m] && m != c.root) {
                names.push_back(program.modules[m].name);
            }
        }
        out.push_back(names);
    }
    return out;
}

} // namespace

TEST_CASE("cases: one case per module that nothing imports, with what it imports") {
    auto r = assure::testing::check_files({
        {"top.assure", "module top\nimport mid\nimport std.risk\nclaim G \"g\" { undeveloped }\n"},
        {"other.assure", "module other\nimport std.risk\nclaim K \"k\" { undeveloped }\n"},
        {"mid.assure", "module mid\nimport leaf\nclaim M \"m\" { undeveloped }\n"},
        {"leaf.assure", "module leaf\nclaim L \"l\" { undeveloped }\n"},
    });
    REQUIRE(r.diags.error_count() == 0);
    const auto cases = assure::prove::cases_of(r.program);
    // mid and leaf were given on the command line but are imported: not cases of their own.
    const auto got = describe(r.program, cases);
    REQUIRE(got.size() == 2);
    CHECK(got[0].front() == "top");
    CHECK(got[1].front() == "other");
    auto has = [](const std::vector<std::string> &v, const std::string &n) {
        return std::find(v.begin(), v.end(), n) != v.end();
    };
    CHECK(got[0].size() == 4); // top, mid, leaf, std.risk
    CHECK((has(got[0], "mid") && has(got[0], "leaf") && has(got[0], "std.risk")));
    CHECK(got[1].size() == 2); // other, std.risk: shared, but nothing of top's
    CHECK(has(got[1], "std.risk"));

    // A top claim of one case is what a finding in the other falls back to never.
    std::vector<assure::sema::DeclId> tops;
    for (std::uint32_t d = 0; d < r.program.decls.size(); ++d) {
        const auto &decl = r.program.decls[d];
        if (decl.name == "G" || decl.name == "K") {
            tops.push_back(assure::sema::DeclId{d});
        }
    }
    auto module_of = [&](const std::string &name) {
        for (std::uint32_t m = 0; m < r.program.modules.size(); ++m) {
            if (r.program.modules[m].name == name) {
                return m;
            }
        }
        FAIL("no module " << name);
        return 0u;
    };
    auto names_of = [&](std::uint32_t module) {
        std::vector<std::string> out;
        for (auto t : assure::prove::tops_sharing_case(r.program, cases, tops, module)) {
            out.push_back(r.program.decl(t).name);
        }
        return out;
    };
    CHECK(names_of(module_of("leaf")) == std::vector<std::string>{"G"});
    CHECK(names_of(module_of("other")) == std::vector<std::string>{"K"});
    CHECK(names_of(module_of("std.risk")) == std::vector<std::string>{"G", "K"});
}

TEST_CASE("cases: a single file is one case holding every module") {
    auto r =
        assure::testing::check("module solo\nimport std.risk\nclaim G \"g\" { undeveloped }\n");
    REQUIRE(r.diags.error_count() == 0);
    const auto cases = assure::prove::cases_of(r.program);
    REQUIRE(cases.size() == 1);
    CHECK(std::all_of(cases[0].modules.begin(), cases[0].modules.end(), [](bool b) { return b; }));
}
