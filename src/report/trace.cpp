// SPDX-License-Identifier: Apache-2.0
// `--trace DIR`: the bundle a regulator replays with a stock solver.
#include "prove/cases.hpp"
#include "prove/rules.hpp"
#include "report/proof.hpp"
#include "report/proof_parts.hpp"
#include "report/trace_parts.hpp"
#include "solver/session.hpp"
#include "support/safe_fs.hpp"
#include "support/sha256.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace assure::report {

using nlohmann::ordered_json;
using prove::Status;
using sema::DeclId;
using sema::DeclKind;
using namespace detail;

// ---- traces ----------------------------------------------------------------------------------

std::string obligation_file(const sema::Program &program, const prove::ProofResult &result,
                            std::uint32_t idx) {
    const auto &o = result.obligations[idx];
    char num[16];
    std::snprintf(num, sizeof num, "%04u", idx + 1);
    std::string name = program.decl(o.subject).name;
    return std::string("obligations/") + num + "-" + prove::obligation_kind_name(o.kind) + "-" +
           name + ".smt2";
}

std::string obligation_smt2(const sema::Program &program, prove::ProofResult &result,
                            const support::SourceManager &sources, std::uint32_t idx) {
    const auto &o = result.obligations[idx];
    const auto &outcome = result.outcome(idx);
    std::string text = "; assure obligation " + ob_ref(idx) + " (" +
                       prove::obligation_kind_name(o.kind) + ") of " +
                       program.qualified_name(o.subject) + "\n";
    std::set<std::string> lines;
    for (const auto &note : o.notes) {
        lines.insert(prove::line_of(sources, note.span));
    }
    text += "; source lines:";
    for (const auto &l : lines) {
        text += " " + l;
    }
    text += "\n; answer assure got: " + std::string(answer_name(outcome.verdict)) +
            (outcome.decided_by == solver::Decider::Cells ? " (decided by cell enumeration)"
                                                          : " (decided by Z3)");
    if (outcome.verdict == solver::Verdict::Unknown) {
        text += " (" + outcome.unknown_reason + ")";
    } else {
        text += std::string(" -- the step ") + (step_holds(result, idx) ? "holds" : "fails");
    }
    text += "\n; what sat means, and where each named assertion comes from:\n";
    return text + result.batch->smt2(
                      prove::described_query(program, sources, result, idx),
                      [&sources](const support::Span &s) { return prove::line_of(sources, s); });
}

namespace {

/// The files an earlier trace's manifest says assure wrote: its `files`, or, for a trace
/// written before that list existed, result.json and the obligation and rule files it lists.
std::vector<std::string> listed_files(const nlohmann::json &manifest) {
    std::vector<std::string> out;
    auto add = [&](const nlohmann::json &v) {
        if (v.is_string()) {
            out.push_back(v.get<std::string>());
        }
    };
    if (const auto it = manifest.find("files"); it != manifest.end() && it->is_array()) {
        for (const auto &f : *it) {
            add(f);
        }
        return out;
    }
    out.emplace_back("result.json");
    for (const char *key : {"obligations", "rules"}) {
        if (const auto it = manifest.find(key); it != manifest.end() && it->is_array()) {
            for (const auto &entry : *it) {
                if (entry.is_object() && entry.contains("file")) {
                    add(entry["file"]);
                }
            }
        }
    }
    return out;
}

} // namespace

