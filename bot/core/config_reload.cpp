#include "bot/core/live_config.hpp"

#include "bot/core/log.hpp"

#include <tuple>
#include <utility>

namespace cxos::bot {

namespace {

// Copies one startup setting back from the running config, naming it when the file changed it.
template <typename T>
void keep(const T& running, T& next, const char* name, std::vector<std::string>& needs_restart) {
    if (next == running) return;
    needs_restart.emplace_back(name);
    next = running;
}

} // namespace

app_config keep_startup_settings(const app_config& running, app_config next, std::vector<std::string>& needs_restart) {
    // The listener is bound, the store is open, the Slack and Teams clients and the ingest
    // verifiers were built from these; grouping's index holds words stemmed in its language.
    // server.listen is one setting in the file, two fields here.
    auto listen = std::pair(next.listen_host, next.listen_port);
    keep(std::pair(running.listen_host, running.listen_port), listen, "server.listen", needs_restart);
    std::tie(next.listen_host, next.listen_port) = listen;
    keep(running.busy_poll_us, next.busy_poll_us, "server.busy_poll_us", needs_restart); // read as the I/O loop starts
    keep(running.storage_url, next.storage_url, "storage.url", needs_restart);
    keep(running.storage_max_size_mb, next.storage_max_size_mb, "storage.max_size_mb", needs_restart);
    keep(running.storage_claim_lease_seconds, next.storage_claim_lease_seconds, "storage.claim_lease_seconds",
         needs_restart);
    keep(running.slack_api, next.slack_api, "slack.api_url", needs_restart);
    keep(running.slack_hooks, next.slack_hooks, "slack.hooks_url", needs_restart);
    keep(running.slack_mode, next.slack_mode, "slack.mode", needs_restart);
    keep(running.slack_socket_connections, next.slack_socket_connections, "slack.connections", needs_restart);
    keep(running.teams, next.teams, "teams", needs_restart);
    keep(running.sources, next.sources, "sources", needs_restart);
    keep(running.grouping.language, next.grouping.language, "grouping.language", needs_restart);
    return next;
}

reload_outcome reload_config(live_config& live, const std::string& path) {
    reload_outcome out;
    auto loaded = load_config_file(path);
    if (!loaded.ok()) {
        out.errors = std::move(loaded.errors);
        for (const auto& e : out.errors)
            log_error("config error", {{"file", path}, {"line", e.line}, {"error", e.message}});
        log_error("config not reloaded: cxos keeps the configuration it had; fix the file (cxos check-config) and "
                  "reload again",
                  {{"file", path}, {"errors", out.errors.size()}});
        return out;
    }
    const auto running = live.get();
    auto next = std::make_shared<const app_config>(
        keep_startup_settings(*running, std::move(loaded.config), out.needs_restart));
    live.replace(next);
    if (!out.needs_restart.empty())
        log_warn("config reloaded without these settings: they apply at the next restart",
                 {{"file", path}, {"needs_restart", out.needs_restart}});
    log_info("config reloaded", {{"file", path}, {"owners", next->journey.owners.size()},
                                 {"rules", next->journey.rules.size()},
                                 {"council", next->council.enabled() ? "on" : "off"}});
    return out;
}

} // namespace cxos::bot
