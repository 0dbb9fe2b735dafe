// SPDX-License-Identifier: Apache-2.0
#include "../testing.hpp"
#include "dsl/sema/fields.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>

using assure::support::Code;
using assure::testing::check;
using assure::testing::check_files;

namespace {
const char *kDomain = "domain Ocean {\n"
                      "  visibility : real [0, 20000] unit \"m\"\n"
                      "  light : enum { day, dusk, night }\n"
                      "  sea_state : int [0, 9]\n"
                      "}\n";
std::string with_domain(const std::string &rest) {
    return std::string(kDomain) + rest;
}
} // namespace

TEST_CASE("resolve: a clean case has no diagnostics") {
    auto r = check(
        with_domain("odd Op = Ocean where sea_state <= 5\n"
                    "evidence E \"e\" { result: pass metric recall = 0.96 over Op }\n"
                    "claim G \"g\" { scope: Op requires: recall >= 0.95 supported_by: E }\n"));
    CHECK(r.diags.all().empty());
}

TEST_CASE("resolve: unknown name is reported at its use with a suggestion") {
    auto r =
        check("evidence E_fog \"e\" { result: pass }\nclaim G \"g\" { supported_by: E_fgo }\n");
    REQUIRE(r.count(Code::E0201) == 1);
    const auto *d = r.find(Code::E0201);
    CHECK(r.text_of(d->span) == "E_fgo");
    CHECK(d->help.find("E_fog") != std::string::npos);
}

TEST_CASE("resolve: a reference to the wrong kind of element is reported") {
    auto r = check("claim G \"g\" { undeveloped }\ndefeater D undermines G \"d\"\n");
    REQUIRE(r.count(Code::E0204) == 1);
    CHECK(r.text_of(r.find(Code::E0204)->span) == "G");
    auto s =
        check("evidence E \"e\" { result: pass }\nstrategy S \"s\" for E { supported_by: E }\n");
    CHECK(s.count(Code::E0204) == 1);
}

TEST_CASE("resolve: duplicate declarations and fields") {
    auto r = check("claim G \"a\" { undeveloped }\nclaim G \"b\" { undeveloped }\nclaim H \"h\" { "
                   "undeveloped undeveloped }\n");
    CHECK(r.count(Code::E0203) == 1);
    CHECK(r.count(Code::E0205) == 1);
}

TEST_CASE("resolve: fields are checked per declaration kind") {
    auto r = check("claim G \"g\" { cost: 3 undeveloped }\n");
    REQUIRE(r.count(Code::E0207) == 1);
    CHECK(r.text_of(r.find(Code::E0207)->span) == "cost");
    auto e = check("evidence E \"e\" { kind: tset }\nclaim G \"g\" { supported_by: E }\n");
    CHECK(e.count(Code::E0206) == 1); // no result
    REQUIRE(e.count(Code::E0207) == 1);
    CHECK(e.find(Code::E0207)->help.find("test") != std::string::npos);
}

TEST_CASE("resolve: imports make names visible, qualified or not, and ambiguity is reported") {
    auto r = check_files({{"a.assure", "module a\nclaim X \"x\" { undeveloped }\n"},
                          {"b.assure", "module b\nclaim X \"x\" { undeveloped }\n"},
                          {"main.assure", "module main\nimport a\nimport b as bb\n"
                                          "strategy S \"s\" for a.X { supported_by: bb.X }\n"
                                          "claim T \"t\" { supported_by: X }\n"}});
    CHECK(r.count(Code::E0202) == 1);
    CHECK(r.diags.error_count() == 1);
}

TEST_CASE("resolve: import cycles are reported with their path") {
    auto r = check_files({{"a.assure", "module a\nimport b\nclaim A \"a\" { undeveloped }\n"},
                          {"b.assure", "module b\nimport a\nclaim B \"b\" { undeveloped }\n"}});
    REQUIRE(r.count(Code::E0006) == 1);
    CHECK(r.find(Code::E0006)->message.find("a -> b -> a") != std::string::npos);
}

