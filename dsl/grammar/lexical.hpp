// SPDX-License-Identifier: Apache-2.0
#pragma once

// Tokens: identifiers, dotted names, literals, keywords.

#include "dsl/grammar/config.hpp"

namespace assure::grammar {

namespace rules {
struct ident_class;
struct any_ident_class;
struct qname_class;
struct string_lit_class;
struct number_class;
struct signed_number_class;
struct date_class;
using ident_type = x3::rule<ident_class, ast::Ident>;
using any_ident_type = x3::rule<any_ident_class, ast::Ident>;
using qname_type = x3::rule<qname_class, ast::QName>;
using string_lit_type = x3::rule<string_lit_class, ast::StringLit>;
using number_type = x3::rule<number_class, ast::NumberLit>;
using signed_number_type = x3::rule<signed_number_class, ast::NumberLit>;
using date_type = x3::rule<date_class, ast::DateLit>;
BOOST_SPIRIT_DECLARE(ident_type, any_ident_type, qname_type, string_lit_type, number_type,
                     signed_number_type, date_type)
} // namespace rules

/// An identifier that is not a reserved word.
rules::ident_type const &ident();
/// An identifier-shaped word, reserved words included (collection names in rules).
rules::any_ident_type const &any_ident();
rules::qname_type const &qname();
rules::string_lit_type const &string_lit();
rules::number_type const &number();
rules::signed_number_type const &signed_number();
rules::date_type const &date();

/// Characters that may continue an identifier.
inline const auto idchar = x3::char_("a-zA-Z0-9_");

/// Name storage for keyword rules: rule names must outlive the rules.
const char *keyword_name(const char *word);

/// A keyword: `w` not followed by an identifier character; no attribute. Named "`w`" so an
/// expectation failure reads "expected `w`".
inline auto kw(const char *w) {
    return x3::rule<struct kw_class>{keyword_name(w)} = x3::lexeme[x3::lit(w) >> !idchar];
}

/// Like kw, but yields the keyword text as its attribute.
inline auto kwstr(const char *w) {
    return x3::rule<struct kwstr_class, std::string>{keyword_name(w)} =
               x3::lexeme[x3::string(w) >> !idchar];
}

} // namespace assure::grammar
