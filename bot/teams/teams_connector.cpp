#include "bot/teams/teams_connector.hpp"
#include "commands/json_text.hpp"

#include "bot/core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cxos::bot {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Scheduled refreshes that fail are retried, but not more than once a minute: a broken metadata
// endpoint must not turn every inbound activity into two outbound requests.
constexpr std::int64_t failed_refresh_retry_seconds = 60;
constexpr std::int64_t token_renew_margin_seconds = 5 * 60;

std::string token_url_for(const teams_config& config, const teams_credentials& c) {
    std::string url = config.token_url;
    const std::string tenant = c.tenant_id.empty() ? "botframework.com" : c.tenant_id;
    if (auto at = url.find("{tenant}"); at != std::string::npos) url.replace(at, 8, tenant);
    return url;
}

std::string target_of(const endpoint_url& e) { return e.path.empty() ? "/" : e.path; }

} // namespace

teams_connector::teams_connector(asio::any_io_executor ex, http_client& client, const teams_config& config,
                                 teams_credentials credentials, std::function<std::int64_t()> now_seconds)
    : executor_(ex), client_(client), config_(config), credentials_(std::move(credentials)), now_(std::move(now_seconds)),
      keys_fetch_(ex), token_fetch_(ex) {}

asio::awaitable<outbound_response> teams_connector::fetch(const std::string& url) {
    endpoint_url at;
    if (auto problem = parse_endpoint_url(url, at); !problem.empty()) {
        outbound_response bad;
        bad.error = problem;
        co_return bad;
    }
    outbound_request req;
    req.method = http::verb::get;
    req.target = target_of(at);
    req.timeout = std::chrono::milliseconds(5000);
    auto res = co_await client_.send(at, req);
    co_return res;
}

asio::awaitable<void> teams_connector::refresh_keys() {
    if (keys_fetch_.in_flight()) {
        // Another request is already fetching: wait for it rather than fetching twice.
        auto landed = keys_fetch_.wait();
        co_await std::move(landed);
        co_return;
    }
    const flight_gate::ticket fetching(keys_fetch_);
    last_key_attempt_ = now_();
    const auto& m = config_.openid_metadata;
    const std::string metadata_url = m.scheme + "://" + m.host + ":" + m.port + m.path;
    auto metadata = co_await fetch(metadata_url);
    std::string problem;
    std::vector<jwt::signing_key> keys;
    if (!metadata.error.empty() || metadata.status != 200) {
        problem = "OpenID metadata: " + (metadata.error.empty() ? "HTTP " + std::to_string(metadata.status) : metadata.error);
    } else if (auto jwks_uri = jwt::jwks_uri_of(metadata.body); jwks_uri.empty()) {
        problem = "OpenID metadata has no usable jwks_uri";
    } else {
        auto jwks = co_await fetch(jwks_uri);
        if (!jwks.error.empty() || jwks.status != 200)
            problem = "JWKS: " + (jwks.error.empty() ? "HTTP " + std::to_string(jwks.status) : jwks.error);
        else if (keys = jwt::parse_jwks(jwks.body); keys.empty())
            problem = "JWKS lists no usable RS256 key";
    }
    if (problem.empty()) {
        log_info("Bot Framework signing keys refreshed", {{"keys", keys.size()}});
        keys_.refreshed(std::move(keys), now_());
    } else {
        log_warn("Bot Framework signing keys not refreshed; keeping the old ones", {{"error", problem}});
        keys_.refresh_failed(now_());
    }
}

