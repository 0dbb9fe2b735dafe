// SPDX-License-Identifier: Apache-2.0
#include "solver/cells.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace assure::solver {

namespace {

// __extension__: GCC and Clang have 128-bit integers; -Wpedantic would reject the name.
__extension__ typedef __int128 i128; // NOLINT(modernize-use-using)

/// Thrown inside the procedure when the query leaves the fragment or the exact arithmetic;
/// caught at the top, where it means "let Z3 decide".
struct OutOfFragment {};

/// 10^0 .. 10^37 (10^38 would overflow).
constexpr int kMaxPow = 37;
constexpr auto kPow10 = [] {
    std::array<i128, kMaxPow + 1> p{};
    p[0] = 1;
    for (std::size_t idx = 1; idx < p.size(); ++idx) {
        p[idx] = p[idx - 1] * 10;
    }
    return p;
}();

/// m × 10^k, or OutOfFragment when |result| would exceed 10^37.
i128 shift(i128 m, int k) {
    if (k < 0 || k > kMaxPow) {
        throw OutOfFragment{};
    }
    const i128 limit = kPow10[static_cast<std::size_t>(kMaxPow - k)];
    if (m > limit || m < -limit) {
        throw OutOfFragment{};
    }
    return m * kPow10[static_cast<std::size_t>(k)];
}

/// An exact decimal m × 10^e, canonical: m has no trailing zero digit, and zero is 0 × 10^0.
struct Dec {
    i128 m = 0;
    int e = 0;

    static Dec make(i128 m, int e) {
        if (m == 0) {
            return {};
        }
        while (m % 10 == 0) {
            m /= 10;
            ++e;
        }
        if (e > 36 || e < -36) {
            throw OutOfFragment{};
        }
        return {m, e};
    }
};

/// Parses the exact decimal literal of a term or a bound: [+-]digits[.digits][(e|E)[+-]digits].
/// (support::Decimal::parse reads the same literals; this one is its allocation-free twin for
/// the fixed-size arithmetic of the cells, which parse the constants of every query on every
/// lane, hundreds of thousands of queries in a large case.)
Dec parse(const std::string &text) {
    std::size_t pos = 0;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
        negative = text[pos] == '-';
        ++pos;
    }
    i128 m = 0;
    int digits = 0;
    int frac = 0;
    bool seen_dot = false;
    bool any = false;
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c == '.' && !seen_dot) {
            seen_dot = true;
            continue;
        }
        if (c < '0' || c > '9') {
            break;
        }
        any = true;
        if (m != 0 || c != '0') {
            if (++digits > 30) {
                throw OutOfFragment{};
            }
        }
        m = m * 10 + (c - '0');
        if (seen_dot) {
            ++frac;
        }
    }
    if (!any) {
        throw OutOfFragment{};
    }
    long exponent = 0;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        bool exp_negative = false;
        if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
            exp_negative = text[pos] == '-';
            ++pos;
        }
        bool exp_any = false;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
            exp_any = true;
            exponent = exponent * 10 + (text[pos] - '0');
            if (exponent > 1000) {
                throw OutOfFragment{};
            }
        }
        if (!exp_any) {
            throw OutOfFragment{};
        }
        exponent = exp_negative ? -exponent : exponent;
    }
    if (pos != text.size()) {
        throw OutOfFragment{};
    }
    return Dec::make(negative ? -m : m, static_cast<int>(exponent) - frac);
}

/// a and b scaled to the smaller exponent: {a', b', e} with a = a' × 10^e, b = b' × 10^e.
struct Aligned {
    i128 a, b;
    int e;
};
Aligned align(const Dec &a, const Dec &b) {
    const int e = std::min(a.e, b.e);
    return {shift(a.m, a.e - e), shift(b.m, b.e - e), e};
}

int compare(const Dec &a, const Dec &b) {
    if ((a.m < 0) != (b.m < 0)) {
        return a.m < 0 ? -1 : 1;
    }
    if (a.e == b.e) {
        return a.m < b.m ? -1 : (a.m > b.m ? 1 : 0);
    }
    const Aligned x = align(a, b);
    return x.a < x.b ? -1 : (x.a > x.b ? 1 : 0);
}

