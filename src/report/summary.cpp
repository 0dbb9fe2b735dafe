// SPDX-License-Identifier: Apache-2.0
#include "report/summary.hpp"

#include <nlohmann/json.hpp>

namespace assure::report {

namespace {
std::string plural(std::size_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}
} // namespace

std::string render_summary(const CheckSummary &s) {
    std::string out = "ok: the case is well-formed\n";
    out += "  modules     " + std::to_string(s.modules);
    if (s.stdlib_modules > 0) {
        out += " (" + std::to_string(s.stdlib_modules) + " from the standard library)";
    }
    out += "\n";
    out += "  claims      " + std::to_string(s.claims) + " (" +
           plural(s.top_claims, "top claim", "top claims") + ", " + std::to_string(s.undeveloped) +
           " undeveloped)\n";
    out += "  strategies  " + std::to_string(s.strategies) + "\n";
    out += "  evidence    " + std::to_string(s.evidence) + "\n";
    out += "  defeaters   " + std::to_string(s.defeaters) + "\n";
    out += "  hazards     " + std::to_string(s.hazards) + "\n";
    out += "  rules       " + std::to_string(s.rules) + "\n";
    out += "  warnings    " + std::to_string(s.warnings) + "\n";
    return out;
}

std::string render_summary_json(const CheckSummary &s) {
    nlohmann::ordered_json j;
    j["schema"] = "assure.check/1";
    j["ok"] = true;
    j["modules"] = s.modules;
    j["stdlib_modules"] = s.stdlib_modules;
    j["claims"] = s.claims;
    j["top_claims"] = s.top_claims;
    j["undeveloped_claims"] = s.undeveloped;
    j["strategies"] = s.strategies;
    j["evidence"] = s.evidence;
    j["defeaters"] = s.defeaters;
    j["hazards"] = s.hazards;
    j["rules"] = s.rules;
    j["warnings"] = s.warnings;
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report
