// SPDX-License-Identifier: Apache-2.0
#include "dsl/parser.hpp"

#include "dsl/grammar/decl.hpp"
#include "dsl/grammar/expr.hpp"
#include "dsl/prescan.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace assure::dsl {
namespace x3 = boost::spirit::x3;
using support::Code;
using support::Span;

namespace {

constexpr std::array<std::string_view, 18> kDeclKeywords = {
    "module", "import",   "domain",     "odd",     "artifact",      "evidence",
    "claim",  "strategy", "assumption", "context", "justification", "defeater",
    "hazard", "scale",    "matrix",     "rule",    "pattern",       "instance"};

bool is_idchar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

std::size_t raw_token_length(std::string_view text, std::size_t pos);

/// Skips whitespace and comments from `pos`.
std::size_t skip_blank(std::string_view text, std::size_t pos) {
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++pos;
        } else if (text.substr(pos, 2) == "//") {
            const std::size_t nl = text.find('\n', pos);
            pos = nl == std::string_view::npos ? text.size() : nl + 1;
        } else if (text.substr(pos, 2) == "/*") {
            const std::size_t close = text.find("*/", pos + 2);
            pos = close == std::string_view::npos ? text.size() : close + 2;
        } else {
            break;
        }
    }
    return pos;
}

/// Length of the token starting at `pos` (for the caret and the "found" text), at most 40
/// bytes so a 100 MB run of letters does not end up in a message.
std::size_t token_length(std::string_view text, std::size_t pos) {
    std::size_t len = raw_token_length(text, pos);
    if (len > 40) {
        len = 40;
        while (len > 0 && pos + len < text.size() &&
               (static_cast<unsigned char>(text[pos + len]) & 0xC0u) == 0x80u) {
            --len;
        }
    }
    return len;
}

std::size_t raw_token_length(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) {
        return 0;
    }
    std::size_t end = pos;
    if (is_idchar(text[pos])) {
        const bool numeric = std::isdigit(static_cast<unsigned char>(text[pos])) != 0;
        while (end < text.size() && end - pos <= 64 &&
               (is_idchar(text[end]) || (numeric && text[end] == '.'))) {
            ++end;
        }
        return end - pos;
    }
    if (text[pos] == '"') {
        end = pos + 1;
        while (end < text.size() && text[end] != '"' && text[end] != '\n' && end - pos < 40) {
            end += text[end] == '\\' ? 2 : 1;
        }
        return std::min(end + 1, text.size()) - pos;
    }
    for (std::string_view two : {"==", "!=", "<=", ">=", "->"}) {
        if (text.substr(pos, 2) == two) {
            return 2;
        }
    }
    end = pos + 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) {
        ++end;
    }
    return end - pos;
}

/// X3 names a literal as 'x'; show it as `x`, like every other token in our messages.
std::string readable_expectation(const std::string &which) {
    if (which.size() >= 3 && which.front() == '\'' && which.back() == '\'') {
        return "`" + which.substr(1, which.size() - 2) + "`";
    }
    if (which.size() >= 3 && which.front() == '"' && which.back() == '"') {
        return "`" + which.substr(1, which.size() - 2) + "`";
    }
    if (which.find("spirit") != std::string::npos) {
        // An unnamed parser (X3 names it by its mangled type): in this grammar, the lists of
        // names after `cover:`, `supported_by:`, `mitigates:`, ...
        return "a name";
    }
    return which;
}

bool starts_declaration(std::string_view text, std::size_t pos) {
    for (std::string_view kw : kDeclKeywords) {
        if (text.substr(pos, kw.size()) != kw) {
            continue;
        }
        std::size_t after = pos + kw.size();
        if (after < text.size() && is_idchar(text[after])) {
            continue;
        }
        // `justification: "..."` inside a body is a field, not a declaration.
        while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) {
            ++after;
        }
        if (after < text.size() && (is_idchar(text[after]))) {
            return true;
        }
    }
    return false;
}

