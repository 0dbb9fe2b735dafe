// SPDX-License-Identifier: Apache-2.0
#include "cli/serve.hpp"

#include "cli/event.hpp"
#include "cli/front.hpp"
#include "cli/history.hpp"
#include "cli/live_case.hpp"
#include "serve/service.hpp"

#include <chrono>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <pthread.h>
#include <sstream>
#include <thread>

namespace assure::cli {
namespace {

/// "HOST:PORT" (an IPv4 address or name, or [IPv6]), port 0..65535.
bool split_listen(const std::string &text, std::string &host, int &port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size() ||
        text.size() - colon - 1 > 5 ||
        text.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
        return false;
    }
    host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    port = std::stoi(text.substr(colon + 1));
    return port <= 65535 && !host.empty();
}

bool is_loopback(const std::string &host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

} // namespace

ExitCode run_serve(ServeOptions &options, std::ostream &out, std::ostream &err) {
    ArgDiags ad;
    CheckOptions &common = options.prove.common;
    if (std::string error; !at_is_today(common.at, "serve", error)) {
        ad.plain(support::Code::E0608, error);
        return ad.emit(common, err, ExitCode::Usage);
    }
    std::string host;
    int port = 0;
    if (!split_listen(options.listen, host, port)) {
        ad.at(support::Code::E0822, options.listen, 0, options.listen.size(),
              "--listen takes HOST:PORT, e.g. 127.0.0.1:8417 (port 0: any free port)");
        return ad.emit(common, err, ExitCode::Usage);
    }
    serve::ServiceOptions so;
    so.host = host;
    so.port = port;
    so.readers_need_token = options.readers == "token";
    if (!token_option(options.token_file, so.token, ad)) {
        return ad.emit(common, err, ExitCode::Usage);
    }
    if (options.token_file.empty() && so.readers_need_token) {
        ad.plain(support::Code::E0823, "--readers token needs --token-file");
        return ad.emit(common, err, ExitCode::Usage);
    }
    std::unique_ptr<history::Store> store = open_live_history(options.db, true, ad);
    if (!store) {
        return ad.emit(common, err, ExitCode::Usage);
    }
    // SIGINT and SIGTERM are taken by one thread (sigwait), in no other: block them before any
    // thread starts, so that every thread inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    std::mutex log_mutex;
    so.log = [&err, &log_mutex](const std::string &line) {
        std::lock_guard<std::mutex> g(log_mutex);
        err << "serve: " << line << "\n" << std::flush;
    };
    live::EngineOptions eo = engine_options(options.prove, "serve");
    // The engine hands copies of on_phase to prove: the state lives here, for all of them.
    struct EventSteps {
        std::chrono::steady_clock::time_point start, last;
        std::string line;
        bool in_event = false;
    } steps;
    if (common.verbose) {
        // One line per event: the time of each step after its turn came ("wait": the engine
        // takes events one at a time), so that a slow event shows where its time went.
        eo.on_phase = [&steps, log = so.log](const char *phase) {
            const auto now = std::chrono::steady_clock::now();
            const std::string name = phase;
            if (name == "wait") {
                steps.in_event = true;
                steps.start = steps.last = now;
                steps.line.clear();
                return;
            }
            if (!steps.in_event) {
                return; // the start's proof, or the clock's
            }
            auto ms = [](auto d) {
                std::ostringstream s;
                s << std::fixed << std::setprecision(1)
                  << std::chrono::duration<double, std::milli>(d).count() << " ms";
                return s.str();
            };
            steps.line += (steps.line.empty() ? "" : ", ") + name + " " + ms(now - steps.last);
            steps.last = now;
            if (name == "record") {
                log("timing: " + steps.line + " (" + ms(now - steps.start) + ")");
                steps.in_event = false;
            }
        };
    }
    live::Engine engine(std::move(eo), *store);
    // Bound before the engine starts (which records a run): a service that cannot listen
    // records nothing. Requests wait in the socket's backlog until run().
    serve::Service service(engine, so);
    std::string error;
    if (!service.bind(error)) {
        ad.plain(support::Code::E0822, error);
        return ad.emit(common, err, ExitCode::Usage);
    }
    if (!engine.start(error)) {
        err << error;
        if (error.find("error") == std::string::npos) {
            err << "error: cannot start: " << error << "\n";
        }
        return ExitCode::InputErrors;
    }
    if (!is_loopback(host)) {
        err << "warning: assure serve listens on " << host << ", beyond this machine; "
            << (so.readers_need_token ? "readers and writers need the token"
                                      : "readers need no token (--readers token)")
            << "; the traffic is not encrypted (put a TLS proxy in front)\n";
    }
    const auto snap = engine.snapshot();
    out << "assure serve: listening on http://"
        << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":" << service.port()
        << " (case " << snap->run.case_digest.substr(0, 12) << ", " << snap->run.result
        << ", history entry " << snap->run_seq << ")" << std::endl;
    std::thread signals([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        service.stop();
    });
    service.run();
    // Stopped by a signal (or the server failed): wake the signal thread if it still waits.
    pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
    out << "assure serve: stopped" << std::endl;
    return ExitCode::Ok;
}

} // namespace assure::cli
