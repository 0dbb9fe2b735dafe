// SPDX-License-Identifier: Apache-2.0
#include "dsl/expand.hpp"

#include "dsl/parser.hpp"
#include "dsl/printer.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace assure::dsl {

using support::Code;
using support::Span;

namespace {

const std::vector<std::string_view> &param_kinds() {
    static const std::vector<std::string_view> kinds = {
        "claim",    "evidence", "strategy",      "hazard",     "defeater",
        "artifact", "odd",      "domain",        "assumption", "context",
        "scale",    "matrix",   "justification", "text",       "number"};
    return kinds;
}

std::string joined(const ast::QName &q) {
    std::string out;
    for (const auto &p : q.parts) {
        out += (out.empty() ? "" : ".") + p.name;
    }
    return out;
}

bool is_idchar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

/// The name an element declaration declares ("" for module, import, pattern, instance).
struct DeclaredName {
    std::string operator()(const ast::ModuleDecl &) const { return {}; }
    std::string operator()(const ast::Import &) const { return {}; }
    std::string operator()(const ast::Pattern &) const { return {}; }
    std::string operator()(const ast::Instance &) const { return {}; }
    template <typename T> std::string operator()(const T &x) const { return x.name.name; }
};
std::string declared(const ast::Declaration &d) {
    return boost::apply_visitor(DeclaredName{}, d);
}

/// A pattern with what its body declares (once its body parsed cleanly).
struct Known {
    std::size_t module = 0;
    const ast::Pattern *node = nullptr;
    support::FileId file = support::kNoFile; // the module's file
    std::uint32_t body_begin = 0;
    bool ok = true;               // parameters and body are valid
    std::set<std::string> locals; // names its body declares
    std::map<std::string, std::size_t> param_index;
};

class Expander {
  public:
    Expander(LoadedCase &loaded, support::SourceManager &sources, support::Diagnostics &diags)
        : loaded_(loaded), sources_(sources), diags_(diags) {}

    void run() {
        collect();
        std::vector<std::vector<ast::Declaration>> extra(loaded_.modules.size());
        std::vector<Expansion> records;
        for (std::size_t m = 0; m < loaded_.modules.size(); ++m) {
            for (const auto &decl : loaded_.modules[m].ast.decls) {
                if (const auto *inst = boost::get<ast::Instance>(&decl)) {
                    expand(m, *inst, extra[m], records);
                }
            }
        }
        // Append, then re-point the import list (appending moves the declarations).
        for (auto &rec : records) {
            auto &mod = loaded_.modules[rec.module];
            rec.first += mod.ast.decls.size();
        }
        for (std::size_t m = 0; m < loaded_.modules.size(); ++m) {
            auto &mod = loaded_.modules[m];
            for (auto &d : extra[m]) {
                mod.ast.decls.push_back(std::move(d));
            }
            mod.imports.clear();
            for (const auto &d : mod.ast.decls) {
                if (const auto *imp = boost::get<ast::Import>(&d)) {
                    mod.imports.push_back(imp);
                }
            }
        }
        loaded_.expansions = std::move(records);
    }

  private:
    // ---- patterns ----------------------------------------------------------------------------

    void collect() {
        for (std::size_t m = 0; m < loaded_.modules.size(); ++m) {
            const auto &mod = loaded_.modules[m];
            for (const auto &decl : mod.ast.decls) {
                const auto *p = boost::get<ast::Pattern>(&decl);
                if (p == nullptr) {
                    continue;
                }
                const std::string key = mod.name + "." + p->name.name;
                if (auto it = known_.find(key); it != known_.end()) {
                    auto &d = diags_.error(Code::E0203, p->name.span,
                                           "pattern `" + p->name.name +
                                               "` is declared twice in module `" + mod.name + "`",
                                           "declared again here");
                    d.notes.push_back({it->second.node->name.span, "first declared here"});
                    continue;
                }
                known_.emplace(key, check(m, *p));
            }
        }
    }

