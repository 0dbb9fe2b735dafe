// SPDX-License-Identifier: Apache-2.0
#include "support/safe_fs.hpp"

#include "support/assert.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::support {

namespace {

/// Closes a descriptor on scope exit unless it is `keep` (a folder's own descriptor).
class FdGuard {
  public:
    FdGuard(int fd, int keep) : fd_(fd), keep_(keep) {}
    FdGuard(const FdGuard &) = delete;
    FdGuard &operator=(const FdGuard &) = delete;
    ~FdGuard() {
        if (fd_ >= 0 && fd_ != keep_) {
            ::close(fd_);
        }
    }

  private:
    int fd_;
    int keep_;
};

FsError fail(FsProblem problem, std::string path, std::string message) {
    return FsError{problem, std::move(path), std::move(message)};
}

/// The error of a failed system call on `path`, from errno.
FsError from_errno(const std::string &path) {
    const int e = errno;
    return fail(e == ENOENT ? FsProblem::NotFound : FsProblem::Io, path, std::strerror(e));
}

/// The message for a file that is not regular: "is a directory", "is a symbolic link", "is not
/// a regular file (FIFO)".
std::string not_regular(unsigned mode) {
    if (S_ISDIR(mode)) {
        return "is a directory";
    }
    if (S_ISLNK(mode)) {
        return "is a symbolic link";
    }
    return std::string("is not a regular file (") + file_type_name(mode) + ")";
}

FileIdentity identity_from(const struct stat &st) {
    return FileIdentity{static_cast<std::uint64_t>(st.st_dev),
                        static_cast<std::uint64_t>(st.st_ino)};
}

/// Checks an existing entry `name` of folder `dfd` before it is replaced: it must be a regular
/// file (not a symlink) and not protected. A missing entry is fine.
bool check_target(int dfd, const std::string &name, const std::string &shown, const Protected &keep,
                  FsError &error) {
    struct stat st {};
    if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            return true;
        }
        error = from_errno(shown);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fail(FsProblem::NotRegular, shown, not_regular(st.st_mode));
        return false;
    }
    if (keep.contains(identity_from(st))) {
        error = fail(FsProblem::Protected, shown, "is one of the case's own files");
        return false;
    }
    return true;
}

std::string random_suffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char kDigits[] = "0123456789abcdef";
    std::uint64_t v = rng();
    std::string out;
    for (int digit = 0; digit < 16; ++digit) {
        out += kDigits[v & 0xF];
        v >>= 4;
    }
    return out;
}

bool write_all(int fd, std::string_view content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

const char *file_type_name(unsigned mode) {
    if (S_ISREG(mode)) {
        return "regular file";
    }
    if (S_ISDIR(mode)) {
        return "directory";
    }
    if (S_ISLNK(mode)) {
        return "symbolic link";
    }
    if (S_ISCHR(mode)) {
        return "character device";
    }
    if (S_ISBLK(mode)) {
        return "block device";
    }
    if (S_ISFIFO(mode)) {
        return "FIFO";
    }
    if (S_ISSOCK(mode)) {
        return "socket";
    }
    return "unknown kind of file";
}

std::optional<FileIdentity> identity_of(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return identity_from(st);
}

void Protected::add(const std::string &path) {
    if (const auto id = identity_of(path)) {
        ids_.insert(*id);
    }
}

// ---- reading ---------------------------------------------------------------------------------

RegularFile::RegularFile(RegularFile &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), id_(other.id_),
      resolved_(std::move(other.resolved_)) {}

RegularFile &RegularFile::operator=(RegularFile &&other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        size_ = other.size_;
        id_ = other.id_;
        resolved_ = std::move(other.resolved_);
    }
    return *this;
}

RegularFile::~RegularFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

