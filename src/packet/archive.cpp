// SPDX-License-Identifier: Apache-2.0
#include "packet/archive.hpp"

#include "support/safe_fs.hpp"
#include "support/sha256.hpp"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::packet {

namespace {

using support::Code;

struct WriteDeleter {
    void operator()(archive *a) const { archive_write_free(a); }
};
struct ReadDeleter {
    void operator()(archive *a) const { archive_read_free(a); }
};
struct EntryDeleter {
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};

la_ssize_t append_to_string(archive *, void *client, const void *buffer, std::size_t length) {
    static_cast<std::string *>(client)->append(static_cast<const char *>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

std::string archive_message(archive *a) {
    const char *text = archive_error_string(a);
    return text != nullptr ? text : "unknown libarchive error";
}

/// The top folder's prefix every member path starts with.
std::string top_prefix() {
    return std::string(kTopFolder) + "/";
}

/// An open packet file and a libarchive reader on it, accepting gzip-compressed tar only.
class Reader {
  public:
    bool open(const std::string &path, Problem &problem) {
        support::FsError error;
        auto file = support::RegularFile::open(path, /*follow=*/true, error);
        if (!file) {
            problem = {Code::E0701, {}, "`" + path + "` " + error.message};
            return false;
        }
        // The gzip magic first: libarchive would also read an uncompressed tar.
        unsigned char magic[2] = {0, 0};
        if (::pread(file->fd(), magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
            problem = {Code::E0701,
                       {},
                       "`" + path + "` is not gzip-compressed (a packet is a .tar.gz file)"};
            return false;
        }
        file_ = std::move(*file);
        a_.reset(archive_read_new());
        if (!a_ || archive_read_support_filter_gzip(a_.get()) != ARCHIVE_OK ||
            archive_read_support_format_tar(a_.get()) != ARCHIVE_OK ||
            archive_read_open_fd(a_.get(), file_.fd(), 1 << 16) != ARCHIVE_OK) {
            problem = {Code::E0701,
                       {},
                       "`" + path + "` is not a tar archive: " + archive_message(a_.get())};
            return false;
        }
        return true;
    }
    [[nodiscard]] archive *get() const { return a_.get(); }
    [[nodiscard]] std::uint64_t compressed_bytes() const {
        const la_int64_t n = archive_filter_bytes(a_.get(), -1);
        return n < 0 ? 0 : static_cast<std::uint64_t>(n);
    }

  private:
    support::RegularFile file_;
    std::unique_ptr<archive, ReadDeleter> a_;
};

/// What a checked header says: skip it (a directory entry) or read the member at `rel`.
enum class Entry : std::uint8_t { Member, Skip, End, Refused };

/// Reads the next header and checks it. `seen` collects the names met so far.
Entry next_entry(const Reader &reader, const Limits &limits, std::set<std::string> &seen,
                 std::uint64_t count, std::string &rel, Problem &problem) {
    archive_entry *entry = nullptr;
    const int r = archive_read_next_header(reader.get(), &entry);
    if (r == ARCHIVE_EOF) {
        return Entry::End;
    }
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        problem = {Code::E0701,
                   {},
                   "the packet is damaged or cut short: " + archive_message(reader.get())};
        return Entry::Refused;
    }
    if (count >= limits.members) {
        problem = {Code::E0703,
                   {},
                   "the packet has more than " + std::to_string(limits.members) + " members"};
        return Entry::Refused;
    }
    const char *raw = archive_entry_pathname(entry);
    const std::string name = raw != nullptr ? raw : "";
    const std::string prefix = top_prefix();
    auto refuse = [&](std::string why) {
        problem = {Code::E0702, name, "member `" + name + "` " + std::move(why)};
        return Entry::Refused;
    };
    if (name.empty()) {
        return refuse("has no name");
    }
    if (name.front() == '/') {
        return refuse("has an absolute path");
    }
    std::string inner = name;
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFDIR && !inner.empty() && inner.back() == '/') {
        inner.pop_back();
    }
    if (inner == kTopFolder && type == AE_IFDIR) {
        return Entry::Skip;
    }
    if (inner.compare(0, prefix.size(), prefix) != 0) {
        return refuse("is outside the packet's top folder `" + std::string(kTopFolder) + "/`");
    }
    inner = inner.substr(prefix.size());
    if (!is_safe_member_path(inner)) {
        return refuse("has an unsafe path (an empty, `.` or `..` component, a backslash or a "
                      "control character)");
    }
    if (archive_entry_hardlink(entry) != nullptr) {
        return refuse(std::string("is a hard link (to `") + archive_entry_hardlink(entry) + "`)");
    }
    switch (type) {
    case AE_IFREG:
        break;
    case AE_IFDIR:
        return Entry::Skip;
    case AE_IFLNK: {
        const char *target = archive_entry_symlink(entry);
        return refuse(std::string("is a symbolic link (to `") + (target ? target : "") + "`)");
    }
    case AE_IFCHR:
        return refuse("is a character device");
    case AE_IFBLK:
        return refuse("is a block device");
    case AE_IFIFO:
        return refuse("is a FIFO");
    case AE_IFSOCK:
        return refuse("is a socket");
    default:
        return refuse("is not a regular file");
    }
    if (archive_entry_sparse_count(entry) > 0) {
        return refuse("is a sparse file");
    }
    if (!seen.insert(inner).second) {
        return refuse("comes twice in the packet");
    }
    if (archive_entry_size_is_set(entry) != 0 && archive_entry_size(entry) >= 0 &&
        static_cast<std::uint64_t>(archive_entry_size(entry)) > limits.member_bytes) {
        problem = {Code::E0703, inner,
                   "member `" + name + "` is " + std::to_string(archive_entry_size(entry)) +
                       " bytes, above the limit of " + std::to_string(limits.member_bytes)};
        return Entry::Refused;
    }
    rel = inner;
    return Entry::Member;
}

/// Streams the current member's data to `sink`, hashing it and enforcing the limits on the
/// bytes actually decompressed. `total` counts every member's bytes so far.
template <typename Sink>
bool read_member(const Reader &reader, const std::string &rel, const Limits &limits,
                 std::uint64_t &total, MemberInfo &info, Sink &&sink, Problem &problem) {
    support::Sha256 hash;
    std::array<char, 1 << 16> buf{};
    std::uint64_t size = 0;
    for (;;) {
        const la_ssize_t got = archive_read_data(reader.get(), buf.data(), buf.size());
        if (got == 0) {
            break;
        }
        if (got < 0) {
            problem = {Code::E0701, rel,
                       "member `" + rel +
                           "` is damaged or cut short: " + archive_message(reader.get())};
            return false;
        }
        const auto n = static_cast<std::uint64_t>(got);
        size += n;
        total += n;
        if (size > limits.member_bytes) {
            problem = {Code::E0703, rel,
                       "member `" + rel + "` is larger than the limit of " +
                           std::to_string(limits.member_bytes) + " bytes"};
            return false;
        }
        if (total > limits.total_bytes) {
            problem = {Code::E0703, rel,
                       "the packet's members add up to more than the limit of " +
                           std::to_string(limits.total_bytes) + " bytes"};
            return false;
        }
        if (total > limits.ratio_floor &&
            total / std::max<std::uint64_t>(reader.compressed_bytes(), 1) > limits.max_ratio) {
            problem = {Code::E0703, rel,
                       "the packet decompresses to more than " + std::to_string(limits.max_ratio) +
                           " times its size (a compression bomb?)"};
            return false;
        }
        const std::string_view piece(buf.data(), static_cast<std::size_t>(got));
        hash.update(piece);
        if (!sink(piece)) {
            return false;
        }
    }
    info.path = rel;
    info.size = size;
    info.sha256 = hash.hex();
    return true;
}

/// Writes `content` to `fd` whole.
bool write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// Creates the folders of `rel` below the open folder `root` (mode 0700, never following a
/// symbolic link) and returns a descriptor of the innermost one (-1 on failure).
int open_parent(int root, const std::string &rel, std::string &leaf) {
    int dir = ::dup(root);
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = rel.find('/', start);
        if (slash == std::string::npos) {
            leaf = rel.substr(start);
            return dir;
        }
        const std::string part = rel.substr(start, slash - start);
        if (::mkdirat(dir, part.c_str(), 0700) != 0 && errno != EEXIST) {
            ::close(dir);
            return -1;
        }
        const int next =
            ::openat(dir, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        ::close(dir);
        if (next < 0) {
            return -1;
        }
        dir = next;
        start = slash + 1;
    }
}

} // namespace

bool is_safe_member_path(std::string_view rel) {
    if (rel.empty() || rel.size() > 4096) {
        return false;
    }
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = rel.find('/', start);
        const std::string_view part =
            rel.substr(start, slash == std::string_view::npos ? rel.npos : slash - start);
        if (part.empty() || part == "." || part == "..") {
            return false;
        }
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return std::none_of(rel.begin(), rel.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f || c == '\\';
    });
}

