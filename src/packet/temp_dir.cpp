// SPDX-License-Identifier: Apache-2.0
#include "packet/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace assure::packet {

std::optional<TempDir> TempDir::create(const std::string &what, std::string &error) {
    const char *env = std::getenv("TMPDIR");
    std::string base = env != nullptr && *env != '\0' ? env : "/tmp";
    while (base.size() > 1 && base.back() == '/') {
        base.pop_back();
    }
    std::string pattern = base + "/assure-" + what + "-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) {
        error = "cannot create a temporary folder in " + base + ": " + std::strerror(errno);
        return std::nullopt;
    }
    return TempDir(std::string(buf.data()));
}

TempDir::~TempDir() {
    if (!path_.empty()) {
        // remove_all does not follow symbolic links: it removes a link, not what it points at.
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
}

} // namespace assure::packet