std::optional<RegularFile> RegularFile::open(const std::string &path, bool follow, FsError &error) {
    // Look before opening: opening a FIFO for reading blocks until a writer comes, and some
    // devices have side effects on open. The descriptor is checked again afterwards.
    struct stat st {};
    if ((follow ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) != 0) {
        error = from_errno(path);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fail(FsProblem::NotRegular, path, not_regular(st.st_mode));
        return std::nullopt;
    }
    std::string target = path;
    if (follow) {
        char buf[PATH_MAX];
        if (::realpath(path.c_str(), buf) == nullptr) {
            error = from_errno(path);
            return std::nullopt;
        }
        target = buf;
    }
    // O_NOFOLLOW: the resolved path has no symlink left, unless one was swapped in since.
    // O_NONBLOCK: nor does a FIFO swapped in block the open.
    const int fd =
        ::open(target.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        error = errno == ELOOP ? fail(FsProblem::NotRegular, path, "is a symbolic link")
                               : from_errno(path);
        return std::nullopt;
    }
    RegularFile file;
    file.fd_ = fd;
    if (::fstat(fd, &st) != 0) {
        error = from_errno(path);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fail(FsProblem::NotRegular, path, not_regular(st.st_mode));
        return std::nullopt;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) {
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    file.size_ = static_cast<std::uint64_t>(st.st_size);
    file.id_ = identity_from(st);
    file.resolved_ = std::move(target);
    return file;
}

namespace {

std::optional<std::string> read_fd(int fd, std::uint64_t size, std::uint64_t max_bytes,
                                   const std::string &shown, FsError &error) {
    if (size > max_bytes) {
        error = fail(FsProblem::TooLarge, shown,
                     "is larger than " + std::to_string(max_bytes) + " bytes");
        return std::nullopt;
    }
    std::string text;
    text.resize(static_cast<std::size_t>(size));
    std::size_t got = 0;
    for (;;) {
        if (got == text.size()) {
            if (text.size() > max_bytes) {
                error = fail(FsProblem::TooLarge, shown,
                             "is larger than " + std::to_string(max_bytes) + " bytes");
                return std::nullopt;
            }
            text.resize(text.size() + 4096); // it grew since fstat
        }
        const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = from_errno(shown);
            return std::nullopt;
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    if (text.size() > max_bytes) {
        error = fail(FsProblem::TooLarge, shown,
                     "is larger than " + std::to_string(max_bytes) + " bytes");
        return std::nullopt;
    }
    return text;
}

} // namespace

std::optional<std::string> read_regular_file(const std::string &path, std::uint64_t max_bytes,
                                             bool follow, FsError &error) {
    auto file = RegularFile::open(path, follow, error);
    if (!file) {
        return std::nullopt;
    }
    return read_fd(file->fd(), file->size(), max_bytes, path, error);
}

std::string resolve_path(const std::string &path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec) {
        return path;
    }
    const fs::path canon = fs::weakly_canonical(abs, ec);
    return (ec ? abs.lexically_normal() : canon).string();
}

bool is_within(const std::string &path, const std::string &folder) {
    const std::string p = resolve_path(path);
    std::string f = resolve_path(folder);
    if (p == f) {
        return true;
    }
    if (f.empty() || f.back() != '/') {
        f += '/';
    }
    return p.compare(0, f.size(), f) == 0;
}

// ---- writing ---------------------------------------------------------------------------------

bool is_safe_relative(std::string_view rel) {
    if (rel.empty() || rel.front() == '/') {
        return false;
    }
    std::size_t parts = 0;
    std::size_t start = 0;
    while (start <= rel.size()) {
        const std::size_t slash = std::min(rel.find('/', start), rel.size());
        const std::string_view part = rel.substr(start, slash - start);
        if (part.empty() || part == "." || part == ".." || part.find('\0') != part.npos) {
            return false;
        }
        ++parts;
        start = slash + 1;
    }
    return parts <= 2;
}

OutputDir::OutputDir(OutputDir &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

OutputDir &OutputDir::operator=(OutputDir &&other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

OutputDir::~OutputDir() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

std::optional<OutputDir> OutputDir::open(const std::string &given, bool create, bool follow,
                                         FsError &error) {
    // `dir/` would resolve a symlink `dir` before O_NOFOLLOW could see it.
    std::string path = given;
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT || !create) {
            error = from_errno(path);
            return std::nullopt;
        }
        if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
            error = fail(FsProblem::Io, path,
                         std::string("cannot be created: ") + std::strerror(errno));
            return std::nullopt;
        }
    } else if (S_ISLNK(st.st_mode) && !follow) {
        error = fail(FsProblem::NotRegular, path, "is a symbolic link; give the folder itself");
        return std::nullopt;
    }
    const int fd =
        ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    if (fd < 0) {
        const int e = errno;
        error = e == ENOTDIR || e == ELOOP
                    ? fail(FsProblem::NotRegular, path, "exists and is not a folder")
                    : from_errno(path);
        return std::nullopt;
    }
    OutputDir dir;
    dir.fd_ = fd;
    dir.path_ = path;
    return dir;
}

