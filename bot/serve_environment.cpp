#include "bot/serve_environment.hpp"

#include "bot/slack/slack_socket_mode.hpp"

#include <cstdlib>
#include <iostream>
#include <map>

namespace cxos::bot {

namespace {

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

// SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Bolt's names) turn on "Add to Slack"; the tokens it
// brings are sealed with CXOS_ENCRYPTION_KEY, without which there is no install at all. Nothing
// (after saying why) on a half-configured install; an empty optional inside when it is off.
std::optional<std::optional<slack_app_credentials>> read_slack_app() {
    const char* id = std::getenv("SLACK_CLIENT_ID");
    const char* secret = std::getenv("SLACK_CLIENT_SECRET");
    const char* key = std::getenv("CXOS_ENCRYPTION_KEY");
    if ((!id || !*id) && (!secret || !*secret)) return std::optional<slack_app_credentials>();
    if (!id || !*id || !secret || !*secret) {
        std::cerr << "cxos: installing into workspaces needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Slack app → "
                     "Basic Information → App Credentials), or neither\n";
        return std::nullopt;
    }
    if (!key || !*key) {
        std::cerr << "cxos: SLACK_CLIENT_ID is set, so workspace tokens will be stored: set CXOS_ENCRYPTION_KEY to 32 "
                     "random bytes in base64 (openssl rand -base64 32) to seal them, and keep it: without it stored "
                     "tokens cannot be read\n";
        return std::nullopt;
    }
    std::string problem;
    auto box = secret_box::from_base64(key, problem);
    if (!box) {
        std::cerr << "cxos: CXOS_ENCRYPTION_KEY " << problem << "\n";
        return std::nullopt;
    }
    return std::optional<slack_app_credentials>(slack_app_credentials{id, secret, std::move(*box)});
}

} // namespace

std::optional<serve_environment> read_serve_environment(const app_config& config) {
    const char* secret = std::getenv("SLACK_SIGNING_SECRET");
    const char* token = std::getenv("SLACK_BOT_TOKEN");
    const char* app_id_env = std::getenv("MICROSOFT_APP_ID");
    const bool teams_configured = app_id_env && *app_id_env;
    // Socket Mode needs no signing secret (nothing comes over HTTP), but the app-level token.
    const bool socket_mode = config.slack_mode == app_config::slack_transport::socket;
    const char* app_token = std::getenv("SLACK_APP_TOKEN");
    auto slack_app = read_slack_app();
    if (!slack_app) return std::nullopt;
    const bool installs = slack_app->has_value();
    const bool has_token = token && *token;
    // With installs, the bot tokens come from the workspaces: SLACK_BOT_TOKEN becomes optional.
    const char* bot_token_given = has_token || !installs ? token : "(installed workspaces)";
    if (auto problem = socket_mode ? socket_mode_credentials_problem(bot_token_given, app_token) : ""; !problem.empty()) {
        std::cerr << problem;
        return std::nullopt;
    }
    const bool slack_configured = socket_mode || secret || has_token || installs;
    if (!slack_configured && !teams_configured) {
        std::cerr << missing_secrets_help;
        return std::nullopt;
    }
    if (slack_configured && !socket_mode && (!secret || (!has_token && !installs))) {
        std::cerr << (installs ? "cxos: installing into workspaces needs SLACK_SIGNING_SECRET too: Slack signs every request\n\n"
                               : "cxos: Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or neither, for Teams only)\n\n")
                  << missing_secrets_help;
        return std::nullopt;
    }
    if (slack_configured && !socket_mode && !*secret) {
        std::cerr << "cxos: SLACK_SIGNING_SECRET is set but empty; refusing to serve unverified requests\n";
        return std::nullopt;
    }

    std::unique_ptr<teams::outgoing_webhook_verifier> teams_webhook;
    if (const char* webhook_token = std::getenv("TEAMS_WEBHOOK_SECRET"); webhook_token && *webhook_token) {
        try {
            teams_webhook = std::make_unique<teams::outgoing_webhook_verifier>(webhook_token);
        } catch (const std::invalid_argument&) {
            std::cerr << "cxos: TEAMS_WEBHOOK_SECRET is not the base64 security token Teams showed when the "
                         "outgoing webhook was created\n";
            return std::nullopt;
        }
    }
    std::optional<teams_credentials> teams_creds;
    if (const char* app_id = std::getenv("MICROSOFT_APP_ID"); app_id && *app_id) {
        const char* password = std::getenv("MICROSOFT_APP_PASSWORD");
        if (!password || !*password) {
            std::cerr << "cxos: MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not: the bot's client secret "
                         "(Azure → the bot's app registration → Certificates & secrets) is needed to post to Teams\n";
            return std::nullopt;
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
                return std::nullopt;
            }
            secrets[src.name] = value;
        }
        ingest_verifier = std::make_unique<ingest::ingest_signature_verifier>(std::move(secrets));
    }
    // The dashboard exists only with a token or sign-in: neither, no open door.
    serve_environment out;
    for (const auto& provider : config.dashboard.signin) {
        if (provider == "slack") {
            if (!slack_app->has_value()) {
                std::cerr << "cxos: dashboard.signin names slack: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Slack "
                             "app → Basic Information → App Credentials), as for installing into workspaces\n";
                return std::nullopt;
            }
            out.slack_signin.emplace((*slack_app)->client_id, (*slack_app)->client_secret);
            continue;
        }
        const char* id = std::getenv("CXOS_MICROSOFT_CLIENT_ID");
        const char* client_secret = std::getenv("CXOS_MICROSOFT_CLIENT_SECRET");
        if (!id || !*id) {
            id = std::getenv("MICROSOFT_APP_ID");
            client_secret = std::getenv("MICROSOFT_APP_PASSWORD");
        }
        const char* tenant = std::getenv("MICROSOFT_APP_TENANT_ID");
        if (!id || !*id || !client_secret || !*client_secret) {
            std::cerr << "cxos: dashboard.signin names microsoft: set CXOS_MICROSOFT_CLIENT_ID and "
                         "CXOS_MICROSOFT_CLIENT_SECRET (an Entra app registration with a Web redirect URI), or "
                         "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to use the bot's own\n";
            return std::nullopt;
        }
        if ((!tenant || !*tenant) && config.dashboard.microsoft_tenants.empty()) {
            std::cerr << "cxos: dashboard.signin names microsoft: set MICROSOFT_APP_TENANT_ID or "
                         "dashboard.microsoft_tenants, the tenants whose people may sign in\n";
            return std::nullopt;
        }
        out.microsoft_signin.emplace(id, client_secret);
        out.microsoft_tenant = tenant ? tenant : "";
    }
    std::unique_ptr<dashboard_auth> dashboard;
    const char* dashboard_token = std::getenv("CXOS_DASHBOARD_TOKEN");
    if ((dashboard_token && *dashboard_token) || !config.dashboard.signin.empty())
        dashboard = std::make_unique<dashboard_auth>(dashboard_token ? dashboard_token : "");
    out.slack_on = slack_configured;
    if (has_token) out.slack_token = token;
    out.slack_app = std::move(*slack_app);
    if (socket_mode) out.slack_app_token = app_token;
    else if (slack_configured) out.slack_verifier.emplace(secret);
    out.teams = std::move(teams_creds);
    out.teams_webhook = std::move(teams_webhook);
    out.ingest = std::move(ingest_verifier);
    out.dashboard = std::move(dashboard);
    if (const char* metrics_token = std::getenv("CXOS_METRICS_TOKEN")) out.metrics_token = metrics_token;
    return out;
}

} // namespace cxos::bot
