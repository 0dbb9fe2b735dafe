// SPDX-License-Identifier: Apache-2.0
// Operating domains, scales, odds and regions, and the resolution of scale values.
#include "dsl/sema/analyzer.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace assure::sema {
using support::Code;

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

// ---- scale values ----------------------------------------------------------------------------

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
} // namespace assure::sema
