// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace assure::support {

/// An exact decimal number ±d₁d₂…dₙ × 10^e of any size the language admits: metric values,
/// requirement thresholds, costs, domain bounds and rule constants are compared and summed as
/// written, never through `double` (where 0.94999999999999999 == 0.95 and 1e-400 == 0).
///
/// A value is canonical: no leading or trailing zero digit, zero has no digits and no sign, so
/// equal numbers are equal objects. Arithmetic is exact (`+`, `-`, `*`); there is no division,
/// whose result need not be a decimal: quotients are the solver's.
class Decimal {
  public:
    /// The most significant digits and the largest |exponent| of a literal: a bound on the text
    /// a hostile `1e999999999` could otherwise make us write out.
    static constexpr std::size_t kMaxDigits = 1000;
    static constexpr std::int64_t kMaxExponent = 1000;

    Decimal() = default;
    /// An integer.
    explicit Decimal(std::int64_t v);

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits][%]` (also `.5` and `5.`). A trailing `%`
    /// divides by 100 exactly (the exponent moves by two): `97.2%` is 0.972. Nullopt when the
    /// text is not such a literal or lies outside the bounds above (`why`, when given, says which).
    static std::optional<Decimal> parse(std::string_view text, std::string *why = nullptr);

    [[nodiscard]] bool is_zero() const { return mant_ == 0 && !big_; }
    /// The value is ±digits() × 10^exponent(); digits() has no leading or trailing '0' and is
    /// empty for zero.
    [[nodiscard]] std::string digits() const;
    [[nodiscard]] std::int64_t exponent() const { return exponent_; }
    [[nodiscard]] bool negative() const { return negative_; }
    [[nodiscard]] bool is_integer() const { return exponent_ >= 0; }
    /// The value when it is an integer within ±10^18, else nullopt.
    [[nodiscard]] std::optional<std::int64_t> to_integer() const;
    /// The largest integer <= this, and the smallest integer >= this.
    [[nodiscard]] Decimal floor() const;
    [[nodiscard]] Decimal ceil() const;

    /// Plain decimal notation without exponent, `-` for negatives: "0", "12", "0.0001", "-3.5".
    [[nodiscard]] std::string to_string() const;
    /// Exact scientific notation, always with an exponent and never longer than the value's
    /// digits: "972e-3", "-5e-2", "12e0", zero is "0e0". A literal that the parser and the
    /// solver both read, for a value that was written in another form (a percentage).
    [[nodiscard]] std::string to_scientific() const;
    /// The nearest double (for consumers that want a float, e.g. a chart; never for a verdict).
    [[nodiscard]] double approximate() const;

    friend Decimal operator-(Decimal a);
    friend Decimal operator+(const Decimal &a, const Decimal &b);
    friend Decimal operator-(const Decimal &a, const Decimal &b);
    friend Decimal operator*(const Decimal &a, const Decimal &b);
    Decimal &operator+=(const Decimal &b) { return *this = *this + b; }

    friend std::strong_ordering operator<=>(const Decimal &a, const Decimal &b);
    friend bool operator==(const Decimal &a, const Decimal &b) { return (a <=> b) == 0; }

    Decimal(const Decimal &other);
    Decimal &operator=(const Decimal &other);
    Decimal(Decimal &&) noexcept = default;
    Decimal &operator=(Decimal &&) noexcept = default;
    ~Decimal() = default;

  private:
    /// From digits (any leading or trailing zeros) × 10^exponent, made canonical and compact.
    Decimal(bool negative, std::string digits, std::int64_t exponent);
    /// Compares |a| and |b|.
    static std::strong_ordering compare_magnitude(const Decimal &a, const Decimal &b);
    /// |a| + |b| and |a| - |b| (|a| >= |b|), both at the smaller exponent.
    static Decimal add_magnitudes(const Decimal &a, const Decimal &b);
    static Decimal subtract_magnitudes(const Decimal &a, const Decimal &b);

    // Compact: a program holds one per number literal, millions in a large case. Up to 18
    // significant digits live in mant_ (no trailing zero digit; 0 for zero), more in big_.
    std::uint64_t mant_ = 0;
    std::int32_t exponent_ = 0;
    bool negative_ = false;
    std::unique_ptr<std::string> big_; // most significant first, no leading or trailing '0'
};

} // namespace assure::support