bool is_packet_file(int fd) {
    unsigned char magic[2] = {0, 0};
    if (::pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b ||
        ::lseek(fd, 0, SEEK_SET) != 0) {
        return false;
    }
    std::unique_ptr<archive, ReadDeleter> a(archive_read_new());
    if (!a || archive_read_support_filter_gzip(a.get()) != ARCHIVE_OK ||
        archive_read_support_format_tar(a.get()) != ARCHIVE_OK ||
        archive_read_open_fd(a.get(), fd, 1 << 16) != ARCHIVE_OK) {
        return false;
    }
    const std::string wanted = top_prefix() + "manifest.json";
    archive_entry *entry = nullptr;
    while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(entry);
        if (name == nullptr || wanted != name) {
            continue;
        }
        std::string head(4096, '\0');
        const la_ssize_t got = archive_read_data(a.get(), head.data(), head.size());
        if (got <= 0) {
            return false;
        }
        head.resize(static_cast<std::size_t>(got));
        return head.find("\"format\": \"assure-packet\"") != std::string::npos;
    }
    return false;
}

const std::string *Scan::kept_file(std::string_view path) const {
    for (const auto &[name, content] : kept) {
        if (name == path) {
            return &content;
        }
    }
    return nullptr;
}

const MemberInfo *Scan::member(std::string_view path) const {
    for (const auto &m : members) {
        if (m.path == path) {
            return &m;
        }
    }
    return nullptr;
}

