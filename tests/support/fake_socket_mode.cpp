#include "tests/support/fake_socket_mode.hpp"

#include "tests/support/test_ca.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/url/parse.hpp>

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace cxos::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using json = nlohmann::json;
using tcp = asio::ip::tcp;

namespace {

struct fake_connection {
    int id = 0;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
    std::deque<std::optional<std::string>> outgoing; // nullopt: drop the connection there
    bool writing = false;
    bool silent = false; // asked to go silent
    bool parked = false; // silent, and no longer reading

    fake_connection(tcp::socket socket, asio::ssl::context& tls) : ws(std::move(socket), tls) {}
};

struct pushed_envelope {
    std::string id, type;
    json payload;
    envelope_options options;
    int connection = 0;
};

} // namespace

struct fake_socket_mode::impl {
    test_ca ca;
    std::unique_ptr<asio::ssl::context> tls = ca.server_context();
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::map<int, std::shared_ptr<fake_connection>> live; // io thread only
    std::vector<std::shared_ptr<fake_connection>> silent; // kept open, never read again
    std::thread thread;

    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    socket_mode_state state;
    std::set<std::string> tickets; // issued, not yet used
    std::vector<pushed_envelope> pushed;
    int next_ticket = 0, next_envelope = 0, next_order = 0, next_id = 0;

    // The connection `id` as recorded; under the lock.
    socket_connection& recorded(int id) {
        for (auto& sc : state.connections)
            if (sc.id == id) return sc;
        throw std::logic_error("fake_socket_mode: no connection " + std::to_string(id));
    }

