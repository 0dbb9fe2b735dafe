// SPDX-License-Identifier: Apache-2.0
#include "cli/event.hpp"

#include "cli/front.hpp"
#include "cli/history.hpp"
#include "cli/live_case.hpp"
#include "history/run.hpp"
#include "history/store.hpp"
#include "live/response.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::cli {
namespace {

/// A case file argument (the rest are specs): a name ending in `.assure`, or a folder.
bool is_case_argument(const std::string &arg) {
    struct stat st {};
    return (arg.size() > 7 && arg.compare(arg.size() - 7, 7, ".assure") == 0) ||
           (::stat(arg.c_str(), &st) == 0 && S_ISDIR(st.st_mode));
}

ExitCode exit_of(int proof_exit) {
    return proof_exit == 0   ? ExitCode::Ok
           : proof_exit == 3 ? ExitCode::Unknown
                             : ExitCode::NotSupported;
}

/// Posts to `assure serve`: the service answers with the same JSON as --db would print.
ExitCode post_to_server(EventOptions &options, const std::vector<std::string> &specs,
                        std::ostream &out, std::ostream &err) {
    ArgDiags ad;
    const CheckOptions &common = options.prove.common;
    std::string token;
    if (!token_option(options.token_file, token, ad)) {
        return ad.emit(common, err, ExitCode::Usage);
    }
    const Posting posted =
        post_specs(options.server, token, specs, options.note, options.case_version);
    if (!posted.reached) {
        ad.plain(support::Code::E0820, posted.message);
        return ad.emit(common, err, ExitCode::Usage);
    }
    const nlohmann::json &answer = posted.answer;
    if (posted.status != 200) {
        err << "error[" << posted.code << "]: the service refused the event (HTTP " << posted.status
            << "): " << posted.message << "\n";
        return posted.status == 422 && posted.code == "E0819" ? ExitCode::InputErrors
                                                              : ExitCode::Usage;
    }
    if (options.format == "json") {
        out << answer.dump() << "\n";
    } else {
        out << "assure event: the service recorded event " << answer.value("event", 0);
        for (const auto &s : answer.value("specs", nlohmann::json::array())) {
            out << " " << s.get<std::string>();
        }
        out << "\nre-judged at " << answer.value("judged_at", std::string()) << ": "
            << answer.value("result", std::string()) << "\n";
        for (const auto &c : answer.value("changes", nlohmann::json::array())) {
            out << "  " << c.value("kind", std::string()) << ": " << c.value("name", std::string())
                << " (" << c.value("from", std::string()) << " -> " << c.value("to", std::string())
                << ")\n";
        }
    }
    return exit_of(answer.value("exit_code", 5));
}

} // namespace

Posting post_specs(const std::string &server, const std::string &token,
                   const std::vector<std::string> &specs, const std::string &note,
                   const std::string &case_version) {
    Posting p;
    httplib::Client client(server);
    if (!client.is_valid()) {
        p.message = "`" + server + "` is not a service address; write http://HOST:PORT";
        return p;
    }
    client.set_connection_timeout(10);
    client.set_tcp_nodelay(true); // the request's headers and body are two writes (service.cpp)
    client.set_read_timeout(600);
    httplib::Headers headers;
    if (!token.empty()) {
        headers.emplace("Authorization", "Bearer " + token);
    }
    nlohmann::json body;
    body["specs"] = specs;
    if (!note.empty()) {
        body["note"] = note;
    }
    if (!case_version.empty()) {
        body["case"] = case_version;
    }
    const auto res = client.Post("/events", headers, body.dump(), "application/json");
    if (!res) {
        p.message =
            "cannot reach the service at " + server + ": " + httplib::to_string(res.error());
        return p;
    }
    p.answer = nlohmann::json::parse(res->body, nullptr, false);
    p.status = res->status;
    if (!p.answer.is_object()) {
        p.message = "the service at " + server + " answered " + std::to_string(res->status) +
                    " with no JSON";
        return p;
    }
    p.reached = true;
    if (res->status != 200) {
        p.code = p.answer.value("code", std::string("E0820"));
        p.message = p.answer.value("message", std::string());
    }
    return p;
}

