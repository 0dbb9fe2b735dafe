// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report: the pieces proof.cpp, explain.cpp and trace.cpp share.

#include "prove/defeaters.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace assure::report::detail {

/// "sat", "unsat", "unknown".
const char *answer_name(solver::Verdict v);
/// {file, line, column} (and the pattern instance) of a span, for JSON; null when invalid.
nlohmann::ordered_json location_json(const support::SourceManager &sources, support::Span span);
/// The facts about the run that head both result.json and a trace's manifest.
void put_run(nlohmann::ordered_json &j, const char *format, const prove::ProofResult &result,
             const ProofMeta &meta);
/// Where a value was read from (Program::reads index `read`): artifact, path, sha256, selector,
/// bound, state, value, text, low, high, error.
nlohmann::ordered_json read_json(const sema::Program &program, const prove::ProofResult &result,
                                 std::uint32_t read);
/// "#N": obligation numbers are shown 1-based.
std::string ob_ref(std::uint32_t ob);
/// Whether obligation `ob`'s answer means its step holds.
bool step_holds(const prove::ProofResult &r, std::uint32_t ob);
/// "h = m.H (file:line:col), c = m.G (file:line:col)": the elements a rule violation binds.
std::string bindings_text(const sema::Program &program, const support::SourceManager &sources,
                          const prove::RuleViolation &v);
/// A defeater for JSON: name, relation, target, status as judged, activity, and why (the
/// account's code and words, its resolvers with their statuses, the defeaters defeating it).
nlohmann::ordered_json defeater_json(const sema::Program &program, const prove::ProofResult &result,
                                     std::uint32_t di, const prove::DefeaterAccount &account);
/// An element's local reasons for JSON (kind, status, message, element, obligation).
nlohmann::ordered_json reasons_json(const sema::Program &program, const prove::ElementResult &r);
/// A rule's result for JSON: holds, instances, violations and undecided instances.
nlohmann::ordered_json rule_json(const sema::Program &program, const prove::ProofResult &result,
                                 const support::SourceManager &sources, std::uint32_t ri);
/// A hazard for JSON: its rating, level before and after mitigation, and findings.
nlohmann::ordered_json hazard_json(const sema::Program &program, const prove::ProofResult &result,
                                   const support::SourceManager &sources, std::uint32_t h);
/// The obligations of one proof in words: "obligation #N: no uncovered point exists[; decided
/// once with an identical obligation]" (prove::obligation_answer_words; whether it repeats an
/// earlier one from prove::repeated_obligations, computed on first use).
class ObSummaries {
  public:
    explicit ObSummaries(const prove::ProofResult &r) : r_(r) {}
    std::string operator()(std::uint32_t ob);

  private:
    const prove::ProofResult &r_;
    std::vector<std::uint8_t> repeated_;
};

} // namespace assure::report::detail
