#include "bot/serve.hpp"

#include "bot/core/clock.hpp"
#include "bot/core/live_config.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/ingest/ingest_endpoint.hpp"
#include "bot/ops/ops_endpoints.hpp"
#include "bot/serve_environment.hpp"
#include "bot/server/busy_poll.hpp"
#include "bot/server/http_client.hpp"
#include "bot/server/router.hpp"
#include "bot/services/grouping_index.hpp"
#include "bot/slack/inbox_worker.hpp"
#include "bot/slack/slack_endpoint.hpp"
#include "bot/slack/slack_install_endpoint.hpp"
#include "bot/slack/slack_outbox_sender.hpp"
#include "bot/slack/slack_socket_mode.hpp"
#include "bot/teams/teams_bot_endpoint.hpp"
#include "bot/teams/teams_sender.hpp"
#include "bot/teams/teams_webhook_endpoint.hpp"
#include "bot/signin/signin_endpoint.hpp"
#include "bot/slack/slack_membership.hpp"
#include "bot/teams/teams_membership.hpp"
#include "bot/web/dashboard_endpoint.hpp"
#include "bot/workers/council_scheduler.hpp"
#include "bot/workers/outbox_worker.hpp"
#include "bot/workers/spike_monitor.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <unistd.h>

namespace cxos::bot {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

void apply_log_level() {
    const char* level = std::getenv("CXOS_LOG_LEVEL");
    if (!level) return;
    std::string l(level);
    if (l == "debug") set_log_level(log_level::debug);
    else if (l == "warn") set_log_level(log_level::warn);
    else if (l == "error") set_log_level(log_level::error);
}

// The io_context is made before the connector, the outbox and the rest its work points into, so
// it is destroyed after them, and its destructor destroys what is still queued or suspended: an
// outbox send waiting on a Teams token, say, whose frame ends by touching the connector. By then
// the connector is gone (a use after free ASan caught), so serve() destroys that work
// (destroy_pending_work) while every object it points into is still alive.
class serve_io_context : public asio::io_context {
  public:
    using asio::io_context::io_context;
    void destroy_pending_work() { shutdown(); }
};

// Stops accepting, lets in-flight requests finish their commits and the outbox's attempts
// finish (bounded), then stops: an attempt cut short would leave its row claimed, which another
// instance on the same database (or this one, moved to PostgreSQL) waits out for a whole lease.
void shut_down_gracefully(asio::io_context& io, http_server& server, outbox_worker& outbox,
                          const slack_socket_mode* socket_mode) {
    server.stop_accepting();
    outbox.stop();
    auto timer = std::make_shared<asio::steady_timer>(io);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto check = std::make_shared<std::function<void()>>();
    *check = [&io, &server, &outbox, socket_mode, timer, deadline, check] {
        const bool idle = server.active_requests() == 0 && !outbox.sending() && (!socket_mode || !socket_mode->busy());
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

// Names this process's outbox claims in the database: the host and pid say which instance holds
// a row, the random part keeps a restarted instance (a reused pid in a new container) apart.
std::string instance_name() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::uniform_int_distribution<unsigned> hex(0, 0xffff);
    std::random_device seed;
    char tail[8];
    std::snprintf(tail, sizeof tail, "%04x", hex(seed));
    return std::string(host) + ":" + std::to_string(::getpid()) + ":" + tail;
}

} // namespace

int serve(const std::string& config_path, std::optional<millis> test_clock_start, bool test_hooks) {
    apply_log_level();
    auto loaded = load_config_file(config_path);
    if (!loaded.ok()) {
        for (const auto& e : loaded.errors)
            std::cerr << config_path << ":" << (e.line > 0 ? std::to_string(e.line) + ":" : "") << " error: " << e.message
                      << "\n";
        std::cerr << "cxos: fix the config (cxos check-config " << config_path << ") and start again\n";
        return 2;
    }
    // Reloads (SIGHUP) swap `live`; `config` is the snapshot cxos started with, read only for
    // what a reload cannot change (the listener, storage, the platforms' clients).
    live_config live(std::move(loaded.config));
    const config_snapshot started_with = live.get();
    const app_config& config = *started_with;
    auto env = read_serve_environment(config);
    if (!env) return 1;
    try {
        // On PostgreSQL several instances may serve one database; a SQLite file has one server.
        const bool shared = storage::shared_by_instances(config.storage_url);
        // Declared before the queue, whose jobs use it until the queue stops.
        grouping_index grouping(config.grouping, config.journey.items);
        storage::commit_queue queue(storage::open_store(config.storage_url, {config.storage_max_size_mb, !shared}));
        serve_io_context io(1);
        // A batch's callers hear their outcome in one hand-over to the I/O thread.
        queue.run_completions_with([ex = io.get_executor()](std::function<void()> outcomes) {
            asio::post(ex, std::move(outcomes));
        });
        queue.observe_commits_with([](std::chrono::nanoseconds took) { metrics().observe_commit(took); });
        // However serve() leaves (a port already taken throws while the grouping index loads), the
        // queue finishes its last batch while the io_context its outcomes are posted to still exists.
        struct queue_stopper {
            storage::commit_queue& queue;
            ~queue_stopper() { queue.stop(); }
        } stop_queue_before_io{queue};
        http_client client(io.get_executor());
        clock_source time = test_clock_start ? clock_source::test_clock(*test_clock_start) : clock_source();
        if (time.is_test()) log_warn("test clock in use: POST /_test/clock moves it; never run this in production");
        auto now = [&time] { return time.now(); };
        auto seconds = [&time] { return time.now() / 1000; };

        // The outbox and one sender per configured platform; rows for a platform that is not
        // configured become dead letters that say how to configure it.
        delivery_holds holds;
        outbox_settings outbox_options;
        outbox_options.instance = instance_name();
        outbox_options.claim_lease = config.storage_claim_lease_seconds * 1000LL;
        outbox_options.sole_server = !shared;
        outbox_worker outbox(io.get_executor(), queue, live, now, holds, outbox_options);
        slack_workspaces workspaces(io.get_executor(), client, config.slack_api, env->slack_token,
                                    std::move(env->slack_app), queue);
        slack_sender slack_api(client, config.slack_api, workspaces, config.slack_hooks);
        slack_outbox_sender slack_out(slack_api);
        if (env->slack_on) outbox.add_sender(slack_out);
        else
            outbox.add_unavailable("slack", "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or "
                                            "give the owner a Teams channel");
        std::unique_ptr<teams_connector> teams;
        std::unique_ptr<teams_sender> teams_out;
        if (env->teams) {
            teams = std::make_unique<teams_connector>(io.get_executor(), client, config.teams, *env->teams, seconds);
            teams_out = std::make_unique<teams_sender>(*teams);
            outbox.add_sender(*teams_out);
        } else {
            outbox.add_unavailable("teams", "no Teams connector: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD "
                                            "(outgoing-webhook mode cannot post proactively)");
        }

        // The neutral services, and the workers that run on their own.
        // Grouping's index is used on the storage thread only; its load is the first job there, so
        // it is in place before any report is logged.
        queue.submit({[&grouping, &now](storage::store& st) { grouping.load(st, now()); }, nullptr});
        service_deps deps{queue, live, outbox, holds, now, &grouping};
        capture_service capture(deps);
        triage_service triage(deps);
        council_service council(deps);
        command_service commands(deps, capture, council, env->dashboard != nullptr);
        inbox_worker inbox(io.get_executor(), queue, slack_api, outbox, holds, live, now, &grouping);
        council_scheduler scheduler(io.get_executor(), queue, outbox, live, now);
        spike_monitor spikes(io.get_executor(), queue, outbox, live, now);
        metrics().set_stages(config.journey.stages);

        // The route table: each surface is there only when configured.
        router routes;
        const std::vector<http::verb> post{http::verb::post}, get{http::verb::get};
        std::unique_ptr<endpoint> slack_ep, teams_ep, webhook_ep, ingest_ep, dashboard_ep, api_ep, clock_ep, settle_ep;
        slack_requests slack_handler(slack_api, deps, commands, capture, triage, council, [&inbox] { inbox.notify(); });
        std::unique_ptr<slack_socket_mode> slack_socket;
        if (env->slack_verifier) {
            slack_ep = std::make_unique<slack_http_endpoint>(*env->slack_verifier, slack_handler);
            routes.add({"/slack/events", false, post, slack_ep.get(), true, true, ""});
        } else {
            routes.add_off("/slack/events", "Slack is off here (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN), or runs "
                                            "in Socket Mode");
        }
        if (!env->slack_app_token.empty()) {
            // The same handler as POST /slack/events.
            slack_socket = std::make_unique<slack_socket_mode>(
                io.get_executor(), client, socket_mode_settings_from(config, env->slack_app_token),
                [&slack_handler](slack::inbound request, int retry) {
                    return slack_handler.handle_without_router(std::move(request), retry);
                });
        }
        std::unique_ptr<endpoint> install_ep; // "Add to Slack": many workspaces
        if (workspaces.installable()) {
            install_ep = std::make_unique<slack_install_endpoint>(workspaces, live, queue, now);
            routes.add({"/slack/install", false, get, install_ep.get(), false, false, ""});
            routes.add({"/slack/oauth_redirect", false, get, install_ep.get(), false, false, ""});
        } else {
            routes.add_off("/slack/install", "installing into Slack workspaces is off (set SLACK_CLIENT_ID, "
                                             "SLACK_CLIENT_SECRET and CXOS_ENCRYPTION_KEY)");
        }
        if (teams) {
            teams_ep = std::make_unique<teams_bot_endpoint>(*teams, deps, commands, capture, triage, council, !shared);
            routes.add({"/api/messages", false, post, teams_ep.get(), true, true, ""});
        } else {
            routes.add_off("/api/messages", "the Teams Bot Framework connector is off (set MICROSOFT_APP_ID)");
        }
        if (env->teams_webhook) {
            webhook_ep = std::make_unique<teams_webhook_endpoint>(live, *env->teams_webhook, capture, now);
            routes.add({"/teams/webhook", false, post, webhook_ep.get(), true, true, ""});
        } else {
            routes.add_off("/teams/webhook", "Teams outgoing-webhook mode is off (set TEAMS_WEBHOOK_SECRET)");
        }
        if (env->ingest) {
            ingest_ep = std::make_unique<ingest_endpoint>(live, *env->ingest, capture, now);
            routes.add({"/ingest/v1/signals", false, post, ingest_ep.get(), true, true, ""});
        } else {
            routes.add_off("/ingest/v1/signals", "no ingest sources are configured (sources: in cxos.yaml)");
        }
        // Signing in as a person (dashboard.signin): sessions, the allow-list asked through each
        // platform's membership, and one OpenID Connect endpoint for every provider.
        slack_membership slack_members(slack_api);
        std::unique_ptr<teams_roster_membership> teams_members;
        std::unique_ptr<dashboard_access> access;
        std::unique_ptr<dashboard_sessions> sessions;
        std::unique_ptr<endpoint> signin_ep;
        if (env->dashboard && !config.dashboard.signin.empty()) {
            if (teams) teams_members = std::make_unique<teams_roster_membership>(*teams, config.teams, queue);
            access = std::make_unique<dashboard_access>(
                config, std::map<std::string, membership*>{{"slack", &slack_members}, {"teams", teams_members.get()}}, now);
            sessions = std::make_unique<dashboard_sessions>(queue, config, now);
            std::vector<signin_provider> providers;
            std::vector<std::pair<std::string, std::string>> links;
            if (env->slack_signin)
                providers.push_back(slack_signin_provider(config, env->slack_signin->first, env->slack_signin->second));
            if (env->microsoft_signin)
                providers.push_back(microsoft_signin_provider(config, env->microsoft_signin->first,
                                                              env->microsoft_signin->second, env->microsoft_tenant));
            for (const auto& p : providers) links.emplace_back(p.name, p.label);
            env->dashboard->use_signin(*sessions, *access, std::move(links));
            signin_ep = std::make_unique<signin_endpoint>(std::move(providers), *sessions, *access, client, config, queue, now);
            routes.add({"/dashboard/signin/", true, get, signin_ep.get(), false, false, "/dashboard/signin"});
        }
        if (env->dashboard) {
            dashboard_ep = std::make_unique<dashboard_endpoint>(*env->dashboard, live);
            api_ep = std::make_unique<kpi_api_endpoint>(*env->dashboard, deps);
            routes.add({"/dashboard", false, get, dashboard_ep.get(), false, false, ""});
            routes.add({"/dashboard/login", false, std::vector{http::verb::get, http::verb::post}, dashboard_ep.get(), false,
                        false, ""});
            routes.add({"/dashboard/signout", false, post, dashboard_ep.get(), false, false, ""});
            // Its GET is the confirm page, which only sign-in's per-person sessions have.
            routes.add({"/dashboard/signout-everywhere", false,
                        env->dashboard->signin() ? std::vector{http::verb::get, http::verb::post} : post, dashboard_ep.get(),
                        false, false, ""});
            routes.add({"/dashboard/", true, get, dashboard_ep.get(), false, false, "/dashboard"});
            for (const char* path : {"/api/v1/kpis", "/api/v1/items", "/api/v1/export.csv"})
                routes.add({path, false, get, api_ep.get(), false, false, ""});
            routes.add({"/api/v1/items/", true, get, api_ep.get(), false, false, "/api/v1/items/<id>"});
            routes.add({"/api/v1/", true, get, api_ep.get(), false, false, "other"});
        }
        health_endpoint health(queue, holds, now);
        routes.add({"/healthz", false, get, &health, false, false, ""});
        metrics_endpoint metrics_ep(queue, holds, outbox.platforms(), env->metrics_token, now);
        routes.add({"/metrics", false, get, &metrics_ep, false, true, ""});
        if (time.is_test()) {
            clock_ep = std::make_unique<test_clock_endpoint>(time, [&] {
                scheduler.poke();
                spikes.poke();
                outbox.notify();
                inbox.notify();
            });
            routes.add({"/_test/clock", false, post, clock_ep.get(), false, false, ""});
        }
        if (test_hooks || time.is_test()) {
            settle_ep = std::make_unique<test_settle_endpoint>(
                io.get_executor(),
                [&] {
                    scheduler.poke();
                    spikes.poke();
                    outbox.notify();
                    inbox.notify();
                },
                [&] { return outbox.idle() && inbox.idle() && scheduler.idle() && spikes.idle(); });
            routes.add({"/_test/settle", false, post, settle_ep.get(), false, false, ""});
        }

        http_server server(io.get_executor(), {asio::ip::make_address(config.listen_host), config.listen_port},
                           [&routes](http_request& req) { return routes.handle(req); });
        server.start();
        outbox.start();
        inbox.start();
        scheduler.start();
        spikes.start();
        if (slack_socket) slack_socket->start();

        // Fixed items past the regression window leave grouping's index hourly, in a job of their
        // own: the walk over every item stays off the request path.
        asio::steady_timer grouping_prune(io);
        std::function<void()> prune_hourly = [&] {
            grouping_prune.expires_after(std::chrono::hours(1));
            grouping_prune.async_wait([&](const boost::system::error_code& ec) {
                if (ec) return;
                queue.submit({[&grouping, &now](storage::store&) { grouping.prune(now()); }, nullptr});
                prune_hourly();
            });
        };
        prune_hourly();

        asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code& ec, int sig) {
            if (ec) return;
            log_info("shutting down", {{"signal", sig}});
            grouping_prune.cancel();
            inbox.stop();
            scheduler.stop();
            spikes.stop();
            if (slack_socket) slack_socket->stop();
            shut_down_gracefully(io, server, outbox, slack_socket.get());
        });
        // SIGHUP (`systemctl reload`) reads the config file again. Requests and worker passes under
        // way finish with the snapshot they took; the next ones take the new one. A bad file
        // changes nothing. What lives outside the snapshot is told here.
        asio::signal_set hangups(io, SIGHUP);
        std::function<void()> await_hangup = [&] {
            hangups.async_wait([&](const boost::system::error_code& ec, int) {
                if (ec) return;
                log_info("SIGHUP received: reloading the config", {{"file", config_path}});
                if (reload_config(live, config_path).applied()) {
                    queue.submit({[&grouping, t = live.get()->grouping.thresholds](storage::store&) {
                                      grouping.set_thresholds(t);
                                  },
                                  nullptr});
                    scheduler.start(); // a council set up by this reload
                    scheduler.poke();
                    spikes.poke();
                }
                await_hangup();
            });
        };
        await_hangup();

