// SPDX-License-Identifier: Apache-2.0
#pragma once

// The parsed (unresolved) syntax tree of one .assure file. Names are plain text here; the
// resolved program (sema::Program) is a different set of types, so unchecked input cannot
// reach later stages. Every node that a diagnostic can point at derives from Node and gets
// its Span from the parser. Containers are boost::optional / x3::variant because Spirit X3
// (Boost 1.74) cannot fill std::optional (see ../shared/TOOLCHAIN.md 5.1).

#include "support/span.hpp"

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace assure::ast {

namespace x3 = boost::spirit::x3;

struct Node {
    support::Span span{};
};

struct Ident : Node {
    std::string name;
};

/// A dotted name: `visibility`, `std.risk.Severity`, `h.severity`.
struct QName : Node {
    std::vector<Ident> parts;
};

struct StringLit : Node {
    std::string value; // unescaped
};

struct NumberLit : Node {
    std::string text; // as written, with an optional leading '-'
};

struct DateLit : Node {
    std::string text; // YYYY-MM-DD, validated in sema
};

struct BoolLit : Node {
    std::string text; // "true" or "false"
};

// ---- expressions ---------------------------------------------------------------------------
// Chains are n-ary (a list per precedence level), never deep binary trees, so a long
// `a and b and c ...` cannot exhaust the stack; only parentheses nest, and their depth is
// capped before parsing.

struct Expr;
struct Call;
struct Quantifier;
struct Count;
struct Paren;

struct Primary : x3::variant<NumberLit, DateLit, BoolLit, StringLit, x3::forward_ast<Call>,
                             x3::forward_ast<Quantifier>, x3::forward_ast<Count>, QName,
                             x3::forward_ast<Paren>> {
    using base_type::base_type;
    using base_type::operator=;
};

struct Unary : Node {
    std::uint32_t minus = 0; // number of leading '-'
    Primary operand;
};

struct MulTail {
    char op = '*'; // '*' or '/'
    Unary operand;
};

struct Product : Node {
    Unary first;
    std::vector<MulTail> rest;
};

struct AddTail {
    char op = '+'; // '+' or '-'
    Product operand;
};

struct Sum : Node {
    Product first;
    std::vector<AddTail> rest;
};

/// A side of a comparison, an interval bound or a set item. Most are a bare name or number,
/// kept as a lean Unary; only arithmetic pays for the full Sum chain, by pointer
/// (docs/performance.md).
struct Operand : x3::variant<Unary, x3::forward_ast<Sum>> {
    using base_type::base_type;
    using base_type::operator=;
};

struct RelTail : Node {
    std::string op; // == != < <= > >=
    Operand rhs;
};

/// `in [lo, hi)`: open is '[' or '(', close is ']' or ')'.
struct IntervalSet : Node {
    char open = '[';
    Operand lo;
    Operand hi;
    char close = ']';
};

/// `in {a, b, c}`.
struct EnumSet : Node {
    std::vector<Operand> items;
};

struct SetExpr : x3::variant<IntervalSet, EnumSet> {
    using base_type::base_type;
    using base_type::operator=;
};

struct InTail : Node {
    std::vector<char> negated; // non-empty for `not in`
    SetExpr set;
};

// Held by pointer: a tail is as big as two sums, and most comparisons in a large case are
// simple; keeping it inline tripled the size of every atom (see docs/performance.md).
struct CmpTail : x3::variant<x3::forward_ast<RelTail>, x3::forward_ast<InTail>> {
    using base_type::base_type;
    using base_type::operator=;
};

struct Comparison : Node {
    Operand lhs;
    boost::optional<CmpTail> tail;
};

struct NotExpr : Node {
    std::uint32_t nots = 0; // number of leading `not`
    Comparison operand;
};

struct AndExpr : Node {
    std::vector<NotExpr> terms;
};

struct OrExpr : Node {
    std::vector<AndExpr> terms;
};

/// `a implies b implies c` (right-associative); a single term is just that term.
struct Expr : Node {
    std::vector<OrExpr> terms;
};

struct Call : Node {
    Ident function;
    std::vector<Expr> args;
};

/// `forall x in coll where filter: body` / `exists ...`.
struct Quantifier : Node {
    std::string quantifier; // "forall" | "exists"
    Ident var;
    Ident collection;
    boost::optional<Expr> filter;
    Expr body;
};

/// `count(x in coll where filter)`.
struct Count : Node {
    Ident var;
    Ident collection;
    boost::optional<Expr> filter;
};

struct Paren : Node {
    Expr inner;
};

/// `Base` or `Base where expr`: a region of an operating domain.
struct Region : Node {
    QName base;
    boost::optional<Expr> where;
};

// ---- declarations --------------------------------------------------------------------------

struct ModuleDecl : Node {
    QName name;
};

struct Import : Node {
    QName name;
    boost::optional<Ident> alias;
};

/// `real [lo, hi]` or `int [lo, hi]`.
struct NumType : Node {
    std::string kind; // "real" | "int"
    NumberLit lo;
    NumberLit hi;
};
struct BoolType : Node {
    std::string kind; // "bool"
};
struct EnumType : Node {
    std::vector<Ident> values;
};
struct TypeSpec : x3::variant<NumType, BoolType, EnumType> {
    using base_type::base_type;
    using base_type::operator=;
};

struct VarDecl : Node {
    Ident name;
    TypeSpec type;
    boost::optional<StringLit> unit;
};

struct Domain : Node {
    Ident name;
    boost::optional<StringLit> title;
    std::vector<VarDecl> vars;
};

struct Odd : Node {
    Ident name;
    boost::optional<StringLit> title;
    Region region;
};

struct Artifact : Node {
    Ident name;
    StringLit path;
    boost::optional<StringLit> sha256;
};

/// A bare keyword field: `undeveloped`, `all_of`, `any_of`, `deductive`.
struct Flag : Node {
    std::string word;
};

/// A field whose value is a list of references: `artifacts:`, `supported_by:`, `mitigates:`,
/// `independent_of:`, `resolved_by:`.
struct RefsField : Node {
    std::string key;
    std::vector<QName> refs;
};

/// A field whose value is one word: `kind:`, `result:`, `status:`.
struct WordField : Node {
    std::string key;
    Ident value;
};

/// A field whose value is one reference: `severity:`, `likelihood:`, `matrix:`, `rows:`,
/// `columns:`, `levels:`, `accept:`.
struct RefField : Node {
    std::string key;
    QName ref;
};

/// `producer: "..."`, `approved_by: "..."`, `justification: "..."`.
struct TextField : Node {
    std::string key;
    StringLit value;
};

/// `cost: 5`, `at_least 2`.
struct NumberField : Node {
    std::string key;
    NumberLit value;
};

struct DateField : Node {
    std::string key; // "valid_until"
    DateLit value;
};

/// `=` or `,` inside a read source.
struct Punct : Node {
    std::string text;
};

/// One word, string, number or punctuation of a read source, kept as written: sema reads the
/// selector from them (so that its errors can say what was expected where).
struct ReadItem : x3::variant<Ident, StringLit, NumberLit, Punct> {
    using base_type::base_type;
    using base_type::operator=;
};

/// `read fog_report json "/fog/recall"`: a value taken from an artifact (docs/language.md,
/// "Values read from artifacts").
struct ReadSource : Node {
    QName artifact;
    std::vector<ReadItem> items;
};

/// A measured value: a number as written, or read from an artifact.
struct MetricValue : x3::variant<NumberLit, ReadSource> {
    using base_type::base_type;
    using base_type::operator=;
};

/// `metric recall = 0.962 over Ocean where ...`.
struct MetricField : Node {
    Ident name;
    MetricValue value;
    Region over;
};

/// `result: read junit_report junit`: an evidence result read from an artifact.
struct ResultReadField : Node {
    ReadSource source;
};

/// `scope: Region`.
struct ScopeField : Node {
    Region region;
};

/// `recall >= 0.95`.
struct Requirement : Node {
    Ident metric;
    std::string op;
    NumberLit value;
};

struct RequiresField : Node {
    std::vector<Requirement> items;
};

/// `formal: expr`.
struct FormalField : Node {
    Expr expr;
};

/// `cover: v1, v2` or `partition: v1`.
struct CoverField : Node {
    std::string key;
    std::vector<Ident> vars;
};

struct Cell : Node {
    Ident column;
    Ident level;
};

/// `row catastrophic: frequent = high, probable = high, ...`.
struct RowField : Node {
    Ident row;
    std::vector<Cell> cells;
};

/// `lines = 2`, `kind = test`, `independent_review` in a matrix's `demand` field.
struct DemandItem : Node {
    Ident key;
    boost::optional<Ident> value; // a word or a number, as written
};

/// `demand serious: lines = 2, kind = test, independent_review, max_age = 365`.
struct DemandField : Node {
    Ident level;
    std::vector<DemandItem> items;
};

// Metric and scope fields embed a region; they are held by pointer so that the common small
// fields do not pay for them (a field list is most of a declaration's memory).
struct Field : x3::variant<Flag, RefsField, WordField, RefField, TextField, NumberField, DateField,
                           x3::forward_ast<MetricField>, x3::forward_ast<ScopeField>, RequiresField,
                           FormalField, CoverField, RowField, DemandField,
                           x3::forward_ast<ResultReadField>> {
    using base_type::base_type;
    using base_type::operator=;
};

using Fields = std::vector<Field>;

struct Evidence : Node {
    Ident name;
    StringLit title;
    Fields fields;
};

struct Claim : Node {
    Ident name;
    StringLit title;
    Fields fields;
};

struct Strategy : Node {
    Ident name;
    StringLit title;
    QName parent;
    Fields fields;
};

/// `assumption`, `context` and `justification`: a statement attached to claims/strategies.
struct Attachment : Node {
    std::string kind; // "assumption" | "context" | "justification"
    Ident name;
    StringLit title;
    std::vector<QName> targets;
    Fields fields;
};

struct Defeater : Node {
    Ident name;
    Ident relation; // rebuts | undercuts | undermines | defeats
    QName target;
    StringLit title;
    Fields fields;
};

struct Hazard : Node {
    Ident name;
    StringLit title;
    Fields fields;
};

/// `scale Severity { negligible < marginal < critical < catastrophic }` (lowest first).
struct Scale : Node {
    Ident name;
    boost::optional<StringLit> title;
    std::vector<Ident> values;
};

struct Matrix : Node {
    Ident name;
    boost::optional<StringLit> title;
    Fields fields;
};

struct Rule : Node {
    Ident name;
    StringLit title;
    Expr body;
};

/// `H: hazard` in a pattern's parameter list.
struct PatternParam : Node {
    Ident name;
    Ident kind; // claim, evidence, hazard, ..., text or number
};

/// `pattern NAME(P: kind, ...) "title" { declarations }`: the body is kept as text and
/// expanded for each instance (dsl/expand.hpp).
struct Pattern : Node {
    Ident name;
    std::vector<PatternParam> params;
    boost::optional<StringLit> title;
    std::string body; // the text between the braces, as written
};

/// An argument of an instance: a name, a string for a `text` parameter, or a (signed) number
/// literal for a `number` parameter.
struct PatternArg : x3::variant<QName, StringLit, NumberLit> {
    using base_type::base_type;
    using base_type::operator=;
};

/// `instance NAME = PATTERN(ARG, ...)`.
struct Instance : Node {
    Ident name;
    QName pattern;
    std::vector<PatternArg> args;
};

struct Declaration
    : x3::variant<ModuleDecl, Import, Domain, Odd, Artifact, Evidence, Claim, Strategy, Attachment,
                  Defeater, Hazard, Scale, Matrix, Rule, Pattern, Instance> {
    using base_type::base_type;
    using base_type::operator=;
};

/// One parsed file: its declarations in source order (module and imports included).
struct File {
    support::FileId file = support::kNoFile;
    std::vector<Declaration> decls;
};

} // namespace assure::ast
