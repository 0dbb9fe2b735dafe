// SPDX-License-Identifier: Apache-2.0
#include "serve/service.hpp"

#include "history/kpi.hpp"
#include "history/render.hpp"
#include "impact/impact.hpp"
#include "live/response.hpp"
#include "report/html/html.hpp"
#include "report/impact.hpp"
#include "serve/metrics.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <httplib.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <sys/socket.h>
#include <thread>

namespace assure::serve {
namespace {

constexpr const char *kJson = "application/json";
constexpr std::size_t kConnectionThreads = 64; // connections served at once

/// A refusal of the request itself (not of an event's specs), as the service's error JSON.
void refuse(httplib::Response &res, int status, support::Code code, std::string message) {
    live::Refusal r;
    r.status = status;
    r.code = code;
    r.message = std::move(message);
    res.status = status;
    res.set_content(live::refusal_json(r, {}), kJson);
}

/// Whether `header` is "Bearer TOKEN" with the expected token (compared in constant time).
bool bearer_matches(const std::string &header, const std::string &token) {
    constexpr std::string_view prefix = "Bearer ";
    if (token.empty() || header.size() != prefix.size() + token.size() ||
        header.compare(0, prefix.size(), prefix) != 0) {
        return false;
    }
    return CRYPTO_memcmp(header.data() + prefix.size(), token.data(), token.size()) == 0;
}

/// The values of the query parameter `name` in a request target, each split at its first `=`:
/// httplib 0.11 splits a parameter at every `=` and keeps the last piece, which would read
/// `change=expire:E=2027-01-01` as the change `2027-01-01`.
std::vector<std::string> query_values(const std::string &target, const std::string &name) {
    std::vector<std::string> out;
    const std::size_t q = target.find('?');
    if (q == std::string::npos) {
        return out;
    }
    const std::string query = target.substr(q + 1, target.find('#', q) - q - 1);
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t amp = query.find('&', start);
        if (amp == std::string::npos) {
            amp = query.size();
        }
        const std::string piece = query.substr(start, amp - start);
        const std::size_t eq = piece.find('=');
        if (httplib::detail::decode_url(piece.substr(0, eq), true) == name) {
            out.push_back(eq == std::string::npos
                              ? std::string()
                              : httplib::detail::decode_url(piece.substr(eq + 1), true));
        }
        start = amp + 1;
    }
    return out;
}

} // namespace

struct Service::Impl {
    live::Engine &engine;
    ServiceOptions options;
    httplib::Server server;
    // The engine's work (events, the clock, and the readers that prove, load the history or
    // render the report) runs on one thread, the worker. A proof of a large case allocates
    // hundreds of MB that the next one frees: on the connection threads, mimalloc would keep
    // them with the thread that allocated them (idle in httplib's pool, so never reused), and
    // the service would grow by that much for every new connection.
    std::mutex work_mutex;
    std::condition_variable work_cv;
    std::deque<std::packaged_task<void()>> work;
    bool stopping = false;    // no more clock ticks (stop() was called)
    bool worker_done = false; // the worker has ended: run the work on the caller's thread
    bool worker_stop = false; // the server has stopped and no handler is left: end the worker
    std::thread worker;

    Impl(live::Engine &e, ServiceOptions o) : engine(e), options(std::move(o)) {}

    void log(const std::string &line) const {
        if (options.log) {
            options.log(line);
        }
    }

    bool authorised(const httplib::Request &req, httplib::Response &res, bool writer) const {
        if (!writer && !options.readers_need_token) {
            return true;
        }
        if (options.token.empty()) {
            refuse(res, 401, support::Code::E0821,
                   "this service accepts no event: it was started without --token-file");
            return false;
        }
        if (!bearer_matches(req.get_header_value("Authorization"), options.token)) {
            res.set_header("WWW-Authenticate", "Bearer");
            refuse(res, 401, support::Code::E0821,
                   "send the service's token as `Authorization: Bearer TOKEN`");
            return false;
        }
        return true;
    }

