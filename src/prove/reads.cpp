// SPDX-License-Identifier: Apache-2.0
// Values read from artifacts (docs/semantics.md, "Values read from artifacts"): each file is
// read once, its bytes hashed again and compared with the recorded SHA-256, and only then are
// values selected from those very bytes, so a value always comes from the verified content.
#include "prove/reads.hpp"

#include "support/safe_fs.hpp"
#include "support/sha256.hpp"
#include "support/text.hpp"

#include <map>

namespace assure::prove {

namespace {

/// value ± z × se, exactly.
void stderr_bounds(ReadOutcome &r, const support::Decimal &z, const support::Decimal &se) {
    const support::Decimal half = z * se;
    r.low = r.value.value - half;
    r.high = r.value.value + half;
}

/// Reads one source from the bytes of its (verified) artifact.
ReadOutcome read_one(const sema::ReadSpec &spec, std::string_view bytes) {
    ReadOutcome out;
    auto fail = [&](const artifacts::Selector &sel, const std::string &error) {
        out.state = ReadOutcome::State::Failed;
        out.error =
            (&sel == &spec.selector ? read_selector_text(spec) : sel.describe()) + ": " + error;
        return out;
    };
    if (spec.result) {
        artifacts::ResultOutcome r = artifacts::read_result(bytes, spec.selector);
        if (!r.result) {
            return fail(spec.selector, r.error);
        }
        out.state = ReadOutcome::State::Read;
        out.result = r.result;
        out.text = r.text;
        return out;
    }
    artifacts::Outcome v = artifacts::read_number(bytes, spec.selector);
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
                                     const std::vector<ArtifactCheck> &checks) {
    std::vector<ReadOutcome> out(program.reads.size());
    // Each file once: its bytes, or why there are none.
    struct Bytes {
        std::optional<std::string> data;
        std::string error;
    };
    std::map<std::uint32_t, Bytes> files; // by artifact index
    for (std::uint32_t r = 0; r < program.reads.size(); ++r) {
        const sema::ReadSpec &spec = program.reads[r];
        const std::uint32_t a = program.decl(spec.artifact).index;
        const ArtifactCheck &check = checks[a];
        if (check.state != ArtifactState::Verified) {
            continue; // the evidence is invalid by its artifact already: nothing is read
        }
        auto [it, fresh] = files.try_emplace(a);
        Bytes &b = it->second;
        if (fresh) {
            support::FsError error;
            b.data = support::read_regular_file(disk[a], kMaxReadBytes, /*follow=*/true, error);
            if (!b.data) {
                b.error = error.problem == support::FsProblem::TooLarge
                              ? "is too large to read values from: more than " +
                                    std::to_string(kMaxReadBytes >> 20) + " MiB"
                              : "cannot be read: " + error.message;
            } else if (support::sha256_hex(*b.data) != check.actual) {
                // Changed between hashing and reading: never read from unverified bytes.
                b.data.reset();
                b.error = "changed while it was being read; run assure again";
            }
        }
        if (!b.data) {
            out[r].state = ReadOutcome::State::Failed;
            out[r].error = b.error;
            continue;
        }
        out[r] = read_one(spec, *b.data);
        out[r].sha256 = check.actual;
    }
    return out;
}

} // namespace assure::prove
