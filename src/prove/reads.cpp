// SPDX-License-Identifier: Apache-2.0
// Values read from artifacts (docs/semantics.md, "Values read from artifacts"): each file is
// read once, its bytes hashed again and compared with the recorded SHA-256, and only then are
// values selected from those very bytes, so a value always comes from the verified content.
#include "prove/reads.hpp"

#include "support/safe_fs.hpp"
#include "support/sha256.hpp"
#include "support/text.hpp"
#include "support/worker.hpp"

#include <algorithm>
#include <string_view>

namespace assure::prove {

namespace {

/// value ± z × se, exactly.
void stderr_bounds(ReadOutcome &r, const support::Decimal &z, const support::Decimal &se) {
    const support::Decimal half = z * se;
    r.low = r.value.value - half;
    r.high = r.value.value + half;
}

/// Reads one source from the bytes of its (verified) artifact.
ReadOutcome read_one(const sema::ReadSpec &spec, std::string_view bytes,
                     const artifacts::ReadContext &context) {
    ReadOutcome out;
    auto fail = [&](const artifacts::Selector &sel, const std::string &error) {
        out.state = ReadOutcome::State::Failed;
        out.error =
            (&sel == &spec.selector ? read_selector_text(spec) : sel.describe()) + ": " + error;
        return out;
    };
    if (spec.result) {
        artifacts::ResultOutcome r = artifacts::read_result(bytes, spec.selector, context);
        if (!r.result) {
            return fail(spec.selector, r.error);
        }
        out.state = ReadOutcome::State::Read;
        out.result = r.result;
        out.text = r.text;
        return out;
    }
    artifacts::Outcome v = artifacts::read_number(bytes, spec.selector, context);
    if (!v.value) {
        return fail(spec.selector, v.error);
    }
    out.value = std::move(*v.value);
    out.text = out.value.text;
    switch (spec.bound) {
    case sema::ReadSpec::Bound::None:
        break;
    case sema::ReadSpec::Bound::Interval: {
        artifacts::Outcome lo = artifacts::read_number(bytes, spec.low);
        if (!lo.value) {
            return fail(spec.low, lo.error);
        }
        artifacts::Outcome hi = artifacts::read_number(bytes, spec.high);
        if (!hi.value) {
            return fail(spec.high, hi.error);
        }
        if (hi.value->value < lo.value->value) {
            return fail(spec.low, "the interval's low end " + lo.value->text +
                                      " is above its high end " + hi.value->text);
        }
        out.low = lo.value->value;
        out.high = hi.value->value;
        break;
    }
    case sema::ReadSpec::Bound::Stderr: {
        artifacts::Outcome se = artifacts::read_number(bytes, spec.low);
        if (!se.value) {
            return fail(spec.low, se.error);
        }
        if (se.value->value.negative()) {
            return fail(spec.low, "the standard error " + se.value->text + " is negative");
        }
        stderr_bounds(out, spec.z, se.value->value);
        break;
    }
    }
    out.state = ReadOutcome::State::Read;
    return out;
}

} // namespace

std::vector<ReadOutcome> read_values(const sema::Program &program,
                                     const std::vector<std::string> &disk,
                                     const std::vector<ArtifactCheck> &checks, unsigned lanes,
                                     const artifacts::ReadContext &context,
                                     const std::vector<std::uint8_t> *only) {
    std::vector<ReadOutcome> out(program.reads.size());
    // The reads from verified artifacts, grouped by the file on disk (several artifacts may name
    // one file): each file is read once, and its bytes are dropped as soon as its reads are
    // done, so that at most one file per lane is held in memory however many are read.
    struct Job {
        std::string_view path;
        std::uint32_t read;
        std::uint32_t artifact;
    };
    std::vector<Job> jobs;
    for (std::uint32_t r = 0; r < program.reads.size(); ++r) {
        const std::uint32_t a = program.decl(program.reads[r].artifact).index;
        if (checks[a].state == ArtifactState::Verified && (only == nullptr || (*only)[a] != 0)) {
            jobs.push_back({disk[a], r, a});
        }
        // otherwise the evidence is invalid by its artifact already: nothing is read
    }
    std::sort(jobs.begin(), jobs.end(), [](const Job &x, const Job &y) {
        return x.path != y.path ? x.path < y.path : x.read < y.read;
    });
    std::vector<std::size_t> groups; // where each file's jobs begin, then jobs.size()
    for (std::size_t j = 0; j < jobs.size(); ++j) {
        if (j == 0 || jobs[j].path != jobs[j - 1].path) {
            groups.push_back(j);
        }
    }
    const std::size_t files = groups.size();
    groups.push_back(jobs.size());

    auto read_file = [&](std::size_t g) {
        const std::size_t begin = groups[g];
        const std::size_t end = groups[g + 1];
        support::FsError fs_error;
        std::optional<std::string> bytes = support::read_regular_file(
            std::string(jobs[begin].path), kMaxReadBytes, /*follow=*/true, fs_error);
        std::string error;
        std::string hex;
        if (!bytes) {
            error = fs_error.problem == support::FsProblem::TooLarge
                        ? "is too large to read values from: more than " +
                              std::to_string(kMaxReadBytes >> 20) + " MiB"
                        : "cannot be read: " + fs_error.message;
        } else {
            hex = support::sha256_hex(*bytes);
        }
        for (std::size_t j = begin; j < end; ++j) {
            const Job &job = jobs[j];
            ReadOutcome &o = out[job.read];
            if (!error.empty() || hex != checks[job.artifact].actual) {
                o.state = ReadOutcome::State::Failed;
                // Changed between hashing and reading: never read from unverified bytes.
                o.error =
                    !error.empty() ? error : "changed while it was being read; run assure again";
                continue;
            }
            o = read_one(program.reads[job.read], *bytes, context);
            o.sha256 = hex;
        }
    };
    // Files in turn on each lane; each read's outcome is its file's alone, so the order in
    // which lanes finish shows nowhere.
    auto lane = [&](std::size_t from, std::size_t step) {
        for (std::size_t g = from; g < files; g += step) {
            read_file(g);
        }
    };
    if (files > 16 && lanes > 1) {
        support::Worker other([&] { lane(1, 2); });
        lane(0, 2);
        other.join(); // rethrows what it threw (out of memory) on this thread
    } else {
        lane(0, 1);
    }
    return out;
}

} // namespace assure::prove
