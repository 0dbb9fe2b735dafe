// SPDX-License-Identifier: Apache-2.0
#include "cli/history.hpp"

#include "cli/output_file.hpp"
#include "history/chain.hpp"
#include "history/git.hpp"
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
#include <regex>
#include <sys/stat.h>

namespace assure::cli {
namespace {} // namespace

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

namespace {

/// Why `path` may not be used as a history ("" when it may): a symbolic link or anything but
/// a regular file is refused, as is one of the case's own files. A missing path is fine when
/// `may_create`.
std::string path_problem(const std::string &path, bool may_create, const support::Protected *keep) {
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

bool valid_timestamp(const std::string &s) {
    static const std::regex form(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
    return std::regex_match(s, form) && prove::parse_date(s.substr(0, 10)).has_value() &&
           std::stoi(s.substr(11, 2)) < 24 && std::stoi(s.substr(14, 2)) < 60 &&
           std::stoi(s.substr(17, 2)) < 60;
}

} // namespace

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
        if (!valid_timestamp(now)) {
            ad.plain(support::Code::E0803, std::string(kHistoryNowVariable) + "=" + now +
                                               " is not a UTC time YYYY-MM-DDTHH:MM:SSZ");
            return ad.emit(options.common, err, ExitCode::Usage);
        }
        run.recorded_at = now;
    } else {
        run.recorded_at = history::utc_timestamp(static_cast<std::int64_t>(std::time(nullptr)));
    }
    if (const std::string why = path_problem(path, true, nullptr); !why.empty()) {
        auto &d = ad.plain(support::Code::E0803, "not recording the run in " + path + ": " + why);
        d.help = "name a regular file (a new one is created)";
        return ad.emit(options.common, err, ExitCode::Usage);
    }
    const support::Protected keep = protected_files(fe);
    if (const auto id = support::identity_of(path); id && keep.contains(*id)) {
        ad.plain(support::Code::E0803,
                 "not recording the run in " + path + ": it is one of the case's files");
        return ad.emit(options.common, err, ExitCode::Usage);
    }
    std::vector<std::string> disk_paths;
    std::vector<history::CaseFile> files = live::case_files(*fe.sources, &disk_paths);
    const std::string recorded_at = run.recorded_at;
    run = live::make_run(*fe.program, result, meta, std::move(files));
    run.recorded_at = recorded_at;
    run.command = command;
    run.arguments = options.command_line;
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
    if (!history::is_postgresql(location)) {
        if (const std::string why = path_problem(location, true, nullptr); !why.empty()) {
            error = {history::StoreError::Kind::Unavailable, why};
            return nullptr;
        }
    }
    return history::open_store(location, history::OpenMode::Append, error);
}

bool load_history(const std::string &db, ArgDiags &ad, std::vector<history::Entry> &entries,
                  std::int64_t &head_count, std::string &head_hash) {
    if (!history::is_postgresql(db)) {
        if (const std::string why = path_problem(db, false, nullptr); !why.empty()) {
            ad.plain(support::Code::E0803, "cannot read the history " + db + ": " + why);
            return false;
        }
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
        auto &d = ad.plain(support::Code::E0804, options.db + ": the chain is broken at entry " +
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
        out << "assure history: " << options.db << ": the chain of " << entries.size()
            << (entries.size() == 1 ? " entry" : " entries") << " is intact (head "
            << (head_hash.empty() ? "none" : head_hash.substr(0, 16)) << ")\n";
    }
    return ExitCode::Ok;
}

} // namespace assure::cli
