// SPDX-License-Identifier: Apache-2.0
#include "dsl/sema/program.hpp"

#include <cstdio>
#include <cstdlib>

namespace assure::sema {

std::string format_date(const Date &d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
long days_from_civil(const Date &d) {
    const int y = d.year - (d.month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int mp = (d.month + 9) % 12;
    const int doy = (153 * mp + 2) / 5 + d.day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long>(era) * 146097 + doe - 719468;
}

Date civil_from_days(long days) {
    const long z = days + 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long day = doy - (153 * mp + 2) / 5 + 1;
    const long month = mp < 10 ? mp + 3 : mp - 9;
    const long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return Date{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

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