    void post_event(const httplib::Request &req, httplib::Response &res) {
        if (!authorised(req, res, /*writer=*/true)) {
            return;
        }
        const auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.contains("specs") || !body["specs"].is_array()) {
            refuse(res, 400, support::Code::E0815,
                   "the body must be a JSON object with `specs`, an array of event specs "
                   "(docs/serve.md)");
            return;
        }
        for (const auto &[key, value] : body.items()) {
            if (key != "specs" && key != "note" && key != "case") {
                refuse(res, 400, support::Code::E0815,
                       "unknown field `" + key + "` (an event has specs, note and case)");
                return;
            }
            if (key != "specs" && !value.is_string()) {
                refuse(res, 400, support::Code::E0815, "`" + key + "` must be a string");
                return;
            }
        }
        const auto &array = body["specs"];
        if (array.empty() || array.size() > options.max_specs) {
            refuse(res, 400, support::Code::E0815,
                   "an event has 1 to " + std::to_string(options.max_specs) + " specs");
            return;
        }
        std::vector<std::string> specs;
        for (const auto &s : array) {
            if (!s.is_string()) {
                refuse(res, 400, support::Code::E0815, "every spec must be a string");
                return;
            }
            specs.push_back(s.get<std::string>());
        }
        const std::string note = body.value("note", std::string());
        const std::string expected = body.value("case", std::string());
        live::Refusal refusal;
        const auto posted = engine.post(specs, expected, note, "serve", refusal);
        if (!posted) {
            res.status = refusal.status;
            res.set_content(live::refusal_json(refusal, specs), kJson);
            return;
        }
        res.set_content(live::posted_json(*posted), kJson);
    }

    void get_history(const httplib::Request &req, httplib::Response &res) {
        std::int64_t after = 0;
        if (req.has_param("after")) {
            const std::string v = req.get_param_value("after");
            if (v.empty() || v.size() > 18 ||
                v.find_first_not_of("0123456789") != std::string::npos) {
                refuse(res, 400, support::Code::E0815, "`after` is an entry number");
                return;
            }
            after = std::stoll(v);
        }
        // Every entry, even with `after`: a delta run is only whole with the runs before it
        // (history::expand_deltas), and its changes are against the run before it.
        std::vector<history::Entry> entries;
        if (!load_entries(entries, res)) {
            return;
        }
        if (after == 0) {
            res.set_content(history::render_history_json(entries), kJson);
            return;
        }
        auto doc = nlohmann::ordered_json::parse(history::render_history_json(entries));
        for (const char *list : {"runs", "events"}) {
            auto &items = doc[list];
            nlohmann::ordered_json kept = nlohmann::ordered_json::array();
            for (auto &item : items) {
                if (item["seq"].get<std::int64_t>() > after) {
                    kept.push_back(std::move(item));
                }
            }
            items = std::move(kept);
        }
        res.set_content(doc.dump(2) + "\n", kJson);
    }

    /// Every entry of the history, read under the store's lock; false, with a 503 answer,
    /// when it cannot be read.
    bool load_entries(std::vector<history::Entry> &entries, httplib::Response &res) {
        std::int64_t head = 0;
        std::string hash;
        history::StoreError se;
        auto lock = engine.lock_store();
        if (!engine.store().load(entries, head, hash, se)) {
            refuse(res, 503, support::Code::E0803, "cannot read the history: " + se.message);
            return false;
        }
        return true;
    }

    void get_kpi(const httplib::Request &req, httplib::Response &res) {
        history::KpiOptions ko;
        if (req.has_param("within")) {
            const std::string v = req.get_param_value("within");
            if (v.empty() || v.size() > 6 ||
                v.find_first_not_of("0123456789") != std::string::npos) {
                refuse(res, 400, support::Code::E0815, "`within` is a number of days");
                return;
            }
            ko.within_days = std::stoll(v);
        }
        std::vector<history::Entry> entries;
        if (!load_entries(entries, res)) {
            return;
        }
        history::KpiError ke;
        const auto kpis = history::compute_kpis(entries, ko, ke);
        if (!kpis) {
            refuse(res, 500, support::Code::E0810,
                   "entry " + std::to_string(ke.seq) + ": " + ke.message);
            return;
        }
        res.set_content(history::render_kpi_json(*kpis), kJson);
    }

    void get_impact(const httplib::Request &req, httplib::Response &res) {
        const std::vector<std::string> given = query_values(req.target, "change");
        if (given.empty()) {
            refuse(res, 400, support::Code::E0605,
                   "give one or more changes: /impact?change=fail:E&change=open:D");
            return;
        }
        std::vector<impact::Change> changes;
        for (const std::string &text : given) {
            std::string error;
            auto c = impact::parse_change(text, error);
            if (!c) {
                refuse(res, 400, support::Code::E0605, error);
                return;
            }
            if (impact::is_text_change(*c)) {
                refuse(res, 422, support::Code::E0605,
                       "`" + c->spec +
                           "` rewrites the case's text: run `assure impact --change` on the "
                           "case files");
                return;
            }
            changes.push_back(std::move(*c));
        }
        // The what-if is judged on the live state, and waits for events (and they for it).
        auto lock = engine.lock_store();
        const auto snap = engine.snapshot();
        const sema::Program &program = *snap->version->program;
        prove::Overrides overrides = snap->result.overrides;
        impact::ChangeError ce;
        if (!impact::apply_changes(program, changes, overrides, ce)) {
            refuse(res, 422, ce.code, ce.message);
            return;
        }
        prove::ProveOptions po = engine.prove_options();
        po.date = snap->result.date;
        const impact::Case c{program, *snap->version->lowered, *snap->version->sources};
        const impact::Impact result =
            impact::analyse(impact::baseline_of(program, snap->result), c, po, overrides);
        const std::string since;
        const std::vector<impact::LockChange> detected;
        const report::ImpactInput input{changes, since, detected};
        res.set_content(report::render_impact_json(program, result, input, *snap->version->sources,
                                                   engine.meta_for(*snap)),
                        kJson);
    }

    void routes() {
        // httplib's default sets SO_REUSEPORT, which lets a second service (of this user) bind
        // the same address and share its connections: any event could reach either service.
        // SO_REUSEADDR alone still lets a restarted service bind a port in TIME_WAIT.
        server.set_socket_options([](socket_t sock) {
            int yes = 1;
            setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        });
        server.set_payload_max_length(options.max_body);
        // An answer is written in two parts (headers, body): with Nagle's algorithm the second
        // waits for the client's delayed ACK of the first, 40 ms on Linux, on most events.
        server.set_tcp_nodelay(true);
        // httplib gives each connection a thread of its pool until it closes, and its default
        // pool has 8: eight idle connections (a dashboard's, or anyone's on this machine) would
        // make every other request, events included, wait for their read timeout.
        server.new_task_queue = [] { return new httplib::ThreadPool(kConnectionThreads); };
        // Refusals httplib makes itself (an oversized body, no such endpoint, a request it cannot
        // parse) get the service's error JSON too; the service's own refusals have theirs.
        server.set_error_handler(httplib::Server::HandlerWithResponse(
            [this](const httplib::Request &, httplib::Response &res) {
                if (!res.body.empty()) {
                    return httplib::Server::HandlerResponse::Unhandled;
                }
                if (res.status == 413) {
                    refuse(res, 413, support::Code::E0815,
                           "the request body is over " + std::to_string(options.max_body) +
                               " bytes");
                } else if (res.status == 404 || res.status == 405) {
                    refuse(res, res.status, support::Code::E0824,
                           "no such endpoint: the service answers POST /events and GET /status, "
                           "/claims/NAME, /history, /impact, /report and /metrics");
                } else {
                    refuse(res, res.status, support::Code::E0824,
                           "the service cannot answer this request (HTTP " +
                               std::to_string(res.status) + ")");
                }
                return httplib::Server::HandlerResponse::Handled;
            }));
        server.set_read_timeout(10, 0);
        server.set_write_timeout(60, 0);
        server.set_logger([this](const httplib::Request &req, const httplib::Response &res) {
            // Method, path and status only: never a header, a query or a body.
            log(req.method + " " + req.path + " " + std::to_string(res.status));
        });
        server.set_exception_handler(
            [](const httplib::Request &, httplib::Response &res, std::exception_ptr ep) {
                std::string what = "internal error";
                try {
                    std::rethrow_exception(ep);
                } catch (const std::bad_alloc &) {
                    what = "out of memory";
                } catch (const std::exception &e) {
                    what = std::string("internal error: ") + e.what();
                } catch (...) {
                }
                refuse(res, 500, support::Code::E9000, what);
            });
        server.Post("/events", [this](const httplib::Request &req, httplib::Response &res) {
            on_worker([&] { post_event(req, res); });
        });
        auto reader = [this](auto handler) {
            return [this, handler](const httplib::Request &req, httplib::Response &res) {
                if (authorised(req, res, /*writer=*/false)) {
                    handler(req, res);
                }
            };
        };
        // The readers that prove, load the whole history (/metrics: for the KPIs) or render the
        // report: on the worker.
        auto heavy_reader = [this](auto handler) {
            return [this, handler](const httplib::Request &req, httplib::Response &res) {
                if (authorised(req, res, /*writer=*/false)) {
                    on_worker([&] { handler(req, res); });
                }
            };
        };
        server.Get("/status", reader([this](const httplib::Request &, httplib::Response &res) {
                       res.set_content(live::status_json(*engine.snapshot()), kJson);
                   }));
        server.Get(R"(/claims/([A-Za-z0-9_.]{1,1000}))",
                   reader([this](const httplib::Request &req, httplib::Response &res) {
                       const std::string body =
                           live::claim_json(*engine.snapshot(), req.matches[1].str());
                       if (body.empty()) {
                           refuse(res, 404, support::Code::E0617,
                                  "no claim named `" + req.matches[1].str() + "`");
                           return;
                       }
                       res.set_content(body, kJson);
                   }));
        server.Get("/history",
                   heavy_reader([this](const httplib::Request &req, httplib::Response &res) {
                       get_history(req, res);
                   }));
        server.Get("/kpi", heavy_reader([this](const httplib::Request &req,
                                               httplib::Response &res) { get_kpi(req, res); }));
        server.Get("/impact",
                   heavy_reader([this](const httplib::Request &req, httplib::Response &res) {
                       get_impact(req, res);
                   }));
        server.Get(
            "/report", heavy_reader([this](const httplib::Request &, httplib::Response &res) {
                const auto snap = engine.snapshot();
                res.set_header("Content-Security-Policy", report::html::content_security_policy());
                res.set_content(report::html::render_html(*snap->version->program, snap->result,
                                                          *snap->version->sources,
                                                          engine.meta_for(*snap), {}),
                                "text/html; charset=utf-8");
            }));
        server.Get("/metrics",
                   heavy_reader([this](const httplib::Request &, httplib::Response &res) {
                       const auto snap = engine.snapshot();
                       // The KPIs read the whole history; verdicts are served without them
                       // when it cannot be read.
                       std::vector<history::Entry> entries;
                       std::int64_t head = 0;
                       std::string hash;
                       history::StoreError se;
                       std::optional<history::Kpis> kpis;
                       {
                           auto lock = engine.lock_store();
                           if (engine.store().load(entries, head, hash, se)) {
                               history::KpiError ke;
                               kpis = history::compute_kpis(entries, {}, ke);
                           }
                       }
                       res.set_content(render_metrics(*snap, head, kpis ? &*kpis : nullptr),
                                       "text/plain; version=0.0.4; charset=utf-8");
                   }));
    }

    /// Runs `f` on the worker and waits for it; rethrows what it threw.
    void on_worker(std::function<void()> f) {
        std::packaged_task<void()> task(std::move(f));
        std::future<void> done = task.get_future();
        {
            std::lock_guard<std::mutex> g(work_mutex);
            if (!worker_done) {
                work.push_back(std::move(task));
            }
        }
        if (task.valid()) {
            task(); // the worker has ended (the service is stopping)
        } else {
            work_cv.notify_all();
        }
        done.get();
    }

    void tick() {
        std::string error;
        if (engine.tick(error)) {
            log("clock: the date changed and verdicts with it: re-judged at " +
                engine.snapshot()->run.judged_at + " and recorded");
        } else if (!error.empty()) {
            log("clock: cannot record the re-judgement: " + error);
        }
    }

    void work_loop() {
        const auto interval = std::chrono::milliseconds(options.tick_ms);
        auto next_tick = std::chrono::steady_clock::now() + interval;
        std::unique_lock<std::mutex> lock(work_mutex);
        while (true) {
            work_cv.wait_until(lock, next_tick, [&] { return !work.empty() || worker_stop; });
            if (worker_stop && work.empty()) {
                worker_done = true;
                return;
            }
            // The clock first: a steady stream of events must not keep it from looking.
            if (std::chrono::steady_clock::now() >= next_tick) {
                next_tick = std::chrono::steady_clock::now() + interval;
                if (!stopping) {
                    lock.unlock();
                    tick();
                    lock.lock();
                }
            }
            if (!work.empty()) {
                std::packaged_task<void()> task = std::move(work.front());
                work.pop_front();
                lock.unlock();
                task();
                lock.lock();
            }
        }
    }
};

