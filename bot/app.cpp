#include "bot/app.hpp"
#include "commands/json_text.hpp"

#include "bot/services/health.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store_call.hpp"
#include "bot/services/intake.hpp"
#include "commands/council.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"
#include "commands/kpis.hpp"

namespace cxos::bot {

namespace http = boost::beast::http;

http_response json_answer(const nlohmann::json& body) {
    return json_response(200, json_text(body));
}

boost::asio::awaitable<http_response> app::handle(http_request& req) {
    // Every answer is counted by endpoint and status, with its ack latency (request read → answer ready).
    const auto started = std::chrono::steady_clock::now();
    auto target = std::string_view(req.target());
    const auto which = endpoint_of(target.substr(0, target.find('?')));
    try {
        auto res = co_await dispatch(req);
        metrics().count_request(which, res.result_int(), std::chrono::steady_clock::now() - started);
        co_return res;
    } catch (...) {
        metrics().count_request(which, 500, std::chrono::steady_clock::now() - started); // the server answers 500
        throw;
    }
}

boost::asio::awaitable<http_response> app::dispatch(http_request& req) {
    auto target = std::string_view(req.target());
    auto path = target.substr(0, target.find('?'));
    // One table from path to endpoint; the test clock exists only under --test-clock.
    using endpoint_fn = boost::asio::awaitable<http_response> (app::*)(http_request&);
    struct route {
        std::string_view path;
        http::verb method;
        endpoint_fn handle;
    };
    static constexpr route routes[] = {
        {"/slack/events", http::verb::post, &app::slack_events},
        {"/api/messages", http::verb::post, &app::teams_messages},
        {"/teams/webhook", http::verb::post, &app::teams_webhook},
        {"/ingest/v1/signals", http::verb::post, &app::ingest_signals},
        {"/metrics", http::verb::get, &app::metrics_scrape},
        {"/_test/clock", http::verb::post, &app::test_clock},
    };
    for (const auto& r : routes) {
        if (path != r.path || (r.handle == &app::test_clock && !s_.set_test_clock)) continue;
        if (req.method() != r.method)
            co_return text_response(405, r.method == http::verb::post ? "use POST\n" : "use GET\n");
        auto res = co_await (this->*r.handle)(req);
        co_return res;
    }
    if (path == "/dashboard" || path.starts_with("/dashboard/") || path.starts_with("/api/v1/")) {
        auto res = co_await dashboard_route(req, path);
        co_return res;
    }
    if (path == "/healthz") {
        if (req.method() != http::verb::get && req.method() != http::verb::head)
            co_return text_response(405, "use GET\n");
        auto res = co_await health();
        co_return res;
    }
    co_return text_response(404, "not found\n");
}

boost::asio::awaitable<http_response> app::test_clock(http_request& req) {
    auto body = nlohmann::json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("now_ms") || !body["now_ms"].is_number_integer())
        co_return text_response(400, "send {\"now_ms\": <Unix milliseconds>}\n");
    s_.set_test_clock(body["now_ms"].get<millis>());
    log_warn("test clock moved", {{"now_ms", s_.clock()}});
    co_return json_response(200, json_text(nlohmann::json{{"now_ms", s_.clock()}}) + "\n");
}

boost::asio::awaitable<http_response> app::health() {
    // The store is healthy when it can commit, not merely answer: the probe writes a heartbeat.
    health_inputs in;
    try {
        auto probe = store_call(s_.queue, [now = s_.clock()](storage::store& st) {
            st.set_setting("health.heartbeat", std::to_string(now));
            return st.outbox_depth();
        });
        in.outbox_depth = co_await std::move(probe);
    } catch (const std::exception& e) {
        in.probe_error = e.what();
        log_warn("health check: the store cannot commit", {{"error", in.probe_error}});
    }
    if (auto failure = s_.queue.last_write_failure()) {
        in.last_write_failure = failure->error;
        in.since_write_failure = std::chrono::steady_clock::now() - failure->at;
    }
    in.holds = &s_.holds;
    auto report = assess_health(in);
    co_return json_response(report.status, json_text(report.body) + "\n");
}

boost::asio::awaitable<std::pair<kpi_report, std::vector<kpi_signal>>> app::read_kpis(kpi_filter f, bool with_signals) {
    // The figures are computed on the storage thread: the rows cross to the io thread only when asked.
    auto read = store_call(s_.queue, [f, with_signals, stages = s_.config.journey.stages,
                                      economics = s_.config.economics, now = s_.clock()](storage::store& st) {
        auto signals = st.kpi_signals();
        auto report = compute_kpis(st.kpi_items(), signals, f, stages, economics, now);
        if (!with_signals) signals.clear();
        return std::pair{std::move(report), std::move(signals)};
    });
    auto figures = co_await std::move(read);
    co_return figures;
}

neutral_message app::render_dashboard_link() const {
    neutral_message m;
    m.title = "Dashboard";
    if (!s_.dashboard) {
        m.text = "The dashboard is off: whoever runs cxos turns it on by setting CXOS_DASHBOARD_TOKEN.";
    } else if (s_.config.public_url.empty()) {
        m.text = "The dashboard is on at `/dashboard` of this cxos server; set `public_url` in the config "
                 "so this answer can give the full link.";
    } else {
        m.text = s_.config.public_url + "/dashboard"; // the title already says what it is
        m.context = "Ask whoever runs cxos for the access token.";
    }
    return m;
}

