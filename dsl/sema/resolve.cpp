// SPDX-License-Identifier: Apache-2.0
// The analyzer's passes in order, declarations and name resolution (lookup, references,
// literals). Domains and scales are built in domains.cpp, matrices and hazards in matrices.cpp,
// the argument's elements in elements.cpp; expressions are checked in exprs.cpp.
#include "dsl/sema/analyze.hpp"
#include "dsl/sema/analyzer.hpp"
#include "support/assert.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace assure::sema {
using support::Code;

KindSet kinds(std::initializer_list<DeclKind> list) {
    KindSet set;
    for (DeclKind k : list) {
        set.set(static_cast<std::size_t>(k));
    }
    return set;
}

std::string qname_text(const ast::QName &q) {
    std::string s;
    for (const auto &part : q.parts) {
        s += (s.empty() ? "" : ".") + part.name;
    }
    return s;
}

namespace {

std::string kinds_phrase(KindSet allowed) {
    std::vector<std::string> names;
    for (std::size_t k = 0; k < kDeclKindCount; ++k) {
        if (allowed.test(k)) {
            names.emplace_back(kind_phrase(static_cast<DeclKind>(k)));
        }
    }
    std::string out;
    for (std::size_t idx = 0; idx < names.size(); ++idx) {
        if (idx > 0) {
            out += idx + 1 == names.size() ? " or " : ", ";
        }
        out += names[idx];
    }
    return out;
}

} // namespace

Analyzer::Analyzer(dsl::LoadedCase &loaded, const support::SourceManager &sources,
                   support::Diagnostics &diags)
    : loaded_(loaded), sources_(sources), diags_(diags) {
    broken_.insert(loaded.broken_names.begin(), loaded.broken_names.end());
    broken_metrics_.insert(loaded.broken_metrics.begin(), loaded.broken_metrics.end());
}

Program Analyzer::run() {
    declare_all();
    build_domains_and_scales();
    build_rest();
    check_instance_arguments();
    // With unresolved references, "never referenced" would mostly repeat those errors.
    if (!diags_.has_errors()) {
        check_unreferenced();
    }
    // Everything is resolved: the rest of the syntax tree goes before lowering needs memory.
    for (auto &mod : loaded_.modules) {
        mod.imports.clear(); // they point into the declarations
        mod.import_targets.clear();
        std::vector<ast::Declaration>().swap(mod.ast.decls);
    }
    return std::move(prog_);
}

Program analyze(dsl::LoadedCase &loaded, const support::SourceManager &sources,
                support::Diagnostics &diags) {
    Analyzer analyzer(loaded, sources, diags);
    return analyzer.run();
}

// ---- declarations ----------------------------------------------------------------------------

