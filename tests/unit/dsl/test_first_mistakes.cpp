// SPDX-License-Identifier: Apache-2.0
// The messages for a newcomer's first mistakes (issue 14): GSN-style dotted names,
// percentages, a metric without `over`, a title over two lines.
#include "../testing.hpp"
#include "dsl/parser.hpp"
#include "dsl/printer.hpp"

#include <doctest/doctest.h>

using assure::support::Code;
using assure::support::Decimal;
using assure::testing::check;
using assure::testing::check_files;

using assure::testing::dec;

TEST_CASE("parse: a dotted name declared by any declaration is E0111 at the whole name") {
    struct Case {
        const char *text;
        const char *name;
        const char *fixed;
    };
    const Case cases[] = {
        {"claim G1.1 \"t\" { undeveloped }\n", "G1.1", "G1_1"},
        {"claim G1.1.2 \"t\" { undeveloped }\n", "G1.1.2", "G1_1_2"},
        {"claim G1.a \"t\" { undeveloped }\n", "G1.a", "G1_a"},
        {"evidence Sn1.1 \"t\" { result: pass }\n", "Sn1.1", "Sn1_1"},
        {"strategy S1.1 \"t\" for G { supported_by: G }\n", "S1.1", "S1_1"},
        {"assumption A1.1 \"t\" for G\n", "A1.1", "A1_1"},
        {"context C1.1 \"t\" for G\n", "C1.1", "C1_1"},
        {"justification J1.1 \"t\" for G\n", "J1.1", "J1_1"},
        {"defeater D1.1 rebuts G \"t\"\n", "D1.1", "D1_1"},
        {"hazard H1.1 \"t\" { undeveloped }\n", "H1.1", "H1_1"},
        {"artifact Ar1.1 \"a.txt\"\n", "Ar1.1", "Ar1_1"},
        {"domain D.1 { x : real [0, 1] }\n", "D.1", "D_1"},
        {"domain D { x.1 : real [0, 1] }\n", "x.1", "x_1"},
        {"odd O.1 = D\n", "O.1", "O_1"},
        {"scale S.1 { a < b }\n", "S.1", "S_1"},
        {"matrix M.1 { rows: S }\n", "M.1", "M_1"},
        {"matrix M { row r.1: a = b }\n", "r.1", "r_1"},
        {"rule R.1 \"t\" { true }\n", "R.1", "R_1"},
        {"pattern P.1(X: claim) { claim X \"x\" { undeveloped } }\n", "P.1", "P_1"},
        {"pattern P(X.1: claim) { claim C \"x\" { undeveloped } }\n", "X.1", "X_1"},
        {"instance I.1 = P(G)\n", "I.1", "I_1"},
        {"evidence E \"t\" { result: pass metric m.1 = 0.5 over D }\n", "m.1", "m_1"},
    };
    for (const auto &c : cases) {
        INFO(c.text);
        auto r = check(std::string(c.text) + "claim G \"g\" { undeveloped }\n");
        REQUIRE(r.count(Code::E0111) == 1);
        CHECK(r.count(Code::E0106) == 0);
        const auto *d = r.find(Code::E0111);
        CHECK(r.text_of(d->span) == c.name);
        CHECK(d->help.find(std::string("write `") + c.fixed + "`") != std::string::npos);
        CHECK(d->help.find("refer to it as") != std::string::npos); // a declared name
    }
}

TEST_CASE("parse: a dotted reference is E0111 at the reference") {
    const std::pair<const char *, const char *> cases[] = {
        {"claim G \"t\" { supported_by: G1.1 }\n", "G1.1"},
        {"claim G \"t\" { supported_by: E, G1.1.3, E }\n", "G1.1.3"},
        {"claim G \"t\" { supported_by: Sn1.2a }\n", "Sn1.2a"},
        {"strategy S \"t\" for G1.1 { supported_by: E }\n", "G1.1"},
        {"assumption A \"t\" for G, G1.2\n", "G1.2"},
        {"claim G \"t\" { formal: x.1 > 2 undeveloped }\n", "x.1"},
        {"claim G \"t\" { requires: m.1 >= 0.5 undeveloped }\n", "m.1"},
        {"instance I = P(G1.1)\n", "G1.1"},
    };
    for (const auto &[text, name] : cases) {
        INFO(text);
        auto r = check(std::string("evidence E \"e\" { result: pass }\n") + text);
        REQUIRE(r.count(Code::E0111) == 1);
        CHECK(r.count(Code::E0106) == 0);
        CHECK(r.count(Code::E0404) == 0); // the strategy is not cut short at `G1`
        const auto *d = r.find(Code::E0111);
        CHECK(r.text_of(d->span) == name);
        CHECK(d->help.find("if the element is declared as") != std::string::npos);
    }
}

