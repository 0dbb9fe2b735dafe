// SPDX-License-Identifier: Apache-2.0
// `assure verify`: checks an evidence packet (docs/packet.md, "What verify checks").
#include "cli/front.hpp"
#include "cli/packet.hpp"
#include "cli/packet_proof.hpp"
#include "packet/archive.hpp"
#include "packet/manifest.hpp"
#include "packet/replay.hpp"
#include "packet/signing.hpp"
#include "packet/temp_dir.hpp"
#include "support/safe_fs.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <thread>

namespace assure::cli {

namespace {

using support::Code;

/// The first line where `recorded` and `now` differ, for a message.
std::string first_difference(std::string_view recorded, std::string_view now) {
    std::size_t line = 1;
    std::size_t start = 0;
    for (;;) {
        const std::size_t a_end = std::min(recorded.find('\n', start), recorded.size());
        const std::size_t b_end = std::min(now.find('\n', start), now.size());
        const std::string_view a =
            recorded.substr(std::min(start, recorded.size()), a_end - std::min(start, a_end));
        const std::string_view b =
            now.substr(std::min(start, now.size()), b_end - std::min(start, b_end));
        if (a != b || a_end != b_end) {
            auto cut = [](std::string_view s) {
                std::string t(s.substr(0, 160));
                return s.size() > 160 ? t + "..." : t;
            };
            if (start >= recorded.size()) {
                return "line " + std::to_string(line) + ": the re-run has more lines (`" + cut(b) +
                       "`)";
            }
            if (start >= now.size()) {
                return "line " + std::to_string(line) + ": the re-run ends here; recorded `" +
                       cut(a) + "`";
            }
            return "line " + std::to_string(line) + ": recorded `" + cut(a) + "`, re-run `" +
                   cut(b) + "`";
        }
        if (a_end >= recorded.size()) {
            return "the same text";
        }
        start = a_end + 1;
        ++line;
    }
}

/// The (file, expected answer) pairs a trace manifest lists, wherever in it they are: every
/// object with a `file` ending in .smt2 and an `expected` string.
void listed_queries(const nlohmann::json &j,
                    std::vector<std::pair<std::string, std::string>> &out) {
    if (j.is_object()) {
        const auto file = j.find("file");
        const auto expected = j.find("expected");
        if (file != j.end() && file->is_string() && expected != j.end() && expected->is_string()) {
            const std::string f = file->get<std::string>();
            if (f.size() > 5 && f.compare(f.size() - 5, 5, ".smt2") == 0) {
                out.emplace_back(f, expected->get<std::string>());
            }
        }
        for (const auto &[key, value] : j.items()) {
            listed_queries(value, out);
        }
    } else if (j.is_array()) {
        for (const auto &v : j) {
            listed_queries(v, out);
        }
    }
}

/// The checks' findings, printed on stderr as diagnostics at the end.
struct Findings {
    support::SourceManager sources;
    support::Diagnostics diags;
    std::size_t failed_checks = 0;

