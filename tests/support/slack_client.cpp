#include "tests/support/slack_client.hpp"

#include "adapters/slack/signature.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/http_headers.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <atomic>
#include <chrono>
#include <optional>

namespace cxos::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_answer http_call(unsigned short port, const std::string& method, const std::string& target,
                      const std::string& body, const std::map<std::string, std::string>& headers) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    // Longer than /_test/settle may take (30 s) in a slow sanitized run, so its own answer is read.
    stream.expires_after(std::chrono::seconds(45));
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    http::read(stream, buffer, parser);
    auto res = parser.release();
    return {res.result_int(), std::string(res[http::field::content_type]), res.body(), lower_case_headers(res)};
}

std::string form_encode(const std::map<std::string, std::string>& fields) {
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    std::string out;
    for (auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += boost::urls::encode(k, boost::urls::unreserved_chars, opts);
        out += '=';
        out += boost::urls::encode(v, boost::urls::unreserved_chars, opts);
    }
    return out;
}

std::string slash_body(const std::string& text, const std::string& user, const std::string& team) {
    return form_encode({{"token", "legacy-unused"},
                        {"team_id", team},
                        {"team_domain", "acme"},
                        {"channel_id", "C0SUPPORT"},
                        {"channel_name", "support"},
                        {"user_id", user},
                        {"user_name", "agent"},
                        {"command", "/friction"},
                        {"text", text},
                        {"api_app_id", "A0CXOS"},
                        {"response_url", "https://hooks.slack.com/commands/" + team + "/1/abc"},
                        {"trigger_id", "1.2.3"}});
}

namespace {

std::map<std::string, std::string> signed_headers(const std::string& body, const std::string& content_type,
                                                  long long timestamp) {
    if (timestamp == 0)
        timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    const auto ts = std::to_string(timestamp);
    slack::slack_signature_verifier signer(test_signing_secret);
    return {{"Content-Type", content_type}, {"X-Slack-Request-Timestamp", ts},
            {"X-Slack-Signature", signer.sign(ts, body)}};
}

std::atomic<int> next_trigger{0};

// Unique per call, in Slack's "<n>.<n>.<hex>" shape.
std::string new_trigger_id() { return std::to_string(++next_trigger) + ".1700000000.5f3e2a1b9c"; }

// The label of the option whose value is `value` in a select element, or the value itself.
std::string option_label(const nlohmann::json& element, const std::string& value) {
    auto search = [&](const nlohmann::json& options) -> std::optional<std::string> {
        if (!options.is_array()) return std::nullopt;
        for (const auto& o : options)
            if (o.value("value", "") == value && o.contains("text")) return o["text"].value("text", value);
        return std::nullopt;
    };
    if (auto found = search(element.value("options", nlohmann::json()))) return *found;
    for (const auto& group : element.value("option_groups", nlohmann::json::array()))
        if (auto found = search(group.value("options", nlohmann::json()))) return *found;
    return value;
}

nlohmann::json slack_user(const std::string& user) {
    return {{"id", user}, {"username", "user-" + user}, {"name", "user-" + user}, {"team_id", "T0TEAM"}};
}

} // namespace

http_answer send_interaction(unsigned short port, const nlohmann::json& payload) {
    auto body = form_encode({{"payload", payload.dump()}});
    return http_call(port, "POST", "/slack/events", body,
                     signed_headers(body, "application/x-www-form-urlencoded", 0));
}

http_answer send_event(unsigned short port, const nlohmann::json& envelope, int retry_num) {
    auto body = envelope.dump();
    auto headers = signed_headers(body, "application/json", 0);
    if (retry_num > 0) {
        headers["X-Slack-Retry-Num"] = std::to_string(retry_num);
        headers["X-Slack-Retry-Reason"] = "http_timeout";
    }
    return http_call(port, "POST", "/slack/events", body, headers);
}

nlohmann::json block_actions_payload(const std::string& user, const std::string& channel,
                                     const std::string& message_ts, const std::string& action_id,
                                     const std::string& value, bool is_select) {
    nlohmann::json action = {{"action_id", action_id}, {"block_id", "actions"}, {"action_ts", "1700000999.000001"}};
    if (is_select) {
        action["type"] = "static_select";
        action["selected_option"] = {{"text", {{"type", "plain_text"}, {"text", value}}}, {"value", value}};
    } else {
        action["type"] = "button";
        action["value"] = value;
    }
    return {{"type", "block_actions"},
            {"user", slack_user(user)},
            {"api_app_id", "A0CXOS"},
            {"team", {{"id", "T0TEAM"}, {"domain", "acme"}}},
            {"token", "legacy"},
            {"container", {{"type", "message"}, {"message_ts", message_ts}, {"channel_id", channel}, {"is_ephemeral", false}}},
            {"trigger_id", new_trigger_id()},
            {"channel", {{"id", channel}, {"name", "channel"}}},
            {"message", {{"type", "message"}, {"ts", message_ts}, {"text", "cxos item"}}},
            {"response_url", "https://hooks.slack.com/actions/T0TEAM/1/x"},
            {"actions", nlohmann::json::array({action})}};
}

