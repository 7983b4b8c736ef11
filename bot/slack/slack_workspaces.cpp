#include "bot/slack/slack_workspaces.hpp"

#include "adapters/oauth/authorization_code.hpp"

#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

// A rotating token is refreshed this long before it expires (Slack's last 12 hours ahead), so a
// send never races its expiry.
constexpr millis refresh_margin = 5 * 60 * 1000;

std::string bot_context(const std::string& workspace) { return "slack bot token " + workspace; }
std::string refresh_context(const std::string& workspace) { return "slack refresh token " + workspace; }

// The store's lead (an advisory lock on PostgreSQL) that one instance holds while it refreshes a
// workspace's token; the others look again this often, this many times, then retry later.
std::string refresh_lead(const std::string& workspace) { return "slack-token-refresh/" + workspace; }
constexpr auto refresh_lead_poll = std::chrono::milliseconds(100);
constexpr int refresh_lead_polls = 150;

workspace_token missing(std::string why) {
    workspace_token t;
    t.error = std::move(why);
    t.permanent = true;
    return t;
}

} // namespace

bool install_allowed(const slack::installed_bot& bot, const std::vector<std::string>& allowed_teams) {
    if (allowed_teams.empty()) return true;
    const auto listed = [&](const std::string& id) {
        return !id.empty() && std::find(allowed_teams.begin(), allowed_teams.end(), id) != allowed_teams.end();
    };
    return listed(bot.team_id) || listed(bot.enterprise_id);
}

slack_workspaces::slack_workspaces(asio::any_io_executor ex, http_client& client, endpoint_url api,
                                   std::string default_token, std::optional<slack_app_credentials> app,
                                   storage::commit_queue& queue)
    : executor_(ex), client_(client), api_(std::move(api)), default_token_(std::move(default_token)),
      app_(std::move(app)), queue_(queue) {}

const std::string& slack_workspaces::client_id() const {
    static const std::string none;
    return app_ ? app_->client_id : none;
}

std::optional<slack_workspaces::cached> slack_workspaces::open(const storage::slack_installation& row) const {
    if (!app_) return std::nullopt;
    auto token = app_->box.open(row.bot_token, bot_context(row.workspace));
    if (!token) {
        // Another key (CXOS_ENCRYPTION_KEY changed) or a row edited by hand: never guess.
        log_error("a stored Slack token does not open with CXOS_ENCRYPTION_KEY; install cxos in that workspace again",
                  {{"workspace", row.workspace}});
        return std::nullopt;
    }
    cached c{row, std::move(*token), ""};
    if (!row.refresh_token.empty())
        c.refresh_token = app_->box.open(row.refresh_token, refresh_context(row.workspace)).value_or("");
    return c;
}

storage::slack_installation slack_workspaces::seal(const slack::installed_bot& bot, millis now) const {
    storage::slack_installation row;
    row.workspace = bot.workspace();
    row.team_id = bot.team_id;
    row.enterprise_id = bot.enterprise_id;
    row.team_name = bot.team_name;
    row.bot_user_id = bot.bot_user_id;
    row.bot_token = app_->box.seal(bot.bot_token, bot_context(row.workspace));
    if (!bot.refresh_token.empty()) row.refresh_token = app_->box.seal(bot.refresh_token, refresh_context(row.workspace));
    row.expires_at = bot.expires_in > 0 ? now + bot.expires_in * 1000 : 0;
    row.scopes = bot.scopes;
    row.installed_by = bot.installed_by;
    row.installed_at = now;
    row.updated_at = now;
    return row;
}

bool slack_workspaces::due_for_refresh(const cached& c) const {
    return c.row.expires_at != 0 && !c.refresh_token.empty() &&
           clock_source::system_now() + refresh_margin >= c.row.expires_at;
}

asio::awaitable<std::optional<slack_workspaces::cached>> slack_workspaces::installation(const std::string& workspace) {
    if (auto hit = cache_.find(workspace); hit != cache_.end()) co_return hit->second;
    auto read = store_call(queue_, [workspace](storage::store& st) { return st.find_slack_installation(workspace); });
    auto row = co_await std::move(read);
    if (!row) co_return std::nullopt;
    auto opened = open(*row);
    if (opened) cache_.insert_or_assign(workspace, *opened);
    co_return opened;
}