    void record(const std::function<void()>& change) {
        std::lock_guard lock(mutex);
        change();
        changed.notify_all();
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            asio::co_spawn(io, session(std::move(socket)), asio::detached);
        }
    }

    bool take_ticket(const std::string& target) {
        auto url = boost::urls::parse_origin_form(target);
        std::string ticket;
        if (url)
            for (auto p : url->params())
                if (p.key == "ticket") ticket = p.value;
        std::lock_guard lock(mutex);
        if (tickets.erase(ticket) == 1) return true;
        ++state.refused_handshakes;
        changed.notify_all();
        return false;
    }

    asio::awaitable<void> session(tcp::socket socket) {
        auto c = std::make_shared<fake_connection>(std::move(socket), *tls);
        beast::get_lowest_layer(c->ws).expires_after(std::chrono::seconds(10));
        auto [hec] = co_await c->ws.next_layer().async_handshake(asio::ssl::stream_base::server,
                                                                 asio::as_tuple(asio::use_awaitable));
        if (hec) co_return; // e.g. a client that does not trust the test CA
        beast::flat_buffer buffer;
        http::request<http::string_body> upgrade;
        auto [rec, rn] = co_await http::async_read(c->ws.next_layer(), buffer, upgrade, asio::as_tuple(asio::use_awaitable));
        if (rec) co_return;
        if (!take_ticket(std::string(upgrade.target()))) {
            http::response<http::string_body> refused{http::status::unauthorized, 11};
            refused.body() = "invalid ticket";
            refused.prepare_payload();
            co_await http::async_write(c->ws.next_layer(), refused, asio::as_tuple(asio::use_awaitable));
            co_return;
        }
        beast::get_lowest_layer(c->ws).expires_never();
        auto [aec] = co_await c->ws.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
        if (aec) co_return;
        c->ws.text(true);

        c->id = ++next_id;
        c->ws.control_callback([this, id = c->id](websocket::frame_type kind, beast::string_view) {
            if (kind != websocket::frame_type::ping) return;
            record([&] { ++recorded(id).pings; });
        });
        live[c->id] = c;
        record([&] { state.connections.push_back({c->id, true, false, ++next_order, 0, 0}); });
        send(c, json{{"type", "hello"},
                     {"num_connections", live.size()},
                     {"debug_info", {{"host", "applink-fake-" + std::to_string(c->id)}, {"build_number", 1},
                                     {"approximate_connection_time", 18060}}},
                     {"connection_info", {{"app_id", "A0CXOS"}}}}
                     .dump());

        beast::flat_buffer frames;
        for (;;) {
            auto [ec, n] = co_await c->ws.async_read(frames, asio::as_tuple(asio::use_awaitable));
            if (c->silent) {
                live.erase(c->id);
                c->parked = true;
                silent.push_back(c);
                co_return;
            }
            if (ec) {
                live.erase(c->id);
                record([&] {
                    auto& sc = recorded(c->id);
                    sc.open = false;
                    sc.closed_by_cxos = ec == websocket::error::closed;
                    sc.closed_at = ++next_order;
                });
                co_return;
            }
            auto ack = json::parse(beast::buffers_to_string(frames.data()), nullptr, false);
            frames.consume(frames.size());
            if (!ack.is_object() || !ack.contains("envelope_id")) continue;
            record([&] {
                state.acks.push_back({c->id, ack.value("envelope_id", ""), ack.value("payload", json())});
            });
        }
    }

    // A read answers pings by itself, so it must end; a cancel that lands between two steps of
    // it does nothing, hence the retries.
    asio::awaitable<void> silence(std::shared_ptr<fake_connection> c) {
        asio::steady_timer pause(io);
        while (!c->parked) {
            beast::error_code ignored;
            beast::get_lowest_layer(c->ws).socket().cancel(ignored); // ends the read, not the connection
            pause.expires_after(std::chrono::milliseconds(5));
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        }
    }

    // On the io thread: frames go out in order; a drop marker closes the socket after them.
    void send(const std::shared_ptr<fake_connection>& c, std::optional<std::string> frame) {
        c->outgoing.push_back(std::move(frame));
        if (c->writing) return;
        c->writing = true;
        asio::co_spawn(io, write_loop(c), asio::detached);
    }

    asio::awaitable<void> write_loop(std::shared_ptr<fake_connection> c) {
        while (!c->outgoing.empty()) {
            auto frame = std::move(c->outgoing.front());
            c->outgoing.pop_front();
            if (!frame) {
                beast::error_code ignored;
                beast::get_lowest_layer(c->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
                beast::get_lowest_layer(c->ws).socket().close(ignored);
                c->outgoing.clear();
                break;
            }
            auto [ec, n] = co_await c->ws.async_write(asio::buffer(*frame), asio::as_tuple(asio::use_awaitable));
            if (ec) break;
        }
        c->writing = false;
    }

    // Runs `action` on the io thread with connection `id` (0: the newest open one) and waits.
    void on_connection(int id, std::function<void(const std::shared_ptr<fake_connection>&)> action) {
        std::promise<void> done;
        asio::post(io, [&] {
            std::shared_ptr<fake_connection> c;
            if (id == 0 && !live.empty()) c = live.rbegin()->second;
            else if (auto it = live.find(id); it != live.end()) c = it->second;
            if (c) action(c);
            done.set_value();
        });
        done.get_future().wait();
    }

    std::string push(const std::string& type, const json& payload, int connection, envelope_options options) {
        pushed_envelope e;
        {
            std::lock_guard lock(mutex);
            e.id = "env-" + std::to_string(++next_envelope);
        }
        e.type = type;
        e.payload = payload;
        e.options = options;
        json frame = {{"envelope_id", e.id}, {"type", type}, {"payload", payload},
                      {"accepts_response_payload", options.accepts_response_payload.value_or(type != "events_api")}};
        if (type == "events_api") {
            frame["retry_attempt"] = options.retry_attempt;
            frame["retry_reason"] = options.retry_reason;
        }
        on_connection(connection, [&](const std::shared_ptr<fake_connection>& c) {
            e.connection = c->id;
            send(c, frame.dump());
        });
        std::lock_guard lock(mutex);
        pushed.push_back(e);
        return e.id;
    }
};