/// The first line after `pos` that starts with a declaration keyword, or the end of text.
std::size_t resync(std::string_view text, std::size_t pos) {
    while (true) {
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            return text.size();
        }
        std::size_t line = nl + 1;
        while (line < text.size() && (text[line] == ' ' || text[line] == '\t')) {
            ++line;
        }
        if (starts_declaration(text, line)) {
            return line;
        }
        pos = line;
    }
}

/// `claim G1 ...` -> "G1": the name of a declaration that failed to parse, if recognisable.
std::string declared_name(std::string_view text, std::size_t pos) {
    std::size_t end = pos;
    while (end < text.size() && is_idchar(text[end])) {
        ++end;
    }
    const std::string_view keyword = text.substr(pos, end - pos);
    if (keyword == "module" || keyword == "import") {
        return {};
    }
    pos = end;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        ++pos;
    }
    end = pos;
    while (end < text.size() && is_idchar(text[end])) {
        ++end;
    }
    return std::string(text.substr(pos, end - pos));
}

/// Words after which a name is declared: the declaration keywords, and the fields that name
/// what they declare (`metric NAME = ...`, `row NAME: ...`, `demand NAME: ...`).
bool declares_name(std::string_view word) {
    if (word == "metric" || word == "row" || word == "demand") {
        return true;
    }
    return word != "module" && word != "import" &&
           std::find(kDeclKeywords.begin(), kDeclKeywords.end(), word) != kDeclKeywords.end();
}

/// A token of the rough lexer below: [begin, end).
struct Token {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// The end of the token starting at `pos`, for tokens that cannot be longer than their line:
/// a name or a (signed) number (with dots, `%`), a string up to its closing quote, or one
/// character.
std::size_t token_end(std::string_view text, std::size_t pos) {
    std::size_t end = pos;
    if (text[pos] == '-' && pos + 1 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[pos + 1])) != 0) {
        ++end; // a signed number: `-0.5`
    }
    if (is_idchar(text[end])) {
        while (end < text.size() &&
               (is_idchar(text[end]) || text[end] == '.' || text[end] == '%')) {
            ++end;
        }
        return end;
    }
    if (text[pos] == '"') {
        end = pos + 1;
        while (end < text.size() && text[end] != '"' && text[end] != '\n') {
            end += text[end] == '\\' ? 2 : 1;
        }
        return std::min(end + 1, text.size());
    }
    return pos + std::max<std::size_t>(1, raw_token_length(text, pos));
}

/// The last token that ends at or before `limit`, scanning from `from` (the start of the
/// declaration); nullopt if there is none.
std::optional<Token> last_token_before(std::string_view text, std::size_t from, std::size_t limit) {
    std::optional<Token> last;
    std::size_t pos = from;
    while (true) {
        pos = skip_blank(text, pos);
        if (pos >= limit || pos >= text.size()) {
            return last;
        }
        const std::size_t end = token_end(text, pos);
        if (end > limit) {
            return last;
        }
        last = Token{pos, end};
        pos = end;
    }
}

/// Whether the token at `pos` can start a field, a declaration or close a body: then a syntax
/// error found there on a later line is about something missing at the end of the line before.
bool starts_something(std::string_view text, std::size_t pos, std::size_t len) {
    static constexpr std::array<std::string_view, 38> kFieldKeywords = {
        "undeveloped", "all_of",         "any_of",
        "deductive",   "artifacts",      "supported_by",
        "mitigates",   "independent_of", "resolved_by",
        "kind",        "result",         "status",
        "severity",    "likelihood",     "matrix",
        "rows",        "columns",        "levels",
        "accept",      "producer",       "team",
        "department",  "approved_by",    "justification",
        "description", "cost",           "lowers_likelihood",
        "at_least",    "valid_until",    "date",
        "metric",      "scope",          "requires",
        "formal",      "cover",          "partition",
        "row",         "demand"};
    if (len == 0) {
        return true; // the end of the file
    }
    const std::string_view tok = text.substr(pos, len);
    if (tok == "}") {
        return true;
    }
    return std::find(kFieldKeywords.begin(), kFieldKeywords.end(), tok) != kFieldKeywords.end() ||
           starts_declaration(text, pos);
}

