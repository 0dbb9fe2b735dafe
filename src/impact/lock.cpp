// SPDX-License-Identifier: Apache-2.0
#include "impact/lock.hpp"

#include "support/sha256.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace assure::impact {

namespace fs = std::filesystem;
using prove::Status;

namespace {

constexpr std::string_view kHeader = "# assure lockfile";
constexpr std::string_view kDigestPrefix = "digest sha256 ";

/// `path` relative to `dir` when both are on one root, else absolute; '/' separated.
std::string relative_to(const std::string &path, const std::string &dir) {
    const fs::path p = fs::absolute(path).lexically_normal();
    const fs::path rel = p.lexically_relative(fs::absolute(dir).lexically_normal());
    return (rel.empty() ? p : rel).generic_string();
}

/// Paths end their line; a backslash or line break in one is escaped.
std::string escape(const std::string &s) {
    std::string out;
    for (char ch : s) {
        if (ch == '\\') {
            out += "\\\\";
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else {
            out += ch;
        }
    }
    return out;
}

std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
            out += s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
        } else {
            out += s[i];
        }
    }
    return out;
}

/// A claim's verdict as written in a lock.
std::optional<Status> verdict_of(std::string_view s) {
    for (Status st :
         {Status::Supported, Status::Unknown, Status::Undeveloped, Status::Unsupported}) {
        if (s == prove::verdict_name(st)) {
            return st;
        }
    }
    return std::nullopt;
}

/// A piece of evidence's status as written in a lock.
std::optional<Status> evidence_status_of(std::string_view s) {
    for (Status st : {Status::Supported, Status::Unknown, Status::Unsupported}) {
        if (s == prove::evidence_status_name(st)) {
            return st;
        }
    }
    return std::nullopt;
}

/// Splits `line` at runs of spaces into at most `n` fields, the last taking the rest.
std::vector<std::string_view> fields(std::string_view line, std::size_t n) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size() && out.size() + 1 < n) {
        const std::size_t end = line.find(' ', i);
        if (end == std::string_view::npos) {
            break;
        }
        out.push_back(line.substr(i, end - i));
        i = line.find_first_not_of(' ', end);
        if (i == std::string_view::npos) {
            return out;
        }
    }
    if (i < line.size()) {
        out.push_back(line.substr(i));
    }
    return out;
}

bool is_hex64(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

} // namespace

std::string fingerprint(std::string_view text) {
    std::string norm;
    bool space = false;
    bool after_string = false; // the last token appended was a string literal
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') { // a string literal, verbatim up to its closing quote
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != '"') {
                j += text[j] == '\\' ? 2 : 1;
            }
            j = std::min(j, text.size() - 1);
            if (after_string && norm.back() == '"') {
                // Adjacent literals are one string: `"a " "b"` is the same text as `"a b"`.
                norm.pop_back();
                norm.append(text.substr(i + 1, j - i));
            } else {
                if (space && !norm.empty()) {
                    norm += ' ';
                }
                norm.append(text.substr(i, j - i + 1));
            }
            space = false;
            after_string = true;
            i = j;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            const std::size_t eol = text.find('\n', i);
            i = eol == std::string_view::npos ? text.size() : eol - 1;
            space = true;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const std::size_t close = text.find("*/", i + 2);
            i = close == std::string_view::npos ? text.size() : close + 1;
            space = true;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = true;
        } else {
            if (space && !norm.empty()) {
                norm += ' ';
            }
            space = false;
            after_string = false;
            norm += c;
        }
    }
    return support::sha256_hex(norm);
}