void Analyzer::declare_all() {
    auto &mods = loaded_.modules;
    prog_.modules.resize(mods.size());
    for (std::size_t m = 0; m < mods.size(); ++m) {
        Module &mod = prog_.modules[m];
        mod.name = mods[m].name;
        mod.file = mods[m].file;
        mod.is_stdlib = mods[m].is_stdlib;
        mod.prefixes.emplace_back(mod.name, static_cast<std::uint32_t>(m));
        for (std::size_t idx = 0; idx < mods[m].imports.size(); ++idx) {
            const int target = mods[m].import_targets[idx];
            if (target < 0) {
                continue;
            }
            const auto t = static_cast<std::uint32_t>(target);
            if (std::find(mod.imports.begin(), mod.imports.end(), t) == mod.imports.end()) {
                mod.imports.push_back(t);
            }
            mod.prefixes.emplace_back(mods[static_cast<std::size_t>(target)].name, t);
            if (mods[m].imports[idx]->alias) {
                mod.prefixes.emplace_back(mods[m].imports[idx]->alias->name, t);
            }
        }
    }

    std::size_t total = 0;
    for (std::size_t m = 0; m < mods.size(); ++m) {
        prog_.modules[m].symbols.reserve(mods[m].ast.decls.size());
        total += mods[m].ast.decls.size();
    }
    prog_.decls.reserve(total);
    const Decl *const decls_storage = prog_.decls.data();
    ast_of_.reserve(total);
    // Exact sizes for the per-kind tables: on a large case their growth slack is real memory.
    std::array<std::size_t, 16> per_alternative{}; // one per ast::Declaration alternative
    for (const auto &mod : mods) {
        for (const auto &decl : mod.ast.decls) {
            ++per_alternative[static_cast<std::size_t>(decl.get().which())];
        }
    }
    // Indices follow the order of ast::Declaration's alternatives.
    prog_.domains.reserve(per_alternative[2]);
    prog_.odds.reserve(per_alternative[3]);
    prog_.artifacts.reserve(per_alternative[4]);
    deferred_[static_cast<int>(Deferred::Evidence)].reserve(per_alternative[5]);
    deferred_[static_cast<int>(Deferred::Claims)].reserve(per_alternative[6]);
    deferred_[static_cast<int>(Deferred::Strategies)].reserve(per_alternative[7]);
    deferred_[static_cast<int>(Deferred::Attachments)].reserve(per_alternative[8]);
    deferred_[static_cast<int>(Deferred::Defeaters)].reserve(per_alternative[9]);
    deferred_[static_cast<int>(Deferred::Hazards)].reserve(per_alternative[10]);
    prog_.scales.reserve(per_alternative[11]);
    prog_.matrices.reserve(per_alternative[12]);
    prog_.rules.reserve(per_alternative[13]);
    for (std::size_t m = 0; m < mods.size(); ++m) {
        for (auto &decl : mods[m].ast.decls) {
            struct Info {
                DeclKind kind;
                const ast::Ident *name;
                support::Span span;
                void *node;
            };
            std::optional<Info> info;
            auto take = [&](DeclKind kind, auto &node) {
                info = Info{kind, &node.name, node.span, &node};
            };
            if (auto *dom = boost::get<ast::Domain>(&decl)) {
                take(DeclKind::Domain, *dom);
            } else if (auto *odd = boost::get<ast::Odd>(&decl)) {
                take(DeclKind::Odd, *odd);
            } else if (auto *art = boost::get<ast::Artifact>(&decl)) {
                take(DeclKind::Artifact, *art);
            } else if (auto *ev = boost::get<ast::Evidence>(&decl)) {
                take(DeclKind::Evidence, *ev);
            } else if (auto *claim = boost::get<ast::Claim>(&decl)) {
                take(DeclKind::Claim, *claim);
            } else if (auto *st = boost::get<ast::Strategy>(&decl)) {
                take(DeclKind::Strategy, *st);
            } else if (auto *att = boost::get<ast::Attachment>(&decl)) {
                take(att->kind == "assumption" ? DeclKind::Assumption
                     : att->kind == "context"  ? DeclKind::Context
                                               : DeclKind::Justification,
                     *att);
            } else if (auto *def = boost::get<ast::Defeater>(&decl)) {
                take(DeclKind::Defeater, *def);
            } else if (auto *hz = boost::get<ast::Hazard>(&decl)) {
                take(DeclKind::Hazard, *hz);
            } else if (auto *sc = boost::get<ast::Scale>(&decl)) {
                take(DeclKind::Scale, *sc);
            } else if (auto *mx = boost::get<ast::Matrix>(&decl)) {
                take(DeclKind::Matrix, *mx);
            } else if (auto *rule = boost::get<ast::Rule>(&decl)) {
                take(DeclKind::Rule, *rule);
            }
            if (!info) {
                continue; // module and import declarations
            }
            const DeclId id{static_cast<std::uint32_t>(prog_.decls.size())};
            Decl d{info->kind,       info->name->name, static_cast<std::uint32_t>(m),
                   info->name->span, info->span,       kNone};
            auto &symbols = prog_.modules[m].symbols;
            if (auto it = symbols.find(d.name); it != symbols.end()) {
                const Decl &first = prog_.decl(it->second);
                auto &diag = diags_.error(Code::E0203, d.name_span,
                                          "`" + d.name + "` is already declared in module `" +
                                              prog_.modules[m].name + "`",
                                          "declared again here");
                diag.notes.push_back({first.name_span, std::string("first declared here as ") +
                                                           kind_phrase(first.kind)});
                continue;
            }
            switch (d.kind) {
            case DeclKind::Domain:
                d.index = static_cast<std::uint32_t>(prog_.domains.size());
                prog_.domains.push_back({id, {}, {}});
                break;
            case DeclKind::Odd:
                d.index = static_cast<std::uint32_t>(prog_.odds.size());
                prog_.odds.push_back({id, {}, {}});
                break;
            case DeclKind::Artifact:
                d.index = static_cast<std::uint32_t>(prog_.artifacts.size());
                prog_.artifacts.push_back({id, {}, {}, {}, {}});
                break;
            // The big tables are filled just before their pass (materialize), when the bodies
            // resolved before them have been freed: the program does not peak on top of the AST.
            case DeclKind::Evidence:
                d.index = defer(Deferred::Evidence, id);
                break;
            case DeclKind::Claim:
                d.index = defer(Deferred::Claims, id);
                break;
            case DeclKind::Strategy:
                d.index = defer(Deferred::Strategies, id);
                break;
            case DeclKind::Assumption:
            case DeclKind::Context:
            case DeclKind::Justification:
                d.index = defer(Deferred::Attachments, id);
                break;
            case DeclKind::Defeater:
                d.index = defer(Deferred::Defeaters, id);
                break;
            case DeclKind::Hazard:
                d.index = defer(Deferred::Hazards, id);
                break;
            case DeclKind::Scale:
                d.index = static_cast<std::uint32_t>(prog_.scales.size());
                prog_.scales.push_back({id, {}, {}});
                break;
            case DeclKind::Matrix:
                d.index = static_cast<std::uint32_t>(prog_.matrices.size());
                prog_.matrices.emplace_back();
                prog_.matrices.back().decl = id;
                break;
            case DeclKind::Rule:
                d.index = static_cast<std::uint32_t>(prog_.rules.size());
                prog_.rules.push_back({id, {}, kNone, 0, {}});
                break;
            }
            prog_.decls.push_back(std::move(d));
            ast_of_.push_back(info->node);
            // The key views the name inside prog_.decls, reserved above: it never moves.
            symbols.emplace(prog_.decls.back().name, id);
        }
    }
    ASSURE_ASSERT(prog_.decls.data() == decls_storage,
                  "declarations were reallocated under their symbol-table keys");
    used_.assign(prog_.decls.size(), false);
    odd_state_.assign(prog_.odds.size(), 0);
    odd_depth_.assign(prog_.odds.size(), 0);
}