asio::awaitable<workspace_token> slack_workspaces::token_for(const std::string& workspace) {
    workspace_token out;
    if (!app_) { // a single-token deployment: every call, every workspace, as always
        out.token = default_token_;
        if (out.token.empty()) out = missing("no Slack bot token is configured");
        co_return out;
    }
    try {
        if (!workspace.empty()) {
            auto own = co_await installation(workspace);
            if (own) {
                auto fresh = co_await fresh_token(workspace, std::move(*own));
                co_return fresh;
            }
        }
        if (!default_token_.empty()) {
            out.token = default_token_;
            co_return out;
        }
        // No SLACK_BOT_TOKEN: an unnamed workspace is the only installation, and a workspace
        // of an Enterprise Grid org is served by the org-wide installation when there is one.
        auto list = store_call(queue_, [](storage::store& st) { return st.slack_installations(); });
        auto all = co_await std::move(list);
        const storage::slack_installation* pick = nullptr;
        if (workspace.empty() && all.size() == 1) pick = &all.front();
        int orgs = 0;
        for (const auto& i : all)
            if (!workspace.empty() && i.workspace == i.enterprise_id && ++orgs == 1) pick = &i;
        if (orgs > 1) pick = nullptr;
        if (!pick) {
            if (workspace.empty())
                co_return missing(all.empty() ? "cxos is not installed in any Slack workspace yet (open /slack/install)"
                                              : "cxos is installed in several Slack workspaces: qualify the channel "
                                                "with its workspace in the config, e.g. T0123ABCD:C0BILLING");
            co_return missing("cxos is not installed in Slack workspace " + workspace +
                              " (open /slack/install there, then `cxos outbox retry --dead`)");
        }
        const std::string key = pick->workspace;
        auto chosen = co_await installation(key);
        if (!chosen) co_return missing("the installation of Slack workspace " + key + " cannot be read");
        auto fresh = co_await fresh_token(key, std::move(*chosen));
        co_return fresh;
    } catch (const std::exception& e) {
        out.error = std::string("cannot read the workspace's installation: ") + e.what();
        co_return out; // the store is busy or failing: retried later, never dead
    }
}

asio::awaitable<workspace_token> slack_workspaces::fresh_token(const std::string& workspace, cached c) {
    if (due_for_refresh(c)) {
        auto refreshed = co_await refresh(workspace);
        co_return refreshed;
    }
    workspace_token out;
    out.token = std::move(c.token);
    out.installed = true;
    co_return out;
}

asio::awaitable<workspace_token> slack_workspaces::refresh(const std::string& workspace) {
    // One refresh per workspace: whoever comes while it runs waits for its result.
    if (auto running = refreshing_.find(workspace); running != refreshing_.end()) {
        auto flight = running->second;
        auto landed = flight->gate.wait();
        co_await std::move(landed);
        co_return flight->result;
    }
    auto flight = std::make_shared<refresh_flight>(executor_);
    refreshing_.emplace(workspace, flight);
    {
        const flight_gate::ticket fetching(flight->gate);
        try {
            flight->result = co_await refresh_once(workspace);
        } catch (const std::exception& e) {
            flight->result = workspace_token{};
            flight->result.error = std::string("refreshing the workspace's token failed: ") + e.what();
        }
        refreshing_.erase(workspace);
    }
    co_return flight->result;
}

asio::awaitable<workspace_token> slack_workspaces::refresh_once(const std::string& workspace) {
    // Several instances on one PostgreSQL database: the one holding the store's refresh lead for
    // this workspace refreshes, the others wait for the token it stores (a refresh token works
    // once: a second refresh with it would fail). The lead is taken before the row is read, and
    // let go only after the refreshed row committed, so a row read under it is the newest.
    const std::string lead = refresh_lead(workspace);
    for (int polls = 0;; ++polls) {
        auto look = store_call(queue_, [lead, workspace](storage::store& st) {
            const bool led = st.try_lead(lead);
            return std::pair{led, st.find_slack_installation(workspace)};
        });
        auto [led, row] = co_await std::move(look);
        cache_.erase(workspace);
        auto current = row ? open(*row) : std::nullopt;
        if (current) cache_.insert_or_assign(workspace, *current);
        if (!current || !due_for_refresh(*current) || led) {
            workspace_token out;
            std::exception_ptr failed;
            try {
                if (!current) out = missing("cxos is no longer installed in Slack workspace " + workspace);
                else if (!due_for_refresh(*current)) out = workspace_token{current->token, "", false, true};
                else out = co_await refresh_with(workspace, *current);
            } catch (...) {
                failed = std::current_exception();
            }
            if (led) {
                auto release = store_call(queue_, [lead](storage::store& st) {
                    st.release_lead(lead);
                    return true;
                });
                co_await std::move(release);
            }
            if (failed) std::rethrow_exception(failed);
            co_return out;
        }
        if (polls == 0) log_debug("waiting for another instance's Slack token refresh", {{"workspace", workspace}});
        if (polls == refresh_lead_polls) {
            workspace_token out;
            out.error = "another cxos instance is refreshing the workspace's token; trying again later";
            co_return out;
        }
        asio::steady_timer pause(executor_, refresh_lead_poll);
        co_await pause.async_wait(asio::use_awaitable);
    }
}

