// SPDX-License-Identifier: Apache-2.0
// The standard library's risk matrices against the standards they encode. stdlib/risk.assure
// and stdlib/iec61508.assure are loaded through the front end (a case that imports them), and
// every cell, the order of every scale and the accept levels are compared with tables written
// out below by hand from MIL-STD-882E and IEC 61508-5, by value name.
#include "../testing.hpp"
#include "lookup.hpp"

#include <doctest/doctest.h>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using assure::sema::DeclKind;
using assure::sema::MatrixInfo;
using assure::sema::Program;
using assure::sema::ScaleInfo;

using assure::testing::find_decl;
using assure::testing::find_matrix;
using assure::testing::find_scale;
using assure::testing::index_of;

namespace {

/// One cell of a risk matrix: (row value, column value) -> level, by name.
struct Cell {
    const char *row;
    const char *column;
    const char *level;
};

// MIL-STD-882E (11 May 2012), Table III "Risk assessment matrix", written from the standard:
// severity category (1 Catastrophic .. 4 Negligible) x probability level (A Frequent ..
// F Eliminated). Listed in the standard's layout, one probability level at a time; the RAC of
// each cell is in the comment.
const std::vector<Cell> kMilStd882 = {
    {"catastrophic", "frequent", "high"},         // 1A
    {"critical", "frequent", "high"},             // 2A
    {"marginal", "frequent", "serious"},          // 3A
    {"negligible", "frequent", "medium"},         // 4A
    {"catastrophic", "probable", "high"},         // 1B
    {"critical", "probable", "high"},             // 2B
    {"marginal", "probable", "serious"},          // 3B
    {"negligible", "probable", "medium"},         // 4B
    {"catastrophic", "occasional", "high"},       // 1C
    {"critical", "occasional", "serious"},        // 2C
    {"marginal", "occasional", "medium"},         // 3C
    {"negligible", "occasional", "low"},          // 4C
    {"catastrophic", "remote", "serious"},        // 1D
    {"critical", "remote", "medium"},             // 2D
    {"marginal", "remote", "medium"},             // 3D
    {"negligible", "remote", "low"},              // 4D
    {"catastrophic", "improbable", "medium"},     // 1E
    {"critical", "improbable", "medium"},         // 2E
    {"marginal", "improbable", "medium"},         // 3E
    {"negligible", "improbable", "low"},          // 4E
    {"catastrophic", "eliminated", "eliminated"}, // 1F
    {"critical", "eliminated", "eliminated"},     // 2F
    {"marginal", "eliminated", "eliminated"},     // 3F
    {"negligible", "eliminated", "eliminated"},   // 4F
};

// IEC 61508-5, Table B.1 "Example of risk classification of accidents" (1998 edition; Table
// C.1 of the 2010 edition), written from the standard: frequency (rows of the printed table)
// x consequence (its columns) -> risk class I (highest risk) .. IV. Listed in the standard's
// layout, one frequency at a time, consequences Catastrophic, Critical, Marginal, Negligible.
const std::vector<Cell> kIec61508 = {
    {"catastrophic", "frequent", "class_i"},     // Frequent: I I I II
    {"critical", "frequent", "class_i"},         //
    {"marginal", "frequent", "class_i"},         //
    {"negligible", "frequent", "class_ii"},      //
    {"catastrophic", "probable", "class_i"},     // Probable: I I II III
    {"critical", "probable", "class_i"},         //
    {"marginal", "probable", "class_ii"},        //
    {"negligible", "probable", "class_iii"},     //
    {"catastrophic", "occasional", "class_i"},   // Occasional: I II III III
    {"critical", "occasional", "class_ii"},      //
    {"marginal", "occasional", "class_iii"},     //
    {"negligible", "occasional", "class_iii"},   //
    {"catastrophic", "remote", "class_ii"},      // Remote: II III III IV
    {"critical", "remote", "class_iii"},         //
    {"marginal", "remote", "class_iii"},         //
    {"negligible", "remote", "class_iv"},        //
    {"catastrophic", "improbable", "class_iii"}, // Improbable: III III IV IV
    {"critical", "improbable", "class_iii"},     //
    {"marginal", "improbable", "class_iv"},      //
    {"negligible", "improbable", "class_iv"},    //
    {"catastrophic", "incredible", "class_iv"},  // Incredible: IV IV IV IV
    {"critical", "incredible", "class_iv"},      //
    {"marginal", "incredible", "class_iv"},      //
    {"negligible", "incredible", "class_iv"},    //
};

/// A case that imports both library modules, checked like `assure check` does: the modules
/// are read from the repository's stdlib/ folder by the loader.
assure::testing::Checked load_stdlib() {
    return assure::testing::check("import std.risk\nimport std.iec61508\n");
}

/// Checks that `matrix` has exactly the cells of `expected`: the expected table covers every
/// (row, column) pair of the matrix's scales once, and each cell has the expected level.
void check_cells(const Program &prog, const MatrixInfo &matrix, const std::vector<Cell> &expected) {
    const ScaleInfo &rows = prog.scales[matrix.rows];
    const ScaleInfo &columns = prog.scales[matrix.columns];
    const ScaleInfo &levels = prog.scales[matrix.levels];
    REQUIRE(matrix.cells.size() == rows.values.size() * columns.values.size());
    // The hand-written table itself: one entry per cell, no pair twice, no pair left out.
    REQUIRE(expected.size() == matrix.cells.size());
    std::set<std::pair<std::string, std::string>> seen;
    for (const Cell &cell : expected) {
        const std::string where = std::string(cell.row) + ", " + cell.column;
        INFO("cell (" << where << ")");
        CHECK(seen.emplace(cell.row, cell.column).second);
        const std::size_t row_idx = index_of(rows, cell.row);
        const std::size_t column_idx = index_of(columns, cell.column);
        REQUIRE(row_idx < rows.values.size());
        REQUIRE(column_idx < columns.values.size());
        const std::uint32_t level_idx = matrix.cells[row_idx * columns.values.size() + column_idx];
        REQUIRE(level_idx < levels.values.size());
        CHECK(levels.values[level_idx] == std::string(cell.level));
    }
}

/// The name of the matrix's accept level, or "" if it has none.
std::string accept_of(const Program &prog, const MatrixInfo &matrix) {
    if (!matrix.accept.has_value()) {
        return "";
    }
    return prog.scales[matrix.levels].values[*matrix.accept];
}

} // namespace

