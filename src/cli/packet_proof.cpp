// SPDX-License-Identifier: Apache-2.0
#include "cli/packet_proof.hpp"

#include "cli/front.hpp"
#include "cli/output_file.hpp"
#include "packet/temp_dir.hpp"
#include "prove/prove.hpp"
#include "report/html/html.hpp"
#include "report/proof.hpp"
#include "support/safe_fs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
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

/// Every regular file below `dir`, as "<prefix><relative path>", with its bytes.
bool read_tree(const std::string &dir, const std::string &prefix,
               std::vector<packet::ArchiveFile> &out, std::string &error) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> rels;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_symlink(ec) || (!it->is_regular_file(ec) && !it->is_directory(ec))) {
            error = "the trace holds `" + it->path().string() + "`, which is not a regular file";
            return false;
        }
        if (it->is_regular_file(ec)) {
            rels.push_back(fs::relative(it->path(), dir, ec).generic_string());
        }
    }
    if (ec) {
        error = "the trace cannot be read back: " + ec.message();
        return false;
    }
    std::sort(rels.begin(), rels.end());
    for (const auto &rel : rels) {
        support::FsError fs_error;
        auto text = support::read_regular_file(dir + "/" + rel, packet::Limits{}.member_bytes,
                                               /*follow=*/false, fs_error);
        if (!text) {
            error = "the trace's `" + rel + "` " + fs_error.message;
            return false;
        }
        out.push_back({prefix + rel, std::move(*text)});
    }
    return true;
}

} // namespace

std::optional<ExitCode> prove_packet(const std::string &root, const packet::ProofSettings &settings,
                                     const std::string &date, const std::string &diagnostics,
                                     PacketProof &proof, std::ostream &err) {
    std::string error;
    auto trace_dir = packet::TempDir::create("trace", error);
    if (!trace_dir) {
        err << "error[E0612]: " << error << "\n";
        return ExitCode::Usage;
    }
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
    const std::string trace = trace_dir->path() + "/trace";
    support::FsError fs_error;
    if (!report::write_trace(trace, *fe.program, result, *fe.sources, meta, protected_files(fe),
                             fs_error)) {
        err << "error[E0612]: the packet's trace cannot be written: `" << fs_error.path << "` "
            << fs_error.message << "\n";
        return ExitCode::Usage;
    }
    if (!read_tree(trace, "trace/", proof.trace, error)) {
        err << "error[E0612]: " << error << "\n";
        return ExitCode::Usage;
    }
    // Graphviz runs in this process: the diagrams avoid the layout it mismanages (labelled
    // top-rank edges, src/diagram/dot.cpp), and CTest diagram-memcheck keeps it so.
    proof.report_html = report::html::render_html(*fe.program, result, *fe.sources, meta,
                                                  report::html::HtmlOptions{});
    return std::nullopt;
}

} // namespace assure::cli
