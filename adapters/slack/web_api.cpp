#include "adapters/slack/web_api.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace cxos::slack {
namespace {

// Slack's documented transient failures; every other ok:false error needs a human.
constexpr std::array<std::string_view, 6> transient_errors{
    "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    "team_added_to_org"};

std::int64_t parse_retry_after(std::string_view header) {
    std::int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
    if (ec != std::errc() || seconds < 0) return 1; // missing or HTTP-date: wait the minimum
    return std::min<std::int64_t>(std::max<std::int64_t>(seconds, 1), 3600);
}

} // namespace

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
        r.error = "the answer was not JSON";
        return r;
    }
    if (json.value("ok", false)) {
        r.outcome = post_outcome::sent;
        r.ts = json.value("ts", std::string());
        return r;
    }
    r.error = json.value("error", std::string("unknown_error"));
    bool transient = std::find(transient_errors.begin(), transient_errors.end(), r.error) !=
                     transient_errors.end();
    r.outcome = transient ? post_outcome::retry : post_outcome::dead;
    if (r.error == "ratelimited") {
        r.outcome = post_outcome::rate_limited;
        r.retry_after_seconds = parse_retry_after(retry_after);
    }
    return r;
}

} // namespace cxos::slack

namespace cxos::slack {

lookup_result find_delivery_in_history(unsigned http_status, std::string_view body,
                                       std::int64_t delivery_id) {
    lookup_result r;
    if (http_status != 200) {
        r.error = "HTTP " + std::to_string(http_status);
        return r;
    }
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        r.error = "the answer was not JSON";
        return r;
    }
    if (!json.value("ok", false)) {
        r.error = json.value("error", std::string("unknown_error"));
        return r;
    }
    r.outcome = lookup_outcome::not_found;
    auto messages = json.find("messages");
    if (messages == json.end() || !messages->is_array()) return r;
    for (const auto& m : *messages) {
        auto meta = m.find("metadata");
        if (meta == m.end() || !meta->is_object()) continue;
        if (meta->value("event_type", std::string()) != "cxos_delivery") continue;
        auto payload = meta->find("event_payload");
        if (payload == meta->end() || !payload->is_object()) continue;
        auto id = payload->find("delivery_id");
        if (id != payload->end() && id->is_number_integer() && id->get<std::int64_t>() == delivery_id) {
            r.outcome = lookup_outcome::found;
            r.ts = m.value("ts", std::string());
            return r;
        }
    }
    return r;
}

std::string history_query(std::string_view channel, std::int64_t oldest) {
    // Channel ids are [A-Z0-9]; anything else is percent-encoded to keep the query intact.
    std::string encoded;
    for (unsigned char c : channel) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') encoded.push_back(static_cast<char>(c));
        else {
            static constexpr char hex[] = "0123456789ABCDEF";
            encoded += '%';
            encoded += hex[c >> 4];
            encoded += hex[c & 0xf];
        }
    }
    return "channel=" + encoded + "&oldest=" + std::to_string(oldest) +
           "&inclusive=true&include_all_metadata=true&limit=200";
}

} // namespace cxos::slack
