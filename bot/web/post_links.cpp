#include "bot/web/post_links.hpp"

#include <algorithm>
#include <cctype>

namespace cxos::bot {

namespace {

// RFC 3986 unreserved characters stay; everything else (":", "@", ";" in a Teams channel id) is
// percent-encoded.
std::string url_encoded(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Slack ids are upper-case letters and digits ("C0BILLING"); anything else is not linked.
bool slack_id(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isupper(c) || std::isdigit(c); });
}

std::string slack_link(const item_post& p) {
    // A ts is "1700000000.123456"; its link form drops the dot.
    const auto dot = p.platform_ref.find('.');
    if (dot == std::string::npos) return {};
    const auto whole = p.platform_ref.substr(0, dot), fraction = p.platform_ref.substr(dot + 1);
    if (!all_digits(whole) || !all_digits(fraction) || !slack_id(p.channel)) return {};
    return "https://slack.com/archives/" + p.channel + "/p" + whole + fraction;
}

std::string teams_link(const item_post& p) {
    // The stored reference is "<conversation>|<activity id>"; a channel post is its thread's root.
    const auto bar = p.platform_ref.rfind('|');
    const std::string id = bar == std::string::npos ? p.platform_ref : p.platform_ref.substr(bar + 1);
    if (id.empty() || p.channel.empty()) return {};
    std::string link = "https://teams.microsoft.com/l/message/" + url_encoded(p.channel) + "/" + url_encoded(id) + "?";
    if (!p.tenant_id.empty()) link += "tenantId=" + url_encoded(p.tenant_id) + "&";
    return link + "parentMessageId=" + url_encoded(id);
}

} // namespace

std::string post_link(const item_post& post) {
    if (post.platform == "slack") return slack_link(post);
    if (post.platform == "teams") return teams_link(post);
    return {};
}

} // namespace cxos::bot
