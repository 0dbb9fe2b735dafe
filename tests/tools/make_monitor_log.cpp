// SPDX-License-Identifier: Apache-2.0
// Test helper: writes a monitor log through the writer's API (src/monitorlog/writer.hpp), so that
// the CLI tests' fixture logs are never hand-made. Reads one JSON object per line from stdin:
// {"time": "RFC 3339 UTC", "verdict": {...}}, or {"checkpoint": true, "time": ...} for a
// checkpoint, and appends each; then closes the log unless --no-close.
//
//   make_monitor_log LOG [--case DIGEST] [--every N] [--sign KEY] [--start TIME] [--no-close]
//                        [--repair]
//
// --start: the time of entries not given one (the header's): the log's bytes are then the same
// on every run. Exit 0 written; 1 refused (the code and message on stderr); 2 bad arguments.
#include "monitorlog/writer.hpp"
#include "support/signing.hpp"

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace ml = assure::monitorlog;

int main(int argc, char **argv) {
    if (argc < 2) {
        std::cerr << "usage: make_monitor_log LOG [--case D] [--every N] [--sign KEY] "
                     "[--start TIME] [--no-close] [--repair]\n";
        return 2;
    }
    const std::string path = argv[1];
    ml::WriterOptions options;
    bool close = true;
    for (int k = 2; k < argc; ++k) {
        const std::string arg = argv[k];
        const bool has_value = k + 1 < argc;
        if (arg == "--case" && has_value) {
            options.case_digest = argv[++k];
        } else if (arg == "--every" && has_value) {
            options.checkpoint_every = std::stoull(argv[++k]);
        } else if (arg == "--sign" && has_value) {
            std::string error;
            auto key = assure::support::read_private_key(argv[++k], error);
            if (!key) {
                std::cerr << "make_monitor_log: the key " << error << "\n";
                return 2;
            }
            options.sign_key_pem = *key;
        } else if (arg == "--start" && has_value) {
            const auto t = ml::parse_time(argv[++k]);
            if (!t) {
                std::cerr << "make_monitor_log: --start is not an RFC 3339 UTC time\n";
                return 2;
            }
            options.clock = [t] { return *t; };
        } else if (arg == "--no-close") {
            close = false;
        } else if (arg == "--repair") {
            options.repair_torn_tail = true;
        } else {
            std::cerr << "make_monitor_log: unknown argument " << arg << "\n";
            return 2;
        }
    }
    ml::LogError error;
    auto writer = ml::LogWriter::open(path, options, error);
    auto refused = [&] {
        std::cerr << assure::support::info(error.code).id << ": " << error.message << "\n";
        return 1;
    };
    if (!writer) {
        return refused();
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) {
            continue;
        }
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object()) {
            std::cerr << "make_monitor_log: not a JSON object: " << line << "\n";
            return 2;
        }
        std::optional<std::string> time;
        if (j.contains("time") && j["time"].is_string()) {
            time = j["time"].get<std::string>();
        }
        const bool ok =
            j.value("checkpoint", false)
                ? writer->checkpoint(error, time)
                : writer->append(j.contains("verdict") ? j["verdict"].dump() : "null", error, time);
        if (!ok) {
            return refused();
        }
    }
    if (close && !writer->close(error)) {
        return refused();
    }
    return 0;
}
