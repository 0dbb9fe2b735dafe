// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure monitor`'s engine: a proved case compiled into one evaluator per domain, judging each
// runtime record against the claims' formal statements (violations) and, for operating points
// of an ODD's domain, the assurance envelope (docs/monitor.md). Everything that does not depend
// on a record -- which claims are supported, which scopes are empty, the root causes of
// unsupported claims -- is decided once from the proof; no record ever reaches the solver.

#include "dsl/sema/program.hpp"
#include "monitor/eval.hpp"
#include "monitor/record.hpp"
#include "prove/prove.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace assure::monitor {

/// Where a record lies with respect to the case's assurance (docs/monitor.md, "Envelope").
enum class Envelope : std::uint8_t {
    None,       // the domain has no ODD to judge operating points against
    OutsideOdd, // fails a constraint of the ODD
    Unassured,  // inside the ODD, in no supported claim's scope (with its assumptions holding)
    Assured,    // inside the ODD and the scope of at least one supported claim (whose
                // assumptions hold there and whose statement the record does not falsify)
};
/// "none", "outside_odd", "unassured", "assured".
const char *envelope_name(Envelope e);

/// A claim's formal statement is false on the record: the record lies in its scope and
/// satisfies the assumptions its support relies on.
struct Violation {
    std::uint32_t claim = 0; // Monitor::claims() index
};

/// Why an unassured point is not assured, through the nearest claim (docs/monitor.md,
/// "Nearest claim").
struct Nearest {
    enum class Why : std::uint8_t {
        Unsupported,       // in its scope, but the claim is not supported
        AssumptionFails,   // in its scope, but an assumption its support relies on is false
        AssumptionUnknown, // in its scope, an assumption cannot be decided (division by zero)
        OutsideScope,      // the claim's scope misses the point by `missed` conditions
        Violated,          // in its scope, but the record violates the claim's statement
        Undecided,         // in its scope, but the claim's statement is undecided there
    };
    std::uint32_t claim = 0;
    Why why = Why::OutsideScope;
    std::vector<std::uint32_t> missed; // Monitor::conditions() indices (scope or assumption)
};

/// The judgement of one record: what the log stores and the output shows.
struct Verdict {
    std::uint64_t line = 0;
    std::string id;
    std::vector<Violation> violations;    // Monitor::claims() order
    std::vector<std::uint32_t> undecided; // claims whose statement or scope the record leaves
                                          // undecided (a division by zero)
    Envelope envelope = Envelope::None;
    std::vector<std::uint32_t> odd_failed; // OutsideOdd: Monitor::conditions() indices
    std::vector<std::uint32_t> assured_by; // Assured: claims, Monitor::claims() order
    std::optional<Nearest> nearest;        // Unassured
    /// Nominal: no violation, nothing undecided, and assured (or no ODD to judge against).
    [[nodiscard]] bool nominal() const {
        return violations.empty() && undecided.empty() &&
               (envelope == Envelope::None || envelope == Envelope::Assured);
    }
};

/// A claim the monitor checks: over the monitored domain, with a formal statement or a scope.
struct MonitoredClaim {
    sema::DeclId decl;
    std::string name; // qualified
    std::string title;
    prove::Status status = prove::Status::Unsupported;
    bool empty_scope = false;               // the proof showed no operating point lies in its scope
    bool has_formal = false;                // violations are checked
    std::vector<std::string> causes;        // unsupported: its root causes, one line each
    std::vector<std::uint32_t> formal_vars; // variables the statement mentions (VarIds)
    std::vector<std::uint32_t> assumptions; // Monitor::assumptions() indices it relies on
    /// prove's relies_overflow: the support rests on more assumptions than the proof tracked, so
    /// the claim assures no point and a falsified statement is undecided, not a violation.
    bool assumptions_untracked = false;
    // Program slots
    std::uint32_t scope = UINT32_MAX, formal = UINT32_MAX;
    std::vector<std::uint32_t> scope_conditions; // Monitor::conditions() indices
};

struct MonitoredAssumption {
    sema::DeclId decl;
    std::string name;
    std::uint32_t condition = 0; // Monitor::conditions() index: its statement
};