/// A name with a dot glued inside it where the parser stopped at `where`, on the dot or just
/// after it (`G1.1`, `Sn1.2.3`, `G1.1a`): the whole dotted word, or nullopt. Numbers (`1.5`)
/// are not names.
std::optional<Token> dotted_word_at(std::string_view text, std::size_t where) {
    if (where >= 2 && where < text.size() && text[where - 1] == '.' && text[where] != '.') {
        --where; // a qualified name's part after the dot failed: `G1.` then `1`
    }
    if (where == 0 || where + 1 >= text.size() || text[where] != '.' ||
        !is_idchar(text[where - 1]) || !is_idchar(text[where + 1])) {
        return std::nullopt;
    }
    std::size_t begin = where;
    while (begin > 0 && (is_idchar(text[begin - 1]) || text[begin - 1] == '.')) {
        --begin;
    }
    while (text[begin] == '.') {
        ++begin;
    }
    if (std::isdigit(static_cast<unsigned char>(text[begin])) != 0) {
        return std::nullopt;
    }
    std::size_t end = where;
    while (end < text.size() &&
           (is_idchar(text[end]) ||
            (text[end] == '.' && end + 1 < text.size() && is_idchar(text[end + 1])))) {
        ++end;
    }
    if (end - begin > 64) {
        return std::nullopt; // not a name anyone typed: the generic message will do
    }
    return Token{begin, end};
}

std::string underscored(std::string_view dotted) {
    std::string out(dotted);
    std::replace(out.begin(), out.end(), '.', '_');
    return out;
}

/// E0111 for a dotted name at `word`; `decl_start` is where the failed declaration begins.
/// The help depends on whether the word declares a name (after a declaration keyword,
/// `metric`, `row` or `demand`; a domain variable or a pattern parameter before `:`) or
/// refers to one.
void report_dotted_name(std::string_view text, support::FileId file, std::size_t decl_start,
                        Token word, support::Diagnostics &diags) {
    const std::string_view dotted = text.substr(word.begin, word.end - word.begin);
    const std::string fixed = underscored(dotted);
    const auto before = last_token_before(text, decl_start, word.begin);
    const std::string_view keyword =
        text.substr(decl_start, token_end(text, decl_start) - decl_start);
    const std::size_t after = skip_blank(text, word.end);
    const bool declared =
        (before && declares_name(text.substr(before->begin, before->end - before->begin))) ||
        ((keyword == "domain" || keyword == "pattern") && after < text.size() &&
         text[after] == ':');
    auto &d = diags.error(
        Code::E0111,
        Span{file, static_cast<std::uint32_t>(word.begin), static_cast<std::uint32_t>(word.end)},
        "`" + std::string(dotted) + "` is not a valid name: names cannot contain `.`",
        "`.` separates a module from the names declared in it");
    d.help = declared ? "write `" + fixed + "`, and refer to it as `" + fixed + "`"
                      : "if the element is declared as `" + fixed + "`, write `" + fixed + "`";
}

/// E0106 for a failed expectation at `where` (the token found there is `len` bytes long).
/// When that token is on a later line and starts something new (a field, a declaration, `}`,
/// the end of the file), what is missing belongs at the end of the line before: the caret goes
/// under the last token there, `metric recall = 0.96` without `over` is reported at `0.96`.
void report_syntax_error(std::string_view text, support::FileId file, std::size_t decl_start,
                         std::size_t where, std::size_t len, const std::string &expected,
                         const std::string &found, bool no_expectation,
                         support::Diagnostics &diags) {
    Span span{file, static_cast<std::uint32_t>(where), static_cast<std::uint32_t>(where + len)};
    std::string message = "expected " + expected + ", found " + found;
    std::string label = "expected " + expected;
    const auto before = last_token_before(text, decl_start, where);
    if (!no_expectation && before &&
        text.substr(before->end, where - before->end).find('\n') != std::string_view::npos &&
        starts_something(text, where, len)) {
        const std::string_view prev = text.substr(before->begin, before->end - before->begin);
        span = Span{file, static_cast<std::uint32_t>(before->begin),
                    static_cast<std::uint32_t>(before->end)};
        const std::string_view gap = text.substr(before->end, where - before->end);
        const bool next_line = std::count(gap.begin(), gap.end(), '\n') == 1;
        message = "expected " + expected + " after `" + support::printable(prev.substr(0, 40)) +
                  "`, found " +
                  (len == 0 ? found : found + (next_line ? " on the next line" : " further down"));
        label = "expected " + expected + " after this";
    }
    auto &diag = diags.error(Code::E0106, span, message, label);
    const std::string_view tok = text.substr(where, len);
    if (no_expectation &&
        (tok == "<" || tok == ">" || tok == "<=" || tok == ">=" || tok == "==" || tok == "!=")) {
        // The previous declaration ended after one comparison: `0 < x < 5`.
        diag.help = "comparisons do not chain: write `a < x and x < b`, or `x in (a, b)`";
    } else if (expected == "`over`") {
        diag.help = "a measurement names the region it was made over: "
                    "`metric NAME = VALUE over REGION`, REGION a domain or an odd, optionally "
                    "with `where`";
    }
}

