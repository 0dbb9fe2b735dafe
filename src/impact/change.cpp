// SPDX-License-Identifier: Apache-2.0
// `--change` specs: parsing, text edits and overrides (docs/impact.md, "Hypothetical changes").
#include "dsl/parser.hpp"
#include "impact/impact.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace assure::impact {

using prove::ReasonKind;
using prove::Status;
using sema::DeclKind;

namespace {

ChangeError change_error(support::Code code, std::size_t offset, std::size_t length,
                         std::string message, std::string label = {}) {
    ChangeError e;
    e.code = code;
    e.offset = static_cast<std::uint32_t>(offset);
    e.length = static_cast<std::uint32_t>(length);
    e.message = std::move(message);
    e.label = std::move(label);
    return e;
}

} // namespace

std::optional<Change> parse_change(const std::string &spec, std::string &error) {
    ChangeError e;
    auto c = parse_change(spec, e);
    if (!c) {
        error = e.message;
    }
    return c;
}

std::optional<Change> parse_change(const std::string &spec, ChangeError &error) {
    using support::Code;
    static const std::pair<const char *, Change::Kind> kKinds[] = {
        {"artifact", Change::Kind::ArtifactChanged},
        {"fail", Change::Kind::EvidenceFails},
        {"pending", Change::Kind::EvidencePending},
        {"withdraw", Change::Kind::EvidenceWithdrawn},
        {"expire", Change::Kind::EvidenceExpires},
        {"open", Change::Kind::DefeaterOpened},
        {"odd", Change::Kind::OddRegion},
        {"scope", Change::Kind::ClaimScope},
        {"severity", Change::Kind::HazardSeverity},
        {"likelihood", Change::Kind::HazardLikelihood},
    };
    const auto colon = spec.find(':');
    if (colon == std::string::npos || colon + 1 >= spec.size()) {
        error = change_error(
            Code::E0605, 0, spec.size(),
            "`" + spec +
                "` is not a change; write KIND:NAME with KIND one of artifact, fail, pending, "
                "withdraw, open, or KIND:NAME=VALUE with KIND one of expire, odd, scope, "
                "severity, likelihood");
        return std::nullopt;
    }
    const std::string kind = spec.substr(0, colon);
    const auto *known = std::find_if(std::begin(kKinds), std::end(kKinds),
                                     [&](const auto &k) { return kind == k.first; });
    if (known == std::end(kKinds)) {
        error = change_error(Code::E0605, 0, colon,
                             "unknown change kind `" + kind +
                                 "`; use artifact, fail, pending, withdraw, expire, open, odd, "
                                 "scope, severity or likelihood");
        return std::nullopt;
    }
    Change c{known->second, spec.substr(colon + 1), {}, {}, {}, spec};
    const bool valued = c.kind == Change::Kind::EvidenceExpires || is_text_change(c);
    const auto eq = c.target.find('=');
    if (valued != (eq != std::string::npos)) {
        error = change_error(Code::E0605, 0, spec.size(),
                             "`" + spec + "`: write " + kind + (valued ? ":NAME=VALUE" : ":NAME"));
        return std::nullopt;
    }
    const std::size_t value_at = colon + 1 + (valued ? eq + 1 : 0);
    if (valued) {
        c.value = c.target.substr(eq + 1);
        c.target.resize(eq);
        if (c.value.find_first_not_of(" \t") == std::string::npos || c.target.empty()) {
            error = change_error(Code::E0605, 0, spec.size(),
                                 "`" + spec + "`: write " + kind + ":NAME=VALUE");
            return std::nullopt;
        }
    }
    if (!support::is_qualified_name(c.target)) {
        error = change_error(Code::E0605, colon + 1, c.target.size(),
                             "`" + c.target + "` is not a name (identifiers joined by dots)");
        return std::nullopt;
    }
    switch (c.kind) {
    case Change::Kind::EvidenceExpires: {
        const auto date = prove::parse_date(c.value, prove::kMinOptionYear);
        if (!date) {
            error = change_error(Code::E0605, value_at, c.value.size(),
                                 "`" + spec +
                                     "`: write expire:NAME=YYYY-MM-DD, a day that exists "
                                     "between 1900-01-01 and 9999-12-31");
            return std::nullopt;
        }
        c.date = *date;
        break;
    }
    case Change::Kind::OddRegion:
    case Change::Kind::ClaimScope: {
        // The region goes into the case's text: it must be a region and nothing more.
        const dsl::RegionCheck check = dsl::check_region_text(c.value);
        if (!check.ok) {
            error = change_error(Code::E0605, value_at + check.offset, check.length,
                                 "the new region of " + kind + ":" + c.target +
                                     " must be one region and nothing more: " + check.message,
                                 "not a region");
            return std::nullopt;
        }
        break;
    }
    case Change::Kind::HazardSeverity:
    case Change::Kind::HazardLikelihood:
        if (!support::is_qualified_name(c.value)) {
            error = change_error(Code::E0605, value_at, c.value.size(),
                                 "the new rating of " + kind + ":" + c.target +
                                     " must be one value of its scale, a name such as "
                                     "`critical`",
                                 "not a name");
            return std::nullopt;
        }
        break;
    default:
        break;
    }
    return c;
}

