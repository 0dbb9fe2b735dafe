// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report: the pieces proof.cpp, explain.cpp and trace.cpp share.

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
/// The status word of an element of `kind`: valid/invalid, holds/fails, or a verdict.
const char *element_status(sema::DeclKind kind, prove::Status s);
/// The facts about the run that head both result.json and a trace's manifest.
void put_run(nlohmann::ordered_json &j, const char *format, const prove::ProofResult &result,
             const ProofMeta &meta);
/// "#N": obligation numbers are shown 1-based.
std::string ob_ref(std::uint32_t ob);
/// Whether obligation `ob`'s answer means its step holds.
bool step_holds(const prove::ProofResult &r, std::uint32_t ob);
/// "h = m.H (file:line:col), c = m.G (file:line:col)": the elements a rule violation binds.
std::string bindings_text(const sema::Program &program, const support::SourceManager &sources,
                          const prove::RuleViolation &v);
/// "obligation #N: unsat[, same query as another obligation]".
std::string ob_summary(const prove::ProofResult &r, std::uint32_t ob);

} // namespace assure::report::detail
