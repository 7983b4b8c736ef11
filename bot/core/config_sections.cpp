// The config sections beyond the journey: Teams, ingest sources, spike alerts, items (fix
// verification and regressions), economics and the public URL.
#include "bot/core/config_reader.hpp"
#include "adapters/slack/ids.hpp"
#include "adapters/teams/connector.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace cxos::bot::detail {

void config_reader::read_teams(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "teams must be a map");
    only_keys(n, "teams", {"openid_metadata_url", "token_url", "service_url_allowlist", "proactive_service_url"});
    auto& t = c.teams;
    if (n["openid_metadata_url"]) {
        auto problem = parse_endpoint_url(scalar(n["openid_metadata_url"], "teams.openid_metadata_url"), t.openid_metadata);
        if (!problem.empty()) error(n["openid_metadata_url"], "teams.openid_metadata_url " + problem);
    }
    if (n["token_url"]) {
        t.token_url = scalar(n["token_url"], "teams.token_url");
        endpoint_url parsed;
        std::string checked = t.token_url; // "{tenant}" is filled in at start-up
        if (auto at = checked.find("{tenant}"); at != std::string::npos) checked.replace(at, 8, "tenant");
        auto problem = parse_endpoint_url(checked, parsed);
        if (!problem.empty()) error(n["token_url"], "teams.token_url " + problem);
    }
    if (n["service_url_allowlist"]) {
        t.service_url_allowlist.clear();
        for (const auto& [url, at] : values(n["service_url_allowlist"], "teams.service_url_allowlist")) {
            endpoint_url parsed;
            auto problem = parse_endpoint_url(url, parsed);
            if (!problem.empty()) error(at, "teams.service_url_allowlist " + problem);
            else t.service_url_allowlist.push_back(url.back() == '/' ? url : url + "/");
        }
    }
    if (n["proactive_service_url"]) {
        auto url = scalar(n["proactive_service_url"], "teams.proactive_service_url");
        endpoint_url parsed;
        auto problem = parse_endpoint_url(url, parsed);
        if (!problem.empty()) return error(n["proactive_service_url"], "teams.proactive_service_url " + problem);
        if (url.back() != '/') url += '/';
        // The bot's token goes there.
        if (!teams::service_url_allowed(url, t.service_url_allowlist))
            return error(n["proactive_service_url"],
                         "teams.proactive_service_url must start with a teams.service_url_allowlist entry");
        t.proactive_service_url = url;
    } else if (!teams::service_url_allowed(t.proactive_service_url, t.service_url_allowlist)) {
        // A government cloud's allowlist names its host; its proactive endpoint is that host's
        // /teams/, as Microsoft's global one is.
        t.proactive_service_url = t.service_url_allowlist.empty() ? "" : t.service_url_allowlist.front();
        auto& p = t.proactive_service_url;
        if (!p.empty() && !p.ends_with("/teams/")) p += "teams/"; // entries end in '/' (above)
    }
}

void config_reader::slack_channel(const YAML::Node& n, const std::string& what, std::string& workspace,
                                  std::string& channel) {
    auto text = scalar(n, what);
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        channel = text; // the default workspace's channel, as before workspaces could be named
        return;
    }
    workspace = text.substr(0, colon);
    channel = text.substr(colon + 1);
    // A typo here would post into the wrong workspace or nowhere: both halves must be Slack ids.
    if (!slack::is_id(workspace, slack::team_prefixes) || !slack::is_id(channel, slack::channel_prefixes))
        error(n, what + " must be a channel id (C0BILLING) or a workspace and a channel id (T0123ABCD:C0BILLING)");
}

void config_reader::read_slack_install(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "slack.install must be a map, e.g. { scopes: [commands, chat:write] }");
    only_keys(n, "slack.install", {"scopes", "authorize_url", "allowed_teams"});
    auto& install = c.slack_install;
    if (n["scopes"]) {
        install.scopes.clear();
        for (const auto& [scope, at] : values(n["scopes"], "slack.install.scopes")) {
            // Scopes travel in the authorize link's query: only Slack's scope alphabet.
            if (scope.empty() || scope.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789:._-") != std::string::npos)
                error(at, "slack.install.scopes has '" + scope + "', which is not a Slack scope (e.g. chat:write)");
            else install.scopes.push_back(scope);
        }
    }
    if (n["allowed_teams"]) {
        for (const auto& [team, at] : values(n["allowed_teams"], "slack.install.allowed_teams")) {
            if (!slack::is_id(team, slack::team_prefixes))
                error(at, "slack.install.allowed_teams has '" + team + "', which is not a workspace id (T0123ABCD) "
                          "or an Enterprise Grid org id (E0123ABCD)");
            else install.allowed_teams.push_back(team);
        }
    }
    if (n["authorize_url"]) {
        auto url = scalar(n["authorize_url"], "slack.install.authorize_url");
        endpoint_url parsed;
        auto problem = parse_endpoint_url(url, parsed);
        if (!problem.empty()) error(n["authorize_url"], "slack.install.authorize_url " + problem);
        else install.authorize_url = url;
    }
}

void config_reader::read_sources(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "sources must map each source to its secret, e.g. zendesk: { secret_env: ZENDESK_SECRET }");
    for (const auto& kv : n) {
        ingest_source src{kv.first.as<std::string>(), ""};
        const std::string label = "source '" + src.name + "'";
        const bool good_name = !src.name.empty() && src.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") ==
                                                        std::string::npos;
        if (!good_name) error(kv.first, label + ": use lower-case letters, digits, - and _");
        // Chat platforms are sources too (source.platform): a webhook must not pose as one.
        else if (source_kind_of(src.name) == source_kind::chat) error(kv.first, label + " is a chat platform name");
        only_keys(kv.second, label, {"secret_env"});
        if (kv.second.IsMap() && kv.second["secret_env"]) src.secret_env = scalar(kv.second["secret_env"], label + " secret_env");
        if (src.secret_env.empty()) error(kv.first, label + " needs secret_env: the environment variable holding its secret");
        else if (src.secret_env.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
            error(kv.second["secret_env"], label + ": secret_env must name an environment variable (A-Z, 0-9, _), not hold the secret");
        c.sources.push_back(std::move(src));
    }
}

