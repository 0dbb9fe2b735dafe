// SPDX-License-Identifier: Apache-2.0
// std.iso26262 against ISO 26262. stdlib/iso26262.assure is loaded through the front end (a
// case that imports it), and every cell of its matrix Asil, the order of every scale and the
// demands of each level are compared with tables written out below by hand from
// ISO 26262-3:2018 (Table 4 and clause 6.4.3) and ISO 26262-2:2018 (Table 1), by value name.
#include "../testing.hpp"
#include "lookup.hpp"

#include <array>
#include <doctest/doctest.h>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using assure::sema::DeclKind;
using assure::sema::LevelDemand;
using assure::sema::MatrixInfo;
using assure::sema::Program;
using assure::sema::ScaleInfo;
using assure::support::Code;

using assure::testing::find_decl;
using assure::testing::find_matrix;
using assure::testing::find_scale;
using assure::testing::index_of;

namespace {

/// One row of ISO 26262-3:2018 Table 4: a (severity, exposure) pair and its ASIL for C1, C2, C3.
struct Table4Row {
    const char *severity;
    const char *exposure;
    std::array<const char *, 3> c1_c2_c3;
};

// ISO 26262-3:2018, Table 4 "ASIL determination" (6.4.3.10), written from the standard in its
// own layout: S1 to S3, each with E1 to E4, and the ASIL under C1, C2 and C3. QM is "qm", ASIL
// A is "asil_a", and so on. The footnote on (S3, E1, C3) = A points to 6.4.3.11; the cell is A.
const std::vector<Table4Row> kTable4 = {
    {"s1", "e1", {"qm", "qm", "qm"}},             //
    {"s1", "e2", {"qm", "qm", "qm"}},             //
    {"s1", "e3", {"qm", "qm", "asil_a"}},         //
    {"s1", "e4", {"qm", "asil_a", "asil_b"}},     //
    {"s2", "e1", {"qm", "qm", "qm"}},             //
    {"s2", "e2", {"qm", "qm", "asil_a"}},         //
    {"s2", "e3", {"qm", "asil_a", "asil_b"}},     //
    {"s2", "e4", {"asil_a", "asil_b", "asil_c"}}, //
    {"s3", "e1", {"qm", "qm", "asil_a"}},         // footnote a: see 6.4.3.11
    {"s3", "e2", {"qm", "asil_a", "asil_b"}},     //
    {"s3", "e3", {"asil_a", "asil_b", "asil_c"}}, //
    {"s3", "e4", {"asil_b", "asil_c", "asil_d"}}, //
};

/// A case that imports the module, checked like `assure check` does: the module is read from
/// the repository's stdlib/ folder by the loader.
assure::testing::Checked load_iso26262() {
    return assure::testing::check("import std.iso26262\n");
}

/// The level name of the matrix's cell (row value, column value), or "" if either value is
/// not on its scale.
std::string cell_of(const Program &prog, const MatrixInfo &matrix, std::string_view row,
                    std::string_view column) {
    const ScaleInfo &rows = prog.scales[matrix.rows];
    const ScaleInfo &columns = prog.scales[matrix.columns];
    const ScaleInfo &levels = prog.scales[matrix.levels];
    const std::size_t row_idx = index_of(rows, row);
    const std::size_t column_idx = index_of(columns, column);
    if (row_idx >= rows.values.size() || column_idx >= columns.values.size()) {
        return "";
    }
    const std::uint32_t level_idx = matrix.cells[row_idx * columns.values.size() + column_idx];
    return level_idx < levels.values.size() ? levels.values[level_idx] : "";
}

/// The expected ASIL of (severity, exposure, controllability), by class name, from the
/// standard: S0, E0 and C0 need no ASIL (ISO 26262-3:2018, 6.4.3.4, 6.4.3.7 and 6.4.3.9; the
/// module writes qm), everything else is Table 4's cell.
std::string expected_asil(const std::string &severity, const std::string &exposure,
                          const std::string &controllability) {
    if (severity == "s0" || exposure == "e0" || controllability == "c0") {
        return "qm";
    }
    for (const Table4Row &row : kTable4) {
        if (row.severity == severity && row.exposure == exposure) {
            const std::size_t c_idx = controllability == "c1"   ? 0
                                      : controllability == "c2" ? 1
                                      : controllability == "c3" ? 2
                                                                : 3;
            REQUIRE(c_idx < 3);
            return row.c1_c2_c3[c_idx];
        }
    }
    FAIL("no Table 4 row for " << severity << ", " << exposure);
    return "";
}

/// The demand of `level` in `matrix`, or nullptr if the level demands nothing.
const LevelDemand *demand_of(const Program &prog, const MatrixInfo &matrix,
                             std::string_view level) {
    const std::size_t level_idx = index_of(prog.scales[matrix.levels], level);
    for (const LevelDemand &demand : matrix.demands) {
        if (demand.level == level_idx) {
            return &demand;
        }
    }
    return nullptr;
}

const std::vector<std::string> kSeverity = {"s0", "s1", "s2", "s3"};
const std::vector<std::string> kExposure = {"e0", "e1", "e2", "e3", "e4"};
const std::vector<std::string> kControllability = {"c0", "c1", "c2", "c3"};

} // namespace

