// SPDX-License-Identifier: Apache-2.0
// `assure export`: the evidence packet of a case (docs/packet.md).
#include "cli/front.hpp"
#include "cli/output_file.hpp"
#include "cli/packet.hpp"
#include "cli/packet_proof.hpp"
#include "dsl/sema/analyze.hpp"
#include "packet/archive.hpp"
#include "packet/manifest.hpp"
#include "packet/signing.hpp"
#include "packet/temp_dir.hpp"
#include "report/proof.hpp"
#include "support/safe_fs.hpp"
#include "support/sha256.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <openssl/crypto.h>
#include <ostream>
#include <unistd.h>

namespace assure::cli {

namespace {

namespace fs = std::filesystem;

/// A file of the case as found on disk, before it is given its place in the packet.
struct CaseFile {
    fs::path absolute; // lexically normal
    std::string role;  // source, stdlib, artifact
    std::string packet_path;
    std::string content;
};

fs::path absolute_normal(const std::string &path) {
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    return (ec ? fs::path(path) : p).lexically_normal();
}

/// The deepest folder that holds every one of `dirs`.
fs::path common_folder(const std::vector<fs::path> &dirs) {
    if (dirs.empty()) {
        return fs::path("/");
    }
    std::vector<fs::path> common(dirs.front().begin(), dirs.front().end());
    for (const auto &d : dirs) {
        std::vector<fs::path> parts(d.begin(), d.end());
        std::size_t n = 0;
        while (n < common.size() && n < parts.size() && common[n] == parts[n]) {
            ++n;
        }
        common.resize(n);
    }
    fs::path out;
    for (const auto &p : common) {
        out /= p;
    }
    return out.empty() ? fs::path("/") : out;
}

bool write_new(const std::string &path, std::string_view content, std::string &error) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = "cannot stage `" + path + "`: " + std::strerror(errno);
        return false;
    }
    bool ok = true;
    while (ok && !content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        if (ok) {
            content.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    if (!ok) {
        error = "cannot stage `" + path + "`: " + std::strerror(errno);
    }
    return ok;
}

ExitCode internal(std::ostream &err, const std::string &what) {
    err << "error[E9000]: internal error: " << what << "\n";
    return ExitCode::Internal;
}

} // namespace

ExitCode run_export(const ExportOptions &options, std::ostream &out, std::ostream &err) {
    const ProveOptions &cli = options.prove;
    const CheckOptions &common = cli.common;
    // The key first: a refused key should not cost a proof.
    std::string private_key;
    std::string fingerprint;
    if (!options.sign_key.empty()) {
        std::string error;
        auto key = packet::read_private_key(options.sign_key, error);
        auto fp = key ? packet::key_fingerprint(*key, error) : std::nullopt;
        if (!key || !fp) {
            ArgDiags ad;
            ad.plain(support::Code::E0710,
                     "--sign " + options.sign_key + ": the key file " + error);
            return ad.emit(common, err, ExitCode::Usage);
        }
        private_key = std::move(*key);
        fingerprint = std::move(*fp);
    }
    struct Cleanse {
        std::string &s;
        ~Cleanse() { OPENSSL_cleanse(s.data(), s.size()); }
    } cleanse{private_key};

    StageTimer timer(common.verbose, err);
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(cli, meta, date, fe, timer, out, err, nullptr)) {
        return *code;
    }
    emit_diagnostics(fe.diags, *fe.sources, common, err);
    const sema::Program &program = *fe.program;
    const support::SourceManager &sources = *fe.sources;
    const std::string judged_at = sema::format_date(date);

    // The case's files, the standard-library modules it imports and its artifacts.
    std::vector<CaseFile> files;
    std::map<std::string, std::size_t> by_path;
    for (support::FileId f = 0; f < sources.size(); ++f) {
        if (sources.expansion(f) != nullptr || sources.disk_path(f).empty()) {
            continue;
        }
        CaseFile cf;
        cf.content = std::string(sources.raw_text(f));
        if (sources.origin(f) == support::Origin::Stdlib) {
            cf.role = "stdlib";
            cf.packet_path = sources.display_name(f); // "stdlib/<module path>.assure"
        } else {
            cf.role = "source";
            cf.absolute = absolute_normal(sources.disk_path(f));
        }
        const std::string key = cf.role == "stdlib" ? cf.packet_path : cf.absolute.generic_string();
        if (by_path.emplace(key, files.size()).second) {
            files.push_back(std::move(cf));
        }
    }
    for (const auto &art : program.artifacts) {
        const fs::path abs = absolute_normal(sema::artifact_disk_path(program, sources, art));
        if (by_path.count(abs.generic_string()) != 0) {
            continue; // an artifact that is also a case file, or declared twice
        }
        support::FsError error;
        auto bytes = support::read_regular_file(abs.string(), packet::Limits{}.member_bytes,
                                                /*follow=*/true, error);
        if (!bytes) {
            continue; // missing or unreadable: the packet's proof finds it so too, and says so
        }
        by_path.emplace(abs.generic_string(), files.size());
        files.push_back({abs, "artifact", {}, std::move(*bytes)});
    }
    // Places below case/: each file keeps its path relative to the folder that holds them all,
    // so imports and artifact paths resolve in the packet as they did on disk.
    std::vector<fs::path> dirs;
    for (const auto &f : files) {
        if (f.role != "stdlib") {
            dirs.push_back(f.absolute.parent_path());
        }
    }
    std::vector<fs::path> includes;
    for (const auto &inc : common.include_dirs) {
        includes.push_back(absolute_normal(inc));
        dirs.push_back(includes.back());
    }
    const fs::path root_dir = common_folder(dirs);
    auto place = [&](const fs::path &abs) {
        const std::string rel = abs.lexically_relative(root_dir).generic_string();
        return rel.empty() || rel == "." ? std::string("case") : "case/" + rel;
    };
    for (auto &f : files) {
        if (f.role != "stdlib") {
            f.packet_path = place(f.absolute);
        }
        if (!packet::is_safe_member_path(f.packet_path)) {
            ArgDiags ad;
            ad.plain(support::Code::E0608,
                     "`" + f.absolute.string() + "` cannot be put into a packet: its path below `" +
                         root_dir.string() + "` has a control character or a backslash");
            return ad.emit(common, err, ExitCode::Usage);
        }
    }
    packet::ProofSettings settings;
    for (const auto &file : common.files) {
        settings.files.push_back(place(absolute_normal(file)));
    }
    for (const auto &inc : includes) {
        settings.include_dirs.push_back(place(inc));
    }
    settings.timeout_ms = cli.timeout_ms;
    settings.rlimit = cli.rlimit;
    settings.z3_only = cli.z3_only;
    settings.strict_artifacts = cli.strict_artifacts;
    settings.require_artifacts = cli.require_artifacts;

