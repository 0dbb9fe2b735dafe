// SPDX-License-Identifier: Apache-2.0
#include "ir/constraints.hpp"

namespace assure::ir {

namespace {

void append_term(const ConstraintModel &model, TermId id, std::string &out) {
    const Term &t = model.terms[id];
    out += '(';
    out += std::to_string(static_cast<unsigned>(t.op));
    if (t.op == TermOp::Var || t.op == TermOp::EnumVal) {
        out += ' ';
        out += std::to_string(t.ref);
        out += ' ';
        out += std::to_string(t.index);
    } else if (t.op == TermOp::Number) {
        out += ' ';
        out += t.text;
    }
    for (TermId k : t.kids) {
        out += ' ';
        append_term(model, k, out);
    }
    out += ')';
}

} // namespace

std::string query_key(const ConstraintModel &model, const Query &query) {
    std::string out;
    for (TermId a : query.assertions) {
        append_term(model, a, out);
        out += ';';
    }
    return out;
}

} // namespace assure::ir
