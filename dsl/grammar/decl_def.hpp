// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast_adapted.hpp"
#include "dsl/grammar/decl.hpp"
#include "dsl/grammar/expr.hpp"
#include "dsl/grammar/lexical.hpp"

namespace assure::grammar {
namespace rules {

#define ASSURE_RULE(name, attr, label)                                                             \
    struct name##_class : annotate {};                                                             \
    const x3::rule<name##_class, attr> name = label;

struct declaration_class : annotate, collect_errors {};
const declaration_type declaration =
    "declaration (module, import, domain, odd, artifact, evidence, claim, strategy, assumption, "
    "context, justification, defeater, hazard, scale, matrix or rule)";

ASSURE_RULE(module_decl, ast::ModuleDecl, "module declaration")
ASSURE_RULE(import_decl, ast::Import, "import")
ASSURE_RULE(domain_decl, ast::Domain, "domain")
ASSURE_RULE(var_decl, ast::VarDecl, "variable declaration (name : type)")
ASSURE_RULE(type_spec, ast::TypeSpec, "type (real [lo, hi], int [lo, hi], bool or enum { ... })")
ASSURE_RULE(num_type, ast::NumType, "numeric type")
ASSURE_RULE(bool_type, ast::BoolType, "bool")
ASSURE_RULE(enum_type, ast::EnumType, "enum type")
ASSURE_RULE(odd_decl, ast::Odd, "odd")
ASSURE_RULE(artifact_decl, ast::Artifact, "artifact")
ASSURE_RULE(evidence_decl, ast::Evidence, "evidence")
ASSURE_RULE(claim_decl, ast::Claim, "claim")
ASSURE_RULE(strategy_decl, ast::Strategy, "strategy")
ASSURE_RULE(attachment_decl, ast::Attachment, "attachment")
ASSURE_RULE(defeater_decl, ast::Defeater, "defeater")
ASSURE_RULE(hazard_decl, ast::Hazard, "hazard")
ASSURE_RULE(scale_decl, ast::Scale, "scale")
ASSURE_RULE(matrix_decl, ast::Matrix, "matrix")
ASSURE_RULE(rule_decl, ast::Rule, "rule")
ASSURE_RULE(body, ast::Fields, "`{`")
ASSURE_RULE(field, ast::Field, "field")
ASSURE_RULE(flag_field, ast::Flag, "flag")
ASSURE_RULE(refs_field, ast::RefsField, "field")
ASSURE_RULE(word_field, ast::WordField, "field")
ASSURE_RULE(ref_field, ast::RefField, "field")
ASSURE_RULE(text_field, ast::TextField, "field")
ASSURE_RULE(number_field, ast::NumberField, "field")
ASSURE_RULE(date_field, ast::DateField, "field")
ASSURE_RULE(read_punct, ast::Punct, "`=` or `,`")
ASSURE_RULE(read_item, ast::ReadItem, "a selector word, string or number")
ASSURE_RULE(read_source, ast::ReadSource, "a source (read ARTIFACT json|csv|junit|mlflow ...)")
ASSURE_RULE(metric_value, ast::MetricValue, "number or `read ARTIFACT ...`")
ASSURE_RULE(metric_field, ast::MetricField, "field")
ASSURE_RULE(result_read_field, ast::ResultReadField, "field")
ASSURE_RULE(scope_field, ast::ScopeField, "field")
ASSURE_RULE(requires_field, ast::RequiresField, "field")
ASSURE_RULE(requirement, ast::Requirement, "requirement (metric op number)")
ASSURE_RULE(formal_field, ast::FormalField, "field")
ASSURE_RULE(cover_field, ast::CoverField, "field")
ASSURE_RULE(row_field, ast::RowField, "field")
ASSURE_RULE(cell, ast::Cell, "cell (column = level)")
ASSURE_RULE(demand_field, ast::DemandField, "field")
ASSURE_RULE(demand_item, ast::DemandItem,
            "demand (lines = N, kind = KIND, independent_review [= LEVEL] or max_age = DAYS)")
ASSURE_RULE(demand_value, ast::Ident, "a number or a word")
ASSURE_RULE(pattern_decl, ast::Pattern, "pattern")
ASSURE_RULE(pattern_param, ast::PatternParam, "parameter (NAME: kind)")
ASSURE_RULE(pattern_body, std::string, "`{`")
ASSURE_RULE(instance_decl, ast::Instance, "instance")
ASSURE_RULE(pattern_arg, ast::PatternArg, "argument (a name, a string or a number)")
ASSURE_RULE(defeater_relation, ast::Ident,
            "defeater relation (rebuts, undercuts, undermines or defeats)")
ASSURE_RULE(attachment_kind, std::string, "attachment")
ASSURE_RULE(relop, std::string, "comparison operator (==, !=, <, <=, >, >=)")
ASSURE_RULE(body_end, x3::unused_type, "a field or `}`")

const auto module_decl_def = kw("module") > qname();
const auto import_decl_def = kw("import") > qname() > -(kw("as") > ident());

const auto domain_decl_def = kw("domain") > ident() > -string_lit() > '{' > *var_decl > '}';
const auto var_decl_def = ident() > ':' > type_spec > -(kw("unit") > string_lit());
const auto type_spec_def = num_type | bool_type | enum_type;
const auto num_type_def = (kwstr("real") | kwstr("int")) > '[' > signed_number() > ',' >
                          signed_number() > ']';
const auto bool_type_def = kwstr("bool");
const auto enum_type_def = kw("enum") > '{' > (ident() % ',') > '}';

const auto odd_decl_def = kw("odd") > ident() > -string_lit() > '=' > region();
const auto artifact_decl_def = kw("artifact") > ident() > string_lit() >
                               -(kw("sha256") > string_lit());

const auto body_end_def = x3::lit('}');
const auto body_def = x3::lit('{') > *field > body_end;

const auto evidence_decl_def = kw("evidence") > ident() > string_lit() > body;
const auto claim_decl_def = kw("claim") > ident() > string_lit() > -body;
const auto strategy_decl_def = kw("strategy") > ident() > string_lit() > kw("for") > qname() >
                               -body;
const auto attachment_kind_def = kwstr("assumption") | kwstr("context") | kwstr("justification");
const auto attachment_decl_def = attachment_kind > ident() > string_lit() > kw("for") >
                                 (qname() % ',') > -body;
const auto defeater_relation_def =
    x3::raw[x3::lexeme[(x3::lit("rebuts") | x3::lit("undercuts") | x3::lit("undermines") |
                        x3::lit("defeats")) >>
                       !idchar]];
const auto defeater_decl_def = kw("defeater") > ident() > defeater_relation > qname() >
                               string_lit() > -body;
const auto hazard_decl_def = kw("hazard") > ident() > string_lit() > -body;
const auto scale_decl_def = kw("scale") > ident() > -string_lit() > '{' > (ident() % '<') > '}';
const auto matrix_decl_def = kw("matrix") > ident() > -string_lit() > body;
const auto rule_decl_def = kw("rule") > ident() > string_lit() > '{' > expr() > '}';
// A pattern's body is kept as text: balanced braces, with strings and comments skipped over.
const x3::rule<struct balanced_class> balanced = "balanced text";
const auto line_comment = x3::lit("//") >> *(x3::char_ - x3::eol);
const auto block_comment = x3::lit("/*") >> *(x3::char_ - "*/") >> "*/";
const auto quoted = x3::lit('"') >> *((x3::lit('\\') >> x3::char_) | (x3::char_ - '"' - x3::eol)) >>
                    '"';
const auto balanced_def = line_comment | block_comment | quoted | (('{' >> *balanced) > '}') |
                          (x3::char_ - '{' - '}' - '"');
BOOST_SPIRIT_DEFINE(balanced)
const auto pattern_body_def = x3::lexeme[('{' >> x3::raw[*balanced]) > '}'];
const auto pattern_param_def = ident() > ':' > any_ident();
const auto pattern_decl_def = kw("pattern") > ident() > '(' > -(pattern_param % ',') > ')' >
                              -string_lit() > pattern_body;
const auto pattern_arg_def = string_lit() | signed_number() | qname();
const auto instance_decl_def = kw("instance") > ident() > '=' > qname() > '(' >
                               -(pattern_arg % ',') > ')';

// Fields. Keys are not reserved words: each is matched only at the start of a field.
const auto flag_field_def =
    kwstr("undeveloped") | kwstr("all_of") | kwstr("any_of") | kwstr("deductive");
const auto refs_field_def = (kwstr("artifacts") | kwstr("supported_by") | kwstr("mitigates") |
                             kwstr("independent_of") | kwstr("resolved_by")) > ':' >
                            (qname() % ',');
const auto word_field_def = (kwstr("kind") | kwstr("result") | kwstr("status")) > ':' > ident();
const auto ref_field_def = (kwstr("severity") | kwstr("likelihood") | kwstr("matrix") |
                            kwstr("rows") | kwstr("columns") | kwstr("levels") | kwstr("accept")) >
                           ':' > qname();
const auto text_field_def = (kwstr("producer") | kwstr("team") | kwstr("department") |
                             kwstr("approved_by") | kwstr("justification") | kwstr("description")) >
                            ':' > string_lit();
const auto number_field_def = ((kwstr("cost") | kwstr("lowers_likelihood")) > ':' > number()) |
                              (kwstr("at_least") > number());
const auto date_field_def = (kwstr("valid_until") | kwstr("date")) > ':' > date();
// A read source is `read ARTIFACT` and the selector's words, strings, numbers, `=` and `,`,
// up to `over` (a metric) or the next field (a word followed by `:`, or `metric`); sema
// interprets them.
const auto read_punct_def = x3::string("=") | x3::string(",");
const auto read_item_def = string_lit() | signed_number() | read_punct |
                           (!kw("over") >> !kw("metric") >> !(any_ident() >> ':') >> any_ident());
const auto read_source_def = kw("read") > qname() > *read_item;
const auto metric_value_def = read_source | signed_number();
const auto metric_field_def = kw("metric") > ident() > '=' > metric_value > kw("over") > region();
const auto result_read_field_def = (kw("result") >> ':' >> &kw("read")) > read_source;
const auto scope_field_def = kw("scope") > ':' > region();
const auto relop_def = x3::string("==") | x3::string("!=") | x3::string("<=") | x3::string(">=") |
                       x3::string("<") | x3::string(">");
const auto requirement_def = ident() > relop > signed_number();
const auto requires_field_def = kw("requires") > ':' > (requirement % ',');
const auto formal_field_def = kw("formal") > ':' > expr();
const auto cover_field_def = (kwstr("cover") | kwstr("partition")) > ':' > (ident() % ',');
const auto cell_def = ident() > '=' > ident();
const auto row_field_def = kw("row") > ident() > ':' > (cell % ',');
const auto demand_value_def = x3::raw[x3::lexeme[+idchar >> -('.' >> +idchar)]];
const auto demand_item_def = ident() > -('=' > demand_value);
const auto demand_field_def = kw("demand") > ident() > ':' > (demand_item % ',');

const auto field_def = flag_field | refs_field | result_read_field | word_field | ref_field |
                       text_field | number_field | date_field | metric_field | scope_field |
                       requires_field | formal_field | cover_field | row_field | demand_field;

const auto declaration_def = module_decl | import_decl | domain_decl | odd_decl | artifact_decl |
                             evidence_decl | claim_decl | strategy_decl | attachment_decl |
                             defeater_decl | hazard_decl | scale_decl | matrix_decl | rule_decl |
                             pattern_decl | instance_decl;

BOOST_SPIRIT_DEFINE(declaration, module_decl, import_decl, domain_decl, var_decl, type_spec,
                    num_type, bool_type, enum_type, odd_decl, artifact_decl, body_end, body,
                    evidence_decl, claim_decl, strategy_decl, attachment_kind, attachment_decl,
                    defeater_relation, defeater_decl, hazard_decl, scale_decl, matrix_decl,
                    rule_decl, flag_field, refs_field, word_field, ref_field, text_field,
                    number_field, date_field, read_punct, read_item, read_source, metric_value,
                    metric_field, result_read_field, scope_field, relop, requirement,
                    requires_field, formal_field, cover_field, cell, row_field, demand_value,
                    demand_item, demand_field, field, pattern_decl, pattern_param, pattern_body,
                    instance_decl, pattern_arg)

#undef ASSURE_RULE

} // namespace rules
} // namespace assure::grammar
