// SPDX-License-Identifier: Apache-2.0
// The History section (`assure report --history DB`): the history's KPIs (history/kpi.hpp) as
// a board, inline SVG charts (each with a title, a description and its data as a table) and
// tables of episodes, costs, alarms and releases. The SVG is written here by hand: integer
// coordinates in tenths of a pixel, fixed colours with a dash pattern per series (so a black and
// white print tells them apart), every text escaped.
#include "history/kpi.hpp"
#include "report/html/page.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace assure::report::html::detail {

namespace {

using history::Kpis;
using history::Ratio;
using history::RunKpis;

// The chart's geometry, in pixels.
constexpr std::int64_t kWidth = 720;
constexpr std::int64_t kHeight = 250;
constexpr std::int64_t kLeft = 56;
constexpr std::int64_t kRight = 20;
constexpr std::int64_t kTop = 34;
constexpr std::int64_t kBottom = 40;
constexpr std::int64_t kPlotW = kWidth - kLeft - kRight;
constexpr std::int64_t kPlotH = kHeight - kTop - kBottom;

/// Tenths of a pixel as SVG text: "123.4", "-5", "0".
std::string px(std::int64_t tenths) {
    const bool negative = tenths < 0;
    const std::int64_t v = negative ? -tenths : tenths;
    std::string s = (negative ? "-" : "") + std::to_string(v / 10);
    if (v % 10 != 0) {
        s += "." + std::to_string(v % 10);
    }
    return s;
}

struct Style {
    const char *colour;
    const char *dash; // "" for a solid line
};

constexpr Style kStyles[] = {
    {"#0969da", ""}, {"#cf222e", "7 4"}, {"#1a7f37", "2 3"}, {"#8250df", "10 3 2 3"}};

/// One line of a chart: the value of each point as a fraction num/den of the axis (den 0: no
/// value there, the line breaks).
struct Line {
    std::string label;
    std::vector<Ratio> values; // one per x
};

struct Axis {
    std::vector<std::pair<Ratio, std::string>> ticks; // fraction of the height, label
};

/// A step chart over time: x are Unix times (one per point, in chain order).
struct StepChart {
    std::string id;
    std::string title;
    std::string desc;
    std::vector<std::int64_t> x;
    std::vector<Line> lines;
    Axis axis;
};

std::int64_t x_tenths(const std::vector<std::int64_t> &xs, std::int64_t t) {
    const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
    if (*hi == *lo) {
        return (kLeft + kPlotW / 2) * 10;
    }
    return kLeft * 10 + (t - *lo) * kPlotW * 10 / (*hi - *lo);
}

std::int64_t y_tenths(const Ratio &r) {
    const std::int64_t num = std::clamp<std::int64_t>(r.num, 0, r.den);
    return (kTop + kPlotH) * 10 - num * kPlotH * 10 / r.den;
}

/// "YYYY-MM-DD", or "MM-DD HH:MM" when the chart spans less than four days.
std::string time_label(std::int64_t t, std::int64_t span) {
    const std::string stamp = history::utc_timestamp(t);
    return span < 4 * 86400 ? stamp.substr(5, 5) + " " + stamp.substr(11, 5) : stamp.substr(0, 10);
}

void open_svg(Page &page, const std::string &id, const std::string &title,
              const std::string &desc) {
    page.raw("<svg class=\"chart\" id=\"" + id + "\" role=\"img\" aria-labelledby=\"" + id + "-t " +
             id + "-d\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(kHeight) +
             "\" width=\"" + std::to_string(kWidth) + "\" height=\"" + std::to_string(kHeight) +
             "\" font-family=\"system-ui,'DejaVu Sans',Arial,sans-serif\" font-size=\"12\">"
             "<title id=\"" +
             id + "-t\">");
    page.text(title);
    page.raw("</title><desc id=\"" + id + "-d\">");
    page.text(desc);
    page.raw("</desc>");
}

void grid(Page &page, const Axis &axis) {
    for (const auto &[fraction, label] : axis.ticks) {
        const std::string y = px(y_tenths(fraction));
        page.raw("<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" +
                 std::to_string(kLeft + kPlotW) + "\" y1=\"" + y + "\" y2=\"" + y +
                 "\" stroke=\"#d1d9e0\" stroke-width=\"1\"/><text x=\"" +
                 std::to_string(kLeft - 6) + "\" y=\"" + y +
                 "\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#59636e\">");
        page.text(label);
        page.raw("</text>");
    }
    page.raw("<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(kLeft) +
             "\" y1=\"" + std::to_string(kTop) + "\" y2=\"" + std::to_string(kTop + kPlotH) +
             "\" stroke=\"#59636e\" stroke-width=\"1\"/>");
}

void legend(Page &page, const std::vector<std::string> &labels, const std::vector<Style> &styles,
            bool boxes) {
    std::int64_t x = kLeft;
    for (std::size_t k = 0; k < labels.size(); ++k) {
        const Style &s = styles[k];
        if (boxes) {
            page.raw("<rect x=\"" + std::to_string(x) + "\" y=\"8\" width=\"14\" height=\"12\" " +
                     (k == 0 ? std::string("fill=\"") + s.colour + "\""
                             : std::string("fill=\"#ffffff\" stroke=\"") + s.colour +
                                   "\" stroke-width=\"2\"") +
                     "/>");
        } else {
            page.raw("<line x1=\"" + std::to_string(x) + "\" x2=\"" + std::to_string(x + 22) +
                     "\" y1=\"14\" y2=\"14\" stroke=\"" + s.colour + "\" stroke-width=\"2.5\"" +
                     (*s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : "") + "/>");
        }
        page.raw("<text x=\"" + std::to_string(x + 28) +
                 "\" y=\"14\" dominant-baseline=\"middle\" "
                 "fill=\"#1f2328\">");
        page.text(labels[k]);
        page.raw("</text>");
        x += 28 + static_cast<std::int64_t>(labels[k].size()) * 7 + 24;
    }
}

void caption(Page &page, const std::string &title) {
    page.raw("<figcaption class=\"lbl\">");
    page.text(title);
    page.raw("</figcaption>");
}

void step_chart(Page &page, const StepChart &c) {
    caption(page, c.title);
    open_svg(page, c.id, c.title, c.desc);
    grid(page, c.axis);
    std::vector<std::string> labels;
    std::vector<Style> styles;
    for (std::size_t k = 0; k < c.lines.size(); ++k) {
        labels.push_back(c.lines[k].label);
        styles.push_back(kStyles[k % 4]);
    }
    legend(page, labels, styles, false);
    const auto [lo, hi] = std::minmax_element(c.x.begin(), c.x.end());
    const std::int64_t span = *hi - *lo;
    const int label_count = span == 0 ? 1 : 5;
    for (int k = 0; k < label_count; ++k) {
        const std::int64_t t = span == 0 ? *lo : *lo + span * k / (label_count - 1);
        const std::int64_t x = x_tenths(c.x, t);
        const char *anchor = label_count == 1       ? "middle"
                             : k == 0               ? "start"
                             : k == label_count - 1 ? "end"
                                                    : "middle";
        page.raw("<line x1=\"" + px(x) + "\" x2=\"" + px(x) + "\" y1=\"" +
                 std::to_string(kTop + kPlotH) + "\" y2=\"" + std::to_string(kTop + kPlotH + 5) +
                 "\" stroke=\"#59636e\"/><text x=\"" + px(x) + "\" y=\"" +
                 std::to_string(kTop + kPlotH + 18) + "\" text-anchor=\"" + anchor +
                 "\" fill=\"#59636e\">");
        page.text(time_label(t, span));
        page.raw("</text>");
    }
    const bool markers = c.x.size() <= 60;
    for (std::size_t k = 0; k < c.lines.size(); ++k) {
        const Line &line = c.lines[k];
        const Style &s = kStyles[k % 4];
        std::string d;
        bool pen = false;
        std::string dots;
        for (std::size_t i = 0; i < c.x.size(); ++i) {
            const Ratio &v = line.values[i];
            if (v.den <= 0) {
                pen = false;
                continue;
            }
            const std::string x = px(x_tenths(c.x, c.x[i]));
            const std::string y = px(y_tenths(v));
            // Step after: the value holds until the next run.
            d += pen ? "H" + x + "V" + y : "M" + x + " " + y;
            pen = true;
            if (markers) {
                dots +=
                    "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"3\" fill=\"" + s.colour + "\"/>";
            }
        }
        if (!d.empty()) {
            page.raw("<path d=\"" + d + "\" fill=\"none\" stroke=\"" + s.colour +
                     "\" stroke-width=\"2.5\"" +
                     (*s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : "") + "/>");
        }
        page.raw(dots);
    }
    page.raw("</svg>");
}

/// Ticks for counts up to `most`: a round step (1, 2, 5 times a power of ten) giving at most
/// five intervals, and the axis top, a multiple of it.
Axis count_axis(std::int64_t most, std::int64_t &top) {
    std::int64_t step = 1;
    for (std::int64_t base = 1;; base *= 10) {
        if (most <= 5 * base) {
            step = base;
            break;
        }
        if (most <= 10 * base) {
            step = 2 * base;
            break;
        }
        if (most <= 25 * base) {
            step = 5 * base;
            break;
        }
    }
    top = std::max<std::int64_t>(step, (most + step - 1) / step * step);
    Axis a;
    for (std::int64_t v = 0; v <= top; v += step) {
        a.ticks.push_back({{v, top}, std::to_string(v)});
    }
    return a;
}

Axis percent_axis() {
    Axis a;
    for (int v = 0; v <= 100; v += 25) {
        a.ticks.push_back({{v, 100}, std::to_string(v) + "%"});
    }
    return a;
}

std::string ratio_words(const Ratio &r) {
    return r.den > 0 ? history::ratio_text(r) + " (" + history::percent_text(r) + "%)"
                     : std::string("none");
}

void cell(Page &page, const std::string &text, bool number = false) {
    page.raw(number ? "<td class=\"n\">" : "<td>");
    page.text(text);
    page.raw("</td>");
}

void head(Page &page, std::initializer_list<const char *> columns) {
    page.raw("<tr>");
    for (const char *c : columns) {
        page.raw("<th>");
        page.raw(c);
        page.raw("</th>");
    }
    page.raw("</tr>");
}

/// "1 d 2 h (93600 s)"; "42 s".
std::string span_words(std::int64_t seconds) {
    if (seconds > -60 && seconds < 60) {
        return history::duration_text(seconds);
    }
    return history::duration_text(seconds) + " (" + std::to_string(seconds) + " s)";
}

std::string counted(std::int64_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// An exact mean for reading: "258", or "about 433.4 (5201/12)".
std::string mean_words(const std::string &exact) {
    return exact.find('/') == std::string::npos
               ? exact
               : "about " + history::rounded_text(exact) + " (" + exact + ")";
}

void board(Page &page, const Kpis &k) {
    const RunKpis &p = k.runs.back();
    page.raw("<h3>At the last run</h3><p class=\"muted\">Run ");
    page.raw(std::to_string(p.seq));
    page.raw(", recorded ");
    page.text(p.recorded_at);
    page.raw(", judged at ");
    page.text(p.judged_at);
    page.raw(".</p><table class=\"counts kpi-board\">");
    const auto row = [&page](const char *what, const std::string &value, const std::string &more) {
        page.raw("<tr><th>");
        page.raw(what);
        page.raw("</th><td class=\"n\">");
        page.text(value);
        page.raw("</td><td>");
        page.text(more);
        page.raw("</td></tr>");
    };
    row("Top claims supported", ratio_words(p.top_claims), "");
    row("Claims supported", ratio_words(p.claims), "");
    row("Artifacts verified", ratio_words(p.artifacts_verified),
        std::to_string(p.missing) + " missing, " + std::to_string(p.changed) + " changed, " +
            std::to_string(p.unrecorded) + " unrecorded");
    row("Evidence expired", std::to_string(p.expired),
        "of " + std::to_string(p.with_expiry) + " with an expiry date; " +
            std::to_string(p.expiring) + " expiring within " + std::to_string(k.within_days) +
            " days" +
            (!p.min_days_left ? std::string()
             : *p.min_days_left < 0
                 ? "; the soonest expired " + counted(-*p.min_days_left, "day", "days") + " ago"
                 : "; the soonest expires in " + counted(*p.min_days_left, "day", "days")));
    row("Evidence age",
        p.dated > 0 ? mean_words(history::exact_quotient(p.age_days_sum, p.dated)) : "-",
        p.dated > 0
            ? "mean days since produced, over " + counted(p.dated, "dated piece", "dated pieces") +
                  "; max " + counted(*p.max_age_days, "day", "days")
            : "no piece of evidence is dated");
    row("Open defeaters", std::to_string(p.open_defeaters),
        p.oldest_open_seconds ? "the oldest open for " + span_words(*p.oldest_open_seconds) : "");
    row("Time to re-assure (max)",
        k.closed_episodes > 0 ? span_words(*k.reassure_max_seconds) : "-",
        (k.closed_episodes > 0
             ? "over " + counted(k.closed_episodes, "closed episode", "closed episodes") +
                   "; mean " + mean_words(k.reassure_mean_seconds) + " s; "
             : std::string("no closed episode; ")) +
            counted(k.open_episodes, "episode", "episodes") + " still open");
    row("Re-verification cost per change", k.costed > 0 ? mean_words(k.cost_mean) : "-",
        "the mean plan cost over " + counted(k.costed, "impact run", "impact runs") +
            " with a plan");
    row("Monitoring alarms raised", std::to_string(k.alarms_raised),
        std::to_string(k.alarms_resolved) + " resolved, " + std::to_string(k.alarms_open) +
            " open" +
            (k.alarms_resolved > 0
                 ? "; mean time to resolve " + mean_words(k.resolve_mean_seconds) + " s"
                 : ""));
    row("Releases verified", ratio_words(k.releases_verified),
        "releases whose evidence packet verified with a signature");
    page.raw("</table>");
}

/// A chart's data as a table, behind a <details> (opened for printing by the page's script).
void data_table(Page &page, const Kpis &k, const std::vector<const char *> &columns,
                const std::function<std::vector<std::string>(const RunKpis &)> &values) {
    page.raw("<details class=\"chart-data\"><summary>The data as a table</summary>");
    const bool deferred = page.open_deferred(k.runs.size(), "the table", 300);
    page.raw("<table><tr><th>Run</th><th>Recorded at</th>");
    for (const char *c : columns) {
        page.raw("<th>");
        page.raw(c);
        page.raw("</th>");
    }
    page.raw("</tr>");
    for (const RunKpis &p : k.runs) {
        page.raw("<tr>");
        cell(page, std::to_string(p.seq), true);
        cell(page, p.recorded_at);
        for (const std::string &v : values(p)) {
            cell(page, v, true);
        }
        page.raw("</tr>");
    }
    page.raw("</table>");
    page.close_deferred(deferred);
    page.raw("</details>");
}

std::string first_last(const std::vector<RunKpis> &runs,
                       const std::function<std::string(const RunKpis &)> &of) {
    return runs.size() == 1
               ? of(runs.front()) + " at the only run"
               : of(runs.front()) + " at the first run, " + of(runs.back()) + " at the last";
}

void charts(Page &page, const Kpis &k) {
    std::vector<std::int64_t> xs;
    for (const RunKpis &p : k.runs) {
        xs.push_back(*history::parse_utc_time(p.recorded_at));
    }
    // Supported and verified shares.
    {
        StepChart c;
        c.id = "history-ratios";
        c.title = "Top claims and claims supported, artifacts verified (% per run)";
        c.desc =
            "Top claims supported: " +
            first_last(k.runs, [](const RunKpis &p) { return ratio_words(p.top_claims); }) +
            ". Claims supported: " +
            first_last(k.runs, [](const RunKpis &p) { return ratio_words(p.claims); }) +
            ". Artifacts verified: " +
            first_last(k.runs, [](const RunKpis &p) { return ratio_words(p.artifacts_verified); }) +
            ".";
        c.x = xs;
        c.axis = percent_axis();
        Line tops{"top claims supported", {}}, claims{"claims supported", {}},
            arts{"artifacts verified", {}};
        for (const RunKpis &p : k.runs) {
            tops.values.push_back(p.top_claims);
            claims.values.push_back(p.claims);
            arts.values.push_back(p.artifacts_verified);
        }
        c.lines = {tops, claims, arts};
        page.raw("<figure class=\"chart-block\">");
        step_chart(page, c);
        data_table(page, k, {"Top claims supported", "Claims supported", "Artifacts verified"},
                   [](const RunKpis &p) {
                       return std::vector<std::string>{ratio_words(p.top_claims),
                                                       ratio_words(p.claims),
                                                       ratio_words(p.artifacts_verified)};
                   });
        page.raw("</figure>");
    }
    // Evidence expiring and expired.
    {
        std::int64_t most = 0;
        for (const RunKpis &p : k.runs) {
            most = std::max({most, p.expiring, p.expired});
        }
        std::int64_t top = 1;
        StepChart c;
        c.id = "history-expiry";
        c.title = "Evidence expiring within " + std::to_string(k.within_days) +
                  " days, and expired (pieces per run)";
        c.desc = "Expiring: " +
                 first_last(k.runs, [](const RunKpis &p) { return std::to_string(p.expiring); }) +
                 ". Expired: " +
                 first_last(k.runs, [](const RunKpis &p) { return std::to_string(p.expired); }) +
                 ".";
        c.x = xs;
        c.axis = count_axis(most, top);
        Line expiring{"expiring within " + std::to_string(k.within_days) + " days", {}},
            expired{"expired", {}};
        for (const RunKpis &p : k.runs) {
            expiring.values.push_back({p.expiring, top});
            expired.values.push_back({p.expired, top});
        }
        c.lines = {expiring, expired};
        page.raw("<figure class=\"chart-block\">");
        step_chart(page, c);
        data_table(page, k, {"Expiring", "Expired", "With an expiry date", "Soonest (days)"},
                   [](const RunKpis &p) {
                       return std::vector<std::string>{
                           std::to_string(p.expiring), std::to_string(p.expired),
                           std::to_string(p.with_expiry),
                           p.min_days_left ? std::to_string(*p.min_days_left) : "-"};
                   });
        page.raw("</figure>");
    }
    // Open defeaters.
    {
        std::int64_t most = 0;
        for (const RunKpis &p : k.runs) {
            most = std::max(most, p.open_defeaters);
        }
        std::int64_t top = 1;
        StepChart c;
        c.id = "history-defeaters";
        c.title = "Open defeaters (per run)";
        c.desc =
            "Open defeaters: " +
            first_last(k.runs, [](const RunKpis &p) { return std::to_string(p.open_defeaters); }) +
            ".";
        c.x = xs;
        c.axis = count_axis(most, top);
        Line open{"open defeaters", {}};
        for (const RunKpis &p : k.runs) {
            open.values.push_back({p.open_defeaters, top});
        }
        c.lines = {open};
        page.raw("<figure class=\"chart-block\">");
        step_chart(page, c);
        data_table(page, k, {"Open defeaters", "Oldest open"}, [](const RunKpis &p) {
            return std::vector<std::string>{
                std::to_string(p.open_defeaters),
                p.oldest_open_seconds ? span_words(*p.oldest_open_seconds) : "-"};
        });
        page.raw("</figure>");
    }
}

void alarm_chart(Page &page, const Kpis &k) {
    std::int64_t most = 0;
    for (const auto &q : k.quarters) {
        most = std::max(most, q.raised);
    }
    std::int64_t top = 1;
    const Axis axis = count_axis(most, top);
    std::string desc;
    for (const auto &q : k.quarters) {
        desc += (desc.empty() ? "" : "; ") + q.quarter + ": " + std::to_string(q.raised) +
                " raised, " + std::to_string(q.resolved) + " resolved";
    }
    const std::string title = "Monitoring alarms raised and resolved, per quarter raised";
    page.raw("<figure class=\"chart-block\">");
    caption(page, title);
    open_svg(page, "history-alarms", title, desc + ".");
    grid(page, axis);
    legend(page, {"raised", "resolved (of those raised)"}, {{"#9a6700", ""}, {"#1a7f37", ""}},
           true);
    const auto n = static_cast<std::int64_t>(k.quarters.size());
    const std::int64_t slot = kPlotW * 10 / std::max<std::int64_t>(n, 1); // tenths
    const std::int64_t bar = std::min<std::int64_t>(slot * 3 / 8, 400);
    const std::int64_t every = n <= 12 ? 1 : (n + 11) / 12;
    for (std::int64_t i = 0; i < n; ++i) {
        const auto &q = k.quarters[static_cast<std::size_t>(i)];
        const std::int64_t mid = kLeft * 10 + slot * i + slot / 2;
        const std::int64_t base = (kTop + kPlotH) * 10;
        const std::int64_t raised_y = y_tenths({q.raised, top});
        const std::int64_t resolved_y = y_tenths({q.resolved, top});
        if (q.raised > 0) {
            page.raw("<rect x=\"" + px(mid - bar - 10) + "\" y=\"" + px(raised_y) + "\" width=\"" +
                     px(bar) + "\" height=\"" + px(base - raised_y) + "\" fill=\"#9a6700\"/>");
        }
        if (q.resolved > 0) {
            page.raw("<rect x=\"" + px(mid + 10) + "\" y=\"" + px(resolved_y + 10) + "\" width=\"" +
                     px(bar - 20) + "\" height=\"" +
                     px(std::max<std::int64_t>(base - resolved_y - 10, 0)) +
                     "\" fill=\"#ffffff\" stroke=\"#1a7f37\" stroke-width=\"2\"/>");
        }
        if (i % every == 0) {
            page.raw("<text x=\"" + px(mid) + "\" y=\"" + std::to_string(kTop + kPlotH + 18) +
                     "\" text-anchor=\"middle\" fill=\"#59636e\">");
            page.text(q.quarter);
            page.raw("</text>");
        }
    }
    page.raw("</svg><details class=\"chart-data\"><summary>The data as a table</summary><table>");
    head(page,
         {"Quarter", "Raised", "Resolved", "Mean time to resolve (s)", "Max time to resolve"});
    for (const auto &q : k.quarters) {
        page.raw("<tr>");
        cell(page, q.quarter);
        cell(page, std::to_string(q.raised), true);
        cell(page, std::to_string(q.resolved), true);
        cell(page,
             q.resolved > 0 ? history::exact_quotient(q.resolve_seconds_sum, q.resolved) : "-",
             true);
        cell(page, q.max_resolve_seconds ? span_words(*q.max_resolve_seconds) : "-", true);
        page.raw("</tr>");
    }
    page.raw("</table></details></figure>");
}

void tables(Page &page, const Kpis &k) {
    page.raw("<h3>Time to re-assure</h3>");
    if (k.episodes.empty()) {
        page.raw("<p class=\"muted\">No top claim lost its support in this history.</p>");
    } else {
        page.raw("<table class=\"episodes\">");
        head(page,
             {"Top claim", "Lost at run", "From", "Regained at run", "Until", "Time to re-assure"});
        for (const auto &ep : k.episodes) {
            page.raw("<tr><td><code>");
            page.text(ep.claim);
            page.raw("</code></td>");
            cell(page, std::to_string(ep.lost_seq), true);
            cell(page, (ep.start_seq != ep.lost_seq ? "entry " + std::to_string(ep.start_seq) + ", "
                                                    : std::string()) +
                           ep.start_at);
            if (ep.open()) {
                page.raw("<td>");
                page.badge("open", "s-bad");
                page.raw("</td>");
            } else {
                cell(page, std::to_string(ep.regained_seq), true);
            }
            cell(page, ep.end_at);
            cell(page, span_words(ep.seconds) + (ep.open() ? " so far" : ""), true);
            page.raw("</tr>");
        }
        page.raw("</table>");
    }
    if (!k.open_defeaters.empty()) {
        page.raw("<h3>Open defeaters</h3><table>");
        head(page, {"Defeater", "Target", "Open since", "Age"});
        for (const auto &d : k.open_defeaters) {
            page.raw("<tr><td><code>");
            page.text(d.name);
            page.raw("</code></td><td><code>");
            page.text(d.target);
            page.raw("</code></td>");
            cell(page, "entry " + std::to_string(d.since_seq) + ", " + d.since);
            cell(page, span_words(d.age_seconds), true);
            page.raw("</tr>");
        }
        page.raw("</table>");
    }
    bool soon = false;
    for (const auto &x : k.expiry) {
        soon = soon || x.state != "valid";
    }
    if (soon) {
        page.raw("<h3>Evidence expired or expiring at the last run</h3><table>");
        head(page, {"Evidence", "Valid until", "Days left", "State"});
        for (const auto &x : k.expiry) {
            if (x.state == "valid") {
                continue;
            }
            page.raw("<tr><td><code>");
            page.text(x.name);
            page.raw("</code></td>");
            cell(page, x.valid_until);
            cell(page, std::to_string(x.days_left), true);
            page.raw("<td>");
            page.badge(x.state == "expired" ? "expired" : "expiring",
                       x.state == "expired" ? "s-bad" : "s-unk");
            page.raw("</td></tr>");
        }
        page.raw("</table>");
    }
    page.raw("<h3>Re-verification cost per change</h3>");
    if (k.costs.empty()) {
        page.raw("<p class=\"muted\">No <code>impact</code> run is recorded.</p>");
    } else {
        page.raw("<table class=\"costs\">");
        head(page, {"Impact run", "Recorded at", "Plan cost", "Evidence to re-verify"});
        for (const auto &c : k.costs) {
            page.raw("<tr>");
            cell(page, std::to_string(c.seq), true);
            cell(page, c.recorded_at);
            cell(page, c.cost.empty() ? "no plan" : c.cost, true);
            cell(page, std::to_string(c.evidence), true);
            page.raw("</tr>");
        }
        page.raw("</table>");
    }
    const bool open_alarms = k.alarms_open > 0;
    if (open_alarms) {
        page.raw("<h3>Alarms still open</h3><table>");
        head(page, {"Alarm", "Raised at", "Open for"});
        for (const auto &a : k.alarms) {
            if (!a.open()) {
                continue;
            }
            page.raw("<tr><td><code>");
            page.text(a.spec);
            page.raw("</code></td>");
            cell(page, "event " + std::to_string(a.raised_seq) + ", " + a.raised_at);
            cell(page, span_words(a.seconds), true);
            page.raw("</tr>");
        }
        page.raw("</table>");
    }
    page.raw("<h3>Releases</h3>");
    if (k.releases.empty()) {
        page.raw("<p class=\"muted\">No release is recorded.</p>");
    } else {
        page.raw("<table class=\"releases\">");
        head(page, {"Event", "Recorded at", "Commit", "Evidence packet"});
        for (const auto &r : k.releases) {
            page.raw("<tr>");
            cell(page, std::to_string(r.seq), true);
            cell(page, r.recorded_at);
            page.raw("<td><code>");
            page.text(r.commit);
            page.raw("</code></td><td>");
            if (r.packet == "verified") {
                page.badge("verified", "s-ok");
            } else {
                page.text(r.packet.empty() ? "not said" : r.packet);
            }
            page.raw("</td></tr>");
        }
        page.raw("</table>");
    }
}

} // namespace

void history_section(Page &page) {
    const Kpis *kpis = page.options.history;
    if (kpis == nullptr) {
        return;
    }
    const Kpis &k = *kpis;
    page.raw("<section id=\"history\"><h2>History</h2><p class=\"muted\">The KPIs of the run "
             "history given with <code>--history</code> (docs/history.md, &ldquo;KPIs&rdquo;): ");
    page.raw(std::to_string(k.entries));
    page.raw(k.entries == 1 ? " entry (" : " entries (");
    page.raw(std::to_string(k.runs.size()));
    page.raw(k.runs.size() == 1 ? " run, " : " runs, ");
    page.raw(std::to_string(k.impact_runs));
    page.raw(k.impact_runs == 1 ? " impact run, " : " impact runs, ");
    page.raw(std::to_string(k.events));
    page.raw(k.events == 1 ? " event)" : " events)");
    if (k.entries > 0) {
        page.raw(" from ");
        page.text(k.first_at);
        page.raw(" to ");
        page.text(k.last_at);
        page.raw("; head <span class=\"hash\">");
        page.text(k.last_hash);
        page.raw("</span>");
    }
    page.raw(". Impact runs are what-ifs: they count only for the re-verification cost.</p>");
    if (k.entries == 0) {
        page.raw("<p>The history has no entries: nothing to compute.</p></section>\n");
        return;
    }
    if (k.runs.empty()) {
        page.raw("<p>No run judges the case as it is: no series to draw.</p>");
    } else {
        board(page, k);
        charts(page, k);
    }
    alarm_chart(page, k);
    tables(page, k);
    page.raw("</section>\n");
}

} // namespace assure::report::html::detail