/// What a declaration that failed to parse, text[begin, end), would have declared besides its
/// name, read from its tokens (strings and comments skipped): the metrics it measures
/// (`metric NAME`), a domain's variables (`NAME :`) and enum values, a scale's values. Later
/// stages do not report these as unknown (E0201) or unmeasured (E0208).
void collect_declared_words(std::string_view text, std::size_t begin, std::size_t end,
                            ParseResult &result) {
    std::vector<Token> toks;
    for (std::size_t pos = skip_blank(text, begin); pos < end; pos = skip_blank(text, pos)) {
        const std::size_t tok_end = std::min(token_end(text, pos), end);
        toks.push_back(Token{pos, tok_end});
        pos = tok_end;
    }
    auto word = [&](std::size_t idx) {
        return idx < toks.size() ? text.substr(toks[idx].begin, toks[idx].end - toks[idx].begin)
                                 : std::string_view();
    };
    // A dotted name (E0111) counts as the name with `_` that the error suggests.
    auto is_name = [](std::string_view w) {
        return !w.empty() && is_idchar(w.front()) &&
               std::isdigit(static_cast<unsigned char>(w.front())) == 0 &&
               std::all_of(w.begin(), w.end(), [](char c) { return is_idchar(c) || c == '.'; });
    };
    const std::string_view keyword = word(0);
    bool in_values = false; // inside the braces of an enum or a scale
    for (std::size_t idx = 1; idx < toks.size(); ++idx) {
        const std::string_view w = word(idx);
        if (word(idx - 1) == "metric" && is_name(w)) {
            result.broken_metrics.push_back(underscored(w));
        } else if (keyword == "domain" && is_name(w) && word(idx + 1) == ":") {
            result.broken_names.push_back(underscored(w));
        }
        if (w == "{" && (word(idx - 1) == "enum" || (keyword == "scale" && idx <= 3))) {
            in_values = true;
        } else if (w == "}") {
            in_values = false;
        } else if (in_values && is_name(w)) {
            result.broken_names.push_back(underscored(w));
        }
    }
}

} // namespace

