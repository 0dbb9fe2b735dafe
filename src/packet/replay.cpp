// SPDX-License-Identifier: Apache-2.0
#include "packet/replay.hpp"

#include "support/process.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <optional>
#include <poll.h>
#include <random>
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

using support::Output;

Output run_process(const Solver &solver, const std::vector<std::string> &extra,
                   const std::string &file, unsigned timeout_ms, std::size_t max_output);

/// The answer in `output`: its first line that is not empty answers the file's one
/// (check-sat).
SolverRun answer_of(std::string_view output, int status) {
    std::string first;
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string_view::npos) {
            end = output.size();
        }
        std::string line(output.substr(start, end - start));
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

/// Files per batch script.
constexpr std::size_t kBatch = 2000;

/// Runs files [first, last) of `files` as one batch; answers that do not come back are left
/// empty (nullopt) for a run of their own.
void run_batch(const Solver &solver, const std::vector<ReplayFile> &files,
               const std::vector<std::string> &expected, std::size_t first, std::size_t last,
               unsigned timeout_ms, const std::string &script_path,
               std::vector<std::optional<SolverRun>> &out) {
    std::random_device rd;
    char nonce[32];
    std::snprintf(nonce, sizeof nonce, "%08x%08x", rd(), rd());
    // Each file in a scope of its own: `(push 1)`, its declarations and assertions, `(pop 1)`,
    // which forgets them (names included) far faster than a `(reset)` rebuilds the solver. Its
    // own set-info/set-option/set-logic lines stay out (they may only open a script); models
    // are on for the files that ask for one.
    std::string script = "(set-option :produce-models true)\n";
    for (std::size_t idx = first; idx < last; ++idx) {
        const std::string *text = &files[idx].text;
        script += "(echo \"@@assure-" + std::string(nonce) + " " + std::to_string(idx) + "\")\n";
        script += "(push 1)\n";
        for (std::size_t at = 0; at < text->size();) {
            std::size_t end = text->find('\n', at);
            end = end == std::string::npos ? text->size() : end + 1;
            const std::string_view line = std::string_view(*text).substr(at, end - at);
            if (line.rfind("(set-info", 0) != 0 && line.rfind("(set-option", 0) != 0 &&
                line.rfind("(set-logic", 0) != 0) {
                script += line;
            }
            at = end;
        }
        script += "\n(pop 1)\n";
    }
    {
        std::ofstream f(script_path, std::ios::binary | std::ios::trunc);
        f << script;
        if (!f) {
            return;
        }
    }
    std::vector<std::string> extra = solver.batch_args;
    extra.push_back(solver.per_query_timeout + std::to_string(timeout_ms));
    const unsigned long long budget =
        static_cast<unsigned long long>(timeout_ms) * (last - first) + 10000ull;
    const Output o =
        run_process(solver, extra, script_path,
                    static_cast<unsigned>(std::min<unsigned long long>(budget, 1u << 31)),
                    std::size_t{1} << 30);
    std::remove(script_path.c_str());
    if (!o.spawn_error.empty()) {
        return;
    }
    // Each marker line, then the text up to the next marker: that file's output.
    const std::string prefix =
        std::string(solver.quoted_echo ? "\"" : "") + "@@assure-" + nonce + " ";
    std::size_t current = SIZE_MAX;
    std::string chunk;
    auto flush = [&] {
        if (current != SIZE_MAX) {
            out[current] = answer_of(chunk, 0);
            // Anything but the answer expected is settled by the file run alone, as an
            // assessor runs it: the batch may have cut it short, or solved it in a scope.
            if (out[current]->answer != Answer::Sat && out[current]->answer != Answer::Unsat) {
                out[current].reset();
            } else if (current < expected.size() && !expected[current].empty() &&
                       expected[current] != answer_name(out[current]->answer)) {
                out[current].reset();
            }
        }
        chunk.clear();
    };
    std::size_t start = 0;
    while (start < o.text.size()) {
        std::size_t end = o.text.find('\n', start);
        if (end == std::string::npos) {
            end = o.text.size();
        }
        std::string line = o.text.substr(start, end - start);
        start = end + 1;
        if (line.rfind(prefix, 0) == 0) {
            std::string num = line.substr(prefix.size());
            if (solver.quoted_echo && !num.empty() && num.back() == '"') {
                num.pop_back();
            }
            flush();
            const std::size_t idx = std::strtoull(num.c_str(), nullptr, 10);
            current = idx >= first && idx < last ? idx : SIZE_MAX;
            continue;
        }
        chunk += line + "\n";
    }
    // The last file's answer counts only if the process ended normally (not killed mid-way).
    if (o.timed_out || !WIFEXITED(o.status)) {
        chunk.clear();
        current = SIZE_MAX;
    }
    flush();
}

