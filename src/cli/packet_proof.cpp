// SPDX-License-Identifier: Apache-2.0
#include "cli/packet_proof.hpp"

#include "cli/front.hpp"
#include "cli/output_file.hpp"
#include "prove/prove.hpp"
#include "report/html/html.hpp"
#include "report/proof.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace assure::cli {

namespace {

/// Makes `dir` the working directory until destroyed, then returns to the one before. The
/// proof of a packet runs with paths relative to the packet's folder, so that what it shows
/// (`case/x.assure:12:3`) does not depend on where the folder is.
class WorkingDirectory {
  public:
    explicit WorkingDirectory(const std::string &dir)
        : previous_(::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        ok_ = previous_ >= 0 && ::chdir(dir.c_str()) == 0;
    }
    ~WorkingDirectory() {
        if (previous_ >= 0) {
            if (ok_ && ::fchdir(previous_) != 0) {
                // Nothing sensible is left to do: later relative paths would be wrong, so stop.
                std::abort();
            }
            ::close(previous_);
        }
    }
    WorkingDirectory(const WorkingDirectory &) = delete;
    WorkingDirectory &operator=(const WorkingDirectory &) = delete;
    [[nodiscard]] bool ok() const { return ok_; }

  private:
    int previous_;
    bool ok_ = false;
};

} // namespace

std::optional<ExitCode> prove_packet(const std::string &root, const packet::ProofSettings &settings,
                                     const std::string &date, const std::string &diagnostics,
                                     PacketProof &proof, std::ostream &err) {
    WorkingDirectory here(root);
    if (!here.ok()) {
        err << "error[E9000]: internal error: cannot enter the packet's folder: "
            << std::strerror(errno) << "\n";
        return ExitCode::Internal;
    }
    ProveOptions options;
    options.common.files = settings.files;
    options.common.stdlib_dir = "stdlib";
    options.common.include_dirs = settings.include_dirs;
    options.common.diagnostics_format = diagnostics;
    options.common.at = date;
    options.timeout_ms = settings.timeout_ms;
    options.rlimit = settings.rlimit;
    options.z3_only = settings.z3_only;
    options.strict_artifacts = settings.strict_artifacts;
    options.require_artifacts = settings.require_artifacts;

    StageTimer timer(false, err);
    report::ProofMeta meta;
    sema::Date judged;
    FrontEnd fe;
    std::ostringstream ignored; // prepare prints nothing on stdout without a JSON format
    if (auto code = prepare(options, meta, judged, fe, timer, ignored, err, nullptr)) {
        return *code;
    }
    prove::ProveOptions po = proof_options(options, judged);
    RunScoped<prove::ProofResult> result_owner{
        prove::prove(*fe.program, *fe.lowered, *fe.sources, po)};
    prove::ProofResult &result = *result_owner;
    meta.exit_code = report::proof_exit_code(result);
    proof.assure_version = meta.assure_version;
    proof.z3_version = meta.z3_version;
    proof.verdict.exit_code = meta.exit_code;
    for (sema::DeclId c : result.top_claims) {
        ++proof.verdict.top_claims;
        switch (result.status(c)) {
        case prove::Status::Supported:
            ++proof.verdict.supported;
            break;
        case prove::Status::Unknown:
            ++proof.verdict.unknown;
            break;
        case prove::Status::Undeveloped:
            ++proof.verdict.undeveloped;
            break;
        case prove::Status::Unsupported:
            ++proof.verdict.unsupported;
            break;
        }
    }
    proof.result_json = report::render_proof_json(*fe.program, result, *fe.sources, meta);
    // The trace as `--trace` writes it, rendered in memory: a large case's trace is tens of
    // thousands of files, which a round trip through a folder pays for twice.
    for (auto &[rel, text] : report::render_trace(*fe.program, result, *fe.sources, meta)) {
        proof.trace.push_back({"trace/" + rel, std::move(text)});
    }
    std::sort(proof.trace.begin(), proof.trace.end(),
              [](const auto &a, const auto &b) { return a.path < b.path; });
    // Graphviz runs in this process: the diagrams avoid the layout it mismanages (labelled
    // top-rank edges, src/diagram/dot.cpp), and CTest diagram-memcheck keeps it so.
    proof.report_html = report::html::render_html(*fe.program, result, *fe.sources, meta,
                                                  report::html::HtmlOptions{});
    return std::nullopt;
}

} // namespace assure::cli
