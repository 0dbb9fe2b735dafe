// SPDX-License-Identifier: Apache-2.0
// Declarations, references and fields. Expressions are checked in exprs.cpp.
#include "dsl/sema/analyze.hpp"
#include "dsl/sema/analyzer.hpp"
#include "support/assert.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
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

/// Key and span of a field, for duplicate and allowed-field checks.
struct FieldKey {
    std::string_view key; // points into the AST
    support::Span span;
};

FieldKey field_key(const ast::Field &f) {
    struct Visitor {
        FieldKey operator()(const ast::Flag &x) const { return {x.word, x.span}; }
        FieldKey operator()(const ast::RefsField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::WordField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::RefField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::TextField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::NumberField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::DateField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::x3::forward_ast<ast::MetricField> &x) const {
            return {"metric", x.get().span};
        }
        FieldKey operator()(const ast::x3::forward_ast<ast::ScopeField> &x) const {
            return {"scope", x.get().span};
        }
        FieldKey operator()(const ast::RequiresField &x) const { return {"requires", x.span}; }
        FieldKey operator()(const ast::FormalField &x) const { return {"formal", x.span}; }
        // (string literals: the views stay valid)
        FieldKey operator()(const ast::CoverField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::RowField &x) const { return {"row", x.span}; }
        FieldKey operator()(const ast::DemandField &x) const { return {"demand", x.span}; }
    };
    return boost::apply_visitor(Visitor{}, f);
}

/// The span of just the key word of a field (the first token).
support::Span key_span(const FieldKey &k) {
    return support::Span{k.span.file, k.span.begin,
                         k.span.begin + static_cast<std::uint32_t>(k.key.size())};
}

} // namespace