bool operator<(const Dec &a, const Dec &b) {
    return compare(a, b) < 0;
}

bool is_integer(const Dec &a) {
    return a.e >= 0;
}

/// The smallest integer greater than a.
Dec next_integer(const Dec &a) {
    if (a.e >= 0) {
        return Dec::make(shift(a.m, a.e) + 1, 0);
    }
    const i128 d = shift(1, -a.e);
    i128 q = a.m / d;
    if (a.m % d != 0 && a.m < 0) {
        --q; // floor, not truncation
    }
    return Dec::make(q + 1, 0);
}

Dec midpoint(const Dec &a, const Dec &b) {
    const Aligned x = align(a, b);
    const i128 sum = x.a + x.b;
    if (sum % 2 == 0) {
        return Dec::make(sum / 2, x.e);
    }
    return Dec::make(sum * 5, x.e - 1); // |sum| <= 2 * 10^37: no overflow
}

std::string to_string(const Dec &d) {
    i128 m = d.m < 0 ? -d.m : d.m;
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
        m /= 10;
    } while (m != 0);
    if (d.e >= 0) {
        digits.append(static_cast<std::size_t>(d.e), '0');
    } else {
        const auto frac = static_cast<std::size_t>(-d.e);
        if (digits.size() <= frac) {
            digits.insert(0, frac - digits.size() + 1, '0');
        }
        digits.insert(digits.size() - frac, ".");
    }
    return d.m < 0 ? "-" + digits : digits;
}

bool holds(ir::TermOp op, int cmp) {
    switch (op) {
    case ir::TermOp::Eq:
        return cmp == 0;
    case ir::TermOp::Ne:
        return cmp != 0;
    case ir::TermOp::Lt:
        return cmp < 0;
    case ir::TermOp::Le:
        return cmp <= 0;
    case ir::TermOp::Gt:
        return cmp > 0;
    case ir::TermOp::Ge:
        return cmp >= 0;
    default:
        throw OutOfFragment{};
    }
}

/// `c op x` as `x flip(op) c`.
ir::TermOp flip(ir::TermOp op) {
    switch (op) {
    case ir::TermOp::Lt:
        return ir::TermOp::Gt;
    case ir::TermOp::Le:
        return ir::TermOp::Ge;
    case ir::TermOp::Gt:
        return ir::TermOp::Lt;
    case ir::TermOp::Ge:
        return ir::TermOp::Le;
    default:
        return op; // == and != are symmetric
    }
}

bool is_comparison(ir::TermOp op) {
    return op == ir::TermOp::Eq || op == ir::TermOp::Ne || op == ir::TermOp::Lt ||
           op == ir::TermOp::Le || op == ir::TermOp::Gt || op == ir::TermOp::Ge;
}

/// One variable's candidate points: a representative of every cell, ascending.
struct Axis {
    ir::VarId var;
    ir::VarSort sort;
    std::vector<Dec> numbers; // Real, Int
    std::size_t size = 0;     // number of candidates
};

/// An atom: a variable (position `axis`) compared with a constant, as the set of its axis's
/// candidates where it holds: [lo, hi) when `inside`, the others when not; or the candidates
/// marked in `table`, when there is one (several atoms on one axis merged, see merge_atoms).
/// O(1) space per comparison: a set of 20,000 enum values is 20,000 atoms, not 20,000 tables
/// of 20,000 entries.
struct Atom {
    std::size_t axis = 0;
    std::size_t lo = 0;
    std::size_t hi = 0;
    bool inside = true;
    std::vector<std::uint8_t> table;

    [[nodiscard]] bool at(std::size_t c) const {
        return table.empty() ? (c >= lo && c < hi) == inside : table[c] != 0;
    }
};

enum class NodeKind : std::uint8_t { Const, Atom, Not, And, Or, Implies, Iff };

struct Node {
    NodeKind kind;
    bool value = false;     // Const
    std::uint32_t atom = 0; // Atom
    std::vector<std::uint32_t> kids;
};

