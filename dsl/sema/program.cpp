// SPDX-License-Identifier: Apache-2.0
#include "dsl/sema/program.hpp"

#include <cstdlib>

namespace assure::sema {

const std::vector<std::string_view> &evidence_kind_words() {
    static const std::vector<std::string_view> words = {
        "test",   "analysis",   "simulation",       "formal_proof",
        "review", "inspection", "field_monitoring", "runtime_monitoring"};
    return words;
}

const char *independence_word(Independence i) {
    switch (i) {
    case Independence::Person:
        return "person";
    case Independence::Team:
        return "team";
    case Independence::Department:
        return "department";
    case Independence::None:
        break;
    }
    return "";
}

const char *kind_name(DeclKind kind) {
    switch (kind) {
    case DeclKind::Domain:
        return "domain";
    case DeclKind::Odd:
        return "odd";
    case DeclKind::Artifact:
        return "artifact";
    case DeclKind::Evidence:
        return "evidence";
    case DeclKind::Claim:
        return "claim";
    case DeclKind::Strategy:
        return "strategy";
    case DeclKind::Assumption:
        return "assumption";
    case DeclKind::Context:
        return "context";
    case DeclKind::Justification:
        return "justification";
    case DeclKind::Defeater:
        return "defeater";
    case DeclKind::Hazard:
        return "hazard";
    case DeclKind::Scale:
        return "scale";
    case DeclKind::Matrix:
        return "matrix";
    case DeclKind::Rule:
        return "rule";
    }
    return "?";
}

const char *kind_phrase(DeclKind kind) {
    switch (kind) {
    case DeclKind::Domain:
        return "a domain";
    case DeclKind::Odd:
        return "an odd region";
    case DeclKind::Artifact:
        return "an artifact";
    case DeclKind::Evidence:
        return "evidence";
    case DeclKind::Claim:
        return "a claim";
    case DeclKind::Strategy:
        return "a strategy";
    case DeclKind::Assumption:
        return "an assumption";
    case DeclKind::Context:
        return "a context";
    case DeclKind::Justification:
        return "a justification";
    case DeclKind::Defeater:
        return "a defeater";
    case DeclKind::Hazard:
        return "a hazard";
    case DeclKind::Scale:
        return "a scale";
    case DeclKind::Matrix:
        return "a matrix";
    case DeclKind::Rule:
        return "a rule";
    }
    return "?";
}

std::string Program::qualified_name(DeclId id) const {
    const Decl &d = decl(id);
    return modules[d.module].name + "." + d.name;
}

const std::string &Program::text(const Expr &e) const {
    static const std::string empty;
    return e.text == kNone || e.op == ExprOp::Number ? empty : texts[e.text];
}

std::optional<support::Decimal> Program::constant(ExprId id) const {
    const Expr &x = exprs[id];
    if (x.op == ExprOp::Number) {
        return numbers[x.text];
    }
    if (x.op == ExprOp::Neg) {
        if (auto v = constant(kid(x, 0))) {
            return -*v;
        }
    }
    return std::nullopt;
}

} // namespace assure::sema
