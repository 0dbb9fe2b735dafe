// SPDX-License-Identifier: Apache-2.0
#include "history/run.hpp"

#include "support/sha256.hpp"

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

namespace assure::history {
namespace {

using nlohmann::json;

std::string str(const json &j, const char *key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json &arr(const json &j, const char *key) {
    static const json empty = json::array();
    const auto it = j.find(key);
    return it != j.end() && it->is_array() ? *it : empty;
}

std::string bindings_text(const json &v) {
    std::string out;
    for (const auto &b : arr(v, "bindings")) {
        out += (out.empty() ? "" : ", ") + str(b, "var") + " = " + str(b, "element");
    }
    return out;
}

std::string joined(const json &names) {
    std::string out;
    for (const auto &n : names) {
        if (n.is_string()) {
            out += (out.empty() ? "" : ", ") + n.get<std::string>();
        }
    }
    return out;
}

} // namespace

bool fill_from_proof_json(Run &run, const std::string &proof_json, std::string &error) {
    const json doc = json::parse(proof_json, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || str(doc, "format") != "assure-prove") {
        error = "not an assure-prove document";
        return false;
    }
    run.judged_at = str(doc, "date");
    run.assure_version = str(doc, "assure");
    run.z3_version = str(doc, "z3");
    run.result = str(doc, "result");
    if (const auto it = doc.find("exit_code"); it != doc.end() && it->is_number_integer()) {
        run.exit_code = it->get<int>();
    }
    for (const auto &a : arr(doc, "artifacts")) {
        run.artifacts.push_back(
            {str(a, "name"), str(a, "path"), str(a, "sha256"), str(a, "state")});
    }
    for (const auto &c : arr(doc, "claims")) {
        const auto top = c.find("top");
        run.claims.push_back({str(c, "name"),
                              top != c.end() && top->is_boolean() && top->get<bool>(),
                              str(c, "verdict")});
    }
    for (const auto &e : arr(doc, "evidence")) {
        EvidenceRecord rec{str(e, "name"), str(e, "status"), {}, {}, {}};
        for (const auto &r : arr(e, "reasons")) {
            rec.reasons.push_back(str(r, "kind") + ": " + str(r, "message"));
        }
        run.evidence.push_back(std::move(rec));
    }
    for (const auto &d : arr(doc, "defeaters")) {
        run.defeaters.push_back(
            {str(d, "name"), str(d, "target"), str(d, "status"), str(d, "activity") == "active"});
    }
    for (const auto &t : arr(doc, "top_claims")) {
        for (const auto &rc : arr(t, "root_causes")) {
            run.findings.push_back({"root_cause", str(t, "name"), str(rc, "element"),
                                    str(rc, "kind") + ": " + str(rc, "message")});
        }
    }
    for (const auto &rule : arr(doc, "rules")) {
        for (const auto &v : arr(rule, "violations")) {
            run.findings.push_back(
                {"rule_violation", str(rule, "name"), "",
                 "violated for " + bindings_text(v) + "; fails " + joined(arr(v, "fails"))});
        }
        for (const auto &v : arr(rule, "undecided")) {
            run.findings.push_back({"rule_undecided", str(rule, "name"), "",
                                    "undecided for " + bindings_text(v) + " (" + str(v, "reason") +
                                        "); fails " + joined(arr(v, "fails"))});
        }
    }
    for (const auto &h : arr(doc, "hazards")) {
        for (const auto &f : arr(h, "findings")) {
            run.findings.push_back(
                {"risk", str(h, "name"), str(f, "claim"),
                 str(f, "kind") + " (" + str(f, "status") + "): " + str(f, "message")});
        }
    }
    return true;
}

std::string case_digest(const std::vector<CaseFile> &files) {
    std::string text;
    for (const auto &f : files) {
        text += f.path;
        text += '\0';
        text += f.sha256;
        text += '\n';
    }
    return support::sha256_hex(text);
}

std::string utc_timestamp(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace assure::history
