// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as `--change` specs, one a line (at most 8), for
// `assure impact` on the fixed case of fuzz/fixture. Each spec goes through
// impact::parse_change on its own, then all of them through the whole command: names resolved,
// text changes (odd:, scope:, severity:, likelihood:) rewritten into the case and the case
// analysed again, the changed case proved, the re-verification plan optimised and re-proved,
// and the report rendered.
#include "fuzz_support.hpp"
#include "impact/impact.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    namespace impact = assure::impact;
    static const auto file = assure::fuzz::install_fixture(assure::fuzz::scratch() / "case");

    const std::string text(reinterpret_cast<const char *>(data), size);
    std::vector<std::string> specs;
    std::size_t pos = 0;
    while (pos <= text.size() && specs.size() < 8) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        specs.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    for (const auto &spec : specs) {
        std::string error;
        const auto change = impact::parse_change(spec, error);
        if (change ? change->spec != spec : error.empty()) {
            std::fprintf(stderr, "parse_change(`%s`): %s\n", spec.c_str(),
                         change ? "the change does not keep its spec" : "no error message");
            std::abort();
        }
    }

    auto options = assure::fuzz::prove_options(file);
    options.changes = specs;
    options.format = assure::fuzz::input_hash(text) % 2 == 0 ? "text" : "json";
    std::ostringstream out;
    std::ostringstream err;
    const auto code = assure::cli::run_impact(options, out, err);
    assure::fuzz::require_no_internal_error(code, "impact --change", err.str());
    return 0;
}
