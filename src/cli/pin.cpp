// SPDX-License-Identifier: Apache-2.0
// `assure pin` and `assure pin --check` (docs/pin.md).
#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "pin/plan.hpp"
#include "support/safe_fs.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace assure::cli {

namespace {

std::string count(std::size_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string artifacts(std::size_t n) {
    return count(n, "artifact", "artifacts");
}

/// A resolved path relative to the working folder when it is below it (output stays the same
/// from one checkout to another), else as it is.
std::string below_working_folder(const std::string &resolved) {
    const std::string cwd = support::resolve_path(".");
    if (resolved.size() > cwd.size() + 1 && resolved.compare(0, cwd.size(), cwd) == 0 &&
        resolved[cwd.size()] == '/') {
        return resolved.substr(cwd.size() + 1);
    }
    return resolved;
}

/// Reports a case file that was not rewritten.
void report_not_written(support::Diagnostics &diags, const std::string &shown,
                        const support::FsError &e) {
    switch (e.problem) {
    case support::FsProblem::NotRegular: {
        auto &d = diags.error(support::Code::E0609, support::Span{},
                              "case file `" + shown + "` not written: it " + e.message);
        d.help = "pin never writes through a symbolic link or onto anything but a regular "
                 "file: give pin the file the link leads to (" +
                 below_working_folder(support::resolve_path(shown)) + ")";
        return;
    }
    case support::FsProblem::InTheWay:
    case support::FsProblem::NotFound: {
        auto &d = diags.error(support::Code::E0614, support::Span{},
                              "case file `" + shown + "` not written: it " +
                                  (e.problem == support::FsProblem::NotFound
                                       ? std::string("was removed since it was read")
                                       : e.message));
        d.help = "run assure pin again on the case as it is now";
        return;
    }
    default: {
        auto &d = diags.error(support::Code::E0612, support::Span{},
                              "case file `" + shown + "` not written: it " + e.message);
        if (e.message == "is read-only") {
            d.help = "pin leaves read-only files alone: make it writable (chmod u+w) to pin it";
        }
        return;
    }
    }
}

/// Writes the planned edits of one case file; false with `error` when it was not written.
bool write_change(const support::SourceManager &sources, const pin::FileChange &change,
                  support::FsError &error) {
    const std::filesystem::path path(sources.disk_path(change.file));
    std::string folder = path.parent_path().string();
    if (folder.empty()) {
        folder = ".";
    }
    const auto dir = support::OutputDir::open(folder, /*create=*/false, /*follow=*/true, error);
    if (!dir) {
        return false;
    }
    const std::string_view before = sources.raw_text(change.file);
    return dir->replace(path.filename().string(), before, pin::apply_edits(before, change.edits),
                        error);
}

} // namespace

ExitCode run_pin(const PinOptions &options, std::ostream &out, std::ostream &err) {
    const CheckOptions &common = options.common;
    StageTimer timer(common.verbose, err);
    FrontEnd fe;
    if (!run_front(common, fe, timer, out) || fe.diags.has_errors()) {
        emit_diagnostics(fe.diags, *fe.sources, common, err);
        if (!fe.diags.has_errors()) {
            err << "error: nothing was pinned\n";
        }
        return ExitCode::InputErrors;
    }
    const support::SourceManager &sources = *fe.sources;
    const pin::Plan plan = pin::plan_pins(*fe.program, sources, pin::PinEnv{}, fe.diags);
    timer.done("hash");

    const std::string name = options.check ? "assure pin --check: " : "assure pin: ";
    const std::size_t stale = plan.added + plan.replaced;
    std::vector<std::string> parts;
    ExitCode code = ExitCode::Ok;
    if (options.check) {
        for (const pin::FileChange &change : plan.files) {
            out << pin::render_diff(sources.display_name(change.file),
                                    sources.raw_text(change.file), change.edits);
        }
        if (stale > 0) {
            std::string which;
            if (plan.added > 0) {
                which = std::to_string(plan.added) + " without a hash";
            }
            if (plan.replaced > 0) {
                which += (which.empty() ? "" : ", ") + std::to_string(plan.replaced) + " stale";
            }
            parts.push_back(artifacts(stale) + " in " + count(plan.files.size(), "file", "files") +
                            (stale == 1 ? " is not pinned to the current contents of its file ("
                                        : " are not pinned to the current contents of their "
                                          "files (") +
                            which + ")");
        }
        code = stale > 0 || plan.refused > 0 ? ExitCode::NotSupported : ExitCode::Ok;
    } else {
        std::size_t pinned = 0;
        std::vector<std::string> written;
        std::vector<std::string> failed;
        std::size_t unpinned = 0; // artifacts of the files not written
        for (const pin::FileChange &change : plan.files) {
            const std::string &shown = sources.display_name(change.file);
            support::FsError error;
            if (!write_change(sources, change, error)) {
                report_not_written(fe.diags, shown, error);
                failed.push_back(shown);
                unpinned += change.edits.size();
                continue;
            }
            out << pin::render_diff(shown, sources.raw_text(change.file), change.edits);
            written.push_back(shown);
            pinned += change.edits.size();
        }
        const auto list = [](const std::vector<std::string> &names) {
            std::string joined;
            for (const std::string &n : names) {
                joined += (joined.empty() ? "" : ", ") + n;
            }
            return joined;
        };
        if (pinned > 0) {
            // When some file failed, which were written matters: name them.
            parts.push_back("pinned " + artifacts(pinned) + " in " +
                            count(written.size(), "file", "files") +
                            (failed.empty() ? "" : " (" + list(written) + ")"));
        }
        if (!failed.empty()) {
            parts.push_back("not written: " + list(failed) + " (" + artifacts(unpinned) +
                            " not pinned)");
            code = ExitCode::Usage;
        } else if (plan.refused > 0) {
            code = ExitCode::NotSupported;
        }
    }
    if (plan.artifacts == 0) {
        parts.push_back("the case's files declare no artifacts");
    } else if (stale == 0 && plan.refused == 0) {
        parts.push_back(plan.current == 1 ? "the artifact is pinned and up to date"
                                          : "all " + std::to_string(plan.current) +
                                                " artifacts are pinned and up to date");
    } else if (plan.current > 0) {
        const bool one = plan.current == 1;
        parts.push_back(std::to_string(plan.current) +
                        (options.check ? (one ? " is" : " are") : (one ? " was" : " were")) +
                        " up to date");
    }
    if (plan.refused > 0) {
        parts.push_back(std::to_string(plan.refused) + " cannot be pinned (see the errors)");
    }
    if (options.check || stale == 0) {
        parts.push_back("nothing written");
    }
    std::string summary;
    for (const std::string &p : parts) {
        summary += (summary.empty() ? "" : "; ") + p;
    }
    out << name << summary << "\n";
    emit_diagnostics(fe.diags, sources, common, err, /*of_case=*/false);
    timer.done("pin");
    return code;
}

} // namespace assure::cli
