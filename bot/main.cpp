// cxos: the command-line entry point. Start-up problems are reported plainly and exit non-zero.
#include "bot/serve.hpp"
#include "bot/config.hpp"

#include <cstring>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* usage =
    R"(cxos — customer friction from Slack to the team that owns it

usage:
  cxos serve [--config FILE]         run the server (default config: cxos.yaml)
             [--test-clock MS]       tests only: start the clock at Unix ms MS and let
                                     POST /_test/clock move it
  cxos check-config [--config] FILE  validate a config file; lists every error with its line
  cxos version                       print the version
  cxos --help                        this text

environment:
  SLACK_SIGNING_SECRET   Slack app signing secret (Basic Information → App Credentials)
  SLACK_BOT_TOKEN        bot token, xoxb-… (OAuth & Permissions)
  CXOS_LOG_LEVEL         debug | info | warn | error (default info)
)";

std::string config_path(const std::vector<std::string>& args, std::size_t from, const char* fallback) {
    for (std::size_t i = from; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) return args[i + 1];
        if (args[i].rfind("--config=", 0) == 0) return args[i].substr(9);
        if (args[i] == "--test-clock") {
            ++i; // its value is not the config path
            continue;
        }
        if (args[i].rfind("-", 0) != 0) return args[i];
    }
    return fallback;
}

int check_config(const std::string& path) {
    auto result = cxos::bot::load_config_file(path);
    for (const auto& e : result.errors)
        std::cerr << path << ":" << (e.line > 0 ? std::to_string(e.line) + ":" : "") << " error: "
                  << e.message << "\n";
    if (!result.ok()) {
        std::cerr << result.errors.size() << " error" << (result.errors.size() == 1 ? "" : "s")
                  << " in " << path << "\n";
        return 2;
    }
    const auto& j = result.config.journey;
    std::cout << path << ": ok (" << j.stages.size() << " stages, " << j.owners.size()
              << " owners, " << j.rules.size() << " rules, fallback " << j.fallback << ")\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage;
        return args.empty() ? 1 : 0;
    }
    const auto& sub = args[0];
    if (sub == "version" || sub == "--version") {
        std::cout << "cxos " << CXOS_VERSION << "\n";
        return 0;
    }
    if (sub == "check-config") return check_config(config_path(args, 1, "cxos.yaml"));
    if (sub == "serve") {
        std::optional<long long> test_clock;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] != "--test-clock") continue;
            if (i + 1 >= args.size()) {
                std::cerr << "cxos: --test-clock needs Unix milliseconds\n";
                return 2;
            }
            try {
                test_clock = std::stoll(args[i + 1]);
            } catch (const std::exception&) {
                std::cerr << "cxos: --test-clock needs Unix milliseconds, not '" << args[i + 1] << "'\n";
                return 2;
            }
        }
        return cxos::bot::serve(config_path(args, 1, "cxos.yaml"), test_clock);
    }
    std::cerr << "cxos: unknown command '" << sub << "'\n\n" << usage;
    return 1;
}
