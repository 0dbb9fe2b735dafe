// SPDX-License-Identifier: Apache-2.0
// Whole-program checks that need every name resolved: unreferenced elements, empty regions.
#include "dsl/sema/analyze.hpp"
#include "dsl/sema/analyzer.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

namespace assure::sema {
using support::Code;
using support::Decimal;

void Analyzer::check_unreferenced() {
    for (std::uint32_t idx = 0; idx < prog_.decls.size(); ++idx) {
        const Decl &d = prog_.decls[idx];
        if (used_[idx] || prog_.modules[d.module].is_stdlib) {
            continue;
        }
        std::string why;
        switch (d.kind) {
        case DeclKind::Artifact:
            why = "no evidence or context rests on it";
            break;
        case DeclKind::Evidence:
            why = "it supports nothing";
            break;
        case DeclKind::Hazard:
            why = "no claim mitigates it";
            break;
        case DeclKind::Domain:
            why = "no region or statement uses it";
            break;
        case DeclKind::Odd:
            why = "no region uses it";
            break;
        case DeclKind::Scale:
            why = "no matrix, hazard or rule uses it";
            break;
        case DeclKind::Matrix:
            why = "no hazard is rated on it";
            break;
        default:
            continue; // claims are roots; the rest refer to others themselves
        }
        diags_.error(Code::W0101, d.name_span,
                     std::string(kind_name(d.kind)) + " `" + d.name + "` is never referenced", why);
    }
}

namespace {

/// Per-variable bounds implied by the top-level conjunction of a region: enough to notice
/// regions that are empty for trivial reasons (`x > 5 and x < 3`, a value outside a set).
/// Exact emptiness is the solver's job.
class Box {
  public:
    explicit Box(const Program &prog) : prog_(prog) {}

    /// Narrows the box by everything `region` (and its base odds) says; returns the variable
    /// that became empty, or kNone.
    std::uint32_t narrow(const Region &region, int depth = 0) {
        if (depth > 64) {
            return kNone; // odd cycles are reported elsewhere
        }
        const Decl &base = prog_.decl(region.base);
        if (region.base.valid() && base.kind == DeclKind::Odd) {
            const auto &odd = prog_.odds[base.index];
            if (odd.region.base.valid()) {
                if (auto v = narrow(odd.region, depth + 1); v != kNone) {
                    return v;
                }
            }
        }
        if (region.where != kNone) {
            return atom(region.where, depth);
        }
        return kNone;
    }

  private:
    struct Num {
        Decimal lo, hi;
        bool lo_open = false, hi_open = false;
    };
    const Program &prog_;
    std::map<std::uint32_t, Num> nums_;
    std::map<std::uint32_t, std::vector<bool>> sets_; // enum and bool (false, true)

    Num &num(std::uint32_t vid) {
        auto it = nums_.find(vid);
        if (it == nums_.end()) {
            const Variable &v = prog_.variables[vid];
            it = nums_.emplace(vid, Num{v.lo, v.hi}).first;
        }
        return it->second;
    }

    std::vector<bool> &set(std::uint32_t vid) {
        auto it = sets_.find(vid);
        if (it == sets_.end()) {
            const Variable &v = prog_.variables[vid];
            it = sets_
                     .emplace(vid, std::vector<bool>(v.kind == VarKind::Bool ? 2 : v.values.size(),
                                                     true))
                     .first;
        }
        return it->second;
    }

    bool num_empty(std::uint32_t vid) {
        const Num &n = num(vid);
        if (prog_.variables[vid].kind == VarKind::Int) {
            const Decimal lo = n.lo_open ? n.lo.floor() + Decimal(1) : n.lo.ceil();
            const Decimal hi = n.hi_open ? n.hi.ceil() - Decimal(1) : n.hi.floor();
            return lo > hi;
        }
        return n.lo > n.hi || (n.lo == n.hi && (n.lo_open || n.hi_open));
    }