/// A pending atom until the axes are known.
struct RawAtom {
    ir::VarId var;
    ir::TermOp op;
    Dec constant;         // numeric
    std::uint32_t value;  // enum index, or 1/0 for bool
    bool numeric = false; // else: enum or bool equality
};

class Procedure {
  public:
    Procedure(const ir::ConstraintModel &model, const ir::Query &query)
        : model_(model), query_(query) {}

    std::optional<Outcome> run(std::size_t max_work) {
        for (ir::TermId a : query_.assertions) {
            roots_.push_back(compile(a));
        }
        build_axes();
        merge_atoms();
        work_left_ = max_work;
        const std::vector<std::uint32_t> all = [&] {
            std::vector<std::uint32_t> v(roots_.size());
            for (std::uint32_t idx = 0; idx < v.size(); ++idx) {
                v[idx] = idx;
            }
            return v;
        }();
        std::vector<std::size_t> point(axes_.size(), 0);
        Outcome out;
        out.decided_by = Decider::Cells;
        std::vector<std::uint8_t> pruned_by(roots_.size(), 0);
        if (search(all, point, pruned_by)) {
            out.verdict = Verdict::Sat;
            Assignment a;
            for (std::size_t ax = 0; ax < axes_.size(); ++ax) {
                a.values.emplace_back(axes_[ax].var, value(ax, point[ax]));
            }
            out.model = std::move(a);
            return out;
        }
        out.verdict = Verdict::Unsat;
        // The assertions that pruned some branch of the search already form an unsat core:
        // each pruned branch is pruned again by the same assertion. Deletion makes it minimal.
        std::vector<std::uint32_t> core;
        for (std::uint32_t idx = 0; idx < roots_.size(); ++idx) {
            if (pruned_by[idx] != 0) {
                core.push_back(idx);
            }
        }
        std::vector<std::uint8_t> scratch(roots_.size(), 0);
        for (std::size_t pos = 0; pos < core.size();) {
            std::vector<std::uint32_t> without = core;
            without.erase(without.begin() + static_cast<std::ptrdiff_t>(pos));
            if (search(without, point, scratch)) {
                ++pos; // needed
            } else {
                core = std::move(without);
            }
        }
        out.core.assign(core.begin(), core.end());
        return out;
    }

  private:
    // ---- compiling terms into nodes --------------------------------------------------------

    std::uint32_t add(Node n) {
        nodes_.push_back(std::move(n));
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }

    std::uint32_t constant_node(bool v) { return add(Node{NodeKind::Const, v, 0, {}}); }

    std::uint32_t atom_node(RawAtom a) {
        raw_.push_back(std::move(a));
        used_.insert(raw_.back().var);
        return add(Node{NodeKind::Atom, false, static_cast<std::uint32_t>(raw_.size() - 1), {}});
    }

    const ir::Term &term(ir::TermId id) const { return model_.terms[id]; }

    bool numeric_var(ir::TermId id) const {
        const ir::Term &t = term(id);
        return t.op == ir::TermOp::Var && (model_.vars[t.ref].sort == ir::VarSort::Real ||
                                           model_.vars[t.ref].sort == ir::VarSort::Int);
    }

    /// The value of a term without variables: a number, or arithmetic (+, -, *, and `ite` on
    /// a condition without variables) over such terms; nullopt for anything else. Division is
    /// left to Z3 (a quotient need not be a finite decimal).
    std::optional<Dec> constant(ir::TermId id) const {
        const ir::Term &t = term(id);
        switch (t.op) {
        case ir::TermOp::Number:
            return parse(t.text);
        case ir::TermOp::Neg:
            if (auto k = constant(t.kids.at(0))) {
                return Dec{-k->m, k->e};
            }
            return std::nullopt;
        case ir::TermOp::Add:
        case ir::TermOp::Sub:
        case ir::TermOp::Mul: {
            const auto a = constant(t.kids.at(0));
            const auto b = constant(t.kids.at(1));
            if (!a || !b) {
                return std::nullopt;
            }
            if (t.op == ir::TermOp::Mul) {
                constexpr i128 kFactor = static_cast<i128>(1000000000000000000LL); // 10^18
                if (a->m > kFactor || a->m < -kFactor || b->m > kFactor || b->m < -kFactor) {
                    throw OutOfFragment{};
                }
                return Dec::make(a->m * b->m, a->e + b->e);
            }
            const Aligned x = align(*a, *b); // each at most 10^37: the sum fits
            return Dec::make(t.op == ir::TermOp::Add ? x.a + x.b : x.a - x.b, x.e);
        }
        case ir::TermOp::Ite: {
            const auto c = ground_truth(t.kids.at(0));
            if (!c) {
                return std::nullopt;
            }
            return constant(t.kids.at(*c ? 1 : 2));
        }
        default:
            return std::nullopt;
        }
    }

