#include "bot/slack/slack_socket_mode.hpp"

#include "adapters/slack/socket_mode.hpp"
#include "bot/core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <random>
#include <vector>

namespace cxos::bot {

namespace asio = boost::asio;
using ending = slack_socket_session::ending;

namespace {

// A connection that lasted this long proves the link works: only then does the backoff start over.
constexpr auto settled = std::chrono::seconds(10);

// Exponential backoff with jitter, so many cxos instances (or slots) do not redial in step.
class redial_backoff {
  public:
    redial_backoff(std::chrono::milliseconds first, std::chrono::milliseconds max) : first_(first), max_(max) {}

    std::chrono::milliseconds next(std::mt19937& random) {
        auto ceiling = first_;
        for (int i = 0; i < failures_ && ceiling < max_; ++i) ceiling *= 2;
        ceiling = std::min(ceiling, max_);
        ++failures_;
        std::uniform_int_distribution<std::int64_t> pick(ceiling.count() / 2, ceiling.count());
        return std::max(std::chrono::milliseconds(pick(random)), std::exchange(floor_, {}));
    }
    void at_least(std::chrono::milliseconds floor) { floor_ = std::max(floor_, floor); }
    void reset() { failures_ = 0; }

  private:
    std::chrono::milliseconds first_, max_, floor_{0};
    int failures_ = 0;
};

} // namespace

struct slack_socket_mode::state {
    asio::any_io_executor ex;
    http_client& web;
    socket_mode_settings settings;
    std::shared_ptr<socket_shared> shared = std::make_shared<socket_shared>();
    bool stopping = false;
    int dialled = 0; // connections opened so far: each one's name in the logs
    std::vector<std::weak_ptr<slack_socket_session>> live;
    std::vector<std::unique_ptr<asio::steady_timer>> pauses; // one per slot; stop() cuts them short
    std::mt19937 random{std::random_device{}()};

    state(asio::any_io_executor e, http_client& w, socket_mode_settings s) : ex(std::move(e)), web(w), settings(std::move(s)) {}

