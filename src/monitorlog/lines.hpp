// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/monitorlog: the lines of a log, from memory or from a file descriptor, one at
// a time and at most kMaxLine long (a longer line is reported as such and skipped, never held).

#include <cstdint>
#include <string>
#include <string_view>

namespace assure::monitorlog {

struct Line {
    std::string_view text; // without the newline; valid until the next call to next()
    bool complete = false; // it ends with a newline
    std::uint64_t end = 0; // the offset just past it (and its newline)
};

class LineSource {
  public:
    enum class Got : std::uint8_t { Line, TooLong, End, Error };
    virtual ~LineSource() = default;
    /// The next line (Line), or a line longer than kMaxLine (TooLong, skipped), or the end.
    virtual Got next(Line &line) = 0;
    /// Why the last next() gave Error.
    [[nodiscard]] virtual std::string error() const { return {}; }
};

class BytesLines final : public LineSource {
  public:
    explicit BytesLines(std::string_view bytes) : bytes_(bytes) {}
    Got next(Line &line) override;

  private:
    std::string_view bytes_;
    std::size_t at_ = 0;
};

/// Reads with pread from offset 0; the descriptor stays the caller's.
class FdLines final : public LineSource {
  public:
    explicit FdLines(int fd) : fd_(fd) {}
    Got next(Line &line) override;
    [[nodiscard]] std::string error() const override { return error_; }

  private:
    /// Reads more into buf_; false at the end of the file or on an error (error_ set).
    bool fill();

    int fd_;
    std::string buf_;
    std::size_t begin_ = 0;      // the unread part of buf_ starts here
    std::uint64_t file_off_ = 0; // the file offset of buf_[0]
    std::uint64_t read_off_ = 0; // the file offset read up to
    bool eof_ = false;
    std::string error_;
};

} // namespace assure::monitorlog
