// SPDX-License-Identifier: Apache-2.0
#include "support/decimal.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace assure::support {

namespace {

std::string digits_of(std::uint64_t mag) {
    return mag == 0 ? std::string() : std::to_string(mag);
}

} // namespace

Decimal::Decimal(std::int64_t v)
    // Through unsigned: -INT64_MIN does not fit.
    : Decimal(v < 0,
              digits_of(v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v)),
              0) {}

Decimal::Decimal(bool negative, std::string digits, std::int64_t exponent) {
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        return; // zero
    }
    digits.erase(0, first);
    const auto last = digits.find_last_not_of('0');
    exponent += static_cast<std::int64_t>(digits.size() - 1 - last);
    digits.resize(last + 1);
    negative_ = negative;
    exponent_ = static_cast<std::int32_t>(exponent);
    if (digits.size() <= 18) {
        mant_ = std::stoull(digits);
    } else {
        big_ = std::make_unique<std::string>(std::move(digits));
    }
}

Decimal::Decimal(const Decimal &other)
    : mant_(other.mant_), exponent_(other.exponent_), negative_(other.negative_),
      big_(other.big_ ? std::make_unique<std::string>(*other.big_) : nullptr) {}

Decimal &Decimal::operator=(const Decimal &other) {
    if (this != &other) {
        mant_ = other.mant_;
        exponent_ = other.exponent_;
        negative_ = other.negative_;
        big_ = other.big_ ? std::make_unique<std::string>(*other.big_) : nullptr;
    }
    return *this;
}

std::string Decimal::digits() const {
    return big_ ? *big_ : digits_of(mant_);
}

std::optional<Decimal> Decimal::parse(std::string_view text, std::string *why) {
    auto fail = [&](const char *reason) -> std::optional<Decimal> {
        if (why != nullptr) {
            *why = reason;
        }
        return std::nullopt;
    };
    std::size_t pos = 0;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
        negative = text[pos] == '-';
        ++pos;
    }
    std::string digits;
    std::int64_t frac = 0;
    bool seen_dot = false;
    bool any = false;
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c == '.' && !seen_dot) {
            seen_dot = true;
            continue;
        }
        if (c < '0' || c > '9') {
            break;
        }
        any = true;
        if (!digits.empty() || c != '0') {
            digits.push_back(c);
        }
        if (seen_dot) {
            ++frac;
        }
        if (digits.size() > kMaxDigits + kMaxExponent ||
            frac > static_cast<std::int64_t>(kMaxDigits) + kMaxExponent) {
            return fail("too many digits");
        }
    }
    if (!any) {
        return fail("not a number");
    }
    std::int64_t exponent = 0;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        bool exp_negative = false;
        if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
            exp_negative = text[pos] == '-';
            ++pos;
        }
        bool exp_any = false;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
            exp_any = true;
            exponent = exponent * 10 + (text[pos] - '0');
            if (exponent > 100 * kMaxExponent) {
                return fail("exponent out of range");
            }
        }
        if (!exp_any) {
            return fail("not a number");
        }
        exponent = exp_negative ? -exponent : exponent;
    }
    const bool percent = pos + 1 == text.size() && text[pos] == '%';
    if (percent) {
        exponent -= 2; // a percentage: exactly the number over 100
        ++pos;
    }
    if (pos != text.size()) {
        return fail("not a number");
    }
    Decimal d(negative, std::move(digits), exponent - frac);
    if (d.digits().size() > kMaxDigits) {
        return fail("too many significant digits");
    }
    // The magnitude: the position of the leading digit and of the last one.
    const std::int64_t lead = d.exponent_ + static_cast<std::int64_t>(d.digits().size()) - 1;
    if (!d.is_zero() && (lead > kMaxExponent || d.exponent_ < -kMaxExponent)) {
        return fail(percent ? "exponent out of range once divided by 100"
                            : "exponent out of range");
    }
    return d;
}

std::string Decimal::to_string() const {
    if (is_zero()) {
        return "0";
    }
    const std::string ds = digits();
    std::string out = negative_ ? "-" : "";
    if (exponent_ >= 0) {
        out += ds;
        out.append(static_cast<std::size_t>(exponent_), '0');
        return out;
    }
    const auto frac = static_cast<std::size_t>(-exponent_);
    if (ds.size() <= frac) {
        out += "0.";
        out.append(frac - ds.size(), '0');
        out += ds;
    } else {
        out += ds.substr(0, ds.size() - frac);
        out += '.';
        out += ds.substr(ds.size() - frac);
    }
    return out;
}

std::string Decimal::to_scientific() const {
    return (negative_ ? "-" : "") + (is_zero() ? std::string("0") : digits()) + "e" +
           std::to_string(exponent_);
}

Decimal Decimal::floor() const {
    if (is_integer()) {
        return *this;
    }
    const auto frac = static_cast<std::size_t>(-exponent_);
    const std::string ds = digits();
    Decimal whole(negative_, frac >= ds.size() ? std::string() : ds.substr(0, ds.size() - frac), 0);
    // Truncation moved a negative number up: one less. (A non-integer has a nonzero fraction.)
    return negative_ ? whole - Decimal(1) : whole;
}

std::optional<std::int64_t> Decimal::to_integer() const {
    const std::string ds = digits();
    if (!is_integer() || static_cast<std::int64_t>(ds.size()) + exponent_ > 18) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (char c : ds) {
        v = v * 10 + (c - '0');
    }
    for (std::int64_t k = 0; k < exponent_; ++k) {
        v *= 10;
    }
    return negative_ ? -v : v;
}