boost::asio::awaitable<neutral_message> app::log_signal(const signal& s, std::vector<std::string> unknown_tags) {
    // The signal, its item and the posts announcing it commit together: once acknowledged, all survive.
    auto commit = store_call(s_.queue, [s, journey = &s_.config.journey, now = s_.clock()](storage::store& st) {
        return record_signal(st, *journey, s, now);
    });
    auto logged = co_await std::move(commit);
    s_.outbox.notify(logged.queued);
    log_debug("signal logged", {{"signal", logged.sig.id}, {"item", logged.it.id}, {"owner", logged.it.owner}});
    co_return log_ack(logged, s_.config.journey, s_.holds, unknown_tags);
}

boost::asio::awaitable<command_reply> app::confirm_choice(std::string_view action_id, const std::string& value,
                                                          const source_ref& from, std::string_view invoked_as) {
    // "Log it as friction" logs the text as typed, with no second question; "Run …" runs the suggestion.
    auto cmd = action_id == confirm_actions::log ? parse_report(value, s_.config.journey)
                                                 : parse_command(value, s_.config.journey);
    if (std::holds_alternative<confirm_command>(cmd)) cmd = parse_report(value, s_.config.journey);
    auto reply = co_await run_command(cmd, from, invoked_as);
    co_return reply;
}

boost::asio::awaitable<command_reply> app::run_command(const command& cmd, const source_ref& from,
                                                       std::string_view invoked_as) {
    const auto& journey = s_.config.journey;
    if (std::holds_alternative<help_command>(cmd)) co_return command_reply{render_help(journey, invoked_as), {}};
    if (std::holds_alternative<capture_form_command>(cmd))
        co_return command_reply{{}, capture_form(journey, capture_context{from.channel_id, "", "", "", ""})};
    if (auto* bad = std::get_if<invalid_command>(&cmd)) co_return command_reply{render_invalid(*bad), {}};
    if (auto* status = std::get_if<status_command>(&cmd)) {
        // An item is visible from a workspace that reported it, nowhere else.
        auto lookup = store_call(s_.queue, [id = status->item_id, from](storage::store& st) {
            std::optional<item_status_view> out;
            auto it = st.find_item(id);
            // A merged item's reports moved to the item it duplicates: that one decides.
            const auto reported = it ? it->status == item_status::duplicate ? it->duplicate_of : id : 0;
            auto first = reported ? st.first_signal_from(reported, from.platform, from.team_id) : std::nullopt;
            if (!first) return out;
            out = item_status_view{*it, {}, reported == id ? *first : 0};
            for (auto post : {it->routed_delivery_id, it->mirror_delivery_id})
                if (auto d = post ? st.find_delivery(post) : std::nullopt) out->posts.push_back(*d);
            return out;
        });
        auto found = co_await std::move(lookup);
        co_return command_reply{render_status(found, status->item_id, journey), {}};
    }
    if (auto* confirm = std::get_if<confirm_command>(&cmd)) co_return command_reply{render_confirm(*confirm, invoked_as), {}};
    if (auto* plus = std::get_if<plus_one_command>(&cmd)) {
        auto count = store_call(s_.queue, [id = plus->item_id, from, now = s_.clock()](storage::store& st) {
            std::pair<std::optional<item>, std::optional<intake_result>> out;
            out.second = record_plus_one(st, id, from, now);
            out.first = out.second ? std::optional<item>(out.second->it) : st.find_item(id);
            return out;
        });
        auto [it, counted] = co_await std::move(count);
        if (counted) s_.outbox.notify(counted->queued);
        co_return command_reply{render_plus_one_ack(it, plus->item_id, counted.has_value()), {}};
    }
    if (auto* stats = std::get_if<stats_command>(&cmd)) {
        kpi_filter f;
        f.owner = stats->owner;
        f.stage = stats->stage;
        auto read = read_kpis(f);
        auto [report, unused] = co_await std::move(read);
        if (stats->topic == "routing") co_return command_reply{render_routing_stats(report.routing), {}};
        if (stats->topic == "loops") co_return command_reply{render_closed_loop_stats(report.loops), {}};
        auto scope = !f.owner.empty() ? f.owner : f.stage.empty() ? std::string() : "stage " + f.stage;
        co_return command_reply{render_kpi_stats(report, s_.config.economics, scope), {}};
    }
    if (std::holds_alternative<dashboard_command>(cmd)) co_return command_reply{render_dashboard_link(), {}};
    if (auto* council = std::get_if<council_command>(&cmd)) {
        auto reply = co_await council_reply(*council, from);
        co_return reply;
    }
    const auto& log = std::get<log_command>(cmd);
    auto s = plan_signal(journey, log, from, s_.clock());
    auto ack = co_await log_signal(s, log.unknown_tags);
    co_return command_reply{std::move(ack), {}};
}

} // namespace cxos::bot
