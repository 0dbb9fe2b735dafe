// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure serve` (docs/serve.md): the live case (live::Engine) behind HTTP on cpp-httplib.
// POST /events (writers: bearer token); GET /status, /claims/{name}, /history, /kpi,
// /impact?change=..., /report, /metrics (readers: open, or the token with
// readers_need_token). A timer re-judges the case when the date changes.

#include "live/engine.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace assure::serve {

struct ServiceOptions {
    std::string host = "127.0.0.1";
    int port = 8417;   // 0: any free port (see Service::port)
    std::string token; // writers' (and with readers_need_token, readers') bearer token; empty:
                       // the service accepts no event
    bool readers_need_token = false;
    std::size_t max_body = 64 * 1024; // bytes of a POST body
    std::size_t max_specs = 256;      // specs in one event
    unsigned tick_ms = 1000;          // how often the timer looks at the date
    /// One line per request (method, path, status, time) and per timer re-judgement; never a
    /// header or a body, so never a token.
    std::function<void(const std::string &)> log;
};

class Service {
  public:
    Service(live::Engine &engine, ServiceOptions options);
    ~Service();
    Service(const Service &) = delete;
    Service &operator=(const Service &) = delete;

    /// Binds the listening socket; false with `error` when it cannot.
    bool bind(std::string &error);
    /// The port bound (after bind()).
    [[nodiscard]] int port() const { return port_; }
    /// Serves until stop() (from another thread or a signal handler's thread).
    void run();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int port_ = 0;
};

} // namespace assure::serve
