// SPDX-License-Identifier: Apache-2.0
#include "cli/driver.hpp"

#include "dsl/loader.hpp"
#include "dsl/printer.hpp"
#include "dsl/sema/analyze.hpp"
#include "ir/analysis.hpp"
#include "lower/lower.hpp"
#include "report/diagnostics_json.hpp"
#include "report/summary.hpp"
#include "support/render.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <ostream>
#include <thread>

namespace assure::cli {

std::string default_stdlib_dir() {
    if (const char *env = std::getenv("ASSURE_STDLIB"); env != nullptr && *env != '\0') {
        return env;
    }
    return ASSURE_STDLIB_DIR;
}

namespace {

class StageTimer {
  public:
    StageTimer(bool enabled, std::ostream &err) : enabled_(enabled), err_(err) {}
    void done(const char *stage) {
        const auto now = std::chrono::steady_clock::now();
        if (enabled_) {
            const double ms = std::chrono::duration<double, std::milli>(now - last_).count();
            char buf[128];
            std::snprintf(buf, sizeof buf, "timing: %-9s %10.1f ms  rss %6ld MB  peak %6ld MB\n",
                          stage, ms, status_mb("VmRSS:"), status_mb("VmHWM:"));
            err_ << buf;
        }
        last_ = now;
    }

  private:
    /// A memory figure of this process from /proc/self/status, in MB (0 where unavailable).
    static long status_mb(const char *key) {
        std::FILE *f = std::fopen("/proc/self/status", "r");
        if (f == nullptr) {
            return 0;
        }
        char line[256];
        long kb = 0;
        const std::size_t key_len = std::strlen(key);
        while (std::fgets(line, sizeof line, f) != nullptr) {
            if (std::strncmp(line, key, key_len) == 0) {
                kb = std::strtol(line + key_len, nullptr, 10);
                break;
            }
        }
        std::fclose(f);
        return kb / 1024;
    }

  public:
  private:
    bool enabled_;
    std::ostream &err_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

void emit_diagnostics(support::Diagnostics &diags, const support::SourceManager &sources,
                      const CheckOptions &options, std::ostream &err) {
    diags.sort_and_dedupe();
    if (options.diagnostics_format == "json") {
        err << report::render_diagnostics_json(diags, sources);
        return;
    }
    for (const auto &d : diags.all()) {
        err << support::render_text(d, sources) << "\n";
    }
    if (diags.has_errors()) {
        err << "error: the case has " << diags.error_count()
            << (diags.error_count() == 1 ? " error" : " errors");
        if (diags.warning_count() > 0) {
            err << " and " << diags.warning_count()
                << (diags.warning_count() == 1 ? " warning" : " warnings");
        }
        err << "\n";
    }
}

} // namespace

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

/// Owns the big per-run structures. Freeing millions of small AST and program nodes at exit
/// costs seconds on large cases and the process is about to end anyway, so, like clang's
/// -disable-free, the memory is handed back to the OS with the process instead. Sanitizer builds
/// free everything, so leak checking stays meaningful.
template <typename T> class RunScoped {
  public:
    explicit RunScoped(T value) : ptr_(std::make_unique<T>(std::move(value))) {}
    ~RunScoped() {
        if (!kSanitized) {
            (void)ptr_.release();
        }
    }
    RunScoped(const RunScoped &) = delete;
    RunScoped &operator=(const RunScoped &) = delete;
    T &operator*() const { return *ptr_; }
    T *operator->() const { return ptr_.get(); }

  private:
    std::unique_ptr<T> ptr_;
};

} // namespace

ExitCode run_check(const CheckOptions &options, std::ostream &out, std::ostream &err) {
    RunScoped<support::SourceManager> sources_owner{support::SourceManager{}};
    support::SourceManager &sources = *sources_owner;
    support::Diagnostics diags;
    StageTimer timer(options.verbose, err);

    dsl::LoadOptions load_options;
    load_options.stdlib_dir =
        options.stdlib_dir.empty() ? default_stdlib_dir() : options.stdlib_dir;
    load_options.include_dirs = options.include_dirs;
    const RunScoped<dsl::LoadedCase> loaded_owner{
        dsl::load_case(options.files, load_options, sources, diags)};
    dsl::LoadedCase &loaded = *loaded_owner;
    timer.done("parse");

    if (options.dump == "ast") {
        for (const auto &mod : loaded.modules) {
            if (mod.is_stdlib) {
                continue;
            }
            out << "// module " << mod.name << " (" << sources.display_name(mod.file) << ")\n"
                << dsl::print(mod.ast);
        }
        emit_diagnostics(diags, sources, options, err);
        return diags.has_errors() ? ExitCode::InputErrors : ExitCode::Ok;
    }

    if (loaded.modules.empty()) {
        emit_diagnostics(diags, sources, options, err);
        return ExitCode::InputErrors;
    }
    const std::size_t errors_before_sema = diags.error_count();
    const RunScoped<sema::Program> program_owner{sema::analyze(loaded, sources, diags)};
    const sema::Program &program = *program_owner;
    timer.done("resolve");

    // Structure checks need every reference resolved: a missing edge would show up as a
    // spurious "unsupported claim". Type errors do not change the graph, so they do not stop it.
    bool names_ok = errors_before_sema == 0;
    for (const auto &d : diags.all()) {
        const auto id = support::info(d.code).id;
        if (d.severity == support::Severity::Error &&
            (id.substr(0, 3) == "E02" || id.substr(0, 3) == "E00" || id.substr(0, 3) == "E01")) {
            names_ok = false;
        }
    }
    // The empty-region check only reads the program: run it on the second core meanwhile.
    support::Diagnostics region_diags;
    std::thread regions([&] { sema::check_empty_regions(program, region_diags); });
    const RunScoped<lower::Lowered> lowered_owner{lower::lower_graph(program)};
    const lower::Lowered &lowered = *lowered_owner;
    timer.done("lower");
    if (names_ok) {
        ir::check_structure(lowered.graph, diags);
    }
    regions.join();
    diags.append(std::move(region_diags));
    timer.done("structure");

    if (options.dump == "graph") {
        lowered.graph.dump(out);
    }

    const bool ok = !diags.has_errors();
    report::CheckSummary summary;
    if (ok && options.dump.empty()) {
        summary.modules = program.modules.size();
        for (const auto &m : program.modules) {
            summary.stdlib_modules += m.is_stdlib ? 1 : 0;
        }
        summary.claims = program.claims.size();
        summary.top_claims = ir::top_claims(lowered.graph).size();
        for (const auto &c : program.claims) {
            summary.undeveloped += c.undeveloped ? 1 : 0;
        }
        summary.strategies = program.strategies.size();
        summary.evidence = program.evidence.size();
        summary.defeaters = program.defeaters.size();
        summary.hazards = program.hazards.size();
        summary.rules = program.rules.size();
    }
    emit_diagnostics(diags, sources, options, err);
    summary.warnings = diags.warning_count();
    if (ok && options.dump.empty()) {
        out << (options.summary_format == "json" ? report::render_summary_json(summary)
                                                 : report::render_summary(summary));
    }
    timer.done("report");
    return ok ? ExitCode::Ok : ExitCode::InputErrors;
}

} // namespace assure::cli
