// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace assure::packet {

/// A private temporary folder (mkdtemp, mode 0700, below $TMPDIR or /tmp), removed with all it
/// holds when this object goes away, on success and on failure alike. Removal never follows a
/// symbolic link out of the folder.
class TempDir {
  public:
    /// Creates `<tmp>/assure-<what>-XXXXXX`; nullopt with `error` when it cannot.
    static std::optional<TempDir> create(const std::string &what, std::string &error);
    TempDir(TempDir &&other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
    TempDir &operator=(TempDir &&) = delete;
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    ~TempDir();

    [[nodiscard]] const std::string &path() const { return path_; }

  private:
    explicit TempDir(std::string path) : path_(std::move(path)) {}
    std::string path_;
};

} // namespace assure::packet