asio::awaitable<workspace_token> slack_workspaces::refresh_with(const std::string& workspace, const cached& current) {
    outbound_request req;
    req.target = api_.path + "/oauth.v2.access";
    req.content_type = "application/x-www-form-urlencoded";
    req.body = oauth::refresh_token_body(app_->client_id, app_->client_secret, current.refresh_token);
    auto res = co_await client_.send(api_, req);
    workspace_token out;
    if (!res.error.empty()) {
        out.error = "refreshing the workspace's token: " + res.error;
        co_return out;
    }
    auto answer = slack::read_oauth_access(res.status, res.body);
    if (auto* error = std::get_if<std::string>(&answer)) {
        log_warn("Slack refused to refresh a workspace's token", {{"workspace", workspace}, {"error", *error}});
        out.error = "refreshing the workspace's token: " + *error;
        out.permanent = *error == "invalid_refresh_token" || *error == "invalid_client_id";
        co_return out;
    }
    auto bot = std::get<slack::installed_bot>(std::move(answer));
    const millis now = clock_source::system_now();
    auto row = seal(bot, now);
    row.workspace = workspace; // a refresh answers for the same installation, whatever it names
    row.installed_at = current.row.installed_at;
    if (row.installed_by.empty()) row.installed_by = current.row.installed_by;
    if (row.team_id.empty()) row.team_id = current.row.team_id;
    if (row.bot_user_id.empty()) row.bot_user_id = current.row.bot_user_id;
    auto save = store_call(queue_, [row](storage::store& st) {
        st.save_slack_installation(row);
        return true;
    });
    co_await std::move(save);
    cache_.insert_or_assign(workspace, cached{row, bot.bot_token, bot.refresh_token});
    log_info("Slack token refreshed", {{"workspace", workspace}, {"expires_in_s", bot.expires_in}});
    out.token = bot.bot_token;
    out.installed = true;
    co_return out;
}

asio::awaitable<slack_workspaces::install_result> slack_workspaces::install(const std::string& code,
                                                                           const std::string& redirect_uri,
                                                                           const std::vector<std::string>& allowed_teams) {
    using result = install_result;
    outbound_request req;
    req.target = api_.path + "/oauth.v2.access";
    req.content_type = "application/x-www-form-urlencoded";
    req.body = oauth::authorization_code_body(app_->client_id, app_->client_secret, code, redirect_uri);
    auto res = co_await client_.send(api_, req);
    if (!res.error.empty()) co_return result(std::string("Slack did not answer (" + res.error + ")"));
    auto answer = slack::read_oauth_access(res.status, res.body);
    if (auto* error = std::get_if<std::string>(&answer)) co_return result(*error);
    auto bot = std::get<slack::installed_bot>(answer);
    // Slack says which workspace only now: one not allowed gets its fresh token back at once.
    if (!install_allowed(bot, allowed_teams)) {
        outbound_request revoke;
        revoke.target = api_.path + "/auth.revoke";
        revoke.content_type = "application/x-www-form-urlencoded";
        revoke.bearer_token = bot.bot_token;
        auto revoked = co_await client_.send(api_, revoke);
        const bool done = revoked.error.empty() && revoked.status == 200;
        log_warn("Slack install refused: the workspace is not in slack.install.allowed_teams",
                 {{"workspace", bot.workspace()}, {"team", bot.team_name}, {"enterprise", bot.enterprise_id},
                  {"token_revoked", done}});
        co_return result(not_allowed{bot.workspace(), bot.team_name});
    }
    auto row = seal(bot, clock_source::system_now());
    auto save = store_call(queue_, [row](storage::store& st) {
        st.save_slack_installation(row);
        return true;
    });
    co_await std::move(save);
    cache_.insert_or_assign(row.workspace, cached{row, bot.bot_token, bot.refresh_token});
    co_return result(std::move(bot));
}

asio::awaitable<int> slack_workspaces::forget(const slack::app_lifecycle_event& event) {
    // app_uninstalled names the workspace it left (an org-wide install: the org alone);
    // tokens_revoked names the bot users whose tokens went, whichever installation holds them.
    auto remove = store_call(queue_, [event](storage::store& st) {
        std::vector<std::string> gone;
        for (const auto& i : st.slack_installations()) {
            const bool here = i.workspace == (event.team_id.empty() ? event.enterprise_id : event.team_id);
            const bool revoked = std::find(event.revoked_bots.begin(), event.revoked_bots.end(), i.bot_user_id) !=
                                 event.revoked_bots.end();
            if ((event.uninstalled && here) || (!event.uninstalled && revoked && (here || i.enterprise_id == event.enterprise_id)))
                if (st.remove_slack_installation(i.workspace)) gone.push_back(i.workspace);
        }
        return gone;
    });
    auto gone = co_await std::move(remove);
    for (const auto& w : gone) {
        cache_.erase(w);
        log_warn(event.uninstalled ? "cxos was uninstalled from a Slack workspace; its token is deleted"
                                   : "Slack revoked a workspace's bot token; it is deleted",
                 {{"workspace", w}, {"hint", "posts for that workspace become dead letters until cxos is installed "
                                             "there again (/slack/install)"}});
    }
    co_return static_cast<int>(gone.size());
}

} // namespace cxos::bot
