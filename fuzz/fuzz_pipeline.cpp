// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the whole proof pipeline on a small case. The input is the text of a case,
// written to case.assure in a scratch folder, with directives in its comments:
//
//   // file PATH: CONTENT      writes CONTENT and a line break to PATH (an artifact or a module
//                             to import; PATH relative, of [A-Za-z0-9_.-/], no `..`)
//   // change: SPEC           a --change spec for `assure impact`
//   // args: ... --change SPEC ...   the same, as the golden tests write it
//
// Then, in-process and with small solver limits: `assure prove` (text or JSON, sometimes with
// --trace), `assure explain` of one of its claims, `assure impact` with the changes given (or,
// with none, one made up from an evidence or artifact name in the text), and `assure lock`
// followed by `assure impact --since` that lock after the first file directive's contents
// changed. Which variants run is chosen by a hash of the input, so a finding reproduces. Seeds:
// fuzz/seeds/pipeline and the self-contained golden cases.
#include "fuzz_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using assure::cli::ExitCode;

struct Directives {
    std::vector<std::pair<std::string, std::string>> files; // path, contents
    std::vector<std::string> changes;
};

bool safe_path(std::string_view path) {
    if (path.empty() || path.size() > 64 || path.front() == '/' || path == "case.assure") {
        return false;
    }
    const bool chars_ok = std::all_of(path.begin(), path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' ||
               c == '-' || c == '/';
    });
    return chars_ok && path.find("..") == std::string_view::npos &&
           path.find("//") == std::string_view::npos && path.back() != '/';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

Directives directives(std::string_view text) {
    Directives d;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        const std::string_view line = trim(text.substr(pos, nl - pos));
        pos = nl + 1;
        if (line.substr(0, 8) == "// file ") {
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos && d.files.size() < 8) {
                const std::string_view path = trim(line.substr(8, colon - 8));
                if (safe_path(path)) {
                    d.files.emplace_back(std::string(path),
                                         std::string(trim(line.substr(colon + 1))) + "\n");
                }
            }
        } else if (line.substr(0, 10) == "// change:") {
            d.changes.emplace_back(trim(line.substr(10)));
        } else if (line.substr(0, 8) == "// args:") {
            std::istringstream words{std::string(line.substr(8))};
            std::string word;
            bool next_is_change = false;
            while (words >> word) {
                if (next_is_change) {
                    d.changes.push_back(word);
                }
                next_is_change = word == "--change";
            }
        }
    }
    if (d.changes.size() > 6) {
        d.changes.resize(6);
    }
    return d;
}

/// The names declared with `keyword NAME` in `text` (a rough scan, good enough to pick targets).
std::vector<std::string> declared(std::string_view text, std::string_view keyword) {
    std::vector<std::string> names;
    for (std::size_t at = text.find(keyword); at != std::string_view::npos && names.size() < 32;
         at = text.find(keyword, at + 1)) {
        const bool starts = at == 0 || std::isspace(static_cast<unsigned char>(text[at - 1]));
        std::size_t p = at + keyword.size();
        if (!starts || p >= text.size() || text[p] != ' ') {
            continue;
        }
        while (p < text.size() && text[p] == ' ') {
            ++p;
        }
        std::size_t end = p;
        while (end < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) {
            ++end;
        }
        if (end > p) {
            names.emplace_back(text.substr(p, end - p));
        }
    }
    return names;
}

void run(const char *what,
         ExitCode (*command)(const assure::cli::ProveOptions &, std::ostream &, std::ostream &),
         const assure::cli::ProveOptions &options, ExitCode *code = nullptr) {
    std::ostringstream out;
    std::ostringstream err;
    const ExitCode c = command(options, out, err);
    assure::fuzz::require_no_internal_error(c, what, err.str());
    if (code != nullptr) {
        *code = c;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    namespace cli = assure::cli;
    const std::string text(reinterpret_cast<const char *>(data), size);
    const std::uint64_t hash = assure::fuzz::input_hash(text);
    static const fs::path dir = assure::fuzz::scratch() / "pipeline";
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    const fs::path file = dir / "case.assure";
    assure::fuzz::write_file(file, text);
    const Directives d = directives(text);
    for (const auto &[path, contents] : d.files) {
        assure::fuzz::write_file(dir / path, contents);
    }

    auto options = assure::fuzz::prove_options(file);
    options.format = (hash & 1) != 0 ? "json" : "text";
    if ((hash >> 1) % 8 == 0) {
        options.trace_dir = (dir / "trace").string();
    }
    ExitCode proved = ExitCode::Ok;
    run("prove", cli::run_prove, options, &proved);
    if (proved == ExitCode::InputErrors || proved == ExitCode::Usage) {
        return 0; // the case does not load: the front-end target's ground
    }
    options.trace_dir.clear();

    const auto claims = declared(text, "claim");
    if (!claims.empty() && (hash >> 4) % 4 == 0) {
        auto explain = options;
        explain.claim = claims[(hash >> 6) % claims.size()];
        run("explain", cli::run_prove, explain);
    }

    auto impact = options;
    impact.changes = d.changes;
    if (impact.changes.empty()) {
        const auto evidence = declared(text, "evidence");
        const auto artifacts = declared(text, "artifact");
        static const char *kKinds[] = {"fail:", "pending:", "withdraw:", "expire:"};
        if (!artifacts.empty() && (hash >> 8) % 3 == 0) {
            impact.changes.push_back("artifact:" + artifacts[(hash >> 10) % artifacts.size()]);
        } else if (!evidence.empty()) {
            const std::string kind = kKinds[(hash >> 10) % 4];
            impact.changes.push_back(kind + evidence[(hash >> 12) % evidence.size()] +
                                     (kind == "expire:" ? "=2026-01-01" : ""));
        }
    }
    if (!impact.changes.empty()) {
        run("impact --change", cli::run_impact, impact);
    }

    if ((hash >> 16) % 4 == 0) {
        auto lock = options;
        lock.output = (dir / "assure.lock").string();
        lock.force = true;
        ExitCode locked = ExitCode::Ok;
        run("lock", cli::run_lock, lock, &locked);
        if (locked == ExitCode::Ok) {
            if (!d.files.empty()) {
                assure::fuzz::write_file(dir / d.files.front().first,
                                         d.files.front().second + "changed\n");
            }
            auto since = options;
            since.since = lock.output;
            run("impact --since", cli::run_impact, since);
        }
    }
    return 0;
}
