// SPDX-License-Identifier: Apache-2.0
#include "support/sha256.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <openssl/evp.h>
#include <sys/stat.h>

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

FileDigest sha256_file(const std::string &path) {
    FileDigest result;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        result.error = std::strerror(errno);
        return result;
    }
    if (S_ISDIR(st.st_mode)) {
        result.error = "is a directory";
        return result;
    }
    std::FILE *fp = std::fopen(path.c_str(), "rb");
    if (fp == nullptr) {
        result.error = std::strerror(errno);
        return result;
    }
    Ctx ctx = start();
    bool ok = static_cast<bool>(ctx);
    std::array<char, 1 << 16> buf{};
    std::size_t got = 0;
    while (ok && (got = std::fread(buf.data(), 1, buf.size(), fp)) > 0) {
        ok = EVP_DigestUpdate(ctx.get(), buf.data(), got) == 1;
    }
    const bool read_error = std::ferror(fp) != 0;
    std::fclose(fp);
    if (read_error) {
        result.error = "read error";
        return result;
    }
    if (!ok) {
        result.error = "hashing failed";
        return result;
    }
    result.hex = finish(ctx.get());
    if (!result.hex) {
        result.error = "hashing failed";
    }
    return result;
}

} // namespace assure::support
