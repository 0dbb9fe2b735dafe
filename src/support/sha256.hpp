// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/safe_fs.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace assure::support {

/// Lower-case hex SHA-256 of `data` (OpenSSL's libcrypto; no hashing code of our own).
std::string sha256_hex(std::string_view data);
/// The SHA-256 of `data` in standard base64 (RFC 4648, padded), as a Content-Security-Policy
/// `'sha256-...'` source names a script.
std::string sha256_base64(std::string_view data);

/// Result of hashing a file: the digest, or why the file could not be read.
struct FileDigest {
    std::optional<std::string> hex;      // set when the file was read
    std::string error;                   // "No such file or directory", "is a directory", ...
    FsProblem problem = FsProblem::None; // why not: NotFound, NotRegular, TooLarge or Io
};

/// Streams the file at `path` through SHA-256 (constant memory, any size). Only a regular file
/// is hashed (symlinks resolved): a folder, device, FIFO or socket gives an error such as "is not
/// a regular file (character device)", without blocking.
FileDigest sha256_file(const std::string &path);

/// SHA-256 of data given in pieces (an archive member as it is decompressed).
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void update(std::string_view data);
    /// The lower-case hex digest of everything given; the hasher is then spent.
    std::string hex();

  private:
    void *ctx_; // EVP_MD_CTX, kept out of this header
};

} // namespace assure::support
