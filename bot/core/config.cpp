#include "bot/core/config.hpp"
#include "adapters/teams/connector.hpp"
#include "bot/core/config_reader.hpp"
#include "commands/utf8.hpp"

#include <boost/url/parse.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cmath>
#include <optional>
#include <fstream>
#include <set>
#include <sstream>

namespace cxos::bot {
namespace detail {
std::string emoji_name(std::string r) {
    while (!r.empty() && r.front() == ':') r.erase(r.begin());
    while (!r.empty() && r.back() == ':') r.pop_back();
    return r;
}

void config_reader::read_server(const YAML::Node& n, app_config& c) {
    only_keys(n, "server", {"listen", "busy_poll_us"});
    if (n["busy_poll_us"]) whole_number(n["busy_poll_us"], "server.busy_poll_us", 0, 1000, c.busy_poll_us);
    if (!n["listen"]) return;
    auto listen = scalar(n["listen"], "server.listen");
    auto colon = listen.rfind(':');
    unsigned port = 0;
    auto port_text = colon == std::string::npos ? std::string() : listen.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (colon == std::string::npos || colon == 0 || ec != std::errc() ||
        ptr != port_text.data() + port_text.size() || port > 65535) {
        error(n["listen"], "server.listen must look like 127.0.0.1:3000");
        return;
    }
    c.listen_host = listen.substr(0, colon);
    c.listen_port = static_cast<std::uint16_t>(port);
}

void config_reader::read_owners(const YAML::Node& n, app_config& c) {
    if (!n.IsMap() || n.size() == 0) {
        error(n, "owners must map each team to its channel, e.g. billing: { slack: C0BILLING, teams: \"19:…@thread.tacv2\" }");
        return;
    }
    for (const auto& kv : n) {
        owner o;
        o.name = kv.first.as<std::string>();
        only_keys(kv.second, "owner '" + o.name + "'", {"slack", "teams"});
        if (kv.second.IsMap() && kv.second["slack"])
            slack_channel(kv.second["slack"], "owners." + o.name + ".slack", o.slack_workspace, o.slack_channel);
        if (kv.second.IsMap() && kv.second["teams"]) {
            o.teams_channel = scalar(kv.second["teams"], "owners." + o.name + ".teams");
            if (!teams::is_well_formed_channel_id(o.teams_channel))
                error(kv.second["teams"], "owners." + o.name + ".teams must be a Teams channel id such as "
                                          "19:abc123@thread.tacv2 (Teams: channel … → Get link to channel)");
        }
        if (o.slack_channel.empty() && o.teams_channel.empty())
            error(kv.first, "owner '" + o.name + "' has no channel (add slack: <channel id> or teams: <channel id>)");
        c.journey.owners[o.name] = o;
    }
}

void config_reader::read_rule(const YAML::Node& n, app_config& c, std::set<std::string>& names) {
    routing_rule r;
    r.line = n.Mark().line + 1;
    only_keys(n, "a routing rule", {"name", "when", "route_to"});
    if (!n.IsMap()) return error(n, "each routing rule must be a map with name, when, route_to");
    r.name = n["name"] ? scalar(n["name"], "rule name") : "";
    if (r.name.empty()) error(n, "routing rule without a name");
    else if (!names.insert(r.name).second) error(n["name"], "duplicate rule name '" + r.name + "'");
    const std::string label = "rule '" + r.name + "'";
    if (!n["route_to"]) error(n, label + " has no route_to");
    else {
        r.route_to = scalar(n["route_to"], "route_to");
        if (!c.journey.find_owner(r.route_to))
            error(n["route_to"], label + " routes to unknown owner '" + r.route_to + "'");
    }
    const auto when = n["when"];
    if (!when || !when.IsMap() || when.size() == 0) {
        error(n, label + " is empty: give it a `when` with at least one condition");
    } else {
        only_keys(when, label + " when",
                  {"keywords", "stage", "component", "severity", "source_channel"});
        if (when["keywords"])
            for (auto& [v, at] : values(when["keywords"], "keywords")) r.keywords.push_back(v);
        if (when["stage"])
            for (auto& [v, at] : values(when["stage"], "stage")) {
                if (!c.journey.has_stage(v)) error(at, label + " names unknown stage '" + v + "'");
                r.stages.push_back(v);
            }
        if (when["component"])
            for (auto& [v, at] : values(when["component"], "component")) {
                if (auto comp = parse_component(v)) r.components.push_back(*comp);
                else error(at, label + " names unknown component '" + v + "'");
            }
        if (when["severity"])
            for (auto& [v, at] : values(when["severity"], "severity")) {
                if (auto sev = parse_severity(v)) r.severities.push_back(*sev);
                else error(at, label + " names unknown severity '" + v + "' (low, medium, high)");
            }
        if (when["source_channel"])
            for (auto& [v, at] : values(when["source_channel"], "source_channel"))
                r.source_channels.push_back(v);
    }
    c.journey.rules.push_back(std::move(r));
}

void config_reader::read_routing(const YAML::Node& n, app_config& c) {
    only_keys(n, "routing", {"fallback", "rules", "suggestions_channel", "suggest_after_reroutes"});
    if (n["suggestions_channel"]) c.routing_suggestions_channel = scalar(n["suggestions_channel"], "routing.suggestions_channel");
    if (n["suggest_after_reroutes"])
        whole_number(n["suggest_after_reroutes"], "routing.suggest_after_reroutes", 2, 1000, c.routing_suggest_after_reroutes);
    if (!n["fallback"]) error(n, "routing.fallback is required: the owner of signals no rule matches");
    else {
        c.journey.fallback = scalar(n["fallback"], "routing.fallback");
        if (!c.journey.find_owner(c.journey.fallback))
            error(n["fallback"], "routing.fallback names unknown owner '" + c.journey.fallback + "'");
    }
    if (!n["rules"]) return;
    if (!n["rules"].IsSequence()) return error(n["rules"], "routing.rules must be a list");
    std::set<std::string> names;
    for (const auto& rule : n["rules"]) read_rule(rule, c, names);
}

std::vector<std::string> config_reader::emoji_list(const YAML::Node& n, std::string_view what) {
    std::vector<std::string> out;
    for (auto& [name, at] : values(n, what)) {
        auto e = emoji_name(name);
        if (e.empty()) error(at, std::string(what) + " has an entry that names no emoji");
        else out.push_back(e);
    }
    return out;
}

void config_reader::read_council(const YAML::Node& n, app_config& c) {
    if (!n.IsMap()) return error(n, "council must be a map");
    only_keys(n, "council", {"slack_channel", "teams_channel", "schedule", "timezone", "max_items", "vote_reactions"});
    auto& council = c.council;
    if (n["slack_channel"])
        slack_channel(n["slack_channel"], "council.slack_channel", council.slack_workspace, council.slack_channel);
    if (n["teams_channel"]) {
        council.teams_channel = scalar(n["teams_channel"], "council.teams_channel");
        if (!teams::is_well_formed_channel_id(council.teams_channel))
            error(n["teams_channel"], "council.teams_channel must be a Teams channel id such as 19:abc123@thread.tacv2");
    }
    if (council.slack_channel.empty() && !n["teams_channel"])
        error(n, "council.slack_channel (or council.teams_channel) is required: the channel whose members are the council");
    if (n["schedule"]) {
        std::string problem;
        if (auto parsed = parse_council_schedule(scalar(n["schedule"], "council.schedule"), problem))
            council.schedule = *parsed;
        else error(n["schedule"], "council." + problem);
    }
    if (n["timezone"]) {
        auto tz = scalar(n["timezone"], "council.timezone");
        if (is_known_timezone(tz)) council.schedule.timezone = tz;
        else error(n["timezone"], "council.timezone '" + tz + "' is not a time zone this system knows "
                                  "(an IANA name such as Europe/Berlin; is tzdata installed?)");
    }
    if (n["max_items"]) {
        auto text = scalar(n["max_items"], "council.max_items");
        int v = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 40)
            error(n["max_items"], "council.max_items must be a number from 1 to 40");
        else council.max_items = v;
    }
    if (const auto votes = n["vote_reactions"]) {
        if (!votes.IsMap()) return error(votes, "council.vote_reactions must be a map");
        only_keys(votes, "council.vote_reactions", {"prioritise", "not_now"});
        if (votes["prioritise"]) council.prioritise_reactions = emoji_list(votes["prioritise"], "council.vote_reactions.prioritise");
        if (votes["not_now"]) council.not_now_reactions = emoji_list(votes["not_now"], "council.vote_reactions.not_now");
    }
}

void config_reader::read(const YAML::Node& root, app_config& c) {
    if (!root.IsMap()) return error(root, "the config must be a YAML map");
    only_keys(root, "the top level", {"server", "storage", "slack", "teams", "capture", "journey", "owners", "routing",
                                      "council", "sources", "spikes", "economics", "items", "public_url", "grouping",
                                      "dashboard"});
    if (root["server"]) read_server(root["server"], c);
    if (root["storage"]) {
        only_keys(root["storage"], "storage", {"url", "max_size_mb", "claim_lease_seconds"});
        if (root["storage"]["claim_lease_seconds"])
            whole_number(root["storage"]["claim_lease_seconds"], "storage.claim_lease_seconds", 1, 3600,
                         c.storage_claim_lease_seconds);
        if (root["storage"]["url"]) c.storage_url = scalar(root["storage"]["url"], "storage.url");
        if (const auto cap = root["storage"]["max_size_mb"]) {
            try {
                c.storage_max_size_mb = cap.as<double>();
            } catch (const YAML::Exception&) {
                c.storage_max_size_mb = -1;
            }
            if (!(c.storage_max_size_mb > 0)) error(cap, "storage.max_size_mb must be a number of megabytes above 0");
        }
    }
    if (root["slack"]) {
        only_keys(root["slack"], "slack", {"api_url", "hooks_url", "command", "mode", "connections", "install"});
        if (root["slack"]["install"]) read_slack_install(root["slack"]["install"], c);
        if (const auto mode = root["slack"]["mode"]) {
            auto m = scalar(mode, "slack.mode");
            if (m == "socket") c.slack_mode = app_config::slack_transport::socket;
            else if (m != "http") error(mode, "slack.mode must be http (Slack calls /slack/events) or socket (Socket Mode)");
        }
        if (root["slack"]["connections"])
            whole_number(root["slack"]["connections"], "slack.connections", 1, 10, c.slack_socket_connections);
        if (root["slack"]["command"]) {
            c.slack_command = scalar(root["slack"]["command"], "slack.command");
            if (c.slack_command.size() < 2 || c.slack_command[0] != '/')
                error(root["slack"]["command"], "slack.command must start with /, e.g. /friction");
        }
        if (root["slack"]["api_url"]) {
            auto problem = parse_endpoint_url(scalar(root["slack"]["api_url"], "slack.api_url"),
                                              c.slack_api);
            if (!problem.empty()) error(root["slack"]["api_url"], "slack.api_url " + problem);
        }
        if (root["slack"]["hooks_url"]) {
            auto problem = parse_endpoint_url(scalar(root["slack"]["hooks_url"], "slack.hooks_url"),
                                              c.slack_hooks);
            if (!problem.empty()) error(root["slack"]["hooks_url"], "slack.hooks_url " + problem);
        }
    }
    if (root["capture"]) {
        only_keys(root["capture"], "capture", {"reaction"});
        if (root["capture"]["reaction"]) {
            auto r = emoji_name(scalar(root["capture"]["reaction"], "capture.reaction"));
            if (r.empty()) error(root["capture"]["reaction"], "capture.reaction names no emoji");
            else c.capture_reaction = r;
        }
    }
    const auto journey = root["journey"];
    if (!journey || !journey["stages"] || !journey["stages"].IsSequence() ||
        journey["stages"].size() == 0)
        error(journey ? journey : root, "journey.stages must list the journey's stages");
    else {
        only_keys(journey, "journey", {"stages"});
        for (const auto& s : journey["stages"]) {
            auto name = scalar(s, "a stage");
            if (c.journey.has_stage(name)) error(s, "duplicate stage '" + name + "'");
            else if (!name.empty()) c.journey.stages.push_back(name);
        }
    }
    if (!root["owners"]) error(root, "owners is required");
    else read_owners(root["owners"], c);
    if (!root["routing"]) error(root, "routing is required (at least routing.fallback)");
    else read_routing(root["routing"], c);
    if (root["council"]) read_council(root["council"], c);
    if (root["teams"]) read_teams(root["teams"], c);
    if (root["sources"]) read_sources(root["sources"], c);
    if (root["spikes"]) read_spikes(root["spikes"], c);
    if (root["grouping"]) read_grouping(root["grouping"], c);
    if (root["economics"]) read_economics(root["economics"], c);
    c.council.economics = c.economics;
    if (root["items"]) read_items(root["items"], c);
    c.journey.items = c.council.items = c.items;
    if (root["public_url"]) read_public_url(root["public_url"], c);
    if (root["dashboard"]) read_dashboard(root["dashboard"], c);
}

} // namespace detail

