// SPDX-License-Identifier: Apache-2.0
#include "history/kpi.hpp"

#include "support/decimal.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <numeric>
#include <unordered_map>

namespace assure::history {
namespace {

// ---- exact arithmetic on digit strings (most significant digit first, no sign) ---------------

__extension__ using Wide = unsigned __int128; // a remainder times ten fits whatever the divisor

/// `digits` / `divisor` into `quotient` (no leading zeros; "0" for zero); returns the remainder.
std::uint64_t divide_small(const std::string &digits, std::uint64_t divisor,
                           std::string &quotient) {
    quotient.clear();
    Wide rem = 0;
    for (const char c : digits) {
        const Wide cur = rem * 10 + static_cast<Wide>(c - '0');
        const auto q = static_cast<unsigned>(cur / divisor);
        rem = cur % divisor;
        if (!quotient.empty() || q != 0) {
            quotient += static_cast<char>('0' + q);
        }
    }
    if (quotient.empty()) {
        quotient = "0";
    }
    return static_cast<std::uint64_t>(rem);
}

/// `digits` * `factor` (factor <= 10).
std::string multiply_small(const std::string &digits, unsigned factor) {
    std::string out(digits.size() + 2, '0');
    unsigned carry = 0;
    std::size_t at = out.size();
    for (std::size_t k = digits.size(); k-- > 0;) {
        const unsigned v = static_cast<unsigned>(digits[k] - '0') * factor + carry;
        out[--at] = static_cast<char>('0' + v % 10);
        carry = v / 10;
    }
    while (carry != 0) {
        out[--at] = static_cast<char>('0' + carry % 10);
        carry /= 10;
    }
    const std::size_t first = out.find_first_not_of('0');
    return first == std::string::npos ? "0" : out.substr(first);
}

/// Divides `digits` by `prime` (2 or 5) as long as it divides and at most `most` times.
std::int64_t strip_factor(std::string &digits, unsigned prime, std::int64_t most) {
    std::int64_t n = 0;
    std::string q;
    while (n < most && digits != "0" && divide_small(digits, prime, q) == 0) {
        digits = q;
        ++n;
    }
    return n;
}

std::string power_product(std::string digits, unsigned prime, std::int64_t times) {
    for (std::int64_t k = 0; k < times; ++k) {
        digits = multiply_small(digits, prime);
    }
    return digits;
}

// ---- times and dates -----------------------------------------------------------------------

bool digits_at(const std::string &s, std::size_t from, std::size_t count, int &value) {
    value = 0;
    for (std::size_t k = from; k < from + count; ++k) {
        if (s[k] < '0' || s[k] > '9') {
            return false;
        }
        value = value * 10 + (s[k] - '0');
    }
    return true;
}

/// timegm of the fields, checked by converting back (so 2026-02-30 is refused).
std::optional<std::int64_t> to_unix(int year, int month, int day, int hour, int minute,
                                    int second) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    const std::time_t t = ::timegm(&tm);
    std::tm back{};
    // timegm's error value -1 is also 1969-12-31T23:59:59Z: the round trip tells them apart.
    if (gmtime_r(&t, &back) == nullptr || back.tm_year != year - 1900 || back.tm_mon != month - 1 ||
        back.tm_mday != day || back.tm_hour != hour || back.tm_min != minute ||
        back.tm_sec != second) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(t);
}

constexpr std::int64_t kDay = 86400;

/// year * 4 + (quarter - 1) of a Unix time (UTC).
std::int64_t quarter_number(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return (static_cast<std::int64_t>(tm.tm_year) + 1900) * 4 + tm.tm_mon / 3;
}

/// "YYYY-Qn" (the year with at least four digits).
std::string quarter_name(std::int64_t number) {
    std::string year = std::to_string(number / 4);
    if (year.size() < 4) {
        year.insert(0, 4 - year.size(), '0');
    }
    return year + "-Q" + std::to_string(number % 4 + 1);
}

// ---- event specs ---------------------------------------------------------------------------

struct Spec {
    std::string kind;  // before the first ':' (the whole spec when there is none)
    std::string name;  // between ':' and the first '='
    std::string value; // after the '=' ("" when none)
};

Spec parse_spec(const std::string &text) {
    Spec s;
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos) {
        s.kind = text;
        return s;
    }
    s.kind = text.substr(0, colon);
    const std::string rest = text.substr(colon + 1);
    const std::size_t eq = rest.find('=');
    s.name = rest.substr(0, eq);
    s.value = eq == std::string::npos ? "" : rest.substr(eq + 1);
    return s;
}

