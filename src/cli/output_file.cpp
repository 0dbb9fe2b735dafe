// SPDX-License-Identifier: Apache-2.0
#include "cli/output_file.hpp"

#include "dsl/sema/analyze.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unistd.h>

namespace assure::cli {

namespace {

/// How much of an existing file is read to find the marker.
constexpr std::uint64_t kMarkerWindow = 64 * 1024;

} // namespace

support::Protected protected_files(const FrontEnd &fe) {
    support::Protected keep;
    const support::SourceManager &sources = *fe.sources;
    for (support::FileId f = 0; f < sources.size(); ++f) {
        if (sources.expansion(f) == nullptr && !sources.disk_path(f).empty()) {
            keep.add(sources.disk_path(f));
        }
    }
    std::set<std::string> artifacts; // each distinct file once (each add is a stat)
    // No program when nothing could be loaded: then only the files read are the case's.
    if (const sema::Program *program = fe.program.operator->(); program != nullptr) {
        for (const auto &art : program->artifacts) {
            artifacts.insert(sema::artifact_disk_path(*program, sources, art));
        }
    }
    for (const auto &path : artifacts) {
        keep.add(path);
    }
    return keep;
}

std::optional<ExitCode> write_output(const OutputFile &file, std::string_view content,
                                     const support::Protected &keep, const CheckOptions &options,
                                     std::ostream &err) {
    namespace fs = std::filesystem;
    ArgDiags ad;
    const fs::path target(file.path);
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == "..") {
        ad.plain(support::Code::E0608,
                 "`" + file.path + "` is not a file name for the " + file.what);
        return ad.emit(options, err, ExitCode::Usage);
    }
    std::string folder = target.parent_path().string();
    if (folder.empty()) {
        folder = ".";
    }
    support::FsError error;
    const auto dir = support::OutputDir::open(folder, /*create=*/false, /*follow=*/true, error);
    if (!dir) {
        return report_write(ad, error, file.what, options, err);
    }
    if (dir->exists(name)) {
        if (const auto id = support::identity_of(file.path); id && keep.contains(*id)) {
            return report_write(
                ad, {support::FsProblem::Protected, file.path, "is one of the case's own files"},
                file.what, options, err);
        }
        if (!dir->check_writable(name, keep, error)) {
            return report_write(ad, error, file.what, options, err);
        }
        if (!file.force) {
            // The first window of the file is enough to recognise it.
            auto old = support::RegularFile::open(file.path, /*follow=*/false, error);
            if (!old) {
                return report_write(ad, error, file.what, options, err);
            }
            if (file.recognise && old->size() > 0 && !file.recognise(old->fd())) {
                auto &d = ad.plain(support::Code::E0611, "not overwriting " + file.path +
                                                             ": it is not a " + file.what +
                                                             " that assure wrote");
                d.help = "pass --force to replace it, or write elsewhere";
                return ad.emit(options, err, ExitCode::Usage);
            }
            std::string head(static_cast<std::size_t>(std::min(old->size(), kMarkerWindow)), '\0');
            const ssize_t got = ::pread(old->fd(), head.data(), head.size(), 0);
            if (got < 0) {
                return report_write(ad, {support::FsProblem::Io, file.path, "cannot be read"},
                                    file.what, options, err);
            }
            head.resize(static_cast<std::size_t>(got));
            const bool ours = head.empty() || file.recognise ||
                              head.find(file.marker) != std::string::npos ||
                              (!file.empty_form.empty() && head == file.empty_form);
            if (!ours) {
                auto &d = ad.plain(support::Code::E0611, "not overwriting " + file.path +
                                                             ": it is not a " + file.what +
                                                             " that assure wrote");
                d.help = "pass --force to replace it, or write elsewhere";
                return ad.emit(options, err, ExitCode::Usage);
            }
        }
    }
    if (!dir->write(name, content, keep, error)) {
        return report_write(ad, error, file.what, options, err);
    }
    return std::nullopt;
}

} // namespace assure::cli
