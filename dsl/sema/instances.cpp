// SPDX-License-Identifier: Apache-2.0
#include "dsl/sema/analyzer.hpp"

#include <optional>
#include <set>
#include <utility>

namespace assure::sema {

using support::Code;

namespace {

/// The element kind a parameter kind names (nullopt for `text`, `number` or a bad kind).
std::optional<DeclKind> element_kind(const std::string &word) {
    for (std::size_t k = 0; k < kDeclKindCount; ++k) {
        if (word == kind_name(static_cast<DeclKind>(k))) {
            return static_cast<DeclKind>(k);
        }
    }
    return std::nullopt;
}

/// `m.Pattern` -> `Pattern`.
std::string short_name(const std::string &pattern) {
    const auto dot = pattern.rfind('.');
    return dot == std::string::npos ? pattern : pattern.substr(dot + 1);
}

} // namespace

void Analyzer::check_instance_arguments() {
    // (expansion file, argument as substituted) of each argument of the wrong kind.
    std::set<std::pair<support::FileId, std::string>> wrong;
    for (const auto &rec : loaded_.expansions) {
        for (const auto &arg : rec.elements) {
            const std::optional<DeclKind> want = element_kind(arg.kind);
            const Lookup found = lookup(static_cast<std::uint32_t>(rec.module), arg.name);
            if (!want || !found.found.valid()) {
                continue; // an unknown or ambiguous name is reported where the body uses it
            }
            const Decl &target = prog_.decl(found.found);
            if (target.kind == *want) {
                continue;
            }
            const std::string text = qname_text(arg.name);
            auto &d = diags_.error(
                Code::E0315, arg.name.span,
                "argument " + std::to_string(arg.position) + " of `" + short_name(rec.pattern) +
                    "` must be " + kind_phrase(*want) + " (parameter `" + arg.parameter +
                    "`), but `" + text + "` is " + kind_phrase(target.kind),
                std::string(kind_phrase(target.kind)) + ", not " + kind_phrase(*want));
            d.notes.push_back({arg.parameter_span, "parameter `" + arg.parameter + "` of `" +
                                                       short_name(rec.pattern) +
                                                       "` is declared here"});
            d.notes.push_back({target.name_span,
                               "`" + text + "` is declared here as " + kind_phrase(target.kind)});
            wrong.emplace(rec.file, text);
        }
    }
    if (wrong.empty()) {
        return;
    }
    // Where the expansion uses such an argument, whatever needed the right kind failed too:
    // that error says the same thing again, at the pattern's line.
    diags_.drop_if([&](const support::Diagnostic &d) {
        return d.severity == support::Severity::Error && d.code != Code::E0315 && d.span.valid() &&
               wrong.count({d.span.file, std::string(sources_.text(d.span))}) != 0;
    });
}

} // namespace assure::sema
