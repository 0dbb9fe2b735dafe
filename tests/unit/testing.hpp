// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers for unit tests: run the front end on in-memory sources.

#include "dsl/loader.hpp"
#include "dsl/sema/analyze.hpp"
#include "ir/analysis.hpp"
#include "lower/lower.hpp"
#include "support/decimal.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <memory>
#include <stdlib.h>
#include <string>
#include <vector>

namespace assure::testing {

struct Checked {
    std::unique_ptr<support::SourceManager> sources = std::make_unique<support::SourceManager>();
    support::Diagnostics diags;
    sema::Program program;

    /// The source text a diagnostic's span covers.
    [[nodiscard]] std::string text_of(support::Span span) const {
        return std::string(sources->text(span));
    }
    [[nodiscard]] std::vector<support::Code> codes() const {
        std::vector<support::Code> out;
        for (const auto &d : diags.all()) {
            out.push_back(d.code);
        }
        return out;
    }
    [[nodiscard]] const support::Diagnostic *find(support::Code code) const {
        for (const auto &d : diags.all()) {
            if (d.code == code) {
                return &d;
            }
        }
        return nullptr;
    }
    [[nodiscard]] std::size_t count(support::Code code) const {
        const auto c = codes();
        return static_cast<std::size_t>(std::count(c.begin(), c.end(), code));
    }
};

/// Parses, resolves and structure-checks `files` (name, text) like `assure check` does.
inline Checked check_files(const std::vector<std::pair<std::string, std::string>> &files) {
    Checked r;
    std::vector<support::FileId> ids;
    for (const auto &[name, text] : files) {
        ids.push_back(r.sources->add(name, text));
    }
    dsl::LoadOptions opts;
    opts.stdlib_dir = std::string(ASSURE_SOURCE_DIR) + "/stdlib";
    auto loaded = dsl::load_buffers(ids, opts, *r.sources, r.diags);
    const std::size_t before = r.diags.error_count();
    r.program = sema::analyze(loaded, *r.sources, r.diags);
    sema::check_empty_regions(r.program, r.diags);
    if (before == 0 && r.diags.error_count() == 0) {
        auto lowered = lower::lower_graph(r.program);
        ir::check_structure(lowered.graph, r.diags);
    }
    r.diags.sort_and_dedupe();
    return r;
}

inline Checked check(const std::string &text) {
    return check_files({{"test.assure", text}});
}

/// The exact decimal `text` (which must parse).
inline support::Decimal dec(const char *text) {
    auto d = support::Decimal::parse(text);
    REQUIRE(d.has_value());
    return *d;
}

/// A fresh temporary folder, removed with its contents at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "assure-test-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    /// `rel` inside the folder.
    [[nodiscard]] std::string at(const std::string &rel) const { return (path / rel).string(); }
};

} // namespace assure::testing