TEST_CASE("types: an enum value that does not exist") {
    auto r = check(with_domain(
        "odd R = Ocean where light == twilight\nclaim G \"g\" { scope: R undeveloped }\n"));
    REQUIRE(r.count(Code::E0302) == 1);
    CHECK(r.text_of(r.find(Code::E0302)->span) == "twilight");
    auto s = check(with_domain(
        "odd R = Ocean where light in {day, nigth}\nclaim G \"g\" { scope: R undeveloped }\n"));
    REQUIRE(s.count(Code::E0302) == 1);
    CHECK(s.find(Code::E0302)->help.find("night") != std::string::npos);
}

TEST_CASE("types: comparing an enum with a number, ordering enums, bool connectives") {
    auto r = check(
        with_domain("odd R = Ocean where light == 3\nclaim G \"g\" { scope: R undeveloped }\n"));
    CHECK(r.count(Code::E0301) == 1);
    auto o = check(
        with_domain("odd R = Ocean where light < night\nclaim G \"g\" { scope: R undeveloped }\n"));
    CHECK(o.count(Code::E0304) == 1);
    auto b = check(with_domain("odd R = Ocean where sea_state and visibility > 3\nclaim G \"g\" { "
                               "scope: R undeveloped }\n"));
    CHECK(b.count(Code::E0301) == 1);
}

TEST_CASE("types: a bound outside the variable's range") {
    auto r = check(with_domain("odd R = Ocean where visibility < 30000 and sea_state in [0, 12]\n"
                               "claim G \"g\" { scope: R undeveloped }\n"));
    CHECK(r.count(Code::E0303) == 2);
}

TEST_CASE("types: regions of another domain cannot be mixed") {
    auto r =
        check(with_domain("domain Air { wind : real [0, 60] }\nodd Calm = Air where wind < 10\n"
                          "odd R = Ocean where Calm\nclaim G \"g\" { scope: R undeveloped }\n"));
    CHECK(r.count(Code::E0305) == 1);
}

TEST_CASE("types: cover variables must belong to the parent's domain") {
    auto r = check(with_domain("claim G \"g\" { scope: Ocean }\n"
                               "claim A \"a\" { scope: Ocean where visibility < 100 undeveloped }\n"
                               "strategy S \"s\" for G { cover: visiblity supported_by: A }\n"));
    REQUIRE(r.count(Code::E0311) == 1);
    CHECK(r.find(Code::E0311)->help.find("visibility") != std::string::npos);
}

TEST_CASE("types: an enum value is not hidden by a declaration of the same name") {
    auto r = check(
        with_domain("odd R = Ocean where light == night\n"
                    "claim night \"a claim named like the value\" { scope: R undeveloped }\n"));
    CHECK(r.diags.error_count() == 0);
    auto bad = check(with_domain("evidence E \"e\" { result: pass }\n"
                                 "claim G \"g\" { scope: Ocean where E supported_by: E }\n"));
    REQUIRE(bad.count(Code::E0204) == 1);
    CHECK(bad.text_of(bad.find(Code::E0204)->span) == "E");
}

TEST_CASE("types: cover sub-claims must be scoped over the parent's domain") {
    auto r =
        check(with_domain("domain Air { wind : real [0, 60] }\n"
                          "claim G \"g\" { scope: Ocean }\n"
                          "claim A \"a\" { scope: Air where wind < 10 undeveloped }\n"
                          "claim B \"b\" { scope: Ocean where visibility < 100 undeveloped }\n"
                          "strategy S \"s\" for G { cover: visibility supported_by: A, B }\n"));
    REQUIRE(r.count(Code::E0305) == 1);
    CHECK(r.text_of(r.find(Code::E0305)->span) == "A");
}

TEST_CASE("types: at_least must fit the number of supporters; one mode per strategy") {
    auto r = check("claim G \"g\"\nclaim A \"a\" { undeveloped }\n"
                   "strategy S \"s\" for G { at_least 3 supported_by: A }\n");
    CHECK(r.count(Code::E0307) == 1);
    auto m = check("claim G \"g\"\nclaim A \"a\" { undeveloped }\n"
                   "strategy S \"s\" for G { any_of deductive supported_by: A }\n");
    CHECK(m.count(Code::E0312) == 1);
}

TEST_CASE("types: requirements name a metric some evidence measures") {
    auto r = check(
        with_domain("evidence E \"e\" { result: pass metric recall = 0.9 over Ocean }\n"
                    "claim G \"g\" { scope: Ocean requires: recal >= 0.8 supported_by: E }\n"));
    REQUIRE(r.count(Code::E0208) == 1);
    CHECK(r.find(Code::E0208)->help.find("recall") != std::string::npos);
}