asio::awaitable<jwt::jwt_verdict> teams_connector::authenticate(std::string_view authorization,
                                                                  const std::string& channel_id,
                                                                  const std::string& service_url) {
    const std::string header(authorization); // the request may be gone after a suspension
    if (keys_.refresh_due(now_()) && now_() - last_key_attempt_ >= failed_refresh_retry_seconds) {
        // The daily refresh runs beside requests while keys exist: Teams waits 5 s for an invoke.
        if (keys_.keys().empty()) co_await refresh_keys();
        else if (!keys_fetch_.in_flight()) asio::co_spawn(executor_, refresh_keys(), asio::detached);
    }
    teams::bot_framework_expectations expect;
    expect.audience = credentials_.app_id;
    expect.channel_id = channel_id;
    expect.service_url = service_url;
    expect.now_seconds = now_();
    auto verdict = teams::verify_bot_framework_token(header, keys_.keys(), expect);
    if (verdict.failure == jwt::jwt_failure::unknown_key && keys_.may_refresh_for_unknown_kid(now_())) {
        co_await refresh_keys(); // Microsoft rolled its keys: look once, then at most hourly
        expect.now_seconds = now_();
        verdict = teams::verify_bot_framework_token(header, keys_.keys(), expect);
    }
    if (verdict.ok()) trust(service_url);
    co_return verdict;
}

bool teams_connector::trusted(const std::string& service_url) const {
    return vouched_.count(service_url) > 0 || teams::service_url_allowed(service_url, config_.service_url_allowlist);
}

asio::awaitable<std::string> teams_connector::token(bool renew, std::string& error) {
    const std::string refused = renew ? token_.access_token : std::string();
    // Concurrent sends share one token request: the others wait for its answer.
    auto landed = token_fetch_.wait();
    co_await std::move(landed);
    const bool fresh_enough = !token_.access_token.empty() && now_() < token_.expires_at - token_renew_margin_seconds;
    if (fresh_enough && (!renew || token_.access_token != refused)) co_return token_.access_token;
    const flight_gate::ticket fetching(token_fetch_);
    endpoint_url at;
    const std::string url = token_url_for(config_, credentials_);
    if (auto problem = parse_endpoint_url(url, at); !problem.empty()) {
        error = "teams.token_url " + problem;
        co_return std::string();
    }
    outbound_request req;
    req.target = target_of(at);
    req.content_type = "application/x-www-form-urlencoded";
    req.body = teams::token_request_body(credentials_.app_id, credentials_.app_password);
    req.timeout = std::chrono::milliseconds(10000);
    auto res = co_await client_.send(at, req);
    if (!res.error.empty()) {
        error = "token endpoint: " + res.error;
        co_return std::string();
    }
    auto fresh = teams::parse_token_response(res.status, res.body, now_(), error);
    if (!fresh) co_return std::string();
    token_ = std::move(*fresh);
    log_info("Bot Framework token renewed", {{"expires_in_s", token_.expires_at - now_()}});
    co_return token_.access_token;
}

asio::awaitable<teams::connector_result> teams_connector::call(http::verb method, const std::string& service_url,
                                                              const std::string& path, const nlohmann::json& body,
                                                              const std::string& conversation) {
    teams::connector_result out;
    endpoint_url at;
    if (!trusted(service_url) || !parse_endpoint_url(service_url, at).empty()) {
        out.outcome = teams::connector_outcome::dead;
        out.error = "serviceUrl " + service_url + " is neither vouched for by Teams nor in teams.service_url_allowlist";
        co_return out;
    }
    outbound_request req;
    req.method = method;
    req.target = at.path + path; // `path` starts at "/v3/"
    req.content_type = "application/json; charset=utf-8";
    req.body = json_text(body);
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::string error;
        req.bearer_token = co_await token(attempt > 0, error);
        if (req.bearer_token.empty()) {
            out.outcome = teams::connector_outcome::retry;
            out.error = error;
            co_return out;
        }
        auto res = co_await client_.send(at, req);
        if (!res.error.empty()) {
            out.outcome = teams::connector_outcome::retry;
            out.error = res.error;
            co_return out;
        }
        out = teams::classify_connector_response(res.status, res.retry_after, res.body, conversation);
        if (out.outcome != teams::connector_outcome::unauthorized) co_return out;
    }
    out.outcome = teams::connector_outcome::retry; // a renewed token was refused too: try later
    co_return out;
}

} // namespace cxos::bot