/// One condition of a region (a conjunct of an ODD or a scope), shown as written.
struct Condition {
    std::uint32_t slot = 0;
    std::string text;     // the source text, "visibility >= 200"
    std::string location; // "perception.assure:19"
    std::vector<std::uint32_t> vars;
};

struct MonitorSetup {
    sema::DeclId domain;
    sema::DeclId odd; // invalid: no envelope
};

class Monitor {
  public:
    /// Compiles the claims over `setup.domain` from the proof. `result` must be the proof of
    /// `program` (its constraint builder gains the terms of scopes and statements).
    Monitor(const sema::Program &program, const support::SourceManager &sources,
            prove::ProofResult &result, const MonitorSetup &setup);

    /// Judges one record.
    Verdict judge(const Record &record);

    /// The variables a record must give: those the statements, scopes, assumptions and ODD read.
    [[nodiscard]] const std::vector<std::uint32_t> &required() const { return required_; }
    [[nodiscard]] const std::vector<MonitoredClaim> &claims() const { return claims_; }
    [[nodiscard]] const std::vector<MonitoredAssumption> &assumptions() const {
        return assumptions_;
    }
    [[nodiscard]] const std::vector<Condition> &conditions() const { return conditions_; }
    [[nodiscard]] const sema::Program &program() const { return program_; }
    [[nodiscard]] sema::DeclId domain() const { return setup_.domain; }
    [[nodiscard]] sema::DeclId odd() const { return setup_.odd; }
    /// Claims with a formal statement over the domain.
    [[nodiscard]] std::size_t formal_count() const;
    /// The program's size in operations (for --verbose).
    [[nodiscard]] std::size_t program_size() const { return eval_.size(); }

  private:
    std::uint32_t condition(ir::TermId term);

    const sema::Program &program_;
    const support::SourceManager &sources_;
    MonitorSetup setup_;
    Program eval_;
    std::vector<MonitoredClaim> claims_;
    std::vector<MonitoredAssumption> assumptions_;
    std::vector<Condition> conditions_;
    std::map<ir::TermId, std::uint32_t> condition_of_;
    std::vector<std::uint32_t> odd_conditions_;
    std::uint32_t odd_slot_ = UINT32_MAX;
    std::vector<std::uint32_t> required_;
};

/// The domain and odd to monitor (docs/monitor.md, "Which domain"): `domain_name` (from the
/// mapping or --domain) or, when empty, the one domain that formal statements of claims use
/// (else the one domain an odd is over); `odd_name`, or the domain's only odd. Nullopt with
/// `error` when none or several fit.
std::optional<MonitorSetup> choose_setup(const sema::Program &program,
                                         const std::string &domain_name,
                                         const std::string &odd_name, std::string &error);

/// Counts over a run, for the summary.
struct Summary {
    std::uint64_t records = 0, nominal = 0, with_violations = 0, undecided = 0, skipped = 0;
    std::uint64_t outside_odd = 0, unassured = 0, assured = 0;
    std::vector<std::uint64_t> violations_by_claim; // Monitor::claims() order
    std::map<support::Code, std::uint64_t> skipped_by_code;
    void add(const Verdict &v, std::size_t claims);
    void add(const RecordError &e);
};

/// The verdict as one line of text (no newline): "line 12 [ep-0042]: violation of ...".
std::string verdict_text(const Monitor &m, const Record &record, const Verdict &v);
/// The verdict as one line of JSON (no newline), keys in a fixed order: what a log stores.
std::string verdict_json(const Monitor &m, const Record &record, const Verdict &v);
/// The same verdict as a JSON object with sorted keys (what a monitor log stores).
nlohmann::json verdict_object(const Monitor &m, const Record &record, const Verdict &v);
/// A skipped record as one line of text or JSON.
std::string error_text(const RecordError &e);
std::string error_json(const RecordError &e);
/// The summary: text (several lines, each ending in '\n') or one JSON line.
std::string summary_text(const Monitor &m, const Summary &s);
std::string summary_json(const Monitor &m, const Summary &s);

} // namespace assure::monitor
