// SPDX-License-Identifier: Apache-2.0
// Evidence on its own (docs/semantics.md, "Valid evidence"): its artifacts hashed, the values
// read from them, and its result, dates, artifacts, values and pins judged before defeaters.
#include "prove/evidence.hpp"

#include "prove/reads.hpp"
#include "support/worker.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace assure::prove {
using sema::DeclId;
using sema::kNone;

namespace {

void unpinned(const sema::Program &prog, const ProveOptions &options, const sema::EvidenceInfo &ev,
              bool reverified, ElementResult &r) {
    if (!options.require_artifacts || prog.modules[prog.decl(ev.decl).module].is_stdlib) {
        return;
    }
    const auto pinned = [&](DeclId a) {
        return reverified || !prog.artifacts[prog.decl(a).index].sha256.empty();
    };
    const bool said = std::any_of(r.reasons.begin(), r.reasons.end(), [](const Reason &x) {
        return x.kind == ReasonKind::ArtifactUnrecorded;
    });
    if (said || std::any_of(ev.artifacts.begin(), ev.artifacts.end(), pinned)) {
        return;
    }
    add_reason(r, {ReasonKind::EvidenceUnpinned,
                   Status::Unsupported,
                   {},
                   kNone,
                   kNone,
                   ev.artifacts.empty()
                       ? "rests on no pinned artifact (--require-artifacts): it lists none"
                       : "rests on no pinned artifact (--require-artifacts): none of its artifacts "
                         "has a recorded sha256"});
}

} // namespace

void check_artifacts(const sema::Program &prog, const support::SourceManager &sources,
                     const ProveOptions &options, ProofResult &out,
                     std::vector<std::string> &disk) {
    out.artifacts.resize(prog.artifacts.size());
    Reuse *paths = options.reuse.get();
    if (paths != nullptr && paths->disk.size() == prog.artifacts.size()) {
        // The same program: its artifacts' paths are those found before.
        disk = paths->disk;
        for (std::uint32_t a = 0; a < prog.artifacts.size(); ++a) {
            out.artifacts[a].path = paths->shown[a];
        }
    }
    const bool known = disk.size() == prog.artifacts.size() && !disk.empty();
    if (!known) {
        disk.assign(prog.artifacts.size(), {});
    }
    for (std::uint32_t a = 0; !known && a < prog.artifacts.size(); ++a) {
        const auto &art = prog.artifacts[a];
        const auto &mod = prog.modules[prog.decl(art.decl).module];
        const std::filesystem::path file_dir =
            std::filesystem::path(sources.disk_path(mod.file)).parent_path();
        const std::filesystem::path shown_dir =
            std::filesystem::path(sources.display_name(mod.file)).parent_path();
        disk[a] = (file_dir / art.path).lexically_normal().string();
        out.artifacts[a].path = (shown_dir / art.path).lexically_normal().string();
        if (paths != nullptr && a + 1 == prog.artifacts.size()) {
            paths->disk = disk;
            paths->shown.resize(prog.artifacts.size());
            for (std::uint32_t b = 0; b < prog.artifacts.size(); ++b) {
                paths->shown[b] = out.artifacts[b].path;
            }
        }
    }
    // Hash each distinct file once, on both cores: artifacts can be large. first_of[a]: the
    // first artifact naming the same file as `a` (kept with the paths).
    Reuse *reuse = options.reuse.get();
    std::vector<std::uint32_t> own_first;
    std::vector<std::uint32_t> &first_of =
        reuse != nullptr && reuse->first_of.size() == disk.size() ? reuse->first_of : own_first;
    if (first_of.size() != disk.size()) {
        std::map<std::string, std::uint32_t> first;
        first_of.resize(disk.size());
        for (std::uint32_t a = 0; a < disk.size(); ++a) {
            first_of[a] = first.emplace(disk[a], a).first->second;
        }
        if (reuse != nullptr) {
            reuse->first_of = first_of;
        }
    }
    std::vector<std::uint32_t> distinct;
    for (std::uint32_t a = 0; a < disk.size(); ++a) {
        if (first_of[a] == a) {
            distinct.push_back(a);
        }
    }
    std::vector<support::FileDigest> hashed;
    std::vector<support::FileDigest> &digests = reuse != nullptr ? reuse->digests : hashed;
    if (reuse != nullptr && reuse->hashed && !reuse->stale.empty()) {
        // Only the files an event said changed are hashed again (with every artifact naming
        // the same file).
        for (std::uint32_t a = 0; a < disk.size() && a < reuse->stale.size(); ++a) {
            if (reuse->stale[a] != 0) {
                const std::uint32_t f = first_of[a];
                digests[f] = support::sha256_file(disk[f]);
            }
        }
    }
    if (reuse == nullptr || !reuse->hashed) {
        digests.assign(prog.artifacts.size(), {});
        auto hash_range = [&](std::size_t from, std::size_t step) {
            for (std::size_t k = from; k < distinct.size(); k += step) {
                digests[distinct[k]] = support::sha256_file(disk[distinct[k]]);
            }
        };
        if (distinct.size() > 16 && options.lanes > 1) {
            support::Worker other([&] { hash_range(1, 2); });
            hash_range(0, 2);
            other.join(); // rethrows what it threw (out of memory) on this thread
        } else {
            hash_range(0, 1);
        }
        if (reuse != nullptr) {
            reuse->hashed = true;
        }
    }
    for (std::uint32_t a = 0; a < disk.size(); ++a) {
        const support::FileDigest &d = digests[first_of[a]];
        ArtifactCheck &c = out.artifacts[a];
        const auto &art = prog.artifacts[a];
        if (options.overrides.artifact_changed.count(a) != 0) {
            c.state = ArtifactState::Changed;
            c.actual = d.hex ? *d.hex : std::string();
            c.error = "contents changed (hypothetical change)";
        } else if (!d.hex) {
            c.state = ArtifactState::Missing;
            c.error = d.error;
        } else {
            c.actual = *d.hex;
            // A digest a re-attestation accepted stands for the recorded one.
            const auto accepted = options.overrides.accepted_sha256.find(a);
            const std::string &recorded =
                accepted != options.overrides.accepted_sha256.end() ? accepted->second : art.sha256;
            c.state = recorded.empty()       ? ArtifactState::Unrecorded
                      : recorded == c.actual ? ArtifactState::Verified
                                             : ArtifactState::Changed;
            if (c.state == ArtifactState::Changed && recorded != art.sha256) {
                c.error = "has SHA-256 " + c.actual + ", not the " + recorded +
                          " accepted when its evidence was re-attested";
            }
        }
    }
}

