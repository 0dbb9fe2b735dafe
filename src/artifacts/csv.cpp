// SPDX-License-Identifier: Apache-2.0
// CSV (RFC 4180) through libcsv in strict mode: quoted fields may hold commas, quotes (doubled)
// and line breaks; a quote anywhere else, text after a closing quote and a quoted field still
// open at the end of the file are errors. libcsv does not count lines, so the bytes are fed one
// line at a time and the line being fed is the line of every field that ends in it.
#include "artifacts/format.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cstring>
#include <csv.h>
#include <string>
#include <vector>

namespace assure::artifacts::detail {

namespace {

std::string plural(std::size_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string lines_list(const std::vector<std::size_t> &lines) {
    return (lines.size() == 1 ? "line " : "lines ") +
           support::join_elided(
               lines.size(), [&](std::size_t idx) { return std::to_string(lines[idx]); }, ", ");
}

/// A matching row's cell (of the selected column) and the line the row starts on.
struct Cell {
    std::size_t line = 0;
    std::string text;
};

class Table {
  public:
    explicit Table(const Selector &sel) : sel_(sel) {}

    /// Feeds the file; returns the outcome.
    Outcome run(std::string_view bytes) {
        csv_parser parser{};
        if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
            return fail_outcome("the CSV parser could not start");
        }
        // No space is trimmed: an unquoted field is every byte between its commas (RFC 4180).
        csv_set_space_func(&parser, [](unsigned char) { return 0; });
        const Outcome out = feed(parser, skip_bom(bytes));
        csv_free(&parser);
        return out;
    }

  private:
    static void on_field(void *data, std::size_t len, void *self) {
        static_cast<Table *>(self)->field(static_cast<const char *>(data), len);
    }
    static void on_row(int /*terminator*/, void *self) { static_cast<Table *>(self)->row(); }

    static Outcome fail_outcome(std::string error) {
        return Outcome{std::nullopt, std::move(error)};
    }

    Outcome feed(csv_parser &parser, std::string_view bytes) {
        std::size_t pos = 0;
        for (std::size_t line = 1; pos < bytes.size() && error_.empty(); ++line) {
            line_ = line;
            const void *nl = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
            const std::size_t end =
                nl == nullptr
                    ? bytes.size()
                    : static_cast<std::size_t>(static_cast<const char *>(nl) - bytes.data()) + 1;
            const std::size_t done =
                csv_parse(&parser, bytes.data() + pos, end - pos, on_field, on_row, this);
            if (done < end - pos && error_.empty()) {
                return fail_outcome(parse_error(parser, bytes, pos, pos + done));
            }
            pos = end;
        }
        if (error_.empty() && csv_fini(&parser, on_field, on_row, this) != 0 && error_.empty()) {
            return fail_outcome(
                "malformed CSV: a quoted field is still open at the end of the file" +
                (last_field_line_ == 0 ? std::string()
                                       : " (the last complete field ends on line " +
                                             std::to_string(last_field_line_) + ")"));
        }
        if (!error_.empty()) {
            return fail_outcome(error_);
        }
        return finish();
    }

    std::string parse_error(csv_parser &parser, std::string_view bytes, std::size_t line_start,
                            std::size_t at) const {
        if (csv_error(&parser) != CSV_EPARSE) {
            return "the CSV field at line " + std::to_string(line_) + " is too large to read";
        }
        const std::string where = "malformed CSV at line " + std::to_string(line_) + ", column " +
                                  std::to_string(at - line_start + 1);
        if (at < bytes.size() && bytes[at] == '"') {
            return where + ": a quote inside an unquoted field (a field with quotes is quoted "
                           "whole, its quotes doubled)";
        }
        return where + ": text after the closing quote of a field (a quoted field ends at a "
                       "comma or the end of the line)";
    }

    void field(const char *data, std::size_t len) {
        if (!error_.empty()) {
            return;
        }
        last_field_line_ = line_;
        if (fields_ == 0) {
            // The row starts where its first field does: before the line breaks inside it.
            row_line_ = line_ - static_cast<std::size_t>(std::count(data, data + len, '\n'));
        }
        if (in_header_) {
            header_.emplace_back(data, len);
        } else if (fields_ < wanted_.size() && wanted_[fields_]) {
            cells_[fields_].assign(data, len);
        }
        ++fields_;
    }

    void row() {
        if (!error_.empty()) {
            return;
        }
        const std::size_t count = fields_;
        fields_ = 0;
        if (in_header_) {
            in_header_ = false;
            header_line_ = row_line_;
            resolve_columns();
            return;
        }
        ++data_rows_;
        if (count != header_.size()) {
            error_ = "malformed CSV: line " + std::to_string(row_line_) + " has " +
                     plural(count, "field", "fields") + ", the header (line " +
                     std::to_string(header_line_) + ") has " + std::to_string(header_.size());
            return;
        }
        for (std::size_t idx = 0; idx < sel_.rows.size(); ++idx) {
            if (cells_[condition_columns_[idx]] != sel_.rows[idx].value) {
                return;
            }
        }
        matches_.push_back(Cell{
            row_line_, sel_.aggregate == Aggregate::Count ? std::string() : cells_[value_column_]});
    }

    /// The column called `column` in the header, or an error.
    std::optional<std::size_t> column_index(const std::string &column) {
        std::vector<std::size_t> found;
        for (std::size_t idx = 0; idx < header_.size(); ++idx) {
            if (header_[idx] == column) {
                found.push_back(idx + 1);
            }
        }
        if (found.size() == 1) {
            return found[0] - 1;
        }
        if (found.empty()) {
            error_ =
                "no column " + name(column) + " in the header (line " +
                std::to_string(header_line_) + " has columns " +
                support::join_elided(
                    header_.size(), [&](std::size_t idx) { return show(header_[idx]); }, ", ") +
                ")";
        } else {
            error_ = "the header (line " + std::to_string(header_line_) + ") has " +
                     std::to_string(found.size()) + " columns named " + name(column) +
                     " (columns " +
                     support::join_elided(
                         found.size(), [&](std::size_t idx) { return std::to_string(found[idx]); },
                         ", ") +
                     "), so the selection is ambiguous";
        }
        return std::nullopt;
    }

    void resolve_columns() {
        wanted_.assign(header_.size(), false);
        cells_.assign(header_.size(), std::string());
        if (sel_.aggregate != Aggregate::Count) {
            const auto idx = column_index(sel_.column);
            if (!idx) {
                return;
            }
            value_column_ = *idx;
            wanted_[*idx] = true;
        }
        for (const Condition &cond : sel_.rows) {
            const auto idx = column_index(cond.column);
            if (!idx) {
                return;
            }
            condition_columns_.push_back(*idx);
            wanted_[*idx] = true;
        }
    }

    std::string conditions() const {
        std::string out;
        for (std::size_t idx = 0; idx < sel_.rows.size(); ++idx) {
            out += (idx == 0 ? "" : ", ") + name(sel_.rows[idx].column) + " = " +
                   show(sel_.rows[idx].value);
        }
        return out;
    }

    std::string none_match() const {
        const std::string of = "of " + plural(data_rows_, "data row", "data rows");
        return sel_.rows.empty() ? "the table has no data rows"
                                 : "no row has " + conditions() + " (" + of + ")";
    }

    Outcome finish() {
        if (in_header_) {
            return fail_outcome("the CSV file has no header row (it is empty)");
        }
        const std::size_t n = matches_.size();
        switch (sel_.aggregate) {
        case Aggregate::Count:
            return Outcome{
                Value{support::Decimal(static_cast<std::int64_t>(n)), 1,
                      std::to_string(n) + " of " + plural(data_rows_, "data row", "data rows")},
                ""};
        case Aggregate::One: {
            if (n == 0) {
                return fail_outcome(none_match() + "; the selector needs exactly one");
            }
            if (n > 1) {
                std::vector<std::size_t> lines;
                for (const Cell &cell : matches_) {
                    lines.push_back(cell.line);
                }
                return fail_outcome(
                    std::to_string(n) + " rows match" +
                    (sel_.rows.empty() ? std::string(" (every data row)") : " " + conditions()) +
                    " (" + lines_list(lines) + "); the selector needs exactly one");
            }
            return number_of(matches_[0], matches_[0].text);
        }
        case Aggregate::Min:
        case Aggregate::Max:
        case Aggregate::Mean:
        case Aggregate::Sum:
            return aggregate();
        }
        return fail_outcome("unknown aggregate");
    }

    std::string cell_name(const Cell &cell) const {
        return "the cell " + name(sel_.column) + " at line " + std::to_string(cell.line);
    }

    Outcome number_of(const Cell &cell, std::string text) const {
        std::string error;
        if (cell.text.empty()) {
            return fail_outcome(cell_name(cell) + " is empty, not a number");
        }
        auto number = parse_number(cell.text, cell_name(cell), true, error);
        if (!number) {
            return fail_outcome(std::move(error));
        }
        return Outcome{Value{std::move(*number), 1, std::move(text)}, ""};
    }

    Outcome aggregate() const {
        const char *word = sel_.aggregate == Aggregate::Min   ? "min"
                           : sel_.aggregate == Aggregate::Max ? "max"
                           : sel_.aggregate == Aggregate::Sum ? "sum"
                                                              : "mean";
        const std::size_t n = matches_.size();
        if (n == 0 && sel_.aggregate != Aggregate::Sum) {
            return fail_outcome(none_match() + "; the " + word + " of no rows is undefined");
        }
        support::Decimal acc;
        for (std::size_t idx = 0; idx < n; ++idx) {
            Outcome one = number_of(matches_[idx], "");
            if (!one.value) {
                return one;
            }
            const support::Decimal &v = one.value->value;
            if (idx == 0 || sel_.aggregate == Aggregate::Sum || sel_.aggregate == Aggregate::Mean) {
                acc = idx == 0 ? v : acc + v;
            } else if (sel_.aggregate == Aggregate::Min ? v < acc : v > acc) {
                acc = v;
            }
        }
        std::string text = std::string(word) + " of " + plural(n, "row", "rows");
        if (n > 0) {
            text += ": " +
                    support::join_elided(
                        n, [&](std::size_t idx) { return support::printable(matches_[idx].text); },
                        ", ");
        }
        const std::uint64_t divisor = sel_.aggregate == Aggregate::Mean ? n : 1;
        return Outcome{Value{std::move(acc), divisor, std::move(text)}, ""};
    }

    const Selector &sel_;
    std::size_t line_ = 1; // the line being fed
    std::size_t last_field_line_ = 0;
    std::size_t fields_ = 0; // fields of the current row so far
    std::size_t row_line_ = 1;
    bool in_header_ = true;
    std::vector<std::string> header_;
    std::size_t header_line_ = 1;
    std::vector<bool> wanted_;       // per column: read its cells
    std::vector<std::string> cells_; // the current row's wanted cells
    std::size_t value_column_ = 0;
    std::vector<std::size_t> condition_columns_;
    std::size_t data_rows_ = 0;
    std::vector<Cell> matches_;
    std::string error_;
};

} // namespace

Outcome read_csv(std::string_view bytes, const Selector &selector) {
    Table table(selector);
    return table.run(bytes);
}

} // namespace assure::artifacts::detail