// A whole number in [low, high]; false (and an error) otherwise.
bool config_reader::whole_number(const YAML::Node& n, std::string_view what, int low, int high, int& out) {
    auto text = scalar(n, what);
    int v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < low || v > high) {
        error(n, std::string(what) + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
        return false;
    }
    out = v;
    return true;
}

void config_reader::read_spikes(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "spikes must be a map, e.g. { factor: 3, min_reports: 5, baseline_days: 7 }");
    only_keys(n, "spikes", {"factor", "min_reports", "baseline_days"});
    if (n["factor"]) {
        auto text = scalar(n["factor"], "spikes.factor");
        char* end = nullptr;
        double f = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !(f >= 1.0 && f <= 100.0))
            error(n["factor"], "spikes.factor must be a number from 1 to 100");
        else c.spikes.factor = f;
    }
    if (n["min_reports"]) whole_number(n["min_reports"], "spikes.min_reports", 1, 100000, c.spikes.min_reports);
    if (n["baseline_days"]) whole_number(n["baseline_days"], "spikes.baseline_days", 1, 90, c.spikes.baseline_days);
}

void config_reader::read_items(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "items must be a map, e.g. { fix_holds_share: 0.2, regression_window_days: 60 }");
    only_keys(n, "items", {"fix_holds_share", "regression_window_days"});
    if (n["fix_holds_share"]) {
        auto text = scalar(n["fix_holds_share"], "items.fix_holds_share");
        double v = -1;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        // 1 would call a fix that changed nothing a success; 0 allows no report at all after it.
        if (ec != std::errc() || p != text.data() + text.size() || !(v >= 0 && v < 1))
            error(n["fix_holds_share"], "items.fix_holds_share must be a share from 0 up to (not including) 1, e.g. 0.2");
        else c.items.fix_holds_share = v;
    }
    if (n["regression_window_days"])
        whole_number(n["regression_window_days"], "items.regression_window_days", 1, 3650, c.items.regression_window_days);
}

void config_reader::read_grouping(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "grouping must be a map, e.g. { auto_join: 0.46, suggest: 0.12, language: en }");
    only_keys(n, "grouping", {"auto_join", "suggest", "language"});
    auto& t = c.grouping.thresholds;
    auto fraction = [&](const char* key, double& out) {
        if (!n[key]) return;
        const std::string what = std::string("grouping.") + key;
        auto text = scalar(n[key], what);
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !(v > 0.0 && v <= 1.0)) error(n[key], what + " must be a number above 0 and at most 1");
        else out = v;
    };
    fraction("auto_join", t.auto_join);
    fraction("suggest", t.suggest);
    // Suggestions sit below joins: with suggest at or above auto_join nothing would ever be offered.
    if (!(t.suggest < t.auto_join))
        error(n, "grouping.suggest must be below grouping.auto_join (defaults 0.12 and 0.46)");
    if (n["language"]) {
        auto code = scalar(n["language"], "grouping.language");
        if (auto lang = parse_text_language(code)) c.grouping.language = *lang;
        else error(n["language"], unsupported_language_message(code));
    }
}

// A non-negative amount of money, e.g. 6.50.
std::optional<double> config_reader::amount(const YAML::Node& n, const std::string& what) {
    auto text = scalar(n, what);
    double v = -1;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) || v < 0) {
        error(n, what + " must be an amount of 0 or more, e.g. 6.50");
        return std::nullopt;
    }
    return v;
}

// `sources` / `channels`: a name → cost per contact map.
void config_reader::overrides(const YAML::Node& n, const std::string& what, const char* key, const char* example,
                              std::map<std::string, double>& out) {
    if (!n) return;
    if (!n.IsMap()) return error(n, what + " must map " + key + " to its cost per contact, e.g. " + example);
    for (const auto& kv : n) {
        auto name = kv.first.as<std::string>();
        if (auto v = amount(kv.second, what + "." + name)) out[name] = *v;
    }
}

void config_reader::read_economics(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "economics must be a map, e.g. { cost_per_contact: 6.50, currency: EUR }");
    only_keys(n, "economics", {"cost_per_contact", "currency", "sources", "channels"});
    auto& e = c.economics;
    if (!n["cost_per_contact"]) error(n, "economics.cost_per_contact is required: what one customer contact costs");
    else if (auto v = amount(n["cost_per_contact"], "economics.cost_per_contact")) e.cost_per_contact = *v;
    if (n["currency"]) {
        auto code = scalar(n["currency"], "economics.currency");
        if (code.size() == 3 && std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
            e.currency = code;
        else error(n["currency"], "economics.currency must be a three-letter ISO 4217 code in capitals, e.g. EUR");
    }
    overrides(n["sources"], "economics.sources", "a source", "{ zendesk: 9.00 }", e.per_source);
    overrides(n["channels"], "economics.channels", "a channel id", "{ C0VIP: 12.00 }", e.per_channel);
}

void config_reader::read_public_url(const YAML::Node& n, app_config& c) {
    auto text = scalar(n, "public_url");
    endpoint_url parsed;
    auto problem = parse_endpoint_url(text, parsed);
    if (!problem.empty()) return error(n, "public_url " + problem);
    while (!text.empty() && text.back() == '/') text.pop_back();
    c.public_url = text;
}

} // namespace cxos::bot::detail
