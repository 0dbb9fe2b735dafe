// SPDX-License-Identifier: Apache-2.0
#include "solver/version.hpp"

#include <z3++.h>

namespace assure::solver {

std::string z3_version() {
    unsigned major = 0, minor = 0, build = 0, revision = 0;
    Z3_get_version(&major, &minor, &build, &revision);
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build);
}

bool self_test() {
    try {
        z3::context ctx;
        z3::solver s(ctx);
        s.set("timeout", 1000u);
        const z3::expr x = ctx.int_const("x");
        s.add(x > 1 && x < 3);
        switch (s.check()) {
        case z3::sat:
            return s.get_model().eval(x, true).get_numeral_int() == 2;
        case z3::unsat:
            return false;
        case z3::unknown:
            return false;
        }
    } catch (const z3::exception &) {
        return false;
    }
    return false;
}

} // namespace assure::solver
