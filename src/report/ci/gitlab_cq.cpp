// SPDX-License-Identifier: Apache-2.0
#include "report/ci/ci.hpp"

#include <nlohmann/json.hpp>

namespace assure::report::ci {

using nlohmann::ordered_json;

namespace {

/// A diagnostic of the case's input (an E code), not a finding of the proof.
bool is_input_error(const Finding &f) {
    return f.level == Level::Error && f.rule.size() == 5 && f.rule[0] == 'E' && f.rule[1] >= '0' &&
           f.rule[1] <= '9';
}

/// GitLab's severities: info, minor, major, critical, blocker.
const char *severity(const Finding &f) {
    if (f.unknown) {
        return "major";
    }
    switch (f.level) {
    case Level::Error:
        return is_input_error(f) ? "blocker" : "critical";
    case Level::Warning:
        return "minor";
    case Level::Note:
        return "info";
    }
    return "info";
}

} // namespace

std::string render_gitlab_cq(const Report &report) {
    auto issues = ordered_json::array();
    for (const auto &f : report.findings) {
        ordered_json issue;
        issue["type"] = "issue";
        issue["engine_name"] = "assure";
        issue["check_name"] = f.rule;
        issue["description"] = (f.unknown ? "unknown: " : "") + f.title + ": " + f.message;
        issue["categories"] = ordered_json::array({"Bug Risk"});
        issue["fingerprint"] = f.fingerprint;
        issue["severity"] = severity(f);
        // GitLab needs a place for every issue: one without its own goes to the first case file.
        const bool located = f.location.valid();
        issue["location"] = {{"path", located ? f.location.path : report.case_path},
                             {"lines", {{"begin", located ? f.location.line : 1u}}}};
        issues.push_back(issue);
    }
    if (issues.empty()) {
        return std::string(kGitlabEmpty);
    }
    return issues.dump(2) + "\n";
}

} // namespace assure::report::ci
