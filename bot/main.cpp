// cxos: the command-line entry point. Start-up problems are reported plainly and exit non-zero.
#include "bot/serve.hpp"
#include "bot/backup_command.hpp"
#include "bot/dump_command.hpp"
#include "bot/core/config.hpp"
#include "bot/outbox_admin.hpp"
#include "bot/sessions_admin.hpp"
#include "adapters/teams/package.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <cstring>
#include <filesystem>
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
             [--test-hooks]          tests only: POST /_test/settle answers once nothing
                                     is left to do (implied by --test-clock)
  cxos check-config [--config] FILE  validate a config file; lists every error with its line
  cxos outbox dead [--channel C] [--since T] [--config FILE]
                                     list dead letters (posts cxos gave up on)
  cxos outbox retry --dead [--channel C] [--since T] [--config FILE]
                                     requeue them once their cause is fixed (audited; safe
                                     beside a running server, which sends them)
  cxos sessions revoke USER [--config FILE]
                                     end every dashboard session of one person (a Slack user
                                     id, or the Entra object id of a Microsoft sign-in)
  cxos migrate [--config FILE]       apply the database's pending migrations and exit (for
                                     deployments that migrate before rolling out)
  cxos backup PATH [--config FILE]   copy the SQLite database to PATH (a file or a directory)
                                     while cxos serves it; PostgreSQL: use pg_dump
  cxos export FILE [--storage URL] [--config FILE]
                                     write every table to FILE ("-": stdout), to move a
                                     deployment between SQLite and PostgreSQL
  cxos import FILE [--storage URL] [--config FILE]
                                     load a dump into an empty database (migrated first;
                                     one transaction); prints each table's rows
  cxos teams-package --host HOST     write the Teams app package (zip) to upload; the bot id
             [--app-id ID]           comes from --app-id or MICROSOFT_APP_ID
             [--manifests DIR]       (default manifests/teams, else the installed ones)
             [--out FILE]            (default cxos-teams.zip)
  cxos version                       print the version
  cxos --help                        this text

environment:
  SLACK_SIGNING_SECRET   Slack app signing secret (Basic Information → App Credentials)
  SLACK_BOT_TOKEN        bot token, xoxb-… (OAuth & Permissions); optional with SLACK_CLIENT_ID
  SLACK_CLIENT_ID        with SLACK_CLIENT_SECRET: "Add to Slack" at /slack/install, many workspaces
  SLACK_CLIENT_SECRET    the app's client secret (Basic Information → App Credentials)
  CXOS_ENCRYPTION_KEY    with SLACK_CLIENT_ID: 32 bytes, base64, sealing stored workspace tokens
  MICROSOFT_APP_ID       Teams: the Azure Bot's app id (turns on POST /api/messages)
  MICROSOFT_APP_PASSWORD Teams: the app registration's client secret
  MICROSOFT_APP_TENANT_ID Teams: the bot's tenant (single-tenant bots)
  TEAMS_WEBHOOK_SECRET   Teams outgoing-webhook mode: the webhook's security token
  CXOS_DASHBOARD_TOKEN   turns on the dashboard and its API; the token that opens them
                         (with dashboard.signin: the API's bearer token only)
  CXOS_MICROSOFT_CLIENT_ID, CXOS_MICROSOFT_CLIENT_SECRET
                         dashboard.signin: microsoft's Entra app (default: the bot's own)
  CXOS_METRICS_TOKEN     when set, GET /metrics needs Authorization: Bearer <it>
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
    // Grouping decides what people see in every acknowledgement: say what it will do.
    const auto& g = result.config.grouping;
    std::cout << "grouping: a report joins an item at similarity " << g.thresholds.auto_join << " or more, is offered "
              << "items from " << g.thresholds.suggest << " (language " << cxos::to_code(g.language) << ")\n";
    return 0;
}

// `serve` migrates at start too; this is for a deployment that migrates first and then rolls
// out instances. SQLite's lock file is taken: a file a server is using is not migrated under it.
int migrate(const std::string& path) {
    auto loaded = cxos::bot::load_config_file(path);
    if (!loaded.ok()) {
        std::cerr << "cxos: " << path << " has errors (cxos check-config " << path << ")\n";
        return 2;
    }
    const auto& url = loaded.config.storage_url;
    try {
        cxos::storage::store_options options;
        options.max_size_mb = loaded.config.storage_max_size_mb;
        options.serve_lock = !cxos::storage::shared_by_instances(url);
        auto migrated = cxos::storage::open_store(url, options);
        std::cout << "cxos: the " << url.substr(0, url.find("://")) << " database is at schema version "
                  << cxos::storage::sqlite_migrations().size() << "\n";
        return 0;
    } catch (const cxos::storage::store_error& e) {
        std::cerr << "cxos: storage: " << e.what() << "\n";
        return 1;
    }
}

