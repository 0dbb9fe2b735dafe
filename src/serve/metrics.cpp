// SPDX-License-Identifier: Apache-2.0
#include "serve/metrics.hpp"

#include "prove/prove.hpp"

#include <map>

namespace assure::serve {
namespace {

/// A label value: backslash, double quote and line feed escaped.
std::string label(const std::string &v) {
    std::string out;
    for (const char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

void family(std::string &out, const char *name, const char *type, const char *help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

} // namespace

std::string render_metrics(const live::Snapshot &snap, std::int64_t entries,
                           const history::Kpis *kpis) {
    const history::Run &run = snap.run;
    std::string out;
    std::size_t claims = 0;
    std::size_t supported = 0;
    std::size_t top = 0;
    std::size_t top_supported = 0;
    for (const auto &c : run.claims) {
        ++claims;
        supported += c.verdict == "supported" ? 1 : 0;
        top += c.top ? 1 : 0;
        top_supported += c.top && c.verdict == "supported" ? 1 : 0;
    }
    family(out, "assure_claims", "gauge", "Claims of the case, by verdict.");
    std::map<std::string, std::size_t> by_verdict{
        {"supported", 0}, {"unsupported", 0}, {"undeveloped", 0}, {"unknown", 0}};
    for (const auto &c : run.claims) {
        ++by_verdict[c.verdict];
    }
    for (const auto &[verdict, n] : by_verdict) {
        out += "assure_claims{verdict=\"" + label(verdict) + "\"} " + std::to_string(n) + "\n";
    }
    family(out, "assure_top_claim_supported", "gauge",
           "1 when the top claim is supported, else 0.");
    for (const auto &c : run.claims) {
        if (c.top) {
            out += "assure_top_claim_supported{claim=\"" + label(c.name) + "\"} " +
                   (c.verdict == "supported" ? "1" : "0") + "\n";
        }
    }
    family(out, "assure_supported_ratio", "gauge",
           "Supported claims over all claims (scope=all) and top claims (scope=top).");
    auto ratio = [](std::size_t n, std::size_t d) {
        return d == 0 ? std::string("NaN")
                      : std::to_string(static_cast<double>(n) / static_cast<double>(d));
    };
    out += "assure_supported_ratio{scope=\"all\"} " + ratio(supported, claims) + "\n";
    out += "assure_supported_ratio{scope=\"top\"} " + ratio(top_supported, top) + "\n";
    family(out, "assure_evidence", "gauge", "Pieces of evidence, by status.");
    std::map<std::string, std::size_t> by_status{{"valid", 0}, {"invalid", 0}, {"unknown", 0}};
    for (const auto &e : run.evidence) {
        ++by_status[e.status];
    }
    for (const auto &[status, n] : by_status) {
        out += "assure_evidence{status=\"" + label(status) + "\"} " + std::to_string(n) + "\n";
    }
    // Days to expiry of the evidence that expires, judged at the date judged at.
    const auto today = prove::parse_date(run.judged_at);
    family(out, "assure_evidence_days_to_expiry", "gauge",
           "Days from the date judged at to the evidence's expiry date (negative: expired).");
    for (const auto &e : run.evidence) {
        const auto until = prove::parse_date(e.valid_until);
        if (today && until) {
            out += "assure_evidence_days_to_expiry{evidence=\"" + label(e.name) + "\"} " +
                   std::to_string(sema::days_from_civil(*until) - sema::days_from_civil(*today)) +
                   "\n";
        }
    }
    family(out, "assure_artifacts", "gauge", "Artifacts, by state.");
    std::map<std::string, std::size_t> by_state{
        {"verified", 0}, {"changed", 0}, {"missing", 0}, {"unrecorded", 0}};
    for (const auto &a : run.artifacts) {
        ++by_state[a.state];
    }
    for (const auto &[state, n] : by_state) {
        out += "assure_artifacts{state=\"" + label(state) + "\"} " + std::to_string(n) + "\n";
    }
    family(out, "assure_defeaters_open", "gauge", "Defeaters whose status is open.");
    std::size_t open = 0;
    for (const auto &d : run.defeaters) {
        open += d.status == "open" ? 1 : 0;
    }
    out += "assure_defeaters_open " + std::to_string(open) + "\n";
    family(out, "assure_events_total", "counter", "Events applied since the service started.");
    out += "assure_events_total " + std::to_string(snap.events) + "\n";
    family(out, "assure_history_entries", "gauge", "Entries of the history (runs and events).");
    out += "assure_history_entries " + std::to_string(entries) + "\n";
    family(out, "assure_result", "gauge",
           "The proof's exit code: 0 supported, 3 unknown, 5 not supported.");
    out += "assure_result " + std::to_string(run.exit_code) + "\n";
    if (kpis == nullptr) {
        return out;
    }
    // The history's KPIs (docs/history.md, "KPIs"): durations in seconds.
    std::size_t open_episodes = 0;
    std::size_t closed = 0;
    std::int64_t closed_sum = 0;
    for (const auto &e : kpis->episodes) {
        if (e.open()) {
            ++open_episodes;
        } else {
            ++closed;
            closed_sum += e.seconds;
        }
    }
    family(out, "assure_reassure_open_episodes", "gauge",
           "Top claims not supported now, since a run or event lost them.");
    out += "assure_reassure_open_episodes " + std::to_string(open_episodes) + "\n";
    family(out, "assure_reassure_seconds", "summary",
           "Time to re-assure: from losing a top claim to the first run supporting it again.");
    out += "assure_reassure_seconds_sum " + std::to_string(closed_sum) + "\n";
    out += "assure_reassure_seconds_count " + std::to_string(closed) + "\n";
    std::size_t raised = 0;
    std::size_t open_alarms = 0;
    std::size_t resolved = 0;
    std::int64_t resolve_sum = 0;
    for (const auto &a : kpis->alarms) {
        ++raised;
        if (a.open()) {
            ++open_alarms;
        } else {
            ++resolved;
            resolve_sum += a.seconds;
        }
    }
    family(out, "assure_alarms_raised_total", "counter", "Monitoring alarms raised.");
    out += "assure_alarms_raised_total " + std::to_string(raised) + "\n";
    family(out, "assure_alarms_open", "gauge", "Monitoring alarms not resolved yet.");
    out += "assure_alarms_open " + std::to_string(open_alarms) + "\n";
    family(out, "assure_alarm_resolve_seconds", "summary",
           "Time from raising a monitoring alarm to resolving it.");
    out += "assure_alarm_resolve_seconds_sum " + std::to_string(resolve_sum) + "\n";
    out += "assure_alarm_resolve_seconds_count " + std::to_string(resolved) + "\n";
    if (!kpis->runs.empty()) {
        const auto &last = kpis->runs.back();
        family(out, "assure_evidence_expiring", "gauge",
               "Evidence expiring within the KPI window (days label), not expired yet.");
        out += "assure_evidence_expiring{days=\"" + std::to_string(kpis->within_days) + "\"} " +
               std::to_string(last.expiring) + "\n";
        family(out, "assure_evidence_expired", "gauge", "Evidence past its expiry date.");
        out += "assure_evidence_expired " + std::to_string(last.expired) + "\n";
    }
    std::size_t verified = 0;
    for (const auto &r : kpis->releases) {
        verified += r.packet == "verified" ? 1 : 0;
    }
    family(out, "assure_releases_total", "counter",
           "Releases recorded, and those whose evidence packet verified (packet=verified).");
    out += "assure_releases_total " + std::to_string(kpis->releases.size()) + "\n";
    out += "assure_releases_total{packet=\"verified\"} " + std::to_string(verified) + "\n";
    return out;
}

} // namespace assure::serve