bool is_text_change(const Change &c) {
    return c.kind == Change::Kind::OddRegion || c.kind == Change::Kind::ClaimScope ||
           c.kind == Change::Kind::HazardSeverity || c.kind == Change::Kind::HazardLikelihood;
}

std::optional<std::map<std::string, std::string>>
edit_sources(const sema::Program &program, const support::SourceManager &sources,
             std::vector<Change> &changes, ChangeError &error) {
    using support::Code;
    // The edits of each file, by start offset; applied from the end so offsets stay valid.
    struct Edit {
        support::Span span;
        std::string text;
        std::size_t change;
    };
    std::map<support::FileId, std::map<std::uint32_t, Edit>> edits;
    for (std::size_t ci = 0; ci < changes.size(); ++ci) {
        Change &c = changes[ci];
        if (!is_text_change(c)) {
            continue;
        }
        const std::size_t name_at = c.spec.find(':') + 1;
        const DeclKind kind = c.kind == Change::Kind::OddRegion    ? DeclKind::Odd
                              : c.kind == Change::Kind::ClaimScope ? DeclKind::Claim
                                                                   : DeclKind::Hazard;
        std::string why;
        const auto decl = prove::find_decl(program, c.target, kind, why);
        if (!decl) {
            error = change_error(Code::E0606, name_at, c.target.size(), why);
            error.change = ci;
            return std::nullopt;
        }
        const std::uint32_t idx = program.decl(*decl).index;
        support::Span span{};
        const char *field = "";
        const char *what = "";
        switch (c.kind) {
        case Change::Kind::OddRegion:
            span = program.odds[idx].region.span;
            field = "region";
            what = "region";
            break;
        case Change::Kind::ClaimScope:
            span = program.claims[idx].scope ? program.claims[idx].scope->span : support::Span{};
            field = "scope:";
            what = "scope";
            break;
        case Change::Kind::HazardSeverity:
            span = program.hazards[idx].severity_span;
            field = "severity:";
            what = "severity";
            break;
        default:
            span = program.hazards[idx].likelihood_span;
            field = "likelihood:";
            what = "likelihood";
            break;
        }
        if (!span.valid() || span.end <= span.begin) {
            error = change_error(Code::E0606, name_at, c.target.size(),
                                 program.qualified_name(*decl) + " has no " + field +
                                     " to change; write it in the case first");
            error.change = ci;
            return std::nullopt;
        }
        c.was = std::string(sources.text(span));
        auto &file_edits = edits[span.file];
        const auto same = file_edits.find(span.begin);
        if (same != file_edits.end() && same->second.span == span && same->second.text == c.value) {
            continue; // the same change given twice
        }
        const auto next = file_edits.lower_bound(span.begin);
        const Edit *clash = nullptr;
        if (next != file_edits.end() && next->first < span.end) {
            clash = &next->second;
        } else if (next != file_edits.begin() && std::prev(next)->second.span.end > span.begin) {
            clash = &std::prev(next)->second;
        }
        if (clash != nullptr) {
            error = change_error(Code::E0607, 0, c.spec.size(),
                                 "`" + c.spec + "` and `" + changes[clash->change].spec +
                                     "` both change the " + what + " of " +
                                     program.qualified_name(*decl) +
                                     " differently; give one change per field");
            error.change = ci;
            error.other = clash->change;
            return std::nullopt;
        }
        file_edits.emplace(span.begin, Edit{span, c.value, ci});
    }
    std::map<std::string, std::string> out;
    for (const auto &[file, file_edits] : edits) {
        std::string text(sources.text(file));
        for (auto it = file_edits.rbegin(); it != file_edits.rend(); ++it) {
            const support::Span &span = it->second.span;
            text.replace(span.begin, span.end - span.begin, it->second.text);
        }
        out.emplace(sources.disk_path(file), std::move(text));
    }
    return out;
}

