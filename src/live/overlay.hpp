// SPDX-License-Identifier: Apache-2.0
#pragma once

// The live state events leave on a case (docs/serve.md, "What events do"): evidence results,
// withdrawals, expiry and attestation dates, defeater statuses and accepted artifact digests,
// by qualified name. It is a pure function of the events in chain order, so a restarted
// service rebuilds it from the history.

#include "live/spec.hpp"
#include "prove/prove.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace assure::live {

class Overlay {
  public:
    /// Applies one spec of an event recorded on `day` (names already qualified).
    void apply(const Spec &spec, sema::Date day);

    /// The what-if overrides this state amounts to on `program`; the names it no longer
    /// declares (of the right kind) are left out and listed in `missing`.
    [[nodiscard]] prove::Overrides overrides(const sema::Program &program,
                                             std::vector<std::string> &missing) const;

    [[nodiscard]] bool empty() const {
        return evidence_.empty() && defeaters_.empty() && accepted_.empty();
    }

  private:
    struct Evidence {
        std::optional<sema::EvidenceResult> result;
        bool withdrawn = false;
        std::optional<sema::Date> valid_until;
        std::optional<sema::Date> produced;
    };
    std::map<std::string, Evidence> evidence_;
    std::map<std::string, sema::DefeaterStatus> defeaters_;
    std::map<std::string, std::string> accepted_; // artifact -> SHA-256
};

} // namespace assure::live