void read_artifact_values(const sema::Program &prog, const ProveOptions &options, ProofResult &out,
                          const std::vector<std::string> &disk) {
    Reuse *reuse = options.reuse.get();
    const std::size_t n = prog.artifacts.size();
    if (reuse != nullptr && reuse->read) {
        // Read again only the artifacts whose file an event said changed, and those verified
        // now that were not when last read (nothing was read from them then). An artifact no
        // longer verified keeps the values read: its evidence is invalid by its state, and
        // impact's re-verification judges it on the file as it is.
        std::vector<std::uint8_t> again(n, 0);
        bool any = false;
        for (std::size_t a = 0; a < n; ++a) {
            again[a] = (a < reuse->stale.size() && reuse->stale[a] != 0) ||
                               (out.artifacts[a].state == ArtifactState::Verified &&
                                reuse->read_states[a] != ArtifactState::Verified)
                           ? 1
                           : 0;
            any = any || again[a] != 0;
        }
        if (any) {
            const std::vector<ReadOutcome> fresh =
                read_values(prog, disk, out.artifacts, options.lanes, &again);
            for (std::uint32_t r = 0; r < prog.reads.size(); ++r) {
                if (again[prog.decl(prog.reads[r].artifact).index] != 0) {
                    reuse->reads[r] = fresh[r];
                }
            }
            for (std::size_t a = 0; a < n; ++a) {
                if (again[a] != 0) {
                    reuse->read_states[a] = out.artifacts[a].state;
                }
            }
        }
        reuse->stale.clear();
        out.reads = reuse->reads;
        return;
    }
    out.reads = read_values(prog, disk, out.artifacts, options.lanes);
    if (reuse != nullptr) {
        reuse->reads = out.reads;
        reuse->read = true;
        reuse->read_states.resize(n);
        for (std::size_t a = 0; a < n; ++a) {
            reuse->read_states[a] = out.artifacts[a].state;
        }
        reuse->stale.clear();
    }
}