SolverRun run_one(const Solver &solver, const std::string &file, unsigned timeout_ms) {
    const Output o = run_process(solver, {}, file, timeout_ms, kMaxOutput);
    if (!o.spawn_error.empty()) {
        return {Answer::Error, o.spawn_error};
    }
    if (o.timed_out) {
        return {Answer::Timeout, "no answer within " + std::to_string(timeout_ms) + " ms"};
    }
    return answer_of(o.text, o.status);
}

Output run_process(const Solver &solver, const std::vector<std::string> &extra,
                   const std::string &file, unsigned timeout_ms, std::size_t max_output) {
    std::vector<std::string> args = solver.args;
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(file);
    return support::run_process(solver.program, args, timeout_ms, max_output);
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
    return support::find_on_path(name);
}

std::vector<Solver> replay_solvers() {
    std::vector<Solver> out;
    out.push_back({"z3", find_on_path("z3"), {}, {}, "-t:", false});
    if (std::string cvc5 = find_on_path("cvc5"); !cvc5.empty()) {
        // The trace's files set no logic (Z3 needs none); cvc5 refuses a file without one.
        out.push_back(
            {"cvc5", cvc5, {"--force-logic=ALL"}, {"--incremental"}, "--tlimit-per=", true});
    }
    return out;
}

std::vector<SolverRun> run_solver(const Solver &solver, const std::vector<ReplayFile> &files,
                                  const std::vector<std::string> &expected, unsigned timeout_ms,
                                  unsigned jobs, const std::string &scratch) {
    std::vector<std::optional<SolverRun>> batched(files.size());
    const std::size_t lanes = std::max<std::size_t>(1, std::min<std::size_t>(jobs, files.size()));
    const std::size_t per_batch =
        std::max<std::size_t>(1, std::min(kBatch, (files.size() + lanes - 1) / lanes));
    std::vector<std::pair<std::size_t, std::size_t>> batches;
    for (std::size_t first = 0; first < files.size(); first += per_batch) {
        batches.emplace_back(first, std::min(files.size(), first + per_batch));
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t b = next++; b < batches.size(); b = next++) {
            run_batch(solver, files, expected, batches[b].first, batches[b].second, timeout_ms,
                      scratch + "/" + solver.name + "-batch-" + std::to_string(b) + ".smt2",
                      batched);
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < std::min(lanes, batches.size()); ++t) {
        threads.emplace_back(work);
    }
    work();
    for (auto &t : threads) {
        t.join();
    }
    // What a batch did not answer, one file at a time.
    std::vector<std::size_t> alone;
    for (std::size_t idx = 0; idx < files.size(); ++idx) {
        if (!batched[idx]) {
            alone.push_back(idx);
        }
    }
    std::vector<SolverRun> out(files.size());
    next = 0;
    auto single = [&] {
        for (std::size_t k = next++; k < alone.size(); k = next++) {
            // A copy of its own, named after the file (and its index, so names never clash).
            const std::size_t idx = alone[k];
            const std::string copy =
                scratch + "/" + solver.name + "-" + std::to_string(idx) + "-" + files[idx].name;
            {
                std::ofstream f(copy, std::ios::binary | std::ios::trunc);
                f << files[idx].text;
                if (!f) {
                    out[idx] = {Answer::Error, "cannot write a copy in the scratch folder"};
                    continue;
                }
            }
            out[idx] = run_one(solver, copy, timeout_ms);
            std::remove(copy.c_str());
        }
    };
    threads.clear();
    for (std::size_t t = 1; t < std::min<std::size_t>(lanes, alone.size()); ++t) {
        threads.emplace_back(single);
    }
    single();
    for (auto &t : threads) {
        t.join();
    }
    for (std::size_t idx = 0; idx < files.size(); ++idx) {
        if (batched[idx]) {
            out[idx] = *batched[idx];
        }
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