bool raises_evidence_alarm(const std::string &kind) {
    return kind == "fail" || kind == "pending" || kind == "withdraw";
}

// ---- the computation -----------------------------------------------------------------------

struct Since {
    std::int64_t time = 0;
    std::int64_t seq = 0;
    std::string at;
};

struct ClaimTrack {
    bool seen = false;
    bool supported = false;
    std::optional<std::size_t> open_episode;
};

class Computer {
  public:
    Computer(const std::vector<Entry> &entries, const KpiOptions &options, KpiError &error)
        : entries_(entries), options_(options), error_(error) {}

    std::optional<Kpis> run();

  private:
    bool fail(std::int64_t seq, std::string message) {
        error_ = {seq, std::move(message)};
        return false;
    }
    bool read_times();
    void on_event(std::size_t index);
    bool on_run(std::size_t index);
    void resolve(const std::string &name, std::size_t index, bool evidence, bool defeater);
    bool finish();

    const std::vector<Entry> &entries_;
    const KpiOptions &options_;
    KpiError &error_;
    Kpis k_;
    std::vector<std::int64_t> times_;
    std::unordered_map<std::int64_t, std::size_t> by_seq_;
    std::int64_t last_time_ = 0;
    // Defeaters: the `open:` event since the last run (per defeater), and the start of each
    // open defeater's continuous openness.
    std::map<std::string, Since> gap_open_;
    std::map<std::string, Since> streak_;
    std::map<std::string, std::string> target_;
    std::map<std::string, ClaimTrack> claims_;
    std::vector<std::int64_t> episode_start_;
    std::map<std::string, std::vector<std::size_t>> open_alarms_;
    std::vector<std::int64_t> alarm_time_;
    const Run *last_run_ = nullptr;
    std::int64_t last_run_time_ = 0;
    std::int64_t last_judged_ = 0;
};

bool Computer::read_times() {
    times_.reserve(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry &e = entries_[i];
        const std::string &at = e.is_event() ? e.event.recorded_at : e.run.recorded_at;
        const auto t = parse_utc_time(at);
        if (!t) {
            return fail(e.seq, "recorded_at \"" + at + "\" is not a UTC time YYYY-MM-DDTHH:MM:SSZ");
        }
        times_.push_back(*t);
        by_seq_[e.seq] = i;
    }
    return true;
}

void Computer::resolve(const std::string &name, std::size_t index, bool evidence, bool defeater) {
    const auto it = open_alarms_.find(name);
    if (it == open_alarms_.end()) {
        return;
    }
    std::vector<std::size_t> still;
    for (const std::size_t a : it->second) {
        Alarm &alarm = k_.alarms[a];
        const Spec s = parse_spec(alarm.spec);
        const bool matches =
            (evidence && raises_evidence_alarm(s.kind)) || (defeater && s.kind == "open");
        if (!matches) {
            still.push_back(a);
            continue;
        }
        alarm.resolved_seq = entries_[index].seq;
        alarm.resolved_at = entries_[index].event.recorded_at;
        alarm.seconds = times_[index] - alarm_time_[a];
    }
    it->second = std::move(still);
}

void Computer::on_event(std::size_t index) {
    const Entry &e = entries_[index];
    ++k_.events;
    for (const std::string &text : e.event.specs) {
        const Spec s = parse_spec(text);
        if (raises_evidence_alarm(s.kind) || s.kind == "open") {
            Alarm a;
            a.name = s.name;
            a.spec = text;
            a.raised_seq = e.seq;
            a.raised_at = e.event.recorded_at;
            a.quarter = quarter_of(times_[index]);
            open_alarms_[s.name].push_back(k_.alarms.size());
            alarm_time_.push_back(times_[index]);
            k_.alarms.push_back(std::move(a));
            if (s.kind == "open") {
                gap_open_.try_emplace(s.name, Since{times_[index], e.seq, e.event.recorded_at});
            }
        } else if (s.kind == "attest") {
            resolve(s.name, index, true, false);
        } else if (s.kind == "resolve") {
            resolve(s.name, index, false, true);
            gap_open_.erase(s.name);
        } else if (s.kind == "clear") {
            resolve(s.name, index, true, true);
            gap_open_.erase(s.name);
        } else if (s.kind == "release") {
            k_.releases.push_back({e.seq, e.event.recorded_at, s.name, s.value});
        }
    }
}

