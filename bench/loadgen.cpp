// Drives signed `/friction` slash commands over keep-alive connections and prints latency
// percentiles. At a fixed rate (open loop) latency runs from each request's scheduled send time;
// with --rate 0 (closed loop) each connection sends its next request as soon as the last is
// answered, for --seconds, and latency runs from the send. --vary N spreads the reports over N
// frictions that become N items (see varied_text), each body signed for itself.
#include "adapters/oauth/form_encoding.hpp"
#include "adapters/slack/signature.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using clock_type = std::chrono::steady_clock;

struct options {
    std::string host = "127.0.0.1";
    std::string port = "3000";
    std::string path = "/slack/events";
    std::string secret;
    double rate = 5000;
    double seconds = 10;
    int connections = 64;
    std::string text = "the invoice shows the wrong currency !high";
    int vary = 0; // 0: every request reports `text`
};

// One friction's signed request: its form body and the signature of that body.
struct signed_body {
    std::string body;
    std::string signature;
};

struct run_state {
    options opt;
    std::vector<signed_body> bodies; // request i sends bodies[i % size]
    std::string timestamp;
    clock_type::time_point start, deadline; // deadline: closed loop only
    std::uint64_t total = 0;
    std::uint64_t next = 0;
    std::uint64_t ok = 0, failed = 0;
    std::vector<double> latencies_ms;
    std::vector<double> by_schedule; // latency of request i, for --timeline
    double timeline_ms = 0;
};

// The ack of a logged report: a new item ("Logged: item 7") or one it joined ("Added to item 7").
bool acknowledged(const std::string& body) {
    return body.find("Logged: item ") != std::string::npos || body.find("Added to item ") != std::string::npos;
}

asio::awaitable<void> connection(run_state& st) {
    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    auto endpoints = co_await resolver.async_resolve(st.opt.host, st.opt.port, asio::use_awaitable);
    beast::tcp_stream stream(ex);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    stream.socket().set_option(asio::ip::tcp::no_delay(true));
    beast::flat_buffer buffer;
    asio::steady_timer timer(ex);
    const bool closed_loop = st.opt.rate <= 0;
    if (closed_loop) {
        timer.expires_at(st.start);
        co_await timer.async_wait(asio::use_awaitable);
    }
    while (closed_loop ? clock_type::now() < st.deadline : st.next < st.total) {
        const auto i = st.next++;
        auto due = clock_type::now();
        if (!closed_loop) {
            due = st.start + std::chrono::nanoseconds(static_cast<long long>(static_cast<double>(i) * 1e9 / st.opt.rate));
            timer.expires_at(due);
            co_await timer.async_wait(asio::use_awaitable);
        }
        const auto& sent = st.bodies[i % st.bodies.size()];
        http::request<http::string_body> req{http::verb::post, st.opt.path, 11};
        req.set(http::field::host, st.opt.host);
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        req.set("X-Slack-Request-Timestamp", st.timestamp);
        req.set("X-Slack-Signature", sent.signature);
        req.keep_alive(true);
        req.body() = sent.body;
        req.prepare_payload();
        auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
        http::response<http::string_body> res;
        beast::error_code rec;
        if (!wec) std::tie(rec, std::ignore) = co_await http::async_read(stream, buffer, res, asio::as_tuple(asio::use_awaitable));
        const auto done = clock_type::now();
        st.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - due).count());
        if (!closed_loop) st.by_schedule[i] = st.latencies_ms.back();
        if (wec || rec || res.result_int() != 200 || !acknowledged(res.body())) {
            ++st.failed;
            if (wec || rec) co_return;
        } else {
            ++st.ok;
        }
    }
}

// The i-th of --vary N frictions: three made-up words spelled from i's digits, so the N texts
// share no word (grouping, which masks numbers and compares words, would join "currency 1" and
// "currency 2" into one item) and each is its own item key; three, as two words is too short a
// report to log without asking.
std::string varied_text(std::uint64_t i) {
    static constexpr const char* syllables[] = {"ba", "ke", "mi", "no", "pu", "ra", "so", "ti", "vu", "ze"};
    std::string digits = std::to_string(i), first = "q", second = "x";
    for (char d : digits) first += syllables[d - '0'];
    for (auto d = digits.rbegin(); d != digits.rend(); ++d) second += syllables[*d - '0'];
    return first + "ly " + second + "ment w" + first.substr(1) + "ness !high";
}

