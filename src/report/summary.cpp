// SPDX-License-Identifier: Apache-2.0
#include "report/summary.hpp"

#include "report/diagnostics_json.hpp"

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

std::string render_check_json(const CheckSummary *summary, const support::Diagnostics &diags,
                              const support::SourceManager &sources) {
    nlohmann::ordered_json j;
    j["format"] = "assure-check";
    j["version"] = 2;
    j["ok"] = !diags.has_errors();
    j["errors"] = diags.error_count();
    j["warnings"] = diags.warning_count();
    j["diagnostics"] = diagnostics_array(diags, sources);
    if (summary == nullptr) {
        j["summary"] = nullptr;
    } else {
        const CheckSummary &s = *summary;
        nlohmann::ordered_json c;
        c["modules"] = s.modules;
        c["stdlib_modules"] = s.stdlib_modules;
        c["claims"] = s.claims;
        c["top_claims"] = s.top_claims;
        c["undeveloped_claims"] = s.undeveloped;
        c["strategies"] = s.strategies;
        c["evidence"] = s.evidence;
        c["defeaters"] = s.defeaters;
        c["hazards"] = s.hazards;
        c["rules"] = s.rules;
        j["summary"] = std::move(c);
    }
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report
