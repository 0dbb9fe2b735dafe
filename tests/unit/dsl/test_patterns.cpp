// SPDX-License-Identifier: Apache-2.0
#include "../testing.hpp"

#include <doctest/doctest.h>

using assure::support::Code;
using assure::testing::check;

namespace {

const std::string kPattern =
    "pattern P(H: hazard, Parent: claim, K: number) {\n"
    "  claim M \"{H} is mitigated\" { mitigates: H supported_by: E1, E2 }\n"
    "  strategy S \"over {H}\" for Parent { at_least K supported_by: M }\n"
    "}\n"
    "evidence E1 \"e1\" { kind: test result: pass }\n"
    "evidence E2 \"e2\" { kind: review result: pass }\n"
    "hazard H1 \"h\"\n"
    "claim G \"g\"\n";

} // namespace

TEST_CASE("patterns: a number argument is pasted where the body needs a literal") {
    auto r = check(kPattern + "instance i = P(H1, G, 1)\n");
    CHECK(r.diags.error_count() == 0);
}

TEST_CASE("patterns: an argument of the wrong kind is reported once, at the argument") {
    auto r = check(kPattern + "instance i = P(G, G, 1)\n");
    REQUIRE(r.count(Code::E0315) == 1);
    CHECK(r.text_of(r.find(Code::E0315)->span) == "G");
    CHECK(r.count(Code::E0204) == 0); // not again where `mitigates:` uses it
    CHECK(r.diags.error_count() == 1);
}

TEST_CASE("patterns: a number for a name, or a name for a number, is E0315") {
    auto name_for_number = check(kPattern + "instance i = P(H1, G, G)\n");
    REQUIRE(name_for_number.count(Code::E0315) == 1);
    CHECK(name_for_number.text_of(name_for_number.find(Code::E0315)->span) == "G");
    auto number_for_name = check(kPattern + "instance i = P(-2, G, 1)\n");
    REQUIRE(number_for_name.count(Code::E0315) == 1);
    CHECK(number_for_name.text_of(number_for_name.find(Code::E0315)->span) == "-2");
}

TEST_CASE("patterns: an argument naming nothing is reported where the body uses it") {
    auto r = check(kPattern + "instance i = P(H_missing, G, 1)\n");
    CHECK(r.count(Code::E0315) == 0);
    REQUIRE(r.count(Code::E0201) >= 1);
    CHECK(r.text_of(r.find(Code::E0201)->span) == "H_missing");
}