TEST_CASE("parse: numbers and module names are not reported as dotted names") {
    // `1.5.3` is a number followed by `.3`; a module name may have dots, but each part is a
    // name.
    auto num = check("domain D { x : real [0, 9] }\nodd O = D where x > 1.5.3\n");
    CHECK(num.count(Code::E0111) == 0);
    CHECK(num.count(Code::E0106) == 1);
    auto mod = check("module ship.1\nclaim G \"g\" { undeveloped }\n");
    CHECK(mod.count(Code::E0111) == 0);
    CHECK(mod.count(Code::E0106) == 1);
}

TEST_CASE("parse: the name E0111 suggests is not reported again as unknown") {
    auto r = check("claim G1.1 \"t\" { undeveloped }\nclaim G0 \"top\" { supported_by: G1_1 }\n");
    CHECK(r.count(Code::E0111) == 1);
    CHECK(r.count(Code::E0201) == 0);
    assure::support::SourceManager sm;
    assure::support::Diagnostics diags;
    const auto id = sm.add("t.assure", "claim G1.1 \"t\" { undeveloped }\n");
    const auto parsed = assure::dsl::parse(id, sm, diags);
    CHECK(parsed.broken_names == std::vector<std::string>{"G1_1"});
}

TEST_CASE("resolve: a qualified reference whose first part is no module suggests `_`") {
    auto r = check("claim G1_A \"a\" { undeveloped }\nclaim Top \"t\" { supported_by: G1.A }\n");
    REQUIRE(r.count(Code::E0201) == 1);
    CHECK(r.find(Code::E0201)->help.find("did you mean `G1_A`?") != std::string::npos);
    auto none = check("claim Top \"t\" { supported_by: G2.B }\n");
    REQUIRE(none.count(Code::E0201) == 1);
    CHECK(none.find(Code::E0201)->help.find("`G2` is not a module") != std::string::npos);
    // A qualified reference to a real module still resolves.
    auto ok =
        check_files({{"lib.assure", "claim A \"a\" { undeveloped }\n"},
                     {"top.assure", "import lib\nclaim Top \"t\" { supported_by: lib.A }\n"}});
    CHECK(ok.diags.error_count() == 0);
}

TEST_CASE("sema: a percentage is the exact number over 100, kept as written") {
    auto r = check("domain D { x : real [-5%, 150.5%] }\n"
                   "evidence E \"e\" { result: pass metric recall = 97.2% over D }\n"
                   "claim G \"g\" { requires: recall >= 95% supported_by: E }\n");
    CHECK(r.diags.error_count() == 0);
    REQUIRE(r.program.variables.size() == 1);
    CHECK(r.program.variables[0].lo == dec("-0.05"));
    CHECK(r.program.variables[0].hi == dec("1.505"));
    CHECK(r.program.variables[0].hi_text == "150.5%");
    REQUIRE(r.program.evidence.size() == 1);
    REQUIRE(r.program.evidence[0].metrics.size() == 1);
    CHECK(r.program.evidence[0].metrics[0].value == dec("0.972"));
    CHECK(r.program.evidence[0].metrics[0].value_text == "97.2%");
    REQUIRE(r.program.claims.size() == 1);
    REQUIRE(r.program.claims[0].requirements.size() == 1);
    CHECK(r.program.claims[0].requirements[0].value == dec("0.95"));
    CHECK(r.program.claims[0].requirements[0].value_text == "95%");
}

TEST_CASE("sema: a percentage in a constant is range-checked exactly") {
    auto in = check("domain D { x : real [0%, 100%] }\nodd O = D where x <= 100%\n"
                    "claim G \"g\" { scope: O undeveloped }\n");
    CHECK(in.diags.error_count() == 0);
    auto out = check("domain D { x : real [0, 1] }\nodd O = D where x <= 100.0001%\n"
                     "claim G \"g\" { scope: O undeveloped }\n");
    REQUIRE(out.count(Code::E0303) == 1);
    CHECK(out.text_of(out.find(Code::E0303)->span) == "100.0001%");
}