    void stop_all() {
        stopping = true;
        for (auto& p : pauses) p->cancel();
        for (auto& weak : live)
            if (auto session = weak.lock()) session->retire();
        live.clear();
    }
};

namespace {

using state_ptr = std::shared_ptr<slack_socket_mode::state>;

// Asks Slack for a WebSocket URL and connects to it; null (and the backoff told why) on failure.
asio::awaitable<std::shared_ptr<slack_socket_session>> dial(state_ptr st, std::size_t slot, redial_backoff& backoff) {
    outbound_request req;
    req.method = boost::beast::http::verb::post;
    req.target = st->settings.api.path + "/apps.connections.open";
    req.content_type = "application/x-www-form-urlencoded";
    req.bearer_token = st->settings.app_token;
    auto sending = st->web.send(st->settings.api, req);
    auto answer = co_await std::move(sending);
    if (!answer.error.empty()) {
        log_warn("cannot reach Slack for a Socket Mode URL", {{"slot", slot + 1}, {"error", answer.error}});
        co_return nullptr;
    }
    auto opened = slack::classify_connections_open(answer.status, answer.retry_after, answer.body);
    if (opened.url.empty()) {
        backoff.at_least(std::chrono::seconds(opened.retry_after_seconds));
        if (opened.credential_problem)
            log_error("Slack refused SLACK_APP_TOKEN for Socket Mode; cxos keeps trying. Give it an app-level token "
                      "(xapp-…) with the connections:write scope: Slack app → Basic Information → App-Level Tokens",
                      {{"error", opened.error}});
        else log_warn("apps.connections.open failed", {{"slot", slot + 1}, {"error", opened.error}});
        co_return nullptr;
    }
    auto url = slack::parse_socket_url(opened.url); // checked by classify_connections_open
    auto session = std::make_shared<slack_socket_session>(st->ex, st->shared, "#" + std::to_string(++st->dialled));
    auto opening = session->open(*url);
    auto problem = co_await std::move(opening);
    if (!problem.empty()) {
        log_warn("Socket Mode connection failed", {{"slot", slot + 1}, {"connection", session->name()}, {"error", problem}});
        co_return nullptr;
    }
    log_info("Socket Mode connection ready", {{"slot", slot + 1}, {"connection", session->name()},
                                               {"num_connections", session->hello().num_connections},
                                               {"slack_host", session->hello().host}});
    std::erase_if(st->live, [](const auto& weak) { return weak.expired(); });
    st->live.push_back(session);
    session->start_reading();
    co_return session;
}

asio::awaitable<void> pause(state_ptr st, std::size_t slot, std::chrono::milliseconds delay) {
    auto& timer = *st->pauses[slot];
    timer.expires_after(delay);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// One connection slot: keeps one connection open, replacing it when Slack asks or it breaks.
asio::awaitable<void> run_slot(state_ptr st, std::size_t slot) {
    redial_backoff backoff(st->settings.backoff_first, st->settings.backoff_max);
    std::shared_ptr<slack_socket_session> current;
    while (!st->stopping) {
        auto dialling = dial(st, slot, backoff);
        auto next = co_await std::move(dialling);
        if (st->stopping) {
            if (next) next->retire();
            break;
        }
        if (!next) {
            auto waiting = pause(st, slot, backoff.next(st->random));
            co_await std::move(waiting);
            continue;
        }
        // The replacement said hello: only now may the connection it replaces close, so an
        // envelope Slack sends during the refresh always has somewhere to go.
        if (current) current->retire();
        current = std::move(next);
        auto ended = current->wait_ending();
        const auto why = co_await std::move(ended);
        if (why == ending::link_disabled) {
            log_error("Slack disabled Socket Mode for this app (link_disabled): cxos no longer receives Slack "
                      "commands, interactions or events. Turn Socket Mode on again in the Slack app's settings "
                      "and restart cxos, or run it with slack.mode: http");
            st->stop_all();
            break;
        }
        // A connection that ends soon after its hello (Slack turning it away, a flapping network)
        // must not be redialled in a tight loop.
        const bool lasted = std::chrono::steady_clock::now() - current->greeted_at() >= settled;
        if (lasted) backoff.reset();
        if (why == ending::lost) current.reset();
        if (why == ending::lost || !lasted) {
            auto waiting = pause(st, slot, backoff.next(st->random));
            co_await std::move(waiting);
        }
        // ending::refresh: dial the replacement while `current` keeps serving.
    }
}

} // namespace

slack_socket_mode::slack_socket_mode(asio::any_io_executor ex, http_client& web, socket_mode_settings settings,
                                     slack_request_handler handler)
    : state_(std::make_shared<state>(std::move(ex), web, std::move(settings))) {
    auto& tls = state_->shared->tls;
    // The system trust store (OpenSSL honours SSL_CERT_FILE / SSL_CERT_DIR there).
    tls.set_default_verify_paths();
    tls.set_verify_mode(asio::ssl::verify_peer);
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    state_->shared->handler = std::move(handler);
    state_->shared->timeouts = state_->settings.timeouts;
}

slack_socket_mode::~slack_socket_mode() = default;

void slack_socket_mode::start() {
    const auto slots = static_cast<std::size_t>(std::max(1, state_->settings.connections));
    for (std::size_t slot = 0; slot < slots; ++slot) {
        state_->pauses.push_back(std::make_unique<asio::steady_timer>(state_->ex));
        asio::co_spawn(state_->ex, run_slot(state_, slot), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log_error("Socket Mode connection slot failed", {{"error", ex.what()}});
            }
        });
    }
}

void slack_socket_mode::stop() { state_->stop_all(); }

bool slack_socket_mode::busy() const {
    return state_->shared->envelopes_in_flight > 0 || state_->shared->connections_reading > 0;
}

socket_mode_settings socket_mode_settings_from(const app_config& config, std::string app_token) {
    socket_mode_settings s;
    s.api = config.slack_api;
    s.app_token = std::move(app_token);
    s.connections = config.slack_socket_connections;
    return s;
}

std::string socket_mode_credentials_problem(const char* bot_token, const char* app_token) {
    const std::string app = app_token ? app_token : "", bot = bot_token ? bot_token : "";
    constexpr const char* where =
        "  export SLACK_APP_TOKEN=xapp-...  # Slack app → Basic Information → App-Level Tokens, scope connections:write\n"
        "  export SLACK_BOT_TOKEN=xoxb-...  # Slack app → OAuth & Permissions → Bot User OAuth Token\n"
        "SLACK_SIGNING_SECRET is not needed in Socket Mode. README.md, section \"Slack Socket Mode\", walks through it.\n";
    if (app.empty() || bot.empty())
        return std::string("cxos: slack.mode is socket, so cxos needs the app-level token and the bot token:\n\n") + where;
    if (!app.starts_with("xapp-"))
        return std::string("cxos: SLACK_APP_TOKEN must be an app-level token (it starts with xapp-); a bot or user "
                           "token cannot open Socket Mode connections:\n\n") + where;
    return {};
}

std::string describe_slack_transport(const app_config& config) {
    if (config.slack_mode == app_config::slack_transport::socket)
        return "Slack: Socket Mode, " + std::to_string(config.slack_socket_connections) +
               " connections, no public URL needed (cxos dials Slack; /slack/events answers 404)\n";
    return "Slack Request URL (slash command, Interactivity, Event Subscriptions):\n"
           "  https://YOUR-HOST/slack/events\n";
}

} // namespace cxos::bot
