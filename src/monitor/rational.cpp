// SPDX-License-Identifier: Apache-2.0
#include "monitor/rational.hpp"

#include <limits>
#include <string>

namespace assure::monitor {

namespace {

using Wide = WideInt;

constexpr std::int64_t kPow10[19] = {1,
                                     10,
                                     100,
                                     1000,
                                     10000,
                                     100000,
                                     1000000,
                                     10000000,
                                     100000000,
                                     1000000000,
                                     10000000000,
                                     100000000000,
                                     1000000000000,
                                     10000000000000,
                                     100000000000000,
                                     1000000000000000,
                                     10000000000000000,
                                     100000000000000000,
                                     1000000000000000000};

Wide gcd(Wide a, Wide b) {
    a = a < 0 ? -a : a;
    b = b < 0 ? -b : b;
    while (b != 0) {
        const Wide t = a % b;
        a = b;
        b = t;
    }
    return a;
}

bool fits(Wide v) {
    return v >= std::numeric_limits<std::int64_t>::min() + 1 &&
           v <= std::numeric_limits<std::int64_t>::max();
}

std::string wide_text(Wide v) {
    if (v == 0) {
        return "0";
    }
    const bool neg = v < 0;
    // |v| < 2^127 here: the values come from products of int64s, never INT128_MIN.
    WideUint m = neg ? static_cast<WideUint>(-v) : static_cast<WideUint>(v);
    std::string out;
    while (m != 0) {
        out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
        m /= 10;
    }
    return neg ? "-" + out : out;
}

} // namespace

Rational::Rational(const Rational &other) : n_(other.n_), d_(other.d_) {
    if (other.big_) {
        big_ = std::make_unique<Big>(*other.big_);
    }
}

Rational &Rational::operator=(const Rational &other) {
    if (this != &other) {
        n_ = other.n_;
        d_ = other.d_;
        big_ = other.big_ ? std::make_unique<Big>(*other.big_) : nullptr;
    }
    return *this;
}

Rational::Rational(const support::Decimal &v) {
    if (const auto i = v.to_integer()) {
        n_ = *i;
        return;
    }
    const std::string digits = v.digits();
    const std::int64_t e = v.exponent();
    if (digits.size() <= 18 && e < 0 && -e <= 18) {
        std::int64_t m = 0;
        for (char c : digits) {
            m = m * 10 + (c - '0');
        }
        *this = from_wide(v.negative() ? -Wide{m} : Wide{m}, kPow10[-e]);
        return;
    }
    big_ = std::make_unique<Big>(Big{v, support::Decimal(1)});
}

std::optional<Rational> Rational::parse(std::string_view text) {
    // Fast path: at most 18 significant digits and a small scale, the form every ordinary
    // record value has; anything else goes through support::Decimal.
    std::size_t pos = 0;
    bool neg = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
        neg = text[pos] == '-';
        ++pos;
    }
    std::int64_t mant = 0;
    int sig = 0;
    int frac = 0;
    bool any = false;
    bool dot = false;
    bool fast = true;
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') {
            break;
        }
        any = true;
        if (mant == 0 && c == '0') {
            frac += dot ? 1 : 0;
            continue;
        }
        if (++sig > 18) {
            fast = false;
            break;
        }
        mant = mant * 10 + (c - '0');
        frac += dot ? 1 : 0;
    }
    std::int64_t exp = 0;
    if (fast && any && pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        bool eneg = false;
        if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
            eneg = text[pos] == '-';
            ++pos;
        }
        bool edigits = false;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
            edigits = true;
            if (exp > 100000) {
                fast = false;
                break;
            }
            exp = exp * 10 + (text[pos] - '0');
        }
        if (!edigits) {
            return std::nullopt;
        }
        exp = eneg ? -exp : exp;
    }
    if (fast && any && pos == text.size()) {
        const std::int64_t scale = exp - frac;
        if (mant == 0) {
            return Rational{};
        }
        if (scale >= 0 && scale <= 18) {
            const Wide v = Wide{mant} * kPow10[scale];
            if (fits(v)) {
                return Rational(static_cast<std::int64_t>(neg ? -v : v));
            }
        } else if (scale < 0 && scale >= -18) {
            return from_wide(neg ? -Wide{mant} : Wide{mant}, kPow10[-scale]);
        }
    }
    const auto d = support::Decimal::parse(text);
    if (!d || (!text.empty() && text.back() == '%')) {
        return std::nullopt;
    }
    return Rational(*d);
}

