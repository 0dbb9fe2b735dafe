// SPDX-License-Identifier: Apache-2.0
#pragma once

// The evidence packet's container (docs/packet.md): a gzip-compressed tar archive written and
// read with libarchive. Writing is reproducible; reading is defensive, because a packet comes
// from someone else: every member is checked before a byte of it is written anywhere.

#include "support/diagnostics.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::packet {

/// The one folder every member of a packet lies in.
inline constexpr std::string_view kTopFolder = "assure-packet";

/// One file of a packet: its path below the top folder and its bytes.
struct ArchiveFile {
    std::string path; // "case/brake.assure"
    std::string content;
};

/// The packet of `files` as a .tar.gz: members `assure-packet/<path>` sorted by path (bytes),
/// regular files only, mode 0644, owner and group 0 named "assure", modification time `mtime`
/// (seconds since 1970); POSIX tar (pax headers only for names too long for ustar); gzip
/// without a timestamp or a file name. The same files and mtime give the same bytes. Returns
/// nullopt with `error` when libarchive fails, or when two files share a path.
std::optional<std::string> write_archive(std::vector<ArchiveFile> files, std::int64_t mtime,
                                         std::string &error);

/// Bounds on what a packet may hold (docs/packet.md, "Limits").
struct Limits {
    std::uint64_t member_bytes = 1ull << 30;      // one member, uncompressed
    std::uint64_t total_bytes = 4ull << 30;       // all members, uncompressed
    std::uint64_t members = 1'000'000;            // number of members
    std::uint64_t ratio_floor = 64ull << 20;      // below this total, no ratio check
    std::uint64_t max_ratio = 200;                // uncompressed : compressed, above the floor
    std::uint64_t small_file_bytes = 64ull << 20; // manifest.json, statement, signature
};

/// A reason a packet was refused or a check failed.
struct Problem {
    support::Code code = support::Code::E0701;
    std::string member; // below the top folder; empty for the packet as a whole
    std::string message;
};

/// A member as read: its path below the top folder, its size and SHA-256.
struct MemberInfo {
    std::string path;
    std::uint64_t size = 0;
    std::string sha256;
};

/// What a first pass over a packet found.
struct Scan {
    std::vector<MemberInfo> members; // in archive order
    std::uint64_t total_bytes = 0;
    /// The contents of the members named in `keep` (manifest.json, ...), when present.
    std::vector<std::pair<std::string, std::string>> kept;
    [[nodiscard]] const std::string *kept_file(std::string_view path) const;
    [[nodiscard]] const MemberInfo *member(std::string_view path) const;
};

/// Reads the packet at `path` without writing anything: checks that it is a gzip-compressed
/// tar archive, that every member is a regular file (directory entries are skipped) named
/// `assure-packet/<relative path>` with no absolute path, empty, `.` or `..` component or
/// control character, that no name comes twice, and that the sizes stay within `limits`
/// (counted on the bytes actually decompressed, not the headers' word); hashes each member and
/// keeps the contents of the members `keep` names (at most limits.small_file_bytes each).
/// Returns nullopt with `problem` (E0701 unreadable, E0702 hostile member, E0703 too large).
std::optional<Scan> scan_packet(const std::string &path, const Limits &limits,
                                const std::vector<std::string> &keep, Problem &problem);

/// Writes the members of the packet at `path` below the folder `dest`, each at its path below
/// the top folder (`assure-packet/case/x.assure` as `dest/case/x.assure`); `dest` must exist and
/// be empty and private), re-checking each member against `scan` (the same names, sizes and
/// hashes in the same order: a packet swapped after the scan is refused). Folders are created
/// with mode 0700, files 0600, never following a symbolic link (there are none: dest is
/// private). A member `to_disk` declines (given its path below the top folder) is kept in
/// `in_memory` instead, checked the same way: what a verifier only compares or reads need not
/// cost a file. Returns false with `problem` on any difference or failure.
bool extract_packet(const std::string &path, const Scan &scan, const std::string &dest,
                    const Limits &limits, const std::function<bool(const std::string &)> &to_disk,
                    std::map<std::string, std::string> &in_memory, Problem &problem);

/// Whether the open file `fd` (read from offset 0) is an assure packet: a gzip-compressed tar
/// archive with a member `assure-packet/manifest.json` of format assure-packet. Reads no
/// further than that member, and at most 64 MiB of it.
bool is_packet_file(int fd);

/// Whether `rel` is a member path a packet may hold: relative, no empty, `.` or `..`
/// component, no backslash or control character, at most 4096 bytes.
bool is_safe_member_path(std::string_view rel);

} // namespace assure::packet
