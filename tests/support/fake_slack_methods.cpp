// The fake Slack Web API's methods beyond chat.postMessage. Arguments come from the query string
// or the JSON body, as Slack accepts both; errors are Slack's codes for the same mistakes.
#include "tests/support/fake_slack.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <utility>

namespace cxos::test {

namespace {

using json = nlohmann::json;
using ts_key = std::pair<long long, long long>; // seconds, microseconds

std::string arg(const boost::urls::url_view& url, const json& body, const char* key) {
    for (auto p : url.params())
        if (p.key == key) return p.value;
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string error(const char* code) { return json{{"ok", false}, {"error", code}}.dump(); }

// "1700000000.000100" or plain seconds; nothing when it is not a Slack timestamp.
std::optional<ts_key> parse_ts(const std::string& ts) {
    auto dot = ts.find('.');
    std::string whole = ts.substr(0, dot), frac = dot == std::string::npos ? "" : ts.substr(dot + 1);
    if (whole.empty() || frac.size() > 6) return std::nullopt;
    frac.resize(6, '0');
    ts_key k;
    auto a = std::from_chars(whole.data(), whole.data() + whole.size(), k.first);
    auto b = std::from_chars(frac.data(), frac.data() + frac.size(), k.second);
    if (a.ec != std::errc() || a.ptr != whole.data() + whole.size() || b.ec != std::errc() ||
        b.ptr != frac.data() + frac.size())
        return std::nullopt;
    return k;
}

ts_key key_of(const json& message) { return parse_ts(message["ts"].get<std::string>()).value_or(ts_key{}); }

std::size_t limit_of(const std::string& raw, std::size_t fallback, std::size_t most) {
    std::size_t n = 0;
    auto r = std::from_chars(raw.data(), raw.data() + raw.size(), n);
    if (raw.empty() || r.ec != std::errc() || n == 0) return fallback;
    return std::min(n, most);
}

constexpr const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Cursors are opaque to callers, base64 like Slack's ("next_ts:…", "user:…").
std::string make_cursor(const std::string& plain) {
    std::string out;
    for (std::size_t i = 0; i < plain.size(); i += 3) {
        unsigned n = static_cast<unsigned char>(plain[i]) << 16;
        if (i + 1 < plain.size()) n |= static_cast<unsigned char>(plain[i + 1]) << 8;
        if (i + 2 < plain.size()) n |= static_cast<unsigned char>(plain[i + 2]);
        for (std::size_t j = 0; j < 4; ++j)
            out += i + j <= plain.size() ? b64[(n >> (18 - 6 * j)) & 63] : '=';
    }
    return out;
}

// The text after `prefix` in a cursor, or nothing when the cursor is not one of ours.
std::optional<std::string> read_cursor(const std::string& cursor, const std::string& prefix) {
    std::string plain;
    unsigned n = 0;
    int bits = 0;
    for (char c : cursor) {
        if (c == '=') break;
        const char* at = std::char_traits<char>::find(b64, 64, c);
        if (!at) return std::nullopt;
        n = (n << 6) | static_cast<unsigned>(at - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            plain += static_cast<char>((n >> bits) & 0xff);
        }
    }
    if (plain.rfind(prefix, 0) != 0) return std::nullopt;
    return plain.substr(prefix.size());
}

// `latest`/`oldest`/`inclusive` as conversations.history and .replies read them.
struct time_window {
    std::optional<ts_key> latest, oldest;
    bool inclusive = false;
    const char* error = nullptr;

    bool contains(ts_key t) const {
        if (latest && (inclusive ? t > *latest : t >= *latest)) return false;
        if (oldest && (inclusive ? t < *oldest : t <= *oldest)) return false;
        return true;
    }
};

time_window window_of(const boost::urls::url_view& url, const json& body) {
    time_window w;
    auto latest = arg(url, body, "latest"), oldest = arg(url, body, "oldest"), incl = arg(url, body, "inclusive");
    w.inclusive = incl == "true" || incl == "1";
    if (!latest.empty() && !(w.latest = parse_ts(latest))) w.error = "invalid_ts_latest";
    if (!oldest.empty() && !(w.oldest = parse_ts(oldest))) w.error = "invalid_ts_oldest";
    return w;
}

// One page of `items`, with has_more and the cursor to the next page when more remain.
json page_answer(const char* key, json items, std::size_t limit, const std::string& next_cursor_plain_prefix) {
    const bool more = items.size() > limit;
    if (more) items.erase(items.begin() + static_cast<std::ptrdiff_t>(limit), items.end());
    json out = {{"ok", true}, {key, items}, {"has_more", more}};
    if (more) out["response_metadata"] = {{"next_cursor", make_cursor(next_cursor_plain_prefix + items.back()["ts"].get<std::string>())}};
    return out;
}

} // namespace

namespace {

bool is_user_id(const std::string& id) { return !id.empty() && (id[0] == 'U' || id[0] == 'W'); }
// The direct-message conversation between the bot and a person, as conversations.open names it.
std::string dm_of(const std::string& user) { return "D" + user.substr(1); }

} // namespace

std::vector<json> fake_slack::messages_in(const std::string& channel, bool metadata) const {
    // A post to a person's id lands in the bot's DM with them, as in Slack.
    auto in = [&](const std::string& c) { return c == channel || (is_user_id(c) && dm_of(c) == channel); };
    std::vector<json> all;
    std::map<std::string, int> replies; // thread ts -> replies
    for (const auto& p : posts_)
        if (in(p.channel) && !p.thread_ts.empty() && p.thread_ts != p.ts) ++replies[p.thread_ts];
    for (const auto& s : seeded_)
        if (s.channel == channel && !s.thread_ts.empty() && s.thread_ts != s.ts) ++replies[s.thread_ts];
    auto add = [&](json m, const std::string& thread_ts) {
        const std::string ts = m["ts"];
        if (!thread_ts.empty()) m["thread_ts"] = thread_ts;
        if (auto r = replies.find(ts); r != replies.end()) {
            m["thread_ts"] = ts;
            m["reply_count"] = r->second;
        }
        all.push_back(std::move(m));
    };
    for (const auto& p : posts_) {
        if (!in(p.channel)) continue;
        json m = {{"type", "message"}, {"ts", p.ts}, {"text", p.body.value("text", "")}, {"bot_id", "B0CXOS"}};
        if (p.body.contains("blocks")) m["blocks"] = p.body["blocks"];
        if (metadata && p.body.contains("metadata")) m["metadata"] = p.body["metadata"];
        add(std::move(m), p.thread_ts);
    }
    for (const auto& s : seeded_)
        if (s.channel == channel) add({{"type", "message"}, {"ts", s.ts}, {"user", s.user}, {"text", s.text}}, s.thread_ts);
    // Newest first; each ts read once (a flood test pages through thousands of messages).
    std::vector<std::pair<ts_key, std::size_t>> order;
    order.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) order.emplace_back(key_of(all[i]), i);
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<json> sorted;
    sorted.reserve(all.size());
    for (const auto& [key, i] : order) sorted.push_back(std::move(all[i]));
    return sorted;
}

std::string fake_slack::history(const boost::urls::url_view& url, const json& args, unsigned& status) {
    ++history_calls_;
    if (history_failures_ > 0) {
        --history_failures_;
        status = 500;
        return error("internal_error");
    }
    auto channel = arg(url, args, "channel");
    if (channel.empty() || is_user_id(channel)) return error("channel_not_found"); // a DM is read by its D… id
    auto w = window_of(url, args);
    if (w.error) return error(w.error);
    std::optional<ts_key> before;
    if (auto cursor = arg(url, args, "cursor"); !cursor.empty()) {
        auto ts = read_cursor(cursor, "next_ts:");
        if (!ts || !(before = parse_ts(*ts))) return error("invalid_cursor");
    }
    auto meta = arg(url, args, "include_all_metadata");
    const std::size_t limit = limit_of(arg(url, args, "limit"), 100, 999);
    auto items = json::array();
    for (auto& m : messages_in(channel, meta == "true" || meta == "1")) {
        if (m.contains("thread_ts") && m["thread_ts"] != m["ts"]) continue; // replies live in threads
        if (w.contains(key_of(m)) && (!before || key_of(m) < *before)) items.push_back(std::move(m));
        if (items.size() > limit) break; // one more than the page tells whether more remain
    }
    return page_answer("messages", std::move(items), limit, "next_ts:").dump();
}

std::string fake_slack::replies(const boost::urls::url_view& url, const json& args) {
    auto channel = arg(url, args, "channel"), ts = arg(url, args, "ts");
    if (channel.empty() || is_user_id(channel)) return error("channel_not_found");
    if (ts.empty()) return error("thread_not_found");
    auto w = window_of(url, args);
    if (w.error) return error(w.error);
    std::optional<ts_key> after;
    if (auto cursor = arg(url, args, "cursor"); !cursor.empty()) {
        auto t = read_cursor(cursor, "next_ts:");
        if (!t || !(after = parse_ts(*t))) return error("invalid_cursor");
    }
    auto meta = arg(url, args, "include_all_metadata");
    auto all = messages_in(channel, meta == "true" || meta == "1");
    std::reverse(all.begin(), all.end()); // oldest first
    // `ts` may name any message of the thread: the thread is its parent's.
    for (const auto& m : all)
        if (m["ts"] == ts && m.contains("thread_ts")) ts = m["thread_ts"].get<std::string>();
    auto items = json::array();
    bool found = false;
    for (auto& m : all) // the parent leads every first page, whatever the bounds
        if (m["ts"] == ts) {
            found = true;
            if (!after) items.push_back(m);
        }
    for (auto& m : all) {
        if (m["ts"] == ts || m.value("thread_ts", "") != ts) continue;
        found = true;
        if (w.contains(key_of(m)) && (!after || key_of(m) > *after)) items.push_back(std::move(m));
    }
    if (!found) return error("thread_not_found");
    return page_answer("messages", std::move(items), limit_of(arg(url, args, "limit"), 1000, 1000), "next_ts:").dump();
}

std::string fake_slack::members(const boost::urls::url_view& url, const json& args) {
    auto it = members_.find(arg(url, args, "channel"));
    if (it == members_.end()) return error("channel_not_found");
    const auto& all = it->second;
    std::size_t start = 0;
    if (auto cursor = arg(url, args, "cursor"); !cursor.empty()) {
        auto user = read_cursor(cursor, "user:");
        auto at = user ? std::find(all.begin(), all.end(), *user) : all.end();
        if (at == all.end()) return error("invalid_cursor");
        start = static_cast<std::size_t>(at - all.begin()) + 1;
    }
    const std::size_t limit = limit_of(arg(url, args, "limit"), 100, 1000);
    const std::size_t end = std::min(all.size(), start + limit);
    std::vector<std::string> page(all.begin() + static_cast<std::ptrdiff_t>(start),
                                  all.begin() + static_cast<std::ptrdiff_t>(end));
    std::string next = end < all.size() ? make_cursor("user:" + page.back()) : "";
    return json{{"ok", true}, {"members", page}, {"response_metadata", {{"next_cursor", next}}}}.dump();
}

std::optional<std::string> fake_slack::handle_more(const std::string& method, const std::string& path,
                                                   const boost::urls::url_view& url, const json& body,
                                                   unsigned& status) {
    if (method != "GET" && method != "POST") return std::nullopt;
    auto a = [&](const char* key) { return arg(url, body, key); };
    if (path == "/api/auth.test")
        return json{{"ok", true}, {"url", "https://cxos-test.slack.com/"}, {"team", "cxos test"}, {"team_id", "T0TEST"},
                    {"user", "cxos"}, {"user_id", "U0CXOS"}, {"bot_id", "B0CXOS"}}
            .dump();
    if (path == "/api/conversations.history") return history(url, body, status);
    if (path == "/api/conversations.replies") return replies(url, body);
    if (path == "/api/conversations.members") return members(url, body);
    if (path == "/api/conversations.open") {
        auto users = a("users");
        if (users.empty()) return error("users_list_not_supplied");
        if (users.find(',') != std::string::npos || !is_user_id(users)) return error("user_not_found");
        return json{{"ok", true}, {"channel", {{"id", dm_of(users)}}}}.dump();
    }
    if (path == "/api/views.open") {
        auto trigger = a("trigger_id");
        if (trigger.empty()) return error("invalid_trigger_id");
        if (expired_triggers_.count(trigger)) return error("expired_trigger_id");
        if (auto issued = issued_triggers_.find(trigger);
            issued != issued_triggers_.end() && std::chrono::steady_clock::now() - issued->second > std::chrono::seconds(3))
            return error("expired_trigger_id");
        auto view = body.contains("view") ? body["view"] : json();
        if (view.is_string()) view = json::parse(view.get<std::string>(), nullptr, false); // form-style
        if (!view.is_object()) return error("invalid_arguments");
        const std::string id = "V" + std::to_string(++view_ids_);
        state_.views.push_back({trigger, view, id});
        view["id"] = id;
        view["team_id"] = "T0TEAM";
        view["app_id"] = "A0CXOS";
        view["root_view_id"] = id;
        view["hash"] = std::to_string(std::time(nullptr)) + ".a1b2c3d4";
        view["state"] = {{"values", json::object()}};
        return json{{"ok", true}, {"view", view}}.dump();
    }
    if (path == "/api/chat.update") {
        auto channel = a("channel"), ts = a("ts");
        if (channel.empty()) return error("channel_not_found");
        auto it = std::find_if(posts_.begin(), posts_.end(),
                               [&](const posted_message& p) { return p.channel == channel && p.ts == ts; });
        if (it == posts_.end()) return error("message_not_found");
        if (body.contains("text")) it->body["text"] = body["text"];
        if (body.contains("blocks")) it->body["blocks"] = body["blocks"];
        state_.updates.push_back({channel, ts, body});
        const std::string text = it->body.value("text", "");
        return json{{"ok", true}, {"channel", channel}, {"ts", ts}, {"text", text},
                    {"message", {{"type", "message"}, {"text", text}, {"bot_id", "B0CXOS"}}}}
            .dump();
    }
    if (path == "/api/chat.postEphemeral") {
        if (a("channel").empty() || a("user").empty()) return error("invalid_arguments");
        if (!body.contains("text") && !body.contains("blocks")) return error("no_text");
        if (ephemerals_refused_.count(a("channel"))) return error("channel_not_found");
        state_.ephemerals.push_back(body);
        return json{{"ok", true}, {"message_ts", next_ts()}}.dump();
    }
    if (path == "/api/chat.getPermalink") {
        auto channel = a("channel"), ts = a("message_ts");
        if (channel.empty() || ts.empty()) return error("invalid_arguments");
        ts.erase(std::remove(ts.begin(), ts.end(), '.'), ts.end());
        return json{{"ok", true}, {"channel", channel}, {"permalink", "https://acme.slack.com/archives/" + channel + "/p" + ts}}
            .dump();
    }
    if (path == "/api/conversations.join") {
        auto channel = a("channel");
        if (channel.empty()) return error("channel_not_found");
        const bool again = std::find(state_.joins.begin(), state_.joins.end(), channel) != state_.joins.end();
        state_.joins.push_back(channel);
        json out = {{"ok", true}, {"channel", {{"id", channel}, {"is_channel", true}, {"is_member", true}}}};
        if (again) out["warning"] = "already_in_channel";
        return out.dump();
    }
    if (path == "/api/reactions.add") {
        auto channel = a("channel"), ts = a("timestamp"), name = a("name");
        if (channel.empty() || ts.empty()) return error("no_item_specified");
        if (name.empty()) return error("invalid_name");
        for (const auto& r : state_.reactions)
            if (r.value("channel", "") == channel && r.value("timestamp", "") == ts && r.value("name", "") == name)
                return error("already_reacted");
        json added = body;
        added.update({{"channel", channel}, {"timestamp", ts}, {"name", name}});
        state_.reactions.push_back(std::move(added));
        return R"({"ok":true})";
    }
    return std::nullopt;
}

} // namespace cxos::test
