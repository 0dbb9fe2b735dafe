// SPDX-License-Identifier: Apache-2.0
#include "report/ci/ci.hpp"

#include <string_view>

namespace assure::report::ci {

namespace {

/// The most a summary takes: a pull-request comment holds 65,536 characters, a job summary
/// 1 MiB.
constexpr std::size_t kBudget = 60000;
/// Rows of one list before the rest is counted.
constexpr std::size_t kRows = 20;

/// Free text in Markdown (a table cell, a list item): the characters that would format or
/// break it escaped, line breaks made spaces, HTML never interpreted.
std::string md(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        switch (ch) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '|':
        case '#':
        case '~':
            out += '\\';
            out += ch;
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '\n':
        case '\r':
            out += ' ';
            break;
        default:
            out += ch;
        }
    }
    return out;
}

/// A chain of names ("A <- B <- C") with arrows, escaped.
std::string chain(const std::string &s) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t at = s.find(" <- "); at != std::string::npos; at = s.find(" <- ", start)) {
        out += md(s.substr(start, at - start)) + " ← ";
        start = at + 4;
    }
    return out + md(s.substr(start));
}

/// A name in code style: names hold no backtick, but a title given as a name might.
std::string code(std::string_view s) {
    if (s.find('`') != std::string_view::npos || s.find('|') != std::string_view::npos) {
        return md(s);
    }
    return "`" + std::string(s) + "`";
}

const char *icon(const std::string &verdict) {
    if (verdict == "supported") {
        return "✅";
    }
    if (verdict == "unknown") {
        return "❓";
    }
    if (verdict == "undeveloped") {
        return "🚧";
    }
    return "❌";
}

std::string where(const Location &loc) {
    return loc.valid() ? md(loc.path + ":" + std::to_string(loc.line)) : std::string();
}

/// Appends to the summary until its budget is spent.
class Writer {
  public:
    explicit Writer(std::string &out) : out_(out) {}
    /// Adds `line` and a line break; false (and nothing added) once the budget is spent.
    bool line(const std::string &text) {
        if (full_) {
            return false;
        }
        if (out_.size() + text.size() + 1 > kBudget) {
            full_ = true;
            out_ += "\n*(cut here: the rest is longer than a comment holds; the SARIF, JUnit or "
                    "JSON output has all of it)*\n";
            return false;
        }
        out_ += text + "\n";
        return true;
    }
    /// Adds the rows of a list of `count` items, the first kRows of them, then how many more.
    template <typename Row> void rows(std::size_t count, Row row) {
        for (std::size_t k = 0; k < count && k < kRows; ++k) {
            if (!line(row(k))) {
                return;
            }
        }
        if (count > kRows) {
            line("");
            line("… and " + std::to_string(count - kRows) + " more");
        }
    }

  private:
    std::string &out_;
    bool full_ = false;
};

} // namespace