ParseResult parse(support::FileId file, const support::SourceManager &sources,
                  support::Diagnostics &diags) {
    ParseResult result;
    result.file.file = file;
    const PrescanResult pre = prescan(file, sources, diags);
    if (!pre.parseable) {
        result.complete = false;
        return result;
    }
    const std::string_view text = sources.text(file);
    grammar::ParseState state;
    state.base = text.data();
    state.file = file;
    const char *const end = text.data() + text.size();
    std::size_t pos = pre.start;
    std::size_t errors = 0;
    const auto &rule = grammar::declaration();

    while (true) {
        pos = skip_blank(text, pos);
        if (pos >= text.size()) {
            break;
        }
        const char *first = text.data() + pos;
        ast::Declaration decl;
        state.errors.clear();
        bool ok = false;
        try {
            ok = x3::phrase_parse(first, end, x3::with<grammar::state_tag>(std::ref(state))[rule],
                                  grammar::skipper, decl);
        } catch (const x3::expectation_failure<const char *> &x) {
            // Only the top rule has a handler; anything escaping it is still a syntax error.
            state.errors.push_back(grammar::ParseError{x.where(), x.which()});
        }
        if (ok) {
            result.file.decls.push_back(std::move(decl));
            pos = static_cast<std::size_t>(first - text.data());
            continue;
        }
        result.complete = false;
        std::size_t where = pos;
        std::string expected = "a declaration (claim, strategy, evidence, domain, odd, ...)";
        if (!state.errors.empty()) {
            where = static_cast<std::size_t>(state.errors.front().where - text.data());
            expected = readable_expectation(state.errors.front().expected);
        }
        where = skip_blank(text, where);
        const std::size_t len = token_length(text, where);
        const std::string found =
            len == 0 ? "end of file" : "`" + support::printable(text.substr(where, len)) + "`";
        if (++errors > kMaxSyntaxErrorsPerFile) {
            diags.error(Code::E0109,
                        Span{file, static_cast<std::uint32_t>(where),
                             static_cast<std::uint32_t>(where + len)},
                        "too many syntax errors in `" + sources.display_name(file) +
                            "`; the rest of the file is skipped");
            break;
        }
        std::string broken = declared_name(text, pos);
        const auto dotted = dotted_word_at(text, where);
        const std::string keyword(text.substr(pos, token_end(text, pos) - pos));
        if (dotted && keyword != "module" && keyword != "import") {
            // `claim G1.1 "..."`: a GSN-style id. Say why, not "expected string, found `.`".
            report_dotted_name(text, file, pos, *dotted, diags);
            if (skip_blank(text, pos + keyword.size()) == dotted->begin) {
                broken = underscored(text.substr(dotted->begin, dotted->end - dotted->begin));
            }
        } else {
            report_syntax_error(text, file, pos, where, len, expected, found, state.errors.empty(),
                                diags);
        }
        if (!broken.empty()) {
            result.broken_names.push_back(std::move(broken));
        }
        const std::size_t next = resync(text, std::max(pos, where > pos ? where - 1 : pos));
        collect_declared_words(text, pos, next, result);
        pos = next;
    }
    return result;
}

RegionCheck check_region_text(std::string_view text) {
    RegionCheck check;
    auto fail = [&](std::size_t where, std::string message) {
        check.offset = static_cast<std::uint32_t>(where);
        const std::size_t len = where < text.size() ? token_length(text, where) : 0;
        check.length = static_cast<std::uint32_t>(len);
        check.message = std::move(message);
        return check;
    };
    // The skipper would read these as a comment or white space; in the case's text they could
    // hide what follows the region, or start a new field.
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        const auto c = static_cast<unsigned char>(text[idx]);
        if (c < 0x20 || c == 0x7F) {
            return fail(idx, "a control character or line break is not allowed in a region");
        }
        if (c == '/' && idx + 1 < text.size() && (text[idx + 1] == '/' || text[idx + 1] == '*')) {
            return fail(idx, "a comment is not allowed in a region");
        }
    }
    grammar::ParseState state;
    state.base = text.data();
    const char *first = text.data();
    const char *const end = text.data() + text.size();
    ast::Region region;
    std::size_t where = 0;
    std::string expected = "region (a domain or odd name, optionally followed by `where`)";
    bool ok = false;
    try {
        ok = x3::phrase_parse(first, end,
                              x3::with<grammar::state_tag>(std::ref(state))[grammar::region()],
                              grammar::skipper, region);
        where = static_cast<std::size_t>(first - text.data());
    } catch (const x3::expectation_failure<const char *> &x) {
        where = static_cast<std::size_t>(x.where() - text.data());
        expected = readable_expectation(x.which());
    }
    where = skip_blank(text, where);
    if (ok && where >= text.size()) {
        check.ok = true;
        return check;
    }
    if (ok) {
        expected = "the end of the region";
    }
    const std::size_t len = where < text.size() ? token_length(text, where) : 0;
    const std::string found =
        len == 0 ? "end of text" : "`" + support::printable(text.substr(where, len)) + "`";
    return fail(where, "expected " + expected + ", found " + found);
}

} // namespace assure::dsl