namespace {

/// The files of a trace, each rendered on demand, and its manifest.
struct TraceBundle {
    std::vector<support::BundleFile> files;
    /// Each file's digest and size as rendered, for the manifest's `digests` (every file of the
    /// trace but the manifest itself).
    std::map<std::string, std::pair<std::string, std::size_t>> digests;
    std::function<std::string(const std::vector<std::string> &)> manifest;
    std::vector<std::pair<std::string, std::string>> rule_texts; // rendered before the rest
};

/// The trace of a proof: what write_trace writes and render_trace returns. The bundle's
/// renderers refer to the bundle itself, so it stays where it was made (a unique_ptr).
std::unique_ptr<TraceBundle> make_trace_bundle(const sema::Program &program,
                                               prove::ProofResult &result,
                                               const support::SourceManager &sources,
                                               const ProofMeta &meta) {
    auto bundle = std::make_unique<TraceBundle>();
    ordered_json manifest;
    put_run(manifest, "assure-trace", result, meta);
    auto inputs = ordered_json::array();
    for (support::FileId f = 0; f < sources.size(); ++f) {
        if (sources.expansion(f) != nullptr) {
            continue; // a pattern's expansion: its text is the pattern's, in an input file
        }
        inputs.push_back({{"path", sources.display_name(f)},
                          {"sha256", support::sha256_hex(sources.raw_text(f))}});
    }
    manifest["inputs"] = std::move(inputs);
    auto artifacts = ordered_json::array();
    for (std::uint32_t ai = 0; ai < program.artifacts.size(); ++ai) {
        const auto &c = result.artifacts[ai];
        artifacts.push_back(
            {{"name", program.qualified_name(program.artifacts[ai].decl)},
             {"path", c.path},
             {"sha256", c.actual.empty() ? ordered_json(nullptr) : ordered_json(c.actual)},
             {"state", prove::artifact_state_name(c.state)}});
    }
    manifest["artifacts"] = std::move(artifacts);
    auto files = ordered_json::array();
    for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
        files.push_back({{"file", obligation_file(program, result, ob)},
                         {"expected", answer_name(result.outcome(ob).verdict)},
                         {"decided_by", solver::decider_name(result.outcome(ob).decided_by)}});
    }
    manifest["obligations"] = std::move(files);
    // The rule files, grounded for the trace before any SMT-LIB file is printed (they may ask
    // the solver scope questions the proof did not need).
    auto rule_files = ordered_json::array();
    auto &rule_texts = bundle->rule_texts;
    rule_trace_files(program, result, sources, rule_files, rule_texts);
    manifest["rules"] = std::move(rule_files);
    manifest["replay"] =
        "z3 FILE prints the expected answer for every obligation and rule file, whether "
        "assure decided it by cell enumeration or with Z3 (unknown answers may "
        "differ: the solver gave up)";
    manifest["validity"] = "validity.json";
    // Each file's digest and size as written, for the manifest's `digests` (every file of the
    // trace but the manifest itself).
    auto &digests = bundle->digests;
    auto hashed = [&digests](std::string path, std::function<std::string()> render) {
        return support::BundleFile{path, [&digests, path, render = std::move(render)] {
                                       std::string text = render();
                                       digests[path] = {support::sha256_hex(text), text.size()};
                                       return text;
                                   }};
    };
    bundle->files.push_back(
        hashed("result.json", [&] { return render_proof_json(program, result, sources, meta); }));
    bundle->files.push_back(
        hashed("validity.json", [&] { return render_validity_json(program, result, sources); }));
    for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
        bundle->files.push_back(hashed(obligation_file(program, result, ob), [&, ob] {
            return obligation_smt2(program, result, sources, ob);
        }));
    }
    for (auto &[file, text] : rule_texts) {
        bundle->files.push_back(hashed(file, [&text = text] { return std::move(text); }));
    }
    bundle->manifest = [manifest = std::move(manifest),
                        &digests](const std::vector<std::string> &listed) {
        ordered_json m = manifest;
        m["files"] = listed;
        // Written only once every listed file has been (the final manifest): path, sha256, size.
        auto list = ordered_json::array();
        for (const auto &path : listed) {
            const auto it = digests.find(path);
            if (it == digests.end()) {
                list = nullptr;
                break;
            }
            list.push_back(
                {{"path", path}, {"sha256", it->second.first}, {"size", it->second.second}});
        }
        if (!list.is_null()) {
            m["digests"] = std::move(list);
        }
        return m.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    };
    return bundle;
}

} // namespace

bool write_trace(const std::string &dir, const sema::Program &program, prove::ProofResult &result,
                 const support::SourceManager &sources, const ProofMeta &meta,
                 const support::Protected &keep, support::FsError &error) {
    // The folders above the trace folder are the user's path: created when missing, as before.
    if (const auto parent = std::filesystem::path(dir).parent_path(); !parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec); // a failure shows in the open below
    }
    auto out = support::OutputDir::open(dir, /*create=*/true, /*follow=*/false, error);
    if (!out) {
        return false;
    }
    // An existing folder must hold an earlier trace: then the files its manifest lists are the
    // ones assure may replace or delete, and nothing else.
    std::vector<std::string> previous;
    if (!out->empty()) {
        support::FsError read_error;
        const auto text = out->read("manifest.json", kMaxManifestBytes, read_error);
        bool ours = false;
        if (text) {
            const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
            if (j.is_object() && j.value("format", std::string()) == "assure-trace") {
                ours = true;
                previous = listed_files(j);
            }
        }
        if (!ours) {
            error = {support::FsProblem::InTheWay, dir,
                     read_error.problem == support::FsProblem::NotRegular ||
                             read_error.problem == support::FsProblem::TooLarge
                         ? "is not empty and its manifest.json " + read_error.message +
                               "; choose an empty or new folder (nothing was written)"
                         : "is not empty and does not hold an assure trace; choose an empty or "
                           "new folder (nothing was written)"};
            return false;
        }
    }

    const auto bundle = make_trace_bundle(program, result, sources, meta);
    return support::write_bundle(*out, "manifest.json", previous, bundle->files, bundle->manifest,
                                 keep, error);
}

std::vector<std::pair<std::string, std::string>> render_trace(const sema::Program &program,
                                                              prove::ProofResult &result,
                                                              const support::SourceManager &sources,
                                                              const ProofMeta &meta) {
    const auto bundle = make_trace_bundle(program, result, sources, meta);
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(bundle->files.size() + 1);
    std::vector<std::string> listed;
    listed.reserve(bundle->files.size());
    for (const auto &f : bundle->files) {
        out.emplace_back(f.path, f.content());
        listed.push_back(f.path);
    }
    out.emplace_back("manifest.json", bundle->manifest(listed));
    return out;
}

} // namespace assure::report
