// SPDX-License-Identifier: Apache-2.0
#include "history/schema.hpp"

#include <nlohmann/json.hpp>

namespace assure::history::schema {

std::string strings_to_text(const std::vector<std::string> &strings) {
    return nlohmann::json(strings).dump();
}

std::vector<std::string> strings_from_text(const std::string &text) {
    std::vector<std::string> out;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_array()) {
        for (const auto &s : j) {
            out.push_back(s.is_string() ? s.get<std::string>() : s.dump());
        }
    } else {
        out.push_back(text);
    }
    return out;
}

} // namespace assure::history::schema