        auto at = server.local_endpoint();
        const std::string address = at.address().to_string() + ":" + std::to_string(at.port());
        log_info("listening", {{"address", address}, {"storage", config.storage_url.substr(0, config.storage_url.find("://"))},
                               {"instance", outbox_options.instance},
                               {"owners", config.journey.owners.size()}, {"rules", config.journey.rules.size()},
                               {"council", config.council.enabled() ? config.council.slack_channel : "off"},
                               {"teams", teams ? "bot framework" : env->teams_webhook ? "outgoing webhook" : "off"},
                               {"slack", !env->slack_on ? "off" : slack_socket ? "socket mode" : "http"}});
        const std::string host = config.public_url.empty() ? "https://YOUR-HOST" : config.public_url;
        std::cout << "cxos " << CXOS_VERSION << " is listening on http://" << address << "\n";
        if (env->slack_verifier)
            std::cout << "Slack Request URL (slash command, Interactivity, Event Subscriptions):\n  " << host
                      << "/slack/events\n";
        else if (slack_socket)
            std::cout << describe_slack_transport(config);
        if (workspaces.installable())
            std::cout << "Add to Slack (install into a workspace), and the app's OAuth Redirect URL:\n  " << host
                      << "/slack/install\n  " << host << "/slack/oauth_redirect\n";
        if (teams) std::cout << "Teams messaging endpoint (Azure Bot → Configuration):\n  " << host << "/api/messages\n";
        for (const auto& provider : config.dashboard.signin)
            std::cout << "Dashboard sign-in with " << provider << ", its redirect URL:\n  " << host << "/dashboard/signin/"
                      << provider << "/callback\n";
        if (config.public_url.empty() && (env->slack_verifier || teams))
            std::cout << "where YOUR-HOST is the public HTTPS address that forwards to this port "
                         "(a TLS reverse proxy or tunnel; set public_url in the config to print it here).\n";
        std::cout << std::flush;
        busy_poll(std::chrono::microseconds(config.busy_poll_us)).run(io);
        queue.stop(); // commit whatever was queued before the process ends
        io.destroy_pending_work();
        log_info("stopped");
        return 0;
    } catch (const storage::store_error& e) {
        std::cerr << "cxos: storage: " << e.what() << "\n";
        return 1;
    } catch (const boost::system::system_error& e) {
        std::cerr << "cxos: cannot listen on " << config.listen_host << ":" << config.listen_port << ": "
                  << e.code().message() << "\n";
        return 1;
    }
}

} // namespace cxos::bot