    support::Diagnostic &error(Code code, std::string message) {
        return diags.error(code, support::Span{}, std::move(message));
    }
    ExitCode emit(const VerifyOptions &options, std::ostream &err, ExitCode code) {
        CheckOptions common;
        common.diagnostics_format = options.diagnostics_format;
        emit_diagnostics(diags, sources, common, err, /*of_case=*/false);
        return code;
    }
};

std::string plural(std::size_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

ExitCode run_verify(const VerifyOptions &options, std::ostream &out, std::ostream &err) {
    Findings findings;
    std::string public_key;
    std::string key_fp;
    if (!options.key.empty()) {
        std::string error;
        auto key = packet::read_public_key(options.key, error);
        auto fp = key ? packet::key_fingerprint(*key, error) : std::nullopt;
        if (!key || !fp) {
            findings.error(Code::E0710, "--key " + options.key + ": the key file " + error);
            return findings.emit(options, err, ExitCode::Usage);
        }
        public_key = std::move(*key);
        key_fp = std::move(*fp);
    }
    out << "assure verify: " << options.packet << "\n";

    // 1. Read the whole packet without writing anything: structure, limits, hashes.
    const packet::Limits limits;
    packet::Problem problem;
    const std::vector<std::string> keep = {std::string(packet::kManifestFile),
                                           std::string(packet::kStatementFile),
                                           std::string(packet::kSignatureFile)};
    const auto scan = packet::scan_packet(options.packet, limits, keep, problem);
    auto refuse = [&](Code code, const std::string &message) {
        findings.error(code, message);
        out << "assure verify: refused (nothing was extracted)\n";
        return findings.emit(options, err, ExitCode::InputErrors);
    };
    if (!scan) {
        return refuse(problem.code, problem.message);
    }
    const std::string *manifest_text = scan->kept_file(packet::kManifestFile);
    if (manifest_text == nullptr) {
        return refuse(Code::E0704, "the packet has no " + std::string(packet::kManifestFile) +
                                       ": it is not an assure evidence packet");
    }
    std::string error;
    const auto manifest = packet::parse_manifest(*manifest_text, error);
    if (!manifest) {
        return refuse(Code::E0704, error);
    }
    out << "  packet: " << plural(scan->members.size(), "file", "files") << ", "
        << scan->total_bytes << " bytes; made by assure " << manifest->assure_version << " (Z3 "
        << manifest->z3_version << "), judged at " << manifest->judged_at << "\n";

    // 2. The signature, over the manifest's bytes.
    const std::string *sig_text = scan->kept_file(packet::kSignatureFile);
    if (sig_text != nullptr) {
        auto sig = packet::parse_signature(*sig_text, error);
        if (!sig) {
            findings.error(Code::E0709, error);
            out << "  signature: unreadable\n";
        } else if (public_key.empty()) {
            out << "  signature: NOT CHECKED: the packet is signed by key " << sig->key
                << ", but no --key was given\n";
        } else if (sig->key != key_fp) {
            findings.error(Code::E0709, "manifest.sig: the packet is signed by key " + sig->key +
                                            ", not by the key of --key " + options.key + " (" +
                                            key_fp + ")");
            out << "  signature: FAILED (another key)\n";
        } else if (!packet::verify_message(public_key, *manifest_text, sig->signature, error)) {
            findings.error(Code::E0709, "manifest.sig: " + error + " (" + key_fp + ")");
            out << "  signature: FAILED (does not verify)\n";
        } else {
            out << "  signature: valid Ed25519 signature of manifest.json by key " << key_fp
                << "\n";
        }
    } else if (!public_key.empty()) {
        findings.error(Code::E0709,
                       "the packet is not signed (it has no manifest.sig), but --key " +
                           options.key + " asks for its signature to be checked");
        out << "  signature: FAILED (the packet is unsigned)\n";
    } else {
        out << "  signature: none: the packet is unsigned, so nothing shows who made it\n";
    }

    // 3. Every member against the manifest, and the statement against the manifest.
    std::set<std::string> listed;
    std::size_t matched = 0;
    for (const auto &f : manifest->files) {
        listed.insert(f.path);
        const packet::MemberInfo *m = scan->member(f.path);
        if (m == nullptr) {
            findings.error(Code::E0705, "`" + f.path + "` is listed in manifest.json (" + f.role +
                                            ", " + std::to_string(f.size) +
                                            " bytes) but missing from the packet");
        } else if (m->size != f.size || m->sha256 != f.sha256) {
            std::string what = "`" + f.path + "` changed: ";
            if (m->size != f.size) {
                what += "its size is " + std::to_string(m->size) + " bytes, the manifest says " +
                        std::to_string(f.size) + "; ";
            }
            what += "its SHA-256 is " + m->sha256 + ", the manifest says " + f.sha256;
            findings.error(Code::E0707, what);
        } else {
            ++matched;
        }
    }
    for (const auto &m : scan->members) {
        if (listed.count(m.path) == 0 &&
            std::find(keep.begin(), keep.end(), m.path) == keep.end()) {
            findings.error(Code::E0706, "`" + m.path + "` (" + std::to_string(m.size) +
                                            " bytes) is in the packet but not in its manifest");
        }
    }
    out << "  files: " << matched << " of " << manifest->files.size()
        << " match the manifest's SHA-256 and size\n";
    const std::string *statement = scan->kept_file(packet::kStatementFile);
    const std::string expected_statement = packet::render_statement(*manifest, *manifest_text);
    if (statement == nullptr) {
        findings.error(Code::E0708, "the packet has no " + std::string(packet::kStatementFile));
    } else if (*statement != expected_statement) {
        findings.error(Code::E0708, std::string(packet::kStatementFile) +
                                        " is not the statement of this manifest: " +
                                        first_difference(expected_statement, *statement));
    } else {
        out << "  statement: the in-toto statement names every file with its SHA-256\n";
    }
    if (findings.diags.has_errors()) {
        out << "  proof and replay: NOT RUN on a packet that failed the checks above\n"
            << "assure verify: FAILED\n";
        return findings.emit(options, err, ExitCode::CheckFailed);
    }

    // 4. Extract into a private folder (re-checked member by member) and re-run the proof.
    auto temp = packet::TempDir::create("verify", error);
    if (!temp) {
        findings.error(Code::E0612, error);
        return findings.emit(options, err, ExitCode::Usage);
    }
    // Only what the proof reads becomes a file (the case, its artifacts, the standard library);
    // the result, the page and the trace are compared and replayed from memory.
    std::map<std::string, std::string> held;
    const auto to_disk = [](const std::string &rel) {
        return rel.rfind("case/", 0) == 0 || rel.rfind("stdlib/", 0) == 0;
    };
    if (!packet::extract_packet(options.packet, *scan, temp->path(), limits, to_disk, held,
                                problem)) {
        return refuse(problem.code, problem.message);
    }
    const std::string &root = temp->path(); // the members below the top folder
    auto read_member = [&](const std::string &rel) {
        if (const auto it = held.find(rel); it != held.end()) {
            return it->second;
        }
        support::FsError fs_error;
        return support::read_regular_file(root + "/" + rel, limits.member_bytes, false, fs_error)
            .value_or(std::string());
    };
    if (!manifest->artifacts_included) {
        out << "  proof: NOT RE-RUN: the packet withholds its "
            << plural(manifest->withheld.size(), "artifact", "artifacts")
            << " (exported with --no-artifacts); the manifest records their SHA-256s\n";
    } else {
        PacketProof proof;
        if (prove_packet(root, manifest->settings, manifest->judged_at, options.diagnostics_format,
                         proof, err)) {
            findings.error(Code::E0712, "the packet's case does not prove: it has errors (shown "
                                        "above) or cannot be read");
            out << "  proof: FAILED\n";
        } else {
            std::size_t differing = 0;
            auto compare = [&](const std::string &rel, const std::string &now) {
                const std::string recorded = read_member(rel);
                if (recorded != now) {
                    ++differing;
                    findings.error(Code::E0712, "re-running the proof gives another `" + rel +
                                                    "`: " + first_difference(recorded, now));
                }
            };
            compare(std::string(packet::kResultFile), proof.result_json);
            compare(std::string(packet::kReportFile), proof.report_html);
            std::map<std::string, std::string> rerun_trace;
            for (auto &t : proof.trace) {
                rerun_trace.emplace(t.path, std::move(t.content));
            }
            for (const auto &f : manifest->files) {
                if (f.role != "trace") {
                    continue;
                }
                if (const auto it = rerun_trace.find(f.path); it == rerun_trace.end()) {
                    ++differing;
                    findings.error(Code::E0712, "re-running the proof gives no `" + f.path + "`");
                } else {
                    compare(f.path, it->second);
                    rerun_trace.erase(it);
                }
            }
            for (const auto &[path, content] : rerun_trace) {
                ++differing;
                findings.error(Code::E0712, "re-running the proof gives `" + path +
                                                "`, which the packet does not hold");
            }
            if (proof.verdict.exit_code != manifest->verdict.exit_code ||
                proof.verdict.supported != manifest->verdict.supported ||
                proof.verdict.top_claims != manifest->verdict.top_claims) {
                ++differing;
                findings.error(Code::E0712, "the manifest's verdict is not the re-run's");
            }
            if (differing == 0) {
                out << "  proof: re-run at " << manifest->judged_at
                    << " from the packet's own copies: result.json, report.html and the "
                    << plural(proof.trace.size(), "trace file", "trace files")
                    << " are byte for byte the recorded ones\n";
            } else {
                out << "  proof: FAILED (" << plural(differing, "difference", "differences")
                    << ")\n";
            }
        }
    }

    // 5. Replay every SMT-LIB file the trace lists with stock solvers.
    if (options.no_replay) {
        out << "  replay: NOT RUN (--no-replay)\n";
    } else {
        const std::string trace_manifest = read_member("trace/manifest.json");
        const auto tj = nlohmann::json::parse(trace_manifest, nullptr, false);
        std::vector<std::pair<std::string, std::string>> queries;
        listed_queries(tj, queries);
        std::sort(queries.begin(), queries.end());
        queries.erase(std::unique(queries.begin(), queries.end()), queries.end());
        std::vector<packet::ReplayFile> files; // each distinct query once
        std::vector<std::string> recorded;     // by distinct file: the answer recorded, or ""
        std::vector<std::pair<std::string, std::string>> runnable;
        for (const auto &[file, expected] : queries) {
            const std::string rel = "trace/" + file;
            if (!packet::is_safe_member_path(file) || listed.count(rel) == 0) {
                findings.error(Code::E0705, "trace/manifest.json lists `" + file +
                                                "`, which the packet does not hold");
                continue;
            }
            std::string why;
            if (!packet::is_replayable(read_member(rel), why)) {
                findings.error(Code::E0714, "`" + rel + "` was not replayed: " + why);
                continue;
            }
            runnable.emplace_back(rel, expected);
        }
        // Files that differ only in their comments (one query asked for several elements) are
        // the same problem: each is given to a solver once.
        std::vector<std::size_t> distinct_of(runnable.size());
        {
            std::map<std::string, std::size_t> seen;
            for (std::size_t idx = 0; idx < runnable.size(); ++idx) {
                std::string body;
                std::string text = read_member(runnable[idx].first);
                for (std::size_t at = 0; at < text.size();) {
                    std::size_t end = text.find('\n', at);
                    end = end == std::string::npos ? text.size() : end + 1;
                    if (text[at] != ';') {
                        body.append(text, at, end - at);
                    }
                    at = end;
                }
                const auto [it, added] = seen.emplace(std::move(body), files.size());
                if (added) {
                    std::string name = runnable[idx].first;
                    std::replace(name.begin(), name.end(), '/', '_');
                    files.push_back({std::move(name), std::move(text)});
                    const std::string &want = runnable[idx].second;
                    recorded.push_back(want == "sat" || want == "unsat" ? want : std::string());
                }
                distinct_of[idx] = it->second;
            }
        }
        const unsigned jobs = std::max(2u, std::thread::hardware_concurrency());
        auto scratch = packet::TempDir::create("replay", error);
        if (!scratch) {
            findings.error(Code::E0612, error);
            return findings.emit(options, err, ExitCode::Usage);
        }
        for (const auto &solver : packet::replay_solvers()) {
            if (solver.program.empty()) {
                findings.error(Code::E0714, solver.name +
                                                " is not installed, so the trace was not replayed "
                                                "(install Debian's z3, or pass --no-replay)");
                out << "  replay: " << solver.name << " NOT FOUND\n";
                continue;
            }
            const auto distinct_runs = packet::run_solver(
                solver, files, recorded, options.replay_timeout_ms, jobs, scratch->path());
            std::vector<packet::SolverRun> runs;
            for (std::size_t idx = 0; idx < runnable.size(); ++idx) {
                runs.push_back(distinct_runs[distinct_of[idx]]);
            }
            std::size_t agree = 0;
            std::size_t gave_up_before = 0;
            std::size_t inconclusive = 0;
            for (std::size_t idx = 0; idx < runs.size(); ++idx) {
                const auto &[rel, expected] = runnable[idx];
                const packet::Answer a = runs[idx].answer;
                const std::string got = packet::answer_name(a);
                if (expected != "sat" && expected != "unsat") {
                    ++gave_up_before; // assure recorded unknown: any answer is news, not a fault
                    continue;
                }
                if (got == expected) {
                    ++agree;
                    continue;
                }
                if (a == packet::Answer::Sat || a == packet::Answer::Unsat) {
                    findings.error(Code::E0713, "`" + rel + "`: " + solver.name + " answers " +
                                                    got + ", the trace records " + expected);
                    continue;
                }
                const std::string why =
                    got + (runs[idx].detail.empty() ? "" : " (" + runs[idx].detail + ")");
                if (solver.name == "cvc5" &&
                    (a == packet::Answer::Error ||
                     (a == packet::Answer::Unknown && packet::is_nonlinear(read_member(rel))))) {
                    ++inconclusive;
                    findings.diags.report(Code::W0110, support::Span{},
                                          "`" + rel + "`: cvc5 answers " + why +
                                              " where the trace records " + expected +
                                              (a == packet::Answer::Unknown
                                                   ? " (a nonlinear query; not a failure)"
                                                   : " (not a failure)"));
                    continue;
                }
                findings.error(Code::E0714, "`" + rel + "`: " + solver.name + " gives no answer: " +
                                                why + "; the trace records " + expected);
            }
            out << "  replay: " << solver.name << " answers " << agree << " of "
                << runs.size() - gave_up_before << " SMT-LIB files as recorded";
            if (inconclusive > 0) {
                out << ", " << inconclusive << " inconclusive (W0110)";
            }
            if (gave_up_before > 0) {
                out << "; " << gave_up_before << " recorded unknown, not compared";
            }
            out << " (" << files.size() << " distinct)\n";
        }
    }
    if (findings.diags.has_errors()) {
        out << "assure verify: FAILED\n";
        return findings.emit(options, err, ExitCode::CheckFailed);
    }
    out << "assure verify: verified"
        << (sig_text == nullptr  ? " (unsigned)"
            : public_key.empty() ? " (signature not checked: no --key)"
                                 : "")
        << (manifest->artifacts_included ? "" : " (proof not re-run: artifacts withheld)")
        << (options.no_replay ? " (not replayed)" : "") << "\n";
    return findings.emit(options, err, ExitCode::Ok);
}

} // namespace assure::cli
