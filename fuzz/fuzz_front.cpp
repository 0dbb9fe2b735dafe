// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes through the whole front end (prescan, parse, resolve,
// type-check, graph checks). Checks the round-trip property on a sample of the inputs that
// parse (one in 16, chosen by a hash of the input, so a finding reproduces): print(parse(x))
// parses again, to the same printed text. Checking every input parsed each one three times,
// which made this target three times slower.
#include "dsl/loader.hpp"
#include "dsl/parser.hpp"
#include "dsl/printer.hpp"
#include "dsl/sema/analyze.hpp"
#include "fuzz_support.hpp"
#include "ir/analysis.hpp"
#include "lower/lower.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string reprint(const std::string &text, bool &complete) {
    assure::support::SourceManager sources;
    assure::support::Diagnostics diags;
    const auto id = sources.add("fuzz.assure", text);
    auto parsed = assure::dsl::parse(id, sources, diags);
    complete = parsed.complete;
    return assure::dsl::print(parsed.file);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    assure::support::SourceManager sources;
    assure::support::Diagnostics diags;
    const auto id = sources.add("fuzz.assure", text);
    assure::dsl::LoadOptions options; // no stdlib: imports stay unresolved
    auto loaded = assure::dsl::load_buffers({id}, options, sources, diags);
    const auto program = assure::sema::analyze(loaded, sources, diags);
    assure::sema::check_empty_regions(program, diags);
    const auto lowered = assure::lower::lower_graph(program);
    assure::ir::check_structure(lowered.graph, diags);
    diags.sort_and_dedupe();

    if (assure::fuzz::input_hash(text) % 16 != 0) {
        return 0;
    }
    bool complete = false;
    const std::string once = reprint(text, complete);
    if (complete) {
        bool again = false;
        const std::string twice = reprint(once, again);
        if (!again || once != twice) {
            std::fprintf(stderr,
                         "round trip failed:\n--- printed once\n%s\n--- printed twice\n%s\n",
                         once.c_str(), twice.c_str());
            std::abort();
        }
    }
    return 0;
}