TEST_CASE("types: risk matrices must be complete and hazards rated on their scales") {
    const std::string scales =
        "scale Sev { low < high }\nscale Lik { rare < often }\nscale Lvl { ok < bad }\n";
    auto r = check(scales + "matrix M { rows: Sev columns: Lik levels: Lvl row low: rare = ok }\n"
                            "hazard H \"h\" { severity: high likelihood: often matrix: M }\n"
                            "claim G \"g\" { mitigates: H undeveloped }\n");
    REQUIRE(r.count(Code::E0309) == 1);
    CHECK(r.find(Code::E0309)->message.find("3 cell(s)") != std::string::npos);
    auto w =
        check(scales + "matrix M { rows: Sev columns: Lik levels: Lvl\n"
                       "  row low: rare = ok, often = ok\n  row high: rare = ok, often = bad }\n"
                       "hazard H \"h\" { severity: often likelihood: rare matrix: M }\n"
                       "claim G \"g\" { mitigates: H undeveloped }\n");
    CHECK(w.count(Code::E0302) == 1);
}

TEST_CASE("types: rules are type-checked") {
    const std::string base = "scale Sev { low < high }\nhazard H \"h\" { severity: high }\n"
                             "claim G \"g\" { mitigates: H undeveloped }\n";
    auto ok = check(base + "rule R \"r\" { forall h in hazards where h.severity >= high:\n"
                           "  forall c in claims where mitigates(c, h): count(e in evidence where "
                           "under(e, c)) >= 2 }\n");
    CHECK(ok.diags.error_count() == 0);
    auto bad = check(
        base + "rule R \"r\" { forall h in hazards: h.sevrity >= hgh and mitigates(h, h) }\n");
    CHECK(bad.count(Code::E0201) == 1); // attribute (the value is not reported on top of it)
    CHECK(bad.count(Code::E0314) == 1); // mitigates(hazard, ...)
    auto scale = check("scale Lvl { ok < bad }\n" + base +
                       "rule R \"r\" { forall h in hazards: h.severity >= bad }\n");
    CHECK(scale.count(Code::E0302) == 1); // `bad` is not a value of the hazards' severity scale
    auto coll = check(base + "rule R \"r\" { forall h in hazardz: h.severity >= high }\n");
    CHECK(coll.count(Code::E0201) == 1); // only the collection: no cascade
}

TEST_CASE("structure: claims with no support must be marked undeveloped") {
    auto r = check("claim G \"g\"\n");
    REQUIRE(r.count(Code::E0403) == 1);
    CHECK(r.text_of(r.find(Code::E0403)->span) == "G");
}

TEST_CASE("structure: a circular argument is reported with its whole path") {
    auto r =
        check("claim A \"a\" { supported_by: B }\nclaim B \"b\"\n"
              "strategy S \"s\" for B { supported_by: C }\nclaim C \"c\" { supported_by: A }\n");
    REQUIRE(r.count(Code::E0401) == 1);
    CHECK(r.find(Code::E0401)->message == "circular argument: A -> B -> S -> C -> A");
}

TEST_CASE("warnings: unreferenced elements and empty regions") {
    auto r = check(with_domain(
        "artifact a \"x.json\"\nodd Empty = Ocean where sea_state > 5 and sea_state < 3\n"
        "claim G \"g\" { scope: Empty undeveloped }\n"
        "hazard H \"h\"\n"));
    CHECK(r.count(assure::support::Code::W0101) == 2); // artifact, hazard
    CHECK(r.count(assure::support::Code::W0102) == 2); // the odd and the scope built on it
    CHECK(r.diags.error_count() == 0);
}

TEST_CASE("docs: the grammar in docs/language.md names every field a declaration admits") {
    std::ifstream in(std::string(ASSURE_SOURCE_DIR) + "/docs/language.md");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string doc = ss.str();
    const auto begin = doc.find("```ebnf");
    REQUIRE(begin != std::string::npos);
    const std::string grammar = doc.substr(begin, doc.find("\n```", begin + 1) - begin);
    for (const std::string &field : assure::sema::detail::all_field_names()) {
        INFO(field);
        CHECK(grammar.find("\"" + field + "\"") != std::string::npos);
    }
}
