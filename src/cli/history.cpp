// SPDX-License-Identifier: Apache-2.0
#include "cli/history.hpp"

#include "cli/output_file.hpp"
#include "history/chain.hpp"
#include "history/git.hpp"
#include "history/kpi.hpp"
#include "history/render.hpp"
#include "history/store.hpp"
#include "impact/impact.hpp"
#include "live/record.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"
#include "support/sha256.hpp"

#include <cstdlib>
#include <ctime>
#include <ostream>
#include <sys/stat.h>

namespace assure::cli {

support::Code history_code(history::StoreError::Kind kind) {
    switch (kind) {
    case history::StoreError::Kind::NotHistory:
        return support::Code::E0801;
    case history::StoreError::Kind::TooNew:
        return support::Code::E0802;
    case history::StoreError::Kind::Busy:
        return support::Code::E0805;
    case history::StoreError::Kind::None:
    case history::StoreError::Kind::Unavailable:
        break;
    }
    return support::Code::E0803;
}

std::string history_location_problem(const std::string &location, bool may_create,
                                     const support::Protected *keep) {
    if (history::is_postgresql(location)) {
        return ""; // a database on a server: no file of ours to check
    }
    const std::string &path = location;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return may_create ? "" : "it does not exist";
    }
    if (S_ISLNK(st.st_mode)) {
        return "it is a symbolic link";
    }
    if (!S_ISREG(st.st_mode)) {
        return std::string("it is not a regular file (") + support::file_type_name(st.st_mode) +
               ")";
    }
    if (keep) {
        if (const auto id = support::identity_of(path); id && keep->contains(*id)) {
            return "it is one of the case's files";
        }
    }
    return "";
}

std::optional<ExitCode> record_run(const ProveOptions &options, const FrontEnd &fe,
                                   const prove::ProofResult &result, const report::ProofMeta &meta,
                                   const char *command, std::ostream &err,
                                   const impact::Plan *plan) {
    if (options.record.empty()) {
        return std::nullopt;
    }
    ArgDiags ad;
    const std::string &path = options.record;
    history::Run run;
    if (const char *now = std::getenv(kHistoryNowVariable); now && *now) {
        if (!history::parse_utc_time(now)) {
            ad.plain(support::Code::E0803, std::string(kHistoryNowVariable) + "=" + now +
                                               " is not a UTC time YYYY-MM-DDTHH:MM:SSZ");
            return ad.emit(options.common, err, ExitCode::Usage);
        }
        run.recorded_at = now;
    } else {
        run.recorded_at = history::utc_timestamp(static_cast<std::int64_t>(std::time(nullptr)));
    }
    const support::Protected keep = protected_files(fe);
    if (const std::string why = history_location_problem(path, true, &keep); !why.empty()) {
        auto &d = ad.plain(support::Code::E0803, "not recording the run in " + path + ": " + why);
        if (why != "it is one of the case's files") {
            d.help = "name a regular file (a new one is created) or a postgresql:// URL";
        }
        return ad.emit(options.common, err, ExitCode::Usage);
    }
    std::vector<std::string> disk_paths;
    std::vector<history::CaseFile> files = live::case_files(*fe.sources, &disk_paths);
    const std::string recorded_at = run.recorded_at;
    run = live::make_run(*fe.program, result, meta, std::move(files));
    run.recorded_at = recorded_at;
    run.command = command;
    // A password written in a URL (`--record postgresql://user:PASSWORD@...`) is not recorded.
    for (const std::string &arg : options.command_line) {
        const std::size_t eq = arg.rfind("--", 0) == 0 ? arg.find('=') : std::string::npos;
        run.arguments.push_back(eq == std::string::npos
                                    ? history::display_location(arg)
                                    : arg.substr(0, eq + 1) +
                                          history::display_location(arg.substr(eq + 1)));
    }
    run.git_commit = history::git_commit(disk_paths);
    if (plan != nullptr && plan->state != impact::Plan::State::None) {
        run.plan_cost = plan->cost.to_string();
        for (const sema::DeclId e : plan->evidence) {
            run.plan.push_back(fe.program->qualified_name(e));
        }
    }
    history::StoreError store_error;
    auto store = history::open_store(path, history::OpenMode::Append, store_error);
    history::Entry sealed;
    if (!store || !store->append(run, sealed, store_error)) {
        ad.plain(history_code(store_error.kind), "not recording the run: " + store_error.message);
        return ad.emit(options.common, err, ExitCode::Usage);
    }
    return std::nullopt;
}

std::unique_ptr<history::Store> open_history_for_writing(const std::string &location,
                                                         history::StoreError &error) {
    if (const std::string why = history_location_problem(location, true, nullptr); !why.empty()) {
        error = {history::StoreError::Kind::Unavailable, why};
        return nullptr;
    }
    return history::open_store(location, history::OpenMode::Append, error);
}

bool load_history(const std::string &db, ArgDiags &ad, std::vector<history::Entry> &entries,
                  std::int64_t &head_count, std::string &head_hash) {
    // Messages name the history as display_location shows it: never a password of a URL.
    if (const std::string why = history_location_problem(db, false, nullptr); !why.empty()) {
        ad.plain(support::Code::E0803,
                 "cannot read the history " + history::display_location(db) + ": " + why);
        return false;
    }
    history::StoreError error;
    auto store = history::open_store(db, history::OpenMode::Read, error);
    if (!store || !store->load(entries, head_count, head_hash, error)) {
        ad.plain(history_code(error.kind), error.message);
        return false;
    }
    return true;
}

ExitCode run_history(const HistoryOptions &options, std::ostream &out, std::ostream &err) {
    ArgDiags ad;
    CheckOptions diag_options;
    diag_options.diagnostics_format = options.diagnostics_format;
    const std::string shown = history::display_location(options.db);
    std::vector<history::Entry> entries;
    std::int64_t head_count = 0;
    std::string head_hash;
    if (!load_history(options.db, ad, entries, head_count, head_hash)) {
        return ad.emit(diag_options, err, ExitCode::InputErrors);
    }
    if (!options.verify) {
        out << (options.format == "json" ? history::render_history_json(entries)
                                         : history::render_history_text(entries));
        return ExitCode::Ok;
    }
    if (const auto broken = history::verify_chain(entries, head_count, head_hash)) {
        auto &d = ad.plain(support::Code::E0804, shown + ": the chain is broken at entry " +
                                                     std::to_string(broken->seq) + ": " +
                                                     broken->problem);
        d.help = "the entries before it are intact; nothing after it can be trusted";
        if (options.format == "json") {
            out << "{\"format\": \"assure-history-verify\", \"version\": 1, \"intact\": false, "
                   "\"entries\": "
                << entries.size() << ", \"first_bad_entry\": " << broken->seq << "}\n";
        }
        return ad.emit(diag_options, err, ExitCode::CheckFailed);
    }
    if (options.format == "json") {
        out << "{\"format\": \"assure-history-verify\", \"version\": 1, \"intact\": true, "
               "\"entries\": "
            << entries.size() << ", \"head\": \"" << head_hash << "\"}\n";
    } else {
        out << "assure history: " << shown << ": the chain of " << entries.size()
            << (entries.size() == 1 ? " entry" : " entries") << " is intact (head "
            << (head_hash.empty() ? "none" : head_hash.substr(0, 16)) << ")\n";
    }
    return ExitCode::Ok;
}

} // namespace assure::cli
