// SPDX-License-Identifier: Apache-2.0
// JUnit XML through expat: a streaming parser that keeps element nesting on the heap, reports
// the line and column of malformed XML, and reads no external entity. A report has no use for a
// DTD, so a DOCTYPE is refused outright: no entity can be declared, so none can expand (the
// billion-laughs family is out of reach whatever the expat version).
#include "artifacts/format.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <expat.h>
#include <string>
#include <vector>

namespace assure::artifacts::detail {

namespace {

constexpr std::uint8_t kFailure = 1;
constexpr std::uint8_t kError = 2;
constexpr std::uint8_t kSkipped = 4;

class Counter {
  public:
    explicit Counter(XML_Parser parser) : parser_(parser) {}

    static void XMLCALL on_start(void *self, const XML_Char *element, const XML_Char **attrs) {
        static_cast<Counter *>(self)->start(element, attrs);
    }
    static void XMLCALL on_end(void *self, const XML_Char * /*element*/) {
        static_cast<Counter *>(self)->end();
    }
    static void XMLCALL on_doctype(void *self, const XML_Char * /*name*/,
                                   const XML_Char * /*sysid*/, const XML_Char * /*pubid*/,
                                   int /*has_internal_subset*/) {
        auto *counter = static_cast<Counter *>(self);
        counter->stop("the report has a DOCTYPE declaration at line " +
                      std::to_string(XML_GetCurrentLineNumber(counter->parser_)) +
                      " (a JUnit report needs none, and assure reads no DTD)");
    }

    JunitCounts counts;
    std::string error;
    std::string claimed_tests; // a <testsuite(s) tests="N"> with N > 0, for the empty report
    std::size_t claimed_line = 0;

  private:
    enum Kind : std::uint8_t { Other, Testcase };

    void stop(std::string why) {
        if (error.empty()) {
            error = std::move(why);
        }
        XML_StopParser(parser_, XML_FALSE);
    }

    void start(const XML_Char *element, const XML_Char **attrs) {
        if (!error.empty()) {
            return;
        }
        const bool suite =
            std::strcmp(element, "testsuite") == 0 || std::strcmp(element, "testsuites") == 0;
        if (stack_.empty() && !suite) {
            stop("the root element is <" + support::printable(element) +
                 ">, not <testsuites> or <testsuite>: not a JUnit report");
            return;
        }
        if (suite && claimed_tests.empty()) {
            for (std::size_t idx = 0; attrs[idx] != nullptr; idx += 2) {
                const std::string_view value = attrs[idx + 1];
                if (std::strcmp(attrs[idx], "tests") == 0 && !value.empty() && value.size() <= 20 &&
                    std::all_of(value.begin(), value.end(),
                                [](char c) { return c >= '0' && c <= '9'; }) &&
                    value.find_first_not_of('0') != std::string_view::npos) {
                    claimed_tests = value;
                    claimed_line = XML_GetCurrentLineNumber(parser_);
                }
            }
        }
        if (!stack_.empty() && stack_.back() == Testcase) {
            if (std::strcmp(element, "failure") == 0) {
                flags_.back() |= kFailure;
            } else if (std::strcmp(element, "error") == 0) {
                flags_.back() |= kError;
            } else if (std::strcmp(element, "skipped") == 0) {
                flags_.back() |= kSkipped;
            }
        }
        if (std::strcmp(element, "testcase") == 0) {
            stack_.push_back(Testcase);
            flags_.push_back(0);
            ++counts.tests;
        } else {
            stack_.push_back(Other);
        }
    }

    void end() {
        if (!error.empty() || stack_.empty()) {
            return;
        }
        if (stack_.back() == Testcase) {
            const std::uint8_t f = flags_.back();
            flags_.pop_back();
            counts.failures += (f & kFailure) != 0 ? 1 : 0;
            counts.errors += (f & kError) != 0 ? 1 : 0;
            counts.skipped += (f & kSkipped) != 0 ? 1 : 0;
        }
        stack_.pop_back();
    }

    XML_Parser parser_;
    std::vector<Kind> stack_;         // every open element
    std::vector<std::uint8_t> flags_; // every open <testcase>: what children it has
};

} // namespace

JunitCounts count_junit(std::string_view bytes, std::string &error) {
    XML_Parser parser = XML_ParserCreate(nullptr);
    if (parser == nullptr) {
        error = "not enough memory to read the file";
        return {};
    }
    Counter counter(parser);
    XML_SetUserData(parser, &counter);
    XML_SetElementHandler(parser, Counter::on_start, Counter::on_end);
    XML_SetStartDoctypeDeclHandler(parser, Counter::on_doctype);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
    // One call for the whole file when it fits an int: expat 2.5 re-scans a token cut between
    // calls from its start, so feeding small pieces of a long token would be quadratic.
    std::size_t pos = 0;
    bool ok = true;
    do {
        const std::size_t len = std::min<std::size_t>(bytes.size() - pos, INT_MAX / 2);
        const bool last = pos + len == bytes.size();
        ok = XML_Parse(parser, bytes.data() + pos, static_cast<int>(len), last ? 1 : 0) ==
             XML_STATUS_OK;
        pos += len;
    } while (ok && pos < bytes.size());
    if (!ok && counter.error.empty()) {
        counter.error = "malformed XML at line " +
                        std::to_string(XML_GetCurrentLineNumber(parser)) + ", column " +
                        std::to_string(XML_GetCurrentColumnNumber(parser) + 1) + ": " +
                        XML_ErrorString(XML_GetErrorCode(parser));
    }
    XML_ParserFree(parser);
    if (counter.error.empty() && counter.counts.tests == 0 && !counter.claimed_tests.empty()) {
        counter.error = "the report has no <testcase> elements, but its element at line " +
                        std::to_string(counter.claimed_line) + " says tests=\"" +
                        counter.claimed_tests + "\"";
    }
    error = std::move(counter.error);
    return counter.counts;
}

Outcome read_junit(std::string_view bytes, const Selector &selector) {
    std::string error;
    const JunitCounts counts = count_junit(bytes, error);
    if (!error.empty()) {
        return Outcome{std::nullopt, std::move(error)};
    }
    std::uint64_t n = 0;
    switch (selector.count) {
    case JunitCount::Tests:
        n = counts.tests;
        break;
    case JunitCount::Failures:
        n = counts.failures;
        break;
    case JunitCount::Errors:
        n = counts.errors;
        break;
    case JunitCount::Skipped:
        n = counts.skipped;
        break;
    }
    auto value = support::Decimal::parse(std::to_string(n));
    return Outcome{Value{std::move(*value), 1, describe_counts(counts)}, ""};
}

} // namespace assure::artifacts::detail
