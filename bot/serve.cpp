#include "bot/serve.hpp"

#include "bot/app.hpp"
#include "bot/clock.hpp"
#include "bot/council_scheduler.hpp"
#include "bot/http_client.hpp"
#include "bot/inbox_worker.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"
#include "bot/slack_sender.hpp"
#include "bot/slack_socket_mode.hpp"
#include "bot/teams_sender.hpp"
#include "bot/spike_monitor.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

void apply_log_level() {
    const char* level = std::getenv("CXOS_LOG_LEVEL");
    if (!level) return;
    std::string l(level);
    if (l == "debug") set_log_level(log_level::debug);
    else if (l == "warn") set_log_level(log_level::warn);
    else if (l == "error") set_log_level(log_level::error);
}

constexpr const char* missing_secrets_help = R"(cxos needs your Slack app's credentials (or a Teams bot's) in the environment:

  export SLACK_SIGNING_SECRET=...   # Slack app → Basic Information → App Credentials → Signing Secret
  export SLACK_BOT_TOKEN=xoxb-...   # Slack app → OAuth & Permissions → Bot User OAuth Token

For Microsoft Teams (with or without Slack), the Azure Bot's registration:

  export MICROSOFT_APP_ID=...           # Azure Bot → Configuration → Microsoft App ID
  export MICROSOFT_APP_PASSWORD=...     # the app registration's client secret
  export MICROSOFT_APP_TENANT_ID=...    # single-tenant bots: the tenant id

No Slack app yet? At https://api.slack.com/apps choose "Create New App" → "From an app manifest",
paste manifests/slack-app.yaml (replace YOUR-HOST with this server's public HTTPS host), then
"Install to Workspace". README.md, section "Slack app", walks through it.
)";

// Stops accepting, lets in-flight requests finish their commits (bounded), then stops.
void shut_down_gracefully(asio::io_context& io, http_server& server, outbox_worker& outbox,
                          const slack_socket_mode* socket_mode) {
    server.stop_accepting();
    outbox.stop();
    auto timer = std::make_shared<asio::steady_timer>(io);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto check = std::make_shared<std::function<void()>>();
    *check = [&io, &server, socket_mode, timer, deadline, check] {
        const bool idle = server.active_requests() == 0 && (!socket_mode || !socket_mode->busy());
        if (idle || std::chrono::steady_clock::now() > deadline) {
            io.stop();
            *check = nullptr; // break the self-reference
            return;
        }
        timer->expires_after(std::chrono::milliseconds(20));
        timer->async_wait([check](auto) { if (*check) (*check)(); });
    };
    (*check)();
}

} // namespace

