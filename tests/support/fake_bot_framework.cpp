// The fake Bot Framework's login side (OpenID metadata, JWKS, inbound tokens), its Azure AD token
// endpoint, routing and state. The Bot Connector itself is in fake_bot_framework_connector.cpp.
#include "tests/support/fake_bot_framework.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <random>

namespace cxos::test {

using nlohmann::json;

namespace {

// Azure AD's error shape for the token endpoint.
loopback_response aad_error(unsigned status, const char* error, const std::string& description) {
    return loopback_response::with_json(status, {{"error", error}, {"error_description", description}, {"error_codes", json::array()},
                                {"timestamp", "2026-01-01 00:00:00Z"}, {"trace_id", "fake"}, {"correlation_id", "fake"}});
}

std::string random_hex(std::size_t n) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += digits[rng() % 16];
    return out;
}

} // namespace

const teams_thread* bot_framework_state::thread(const std::string& root_id) const {
    for (const auto& t : threads)
        if (t.root_id == root_id) return &t;
    return nullptr;
}

const teams_thread* bot_framework_state::first_thread_in(const std::string& channel_id) const {
    for (const auto& t : threads)
        if (t.channel_id == channel_id) return &t;
    return nullptr;
}

std::vector<sent_activity> bot_framework_state::activities() const {
    std::vector<sent_activity> all = chat_messages;
    for (const auto& t : threads) {
        if (t.root) all.push_back(*t.root);
        all.insert(all.end(), t.replies.begin(), t.replies.end());
    }
    // Ids are increasing numbers of equal length, so their order is the order of arrival.
    std::sort(all.begin(), all.end(), [](const sent_activity& a, const sent_activity& b) {
        return a.id.size() != b.id.size() ? a.id.size() < b.id.size() : a.id < b.id;
    });
    return all;
}

fake_bot_framework::fake_bot_framework(bot_registration registration) : registration_(std::move(registration)) {
    keys_.push_back(test_signing_key::generate("fake-bf-msteams-1", {"msteams", "skype"}));
    keys_.push_back(test_signing_key::generate("fake-bf-webchat-1", {"webchat"}));
    signing_kid_ = keys_.front().kid;
    // The server reads bodies far larger than Teams accepts, so an oversized card gets Teams' 413.
    server_ = std::make_unique<loopback_http_server>([this](const loopback_request& r) { return handle(r); });
}

fake_bot_framework::~fake_bot_framework() { server_.reset(); }

unsigned short fake_bot_framework::port() const { return server_->port(); }
std::string fake_bot_framework::base_url() const { return server_->base_url(); }
std::string fake_bot_framework::openid_metadata_url() const { return base_url() + "/v1/.well-known/openidconfiguration"; }
std::string fake_bot_framework::jwks_url() const { return base_url() + "/v1/.well-known/keys"; }
std::string fake_bot_framework::token_url() const { return base_url() + "/" + registration_.tenant + "/oauth2/v2.0/token"; }
std::string fake_bot_framework::token_url_template() const { return base_url() + "/{tenant}/oauth2/v2.0/token"; }
std::string fake_bot_framework::service_url() const { return base_url() + "/teams/"; }
std::string fake_bot_framework::service_url(const std::string& region) const {
    return region.empty() ? service_url() : service_url() + region + "/";
}

test_signing_key fake_bot_framework::signing_key() const {
    std::lock_guard lock(mutex_);
    for (const auto& k : keys_)
        if (k.kid == signing_kid_) return k;
    throw std::logic_error("fake_bot_framework: the signing key was retired");
}

void fake_bot_framework::publish_key(test_signing_key key) {
    std::lock_guard lock(mutex_);
    keys_.push_back(std::move(key));
}

void fake_bot_framework::retire_key(const std::string& kid) {
    std::lock_guard lock(mutex_);
    std::erase_if(keys_, [&](const test_signing_key& k) { return k.kid == kid; });
}

