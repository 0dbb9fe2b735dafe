// SPDX-License-Identifier: Apache-2.0
#include "support/sha256.hpp"

#include "support/safe_fs.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <openssl/evp.h>
#include <unistd.h>

namespace assure::support {

namespace {

struct CtxDeleter {
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

std::string hex(const unsigned char *digest, unsigned len) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned idx = 0; idx < len; ++idx) {
        out += kDigits[digest[idx] >> 4];
        out += kDigits[digest[idx] & 0xF];
    }
    return out;
}

Ctx start() {
    Ctx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        return nullptr;
    }
    return ctx;
}

std::optional<std::string> finish(EVP_MD_CTX *ctx) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned len = 0;
    if (EVP_DigestFinal_ex(ctx, digest.data(), &len) != 1) {
        return std::nullopt;
    }
    return hex(digest.data(), len);
}

} // namespace

std::string sha256_hex(std::string_view data) {
    Ctx ctx = start();
    if (!ctx || EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1) {
        return {};
    }
    return finish(ctx.get()).value_or(std::string());
}

std::string sha256_base64(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned len = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1) {
        return {};
    }
    // EVP_EncodeBlock writes 4 characters per 3 bytes, padded, and a terminating NUL.
    std::string out(4 * ((len + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()), digest.data(),
                                  static_cast<int>(len));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

FileDigest sha256_file(const std::string &path) {
    FileDigest result;
    FsError error;
    const auto file = RegularFile::open(path, /*follow=*/true, error);
    if (!file) {
        result.error = error.message;
        result.problem = error.problem;
        return result;
    }
    Ctx ctx = start();
    bool ok = static_cast<bool>(ctx);
    std::array<char, 1 << 16> buf{};
    for (;;) {
        const ssize_t got = ::read(file->fd(), buf.data(), buf.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            result.error = std::string("read error: ") + std::strerror(errno);
            result.problem = FsProblem::Io;
            return result;
        }
        if (got == 0 || !ok) {
            break;
        }
        ok = EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(got)) == 1;
    }
    if (!ok) {
        result.error = "hashing failed";
        result.problem = FsProblem::Io;
        return result;
    }
    result.hex = finish(ctx.get());
    if (!result.hex) {
        result.error = "hashing failed";
        result.problem = FsProblem::Io;
    }
    return result;
}

Sha256::Sha256() : ctx_(start().release()) {}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(ctx_));
}

void Sha256::update(std::string_view data) {
    if (ctx_ != nullptr &&
        EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(ctx_), data.data(), data.size()) != 1) {
        EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(ctx_));
        ctx_ = nullptr;
    }
}

std::string Sha256::hex() {
    if (ctx_ == nullptr) {
        return {};
    }
    std::string out = finish(static_cast<EVP_MD_CTX *>(ctx_)).value_or(std::string());
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(ctx_));
    ctx_ = nullptr;
    return out;
}

} // namespace assure::support
