// SPDX-License-Identifier: Apache-2.0
#include "monitorlog/lines.hpp"

#include "monitorlog/format.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace assure::monitorlog {

LineSource::Got BytesLines::next(Line &line) {
    if (at_ >= bytes_.size()) {
        return Got::End;
    }
    const std::size_t nl = bytes_.find('\n', at_);
    const std::size_t stop = nl == std::string_view::npos ? bytes_.size() : nl;
    const std::size_t start = at_;
    at_ = nl == std::string_view::npos ? bytes_.size() : nl + 1;
    line.end = at_;
    if (stop - start > kMaxLine) {
        return Got::TooLong;
    }
    line.text = bytes_.substr(start, stop - start);
    line.complete = nl != std::string_view::npos;
    return Got::Line;
}

bool FdLines::fill() {
    if (eof_) {
        return false;
    }
    constexpr std::size_t kChunk = 1 << 16;
    const std::size_t old = buf_.size();
    buf_.resize(old + kChunk);
    for (;;) {
        const ssize_t n = ::pread(fd_, buf_.data() + old, kChunk, static_cast<off_t>(read_off_));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_ = std::strerror(errno);
            buf_.resize(old);
            eof_ = true;
            return false;
        }
        buf_.resize(old + static_cast<std::size_t>(n));
        read_off_ += static_cast<std::uint64_t>(n);
        if (n == 0) {
            eof_ = true;
            return false;
        }
        return true;
    }
}

LineSource::Got FdLines::next(Line &line) {
    // Drop what was handed out already.
    if (begin_ > 0) {
        buf_.erase(0, begin_);
        file_off_ += begin_;
        begin_ = 0;
    }
    std::size_t scanned = 0;
    bool skipping = false; // inside a line longer than kMaxLine
    for (;;) {
        const std::size_t nl = buf_.find('\n', scanned);
        if (nl != std::string::npos) {
            line.end = file_off_ + nl + 1;
            if (skipping || nl > kMaxLine) {
                begin_ = nl + 1;
                return Got::TooLong;
            }
            line.text = std::string_view(buf_).substr(0, nl);
            line.complete = true;
            begin_ = nl + 1;
            return Got::Line;
        }
        scanned = buf_.size();
        if (buf_.size() > kMaxLine) {
            // Never hold more than one maximal line: forget the start of this one.
            skipping = true;
            file_off_ += buf_.size();
            buf_.clear();
            scanned = 0;
        }
        if (!fill()) {
            if (!error_.empty()) {
                return Got::Error;
            }
            if (skipping) {
                line.end = file_off_ + buf_.size();
                begin_ = buf_.size();
                return Got::TooLong;
            }
            if (buf_.empty()) {
                return Got::End;
            }
            line.text = buf_;
            line.complete = false;
            line.end = file_off_ + buf_.size();
            begin_ = buf_.size();
            return Got::Line;
        }
    }
}

} // namespace assure::monitorlog