Service::Service(live::Engine &engine, ServiceOptions options)
    : impl_(std::make_unique<Impl>(engine, std::move(options))) {
    impl_->routes();
}

Service::~Service() {
    stop();
}

bool Service::bind(std::string &error) {
    if (impl_->options.port == 0) {
        port_ = impl_->server.bind_to_any_port(impl_->options.host);
    } else if (impl_->server.bind_to_port(impl_->options.host, impl_->options.port)) {
        port_ = impl_->options.port;
    } else {
        port_ = -1;
    }
    if (port_ <= 0) {
        error = "cannot listen on " + impl_->options.host + ":" +
                std::to_string(impl_->options.port) +
                " (in use, not an address of this machine, or not permitted)";
        return false;
    }
    return true;
}

void Service::run() {
    impl_->worker = std::thread([this] { impl_->work_loop(); });
    impl_->server.listen_after_bind();
    // httplib has waited for its handlers: nothing can queue work any more.
    {
        std::lock_guard<std::mutex> g(impl_->work_mutex);
        impl_->stopping = true;
        impl_->worker_stop = true;
    }
    impl_->work_cv.notify_all();
    if (impl_->worker.joinable()) {
        impl_->worker.join();
    }
}

void Service::stop() {
    {
        std::lock_guard<std::mutex> g(impl_->work_mutex);
        impl_->stopping = true;
    }
    impl_->work_cv.notify_all();
    impl_->server.stop();
}

} // namespace assure::serve