int socket_mode_state::open_connections() const {
    int n = 0;
    for (const auto& c : connections) n += c.open ? 1 : 0;
    return n;
}

const socket_ack* socket_mode_state::ack_for(const std::string& envelope_id) const {
    for (const auto& a : acks)
        if (a.envelope_id == envelope_id) return &a;
    return nullptr;
}

const socket_connection* socket_mode_state::connection(int id) const {
    for (const auto& c : connections)
        if (c.id == id) return &c;
    return nullptr;
}

fake_socket_mode::fake_socket_mode(fake_slack& web, std::string app_token)
    : web_(web), app_token_(std::move(app_token)), impl_(std::make_shared<impl>()) {
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    impl_->thread = std::thread([i = impl_.get()] { i->io.run(); });
    const auto port = impl_->acceptor.local_endpoint().port();
    web_.serve_method("apps.connections.open", [i = impl_, token = app_token_, port](const loopback_request& req) {
        const auto auth = req.header("authorization");
        if (auth != "Bearer " + token)
            return loopback_response::with_json(
                200, {{"ok", false}, {"error", auth.rfind("Bearer xoxb-", 0) == 0 ? "not_allowed_token_type" : "invalid_auth"}});
        std::lock_guard lock(i->mutex);
        const auto ticket = "t-" + std::to_string(++i->next_ticket) + "-5f3e2a1b";
        i->tickets.insert(ticket);
        ++i->state.urls_issued;
        i->changed.notify_all();
        return loopback_response::with_json(
            200, {{"ok", true}, {"url", "wss://127.0.0.1:" + std::to_string(port) + "/link?ticket=" + ticket + "&app_id=A0CXOS"}});
    });
}

fake_socket_mode::~fake_socket_mode() {
    web_.serve_method("apps.connections.open", {});
    impl_->io.stop();
    impl_->thread.join();
}

std::string fake_socket_mode::ca_file() const { return impl_->ca.ca_file().string(); }

std::string fake_socket_mode::push(const std::string& type, const json& payload, int connection, envelope_options options) {
    return impl_->push(type, payload, connection, std::move(options));
}

void fake_socket_mode::disconnect(int connection, const std::string& reason) {
    impl_->on_connection(connection, [&](const std::shared_ptr<fake_connection>& c) {
        impl_->send(c, json{{"type", "disconnect"}, {"reason", reason},
                            {"debug_info", {{"host", "applink-fake-" + std::to_string(c->id)}}}}
                           .dump());
    });
}

void fake_socket_mode::go_silent(int connection) {
    impl_->on_connection(connection, [&](const std::shared_ptr<fake_connection>& c) {
        c->silent = true;
        c->outgoing.clear();
        asio::co_spawn(impl_->io, impl_->silence(c), asio::detached);
        impl_->record([&] {
            auto& sc = impl_->recorded(c->id);
            sc.open = false;
            sc.closed_at = ++impl_->next_order;
        });
    });
}

void fake_socket_mode::drop(int connection) {
    impl_->on_connection(connection, [&](const std::shared_ptr<fake_connection>& c) { impl_->send(c, std::nullopt); });
}

std::vector<std::string> fake_socket_mode::redeliver_unacked(int connection) {
    std::vector<pushed_envelope> again;
    {
        std::lock_guard lock(impl_->mutex);
        for (const auto& e : impl_->pushed)
            if (e.connection == connection && !impl_->state.ack_for(e.id)) again.push_back(e);
    }
    std::vector<std::string> ids;
    for (auto& e : again) {
        e.options.retry_attempt += 1;
        e.options.retry_reason = "timeout";
        ids.push_back(impl_->push(e.type, e.payload, 0, e.options));
    }
    return ids;
}

socket_mode_state fake_socket_mode::state() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->state;
}

bool fake_socket_mode::wait_for(const std::function<bool(const socket_mode_state&)>& pred,
                                std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return pred(impl_->state); });
}

} // namespace cxos::test