TEST_CASE("stdlib: std.iso26262 loads from stdlib/ and checks clean") {
    const auto r = load_iso26262();
    CHECK(r.diags.all().empty());
    bool found = false;
    for (const auto &module : r.program.modules) {
        if (module.name == "std.iso26262") {
            found = true;
            CHECK(module.is_stdlib);
            CHECK(r.sources->display_name(module.file) == "stdlib/iso26262.assure");
        }
    }
    CHECK(found);
}

TEST_CASE("stdlib: std.iso26262 scales are ISO 26262-3 Tables 1 to 4, lowest first") {
    const auto r = load_iso26262();
    REQUIRE(r.diags.error_count() == 0);
    const Program &prog = r.program;

    const auto *severity = find_scale(prog, "std.iso26262.Severity");
    const auto *exposure = find_scale(prog, "std.iso26262.Exposure");
    const auto *controllability = find_scale(prog, "std.iso26262.Controllability");
    const auto *pairs = find_scale(prog, "std.iso26262.SeverityExposure");
    const auto *asil = find_scale(prog, "std.iso26262.AsilLevel");
    REQUIRE(severity != nullptr);
    REQUIRE(exposure != nullptr);
    REQUIRE(controllability != nullptr);
    REQUIRE(pairs != nullptr);
    REQUIRE(asil != nullptr);
    CHECK(severity->values == kSeverity);               // Table 1
    CHECK(exposure->values == kExposure);               // Table 2
    CHECK(controllability->values == kControllability); // Table 3
    CHECK(asil->values ==
          std::vector<std::string>{"qm", "asil_a", "asil_b", "asil_c", "asil_d"}); // Table 4
    // Table 4's row order (by severity, then exposure), with the S0 and E0 pairs in place.
    CHECK(pairs->values == std::vector<std::string>{"s0_e0", "s0_e1", "s0_e2", "s0_e3", "s0_e4", //
                                                    "s1_e0", "s1_e1", "s1_e2", "s1_e3", "s1_e4", //
                                                    "s2_e0", "s2_e1", "s2_e2", "s2_e3", "s2_e4", //
                                                    "s3_e0", "s3_e1", "s3_e2", "s3_e3", "s3_e4"});
}

TEST_CASE("stdlib: std.iso26262.Asil is ISO 26262-3 Table 4, cell by cell") {
    const auto r = load_iso26262();
    REQUIRE(r.diags.error_count() == 0);
    const Program &prog = r.program;
    const auto *matrix = find_matrix(prog, "std.iso26262.Asil");
    REQUIRE(matrix != nullptr);
    CHECK(&prog.scales[matrix->rows] == find_scale(prog, "std.iso26262.SeverityExposure"));
    CHECK(&prog.scales[matrix->columns] == find_scale(prog, "std.iso26262.Controllability"));
    CHECK(&prog.scales[matrix->levels] == find_scale(prog, "std.iso26262.AsilLevel"));

    // The hand-written table covers each of Table 4's 36 cells once.
    std::set<std::pair<std::string, std::string>> rows_seen;
    for (const Table4Row &row : kTable4) {
        CHECK(rows_seen.emplace(row.severity, row.exposure).second);
    }
    CHECK(rows_seen.size() == 12);

    // Every cell of the matrix: 4 severities x 5 exposures x 4 controllabilities = 80.
    REQUIRE(matrix->cells.size() == kSeverity.size() * kExposure.size() * kControllability.size());
    std::size_t checked = 0;
    for (const auto &s : kSeverity) {
        for (const auto &e : kExposure) {
            for (const auto &c : kControllability) {
                INFO("cell (" << s << "_" << e << ", " << c << ")");
                CHECK(cell_of(prog, *matrix, s + "_" + e, c) == expected_asil(s, e, c));
                ++checked;
            }
        }
    }
    CHECK(checked == matrix->cells.size());
}

