// SPDX-License-Identifier: Apache-2.0
#pragma once

// Exact rational numbers for the monitor's evaluator: the values of a record and of every
// arithmetic term over them, compared exactly (no double anywhere). Small values (numerator
// and denominator within int64) take a fast path through 128-bit products; larger ones fall
// back to support::Decimal numerator and denominator, which never overflow.

#include "support/decimal.hpp"

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace assure::monitor {

// GCC and clang: a 128-bit integer for exact products of two int64s (`__extension__` marks
// the non-ISO type as intended under -Wpedantic).
__extension__ typedef __int128 WideInt;
__extension__ typedef unsigned __int128 WideUint;

/// An exact rational n/d with d > 0. Not kept in lowest terms on the slow path: equality and
/// order compare cross products, so no gcd of big numbers is ever needed.
class Rational {
  public:
    Rational() = default;
    explicit Rational(std::int64_t v) : n_(v) {}
    /// The exact value of a decimal.
    explicit Rational(const support::Decimal &v);

    /// The exact value of a number literal `[-]digits[.digits][(e|E)[+-]digits]` (JSON's number
    /// syntax, and the IR's Number terms); nullopt when it is not one or is beyond
    /// support::Decimal's bounds.
    static std::optional<Rational> parse(std::string_view text);

    [[nodiscard]] bool is_zero() const;
    [[nodiscard]] bool is_integer() const;

    friend Rational operator-(const Rational &a);
    friend Rational operator+(const Rational &a, const Rational &b);
    friend Rational operator-(const Rational &a, const Rational &b);
    friend Rational operator*(const Rational &a, const Rational &b);
    /// a / b; b must not be zero (the evaluator checks first: docs/monitor.md, "Division").
    friend Rational operator/(const Rational &a, const Rational &b);
    friend std::strong_ordering operator<=>(const Rational &a, const Rational &b);
    friend bool operator==(const Rational &a, const Rational &b) { return (a <=> b) == 0; }

    Rational(const Rational &other);
    Rational &operator=(const Rational &other);
    Rational(Rational &&) noexcept = default;
    Rational &operator=(Rational &&) noexcept = default;
    ~Rational() = default;

  private:
    struct Big {
        support::Decimal n, d; // d > 0
    };
    /// Numerator and denominator as decimals (the slow path), whichever form this is in.
    [[nodiscard]] Big big() const;
    static Rational from_big(support::Decimal n, support::Decimal d);
    /// n / d from 128-bit parts (d > 0): small when it fits after reduction, else big.
    static Rational from_wide(WideInt n, WideInt d);

    std::int64_t n_ = 0, d_ = 1; // the value when big_ is null; d_ > 0, lowest terms
    std::unique_ptr<Big> big_;
};

} // namespace assure::monitor
