// SPDX-License-Identifier: Apache-2.0
#include "monitorlog/query.hpp"

#include <nlohmann/json.hpp>

namespace assure::monitorlog {

namespace {

bool same_claim(const std::string &logged, std::string_view claim) {
    if (logged == claim) {
        return true;
    }
    // A bare name in the log: the claim's own name, in whatever module.
    const std::size_t dot = claim.rfind('.');
    return logged.find('.') == std::string::npos && dot != std::string_view::npos &&
           claim.substr(dot + 1) == logged;
}

} // namespace

bool violates(const nlohmann::json &verdict, std::string_view claim) {
    const auto it = verdict.find("violations");
    if (it == verdict.end() || !it->is_array()) {
        return false;
    }
    for (const auto &v : *it) {
        if (v.is_string() && same_claim(v.get<std::string>(), claim)) {
            return true;
        }
        if (v.is_object()) {
            const auto c = v.find("claim");
            if (c != v.end() && c->is_string() && same_claim(c->get<std::string>(), claim)) {
                return true;
            }
        }
    }
    return false;
}

TallyResult tally(std::string_view bytes, std::string_view claim, const Window &window,
                  const VerifyOptions &options) {
    TallyResult out;
    Tally &t = out.tally;
    out.log = verify_bytes(bytes, options, [&](const VerdictEntry &e) {
        const std::int64_t day = e.time.day();
        if (day > window.last_day) {
            ++t.later;
            return;
        }
        if (window.first_day && day < *window.first_day) {
            return;
        }
        ++t.episodes;
        if (!claim.empty() && violates(*e.verdict, claim)) {
            ++t.violations;
            const EntryRef ref{e.seq, e.line, e.time};
            if (!t.first_violation) {
                t.first_violation = ref;
            }
            t.last_violation = ref;
        }
    });
    if (!out.log.ok()) {
        out.tally = Tally{};
    }
    return out;
}

} // namespace assure::monitorlog