Analyzer::Analyzer(dsl::LoadedCase &loaded, const support::SourceManager &sources,
                   support::Diagnostics &diags)
    : loaded_(loaded), sources_(sources), diags_(diags) {
    broken_.insert(loaded.broken_names.begin(), loaded.broken_names.end());
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
                prog_.artifacts.push_back({id, {}, {}, {}});
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
    if (is_broken(q.parts.back().name)) {
        return; // its declaration had a syntax error, already reported
    }
    auto &d = diags_.error(Code::E0201, q.span, "unknown name `" + text + "`",
                           "not declared in this module or its imports");
    (void)what;
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

// ---- domains and scales ----------------------------------------------------------------------

void Analyzer::build_domains_and_scales() {
    for (auto &dom : prog_.domains) {
        const auto &node = *static_cast<const ast::Domain *>(ast_of_[dom.decl.value]);
        dom.title = node.title ? node.title->value : std::string();
        std::map<std::string, support::Span> seen;
        for (const auto &v : node.vars) {
            if (auto [it, ok] = seen.emplace(v.name.name, v.name.span); !ok) {
                auto &d =
                    diags_.error(Code::E0203, v.name.span,
                                 "variable `" + v.name.name + "` is declared twice in domain `" +
                                     prog_.decl(dom.decl).name + "`",
                                 "declared again here");
                d.notes.push_back({it->second, "first declared here"});
                continue;
            }
            Variable var;
            var.name = v.name.name;
            var.domain = dom.decl;
            var.span = v.name.span;
            var.unit = v.unit ? v.unit->value : std::string();
            if (const auto *num = boost::get<ast::NumType>(&v.type)) {
                var.kind = num->kind == "int" ? VarKind::Int : VarKind::Real;
                var.lo_text = num->lo.text;
                var.hi_text = num->hi.text;
                const auto lo = parse_number(num->lo);
                const auto hi = parse_number(num->hi);
                if (lo && hi) {
                    var.lo = *lo;
                    var.hi = *hi;
                    if (*lo > *hi) {
                        diags_.error(Code::E0308, num->span,
                                     "the range of `" + var.name + "` is empty: " + num->lo.text +
                                         " > " + num->hi.text,
                                     "lower bound above upper bound");
                    }
                    if (var.kind == VarKind::Int && (!lo->is_integer() || !hi->is_integer())) {
                        diags_.error(Code::E0308, num->span,
                                     "the bounds of int variable `" + var.name +
                                         "` must be integers",
                                     "not an integer");
                    }
                }
            } else if (boost::get<ast::BoolType>(&v.type) != nullptr) {
                var.kind = VarKind::Bool;
            } else if (const auto *en = boost::get<ast::EnumType>(&v.type)) {
                var.kind = VarKind::Enum;
                std::map<std::string, support::Span> values;
                for (const auto &val : en->values) {
                    if (auto [it, ok] = values.emplace(val.name, val.span); !ok) {
                        auto &d = diags_.error(Code::E0308, val.span,
                                               "enum value `" + val.name + "` is listed twice",
                                               "repeated here");
                        d.notes.push_back({it->second, "first listed here"});
                        continue;
                    }
                    var.values.push_back(val.name);
                }
            }
            dom.vars.push_back(static_cast<std::uint32_t>(prog_.variables.size()));
            prog_.variables.push_back(std::move(var));
        }
    }
    for (auto &scale : prog_.scales) {
        const auto &node = *static_cast<const ast::Scale *>(ast_of_[scale.decl.value]);
        scale.title = node.title ? node.title->value : std::string();
        std::map<std::string, support::Span> seen;
        for (const auto &val : node.values) {
            if (auto [it, ok] = seen.emplace(val.name, val.span); !ok) {
                auto &d =
                    diags_.error(Code::E0308, val.span,
                                 "scale value `" + val.name + "` is listed twice", "repeated here");
                d.notes.push_back({it->second, "first listed here"});
                continue;
            }
            scale.values.push_back(val.name);
        }
    }
}

// ---- regions ---------------------------------------------------------------------------------

DeclId Analyzer::region_domain(DeclId base) {
    const Decl &d = prog_.decl(base);
    if (d.kind == DeclKind::Domain) {
        return base;
    }
    OddInfo &odd = prog_.odds[d.index];
    if (odd_state_[d.index] == 2) {
        odd_level_ = std::max(odd_level_, odd_depth_[d.index]);
        return odd.region.domain;
    }
    if (odd_state_[d.index] == 1) {
        diags_.error(Code::E0313, d.name_span, "odd `" + d.name + "` is defined in terms of itself",
                     "part of a cycle of odd definitions");
        return {};
    }
    // Resolving an odd resolves the odds it names first, recursively: the depth is capped, so
    // that neither this nor a later stage recurses in proportion to the case. The odd that
    // crosses the limit is reported; the ones above it fail quietly (no region). When the
    // odds are declared outermost first, the limit is met here, before any depth is known:
    // the outermost odd open is then reported (once: the rest of the chain is as deep).
    if (odds_open_ >= kMaxOddDepth) {
        odd_level_ = kMaxOddDepth + 1;
        odd_too_deep_ = odd_too_deep_ == 0 ? 1 : odd_too_deep_;
        return {};
    }
    odd_state_[d.index] = 1;
    const int outer_level = odd_level_;
    odd_level_ = 0;
    ++odds_open_;
    const auto &node = *static_cast<const ast::Odd *>(ast_of_[base.value]);
    odd.title = node.title ? node.title->value : std::string();
    if (auto r = build_region(d.module, node.region)) {
        odd.region = *r;
    }
    --odds_open_;
    odd_depth_[d.index] = odd_level_ + 1;
    const bool outermost_too_deep = odds_open_ == 0 && odd_too_deep_ == 1;
    if (outermost_too_deep) {
        odd_too_deep_ = 2;
    }
    if ((odd_level_ == kMaxOddDepth && odd.region.domain.valid()) || outermost_too_deep) {
        diags_.error(Code::E0317, d.name_span,
                     "odd `" + d.name + "` is defined through more than " +
                         std::to_string(kMaxOddDepth) + " levels of other odds",
                     "defined too deep");
    }
    if (odd_level_ >= kMaxOddDepth) {
        odd.region.domain = {}; // too deep: no region, whatever refers to it fails quietly
    }
    odd_level_ = std::max(outer_level, odd_depth_[d.index]);
    odd_state_[d.index] = 2;
    static_cast<ast::Odd *>(ast_of_[base.value])->region.where = boost::none; // resolved: free it
    return odd.region.domain;
}

std::optional<std::uint32_t> Analyzer::value_index(bool vocab, std::uint32_t ref,
                                                   const std::vector<std::string> &values,
                                                   const std::string &name) {
    if (values.size() <= 16) {
        const auto it = std::find(values.begin(), values.end(), name);
        return it == values.end()
                   ? std::nullopt
                   : std::optional<std::uint32_t>(static_cast<std::uint32_t>(it - values.begin()));
    }
    auto &index = value_index_[{vocab, ref}];
    if (index.empty()) {
        for (std::uint32_t idx = 0; idx < values.size(); ++idx) {
            index.emplace(values[idx], idx); // the first of repeated values, as a scan finds
        }
    }
    const auto it = index.find(name);
    return it == index.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
}

const std::vector<std::uint32_t> &Analyzer::variables_named(const std::string &name) {
    if (variables_named_.empty()) {
        for (std::uint32_t vid = 0; vid < prog_.variables.size(); ++vid) {
            variables_named_[prog_.variables[vid].name].push_back(vid);
        }
    }
    const auto it = variables_named_.find(name);
    return it == variables_named_.end() ? no_variables_ : it->second;
}

std::optional<Region> Analyzer::build_region(std::uint32_t module, const ast::Region &r) {
    Region region;
    region.span = r.span;
    region.base = resolve_ref(module, r.base, kinds({DeclKind::Domain, DeclKind::Odd}), "region");
    if (!region.base.valid()) {
        return std::nullopt;
    }
    region.domain = region_domain(region.base);
    if (!region.domain.valid()) {
        return std::nullopt;
    }
    if (r.where) {
        ExprEnv env;
        env.mode = ExprEnv::Mode::Region;
        env.module = module;
        env.domain = region.domain;
        region.where = check_bool(*r.where, env, "a region's `where` condition");
    }
    return region;
}

// ---- everything else -------------------------------------------------------------------------

namespace {

struct FieldRules {
    std::vector<std::string> allowed;
    std::vector<std::string> repeatable;
};

const FieldRules &rules_for(DeclKind kind) {
    static const std::map<DeclKind, FieldRules> rules = {
        {DeclKind::Evidence,
         {{"kind", "artifacts", "result", "metric", "valid_until", "date", "cost", "producer",
           "team", "department", "approved_by", "independent_of", "description"},
          {"metric"}}},
        {DeclKind::Claim,
         {{"scope", "requires", "formal", "mitigates", "lowers_likelihood", "supported_by",
           "undeveloped", "description"},
          {}}},
        {DeclKind::Strategy,
         {{"all_of", "any_of", "at_least", "deductive", "cover", "partition", "supported_by",
           "justification", "description"},
          {}}},
        {DeclKind::Assumption, {{"formal", "description"}, {}}},
        {DeclKind::Context, {{"artifacts", "description"}, {}}},
        {DeclKind::Justification, {{"description"}, {}}},
        {DeclKind::Defeater, {{"status", "resolved_by", "description"}, {}}},
        {DeclKind::Hazard, {{"severity", "likelihood", "matrix", "description"}, {}}},
        {DeclKind::Matrix,
         {{"rows", "columns", "levels", "accept", "row", "demand"}, {"row", "demand"}}},
    };
    return rules.at(kind);
}

} // namespace

namespace {
/// Checks allowed and repeated fields of one declaration; returns the fields that may be used.
std::vector<const ast::Field *> admitted_fields(const ast::Fields &fields, DeclKind kind,
                                                support::Diagnostics &diags) {
    const FieldRules &rules = rules_for(kind);
    // A declaration has a handful of fields: a linear scan beats a map here.
    std::vector<FieldKey> seen;
    std::vector<const ast::Field *> out;
    out.reserve(fields.size());
    for (const auto &f : fields) {
        const FieldKey k = field_key(f);
        if (std::find(rules.allowed.begin(), rules.allowed.end(), k.key) == rules.allowed.end()) {
            std::string list;
            for (const auto &a : rules.allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            auto &d =
                diags.error(Code::E0207, key_span(k),
                            "`" + std::string(k.key) + "` is not a field of " + kind_phrase(kind),
                            "not allowed here");
            d.help = std::string("the fields of ") + kind_phrase(kind) + " are: " + list;
            continue;
        }
        const bool repeatable = std::find(rules.repeatable.begin(), rules.repeatable.end(),
                                          k.key) != rules.repeatable.end();
        if (!repeatable) {
            auto it = std::find_if(seen.begin(), seen.end(),
                                   [&](const FieldKey &s) { return s.key == k.key; });
            if (it != seen.end()) {
                auto &d = diags.error(Code::E0205, key_span(k),
                                      "field `" + std::string(k.key) + "` is given twice",
                                      "given again here");
                d.notes.push_back({it->span, "first given here"});
                continue;
            }
            seen.push_back(k);
        }
        out.push_back(&f);
    }
    return out;
}

template <typename T> const T *as(const ast::Field *f) {
    if constexpr (std::is_same_v<T, ast::MetricField> || std::is_same_v<T, ast::ScopeField>) {
        const auto *boxed = boost::get<ast::x3::forward_ast<T>>(f);
        return boxed != nullptr ? &boxed->get() : nullptr;
    } else {
        return boost::get<T>(f);
    }
}

std::optional<std::size_t> vocabulary_index(const std::string &word,
                                            const std::vector<std::string_view> &words) {
    for (std::size_t idx = 0; idx < words.size(); ++idx) {
        if (words[idx] == word) {
            return idx;
        }
    }
    return std::nullopt;
}

void report_vocabulary(support::Diagnostics &diags, const ast::Ident &value,
                       const std::string &field, const std::vector<std::string_view> &words) {
    std::string list;
    for (auto w : words) {
        list += std::string(list.empty() ? "" : ", ") + std::string(w);
    }
    auto &d = diags.error(Code::E0207, value.span,
                          "`" + value.name + "` is not a valid `" + field + "`", "unknown value");
    const std::string best = support::closest_match(value.name, words);
    d.help = best.empty() ? "expected one of: " + list
                          : "did you mean `" + best + "`? (expected one of: " + list + ")";
}

} // namespace

std::optional<ScaleValue> Analyzer::resolve_scale_value(std::uint32_t module, const ast::QName &q,
                                                        std::uint32_t scale, const char *role) {
    auto find_in = [&](std::uint32_t s, const std::string &name) -> std::optional<std::uint32_t> {
        const auto &vals = prog_.scales[s].values;
        for (std::uint32_t idx = 0; idx < vals.size(); ++idx) {
            if (vals[idx] == name) {
                return idx;
            }
        }
        return std::nullopt;
    };
    const std::string &name = q.parts.back().name;
    if (q.parts.size() > 1) {
        // `Severity.catastrophic` or `std.risk.Severity.catastrophic`
        ast::QName scale_name;
        scale_name.parts.assign(q.parts.begin(), q.parts.end() - 1);
        scale_name.span = q.span;
        const DeclId sid = resolve_ref(module, scale_name, kinds({DeclKind::Scale}), role);
        if (!sid.valid()) {
            return std::nullopt;
        }
        const std::uint32_t s = prog_.decl(sid).index;
        if (scale != kNone && s != scale) {
            diags_.error(Code::E0310, q.span,
                         "`" + qname_text(q) + "` is on scale `" + prog_.decl(sid).name +
                             "`, but `" + role + "` needs a value of scale `" +
                             prog_.decl(prog_.scales[scale].decl).name + "`",
                         "wrong scale");
            return std::nullopt;
        }
        if (auto v = find_in(s, name)) {
            return ScaleValue{s, *v};
        }
        diags_.error(Code::E0302, q.parts.back().span,
                     "scale `" + prog_.decl(sid).name + "` has no value `" + name + "`",
                     "not a value of this scale");
        return std::nullopt;
    }
    if (scale != kNone) {
        mark_used(prog_.scales[scale].decl);
        if (auto v = find_in(scale, name)) {
            return ScaleValue{scale, *v};
        }
        const auto &vals = prog_.scales[scale].values;
        auto &d = diags_.error(Code::E0302, q.span,
                               "scale `" + prog_.decl(prog_.scales[scale].decl).name +
                                   "` has no value `" + name + "`",
                               "not a value of this scale");
        const std::string best =
            support::closest_match(name, std::vector<std::string_view>(vals.begin(), vals.end()));
        if (!best.empty()) {
            d.help = "did you mean `" + best + "`?";
        }
        return std::nullopt;
    }
    // No scale required: search the scales visible from this module.
    std::vector<ScaleValue> found;
    for (std::uint32_t m : visible_modules(module)) {
        for (std::uint32_t s = 0; s < prog_.scales.size(); ++s) {
            if (prog_.decl(prog_.scales[s].decl).module != m) {
                continue;
            }
            if (auto v = find_in(s, name)) {
                found.push_back({s, *v});
            }
        }
    }
    if (found.size() == 1) {
        mark_used(prog_.scales[found[0].scale].decl);
        return found[0];
    }
    if (found.empty()) {
        if (!is_broken(name)) {
            diags_.error(Code::E0201, q.span, "unknown scale value `" + name + "`",
                         "no visible scale has this value");
        }
        return std::nullopt;
    }
    auto &d = diags_.error(Code::E0202, q.span, "scale value `" + name + "` is ambiguous",
                           "several visible scales have this value");
    d.help = "qualify it with its scale, e.g. `Scale." + name + "`";
    return std::nullopt;
}

void Analyzer::build_rest() {
    // Odds first: regions elsewhere may name them.
    for (std::uint32_t idx = 0; idx < prog_.odds.size(); ++idx) {
        region_domain(prog_.odds[idx].decl);
    }
    const std::vector<std::string_view> results = {"pass", "fail", "pending"};
    const std::vector<std::string_view> &ev_kinds = evidence_kind_words();
    const std::vector<std::string_view> statuses = {"open", "resolved", "withdrawn"};

    // Matrices before hazards (hazards rate on a matrix's scales).
    for (auto &mx : prog_.matrices) {
        const Decl &decl = prog_.decl(mx.decl);
        const auto &node = *static_cast<const ast::Matrix *>(ast_of_[mx.decl.value]);
        mx.title = node.title ? node.title->value : std::string();
        const auto fields = admitted_fields(node.fields, DeclKind::Matrix, diags_);
        const ast::RefField *accept = nullptr;
        for (const ast::Field *f : fields) {
            if (const auto *rf = as<ast::RefField>(f)) {
                if (rf->key == "accept") {
                    accept = rf;
                    continue;
                }
                const DeclId sid =
                    resolve_ref(decl.module, rf->ref, kinds({DeclKind::Scale}), rf->key);
                const std::uint32_t s = sid.valid() ? prog_.decl(sid).index : kNone;
                (rf->key == "rows" ? mx.rows : rf->key == "columns" ? mx.columns : mx.levels) = s;
            }
        }
        bool axes_ok = true;
        for (const auto &[key, value] :
             {std::pair{"rows", mx.rows}, {"columns", mx.columns}, {"levels", mx.levels}}) {
            if (value == kNone) {
                axes_ok = false;
                bool given = false;
                for (const ast::Field *f : fields) {
                    if (const auto *rf = as<ast::RefField>(f); rf && rf->key == key) {
                        given = true;
                    }
                }
                if (!given) {
                    diags_.error(Code::E0206, decl.name_span,
                                 std::string("matrix `") + decl.name + "` has no `" + key +
                                     ":` field",
                                 std::string("missing `") + key + ":`");
                }
            }
        }
        if (!axes_ok) {
            continue;
        }
        const std::size_t n_rows = prog_.scales[mx.rows].values.size();
        const std::size_t n_cols = prog_.scales[mx.columns].values.size();
        mx.cells.assign(n_rows * n_cols, kNone);
        auto one = [](const ast::Ident &id) {
            ast::QName q;
            q.parts.push_back(id);
            q.span = id.span;
            return q;
        };
        for (const ast::Field *f : fields) {
            const auto *row = as<ast::RowField>(f);
            if (row == nullptr) {
                continue;
            }
            const auto r = resolve_scale_value(decl.module, one(row->row), mx.rows, "row");
            for (const auto &cell : row->cells) {
                const auto c =
                    resolve_scale_value(decl.module, one(cell.column), mx.columns, "column");
                const auto l =
                    resolve_scale_value(decl.module, one(cell.level), mx.levels, "level");
                if (!r || !c || !l) {
                    continue;
                }
                std::uint32_t &slot = mx.cells[r->value * n_cols + c->value];
                if (slot != kNone) {
                    diags_.error(Code::E0309, cell.span,
                                 "cell (" + row->row.name + ", " + cell.column.name +
                                     ") of matrix `" + decl.name + "` is given twice",
                                 "repeated cell");
                    continue;
                }
                slot = l->value;
            }
        }
        std::vector<std::string> missing;
        for (std::size_t r = 0; r < n_rows; ++r) {
            for (std::size_t c = 0; c < n_cols; ++c) {
                if (mx.cells[r * n_cols + c] == kNone) {
                    missing.push_back("(" + prog_.scales[mx.rows].values[r] + ", " +
                                      prog_.scales[mx.columns].values[c] + ")");
                }
            }
        }
        if (!missing.empty()) {
            std::string list;
            for (std::size_t idx = 0; idx < missing.size() && idx < 6; ++idx) {
                list += (idx == 0 ? "" : ", ") + missing[idx];
            }
            if (missing.size() > 6) {
                list += ", ...";
            }
            diags_.error(Code::E0309, decl.name_span,
                         "matrix `" + decl.name + "` is missing " + std::to_string(missing.size()) +
                             " cell(s): " + list,
                         "incomplete matrix");
        }
        if (accept != nullptr) {
            if (auto v = resolve_scale_value(decl.module, accept->ref, mx.levels, "accept")) {
                mx.accept = v->value;
            }
        }
        for (const ast::Field *f : fields) {
            if (const auto *dm = as<ast::DemandField>(f)) {
                build_demand(decl.module, *dm, mx);
            }
        }
        release_body<ast::Matrix>(mx.decl);
    }

    for (auto &art : prog_.artifacts) {
        const auto &node = *static_cast<const ast::Artifact *>(ast_of_[art.decl.value]);
        art.path = node.path.value;
        art.path_span = node.path.span;
        if (node.sha256) {
            std::string hex = node.sha256->value;
            const bool ok = hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
                                return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                            });
            if (!ok) {
                diags_.error(Code::E0306, node.sha256->span,
                             "a SHA-256 is 64 hexadecimal digits; this one has " +
                                 std::to_string(hex.size()) + " characters",
                             "not a SHA-256");
            } else {
                std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
                    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                });
                art.sha256 = hex;
            }
        }
    }

    materialize(prog_.evidence, Deferred::Evidence);
    for (auto &ev : prog_.evidence) {
        const Decl &decl = prog_.decl(ev.decl);
        auto &node = *static_cast<ast::Evidence *>(ast_of_[ev.decl.value]);
        ev.title = std::move(node.title.value); // the body is released below
        bool has_result = false;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Evidence, diags_)) {
            if (const auto *w = as<ast::WordField>(f)) {
                if (w->key == "result") {
                    has_result = true;
                    if (auto idx = vocabulary_index(w->value.name, results)) {
                        ev.result = static_cast<EvidenceResult>(*idx);
                    } else {
                        report_vocabulary(diags_, w->value, "result", results);
                    }
                } else if (w->key == "kind") {
                    if (auto idx = vocabulary_index(w->value.name, ev_kinds)) {
                        ev.kind = static_cast<EvidenceKind>(*idx + 1);
                    } else {
                        report_vocabulary(diags_, w->value, "kind", ev_kinds);
                    }
                }
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                const bool arts = rf->key == "artifacts";
                for (const auto &q : rf->refs) {
                    const DeclId id = resolve_ref(
                        decl.module, q,
                        arts ? kinds({DeclKind::Artifact}) : kinds({DeclKind::Evidence}), rf->key);
                    if (id.valid()) {
                        (arts ? ev.artifacts : ev.independent_of).push_back(id);
                    }
                }
            } else if (const auto *m = as<ast::MetricField>(f)) {
                Metric metric;
                metric.name = m->name.name;
                metric.value_text = m->value.text;
                metric.value = parse_number(m->value).value_or(support::Decimal{});
                metric.span = m->span;
                metrics_measured_.insert(metric.name);
                if (auto r = build_region(decl.module, m->over)) {
                    metric.over = *r;
                }
                ev.metrics.push_back(std::move(metric));
            } else if (const auto *d = as<ast::DateField>(f)) {
                (d->key == "date" ? ev.date : ev.valid_until) = parse_date(d->value);
            } else if (const auto *n = as<ast::NumberField>(f)) {
                ev.cost = parse_number(n->value);
            } else if (const auto *t = as<ast::TextField>(f)) {
                (t->key == "producer"      ? ev.producer
                 : t->key == "team"        ? ev.team
                 : t->key == "department"  ? ev.department
                 : t->key == "approved_by" ? ev.approved_by
                                           : ev.description) = t->value.value;
            }
        }
        if (!has_result) {
            auto &d = diags_.error(Code::E0206, decl.name_span,
                                   "evidence `" + decl.name + "` has no `result:` field",
                                   "missing `result:`");
            d.help = "add `result: pass`, `result: fail` or `result: pending`";
        }
        release_body<ast::Evidence>(ev.decl);
    }

    materialize(prog_.claims, Deferred::Claims);
    for (auto &claim : prog_.claims) {
        const Decl &decl = prog_.decl(claim.decl);
        auto &node = *static_cast<ast::Claim *>(ast_of_[claim.decl.value]);
        claim.title = std::move(node.title.value); // the body is released below
        const ast::FormalField *formal = nullptr;
        support::Span undeveloped_span;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Claim, diags_)) {
            if (const auto *s = as<ast::ScopeField>(f)) {
                claim.scope = build_region(decl.module, s->region);
            } else if (const auto *rq = as<ast::RequiresField>(f)) {
                for (const auto &item : rq->items) {
                    Requirement req;
                    req.metric = item.metric.name;
                    req.value_text = item.value.text;
                    req.value = parse_number(item.value).value_or(support::Decimal{});
                    req.span = item.span;
                    const std::string &op = item.op;
                    req.op = op == "=="   ? CmpOp::Eq
                             : op == "!=" ? CmpOp::Ne
                             : op == "<"  ? CmpOp::Lt
                             : op == "<=" ? CmpOp::Le
                             : op == ">"  ? CmpOp::Gt
                                          : CmpOp::Ge;
                    if (metrics_measured_.count(req.metric) == 0) {
                        auto &d = diags_.error(Code::E0208, item.metric.span,
                                               "no evidence measures metric `" + req.metric + "`",
                                               "unknown metric");
                        const std::string best = support::closest_match(
                            req.metric, std::vector<std::string_view>(metrics_measured_.begin(),
                                                                      metrics_measured_.end()));
                        d.help = best.empty() ? "evidence measures a metric with `metric NAME = "
                                                "VALUE over REGION`"
                                              : "did you mean `" + best + "`?";
                    }
                    claim.requirements.push_back(std::move(req));
                }
            } else if (const auto *fm = as<ast::FormalField>(f)) {
                formal = fm;
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                const bool mit = rf->key == "mitigates";
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q,
                                    mit ? kinds({DeclKind::Hazard})
                                        : kinds({DeclKind::Claim, DeclKind::Evidence}),
                                    rf->key);
                    if (id.valid()) {
                        (mit ? claim.mitigates : claim.supported_by).push_back(id);
                        if (!mit) {
                            claim.supported_by_spans.push_back(q.span);
                        }
                    }
                }
            } else if (const auto *n = as<ast::NumberField>(f)) {
                const auto num = parse_number(n->value);
                const auto v = num ? num->to_integer() : std::nullopt;
                if (v && *v >= 0 && *v < 1000) {
                    claim.lowers_likelihood = static_cast<std::uint32_t>(*v);
                } else {
                    diags_.error(Code::E0207, n->value.span,
                                 "`lowers_likelihood:` is a whole number of steps on the "
                                 "likelihood scale",
                                 "not a number of steps");
                }
            } else if (const auto *fl = as<ast::Flag>(f)) {
                claim.undeveloped = true;
                undeveloped_span = fl->span;
            } else if (const auto *t = as<ast::TextField>(f)) {
                claim.description = t->value.value;
            }
        }
        if (formal != nullptr) {
            ExprEnv env;
            env.mode = ExprEnv::Mode::Formal;
            env.module = decl.module;
            env.domain = claim.scope ? claim.scope->domain : DeclId{};
            claim.formal = check_bool(formal->expr, env, "a formal statement");
        }
        if (claim.undeveloped && !claim.supported_by.empty()) {
            diags_.error(Code::W0103, undeveloped_span,
                         "claim `" + decl.name + "` is marked undeveloped but lists supporters",
                         "marked undeveloped here");
        }
        release_body<ast::Claim>(claim.decl);
    }

    materialize(prog_.strategies, Deferred::Strategies);
    for (auto &st : prog_.strategies) {
        const Decl &decl = prog_.decl(st.decl);
        auto &node = *static_cast<ast::Strategy *>(ast_of_[st.decl.value]);
        st.title = std::move(node.title.value); // the body is released below
        st.parent = resolve_ref(decl.module, node.parent, kinds({DeclKind::Claim}), "for");
        std::vector<std::pair<std::string, support::Span>> modes;
        const ast::CoverField *cover = nullptr;
        bool has_supporters = false;
        support::Span at_least_span;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Strategy, diags_)) {
            if (const auto *fl = as<ast::Flag>(f)) {
                if (fl->word == "undeveloped") {
                    diags_.error(Code::E0207, fl->span,
                                 "`undeveloped` is not a field of a strategy", "not allowed here");
                    continue;
                }
                modes.emplace_back(fl->word, fl->span);
                st.mode = fl->word == "all_of"   ? StrategyMode::AllOf
                          : fl->word == "any_of" ? StrategyMode::AnyOf
                                                 : StrategyMode::Deductive;
            } else if (const auto *n = as<ast::NumberField>(f)) {
                if (n->key == "cost") {
                    continue;
                }
                modes.emplace_back("at_least", n->span);
                at_least_span = n->span;
                st.mode = StrategyMode::AtLeast;
                const auto num = parse_number(n->value);
                const auto v = num ? num->to_integer() : std::nullopt;
                st.at_least = v && *v >= 0 && *v < 1000000000 ? static_cast<std::uint32_t>(*v) : 0;
            } else if (const auto *c = as<ast::CoverField>(f)) {
                cover = c;
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                has_supporters = true;
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q, kinds({DeclKind::Claim, DeclKind::Evidence}),
                                    "supported_by");
                    if (id.valid()) {
                        st.supported_by.push_back(id);
                        st.supported_by_spans.push_back(q.span);
                    }
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                (t->key == "justification" ? st.justification : st.description) = t->value.value;
            }
        }
        if (modes.size() > 1) {
            auto &d = diags_.error(Code::E0312, modes[1].second,
                                   "strategy `" + decl.name + "` has more than one mode",
                                   "second mode here");
            d.notes.push_back({modes[0].second, "first mode here"});
        }
        if (cover != nullptr) {
            st.cover = cover->key == "cover" ? CoverKind::Cover : CoverKind::Partition;
            if (st.mode != StrategyMode::AllOf) {
                diags_.error(Code::E0312, cover->span,
                             "`" + cover->key + "` needs every sub-claim (the all_of mode)",
                             "cannot combine with " + modes.front().first);
            }
            // Cover variables belong to the parent claim's domain.
            DeclId domain;
            if (st.parent.valid()) {
                const auto &parent = prog_.claims[prog_.decl(st.parent).index];
                if (parent.scope) {
                    domain = parent.scope->domain;
                }
            }
            for (const auto &v : cover->vars) {
                if (!domain.valid()) {
                    if (st.parent.valid()) {
                        diags_.error(Code::E0311, v.span,
                                     "cannot cover `" + v.name + "`: claim `" +
                                         prog_.decl(st.parent).name + "` has no scope",
                                     "parent has no operating domain");
                    }
                    break;
                }
                const auto &dom = prog_.domains[prog_.decl(domain).index];
                std::uint32_t found = kNone;
                std::vector<std::string_view> names;
                for (std::uint32_t vid : dom.vars) {
                    names.push_back(prog_.variables[vid].name);
                    if (prog_.variables[vid].name == v.name) {
                        found = vid;
                    }
                }
                if (found == kNone) {
                    auto &d = diags_.error(Code::E0311, v.span,
                                           "domain `" + prog_.decl(domain).name +
                                               "` has no variable `" + v.name + "`",
                                           "not a variable of the parent's domain");
                    const std::string best = support::closest_match(v.name, names);
                    if (!best.empty()) {
                        d.help = "did you mean `" + best + "`?";
                    }
                } else {
                    st.cover_vars.push_back(found);
                }
            }
            // The sub-claims' scopes must be regions of the same domain as the parent's.
            for (std::size_t idx = 0; domain.valid() && idx < st.supported_by.size(); ++idx) {
                const Decl &sub = prog_.decl(st.supported_by[idx]);
                if (sub.kind != DeclKind::Claim) {
                    continue;
                }
                const auto &scope = prog_.claims[sub.index].scope;
                if (scope && scope->domain.valid() && scope->domain != domain) {
                    auto &d =
                        diags_.error(Code::E0305, st.supported_by_spans[idx],
                                     "`" + sub.name + "` is scoped over domain `" +
                                         prog_.decl(scope->domain).name + "`, but `" + cover->key +
                                         "` splits the domain `" + prog_.decl(domain).name +
                                         "` of `" + prog_.decl(st.parent).name + "`",
                                     "sub-claim of another domain");
                    d.notes.push_back({scope->span, "its scope"});
                }
            }
        }
        if (!has_supporters) {
            diags_.error(Code::E0404, decl.name_span,
                         "strategy `" + decl.name + "` has no `supported_by:` field",
                         "nothing supports this strategy");
        } else if (st.mode == StrategyMode::AtLeast &&
                   (st.at_least < 1 || st.at_least > st.supported_by.size())) {
            diags_.error(Code::E0307, at_least_span,
                         "`at_least` must be between 1 and the number of supporters (" +
                             std::to_string(st.supported_by.size()) + ")",
                         "out of range");
        }
        release_body<ast::Strategy>(st.decl);
    }

    materialize(prog_.attachments, Deferred::Attachments);
    for (auto &att : prog_.attachments) {
        const DeclKind k = prog_.decl(att.decl).kind;
        att.kind = k == DeclKind::Assumption ? AttachmentKind::Assumption
                   : k == DeclKind::Context  ? AttachmentKind::Context
                                             : AttachmentKind::Justification;
        const Decl &decl = prog_.decl(att.decl);
        auto &node = *static_cast<ast::Attachment *>(ast_of_[att.decl.value]);
        att.title = std::move(node.title.value); // the body is released below
        for (const auto &q : node.targets) {
            const DeclId id =
                resolve_ref(decl.module, q, kinds({DeclKind::Claim, DeclKind::Strategy}), "for");
            if (id.valid()) {
                att.targets.push_back(id);
            }
        }
        for (const ast::Field *f : admitted_fields(node.fields, decl.kind, diags_)) {
            if (const auto *fm = as<ast::FormalField>(f)) {
                ExprEnv env;
                env.mode = ExprEnv::Mode::Formal;
                env.module = decl.module;
                for (DeclId t : att.targets) {
                    if (prog_.decl(t).kind == DeclKind::Claim) {
                        const auto &c = prog_.claims[prog_.decl(t).index];
                        if (c.scope) {
                            env.domain = c.scope->domain;
                            break;
                        }
                    }
                }
                att.formal = check_bool(fm->expr, env, "a formal statement");
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q, kinds({DeclKind::Artifact}), rf->key);
                    if (id.valid()) {
                        att.artifacts.push_back(id);
                    }
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                att.description = t->value.value;
            }
        }
        release_body<ast::Attachment>(att.decl);
    }

    materialize(prog_.defeaters, Deferred::Defeaters);
    for (auto &def : prog_.defeaters) {
        const Decl &decl = prog_.decl(def.decl);
        auto &node = *static_cast<ast::Defeater *>(ast_of_[def.decl.value]);
        def.title = std::move(node.title.value); // the body is released below
        const std::string &rel = node.relation.name;
        def.relation = rel == "rebuts"       ? DefeaterRelation::Rebuts
                       : rel == "undercuts"  ? DefeaterRelation::Undercuts
                       : rel == "undermines" ? DefeaterRelation::Undermines
                                             : DefeaterRelation::Defeats;
        const DeclKind target_kind =
            def.relation == DefeaterRelation::Rebuts       ? DeclKind::Claim
            : def.relation == DefeaterRelation::Undercuts  ? DeclKind::Strategy
            : def.relation == DefeaterRelation::Undermines ? DeclKind::Evidence
                                                           : DeclKind::Defeater;
        def.target = resolve_ref(decl.module, node.target, kinds({target_kind}), rel);
        support::Span resolved_span;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Defeater, diags_)) {
            if (const auto *w = as<ast::WordField>(f)) {
                if (auto idx = vocabulary_index(w->value.name, statuses)) {
                    def.status = static_cast<DefeaterStatus>(*idx);
                    resolved_span = w->span;
                } else {
                    report_vocabulary(diags_, w->value, "status", statuses);
                }
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q, kinds({DeclKind::Evidence, DeclKind::Claim}),
                                    "resolved_by");
                    if (id.valid()) {
                        def.resolved_by.push_back(id);
                    }
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                def.description = t->value.value;
            }
        }
        if (def.status == DefeaterStatus::Resolved && def.resolved_by.empty()) {
            auto &d = diags_.error(Code::W0104, resolved_span,
                                   "defeater `" + decl.name +
                                       "` is marked resolved but names nothing that resolves it",
                                   "no `resolved_by:`");
            d.help = "add `resolved_by:` with the evidence or claim that answers it; until then "
                     "the proof engine treats it as open";
        }
        release_body<ast::Defeater>(def.decl);
    }

    materialize(prog_.hazards, Deferred::Hazards);
    for (auto &hz : prog_.hazards) {
        const Decl &decl = prog_.decl(hz.decl);
        auto &node = *static_cast<ast::Hazard *>(ast_of_[hz.decl.value]);
        hz.title = std::move(node.title.value); // the body is released below
        const auto fields = admitted_fields(node.fields, DeclKind::Hazard, diags_);
        for (const ast::Field *f : fields) {
            if (const auto *rf = as<ast::RefField>(f); rf && rf->key == "matrix") {
                hz.matrix = resolve_ref(decl.module, rf->ref, kinds({DeclKind::Matrix}), "matrix");
            }
        }
        const MatrixInfo *mx =
            hz.matrix.valid() ? &prog_.matrices[prog_.decl(hz.matrix).index] : nullptr;
        for (const ast::Field *f : fields) {
            if (const auto *rf = as<ast::RefField>(f)) {
                if (rf->key == "severity") {
                    hz.severity_span = rf->ref.span;
                    hz.severity = resolve_scale_value(decl.module, rf->ref, mx ? mx->rows : kNone,
                                                      "severity");
                } else if (rf->key == "likelihood") {
                    hz.likelihood_span = rf->ref.span;
                    hz.likelihood = resolve_scale_value(decl.module, rf->ref,
                                                        mx ? mx->columns : kNone, "likelihood");
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                hz.description = t->value.value;
            }
        }
        release_body<ast::Hazard>(hz.decl);
    }

    auto common_scale = [&](auto member) {
        std::set<std::uint32_t> scales;
        for (const auto &hz : prog_.hazards) {
            if (const auto &v = hz.*member) {
                scales.insert(v->scale);
            }
        }
        return scales.size() == 1 ? *scales.begin() : kNone;
    };
    severity_scale_ = common_scale(&HazardInfo::severity);
    likelihood_scale_ = common_scale(&HazardInfo::likelihood);
    {
        std::set<std::uint32_t> levels;
        for (const auto &hz : prog_.hazards) {
            if (hz.matrix.valid()) {
                levels.insert(prog_.matrices[prog_.decl(hz.matrix).index].levels);
            }
        }
        risk_scale_ = levels.size() == 1 ? *levels.begin() : kNone;
    }

    for (auto &rule : prog_.rules) {
        const Decl &decl = prog_.decl(rule.decl);
        const auto &node = *static_cast<const ast::Rule *>(ast_of_[rule.decl.value]);
        rule.title = node.title.value;
        ExprEnv env;
        env.mode = ExprEnv::Mode::Rule;
        env.module = decl.module;
        env.slots = &rule.bound_slots;
        env.slot_names = &rule.slot_names;
        rule.body = check_bool(node.body, env, "a rule");
    }
}

