// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast_adapted.hpp"
#include "dsl/grammar/lexical.hpp"

namespace assure::grammar {
namespace rules {

struct ident_class : annotate {};
struct any_ident_class : annotate {};
struct qname_class : annotate {};
struct string_lit_class : annotate {};
struct number_class : annotate {};
struct signed_number_class : annotate {};
struct date_class : annotate {};

const ident_type ident = "identifier";
const any_ident_type any_ident = "name";
const qname_type qname = "name";
const string_lit_type string_lit = "string";
const number_type number = "number";
const signed_number_type signed_number = "number";
const date_type date = "date (YYYY-MM-DD)";

inline x3::symbols<char> make_reserved() {
    x3::symbols<char> s;
    for (const char *w : {"module",   "import",   "as",         "domain",   "odd",
                          "where",    "artifact", "sha256",     "evidence", "claim",
                          "strategy", "for",      "assumption", "context",  "justification",
                          "defeater", "hazard",   "scale",      "matrix",   "rule",
                          "and",      "or",       "not",        "implies",  "in",
                          "true",     "false",    "forall",     "exists",   "count",
                          "over",     "unit",     "real",       "int",      "bool",
                          "enum",     "pattern",  "instance"}) {
        s.add(w);
    }
    return s;
}
inline const x3::symbols<char> reserved = make_reserved();

const auto word = x3::raw[x3::lexeme[x3::char_("a-zA-Z_") >> *idchar]];
// A sub-rule so that a dotted part inside qname's lexeme still gets its own span.
const x3::rule<struct ident_part_class, ast::Ident> ident_part = "identifier";
struct ident_part_class : annotate {};
const auto ident_part_def = !x3::lexeme[reserved >> !idchar] >> word;

const auto ident_def = ident_part;
const auto any_ident_def = word;
// Committed after a dot: nothing in the grammar follows a name with `.`, so `G1.1` is an error
// at the `1` (reported as a dotted name, E0111), not a name `G1` and a stray `.1`.
const auto name_after_dot = x3::rule<struct name_after_dot_class>{"a name after `.`"} =
    &x3::char_("a-zA-Z_");
const auto qname_def = x3::lexeme[ident_part % (x3::lit('.') > name_after_dot)];

const auto escape_char =
    x3::rule<struct escape_class, char>{"escape sequence (\\\" \\\\ \\n \\t)"} =
        (x3::char_('"') | x3::char_('\\') | (x3::lit('n') >> x3::attr('\n')) |
         (x3::lit('t') >> x3::attr('\t')));
const auto escape = x3::lit('\\') > escape_char;
// A std::string rule in between: X3 cannot fill a one-member struct from a kleene directly.
const auto string_body = x3::rule<struct string_body_class, std::string>{"string"} =
    x3::lexeme['"' > *(escape | (x3::char_ - '"' - '\\' - x3::eol)) > '"'];
// Adjacent literals are one string, as in C: a long title may continue on the next line.
const auto append_piece = [](auto &ctx) { x3::_val(ctx) += x3::_attr(ctx); };
const auto string_pieces = x3::rule<struct string_pieces_class, std::string>{"string"} =
    +string_body[append_piece];
const auto string_lit_def = string_pieces;

const auto digit = x3::char_("0-9");
const auto digits = +digit;
// `97.2%` is a number too: 0.972, exactly (support::Decimal::parse reads the `%`).
const auto number_text = digits >> -('.' >> digits) >>
                         -(x3::char_("eE") >> -x3::char_("+-") >> digits) >> -x3::lit('%');
const auto number_def = x3::raw[x3::lexeme[number_text]];
const auto signed_number_def = x3::raw[x3::lexeme[-x3::lit('-') >> number_text]];
const auto date_def = x3::raw[x3::lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >>
                                         '-' >> x3::repeat(2)[digit] >> !(idchar | '.')]];

BOOST_SPIRIT_DEFINE(ident_part, ident, any_ident, qname, string_lit, number, signed_number, date)

} // namespace rules
} // namespace assure::grammar
