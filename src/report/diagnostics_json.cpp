// SPDX-License-Identifier: Apache-2.0
#include "report/diagnostics_json.hpp"

#include "support/text.hpp"

#include <nlohmann/json.hpp>

namespace assure::report {

namespace {
void put_location(nlohmann::ordered_json &j, support::Span span,
                  const support::SourceManager &sources) {
    if (!span.valid()) {
        j["file"] = nullptr;
        return;
    }
    const auto lc = sources.line_col(span.file, span.begin);
    j["file"] = sources.display_name(span.file);
    j["begin"] = span.begin;
    j["end"] = span.end;
    j["line"] = lc.line;
    j["column"] = lc.column;
}
} // namespace

nlohmann::ordered_json diagnostics_array(const support::Diagnostics &diags,
                                         const support::SourceManager &sources) {
    auto list = nlohmann::ordered_json::array();
    for (const auto &d : diags.all()) {
        nlohmann::ordered_json j;
        j["code"] = std::string(support::info(d.code).id);
        j["severity"] = d.severity == support::Severity::Error ? "error" : "warning";
        // Messages quote user text; keep the JSON valid UTF-8 whatever the input was.
        j["message"] = support::printable(d.message);
        j["label"] = support::printable(d.label);
        j["help"] = support::printable(d.help);
        put_location(j, d.span, sources);
        auto notes = nlohmann::ordered_json::array();
        for (const auto &n : d.notes) {
            nlohmann::ordered_json jn;
            jn["message"] = support::printable(n.message);
            put_location(jn, n.span, sources);
            notes.push_back(std::move(jn));
        }
        if (const auto *ex = d.span.valid() ? sources.expansion(d.span.file) : nullptr;
            ex != nullptr && ex->use.valid()) {
            nlohmann::ordered_json jn;
            jn["message"] = support::printable(ex->what);
            put_location(jn, ex->use, sources);
            notes.push_back(std::move(jn));
        }
        j["notes"] = std::move(notes);
        list.push_back(std::move(j));
    }
    return list;
}

std::string render_diagnostics_json(const support::Diagnostics &diags,
                                    const support::SourceManager &sources) {
    nlohmann::ordered_json root;
    root["format"] = "assure-diagnostics";
    root["version"] = 2;
    root["diagnostics"] = diagnostics_array(diags, sources);
    root["errors"] = diags.error_count();
    root["warnings"] = diags.warning_count();
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_input_errors_json(const char *format, const std::string &assure_version,
                                     const std::string &z3_version,
                                     const support::Diagnostics &diags,
                                     const support::SourceManager &sources) {
    nlohmann::ordered_json root;
    root["format"] = format;
    root["version"] = 2;
    root["assure"] = assure_version;
    root["z3"] = z3_version;
    root["result"] = "input_errors";
    root["exit_code"] = 1;
    root["errors"] = diags.error_count();
    root["warnings"] = diags.warning_count();
    root["diagnostics"] = diagnostics_array(diags, sources);
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report