    /// The truth of a boolean term without variables; nullopt when it has one.
    std::optional<bool> ground_truth(ir::TermId id) const {
        const ir::Term &t = term(id);
        switch (t.op) {
        case ir::TermOp::True:
            return true;
        case ir::TermOp::False:
            return false;
        case ir::TermOp::Not: {
            const auto k = ground_truth(t.kids.at(0));
            return k ? std::optional<bool>(!*k) : std::nullopt;
        }
        case ir::TermOp::And:
        case ir::TermOp::Or: {
            const bool all = t.op == ir::TermOp::And;
            for (ir::TermId k : t.kids) {
                const auto v = ground_truth(k);
                if (!v) {
                    return std::nullopt;
                }
                if (*v != all) {
                    return !all;
                }
            }
            return all;
        }
        case ir::TermOp::Implies: {
            const auto a = ground_truth(t.kids.at(0));
            const auto b = ground_truth(t.kids.at(1));
            return a && b ? std::optional<bool>(!*a || *b) : std::nullopt;
        }
        default:
            if (is_comparison(t.op) && t.kids.size() == 2) {
                const auto a = constant(t.kids[0]);
                const auto b = constant(t.kids[1]);
                if (a && b) {
                    return holds(t.op, compare(*a, *b));
                }
            }
            return std::nullopt;
        }
    }

    bool is_bool(ir::TermId id) const {
        const ir::Term &t = term(id);
        switch (t.op) {
        case ir::TermOp::True:
        case ir::TermOp::False:
        case ir::TermOp::Not:
        case ir::TermOp::And:
        case ir::TermOp::Or:
        case ir::TermOp::Implies:
            return true;
        case ir::TermOp::Var:
            return model_.vars[t.ref].sort == ir::VarSort::Bool;
        default:
            return is_comparison(t.op);
        }
    }

    std::uint32_t compile(ir::TermId id) {
        if (auto it = memo_.find(id); it != memo_.end()) {
            return it->second;
        }
        const std::uint32_t n = compile_new(id);
        memo_.emplace(id, n);
        return n;
    }

    std::uint32_t structural(NodeKind kind, const ir::Term &t) {
        std::vector<std::uint32_t> kids;
        kids.reserve(t.kids.size());
        for (ir::TermId k : t.kids) {
            kids.push_back(compile(k));
        }
        return add(Node{kind, false, 0, std::move(kids)});
    }

    std::uint32_t compile_new(ir::TermId id) {
        const ir::Term &t = term(id);
        switch (t.op) {
        case ir::TermOp::True:
            return constant_node(true);
        case ir::TermOp::False:
            return constant_node(false);
        case ir::TermOp::Var:
            if (model_.vars[t.ref].sort != ir::VarSort::Bool) {
                throw OutOfFragment{};
            }
            return atom_node({t.ref, ir::TermOp::Eq, {}, 1, false});
        case ir::TermOp::Not:
            return structural(NodeKind::Not, t);
        case ir::TermOp::And:
            return structural(NodeKind::And, t);
        case ir::TermOp::Or:
            return structural(NodeKind::Or, t);
        case ir::TermOp::Implies:
            return structural(NodeKind::Implies, t);
        case ir::TermOp::Eq:
        case ir::TermOp::Ne:
        case ir::TermOp::Lt:
        case ir::TermOp::Le:
        case ir::TermOp::Gt:
        case ir::TermOp::Ge:
            return comparison(t);
        default:
            throw OutOfFragment{}; // arithmetic or a bare number outside a comparison
        }
    }