bool judge_one_evidence(const sema::Program &prog, const ProveOptions &options, ProofResult &out,
                        std::uint32_t ei) {
    const Overrides &ov = options.overrides;
    {
        const auto &ev = prog.evidence[ei];
        ElementResult &r = out.elements[ev.decl.value];
        if (ov.reverified.count(ei) != 0) {
            unpinned(prog, options, ev, /*reverified=*/true, r);
            return r.status == Status::Supported;
        }
        if (ov.withdrawn.count(ei) != 0) {
            add_reason(r, {ReasonKind::EvidenceWithdrawn,
                           Status::Unsupported,
                           {},
                           kNone,
                           kNone,
                           "withdrawn (hypothetical change)"});
        }
        const auto result_it = ov.result.find(ei);
        // A result read from an artifact (none when it could not be read: the reasons why
        // are the artifact's or the read's own, below).
        const std::optional<sema::EvidenceResult> read_from_file =
            ev.result_read != kNone ? prove::read_result(out.reads[ev.result_read]) : std::nullopt;
        const std::optional<sema::EvidenceResult> result =
            result_it != ov.result.end() ? result_it->second
            : ev.result_read == kNone    ? ev.result
                                         : read_from_file;
        // Reads that failed: the evidence is invalid, with what was looked for and found.
        auto read_failed = [&](std::uint32_t read) {
            const ReadOutcome &ro = out.reads[read];
            const DeclId a = prog.reads[read].artifact;
            if (ro.state == ReadOutcome::State::Failed) {
                add_reason(r, {ReasonKind::ArtifactValue, Status::Unsupported, a, kNone, kNone,
                               prog.qualified_name(a) + " (" +
                                   out.artifacts[prog.decl(a).index].path + "): " + ro.error});
            } else if (ro.state == ReadOutcome::State::NotRead &&
                       out.artifacts[prog.decl(a).index].state == ArtifactState::Verified) {
                // Never the case (a verified artifact is read); stays sound if it were.
                add_reason(r, {ReasonKind::ArtifactValue, Status::Unsupported, a, kNone, kNone,
                               prog.qualified_name(a) + ": not read"});
            }
        };
        if (ev.result_read != kNone) {
            read_failed(ev.result_read);
        }
        for (const sema::Metric &metric : ev.metrics) {
            if (metric.read != kNone) {
                read_failed(metric.read);
            }
        }
        const auto until_it = ov.valid_until.find(ei);
        const std::optional<sema::Date> valid_until =
            until_it != ov.valid_until.end() ? std::optional<sema::Date>(until_it->second)
                                             : ev.valid_until;
        // Where a result read from an artifact came from, for its reason.
        const std::string read_from =
            read_from_file && result_it == ov.result.end()
                ? " (read from " + prog.qualified_name(prog.reads[ev.result_read].artifact) + " " +
                      read_selector_text(prog.reads[ev.result_read]) + ": " +
                      out.reads[ev.result_read].text + ")"
                : std::string();
        switch (result.value_or(sema::EvidenceResult::Pass)) { // none: invalid already
        case sema::EvidenceResult::Pass:
            break;
        case sema::EvidenceResult::Fail:
            add_reason(r, {ReasonKind::EvidenceFailed,
                           Status::Unsupported,
                           {},
                           kNone,
                           kNone,
                           "result: fail" + read_from});
            break;
        case sema::EvidenceResult::Pending:
            add_reason(r, {ReasonKind::EvidencePending,
                           Status::Unsupported,
                           {},
                           kNone,
                           kNone,
                           "result: pending" + read_from});
            break;
        }
        if (const auto dated = evidence_date(prog, ov, ei); dated && options.date < *dated) {
            add_reason(r, {ReasonKind::EvidenceNotYetValid,
                           Status::Unsupported,
                           {},
                           kNone,
                           kNone,
                           "not yet valid: dated " + format_date(*dated) +
                               ", after the date used (" + format_date(options.date) + ")"});
        }
        if (valid_until && options.date > *valid_until) {
            add_reason(r, {ReasonKind::EvidenceExpired,
                           Status::Unsupported,
                           {},
                           kNone,
                           kNone,
                           "expired on " + format_date(*valid_until) + " (the date used is " +
                               format_date(options.date) + ")"});
        }
        for (DeclId a : ev.artifacts) {
            const std::uint32_t idx = prog.decl(a).index;
            const ArtifactCheck &c = out.artifacts[idx];
            switch (c.state) {
            case ArtifactState::Verified:
                break;
            case ArtifactState::Missing:
                add_reason(r, {ReasonKind::ArtifactMissing, Status::Unsupported, a, kNone, kNone,
                               c.path + " cannot be read: " + c.error});
                break;
            case ArtifactState::Changed:
                add_reason(r,
                           {ReasonKind::ArtifactChanged, Status::Unsupported, a, kNone, kNone,
                            c.error.empty() ? c.path + " has SHA-256 " + c.actual +
                                                  ", not the recorded " + prog.artifacts[idx].sha256
                                            : c.path + " " + c.error});
                break;
            case ArtifactState::Unrecorded:
                add_reason(
                    r, {ReasonKind::ArtifactUnrecorded, Status::Unsupported, a, kNone, kNone,
                        c.path + " has no recorded sha256 (its SHA-256 now is " + c.actual + ")"});
                break;
            }
        }
        unpinned(prog, options, ev, /*reverified=*/false, r);
        return r.status == Status::Supported;
    }
}

void judge_evidence(const sema::Program &prog, const ProveOptions &options, ProofResult &out,
                    std::vector<std::uint8_t> &local_ok) {
    local_ok.assign(prog.decls.size(), 0);
    for (std::uint32_t ei = 0; ei < prog.evidence.size(); ++ei) {
        local_ok[prog.evidence[ei].decl.value] = judge_one_evidence(prog, options, out, ei) ? 1 : 0;
    }
}

/// --require-artifacts: evidence of a user's module that lists no artifact with a recorded
/// sha256 rests on nothing pinned and is invalid. Evidence whose artifacts all lack one is
/// invalid already (artifact_unrecorded), which says it; so this reason is for evidence
/// listing none, which re-verification (it re-records its artifacts' hashes) cannot fix.

std::optional<sema::Date> evidence_date(const sema::Program &program, const Overrides &overrides,
                                        std::uint32_t ei) {
    const auto it = overrides.produced.find(ei);
    return it != overrides.produced.end() ? std::optional<sema::Date>(it->second)
                                          : program.evidence[ei].date;
}

} // namespace assure::prove
