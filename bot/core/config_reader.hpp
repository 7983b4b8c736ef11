#pragma once
// The config reader, shared by the files that read the config's sections (config.cpp for the
// server, journey, routing and council; config_sections.cpp for Teams, sources, spikes and
// economics). Every problem is collected with its line, never thrown.
#include "bot/core/config.hpp"

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxos::bot::detail {

// ":+1:" and "+1" both name the emoji "+1".
std::string emoji_name(std::string r);

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

    void read_server(const YAML::Node& n, app_config& c);

    void read_owners(const YAML::Node& n, app_config& c);

    void read_rule(const YAML::Node& n, app_config& c, std::set<std::string>& names);

    void read_routing(const YAML::Node& n, app_config& c);
    std::vector<std::string> emoji_list(const YAML::Node& n, std::string_view what);

    void read_council(const YAML::Node& n, app_config& c);

    void read_teams(const YAML::Node& n, app_config& c);

    // A Slack channel, maybe qualified with its workspace: "C0BILLING" or "T0123ABCD:C0BILLING".
    void slack_channel(const YAML::Node& n, const std::string& what, std::string& workspace, std::string& channel);
    void read_slack_install(const YAML::Node& n, app_config& c);

    void read_sources(const YAML::Node& n, app_config& c);

    // A whole number in [low, high]; false (and an error) otherwise.
    bool whole_number(const YAML::Node& n, std::string_view what, int low, int high, int& out);

    void read_spikes(const YAML::Node& n, app_config& c);
    void read_items(const YAML::Node& n, app_config& c);
    void read_grouping(const YAML::Node& n, app_config& c);

    // A non-negative amount of money, e.g. 6.50.
    std::optional<double> amount(const YAML::Node& n, const std::string& what);

    // `sources` / `channels`: a name → cost per contact map.
    void overrides(const YAML::Node& n, const std::string& what, const char* key, const char* example,
                   std::map<std::string, double>& out);
    void read_economics(const YAML::Node& n, app_config& c);

    void read_public_url(const YAML::Node& n, app_config& c);
    void read_dashboard(const YAML::Node& n, app_config& c);

    void read(const YAML::Node& root, app_config& c);
};

} // namespace cxos::bot::detail