    /// Checks a pattern's parameters and parses its body once, in place (a buffer holding the
    /// body at its own lines and columns), to report its syntax errors and learn its names.
    Known check(std::size_t m, const ast::Pattern &p) {
        Known k;
        k.module = m;
        k.node = &p;
        k.file = loaded_.modules[m].file;
        for (std::size_t i = 0; i < p.params.size(); ++i) {
            const auto &prm = p.params[i];
            const auto &kinds = param_kinds();
            if (std::find(kinds.begin(), kinds.end(), prm.kind.name) == kinds.end()) {
                auto &d = diags_.error(Code::E0316, prm.kind.span,
                                       "`" + prm.kind.name + "` is not a kind of parameter",
                                       "unknown kind");
                const std::string best = support::closest_match(prm.kind.name, kinds);
                d.help = best.empty() ? "a parameter is an element (claim, evidence, hazard, "
                                        "strategy, odd, ...), text or a number"
                                      : "did you mean `" + best + "`?";
                k.ok = false;
            }
            if (!k.param_index.emplace(prm.name.name, i).second) {
                diags_.error(Code::E0316, prm.name.span,
                             "parameter `" + prm.name.name + "` is given twice",
                             "repeated parameter");
                k.ok = false;
            }
        }
        const std::string_view text = sources_.text(k.file);
        // The body ends just before the declaration's closing brace.
        std::size_t begin = p.span.end >= p.body.size() + 1 ? p.span.end - 1 - p.body.size() : 0;
        if (text.substr(begin, p.body.size()) != p.body) {
            begin = text.find(p.body, p.span.begin);
        }
        k.body_begin = static_cast<std::uint32_t>(begin);
        // A number parameter stands where the grammar wants a literal: check the body with a
        // literal of the name's length in its place, so columns stay those of the pattern.
        std::map<std::string, std::string> placeholders;
        for (const auto &prm : p.params) {
            if (prm.kind.name == "number") {
                placeholders[prm.name.name] = "0" + std::string(prm.name.name.size() - 1, ' ');
            }
        }
        const std::string checked =
            placeholders.empty() ? p.body : substitute(p.body, placeholders, {}, {}, "");
        const support::FileId body = sources_.add(sources_.display_name(k.file), placed(k, checked),
                                                  sources_.origin(k.file));
        support::SourceManager::Expansion what;
        what.what = "in the body of pattern `" + p.name.name + "`";
        sources_.set_expansion(body, std::move(what));
        const std::size_t errors = diags_.error_count();
        ParseResult parsed = parse(body, sources_, diags_);
        if (!parsed.complete || diags_.error_count() != errors) {
            k.ok = false;
            loaded_.complete = false;
        }
        for (const auto &d : parsed.file.decls) {
            const std::string name = declared(d);
            if (name.empty()) {
                diags_.error(Code::E0316, span_of(d),
                             "a pattern's body declares elements only (no module, import, "
                             "pattern or instance)",
                             "not allowed in a pattern");
                k.ok = false;
                continue;
            }
            if (k.param_index.count(name) != 0) {
                diags_.error(Code::E0316, span_of(d),
                             "`" + name + "` is both a parameter and a declaration of the pattern",
                             "hides the parameter");
                k.ok = false;
            }
            k.locals.insert(name);
        }
        return k;
    }

    static Span span_of(const ast::Declaration &d) {
        return boost::apply_visitor([](const auto &x) { return x.span; }, d);
    }

    /// `body` preceded by the newlines and spaces that put it where the pattern's body starts.
    std::string placed(const Known &k, std::string_view body) const {
        const auto lc = sources_.line_col(k.file, k.body_begin);
        std::string out(lc.line - 1, '\n');
        out.append(lc.column - 1, ' ');
        out.append(body);
        return out;
    }

    // ---- instances ---------------------------------------------------------------------------

