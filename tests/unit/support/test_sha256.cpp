// SPDX-License-Identifier: Apache-2.0
#include "support/sha256.hpp"

#include <cstdio>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using assure::support::sha256_file;
using assure::support::sha256_hex;

TEST_CASE("support: SHA-256 of the FIPS 180-2 test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("support: a file is hashed in chunks, and unreadable paths say why") {
    const std::string path = std::string(ASSURE_SOURCE_DIR) +
                             "/examples/autonomous-ship/evidence/fog-chamber-summary.csv";
    const auto digest = sha256_file(path);
    REQUIRE(digest.hex.has_value());
    // The same digest the example's artifact declaration records.
    std::ifstream in(std::string(ASSURE_SOURCE_DIR) +
                     "/examples/autonomous-ship/perception.assure");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find(*digest.hex) != std::string::npos);

    // Larger than one 64 KiB chunk: the streamed digest equals the one-shot digest.
    const std::string big(200000, 'x');
    const std::string tmp =
        (std::filesystem::temp_directory_path() / ("assure-sha256-" + std::to_string(::getpid())))
            .string();
    {
        std::ofstream out(tmp, std::ios::binary);
        out << big;
    }
    const auto streamed = sha256_file(tmp);
    std::remove(tmp.c_str());
    REQUIRE(streamed.hex.has_value());
    CHECK(*streamed.hex == sha256_hex(big));

    const auto missing = sha256_file("/nonexistent/assure/file");
    CHECK(!missing.hex.has_value());
    CHECK(!missing.error.empty());
    const auto dir = sha256_file(ASSURE_SOURCE_DIR);
    CHECK(!dir.hex.has_value());
    CHECK(dir.error == "is a directory");
}