using detail::config_reader;


std::string parse_endpoint_url(const std::string& text, endpoint_url& out) {
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed) return "'" + text + "' is not an absolute URL";
    endpoint_url e;
    e.scheme = parsed->scheme();
    e.host = parsed->host_address();
    if (parsed->host_type() == boost::urls::host_type::ipv6) e.host = parsed->encoded_host_address();
    e.port = parsed->port();
    e.path = parsed->path();
    while (!e.path.empty() && e.path.back() == '/') e.path.pop_back();
    bool loopback = e.host == "127.0.0.1" || e.host == "localhost" || e.host == "[::1]";
    if (e.host.empty()) return "'" + text + "' has no host";
    if (e.scheme == "https") {
        if (e.port.empty()) e.port = "443";
    } else if (e.scheme == "http" && loopback) {
        if (e.port.empty()) e.port = "80";
    } else {
        return "'" + text + "' must use https (plain http only for a loopback test peer)";
    }
    out = std::move(e);
    return {};
}

config_result load_config_text(const std::string& yaml) {
    config_result result;
    // yaml-cpp passes bytes that are not UTF-8 through into names and error messages, and turns a
    // NUL into a lone 0x85 byte, where every later render of them fails (both found by fuzzing):
    // the file is refused where it stops being YAML text.
    const auto valid = yaml.begin() + static_cast<std::ptrdiff_t>(valid_utf8_prefix(yaml));
    const auto text_end = std::find_if(yaml.begin(), valid, [](unsigned char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
    });
    if (text_end != yaml.end()) {
        const auto line = 1 + std::count(yaml.begin(), text_end, '\n');
        result.errors.push_back({static_cast<int>(line), "the config is not valid UTF-8 text here (YAML is UTF-8 "
                                                         "without control characters)"});
        return result;
    }
    config_reader reader;
    try {
        reader.read(YAML::Load(yaml), result.config);
    } catch (const YAML::Exception& e) {
        reader.errors.push_back({e.mark.line >= 0 ? e.mark.line + 1 : 0, e.msg});
    }
    result.errors = std::move(reader.errors);
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [](const config_error& a, const config_error& b) { return a.line < b.line; });
    return result;
}

config_result load_config_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        config_result r;
        r.errors.push_back({0, "cannot read config file '" + path + "'"});
        return r;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    return load_config_text(buf.str());
}

} // namespace cxos::bot
