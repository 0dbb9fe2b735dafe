// SPDX-License-Identifier: Apache-2.0
// `--change` specs and command-line dates: what is accepted, and what is refused with which code.
#include "impact/impact.hpp"
#include "prove/prove.hpp"

#include <doctest/doctest.h>
#include <string>

using assure::impact::Change;
using assure::impact::ChangeError;
using assure::impact::parse_change;
using assure::support::Code;

namespace {

/// The error of a spec that must be refused.
ChangeError refused(const std::string &spec) {
    ChangeError e;
    const bool parsed = parse_change(spec, e).has_value();
    CHECK_MESSAGE(!parsed, spec);
    return e;
}

/// Whether `spec` is accepted.
bool accepted(const std::string &spec) {
    ChangeError e;
    const bool ok = parse_change(spec, e).has_value();
    CHECK_MESSAGE(ok, spec << ": " << e.message);
    return ok;
}

} // namespace

TEST_CASE("change specs: dates are real days in 1900..9999") {
    using assure::prove::kMinOptionYear;
    using assure::prove::parse_date;
    CHECK(parse_date("2024-02-29", kMinOptionYear).has_value());
    CHECK(parse_date("2000-02-29", kMinOptionYear).has_value());
    CHECK(parse_date("1900-01-01", kMinOptionYear).has_value());
    CHECK(parse_date("9999-12-31", kMinOptionYear).has_value());
    for (const char *bad :
         {"-001-01-01", "0000-01-01", "1899-12-31", "2023-02-29", "1900-02-29", "2026-04-31",
          "2026-13-01", "2026-00-10", "2026-01-00", " 999-01-01", "+999-01-01", "2026-1-01 ",
          "2026-01-1", "20260101", "2026-01-01x", "2026/01/01", ""}) {
        CHECK_MESSAGE(!parse_date(bad, kMinOptionYear).has_value(), bad);
    }
    // Within a case file any year from 0001 is a date (the DSL's own rule).
    CHECK(parse_date("0001-01-01").has_value());
    CHECK_FALSE(parse_date("0000-01-01").has_value());

    CHECK(accepted("expire:E=2027-03-31"));
    const ChangeError e = refused("expire:E=0000-01-01");
    CHECK(e.code == Code::E0605);
    CHECK(e.offset == 9);
    CHECK(e.length == 10);
    CHECK(refused("expire:E=-001-01-01").code == Code::E0605);
}

TEST_CASE("change specs: a REGION is one region, never more text") {
    CHECK(accepted("odd:ShipOdd=Ocean"));
    CHECK(accepted("odd:ShipOdd=Ocean where visibility >= 100 and sea_state <= 5"));
    CHECK(accepted("scope:G=Ocean where light in {day, dusk}"));
    CHECK(accepted("scope:m.G=m.Ocean where not (x > 1 or y < 2)"));
    // Declarations, fields or comments smuggled after the region.
    for (const char *bad : {
             "odd:O=Ocean where v >= 1\nclaim Evil \"e\" { undeveloped }",
             "odd:O=Ocean where v >= 1 } claim Evil \"e\" { undeveloped",
             "scope:G=Ocean supported_by: E_other",
             "scope:G=Ocean where v > 1 // the rest of the line is gone",
             "scope:G=Ocean /* hidden */",
             "odd:O=Ocean where v >= 1;",
             "odd:O=Ocean where",
             "odd:O=Ocean where v >=",
             "odd:O=(Ocean)",
             "odd:O=Ocean\twhere v > 1",
         }) {
        const ChangeError e = refused(bad);
        CHECK_MESSAGE(e.code == Code::E0605, bad);
        CHECK_MESSAGE(e.message.find("must be one region") != std::string::npos, bad);
    }
    // The error points into the spec.
    const std::string spec = "odd:O=Ocean where v >= 1 } claim X";
    const ChangeError e = refused(spec);
    CHECK(spec.substr(e.offset, e.length) == "}");
}

TEST_CASE("change specs: ratings and names are names") {
    CHECK(accepted("severity:H=critical"));
    CHECK(accepted("likelihood:m.H=std.risk.remote"));
    for (const char *bad :
         {"severity:H=critical }", "severity:H=critical\nclaim X", "likelihood:H=a b",
          "severity:H=1x", "severity:H=.a", "fail:E F", "fail:E;", "open:a..b", "fail:", "fail",
          "retrain:model", "expire:E", "fail:E=1"}) {
        const ChangeError e = refused(bad);
        CHECK_MESSAGE(e.code == Code::E0605, bad);
    }
    ChangeError error;
    const auto c = parse_change("fail:ship.E_fog", error);
    REQUIRE(c.has_value());
    CHECK(c->kind == Change::Kind::EvidenceFails);
    CHECK(c->target == "ship.E_fog");
}
