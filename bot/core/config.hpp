#pragma once
// cxos.yaml: the server's settings plus the journey map, owners and routing rules.
#include "commands/council_schedule.hpp"
#include "commands/grouping.hpp"
#include "commands/journey.hpp"
#include "commands/spike.hpp"
#include "commands/kpis.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cxos::bot {

// Where a remote peer lives, parsed once at start-up.
struct endpoint_url {
    std::string scheme; // "https", or "http" for loopback test peers
    std::string host;
    std::string port;
    std::string path; // no trailing slash, e.g. "/api"
    bool operator==(const endpoint_url&) const = default;
};

// The weekly Experience Council; off unless `council.slack_channel` is set.
struct council_config {
    std::string slack_channel; // members of this channel are the council
    std::string teams_channel; // Teams: the digest is also posted here; members vote on the cards
    council_schedule schedule; // default MON 09:00 UTC
    int max_items = 10;
    // Reactions on an item's reply that count as votes (names without colons or skin tones).
    std::vector<std::string> prioritise_reactions = {"+1", "thumbsup"};
    std::vector<std::string> not_now_reactions = {"-1", "thumbsdown"};

    // The top-level `economics`, copied here so the agenda shows cost beside the counts.
    economics_config economics;
    std::string slack_workspace; // its workspace when qualified ("T0123ABCD:C0COUNCIL"), else empty
    // The top-level `items`, copied here so the agenda reports which fixes held.
    item_policy items;

    bool enabled() const { return !slack_channel.empty() || !teams_channel.empty(); }
    // Where the council meets on one platform ("slack", "teams"); empty when not there.
    const std::string& channel_on(std::string_view platform) const {
        static const std::string none;
        return platform == "slack" ? slack_channel : platform == "teams" ? teams_channel : none;
    }
};

// Microsoft Teams over the Bot Framework; on when MICROSOFT_APP_ID is set in the environment.
struct teams_config {
    endpoint_url openid_metadata{"https", "login.botframework.com", "443", "/v1/.well-known/openidconfiguration"};
    // "{tenant}" is replaced by MICROSOFT_APP_TENANT_ID (single-tenant bots, the default now).
    std::string token_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
    // The only service URLs cxos sends its token to besides those a validated JWT vouched for.
    std::vector<std::string> service_url_allowlist = {"https://smba.trafficmanager.net/"};
    // Where to ask about a channel cxos never heard from (no serviceUrl of its own or of its
    // tenant): Microsoft's global endpoint for proactive calls. Unset, it is that endpoint when
    // allowlisted, else the first allowlist entry's /teams/ (a government cloud's endpoint).
    std::string proactive_service_url = "https://smba.trafficmanager.net/teams/";
    bool operator==(const teams_config&) const = default;
};

// Installing cxos into many Slack workspaces (OAuth v2), on when SLACK_CLIENT_ID is set.
struct slack_install_config {
    // The bot scopes asked for; the manifest's by default, `slack.install.scopes` may narrow them.
    std::vector<std::string> scopes = {"commands",       "chat:write",    "chat:write.public", "channels:history",
                                       "groups:history", "channels:join", "im:write",          "im:history",
                                       "reactions:read", "reactions:write", "channels:read",  "groups:read"};
    // Where "Add to Slack" sends the browser; configurable so tests can point it at a fake.
    std::string authorize_url = "https://slack.com/oauth/v2/authorize";
    // `slack.install.allowed_teams`: the workspaces (T…) and Enterprise Grid orgs (E…) cxos may be
    // installed into; empty: any.
    std::vector<std::string> allowed_teams;
};