    /// The pattern an instance names: in its own module or an imported one (unqualified), or
    /// in the module its prefix names (a module name or an import alias).
    const Known *find(std::size_t m, const ast::Instance &inst) {
        const auto &q = inst.pattern;
        const std::string last = q.parts.back().name;
        const auto &mod = loaded_.modules[m];
        std::vector<const Known *> found;
        auto in_module = [&](std::size_t t) {
            const auto it = known_.find(loaded_.modules[t].name + "." + last);
            return it == known_.end() ? nullptr : &it->second;
        };
        if (q.parts.size() == 1) {
            if (const Known *k = in_module(m)) {
                return k;
            }
            for (std::size_t i = 0; i < mod.imports.size(); ++i) {
                if (mod.import_targets[i] >= 0) {
                    if (const Known *k = in_module(static_cast<std::size_t>(mod.import_targets[i]));
                        k != nullptr && std::find(found.begin(), found.end(), k) == found.end()) {
                        found.push_back(k);
                    }
                }
            }
        } else {
            ast::QName prefix = q;
            prefix.parts.pop_back();
            const std::string pre = joined(prefix);
            std::set<std::size_t> targets;
            if (pre == mod.name) {
                targets.insert(m);
            }
            for (std::size_t i = 0; i < mod.imports.size(); ++i) {
                const auto *imp = mod.imports[i];
                const bool match =
                    joined(imp->name) == pre || (imp->alias && imp->alias->name == pre);
                if (match && mod.import_targets[i] >= 0) {
                    targets.insert(static_cast<std::size_t>(mod.import_targets[i]));
                }
            }
            for (std::size_t t : targets) {
                if (const Known *k = in_module(t)) {
                    found.push_back(k);
                }
            }
        }
        if (found.size() == 1) {
            return found.front();
        }
        if (found.empty()) {
            auto &d = diags_.error(Code::E0201, q.span, "unknown pattern `" + joined(q) + "`",
                                   "no visible pattern has this name");
            d.help = "declare it with `pattern " + last +
                     "(...) { ... }`, or import the module that does";
        } else {
            auto &d = diags_.error(Code::E0202, q.span, "pattern `" + last + "` is ambiguous",
                                   "several imported modules declare it");
            d.help = "qualify it with its module";
        }
        return nullptr;
    }