void Analyzer::build_demand(std::uint32_t module, const ast::DemandField &field, MatrixInfo &mx) {
    ast::QName level;
    level.parts.push_back(field.level);
    level.span = field.level.span;
    const auto lv = resolve_scale_value(module, level, mx.levels, "demand level");
    if (!lv) {
        return;
    }
    auto it = std::find_if(mx.demands.begin(), mx.demands.end(),
                           [&](const LevelDemand &d) { return d.level == lv->value; });
    if (it == mx.demands.end()) {
        mx.demands.push_back({});
        it = std::prev(mx.demands.end());
        it->level = lv->value;
        it->span = field.span;
    }
    static const std::vector<std::string_view> keys = {"lines", "kind", "independent_review",
                                                       "max_age"};
    const std::vector<std::string_view> &ev_kinds = evidence_kind_words();
    for (const auto &item : field.items) {
        const std::string &key = item.key.name;
        if (key == "independent_review") {
            it->review = Independence::Person;
            if (!item.value) {
                continue;
            }
            static const std::vector<std::string_view> degrees = {"person", "team", "department"};
            if (auto idx = vocabulary_index(item.value->name, degrees)) {
                it->review = static_cast<Independence>(*idx + 1);
            } else {
                report_vocabulary(diags_, *item.value, "independent_review", degrees);
            }
            continue;
        }
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            auto &d = diags_.error(Code::E0207, item.key.span,
                                   "`" + key + "` is not something a risk level can demand",
                                   "unknown demand");
            const std::string best = support::closest_match(key, keys);
            d.help = best.empty() ? "a level demands `lines = N`, `kind = KIND`, "
                                    "`independent_review [= person|team|department]` or "
                                    "`max_age = DAYS`"
                                  : "did you mean `" + best + "`?";
            continue;
        }
        if (!item.value) {
            diags_.error(Code::E0207, item.span, "`" + key + "` needs a value: `" + key + " = ...`",
                         "value missing");
            continue;
        }
        if (key == "kind") {
            if (auto idx = vocabulary_index(item.value->name, ev_kinds)) {
                const auto k = static_cast<EvidenceKind>(*idx + 1);
                if (std::find(it->kinds.begin(), it->kinds.end(), k) == it->kinds.end()) {
                    it->kinds.push_back(k);
                }
            } else {
                report_vocabulary(diags_, *item.value, "kind", ev_kinds);
            }
            continue;
        }
        char *end = nullptr;
        const std::string &text = item.value->name;
        const unsigned long n = std::strtoul(text.c_str(), &end, 10);
        const bool whole =
            !text.empty() && end == text.c_str() + text.size() &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            n < 100000 && (key != "lines" || n >= 1);
        if (!whole) {
            diags_.error(Code::E0207, item.value->span,
                         key == "lines"
                             ? "`lines` is a whole number of lines of evidence, 1 or more"
                             : "`max_age` is a whole number of days",
                         "not a whole number");
            continue;
        }
        if (key == "lines") {
            it->lines = std::max(it->lines, static_cast<std::uint32_t>(n));
        } else {
            const auto days = static_cast<std::uint32_t>(n);
            it->max_age = it->max_age ? std::min(*it->max_age, days) : days;
        }
    }
}

} // namespace assure::sema