std::optional<std::string> write_archive(std::vector<ArchiveFile> files, std::int64_t mtime,
                                         std::string &error) {
    std::sort(files.begin(), files.end(),
              [](const ArchiveFile &l, const ArchiveFile &r) { return l.path < r.path; });
    for (std::size_t idx = 1; idx < files.size(); ++idx) {
        if (files[idx].path == files[idx - 1].path) {
            error = "two files of the packet would be `" + files[idx].path + "`";
            return std::nullopt;
        }
    }
    std::string out;
    std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
    if (!a || archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
        // No timestamp in the gzip header (libarchive stores one by default) and level 6.
        archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
        archive_write_set_filter_option(a.get(), "gzip", "compression-level", "6") != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
        archive_write_open2(a.get(), &out, nullptr, append_to_string, nullptr, nullptr) !=
            ARCHIVE_OK) {
        error = archive_message(a.get());
        return std::nullopt;
    }
    std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
    for (const auto &f : files) {
        archive_entry_clear(entry.get());
        const std::string name = top_prefix() + f.path;
        archive_entry_set_pathname(entry.get(), name.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(f.content.size()));
        archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
        archive_entry_set_uid(entry.get(), 0);
        archive_entry_set_gid(entry.get(), 0);
        archive_entry_set_uname(entry.get(), "assure");
        archive_entry_set_gname(entry.get(), "assure");
        if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK) {
            error = "`" + f.path + "`: " + archive_message(a.get());
            return std::nullopt;
        }
        std::size_t done = 0;
        while (done < f.content.size()) {
            const la_ssize_t n =
                archive_write_data(a.get(), f.content.data() + done, f.content.size() - done);
            if (n <= 0) {
                error = "`" + f.path + "`: " + archive_message(a.get());
                return std::nullopt;
            }
            done += static_cast<std::size_t>(n);
        }
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        error = archive_message(a.get());
        return std::nullopt;
    }
    return out;
}

