#include "bot/app.hpp"

#include "bot/log.hpp"
#include "bot/store_call.hpp"
#include "commands/handlers.hpp"

namespace cxos::bot {

namespace http = boost::beast::http;

boost::asio::awaitable<http_response> app::handle(http_request& req) {
    auto target = std::string_view(req.target());
    auto path = target.substr(0, target.find('?'));
    if (path == "/slack/events") {
        if (req.method() != http::verb::post) co_return text_response(405, "use POST\n");
        auto res = co_await slack_events(req);
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

boost::asio::awaitable<http_response> app::health() {
    bool reachable = false;
    std::int64_t depth = -1;
    try {
        auto probe = store_call(s_.queue, [](storage::store& st) {
            return st.ping() ? st.outbox_depth() : std::int64_t{-1};
        });
        depth = co_await std::move(probe);
        reachable = depth >= 0;
    } catch (const std::exception& e) {
        log_warn("health check: store unreachable", {{"error", e.what()}});
    }
    nlohmann::json body = {{"status", reachable ? "ok" : "unavailable"}, {"store", reachable}};
    if (reachable) body["outbox_depth"] = depth;
    co_return json_response(reachable ? 200 : 503, body.dump() + "\n");
}

boost::asio::awaitable<neutral_message> app::run_command(const command& cmd, const source_ref& from,
                                                         std::string_view invoked_as) {
    const auto& journey = s_.config.journey;
    if (std::holds_alternative<help_command>(cmd)) co_return render_help(journey, invoked_as);
    if (auto* bad = std::get_if<invalid_command>(&cmd)) co_return render_invalid(*bad);
    if (auto* status = std::get_if<status_command>(&cmd)) {
        // A signal is visible within the workspace it was logged in, nowhere else.
        auto lookup = store_call(s_.queue, [id = status->signal_id, from](storage::store& st) {
            std::optional<signal_status> out;
            auto sig = st.find_signal(id);
            if (sig && sig->source.platform == from.platform && sig->source.team_id == from.team_id)
                out = signal_status{*sig, st.deliveries_for_signal(id)};
            return out;
        });
        auto found = co_await std::move(lookup);
        co_return render_status(found, status->signal_id);
    }
    const auto& log_cmd = std::get<log_command>(cmd);
    auto plan = plan_log(journey, log_cmd, from, s_.clock());
    // The signal and the post announcing it commit together: once acknowledged, both survive.
    auto commit = store_call(s_.queue, [plan](storage::store& st) {
        auto id = st.insert_signal(plan.sig);
        auto post = plan.routed_post;
        post.signal_id = id;
        st.insert_delivery(post);
        return id;
    });
    plan.sig.id = co_await std::move(commit);
    s_.outbox.notify(plan.routed_post.platform, plan.routed_post.channel);
    log_debug("signal logged", {{"signal", plan.sig.id}, {"owner", plan.sig.route.owner},
                                {"rule", plan.sig.route.rule}});
    co_return render_log_ack(plan.sig, journey);
}

} // namespace cxos::bot
