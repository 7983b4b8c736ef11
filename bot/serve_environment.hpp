#pragma once
// What `cxos serve` takes from the environment: every secret, checked before anything starts.
// A half-configured platform is a start-up error with the fix, never a silently closed door.
#include "adapters/ingest/signature.hpp"
#include "adapters/slack/signature.hpp"
#include "adapters/teams/webhook.hpp"
#include "bot/core/config.hpp"
#include "bot/slack/slack_workspaces.hpp"
#include "bot/teams/teams_connector.hpp"
#include "bot/web/dashboard_auth.hpp"

#include <memory>
#include <optional>
#include <string>

namespace cxos::bot {

struct serve_environment {
    bool slack_on = false;                                         // Slack is configured, in either mode
    std::optional<slack::slack_signature_verifier> slack_verifier; // HTTP mode: POST /slack/events
    std::string slack_app_token;                                    // Socket Mode: xapp-…
    std::string slack_token;                                        // SLACK_BOT_TOKEN, may be empty with installs
    std::optional<slack_app_credentials> slack_app;                 // SLACK_CLIENT_ID: installs into workspaces
    std::optional<teams_credentials> teams;                         // the Bot Framework is configured
    std::unique_ptr<teams::outgoing_webhook_verifier> teams_webhook; // outgoing-webhook mode
    std::unique_ptr<ingest::ingest_signature_verifier> ingest;       // sources: are configured
    std::unique_ptr<dashboard_auth> dashboard;                       // CXOS_DASHBOARD_TOKEN or dashboard.signin
    // dashboard.signin: each provider's OAuth client (Slack: SLACK_CLIENT_ID/SECRET; Microsoft:
    // CXOS_MICROSOFT_CLIENT_ID/SECRET, else the bot's MICROSOFT_APP_ID/PASSWORD).
    std::optional<std::pair<std::string, std::string>> slack_signin, microsoft_signin;
    std::string microsoft_tenant; // MICROSOFT_APP_TENANT_ID
    std::string metrics_token;                                       // CXOS_METRICS_TOKEN, may be empty
};

// Reads and checks the environment for `config`; nothing (after printing why and how to fix it
// on stderr) when cxos cannot serve with it.
std::optional<serve_environment> read_serve_environment(const app_config& config);

} // namespace cxos::bot