void fake_bot_framework::rotate_signing_key(test_signing_key key, bool retire_old) {
    std::lock_guard lock(mutex_);
    if (retire_old) std::erase_if(keys_, [&](const test_signing_key& k) { return k.kid == signing_kid_; });
    signing_kid_ = key.kid;
    keys_.push_back(std::move(key));
}

std::vector<test_signing_key> fake_bot_framework::published_keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
}

void fake_bot_framework::fail_jwks_fetches(int times, unsigned status) {
    std::lock_guard lock(mutex_);
    jwks_failures_ = times;
    jwks_failure_status_ = status;
}

void fake_bot_framework::fail_openid_fetches(int times, unsigned status) {
    std::lock_guard lock(mutex_);
    openid_failures_ = times;
    openid_failure_status_ = status;
}

std::string fake_bot_framework::inbound_token(token_defect defect, std::string service_url,
                                              std::int64_t now_seconds) const {
    if (service_url.empty()) service_url = this->service_url();
    test_signing_key signer = signing_key();
    if (defect == token_defect::unendorsed_key) {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(keys_.begin(), keys_.end(), [](const test_signing_key& k) {
            return std::find(k.endorsements.begin(), k.endorsements.end(), "msteams") == k.endorsements.end();
        });
        if (it == keys_.end()) throw std::logic_error("fake_bot_framework: no published key lacks msteams");
        signer = *it;
    }
    if (now_seconds == 0) now_seconds = unix_now_seconds();
    return mint_defective_bot_token(signer, valid_bot_claims(registration_.app_id, service_url, now_seconds), defect);
}

void fake_bot_framework::set_token_lifetime(int expires_in_seconds) {
    std::lock_guard lock(mutex_);
    token_lifetime_seconds_ = expires_in_seconds;
}

void fake_bot_framework::expire_issued_tokens() {
    std::lock_guard lock(mutex_);
    for (auto& [token, expiry] : tokens_) expiry = std::chrono::steady_clock::time_point::min();
}

void fake_bot_framework::fail_token_requests(int times, unsigned status) {
    std::lock_guard lock(mutex_);
    token_failures_ = times;
    token_failure_status_ = status;
}

std::vector<std::string> fake_bot_framework::issued_tokens() const {
    std::lock_guard lock(mutex_);
    return issued_order_;
}

void fake_bot_framework::script(connector_answer a) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(a));
}

void fake_bot_framework::script_for(std::string conversation_or_channel, connector_answer a) {
    std::lock_guard lock(mutex_);
    conversation_script_.emplace_back(std::move(conversation_or_channel), std::move(a));
}

void fake_bot_framework::clear_script() {
    std::lock_guard lock(mutex_);
    script_.clear();
    conversation_script_.clear();
}

bot_framework_state fake_bot_framework::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

bool fake_bot_framework::wait_for(const std::function<bool(const bot_framework_state&)>& pred,
                                  std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return pred(state_); });
}

bool fake_bot_framework::wait_for_update(const std::string& activity_id, const std::string& needle) const {
    return wait_for([&](const bot_framework_state& s) {
        for (const auto& u : s.updates)
            if (u.activity_id == activity_id && u.body.dump().find(needle) != std::string::npos) return true;
        return false;
    });
}

loopback_response fake_bot_framework::handle(const loopback_request& req) {
    auto url = boost::urls::parse_origin_form(req.target);
    if (!url) return loopback_response::with_json(400, {{"error", "invalid_request"}});
    std::vector<std::string> path;
    for (auto segment : url->segments()) path.push_back(segment);
    std::lock_guard lock(mutex_);
    struct notify_on_exit { std::condition_variable& cv; ~notify_on_exit() { cv.notify_all(); } } notify{changed_};
    if (req.method == "GET" && path == std::vector<std::string>{"v1", ".well-known", "openidconfiguration"})
        return openid_configuration();
    if (req.method == "GET" && path == std::vector<std::string>{"v1", ".well-known", "keys"}) return jwks();
    if (req.method == "POST" && path.size() == 4 && path[1] == "oauth2" && path[2] == "v2.0" && path[3] == "token")
        return token(path[0], req);
    if (req.method == "GET" && path.size() == 4 && path[1] == "discovery" && path[2] == "v2.0" && path[3] == "keys")
        return loopback_response::with_json(200, jwks_of(keys_));
    if (!path.empty() && path[0] == "teams") return connector(req, {path.begin() + 1, path.end()});
    return loopback_response::with_json(404, {{"error", {{"code", "NotFound"}, {"message", "No route for " + req.target}}}});
}