// ---- lookup ----------------------------------------------------------------------------------

std::vector<std::uint32_t> Analyzer::visible_modules(std::uint32_t module) const {
    std::vector<std::uint32_t> out{module};
    for (std::uint32_t imp : prog_.modules[module].imports) {
        out.push_back(imp);
    }
    return out;
}

Analyzer::Lookup Analyzer::lookup(std::uint32_t module, const ast::QName &q) const {
    Lookup result;
    if (q.parts.empty()) {
        return result;
    }
    const std::string &last = q.parts.back().name;
    if (q.parts.size() == 1) {
        const auto &own = prog_.modules[module].symbols;
        if (auto it = own.find(last); it != own.end()) {
            result.found = it->second;
            return result;
        }
        for (std::uint32_t imp : prog_.modules[module].imports) {
            const auto &syms = prog_.modules[imp].symbols;
            if (auto it = syms.find(last); it != syms.end()) {
                result.ambiguous.push_back(it->second);
            }
        }
        if (result.ambiguous.size() == 1) {
            result.found = result.ambiguous.front();
            result.ambiguous.clear();
        }
        return result;
    }
    std::string prefix;
    for (std::size_t idx = 0; idx + 1 < q.parts.size(); ++idx) {
        prefix += (idx == 0 ? "" : ".") + q.parts[idx].name;
    }
    for (const auto &[name, target] : prog_.modules[module].prefixes) {
        if (name == prefix) {
            const auto &syms = prog_.modules[target].symbols;
            if (auto it = syms.find(last); it != syms.end()) {
                result.found = it->second;
            }
            return result;
        }
    }
    result.bad_prefix = true;
    return result;
}

void Analyzer::mark_used(DeclId id) {
    if (id.valid()) {
        used_[id.value] = true;
    }
}

void Analyzer::report_unknown(std::uint32_t module, const ast::QName &q, KindSet allowed,
                              const std::string &what) {
    const std::string text = qname_text(q);
    // `G1.A1` for a GSN-style id that was declared (or meant to be) as `G1_A1`.
    std::string underscored;
    if (q.parts.size() > 1) {
        for (const auto &part : q.parts) {
            underscored += (underscored.empty() ? "" : "_") + part.name;
        }
    }
    if (is_broken(q.parts.back().name) || (!underscored.empty() && is_broken(underscored))) {
        return; // its declaration had a syntax error, already reported
    }
    auto &d = diags_.error(Code::E0201, q.span, "unknown name `" + text + "`",
                           "not declared in this module or its imports");
    (void)what;
    if (!underscored.empty()) {
        for (std::uint32_t m : visible_modules(module)) {
            const auto &syms = prog_.modules[m].symbols;
            if (const auto it = syms.find(underscored);
                it != syms.end() &&
                allowed.test(static_cast<std::size_t>(prog_.decl(it->second).kind))) {
                d.help = "did you mean `" + underscored +
                         "`? names cannot contain `.`: it separates a module from the names "
                         "declared in it";
                d.notes.push_back(
                    {prog_.decl(it->second).name_span, "`" + underscored + "` is declared here"});
                return;
            }
        }
    }
    if (suggestions_left_ == 0) {
        return;
    }
    --suggestions_left_;
    std::vector<std::string_view> candidates;
    std::vector<DeclId> ids;
    for (std::uint32_t m : visible_modules(module)) {
        for (const auto &[name, id] : prog_.modules[m].symbols) {
            if (allowed.test(static_cast<std::size_t>(prog_.decl(id).kind))) {
                candidates.push_back(name);
                ids.push_back(id);
            }
        }
    }
    const std::string best = support::closest_match(q.parts.back().name, candidates);
    if (!best.empty()) {
        d.help = "did you mean `" + best + "`?";
        DeclId best_id;
        for (std::size_t idx = 0; idx < candidates.size(); ++idx) {
            if (candidates[idx] == best && (!best_id.valid() || ids[idx] < best_id)) {
                best_id = ids[idx];
            }
        }
        d.notes.push_back({prog_.decl(best_id).name_span, "`" + best + "` is declared here"});
    } else if (q.parts.size() > 1 && lookup(module, q).bad_prefix) {
        std::string prefix = q.parts.front().name;
        for (std::size_t idx = 1; idx + 1 < q.parts.size(); ++idx) {
            prefix += "." + q.parts[idx].name;
        }
        d.help = "`" + prefix +
                 "` is not a module imported here: a qualified name starts with an imported "
                 "module's name or its `as` alias; names cannot contain `.`, so if the element "
                 "is declared as `" +
                 underscored + "`, write `" + underscored + "`";
    } else if (q.parts.size() > 1) {
        d.help = "a qualified name starts with an imported module's name or its `as` alias";
    }
}