    // Stage everything (the artifacts too, even withheld: the recorded proof rests on them)
    // and prove the staged copy: the packet records the proof of exactly its own bytes.
    std::string error;
    auto staging = packet::TempDir::create("export", error);
    if (!staging) {
        ArgDiags ad;
        ad.plain(support::Code::E0612, error);
        return ad.emit(common, err, ExitCode::Usage);
    }
    const std::string root = staging->path() + "/" + std::string(packet::kTopFolder);
    for (const auto &f : files) {
        if (!write_new(root + "/" + f.packet_path, f.content, error)) {
            ArgDiags ad;
            ad.plain(support::Code::E0612, error);
            return ad.emit(common, err, ExitCode::Usage);
        }
    }
    timer.done("stage");
    PacketProof proof;
    if (auto code =
            prove_packet(root, settings, judged_at, common.diagnostics_format, proof, err)) {
        err << "error: the packet's copy of the case does not load as the case did (nothing "
               "was written)\n";
        return *code;
    }
    timer.done("prove");

    // The packet's files and its manifest.
    std::vector<packet::ArchiveFile> archive;
    packet::Manifest manifest;
    manifest.assure_version = proof.assure_version;
    manifest.z3_version = proof.z3_version;
    manifest.judged_at = judged_at;
    manifest.settings = settings;
    manifest.verdict = proof.verdict;
    manifest.artifacts_included = !options.no_artifacts;
    auto add = [&](std::string path, std::string role, std::string content) {
        manifest.files.push_back(
            {path, std::move(role), content.size(), support::sha256_hex(content)});
        archive.push_back({std::move(path), std::move(content)});
    };
    std::vector<packet::WithheldArtifact> withheld;
    for (auto &f : files) {
        if (f.role == "artifact" && options.no_artifacts) {
            withheld.push_back({f.packet_path, f.content.size(), support::sha256_hex(f.content)});
            continue;
        }
        add(f.packet_path, f.role, std::move(f.content));
    }
    manifest.withheld = std::move(withheld);
    add(std::string(packet::kResultFile), "result", std::move(proof.result_json));
    add(std::string(packet::kReportFile), "report", std::move(proof.report_html));
    for (auto &t : proof.trace) {
        add(std::move(t.path), "trace", std::move(t.content));
    }
    std::sort(manifest.files.begin(), manifest.files.end(),
              [](const auto &l, const auto &r) { return l.path < r.path; });
    std::string manifest_text = packet::render_manifest(manifest);
    archive.push_back(
        {std::string(packet::kStatementFile), packet::render_statement(manifest, manifest_text)});
    if (!private_key.empty()) {
        auto sig = packet::sign_message(private_key, manifest_text, error);
        if (!sig) {
            return internal(err, "signing the manifest: " + error);
        }
        archive.push_back(
            {std::string(packet::kSignatureFile), packet::render_signature(fingerprint, *sig)});
    }
    archive.push_back({std::string(packet::kManifestFile), manifest_text});
    const std::size_t member_count = archive.size();
    const std::int64_t mtime = std::max(0L, sema::days_from_civil(date)) * 86400;
    auto bytes = packet::write_archive(std::move(archive), mtime, error);
    if (!bytes) {
        return internal(err, "writing the archive: " + error);
    }
    timer.done("archive");

    OutputFile file{cli.output, "packet", {}, cli.force};
    file.recognise = [](int fd) { return packet::is_packet_file(fd); };
    if (auto refused = write_output(file, *bytes, protected_files(fe), common, err)) {
        return *refused;
    }
    timer.done("write");
    const auto &v = proof.verdict;
    out << "assure export: wrote " << cli.output << " (" << member_count << " files, "
        << bytes->size() << " bytes, sha256 " << support::sha256_hex(*bytes) << ")\n"
        << "  judged at " << judged_at << ": " << v.top_claims
        << (v.top_claims == 1 ? " top claim: " : " top claims: ") << v.supported << " supported, "
        << v.unsupported << " unsupported, " << v.undeveloped << " undeveloped, " << v.unknown
        << " unknown\n"
        << "  artifacts: "
        << (options.no_artifacts
                ? std::to_string(manifest.withheld.size()) +
                      " withheld (--no-artifacts): only their SHA-256s are in the manifest"
                : "included")
        << "\n"
        << "  signature: "
        << (fingerprint.empty() ? std::string("none (unsigned; sign with --sign KEY)")
                                : "Ed25519, key " + fingerprint)
        << "\n";
    return static_cast<ExitCode>(v.exit_code);
}

} // namespace assure::cli