    std::uint32_t comparison(const ir::Term &t) {
        if (t.kids.size() != 2) {
            throw OutOfFragment{};
        }
        const ir::TermId lhs = t.kids[0];
        const ir::TermId rhs = t.kids[1];
        // Numeric: a variable against a constant, either way round, or two constants.
        if (numeric_var(lhs)) {
            if (auto c = constant(rhs)) {
                return atom_node({term(lhs).ref, t.op, *c, 0, true});
            }
            throw OutOfFragment{};
        }
        if (numeric_var(rhs)) {
            if (auto c = constant(lhs)) {
                return atom_node({term(rhs).ref, flip(t.op), *c, 0, true});
            }
            throw OutOfFragment{};
        }
        if (auto a = constant(lhs)) {
            if (auto b = constant(rhs)) {
                return constant_node(holds(t.op, compare(*a, *b)));
            }
            throw OutOfFragment{};
        }
        if (t.op != ir::TermOp::Eq && t.op != ir::TermOp::Ne) {
            throw OutOfFragment{};
        }
        const ir::Term &a = term(lhs);
        const ir::Term &b = term(rhs);
        // Enum: a variable against one of its values, or two values.
        if (a.op == ir::TermOp::EnumVal && b.op == ir::TermOp::EnumVal) {
            return constant_node((a.ref == b.ref && a.index == b.index) ==
                                 (t.op == ir::TermOp::Eq));
        }
        auto enum_atom = [&](const ir::Term &var, const ir::Term &val) -> std::optional<RawAtom> {
            if (var.op == ir::TermOp::Var && val.op == ir::TermOp::EnumVal &&
                model_.vars[var.ref].sort == ir::VarSort::Enum && val.ref == var.ref) {
                return RawAtom{var.ref, t.op, {}, val.index, false};
            }
            return std::nullopt;
        };
        if (auto e = enum_atom(a, b)) {
            return atom_node(*e);
        }
        if (auto e = enum_atom(b, a)) {
            return atom_node(*e);
        }
        // Booleans: equality of two formulas.
        if (is_bool(lhs) && is_bool(rhs)) {
            const std::uint32_t x = compile(lhs);
            const std::uint32_t y = compile(rhs);
            const std::uint32_t iff = add(Node{NodeKind::Iff, false, 0, {x, y}});
            return t.op == ir::TermOp::Eq ? iff : add(Node{NodeKind::Not, false, 0, {iff}});
        }
        throw OutOfFragment{};
    }

    // ---- cells -----------------------------------------------------------------------------

    void build_axes() {
        // Every variable the query mentions (as Z3 sees them: Var and EnumVal references) gets
        // an axis, so that its bounds count exactly as in the Z3 encoding.
        for (ir::TermId a : query_.assertions) {
            collect(a);
        }
        // The search recurses once per axis, and evaluates the assertions at each level: a
        // query over thousands of variables is Z3's.
        if (used_.size() > kMaxAxes) {
            throw OutOfFragment{};
        }
        std::unordered_map<ir::VarId, std::size_t> axis_of;
        for (ir::VarId v : used_) {
            axis_of.emplace(v, axes_.size());
            axes_.push_back(make_axis(v));
        }
        atoms_.reserve(raw_.size());
        for (const RawAtom &r : raw_) {
            Atom atom;
            atom.axis = axis_of.at(r.var);
            if (r.numeric) {
                // The candidates ascend: one binary search places the constant among them.
                // Below it the comparison is "less", at it (if a candidate equals it) "equal",
                // above "greater": each operator holds on a prefix, a suffix or one candidate.
                const auto &nums = axes_[atom.axis].numbers;
                const auto below = static_cast<std::size_t>(
                    std::lower_bound(nums.begin(), nums.end(), r.constant) - nums.begin());
                const std::size_t equal =
                    below < nums.size() && compare(nums[below], r.constant) == 0 ? 1 : 0;
                switch (r.op) {
                case ir::TermOp::Lt:
                case ir::TermOp::Ge:
                    atom.hi = below;
                    break;
                case ir::TermOp::Le:
                case ir::TermOp::Gt:
                    atom.hi = below + equal;
                    break;
                case ir::TermOp::Eq:
                case ir::TermOp::Ne:
                    atom.lo = below;
                    atom.hi = below + equal;
                    break;
                default:
                    throw OutOfFragment{};
                }
                atom.inside =
                    r.op == ir::TermOp::Lt || r.op == ir::TermOp::Le || r.op == ir::TermOp::Eq;
            } else {
                atom.lo = r.value;
                atom.hi = r.value + 1;
                atom.inside = r.op == ir::TermOp::Eq;
            }
            atoms_.push_back(std::move(atom));
        }
    }

