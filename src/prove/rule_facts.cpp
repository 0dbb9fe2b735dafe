// SPDX-License-Identifier: Apache-2.0
// The facts a rule reads: its expressions evaluated on the case, with the overrides applied.
#include "prove/rules_internal.hpp"
#include "support/assert.hpp"

#include <algorithm>

namespace assure::prove::detail {

namespace {

Val boolean(bool b) {
    Val v;
    v.k = Val::K::Bool;
    v.b = b;
    return v;
}
Val number(support::Decimal n) {
    Val v;
    v.k = Val::K::Num;
    v.n = std::move(n);
    return v;
}

/// Evidence with no `valid_until:` never expires: it compares after every date.
constexpr sema::Date kNever{9999, 12, 31};
/// Evidence with no `date:` is of unknown age: it compares before every date, so that a rule
/// asking for fresh evidence (`e.date >= 2026-01-01`) never takes it for fresh.
constexpr sema::Date kUndated{1, 1, 1};

} // namespace

bool Evaluator::truth(ExprId id) {
    const Val v = eval(id);
    return v.k == Val::K::Bool && v.b;
}

Val Evaluator::eval(ExprId id) {
    const Expr &e = prog_.exprs[id];
    switch (e.op) {
    case ExprOp::Bool:
        return boolean(e.ref == 1);
    case ExprOp::Number:
        return number(prog_.numbers[e.text]);
    case ExprOp::Date: {
        Val v;
        if (const auto d = parse_date(prog_.text(e))) {
            v.k = Val::K::Date;
            v.d = *d;
        }
        return v;
    }
    case ExprOp::String: {
        Val v;
        v.k = Val::K::Str;
        v.s = &prog_.text(e);
        return v;
    }
    case ExprOp::ScaleValue: {
        Val v;
        v.k = Val::K::Scale;
        v.ref = e.ref;
        v.scale = e.type.ref;
        return v;
    }
    case ExprOp::EnumValue: {
        Val v;
        v.k = Val::K::Enum;
        v.ref = e.ref;
        return v;
    }
    case ExprOp::Bound: {
        Val v;
        v.k = Val::K::Elem;
        v.ref = slots_[e.ref].value;
        return v;
    }
    case ExprOp::Attribute:
        return attribute(eval(prog_.kid(e, 0)), prog_.text(e));
    case ExprOp::Neg: {
        const Val a = eval(prog_.kid(e, 0));
        return a.k == Val::K::Num ? number(-a.n) : Val{};
    }
    case ExprOp::Add:
    case ExprOp::Sub:
    case ExprOp::Mul:
    case ExprOp::Div:
        return arith(e);
    case ExprOp::Eq:
    case ExprOp::Ne:
    case ExprOp::Lt:
    case ExprOp::Le:
    case ExprOp::Gt:
    case ExprOp::Ge:
        return boolean(compare(e.op, eval(prog_.kid(e, 0)), eval(prog_.kid(e, 1))));
    case ExprOp::InInterval: {
        const Val x = eval(prog_.kid(e, 0));
        const Val lo = eval(prog_.kid(e, 1));
        const Val hi = eval(prog_.kid(e, 2));
        if (x.k == Val::K::Missing) {
            return boolean(false); // `in` and `not in` alike
        }
        const std::string &br = prog_.text(e);
        const bool open_lo = !br.empty() && br[0] == '(';
        const bool open_hi = br.size() > 1 && br[1] == ')';
        const bool in = compare(open_lo ? ExprOp::Gt : ExprOp::Ge, x, lo) &&
                        compare(open_hi ? ExprOp::Lt : ExprOp::Le, x, hi);
        return boolean(in != e.negated);
    }
    case ExprOp::InSet: {
        const Val x = eval(prog_.kid(e, 0));
        if (x.k == Val::K::Missing) {
            return boolean(false); // `in` and `not in` alike
        }
        bool in = false;
        for (std::uint32_t k = 1; k < e.kid_count && !in; ++k) {
            in = compare(ExprOp::Eq, x, eval(prog_.kid(e, k)));
        }
        return boolean(in != e.negated);
    }
    case ExprOp::Not:
        return boolean(!truth(prog_.kid(e, 0)));
    case ExprOp::And:
        for (ExprId k : prog_.kids(e)) {
            if (!truth(k)) {
                return boolean(false);
            }
        }
        return boolean(true);
    case ExprOp::Or:
        for (ExprId k : prog_.kids(e)) {
            if (truth(k)) {
                return boolean(true);
            }
        }
        return boolean(false);
    case ExprOp::Implies:
        return boolean(!truth(prog_.kid(e, 0)) || truth(prog_.kid(e, 1)));
    case ExprOp::Call:
        return boolean(call(e));
    case ExprOp::Forall:
    case ExprOp::Exists:
    case ExprOp::Count:
        // Quantifiers and counts are grounded (`ground`, `numeric`), never evaluated here.
        ASSURE_ASSERT(false, "a quantifier reached the fact evaluator");
        return {};
    case ExprOp::Var:
    case ExprOp::Region:
        return {}; // not allowed in rules (sema reports them)
    }
    return {};
}

Val Evaluator::arith(const Expr &e) {
    const Val a = eval(prog_.kid(e, 0));
    const Val b = eval(prog_.kid(e, 1));
    if (a.k != Val::K::Num || b.k != Val::K::Num) {
        return {};
    }
    switch (e.op) {
    case ExprOp::Add:
        return number(a.n + b.n);
    case ExprOp::Sub:
        return number(a.n - b.n);
    case ExprOp::Mul:
        return number(a.n * b.n);
    default:
        // Comparisons, intervals and sets hand arithmetic to the solver (`numeric`); only a
        // missing operand reaches here.
        ASSURE_ASSERT(false, "a quotient reached the fact evaluator");
        return {};
    }
}

bool Evaluator::compare(ExprOp op, const Val &a, const Val &b) {
    if (a.k == Val::K::Missing || b.k == Val::K::Missing || a.k != b.k) {
        return false;
    }
    int c = 0; // <0, 0, >0; or equality only
    bool ordered = true;
    switch (a.k) {
    case Val::K::Num:
        c = a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
        break;
    case Val::K::Date:
        c = a.d < b.d ? -1 : b.d < a.d ? 1 : 0;
        break;
    case Val::K::Scale:
        if (a.scale != b.scale && a.scale != kNone && b.scale != kNone) {
            return false;
        }
        c = a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
        break;
    case Val::K::Bool:
        c = a.b == b.b ? 0 : 1;
        ordered = false;
        break;
    case Val::K::Str:
        c = *a.s == *b.s ? 0 : 1;
        ordered = false;
        break;
    case Val::K::Enum:
    case Val::K::Elem:
        c = a.ref == b.ref ? 0 : 1;
        ordered = false;
        break;
    case Val::K::Missing:
        return false;
    }
    switch (op) {
    case ExprOp::Eq:
        return c == 0;
    case ExprOp::Ne:
        return c != 0;
    case ExprOp::Lt:
        return ordered && c < 0;
    case ExprOp::Le:
        return ordered && c <= 0;
    case ExprOp::Gt:
        return ordered && c > 0;
    case ExprOp::Ge:
        return ordered && c >= 0;
    default:
        return false;
    }
}

Val Evaluator::attribute(const Val &x, const std::string &name) const {
    Val v;
    if (x.k != Val::K::Elem || x.ref == kNone) {
        return v;
    }
    const sema::Decl &d = prog_.decls[x.ref];
    if (d.kind == DeclKind::Hazard && name == "risk") {
        const auto &hz = prog_.hazards[d.index];
        if (hz.matrix.valid() && hz.severity && hz.likelihood) {
            const auto &mx = prog_.matrices[prog_.decl(hz.matrix).index];
            const std::size_t cols = prog_.scales[mx.columns].values.size();
            const std::size_t at = hz.severity->value * cols + hz.likelihood->value;
            if (at < mx.cells.size() && mx.cells[at] != kNone) {
                v.k = Val::K::Scale;
                v.ref = mx.cells[at];
                v.scale = mx.levels;
            }
        }
    } else if (d.kind == DeclKind::Hazard) {
        const auto &hz = prog_.hazards[d.index];
        const auto &rating = name == "severity" ? hz.severity : hz.likelihood;
        if (rating) {
            v.k = Val::K::Scale;
            v.ref = rating->value;
            v.scale = rating->scale;
        }
    } else if (d.kind == DeclKind::Evidence) {
        const auto &ev = prog_.evidence[d.index];
        const bool fresh = ov_.reverified.count(d.index) != 0;
        if (name == "result") {
            const auto it = ov_.result.find(d.index);
            std::optional<sema::EvidenceResult> r = fresh ? sema::EvidenceResult::Pass
                                                    : it != ov_.result.end() ? it->second
                                                                             : ev.result;
            if (!fresh && it == ov_.result.end() && ev.result_read != kNone) {
                // Read from an artifact: the result read, or missing when nothing was read.
                r = reads_ != nullptr ? read_result((*reads_)[ev.result_read]) : std::nullopt;
            }
            if (r) {
                v.k = Val::K::Enum;
                v.ref = static_cast<std::uint32_t>(*r);
            }
        } else if (name == "kind") {
            if (ev.kind != sema::EvidenceKind::Unspecified) {
                v.k = Val::K::Enum;
                v.ref = static_cast<std::uint32_t>(ev.kind) - 1;
            }
        } else if (name == "cost") {
            v = number(ev.cost.value_or(support::Decimal(1)));
        } else if (name == "valid_until") {
            const auto it = ov_.valid_until.find(d.index);
            v.k = Val::K::Date;
            v.d = it != ov_.valid_until.end() ? it->second
                  : fresh || !ev.valid_until  ? kNever
                                              : *ev.valid_until;
        } else if (name == "date") {
            // Re-verified evidence is produced again, on the date judged at.
            v.k = Val::K::Date;
            v.d = fresh ? today_ : evidence_date(prog_, ov_, d.index).value_or(kUndated);
        } else if (name == "artifact_count" || name == "pinned_count") {
            // Re-verifying evidence records the hashes of all its artifacts.
            const bool all = name == "artifact_count" || fresh;
            const auto n = std::count_if(ev.artifacts.begin(), ev.artifacts.end(), [&](DeclId a) {
                return all || !prog_.artifacts[prog_.decl(a).index].sha256.empty();
            });
            v = number(support::Decimal(static_cast<std::int64_t>(n)));
        } else if (name == "producer" || name == "approved_by" || name == "team" ||
                   name == "department") {
            v.k = Val::K::Str;
            v.s = name == "producer"     ? &ev.producer
                  : name == "team"       ? &ev.team
                  : name == "department" ? &ev.department
                                         : &ev.approved_by;
        }
    } else if (d.kind == DeclKind::Claim && name == "undeveloped") {
        v = boolean(prog_.claims[d.index].undeveloped);
    } else if (d.kind == DeclKind::Defeater && name == "status") {
        const auto it = ov_.defeater_status.find(d.index);
        v.k = Val::K::Enum;
        v.ref = static_cast<std::uint32_t>(
            it != ov_.defeater_status.end() ? it->second : prog_.defeaters[d.index].status);
    }
    return v;
}

bool Evaluator::call(const Expr &e) {
    const std::string &name = prog_.text(e);
    if (name == "overlaps" || name == "within") {
        return scope_call(e, name == "within");
    }
    const Val a = eval(prog_.kid(e, 0));
    const Val b = eval(prog_.kid(e, 1));
    if (a.k != Val::K::Elem || b.k != Val::K::Elem || a.ref == kNone || b.ref == kNone) {
        return false;
    }
    const DeclId x{a.ref};
    const DeclId y{b.ref};
    const std::string &fn = prog_.text(e);
    if (fn == "mitigates") {
        const auto &list = prog_.claims[prog_.decl(x).index].mitigates;
        return std::find(list.begin(), list.end(), y) != list.end();
    }
    if (fn == "supports") {
        const auto &list = idx_.supporters(y);
        return std::binary_search(list.begin(), list.end(), x);
    }
    if (fn == "under") {
        const auto &list = idx_.below(y);
        return std::binary_search(list.begin(), list.end(), x);
    }
    if (fn == "independent") {
        return idx_.independent(x, y);
    }
    return false;
}

bool Evaluator::scope_call(const Expr &e, bool within) {
    const Val a = eval(prog_.kid(e, 0));
    if (a.k != Val::K::Elem || a.ref == kNone || scopes_ == nullptr) {
        return false;
    }
    std::string why;
    const auto answer = scopes_->decide(DeclId{a.ref}, prog_.kid(e, 1), within, why);
    if (!answer) {
        if (unknown_.empty()) {
            unknown_ = why;
        }
        return false;
    }
    return *answer;
}

} // namespace assure::prove::detail
