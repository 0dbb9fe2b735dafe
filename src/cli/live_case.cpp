// SPDX-License-Identifier: Apache-2.0
#include "cli/live_case.hpp"

#include "cli/front.hpp"
#include "cli/history.hpp"
#include "history/git.hpp"
#include "history/kpi.hpp"
#include "live/record.hpp"
#include "prove/prove.hpp"
#include "solver/version.hpp"

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

namespace assure::cli {

std::optional<std::int64_t> now_unix(std::string &error) {
    if (const char *file = std::getenv(kClockFileVariable); file != nullptr && *file != '\0') {
        std::ifstream in(file);
        std::string text;
        std::getline(in, text);
        if (const auto t = history::parse_utc_time(text)) {
            return t;
        }
        error = std::string(kClockFileVariable) + "=" + file +
                " does not hold a UTC time YYYY-MM-DDTHH:MM:SSZ";
        return std::nullopt;
    }
    if (const char *now = std::getenv(kHistoryNowVariable); now != nullptr && *now != '\0') {
        if (const auto t = history::parse_utc_time(now)) {
            return t;
        }
        error = std::string(kHistoryNowVariable) + "=" + now +
                " is not a UTC time YYYY-MM-DDTHH:MM:SSZ";
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::time(nullptr));
}

live::Loader make_loader(const ProveOptions &options) {
    return [options](std::string &error) -> std::shared_ptr<live::CaseVersion> {
        auto fe = std::make_shared<FrontEnd>();
        fe->free_on_destruction();
        StageTimer timer(false, std::cerr);
        report::ProofMeta meta;
        sema::Date date;
        std::ostringstream out;
        std::ostringstream err;
        ProveOptions quiet = options;
        quiet.common.diagnostics_format = "text";
        if (prepare(quiet, meta, date, *fe, timer, out, err, nullptr)) {
            error = err.str();
            return nullptr;
        }
        auto v = std::make_shared<live::CaseVersion>();
        v->program = &*fe->program;
        v->lowered = &*fe->lowered;
        v->sources = &*fe->sources;
        std::vector<std::string> disk;
        v->files = live::case_files(*fe->sources, &disk);
        v->digest = history::case_digest(v->files);
        v->git_commit = history::git_commit(disk);
        v->owner = std::move(fe);
        return v;
    };
}

live::EngineOptions engine_options(const ProveOptions &options, const char *command) {
    live::EngineOptions eo;
    eo.prove = proof_options(options, sema::Date{});
    eo.meta.assure_version = ASSURE_VERSION;
    eo.meta.z3_version = solver::z3_version();
    eo.meta.timeout_ms = options.timeout_ms;
    eo.meta.rlimit = options.rlimit;
    eo.meta.cells = !options.z3_only;
    eo.load = make_loader(options);
    eo.now = [] {
        std::string ignored; // checked once at start-up by the command
        return now_unix(ignored).value_or(static_cast<std::int64_t>(std::time(nullptr)));
    };
    eo.command = command;
    eo.arguments = options.command_line;
    return eo;
}

} // namespace assure::cli