Decimal Decimal::ceil() const {
    return -(-*this).floor();
}

double Decimal::approximate() const {
    // strtod rounds correctly to nearest; the scientific form keeps the text short.
    const std::string text = to_scientific();
    return std::strtod(text.c_str(), nullptr);
}

std::strong_ordering Decimal::compare_magnitude(const Decimal &a, const Decimal &b) {
    if (a.is_zero() || b.is_zero()) {
        return (a.is_zero() ? 0 : 1) <=> (b.is_zero() ? 0 : 1);
    }
    if (!a.big_ && !b.big_ && a.exponent_ == b.exponent_) {
        return a.mant_ <=> b.mant_; // the common case: no strings
    }
    const std::string ad = a.digits();
    const std::string bd = b.digits();
    const std::int64_t lead_a = a.exponent_ + static_cast<std::int64_t>(ad.size());
    const std::int64_t lead_b = b.exponent_ + static_cast<std::int64_t>(bd.size());
    if (lead_a != lead_b) {
        return lead_a <=> lead_b;
    }
    // Same leading position: digit strings compare lexicographically, a prefix being smaller
    // (canonical forms have no trailing zeros).
    const int c = ad.compare(bd);
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

std::strong_ordering operator<=>(const Decimal &a, const Decimal &b) {
    if (a.negative_ != b.negative_) {
        return a.negative_ ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    const auto mag = Decimal::compare_magnitude(a, b);
    return a.negative_ ? 0 <=> mag : mag;
}

namespace {

/// The digits of `d` as little-endian numbers at exponent `e` (<= d's exponent).
std::vector<int> little_endian(const std::string &digits, std::int64_t exponent, std::int64_t e) {
    std::vector<int> out(static_cast<std::size_t>(exponent - e), 0);
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        out.push_back(*it - '0');
    }
    return out;
}

std::string big_endian(const std::vector<int> &v) {
    std::string out;
    out.reserve(v.size());
    for (auto it = v.rbegin(); it != v.rend(); ++it) {
        out.push_back(static_cast<char>('0' + *it));
    }
    return out;
}

} // namespace

Decimal Decimal::add_magnitudes(const Decimal &a, const Decimal &b) {
    const std::int64_t e = std::min(a.exponent_, b.exponent_);
    std::vector<int> x = little_endian(a.digits(), a.exponent_, e);
    const std::vector<int> y = little_endian(b.digits(), b.exponent_, e);
    x.resize(std::max(x.size(), y.size()) + 1, 0);
    int carry = 0;
    for (std::size_t pos = 0; pos < x.size(); ++pos) {
        const int s = x[pos] + (pos < y.size() ? y[pos] : 0) + carry;
        x[pos] = s % 10;
        carry = s / 10;
    }
    return Decimal(false, big_endian(x), e);
}

Decimal Decimal::subtract_magnitudes(const Decimal &a, const Decimal &b) {
    const std::int64_t e = std::min(a.exponent_, b.exponent_);
    std::vector<int> x = little_endian(a.digits(), a.exponent_, e);
    const std::vector<int> y = little_endian(b.digits(), b.exponent_, e);
    int borrow = 0;
    for (std::size_t pos = 0; pos < x.size(); ++pos) {
        int s = x[pos] - (pos < y.size() ? y[pos] : 0) - borrow;
        borrow = s < 0 ? 1 : 0;
        x[pos] = s + 10 * borrow;
    }
    return Decimal(false, big_endian(x), e);
}

Decimal operator-(Decimal a) {
    if (!a.is_zero()) {
        a.negative_ = !a.negative_;
    }
    return a;
}

Decimal operator+(const Decimal &a, const Decimal &b) {
    if (a.negative_ == b.negative_) {
        Decimal s = Decimal::add_magnitudes(a, b);
        return a.negative_ ? -s : s;
    }
    // Opposite signs: the larger magnitude gives the sign.
    if (Decimal::compare_magnitude(a, b) >= 0) {
        Decimal d = Decimal::subtract_magnitudes(a, b);
        return a.negative_ ? -d : d;
    }
    Decimal d = Decimal::subtract_magnitudes(b, a);
    return b.negative_ ? -d : d;
}

Decimal operator-(const Decimal &a, const Decimal &b) {
    return a + (-b);
}

Decimal operator*(const Decimal &a, const Decimal &b) {
    if (a.is_zero() || b.is_zero()) {
        return {};
    }
    const std::vector<int> x = little_endian(a.digits(), 0, 0);
    const std::vector<int> y = little_endian(b.digits(), 0, 0);
    std::vector<long> acc(x.size() + y.size() + 1, 0);
    for (std::size_t xi = 0; xi < x.size(); ++xi) {
        for (std::size_t yi = 0; yi < y.size(); ++yi) {
            acc[xi + yi] += static_cast<long>(x[xi]) * y[yi];
        }
    }
    // A slot sums at most min(|x|, |y|) products of two digits: far below LONG_MAX.
    std::vector<int> out(acc.size(), 0);
    long carry = 0;
    for (std::size_t pos = 0; pos < acc.size(); ++pos) {
        const long s = acc[pos] + carry;
        out[pos] = static_cast<int>(s % 10);
        carry = s / 10;
    }
    return Decimal(a.negative_ != b.negative_, big_endian(out),
                   static_cast<std::int64_t>(a.exponent_) + b.exponent_);
}

} // namespace assure::support
