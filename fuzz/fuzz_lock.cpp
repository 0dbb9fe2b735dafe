// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a lockfile (src/impact/lock.hpp). Whatever parses must
// render to a lockfile that parses again to the same rendering, give a baseline, and differ
// from itself in nothing but expiry. One input in 16 (by a hash of the input) is also given to
// `assure impact --since` against the fixed case of fuzz/fixture, which compares the forged
// lock with the case as it is and analyses the differences.
#include "fuzz_support.hpp"
#include "impact/lock.hpp"
#include "support/text.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

[[noreturn]] void fail(const char *what, const std::string &a, const std::string &b) {
    std::fprintf(stderr, "lock property failed: %s\n--- first\n%s\n--- second\n%s\n", what,
                 a.c_str(), b.c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    namespace impact = assure::impact;
    std::string text(reinterpret_cast<const char *>(data), size);
    // A mutated lock almost never matches its digest, which would leave the parser behind the
    // check untested: half the inputs get a fresh digest of their own bytes (the other half
    // keep testing the check itself).
    if (!text.empty() && (static_cast<unsigned char>(text[0]) & 1U) != 0) {
        if (text.back() != '\n') {
            text += '\n';
        }
        text += impact::digest_line(text);
    }
    std::string error;
    const auto lock = impact::parse_lock(text, error);
    if (!lock) {
        if (error.empty()) {
            fail("a rejected lock has no error message", text, "");
        }
    } else {
        const std::string once = impact::render_lock(*lock);
        const auto again = impact::parse_lock(once, error);
        if (!again) {
            fail("a rendered lock does not parse", once, error);
        }
        const std::string twice = impact::render_lock(*again);
        if (once != twice) {
            fail("rendering is not stable", once, twice);
        }
        (void)impact::baseline_of(*lock);
        for (const auto &change : impact::diff(*lock, *again, assure::sema::Date{2026, 6, 15})) {
            const std::string said = impact::describe(change);
            if (change.what != impact::LockChange::What::Expiry) {
                fail("a lock differs from its own rendering", once, said);
            }
        }
    }

    if (assure::fuzz::input_hash(text) % 16 == 0) {
        static const auto dir = assure::fuzz::scratch() / "case";
        static const auto file = assure::fuzz::install_fixture(dir);
        assure::fuzz::write_file(dir / "fuzz.lock", text);
        auto options = assure::fuzz::prove_options(file);
        options.since = (dir / "fuzz.lock").string();
        options.format = size % 2 == 0 ? "text" : "json";
        std::ostringstream out;
        std::ostringstream err;
        const auto code = assure::cli::run_impact(options, out, err);
        assure::fuzz::require_no_internal_error(code, "impact --since", err.str());
    }
    return 0;
}
