#include "bot/config.hpp"

#include <boost/url/parse.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <fstream>
#include <set>
#include <sstream>

namespace cxos::bot {
namespace {

// ":+1:" and "+1" both name the emoji "+1".
std::string emoji_name(std::string r) {
    while (!r.empty() && r.front() == ':') r.erase(r.begin());
    while (!r.empty() && r.back() == ':') r.pop_back();
    return r;
}

class config_reader {
  public:
    std::vector<config_error> errors;

    void error(const YAML::Node& at, std::string message) {
        int line = at.IsDefined() && at.Mark().line >= 0 ? at.Mark().line + 1 : 0;
        errors.push_back({line, std::move(message)});
    }

    // Reports keys this version does not know: a typo must not silently change routing.
    void only_keys(const YAML::Node& map, std::string_view where, std::set<std::string> known) {
        if (!map.IsMap()) return;
        for (const auto& kv : map) {
            auto key = kv.first.as<std::string>();
            if (!known.count(key)) error(kv.first, "unknown key '" + key + "' in " + std::string(where));
        }
    }

    std::string scalar(const YAML::Node& n, std::string_view what) {
        if (!n.IsScalar()) {
            error(n, std::string(what) + " must be a single value");
            return {};
        }
        return n.as<std::string>();
    }

    // A condition may be one value or a list of values.
    std::vector<std::pair<std::string, YAML::Node>> values(const YAML::Node& n, std::string_view what) {
        std::vector<std::pair<std::string, YAML::Node>> out;
        if (n.IsScalar()) out.emplace_back(n.as<std::string>(), n);
        else if (n.IsSequence()) {
            for (const auto& item : n) {
                if (item.IsScalar()) out.emplace_back(item.as<std::string>(), item);
                else error(item, std::string(what) + " entries must be plain values");
            }
        } else error(n, std::string(what) + " must be a value or a list");
        if (out.empty() && !n.IsScalar()) error(n, std::string(what) + " is empty");
        return out;
    }

    void read_server(const YAML::Node& n, app_config& c) {
        only_keys(n, "server", {"listen"});
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

    void read_owners(const YAML::Node& n, app_config& c) {
        if (!n.IsMap() || n.size() == 0) {
            error(n, "owners must map each team to its channel, e.g. billing: { slack: C0BILLING }");
            return;
        }
        for (const auto& kv : n) {
            owner o;
            o.name = kv.first.as<std::string>();
            only_keys(kv.second, "owner '" + o.name + "'", {"slack"});
            if (kv.second.IsMap() && kv.second["slack"])
                o.slack_channel = scalar(kv.second["slack"], "owners." + o.name + ".slack");
            if (o.slack_channel.empty())
                error(kv.first, "owner '" + o.name + "' has no channel (add slack: <channel id>)");
            c.journey.owners[o.name] = o;
        }
    }

    void read_rule(const YAML::Node& n, app_config& c, std::set<std::string>& names) {
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

    void read_routing(const YAML::Node& n, app_config& c) {
        only_keys(n, "routing", {"fallback", "rules"});
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

    std::vector<std::string> emoji_list(const YAML::Node& n, std::string_view what) {
        std::vector<std::string> out;
        for (auto& [name, at] : values(n, what)) {
            auto e = emoji_name(name);
            if (e.empty()) error(at, std::string(what) + " has an entry that names no emoji");
            else out.push_back(e);
        }
        return out;
    }

    void read_council(const YAML::Node& n, app_config& c) {
        if (!n.IsMap()) return error(n, "council must be a map");
        only_keys(n, "council", {"slack_channel", "schedule", "timezone", "max_items", "vote_reactions"});
        auto& council = c.council;
        if (n["slack_channel"]) council.slack_channel = scalar(n["slack_channel"], "council.slack_channel");
        if (council.slack_channel.empty()) error(n, "council.slack_channel is required: the channel whose members are the council");
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

    // A non-negative amount of money, e.g. 6.50.
    std::optional<double> amount(const YAML::Node& n, const std::string& what) {
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
    void overrides(const YAML::Node& n, const std::string& what, const char* key, const char* example,
                   std::map<std::string, double>& out) {
        if (!n) return;
        if (!n.IsMap()) return error(n, what + " must map " + key + " to its cost per contact, e.g. " + example);
        for (const auto& kv : n) {
            auto name = kv.first.as<std::string>();
            if (auto v = amount(kv.second, what + "." + name)) out[name] = *v;
        }
    }

    void read_economics(const YAML::Node& n, app_config& c) {
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

    void read_public_url(const YAML::Node& n, app_config& c) {
        auto text = scalar(n, "public_url");
        endpoint_url parsed;
        auto problem = parse_endpoint_url(text, parsed);
        if (!problem.empty()) return error(n, "public_url " + problem);
        while (!text.empty() && text.back() == '/') text.pop_back();
        c.public_url = text;
    }

    void read(const YAML::Node& root, app_config& c) {
        if (!root.IsMap()) return error(root, "the config must be a YAML map");
        only_keys(root, "the top level", {"server", "storage", "slack", "capture", "journey", "owners", "routing", "council",
                                     "economics", "public_url"});
        if (root["server"]) read_server(root["server"], c);
        if (root["storage"]) {
            only_keys(root["storage"], "storage", {"url"});
            if (root["storage"]["url"]) c.storage_url = scalar(root["storage"]["url"], "storage.url");
        }
        if (root["slack"]) {
            only_keys(root["slack"], "slack", {"api_url", "command"});
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
        if (root["economics"]) read_economics(root["economics"], c);
        c.council.economics = c.economics;
        if (root["public_url"]) read_public_url(root["public_url"], c);
    }
};

} // namespace

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
