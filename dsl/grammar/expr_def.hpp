// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast_adapted.hpp"
#include "dsl/grammar/expr.hpp"
#include "dsl/grammar/lexical.hpp"

namespace assure::grammar {
namespace rules {

#define ASSURE_RULE(name, attr, label)                                                             \
    struct name##_class : annotate {};                                                             \
    const x3::rule<name##_class, attr> name = label;

struct expr_class : annotate {};
struct region_class : annotate {};

ASSURE_RULE(or_expr, ast::OrExpr, "expression")
ASSURE_RULE(and_expr, ast::AndExpr, "expression")
ASSURE_RULE(not_expr, ast::NotExpr, "expression")
ASSURE_RULE(comparison, ast::Comparison, "expression")
ASSURE_RULE(rel_tail, ast::RelTail, "comparison")
ASSURE_RULE(in_tail, ast::InTail, "set")
ASSURE_RULE(interval_set, ast::IntervalSet, "interval ([lo, hi], [lo, hi), (lo, hi] or (lo, hi))")
ASSURE_RULE(enum_set, ast::EnumSet, "set ({a, b, ...})")
ASSURE_RULE(sum, ast::Sum, "operand")
ASSURE_RULE(operand, ast::Operand, "operand")
ASSURE_RULE(product, ast::Product, "operand")
ASSURE_RULE(unary, ast::Unary, "operand")
ASSURE_RULE(primary, ast::Primary, "operand")
ASSURE_RULE(call, ast::Call, "call")
ASSURE_RULE(quantifier, ast::Quantifier, "quantifier")
ASSURE_RULE(count, ast::Count, "count")
ASSURE_RULE(paren, ast::Paren, "parenthesised expression")
ASSURE_RULE(bool_lit, ast::BoolLit, "true or false")
ASSURE_RULE(relop, std::string, "comparison operator (==, !=, <, <=, >, >=)")
ASSURE_RULE(filter, ast::Expr, "expression")
ASSURE_RULE(not_in, std::vector<char>, "`in`")
ASSURE_RULE(not_count, std::uint32_t, "expression")
ASSURE_RULE(minus_count, std::uint32_t, "operand")
ASSURE_RULE(set_expr, ast::SetExpr, "set ({a, b, ...}) or interval ([lo, hi), ...)")
ASSURE_RULE(interval_open, char, "`[` or `(`")
ASSURE_RULE(interval_close, char, "`]` or `)`")

const expr_type expr = "expression";
const region_type region = "region (a domain or odd name, optionally followed by `where`)";

const auto relop_def = x3::string("==") | x3::string("!=") | x3::string("<=") | x3::string(">=") |
                       x3::string("<") | x3::string(">");

const auto expr_def = or_expr % kw("implies");
const auto or_expr_def = and_expr % kw("or");
const auto and_expr_def = not_expr % kw("and");
// Leading `not`s and minuses are counted, not stored one by one: an atom stays small.
const auto set_zero = [](auto &ctx) { x3::_val(ctx) = 0u; };
const auto bump = [](auto &ctx) { ++x3::_val(ctx); };
const auto not_count_def = x3::eps[set_zero] >> *(kw("not")[bump]);
const auto minus_count_def = x3::eps[set_zero] >> *(x3::lit('-')[bump]);
const auto not_expr_def = not_count >> comparison;
// A lone unary (a name, a number, a parenthesised expression) is the common operand; only
// when an arithmetic operator follows is it parsed again as a sum.
// (A dash is literal only at the end of a character set.)
const auto operand_def = (unary >> !x3::char_("+*/-")) | sum;
const auto comparison_def = operand >> -(rel_tail | in_tail);
const auto rel_tail_def = relop > operand;
const auto not_in_def = x3::repeat(0, 1)[kw("not") >> x3::attr('!')] >> kw("in");
const auto set_expr_def = interval_set | enum_set;
const auto in_tail_def = not_in > set_expr;
const auto interval_open_def = x3::char_("[(");
const auto interval_close_def = x3::char_("])");
const auto interval_set_def = interval_open >> (operand > ',' > operand > interval_close);
const auto enum_set_def = x3::lit('{') > (operand % ',') > '}';
const auto sum_def = product >> *(x3::char_("+-") >> product);
const auto product_def = unary >> *(x3::char_("*/") >> unary);
const auto unary_def = minus_count >> primary;
const auto primary_def =
    date() | number() | bool_lit | string_lit() | quantifier | count | call | qname() | paren;
const auto bool_lit_def = x3::lexeme[(x3::string("true") | x3::string("false")) >> !idchar];
const auto call_def = (ident() >> '(') > (expr % ',') > ')';
const auto filter_def = kw("where") > expr;
const auto quantifier_def = (kwstr("forall") | kwstr("exists")) > ident() > kw("in") > any_ident() >
                            -filter > ':' > expr;
const auto count_def = kw("count") > '(' > ident() > kw("in") > any_ident() > -filter > ')';
const auto paren_def = x3::lit('(') > expr > ')';
const auto region_def = qname() >> -filter;

BOOST_SPIRIT_DEFINE(not_count, minus_count, expr, or_expr, and_expr, not_expr, comparison, rel_tail,
                    in_tail, not_in, set_expr, interval_set, interval_open, interval_close,
                    enum_set, operand, sum, product, unary, primary, bool_lit, call, filter,
                    quantifier, count, paren, relop, region)

#undef ASSURE_RULE

} // namespace rules
} // namespace assure::grammar
