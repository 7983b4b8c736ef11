#pragma once
// Sends requests to cxos the way Slack does: form-encoded slash commands, signed.
#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace cxos::test {

struct http_answer {
    unsigned status = 0;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers; // every response header, names in lower case
};

http_answer http_call(unsigned short port, const std::string& method, const std::string& target,
                      const std::string& body, const std::map<std::string, std::string>& headers = {});

std::string form_encode(const std::map<std::string, std::string>& fields);

// The body Slack sends for `/friction <text>` typed by U0AGENT in C0SUPPORT of workspace T0TEAM.
std::string slash_body(const std::string& text, const std::string& user = "U0AGENT", const std::string& team = "T0TEAM");

// A request signed with the test secret at `timestamp` (default: now).
http_answer send_signed(unsigned short port, const std::string& body,
                        const std::string& content_type = "application/x-www-form-urlencoded",
                        long long timestamp = 0);

http_answer slash(unsigned short port, const std::string& text);

// Interactivity: `payload=<json>`, form-encoded and signed, as Slack sends it.
http_answer send_interaction(unsigned short port, const nlohmann::json& payload);
// Events API: JSON, signed; a retry carries X-Slack-Retry-Num and X-Slack-Retry-Reason.
http_answer send_event(unsigned short port, const nlohmann::json& envelope, int retry_num = 0);

// Payloads in Slack's shapes (team T0TEAM, app A0CXOS).
nlohmann::json block_actions_payload(const std::string& user, const std::string& channel,
                                     const std::string& message_ts, const std::string& action_id,
                                     const std::string& value, bool is_select = false);
nlohmann::json message_action_payload(const std::string& user, const std::string& channel,
                                      const std::string& message_ts, const std::string& text,
                                      const std::string& callback_id = "log_friction",
                                      const std::string& thread_ts = "");
// Fills the view cxos opened with `values` (by input id) as Slack's view.state.values.
nlohmann::json view_submission_payload(const std::string& user, const nlohmann::json& view_as_opened,
                                       const std::map<std::string, std::string>& values);
// cxos's bot user in the fake workspace (auth.test's user_id), named in every envelope's
// `authorizations` as Slack does.
inline const std::string fake_bot_user_id = "U0CXOS";
nlohmann::json reaction_envelope(const std::string& event_id, const std::string& user,
                                 const std::string& reaction, const std::string& channel,
                                 const std::string& message_ts, bool added = true,
                                 const std::string& item_user = "U0AUTHOR");

} // namespace cxos::test