Lock make_lock(const sema::Program &program, const support::SourceManager &sources,
               const prove::ProofResult &result, const std::vector<std::string> &case_files,
               const std::string &lock_dir) {
    Lock lock;
    for (const auto &f : case_files) {
        lock.case_files.push_back(relative_to(f, lock_dir));
    }
    for (const auto &m : program.modules) {
        const std::string path = m.is_stdlib ? sources.display_name(m.file)
                                             : relative_to(sources.disk_path(m.file), lock_dir);
        lock.files.push_back({support::sha256_hex(sources.raw_text(m.file)), path});
    }
    for (std::uint32_t a = 0; a < program.artifacts.size(); ++a) {
        const auto &art = program.artifacts[a];
        const auto &mod = program.modules[program.decl(art.decl).module];
        const fs::path disk = fs::path(sources.disk_path(mod.file)).parent_path() / art.path;
        const auto &actual = result.artifacts[a].actual;
        lock.artifacts.push_back({program.qualified_name(art.decl),
                                  actual.empty() ? "missing" : actual,
                                  relative_to(disk.string(), lock_dir)});
    }
    for (std::uint32_t d = 0; d < program.decls.size(); ++d) {
        const sema::Decl &decl = program.decls[d];
        if (program.modules[decl.module].is_stdlib) {
            continue;
        }
        lock.declarations.push_back({sema::kind_name(decl.kind), program.qualified_name({d}),
                                     fingerprint(sources.text(decl.span))});
    }
    for (std::uint32_t ei = 0; ei < program.evidence.size(); ++ei) {
        const auto &ev = program.evidence[ei];
        const Status s = result.status(ev.decl);
        lock.evidence.push_back({program.qualified_name(ev.decl), prove::evidence_status_name(s),
                                 prove::evidence_result_text(program, result, ei)});
        if (s == Status::Supported && ev.valid_until &&
            (!lock.holds_until || *ev.valid_until < *lock.holds_until)) {
            lock.holds_until = ev.valid_until;
        }
        // Evidence dated in the future becomes valid on its date: the verdicts hold until the
        // day before.
        if (ev.date && result.date < *ev.date) {
            const sema::Date eve = sema::civil_from_days(sema::days_from_civil(*ev.date) - 1);
            if (!lock.holds_until || eve < *lock.holds_until) {
                lock.holds_until = eve;
            }
        }
    }
    std::vector<bool> top(program.decls.size());
    for (DeclId d : result.top_claims) {
        top[d.value] = true;
    }
    for (const auto &c : program.claims) {
        lock.claims.push_back({program.qualified_name(c.decl),
                               prove::verdict_name(result.status(c.decl)),
                               top[c.decl.value] ? "top" : ""});
    }
    auto by_name = [](const auto &a, const auto &b) { return a.name < b.name; };
    std::sort(lock.files.begin(), lock.files.end(),
              [](const auto &a, const auto &b) { return a.path < b.path; });
    std::sort(lock.artifacts.begin(), lock.artifacts.end(), by_name);
    std::sort(lock.declarations.begin(), lock.declarations.end(), by_name);
    std::sort(lock.evidence.begin(), lock.evidence.end(), by_name);
    std::sort(lock.claims.begin(), lock.claims.end(), by_name);
    return lock;
}

std::string render_lock(const Lock &lock) {
    std::string out = std::string(kHeader) +
                      ": the state of an assurance case when `assure lock` ran (docs/impact.md).\n"
                      "# Re-run `assure lock` rather than editing it: the last line is a SHA-256 "
                      "of the lines\n# before it, and a lock that does not match it is refused. "
                      "Paths are relative to this\n# file's folder.\n"
                      "format assure-lock " +
                      std::to_string(Lock::kVersion) + "\n";
    for (const auto &f : lock.case_files) {
        out += "case " + escape(f) + "\n";
    }
    out += "holds-until " +
           (lock.holds_until ? prove::format_date(*lock.holds_until) : std::string("never")) + "\n";
    out += "\n[files]\n";
    for (const auto &f : lock.files) {
        out += f.sha256 + "  " + escape(f.path) + "\n";
    }
    out += "\n[artifacts]\n";
    for (const auto &a : lock.artifacts) {
        out += a.name + "  " + a.sha256 + "  " + escape(a.path) + "\n";
    }
    out += "\n[declarations]\n";
    for (const auto &d : lock.declarations) {
        out += d.name + "  " + d.kind + "  " + d.fingerprint + "\n";
    }
    out += "\n[evidence]\n";
    for (const auto &e : lock.evidence) {
        out += e.name + "  " + e.status + "  " + e.detail + "\n";
    }
    out += "\n[claims]\n";
    for (const auto &c : lock.claims) {
        out += c.name + "  " + c.status + (c.detail.empty() ? "" : "  " + c.detail) + "\n";
    }
    out += "\n";
    return out + digest_line(out);
}

