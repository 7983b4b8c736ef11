// The `dashboard:` section: who may see the dashboard once signed in, sessions, and the sign-in
// providers' base URLs.
#include "adapters/slack/ids.hpp"
#include "adapters/teams/connector.hpp"
#include "bot/core/config_reader.hpp"

#include <algorithm>

namespace cxos::bot::detail {

namespace {

bool tenant_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

} // namespace

void config_reader::read_dashboard(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "dashboard must be a map, e.g. { allowed_channels: [C0COUNCIL] }");
    only_keys(n, "dashboard", {"signin", "allowed_channels", "session_idle_hours", "session_days", "slack_openid_url",
                               "microsoft_login_url", "microsoft_tenants"});
    auto& d = c.dashboard;
    if (n["signin"]) {
        for (const auto& [provider, at] : values(n["signin"], "dashboard.signin")) {
            if (provider == "slack" || provider == "microsoft") d.signin.push_back(provider);
            else error(at, "dashboard.signin has '" + provider + "': people sign in with slack or microsoft");
        }
    }
    if (n["allowed_channels"]) {
        for (const auto& [text, at] : values(n["allowed_channels"], "dashboard.allowed_channels")) {
            dashboard_channel ch;
            if (teams::is_well_formed_channel_id(text)) {
                ch.platform = "teams";
                ch.channel = text;
            } else {
                ch.platform = "slack";
                slack_channel(at, "dashboard.allowed_channels", ch.workspace, ch.channel);
                if (ch.workspace.empty() && !slack::is_id(ch.channel, slack::channel_prefixes))
                    error(at, "dashboard.allowed_channels has '" + text + "', neither a Slack channel id (C0COUNCIL, "
                              "T0123ABCD:C0COUNCIL) nor a Teams channel id (19:…@thread.tacv2)");
            }
            d.allowed_channels.push_back(ch);
        }
    }
    if (n["session_idle_hours"]) whole_number(n["session_idle_hours"], "dashboard.session_idle_hours", 1, 24 * 30, d.session_idle_hours);
    if (n["session_days"]) whole_number(n["session_days"], "dashboard.session_days", 1, 90, d.session_days);
    for (auto [key, out] : {std::pair{"slack_openid_url", &d.slack_openid_url}, std::pair{"microsoft_login_url", &d.microsoft_login_url}}) {
        if (!n[key]) continue;
        auto url = scalar(n[key], std::string("dashboard.") + key);
        endpoint_url parsed;
        if (auto problem = parse_endpoint_url(url, parsed); !problem.empty())
            error(n[key], std::string("dashboard.") + key + " " + problem);
        else {
            while (!url.empty() && url.back() == '/') url.pop_back();
            *out = url;
        }
    }
    if (n["microsoft_tenants"]) {
        for (const auto& [tenant, at] : values(n["microsoft_tenants"], "dashboard.microsoft_tenants")) {
            if (tenant.empty() || tenant.size() > 64 || !std::all_of(tenant.begin(), tenant.end(), tenant_char))
                error(at, "dashboard.microsoft_tenants has '" + tenant + "', which is not a tenant id (a GUID)");
            else d.microsoft_tenants.push_back(tenant);
        }
    }
}

} // namespace cxos::bot::detail
