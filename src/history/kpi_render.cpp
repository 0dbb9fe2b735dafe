// SPDX-License-Identifier: Apache-2.0
// `assure kpi` output: the text board and the "assure-kpi" JSON document (docs/history.md).
#include "history/kpi.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace assure::history {
namespace {

using ordered = nlohmann::ordered_json;

std::string plural(std::int64_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "1 d 2 h (93600 s)"; "42 s".
std::string span(std::int64_t seconds) {
    if (seconds > -60 && seconds < 60) {
        return duration_text(seconds);
    }
    return duration_text(seconds) + " (" + std::to_string(seconds) + " s)";
}

/// An exact mean of seconds: "1 d 2 h (93600 s)", or for a mean that is not a whole number of
/// seconds "about 1 d 2 h (280801/3 s)" (rounded half up to the second, for the words only).
std::string mean_span(const std::string &exact) {
    const bool negative = !exact.empty() && exact[0] == '-';
    const std::string magnitude = negative ? exact.substr(1) : exact;
    const std::size_t slash = magnitude.find('/');
    const std::size_t point = magnitude.find('.');
    if (slash == std::string::npos && point == std::string::npos) {
        return span(std::stoll(exact));
    }
    std::int64_t whole = 0;
    if (slash != std::string::npos) {
        const std::int64_t n = std::stoll(magnitude.substr(0, slash));
        const std::int64_t d = std::stoll(magnitude.substr(slash + 1));
        whole = (2 * n + d) / (2 * d);
    } else {
        whole = std::stoll(magnitude.substr(0, point)) + (magnitude[point + 1] >= '5' ? 1 : 0);
    }
    return "about " + duration_text(negative ? -whole : whole) + " (" + exact + " s)";
}

std::string days_words(std::int64_t days) {
    if (days < 0) {
        return plural(-days, "day", "days") + " ago";
    }
    return days == 0 ? "today" : "in " + plural(days, "day", "days");
}

/// Left-aligned columns, two spaces apart, each row indented by two spaces.
std::string table(const std::vector<std::vector<std::string>> &rows) {
    std::vector<std::size_t> width;
    for (const auto &row : rows) {
        width.resize(std::max(width.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    std::string out;
    for (const auto &row : rows) {
        std::string line = "  ";
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size()) {
                line.append(width[c] - row[c].size() + 2, ' ');
            }
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
    }
    return out;
}

std::string opt(const std::optional<std::int64_t> &v) {
    return v ? std::to_string(*v) : "-";
}

ordered ratio_json(const Ratio &r, const char *num_key) {
    ordered j;
    j[num_key] = r.num;
    j["total"] = r.den;
    j["ratio"] = ratio_text(r);
    j["percent"] = r.den > 0 ? ordered(percent_text(r)) : ordered(nullptr);
    return j;
}

ordered opt_json(const std::optional<std::int64_t> &v) {
    return v ? ordered(*v) : ordered(nullptr);
}

ordered text_or_null(const std::string &s) {
    return s.empty() ? ordered(nullptr) : ordered(s);
}

ordered run_json(const RunKpis &p) {
    ordered j;
    j["seq"] = p.seq;
    j["recorded_at"] = p.recorded_at;
    j["judged_at"] = p.judged_at;
    j["command"] = p.command;
    j["trigger"] = p.trigger == 0 ? ordered(nullptr) : ordered(p.trigger);
    j["claims"] = ratio_json(p.claims, "supported");
    j["top_claims"] = ratio_json(p.top_claims, "supported");
    j["evidence_expiry"] = {{"with_expiry", p.with_expiry},
                            {"min_days_left", opt_json(p.min_days_left)},
                            {"expiring", p.expiring},
                            {"expired", p.expired}};
    j["evidence_age"] = {{"dated", p.dated},
                         {"mean_days", p.dated > 0
                                           ? ordered(exact_quotient(p.age_days_sum, p.dated))
                                           : ordered(nullptr)},
                         {"max_days", opt_json(p.max_age_days)}};
    ordered a = ratio_json(p.artifacts_verified, "verified");
    a["missing"] = p.missing;
    a["changed"] = p.changed;
    a["unrecorded"] = p.unrecorded;
    a["other"] = p.other_state;
    j["artifacts"] = std::move(a);
    j["defeaters"] = {{"open", p.open_defeaters},
                      {"oldest_open_seconds", opt_json(p.oldest_open_seconds)}};
    return j;
}

} // namespace

std::string render_kpi_text(const Kpis &k) {
    std::ostringstream out;
    if (k.entries == 0) {
        out << "assure kpi: the history has no entries: nothing to compute\n";
        return out.str();
    }
    const std::int64_t runs = static_cast<std::int64_t>(k.runs.size());
    out << "assure kpi: " << plural(static_cast<std::int64_t>(k.entries), "entry", "entries")
        << " (" << plural(runs, "run", "runs") << ", "
        << plural(static_cast<std::int64_t>(k.impact_runs), "impact run", "impact runs") << ", "
        << plural(static_cast<std::int64_t>(k.events), "event", "events") << "), " << k.first_at
        << " to " << k.last_at << "\n";
    if (k.runs.empty()) {
        out << "no run judges the case as it is (impact runs are what-ifs): no verdict, "
               "freshness, coverage or defeater KPI\n";
    } else {
        const RunKpis &p = k.runs.back();
        out << "at run " << p.seq << " (recorded " << p.recorded_at << ", judged at " << p.judged_at
            << "):\n";
        std::vector<std::vector<std::string>> rows;
        const auto ratio_row = [&rows](const char *what, const Ratio &r, std::string more) {
            rows.push_back({what, ratio_text(r),
                            r.den > 0 ? percent_text(r) + "%" : std::string("-"), std::move(more)});
        };
        ratio_row("top claims supported", p.top_claims, "");
        ratio_row("claims supported", p.claims, "");
        ratio_row("artifacts verified", p.artifacts_verified,
                  "missing " + std::to_string(p.missing) + ", changed " +
                      std::to_string(p.changed) + ", unrecorded " + std::to_string(p.unrecorded));
        out << table(rows);
        out << "  evidence expiry: " << p.with_expiry << " with an expiry date; " << p.expired
            << " expired, " << p.expiring << " expiring within "
            << plural(k.within_days, "day", "days");
        if (p.min_days_left) {
            out << "; soonest expiry " << days_words(*p.min_days_left);
        }
        out << "\n";
        for (const EvidenceExpiry &x : k.expiry) {
            if (x.state != "valid") {
                out << "    " << x.state << "  " << x.name << "  valid until " << x.valid_until
                    << " (" << days_words(x.days_left) << ")\n";
            }
        }
        out << "  evidence age: " << p.dated << " dated";
        if (p.dated > 0) {
            const std::string mean = exact_quotient(p.age_days_sum, p.dated);
            out << "; mean "
                << (mean.find('/') == std::string::npos
                        ? mean
                        : "about " + rounded_text(mean) + " (" + mean + ")")
                << " days, max " << plural(*p.max_age_days, "day", "days");
        }
        out << "\n";
        out << "  open defeaters: " << p.open_defeaters << "\n";
        for (const OpenDefeater &d : k.open_defeaters) {
            out << "    " << d.name << " (on " << d.target << ")  open since entry " << d.since_seq
                << " " << d.since << ": " << span(d.age_seconds) << "\n";
        }
    }

    out << "time to re-assure (top claims): ";
    if (k.episodes.empty()) {
        out << "no top claim lost its support\n";
    } else {
        out << k.closed_episodes << " closed, " << k.open_episodes << " open";
        if (k.closed_episodes > 0) {
            out << "; mean " << mean_span(k.reassure_mean_seconds) << ", max "
                << span(*k.reassure_max_seconds);
        }
        out << "\n";
        std::vector<std::vector<std::string>> rows;
        for (const Episode &ep : k.episodes) {
            std::string from = "lost at run " + std::to_string(ep.lost_seq);
            if (ep.start_seq != ep.lost_seq) {
                from += " after entry " + std::to_string(ep.start_seq);
            }
            rows.push_back(
                {ep.claim, from, ep.start_at,
                 ep.open() ? "open" : "regained at run " + std::to_string(ep.regained_seq),
                 ep.open() ? span(ep.seconds) + " so far" : span(ep.seconds)});
        }
        out << table(rows);
    }

    out << "re-verification cost per change: ";
    if (k.costs.empty()) {
        out << "no impact run\n";
    } else {
        out << k.costed << " of "
            << plural(static_cast<std::int64_t>(k.costs.size()), "impact run", "impact runs")
            << " with a plan cost";
        if (k.costed > 0) {
            out << "; mean " << k.cost_mean;
        }
        out << "\n";
        std::vector<std::vector<std::string>> rows;
        for (const PlanCost &c : k.costs) {
            rows.push_back({"run " + std::to_string(c.seq), c.recorded_at,
                            c.cost.empty() ? "no plan" : "cost " + c.cost,
                            plural(static_cast<std::int64_t>(c.evidence), "piece of evidence",
                                   "pieces of evidence")});
        }
        out << table(rows);
    }

    out << "monitoring alarms: " << k.alarms_raised << " raised, " << k.alarms_resolved
        << " resolved, " << k.alarms_open << " open";
    if (k.alarms_resolved > 0) {
        out << "; time to resolve: mean " << mean_span(k.resolve_mean_seconds) << ", max "
            << span(*k.resolve_max_seconds);
    }
    out << "\n";
    if (k.alarms_raised > 0) {
        std::vector<std::vector<std::string>> rows{
            {"quarter", "raised", "resolved", "mean to resolve", "max to resolve"}};
        for (const QuarterAlarms &q : k.quarters) {
            rows.push_back({q.quarter, std::to_string(q.raised), std::to_string(q.resolved),
                            q.resolved > 0
                                ? mean_span(exact_quotient(q.resolve_seconds_sum, q.resolved))
                                : "-",
                            q.max_resolve_seconds ? span(*q.max_resolve_seconds) : "-"});
        }
        out << table(rows);
        for (const Alarm &a : k.alarms) {
            if (a.open()) {
                out << "  still open: " << a.spec << "  raised at event " << a.raised_seq << " "
                    << a.raised_at << ", " << span(a.seconds) << " so far\n";
            }
        }
    }

    out << "releases: ";
    if (k.releases.empty()) {
        out << "none recorded\n";
    } else {
        out << k.releases.size() << ", " << ratio_text(k.releases_verified)
            << " with a verified, signed evidence packet (" << percent_text(k.releases_verified)
            << "%)\n";
        std::vector<std::vector<std::string>> rows;
        for (const Release &r : k.releases) {
            rows.push_back({"event " + std::to_string(r.seq), r.recorded_at, r.commit,
                            r.packet.empty() ? "packet not said" : r.packet});
        }
        out << table(rows);
    }

    if (!k.runs.empty()) {
        out << "series (one row per run; impact runs left out):\n";
        std::vector<std::vector<std::string>> rows{{"run", "recorded_at", "judged_at", "top",
                                                    "claims", "artifacts", "expiring", "expired",
                                                    "soonest", "defeaters"}};
        for (const RunKpis &p : k.runs) {
            rows.push_back({std::to_string(p.seq), p.recorded_at, p.judged_at,
                            ratio_text(p.top_claims), ratio_text(p.claims),
                            ratio_text(p.artifacts_verified), std::to_string(p.expiring),
                            std::to_string(p.expired), opt(p.min_days_left),
                            std::to_string(p.open_defeaters)});
        }
        out << table(rows);
    }
    return out.str();
}

std::string render_kpi_json(const Kpis &k) {
    ordered doc;
    doc["format"] = "assure-kpi";
    doc["version"] = 1;
    doc["within_days"] = k.within_days;
    doc["entries"] = k.entries;
    doc["runs"] = k.runs.size();
    doc["impact_runs"] = k.impact_runs;
    doc["events"] = k.events;
    doc["first_recorded_at"] = text_or_null(k.first_at);
    doc["last_recorded_at"] = text_or_null(k.last_at);
    doc["head"] = text_or_null(k.last_hash);
    doc["series"] = ordered::array();
    for (const RunKpis &p : k.runs) {
        doc["series"].push_back(run_json(p));
    }

    ordered s;
    if (k.runs.empty()) {
        s["last_run"] = nullptr;
    } else {
        const RunKpis &p = k.runs.back();
        ordered last = run_json(p);
        ordered pieces = ordered::array();
        for (const EvidenceExpiry &x : k.expiry) {
            pieces.push_back({{"name", x.name},
                              {"valid_until", x.valid_until},
                              {"days_left", x.days_left},
                              {"state", x.state}});
        }
        last["evidence_expiry"]["pieces"] = std::move(pieces);
        ordered open = ordered::array();
        for (const OpenDefeater &d : k.open_defeaters) {
            open.push_back({{"name", d.name},
                            {"target", d.target},
                            {"since_seq", d.since_seq},
                            {"since", d.since},
                            {"age_seconds", d.age_seconds},
                            {"age_days", d.age_seconds / 86400}});
        }
        last["defeaters"]["open_list"] = std::move(open);
        s["last_run"] = std::move(last);
    }

    ordered episodes = ordered::array();
    for (const Episode &ep : k.episodes) {
        episodes.push_back(
            {{"claim", ep.claim},
             {"lost_seq", ep.lost_seq},
             {"start_seq", ep.start_seq},
             {"start_at", ep.start_at},
             {"open", ep.open()},
             {"regained_seq", ep.open() ? ordered(nullptr) : ordered(ep.regained_seq)},
             {"end_at", ep.end_at},
             {"seconds", ep.seconds}});
    }
    s["time_to_reassure"] = {{"closed", k.closed_episodes},
                             {"open", k.open_episodes},
                             {"mean_seconds", text_or_null(k.reassure_mean_seconds)},
                             {"max_seconds", opt_json(k.reassure_max_seconds)},
                             {"episodes", std::move(episodes)}};

    ordered costs = ordered::array();
    for (const PlanCost &c : k.costs) {
        costs.push_back({{"seq", c.seq},
                         {"recorded_at", c.recorded_at},
                         {"cost", text_or_null(c.cost)},
                         {"evidence", c.evidence}});
    }
    s["reverification_cost"] = {{"impact_runs", k.costs.size()},
                                {"with_cost", k.costed},
                                {"mean", text_or_null(k.cost_mean)},
                                {"runs", std::move(costs)}};

    ordered quarters = ordered::array();
    for (const QuarterAlarms &q : k.quarters) {
        quarters.push_back(
            {{"quarter", q.quarter},
             {"raised", q.raised},
             {"resolved", q.resolved},
             {"mean_resolve_seconds",
              q.resolved > 0 ? ordered(exact_quotient(q.resolve_seconds_sum, q.resolved))
                             : ordered(nullptr)},
             {"max_resolve_seconds", opt_json(q.max_resolve_seconds)}});
    }
    ordered alarms = ordered::array();
    for (const Alarm &a : k.alarms) {
        alarms.push_back({{"name", a.name},
                          {"spec", a.spec},
                          {"raised_seq", a.raised_seq},
                          {"raised_at", a.raised_at},
                          {"quarter", a.quarter},
                          {"open", a.open()},
                          {"resolved_seq", a.open() ? ordered(nullptr) : ordered(a.resolved_seq)},
                          {"resolved_at", text_or_null(a.resolved_at)},
                          {"seconds", a.seconds}});
    }
    s["alarms"] = {{"raised", k.alarms_raised},
                   {"resolved", k.alarms_resolved},
                   {"open", k.alarms_open},
                   {"mean_resolve_seconds", text_or_null(k.resolve_mean_seconds)},
                   {"max_resolve_seconds", opt_json(k.resolve_max_seconds)},
                   {"quarters", std::move(quarters)},
                   {"list", std::move(alarms)}};

    ordered releases = ordered::array();
    for (const Release &r : k.releases) {
        releases.push_back({{"seq", r.seq},
                            {"recorded_at", r.recorded_at},
                            {"commit", r.commit},
                            {"packet", text_or_null(r.packet)}});
    }
    ordered rel = ratio_json(k.releases_verified, "verified");
    rel["list"] = std::move(releases);
    s["releases"] = std::move(rel);
    doc["summary"] = std::move(s);
    return doc.dump(2) + "\n";
}

} // namespace assure::history
