// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the commands of src/cli share (internal to src/cli): stage timings, run-scoped ownership,
// the front end and diagnostics about the command line and the files it names.

#include "cli/driver.hpp"
#include "dsl/loader.hpp"
#include "dsl/sema/program.hpp"
#include "lower/lower.hpp"
#include "support/diagnostics.hpp"
#include "support/safe_fs.hpp"
#include "support/source_manager.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

namespace assure::report {
struct ProofMeta;
}
namespace assure::prove {
struct ProveOptions;
}

namespace assure::cli {

/// With --verbose, the time and memory of each stage on stderr.
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
    /// Prints `line` on its own line among the timings (only with --verbose).
    void note(const std::string &line) {
        if (enabled_) {
            err_ << line << "\n";
        }
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

    bool enabled_;
    std::ostream &err_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

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
    RunScoped() = default;
    explicit RunScoped(T value) : ptr_(std::make_unique<T>(std::move(value))) {}
    void reset(T value) { ptr_ = std::make_unique<T>(std::move(value)); }
    ~RunScoped() {
        if (!kSanitized && !free_) {
            (void)ptr_.release();
        }
    }
    /// Frees the value on destruction after all (a long-running service replacing it).
    void free_on_destruction() { free_ = true; }
    RunScoped(const RunScoped &) = delete;
    RunScoped &operator=(const RunScoped &) = delete;
    T &operator*() const { return *ptr_; }
    T *operator->() const { return ptr_.get(); }

  private:
    std::unique_ptr<T> ptr_;
    bool free_ = false;
};

/// The stages every command shares: load, parse, resolve, lower, check the structure.
struct FrontEnd {
    RunScoped<support::SourceManager> sources{support::SourceManager{}};
    RunScoped<dsl::LoadedCase> loaded;
    RunScoped<sema::Program> program;
    RunScoped<lower::Lowered> lowered;
    support::Diagnostics diags;
    /// For a front end that does not live as long as the process (`assure serve` reloads).
    void free_on_destruction() {
        sources.free_on_destruction();
        loaded.free_on_destruction();
        program.free_on_destruction();
        lowered.free_on_destruction();
    }
};

/// Renders `diags` (sorted, deduplicated) to `err` as text or JSON. `of_case`: they are the
/// case's, so an error count closes the text.
void emit_diagnostics(support::Diagnostics &diags, const support::SourceManager &sources,
                      const CheckOptions &options, std::ostream &err, bool of_case = true);

/// Diagnostics about the command line and the files it names (lockfiles, outputs), apart
/// from the case's: each argument pointed into becomes a one-line buffer.
struct ArgDiags {
    support::SourceManager sources;
    support::Diagnostics diags;

    /// Reports `code` at bytes [offset, offset + length) of the argument text `arg` (shown as
    /// `<command line>`).
    support::Diagnostic &at(support::Code code, const std::string &arg, std::size_t offset,
                            std::size_t length, std::string message, std::string label = {}) {
        const support::FileId f = sources.add("<command line>", arg);
        return diags.error(code,
                           support::Span{f, static_cast<std::uint32_t>(offset),
                                         static_cast<std::uint32_t>(offset + length)},
                           std::move(message), std::move(label));
    }
    /// Reports `code` without a location in a buffer (the message names the path).
    support::Diagnostic &plain(support::Code code, std::string message) {
        return diags.error(code, support::Span{}, std::move(message));
    }
    /// Renders what was reported and returns `code`.
    ExitCode emit(const CheckOptions &options, std::ostream &err, ExitCode code) {
        emit_diagnostics(diags, sources, options, err, /*of_case=*/false);
        return code;
    }
};

/// The code and exit code of a file-system refusal or failure of an output.
std::pair<support::Code, ExitCode> fs_code(const support::FsError &e);

/// Reports a refused or failed write of `what` and returns its exit code.
ExitCode report_write(ArgDiags &ad, const support::FsError &e, const std::string &what,
                      const CheckOptions &options, std::ostream &err);

/// Runs the front end. Returns false when it stopped early (no module loaded, or the AST was
/// dumped); the caller then only reports the diagnostics.
bool run_front(const CheckOptions &options, FrontEnd &fe, StageTimer &timer, std::ostream &out);

/// What prove, explain, impact, lock and diagram share before deciding anything: the run's
/// metadata and date (from --at), and the front end. Returns an exit code when it cannot go on.
/// `json_format`: the document `--format json` prints (prove, impact), which on input errors
/// becomes the input-errors document; nullptr when the command prints none (explain, lock).
std::optional<ExitCode> prepare(const ProveOptions &options, report::ProofMeta &meta,
                                sema::Date &date, FrontEnd &fe, StageTimer &timer,
                                std::ostream &out, std::ostream &err, const char *json_format);

/// The proof engine's options from the command line's, judged at `date`.
prove::ProveOptions proof_options(const ProveOptions &options, sema::Date date);

} // namespace assure::cli