signed_body signed_friction(const std::string& text, const std::string& timestamp,
                            const cxos::slack::slack_signature_verifier& signer) {
    signed_body out;
    out.body = "token=x&team_id=T0BENCH&channel_id=C0BENCH&user_id=U0BENCH&user_name=bench"
               "&command=%2Ffriction&text=" + cxos::oauth::percent_encoded(text) + "&trigger_id=1.2.3";
    out.signature = signer.sign(timestamp, out.body);
    return out;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
    return v[k];
}

int main(int argc, char** argv) {
    run_state st;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--port") st.opt.port = v;
        else if (k == "--rate") st.opt.rate = std::stod(v);
        else if (k == "--seconds") st.opt.seconds = std::stod(v);
        else if (k == "--connections") st.opt.connections = std::stoi(v);
        else if (k == "--secret") st.opt.secret = v;
        else if (k == "--text") st.opt.text = v;
        else if (k == "--vary") st.opt.vary = std::stoi(v);
        else if (k == "--timeline") st.timeline_ms = std::stod(v);
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    if (st.opt.secret.empty()) {
        std::cerr << "usage: cxos_loadgen --secret S [--port 3000] [--rate 5000] [--seconds 10] [--connections 64] [--vary N]\n"
                     "  --rate 0: closed loop, as fast as answers come\n";
        return 2;
    }
    st.timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch()).count());
    // Signed before the clock starts, so signing does not slow the load it measures.
    const cxos::slack::slack_signature_verifier signer(st.opt.secret);
    if (st.opt.vary > 0)
        for (int v = 0; v < st.opt.vary; ++v)
            st.bodies.push_back(signed_friction(varied_text(static_cast<std::uint64_t>(v)), st.timestamp, signer));
    else
        st.bodies.push_back(signed_friction(st.opt.text, st.timestamp, signer));
    if (st.opt.rate > 0) {
        st.total = static_cast<std::uint64_t>(st.opt.rate * st.opt.seconds);
        st.latencies_ms.reserve(st.total);
        st.by_schedule.assign(st.total, 0.0);
    }

    asio::io_context io(1);
    st.start = clock_type::now() + std::chrono::milliseconds(100);
    st.deadline = st.start + std::chrono::nanoseconds(static_cast<long long>(st.opt.seconds * 1e9));
    for (int c = 0; c < st.opt.connections; ++c)
        asio::co_spawn(io, connection(st), [](std::exception_ptr e) {
            if (e) try { std::rethrow_exception(e); } catch (const std::exception& ex) { std::cerr << "connection: " << ex.what() << "\n"; }
        });
    io.run();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - st.start).count();
    std::printf("target_rate=%.0f achieved_rate=%.0f ok=%llu failed=%llu p50_ms=%.3f p90_ms=%.3f "
                "p99_ms=%.3f p999_ms=%.3f max_ms=%.3f\n",
                st.opt.rate, static_cast<double>(st.ok + st.failed) / elapsed,
                static_cast<unsigned long long>(st.ok), static_cast<unsigned long long>(st.failed),
                percentile(st.latencies_ms, 50), percentile(st.latencies_ms, 90),
                percentile(st.latencies_ms, 99), percentile(st.latencies_ms, 99.9),
                st.latencies_ms.empty() ? 0.0 : *std::max_element(st.latencies_ms.begin(), st.latencies_ms.end()));
    if (st.timeline_ms > 0 && st.opt.rate > 0) {
        // p99 and worst of each slice of the schedule: a stall shows where it happened.
        const auto per = static_cast<std::size_t>(st.opt.rate * st.timeline_ms / 1000);
        for (std::size_t from = 0; per > 0 && from < st.by_schedule.size(); from += per) {
            std::vector<double> slice(st.by_schedule.begin() + static_cast<long>(from),
                                      st.by_schedule.begin() + static_cast<long>(std::min(from + per, st.by_schedule.size())));
            const double worst = *std::max_element(slice.begin(), slice.end());
            std::printf("at_ms=%.0f p99_ms=%.3f max_ms=%.3f\n", static_cast<double>(from) * 1000 / st.opt.rate,
                        percentile(slice, 99), worst);
        }
    }
    return st.failed == 0 ? 0 : 1;
}
