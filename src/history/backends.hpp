// SPDX-License-Identifier: Apache-2.0
#pragma once

// The stores behind history::open_store (store.hpp): one function per backend, each
// implementing schema v2 (docs/history.md) in its own SQL dialect.

#include "history/store.hpp"

#include <memory>
#include <string>
#include <vector>

namespace assure::history {

/// A SQLite file (the embedded default).
std::unique_ptr<Store> open_sqlite_store(const std::string &path, OpenMode mode, StoreError &error);

/// The passwords a location holds (a PostgreSQL URL's, as written and percent-decoded), which no
/// message may repeat; none for a file path.
std::vector<std::string> location_secrets(const std::string &location);

/// A PostgreSQL database named by a `postgresql://` connection URL.
std::unique_ptr<Store> open_postgresql_store(const std::string &url, OpenMode mode,
                                             StoreError &error);

} // namespace assure::history