bool Computer::on_run(std::size_t index) {
    const Entry &e = entries_[index];
    const Run &r = e.run;
    const std::int64_t now = times_[index];
    if (r.command == "impact") {
        ++k_.impact_runs;
        if (!r.plan_cost.empty() && !support::Decimal::parse(r.plan_cost)) {
            return fail(e.seq, "plan_cost \"" + r.plan_cost + "\" is not a decimal number");
        }
        k_.costs.push_back({e.seq, r.recorded_at, r.plan_cost, r.plan.size()});
        return true;
    }
    const auto judged = parse_day(r.judged_at);
    if (!judged) {
        return fail(e.seq, "judged_at \"" + r.judged_at + "\" is not a date YYYY-MM-DD");
    }
    RunKpis p;
    p.seq = e.seq;
    p.recorded_at = r.recorded_at;
    p.judged_at = r.judged_at;
    p.command = r.command;
    p.trigger = r.trigger;
    for (const ClaimRecord &c : r.claims) {
        const bool ok = c.verdict == "supported";
        ++p.claims.den;
        p.claims.num += ok ? 1 : 0;
        if (c.top) {
            ++p.top_claims.den;
            p.top_claims.num += ok ? 1 : 0;
        }
    }
    for (const EvidenceRecord &ev : r.evidence) {
        if (!ev.valid_until.empty()) {
            const auto until = parse_day(ev.valid_until);
            if (!until) {
                return fail(e.seq, ev.name + ": valid_until \"" + ev.valid_until +
                                       "\" is not a date YYYY-MM-DD");
            }
            const std::int64_t left = *until - *judged;
            ++p.with_expiry;
            p.min_days_left = p.min_days_left ? std::min(*p.min_days_left, left) : left;
            p.expired += left < 0 ? 1 : 0;
            p.expiring += left >= 0 && left <= options_.within_days ? 1 : 0;
        }
        if (!ev.date.empty()) {
            const auto date = parse_day(ev.date);
            if (!date) {
                return fail(e.seq, ev.name + ": date \"" + ev.date + "\" is not a date YYYY-MM-DD");
            }
            const std::int64_t age = *judged - *date;
            ++p.dated;
            p.age_days_sum += age;
            p.max_age_days = p.max_age_days ? std::max(*p.max_age_days, age) : age;
        }
    }
    for (const ArtifactRecord &a : r.artifacts) {
        ++p.artifacts_verified.den;
        if (a.state == "verified") {
            ++p.artifacts_verified.num;
        } else if (a.state == "missing") {
            ++p.missing;
        } else if (a.state == "changed") {
            ++p.changed;
        } else if (a.state == "unrecorded") {
            ++p.unrecorded;
        } else {
            ++p.other_state;
        }
    }
    // A defeater's openness dates from the first run of an unbroken line of runs finding it
    // open, or from an `open:` event between that run and the one before it, if earlier.
    std::map<std::string, Since> streak;
    for (const DefeaterRecord &d : r.defeaters) {
        if (d.status != "open") {
            continue;
        }
        ++p.open_defeaters;
        Since since{now, e.seq, r.recorded_at};
        if (const auto was = streak_.find(d.name); was != streak_.end()) {
            since = was->second;
        } else if (const auto ev = gap_open_.find(d.name);
                   ev != gap_open_.end() && ev->second.time < now) {
            since = ev->second;
        }
        p.oldest_open_seconds = std::max(p.oldest_open_seconds.value_or(0), now - since.time);
        streak[d.name] = since;
        target_[d.name] = d.target;
    }
    streak_ = std::move(streak);
    gap_open_.clear();
    // Time to re-assure: a top claim's episode starts at the run that finds it no longer
    // supported (or at the entry that triggered that run) and ends at the first run that
    // finds it supported again.
    for (const ClaimRecord &c : r.claims) {
        if (!c.top) {
            continue;
        }
        ClaimTrack &track = claims_[c.name];
        const bool ok = c.verdict == "supported";
        if (ok && track.open_episode) {
            Episode &ep = k_.episodes[*track.open_episode];
            ep.regained_seq = e.seq;
            ep.end_at = r.recorded_at;
            ep.seconds = now - episode_start_[*track.open_episode];
            track.open_episode.reset();
        } else if (!ok && track.seen && track.supported) {
            Episode ep;
            ep.claim = c.name;
            ep.lost_seq = e.seq;
            ep.start_seq = e.seq;
            ep.start_at = r.recorded_at;
            std::int64_t start = now;
            if (const auto t = by_seq_.find(r.trigger); r.trigger != 0 && t != by_seq_.end()) {
                const Entry &cause = entries_[t->second];
                ep.start_seq = cause.seq;
                ep.start_at = cause.is_event() ? cause.event.recorded_at : cause.run.recorded_at;
                start = times_[t->second];
            }
            track.open_episode = k_.episodes.size();
            episode_start_.push_back(start);
            k_.episodes.push_back(std::move(ep));
        }
        track.seen = true;
        track.supported = ok;
    }
    k_.runs.push_back(std::move(p));
    last_run_ = &r;
    last_run_time_ = now;
    last_judged_ = *judged;
    return true;
}

