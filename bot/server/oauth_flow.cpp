#include "bot/server/oauth_flow.hpp"

#include "bot/core/secret_box.hpp"
#include "bot/core/store_call.hpp"

namespace cxos::bot {

boost::asio::awaitable<started_flow> start_oauth_flow(storage::commit_queue& queue, const std::string& purpose, millis now) {
    started_flow flow{random_token(), random_token()};
    storage::oauth_state row{sha256_hex(flow.state), sha256_hex(flow.browser), purpose, now,
                             now + oauth_flow_lifetime, 0};
    auto remember = store_call(queue, [row](storage::store& st) {
        st.insert_oauth_state(row);
        return true;
    });
    co_await std::move(remember);
    co_return flow;
}

boost::asio::awaitable<flow_check> finish_oauth_flow(storage::commit_queue& queue, const std::string& state,
                                                     const std::string& purpose, const std::string& browser, millis now) {
    auto use = store_call(queue, [hash = sha256_hex(state), now](storage::store& st) { return st.use_oauth_state(hash, now); });
    auto row = co_await std::move(use);
    if (!row || row->purpose != purpose) co_return flow_check::unknown;
    if (row->used_at != 0) co_return flow_check::used;
    if (row->expires_at < now) co_return flow_check::expired;
    if (browser.empty() || !same_secret(sha256_hex(browser), row->browser_hash)) co_return flow_check::other_browser;
    co_return flow_check::ok;
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto end = header.find(';');
        auto pair = header.substr(0, end);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
        if (end == std::string_view::npos) break;
        header.remove_prefix(end + 1);
    }
    return {};
}

std::string html_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace cxos::bot
