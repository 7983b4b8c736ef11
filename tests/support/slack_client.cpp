#include "tests/support/slack_client.hpp"

#include "adapters/slack/signature.hpp"
#include "tests/support/cxos_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <chrono>

namespace cxos::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_answer http_call(unsigned short port, const std::string& method, const std::string& target,
                      const std::string& body, const std::map<std::string, std::string>& headers) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
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
    return {res.result_int(), std::string(res[http::field::content_type]), res.body()};
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

std::string slash_body(const std::string& text, const std::string& user) {
    return form_encode({{"token", "legacy-unused"},
                        {"team_id", "T0TEAM"},
                        {"team_domain", "acme"},
                        {"channel_id", "C0SUPPORT"},
                        {"channel_name", "support"},
                        {"user_id", user},
                        {"user_name", "agent"},
                        {"command", "/friction"},
                        {"text", text},
                        {"api_app_id", "A0CXOS"},
                        {"response_url", "https://hooks.slack.com/commands/T0TEAM/1/abc"},
                        {"trigger_id", "1.2.3"}});
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