bool OutputDir::empty() const {
    const int dup = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dup < 0) {
        return false;
    }
    DIR *d = ::fdopendir(dup);
    if (d == nullptr) {
        ::close(dup);
        return false;
    }
    bool none = true;
    while (const dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
            none = false;
            break;
        }
    }
    ::closedir(d);
    return none;
}

std::string OutputDir::shown(const std::string &rel) const {
    return path_ == "." ? rel : path_ + "/" + rel;
}

bool OutputDir::check_writable(const std::string &rel, const Protected &keep,
                               FsError &error) const {
    std::string name;
    const int dfd = folder_of(rel, false, name, error);
    if (dfd < 0) {
        return error.problem == FsProblem::NotFound; // a sub-folder still to be created
    }
    FdGuard guard(dfd, fd_);
    return check_target(dfd, name, shown(rel), keep, error);
}

bool OutputDir::exists(const std::string &rel) const {
    struct stat st {};
    return ::fstatat(fd_, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int OutputDir::folder_of(const std::string &rel, bool create, std::string &name,
                         FsError &error) const {
    ASSURE_ASSERT(is_safe_relative(rel), "an output path must be a safe relative path");
    const std::size_t slash = rel.find('/');
    if (slash == std::string::npos) {
        name = rel;
        return fd_;
    }
    const std::string sub = rel.substr(0, slash);
    const std::string where = shown(sub);
    name = rel.substr(slash + 1);
    struct stat st {};
    if (::fstatat(fd_, sub.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT || !create) {
            error = from_errno(where);
            return -1;
        }
        if (::mkdirat(fd_, sub.c_str(), 0777) != 0 && errno != EEXIST) {
            error = from_errno(where);
            return -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        error = fail(FsProblem::NotRegular, where,
                     S_ISLNK(st.st_mode) ? std::string("is a symbolic link, not a folder")
                                         : not_regular(st.st_mode) + ", not a folder");
        return -1;
    }
    const int dfd = ::openat(fd_, sub.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        error = errno == ELOOP || errno == ENOTDIR
                    ? fail(FsProblem::NotRegular, where, "is not a folder")
                    : from_errno(where);
        return -1;
    }
    return dfd;
}

std::optional<std::string> OutputDir::read(const std::string &rel, std::uint64_t max_bytes,
                                           FsError &error) const {
    std::string name;
    const int dfd = folder_of(rel, false, name, error);
    if (dfd < 0) {
        return std::nullopt;
    }
    FdGuard guard(dfd, fd_);
    const std::string where = shown(rel);
    const int fd =
        ::openat(dfd, name.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        error = errno == ELOOP ? fail(FsProblem::NotRegular, where, "is a symbolic link")
                               : from_errno(where);
        return std::nullopt;
    }
    FdGuard file_guard(fd, -1);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = from_errno(where);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fail(FsProblem::NotRegular, where, not_regular(st.st_mode));
        return std::nullopt;
    }
    return read_fd(fd, static_cast<std::uint64_t>(st.st_size), max_bytes, where, error);
}

bool OutputDir::write(const std::string &rel, std::string_view content, const Protected &keep,
                      FsError &error) const {
    std::string name;
    const int dfd = folder_of(rel, true, name, error);
    if (dfd < 0) {
        return false;
    }
    FdGuard guard(dfd, fd_);
    const std::string where = shown(rel);
    if (!check_target(dfd, name, where, keep, error)) {
        return false;
    }
    // A fresh name that nobody else's file can have: created exclusively, never followed.
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        tmp = ".assure-" + random_suffix() + ".tmp";
        fd = ::openat(dfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) {
            break;
        }
    }
    if (fd < 0) {
        error = fail(FsProblem::Io, where,
                     std::string("cannot be written: no temporary file next to it (") +
                         std::strerror(errno) + ")");
        return false;
    }
    const bool written = write_all(fd, content);
    const int write_errno = errno;
    const bool closed = ::close(fd) == 0;
    if (!written || !closed) {
        ::unlinkat(dfd, tmp.c_str(), 0);
        error = fail(FsProblem::Io, where,
                     std::string("cannot be written: ") + std::strerror(write_errno));
        return false;
    }
    // Look again just before the rename: what is there now is what gets replaced.
    if (!check_target(dfd, name, where, keep, error)) {
        ::unlinkat(dfd, tmp.c_str(), 0);
        return false;
    }
    if (::renameat(dfd, tmp.c_str(), dfd, name.c_str()) != 0) {
        const int e = errno;
        ::unlinkat(dfd, tmp.c_str(), 0);
        error = fail(FsProblem::Io, where, std::string("cannot be written: ") + std::strerror(e));
        return false;
    }
    return true;
}

bool OutputDir::replace(const std::string &name, std::string_view expected,
                        std::string_view content, FsError &error) const {
    ASSURE_ASSERT(is_safe_relative(name) && name.find('/') == std::string::npos,
                  "replace takes a bare file name");
    const std::string where = shown(name);
    // Open the file itself, never through a link, and look at what was opened.
    const int fd =
        ::openat(fd_, name.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        error = errno == ELOOP ? fail(FsProblem::NotRegular, where, "is a symbolic link")
                               : from_errno(where);
        return false;
    }
    FdGuard file_guard(fd, -1);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = from_errno(where);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fail(FsProblem::NotRegular, where, not_regular(st.st_mode));
        return false;
    }
    // A file nobody may write is one its owner meant to keep as it is: root could write it
    // anyway, so the mode bits are asked too, not only the kernel.
    if ((st.st_mode & 0222) == 0 || ::faccessat(fd_, name.c_str(), W_OK, AT_EACCESS) != 0) {
        error = fail(FsProblem::Io, where, "is read-only");
        return false;
    }
    const auto now = read_fd(fd, static_cast<std::uint64_t>(st.st_size),
                             static_cast<std::uint64_t>(expected.size()), where, error);
    if (!now) {
        if (error.problem == FsProblem::TooLarge) {
            error = fail(FsProblem::InTheWay, where, "changed since it was read");
        }
        return false;
    }
    if (*now != expected) {
        error = fail(FsProblem::InTheWay, where, "changed since it was read");
        return false;
    }
    std::string tmp;
    int out = -1;
    for (int attempt = 0; attempt < 16 && out < 0; ++attempt) {
        tmp = ".assure-" + random_suffix() + ".tmp";
        out =
            ::openat(fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (out < 0 && errno != EEXIST) {
            break;
        }
    }
    if (out < 0) {
        error = fail(FsProblem::Io, where,
                     std::string("cannot be written: no temporary file next to it (") +
                         std::strerror(errno) + ")");
        return false;
    }
    // The owner first: changing it clears set-user-ID bits, which the mode then restores.
    // Only root may give a file away; anyone else keeps their own file, as an editor does.
    if (::fchown(out, st.st_uid, st.st_gid) != 0) {
        errno = 0;
    }
    const bool moded = ::fchmod(out, st.st_mode & 07777) == 0;
    const bool written = moded && write_all(out, content) && ::fsync(out) == 0;
    const int write_errno = errno;
    const bool closed = ::close(out) == 0;
    if (!written || !closed) {
        ::unlinkat(fd_, tmp.c_str(), 0);
        error = fail(FsProblem::Io, where,
                     std::string("cannot be written: ") + std::strerror(write_errno));
        return false;
    }
    // Look again just before the rename: a link or another file swapped in is not replaced.
    struct stat again {};
    if (::fstatat(fd_, name.c_str(), &again, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(again.st_mode) ||
        again.st_ino != st.st_ino || again.st_dev != st.st_dev) {
        ::unlinkat(fd_, tmp.c_str(), 0);
        error = fail(FsProblem::InTheWay, where, "changed since it was read");
        return false;
    }
    if (::renameat(fd_, tmp.c_str(), fd_, name.c_str()) != 0) {
        const int e = errno;
        ::unlinkat(fd_, tmp.c_str(), 0);
        error = fail(FsProblem::Io, where, std::string("cannot be written: ") + std::strerror(e));
        return false;
    }
    // The rename is durable once the folder is flushed; a folder that cannot be (some file
    // systems) still has the new file in place.
    (void)::fsync(fd_);
    return true;
}

bool OutputDir::remove(const std::string &rel, const Protected &keep, FsError &error) const {
    std::string name;
    const int dfd = folder_of(rel, false, name, error);
    if (dfd < 0) {
        return error.problem == FsProblem::NotFound;
    }
    FdGuard guard(dfd, fd_);
    const std::string where = shown(rel);
    struct stat st {};
    if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            return true;
        }
        error = from_errno(where);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fail(FsProblem::NotRegular, where, not_regular(st.st_mode));
        return false;
    }
    if (keep.contains(identity_from(st))) {
        error = fail(FsProblem::Protected, where, "is one of the case's own files");
        return false;
    }
    if (::unlinkat(dfd, name.c_str(), 0) != 0 && errno != ENOENT) {
        error = from_errno(where);
        return false;
    }
    return true;
}

