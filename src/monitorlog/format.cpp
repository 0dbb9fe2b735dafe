// SPDX-License-Identifier: Apache-2.0
#include "monitorlog/format.hpp"

#include "support/sha256.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace assure::monitorlog {

namespace {

bool digits(std::string_view text, std::size_t at, std::size_t n, unsigned &out) {
    out = 0;
    if (at + n > text.size()) {
        return false;
    }
    for (std::size_t k = at; k < at + n; ++k) {
        if (text[k] < '0' || text[k] > '9') {
            return false;
        }
        out = out * 10 + static_cast<unsigned>(text[k] - '0');
    }
    return true;
}

/// (year, month, day) of a day number (H. Hinnant's civil_from_days).
void civil_from_days(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

} // namespace

std::int64_t Time::day() const {
    return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string format_day(std::int64_t day) {
    std::int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    civil_from_days(day, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
}

std::optional<Time> parse_time(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z
    unsigned year = 0;
    unsigned month = 0;
    unsigned day = 0;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' ||
        !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
        text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
        !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] ||
        (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    std::size_t at = 19;
    std::uint32_t nanos = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        std::size_t n = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            if (++n > 9) {
                return std::nullopt;
            }
            nanos = nanos * 10 + static_cast<std::uint32_t>(text[at] - '0');
            ++at;
        }
        if (n == 0) {
            return std::nullopt;
        }
        for (; n < 9; ++n) {
            nanos *= 10;
        }
    }
    if (at + 1 != text.size() || text[at] != 'Z') {
        return std::nullopt;
    }
    Time t;
    t.seconds = days_from_civil(static_cast<int>(year), month, day) * 86400 + hour * 3600 +
                minute * 60 + second;
    t.nanos = nanos;
    return t;
}

std::string format_time(Time t) {
    const std::int64_t day = t.day();
    const std::int64_t rest = t.seconds - day * 86400;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%06uZ", format_day(day).c_str(),
                  static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                  static_cast<long long>(rest % 60), t.nanos / 1000);
    return buf;
}

Time now() {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    Time t;
    t.seconds = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    t.nanos = static_cast<std::uint32_t>(us - t.seconds * 1000000) * 1000;
    return t;
}

std::string entry_hash(std::string_view line) {
    return support::sha256_hex(line);
}

std::string shown(std::string_view text) {
    std::size_t cut = text.size();
    if (text.size() > 40) {
        cut = 40;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            --cut; // not inside a UTF-8 sequence
        }
    }
    const std::string out =
        nlohmann::json(std::string(text.substr(0, cut)))
            .dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace);
    return cut < text.size() ? out + "..." : out;
}

} // namespace assure::monitorlog