TEST_CASE("stdlib: Table 4 as written in this test follows the sum rule S + E + C") {
    // A second, independent reading of Table 4 (widely used to check reproductions of it): for
    // S1..S3, E1..E4 and C1..C3, the class numbers add up to 10 for ASIL D, 9 for C, 8 for B,
    // 7 for A, and less for QM. A typo in kTable4 would show here as well as in the module.
    for (const Table4Row &row : kTable4) {
        for (std::size_t c_idx = 0; c_idx < 3; ++c_idx) {
            const int sum =
                (row.severity[1] - '0') + (row.exposure[1] - '0') + static_cast<int>(c_idx) + 1;
            const char *by_sum = sum == 10  ? "asil_d"
                                 : sum == 9 ? "asil_c"
                                 : sum == 8 ? "asil_b"
                                 : sum == 7 ? "asil_a"
                                            : "qm";
            INFO(row.severity << " " << row.exposure << " c" << c_idx + 1);
            CHECK(std::string(row.c1_c2_c3[c_idx]) == by_sum);
        }
    }
}

TEST_CASE("stdlib: std.iso26262.Asil demands ISO 26262-2 Table 1 confirmation reviews") {
    const auto r = load_iso26262();
    REQUIRE(r.diags.error_count() == 0);
    const Program &prog = r.program;
    const auto *matrix = find_matrix(prog, "std.iso26262.Asil");
    REQUIRE(matrix != nullptr);

    // ISO 26262 accepts no risk by ASIL: the matrix has no accept level.
    CHECK_FALSE(matrix->accept.has_value());

    // ISO 26262-2:2018 Table 1: confirmation reviews of the functional and technical safety
    // concepts, the safety analyses and the safety case need I1 (a different person) at ASIL A
    // and B, I2 (a different team) at C, I3 (a different department) at D, and nothing at QM;
    // nothing else is demanded.
    CHECK(matrix->demands.size() == 4);
    CHECK(demand_of(prog, *matrix, "qm") == nullptr);
    using assure::sema::Independence;
    for (const auto &[level, expected_review] :
         {std::pair{"asil_a", Independence::Person}, std::pair{"asil_b", Independence::Person},
          std::pair{"asil_c", Independence::Team}, std::pair{"asil_d", Independence::Department}}) {
        INFO("level " << level);
        const LevelDemand *demand = demand_of(prog, *matrix, level);
        REQUIRE(demand != nullptr);
        CHECK(demand->review == expected_review);
        CHECK(demand->lines == 0);
        CHECK(demand->kinds.empty());
        CHECK_FALSE(demand->max_age.has_value());
    }
}

TEST_CASE("stdlib: a hazard is rated on std.iso26262.Asil by its S/E pair and its C class") {
    const auto r = assure::testing::check(R"(import std.iso26262

hazard H_steer "Unintended steering torque at motorway speed" {
  severity: s3_e4
  likelihood: c2
  matrix: std.iso26262.Asil
}
claim G_steer "Unintended steering torque is prevented" { mitigates: H_steer undeveloped }
)");
    REQUIRE(r.diags.all().empty());
    const Program &prog = r.program;
    REQUIRE(prog.hazards.size() == 1);
    const auto &hazard = prog.hazards[0];
    REQUIRE(hazard.severity.has_value());
    REQUIRE(hazard.likelihood.has_value());
    CHECK(prog.scales[hazard.severity->scale].values[hazard.severity->value] == "s3_e4");
    CHECK(prog.scales[hazard.likelihood->scale].values[hazard.likelihood->value] == "c2");
    const auto *matrix = find_matrix(prog, "std.iso26262.Asil");
    REQUIRE(matrix != nullptr);
    CHECK(cell_of(prog, *matrix, "s3_e4", "c2") == "asil_c");
}

TEST_CASE("stdlib: a severity class alone is not a rating on std.iso26262.Asil") {
    // `severity:` must be a (severity, exposure) pair: a value of the Severity scale is a value
    // of another scale than the matrix's rows (E0310).
    const auto r = assure::testing::check(R"(import std.iso26262

hazard H_steer "Unintended steering torque" {
  severity: std.iso26262.Severity.s3
  likelihood: c2
  matrix: std.iso26262.Asil
}
claim G_steer "Unintended steering torque is prevented" { mitigates: H_steer undeveloped }
)");
    const auto *d = r.find(Code::E0310);
    REQUIRE(d != nullptr);
    CHECK(r.text_of(d->span) == "std.iso26262.Severity.s3");
}
