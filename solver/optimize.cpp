// SPDX-License-Identifier: Apache-2.0
#include "solver/optimize.hpp"

#include <z3++.h>

namespace assure::solver {

std::uint32_t Circuit::add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<std::uint32_t>(nodes_.size() - 1);
}

std::uint32_t Circuit::constant(bool value) {
    return add(Node{Gate::Const, value, 0, {}, {}});
}

std::uint32_t Circuit::choice(std::string cost) {
    return add(Node{Gate::Choice, false, 0, std::move(cost), {}});
}

std::uint32_t Circuit::fold(Gate gate, std::vector<std::uint32_t> kids) {
    // Constants are folded and a gate of one kid is that kid: a claim supported by one other,
    // a million deep, is then one node for the optimiser, not a million nested definitions.
    const bool unit = gate == Gate::And; // the value that drops out; the other one decides
    std::size_t kept = 0;
    for (const std::uint32_t k : kids) {
        const Node &n = nodes_[k];
        if (n.gate == Gate::Const && n.value != unit) {
            return constant(!unit);
        }
        if (n.gate != Gate::Const) {
            kids[kept++] = k;
        }
    }
    kids.resize(kept);
    if (kids.empty()) {
        return constant(unit);
    }
    if (kids.size() == 1) {
        return kids.front();
    }
    return add(Node{gate, false, 0, {}, std::move(kids)});
}

std::uint32_t Circuit::all(std::vector<std::uint32_t> kids) {
    return fold(Gate::And, std::move(kids));
}

std::uint32_t Circuit::any(std::vector<std::uint32_t> kids) {
    return fold(Gate::Or, std::move(kids));
}

std::uint32_t Circuit::at_least(std::uint32_t k, std::vector<std::uint32_t> kids) {
    return add(Node{Gate::AtLeast, false, k, {}, std::move(kids)});
}

std::uint32_t Circuit::negate(std::uint32_t kid) {
    if (nodes_[kid].gate == Gate::Const) {
        return constant(!nodes_[kid].value);
    }
    return add(Node{Gate::Not, false, 0, {}, {kid}});
}

Plan minimize(const Circuit &circuit, const SolveOptions &options) {
    Plan plan;
    try {
        z3::context ctx;
        z3::optimize opt(ctx);
        z3::params p(ctx);
        p.set("timeout", options.timeout_ms);
        p.set("maxsat_engine", "maxres");
        opt.set(p);
        // Each node is a named boolean defined by its gate, so the formula stays linear in
        // the size of the circuit however the nodes are shared.
        std::vector<z3::expr> node;
        node.reserve(circuit.nodes().size());
        std::vector<std::uint32_t> choices;
        for (std::uint32_t id = 0; id < circuit.nodes().size(); ++id) {
            const Circuit::Node &n = circuit.nodes()[id];
            z3::expr_vector kids(ctx);
            for (std::uint32_t k : n.kids) {
                kids.push_back(node[k]);
            }
            const z3::expr v = ctx.bool_const(("n" + std::to_string(id)).c_str());
            switch (n.gate) {
            case Circuit::Gate::Const:
                opt.add(v == ctx.bool_val(n.value));
                break;
            case Circuit::Gate::Choice:
                choices.push_back(id);
                opt.add_soft(!v, n.cost.c_str());
                break;
            case Circuit::Gate::And:
                opt.add(v == (kids.empty() ? ctx.bool_val(true) : z3::mk_and(kids)));
                break;
            case Circuit::Gate::Or:
                opt.add(v == (kids.empty() ? ctx.bool_val(false) : z3::mk_or(kids)));
                break;
            case Circuit::Gate::AtLeast:
                opt.add(v == (n.k == 0            ? ctx.bool_val(true)
                              : kids.size() < n.k ? ctx.bool_val(false)
                                                  : z3::atleast(kids, n.k)));
                break;
            case Circuit::Gate::Not:
                opt.add(v == !kids[0]);
                break;
            }
            node.push_back(v);
        }
        for (std::uint32_t r : circuit.required()) {
            opt.add(node[r]);
        }
        auto read_plan = [&](const z3::model &m) {
            plan.chosen.clear();
            for (std::uint32_t id : choices) {
                if (m.eval(node[id], true).is_true()) {
                    plan.chosen.push_back(id);
                }
            }
        };
        switch (opt.check()) {
        case z3::sat:
            plan.verdict = Verdict::Sat;
            plan.optimal = true;
            read_plan(opt.get_model());
            break;
        case z3::unsat:
            plan.verdict = Verdict::Unsat;
            break;
        case z3::unknown: {
            plan.unknown_reason = Z3_optimize_get_reason_unknown(ctx, opt);
            // The optimiser keeps the best model found so far; it is a plan if it satisfies
            // every required node (checked, not assumed), just not one proved minimal.
            try {
                const z3::model m = opt.get_model();
                bool ok = true;
                for (std::uint32_t r : circuit.required()) {
                    ok = ok && m.eval(node[r], true).is_true();
                }
                if (ok) {
                    plan.verdict = Verdict::Sat;
                    plan.optimal = false;
                    read_plan(m);
                }
            } catch (const z3::exception &) { // NOLINT(bugprone-empty-catch): no model: unknown
            }
            break;
        }
        }
    } catch (const z3::exception &e) {
        plan = Plan{};
        plan.unknown_reason = std::string("solver error: ") + std::string(e.msg()).substr(0, 200);
    }
    return plan;
}

} // namespace assure::solver
