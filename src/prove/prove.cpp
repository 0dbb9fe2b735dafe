// SPDX-License-Identifier: Apache-2.0
#include "prove/prove.hpp"

#include "prove/engine.hpp"

namespace assure::prove {

ProofResult prove(const sema::Program &program, const lower::Lowered &lowered,
                  const support::SourceManager &sources, const ProveOptions &options) {
    ProofResult out;
    out.date = options.date;
    out.overrides = options.overrides;
    detail::Engine(program, lowered, sources, options, out).run();
    return out;
}

} // namespace assure::prove