void OutputDir::remove_folder_if_empty(const std::string &rel) const {
    if (!is_safe_relative(rel) || rel.find('/') != std::string::npos) {
        return;
    }
    struct stat st {};
    if (::fstatat(fd_, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
        ::unlinkat(fd_, rel.c_str(), AT_REMOVEDIR); // fails, harmlessly, when not empty
    }
}

bool write_bundle(const OutputDir &dir, const std::string &manifest_name,
                  const std::vector<std::string> &previous, const std::vector<BundleFile> &files,
                  const std::function<std::string(const std::vector<std::string> &)> &manifest,
                  const Protected &keep, FsError &error) {
    std::set<std::string> before;
    for (const auto &p : previous) {
        if (is_safe_relative(p) && p != manifest_name) {
            before.insert(p);
        }
    }
    // Everything is checked before anything is written or deleted.
    if (!dir.check_writable(manifest_name, keep, error)) {
        return false;
    }
    std::set<std::string> now;
    for (const auto &f : files) {
        ASSURE_ASSERT(is_safe_relative(f.path) && f.path != manifest_name,
                      "a bundle file must have a safe relative path");
        now.insert(f.path);
        if (before.count(f.path) == 0 && dir.exists(f.path)) {
            error = fail(FsProblem::InTheWay, dir.shown(f.path),
                         "exists and is not listed in " + manifest_name + " as written by assure");
            return false;
        }
        if (!dir.check_writable(f.path, keep, error)) {
            return false;
        }
    }
    std::vector<std::string> both(before.begin(), before.end());
    both.insert(both.end(), now.begin(), now.end());
    std::sort(both.begin(), both.end());
    both.erase(std::unique(both.begin(), both.end()), both.end());
    if (!dir.write(manifest_name, manifest(both), keep, error)) {
        return false;
    }
    for (const auto &p : before) {
        if (now.count(p) == 0) {
            FsError ignored;
            // Only regular files still there are deleted; anything else is left alone.
            (void)dir.remove(p, keep, ignored);
        }
    }
    for (const auto &f : files) {
        if (!dir.write(f.path, f.content(), keep, error)) {
            return false;
        }
    }
    std::vector<std::string> listed;
    listed.reserve(files.size());
    for (const auto &f : files) {
        listed.push_back(f.path);
    }
    if (!dir.write(manifest_name, manifest(listed), keep, error)) {
        return false;
    }
    std::set<std::string> folders;
    for (const auto &p : both) {
        if (const auto slash = p.find('/'); slash != std::string::npos) {
            folders.insert(p.substr(0, slash));
        }
    }
    for (const auto &f : folders) {
        dir.remove_folder_if_empty(f);
    }
    return true;
}

} // namespace assure::support
