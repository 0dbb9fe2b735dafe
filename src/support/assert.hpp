// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace assure::support {
/// Called when an internal invariant is broken: prints `what` with its location and aborts.
/// Programmer errors only; user errors are diagnostics.
[[noreturn]] void assertion_failed(std::string_view cond, std::string_view what,
                                   std::string_view file, int line);
} // namespace assure::support

#if defined(ASSURE_ENABLE_ASSERTS) || !defined(NDEBUG)
#define ASSURE_ASSERT(cond, what)                                                                  \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ::assure::support::assertion_failed(#cond, what, __FILE__, __LINE__);                  \
        }                                                                                          \
    } while (false)
#else
#define ASSURE_ASSERT(cond, what)                                                                  \
    do {                                                                                           \
        (void)sizeof(cond);                                                                        \
    } while (false)
#endif