// `dashboard:`: signing in to the dashboard with Slack or Microsoft (on when their client ids are
// set), who may see it then, and how long a session lasts.
struct dashboard_channel {
    std::string platform;  // "slack" or "teams"
    std::string workspace; // a Slack channel's workspace when qualified ("T0123ABCD:C0COUNCIL")
    std::string channel;
};
struct dashboard_config {
    // dashboard.signin: [slack, microsoft]: how people sign in; none: the shared token only.
    std::vector<std::string> signin;
    // Members of any of these channels may see the dashboard; none named: the council's and the
    // owners' channels (the people the dashboard's figures are about and for).
    std::vector<dashboard_channel> allowed_channels;
    int session_idle_hours = 12; // a session unused this long ends
    int session_days = 7;        // and every session ends this long after signing in
    // Slack's OpenID Connect pages (authorize, keys); the token and userInfo calls go to slack.api_url.
    std::string slack_openid_url = "https://slack.com/openid/connect";
    // Microsoft's: {base}/{tenant}/oauth2/v2.0/authorize|token and {base}/{tenant}/discovery/v2.0/keys.
    std::string microsoft_login_url = "https://login.microsoftonline.com";
    // Tenants whose people may sign in besides MICROSOFT_APP_TENANT_ID's.
    std::vector<std::string> microsoft_tenants;
};

// A tool allowed to POST /ingest/v1/signals, signing with the secret in env var `secret_env`.
struct ingest_source {
    std::string name; // X-Cxos-Source, and the signals' source.platform ("zendesk")
    std::string secret_env;
    bool operator==(const ingest_source&) const = default;
};

// `grouping:`: when a report joins an item whose words it shares (commands/grouping.hpp).
struct grouping_config {
    grouping_thresholds thresholds; // auto_join, suggest
    text_language language = text_language::en;
};

struct app_config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 3000;
    // server.busy_poll_us: how long the I/O thread polls for work before it sleeps (0: never, the
    // default: re-measured over 32 alternating pairs it gained nothing; see the README).
    int busy_poll_us = 0;
    std::string storage_url = "sqlite://./data/cxos.db";
    double storage_max_size_mb = 0; // storage.max_size_mb: 0 = no cap
    // storage.claim_lease_seconds: how long an outbox claim lasts unrenewed, so how soon another
    // instance takes over the rows of one that died (PostgreSQL with several instances).
    int storage_claim_lease_seconds = 30;
    endpoint_url slack_api{"https", "slack.com", "443", "/api"};
    // slack.hooks_url: where a click's response_url may point (hooks.slack-gov.com for GovSlack);
    // cxos answers through a response_url only on this origin, else with chat.postEphemeral.
    endpoint_url slack_hooks{"https", "hooks.slack.com", "443", ""};
    std::string slack_command = "/friction"; // the slash command this server answers
    // slack.mode: Slack calls POST /slack/events (http), or cxos dials Slack (socket: Socket Mode,
    // no public URL) and holds slack.connections WebSockets open (1–10, Slack allows 10 per app).
    enum class slack_transport { http, socket } slack_mode = slack_transport::http;
    int slack_socket_connections = 2;
    slack_install_config slack_install;
    std::string capture_reaction = "triangular_flag_on_post"; // reacting with it logs the message
    journey_config journey;
    // routing.suggestions_channel: where rule suggestions go to the CX lead (a Slack channel id, or
    // a Teams channel id "19:…"); empty: only `/friction stats routing` lists them.
    std::string routing_suggestions_channel;
    // routing.suggest_after_reroutes: how many items rerouted from one owner to the same other
    // owner, sharing a word, make a rule suggestion (2–1000). Two is a pattern only in a quiet
    // workspace; a busy one may want more before a rule is proposed.
    int routing_suggest_after_reroutes = 3;
    grouping_config grouping;
    council_config council;
    teams_config teams;
    std::vector<ingest_source> sources;
    spike_settings spikes; // spike alerts to owners: always on, defaults 3×, 5 reports, 7 days
    economics_config economics; // optional: what a customer contact costs
    item_policy items;          // fix verification and regressions (also copied into journey.items)
    std::string public_url;     // optional: how people reach cxos (the dashboard link), no trailing slash
    dashboard_config dashboard;
};

struct config_error {
    int line = 0; // 1-based; 0 when the error belongs to the whole file
    std::string message;
};

struct config_result {
    app_config config;
    std::vector<config_error> errors;
    bool ok() const { return errors.empty(); }
};

config_result load_config_file(const std::string& path);
config_result load_config_text(const std::string& yaml);

// "https://slack.com/api" -> parts; plain http only for loopback hosts. Empty error on success.
std::string parse_endpoint_url(const std::string& text, endpoint_url& out);

} // namespace cxos::bot