bool at_is_today(const std::string &at, const char *command, std::string &error) {
    if (at.empty()) {
        return true;
    }
    const auto now = now_unix(error);
    if (!now) {
        return false;
    }
    const std::string today = history::utc_timestamp(*now).substr(0, 10);
    if (at == today) {
        return true;
    }
    // Accepted by the shared proof options, but these commands judge at today's date only.
    error = "--at " + at + ": " + command + " judges the case at today's date (" + today +
            ", UTC); --at is for prove";
    return false;
}

bool token_option(const std::string &path, std::string &token, ArgDiags &ad) {
    if (path.empty()) {
        return true;
    }
    std::string error;
    token = read_token_file(path, error);
    if (token.empty()) {
        ad.plain(support::Code::E0823, error);
        return false;
    }
    return true;
}

std::string read_token_file(const std::string &path, std::string &error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        error = "cannot open the token file " + path + ": " + std::strerror(errno) +
                (errno == ELOOP ? " (a symbolic link)" : "");
        return {};
    }
    struct stat st {};
    std::string text;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        error = "the token file " + path + " is not a regular file";
    } else if ((st.st_mode & 077) != 0) {
        error = "the token file " + path + " can be read or written by others (mode " +
                std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                std::to_string(st.st_mode & 7) + "); chmod 600 it";
    } else {
        char buf[4200];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            text.assign(buf, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    if (!error.empty()) {
        return {};
    }
    text = text.substr(0, text.find('\n'));
    if (!text.empty() && text.back() == '\r') {
        text.pop_back();
    }
    const bool printable =
        std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
    if (text.size() < 16 || text.size() > 4096 || !printable) {
        error = "the token file " + path +
                " must hold one line of 16 to 4096 printable characters (no spaces)";
        return {};
    }
    return text;
}

ExitCode run_event(EventOptions &options, std::ostream &out, std::ostream &err) {
    ArgDiags ad;
    CheckOptions &common = options.prove.common;
    if (std::string error; !at_is_today(common.at, "event", error)) {
        ad.plain(support::Code::E0608, error);
        return ad.emit(common, err, ExitCode::Usage);
    }
    std::vector<std::string> specs;
    for (const std::string &a : options.args) {
        (is_case_argument(a) ? common.files : specs).push_back(a);
    }
    if (specs.empty()) {
        ad.plain(support::Code::E0815, "no event spec given (e.g. fail:E_monitoring)");
        return ad.emit(common, err, ExitCode::Usage);
    }
    if (options.db.empty() == options.server.empty()) {
        ad.plain(support::Code::E0815,
                 "give either --server URL (post to assure serve) or --db DB (write the history "
                 "directly)");
        return ad.emit(common, err, ExitCode::Usage);
    }
    if (!options.server.empty()) {
        if (!common.files.empty()) {
            ad.plain(support::Code::E0815, "with --server the service holds the case: give no "
                                           "case files");
            return ad.emit(common, err, ExitCode::Usage);
        }
        return post_to_server(options, specs, out, err);
    }
    if (common.files.empty()) {
        ad.plain(support::Code::E0815,
                 "with --db, give the case files too: the event's names are checked against the "
                 "case, which is then judged again");
        return ad.emit(common, err, ExitCode::Usage);
    }
    std::unique_ptr<history::Store> store = open_live_history(options.db, false, ad);
    if (!store) {
        return ad.emit(common, err, ExitCode::Usage);
    }
    StageTimer timer(common.verbose, err);
    live::EngineOptions eo = engine_options(options.prove, "event");
    eo.on_phase = [&timer](const char *phase) { timer.done(phase); };
    live::Engine engine(std::move(eo), *store);
    std::string error;
    if (!engine.start(error, /*record_run=*/false)) {
        err << error;
        return ExitCode::InputErrors;
    }
    live::Refusal refusal;
    const auto posted = engine.post(specs, options.case_version, options.note, "event", refusal);
    if (!posted) {
        if (refusal.spec) {
            ad.at(refusal.code, specs[*refusal.spec], refusal.where.offset, refusal.where.length,
                  refusal.message);
        } else {
            ad.plain(refusal.code, refusal.message);
        }
        return ad.emit(common, err,
                       refusal.code == support::Code::E0819 ? ExitCode::InputErrors
                                                            : ExitCode::Usage);
    }
    out << (options.format == "json" ? live::posted_json(*posted) : live::posted_text(*posted));
    return exit_of(posted->snapshot->run.exit_code);
}

} // namespace assure::cli
