// SPDX-License-Identifier: Apache-2.0
#include "history/git.hpp"

#include "support/process.hpp"

#include <filesystem>
#include <sys/wait.h>

namespace assure::history {

std::string git_commit(const std::vector<std::string> &files) {
    const std::string git = support::find_on_path("git");
    if (git.empty() || files.empty()) {
        return {};
    }
    std::error_code ec;
    std::vector<std::string> paths;
    for (const std::string &f : files) {
        paths.push_back(std::filesystem::absolute(f, ec).lexically_normal().string());
    }
    const std::string dir = std::filesystem::path(paths.front()).parent_path().string();
    constexpr unsigned kTimeoutMs = 10000;
    constexpr std::size_t kMaxOutput = 1 << 20;
    auto ok = [](const support::Output &o) {
        return o.spawn_error.empty() && !o.timed_out && WIFEXITED(o.status) &&
               WEXITSTATUS(o.status) == 0;
    };
    const support::Output head = support::run_process(
        git, {"-C", dir, "rev-parse", "--verify", "-q", "HEAD"}, kTimeoutMs, kMaxOutput);
    if (!ok(head)) {
        return {};
    }
    std::string commit = head.text.substr(0, head.text.find_first_of("\r\n"));
    if (commit.size() < 40 || commit.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return {};
    }
    std::vector<std::string> status_args = {"-C", dir, "status", "--porcelain", "--"};
    status_args.insert(status_args.end(), paths.begin(), paths.end());
    const support::Output status = support::run_process(git, status_args, kTimeoutMs, kMaxOutput);
    if (!ok(status)) {
        return {};
    }
    return status.text.empty() ? commit : commit + "+dirty";
}

} // namespace assure::history
