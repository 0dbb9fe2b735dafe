// SPDX-License-Identifier: Apache-2.0
#include "packet/replay.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <set>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace assure::packet {

namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

SolverRun run_one(const Solver &solver, const std::string &file, unsigned timeout_ms) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return {Answer::Error, std::string("cannot make a pipe: ") + std::strerror(errno)};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    std::vector<std::string> words;
    words.push_back(solver.program);
    words.insert(words.end(), solver.args.begin(), solver.args.end());
    words.push_back(file);
    std::vector<char *> argv;
    for (auto &w : words) {
        argv.push_back(w.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned =
        posix_spawn(&pid, solver.program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        return {Answer::Error, "cannot run " + solver.program + ": " + std::strerror(spawned)};
    }
    std::string output;
    bool timed_out = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{pipe_fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r == 0) {
            continue;
        }
        char buf[4096];
        const ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (output.size() < kMaxOutput) {
            output.append(buf, static_cast<std::size_t>(n));
        }
    }
    ::close(pipe_fds[0]);
    if (timed_out) {
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        return {Answer::Timeout, "no answer within " + std::to_string(timeout_ms) + " ms"};
    }
    // The first line that is not empty is the answer to the file's one (check-sat).
    std::size_t start = 0;
    std::string first;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string::npos) {
            end = output.size();
        }
        std::string line = output.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        start = end + 1;
        if (!line.empty()) {
            first = line;
            break;
        }
    }
    if (first == "sat") {
        return {Answer::Sat, {}};
    }
    if (first == "unsat") {
        return {Answer::Unsat, {}};
    }
    if (first == "unknown") {
        return {Answer::Unknown, {}};
    }
    if (first.size() > 300) {
        first = first.substr(0, 300) + "...";
    }
    if (first.empty()) {
        first = WIFSIGNALED(status)
                    ? "killed by signal " + std::to_string(WTERMSIG(status))
                    : "no output (exit status " +
                          std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    }
    return {Answer::Error, first};
}

/// The tokens of an s-expression text: "(", ")" and atoms; comments and strings skipped.
std::vector<std::string_view> tokens(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t idx = 0;
    while (idx < text.size()) {
        const char c = text[idx];
        if (c == ';') {
            while (idx < text.size() && text[idx] != '\n') {
                ++idx;
            }
        } else if (c == '(' || c == ')') {
            out.push_back(text.substr(idx, 1));
            ++idx;
        } else if (c == '"') {
            ++idx;
            while (idx < text.size() && text[idx] != '"') {
                ++idx;
            }
            ++idx;
        } else if (c == '|') {
            const std::size_t start = idx++;
            while (idx < text.size() && text[idx] != '|') {
                ++idx;
            }
            ++idx;
            out.push_back(text.substr(start, std::min(idx, text.size()) - start));
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++idx;
        } else {
            const std::size_t start = idx;
            while (idx < text.size() && std::isspace(static_cast<unsigned char>(text[idx])) == 0 &&
                   text[idx] != '(' && text[idx] != ')' && text[idx] != ';' && text[idx] != '"') {
                ++idx;
            }
            out.push_back(text.substr(start, idx - start));
        }
    }
    return out;
}

bool is_numeral(std::string_view atom) {
    if (atom.empty()) {
        return false;
    }
    bool digit = false;
    for (char c : atom) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c != '.') {
            return false;
        }
    }
    return digit;
}

/// A small s-expression reader over the tokens that answers is_nonlinear.
class Arithmetic {
  public:
    explicit Arithmetic(std::vector<std::string_view> toks) : toks_(std::move(toks)) {}

    bool nonlinear() {
        while (pos_ < toks_.size()) {
            term();
        }
        return nonlinear_;
    }

  private:
    /// Reads one term; returns whether it is a constant (a numeral, a let-bound constant, or
    /// an arithmetic operator over constants).
    bool term() {
        if (pos_ >= toks_.size()) {
            return false;
        }
        const std::string_view tok = toks_[pos_++];
        if (tok == ")") {
            return false;
        }
        if (tok != "(") {
            return is_numeral(tok) || constants_.count(tok) != 0;
        }
        if (pos_ >= toks_.size()) {
            return false;
        }
        const std::string_view head = toks_[pos_];
        if (head == "(") {
            // A binding list (let's) or a nested head: read the elements.
            std::vector<bool> parts;
            while (pos_ < toks_.size() && toks_[pos_] != ")") {
                parts.push_back(term());
            }
            ++pos_;
            return false;
        }
        ++pos_;
        if (head == "let") {
            bindings();
            const bool c = term();
            close();
            return c;
        }
        std::vector<bool> args;
        while (pos_ < toks_.size() && toks_[pos_] != ")") {
            args.push_back(term());
        }
        ++pos_;
        const auto variables =
            static_cast<std::size_t>(std::count(args.begin(), args.end(), false));
        const bool all_constant = variables == 0;
        if (head == "*" && variables >= 2) {
            nonlinear_ = true;
        }
        if ((head == "/" || head == "div" || head == "mod") && args.size() >= 2 &&
            std::find(args.begin() + 1, args.end(), false) != args.end()) {
            nonlinear_ = true;
        }
        if (head == "^" || head == "exp") {
            nonlinear_ = nonlinear_ || !all_constant;
        }
        const bool arithmetic = head == "-" || head == "+" || head == "*" || head == "/" ||
                                head == "to_real" || head == "to_int";
        return arithmetic && all_constant && !args.empty();
    }