bool apply_changes(const sema::Program &program, const std::vector<Change> &changes,
                   prove::Overrides &overrides, ChangeError &error) {
    using support::Code;
    // (aspect, element) -> the change that set it: a second, different setting is a conflict.
    enum class Aspect : std::uint8_t { Artifact, Result, Withdrawn, Expiry, Defeater };
    std::map<std::pair<Aspect, std::uint32_t>, std::size_t> set_by;
    for (std::size_t ci = 0; ci < changes.size(); ++ci) {
        const Change &c = changes[ci];
        if (is_text_change(c)) {
            continue;
        }
        const DeclKind kind = c.kind == Change::Kind::ArtifactChanged  ? DeclKind::Artifact
                              : c.kind == Change::Kind::DefeaterOpened ? DeclKind::Defeater
                                                                       : DeclKind::Evidence;
        std::string why;
        const auto decl = prove::find_decl(program, c.target, kind, why);
        if (!decl) {
            error = change_error(Code::E0606, c.spec.find(':') + 1, c.target.size(), why);
            error.change = ci;
            return false;
        }
        const std::uint32_t idx = program.decl(*decl).index;
        const Aspect aspect =
            c.kind == Change::Kind::ArtifactChanged ? Aspect::Artifact
            : c.kind == Change::Kind::EvidenceFails || c.kind == Change::Kind::EvidencePending
                ? Aspect::Result
            : c.kind == Change::Kind::EvidenceWithdrawn ? Aspect::Withdrawn
            : c.kind == Change::Kind::EvidenceExpires   ? Aspect::Expiry
                                                        : Aspect::Defeater;
        const auto [it, fresh] = set_by.emplace(std::make_pair(aspect, idx), ci);
        if (!fresh) {
            const Change &first = changes[it->second];
            if (first.kind == c.kind && first.value == c.value) {
                continue; // the same change twice (perhaps under another name): once is enough
            }
            error = change_error(Code::E0607, 0, c.spec.size(),
                                 "`" + c.spec + "` and `" + first.spec + "` change " +
                                     program.qualified_name(*decl) +
                                     " in different ways; give one of them");
            error.change = ci;
            error.other = it->second;
            return false;
        }
        switch (c.kind) {
        case Change::Kind::ArtifactChanged:
            overrides.artifact_changed.insert(idx);
            break;
        case Change::Kind::EvidenceFails:
            overrides.result[idx] = sema::EvidenceResult::Fail;
            break;
        case Change::Kind::EvidencePending:
            overrides.result[idx] = sema::EvidenceResult::Pending;
            break;
        case Change::Kind::EvidenceWithdrawn:
            overrides.withdrawn.insert(idx);
            break;
        case Change::Kind::EvidenceExpires:
            overrides.valid_until[idx] = c.date;
            break;
        case Change::Kind::DefeaterOpened:
            overrides.defeater_status[idx] = sema::DefeaterStatus::Open;
            break;
        default:
            break;
        }
    }
    return true;
}

bool same_declarations(const sema::Program &original, const sema::Program &edited) {
    auto names = [](const sema::Program &p) {
        std::vector<std::pair<std::string, int>> out;
        out.reserve(p.decls.size());
        for (std::uint32_t d = 0; d < p.decls.size(); ++d) {
            out.emplace_back(p.qualified_name({d}), static_cast<int>(p.decls[d].kind));
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    return original.modules.size() == edited.modules.size() && names(original) == names(edited);
}

} // namespace assure::impact
