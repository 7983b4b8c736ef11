#include "bot/server/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>

#include <variant>

namespace cxos::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct http_client::connection {
    std::variant<std::monostate, beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> stream;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;

    beast::tcp_stream& tcp() {
        if (auto* plain = std::get_if<beast::tcp_stream>(&stream)) return *plain;
        return beast::get_lowest_layer(std::get<2>(stream));
    }
};

namespace {

constexpr std::size_t max_response_body = 4 * 1024 * 1024;
constexpr auto max_idle = std::chrono::seconds(20);

outbound_response failure(std::string why) {
    outbound_response r;
    r.error = std::move(why);
    return r;
}

std::string pool_key(const endpoint_url& to) { return to.scheme + "://" + to.host + ":" + to.port; }

template <class Stream>
asio::awaitable<outbound_response> exchange(Stream& stream, beast::flat_buffer& buffer,
                                            http::request<http::string_body>& req) {
    outbound_response out;
    auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    if (wec) {
        out.error = "write: " + wec.message();
        out.request_written = wn > 0;
        co_return out;
    }
    out.request_written = true;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_body);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (rec) {
        out.error = "read: " + rec.message();
        co_return out;
    }
    auto res = parser.release();
    out.status = res.result_int();
    if (auto it = res.find(http::field::retry_after); it != res.end()) out.retry_after = it->value();
    out.body = std::move(res.body());
    out.keep_alive = res.keep_alive();
    co_return out;
}

} // namespace

http_client::http_client(asio::any_io_executor ex)
    : executor_(std::move(ex)), tls_(ssl::context::tls_client) {
    tls_.set_default_verify_paths();
    tls_.set_verify_mode(ssl::verify_peer);
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
}

http_client::~http_client() = default;

asio::awaitable<outbound_response> http_client::send(const endpoint_url& to, const outbound_request& r) {
    const auto key = pool_key(to);
    std::unique_ptr<connection> conn;
    bool reused = false;
    auto& idle = idle_[key];
    while (!idle.empty() && !conn) {
        // Servers close idle keep-alive connections after a while; do not race them.
        if (std::chrono::steady_clock::now() - idle.back()->idle_since < max_idle) {
            conn = std::move(idle.back());
            reused = true;
        }
        idle.pop_back();
    }

    http::request<http::string_body> req{r.method, r.target, 11};
    req.set(http::field::host, to.host);
    req.set(http::field::user_agent, "cxos/0.1");
    if (!r.content_type.empty()) req.set(http::field::content_type, r.content_type);
    if (!r.bearer_token.empty()) req.set(http::field::authorization, "Bearer " + r.bearer_token);
    req.keep_alive(true);
    req.body() = r.body;
    req.prepare_payload();

    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!conn) {
            reused = false;
            conn = std::make_unique<connection>();
            tcp::resolver resolver(executor_);
            auto [rec, results] = co_await resolver.async_resolve(to.host, to.port, asio::as_tuple(asio::use_awaitable));
            if (rec) co_return failure("resolve " + to.host + ": " + rec.message());
            if (to.scheme == "https") {
                conn->stream.emplace<2>(executor_, tls_);
                auto& tls = std::get<2>(conn->stream);
                // SNI, then verify the certificate names the host we meant to reach.
                if (!SSL_set_tlsext_host_name(tls.native_handle(), to.host.c_str()))
                    co_return failure("TLS: cannot set SNI");
                tls.set_verify_callback(ssl::host_name_verification(to.host));
                conn->tcp().expires_after(r.timeout);
                auto [cec, ep] = co_await conn->tcp().async_connect(results, asio::as_tuple(asio::use_awaitable));
                if (cec) co_return failure("connect " + to.host + ": " + cec.message());
                auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
                if (hec) co_return failure("TLS handshake with " + to.host + ": " + hec.message());
            } else {
                conn->stream.emplace<1>(executor_);
                conn->tcp().expires_after(r.timeout);
                auto [cec, ep] = co_await conn->tcp().async_connect(results, asio::as_tuple(asio::use_awaitable));
                if (cec) co_return failure("connect " + to.host + ": " + cec.message());
            }
        }
        conn->tcp().expires_after(r.timeout);
        outbound_response out;
        if (auto* plain = std::get_if<1>(&conn->stream)) out = co_await exchange(*plain, conn->buffer, req);
        else out = co_await exchange(std::get<2>(conn->stream), conn->buffer, req);

        // Only a request the peer cannot have seen is tried again on a fresh connection; one
        // that was written may have been acted on, and the caller must treat it as in doubt.
        if (!out.error.empty() && reused && !out.request_written) {
            conn.reset();
            continue;
        }
        if (out.error.empty() && out.keep_alive) {
            conn->tcp().expires_never();
            conn->idle_since = std::chrono::steady_clock::now();
            idle_[key].push_back(std::move(conn));
        }
        co_return out;
    }
    co_return failure("connection to " + to.host + " closed twice");
}

} // namespace cxos::bot