bool Computer::finish() {
    const std::string last_at =
        entries_.empty() ? std::string()
                         : (entries_.back().is_event() ? entries_.back().event.recorded_at
                                                       : entries_.back().run.recorded_at);
    for (std::size_t i = 0; i < k_.episodes.size(); ++i) {
        Episode &ep = k_.episodes[i];
        if (ep.open()) {
            ep.end_at = last_at;
            ep.seconds = last_time_ - episode_start_[i];
            ++k_.open_episodes;
            continue;
        }
        ++k_.closed_episodes;
        k_.reassure_max_seconds =
            std::max(k_.reassure_max_seconds.value_or(ep.seconds), ep.seconds);
    }
    std::int64_t sum = 0;
    for (const Episode &ep : k_.episodes) {
        sum += ep.open() ? 0 : ep.seconds;
    }
    if (k_.closed_episodes > 0) {
        k_.reassure_mean_seconds = exact_quotient(sum, k_.closed_episodes);
    }
    // Costs.
    support::Decimal cost_sum;
    for (const PlanCost &c : k_.costs) {
        if (!c.cost.empty()) {
            cost_sum += *support::Decimal::parse(c.cost);
            ++k_.costed;
        }
    }
    if (k_.costed > 0) {
        k_.cost_mean = exact_quotient(cost_sum, k_.costed);
    }
    // Alarms, by the quarter raised.
    if (!times_.empty()) {
        const auto [lo, hi] = std::minmax_element(times_.begin(), times_.end());
        // Every quarter from the first entry's to the last entry's (times read from the
        // history bound it: years 0000 to 9999).
        for (std::int64_t q = quarter_number(*lo); q <= quarter_number(*hi); ++q) {
            k_.quarters.push_back({quarter_name(q), 0, 0, 0, std::nullopt});
        }
    }
    std::map<std::string, std::size_t> quarter_at;
    for (std::size_t i = 0; i < k_.quarters.size(); ++i) {
        quarter_at[k_.quarters[i].quarter] = i;
    }
    std::int64_t resolve_sum = 0;
    for (std::size_t i = 0; i < k_.alarms.size(); ++i) {
        Alarm &a = k_.alarms[i];
        QuarterAlarms &qa = k_.quarters[quarter_at.at(a.quarter)];
        ++qa.raised;
        ++k_.alarms_raised;
        if (a.open()) {
            a.seconds = last_time_ - alarm_time_[i];
            ++k_.alarms_open;
            continue;
        }
        ++qa.resolved;
        qa.resolve_seconds_sum += a.seconds;
        qa.max_resolve_seconds = std::max(qa.max_resolve_seconds.value_or(a.seconds), a.seconds);
        ++k_.alarms_resolved;
        resolve_sum += a.seconds;
        k_.resolve_max_seconds = std::max(k_.resolve_max_seconds.value_or(a.seconds), a.seconds);
    }
    if (k_.alarms_resolved > 0) {
        k_.resolve_mean_seconds = exact_quotient(resolve_sum, k_.alarms_resolved);
    }
    for (const Release &rel : k_.releases) {
        ++k_.releases_verified.den;
        k_.releases_verified.num += rel.packet == "verified" ? 1 : 0;
    }
    // At the last run.
    if (last_run_ != nullptr) {
        for (const EvidenceRecord &ev : last_run_->evidence) {
            if (ev.valid_until.empty()) {
                continue;
            }
            const std::int64_t left = *parse_day(ev.valid_until) - last_judged_;
            k_.expiry.push_back({ev.name, ev.valid_until, left,
                                 left < 0                       ? "expired"
                                 : left <= options_.within_days ? "expiring"
                                                                : "valid"});
        }
        for (const DefeaterRecord &d : last_run_->defeaters) {
            if (const auto it = streak_.find(d.name); it != streak_.end() && d.status == "open") {
                k_.open_defeaters.push_back({d.name, d.target, it->second.seq, it->second.at,
                                             last_run_time_ - it->second.time});
            }
        }
    }
    return true;
}

