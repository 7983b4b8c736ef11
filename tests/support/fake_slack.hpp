#pragma once
// A local Slack Web API that speaks the real contract for the methods cxos calls
// (chat.postMessage/update/postEphemeral/getPermalink, conversations.history/replies/members/join/open,
// views.open, reactions.add), records what arrives, and can be told to answer 429, 5xx, ok:false
// or to drop the connection on demand.
#include "tests/support/loopback_http_server.hpp"

#include <boost/url/url_view.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cxos::test {

struct posted_message {
    std::string channel;
    std::string ts;
    nlohmann::json body; // as cxos sent it; chat.update replaces its text and blocks
    std::string thread_ts; // empty unless posted as a thread reply
    std::string token;     // the bot token it came with: which workspace posted it
};

struct fake_update {
    std::string channel;
    std::string ts;
    nlohmann::json body;
};

struct opened_view {
    std::string trigger_id;
    nlohmann::json view; // exactly as cxos sent it
    std::string id;      // the "V<n>" the answer gave it
};

// A message that exists in a channel without cxos having posted it (for history/replies).
struct seeded_message {
    std::string channel, ts, user, text, thread_ts;
};

// Everything the fake has seen, copied at one instant.
struct fake_state {
    std::vector<posted_message> posts;
    std::vector<fake_update> updates;
    std::vector<opened_view> views;
    std::vector<nlohmann::json> ephemerals;
    std::vector<nlohmann::json> reactions; // reactions.add bodies: channel, timestamp, name
    std::vector<std::string> joins;         // channels named in conversations.join
    int post_attempts = 0;
    int history_calls = 0;
    int auth_tests = 0; // auth.test calls, answered or refused
    int held_posts = 0; // chat.postMessage calls that arrived while posts were held
};

// One scripted answer for the next call of a method. `status` 200 with an empty `body` answers
// normally (with `retry_after` and `post_then_drop` still applied).
struct scripted_answer {
    unsigned status = 200;
    std::string body;          // JSON; empty means a normal ok:true
    std::string retry_after;   // Retry-After header for 429
    bool post_then_drop = false; // record the message, then close without answering
    std::chrono::milliseconds delay{0}; // a slow Slack: then the answer as scripted (or the normal one)
};

class fake_slack {
  public:
    explicit fake_slack(std::string token = "xoxb-test-token");
    // A Slack that speaks TLS with a self-signed certificate no trust store accepts.
    static std::unique_ptr<fake_slack> untrusted_tls();
    ~fake_slack();

    unsigned short port() const { return port_; }
    std::string api_url() const {
        return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/api";
    }
    int tls_handshakes() const; // completed TLS handshakes (untrusted_tls only)

    void script(scripted_answer a);              // answers in the order given
    void script_for(std::string channel, scripted_answer a); // only for that channel
    void clear_script();
    void fail_history(int times); // the next `times` history reads answer HTTP 500
    // The next call of `method` (e.g. "views.open") gets `a`; queued per method. For
    // chat.postMessage, script_for answers first, then this, then script.
    void script_method(std::string method, scripted_answer a);
    void expire_trigger(std::string trigger_id); // views.open with it: expired_trigger_id
    // Slack's clock for a trigger: from now, views.open with it works for 3 s, then answers
    // expired_trigger_id (Slack's own limit).
    void issue_trigger(std::string trigger_id);
    // While held, chat.postMessage calls are read, counted (held_posts) and left unanswered, as
    // posts that have not reached Slack yet; released, they go on as usual (recorded, answered).
    // The fake releases them when it goes.
    void hold_posts(bool held);

    // From now on the workspace accepts `token` (and refuses every other with invalid_auth), as
    // when an admin reinstalls the app or restores a revoked token.
    void accept_token(std::string token);
    // Accepts `token` too, or no longer (`accepted` false): a workspace cxos was installed into
    // (fake_slack_oauth), or one that uninstalled it.
    void accept_workspace_token(const std::string& token, bool accepted = true);

    // Serves a Web API method this fake does not know itself (apps.connections.open for
    // fake_socket_mode), ahead of the bot-token check: the method checks its own token.
    using extra_method = std::function<loopback_response(const loopback_request&)>;
    void serve_method(const std::string& method, extra_method handler);

    void set_members(const std::string& channel, std::vector<std::string> users);
    // chat.postEphemeral to `channel` answers channel_not_found, as for a DM between people or a
    // private channel cxos is not in.
    void refuse_ephemerals_in(const std::string& channel);