std::string digest_line(std::string_view body) {
    std::string lf;
    lf.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (!(body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n')) {
            lf += body[i];
        }
    }
    return std::string(kDigestPrefix) + support::sha256_hex(lf) + "\n";
}

bool looks_like_lock(std::string_view text) {
    return text.substr(0, kHeader.size()) == kHeader;
}

namespace {

/// The lines of a lockfile one by one, without their line end (LF or CR LF), numbered from 1.
class LineReader {
  public:
    explicit LineReader(std::string_view text) : text_(text) {}
    bool next(std::string_view &line) {
        if (pos_ >= text_.size()) {
            return false;
        }
        const std::size_t nl = text_.find('\n', pos_);
        line =
            text_.substr(pos_, nl == std::string_view::npos ? std::string_view::npos : nl - pos_);
        pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
        ended_ = nl != std::string_view::npos;
        ++number_;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        return true;
    }
    [[nodiscard]] std::size_t number() const { return number_; }
    /// Whether the line last read was closed by a line end (not cut off by the end of text).
    [[nodiscard]] bool ended() const { return ended_; }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t number_ = 0;
    bool ended_ = false;
};

/// Checks the lockfile's format line and closing digest; on success `body` is the text before
/// the digest line.
bool check_seal(std::string_view text, std::string_view &body, LockError &error) {
    // The format line first: an older lock is told to be regenerated, not called damaged.
    std::size_t line_no = 0;
    LineReader lines(text);
    std::string_view line;
    while (lines.next(line)) {
        line_no = lines.number();
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const std::string want = "format assure-lock " + std::to_string(Lock::kVersion);
        const std::string_view version =
            line.substr(0, 19) == "format assure-lock " ? line.substr(19) : std::string_view();
        const bool number = !version.empty() && lines.ended() &&
                            std::all_of(version.begin(), version.end(),
                                        [](char ch) { return ch >= '0' && ch <= '9'; });
        if (number && line != want) {
            error = {support::Code::E0603, line_no,
                     "format `assure-lock " + std::string(version) +
                         "` is not one this assure reads (" + want.substr(7) + ")" +
                         (version == "1" ? "; a version 1 lock has no integrity digest: "
                                           "regenerate it with `assure lock`"
                                         : "")};
            return false;
        }
        break; // a missing or misspelt format line is reported with the other lines
    }
    // The last line: `digest sha256 HEX`, over everything before it.
    std::string_view rest = text;
    if (!rest.empty() && rest.back() == '\n') {
        rest.remove_suffix(1);
    }
    const std::size_t last_nl = rest.rfind('\n');
    const std::size_t last_start = last_nl == std::string_view::npos ? 0 : last_nl + 1;
    std::string_view last = rest.substr(last_start);
    if (!last.empty() && last.back() == '\r') {
        last.remove_suffix(1);
    }
    const std::size_t last_line =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + last_start, '\n')) + 1;
    if (last.substr(0, kDigestPrefix.size()) != kDigestPrefix) {
        error = {support::Code::E0602, last_line,
                 "the lockfile does not end with its `digest sha256 ...` line: it was cut short "
                 "or not written by `assure lock`; regenerate it with `assure lock`"};
        return false;
    }
    const std::string_view hex = last.substr(kDigestPrefix.size());
    body = text.substr(0, last_start);
    if (!is_hex64(hex)) {
        error = {support::Code::E0602, last_line,
                 "the digest line is damaged (expected `digest sha256` and 64 lower-case "
                 "hexadecimal digits); regenerate the lockfile with `assure lock`"};
        return false;
    }
    if (digest_line(body) != std::string(last) + "\n") {
        error = {support::Code::E0602, last_line,
                 "the lockfile does not match its digest: it was edited or damaged after "
                 "`assure lock` wrote it; regenerate it with `assure lock`"};
        return false;
    }
    return true;
}

} // namespace

std::optional<Lock> parse_lock(std::string_view text, std::string &error) {
    LockError e;
    auto lock = parse_lock(text, e);
    if (!lock) {
        error = "line " + std::to_string(e.line) + ": " + e.message;
    }
    return lock;
}