std::string render_markdown(const Report &report) {
    std::string out;
    Writer w(out);
    w.line("<!-- " + std::string(kMarkdownMarker) + ": written by assure " + report.assure_version +
           " (" + report.command + "); regenerate rather than edit -->");
    const char *mark = report.exit_code == 0 ? "✅" : report.exit_code == 3 ? "❓" : "❌";
    w.line("## " + std::string(mark) + " assure " + report.command + ": " + md(report.headline));
    w.line("");
    std::string facts;
    if (!report.date.empty()) {
        facts += "Judged at **" + report.date + "** (" + md(report.date_source) + ") · ";
    }
    facts += "assure " + md(report.assure_version) + " · Z3 " + md(report.z3_version) +
             " · exit code " + std::to_string(report.exit_code);
    w.line(facts);

    if (report.impact && !report.impact->changes.empty()) {
        w.line("");
        w.line("**Changes** (" + std::to_string(report.impact->changes.size()) + ")");
        w.line("");
        const auto &changes = report.impact->changes;
        w.rows(changes.size(), [&](std::size_t k) { return "- " + md(changes[k]); });
    }

    if (!report.top.empty()) {
        w.line("");
        if (report.impact) {
            w.line("| | Top claim | Before | After | Title |");
            w.line("|---|---|---|---|---|");
            w.rows(report.top.size(), [&](std::size_t k) {
                const auto &r = report.top[k];
                return "| " + std::string(icon(r.verdict)) + " | " + code(r.name) + " | " +
                       (r.before.empty() ? std::string("(new)") : r.before) + " | " + r.verdict +
                       " | " + md(r.title) + " |";
            });
        } else {
            w.line("| | Top claim | Verdict | Title |");
            w.line("|---|---|---|---|");
            w.rows(report.top.size(), [&](std::size_t k) {
                const auto &r = report.top[k];
                return "| " + std::string(icon(r.verdict)) + " | " + code(r.name) + " | " +
                       r.verdict + " | " + md(r.title) + " |";
            });
        }
    }

    if (report.impact) {
        const ImpactPart &p = *report.impact;
        w.line("");
        w.line("### Lost claims (" + std::to_string(p.lost.size()) + ", " +
               std::to_string(p.lost_top) + " top)");
        if (p.lost.empty()) {
            w.line("");
            w.line("No claim loses support.");
        } else {
            w.line("");
            w.rows(p.lost.size(), [&](std::size_t k) {
                const auto &r = p.lost[k];
                return "- " + std::string(icon(r.verdict)) + " " + code(r.name) +
                       (k < p.lost_top ? " (top)" : "") + ": supported → **" + r.verdict + "** — " +
                       chain(r.chain);
            });
        }
        if (!p.invalidated.empty()) {
            w.line("");
            w.line("### Invalidated evidence (" + std::to_string(p.invalidated.size()) + ")");
            w.line("");
            w.rows(p.invalidated.size(),
                   [&](std::size_t k) { return "- " + md(p.invalidated[k]); });
        }
        if (p.plan_state != "none") {
            w.line("");
            w.line("### Re-verification plan");
            w.line("");
            if (p.plan_state == "found") {
                w.line(std::string(p.plan_optimal ? "Proved minimal" : "**Not** proved minimal") +
                       ", total cost **" + p.plan_cost + "**, " + std::to_string(p.plan.size()) +
                       (p.plan.size() == 1 ? " item" : " items") + "; restores " +
                       std::to_string(p.restorable) + " of what was lost" +
                       (p.plan_verified ? " (re-proved)." : "."));
                w.line("");
                w.line("| Evidence | Cost | Where |");
                w.line("|---|---|---|");
                w.rows(p.plan.size(), [&](std::size_t k) {
                    const auto &item = p.plan[k];
                    return "| " + code(item.name) + " | " + item.cost + " | " +
                           where(item.location) + " |";
                });
            } else {
                w.line("No plan: " + p.plan_state +
                       (p.plan_note.empty() ? "." : " (" + md(p.plan_note) + ")."));
            }
            if (!p.plan_note.empty() && p.plan_state == "found") {
                w.line("");
                w.line("Note: " + md(p.plan_note));
            }
        }
        if (!p.unrestorable.empty()) {
            w.line("");
            w.line("### Cannot be restored by re-verification (" +
                   std::to_string(p.unrestorable.size()) + ")");
            w.line("");
            w.rows(p.unrestorable.size(),
                   [&](std::size_t k) { return "- " + code(p.unrestorable[k]); });
        }
    }

    // Root causes and other findings, most important first; diagnostics last.
    std::vector<const Finding *> causes;
    std::vector<const Finding *> diagnostics;
    for (const auto &f : report.findings) {
        const bool diagnostic = !f.rule.empty() && (f.rule[0] == 'E' || f.rule[0] == 'W') &&
                                f.rule.size() == 5 && f.rule[1] >= '0' && f.rule[1] <= '9';
        if (diagnostic) {
            diagnostics.push_back(&f);
        } else if (f.rule != "support_lost" && f.rule != "reverify" &&
                   f.rule != "evidence_invalidated") { // each has a section of its own
            causes.push_back(&f);
        }
    }
    if (!causes.empty()) {
        w.line("");
        w.line("### Root causes (" + std::to_string(causes.size()) + ")");
        w.line("");
        w.rows(causes.size(), [&](std::size_t k) {
            const Finding &f = *causes[k];
            const std::string at = where(f.location);
            return "- " + std::string(f.unknown ? "❓" : "❌") + " **" + md(f.rule) + "** " +
                   (at.empty() ? "" : "(" + at + ") ") + md(f.message);
        });
    }
    std::vector<const TestCase *> checks;
    for (const auto &t : report.tests) {
        if ((t.suite == "rules" || t.suite == "hazards") && t.outcome != TestCase::Outcome::Pass) {
            checks.push_back(&t);
        }
    }
    if (!checks.empty()) {
        w.line("");
        w.line("### Rules and hazards that fall short (" + std::to_string(checks.size()) + ")");
        w.line("");
        w.rows(checks.size(), [&](std::size_t k) {
            const TestCase &t = *checks[k];
            return "- " + std::string(t.outcome == TestCase::Outcome::Error ? "❓" : "❌") + " " +
                   code(t.name) + ": " + md(t.message);
        });
    }
    if (!diagnostics.empty()) {
        w.line("");
        w.line("### " + std::string(report.errors != 0 ? "Errors and warnings" : "Warnings") +
               " (" + std::to_string(diagnostics.size()) + ")");
        w.line("");
        w.rows(diagnostics.size(), [&](std::size_t k) {
            const Finding &f = *diagnostics[k];
            const std::string at = where(f.location);
            return "- " + std::string(f.level == Level::Error ? "❌" : "⚠️") + " **" + f.rule +
                   "** " + (at.empty() ? "" : "(" + at + ") ") + md(f.message);
        });
    }
    return out;
}

} // namespace assure::report::ci