    // A click's response_url on this fake (slack.hooks_url is its origin): a note posted there is
    // recorded with the ephemerals, naming `channel` and `user`, and with "via": "response_url".
    // Like Slack's it takes five notes; expired, it answers 404 expired_url.
    std::string response_url(const std::string& channel, const std::string& user);
    void expire_response_url(const std::string& url);
    void fail_response_url(const std::string& url); // answers 503 from now on, as an outage would
    std::string hooks_url() const { return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_); }
    void seed_message(seeded_message m);
    void seed_message(const std::string& channel, const std::string& ts, const std::string& user,
                      const std::string& text, const std::string& thread_ts = "") {
        seed_message(seeded_message{channel, ts, user, text, thread_ts});
    }

    fake_state state() const;
    // Waits until pred(state) holds; the predicate runs under the fake's lock and must not call it.
    bool wait_for(const std::function<bool(const fake_state&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
    std::vector<fake_update> updates() const { return state().updates; }
    std::vector<opened_view> opened_views() const { return state().views; }
    std::vector<nlohmann::json> ephemerals() const { return state().ephemerals; }
    std::vector<nlohmann::json> reactions_added() const { return state().reactions; }
    std::vector<std::string> joins() const { return state().joins; }

    std::vector<posted_message> posts() const;
    std::vector<posted_message> posts_in(const std::string& channel) const;
    int post_attempts() const; // every chat.postMessage call, answered or not
    int history_calls() const;

    bool wait_for_attempts(int n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
    // Waits until pred(posts) holds or the timeout passes; returns whether it held.
    bool wait_until(const std::function<bool(const std::vector<posted_message>&)>& pred,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  private:
    std::string handle(const std::string& method, const std::string& target,
                       const std::string& auth, const std::string& body, unsigned& status,
                       std::string& retry_after, bool& drop);

    void serve_tls(int fd);
    extra_method find_extra_method(const std::string& target) const;
    std::string post_message(const std::string& body, const std::string& token,
                             std::optional<scripted_answer> method_answer,
                             unsigned& status, std::string& retry_after, bool& drop);
    // Web API methods beyond chat.postMessage (fake_slack_methods.cpp); called with the lock
    // held. Nothing when the method is not one of them.
    std::optional<std::string> handle_more(const std::string& method, const std::string& path,
                                           const boost::urls::url_view& url, const nlohmann::json& body,
                                           unsigned& status);
    // Arguments from the query string, else from `args` (the JSON body).
    std::string history(const boost::urls::url_view& url, const nlohmann::json& args, unsigned& status);
    std::string replies(const boost::urls::url_view& url, const nlohmann::json& args);
    std::string members(const boost::urls::url_view& url, const nlohmann::json& args);
    // A POST to a response_url (fake_slack_hooks.cpp); called with the lock held.
    std::string response_hook(const std::string& path, const std::string& body, unsigned& status);
    // Every message in the channel, posted or seeded, newest first.
    std::vector<nlohmann::json> messages_in(const std::string& channel, bool metadata) const;

    std::shared_ptr<void> tls_; // the server's ssl::context when speaking TLS
    int tls_handshakes_ = 0;
    std::string token_;
    std::set<std::string> workspace_tokens_;
    unsigned short port_ = 0;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::deque<scripted_answer> script_;
    std::vector<std::pair<std::string, scripted_answer>> channel_script_;
    std::map<std::string, std::deque<scripted_answer>> method_script_;
    std::set<std::string> expired_triggers_;
    std::map<std::string, std::chrono::steady_clock::time_point> issued_triggers_;
    bool holding_posts_ = false;
    fake_state state_; // posts, updates, views, ephemerals, reactions (posts_ mirrors state_.posts)
    std::vector<posted_message>& posts_ = state_.posts;
    std::vector<seeded_message> seeded_;
    std::map<std::string, std::vector<std::string>> members_;
    std::set<std::string> ephemerals_refused_;
    struct hook {
        std::string channel, user;
        int uses = 0;
        bool expired = false;
        bool failing = false;
    };
    std::map<std::string, hook> hooks_; // by path
    int hook_ids_ = 0;
    std::map<std::string, extra_method> extra_methods_; // by path, "/api/<method>"
    int view_ids_ = 0;
    int attempts_ = 0, history_calls_ = 0, history_failures_ = 0;
    long long next_seq_ = 0;
    // Slack's ts: Unix seconds now, then a sequence number that keeps each one unique.
    std::string next_ts();
    // Last, so it stops (joining every connection) before the state above goes away.
    std::unique_ptr<loopback_http_server> server_;
};

} // namespace cxos::test
