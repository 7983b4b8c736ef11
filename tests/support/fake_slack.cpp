#include "tests/support/fake_slack.hpp"

#include "tests/support/self_signed_tls.hpp"

#include <boost/asio/ssl.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/url/parse.hpp>

#include <sys/socket.h>

#include <cstdio>
#include <ctime>

namespace cxos::test {

namespace asio = boost::asio;
namespace beast = boost::beast;

fake_slack::fake_slack(std::string token) : token_(std::move(token)) {
    server_ = std::make_unique<loopback_http_server>([this](const loopback_request& req) {
        if (auto extra = find_extra_method(req.target)) return extra(req);
        loopback_response res;
        std::string retry_after;
        res.body = handle(req.method, req.target, req.header("authorization"), req.body, res.status, retry_after,
                          res.drop);
        if (!retry_after.empty()) res.headers["Retry-After"] = retry_after;
        return res;
    });
    port_ = server_->port();
}

fake_slack::~fake_slack() {
    hold_posts(false); // a held request's thread must end before the server can join it
    server_.reset();
}

void fake_slack::hold_posts(bool held) {
    std::lock_guard lock(mutex_);
    holding_posts_ = held;
    changed_.notify_all();
}

std::unique_ptr<fake_slack> fake_slack::untrusted_tls() {
    auto fake = std::make_unique<fake_slack>();
    fake->tls_ = std::shared_ptr<asio::ssl::context>(self_signed_server_context());
    fake->server_->hand_connections_to([raw = fake.get()](int fd) { raw->serve_tls(fd); });
    return fake;
}

int fake_slack::tls_handshakes() const {
    std::lock_guard lock(mutex_);
    return tls_handshakes_;
}

void fake_slack::serve_tls(int fd) {
    asio::io_context io;
    auto& ctx = *std::static_pointer_cast<asio::ssl::context>(tls_);
    asio::ssl::stream<asio::ip::tcp::socket> stream(asio::ip::tcp::socket(io, asio::ip::tcp::v4(), fd), ctx);
    ::timeval tv{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    beast::error_code ec;
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (!ec) {
        std::lock_guard lock(mutex_);
        ++tls_handshakes_;
    }
    stream.lowest_layer().close(ec);
}

void fake_slack::script(scripted_answer a) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(a));
}

void fake_slack::script_for(std::string channel, scripted_answer a) {
    std::lock_guard lock(mutex_);
    channel_script_.emplace_back(std::move(channel), std::move(a));
}

void fake_slack::fail_history(int times) {
    std::lock_guard lock(mutex_);
    history_failures_ = times;
}

void fake_slack::clear_script() {
    std::lock_guard lock(mutex_);
    script_.clear();
    channel_script_.clear();
    method_script_.clear();
}

std::vector<posted_message> fake_slack::posts() const {
    std::lock_guard lock(mutex_);
    return posts_;
}

std::vector<posted_message> fake_slack::posts_in(const std::string& channel) const {
    std::vector<posted_message> out;
    for (auto& p : posts())
        if (p.channel == channel) out.push_back(p);
    return out;
}

int fake_slack::post_attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
}

int fake_slack::history_calls() const {
    std::lock_guard lock(mutex_);
    return history_calls_;
}

bool fake_slack::wait_until(const std::function<bool(const std::vector<posted_message>&)>& pred,
                            std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return pred(posts_); });
}

std::string fake_slack::next_ts() {
    char seq[8];
    std::snprintf(seq, sizeof seq, "%06lld", ++next_seq_ % 1000000);
    return std::to_string(std::time(nullptr)) + "." + seq;
}

void fake_slack::accept_token(std::string token) {
    std::lock_guard lock(mutex_);
    token_ = std::move(token);
}

void fake_slack::accept_workspace_token(const std::string& token, bool accepted) {
    std::lock_guard lock(mutex_);
    if (accepted) workspace_tokens_.insert(token);
    else workspace_tokens_.erase(token);
}

void fake_slack::serve_method(const std::string& method, extra_method handler) {
    std::lock_guard lock(mutex_);
    extra_methods_["/api/" + method] = std::move(handler);
}

fake_slack::extra_method fake_slack::find_extra_method(const std::string& target) const {
    std::lock_guard lock(mutex_);
    auto it = extra_methods_.find(target.substr(0, target.find('?')));
    return it == extra_methods_.end() ? extra_method() : it->second;
}

void fake_slack::set_members(const std::string& channel, std::vector<std::string> users) {
    std::lock_guard lock(mutex_);
    members_[channel] = std::move(users);
    changed_.notify_all();
}

void fake_slack::seed_message(seeded_message m) {
    std::lock_guard lock(mutex_);
    seeded_.push_back(std::move(m));
    changed_.notify_all();
}

void fake_slack::script_method(std::string method, scripted_answer a) {
    std::lock_guard lock(mutex_);
    method_script_[std::move(method)].push_back(std::move(a));
}

