// SPDX-License-Identifier: Apache-2.0
// impact::FailureChains (linear, shared between the claims along a chain) against
// impact::failure_chain (one claim at a time) on random acyclic arguments.
#include "../testing.hpp"
#include "impact/impact.hpp"
#include "prove/prove.hpp"

#include <doctest/doctest.h>
#include <random>
#include <string>
#include <vector>

using assure::sema::DeclId;

namespace {

/// Claims C0..C(n-1), each resting on later claims, evidence (some failing) or a strategy
/// over them; chains of claims with one supporter are frequent, as are shared supporters.
std::string random_case(std::mt19937 &rng, int claims) {
    auto roll = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    std::string text;
    for (int e = 0; e < 6; ++e) {
        text += "evidence E" + std::to_string(e) +
                " \"e\" { kind: test result: " + (roll(3) == 0 ? "fail" : "pass") + " }\n";
    }
    for (int c = 0; c < claims; ++c) {
        std::vector<std::string> sups;
        const int count = roll(4) == 0 ? 2 + roll(2) : 1;
        for (int k = 0; k < count; ++k) {
            if (c + 1 < claims && roll(3) != 0) {
                sups.push_back("C" + std::to_string(c + 1 + roll(std::min(3, claims - c - 1))));
            } else {
                sups.push_back("E" + std::to_string(roll(6)));
            }
        }
        std::string list;
        for (const auto &s : sups) {
            list += (list.empty() ? "" : ", ") + s;
        }
        const std::string name = "C" + std::to_string(c);
        if (roll(4) == 0) {
            text += "claim " + name + " \"c\" { }\nstrategy S" + std::to_string(c) + " \"s\" for " +
                    name + " { " + (roll(2) == 0 ? "any_of" : "all_of") + " supported_by: " + list +
                    " }\n";
        } else {
            text += "claim " + name + " \"c\" { supported_by: " + list + " }\n";
        }
    }
    return text;
}

} // namespace

TEST_CASE("impact: failure chains measured together are each claim's failure_chain") {
    std::mt19937 rng(20261206);
    int long_chains = 0;
    for (int round = 0; round < 150; ++round) {
        CAPTURE(round);
        const std::string text = random_case(rng, 4 + round % 40);
        auto checked = assure::testing::check(text);
        REQUIRE(checked.diags.error_count() == 0);
        const auto lowered = assure::lower::lower_graph(checked.program);
        assure::prove::ProveOptions options;
        options.date = {2026, 6, 15};
        const auto result =
            assure::prove::prove(checked.program, lowered, *checked.sources, options);
        assure::impact::FailureChains chains(checked.program, result, 2);
        for (const auto &c : checked.program.claims) {
            if (result.status(c.decl) == assure::prove::Status::Supported) {
                continue;
            }
            const auto whole = assure::impact::failure_chain(checked.program, result, c.decl);
            const auto ends = chains.ends(c.decl);
            REQUIRE(ends.length() == whole.size());
            if (ends.omitted != 0) {
                ++long_chains;
                CHECK(ends.head.size() == 2);
                CHECK(ends.tail.size() == 2);
                CHECK(std::equal(ends.tail.begin(), ends.tail.end(), whole.end() - 2));
            }
            CHECK(std::equal(ends.head.begin(), ends.head.end(), whole.begin()));
            if (ends.omitted == 0) {
                CHECK(ends.head == whole);
            }
        }
    }
    CHECK(long_chains > 20); // the elision was exercised
}