DeclId Analyzer::resolve_ref(std::uint32_t module, const ast::QName &q, KindSet allowed,
                             const std::string &role) {
    const Lookup r = lookup(module, q);
    if (!r.ambiguous.empty()) {
        auto &d = diags_.error(Code::E0202, q.span, "`" + qname_text(q) + "` is ambiguous",
                               "declared in more than one imported module");
        d.help = "qualify the name with its module";
        for (DeclId id : r.ambiguous) {
            d.notes.push_back(
                {prog_.decl(id).name_span, "candidate `" + prog_.qualified_name(id) + "`"});
        }
        return {};
    }
    if (!r.found.valid()) {
        report_unknown(module, q, allowed, kinds_phrase(allowed));
        return {};
    }
    const Decl &target = prog_.decl(r.found);
    if (!allowed.test(static_cast<std::size_t>(target.kind))) {
        auto &d = diags_.error(Code::E0204, q.span,
                               "`" + qname_text(q) + "` is " + kind_phrase(target.kind) +
                                   ", but `" + role + "` needs " + kinds_phrase(allowed),
                               "wrong kind of element");
        d.notes.push_back(
            {target.name_span, std::string("declared here as ") + kind_phrase(target.kind)});
        return {};
    }
    mark_used(r.found);
    return r.found;
}

// ---- literals --------------------------------------------------------------------------------

std::optional<Date> Analyzer::parse_date(const ast::DateLit &lit) {
    const std::string &t = lit.text;
    Date d{std::atoi(t.substr(0, 4).c_str()), std::atoi(t.substr(5, 2).c_str()),
           std::atoi(t.substr(8, 2).c_str())};
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    const bool ok = d.year >= 1 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
                    d.day <= kDays[d.month - 1] + ((d.month == 2 && leap) ? 1 : 0);
    if (!ok) {
        diags_.error(Code::E0107, lit.span, "`" + t + "` is not a calendar date", "no such day");
        return std::nullopt;
    }
    return d;
}

std::optional<support::Decimal> Analyzer::parse_number(const ast::NumberLit &n) {
    std::string why;
    auto v = support::Decimal::parse(n.text, &why);
    if (!v) {
        // Numbers are kept exactly as written; one beyond these bounds is refused, never rounded.
        diags_.error(Code::E0110, n.span,
                     "number `" + n.text + "` cannot be represented exactly (" + why +
                         "): assure keeps at most 1000 significant digits and exponents from "
                         "-1000 to 1000",
                     "not representable");
        return std::nullopt;
    }
    return v;
}

std::optional<support::Decimal> Analyzer::parse_field_number(const ast::NumberField &f) {
    const std::string &text = f.value.text;
    if (!text.empty() && text.back() == '%') {
        const bool count = f.key != "cost";
        auto &d =
            diags_.error(Code::E0112, f.value.span,
                         "`" + f.key + "` takes " + (count ? "a whole number" : "a plain number") +
                             ", not a percentage",
                         "a percentage is not allowed here");
        d.help = count ? "`" + f.key + "` counts " +
                             (f.key == "at_least" ? "supporters" : "steps on the likelihood scale")
                       : std::string("a cost is an amount of effort in your own unit: write it "
                                     "without `%`");
        return std::nullopt;
    }
    return parse_number(f.value);
}

void Analyzer::build_rest() {
    // Odds first: regions elsewhere may name them.
    for (std::uint32_t idx = 0; idx < prog_.odds.size(); ++idx) {
        region_domain(prog_.odds[idx].decl);
    }
    // Matrices before hazards (hazards rate on a matrix's scales).
    build_matrices();
    build_artifacts();
    build_evidence();
    build_claims();
    build_strategies();
    build_attachments();
    build_defeaters();
    build_hazards();
    build_rules();
}

} // namespace assure::sema
