// SPDX-License-Identifier: Apache-2.0
#include "cli/monitor.hpp"

#include "cli/event.hpp"
#include "cli/front.hpp"
#include "history/run.hpp"
#include "live/record.hpp"
#include "monitor/monitor.hpp"
#include "monitorlog/writer.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"
#include "support/sha256.hpp"
#include "support/signing.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <ostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::cli {

namespace {

/// Closes a descriptor it opened (not stdin).
struct InputFd {
    int fd = -1;
    bool owned = false;
    ~InputFd() {
        if (owned && fd >= 0) {
            ::close(fd);
        }
    }
};

/// Reads a mapping file of at most 1 MiB.
std::optional<std::string> read_small(const std::string &path, std::string &error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = "not a regular file";
        return std::nullopt;
    }
    if (st.st_size > (1 << 20)) {
        error = "larger than 1 MiB";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

ExitCode run_monitor(const MonitorOptions &options, std::ostream &out, std::ostream &err) {
    const CheckOptions &common = options.prove.common;
    const bool json = options.format == "json";

    // The mapping and the input are checked before the proof is run.
    monitor::Mapping mapping = monitor::flat_mapping();
    if (!options.mapping.empty()) {
        std::string error;
        const auto text = read_small(options.mapping, error);
        std::optional<monitor::Mapping> parsed;
        if (text) {
            parsed = monitor::parse_mapping(*text, error);
        }
        if (!parsed) {
            ArgDiags ad;
            ad.plain(support::Code::E0831, "mapping file " + options.mapping + ": " + error);
            return ad.emit(common, err, ExitCode::Usage);
        }
        mapping = std::move(*parsed);
    }
    InputFd input;
    if (options.input == "-") {
        input.fd = STDIN_FILENO;
    } else {
        input.fd = ::open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
        input.owned = true;
        struct stat st {};
        std::string why = input.fd < 0 ? std::strerror(errno) : "";
        if (input.fd >= 0 && ::fstat(input.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            why = "a folder, not a file";
        }
        if (!why.empty()) {
            ArgDiags ad;
            ad.plain(support::Code::E0830, "input " + options.input + " cannot be read: " + why);
            return ad.emit(common, err, ExitCode::Usage);
        }
    }
    if (!options.domain.empty() && !mapping.domain.empty() && options.domain != mapping.domain) {
        ArgDiags ad;
        ad.plain(support::Code::E0832, "--domain " + options.domain + " and the mapping's domain " +
                                           mapping.domain + " differ");
        return ad.emit(common, err, ExitCode::Usage);
    }

    if (options.log.empty() && (!options.notify.empty() || !options.sign_key.empty())) {
        ArgDiags ad;
        ad.plain(support::Code::E0608, "--notify and --sign-key need --log FILE");
        return ad.emit(common, err, ExitCode::Usage);
    }
    if (options.notify.empty() != options.log_artifact.empty()) {
        ArgDiags ad;
        ad.plain(support::Code::E0608,
                 "--notify URL and --log-artifact NAME go together: the service is told the "
                 "log's new digest as that artifact's");
        return ad.emit(common, err, ExitCode::Usage);
    }
    std::string token;
    if (ArgDiags ad; !token_option(options.token_file, token, ad)) {
        return ad.emit(common, err, ExitCode::Usage);
    }
    std::string key_pem;
    if (!options.sign_key.empty()) {
        std::string why;
        const auto pem = support::read_private_key(options.sign_key, why);
        if (!pem) {
            ArgDiags ad;
            ad.plain(support::Code::E0856, "--sign-key " + options.sign_key + ": " + why);
            return ad.emit(common, err, ExitCode::Usage);
        }
        key_pem = *pem;
    }

    StageTimer timer(common.verbose, err);
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(options.prove, meta, date, fe, timer, out, err, nullptr)) {
        return *code;
    }
    const sema::Program &program = *fe.program;
    std::string error;
    const auto setup =
        monitor::choose_setup(program, options.domain.empty() ? mapping.domain : options.domain,
                              options.odd.empty() ? mapping.odd : options.odd, error);
    if (!setup) {
        emit_diagnostics(fe.diags, *fe.sources, common, err);
        ArgDiags ad;
        ad.plain(support::Code::E0832, error);
        return ad.emit(common, err, ExitCode::Usage);
    }

    // Decided once: which claims are supported, which scopes are empty, the root causes.
    prove::ProveOptions po = proof_options(options.prove, date);
    po.on_phase = [&timer](const char *phase) { timer.done(phase); };
    RunScoped<prove::ProofResult> result{prove::prove(program, *fe.lowered, *fe.sources, po)};
    monitor::Monitor mon(program, *fe.sources, *result, *setup);
    emit_diagnostics(fe.diags, *fe.sources, common, err);
    if (mon.formal_count() == 0 && !mon.odd().valid()) {
        ArgDiags warn;
        warn.plain(support::Code::W0111, "domain " + program.qualified_name(setup->domain) +
                                             " has no claim with a formal statement and no odd: "
                                             "every record is nominal");
        warn.emit(common, err, ExitCode::Ok);
    }
    auto source =
        monitor::RecordSource::make(program, setup->domain, mapping, mon.required(), error);
    if (!source) {
        ArgDiags ad;
        ad.plain(support::Code::E0831, "mapping file " + options.mapping + ": " + error);
        return ad.emit(common, err, ExitCode::Usage);
    }
    timer.done("compile");
    timer.note("monitor: " + std::to_string(mon.claims().size()) + " claims (" +
               std::to_string(mon.formal_count()) + " formal statements), " +
               std::to_string(mon.program_size()) + " operations");

    // The log, opened (and an existing one verified whole) before any record is judged.
    std::optional<monitorlog::LogWriter> log;
    std::optional<std::pair<support::Code, std::string>> log_failed;
    if (!options.log.empty()) {
        monitorlog::WriterOptions wo;
        wo.case_digest = history::case_digest(live::case_files(*fe.sources));
        wo.checkpoint_every = options.checkpoint_every;
        wo.sign_key_pem = key_pem;
        wo.durability = options.log_sync_entry ? monitorlog::Durability::Entry
                                               : monitorlog::Durability::Checkpoint;
        wo.repair_torn_tail = options.repair_log;
        monitorlog::LogError le;
        log = monitorlog::LogWriter::open(options.log, wo, le);
        if (!log) {
            ArgDiags ad;
            ad.plain(le.code, "--log " + options.log + ": " + le.message);
            return ad.emit(common, err, ExitCode::Usage);
        }
    }
    // Tells the service the log's digest now, as its artifact's: `artifact:` (the file is the
    // one announced) and `accept:` (its contents stand as recorded).
    std::uint64_t notified = 0; // events the service recorded
    bool unsent = false;        // verdicts appended since the last one
    auto notify = [&](const std::string &note) {
        if (options.notify.empty() || log_failed) {
            return;
        }
        monitorlog::LogError le;
        if (!log->checkpoint(le)) {
            log_failed.emplace(le.code, "--log " + options.log + ": " + le.message);
            return;
        }
        const support::FileDigest d = support::sha256_file(options.log);
        if (!d.hex) {
            log_failed.emplace(support::Code::E0850, "--log " + options.log + ": " + d.error);
            return;
        }
        const Posting p = post_specs(options.notify, token,
                                     {"artifact:" + options.log_artifact + "=" + *d.hex,
                                      "accept:" + options.log_artifact + "=" + *d.hex},
                                     note);
        if (!p.reached || p.status != 200) {
            log_failed.emplace(
                p.reached && p.code == "E0821" ? support::Code::E0821 : support::Code::E0820,
                "--notify " + options.notify + ": the service " +
                    (p.reached ? "refused the event (HTTP " + std::to_string(p.status) + ", " +
                                     p.code + "): " + p.message
                               : "cannot be told: " + p.message));
            return;
        }
        ++notified;
        unsent = false;
    };
    const VerdictSink sink = [&](const monitor::Monitor &m, const monitor::Record &r,
                                 const monitor::Verdict &v) {
        if (options.sink) {
            options.sink(m, r, v);
        }
        if (!log || log_failed) {
            return;
        }
        monitorlog::LogError le;
        if (!log->append_object(monitor::verdict_object(m, r, v), le)) {
            log_failed.emplace(le.code, "--log " + options.log + ": " + le.message);
            return;
        }
        unsent = true;
        if (!v.violations.empty()) {
            std::string claims;
            for (const monitor::Violation &x : v.violations) {
                claims += (claims.empty() ? "" : ", ") + m.claims()[x.claim].name;
            }
            notify("assure monitor: line " + std::to_string(v.line) +
                   (v.id.empty() ? "" : " (" + v.id + ")") + " violates " + claims);
        }
    };

    const bool streaming = options.input == "-";
    monitor::Summary summary;
    monitor::RecordSource::Output batch;
    monitor::LineReader reader(input.fd);
    std::string_view line;
    std::uint64_t number = 0;
    bool failed_strict = false;
    std::uint64_t strict_line = 0;
    auto drain = [&]() {
        std::size_t next_record = 0;
        std::size_t next_error = 0;
        for (bool is_record : batch.order) {
            if (is_record) {
                const monitor::Record &r = batch.records[next_record++];
                const monitor::Verdict v = mon.judge(r);
                summary.add(v, mon.claims().size());
                sink(mon, r, v);
                if (options.all || !v.nominal()) {
                    out << (json ? monitor::verdict_json(mon, r, v)
                                 : monitor::verdict_text(mon, r, v))
                        << "\n";
                }
                continue;
            }
            const monitor::RecordError &e = batch.errors[next_error++];
            summary.add(e);
            out << (json ? monitor::error_json(e) : monitor::error_text(e)) << "\n";
            if (options.strict) {
                failed_strict = true;
                strict_line = e.line;
                break;
            }
        }
        if (streaming && !batch.order.empty()) {
            // A streamed record's verdict is in the log's file when it is printed.
            monitorlog::LogError le;
            if (log && !log_failed && !log->flush(le)) {
                log_failed.emplace(le.code, "--log " + options.log + ": " + le.message);
            }
            out.flush();
        }
        batch.clear();
    };
    // --verbose: each record's time from its line read to its verdict logged and printed, in
    // power-of-two buckets of nanoseconds (memory independent of the stream's length).
    std::array<std::uint64_t, 40> latency{};
    std::uint64_t timed = 0;
    for (;;) {
        const auto status = reader.next(line, number, error);
        const auto read_at = std::chrono::steady_clock::now();
        if (status == monitor::LineReader::Status::End) {
            break;
        }
        if (status == monitor::LineReader::Status::Error) {
            drain();
            ArgDiags ad;
            ad.plain(support::Code::E0830, "input " + options.input + ": reading line " +
                                               std::to_string(number + 1) + " failed: " + error);
            return ad.emit(common, err, ExitCode::Usage);
        }
        if (status == monitor::LineReader::Status::TooLong) {
            source->too_long(number, batch);
        } else {
            source->line(number, line, batch);
        }
        drain();
        if (common.verbose) {
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now() - read_at)
                                .count();
            std::size_t bucket = 0;
            while (bucket + 1 < latency.size() && (std::int64_t{1} << (bucket + 1)) <= ns) {
                ++bucket;
            }
            ++latency[bucket];
            ++timed;
        }
        if (failed_strict) {
            break;
        }
    }
    if (!failed_strict) {
        source->finish(batch);
        drain();
    }
    timer.done("records");
    if (common.verbose && timed != 0) {
        // The bucket holding the median and the 99th percentile: an upper bound of each.
        auto upper = [&](double share) {
            std::uint64_t seen = 0;
            for (std::size_t b = 0; b < latency.size(); ++b) {
                seen += latency[b];
                if (static_cast<double>(seen) >= share * static_cast<double>(timed)) {
                    return static_cast<double>(std::uint64_t{1} << (b + 1)) / 1000.0;
                }
            }
            return 0.0;
        };
        std::ostringstream note;
        note.precision(3);
        note << "monitor: per line, read to verdict" << (log ? " logged" : "")
             << " and printed: median under " << upper(0.5) << " us, 99% under " << upper(0.99)
             << " us (" << timed << " lines)";
        timer.note(note.str());
    }
    if (log && !log_failed) {
        if (unsent) {
            notify("assure monitor: " + std::to_string(log->verdicts()) + " verdicts logged");
        }
        monitorlog::LogError le;
        if (!log_failed && !log->close(le)) {
            log_failed.emplace(le.code, "--log " + options.log + ": " + le.message);
        }
    }
    out << (json ? monitor::summary_json(mon, summary) + "\n"
                 : monitor::summary_text(mon, summary));
    if (log_failed) {
        // Judging went on; what the log or the service did not get is the failure.
        ArgDiags ad;
        ad.plain(log_failed->first, log_failed->second);
        return ad.emit(common, err, ExitCode::Usage);
    }
    if (!options.notify.empty()) {
        err << "assure monitor: told " << options.notify << " in " << notified
            << (notified == 1 ? " event" : " events") << "\n";
    }
    if (failed_strict) {
        err << "error: --strict: a record could not be judged (line " << strict_line
            << "); the run stops there\n";
        return ExitCode::InputErrors;
    }
    const bool violated = summary.with_violations > 0;
    const bool unassured = summary.unassured > 0 || summary.outside_odd > 0;
    if ((options.fail_on == "violation" && violated) ||
        (options.fail_on == "unassured" && (violated || unassured))) {
        return ExitCode::NotSupported;
    }
    if (!options.fail_on.empty() && summary.undecided > 0) {
        return ExitCode::Unknown;
    }
    return ExitCode::Ok;
}

} // namespace assure::cli
