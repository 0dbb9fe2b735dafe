// SPDX-License-Identifier: Apache-2.0
#pragma once

// File-system access that never hangs, never follows a symlink it was not asked to and never
// destroys what assure did not write. Every command that reads its own earlier outputs or
// writes files goes through here (docs/impact.md, "What assure writes").
//
// Reading: only regular files are read; the file is opened without blocking (a FIFO or a
// device does not stall the open) and the descriptor, not the path, is checked afterwards, so a
// file swapped between a check and the open cannot slip through.
//
// Writing: every file is written to a fresh temporary file created exclusively (O_CREAT |
// O_EXCL, a random name) in the target's folder and renamed into place. A target that is a
// symlink or not a regular file, or that is one of the case's own files (`Protected`), is
// refused; folders below an output folder are opened without following symlinks.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assure::support {

/// Why a file-system operation did not happen.
enum class FsProblem : std::uint8_t {
    None,
    NotFound,   // the path does not exist
    NotRegular, // a symlink, a folder, a device, a FIFO or a socket where a file is needed
    TooLarge,   // larger than the bound given for reading it
    Protected,  // one of the case's own input files or artifacts
    InTheWay,   // something assure cannot prove it wrote
    Io,         // the system refused (permissions, a missing folder, a full disk, ...)
};

/// What went wrong, for a diagnostic: the path concerned and a sentence without it.
struct FsError {
    FsProblem problem = FsProblem::None;
    std::string path;
    std::string message; // "is a symbolic link", "is not a regular file (FIFO)", ...
};

/// "regular file", "directory", "symbolic link", "character device", "block device", "FIFO",
/// "socket" for a `st_mode`.
const char *file_type_name(unsigned mode);

/// A file's identity: device and inode.
struct FileIdentity {
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    friend auto operator<=>(const FileIdentity &, const FileIdentity &) = default;
};

/// The identity of the file `path` resolves to (following symlinks); nullopt when it cannot be
/// stat'ed.
std::optional<FileIdentity> identity_of(const std::string &path);

/// The case's own files (inputs and artifacts), which no command may overwrite or delete, even
/// with --force. Compared by device and inode, so another path to the same file (a symlink, a
/// hard link, `./x`) is recognised.
class Protected {
  public:
    /// Adds the file `path` resolves to, if it exists.
    void add(const std::string &path);
    [[nodiscard]] bool contains(FileIdentity id) const { return ids_.count(id) != 0; }

  private:
    std::set<FileIdentity> ids_;
};

/// An open, read-only descriptor of a regular file (closed on destruction).
class RegularFile {
  public:
    RegularFile() = default;
    RegularFile(RegularFile &&other) noexcept;
    RegularFile &operator=(RegularFile &&other) noexcept;
    RegularFile(const RegularFile &) = delete;
    RegularFile &operator=(const RegularFile &) = delete;
    ~RegularFile();

    /// Opens `path` for reading if it is a regular file. Symlinks are resolved first when
    /// `follow` (the resolved path is then opened without following); with `follow` false a
    /// symlink is refused. Never blocks on a FIFO or device.
    static std::optional<RegularFile> open(const std::string &path, bool follow, FsError &error);

    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] std::uint64_t size() const { return size_; }
    [[nodiscard]] FileIdentity identity() const { return id_; }
    /// The path opened: `path` itself, or where its symlinks lead.
    [[nodiscard]] const std::string &resolved() const { return resolved_; }

  private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
    FileIdentity id_;
    std::string resolved_;
};

/// The whole of the regular file at `path`, at most `max_bytes` long (see RegularFile::open).
std::optional<std::string> read_regular_file(const std::string &path, std::uint64_t max_bytes,
                                             bool follow, FsError &error);

/// The canonical form of `path` (symlinks resolved, `.` and `..` removed, absolute); for a
/// path that does not exist, its longest existing prefix resolved and the rest appended.
std::string resolve_path(const std::string &path);

/// Whether the resolved `path` is `folder` or lies below it (both resolved first).
bool is_within(const std::string &path, const std::string &folder);

/// A folder assure writes into, open by descriptor so that every later step acts on this very
/// folder even if its path is swapped meanwhile.
class OutputDir {
  public:
    OutputDir(OutputDir &&other) noexcept;
    OutputDir &operator=(OutputDir &&other) noexcept;
    OutputDir(const OutputDir &) = delete;
    OutputDir &operator=(const OutputDir &) = delete;
    ~OutputDir();