    /// `((x t) (y u))` of a let: a name bound to a constant term is a constant.
    void bindings() {
        if (pos_ >= toks_.size() || toks_[pos_] != "(") {
            return;
        }
        ++pos_;
        while (pos_ < toks_.size() && toks_[pos_] == "(") {
            ++pos_;
            if (pos_ >= toks_.size()) {
                return;
            }
            const std::string_view name = toks_[pos_++];
            if (term()) {
                constants_[name] = true;
            }
            close();
        }
        close();
    }

    void close() {
        int depth = 0;
        while (pos_ < toks_.size()) {
            const std::string_view t = toks_[pos_++];
            if (t == "(") {
                ++depth;
            } else if (t == ")") {
                if (depth == 0) {
                    return;
                }
                --depth;
            }
        }
    }

    std::vector<std::string_view> toks_;
    std::size_t pos_ = 0;
    std::map<std::string_view, bool> constants_;
    bool nonlinear_ = false;
};

} // namespace

const char *answer_name(Answer a) {
    switch (a) {
    case Answer::Sat:
        return "sat";
    case Answer::Unsat:
        return "unsat";
    case Answer::Unknown:
        return "unknown";
    case Answer::Timeout:
        return "timeout";
    case Answer::Error:
        return "error";
    }
    return "error";
}

std::string find_on_path(const std::string &name) {
    const char *path = std::getenv("PATH");
    const std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) {
            end = dirs.size();
        }
        const std::string dir = dirs.substr(start, end - start);
        start = end + 1;
        if (dir.empty()) {
            continue; // never the working directory
        }
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return {};
}

std::vector<Solver> replay_solvers() {
    std::vector<Solver> out;
    out.push_back({"z3", find_on_path("z3"), {}});
    if (std::string cvc5 = find_on_path("cvc5"); !cvc5.empty()) {
        // The trace's files set no logic (Z3 needs none); cvc5 refuses a file without one.
        out.push_back({"cvc5", cvc5, {"--force-logic=ALL"}});
    }
    return out;
}

std::vector<SolverRun> run_solver(const Solver &solver, const std::vector<std::string> &files,
                                  unsigned timeout_ms, unsigned jobs) {
    std::vector<SolverRun> out(files.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t idx = next++; idx < files.size(); idx = next++) {
            out[idx] = run_one(solver, files[idx], timeout_ms);
        }
    };
    const unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(files.size())));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < n; ++t) {
        threads.emplace_back(work);
    }
    work();
    for (auto &t : threads) {
        t.join();
    }
    return out;
}

bool is_replayable(std::string_view smt2, std::string &why) {
    const std::vector<std::string_view> toks = tokens(smt2);
    static const std::set<std::string_view> kAllowed = {
        "set-info",          "set-logic",   "declare-fun",    "declare-const",   "declare-sort",
        "define-fun",        "define-sort", "define-fun-rec", "define-funs-rec", "declare-datatype",
        "declare-datatypes", "assert",      "check-sat",      "set-option"};
    static const std::set<std::string_view> kOptions = {":produce-models",  ":produce-unsat-cores",
                                                        ":produce-proofs",  ":random-seed",
                                                        ":smt.random_seed", ":timeout",
                                                        ":rlimit"};
    std::size_t pos = 0;
    std::size_t check_sats = 0;
    while (pos < toks.size()) {
        if (toks[pos] != "(" || pos + 1 >= toks.size()) {
            why = "it holds `" + std::string(toks[pos]) + "` outside a command";
            return false;
        }
        const std::string_view head = toks[pos + 1];
        const bool get = head.rfind("get-", 0) == 0;
        if (kAllowed.count(head) == 0 && !get) {
            why = "it holds the command `" + std::string(head) + "`, which no trace file holds";
            return false;
        }
        if (get && check_sats == 0) {
            why = "it asks `" + std::string(head) + "` before (check-sat)";
            return false;
        }
        if (!get && check_sats > 0) {
            why = "it holds `" + std::string(head) + "` after (check-sat)";
            return false;
        }
        if (head == "set-option" &&
            (pos + 2 >= toks.size() || kOptions.count(toks[pos + 2]) == 0)) {
            why = "it sets the option `" + std::string(pos + 2 < toks.size() ? toks[pos + 2] : "") +
                  "`, which no trace file sets";
            return false;
        }
        check_sats += head == "check-sat" ? 1 : 0;
        // Skip to the end of this command.
        int depth = 0;
        do {
            if (toks[pos] == "(") {
                ++depth;
            } else if (toks[pos] == ")") {
                --depth;
            }
            ++pos;
        } while (pos < toks.size() && depth > 0);
        if (depth != 0) {
            why = "its parentheses do not balance";
            return false;
        }
    }
    if (check_sats != 1) {
        why = "it holds " + std::to_string(check_sats) + " (check-sat) commands, not one";
        return false;
    }
    return true;
}

bool is_nonlinear(std::string_view smt2) {
    return Arithmetic(tokens(smt2)).nonlinear();
}

} // namespace assure::packet
