// SPDX-License-Identifier: Apache-2.0
#include "live/record.hpp"

#include "support/assert.hpp"
#include "support/sha256.hpp"

namespace assure::live {

std::vector<history::CaseFile> case_files(const support::SourceManager &sources,
                                          std::vector<std::string> *disk_paths) {
    std::vector<history::CaseFile> files;
    for (support::FileId f = 0; f < sources.size(); ++f) {
        if (sources.origin(f) == support::Origin::User && !sources.expansion(f) &&
            !sources.disk_path(f).empty()) {
            files.push_back({sources.display_name(f), support::sha256_hex(sources.raw_text(f))});
            if (disk_paths != nullptr) {
                disk_paths->push_back(sources.disk_path(f));
            }
        }
    }
    return files;
}

history::Run make_run(const sema::Program &program, const prove::ProofResult &result,
                      const support::SourceManager &sources, report::ProofMeta meta,
                      std::vector<history::CaseFile> files) {
    history::Run run;
    run.files = std::move(files);
    run.case_digest = history::case_digest(run.files);
    meta.exit_code = report::proof_exit_code(result);
    std::string error;
    const bool filled = history::fill_from_proof_json(
        run, report::render_proof_json(program, result, sources, meta), error);
    ASSURE_ASSERT(filled, "render_proof_json writes an assure-prove document");
    (void)filled;
    // The dates each piece of evidence was judged with (the JSON gives the written expiry).
    const prove::Overrides &ov = result.overrides;
    for (std::uint32_t ei = 0; ei < program.evidence.size() && ei < run.evidence.size(); ++ei) {
        const sema::EvidenceInfo &ev = program.evidence[ei];
        const auto until = ov.valid_until.find(ei);
        const auto dated = prove::evidence_date(program, ov, ei);
        history::EvidenceRecord &rec = run.evidence[ei];
        rec.valid_until = until != ov.valid_until.end() ? prove::format_date(until->second)
                          : ev.valid_until              ? prove::format_date(*ev.valid_until)
                                                        : std::string();
        rec.date = dated ? prove::format_date(*dated) : std::string();
    }
    return run;
}

} // namespace assure::live
