#include "adapters/slack/web_api.hpp"

#include "adapters/slack/form.hpp"
#include "adapters/slack/json_fields.hpp"
#include "commands/domain.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cctype>
#include <array>
#include <charconv>

namespace cxos::slack {
namespace {

// Slack's transient failures; every other ok:false error needs a human.
constexpr std::array<std::string_view, 6> transient_errors{
    "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    "team_added_to_org"};
// Slack documents that part of the operation may have succeeded before these were raised.
constexpr std::array<std::string_view, 3> maybe_done_errors{"internal_error", "fatal_error",
                                                            "request_timeout"};
// The token is refused for every call (Slack's common errors for any Web API method).
constexpr std::array<std::string_view, 6> credential_errors{"not_authed",    "invalid_auth",  "account_inactive",
                                                           "token_revoked", "token_expired", "ekm_access_denied"};
// History lookups that fail like this will fail the same way next time (a refused token is
// the workspace's problem, fixed by a new token: not permanent for the message); so will opening
// the DM of a person who left or cannot be written to.
constexpr std::array<std::string_view, 7> permanent_lookup_errors{
    "missing_scope", "channel_not_found", "not_in_channel", "user_not_found", "user_not_visible", "user_disabled",
    "cannot_dm_bot"};

template <std::size_t N> bool listed(const std::array<std::string_view, N>& list, std::string_view e) {
    return std::find(list.begin(), list.end(), e) != list.end();
}

std::string encode_query_value(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

} // namespace

bool is_credential_error(std::string_view error) { return listed(credential_errors, error); }

std::int64_t parse_retry_after(std::string_view header) {
    std::int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
    if (ec != std::errc() || seconds < 0) return 1; // missing or HTTP-date: wait the minimum
    return std::min<std::int64_t>(std::max<std::int64_t>(seconds, 1), 3600);
}

post_result classify_post_response(unsigned http_status, std::string_view retry_after,
                                   std::string_view body) {
    post_result r;
    if (http_status == 429) {
        r.outcome = post_outcome::rate_limited;
        r.retry_after_seconds = parse_retry_after(retry_after);
        r.error = "rate limited (HTTP 429)";
        return r;
    }
    if (http_status >= 500) {
        r.outcome = post_outcome::retry;
        r.maybe_posted = true;
        r.error = "HTTP " + std::to_string(http_status);
        return r;
    }
    if (http_status != 200) {
        // A wrong api_url or a proxy refusing us: retrying the same request will not help.
        r.outcome = post_outcome::dead;
        r.error = "HTTP " + std::to_string(http_status);
        return r;
    }
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        r.outcome = post_outcome::retry;
        r.maybe_posted = true;
        r.error = "the answer was not JSON";
        return r;
    }
    if (bool_field(json, "ok")) {
        r.outcome = post_outcome::sent;
        r.ts = text_of(json, "ts");
        return r;
    }
    r.error = text_of(json, "error");
    if (r.error.empty()) r.error = "unknown_error";
    r.outcome = listed(transient_errors, r.error) ? post_outcome::retry : post_outcome::dead;
    if (is_credential_error(r.error)) r.outcome = post_outcome::unauthorized;
    r.maybe_posted = listed(maybe_done_errors, r.error);
    if (r.error == "ratelimited") {
        r.outcome = post_outcome::rate_limited;
        r.retry_after_seconds = parse_retry_after(retry_after);
    }
    return r;
}

post_result classify_response_url_answer(unsigned http_status, std::string_view retry_after,
                                         std::string_view body) {
    post_result r;
    auto json = nlohmann::json::parse(body, nullptr, false);
    const bool is_object = !json.is_discarded() && json.is_object();
    auto trimmed = body;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);
    if (http_status == 200 && (trimmed == "ok" || (is_object && bool_field(json, "ok")))) {
        r.outcome = post_outcome::sent; // older hooks answer with the bare text "ok"
        return r;
    }
    if (http_status == 200 && !is_object) {
        // Not Slack's answer (a proxy's page): whether the note arrived is unknown.
        r.outcome = post_outcome::retry;
        r.maybe_posted = true;
        r.error = "the answer was not Slack's";
        return r;
    }
    if (http_status == 429 || http_status >= 500) return classify_post_response(http_status, retry_after, body);
    r.outcome = post_outcome::dead;
    // Slack names the reason in JSON or, on older hooks, as a bare code ("expired_url").
    const bool bare_code = !body.empty() && body.size() <= 64 &&
                           std::all_of(body.begin(), body.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    r.error = is_object ? text_of(json, "error") : bare_code ? std::string(body) : std::string();
    if (r.error.empty()) r.error = "HTTP " + std::to_string(http_status);
    return r;
}

std::optional<nlohmann::json> ok_answer(unsigned http_status, std::string_view body, std::string& error) {
    if (http_status != 200) {
        error = "HTTP " + std::to_string(http_status);
        return std::nullopt;
    }
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        error = "the answer was not JSON";
        return std::nullopt;
    }
    if (!bool_field(json, "ok")) {
        error = text_of(json, "error");
        if (error.empty()) error = "unknown_error";
        return std::nullopt;
    }
    return json;
}

bool is_permanent_lookup_error(std::string_view error) { return listed(permanent_lookup_errors, error); }

lookup_result find_delivery_in_history(unsigned http_status, std::string_view body,
                                       std::int64_t delivery_id) {
    lookup_result r;
    auto answer = ok_answer(http_status, body, r.error);
    if (!answer) {
        r.permanent = is_permanent_lookup_error(r.error);
        return r;
    }
    const auto& json = *answer;
    r.outcome = lookup_outcome::not_found;
    auto messages = json.find("messages");
    if (messages != json.end() && messages->is_array()) {
        for (const auto& m : *messages) {
            auto meta = m.is_object() ? m.find("metadata") : m.end();
            if (!m.is_object() || meta == m.end() || text_of(*meta, "event_type") != "cxos_delivery")
                continue;
            auto payload = meta->find("event_payload");
            if (payload == meta->end() || !payload->is_object()) continue;
            auto id = payload->find("delivery_id");
            // Without its ts the post could never be edited: not taken as the one cxos made.
            if (id != payload->end() && id->is_number_integer() && id->get<std::int64_t>() == delivery_id &&
                !text_of(m, "ts").empty()) {
                r.outcome = lookup_outcome::found;
                r.ts = text_of(m, "ts");
                return r;
            }
        }
    }
    if (bool_field(json, "has_more")) {
        auto meta = json.find("response_metadata");
        if (meta != json.end()) r.next_cursor = text_of(*meta, "next_cursor");
    }
    return r;
}

std::string_view emoji_for_mark(std::string_view mark) {
    if (mark == delivery_mark::fixed) return "white_check_mark";
    return mark;
}

nlohmann::json render_reaction(std::string_view channel, std::string_view ts, std::string_view mark) {
    return {{"channel", channel}, {"timestamp", ts}, {"name", emoji_for_mark(mark)}};
}

post_result classify_reaction_response(unsigned http_status, std::string_view retry_after, std::string_view body) {
    auto r = classify_post_response(http_status, retry_after, body);
    if (r.error == "already_reacted") r = {post_outcome::sent, "", "", 0, false};
    return r;
}

namespace {

std::string window_query(history_window window, std::string_view cursor) {
    std::string q = "&oldest=" + std::to_string(window.oldest) + "&latest=" + std::to_string(window.latest) +
                    "&inclusive=true&include_all_metadata=true&limit=200";
    if (!cursor.empty()) q += "&cursor=" + encode_query_value(cursor);
    return q;
}

} // namespace

std::string history_query(std::string_view channel, history_window window, std::string_view cursor) {
    return "channel=" + encode_query_value(channel) + window_query(window, cursor);
}

std::string replies_query(std::string_view channel, std::string_view thread_ts, history_window window,
                          std::string_view cursor) {
    return "channel=" + encode_query_value(channel) + "&ts=" + encode_query_value(thread_ts) +
           window_query(window, cursor);
}

std::string single_message_query(std::string_view channel, std::string_view ts) {
    return "channel=" + encode_query_value(channel) + "&latest=" + encode_query_value(ts) + "&oldest=" +
           encode_query_value(ts) + "&inclusive=true&limit=1";
}

std::string single_reply_query(std::string_view channel, std::string_view ts) {
    return "channel=" + encode_query_value(channel) + "&ts=" + encode_query_value(ts) + "&latest=" +
           encode_query_value(ts) + "&oldest=" + encode_query_value(ts) + "&inclusive=true&limit=2";
}

std::optional<fetched_message> find_message(std::string_view body, std::string_view ts) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !bool_field(json, "ok")) return std::nullopt;
    auto messages = json.find("messages");
    if (messages == json.end() || !messages->is_array()) return std::nullopt;
    for (const auto& m : *messages) {
        if (text_of(m, "ts") != ts) continue;
        return fetched_message{unescape_text(text_of(m, "text")), text_of(m, "user"),
                               text_of(m, "thread_ts")};
    }
    return std::nullopt;
}

std::string join_body(std::string_view channel) {
    return nlohmann::json{{"channel", channel}}.dump();
}

} // namespace cxos::slack
