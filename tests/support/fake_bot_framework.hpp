#pragma once
// A local Microsoft Bot Framework on one loopback port (plain http) that speaks the real
// protocol for everything cxos calls:
//   - login: GET /v1/.well-known/openidconfiguration and the JWKS it names (/v1/.well-known/keys),
//     with keys tests publish, rotate and retire, and fetch failures on demand;
//   - Azure AD client credentials: POST /{tenant}/oauth2/v2.0/token, issuing opaque bearer tokens;
//   - the Bot Connector REST v3 under the service URL http://127.0.0.1:<port>/teams/ (with its
//     trailing slash, like https://smba.trafficmanager.net/amer/), and under regional ones
//     .../teams/<region>/ that keep their own rosters: conversations create, activity
//     send/reply and update, recorded as a thread model and as raw requests, with scripted
//     throttling, errors and dropped connections.
// It also mints the tokens the Bot Connector sends with each inbound activity (inbound_token).
#include "tests/support/loopback_http_server.hpp"
#include "tests/support/test_bot_framework_jwt.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cxos::test {

// The bot's registration as cxos is configured with it.
struct bot_registration {
    std::string app_id = "5f1c6b8e-2f0a-4c1e-9d53-7f4b2a1e0c9d"; // MICROSOFT_APP_ID
    std::string app_password = "fake-bot-client-secret";          // MICROSOFT_APP_PASSWORD
    // MICROSOFT_APP_TENANT_ID of a single-tenant bot (teams_context's default tenant too);
    // "botframework.com" for a multi-tenant one.
    std::string tenant = "3c1e5a7b-9d2f-4e6a-8b0c-1f2e3d4c5b6a";
};

// One activity the bot sent, where it landed.
struct sent_activity {
    std::string conversation_id; // as in the request path (decoded) or the created conversation
    std::string id;              // the id the fake gave it
    std::string reply_to_id;     // from the path (.../activities/{replyToId}), if any
    nlohmann::json body;         // as sent; an update replaces it
};

// A channel thread: a root post and its replies in order. Threads rooted in a user's message
// (cxos replying to an @mention) have no root body: the fake never saw that post.
struct teams_thread {
    std::string channel_id; // 19:...@thread.tacv2
    std::string root_id;
    std::optional<sent_activity> root; // set when the bot posted the root
    std::vector<sent_activity> replies;
};

struct created_chat {
    std::string id;              // a:...
    std::string member_id;       // 29:... the user it is with
    nlohmann::json request;      // the conversations create body
};

struct activity_update {
    std::string conversation_id;
    std::string activity_id;
    nlohmann::json body;
};

// One request to the Bot Connector, answered or not.
struct connector_request {
    std::string method;
    std::vector<std::string> path; // decoded segments after the service URL, e.g. {"v3","conversations","19:a@thread.tacv2;messageid=1","activities"}
    nlohmann::json body;           // null when absent or not JSON
    std::string authorization;
    std::string region;            // which service URL: "" for service_url(), else service_url(region)'s
    unsigned status = 0;           // what the fake answered; 0 for a dropped connection
};

struct bot_framework_state {
    std::vector<teams_thread> threads;   // in order of first activity
    std::vector<sent_activity> chat_messages; // to 1:1 and group chats (conversation ids not 19:...@thread)
    std::vector<created_chat> chats;
    std::vector<activity_update> updates;
    std::vector<connector_request> requests;
    int connector_attempts = 0; // every connector request, authorised or not
    int token_requests = 0;     // every token endpoint call, right credentials or not
    int tokens_issued = 0;
    int openid_fetches = 0;
    int jwks_fetches = 0;

    const teams_thread* thread(const std::string& root_id) const;
    const teams_thread* first_thread_in(const std::string& channel_id) const;
    // Every posted activity (roots, replies, chat messages) in the order they arrived.
    std::vector<sent_activity> activities() const;
};

// One scripted connector answer. status 200 with an empty body answers normally.
struct connector_answer {
    unsigned status = 200;
    std::string body;         // JSON; empty means the normal answer
    std::string retry_after;  // Retry-After header (seconds)
    bool drop = false;        // close the connection without answering, nothing recorded as posted
    bool act_then_drop = false; // post/update as normal, then close without answering

    static connector_answer throttled(std::string retry_after_seconds = "1"); // 429
    static connector_answer precondition_failed(); // 412
    static connector_answer bad_gateway();          // 502
    static connector_answer gateway_timeout();      // 504
    static connector_answer bot_not_in_roster();    // 403 BotNotInConversationRoster
    static connector_answer conversation_not_found(); // 404 ConversationNotFound
    static connector_answer dropped();
    static connector_answer posted_then_dropped();
};

// Teams refuses activities over this size (bytes of request body) with 413 MessageSizeTooBig.
inline constexpr std::size_t max_activity_bytes = 100 * 1024;

class fake_bot_framework {
  public:
    explicit fake_bot_framework(bot_registration registration = {});
    ~fake_bot_framework();

    const bot_registration& registration() const { return registration_; }
    unsigned short port() const;
    std::string base_url() const;             // http://127.0.0.1:<port>
    std::string openid_metadata_url() const;  // .../v1/.well-known/openidconfiguration
    std::string jwks_url() const;             // .../v1/.well-known/keys
    std::string token_url() const;            // .../<tenant>/oauth2/v2.0/token
    std::string token_url_template() const;   // .../{tenant}/oauth2/v2.0/token, as cxos is configured
    std::string service_url() const;          // .../teams/ (trailing slash kept)
    std::string service_url(const std::string& region) const; // .../teams/<region>/, like /emea/
    std::string bot_id() const { return "28:" + registration_.app_id; }