    /// Every variable under the assertions, each shared subterm visited once.
    void collect(ir::TermId root) {
        std::vector<ir::TermId> stack{root};
        while (!stack.empty()) {
            const ir::TermId id = stack.back();
            stack.pop_back();
            if (!visited_.insert(id).second) {
                continue;
            }
            const ir::Term &t = term(id);
            if (t.op == ir::TermOp::Var || t.op == ir::TermOp::EnumVal) {
                used_.insert(t.ref);
            }
            stack.insert(stack.end(), t.kids.begin(), t.kids.end());
        }
    }

    /// Simplifies and/or nodes: constants are folded, and the atoms among a node's kids that
    /// are on one axis become one atom with a table (`x in {a, b, c, ...}` is an `or` of one
    /// equality per member): building the table takes time linear in the atoms and the axis,
    /// and each evaluation is one lookup instead of one per member. Kids come before their
    /// parents in nodes_, so a parent sees its kids simplified.
    void merge_atoms() {
        for (std::uint32_t n = 0; n < nodes_.size(); ++n) {
            if (nodes_[n].kind != NodeKind::And && nodes_[n].kind != NodeKind::Or) {
                continue;
            }
            const bool is_and = nodes_[n].kind == NodeKind::And;
            std::vector<std::uint32_t> kids;
            std::map<std::size_t, std::vector<std::uint32_t>> by_axis; // atom indices
            bool decided = false;
            for (std::uint32_t k : nodes_[n].kids) {
                const Node &kid = nodes_[k];
                if (kid.kind == NodeKind::Const) {
                    decided = decided || kid.value != is_and; // false in an and, true in an or
                } else if (kid.kind == NodeKind::Atom) {
                    by_axis[atoms_[kid.atom].axis].push_back(kid.atom);
                } else {
                    kids.push_back(k);
                }
            }
            if (decided) {
                nodes_[n] = Node{NodeKind::Const, !is_and, 0, {}};
                continue;
            }
            for (auto &[axis, group] : by_axis) {
                const std::uint32_t atom =
                    group.size() == 1 ? group[0] : merged(axis, group, is_and);
                kids.push_back(add(Node{NodeKind::Atom, false, atom, {}}));
            }
            if (kids.empty()) {
                nodes_[n] = Node{NodeKind::Const, is_and, 0, {}};
            } else if (kids.size() == 1) {
                nodes_[n] = Node(nodes_[kids[0]]);
            } else {
                nodes_[n].kids = std::move(kids);
            }
        }
    }

