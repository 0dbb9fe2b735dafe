// SPDX-License-Identifier: Apache-2.0
#include "report/ci/ci.hpp"
#include "support/markup.hpp"

#include <algorithm>
#include <string_view>

namespace assure::report::ci {

namespace {

/// Text for an XML attribute: escaped, with line breaks and tabs as character references so
/// that parsers keep them (support::append_markup_escaped).
std::string xml(std::string_view s) {
    return support::markup_escaped(s, support::LineBreaks::Entities);
}

/// Element text: escaped, with line breaks kept as they are (readable bodies).
std::string xml_text(std::string_view s) {
    return support::markup_escaped(s, support::LineBreaks::Keep);
}

struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    void add(TestCase::Outcome o) {
        ++tests;
        failures += o == TestCase::Outcome::Failure ? 1 : 0;
        errors += o == TestCase::Outcome::Error ? 1 : 0;
        skipped += o == TestCase::Outcome::Skipped ? 1 : 0;
    }
    [[nodiscard]] std::string attributes() const {
        return " tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
               "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
               "\"";
    }
};

std::string classname(const Report &report, const std::string &suite) {
    std::string s = "assure." + report.command + ".";
    for (const char ch : suite) {
        s += ch == ' ' ? '_' : ch;
    }
    return s;
}

} // namespace

std::string render_junit(const Report &report) {
    // Suites in the order their first test case comes.
    std::vector<std::string> suites;
    for (const auto &t : report.tests) {
        if (std::find(suites.begin(), suites.end(), t.suite) == suites.end()) {
            suites.push_back(t.suite);
        }
    }
    Counts all;
    for (const auto &t : report.tests) {
        all.add(t.outcome);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<!-- " + std::string(kJunitMarker) + ": written by assure " +
           xml(report.assure_version) + " (" + report.command +
           "); <failure> is a definite failure, <error> an unknown verdict or input errors, "
           "<skipped> a claim that was failing before the change (docs/ci.md) -->\n";
    out += "<testsuites name=\"assure " + report.command + "\"" + all.attributes() + ">\n";
    for (const auto &suite : suites) {
        Counts counts;
        for (const auto &t : report.tests) {
            if (t.suite == suite) {
                counts.add(t.outcome);
            }
        }
        out += "  <testsuite name=\"" + xml(suite) + "\"" + counts.attributes() + ">\n";
        out += "    <properties>\n";
        out += "      <property name=\"assure\" value=\"" + xml(report.assure_version) + "\"/>\n";
        out += "      <property name=\"z3\" value=\"" + xml(report.z3_version) + "\"/>\n";
        if (!report.date.empty()) {
            out += "      <property name=\"date\" value=\"" + xml(report.date) + "\"/>\n";
        }
        out += "      <property name=\"exit_code\" value=\"" + std::to_string(report.exit_code) +
               "\"/>\n";
        out += "    </properties>\n";
        for (const auto &t : report.tests) {
            if (t.suite != suite) {
                continue;
            }
            out += "    <testcase classname=\"" + xml(classname(report, suite)) + "\" name=\"" +
                   xml(t.name) + "\"";
            if (t.location.valid()) {
                out += " file=\"" + xml(t.location.path) + "\" line=\"" +
                       std::to_string(t.location.line) + "\"";
            }
            std::string body;
            for (const auto &line : t.details) {
                body += xml_text(line) + "\n";
            }
            const char *tag = nullptr;
            switch (t.outcome) {
            case TestCase::Outcome::Pass:
                break;
            case TestCase::Outcome::Failure:
                tag = "failure";
                break;
            case TestCase::Outcome::Error:
                tag = "error";
                break;
            case TestCase::Outcome::Skipped:
                tag = "skipped";
                break;
            }
            if (tag == nullptr) {
                out += ">\n      <system-out>" + xml_text(t.type + ": " + t.message) +
                       "</system-out>\n    </testcase>\n";
                continue;
            }
            out += ">\n      <" + std::string(tag) + " message=\"" + xml(t.message) + "\"";
            if (t.outcome != TestCase::Outcome::Skipped) {
                out += " type=\"" + xml(t.type) + "\"";
            }
            out += body.empty() ? "/>\n" : ">" + body + "</" + tag + ">\n";
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

} // namespace assure::report::ci