    void lower(Num &n, const Decimal &v, bool open) {
        if (v > n.lo || (v == n.lo && open)) {
            n.lo = v;
            n.lo_open = open;
        }
    }
    void upper(Num &n, const Decimal &v, bool open) {
        if (v < n.hi || (v == n.hi && open)) {
            n.hi = v;
            n.hi_open = open;
        }
    }

    std::uint32_t keep_only(std::uint32_t vid, const std::vector<bool> &allowed) {
        auto &s = set(vid);
        bool any = false;
        for (std::size_t idx = 0; idx < s.size(); ++idx) {
            s[idx] = s[idx] && idx < allowed.size() && allowed[idx];
            any = any || s[idx];
        }
        return any ? kNone : vid;
    }

    std::uint32_t atom(ExprId id, int depth) {
        const Expr &x = prog_.exprs[id];
        if (x.type.kind == TypeKind::Error) {
            return kNone;
        }
        switch (x.op) {
        case ExprOp::And:
            for (ExprId k : prog_.kids(x)) {
                if (auto v = atom(k, depth); v != kNone) {
                    return v;
                }
            }
            return kNone;
        case ExprOp::Region: {
            const Decl &d = prog_.decls[x.ref];
            if (d.kind == DeclKind::Odd && prog_.odds[d.index].region.base.valid()) {
                return narrow(prog_.odds[d.index].region, depth + 1);
            }
            return kNone;
        }
        case ExprOp::Var:
            if (prog_.variables[x.ref].kind == VarKind::Bool) {
                return keep_only(x.ref, {false, true});
            }
            return kNone;
        case ExprOp::Not: {
            const Expr &inner = prog_.exprs[prog_.kid(x, 0)];
            if (inner.op == ExprOp::Var && prog_.variables[inner.ref].kind == VarKind::Bool) {
                return keep_only(inner.ref, {true, false});
            }
            return kNone;
        }
        case ExprOp::Eq:
        case ExprOp::Ne:
        case ExprOp::Lt:
        case ExprOp::Le:
        case ExprOp::Gt:
        case ExprOp::Ge:
            return comparison(x);
        case ExprOp::InInterval: {
            const Expr &var = prog_.exprs[prog_.kid(x, 0)];
            const auto lo = prog_.constant(prog_.kid(x, 1));
            const auto hi = prog_.constant(prog_.kid(x, 2));
            if (x.negated || var.op != ExprOp::Var || !lo || !hi ||
                prog_.variables[var.ref].kind == VarKind::Enum ||
                prog_.variables[var.ref].kind == VarKind::Bool) {
                return kNone;
            }
            Num &n = num(var.ref);
            const std::string &brackets = prog_.text(x);
            lower(n, *lo, brackets[0] == '(');
            upper(n, *hi, brackets[1] == ')');
            return num_empty(var.ref) ? var.ref : kNone;
        }
        case ExprOp::InSet: {
            const Expr &var = prog_.exprs[prog_.kid(x, 0)];
            if (var.op != ExprOp::Var || prog_.variables[var.ref].kind != VarKind::Enum) {
                return kNone;
            }
            std::vector<bool> in(prog_.variables[var.ref].values.size(), false);
            for (std::size_t idx = 1; idx < x.kid_count; ++idx) {
                const Expr &item = prog_.exprs[prog_.kid(x, idx)];
                if (item.op != ExprOp::EnumValue || item.ref >= in.size()) {
                    return kNone;
                }
                in[item.ref] = true;
            }
            if (x.negated) {
                in.flip();
            }
            return keep_only(var.ref, in);
        }
        default:
            return kNone;
        }
    }