    // --- login: keys and OpenID ---------------------------------------------------------------
    // The key that signs valid inbound tokens (kid "fake-bf-msteams-1", endorses msteams, skype),
    // published from the start alongside one that endorses only webchat.
    test_signing_key signing_key() const;
    void publish_key(test_signing_key key);   // added to the JWKS
    void retire_key(const std::string& kid);  // removed from the JWKS
    // Publishes `key` and makes it the one inbound_token signs with; the old one stays published
    // unless `retire_old`.
    void rotate_signing_key(test_signing_key key, bool retire_old = true);
    std::vector<test_signing_key> published_keys() const;
    void fail_jwks_fetches(int times, unsigned status = 500);
    void fail_openid_fetches(int times, unsigned status = 500);

    // A token as the Bot Connector sends with an activity for `service_url` (default: this fake's),
    // signed by the current signing key, or made wrong the way `defect` says. Without "Bearer ".
    // nbf/exp are around `now_seconds` (default: the wall clock; pass cxos's test clock if it runs one).
    std::string inbound_token(token_defect defect = token_defect::none, std::string service_url = "",
                              std::int64_t now_seconds = 0) const;

    // --- token endpoint -----------------------------------------------------------------------
    void set_token_lifetime(int expires_in_seconds);  // default 3599
    void expire_issued_tokens();                      // the connector refuses every token issued so far
    void fail_token_requests(int times, unsigned status = 500);
    std::vector<std::string> issued_tokens() const;

    // --- connector scripts --------------------------------------------------------------------
    void script(connector_answer a);  // next connector calls, in order
    // Next calls for that conversation: matches the conversation id in the path exactly or its
    // channel part (before ";messageid="), or the channel / member of a conversations create.
    void script_for(std::string conversation_or_channel, connector_answer a);
    void clear_script();

    // --- the dashboard's Sign in with Microsoft (fake_bot_framework_signin.cpp) ---------------
    // config's dashboard.microsoft_login_url: {this}/<tenant>/oauth2/v2.0/token takes the
    // authorization_code grant too, {this}/<tenant>/discovery/v2.0/keys is the login JWKS.
    std::string login_url() const { return base_url(); }
    // A person (Entra object id `oid` in tenant `tid`) approves the sign-in `link`: the
    // callback's query ("code=…&state=…"); the id_token will carry the link's nonce.
    std::string approve_signin(const std::string& link, const std::string& oid, const std::string& tid,
                               const std::string& name = "Grace Hopper");
    // Who GET /v3/conversations/<channel>/members/<oid> finds at service_url(region) (otherwise
    // 404 MemberNotFound, as a channel's roster is unknown to other regions' Bot Connectors).
    void set_roster(const std::string& channel, std::vector<std::string> oids, const std::string& region = "");

    bot_framework_state state() const;
    // Waits until pred(state) holds; the predicate runs under the fake's lock and must not call it.
    bool wait_for(const std::function<bool(const bot_framework_state&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
    // Waits until the activity `activity_id` is replaced by one whose body contains `needle`.
    bool wait_for_update(const std::string& activity_id, const std::string& needle) const;

  private:
    loopback_response handle(const loopback_request& req);
    loopback_response openid_configuration();
    loopback_response jwks();
    loopback_response token(const std::string& tenant, const loopback_request& req);
    // The connector (fake_bot_framework_connector.cpp); all called with the lock held.
    loopback_response connector(const loopback_request& req, std::vector<std::string> path);
    std::optional<connector_answer> next_answer(const std::string& conversation_key);
    loopback_response create_conversation(const nlohmann::json& body);
    loopback_response post_activity(const std::string& conversation_id, const std::string& reply_to_id,
                                    const nlohmann::json& body);
    loopback_response update_activity(const std::string& conversation_id, const std::string& activity_id,
                                      const nlohmann::json& body);
    bool token_accepted(const std::string& authorization) const;
    loopback_response signin_token(const std::string& tenant, std::map<std::string, std::string>& form);
    loopback_response roster_member(const std::string& region, const std::string& channel, const std::string& member);
    struct signin_code {
        std::string oid, tid, name, nonce, redirect_uri;
    };
    std::map<std::string, signin_code> signin_codes_; // single use
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> rosters_; // by region, channel
    std::string next_message_id();
    teams_thread& thread_for(const std::string& channel_id, const std::string& root_id);

    bot_registration registration_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    bot_framework_state state_;
    std::vector<test_signing_key> keys_;
    std::string signing_kid_;
    int jwks_failures_ = 0, openid_failures_ = 0, token_failures_ = 0;
    unsigned jwks_failure_status_ = 500, openid_failure_status_ = 500, token_failure_status_ = 500;
    int token_lifetime_seconds_ = 3599;
    std::map<std::string, std::chrono::steady_clock::time_point> tokens_; // issued -> expiry
    std::vector<std::string> issued_order_;
    std::deque<connector_answer> script_;
    std::vector<std::pair<std::string, connector_answer>> conversation_script_;
    long long last_message_id_ = 0;
    int chat_count_ = 0;
    // Last, so it stops (joining every handler) before the state above goes away.
    std::unique_ptr<loopback_http_server> server_;
};

} // namespace cxos::test
