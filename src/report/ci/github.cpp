// SPDX-License-Identifier: Apache-2.0
#include "report/ci/ci.hpp"

#include <string_view>

namespace assure::report::ci {

namespace {

/// A workflow command's message: `%`, CR and LF percent-encoded, as the runner decodes them.
std::string data(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        switch (ch) {
        case '%':
            out += "%25";
            break;
        case '\r':
            out += "%0D";
            break;
        case '\n':
            out += "%0A";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

/// A property value: data() and the separators `:` and `,` too.
std::string property(std::string_view s) {
    std::string out;
    for (const char ch : data(s)) {
        switch (ch) {
        case ':':
            out += "%3A";
            break;
        case ',':
            out += "%2C";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

/// A plain log line: never a workflow command, whatever the text holds (no line breaks).
std::string plain(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        out += ch == '\n' || ch == '\r' ? ' ' : ch;
    }
    return out;
}

enum class Annotation : std::uint8_t { Error, Warning, Notice };

Annotation annotation_of(const Finding &f) {
    if (f.unknown) {
        return Annotation::Warning; // GitHub has no "unknown": never an error, never a pass
    }
    switch (f.level) {
    case Level::Error:
        return Annotation::Error;
    case Level::Warning:
        return Annotation::Warning;
    case Level::Note:
        return Annotation::Notice;
    }
    return Annotation::Notice;
}

const char *command_name(Annotation a) {
    switch (a) {
    case Annotation::Error:
        return "error";
    case Annotation::Warning:
        return "warning";
    case Annotation::Notice:
        return "notice";
    }
    return "notice";
}

std::string where(const Location &loc) {
    return loc.valid()
               ? loc.path + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column)
               : std::string("-");
}

} // namespace

std::string render_github(const Report &report) {
    std::string out;
    std::size_t counts[3] = {0, 0, 0};
    for (const auto &f : report.findings) {
        ++counts[static_cast<int>(annotation_of(f))];
    }
    std::size_t emitted[3] = {0, 0, 0};
    for (const auto &f : report.findings) {
        const auto a = annotation_of(f);
        const int k = static_cast<int>(a);
        // A step shows kGithubPerLevel annotations of each kind: with more, the last one
        // summarises the rest (findings come most important first).
        const bool room = counts[k] <= kGithubPerLevel ? true : emitted[k] + 1 < kGithubPerLevel;
        if (!room) {
            continue;
        }
        ++emitted[k];
        out += "::" + std::string(command_name(a));
        std::string props;
        if (f.location.valid()) {
            props +=
                "file=" + property(f.location.path) + ",line=" + std::to_string(f.location.line);
            if (f.location.column > 0) {
                props += ",col=" + std::to_string(f.location.column);
            }
        }
        props += std::string(props.empty() ? "" : ",") +
                 "title=" + property((f.unknown ? "unknown: " : "") + f.title);
        out += " " + props + "::" + data(f.message) + "\n";
    }
    for (int k = 0; k < 3; ++k) {
        if (counts[k] <= kGithubPerLevel) {
            continue;
        }
        const std::size_t rest = counts[k] - emitted[k];
        const auto a = static_cast<Annotation>(k);
        std::string names;
        std::size_t listed = 0;
        std::size_t seen = 0;
        for (const auto &f : report.findings) {
            if (annotation_of(f) != a || seen++ < emitted[k]) {
                continue;
            }
            if (listed++ < 20) {
                names += (names.empty() ? "" : "; ") + f.title;
            }
        }
        if (listed > 20) {
            names += "; and " + std::to_string(listed - 20) + " more";
        }
        out += "::" + std::string(command_name(a)) + " title=" +
               property("assure " + report.command + ": " + std::to_string(rest) + " more") + "::" +
               data(std::to_string(rest) + " more " + command_name(a) + (rest == 1 ? "" : "s") +
                    " than a step can annotate (the log lists every finding): " + names) +
               "\n";
    }
    // Every finding in the log, folded, so that none is lost to the limits.
    if (!report.findings.empty()) {
        out += "::group::assure " + report.command + ": " + std::to_string(report.findings.size()) +
               " findings\n";
        for (const auto &f : report.findings) {
            out += "assure: " +
                   plain(std::string(f.unknown ? "unknown" : command_name(annotation_of(f))) + " " +
                         where(f.location) + " " + f.title + ": " + f.message) +
                   "\n";
        }
        out += "::endgroup::\n";
    }
    out += "assure " + report.command + ": " + plain(report.headline) + " (exit code " +
           std::to_string(report.exit_code) + ")\n";
    return out;
}

} // namespace assure::report::ci
