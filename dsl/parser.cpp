// SPDX-License-Identifier: Apache-2.0
#include "dsl/parser.hpp"

#include "dsl/grammar/decl.hpp"
#include "dsl/grammar/expr.hpp"
#include "dsl/prescan.hpp"
#include "support/text.hpp"

#include <array>
#include <cctype>

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
        auto &diag = diags.error(
            Code::E0106,
            Span{file, static_cast<std::uint32_t>(where), static_cast<std::uint32_t>(where + len)},
            "expected " + expected + ", found " + found, "expected " + expected);
        const std::string_view tok = text.substr(where, len);
        if (state.errors.empty() && (tok == "<" || tok == ">" || tok == "<=" || tok == ">=" ||
                                     tok == "==" || tok == "!=")) {
            // The previous declaration ended after one comparison: `0 < x < 5`.
            diag.help = "comparisons do not chain: write `a < x and x < b`, or `x in (a, b)`";
        }
        if (std::string name = declared_name(text, pos); !name.empty()) {
            result.broken_names.push_back(std::move(name));
        }
        pos = resync(text, std::max(pos, where > pos ? where - 1 : pos));
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
