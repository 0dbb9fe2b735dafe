// SPDX-License-Identifier: Apache-2.0
#include "report/ci/ci.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace assure::report::ci {

using nlohmann::ordered_json;

namespace {

/// A path as a URI reference (RFC 3986): every byte that is not unreserved or `/` is
/// percent-encoded. An absolute path (a file outside the root) becomes a file: URI.
std::string uri(const std::string &path) {
    std::string out = path.empty() || path.front() != '/' ? "" : "file://";
    for (const char ch : path) {
        const auto u = static_cast<unsigned char>(ch);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/') {
            out += ch;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", u);
            out += buf;
        }
    }
    return out;
}

ordered_json physical(const Location &loc) {
    ordered_json artifact;
    artifact["uri"] = uri(loc.path);
    if (loc.path.front() != '/') {
        artifact["uriBaseId"] = "%SRCROOT%";
    }
    ordered_json region;
    region["startLine"] = loc.line;
    if (loc.column > 0) {
        region["startColumn"] = loc.column;
    }
    return {{"artifactLocation", artifact}, {"region", region}};
}

const char *level_name(Level level) {
    switch (level) {
    case Level::Error:
        return "error";
    case Level::Warning:
        return "warning";
    case Level::Note:
        return "note";
    }
    return "none";
}

/// The SARIF rule name of an id: the code's registry name ("unknown_name"), else the id.
std::string rule_name(const std::string &id) {
    for (const auto &info : support::all_codes()) {
        if (info.id == id) {
            return std::string(info.name);
        }
    }
    return id;
}

} // namespace

std::string render_sarif(const Report &report) {
    // The rules the results use, by id; each result points at its rule by index.
    std::map<std::string, Level> used;
    for (const auto &f : report.findings) {
        const auto [it, fresh] = used.try_emplace(f.rule, f.level);
        if (!fresh && f.level < it->second) {
            it->second = f.level;
        }
    }
    std::map<std::string, std::size_t> index;
    auto rules = ordered_json::array();
    for (const auto &[id, level] : used) {
        index[id] = rules.size();
        ordered_json rule;
        rule["id"] = id;
        rule["name"] = rule_name(id);
        const std::string summary = rule_summary(id);
        rule["shortDescription"] = {{"text", summary.empty() ? id : summary}};
        rule["help"] = {{"text", "docs/diagnostics.md of assure describes " + id}};
        rule["defaultConfiguration"] = {{"level", level_name(level)}};
        rules.push_back(rule);
    }
    auto results = ordered_json::array();
    for (const auto &f : report.findings) {
        ordered_json r;
        r["ruleId"] = f.rule;
        r["ruleIndex"] = index[f.rule];
        // SARIF's `open`: the tool could not tell whether it passes or fails; its level must
        // then be `none` (SARIF 2.1.0, 3.27.10).
        r["kind"] = f.unknown ? "open" : "fail";
        r["level"] = f.unknown ? "none" : level_name(f.level);
        r["message"] = {{"text", f.message}};
        if (f.location.valid()) {
            r["locations"] = ordered_json::array({{{"physicalLocation", physical(f.location)}}});
        }
        if (!f.related.empty()) {
            auto related = ordered_json::array();
            for (std::size_t k = 0; k < f.related.size(); ++k) {
                related.push_back({{"id", k + 1},
                                   {"physicalLocation", physical(f.related[k].location)},
                                   {"message", {{"text", f.related[k].message}}}});
            }
            r["relatedLocations"] = related;
        }
        r["partialFingerprints"] = {{"assureFinding/v1", f.fingerprint}};
        ordered_json props;
        props["status"] = f.unknown                   ? "unknown"
                          : f.level == Level::Error   ? "error"
                          : f.level == Level::Warning ? "warning"
                                                      : "note";
        if (!f.element.empty()) {
            props["element"] = f.element;
        }
        if (!f.claims.empty()) {
            props["claims"] = f.claims;
        }
        r["properties"] = props;
        results.push_back(r);
    }
    ordered_json driver;
    driver["name"] = "assure";
    driver["version"] = report.assure_version;
    driver["semanticVersion"] = report.assure_version;
    driver["rules"] = rules;
    ordered_json run;
    run["tool"] = {{"driver", driver}};
    run["originalUriBaseIds"] = {
        {"%SRCROOT%",
         {{"description",
           {{"text", "The top folder of the repository assure ran in (docs/ci.md, \"Paths\")"}}}}}};
    run["columnKind"] = "unicodeCodePoints";
    run["invocations"] =
        ordered_json::array({{{"executionSuccessful", true}, {"exitCode", report.exit_code}}});
    run["results"] = results;
    ordered_json props;
    props["command"] = "assure " + report.command;
    props["z3"] = report.z3_version;
    if (!report.date.empty()) {
        props["date"] = report.date;
    }
    props["verdict"] = report.headline;
    run["properties"] = props;

    ordered_json log;
    log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    log["version"] = "2.1.0";
    log["properties"] = {{"generator", std::string(kSarifMarker)}};
    log["runs"] = ordered_json::array({run});
    return log.dump(2) + "\n";
}

} // namespace assure::report::ci
