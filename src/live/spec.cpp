// SPDX-License-Identifier: Apache-2.0
#include "live/spec.hpp"

#include "prove/prove.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace assure::live {
namespace {

constexpr std::array<std::pair<const char *, Spec::Kind>, 12> kKinds = {{
    {"artifact", Spec::Kind::Artifact},
    {"accept", Spec::Kind::Accept},
    {"fail", Spec::Kind::Fail},
    {"pending", Spec::Kind::Pending},
    {"withdraw", Spec::Kind::Withdraw},
    {"expire", Spec::Kind::Expire},
    {"attest", Spec::Kind::Attest},
    {"open", Spec::Kind::Open},
    {"resolve", Spec::Kind::Resolve},
    {"clear", Spec::Kind::Clear},
    {"release", Spec::Kind::Release},
    {"reload", Spec::Kind::Reload},
}};

constexpr const char *kKindList =
    "artifact, accept, fail, pending, withdraw, expire, attest, open, resolve, clear, release "
    "or reload";

bool is_sha256(std::string_view s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

/// A git commit as given: 4 to 64 hex digits (abbreviated, SHA-1 or SHA-256), or a tag or
/// branch name of safe characters.
bool is_commit(std::string_view s) {
    return !s.empty() && s.size() <= 200 && s.front() != '-' &&
           s.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "._-/+") == std::string_view::npos;
}

std::optional<Spec> refuse(SpecError &error, std::size_t offset, std::size_t length,
                           std::string message) {
    error.offset = static_cast<std::uint32_t>(offset);
    error.length = static_cast<std::uint32_t>(length);
    error.message = std::move(message);
    return std::nullopt;
}

} // namespace

const char *kind_name(Spec::Kind kind) {
    for (const auto &[name, k] : kKinds) {
        if (k == kind) {
            return name;
        }
    }
    return "?";
}

std::string Spec::text() const {
    std::string out = kind_name(kind);
    switch (kind) {
    case Kind::Reload:
        return out;
    case Kind::Release:
        out += ":" + commit;
        if (verified) {
            out += *verified ? "=verified" : "=unverified";
        }
        return out;
    default:
        break;
    }
    out += ":" + name;
    if (date) {
        out += "=" + prove::format_date(*date);
    } else if (!sha256.empty()) {
        out += "=" + sha256;
    }
    return out;
}

std::optional<Spec> parse_spec(std::string_view text, SpecError &error) {
    if (text.size() > kMaxSpecBytes) {
        return refuse(error, 0, text.size(),
                      "an event spec is at most " + std::to_string(kMaxSpecBytes) + " bytes");
    }
    if (const std::size_t bad = support::find_invalid_utf8(text); bad != std::string_view::npos) {
        return refuse(error, bad, 1, "an event spec must be UTF-8 text");
    }
    const std::size_t colon = text.find(':');
    const std::string_view kind = text.substr(0, colon);
    const auto *known =
        std::find_if(kKinds.begin(), kKinds.end(), [&](const auto &k) { return kind == k.first; });
    if (known == kKinds.end()) {
        return refuse(error, 0, kind.size(),
                      "`" + support::printable(kind) + "` is not an event; use " + kKindList);
    }
    Spec s;
    s.kind = known->second;
    if (s.kind == Spec::Kind::Reload) {
        if (colon != std::string_view::npos) {
            return refuse(error, 0, text.size(), "write `reload` alone");
        }
        return s;
    }
    if (colon == std::string_view::npos || colon + 1 >= text.size()) {
        return refuse(error, 0, text.size(),
                      "`" + support::printable(text) + "`: write " + std::string(kind) +
                          (s.kind == Spec::Kind::Release ? ":COMMIT" : ":NAME"));
    }
    std::string_view target = text.substr(colon + 1);
    std::string_view value;
    const std::size_t eq = target.find('=');
    const std::size_t value_at = colon + 1 + (eq == std::string_view::npos ? 0 : eq + 1);
    if (eq != std::string_view::npos) {
        value = target.substr(eq + 1);
        target = target.substr(0, eq);
    }
    const bool needs_value = s.kind == Spec::Kind::Expire || s.kind == Spec::Kind::Accept;
    const bool may_have_value = needs_value || s.kind == Spec::Kind::Artifact ||
                                s.kind == Spec::Kind::Attest || s.kind == Spec::Kind::Release;
    if ((eq != std::string_view::npos && !may_have_value) ||
        (eq == std::string_view::npos && needs_value) ||
        (eq != std::string_view::npos && value.empty())) {
        const char *form = s.kind == Spec::Kind::Expire   ? ":NAME=YYYY-MM-DD"
                           : s.kind == Spec::Kind::Accept ? ":NAME=SHA256"
                                                          : ":NAME";
        return refuse(error, 0, text.size(),
                      "`" + support::printable(text) + "`: write " + std::string(kind) + form);
    }
    if (s.kind == Spec::Kind::Release) {
        if (!is_commit(target)) {
            return refuse(error, colon + 1, target.size(),
                          "`" + support::printable(target) +
                              "` is not a git commit (hex digits, or a tag or branch name)");
        }
        s.commit = std::string(target);
        if (!value.empty()) {
            if (value != "verified" && value != "unverified") {
                return refuse(error, value_at, value.size(),
                              "a release's packet is `verified` (its evidence packet verified "
                              "with a signature) or `unverified`");
            }
            s.verified = value == "verified";
        }
        return s;
    }
    if (!support::is_qualified_name(target)) {
        return refuse(error, colon + 1, target.size(),
                      "`" + support::printable(target) +
                          "` is not a name (identifiers joined by dots)");
    }
    s.name = std::string(target);
    if (value.empty()) {
        return s;
    }
    if (s.kind == Spec::Kind::Artifact || s.kind == Spec::Kind::Accept) {
        if (!is_sha256(value)) {
            return refuse(error, value_at, value.size(), "a SHA-256 is 64 lower-case hex digits");
        }
        s.sha256 = std::string(value);
        return s;
    }
    s.date = prove::parse_date(value, prove::kMinOptionYear);
    if (!s.date) {
        return refuse(error, value_at, value.size(),
                      "`" + support::printable(value) +
                          "` is not a date YYYY-MM-DD between 1900-01-01 and 9999-12-31");
    }
    return s;
}

bool raises_alarm(const Spec &s) {
    return s.kind == Spec::Kind::Fail || s.kind == Spec::Kind::Pending ||
           s.kind == Spec::Kind::Withdraw || s.kind == Spec::Kind::Open;
}

bool resolves_alarm(const Spec &s) {
    return s.kind == Spec::Kind::Attest || s.kind == Spec::Kind::Clear ||
           s.kind == Spec::Kind::Resolve;
}

} // namespace assure::live