nlohmann::json message_action_payload(const std::string& user, const std::string& channel,
                                      const std::string& message_ts, const std::string& text,
                                      const std::string& callback_id, const std::string& thread_ts) {
    nlohmann::json message = {{"type", "message"}, {"user", "U0CUSTOMERCARE"}, {"ts", message_ts}, {"text", text}};
    if (!thread_ts.empty()) message["thread_ts"] = thread_ts;
    return {{"type", "message_action"},
            {"token", "legacy"},
            {"action_ts", "1700000999.000002"},
            {"callback_id", callback_id},
            {"trigger_id", new_trigger_id()},
            {"message_ts", message_ts},
            {"response_url", "https://hooks.slack.com/app/T0TEAM/1/x"},
            {"team", {{"id", "T0TEAM"}, {"domain", "acme"}}},
            {"channel", {{"id", channel}, {"name", "support"}}},
            {"user", slack_user(user)},
            {"message", message}};
}

nlohmann::json view_submission_payload(const std::string& user, const nlohmann::json& view_as_opened,
                                       const std::map<std::string, std::string>& values) {
    nlohmann::json view = view_as_opened;
    nlohmann::json state = nlohmann::json::object();
    for (const auto& block : view.value("blocks", nlohmann::json::array())) {
        if (block.value("type", "") != "input" || !block.contains("element")) continue;
        const std::string id = block.value("block_id", "");
        const auto& element = block["element"];
        const std::string type = element.value("type", "");
        auto given = values.find(id);
        nlohmann::json entry = {{"type", type}};
        if (type == "static_select") {
            entry["selected_option"] =
                given == values.end()
                    ? nlohmann::json(nullptr)
                    : nlohmann::json{{"text", {{"type", "plain_text"}, {"text", option_label(element, given->second)}, {"emoji", true}}},
                                     {"value", given->second}};
        } else if (type == "datepicker") {
            // Slack sends the picked day, or null when the user cleared it.
            entry["selected_date"] = given == values.end() ? nlohmann::json(nullptr) : nlohmann::json(given->second);
        } else {
            entry["value"] = given == values.end() ? nlohmann::json(nullptr) : nlohmann::json(given->second);
        }
        state[id] = {{element.value("action_id", id), entry}};
    }
    view["state"] = {{"values", state}};
    if (!view.contains("id")) view["id"] = "V1";
    if (!view.contains("hash")) view["hash"] = "1700000000.abcdef";
    view["team_id"] = "T0TEAM";
    return {{"type", "view_submission"},
            {"token", "legacy"},
            {"response_urls", nlohmann::json::array()},
            {"team", {{"id", "T0TEAM"}, {"domain", "acme"}}},
            {"user", slack_user(user)},
            {"api_app_id", "A0CXOS"},
            {"trigger_id", new_trigger_id()},
            {"view", view}};
}

nlohmann::json reaction_envelope(const std::string& event_id, const std::string& user,
                                 const std::string& reaction, const std::string& channel,
                                 const std::string& message_ts, bool added, const std::string& item_user) {
    return {{"type", "event_callback"},
            {"token", "legacy"},
            {"team_id", "T0TEAM"},
            {"api_app_id", "A0CXOS"},
            {"event_id", event_id},
            {"event_time", 1700000300},
            {"authorizations", nlohmann::json::array({{{"enterprise_id", nullptr}, {"team_id", "T0TEAM"},
                                                       {"user_id", fake_bot_user_id}, {"is_bot", true},
                                                       {"is_enterprise_install", false}}})},
            {"event",
             {{"type", added ? "reaction_added" : "reaction_removed"},
              {"user", user},
              {"reaction", reaction},
              {"item", {{"type", "message"}, {"channel", channel}, {"ts", message_ts}}},
              {"item_user", item_user},
              {"event_ts", "1700000300.000100"}}}};
}

http_answer send_signed(unsigned short port, const std::string& body, const std::string& content_type,
                        long long timestamp) {
    if (timestamp == 0)
        timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    const auto ts = std::to_string(timestamp);
    slack::slack_signature_verifier signer(test_signing_secret);
    return http_call(port, "POST", "/slack/events", body,
                     {{"Content-Type", content_type},
                      {"X-Slack-Request-Timestamp", ts},
                      {"X-Slack-Signature", signer.sign(ts, body)}});
}

http_answer slash(unsigned short port, const std::string& text) {
    return send_signed(port, slash_body(text), "application/x-www-form-urlencoded; charset=utf-8");
}

} // namespace cxos::test