    std::uint32_t comparison(const Expr &x) {
        ExprId a = prog_.kid(x, 0);
        ExprId b = prog_.kid(x, 1);
        ExprOp op = x.op;
        if (prog_.exprs[a].op != ExprOp::Var) {
            std::swap(a, b);
            switch (op) { // mirror: 3 < x  is  x > 3
            case ExprOp::Lt:
                op = ExprOp::Gt;
                break;
            case ExprOp::Le:
                op = ExprOp::Ge;
                break;
            case ExprOp::Gt:
                op = ExprOp::Lt;
                break;
            case ExprOp::Ge:
                op = ExprOp::Le;
                break;
            default:
                break;
            }
        }
        const Expr &var = prog_.exprs[a];
        const Expr &val = prog_.exprs[b];
        if (var.op != ExprOp::Var) {
            return kNone;
        }
        const Variable &v = prog_.variables[var.ref];
        if (v.kind == VarKind::Enum) {
            if (val.op != ExprOp::EnumValue || val.ref >= v.values.size() ||
                (op != ExprOp::Eq && op != ExprOp::Ne)) {
                return kNone;
            }
            std::vector<bool> allowed(v.values.size(), op == ExprOp::Ne);
            allowed[val.ref] = op == ExprOp::Eq;
            return keep_only(var.ref, allowed);
        }
        if (v.kind == VarKind::Bool) {
            if (val.op != ExprOp::Bool || (op != ExprOp::Eq && op != ExprOp::Ne)) {
                return kNone;
            }
            const bool want = (val.ref == 1) == (op == ExprOp::Eq);
            return keep_only(var.ref, {!want, want});
        }
        const auto c = prog_.constant(b);
        if (!c) {
            return kNone;
        }
        Num &n = num(var.ref);
        switch (op) {
        case ExprOp::Lt:
            upper(n, *c, true);
            break;
        case ExprOp::Le:
            upper(n, *c, false);
            break;
        case ExprOp::Gt:
            lower(n, *c, true);
            break;
        case ExprOp::Ge:
            lower(n, *c, false);
            break;
        case ExprOp::Eq:
            lower(n, *c, false);
            upper(n, *c, false);
            break;
        default:
            return kNone;
        }
        return num_empty(var.ref) ? var.ref : kNone;
    }
};

} // namespace

void check_empty_regions(const Program &prog, support::Diagnostics &diags) {
    auto check = [&](const Region &r) {
        if (!r.base.valid() || !r.domain.valid()) {
            return;
        }
        Box box(prog);
        const std::uint32_t empty = box.narrow(r);
        if (empty == kNone) {
            return;
        }
        auto &d =
            diags.error(Code::W0102, r.span, "this region contains no operating point",
                        "the conditions on `" + prog.variables[empty].name + "` cannot all hold");
        d.notes.push_back(
            {prog.variables[empty].span, "`" + prog.variables[empty].name + "` is declared here"});
    };
    for (const auto &odd : prog.odds) {
        check(odd.region);
    }
    for (const auto &claim : prog.claims) {
        if (claim.scope) {
            check(*claim.scope);
        }
    }
    for (const auto &ev : prog.evidence) {
        for (const auto &m : ev.metrics) {
            check(m.over);
        }
    }
}

std::string artifact_disk_path(const Program &program, const support::SourceManager &sources,
                               const ArtifactInfo &art) {
    const auto &mod = program.modules[program.decl(art.decl).module];
    return (std::filesystem::path(sources.disk_path(mod.file)).parent_path() / art.path)
        .lexically_normal()
        .string();
}

void check_evidence_dates(const Program &program, const Date &judged_at,
                          support::Diagnostics &diags) {
    for (const auto &ev : program.evidence) {
        const Decl &decl = program.decl(ev.decl);
        if (!ev.date || *ev.date <= judged_at || program.modules[decl.module].is_stdlib) {
            continue;
        }
        auto &d =
            diags.error(Code::W0107, ev.date_span,
                        "evidence `" + decl.name + "` is dated after the date it is judged at",
                        "dated " + format_date(*ev.date) + ", judged at " + format_date(judged_at));
        d.help = "`prove` finds it not yet valid until " + format_date(*ev.date) +
                 "; correct the date, or judge at a later one with --at";
    }
}

} // namespace assure::sema