loopback_response fake_bot_framework::openid_configuration() {
    ++state_.openid_fetches;
    if (openid_failures_ > 0) {
        --openid_failures_;
        return loopback_response::with_json(openid_failure_status_, {{"error", "scripted failure"}});
    }
    return loopback_response::with_json(200, {{"issuer", std::string(teams::bot_framework_issuer)},
                             {"authorization_endpoint", "https://invalid.botframework.com"},
                             {"jwks_uri", jwks_url()},
                             {"id_token_signing_alg_values_supported", {"RS256"}},
                             {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}});
}

loopback_response fake_bot_framework::jwks() {
    ++state_.jwks_fetches;
    if (jwks_failures_ > 0) {
        --jwks_failures_;
        return loopback_response::with_json(jwks_failure_status_, {{"error", "scripted failure"}});
    }
    return loopback_response::with_json(200, jwks_of(keys_));
}

loopback_response fake_bot_framework::token(const std::string& tenant, const loopback_request& req) {
    ++state_.token_requests;
    if (token_failures_ > 0) {
        --token_failures_;
        return aad_error(token_failure_status_, "temporarily_unavailable", "AADSTS50196: scripted failure.");
    }
    if (tenant != registration_.tenant && tenant != "organizations")
        return aad_error(400, "invalid_request", "AADSTS90002: Tenant '" + tenant + "' not found.");
    if (req.header("content-type").rfind("application/x-www-form-urlencoded", 0) != 0)
        return aad_error(400, "invalid_request",
                         "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
    std::map<std::string, std::string> form;
    const std::string as_query = "/?" + req.body; // the url_view below points into it
    if (auto parsed = boost::urls::parse_origin_form(as_query))
        for (auto p : parsed->params(boost::urls::encoding_opts(true))) form[p.key] = p.value;
    if (form["grant_type"] == "authorization_code") return signin_token(tenant, form);
    if (form["grant_type"] != "client_credentials")
        return aad_error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
    if (form["client_id"] != registration_.app_id || form["client_secret"] != registration_.app_password)
        return aad_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    if (form["scope"] != "https://api.botframework.com/.default")
        return aad_error(400, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.");
    const std::string access_token = "fake-bf-access-" + std::to_string(++state_.tokens_issued) + "-" + random_hex(24);
    tokens_[access_token] = std::chrono::steady_clock::now() + std::chrono::seconds(token_lifetime_seconds_);
    issued_order_.push_back(access_token);
    return loopback_response::with_json(200, {{"token_type", "Bearer"}, {"expires_in", token_lifetime_seconds_},
                             {"ext_expires_in", token_lifetime_seconds_}, {"access_token", access_token}});
}

bool fake_bot_framework::token_accepted(const std::string& authorization) const {
    static const std::string scheme = "Bearer ";
    if (authorization.rfind(scheme, 0) != 0) return false;
    auto it = tokens_.find(authorization.substr(scheme.size()));
    return it != tokens_.end() && std::chrono::steady_clock::now() < it->second;
}

std::string fake_bot_framework::next_message_id() {
    // Teams message ids are Unix milliseconds; unique and increasing here.
    const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    last_message_id_ = std::max(last_message_id_ + 1, now_ms);
    return std::to_string(last_message_id_);
}

} // namespace cxos::test
