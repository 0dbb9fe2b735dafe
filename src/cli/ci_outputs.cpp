// SPDX-License-Identifier: Apache-2.0
#include "cli/ci_outputs.hpp"

#include "cli/output_file.hpp"
#include "report/ci/ci.hpp"
#include "solver/version.hpp"

#include <filesystem>
#include <system_error>

namespace assure::cli {

namespace ci = report::ci;

std::string ci_root() {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (ec) {
        return ".";
    }
    for (fs::path dir = cwd;; dir = dir.parent_path()) {
        if (fs::exists(dir / ".git", ec)) {
            return dir.string();
        }
        if (dir == dir.parent_path()) {
            break;
        }
    }
    return cwd.string();
}

namespace {

/// Writes every file the options name (each one tried even when another fails) and the
/// GitHub annotations; the first failure's exit code.
std::optional<ExitCode> emit(const ProveOptions &options, ci::Report report,
                             const ci::Locator &locator, const support::Protected &keep,
                             std::ostream &out, std::ostream &err) {
    report.case_path =
        options.common.files.empty() ? std::string() : locator.relative(options.common.files[0]);
    if (options.format == "github" && options.dump.empty()) {
        out << ci::render_github(report);
    }
    std::optional<ExitCode> failed;
    auto write = [&](const std::string &path, const char *what, std::string_view marker,
                     std::string_view empty_form, auto render) {
        if (path.empty()) {
            return;
        }
        OutputFile file{path, what, marker, options.force};
        file.empty_form = empty_form;
        if (auto code = write_output(file, render(report), keep, options.common, err);
            code && !failed) {
            failed = code;
        }
    };
    write(options.ci.junit, "JUnit report", ci::kJunitMarker, {}, ci::render_junit);
    write(options.ci.sarif, "SARIF report", ci::kSarifMarker, {}, ci::render_sarif);
    write(options.ci.markdown, "Markdown summary", ci::kMarkdownMarker, {}, ci::render_markdown);
    write(options.ci.gitlab_cq, "GitLab Code Quality report", ci::kGitlabMarker, ci::kGitlabEmpty,
          ci::render_gitlab_cq);
    return failed;
}

bool wanted(const ProveOptions &options) {
    return options.format == "github" || !options.ci.junit.empty() || !options.ci.sarif.empty() ||
           !options.ci.markdown.empty() || !options.ci.gitlab_cq.empty();
}

} // namespace

std::optional<ExitCode> emit_ci_prove(const ProveOptions &options, const FrontEnd &fe,
                                      const prove::ProofResult &result,
                                      const report::ProofMeta &meta, std::ostream &out,
                                      std::ostream &err) {
    if (!wanted(options)) {
        return std::nullopt;
    }
    const ci::Locator locator(*fe.sources, ci_root());
    return emit(options, ci::from_prove(*fe.program, result, meta, locator, fe.diags, locator),
                locator, protected_files(fe), out, err);
}

std::optional<ExitCode> emit_ci_impact(const ProveOptions &options, const FrontEnd &fe,
                                       const FrontEnd &changed, const impact::Impact &result,
                                       const impact::Baseline &before,
                                       const report::ImpactInput &input,
                                       const report::ProofMeta &meta, std::ostream &out,
                                       std::ostream &err) {
    if (!wanted(options)) {
        return std::nullopt;
    }
    const std::string root = ci_root();
    const ci::Locator locator(*changed.sources, root);
    const ci::Locator diag_locator(*fe.sources, root);
    support::Protected keep = protected_files(fe);
    if (!options.since.empty()) {
        keep.add(options.since); // the lockfile is no output either
    }
    return emit(options,
                ci::from_impact(*changed.program, result, before, input, meta, locator, fe.diags,
                                diag_locator),
                locator, keep, out, err);
}

std::optional<ExitCode> emit_ci_input_errors(const ProveOptions &options,
                                             const std::string &command,
                                             const support::Diagnostics &diags,
                                             const support::SourceManager &sources,
                                             const support::Protected &keep, report::ProofMeta meta,
                                             std::ostream &out, std::ostream &err) {
    if (!wanted(options)) {
        return std::nullopt;
    }
    if (meta.assure_version.empty()) {
        meta.assure_version = ASSURE_VERSION;
        meta.z3_version = solver::z3_version();
    }
    const ci::Locator locator(sources, ci_root());
    return emit(options, ci::from_input_errors(command, meta, diags, locator), locator, keep, out,
                err);
}

} // namespace assure::cli