void fake_slack::expire_trigger(std::string trigger_id) {
    std::lock_guard lock(mutex_);
    expired_triggers_.insert(std::move(trigger_id));
}

void fake_slack::issue_trigger(std::string trigger_id) {
    std::lock_guard lock(mutex_);
    issued_triggers_[std::move(trigger_id)] = std::chrono::steady_clock::now();
}

fake_state fake_slack::state() const {
    std::lock_guard lock(mutex_);
    fake_state copy = state_;
    copy.post_attempts = attempts_;
    copy.history_calls = history_calls_;
    return copy;
}

bool fake_slack::wait_for(const std::function<bool(const fake_state&)>& pred,
                          std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        fake_state view = state_;
        view.post_attempts = attempts_;
        view.history_calls = history_calls_;
        return pred(view);
    });
}

bool fake_slack::wait_for_attempts(int n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return attempts_ >= n; });
}

std::string fake_slack::handle(const std::string& method, const std::string& target,
                               const std::string& auth, const std::string& body, unsigned& status,
                               std::string& retry_after, bool& drop) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) {
        status = 400;
        return R"({"ok":false,"error":"invalid_request"})";
    }
    const std::string path = url->path();
    std::unique_lock lock(mutex_);
    if (path == "/api/auth.test") ++state_.auth_tests;
    if (path.rfind("/hooks/", 0) == 0 && method == "POST") { // a response_url needs no token
        auto out = response_hook(path, body, status);
        changed_.notify_all();
        return out;
    }
    const std::string bearer = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
    if (bearer != token_ && !workspace_tokens_.count(bearer)) {
        changed_.notify_all();
        return R"({"ok":false,"error":"invalid_auth"})";
    }

    const std::string name = path.rfind("/api/", 0) == 0 ? path.substr(5) : std::string();
    std::optional<scripted_answer> answer;
    if (auto queued = method_script_.find(name); queued != method_script_.end() && !queued->second.empty()) {
        answer = queued->second.front();
        queued->second.pop_front();
        if (answer->delay.count() > 0) {
            lock.unlock();
            std::this_thread::sleep_for(answer->delay);
            lock.lock();
        }
    }
    if (path == "/api/chat.postMessage" && method == "POST") {
        if (holding_posts_) {
            ++state_.held_posts;
            changed_.notify_all();
            changed_.wait(lock, [this] { return !holding_posts_; });
        }
        return post_message(body, bearer, std::move(answer), status, retry_after, drop);
    }

    if (answer) {
        retry_after = answer->retry_after;
        if (!answer->post_then_drop && (answer->status != 200 || !answer->body.empty())) {
            if (name == "conversations.history") ++history_calls_;
            changed_.notify_all();
            status = answer->status;
            return answer->body;
        }
        drop = answer->post_then_drop; // answer normally below, or act and then drop
    }
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (auto out = handle_more(method, path, *url, json.is_object() ? json : nlohmann::json::object(), status)) {
        changed_.notify_all();
        return *out;
    }
    status = 404;
    return R"({"ok":false,"error":"unknown_method"})";
}

std::string fake_slack::post_message(const std::string& body, const std::string& token,
                                     std::optional<scripted_answer> method_answer,
                                     unsigned& status, std::string& retry_after, bool& drop) {
    ++attempts_;
    changed_.notify_all();
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.contains("channel") || !json["channel"].is_string())
        return R"({"ok":false,"error":"invalid_arguments"})";
    // A channel id, or a user id (U…) / DM id (D…) for a direct message.
    const std::string channel = json["channel"];
    if (!json.contains("text") && !json.contains("blocks"))
        return R"({"ok":false,"error":"no_text"})";
    std::optional<scripted_answer> answer;
    for (auto it = channel_script_.begin(); it != channel_script_.end(); ++it) {
        if (it->first == channel) {
            answer = it->second;
            channel_script_.erase(it);
            break;
        }
    }
    if (!answer) answer = std::move(method_answer);
    if (!answer && !script_.empty()) {
        answer = script_.front();
        script_.pop_front();
    }
    if (answer) retry_after = answer->retry_after;
    if (answer && !answer->post_then_drop && (answer->status != 200 || !answer->body.empty())) {
        status = answer->status;
        return answer->body;
    }
    std::string thread_ts;
    if (auto t = json.find("thread_ts"); t != json.end() && t->is_string()) thread_ts = t->get<std::string>();
    posted_message m{channel, next_ts(), json, thread_ts, token};
    posts_.push_back(m);
    changed_.notify_all();
    if (answer && answer->post_then_drop) {
        drop = true;
        return {};
    }
    nlohmann::json message = {{"type", "message"}, {"text", json.value("text", "")}, {"ts", m.ts}, {"bot_id", "B0CXOS"}};
    if (!thread_ts.empty()) message["thread_ts"] = thread_ts;
    return nlohmann::json{{"ok", true}, {"channel", channel}, {"ts", m.ts}, {"message", message}}.dump();
}

} // namespace cxos::test