    void expand(std::size_t m, const ast::Instance &inst, std::vector<ast::Declaration> &out,
                std::vector<Expansion> &records) {
        const Known *k = find(m, inst);
        if (k == nullptr || !k->ok) {
            loaded_.complete = false;
            return;
        }
        const ast::Pattern &p = *k->node;
        const std::string pname = loaded_.modules[k->module].name + "." + p.name.name;
        if (inst.args.size() != p.params.size()) {
            auto &d = diags_.error(Code::E0315, inst.pattern.span,
                                   "pattern `" + p.name.name + "` takes " +
                                       std::to_string(p.params.size()) + " argument" +
                                       (p.params.size() == 1 ? "" : "s") + ", given " +
                                       std::to_string(inst.args.size()),
                                   "wrong number of arguments");
            d.notes.push_back({p.name.span, "pattern `" + p.name.name + "` is declared here"});
            loaded_.complete = false;
            return;
        }
        std::map<std::string, std::string> values;
        std::set<std::string> texts; // the text parameters
        std::vector<std::string> shown;
        std::vector<ElementArgument> elements;
        bool ok = true;
        for (std::size_t i = 0; i < p.params.size(); ++i) {
            const auto &prm = p.params[i];
            const std::string &kind = prm.kind.name;
            // What the parameter needs, and what was given: a name, a string or a number.
            const char *wanted = kind == "text"     ? "a string"
                                 : kind == "number" ? "a number"
                                                    : "a name";
            const char *given = nullptr;
            Span given_span;
            if (const auto *q = boost::get<ast::QName>(&inst.args[i])) {
                values[prm.name.name] = joined(*q);
                shown.push_back(joined(*q));
                given = "a name";
                given_span = q->span;
                elements.push_back({i + 1, prm.name.name, kind, prm.span, *q});
            } else if (const auto *n = boost::get<ast::NumberLit>(&inst.args[i])) {
                values[prm.name.name] = n->text;
                shown.push_back(n->text);
                given = "a number";
                given_span = n->span;
            } else {
                const auto &str = boost::get<ast::StringLit>(inst.args[i]);
                values[prm.name.name] = str.value;
                texts.insert(prm.name.name);
                shown.push_back("\"" + escaped(str.value) + "\"");
                given = "a string";
                given_span = str.span;
            }
            if (std::string_view(given) != wanted) {
                const std::string need = kind == "text" ? "is text: give a string"
                                         : kind == "number"
                                             ? "is a number: give a number literal"
                                             : "is " + article(kind) + ": give its name";
                auto &d = diags_.error(Code::E0315, given_span,
                                       "parameter `" + prm.name.name + "` of `" + p.name.name +
                                           "` " + need,
                                       std::string(given) + ", not " + wanted);
                d.notes.push_back({prm.span, "declared here"});
                ok = false;
            }
        }
        if (!ok) {
            loaded_.complete = false;
            return;
        }
        // Only names given for element parameters are left for sema to check.
        elements.erase(std::remove_if(elements.begin(), elements.end(),
                                      [](const ElementArgument &a) {
                                          return a.kind == "text" || a.kind == "number";
                                      }),
                       elements.end());
        std::string call = p.name.name + "(";
        for (std::size_t i = 0; i < shown.size(); ++i) {
            call += (i == 0 ? "" : ", ") + shown[i];
        }
        call += ")";
        const std::string body = substitute(p.body, values, texts, k->locals, inst.name.name);
        const support::FileId file = sources_.add(sources_.display_name(k->file), placed(*k, body),
                                                  sources_.origin(k->file));
        sources_.set_expansion(
            file, {inst.span, "in instance `" + inst.name.name + "` of pattern `" + pname + "`",
                   inst.name.name, pname, inst.name.span});
        ParseResult parsed = parse(file, sources_, diags_);
        if (!parsed.complete) {
            loaded_.complete = false;
        }
        for (auto &name : parsed.broken_names) {
            loaded_.broken_names.push_back(std::move(name));
        }
        for (auto &name : parsed.broken_metrics) {
            loaded_.broken_metrics.push_back(std::move(name));
        }
        Expansion rec;
        rec.module = m;
        rec.instance = inst.name.name;
        rec.pattern = pname;
        rec.call = call;
        rec.use = inst.span;
        rec.pattern_name = p.name.span;
        rec.elements = std::move(elements);
        rec.file = file;
        rec.first = out.size(); // made absolute by run()
        rec.count = parsed.file.decls.size();
        for (auto &d : parsed.file.decls) {
            out.push_back(std::move(d));
        }
        records.push_back(std::move(rec));
    }

    /// "a hazard", "an artifact"; evidence is a mass noun.
    static std::string article(const std::string &kind) {
        if (kind == "evidence") {
            return kind;
        }
        const bool vowel =
            !kind.empty() && std::string_view("aeio").find(kind[0]) != std::string_view::npos;
        return (vowel ? "an " : "a ") + kind;
    }