bool Rational::is_zero() const {
    return big_ ? big_->n.is_zero() : n_ == 0;
}

bool Rational::is_integer() const {
    if (!big_) {
        return d_ == 1;
    }
    // n/d is an integer when d divides n; with decimals: n/d has no fractional part. Only the
    // slow path asks, and only for values read from records (d == 1 there).
    if (big_->d == support::Decimal(1)) {
        return big_->n.is_integer();
    }
    return false;
}

Rational::Big Rational::big() const {
    if (big_) {
        return *big_;
    }
    return Big{support::Decimal(n_), support::Decimal(d_)};
}

Rational Rational::from_big(support::Decimal n, support::Decimal d) {
    if (d.negative()) {
        n = -n;
        d = -d;
    }
    Rational r;
    r.big_ = std::make_unique<Big>(Big{std::move(n), std::move(d)});
    return r;
}

Rational Rational::from_wide(Wide n, Wide d) {
    if (d < 0) {
        n = -n;
        d = -d;
    }
    const Wide g = gcd(n, d);
    if (g > 1) {
        n /= g;
        d /= g;
    }
    if (fits(n) && fits(d)) {
        Rational r;
        r.n_ = static_cast<std::int64_t>(n);
        r.d_ = static_cast<std::int64_t>(d);
        return r;
    }
    return from_big(*support::Decimal::parse(wide_text(n)), *support::Decimal::parse(wide_text(d)));
}

Rational operator-(const Rational &a) {
    if (!a.big_) {
        Rational r;
        r.n_ = -a.n_; // |n_| <= INT64_MAX by construction (fits excludes INT64_MIN)
        r.d_ = a.d_;
        return r;
    }
    return Rational::from_big(-a.big_->n, a.big_->d);
}

Rational operator+(const Rational &a, const Rational &b) {
    if (!a.big_ && !b.big_) {
        if (a.d_ == 1 && b.d_ == 1) {
            return Rational::from_wide(Wide{a.n_} + b.n_, 1);
        }
        return Rational::from_wide(Wide{a.n_} * b.d_ + Wide{b.n_} * a.d_, Wide{a.d_} * b.d_);
    }
    const auto x = a.big();
    const auto y = b.big();
    return Rational::from_big(x.n * y.d + y.n * x.d, x.d * y.d);
}

Rational operator-(const Rational &a, const Rational &b) {
    return a + (-b);
}

Rational operator*(const Rational &a, const Rational &b) {
    if (!a.big_ && !b.big_) {
        return Rational::from_wide(Wide{a.n_} * b.n_, Wide{a.d_} * b.d_);
    }
    const auto x = a.big();
    const auto y = b.big();
    return Rational::from_big(x.n * y.n, x.d * y.d);
}

Rational operator/(const Rational &a, const Rational &b) {
    if (!a.big_ && !b.big_) {
        return Rational::from_wide(Wide{a.n_} * b.d_, Wide{a.d_} * b.n_);
    }
    const auto x = a.big();
    const auto y = b.big();
    return Rational::from_big(x.n * y.d, x.d * y.n);
}

std::strong_ordering operator<=>(const Rational &a, const Rational &b) {
    if (!a.big_ && !b.big_) {
        if (a.d_ == b.d_) {
            return a.n_ <=> b.n_;
        }
        const Wide l = Wide{a.n_} * b.d_;
        const Wide r = Wide{b.n_} * a.d_;
        return l < r ? std::strong_ordering::less
                     : (l > r ? std::strong_ordering::greater : std::strong_ordering::equal);
    }
    const auto x = a.big();
    const auto y = b.big();
    return x.n * y.d <=> y.n * x.d;
}

} // namespace assure::monitor
