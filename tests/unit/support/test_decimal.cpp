// SPDX-License-Identifier: Apache-2.0
#include "../testing.hpp"
#include "support/decimal.hpp"

#include <doctest/doctest.h>
#include <random>

using assure::support::Decimal;

using assure::testing::dec;

TEST_CASE("decimal: literals are exact, as written") {
    CHECK(dec("0.94999999999999999") < dec("0.95"));
    CHECK(dec("0.95") == dec("0.950"));
    CHECK(dec("95e-2") == dec("0.95"));
    CHECK(dec("1e-400") > Decimal{});
    CHECK(dec("1e-400").to_string() == "0." + std::string(399, '0') + "1");
    CHECK(dec("-0") == Decimal{});
    CHECK(dec("-0.0").to_string() == "0");
    CHECK(dec("1e400") > dec("9.99e399"));
    CHECK(dec(".5") == dec("0.5"));
    CHECK(dec("5.") == dec("5"));
    CHECK(dec("-2.50").to_string() == "-2.5");
    CHECK(dec("1200").to_string() == "1200");
    CHECK(dec("0.0001").to_string() == "0.0001");
    CHECK(dec("1e2").is_integer());
    CHECK_FALSE(dec("1.5").is_integer());
}

TEST_CASE("decimal: a percentage is the number over 100, exactly") {
    CHECK(dec("97.2%") == dec("0.972"));
    CHECK(dec("97.2%").to_string() == "0.972");
    CHECK(dec("100%") == Decimal{1});
    CHECK(dec("100%").is_integer());
    CHECK(dec("0%") == Decimal{});
    CHECK(dec("-5%") == dec("-0.05"));
    CHECK(dec("1e2%") == Decimal{1});
    CHECK(dec("0.1%").to_string() == "0.001");
    CHECK(dec("33.333333333333333333333%").to_string() == "0.33333333333333333333333");
    // Not through a double: 94.999999999999999999% is below 95%.
    CHECK(dec("94.999999999999999999%") < dec("95%"));
    CHECK(dec("1e-998%").to_string() == "0." + std::string(999, '0') + "1");
    CHECK_FALSE(Decimal::parse("1e-999%").has_value()); // past the exponent bound
    CHECK_FALSE(Decimal::parse("%").has_value());
    CHECK_FALSE(Decimal::parse("5%%").has_value());
    CHECK_FALSE(Decimal::parse("5%1").has_value());
    CHECK_FALSE(Decimal::parse("5 %").has_value());
}

TEST_CASE("decimal: scientific notation is exact and parses back") {
    for (const char *text : {"97.2%", "0", "-0.05", "12", "1200", "1e-400", "-3.25e7",
                             "123456789012345678901234567890"}) {
        const Decimal d = dec(text);
        CHECK(dec(d.to_scientific().c_str()) == d);
    }
    CHECK(dec("97.2%").to_scientific() == "972e-3");
    CHECK(dec("-5%").to_scientific() == "-5e-2");
    CHECK(Decimal{}.to_scientific() == "0e0");
    CHECK(dec("1200").to_scientific() == "12e2");
}

TEST_CASE("decimal: what cannot be represented is rejected, with a reason") {
    std::string why;
    CHECK_FALSE(Decimal::parse("1e999999999", &why).has_value());
    CHECK(why == "exponent out of range");
    CHECK_FALSE(Decimal::parse("1e1001").has_value());
    CHECK(Decimal::parse("1e1000").has_value());
    CHECK(Decimal::parse("1e-1000").has_value());
    CHECK_FALSE(Decimal::parse("1e-1001").has_value());
    CHECK_FALSE(Decimal::parse(std::string(1001, '7')).has_value());
    CHECK(Decimal::parse("0." + std::string(1500, '0')).has_value()); // zero is zero
    CHECK_FALSE(Decimal::parse("").has_value());
    CHECK_FALSE(Decimal::parse("1.2.3").has_value());
    CHECK_FALSE(Decimal::parse("1e").has_value());
    CHECK_FALSE(Decimal::parse("nan").has_value());
    CHECK_FALSE(Decimal::parse("inf").has_value());
}

TEST_CASE("decimal: order and arithmetic agree with exact integers") {
    // Values m × 10^-k with small m, k: scaled to a common exponent they are exact integers.
    std::mt19937_64 rng(20261206);
    std::uniform_int_distribution<long> mant(-99999, 99999);
    std::uniform_int_distribution<int> expo(0, 4);
    for (int round = 0; round < 5000; ++round) {
        const long ma = mant(rng);
        const long mb = mant(rng);
        const int ka = expo(rng);
        const int kb = expo(rng);
        const Decimal a = Decimal(ma) * dec(ka == 0 ? "1" : ("1e-" + std::to_string(ka)).c_str());
        const Decimal b = Decimal(mb) * dec(kb == 0 ? "1" : ("1e-" + std::to_string(kb)).c_str());
        // Both scaled to 10^-8: a = ma × 10^(8-ka) × 10^-8.
        long pa = ma;
        long pb = mb;
        for (int s = ka; s < 8; ++s) {
            pa *= 10;
        }
        for (int s = kb; s < 8; ++s) {
            pb *= 10;
        }
        CHECK(((a <=> b) == (pa <=> pb)));
        CHECK(a + b == Decimal(pa + pb) * dec("1e-8"));
        CHECK(a - b == Decimal(pa - pb) * dec("1e-8"));
        CHECK(a * b == Decimal(ma * mb) * dec(("1e-" + std::to_string(ka + kb)).c_str()));
    }
}

TEST_CASE("decimal: the nearest double is only an approximation") {
    CHECK(dec("0.1").approximate() == 0.1);
    CHECK(dec("-2.5e3").approximate() == -2500.0);
    CHECK(dec("1e-400").approximate() == 0.0);
}

TEST_CASE("decimal: values past 18 digits keep every digit, through copies and arithmetic") {
    const Decimal big = dec("10000000000000000000000001"); // 10^25 + 1
    const Decimal less = dec("9999999999999999999999999"); // 10^25 - 1
    const Decimal copy = big;                              // NOLINT(performance-*)
    CHECK(copy == big);
    CHECK(less < big);
    CHECK((big * less).to_string() == std::string(50, '9'));
    CHECK((big - less).to_string() == "2");
    CHECK((big + less).to_string() == "2" + std::string(25, '0'));
    CHECK(dec("123456789012345678.9") > dec("123456789012345678.89"));
    CHECK(dec("0.1234567890123456789012345").to_string() == "0.1234567890123456789012345");
    Decimal moved = std::move(Decimal(copy));
    CHECK(moved == big);
    CHECK(dec("999999999999999999") + dec("1") == dec("1e18")); // the 18-digit boundary
}