std::optional<Lock> parse_lock(std::string_view text, LockError &error) {
    if (!looks_like_lock(text)) {
        error = {support::Code::E0601, 1,
                 "not an assure lockfile (it must start with `# assure lockfile`)"};
        return std::nullopt;
    }
    std::string_view body;
    if (!check_seal(text, body, error)) {
        return std::nullopt;
    }
    text = body;
    Lock lock;
    std::string section;
    std::vector<std::string> seen; // the sections met so far
    bool versioned = false;
    std::size_t line_no = 0;
    auto fail = [&](const std::string &what) {
        error = {support::Code::E0601, line_no, what};
        return std::nullopt;
    };
    LineReader lines(text);
    std::string_view line;
    while (lines.next(line)) {
        line_no = lines.number();
        // A lock is UTF-8 text (assure writes the case's names and paths, which are): anything
        // else was not written by assure, and would garble reports.
        if (support::find_invalid_utf8(line) != std::string_view::npos) {
            return fail("the line is not UTF-8 text");
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.front() == '[' && line.back() == ']') {
            section = std::string(line.substr(1, line.size() - 2));
            static const char *kSections[] = {"files", "artifacts", "declarations", "evidence",
                                              "claims"};
            if (std::find(std::begin(kSections), std::end(kSections), section) ==
                std::end(kSections)) {
                return fail("unknown section [" + section + "]");
            }
            if (std::find(seen.begin(), seen.end(), section) != seen.end()) {
                return fail("a second [" + section + "] section");
            }
            seen.push_back(section);
            continue;
        }
        if (section.empty()) {
            const auto f = fields(line, 2);
            if (f.size() == 2 && f[0] == "format") {
                if (f[1] != "assure-lock " + std::to_string(Lock::kVersion)) {
                    return fail("format `" + std::string(f[1]) +
                                "` is not one this assure reads (assure-lock " +
                                std::to_string(Lock::kVersion) + ")");
                }
                versioned = true;
            } else if (f.size() == 2 && f[0] == "case") {
                lock.case_files.push_back(unescape(f[1]));
            } else if (f.size() == 2 && f[0] == "holds-until") {
                if (f[1] != "never") {
                    lock.holds_until = prove::parse_date(f[1]);
                    if (!lock.holds_until) {
                        return fail("holds-until needs a date YYYY-MM-DD or `never`");
                    }
                }
            } else {
                return fail("expected `format`, `case` or `holds-until` before the sections");
            }
            continue;
        }
        if (section == "files") {
            const auto f = fields(line, 2);
            if (f.size() != 2 || (!is_hex64(f[0]) && f[0] != "missing")) {
                return fail("expected SHA256  PATH");
            }
            lock.files.push_back({std::string(f[0]), unescape(f[1])});
        } else if (section == "artifacts") {
            const auto f = fields(line, 3);
            if (f.size() != 3 || (!is_hex64(f[1]) && f[1] != "missing")) {
                return fail("expected NAME  SHA256  PATH");
            }
            lock.artifacts.push_back({std::string(f[0]), std::string(f[1]), unescape(f[2])});
        } else if (section == "declarations") {
            const auto f = fields(line, 4);
            if (f.size() != 3 || !is_hex64(f[2])) {
                return fail("expected NAME  KIND  FINGERPRINT");
            }
            lock.declarations.push_back({std::string(f[1]), std::string(f[0]), std::string(f[2])});
        } else if (section == "evidence") {
            const auto f = fields(line, 4);
            if (f.size() != 3 || !evidence_status_of(f[1])) {
                return fail("expected NAME  valid|invalid|unknown  RESULT");
            }
            lock.evidence.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2])});
        } else {
            const auto f = fields(line, 4);
            if (f.size() < 2 || f.size() > 3 || !verdict_of(f[1]) ||
                (f.size() == 3 && f[2] != "top")) {
                return fail("expected NAME  VERDICT [top]");
            }
            lock.claims.push_back(
                {std::string(f[0]), std::string(f[1]), f.size() == 3 ? "top" : ""});
        }
    }
    if (!versioned) {
        line_no = 1;
        return fail("no `format assure-lock N` line");
    }
    // A lock cut short at a line's end would otherwise read as one without those claims.
    for (const char *name : {"files", "artifacts", "declarations", "evidence", "claims"}) {
        if (std::find(seen.begin(), seen.end(), name) == seen.end()) {
            return fail("no [" + std::string(name) + "] section (is the lockfile cut short?)");
        }
    }
    return lock;
}