TEST_CASE("sema: a percentage where a count or an amount is expected is E0112") {
    const std::pair<const char *, const char *> cases[] = {
        {"evidence E \"e\" { result: pass cost: 10% }\nclaim G \"g\" { supported_by: E }\n", "10%"},
        {"evidence E \"e\" { result: pass }\nclaim G \"g\" { undeveloped }\n"
         "strategy S \"s\" for G { at_least 50% supported_by: E }\n",
         "50%"},
        {"evidence E \"e\" { result: pass }\n"
         "claim G \"g\" { supported_by: E lowers_likelihood: 100% }\n",
         "100%"},
    };
    for (const auto &[text, lit] : cases) {
        INFO(text);
        auto r = check(text);
        REQUIRE(r.count(Code::E0112) == 1);
        CHECK(r.diags.error_count() == 1); // no E0307 or E0207 about the same value
        CHECK(r.text_of(r.find(Code::E0112)->span) == lit);
    }
}

TEST_CASE("parse: a metric without `over` is reported at its value, with no E0208") {
    auto r = check("domain D { x : real [0, 1] }\n"
                   "evidence E \"e\" {\n  metric recall = 0.96\n  result: pass\n}\n"
                   "claim G \"g\" { requires: recall >= 0.95 supported_by: E }\n");
    REQUIRE(r.count(Code::E0106) == 1);
    CHECK(r.diags.error_count() == 1);
    const auto *d = r.find(Code::E0106);
    CHECK(r.text_of(d->span) == "0.96");
    CHECK(d->message.find("expected `over`") != std::string::npos);
    // Same line: the caret stays on what was found.
    auto same = check("domain D { x : real [0, 1] }\n"
                      "evidence E \"e\" { result: pass metric recall = 0.96 }\n"
                      "claim G \"g\" { requires: recall >= 0.95 supported_by: E }\n");
    REQUIRE(same.count(Code::E0106) == 1);
    CHECK(same.text_of(same.find(Code::E0106)->span) == "}");
    CHECK(same.count(Code::E0208) == 0);
    // A misspelt metric is still reported, with the broken evidence's metric as suggestion.
    auto typo = check("domain D { x : real [0, 1] }\n"
                      "evidence E \"e\" {\n  metric recall = 0.96\n  result: pass\n}\n"
                      "claim G \"g\" { requires: recal >= 0.95 supported_by: E }\n");
    REQUIRE(typo.count(Code::E0208) == 1);
    CHECK(typo.find(Code::E0208)->help == "did you mean `recall`?");
}

TEST_CASE("parse: a declaration that failed to parse declares its variables and values") {
    auto r = check("domain D { w : enum { clear, fog } x : real [0, 1] y = 3 }\n"
                   "odd O = D where w == fog and x < 1\n"
                   "claim G \"g\" { scope: O formal: w == fog and x < 1 undeveloped }\n");
    CHECK(r.count(Code::E0106) == 1);
    CHECK(r.diags.error_count() == 1);
}

TEST_CASE("prescan: a title over several lines is one E0104 at its opening quote") {
    for (const char *text : {"claim G1 \"The ship detects\nobstacles\" { undeveloped }\n",
                             "claim G1 \"The ship\ndetects\nobstacles\" { undeveloped }\n",
                             "claim G1 \"The ship detects\r\nobstacles\" { description: \"d\" "
                             "undeveloped }\n"}) {
        INFO(text);
        auto r = check(text);
        REQUIRE(r.count(Code::E0104) == 1);
        CHECK(r.diags.error_count() == 1);
        const auto *d = r.find(Code::E0104);
        CHECK(d->span.begin == 9);
        CHECK(d->message == "a string cannot span lines");
        CHECK(d->help.find("adjacent strings are joined") != std::string::npos);
    }
    // Not closed on a later line: a plain unterminated string, once.
    auto r = check("claim G1 \"The ship { undeveloped }\nclaim G2 \"g2\" { undeveloped }\n");
    REQUIRE(r.count(Code::E0104) == 1);
    CHECK(r.find(Code::E0104)->message == "unterminated string");
}

TEST_CASE("parse: adjacent strings are one string, and print back as one") {
    auto r = check("claim G \"The ship detects \"\n  \"obstacles\" // comment\n"
                   "  /* block */ \" at sea\" { undeveloped }\n");
    CHECK(r.diags.error_count() == 0);
    REQUIRE(r.program.claims.size() == 1);
    CHECK(r.program.claims[0].title == "The ship detects obstacles at sea");

    assure::support::SourceManager sm;
    assure::support::Diagnostics diags;
    const auto id = sm.add("t.assure", "claim G \"a \" \"b\\\"\" { description: \"x\" \"y\" "
                                       "requires: m >= 97.2% undeveloped }\n");
    const auto parsed = assure::dsl::parse(id, sm, diags);
    REQUIRE(parsed.complete);
    CHECK(assure::dsl::print(parsed.file) == "claim G \"a b\\\"\" {\n  description: \"xy\"\n"
                                             "  requires: m >= 97.2%\n  undeveloped\n}\n");
}