std::optional<Kpis> Computer::run() {
    k_.within_days = options_.within_days;
    k_.entries = entries_.size();
    if (!read_times()) {
        return std::nullopt;
    }
    if (!entries_.empty()) {
        last_time_ = times_.back();
        const auto [lo, hi] = std::minmax_element(times_.begin(), times_.end());
        const auto at = [&](std::size_t i) {
            return entries_[i].is_event() ? entries_[i].event.recorded_at
                                          : entries_[i].run.recorded_at;
        };
        k_.first_at = at(static_cast<std::size_t>(lo - times_.begin()));
        k_.last_at = at(static_cast<std::size_t>(hi - times_.begin()));
        k_.last_hash = entries_.back().hash;
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].is_event()) {
            on_event(i);
        } else if (!on_run(i)) {
            return std::nullopt;
        }
    }
    finish();
    return std::move(k_);
}

} // namespace

std::string ratio_text(const Ratio &r) {
    return std::to_string(r.num) + "/" + std::to_string(r.den);
}

std::string percent_text(const Ratio &r) {
    if (r.den <= 0) {
        return "";
    }
    // Tenths of a percent, rounded half up (away from zero for a negative count).
    const bool negative = r.num < 0;
    const std::int64_t num = negative ? -r.num : r.num;
    const std::int64_t tenths = (2000 * num + r.den) / (2 * r.den);
    return std::string(negative && tenths != 0 ? "-" : "") + std::to_string(tenths / 10) + "." +
           std::to_string(tenths % 10);
}

std::string exact_quotient(std::int64_t num, std::int64_t den) {
    return exact_quotient(support::Decimal(num), den);
}

std::string exact_quotient(const support::Decimal &sum, std::int64_t count) {
    if (sum.is_zero() || count <= 0) {
        return count <= 0 ? std::string() : "0";
    }
    // sum/count = N / D with N = digits * 10^max(e, 0) and D = count * 10^max(-e, 0); write D
    // as q * 2^twos * 5^fives with q prime to 10, then cancel the common factors.
    std::string n = sum.digits();
    const std::int64_t e = sum.exponent();
    if (e > 0) {
        n.append(static_cast<std::size_t>(e), '0');
    }
    std::int64_t twos = e < 0 ? -e : 0;
    std::int64_t fives = twos;
    auto q = static_cast<std::uint64_t>(count);
    while (q % 2 == 0) {
        q /= 2;
        ++twos;
    }
    while (q % 5 == 0) {
        q /= 5;
        ++fives;
    }
    std::string quotient;
    const std::uint64_t g = std::gcd(q, divide_small(n, q, quotient));
    if (g > 1) {
        divide_small(n, g, quotient);
        n = quotient;
        q /= g;
    }
    twos -= strip_factor(n, 2, twos);
    fives -= strip_factor(n, 5, fives);
    const std::string sign = sum.negative() ? "-" : "";
    if (q == 1) {
        // n / (2^twos 5^fives) = n * 2^(k-twos) * 5^(k-fives) / 10^k.
        const std::int64_t k = std::max(twos, fives);
        std::string digits = power_product(power_product(n, 2, k - twos), 5, k - fives);
        if (k == 0) {
            return sign + digits;
        }
        if (static_cast<std::int64_t>(digits.size()) <= k) {
            digits.insert(0, static_cast<std::size_t>(k) - digits.size() + 1, '0');
        }
        std::string whole = digits.substr(0, digits.size() - static_cast<std::size_t>(k));
        std::string frac = digits.substr(digits.size() - static_cast<std::size_t>(k));
        frac.erase(frac.find_last_not_of('0') + 1);
        return sign + whole + (frac.empty() ? "" : "." + frac);
    }
    const std::string den = power_product(power_product(std::to_string(q), 2, twos), 5, fives);
    return sign + n + "/" + den;
}