    /// `text` as the contents of a string literal.
    static std::string escaped(const std::string &text) {
        std::string out;
        for (char c : text) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\t') {
                out += "\\t";
            } else {
                out += c;
            }
        }
        return out;
    }

    /// The body with each parameter replaced by its argument (in strings: `{X}`, escaped; in
    /// code, a text argument other than a plain name in parentheses, so that `where C and x`
    /// keeps its meaning) and
    /// each name the body declares prefixed with the instance's name. Comments are kept; names
    /// after a `.` (attributes, qualified names) and field keys (a name before `:`) are not
    /// touched.
    static std::string substitute(std::string_view body,
                                  const std::map<std::string, std::string> &values,
                                  const std::set<std::string> &texts,
                                  const std::set<std::string> &locals, const std::string &prefix) {
        std::string out;
        out.reserve(body.size() + body.size() / 4);
        std::size_t i = 0;
        while (i < body.size()) {
            const char c = body[i];
            if (c == '/' && i + 1 < body.size() && body[i + 1] == '/') {
                const std::size_t end = std::min(body.find('\n', i), body.size());
                out.append(body.substr(i, end - i));
                i = end;
            } else if (c == '/' && i + 1 < body.size() && body[i + 1] == '*') {
                const std::size_t close = body.find("*/", i + 2);
                const std::size_t end = close == std::string_view::npos ? body.size() : close + 2;
                out.append(body.substr(i, end - i));
                i = end;
            } else if (c == '"') {
                out += c;
                ++i;
                while (i < body.size() && body[i] != '"' && body[i] != '\n') {
                    if (body[i] == '\\' && i + 1 < body.size()) {
                        out.append(body.substr(i, 2));
                        i += 2;
                        continue;
                    }
                    if (body[i] == '{') {
                        const std::size_t close = body.find('}', i);
                        if (close != std::string_view::npos) {
                            const auto it =
                                values.find(std::string(body.substr(i + 1, close - i - 1)));
                            if (it != values.end()) {
                                out += escaped(it->second);
                                i = close + 1;
                                continue;
                            }
                        }
                    }
                    out += body[i++];
                }
                if (i < body.size() && body[i] == '"') {
                    out += '"';
                    ++i;
                }
            } else if (is_idchar(c)) {
                std::size_t end = i;
                while (end < body.size() && is_idchar(body[end])) {
                    ++end;
                }
                const std::string word(body.substr(i, end - i));
                const bool after_dot = i > 0 && body[i - 1] == '.';
                const bool starts_word = std::isdigit(static_cast<unsigned char>(c)) == 0;
                std::size_t next = end;
                while (next < body.size() && (body[next] == ' ' || body[next] == '\t')) {
                    ++next;
                }
                const bool field_key = next < body.size() && body[next] == ':';
                if (after_dot || !starts_word || field_key) {
                    out += word;
                } else if (const auto it = values.find(word); it != values.end()) {
                    const bool name =
                        std::all_of(it->second.begin(), it->second.end(),
                                    [](char ch) { return is_idchar(ch) || ch == '.'; });
                    out += texts.count(word) != 0 && !name ? "(" + it->second + ")" : it->second;
                } else if (locals.count(word) != 0) {
                    out += prefix + "_" + word;
                } else {
                    out += word;
                }
                i = end;
            } else {
                out += c;
                ++i;
            }
        }
        return out;
    }

    LoadedCase &loaded_;
    support::SourceManager &sources_;
    support::Diagnostics &diags_;
    std::map<std::string, Known> known_; // by `module.Pattern`
};

} // namespace

void expand_patterns(LoadedCase &loaded, support::SourceManager &sources,
                     support::Diagnostics &diags) {
    Expander(loaded, sources, diags).run();
}

std::string print_expansions(const LoadedCase &loaded, const support::SourceManager &sources) {
    std::string out;
    for (const auto &rec : loaded.expansions) {
        const auto &mod = loaded.modules[rec.module];
        const auto lc = sources.line_col(rec.use.file, rec.use.begin);
        out += "// instance " + rec.instance + " = " + rec.call + " in module " + mod.name + " (" +
               sources.display_name(rec.use.file) + ":" + std::to_string(lc.line) + "), pattern " +
               rec.pattern + "\n";
        ast::File file;
        for (std::size_t i = rec.first; i < rec.first + rec.count; ++i) {
            file.decls.push_back(mod.ast.decls[i]);
        }
        out += print(file) + "\n";
    }
    return out;
}

} // namespace assure::dsl