int serve(const std::string& config_path, std::optional<millis> test_clock_start) {
    apply_log_level();
    auto loaded = load_config_file(config_path);
    if (!loaded.ok()) {
        for (const auto& e : loaded.errors)
            std::cerr << config_path << ":" << (e.line > 0 ? std::to_string(e.line) + ":" : "")
                      << " error: " << e.message << "\n";
        std::cerr << "cxos: fix the config (cxos check-config " << config_path << ") and start again\n";
        return 2;
    }
    const app_config& config = loaded.config;

    const char* secret = std::getenv("SLACK_SIGNING_SECRET");
    const char* token = std::getenv("SLACK_BOT_TOKEN");
    const char* app_id_env = std::getenv("MICROSOFT_APP_ID");
    const bool teams_configured = app_id_env && *app_id_env;
    // Socket Mode needs no signing secret (nothing comes over HTTP), but the app-level token.
    const bool socket_mode = config.slack_mode == app_config::slack_transport::socket;
    const char* app_token = std::getenv("SLACK_APP_TOKEN");
    if (auto problem = socket_mode ? socket_mode_credentials_problem(token, app_token) : ""; !problem.empty()) {
        std::cerr << problem;
        return 1;
    }
    const bool slack_configured = socket_mode || secret || (token && *token);
    if (!slack_configured && !teams_configured) {
        std::cerr << missing_secrets_help;
        return 1;
    }
    if (slack_configured && !socket_mode && (!secret || !token || !*token)) {
        std::cerr << "cxos: Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or neither, for Teams only)\n\n"
                  << missing_secrets_help;
        return 1;
    }
    if (slack_configured && !socket_mode && !*secret) {
        std::cerr << "cxos: SLACK_SIGNING_SECRET is set but empty; refusing to serve unverified requests\n";
        return 1;
    }

    std::unique_ptr<teams::outgoing_webhook_verifier> teams_webhook;
    if (const char* webhook_token = std::getenv("TEAMS_WEBHOOK_SECRET"); webhook_token && *webhook_token) {
        try {
            teams_webhook = std::make_unique<teams::outgoing_webhook_verifier>(webhook_token);
        } catch (const std::invalid_argument&) {
            std::cerr << "cxos: TEAMS_WEBHOOK_SECRET is not the base64 security token Teams showed when the "
                         "outgoing webhook was created\n";
            return 1;
        }
    }
    std::optional<teams_credentials> teams_creds;
    if (const char* app_id = std::getenv("MICROSOFT_APP_ID"); app_id && *app_id) {
        const char* password = std::getenv("MICROSOFT_APP_PASSWORD");
        if (!password || !*password) {
            std::cerr << "cxos: MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not: the bot's client secret "
                         "(Azure → the bot's app registration → Certificates & secrets) is needed to post to Teams\n";
            return 1;
        }
        const char* tenant = std::getenv("MICROSOFT_APP_TENANT_ID");
        teams_creds = teams_credentials{app_id, password, tenant ? tenant : ""};
    }
    // Each ingest source's secret comes from the environment; a source without one is a
    // start-up error (a silently disabled source would 401 every signal its tool sends).
    std::unique_ptr<ingest::ingest_signature_verifier> ingest_verifier;
    if (!config.sources.empty()) {
        std::map<std::string, std::string> secrets;
        for (const auto& src : config.sources) {
            const char* value = std::getenv(src.secret_env.c_str());
            if (!value || !*value) {
                std::cerr << "cxos: source '" << src.name << "' takes its secret from " << src.secret_env
                          << ", which is not set (or empty); set it or remove the source from sources:\n";
                return 1;
            }
            secrets[src.name] = value;
        }
        ingest_verifier = std::make_unique<ingest::ingest_signature_verifier>(std::move(secrets));
    }
    // The dashboard exists only with a token: no token, no open door.
    std::unique_ptr<dashboard_auth> dashboard;
    if (const char* dashboard_token = std::getenv("CXOS_DASHBOARD_TOKEN"); dashboard_token && *dashboard_token)
        dashboard = std::make_unique<dashboard_auth>(dashboard_token);
    try {
        std::optional<slack::slack_signature_verifier> verifier;
        if (slack_configured && !socket_mode) verifier.emplace(secret);
        storage::commit_queue queue(storage::open_store(config.storage_url, {config.storage_max_size_mb}));
        asio::io_context io(1);
        http_client client(io.get_executor());
        slack_sender sender(client, config.slack_api, slack_configured ? token : "");
        clock_source time = test_clock_start ? clock_source::test_clock(*test_clock_start) : clock_source();
        if (time.is_test()) log_warn("test clock in use: POST /_test/clock moves it; never run this in production");
        auto now = [&time] { return time.now(); };
        auto seconds = [&time] { return time.now() / 1000; };
        std::unique_ptr<teams_connector> teams;
        std::unique_ptr<teams_sender> teams_out;
        if (teams_creds) {
            teams = std::make_unique<teams_connector>(io.get_executor(), client, config.teams, *teams_creds, seconds);
            teams_out = std::make_unique<teams_sender>(*teams);
        }
        outbox_settings outbox_options;
        outbox_options.slack_enabled = slack_configured;
        delivery_holds holds;
        outbox_worker outbox(io.get_executor(), queue, sender, config.journey, now, holds, outbox_options, teams_out.get());
        inbox_worker inbox(io.get_executor(), queue, sender, outbox, config, now);
        council_scheduler council(io.get_executor(), queue, outbox, config.council, now);
        spike_monitor spikes(io.get_executor(), queue, outbox, config, now);
        std::function<void(millis)> set_clock;
        if (time.is_test())
            set_clock = [&](millis at) {
                time.set(at);
                council.poke();
                spikes.poke();
                outbox.notify();
                inbox.notify();
            };
        app_services services{config, queue, verifier ? &*verifier : nullptr, outbox, sender, now, [&inbox] { inbox.notify(); },
                              teams_webhook.get(), teams.get(), set_clock, {}, ingest_verifier.get(), dashboard.get(), holds};
        if (const char* metrics_token = std::getenv("CXOS_METRICS_TOKEN")) services.metrics_token = metrics_token;
        metrics().set_stages(config.journey.stages);
        app application(services);
        std::unique_ptr<slack_socket_mode> slack_socket;
        if (socket_mode)
            slack_socket = std::make_unique<slack_socket_mode>(
                io.get_executor(), client, socket_mode_settings_from(config, app_token),
                [&application](slack::inbound request, int retry) { return application.slack_request(std::move(request), retry); });
        http_server server(io.get_executor(),
                           {asio::ip::make_address(config.listen_host), config.listen_port},
                           [&application](http_request& req) { return application.handle(req); });
        server.start();
        outbox.start();
        inbox.start();
        council.start();
        spikes.start();
        if (slack_socket) slack_socket->start();

        asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code& ec, int sig) {
            if (ec) return;
            log_info("shutting down", {{"signal", sig}});
            inbox.stop();
            council.stop();
            spikes.stop();
            if (slack_socket) slack_socket->stop();
            shut_down_gracefully(io, server, outbox, slack_socket.get());
        });

        // A closed terminal or `systemctl reload` sends SIGHUP, whose default is to end the process
        // without a word: the CX OS stays up and says what it did with the signal.
        asio::signal_set hangups(io, SIGHUP);
        std::function<void()> await_hangup = [&] {
            hangups.async_wait([&](const boost::system::error_code& ec, int) {
                if (ec) return;
                log_warn("SIGHUP received and ignored: cxos keeps serving with the configuration it started with; "
                         "restart it to apply a changed config");
                await_hangup();
            });
        };
        await_hangup();

        auto at = server.local_endpoint();
        const std::string address = at.address().to_string() + ":" + std::to_string(at.port());
        log_info("listening", {{"address", address}, {"storage", config.storage_url.substr(0, config.storage_url.find("://"))},
                               {"owners", config.journey.owners.size()}, {"rules", config.journey.rules.size()},
                               {"council", config.council.enabled() ? config.council.slack_channel : "off"},
                               {"teams", teams ? "bot framework" : teams_webhook ? "outgoing webhook" : "off"},
                               {"slack", !slack_configured ? "off" : socket_mode ? "socket mode" : "http"}});
        std::cout << "cxos " << CXOS_VERSION << " is listening on http://" << address << "\n"
                  << describe_slack_transport(config)
                  << (teams ? "Teams messaging endpoint (Azure Bot → Configuration):\n  https://YOUR-HOST/api/messages\n" : "")
                  << (!socket_mode || teams ? "where YOUR-HOST is the public HTTPS address that forwards to this port "
                                              "(a TLS reverse proxy or tunnel).\n" : "")
                  << std::flush;
        io.run();
        queue.stop(); // commit whatever was queued before the process ends
        log_info("stopped");
        return 0;
    } catch (const storage::store_error& e) {
        std::cerr << "cxos: storage: " << e.what() << "\n";
        return 1;
    } catch (const boost::system::system_error& e) {
        std::cerr << "cxos: cannot listen on " << config.listen_host << ":" << config.listen_port
                  << ": " << e.code().message() << "\n";
        return 1;
    }
}

} // namespace cxos::bot