std::string option(const std::vector<std::string>& args, const std::string& name, std::string fallback) {
    for (std::size_t i = 1; i + 1 < args.size(); ++i)
        if (args[i] == name) return args[i + 1];
    return fallback;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::stringstream buf;
    buf << in.rdbuf();
    out = buf.str();
    return true;
}

// A checkout's manifests/teams, else the package's (<prefix>/share/cxos/manifests/teams, found
// from the binary's own path, so an installed cxos needs no --manifests).
std::string default_teams_manifests() {
    const std::filesystem::path checkout = "manifests/teams";
    std::error_code ec;
    if (std::filesystem::exists(checkout / "manifest.json", ec)) return checkout;
    const auto binary = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto installed = binary.parent_path().parent_path() / "share/cxos/manifests/teams";
    return !ec && std::filesystem::exists(installed / "manifest.json", ec) ? installed : checkout;
}

int teams_package(const std::vector<std::string>& args) {
    const char* env_id = std::getenv("MICROSOFT_APP_ID");
    const std::string app_id = option(args, "--app-id", env_id ? env_id : "");
    const std::string host = option(args, "--host", "");
    const std::string dir = option(args, "--manifests", default_teams_manifests());
    const std::string out_path = option(args, "--out", "cxos-teams.zip");
    if (app_id.empty() || host.empty()) {
        std::cerr << "cxos teams-package needs --host <public host> and the bot's app id (--app-id or MICROSOFT_APP_ID)\n";
        return 2;
    }
    std::vector<std::pair<std::string, std::string>> files = {{"manifest.json", ""}, {"color.png", ""}, {"outline.png", ""}};
    for (auto& [name, bytes] : files) {
        if (!read_file(dir + "/" + name, bytes)) {
            std::cerr << "cxos: cannot read " << dir << "/" << name << " (--manifests names the folder with manifest.json)\n";
            return 1;
        }
    }
    std::string error;
    files[0].second = cxos::teams::fill_manifest(files[0].second, app_id, host, error);
    if (files[0].second.empty()) {
        std::cerr << "cxos: " << error << "\n";
        return 2;
    }
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    const std::string zip = cxos::teams::stored_zip(files);
    out.write(zip.data(), static_cast<std::streamsize>(zip.size()));
    if (!out) {
        std::cerr << "cxos: cannot write " << out_path << "\n";
        return 1;
    }
    std::cout << "wrote " << out_path << ": upload it in Teams (Apps → Manage your apps → Upload an app)\n";
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
    if (sub == "teams-package") return teams_package(args);
    const bool wants_help = std::find_if(args.begin() + 1, args.end(), [](const std::string& a) {
                                return a == "--help" || a == "-h";
                            }) != args.end();
    if (wants_help) {
        std::cout << usage;
        return 0;
    }
    if (sub == "migrate") return migrate(config_path(args, 1, "cxos.yaml"));
    if (sub == "backup") return cxos::bot::backup_command({args.begin() + 1, args.end()});
    if (sub == "export") return cxos::bot::export_command({args.begin() + 1, args.end()});
    if (sub == "import") return cxos::bot::import_command({args.begin() + 1, args.end()});
    if (sub == "outbox" || sub == "sessions") {
        const auto path = option(args, "--config", "cxos.yaml");
        auto loaded = cxos::bot::load_config_file(path);
        if (!loaded.ok()) {
            std::cerr << "cxos: " << path << " has errors (cxos check-config " << path << ")\n";
            return 2;
        }
        std::vector<std::string> rest;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (sub == "sessions" && args[i] == "--config") ++i; // outbox reads its own options
            else rest.push_back(args[i]);
        }
        if (sub == "sessions") return cxos::bot::sessions_command(rest, loaded.config.storage_url);
        return cxos::bot::outbox_command({args.begin() + 1, args.end()}, loaded.config.storage_url);
    }
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
        const bool test_hooks = std::find(args.begin(), args.end(), "--test-hooks") != args.end();
        return cxos::bot::serve(config_path(args, 1, "cxos.yaml"), test_clock, test_hooks);
    }
    std::cerr << "cxos: unknown command '" << sub << "'\n\n" << usage;
    return 1;
}