std::string rounded_text(const std::string &exact) {
    const std::size_t slash = exact.find('/');
    if (slash == std::string::npos) {
        return exact;
    }
    // exact_quotient's fraction: integers, the denominator positive. Tenths, rounded half up:
    // floor((20 n + d) / (2 d)) = q + (r + d >= 2 d) with 20 n = 2 d q + r.
    const bool negative = exact[0] == '-';
    const std::string num = exact.substr(negative ? 1 : 0, slash - (negative ? 1 : 0));
    const std::string den = exact.substr(slash + 1);
    if (den.size() > 17) {
        return exact; // not for reading anyway
    }
    const std::uint64_t d = std::stoull(den);
    std::string tenths;
    const std::uint64_t r = divide_small(multiply_small(multiply_small(num, 10), 2), 2 * d, tenths);
    if (r + d >= 2 * d) {
        std::size_t at = tenths.size();
        while (at > 0 && tenths[at - 1] == '9') {
            tenths[--at] = '0';
        }
        if (at == 0) {
            tenths.insert(0, "1");
        } else {
            ++tenths[at - 1];
        }
    }
    if (tenths.size() < 2) {
        tenths.insert(0, 2 - tenths.size(), '0');
    }
    const std::string whole = tenths.substr(0, tenths.size() - 1);
    const bool zero = tenths.find_first_not_of('0') == std::string::npos;
    return (negative && !zero ? "-" : "") + whole + "." + tenths.back();
}

std::string duration_text(std::int64_t seconds) {
    if (seconds < 0) {
        return "-" + duration_text(-seconds);
    }
    if (seconds == 0) {
        return "0 s";
    }
    const std::int64_t parts[4] = {seconds / kDay, seconds % kDay / 3600, seconds % 3600 / 60,
                                   seconds % 60};
    const char *units[4] = {" d", " h", " min", " s"};
    std::string out;
    for (int k = 0; k < 4; ++k) {
        if (parts[k] != 0) {
            out += (out.empty() ? "" : " ") + std::to_string(parts[k]) + units[k];
        }
    }
    return out;
}

std::optional<std::int64_t> parse_utc_time(const std::string &text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != 'Z' || !digits_at(text, 0, 4, y) ||
        !digits_at(text, 5, 2, mo) || !digits_at(text, 8, 2, d) || !digits_at(text, 11, 2, h) ||
        !digits_at(text, 14, 2, mi) || !digits_at(text, 17, 2, s)) {
        return std::nullopt;
    }
    return to_unix(y, mo, d, h, mi, s);
}

std::optional<std::int64_t> parse_day(const std::string &text) {
    int y = 0, mo = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits_at(text, 0, 4, y) ||
        !digits_at(text, 5, 2, mo) || !digits_at(text, 8, 2, d)) {
        return std::nullopt;
    }
    const auto t = to_unix(y, mo, d, 0, 0, 0);
    if (!t) {
        return std::nullopt;
    }
    // Floor division: days before 1970 are negative.
    return *t >= 0 ? *t / kDay : -((-*t + kDay - 1) / kDay);
}

std::string quarter_of(std::int64_t unix_seconds) {
    return quarter_name(quarter_number(unix_seconds));
}

std::optional<Kpis> compute_kpis(const std::vector<Entry> &entries, const KpiOptions &options,
                                 KpiError &error) {
    const std::vector<Entry> expanded = expand_deltas(entries);
    return Computer(expanded, options, error).run();
}

} // namespace assure::history
