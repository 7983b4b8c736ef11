#pragma once
// Sends requests to cxos the way Slack does: form-encoded slash commands, signed.
#include <map>
#include <string>

namespace cxos::test {

struct http_answer {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

http_answer http_call(unsigned short port, const std::string& method, const std::string& target,
                      const std::string& body, const std::map<std::string, std::string>& headers = {});

std::string form_encode(const std::map<std::string, std::string>& fields);

// The body Slack sends for `/friction <text>` typed by U0AGENT in C0SUPPORT.
std::string slash_body(const std::string& text, const std::string& user = "U0AGENT");

// A request signed with the test secret at `timestamp` (default: now).
http_answer send_signed(unsigned short port, const std::string& body,
                        const std::string& content_type = "application/x-www-form-urlencoded",
                        long long timestamp = 0);

http_answer slash(unsigned short port, const std::string& text);

} // namespace cxos::test
