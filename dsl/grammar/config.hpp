// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one iterator type, skipper and context type shared by every grammar translation unit.
// If the x3::with<> nesting in dsl/parser.cpp drifts from context_type, the build fails at
// link time with "undefined reference to parse_rule": change both together.

#include "dsl/ast.hpp"

#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace assure::grammar {

namespace x3 = boost::spirit::x3;

using iterator_type = const char *;

/// One syntax error as X3 saw it: where the expectation failed and what was expected.
struct ParseError {
    iterator_type where;
    std::string expected;
};

/// Per-parse state reachable from every rule: the buffer start (to turn iterators into span
/// offsets) and the errors collected by on_error.
struct ParseState {
    iterator_type base = nullptr;
    support::FileId file = support::kNoFile;
    std::vector<ParseError> errors;
};

struct state_tag;

/// Whitespace, `// line` and `/* block */` comments.
// Character sets rather than x3::space/alnum: those call the locale-aware <cctype> functions
// for every byte, a measurable share of parsing a large case.
inline const auto skipper = x3::char_(" \t\r\n\f\v") | (x3::lit("//") >> *(x3::char_ - x3::eol)) |
                            (x3::lit("/*") >> *(x3::char_ - x3::lit("*/")) >> x3::lit("*/"));
using skipper_type = std::remove_cv_t<decltype(skipper)>;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type =
    x3::context<state_tag, std::reference_wrapper<ParseState>, phrase_context_type>;

/// Mixed into every rule ID: stores the matched byte range into AST nodes (leading whitespace
/// is excluded by X3 before on_success runs).
struct annotate {
    template <typename Iterator, typename Attribute, typename Context>
    void on_success(const Iterator &first, const Iterator &last, Attribute &attr,
                    const Context &ctx) const {
        if constexpr (std::is_base_of_v<ast::Node, Attribute>) {
            const ParseState &st = x3::get<state_tag>(ctx).get();
            attr.span = support::Span{st.file, static_cast<std::uint32_t>(first - st.base),
                                      static_cast<std::uint32_t>(last - st.base)};
        }
    }
};

/// Mixed into the top rule only: records the expectation failure and fails the rule, so the
/// driver can resynchronise at the next declaration.
struct collect_errors {
    template <typename Iterator, typename Exception, typename Context>
    x3::error_handler_result on_error(const Iterator &, const Iterator &, const Exception &x,
                                      const Context &ctx) const {
        ParseState &st = x3::get<state_tag>(ctx).get();
        st.errors.push_back(ParseError{x.where(), x.which()});
        return x3::error_handler_result::fail;
    }
};

} // namespace assure::grammar