    /// Opens the folder `path`, creating it (not its parents) when `create`. A final component
    /// that is a symlink is followed only when `follow` (the folder of a lockfile: the user
    /// named it); a trace folder is opened with `follow` false.
    static std::optional<OutputDir> open(const std::string &path, bool create, bool follow,
                                         FsError &error);

    [[nodiscard]] const std::string &path() const { return path_; }
    /// Whether the folder has no entries.
    [[nodiscard]] bool empty() const;
    /// Whether `rel` exists (as anything, symlinks not followed).
    [[nodiscard]] bool exists(const std::string &rel) const;

    /// Reads `rel` (relative, at most one sub-folder deep, no `..`) when it is a regular file
    /// no larger than `max_bytes`; symlinks, in the name or the sub-folder, are refused.
    std::optional<std::string> read(const std::string &rel, std::uint64_t max_bytes,
                                    FsError &error) const;

    /// Writes `content` to `rel` through an exclusively created temporary file renamed into
    /// place, creating a missing sub-folder. Refuses a target (or sub-folder) that is a
    /// symlink or not a regular file (folder), and a protected one.
    bool write(const std::string &rel, std::string_view content, const Protected &keep,
               FsError &error) const;

    /// Replaces the existing regular file `name` (a bare name in this folder) with `content`,
    /// provided it still holds exactly `expected`: through an exclusively created temporary
    /// file that gets the file's permission bits (and, where allowed, its owner), is flushed to
    /// disk and renamed over it; the folder is flushed after. Refuses, writing nothing, a name
    /// that is a symbolic link or not a regular file (NotRegular), a file without write
    /// permission for this process or with no write bit at all (Io, "is read-only"), and a
    /// file whose contents are no longer `expected` (InTheWay: it changed meanwhile). Other
    /// hard links to the file keep the old contents.
    bool replace(const std::string &name, std::string_view expected, std::string_view content,
                 FsError &error) const;

    /// Whether write(`rel`) would be allowed now: its sub-folder (if it exists) is a real
    /// folder, and the target is missing or a regular file that is not protected.
    bool check_writable(const std::string &rel, const Protected &keep, FsError &error) const;

    /// `rel` as shown in messages: below the folder's path, or alone for ".".
    [[nodiscard]] std::string shown(const std::string &rel) const;

    /// Deletes `rel` if it is a regular file and not protected; a missing file is fine.
    /// Anything else (a symlink, a folder, ...) is left alone and reported.
    bool remove(const std::string &rel, const Protected &keep, FsError &error) const;

    /// Removes the sub-folder `rel` if it is an empty folder (never its contents).
    void remove_folder_if_empty(const std::string &rel) const;

  private:
    OutputDir() = default;
    /// The folder of `rel` (this one, or its sub-folder opened without following symlinks,
    /// created when `create`) and the file name in it; -1 with `error` on failure.
    int folder_of(const std::string &rel, bool create, std::string &name, FsError &error) const;

    int fd_ = -1;
    std::string path_;
};

/// Whether `rel` is a path assure may write below an output folder: relative, at most one
/// sub-folder deep, no empty, `.` or `..` component.
bool is_safe_relative(std::string_view rel);

/// One file of a bundle: its path relative to the bundle's folder and what renders its
/// contents (called once, just before the file is written, so a large bundle is never whole
/// in memory).
struct BundleFile {
    std::string path;
    std::function<std::string()> content;
};

/// Writes a bundle of files into `dir` and a manifest that lists them, replacing the previous
/// bundle there. `previous` is what the previous manifest listed (the files assure can prove
/// it wrote); `manifest(listed)` renders a manifest listing `listed`.
///
/// Steps: refuse if a file to write exists and was not listed before (it is someone else's);
/// write a manifest listing the old and the new files (so an interrupted run leaves every file
/// of either accounted for); delete the old files not written again (only regular files still
/// there); write the new files; write the manifest listing the new files only; remove the
/// sub-folders left empty. Nothing else in the folder is touched.
bool write_bundle(const OutputDir &dir, const std::string &manifest_name,
                  const std::vector<std::string> &previous, const std::vector<BundleFile> &files,
                  const std::function<std::string(const std::vector<std::string> &)> &manifest,
                  const Protected &keep, FsError &error);

} // namespace assure::support