Baseline baseline_of(const Lock &lock) {
    Baseline b;
    for (const auto &e : lock.evidence) {
        b.evidence.emplace(e.name, *evidence_status_of(e.status));
    }
    for (const auto &c : lock.claims) {
        b.claims.emplace(c.name, *verdict_of(c.status));
        if (c.detail == "top") {
            b.top.insert(c.name);
        }
    }
    return b;
}

namespace {

/// Adds the differences of two keyed tables, in key order.
template <typename T, typename Key, typename Same, typename Emit>
void compare(const std::vector<T> &then, const std::vector<T> &now, Key key, Same same, Emit emit) {
    std::map<std::string, const T *> a;
    std::map<std::string, const T *> b;
    for (const T &t : then) {
        a.emplace(key(t), &t);
    }
    for (const T &t : now) {
        b.emplace(key(t), &t);
    }
    auto ia = a.begin();
    auto ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
        if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
            emit(LockChange::How::Removed, ia->second, nullptr);
            ++ia;
        } else if (ia == a.end() || ib->first < ia->first) {
            emit(LockChange::How::Added, nullptr, ib->second);
            ++ib;
        } else {
            if (!same(*ia->second, *ib->second)) {
                emit(LockChange::How::Changed, ia->second, ib->second);
            }
            ++ia;
            ++ib;
        }
    }
}

} // namespace

std::vector<LockChange> diff(const Lock &locked, const Lock &now, sema::Date date) {
    std::vector<LockChange> out;
    using What = LockChange::What;
    compare(
        locked.files, now.files, [](const Lock::File &f) { return f.path; },
        [](const Lock::File &x, const Lock::File &y) { return x.sha256 == y.sha256; },
        [&](LockChange::How how, const Lock::File *x, const Lock::File *y) {
            out.push_back(
                {What::File, how, (y ? y : x)->path, "", x ? x->sha256 : "", y ? y->sha256 : ""});
        });
    compare(
        locked.artifacts, now.artifacts, [](const Lock::Artifact &a) { return a.name; },
        [](const Lock::Artifact &x, const Lock::Artifact &y) { return x.sha256 == y.sha256; },
        [&](LockChange::How how, const Lock::Artifact *x, const Lock::Artifact *y) {
            out.push_back({What::Artifact, how, (y ? y : x)->name, "", x ? x->sha256 : "",
                           y ? y->sha256 : ""});
        });
    compare(
        locked.declarations, now.declarations, [](const Lock::Declaration &d) { return d.name; },
        [](const Lock::Declaration &x, const Lock::Declaration &y) {
            return x.fingerprint == y.fingerprint && x.kind == y.kind;
        },
        [&](LockChange::How how, const Lock::Declaration *x, const Lock::Declaration *y) {
            out.push_back({What::Declaration, how, (y ? y : x)->name, (y ? y : x)->kind, "", ""});
        });
    if (locked.holds_until && *locked.holds_until < date) {
        out.push_back({What::Expiry, LockChange::How::Changed,
                       prove::format_date(*locked.holds_until), "", "", ""});
    }
    return out;
}

std::string describe(const LockChange &c) {
    const char *how = c.how == LockChange::How::Added     ? "added"
                      : c.how == LockChange::How::Removed ? "removed"
                                                          : "changed";
    auto short_hash = [](const std::string &h) { return h.size() == 64 ? h.substr(0, 12) : h; };
    switch (c.what) {
    case LockChange::What::File:
        return "file " + c.name + " " + how;
    case LockChange::What::Artifact:
        if (c.how == LockChange::How::Changed) {
            return "artifact " + c.name + ": contents changed (sha256 " + short_hash(c.before) +
                   "... then, " + short_hash(c.after) + "... now)";
        }
        return "artifact " + c.name + " " + how;
    case LockChange::What::Declaration:
        return c.kind + " " + c.name + ": " +
               (c.how == LockChange::How::Changed ? std::string("text changed")
                                                  : "declaration " + std::string(how));
    case LockChange::What::Expiry:
        return "the date is past " + c.name +
               ", the last day on which every evidence status recorded in the lock held";
    }
    return "";
}

} // namespace assure::impact