TEST_CASE("stdlib: the library modules load from stdlib/ and check clean") {
    const auto r = load_stdlib();
    CHECK(r.diags.all().empty());
    std::set<std::string> shown;
    for (const auto &module : r.program.modules) {
        if (module.name == "std.risk" || module.name == "std.iec61508") {
            CHECK(module.is_stdlib);
            shown.insert(r.sources->display_name(module.file));
        }
    }
    CHECK(shown == std::set<std::string>{"stdlib/risk.assure", "stdlib/iec61508.assure"});
}

TEST_CASE("stdlib: std.risk.MilStd882 is MIL-STD-882E Table III") {
    const auto r = load_stdlib();
    REQUIRE(r.diags.error_count() == 0);
    const Program &prog = r.program;

    // Table I (severity 4..1), Table II (probability F..A) and Table III's levels, lowest first.
    const auto *severity = find_scale(prog, "std.risk.Severity");
    const auto *probability = find_scale(prog, "std.risk.Probability");
    const auto *level = find_scale(prog, "std.risk.RiskLevel");
    REQUIRE(severity != nullptr);
    REQUIRE(probability != nullptr);
    REQUIRE(level != nullptr);
    CHECK(severity->values ==
          std::vector<std::string>{"negligible", "marginal", "critical", "catastrophic"});
    CHECK(probability->values == std::vector<std::string>{"eliminated", "improbable", "remote",
                                                          "occasional", "probable", "frequent"});
    CHECK(level->values ==
          std::vector<std::string>{"eliminated", "low", "medium", "serious", "high"});

    const auto *matrix = find_matrix(prog, "std.risk.MilStd882");
    REQUIRE(matrix != nullptr);
    CHECK(&prog.scales[matrix->rows] == severity);
    CHECK(&prog.scales[matrix->columns] == probability);
    CHECK(&prog.scales[matrix->levels] == level);
    check_cells(prog, *matrix, kMilStd882);
    // Not part of the standard: the library's default acceptance line.
    CHECK(accept_of(prog, *matrix) == "medium");
}

TEST_CASE("stdlib: std.iec61508.RiskClassification is IEC 61508-5 Table B.1") {
    const auto r = load_stdlib();
    REQUIRE(r.diags.error_count() == 0);
    const Program &prog = r.program;

    // Table B.1's consequences and frequencies and Table B.2's classes, lowest first: Class IV
    // is the lowest risk, Class I the highest.
    const auto *consequence = find_scale(prog, "std.iec61508.Consequence");
    const auto *frequency = find_scale(prog, "std.iec61508.Frequency");
    const auto *risk_class = find_scale(prog, "std.iec61508.RiskClass");
    REQUIRE(consequence != nullptr);
    REQUIRE(frequency != nullptr);
    REQUIRE(risk_class != nullptr);
    CHECK(consequence->values ==
          std::vector<std::string>{"negligible", "marginal", "critical", "catastrophic"});
    CHECK(frequency->values == std::vector<std::string>{"incredible", "improbable", "remote",
                                                        "occasional", "probable", "frequent"});
    CHECK(risk_class->values ==
          std::vector<std::string>{"class_iv", "class_iii", "class_ii", "class_i"});

    const auto *matrix = find_matrix(prog, "std.iec61508.RiskClassification");
    REQUIRE(matrix != nullptr);
    CHECK(&prog.scales[matrix->rows] == consequence);
    CHECK(&prog.scales[matrix->columns] == frequency);
    CHECK(&prog.scales[matrix->levels] == risk_class);
    check_cells(prog, *matrix, kIec61508);
    // Not part of the standard: the library's default acceptance line (Class III, "tolerable
    // if the cost of risk reduction would exceed the improvement gained").
    CHECK(accept_of(prog, *matrix) == "class_iii");
}
