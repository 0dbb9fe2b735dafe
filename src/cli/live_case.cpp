// SPDX-License-Identifier: Apache-2.0
#include "cli/live_case.hpp"

#include "cli/front.hpp"
#include "cli/history.hpp"
#include "history/git.hpp"
#include "live/record.hpp"
#include "prove/prove.hpp"
#include "solver/version.hpp"

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

namespace assure::cli {

std::optional<std::int64_t> parse_timestamp(const std::string &s) {
    if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != 'Z') {
        return std::nullopt;
    }
    for (const std::size_t k : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
        if (s[k] < '0' || s[k] > '9') {
            return std::nullopt;
        }
    }
    if (!prove::parse_date(s.substr(0, 10))) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(s.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(s.substr(8, 2));
    tm.tm_hour = std::stoi(s.substr(11, 2));
    tm.tm_min = std::stoi(s.substr(14, 2));
    tm.tm_sec = std::stoi(s.substr(17, 2));
    if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(timegm(&tm));
}

std::optional<std::int64_t> now_unix(std::string &error) {
    if (const char *file = std::getenv(kClockFileVariable); file != nullptr && *file != '\0') {
        std::ifstream in(file);
        std::string text;
        std::getline(in, text);
        if (const auto t = parse_timestamp(text)) {
            return t;
        }
        error = std::string(kClockFileVariable) + "=" + file +
                " does not hold a UTC time YYYY-MM-DDTHH:MM:SSZ";
        return std::nullopt;
    }
    if (const char *now = std::getenv(kHistoryNowVariable); now != nullptr && *now != '\0') {
        if (const auto t = parse_timestamp(now)) {
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
