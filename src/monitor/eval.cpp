// SPDX-License-Identifier: Apache-2.0
#include "monitor/eval.hpp"

#include "support/assert.hpp"

#include <algorithm>
#include <set>

namespace assure::monitor {

namespace {

Truth truth_of(bool b) {
    return b ? Truth::True : Truth::False;
}

Truth kleene_not(Truth t) {
    return t == Truth::Unknown ? t : (t == Truth::True ? Truth::False : Truth::True);
}

} // namespace

std::uint32_t Program::add(ir::TermId root) {
    // Iterative postorder: statements come from user files and may be deep.
    if (const auto it = slot_of_.find(root); it != slot_of_.end()) {
        return it->second;
    }
    std::vector<std::pair<ir::TermId, bool>> stack{{root, false}};
    while (!stack.empty()) {
        auto [id, expanded] = stack.back();
        stack.pop_back();
        if (slot_of_.count(id) != 0) {
            continue;
        }
        const ir::Term &t = model_.terms[id];
        if (!expanded) {
            stack.push_back({id, true});
            for (auto k = t.kids.rbegin(); k != t.kids.rend(); ++k) {
                if (slot_of_.count(*k) == 0) {
                    stack.push_back({*k, false});
                }
            }
            continue;
        }
        Op op{t.op};
        if (t.op == ir::TermOp::Var) {
            op.ref = t.ref;
        } else if (t.op == ir::TermOp::EnumVal) {
            op.ref = t.index;
        } else if (t.op == ir::TermOp::Number) {
            auto value = Rational::parse(t.text);
            ASSURE_ASSERT(value.has_value(), "a number term the lowering made is a literal");
            op.ref = static_cast<std::uint32_t>(constants_.size());
            constants_.push_back(std::move(*value));
        }
        op.first = static_cast<std::uint32_t>(kids_.size());
        op.count = static_cast<std::uint32_t>(t.kids.size());
        for (ir::TermId k : t.kids) {
            kids_.push_back(slot_of_.at(k));
        }
        slot_of_.emplace(id, static_cast<std::uint32_t>(ops_.size()));
        ops_.push_back(op);
    }
    slots_.resize(ops_.size());
    return slot_of_.at(root);
}

void Program::run(std::span<const VarValue> point) {
    point_ = point;
    for (std::size_t idx = 0; idx < ops_.size(); ++idx) {
        eval(ops_[idx], slots_[idx]);
    }
}

void Program::eval(const Op &op, Slot &out) {
    using K = Slot::Kind;
    auto kid = [&](std::uint32_t n) -> const Slot & { return slots_[kids_[op.first + n]]; };
    auto set_bool = [&](Truth t) {
        out.kind = K::Bool;
        out.truth = t;
    };
    auto set_undef = [&]() {
        out.kind = K::Undefined;
        out.truth = Truth::Unknown;
    };
    auto set_number = [&](Rational r) {
        out.kind = K::Number;
        out.truth = Truth::Unknown;
        out.number = std::move(r);
    };
    switch (op.op) {
    case ir::TermOp::True:
        set_bool(Truth::True);
        return;
    case ir::TermOp::False:
        set_bool(Truth::False);
        return;
    case ir::TermOp::Number:
        set_number(constants_[op.ref]);
        return;
    case ir::TermOp::Var: {
        const VarValue &v = point_[op.ref];
        switch (v.kind) {
        case VarValue::Kind::Bool:
            set_bool(truth_of(v.boolean));
            return;
        case VarValue::Kind::Number:
            set_number(v.number);
            return;
        case VarValue::Kind::Enum:
            out.kind = K::Enum;
            out.index = v.index;
            return;
        case VarValue::Kind::Absent:
            set_undef();
            return;
        }
        return;
    }
    case ir::TermOp::EnumVal:
        out.kind = K::Enum;
        out.index = op.ref;
        return;
    case ir::TermOp::Neg:
        if (kid(0).kind != K::Number) {
            set_undef();
        } else {
            set_number(-kid(0).number);
        }
        return;
    case ir::TermOp::Add:
    case ir::TermOp::Sub:
    case ir::TermOp::Mul:
    case ir::TermOp::Div: {
        const Slot &a = kid(0);
        const Slot &b = kid(1);
        if (a.kind != K::Number || b.kind != K::Number) {
            set_undef();
            return;
        }
        switch (op.op) {
        case ir::TermOp::Add:
            set_number(a.number + b.number);
            return;
        case ir::TermOp::Sub:
            set_number(a.number - b.number);
            return;
        case ir::TermOp::Mul:
            set_number(a.number * b.number);
            return;
        default:
            // x / 0 is unconstrained for the solver (SMT-LIB's total division), so its value
            // is undefined here, and so is everything computed from it.
            if (b.number.is_zero()) {
                set_undef();
            } else {
                set_number(a.number / b.number);
            }
            return;
        }
    }
    case ir::TermOp::Eq:
    case ir::TermOp::Ne: {
        const Slot &a = kid(0);
        const Slot &b = kid(1);
        Truth t = Truth::Unknown;
        if (a.kind == K::Undefined || b.kind == K::Undefined ||
            (a.kind == K::Bool && (a.truth == Truth::Unknown || b.truth == Truth::Unknown))) {
            t = Truth::Unknown;
        } else if (a.kind == K::Bool) {
            t = truth_of(a.truth == b.truth);
        } else if (a.kind == K::Enum) {
            t = truth_of(a.index == b.index);
        } else {
            t = truth_of(a.number == b.number);
        }
        set_bool(op.op == ir::TermOp::Ne ? kleene_not(t) : t);
        return;
    }
    case ir::TermOp::Lt:
    case ir::TermOp::Le:
    case ir::TermOp::Gt:
    case ir::TermOp::Ge: {
        const Slot &a = kid(0);
        const Slot &b = kid(1);
        if (a.kind != K::Number || b.kind != K::Number) {
            set_bool(Truth::Unknown);
            return;
        }
        const auto c = a.number <=> b.number;
        bool r = false;
        switch (op.op) {
        case ir::TermOp::Lt:
            r = c < 0;
            break;
        case ir::TermOp::Le:
            r = c <= 0;
            break;
        case ir::TermOp::Gt:
            r = c > 0;
            break;
        default:
            r = c >= 0;
            break;
        }
        set_bool(truth_of(r));
        return;
    }
    case ir::TermOp::Not:
        set_bool(kleene_not(kid(0).truth));
        return;
    case ir::TermOp::And:
    case ir::TermOp::Or: {
        // Kleene: a false conjunct (true disjunct) decides, whatever the unknown ones are.
        const Truth decisive = op.op == ir::TermOp::And ? Truth::False : Truth::True;
        Truth t = kleene_not(decisive);
        for (std::uint32_t n = 0; n < op.count; ++n) {
            const Truth k = kid(n).truth;
            if (k == decisive) {
                t = decisive;
                break;
            }
            if (k == Truth::Unknown) {
                t = Truth::Unknown;
            }
        }
        set_bool(t);
        return;
    }
    case ir::TermOp::Implies: {
        const Truth a = kid(0).truth;
        const Truth b = kid(1).truth;
        if (a == Truth::False || b == Truth::True) {
            set_bool(Truth::True);
        } else if (a == Truth::True && b == Truth::False) {
            set_bool(Truth::False);
        } else {
            set_bool(Truth::Unknown);
        }
        return;
    }
    case ir::TermOp::Ite: {
        const Truth c = kid(0).truth;
        const Slot &a = kid(1);
        const Slot &b = kid(2);
        if (c == Truth::True || c == Truth::False) {
            const Slot &pick = c == Truth::True ? a : b;
            out.kind = pick.kind;
            out.truth = pick.truth;
            out.index = pick.index;
            out.number = pick.number;
            return;
        }
        // An unknown condition: the value is known only when both branches agree.
        if (a.kind == K::Number && b.kind == K::Number && a.number == b.number) {
            set_number(a.number);
        } else {
            set_undef();
        }
        return;
    }
    }
    set_undef();
}

std::vector<ir::VarId> Program::variables(ir::TermId term) const {
    std::set<ir::VarId> out;
    std::vector<ir::TermId> stack{term};
    std::set<ir::TermId> seen;
    while (!stack.empty()) {
        const ir::TermId id = stack.back();
        stack.pop_back();
        if (!seen.insert(id).second) {
            continue;
        }
        const ir::Term &t = model_.terms[id];
        if (t.op == ir::TermOp::Var) {
            out.insert(t.ref);
        }
        for (ir::TermId k : t.kids) {
            stack.push_back(k);
        }
    }
    return {out.begin(), out.end()};
}

std::vector<ir::TermId> Program::conjuncts(ir::TermId term) const {
    std::vector<ir::TermId> out;
    std::vector<ir::TermId> stack{term};
    while (!stack.empty()) {
        const ir::TermId id = stack.back();
        stack.pop_back();
        const ir::Term &t = model_.terms[id];
        if (t.op == ir::TermOp::And) {
            for (auto k = t.kids.rbegin(); k != t.kids.rend(); ++k) {
                stack.push_back(*k);
            }
        } else if (t.op != ir::TermOp::True) {
            out.push_back(id);
        }
    }
    return out;
}

} // namespace assure::monitor
