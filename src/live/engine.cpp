// SPDX-License-Identifier: Apache-2.0
#include "live/engine.hpp"

#include "live/record.hpp"
#include "support/sha256.hpp"

#include <filesystem>
#include <utility>

namespace assure::live {
namespace {

using support::Code;

Refusal refused(int status, Code code, std::optional<std::size_t> spec, std::string message,
                SpecError where = {}) {
    Refusal r;
    r.status = status;
    r.code = code;
    r.spec = spec;
    r.where = where;
    r.message = std::move(message);
    return r;
}

/// The path of artifact `a` on disk (relative paths are relative to its module's file).
std::string artifact_path(const CaseVersion &v, std::uint32_t a) {
    const sema::Program &prog = *v.program;
    const auto &art = prog.artifacts[a];
    const auto &mod = prog.modules[prog.decl(art.decl).module];
    return (std::filesystem::path(v.sources->disk_path(mod.file)).parent_path() / art.path)
        .lexically_normal()
        .string();
}

sema::Date date_of(std::int64_t unix_seconds) {
    const std::string ts = history::utc_timestamp(unix_seconds);
    return *prove::parse_date(ts.substr(0, 10));
}

} // namespace

Engine::Engine(EngineOptions options, history::Store &store)
    : options_(std::move(options)), store_(store) {}

void Engine::phase(const char *name) const {
    if (options_.on_phase) {
        options_.on_phase(name);
    }
}

sema::Date Engine::today() const {
    return date_of(options_.now());
}

report::ProofMeta Engine::meta_for(const Snapshot &snap) const {
    report::ProofMeta meta = options_.meta;
    meta.date_source = "today (UTC)";
    meta.exit_code = report::proof_exit_code(snap.result);
    return meta;
}

std::shared_ptr<const Snapshot> Engine::snapshot() const {
    std::lock_guard<std::mutex> g(published_);
    return snapshot_;
}

void Engine::publish(std::shared_ptr<Snapshot> snap) {
    std::lock_guard<std::mutex> g(published_);
    snapshot_ = std::move(snap);
}

bool Engine::start(std::string &error, bool record_run) {
    std::lock_guard<std::mutex> g(write_);
    std::shared_ptr<CaseVersion> version = options_.load(error);
    if (!version) {
        return false;
    }
    std::vector<history::Entry> entries;
    std::int64_t head = 0;
    std::string head_hash;
    history::StoreError se;
    if (!store_.load(entries, head, head_hash, se)) {
        error = se.message;
        return false;
    }
    // The state is the events' in chain order (each spec was checked when it was accepted).
    for (const history::Entry &e : entries) {
        if (!e.is_event()) {
            continue;
        }
        const auto day = prove::parse_date(e.event.recorded_at.substr(0, 10));
        for (const std::string &text : e.event.specs) {
            SpecError ignored;
            if (const auto spec = parse_spec(text, ignored); spec && day) {
                overlay_.apply(*spec, *day);
            }
        }
    }
    auto snap = judge(version, today(), /*fresh_reuse=*/true);
    snap->last_seq = head;
    if (record_run && !record(*snap, 0, error)) {
        return false;
    }
    publish(std::move(snap));
    return true;
}

std::shared_ptr<Snapshot> Engine::judge(std::shared_ptr<const CaseVersion> version, sema::Date date,
                                        bool fresh_reuse) {
    if (fresh_reuse || !reuse_) {
        reuse_ = std::make_shared<prove::Reuse>();
    }
    prove::ProveOptions po = options_.prove;
    po.date = date;
    std::vector<std::string> missing; // names a reloaded case no longer declares: not applied
    po.overrides = overlay_.overrides(*version->program, missing);
    po.reuse = reuse_;
    po.on_phase = options_.on_phase;
    po.incremental = true;
    auto snap = std::make_shared<Snapshot>();
    const Snapshot *before = snapshot_.get();
    // Only what the change can change is judged again (prove::reprove), from the last proof of
    // the same version.
    snap->result = before != nullptr && before->version == version && !fresh_reuse
                       ? prove::reprove(before->result, *version->program, *version->lowered,
                                        *version->sources, po)
                       : prove::prove(*version->program, *version->lowered, *version->sources, po);
    // Records of elements the event left as they were are taken from the last proof.
    const PreviousRun previous{before != nullptr ? before->result : snap->result,
                               before != nullptr ? before->run : snap->run};
    snap->run = make_run(*version->program, snap->result, options_.meta, version->files,
                         before != nullptr && before->version == version ? &previous : nullptr);
    snap->run.recorded_at = history::utc_timestamp(options_.now());
    snap->run.command = options_.command;
    snap->run.arguments = options_.arguments;
    snap->run.git_commit = version->git_commit;
    snap->version = std::move(version);
    snap->events = events_;
    phase("run");
    return snap;
}

bool Engine::record(Snapshot &snap, std::int64_t trigger, std::string &error) {
    snap.run.trigger = trigger;
    const Snapshot *before = snapshot_.get();
    const history::Run stored =
        before != nullptr && before->version == snap.version && before->run_seq != 0
            ? history::delta_run(before->run, before->run_seq, snap.run)
            : snap.run;
    history::Entry sealed;
    history::StoreError se;
    if (!store_.append(stored, sealed, se)) {
        error = se.message;
        return false;
    }
    snap.run_seq = sealed.seq;
    snap.last_seq = sealed.seq;
    phase("record");
    return true;
}

std::optional<std::vector<Spec>> Engine::check(const std::vector<std::string> &texts,
                                               const CaseVersion &version, Refusal &refusal) {
    const sema::Program &prog = *version.program;
    std::vector<Spec> out;
    if (texts.empty()) {
        refusal = refused(400, Code::E0815, std::nullopt, "an event needs at least one spec");
        return std::nullopt;
    }
    for (std::size_t k = 0; k < texts.size(); ++k) {
        SpecError where;
        auto spec = parse_spec(texts[k], where);
        if (!spec) {
            refusal = refused(400, Code::E0815, k, where.message, where);
            return std::nullopt;
        }
        if (spec->kind == Spec::Kind::Release || spec->kind == Spec::Kind::Reload) {
            out.push_back(std::move(*spec));
            continue;
        }
        // The element named must be one of the kind the spec acts on.
        std::vector<sema::DeclKind> kinds;
        switch (spec->kind) {
        case Spec::Kind::Artifact:
        case Spec::Kind::Accept:
            kinds = {sema::DeclKind::Artifact};
            break;
        case Spec::Kind::Open:
        case Spec::Kind::Resolve:
            kinds = {sema::DeclKind::Defeater};
            break;
        case Spec::Kind::Clear:
            kinds = {sema::DeclKind::Evidence, sema::DeclKind::Defeater};
            break;
        default:
            kinds = {sema::DeclKind::Evidence};
            break;
        }
        std::optional<sema::DeclId> decl;
        std::string why;
        for (const sema::DeclKind kind : kinds) {
            std::string this_why;
            decl = prove::find_decl(prog, spec->name, kind, this_why);
            if (decl) {
                break;
            }
            why = why.empty() ? this_why : why + "; " + this_why;
        }
        if (!decl) {
            const std::size_t at = texts[k].find(':') + 1;
            refusal = refused(422, Code::E0816, k, why,
                              SpecError{static_cast<std::uint32_t>(at),
                                        static_cast<std::uint32_t>(spec->name.size()), why});
            return std::nullopt;
        }
        spec->name = prog.qualified_name(*decl);
        const std::uint32_t index = prog.decl(*decl).index;
        if (spec->kind == Spec::Kind::Artifact && !spec->sha256.empty()) {
            // The file must be the one announced: a service never judges a digest it has not
            // seen on disk.
            const std::string path = artifact_path(version, index);
            const support::FileDigest d = support::sha256_file(path);
            if (!d.hex || *d.hex != spec->sha256) {
                refusal =
                    refused(409, Code::E0818, k,
                            spec->name + ": " + path +
                                (d.hex ? " has SHA-256 " + *d.hex : " cannot be read: " + d.error) +
                                ", not the announced " + spec->sha256);
                return std::nullopt;
            }
        }
        const bool attest = spec->kind == Spec::Kind::Attest;
        out.push_back(std::move(*spec));
        if (attest) {
            // Re-attested evidence accepts its artifacts as they are now on disk.
            for (const sema::DeclId a : prog.evidence[index].artifacts) {
                const std::uint32_t ai = prog.decl(a).index;
                const support::FileDigest d = support::sha256_file(artifact_path(version, ai));
                if (d.hex) {
                    Spec accept;
                    accept.kind = Spec::Kind::Accept;
                    accept.name = prog.qualified_name(a);
                    accept.sha256 = *d.hex;
                    out.push_back(std::move(accept));
                }
            }
        }
    }
    return out;
}

std::optional<Posted> Engine::post(const std::vector<std::string> &texts,
                                   const std::string &expected_case, const std::string &note,
                                   const std::string &source, Refusal &refusal) {
    std::lock_guard<std::mutex> g(write_);
    const std::shared_ptr<const Snapshot> before = snapshot();
    std::shared_ptr<const CaseVersion> version = before->version;
    if (!expected_case.empty() && expected_case != version->digest) {
        refusal =
            refused(409, Code::E0817, std::nullopt,
                    "the event is for case version " + expected_case + ", but the service holds " +
                        version->digest + " (post `reload` or resend for the current version)");
        return std::nullopt;
    }
    phase("wait");
    auto specs = check(texts, *version, refusal);
    if (!specs) {
        return std::nullopt;
    }
    phase("check");
    // A reload is checked before anything is recorded: a case with errors is refused.
    bool reload = false;
    std::vector<std::uint32_t> regenerated;
    for (const Spec &s : *specs) {
        reload = reload || s.kind == Spec::Kind::Reload;
        // A digest accepted (accept:, or attest:, whose accept: specs were read from the files
        // just now) is compared with the file as it is now: hash it again, or the proof compares
        // a digest cached before the file changed (and a restart, hashing afresh, would judge
        // otherwise).
        if (s.kind == Spec::Kind::Artifact || s.kind == Spec::Kind::Accept) {
            std::string why;
            if (const auto d =
                    prove::find_decl(*version->program, s.name, sema::DeclKind::Artifact, why)) {
                regenerated.push_back(version->program->decl(*d).index);
            }
        }
    }
    std::shared_ptr<const CaseVersion> next = version;
    if (reload) {
        std::string error;
        auto loaded = options_.load(error);
        if (!loaded) {
            refusal = refused(422, Code::E0819, std::nullopt,
                              "reload: the case has errors; the service keeps the version it "
                              "holds\n" +
                                  error);
            return std::nullopt;
        }
        next = std::move(loaded);
    }
    history::Event event;
    event.recorded_at = history::utc_timestamp(options_.now());
    event.source = source;
    event.case_digest = next->digest;
    event.note = note;
    for (const Spec &s : *specs) {
        event.specs.push_back(s.text());
    }
    history::Entry sealed;
    history::StoreError se;
    if (!store_.append(event, sealed, se)) {
        refusal = refused(503, Code::E0803, std::nullopt, "cannot record the event: " + se.message);
        return std::nullopt;
    }
    phase("event");
    // Acknowledged from here on: the state follows the history.
    ++events_;
    const sema::Date day = *prove::parse_date(event.recorded_at.substr(0, 10));
    for (const Spec &s : *specs) {
        overlay_.apply(s, day);
    }
    if (!reload && reuse_) {
        reuse_->stale.assign(next->program->artifacts.size(), 0);
        for (const std::uint32_t a : regenerated) {
            reuse_->stale[a] = 1;
        }
    }
    auto snap = judge(next, today(), /*fresh_reuse=*/reload);
    Posted posted;
    posted.event_seq = sealed.seq;
    posted.specs = event.specs;
    std::string error;
    if (!record(*snap, sealed.seq, error)) {
        // The event is recorded; the run is not: the state is published all the same, and the
        // next event or restart records it.
        snap->last_seq = sealed.seq;
    }
    posted.run_seq = snap->run_seq;
    posted.before = before;
    publish(snap);
    posted.snapshot = snap;
    return posted;
}

bool Engine::tick(std::string &error) {
    std::lock_guard<std::mutex> g(write_);
    const auto current = snapshot();
    const sema::Date now = today();
    if (!current || current->result.date == now) {
        return false;
    }
    auto snap = judge(current->version, now, /*fresh_reuse=*/false);
    const history::Run &a = current->run;
    const history::Run &b = snap->run;
    if (a.claims == b.claims && a.evidence.size() == b.evidence.size() && [&] {
            for (std::size_t k = 0; k < a.evidence.size(); ++k) {
                if (a.evidence[k].status != b.evidence[k].status) {
                    return false;
                }
            }
            return true;
        }()) {
        // Nothing lapsed: the new date is judged, nothing is recorded.
        snap->run_seq = current->run_seq;
        snap->last_seq = current->last_seq;
        snap->run.recorded_at = current->run.recorded_at;
        publish(std::move(snap));
        return false;
    }
    history::Event event;
    event.recorded_at = history::utc_timestamp(options_.now());
    event.source = "clock";
    event.case_digest = current->version->digest;
    event.note = "the date is now " + prove::format_date(now);
    history::Entry sealed;
    history::StoreError se;
    if (!store_.append(event, sealed, se) || !record(*snap, sealed.seq, error)) {
        error = error.empty() ? se.message : error;
        return false;
    }
    publish(std::move(snap));
    return true;
}

} // namespace assure::live
