// SPDX-License-Identifier: Apache-2.0
#pragma once

// The live case (docs/serve.md): a case held in memory with the state events left on it
// (live/overlay.hpp), proved again after every event and whenever the date passes an evidence
// date, each event and re-judgement appended to a history. `assure serve` puts it behind HTTP;
// `assure event --db` uses it once, without a server.

#include "history/store.hpp"
#include "live/overlay.hpp"
#include "live/spec.hpp"
#include "lower/lower.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace assure::live {

/// One load of the case's files, kept alive by `owner` (the caller's front end).
struct CaseVersion {
    std::shared_ptr<void> owner;
    const sema::Program *program = nullptr;
    const lower::Lowered *lowered = nullptr;
    const support::SourceManager *sources = nullptr;
    std::vector<history::CaseFile> files;
    std::string digest; // history::case_digest(files)
    std::string git_commit;
};

/// Loads the case files again; nullptr with `error` (the diagnostics, rendered) when the case
/// has errors.
using Loader = std::function<std::shared_ptr<CaseVersion>(std::string &error)>;

/// What readers see: one proof of one case version in one state, never modified once published.
struct Snapshot {
    std::shared_ptr<const CaseVersion> version;
    prove::ProofResult result;
    history::Run run;          // the full run of this proof
    std::int64_t run_seq = 0;  // the history entry it was recorded as
    std::int64_t last_seq = 0; // the last history entry it reflects
    std::int64_t events = 0;   // events applied since the service started
};

struct EngineOptions {
    prove::ProveOptions prove; // solver limits, lanes, --require-artifacts (the engine sets the
                               // date, overrides and reuse)
    report::ProofMeta meta;    // versions, limits (date_source is set by the engine)
    Loader load;
    std::function<std::int64_t()> now; // Unix time, UTC
    /// Called after each step of judging an event ("check", "event", the proof's phases,
    /// "run", "record"), for --verbose timings; may be empty.
    std::function<void(const char *)> on_phase;
    std::string command = "serve";      // the runs' command
    std::vector<std::string> arguments; // the runs' arguments
};

/// Why an event was refused (nothing was recorded): an HTTP status, a diagnostic code, the
/// spec concerned (its index, or none) and the range in it, and a sentence.
struct Refusal {
    int status = 400;
    support::Code code = support::Code::E0815;
    std::optional<std::size_t> spec;
    SpecError where;
    std::string message;
};

/// What posting an event did.
struct Posted {
    std::int64_t event_seq = 0;
    std::int64_t run_seq = 0;
    std::vector<std::string> specs;           // as recorded (canonical; attest adds accept: specs)
    std::shared_ptr<const Snapshot> snapshot; // after the event
    std::shared_ptr<const Snapshot> before;   // before it
};

class Engine {
  public:
    Engine(EngineOptions options, history::Store &store);

    /// Loads the case, rebuilds the state from the history's events, proves, and (when
    /// `record_run`) records the run.
    bool start(std::string &error, bool record_run = true);

    /// Checks `specs` against the case (all or none), refuses an event for another case version
    /// (`expected_case`, when not empty, is the case digest the sender saw), appends the event
    /// durably, applies it, proves again and records the run. Serialised: one at a time.
    std::optional<Posted> post(const std::vector<std::string> &specs,
                               const std::string &expected_case, const std::string &note,
                               const std::string &source, Refusal &refusal);

    /// Re-judges when the date (UTC) is no longer the one judged at; when a verdict or an
    /// evidence status changed, records a "clock" event and the run. Returns whether it did.
    bool tick(std::string &error);

    /// The last published proof (never null after start()).
    [[nodiscard]] std::shared_ptr<const Snapshot> snapshot() const;

    /// The history the engine appends to (for readers; Store is not thread-safe: hold the
    /// returned lock while using it).
    [[nodiscard]] std::unique_lock<std::mutex> lock_store() const {
        return std::unique_lock<std::mutex>(write_);
    }
    [[nodiscard]] history::Store &store() const { return store_; }

    /// The proof options events are judged with (date, overrides and reuse left to set).
    [[nodiscard]] const prove::ProveOptions &prove_options() const { return options_.prove; }
    /// The report metadata of a snapshot (versions, limits, its exit code).
    [[nodiscard]] report::ProofMeta meta_for(const Snapshot &snap) const;

  private:
    std::optional<std::vector<Spec>> check(const std::vector<std::string> &texts,
                                           const CaseVersion &version, Refusal &refusal);
    std::shared_ptr<Snapshot> judge(std::shared_ptr<const CaseVersion> version, sema::Date date,
                                    bool fresh_reuse);
    bool record(Snapshot &snap, std::int64_t trigger, std::string &error);
    void publish(std::shared_ptr<Snapshot> snap);
    sema::Date today() const;
    void phase(const char *name) const;

    EngineOptions options_;
    history::Store &store_;
    mutable std::mutex write_;     // posts, ticks, store use
    mutable std::mutex published_; // snapshot_
    std::shared_ptr<const Snapshot> snapshot_;
    std::shared_ptr<prove::Reuse> reuse_;
    Overlay overlay_;
    std::int64_t events_ = 0;
};

} // namespace assure::live