    /// One atom true where all (`is_and`) or some of the atoms `group` on `axis` are: counts,
    /// per candidate, the atoms true there with a difference array.
    std::uint32_t merged(std::size_t axis, const std::vector<std::uint32_t> &group, bool is_and) {
        const std::size_t size = axes_[axis].size;
        std::vector<std::int64_t> diff(size + 1, 0);
        std::vector<std::int64_t> dense(0);
        auto mark = [&](std::size_t from, std::size_t to) {
            diff[std::min(from, size)] += 1;
            diff[std::min(to, size)] -= 1;
        };
        for (std::uint32_t idx : group) {
            const Atom &a = atoms_[idx];
            if (!a.table.empty()) {
                dense.resize(size, 0);
                for (std::size_t c = 0; c < size; ++c) {
                    dense[c] += a.table[c];
                }
            } else if (a.inside) {
                mark(a.lo, std::max(a.lo, a.hi));
            } else {
                mark(0, a.lo);
                mark(std::max(a.lo, a.hi), size);
            }
        }
        Atom out;
        out.axis = axis;
        out.table.assign(size, 0);
        std::int64_t count = 0;
        for (std::size_t c = 0; c < size; ++c) {
            count += diff[c];
            const std::int64_t here = count + (dense.empty() ? 0 : dense[c]);
            out.table[c] =
                (is_and ? here == static_cast<std::int64_t>(group.size()) : here > 0) ? 1 : 0;
        }
        atoms_.push_back(std::move(out));
        return static_cast<std::uint32_t>(atoms_.size() - 1);
    }

    Axis make_axis(ir::VarId v) {
        const ir::Var &var = model_.vars[v];
        Axis axis{v, var.sort, {}, 0};
        switch (var.sort) {
        case ir::VarSort::Bool:
            axis.size = 2; // false, true
            return axis;
        case ir::VarSort::Enum:
            axis.size = var.values.size();
            return axis;
        case ir::VarSort::Real:
        case ir::VarSort::Int:
            break;
        }
        const Dec lo = parse(var.lo);
        const Dec hi = parse(var.hi);
        std::vector<Dec> breaks{lo, hi};
        for (const RawAtom &r : raw_) {
            if (r.var == v && r.numeric && !(r.constant < lo) && !(hi < r.constant)) {
                breaks.push_back(r.constant);
            }
        }
        std::sort(breaks.begin(), breaks.end());
        breaks.erase(std::unique(breaks.begin(), breaks.end(),
                                 [](const Dec &a, const Dec &b) { return compare(a, b) == 0; }),
                     breaks.end());
        if (hi < lo) {
            return axis; // empty range: no point at all
        }
        const bool integral = var.sort == ir::VarSort::Int;
        for (std::size_t idx = 0; idx < breaks.size(); ++idx) {
            if (!integral || is_integer(breaks[idx])) {
                axis.numbers.push_back(breaks[idx]);
            }
            if (idx + 1 < breaks.size()) {
                // One point of the open gap: the smallest integer in it, for readable
                // counterexamples, else (reals only) its midpoint.
                const Dec next = next_integer(breaks[idx]);
                if (next < breaks[idx + 1]) {
                    axis.numbers.push_back(next);
                } else if (!integral) {
                    axis.numbers.push_back(midpoint(breaks[idx], breaks[idx + 1]));
                }
            }
        }
        axis.size = axis.numbers.size();
        return axis;
    }

    std::string value(std::size_t ax, std::size_t c) const {
        const Axis &axis = axes_[ax];
        switch (axis.sort) {
        case ir::VarSort::Bool:
            return c == 1 ? "true" : "false";
        case ir::VarSort::Enum:
            return model_.vars[axis.var].values[c];
        case ir::VarSort::Real:
        case ir::VarSort::Int:
            return to_string(axis.numbers[c]);
        }
        return "?";
    }

    // ---- search ----------------------------------------------------------------------------

    enum class Tri : std::uint8_t { False, Unknown, True };