std::optional<Scan> scan_packet(const std::string &path, const Limits &limits,
                                const std::vector<std::string> &keep, Problem &problem) {
    Reader reader;
    if (!reader.open(path, problem)) {
        return std::nullopt;
    }
    Scan scan;
    std::set<std::string> seen;
    for (;;) {
        std::string rel;
        const Entry e = next_entry(reader, limits, seen, scan.members.size(), rel, problem);
        if (e == Entry::End) {
            break;
        }
        if (e == Entry::Refused) {
            return std::nullopt;
        }
        if (e == Entry::Skip) {
            continue;
        }
        const bool kept = std::find(keep.begin(), keep.end(), rel) != keep.end();
        std::string content;
        bool too_big = false;
        MemberInfo info;
        auto sink = [&](std::string_view piece) {
            if (kept && !too_big) {
                if (content.size() + piece.size() > limits.small_file_bytes) {
                    too_big = true;
                    content.clear();
                } else {
                    content.append(piece);
                }
            }
            return true;
        };
        if (!read_member(reader, rel, limits, scan.total_bytes, info, sink, problem)) {
            return std::nullopt;
        }
        if (too_big) {
            problem = {Code::E0703, rel,
                       "member `" + rel + "` is larger than the limit of " +
                           std::to_string(limits.small_file_bytes) + " bytes for it"};
            return std::nullopt;
        }
        if (kept) {
            scan.kept.emplace_back(rel, std::move(content));
        }
        scan.members.push_back(std::move(info));
    }
    if (scan.members.empty()) {
        problem = {Code::E0701, {}, "`" + path + "` holds no file"};
        return std::nullopt;
    }
    return scan;
}

bool extract_packet(const std::string &path, const Scan &scan, const std::string &dest,
                    const Limits &limits, const std::function<bool(const std::string &)> &to_disk,
                    std::map<std::string, std::string> &in_memory, Problem &problem) {
    Reader reader;
    if (!reader.open(path, problem)) {
        return false;
    }
    const int root = ::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (root < 0) {
        problem = {Code::E0701,
                   {},
                   "cannot open the temporary folder: " + std::string(std::strerror(errno))};
        return false;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } close_root{root};
    std::set<std::string> seen;
    std::uint64_t total = 0;
    std::size_t index = 0;
    const auto swapped = [&](const std::string &rel) {
        problem = {Code::E0701, rel,
                   "the packet changed while it was read (member `" + rel +
                       "` differs from the first reading)"};
        return false;
    };
    for (;;) {
        std::string rel;
        const Entry e = next_entry(reader, limits, seen, index, rel, problem);
        if (e == Entry::End) {
            break;
        }
        if (e == Entry::Refused) {
            return false;
        }
        if (e == Entry::Skip) {
            continue;
        }
        if (index >= scan.members.size() || scan.members[index].path != rel) {
            return swapped(rel);
        }
        if (!to_disk(rel)) {
            MemberInfo info;
            std::string &content = in_memory[rel];
            auto keep = [&](std::string_view piece) {
                content.append(piece);
                return true;
            };
            if (!read_member(reader, rel, limits, total, info, keep, problem)) {
                return false;
            }
            if (info.sha256 != scan.members[index].sha256 ||
                info.size != scan.members[index].size) {
                return swapped(rel);
            }
            ++index;
            continue;
        }
        std::string leaf;
        const int dir = open_parent(root, rel, leaf);
        if (dir < 0) {
            problem = {Code::E0701, rel,
                       "cannot create the folder of `" + rel + "`: " + std::strerror(errno)};
            return false;
        }
        const int fd =
            ::openat(dir, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        ::close(dir);
        if (fd < 0) {
            problem = {Code::E0701, rel, "cannot write `" + rel + "`: " + std::strerror(errno)};
            return false;
        }
        Closer close_fd{fd};
        MemberInfo info;
        bool write_ok = true;
        auto sink = [&](std::string_view piece) {
            write_ok = write_all(fd, piece);
            return write_ok;
        };
        if (!read_member(reader, rel, limits, total, info, sink, problem)) {
            if (!write_ok) {
                problem = {Code::E0701, rel, "cannot write `" + rel + "`: " + std::strerror(errno)};
            }
            return false;
        }
        if (info.sha256 != scan.members[index].sha256 || info.size != scan.members[index].size) {
            return swapped(rel);
        }
        ++index;
    }
    if (index != scan.members.size()) {
        return swapped(index < scan.members.size() ? scan.members[index].path : std::string());
    }
    return true;
}

} // namespace assure::packet