    /// The value of node `n` when the first `depth` axes are set as in `point` and the others
    /// are not set yet (Kleene's three-valued logic).
    Tri eval(std::uint32_t n, const std::vector<std::size_t> &point, std::size_t depth) const {
        const Node &node = nodes_[n];
        switch (node.kind) {
        case NodeKind::Const:
            return node.value ? Tri::True : Tri::False;
        case NodeKind::Atom: {
            const Atom &a = atoms_[node.atom];
            if (a.axis >= depth) {
                return Tri::Unknown;
            }
            return a.at(point[a.axis]) ? Tri::True : Tri::False;
        }
        case NodeKind::Not:
            return negate(eval(node.kids[0], point, depth));
        case NodeKind::And: {
            Tri acc = Tri::True;
            for (std::uint32_t k : node.kids) {
                acc = std::min(acc, eval(k, point, depth));
                if (acc == Tri::False) {
                    break;
                }
            }
            return acc;
        }
        case NodeKind::Or: {
            Tri acc = Tri::False;
            for (std::uint32_t k : node.kids) {
                acc = std::max(acc, eval(k, point, depth));
                if (acc == Tri::True) {
                    break;
                }
            }
            return acc;
        }
        case NodeKind::Implies:
            return std::max(negate(eval(node.kids[0], point, depth)),
                            eval(node.kids[1], point, depth));
        case NodeKind::Iff: {
            const Tri x = eval(node.kids[0], point, depth);
            const Tri y = eval(node.kids[1], point, depth);
            if (x == Tri::Unknown || y == Tri::Unknown) {
                return Tri::Unknown;
            }
            return x == y ? Tri::True : Tri::False;
        }
        }
        return Tri::Unknown;
    }

    static Tri negate(Tri t) {
        return t == Tri::True ? Tri::False : t == Tri::False ? Tri::True : Tri::Unknown;
    }

    /// Backtracking over the axes in order, each over its cells in ascending order, pruning a
    /// branch as soon as some assertion of `active` is false on it: finds the least satisfying
    /// point (lexicographic over the axes) in `point`, or returns false. Marks in `pruned_by`
    /// the assertion that pruned each branch (preferring one marked already, for small cores).
    /// Throws OutOfFragment when the work budget runs out.
    bool search(const std::vector<std::uint32_t> &active, std::vector<std::size_t> &point,
                std::vector<std::uint8_t> &pruned_by) {
        return descend(active, point, pruned_by, 0);
    }

    bool descend(const std::vector<std::uint32_t> &active, std::vector<std::size_t> &point,
                 std::vector<std::uint8_t> &pruned_by, std::size_t depth) {
        if (work_left_ < active.size() + 1) {
            throw OutOfFragment{};
        }
        work_left_ -= active.size() + 1;
        std::uint32_t culprit = kNoCulprit;
        bool open = false;
        for (std::uint32_t idx : active) {
            const Tri t = eval(roots_[idx], point, depth);
            if (t == Tri::False) {
                if (pruned_by[idx] != 0) {
                    culprit = idx;
                    break;
                }
                if (culprit == kNoCulprit) {
                    culprit = idx;
                }
            } else if (t == Tri::Unknown) {
                open = true;
            }
        }
        if (culprit != kNoCulprit) {
            pruned_by[culprit] = 1;
            return false;
        }
        if (!open || depth == axes_.size()) {
            // Every assertion is true whatever the remaining axes: take their least cells.
            if (depth < axes_.size() &&
                std::any_of(axes_.begin() + static_cast<std::ptrdiff_t>(depth), axes_.end(),
                            [](const Axis &a) { return a.size == 0; })) {
                return false;
            }
            std::fill(point.begin() + static_cast<std::ptrdiff_t>(depth), point.end(), 0);
            return true;
        }
        for (std::size_t c = 0; c < axes_[depth].size; ++c) {
            point[depth] = c;
            if (descend(active, point, pruned_by, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    static constexpr std::uint32_t kNoCulprit = 0xffffffffU;
    static constexpr std::size_t kMaxAxes = 1024;

    const ir::ConstraintModel &model_;
    const ir::Query &query_;
    std::vector<Node> nodes_;
    std::vector<std::uint32_t> roots_;
    std::unordered_map<ir::TermId, std::uint32_t> memo_;
    std::vector<RawAtom> raw_;
    std::vector<Atom> atoms_;
    std::set<ir::VarId> used_;
    std::unordered_set<ir::TermId> visited_; // by collect
    std::vector<Axis> axes_;
    std::size_t work_left_ = 0;
};

} // namespace

std::optional<Outcome> decide_by_cells(const ir::ConstraintModel &model, const ir::Query &query,
                                       std::size_t max_work) {
    try {
        return Procedure(model, query).run(max_work);
    } catch (const OutOfFragment &) {
        return std::nullopt;
    }
}

} // namespace assure::solver
